/* leader-exit: a live process whose thread group leader has exited.
 *
 * When the main thread calls pthread_exit() while another thread runs, the
 * leader becomes a zombie but the process lives on: /proc/PID/stat says Z
 * for a process that must not be reported (or "reaped") as a zombie, and
 * only /proc/PID/task/TID shows the thread still sleeping. Tools have to
 * look at the other threads before calling PID dead.
 *
 * With "uid U" (as root) the surviving thread alone takes uid and gid U
 * (the raw system calls change the calling thread's credentials only):
 * the exited leader keeps uid 0, the process now runs as U.
 *
 * Output: "pid PID", "tid TID" (the sleeping thread), "ready". Then the
 * main thread exits; the process stays until killed.
 */
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>

#include "helper.h"

#define SLEEP_TIMEOUT_MS 5000

static sem_t tid_known;
static pid_t sleeper_tid;
static long uid = -1;

static void *sleeper(void *arg)
{
	(void)arg;
	if (uid >= 0 && (syscall(SYS_setresgid, uid, uid, uid) < 0 ||
			 syscall(SYS_setresuid, uid, uid, uid) < 0))
		err(1, "cannot take uid %ld", uid);
	sleeper_tid = (pid_t)syscall(SYS_gettid);
	sem_post(&tid_known);
	helper_pause_forever();
}

int main(int argc, char **argv)
{
	pthread_t t;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "uid")) {
		if (helper_parse_long(argv[2], 0, 65535, &uid) < 0)
			helper_usage("[uid U]");
	} else if (argc != 1) {
		helper_usage("[uid U]");
	}

	helper_init();
	if (sem_init(&tid_known, 0, 0) < 0)
		err(1, "sem_init");
	rc = pthread_create(&t, NULL, sleeper, NULL);
	if (rc) {
		errno = rc;
		err(1, "pthread_create");
	}
	while (sem_wait(&tid_known) < 0 && errno == EINTR)
		;
	/* Let the survivor reach pause() first, so a test that looks right
	 * after "ready" finds it asleep rather than running. */
	if (helper_wait_state(sleeper_tid, 'S', SLEEP_TIMEOUT_MS) < 0)
		errx(1, "thread %d did not sleep within %d ms", (int)sleeper_tid,
		     SLEEP_TIMEOUT_MS);

	printf("pid %d\n", (int)getpid());
	printf("tid %d\n", (int)sleeper_tid);
	/* Flushed before the leader goes: the exit path of one thread does
	 * not flush stdio, and the test waits for this line. */
	helper_ready();
	pthread_exit(NULL);
}
