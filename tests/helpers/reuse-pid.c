/* reuse-pid PID HEX: a new process on exactly PID, named HEX.
 *
 * A PID that was freed can be handed to the next process at any time; a
 * tool that found a process by its number and acts on it later must see
 * that the number now names another. Waiting for the kernel to cycle
 * through pid_max is slow and unsure, so this asks for the number itself:
 * clone3() with set_tid (Linux 5.5; CAP_SYS_ADMIN in the PID namespace's
 * user namespace, so root). PID must be free: the test kills and reaps
 * its previous owner first. HEX is the new process's name as hex bytes
 * (see hostile-name), so that it can take the old one's name too.
 *
 * Output: "pid PID" (the new process, our child), then "ready". Both
 * pause until killed; the child dies with us.
 */
#include <linux/sched.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "helper.h"

#define USAGE "PID HEX"
#define MAX_NAME 64

int main(int argc, char **argv)
{
	struct clone_args ca;
	char name[MAX_NAME + 1];
	pid_t want, self;
	int named[2];
	long v, r;
	char c;

	if (argc != 3 || helper_parse_long(argv[1], 2, INT_MAX, &v) < 0 ||
	    helper_decode_hex(argv[2], name, MAX_NAME) < 0)
		helper_usage(USAGE);
	want = (pid_t)v;

	helper_init();
	self = getpid();
	if (pipe(named) < 0)
		err(1, "pipe");
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&want;
	ca.set_tid_size = 1;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r < 0)
		err(1, "clone3 with set_tid %d", (int)want);
	if (r == 0) {
		helper_die_with_parent(self);
		if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
			_exit(1);
		/* Named: now the test may look. */
		if (write(named[1], "", 1) != 1)
			_exit(1);
		helper_pause_forever();
	}
	close(named[1]);
	if (read(named[0], &c, 1) != 1)
		errx(1, "child %ld could not name itself", r);
	printf("pid %ld\n", r);
	helper_ready();
	helper_pause_forever();
}
