/* forkstorm SECS: churn PIDs for SECS seconds (fractions allowed).
 *
 * Scanners walk /proc while processes come and go: a PID listed by
 * readdir may be gone by the time its stat is opened, or half torn down
 * (zombie, empty cmdline), or already a different process. This helper
 * forks children that exit at once, as fast as it can with at most
 * MAX_INFLIGHT unreaped, so tests can run a tool during the storm and
 * check it neither crashes nor fails. Each child first takes a short
 * random comm from a set that includes ' ', '(' and ')', so torn or
 * confused stat parsing shows up too.
 *
 * Output: "pid PID" and "ready" at start. At the end every child is
 * reaped and the helper exits 0; it does not pause.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper.h"

#define USAGE "SECS"
#define MAX_SECS 86400.0
#define MAX_INFLIGHT 50

static const char name_chars[] = "abcxyz09 ()-_.";

static unsigned int next_rand(unsigned int *state)
{
	/* xorshift32: enough to vary names, no libc state shared with the
	 * children. */
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void random_name(char *name, unsigned int *state)
{
	unsigned int len = 1 + next_rand(state) % 8, i;

	for (i = 0; i < len; i++)
		name[i] = name_chars[next_rand(state) % (sizeof(name_chars) - 1)];
	name[len] = '\0';
}

/* Reap one child, blocking or not. Returns 1 if one was reaped, else 0. */
static int reap_one(int flags)
{
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, NULL, flags);
		if (pid > 0)
			return 1;
		if (pid == 0 || errno != EINTR)
			return 0;
	}
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct timespec backoff = { 0, 1000000 };
	struct timespec dur;
	struct sigaction sa;
	unsigned int seed;
	double deadline;
	char name[16];
	int inflight = 0;
	pid_t kid;

	if (argc != 2 || helper_parse_secs(argv[1], MAX_SECS, &dur) < 0)
		helper_usage(USAGE);

	helper_init();
	/* Inherited SIG_IGN for SIGCHLD would make the kernel reap for us
	 * and waitpid() fail: we want to do the reaping. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		err(1, "sigaction");

	seed = (unsigned int)getpid() * 2654435761u | 1;
	deadline = mono_now() + (double)dur.tv_sec + (double)dur.tv_nsec / 1e9;

	printf("pid %d\n", (int)getpid());
	helper_ready();

	while (mono_now() < deadline) {
		while (inflight > 0 && reap_one(WNOHANG))
			inflight--;
		if (inflight >= MAX_INFLIGHT) {
			if (reap_one(0))
				inflight--;
			continue;
		}
		random_name(name, &seed);
		kid = fork();
		if (kid == 0) {
			prctl(PR_SET_NAME, name, 0, 0, 0);
			_exit(0);
		}
		if (kid > 0) {
			inflight++;
		} else if (errno == EAGAIN || errno == ENOMEM) {
			/* Someone else's limit, or the machine's: let the
			 * storm ebb rather than fail the test. */
			if (inflight > 0 && reap_one(0))
				inflight--;
			else
				nanosleep(&backoff, NULL);
		} else {
			err(1, "fork");
		}
	}
	while (reap_one(0))
		;
	return 0;
}
