/* pid-reuse PID NAME [FILE MIB]: a new process on exactly that PID, named
 * NAME; with FILE, it first writes MIB MiB to FILE (created) with O_DIRECT,
 * so that its storage I/O is exactly those bytes.
 *
 * A PID is free for reuse as soon as its process is reaped, and a tool that
 * keeps a PID across time must notice that the number now names someone
 * else. Waiting for the kernel to wrap around pid_max takes minutes and
 * luck; clone3() with set_tid (Linux 5.5, CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE, as checkpoint/restore tools use it) creates the
 * child on the number asked for, at once. The test reaps a process, then
 * puts a stranger on its PID.
 *
 * The child names itself NAME (the kernel keeps the first 15 bytes) and
 * does its writes before it is reported, and pauses; it dies with this
 * helper. The helper itself is not on PID.
 *
 * Output: "pid PID" once the child has its name, then "ready". Then pause
 * until killed. Exit status 1 when the PID is taken (EEXIST), not allowed
 * (EPERM) or clone3 is missing (ENOSYS).
 */
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "helper.h"

#define USAGE "PID NAME [FILE MIB]"
#define MIB (1024 * 1024)
#define MAX_MIB 1024

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* The first version of the kernel's struct clone_args with set_tid
 * (CLONE_ARGS_SIZE_VER1, Linux 5.5), spelt out so that the helper builds
 * with headers older than the kernel it runs on. */
struct clone_args_v1 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size;
	uint64_t cgroup;
};

int main(int argc, char **argv)
{
	struct clone_args_v1 ca;
	pid_t want, parent;
	long v, r, mib = 0;
	int ready[2], fd = -1;
	void *buf = NULL;
	char c;

	if ((argc != 3 && argc != 5) || !*argv[2] ||
	    helper_parse_long(argv[1], 2, INT_MAX, &v) < 0 ||
	    (argc == 5 && helper_parse_long(argv[4], 1, MAX_MIB, &mib) < 0))
		helper_usage(USAGE);
	want = (pid_t)v;

	helper_init();
	/* The child of a raw clone makes system calls only: what it writes
	 * with is ready before. */
	if (mib) {
		fd = open(argv[3], O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0600);
		if (fd < 0)
			err(1, "%s (O_DIRECT)", argv[3]);
		if (posix_memalign(&buf, 4096, MIB))
			errx(1, "out of memory");
		memset(buf, 'r', MIB);
	}
	if (pipe(ready) < 0)
		err(1, "pipe");
	parent = getpid();
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&want;
	ca.set_tid_size = 1;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r < 0)
		err(1, "clone3 onto PID %d", (int)want);
	if (r == 0) {
		/* A raw clone: system calls only, as after fork in a helper. */
		helper_die_with_parent(parent);
		if (prctl(PR_SET_NAME, argv[2], 0, 0, 0) < 0)
			_exit(1);
		for (long i = 0; i < mib; i++)
			if (pwrite(fd, buf, MIB, (off_t)i * MIB) != MIB)
				_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		helper_pause_forever();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		errx(1, "child %ld did not take its name or write", r);
	close(ready[0]);
	printf("pid %ld\n", r);
	helper_ready();
	helper_pause_forever();
}
