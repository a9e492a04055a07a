/* vfork-sleeper [-t] SECS [HEXNAME]: a parent stuck in D state behind a vfork child.
 *
 * A vfork parent waits in the kernel (wait_for_vfork_done, TASK_KILLABLE)
 * until its child execs or exits, so it shows state D with wchan in the
 * clone path for as long as the child lives: a real, harmless D task that
 * any user can make, for tools that explain D states. The child comes from
 * clone(CLONE_VM | CLONE_VFORK | SIGCHLD) on its own mmap'd stack, exactly
 * what vfork() and posix_spawn() do, and sleeps SECS seconds (fractions
 * allowed; 3600 for tests that kill it).
 *
 * Output: "parent PID" (from the parent, before the clone), then "child
 * PID" and "ready" written by the child while the parent is blocked. After
 * the child exits the parent reaps it and pauses until killed. With HEXNAME
 * the parent first renames itself (prctl PR_SET_NAME) to those bytes: a D
 * task with a hostile name.
 *
 * With -t the vfork is made by a second thread while the main thread
 * sleeps in S: a D task that is not its process's leader. The thread's ID is
 * printed as "thread TID" before the clone.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "helper.h"

#define USAGE "[-t] SECS [HEXNAME]"
#define MAX_SECS 1e9
#define CHILD_STACK (256 * 1024)

static struct timespec child_sleep;
static pid_t parent_pid;

/* Format "KEY PID\n" without stdio or locale: the child runs in the
 * parent's memory, where stdio state and locks belong to the parent. */
static size_t fmt_line(char *buf, const char *key, long v)
{
	char digits[24];
	size_t n = 0, d = 0;

	while (*key)
		buf[n++] = *key++;
	buf[n++] = ' ';
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d)
		buf[n++] = digits[--d];
	buf[n++] = '\n';
	return n;
}

static int child_main(void *arg)
{
	char buf[64];
	size_t n;

	(void)arg;
	/* An hour's sleep must not outlive a killed parent. */
	helper_die_with_parent(parent_pid);
	/* getpid() is a real system call since glibc 2.25: no cached value
	 * of the parent's PID. */
	n = fmt_line(buf, "child", (long)syscall(SYS_getpid));
	memcpy(buf + n, "ready\n", 6);
	n += 6;
	if (write(STDOUT_FILENO, buf, n) != (ssize_t)n)
		_exit(1);
	helper_sleep(&child_sleep);
	_exit(0);
}

/* Clone the vfork child and reap it; then pause. Runs in the main thread,
 * or in a second one with -t. */
static void *vfork_and_wait(void *arg)
{
	void *stack;
	pid_t kid;
	int status;

	(void)arg;
	stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		err(1, "mmap");
	/* The child writes to fd 1 directly; our buffer must be empty first
	 * or "ready" could overtake the lines before it. */
	if (fflush(stdout) == EOF)
		err(1, "stdout");

	parent_pid = getpid();
	/* The stack grows down on x86_64: pass its top. */
	kid = clone(child_main, (char *)stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD,
		    NULL);
	if (kid < 0)
		err(1, "clone");

	while (waitpid(kid, &status, 0) < 0) {
		if (errno != EINTR)
			err(1, "waitpid");
	}
	munmap(stack, CHILD_STACK);
	helper_pause_forever();
}

static void *thread_main(void *arg)
{
	printf("thread %ld\n", (long)syscall(SYS_gettid));
	return vfork_and_wait(arg);
}

int main(int argc, char **argv)
{
	bool threaded = argc > 1 && !strcmp(argv[1], "-t");
	pthread_t th;
	char name[65];
	int e;

	argc -= threaded;
	argv += threaded;
	if (argc < 2 || argc > 3 || helper_parse_secs(argv[1], MAX_SECS, &child_sleep) < 0 ||
	    (argc == 3 && helper_decode_hex(argv[2], name, sizeof(name) - 1) < 0))
		helper_usage(USAGE);
	if (argc == 3 && prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
		err(1, "prctl");

	helper_init();
	printf("parent %d\n", (int)getpid());
	if (!threaded)
		vfork_and_wait(NULL);
	e = pthread_create(&th, NULL, thread_main, NULL);
	if (e) {
		errno = e;
		err(1, "pthread_create");
	}
	helper_pause_forever();
}
