/* zombie-parent MODE N: a parent that leaves N exited children unreaped.
 *
 * Zombie hunting tools must tell apart the reasons a zombie stays: the
 * parent never waits (nowait), blocks SIGCHLD (block), catches it and still
 * does not wait (catch), or is itself stopped (stop: the parent raises
 * SIGSTOP after "ready" and sits in state T). In mode ignore SIGCHLD is set
 * to SIG_IGN, so the kernel reaps the children itself and there must be NO
 * zombie: the negative case.
 *
 * Blocking is per thread, and the kernel hands a process-directed SIGCHLD
 * to any thread that does not block it: in mode mainblock the main thread
 * blocks SIGCHLD, but a second thread, started before any child, unblocks
 * it, so the process as a whole does not block it and simply never waits.
 * Mode mainexit is the same, and then the main thread calls pthread_exit()
 * after "ready": the leader shows Z, the process lives on in the thread.
 *
 * Output: "parent PID", then "zombie PID" per child ("child PID" in ignore
 * mode, once the child is gone), "thread TID" for the second thread of
 * mainblock and mainexit (asleep by then), then "ready". Every child has
 * really exited before "ready"; then the parent pauses until killed.
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "helper.h"

#define USAGE "nowait|block|ignore|catch|stop|mainblock|mainexit N"
#define MAX_CHILDREN 10000
#define EXIT_TIMEOUT_MS 5000

enum mode {
	MODE_NOWAIT, MODE_BLOCK, MODE_IGNORE, MODE_CATCH, MODE_STOP, MODE_MAINBLOCK, MODE_MAINEXIT,
};

static const char *const mode_names[] = {
	[MODE_NOWAIT] = "nowait",
	[MODE_BLOCK] = "block",
	[MODE_IGNORE] = "ignore",
	[MODE_CATCH] = "catch",
	[MODE_STOP] = "stop",
	[MODE_MAINBLOCK] = "mainblock",
	[MODE_MAINEXIT] = "mainexit",
};

static sem_t tid_known;
static pid_t thread_tid;

/* The second thread of mainblock and mainexit: it inherited the main
 * thread's mask, and takes SIGCHLD out of it. */
static void *unblocking_thread(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	thread_tid = (pid_t)syscall(SYS_gettid);
	sem_post(&tid_known);
	helper_pause_forever();
}

static void start_unblocking_thread(void)
{
	pthread_t t;
	int rc;

	if (sem_init(&tid_known, 0, 0) < 0)
		err(1, "sem_init");
	rc = pthread_create(&t, NULL, unblocking_thread, NULL);
	if (rc) {
		errno = rc;
		err(1, "pthread_create");
	}
	while (sem_wait(&tid_known) < 0 && errno == EINTR)
		;
}

static void on_sigchld(int sig)
{
	/* Catching is the point: a handler that does not wait still leaves
	 * zombies, unlike SIG_IGN. Each delivery is logged on stdout so a
	 * test can see a SIGCHLD that zfind --signal-parents sent. */
	static const char line[] = "sigchld\n";
	ssize_t r;

	(void)sig;
	r = write(STDOUT_FILENO, line, sizeof(line) - 1);
	(void)r;
}

/* Arrange SIGCHLD for the mode before any child exists, so no exit can
 * slip in under the old disposition. */
static void setup_sigchld(enum mode mode)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	switch (mode) {
	case MODE_BLOCK:
	case MODE_MAINBLOCK:
	case MODE_MAINEXIT:
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
			err(1, "sigprocmask");
		return;
	case MODE_IGNORE:
		sa.sa_handler = SIG_IGN;
		break;
	case MODE_CATCH:
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_RESTART;
		break;
	default:
		/* nowait and stop keep SIG_DFL, whatever our parent left us. */
		sa.sa_handler = SIG_DFL;
		break;
	}
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		err(1, "sigaction");
}

int main(int argc, char **argv)
{
	static pid_t kids[MAX_CHILDREN];
	enum mode mode = MODE_NOWAIT;
	size_t m;
	long n, i;
	int found = 0;

	if (argc != 3)
		helper_usage(USAGE);
	for (m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++) {
		if (!strcmp(argv[1], mode_names[m])) {
			mode = (enum mode)m;
			found = 1;
		}
	}
	if (!found || helper_parse_long(argv[2], 0, MAX_CHILDREN, &n) < 0)
		helper_usage(USAGE);

	helper_init();
	setup_sigchld(mode);
	if (mode == MODE_MAINBLOCK || mode == MODE_MAINEXIT)
		start_unblocking_thread();

	/* Nothing is buffered yet, and the children never touch stdio. */
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			err(1, "fork");
		if (kids[i] == 0)
			_exit(0);
	}

	/* Only report what is true: each child must be a zombie (or, when
	 * ignored, gone) before "ready". We hold every zombie, so its PID
	 * cannot be reused while we look at it. */
	for (i = 0; i < n; i++) {
		if (helper_wait_state(kids[i], mode == MODE_IGNORE ? 0 : 'Z',
				      EXIT_TIMEOUT_MS) < 0)
			errx(1, "child %d did not exit within %d ms", (int)kids[i],
			     EXIT_TIMEOUT_MS);
	}

	printf("parent %d\n", (int)getpid());
	for (i = 0; i < n; i++)
		printf("%s %d\n", mode == MODE_IGNORE ? "child" : "zombie", (int)kids[i]);
	if (thread_tid) {
		/* Asleep in pause() before "ready", so a test finds it so. */
		if (helper_wait_state(thread_tid, 'S', EXIT_TIMEOUT_MS) < 0)
			errx(1, "thread %d did not sleep within %d ms", (int)thread_tid,
			     EXIT_TIMEOUT_MS);
		printf("thread %d\n", (int)thread_tid);
	}
	helper_ready();

	if (mode == MODE_STOP)
		raise(SIGSTOP);
	if (mode == MODE_MAINEXIT)
		pthread_exit(NULL);
	helper_pause_forever();
}
