/* Unit tests of lib/pidfd.c: pidfd_refused, the targets never signalled,
 * on stat and status parsed from text. An init of a PID namespace is PID 1
 * only in its own namespace: seen from outside it has an ordinary PID, and
 * only the last NSpid field of its status says what it is. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pidfd.h"
#include "pidstat.h"
#include "tap.h"

/* A stat line for PID with the flags given (the other fields plausible). */
static void make_stat(int pid, unsigned flags, struct proc_stat *st)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf),
			 "%d (x) S 0 %d %d 0 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 "
			 "18446744073709551615 1 2 3 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			 pid, pid, pid, flags);

	if (stat_parse(buf, (size_t)n, st) < 0)
		fprintf(stderr, "# stat_parse failed on: %s", buf);
}

static void make_status(const char *nspid, struct proc_status *st)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "Name:\tx\nState:\tS (sleeping)\nNSpid:\t%s\n", nspid);

	memset(st, 0, sizeof(*st));
	status_parse(buf, (size_t)n, st);
}

int main(void)
{
	struct proc_status status;
	struct proc_stat st;

	make_stat(4242, 0x400000, &st);
	ok(!pidfd_refused(&st, NULL), "an ordinary process, status unknown: not refused");
	make_status("4242", &status);
	ok(!pidfd_refused(&st, &status), "an ordinary process of our namespace: not refused");
	make_status("4242\t17", &status);
	ok(!pidfd_refused(&st, &status), "PID 17 of a child namespace: not refused");
	make_status("4242\t1", &status);
	ok(pidfd_refused(&st, &status), "PID 1 of a child namespace (its init): refused");
	make_status("4242\t17\t1", &status);
	ok(pidfd_refused(&st, &status), "the init of a grandchild namespace: refused");

	make_stat(1, 0x400100, &st);
	ok(pidfd_refused(&st, NULL), "PID 1, status unknown: refused");
	make_stat(2, 0x00208040, &st);
	ok(pidfd_refused(&st, NULL), "a kernel thread (PF_KTHREAD): refused");
	make_stat((int)getpid(), 0x400000, &st);
	ok(pidfd_refused(&st, NULL), "this process: refused");
	return done_testing();
}
