/* clonestorm RATE SECS [go]: a storm of short processes, RATE a second.
 *
 * fork() copies the page tables and costs about a millisecond here, far
 * too slow to flood a watcher. clone(CLONE_VM) shares the memory instead:
 * the child gets a stack of its own from a small pool, returns at once
 * (which exits it), and is reaped before its stack is used again. That
 * reaches tens of thousands of processes a second, each a real fork and a
 * real exit for the process connector. RATE 0 means as fast as possible.
 *
 * Output: "pid PID" and "ready"; with "go", the storm waits for SIGUSR1
 * first (so a watcher can start). At the end every child has been reaped,
 * and "children N" (how many were made) and "seconds S" (how long it took)
 * are printed; then it exits 0.
 */
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper.h"

#define USAGE "RATE SECS [go]"
#define NSTACKS 64
#define STACK_SIZE (64 * 1024)
#define MAX_RATE 10000000L

static int child(void *arg)
{
	(void)arg;
	return 0;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reap pid (our child), retrying on EINTR. */
static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct timespec dur;
	pid_t owner[NSTACKS] = { 0 };
	char *stacks;
	long rate, made = 0;
	double start, secs, end;
	size_t slot = 0;
	sigset_t set;

	if ((argc != 3 && argc != 4) || helper_parse_long(argv[1], 0, MAX_RATE, &rate) < 0 ||
	    helper_parse_secs(argv[2], 3600, &dur) < 0 || (argc == 4 && strcmp(argv[3], "go")))
		helper_usage(USAGE);
	secs = (double)dur.tv_sec + (double)dur.tv_nsec / 1e9;
	helper_init();
	signal(SIGCHLD, SIG_DFL);
	stacks = mmap(NULL, (size_t)NSTACKS * STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stacks == MAP_FAILED)
		err(1, "mmap");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (argc == 4 && sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		err(1, "sigprocmask");
	printf("pid %d\n", (int)getpid());
	helper_ready();
	if (argc == 4) {
		int sig;

		if (sigwait(&set, &sig) != 0)
			errx(1, "sigwait");
	}
	start = mono();
	end = start + secs;
	for (;;) {
		double now = mono();
		long due = rate ? (long)((now - start) * (double)rate) + 1 : made + NSTACKS;
		pid_t kid;

		if (now >= end)
			break;
		if (made >= due) {
			/* Ahead of the rate: sleep a little, not a whole tick. */
			const struct timespec nap = { 0, 100000 };

			nanosleep(&nap, NULL);
			continue;
		}
		while (made < due && mono() < end) {
			if (owner[slot])
				reap(owner[slot]);
			kid = clone(child, stacks + (slot + 1) * STACK_SIZE, CLONE_VM | SIGCHLD,
				    NULL);
			if (kid < 0) {
				owner[slot] = 0;
				if (errno == EAGAIN || errno == ENOMEM)
					continue;	/* a limit: let the storm ebb */
				err(1, "clone");
			}
			owner[slot] = kid;
			slot = (slot + 1) % NSTACKS;
			made++;
		}
	}
	for (size_t i = 0; i < NSTACKS; i++)
		if (owner[i])
			reap(owner[i]);
	printf("children %ld\nseconds %.3f\n", made, mono() - start);
	return 0;
}
