/* life-family script|orphan: the processes lifewatch's live tests watch.
 *
 * Both modes print "parent PID" and "ready", then wait for SIGUSR1, so the
 * watcher can subscribe before anything happens.
 *
 * script: the parent forks three children, 0.3 s apart, each only once the
 * one before has exited: the first execs /bin/true, the second exits with
 * code 3, the third waits and is killed with SIGKILL. Each is reaped 1 s
 * after its exit, so each is a zombie for 1 s, and the events come in one
 * fixed order. Then "true PID", "three PID", "killed PID" and "done".
 *
 * orphan: the parent forks a middle process, which forks a child that exits
 * at once and is never reaped by it. Prints "middle PID", "zombie PID" and
 * "done" once the child is a zombie. When the test kills the middle
 * process, init (or a subreaper) adopts the zombie and reaps it.
 *
 * Then the parent pauses until killed.
 */
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper.h"

#define USAGE "script|orphan"
#define EXIT_TIMEOUT_MS 5000

static const struct timespec gap = { 0, 300000000 };	/* between children */
static const struct timespec linger = { 1, 0 };	/* zombie time */

static void wait_go(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwait(&set, &sig) != 0)
		errx(1, "sigwait");
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t zombie_child(void (*body)(void), double *exited)
{
	pid_t kid = fork();

	if (kid < 0)
		err(1, "fork");
	if (kid == 0) {
		body();
		_exit(127);
	}
	if (helper_wait_state(kid, 'Z', EXIT_TIMEOUT_MS) < 0)
		errx(1, "child %d did not exit", (int)kid);
	*exited = mono();
	return kid;
}

static void run_true(void)
{
	execl("/bin/true", "true", (char *)NULL);
}

static void run_exit3(void)
{
	_exit(3);
}

static void run_wait(void)
{
	pause();
}

static void reap_at(pid_t kid, double when)
{
	double left = when - mono();

	if (left > 0) {
		struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

		helper_sleep(&ts);
	}
	if (waitpid(kid, NULL, 0) != kid)
		err(1, "waitpid %d", (int)kid);
}

static void script(void)
{
	pid_t self = getpid(), a, b, c;
	double ta, tb, tc;

	a = zombie_child(run_true, &ta);
	helper_sleep(&gap);
	b = zombie_child(run_exit3, &tb);
	helper_sleep(&gap);
	c = fork();
	if (c < 0)
		err(1, "fork");
	if (c == 0) {
		helper_die_with_parent(self);
		run_wait();
		_exit(127);
	}
	if (helper_wait_state(c, 'S', EXIT_TIMEOUT_MS) < 0 || kill(c, SIGKILL) < 0 ||
	    helper_wait_state(c, 'Z', EXIT_TIMEOUT_MS) < 0)
		errx(1, "child %d was not killed", (int)c);
	tc = mono();
	reap_at(a, ta + (double)linger.tv_sec);
	reap_at(b, tb + (double)linger.tv_sec);
	reap_at(c, tc + (double)linger.tv_sec);
	printf("true %d\nthree %d\nkilled %d\ndone\n", (int)a, (int)b, (int)c);
}

static void orphan(void)
{
	int p[2];
	pid_t self = getpid(), mid, kid;

	if (pipe(p) < 0)
		err(1, "pipe");
	mid = fork();
	if (mid < 0)
		err(1, "fork");
	if (mid == 0) {
		double t;

		helper_die_with_parent(self);
		close(p[0]);
		kid = zombie_child(run_exit3, &t);
		if (write(p[1], &kid, sizeof(kid)) != sizeof(kid))
			_exit(1);
		helper_pause_forever();
	}
	close(p[1]);
	if (read(p[0], &kid, sizeof(kid)) != sizeof(kid))
		errx(1, "the middle process did not report its child");
	printf("middle %d\nzombie %d\ndone\n", (int)mid, (int)kid);
}

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc != 2 || (strcmp(argv[1], "script") && strcmp(argv[1], "orphan")))
		helper_usage(USAGE);
	helper_init();
	/* SIGUSR1 stays blocked for sigwait; children get the default. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		err(1, "sigprocmask");
	printf("parent %d\n", (int)getpid());
	helper_ready();
	wait_go();
	if (!strcmp(argv[1], "script"))
		script();
	else
		orphan();
	fflush(stdout);
	helper_pause_forever();
}
