/* Shared pieces of the live-test scenario helpers in tests/helpers/.
 *
 * Each helper builds one real kernel situation (a zombie, a D task, a
 * hostile comm...) and reports the PIDs involved on stdout as "KEY PID"
 * lines followed by "ready". Tests read up to "ready", assert, and kill the
 * whole scenario with kill -- -PGID, which is why every helper makes itself
 * a process group leader first. A test killed before it can do that leaves
 * nothing behind either: every helper, and every child of one that lives
 * on, dies with its parent (helper_die_with_parent). The helpers do not
 * link lib/libprocdx.a:
 * they must stay independent of the code they are used to test, so the few
 * things they share live here as static inline functions.
 */
#ifndef PROCDX_TEST_HELPER_H
#define PROCDX_TEST_HELPER_H

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

/* Ask for SIGKILL when the parent dies, so that nothing outlives a test
 * that was killed before it could clean up. parent is our parent as seen
 * before the request: if it died before the request took effect, we were
 * already reparented and no signal will come, so we exit. For children of
 * a helper, which share its stdio buffers: only system calls and _exit. */
static inline void helper_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(1);
}

/* Line-buffer stdout so each "KEY PID" line reaches the test at once, and
 * lead a new process group so the test can kill everything we create. A
 * session leader cannot change its group but already leads one. Our own
 * process group keeps a terminal's ^C away from us, so we also die with
 * the shell that started us. */
static inline void helper_init(void)
{
	pid_t parent = getppid();

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setpgid(0, 0) < 0 && getpgrp() != getpid())
		err(1, "setpgid");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		err(1, "prctl PR_SET_PDEATHSIG");
	if (getppid() != parent)
		errx(1, "parent %d exited at our start", (int)parent);
}

static inline void __attribute__((noreturn)) helper_usage(const char *args)
{
	fprintf(stderr, "usage: %s%s%s\n", program_invocation_short_name, *args ? " " : "", args);
	exit(2);
}

/* Print "ready" and make sure it left the process: a test blocked on it
 * must never wait for a buffer to fill. */
static inline void helper_ready(void)
{
	if (printf("ready\n") < 0 || fflush(stdout) == EOF)
		err(1, "stdout");
}

static inline void __attribute__((noreturn)) helper_pause_forever(void)
{
	/* Caught signals (SIGCHLD with a handler) return from pause(). */
	for (;;)
		pause();
}

/* Parse a whole decimal string into [min, max]. Returns 0 or -1. */
static inline int helper_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol skips leading blanks and takes a sign; an argument is digits. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parse "SECS" or "SECS.FRACTION" (at most max seconds) into a timespec.
 * Only digits and one dot are taken, so strtod's "inf", "0x1p3" and
 * exponents are refused. Returns 0 or -1. */
static inline int helper_parse_secs(const char *s, double max, struct timespec *out)
{
	const char *p;
	int dots = 0, digits = 0;
	char *end;
	double v;

	for (p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p >= '0' && *p <= '9')
			digits++;
		else
			return -1;
	}
	if (dots > 1 || !digits)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || v < 0 || v > max)
		return -1;
	out->tv_sec = (time_t)v;
	out->tv_nsec = (long)((v - (double)out->tv_sec) * 1e9);
	if (out->tv_nsec > 999999999)
		out->tv_nsec = 999999999;
	return 0;
}

/* Sleep the whole of *ts even when signal handlers interrupt us. */
static inline void helper_sleep(const struct timespec *ts)
{
	struct timespec left = *ts;

	while (nanosleep(&left, &left) < 0 && errno == EINTR)
		;
}

/* The state letter of PID from /proc/PID/stat, and its parent in *ppid.
 * Returns 0 when the process is gone. */
static inline char helper_proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	int fd;
	long pp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The comm can hold ") " itself (hostile-name sets such names), so
	 * the fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return 0;
	pp = strtol(p + 4, NULL, 10);
	*ppid = (pid_t)pp;
	return p[2];
}

/* Wait up to timeout_ms for task PID (a child, or one of our threads) to
 * reach state want, or with want 0 for our child PID to be gone. A PID
 * that now belongs to someone else's process counts as gone: our child was
 * reaped and the number reused. Returns 0, or -1 on timeout. */
static inline int helper_wait_state(pid_t pid, char want, int timeout_ms)
{
	const struct timespec tick = { 0, 1000000 };
	pid_t ppid = 0;
	int i;

	for (i = 0; i < timeout_ms; i++) {
		char st = helper_proc_state(pid, &ppid);

		if (want && st == want)
			return 0;
		if (!want && (!st || ppid != getpid()))
			return 0;
		/* A caught SIGCHLD may cut the tick short; that is harmless. */
		nanosleep(&tick, NULL);
	}
	return -1;
}

static inline int helper_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into name (max bytes, plus a NUL). Returns 0, or -1 for odd
 * length, a bad digit, a 00 byte or a name over max bytes. Names given as
 * hex can hold any byte a hostile process name could. */
static inline int helper_decode_hex(const char *hex, char *name, size_t max)
{
	size_t len = strlen(hex), i;

	if (len % 2 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = helper_hexval(hex[2 * i]);
		int lo = helper_hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -1;
		name[i] = (char)(hi << 4 | lo);
	}
	name[len / 2] = '\0';
	return 0;
}

#endif
