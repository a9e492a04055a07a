/* reaped-writer steps FILE MIB... | autoreap FILE MIB MIB | loop FILE MIB
 * COUNT: storage writes done by children that their parent reaps.
 *
 * When a parent reaps a child, the kernel adds all of the child's I/O
 * counters to the parent's /proc/PID/io (as it does for cutime and
 * cstime). A tool that takes deltas of that file sees the child's writes,
 * those of its whole life, land on the parent at the moment of the reap.
 * Every write here is O_DIRECT, so write_bytes counts exactly the bytes
 * written, when they are written; all but the first rewrite FILE in place
 * (a growing file would dirty some metadata too).
 *
 *   steps  the parent forks one child, which writes the first MIB MiB to
 *          FILE (created) before "ready"; then, at each SIGUSR1 it gets,
 *          the next MIB MiB ("wrote MIB" once done). After the last step
 *          it exits, and the parent reaps it at once ("reaped PID").
 *          Prints "parent PID", "child PID", "ready".
 *   autoreap  the same with two steps, but the parent ignores SIGCHLD,
 *          so the kernel reaps the child itself and adds nothing to the
 *          parent: at SIGUSR1 the child exits ("gone PID" once it has),
 *          and the parent then writes the second MIB MiB ("wrote MIB").
 *   loop   the parent writes MIB MiB to FILE (created) and prints "parent
 *          PID" and "ready"; at SIGUSR1 it runs COUNT children one after
 *          the other, as a shell loop would, each rewriting those MIB MiB
 *          in chunks of 256 KiB with a short pause between chunks (so that
 *          a child is alive with part of its writes done at most times),
 *          and reaping each before the next; then "done".
 *
 * Then the parent pauses until killed (kill the process group).
 */
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper.h"

#define USAGE "steps FILE MIB... | autoreap FILE MIB MIB | loop FILE MIB COUNT"
#define MIB (1024 * 1024)
#define CHUNK (256 * 1024)
#define MAX_MIB 1024
#define MAX_COUNT 100000

static const struct timespec chunk_pause = { 0, 10000000 };	/* loop children */
static void *buf;

/* Write mib MiB at the start of fd, pausing after each chunk but the last
 * when pause is set. System calls only: a child of ours calls it too. */
static int write_mib(int fd, long mib, int pause)
{
	for (off_t off = 0; off < (off_t)mib * MIB; off += CHUNK) {
		if (pwrite(fd, buf, CHUNK, off) != CHUNK)
			return -1;
		if (pause && off + CHUNK < (off_t)mib * MIB)
			helper_sleep(&chunk_pause);
	}
	return 0;
}

/* Tell the test something from a child, which must not use our stdio. */
static void child_say(const char *what, long n)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "%s %ld\n", what, n);

	if (write(STDOUT_FILENO, line, (size_t)len) != len)
		_exit(1);
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwait(&set, &sig) != 0)
		_exit(1);
}

static void reap(pid_t kid)
{
	int status;

	if (waitpid(kid, &status, 0) != kid)
		err(1, "waitpid %d", (int)kid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "child %d failed (status 0x%x)", (int)kid, status);
}

/* steps, and autoreap when autoreap is set (n is then 2). */
static void steps(int fd, const long *mib, int n, int autoreap)
{
	pid_t self = getpid(), kid;
	int p[2];
	char c;

	if (pipe(p) < 0)
		err(1, "pipe");
	kid = fork();
	if (kid < 0)
		err(1, "fork");
	if (kid == 0) {
		helper_die_with_parent(self);
		close(p[0]);
		if (write_mib(fd, mib[0], 0) < 0 || write(p[1], "", 1) != 1)
			_exit(1);
		for (int i = 1; i < n; i++) {
			wait_usr1();
			if (autoreap)
				_exit(0);
			if (write_mib(fd, mib[i], 0) < 0)
				_exit(1);
			child_say("wrote", mib[i]);
		}
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		errx(1, "child %d did not write", (int)kid);
	printf("parent %d\nchild %d\n", (int)self, (int)kid);
	helper_ready();
	if (!autoreap) {
		reap(kid);
		printf("reaped %d\n", (int)kid);
		return;
	}
	/* Ignoring SIGCHLD, waitpid waits for the child to be gone and then
	 * fails: there is nothing left to reap. */
	if (waitpid(kid, NULL, 0) >= 0 || errno != ECHILD)
		errx(1, "child %d was not reaped by the kernel", (int)kid);
	printf("gone %d\n", (int)kid);
	if (write_mib(fd, mib[1], 0) < 0)
		err(1, "write");
	printf("wrote %ld\n", mib[1]);
}

static void loop(int fd, long mib, long count)
{
	pid_t self = getpid();

	if (write_mib(fd, mib, 0) < 0)
		err(1, "write");
	printf("parent %d\n", (int)self);
	helper_ready();
	wait_usr1();
	for (long i = 0; i < count; i++) {
		pid_t kid = fork();

		if (kid < 0)
			err(1, "fork");
		if (kid == 0) {
			helper_die_with_parent(self);
			_exit(write_mib(fd, mib, 1) < 0);
		}
		reap(kid);
	}
	printf("done\n");
}

int main(int argc, char **argv)
{
	long mib[64], count = 0;
	int is_loop = argc > 1 && !strcmp(argv[1], "loop"), n = is_loop ? 1 : argc - 3, fd;
	int autoreap = argc > 1 && !strcmp(argv[1], "autoreap");
	sigset_t set;

	if (argc < 4 || (!is_loop && !autoreap && strcmp(argv[1], "steps")) ||
	    (is_loop && argc != 5) || (autoreap && argc != 5) ||
	    n > (int)(sizeof(mib) / sizeof(mib[0])))
		helper_usage(USAGE);
	for (int i = 0; i < n; i++)
		if (helper_parse_long(argv[3 + i], 1, MAX_MIB, &mib[i]) < 0)
			helper_usage(USAGE);
	if (is_loop && helper_parse_long(argv[4], 1, MAX_COUNT, &count) < 0)
		helper_usage(USAGE);
	helper_init();
	/* SIGUSR1 stays blocked for sigwait, in the children too. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (autoreap && signal(SIGCHLD, SIG_IGN) == SIG_ERR))
		err(1, "signals");
	if (posix_memalign(&buf, 4096, CHUNK))
		errx(1, "out of memory");
	memset(buf, 'w', CHUNK);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0)
		err(1, "%s (O_DIRECT)", argv[2]);
	if (count)
		loop(fd, mib[0], count);
	else
		steps(fd, mib, n, autoreap);
	fflush(stdout);
	helper_pause_forever();
}
