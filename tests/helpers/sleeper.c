/* sleeper [threads N | uid U]: a plain process asleep in S state, for tests
 * that need a known, well-behaved target. With "threads N" it first starts
 * N more threads that pause too, so the process has N + 1 tasks under
 * /proc/PID/task for thread counting and per-thread reads. With "uid U" (as
 * root) it sets all its uids and gids to U without exec, as a daemon's worker
 * does: the kernel then marks it non-dumpable, and its /proc files (not its
 * directory) are owned by root.
 *
 * Output: "pid PID", then "ready" once every thread sleeps in pause().
 * Then pause until killed.
 */
#include <pthread.h>
#include <semaphore.h>
#include <grp.h>
#include <sys/syscall.h>

#include "helper.h"

#define USAGE "[threads N | uid U]"
#define MAX_THREADS 10000
/* Idle threads need little stack; the 8 MiB default would reserve 80 GiB
 * of address space for MAX_THREADS and trip overcommit limits. */
#define THREAD_STACK (64 * 1024)
#define SLEEP_TIMEOUT_MS 5000

static pid_t tids[MAX_THREADS];
static sem_t started;

static void *idle_thread(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	sem_post(&started);
	helper_pause_forever();
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t t;
	long n = 0, i, uid = -1;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "threads")) {
		if (helper_parse_long(argv[2], 0, MAX_THREADS, &n) < 0)
			helper_usage(USAGE);
	} else if (argc == 3 && !strcmp(argv[1], "uid")) {
		if (helper_parse_long(argv[2], 1, 65535, &uid) < 0)
			helper_usage(USAGE);
	} else if (argc != 1) {
		helper_usage(USAGE);
	}
	if (uid > 0 && (setgroups(0, NULL) < 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
			setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0))
		err(1, "cannot become uid %ld", uid);

	helper_init();
	if (sem_init(&started, 0, 0) < 0)
		err(1, "sem_init");
	rc = pthread_attr_init(&attr);
	if (!rc)
		rc = pthread_attr_setstacksize(&attr, THREAD_STACK);
	if (rc) {
		errno = rc;
		err(1, "pthread_attr");
	}
	for (i = 0; i < n; i++) {
		rc = pthread_create(&t, &attr, idle_thread, &tids[i]);
		if (rc) {
			errno = rc;
			err(1, "pthread_create");
		}
	}
	pthread_attr_destroy(&attr);
	/* A new thread is R until it reaches pause(); tests that count
	 * sleeping tasks must not see that. */
	for (i = 0; i < n; i++) {
		while (sem_wait(&started) < 0 && errno == EINTR)
			;
	}
	for (i = 0; i < n; i++) {
		if (helper_wait_state(tids[i], 'S', SLEEP_TIMEOUT_MS) < 0)
			errx(1, "thread %d did not sleep within %d ms", (int)tids[i],
			     SLEEP_TIMEOUT_MS);
	}

	printf("pid %d\n", (int)getpid());
	helper_ready();
	helper_pause_forever();
}
