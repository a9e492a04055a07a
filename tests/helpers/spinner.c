/* spinner N [SECS]: N processes that burn CPU, for tests of a saturated
 * CPU. Each child spins in a tight loop, calling no system call, so it is
 * runnable (R) all the time; with more of them than CPUs the run queues
 * hold waiting tasks and the cpu pressure rises. Every child stops by
 * itself after SECS seconds (default 60) and dies with the parent
 * (PR_SET_PDEATHSIG), so a forgotten scenario cannot load a shared machine
 * for long.
 *
 * Output: "spin PID" for each child, then "ready" once all of them run.
 * Then the parent pauses until killed.
 */
#include <signal.h>
#include <sys/prctl.h>

#include "helper.h"

#define USAGE "N [SECS]"
#define MAX_SPINNERS 256

static void __attribute__((noreturn)) spin(pid_t parent, long secs)
{
	struct timespec start, now;
	volatile unsigned long x = 0;

	helper_die_with_parent(parent);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		for (int i = 0; i < 10000000; i++)
			x += (unsigned long)i;
		/* The vDSO reads the clock without entering the kernel. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= secs)
			_exit(0);
	}
}

int main(int argc, char **argv)
{
	long n, secs = 60;
	pid_t me;

	if (argc < 2 || argc > 3 || helper_parse_long(argv[1], 1, MAX_SPINNERS, &n) < 0 ||
	    (argc == 3 && helper_parse_long(argv[2], 1, 3600, &secs) < 0))
		helper_usage(USAGE);
	helper_init();
	me = getpid();
	for (long i = 0; i < n; i++) {
		pid_t kid = fork();

		if (kid < 0)
			err(1, "fork");
		if (kid == 0)
			spin(me, secs);
		printf("spin %d\n", (int)kid);
	}
	helper_ready();
	helper_pause_forever();
}
