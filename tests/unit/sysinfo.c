/* Unit tests of lib/sysinfo.c: sysstat_parse (/proc/stat), uptime_parse
 * and loadavg_parse, on real text and on hostile and cut-short text. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"
#include "tap.h"

/* /proc/stat of this two-CPU machine, the intr and softirq lines trimmed. */
static const char real_stat[] =
	"cpu  5731 0 22716 107491 1357 0 113 668 0 0\n"
	"cpu0 2495 0 11232 54801 116 0 48 337 0 0\n"
	"cpu1 3235 0 11484 52689 1240 0 64 331 0 0\n"
	"intr 294033 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 13\n"
	"ctxt 813549\n"
	"btime 1700000000\n"
	"processes 14467\n"
	"procs_running 2\n"
	"procs_blocked 1\n"
	"softirq 169012 0 31233 4 16337 0 0 25 56042 0 65371\n";

/* sysstat_parse wants the text NUL-terminated at len: the helper passes
 * strlen, so the terminator is there. */
static int sparse(const char *s, struct sys_stat *st)
{
	return sysstat_parse(s, strlen(s), st);
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_sysstat(void)
{
	struct sys_stat st;

	is_int(sparse(real_stat, &st), 0, "sysstat: real /proc/stat parses");
	is_u64(st.cpu.user, 5731, "sysstat: cpu user");
	is_u64(st.cpu.nice, 0, "sysstat: cpu nice");
	is_u64(st.cpu.system, 22716, "sysstat: cpu system");
	is_u64(st.cpu.idle, 107491, "sysstat: cpu idle");
	is_u64(st.cpu.iowait, 1357, "sysstat: cpu iowait");
	is_u64(st.cpu.softirq, 113, "sysstat: cpu softirq");
	is_u64(st.cpu.steal, 668, "sysstat: cpu steal");
	is_int(st.cpu.nfields, 10, "sysstat: cpu line has 10 fields");
	is_int(st.ncpus, 2, "sysstat: two cpuN lines counted");
	is_u64(st.ctxt, 813549, "sysstat: ctxt");
	is_u64(st.btime, 1700000000, "sysstat: btime");
	is_u64(st.processes, 14467, "sysstat: processes");
	is_int(st.procs_running, 2, "sysstat: procs_running");
	is_int(st.procs_blocked, 1, "sysstat: procs_blocked");

	/* The contract: buf[len] is the NUL. */
	is_int(sysstat_parse(real_stat, strlen(real_stat) - 1, &st), -EINVAL,
	       "sysstat: text not NUL-terminated at len is -EINVAL");
	is_int(sysstat_parse("", 0, &st), -EINVAL, "sysstat: empty text is -EINVAL");
	is_int(st.procs_running, -1, "sysstat: failed parse leaves procs_running -1");
	is_int(sparse("ctxt 5\nbtime 6\n", &st), -EINVAL, "sysstat: no cpu line is -EINVAL");
	is_int(sparse("cpu0 1 2 3 4\n", &st), -EINVAL, "sysstat: only cpu0 line is -EINVAL");
	is_int(sparse("cpu 1 2 3\n", &st), -EINVAL, "sysstat: cpu line with 3 fields is -EINVAL");
	is_int(sparse("cpu 1 2 3 4\n", &st), 0, "sysstat: cpu line with 4 fields (2.4 era) parses");
	is_int(st.cpu.nfields, 4, "sysstat: 4-field cpu line reports 4");
	is_u64(st.cpu.idle, 4, "sysstat: 4-field cpu line idle");
	is_u64(st.cpu.iowait, 0, "sysstat: 4-field cpu line leaves iowait zero");
	is_int(st.procs_running, -1, "sysstat: absent procs_running is -1");
	is_int(st.procs_blocked, -1, "sysstat: absent procs_blocked is -1");
	is_int(st.ncpus, 0, "sysstat: no cpuN lines gives ncpus 0");
	is_int(sparse("cpu  1 2 3 4 5 6 7 8 9 10 11 12\n", &st), 0,
	       "sysstat: cpu line with 12 fields (a newer kernel) parses");
	is_int(st.cpu.nfields, 10, "sysstat: extra cpu fields are ignored");
	is_u64(st.cpu.guest_nice, 10, "sysstat: guest_nice is field 10");
	is_int(sparse("cpu  1 2 x 4 5\n", &st), -EINVAL,
	       "sysstat: non-numeric cpu field is -EINVAL");
	is_int(sparse("cpu  1 2 -3 4 5\n", &st), -EINVAL, "sysstat: negative cpu field is -EINVAL");
	is_int(sparse("cpu  1 2 3 18446744073709551616\n", &st), -EINVAL,
	       "sysstat: overflowing cpu field is -EINVAL");
	is_int(sparse("cpu  1 2 3 18446744073709551615\n", &st), 0,
	       "sysstat: cpu field UINT64_MAX accepted");
	is_int(sparse("cpu  1 2 3 4", &st), 0, "sysstat: cut after a complete cpu line parses");
	is_int(sparse("cpu  1 2 3", &st), -EINVAL, "sysstat: cut inside the cpu line is -EINVAL");
	is_int(sparse("cpu  1 2 3\n4 5 6\n", &st), -EINVAL,
	       "sysstat: cpu fields do not continue on the next line");
	is_int(sparse("cpu\t1 2 3 4\n", &st), -EINVAL,
	       "sysstat: tab after cpu is not the cpu line");
	is_int(sparse("xcpu 1 2 3 4\n", &st), -EINVAL, "sysstat: xcpu is not the cpu line");
	is_int(sparse("cpu  1 2 3 4\ncpu0 1\ncpu12 1\ncpux 1\ncpu\n", &st), 0,
	       "sysstat: cpuN lines of any number counted");
	is_int(st.ncpus, 2, "sysstat: cpu0 and cpu12 counted, cpux and cpu not");
	is_int(sparse("cpu  1 2 3 4\nctxtx 5\nctxt\nbtime x\nprocs_running 18446744073709551616\n",
		      &st), 0, "sysstat: malformed keyed lines are skipped");
	is_u64(st.ctxt, 0, "sysstat: ctxtx is not ctxt");
	is_u64(st.btime, 0, "sysstat: non-numeric btime ignored");
	is_int(st.procs_running, -1, "sysstat: overflowing procs_running stays -1");
	is_int(sparse("ctxt 9\n\n\ncpu  1 2 3 4\n", &st), 0, "sysstat: blank lines skipped");
	is_u64(st.ctxt, 9, "sysstat: ctxt before the cpu line read");
	{
		/* An embedded NUL: nothing after it on that line is read, and
		 * the next line still is. */
		static const char nul[] = "cpu  1 2 3 4\nctxt 5\0 6\nbtime 7\n";

		is_int(sysstat_parse(nul, sizeof(nul) - 1, &st), 0, "sysstat: embedded NUL parses");
		is_u64(st.ctxt, 5, "sysstat: ctxt before an embedded NUL");
		is_u64(st.btime, 7, "sysstat: line after an embedded NUL read");
	}
	{
		static const char nul[] = "\0cpu  1 2 3 4\n";

		is_int(sysstat_parse(nul, sizeof(nul) - 1, &st), -EINVAL,
		       "sysstat: NUL before cpu hides that line");
	}
	{
		/* A second "cpu " line (a corrupt or concatenated file) must not
		 * leave a zeroed total behind a success. */
		int r = sparse("cpu  1 2 3 4\ncpu  x\n", &st);

		ok(r < 0 || st.cpu.idle == 4,
		   "sysstat: bad second cpu line keeps the first or fails");
	}
}

static void test_uptime(void)
{
	double up = -1, idle = -1;

	is_int(uptime_parse("692.21 1074.90\n", &up, &idle), 0, "uptime: real line parses");
	ok(near(up, 692.21), "uptime: seconds since boot 692.21");
	ok(near(idle, 1074.90), "uptime: idle seconds 1074.90 (may exceed uptime)");
	is_int(uptime_parse("692.21 1074.90\n", &up, NULL), 0, "uptime: idle may be NULL");
	is_int(uptime_parse("12\n", &up, &idle), 0, "uptime: integer without idle parses");
	ok(near(up, 12) && idle == 0, "uptime: missing idle is 0");
	is_int(uptime_parse("0.5", &up, &idle), 0, "uptime: no newline parses");
	ok(near(up, 0.5), "uptime: 0.5");
	is_int(uptime_parse("1.123456789123 0", &up, &idle), 0,
	       "uptime: more than 9 decimals parses");
	ok(near(up, 1.123456789), "uptime: decimals past 9 dropped");
	is_int(uptime_parse("18446744073709551615.99 1", &up, &idle), 0,
	       "uptime: UINT64_MAX seconds parses");
	is_int(uptime_parse("18446744073709551616 1", &up, &idle), -EINVAL,
	       "uptime: overflowing seconds is -EINVAL");
	is_int(uptime_parse("", &up, &idle), -EINVAL, "uptime: empty is -EINVAL");
	is_int(uptime_parse("\n", &up, &idle), -EINVAL, "uptime: lone newline is -EINVAL");
	is_int(uptime_parse("abc", &up, &idle), -EINVAL, "uptime: letters is -EINVAL");
	is_int(uptime_parse("-5 3", &up, &idle), -EINVAL, "uptime: negative is -EINVAL");
	is_int(uptime_parse(".5 3", &up, &idle), -EINVAL, "uptime: no integer part is -EINVAL");
	is_int(uptime_parse(" 5 3", &up, &idle), -EINVAL, "uptime: leading space is -EINVAL");
	is_int(uptime_parse("5 x", &up, &idle), -EINVAL, "uptime: non-numeric idle is -EINVAL");
	is_int(uptime_parse("5 ", &up, &idle), -EINVAL, "uptime: cut after the space is -EINVAL");
}

static void test_loadavg(void)
{
	struct loadavg la;

	is_int(loadavg_parse("18.24 40.83 19.86 2/88 14315\n", &la), 0,
	       "loadavg: real line parses");
	ok(near(la.load[0], 18.24), "loadavg: 1-minute load");
	ok(near(la.load[1], 40.83), "loadavg: 5-minute load");
	ok(near(la.load[2], 19.86), "loadavg: 15-minute load");
	is_int(la.running, 2, "loadavg: running threads");
	is_int(la.total, 88, "loadavg: total threads");
	is_int(la.last_pid, 14315, "loadavg: last pid");
	is_int(loadavg_parse("0.00 0.00 0.00 1/1 1", &la), 0, "loadavg: no newline parses");
	is_int(la.last_pid, 1, "loadavg: last pid without newline");
	is_int(loadavg_parse("1 2 3 4/5 6\n", &la), 0, "loadavg: integers without fraction parse");
	ok(near(la.load[2], 3), "loadavg: integer load");

	is_int(loadavg_parse("", &la), -EINVAL, "loadavg: empty is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 1/1\n", &la), -EINVAL,
	       "loadavg: missing last pid is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 1/1 ", &la), -EINVAL,
	       "loadavg: cut after the space is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00", &la), -EINVAL, "loadavg: loads only is -EINVAL");
	is_int(loadavg_parse("0.00 0.00", &la), -EINVAL, "loadavg: two loads only is -EINVAL");
	is_int(loadavg_parse("0.00\t0.00 0.00 1/1 1\n", &la), -EINVAL, "loadavg: tab is -EINVAL");
	is_int(loadavg_parse("0.00  0.00 0.00 1/1 1\n", &la), -EINVAL,
	       "loadavg: double space is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 1 1\n", &la), -EINVAL,
	       "loadavg: missing '/' is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 1/ 1\n", &la), -EINVAL,
	       "loadavg: missing total is -EINVAL");
	is_int(loadavg_parse("-1.00 0.00 0.00 1/1 1\n", &la), -EINVAL,
	       "loadavg: negative load is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 -1/1 1\n", &la), -EINVAL,
	       "loadavg: negative running is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 1/1 9223372036854775808\n", &la), -EINVAL,
	       "loadavg: last pid past INT64_MAX is -EINVAL");
	is_int(loadavg_parse("0.00 0.00 0.00 9223372036854775807/1 1\n", &la), 0,
	       "loadavg: running INT64_MAX accepted");
	is_int(loadavg_parse("0.00 0.00 0.00 99999999999999999999/1 1\n", &la), -EINVAL,
	       "loadavg: overflowing running is -EINVAL");
	is_int(loadavg_parse("a b c d/e f\n", &la), -EINVAL, "loadavg: letters are -EINVAL");
}

int main(void)
{
	test_sysstat();
	test_uptime();
	test_loadavg();
	return done_testing();
}
