/* many-idle N: N idle child processes, for benchmarks that scan a /proc
 * with many entries (N up to MAX_CHILDREN).
 *
 * The children are plain forks of this small process, without exec, so
 * they share its pages copy-on-write and cost little memory each. Each one
 * asks for SIGKILL when its parent dies (PR_SET_PDEATHSIG), so a crashed or
 * killed helper never leaves thousands of orphans behind even if the test
 * forgets the process group.
 *
 * Output: "parent PID" and "ready" once all N children exist. Then pause
 * until killed. A failed fork is reported on stderr and exits 1 (the
 * children then die with us).
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>

#include "helper.h"

#define USAGE "N"
#define MAX_CHILDREN 100000

static void __attribute__((noreturn)) idle_child(pid_t parent)
{
	helper_die_with_parent(parent);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	pid_t self, kid;
	long n, i;

	if (argc != 2 || helper_parse_long(argv[1], 0, MAX_CHILDREN, &n) < 0)
		helper_usage(USAGE);

	helper_init();
	self = getpid();
	/* Nothing is buffered yet, and the children never touch stdio. */
	for (i = 0; i < n; i++) {
		kid = fork();
		if (kid < 0)
			err(1, "fork %ld of %ld", i + 1, n);
		if (kid == 0)
			idle_child(self);
	}

	printf("parent %d\n", (int)self);
	helper_ready();
	helper_pause_forever();
}
