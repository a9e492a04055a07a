/* Unit tests of lib/pidstat.c: stat_parse, status_parse, cmdline_join,
 * state_meaning and sigmask_has, on real lines from this kind of kernel and
 * on hostile and cut-short text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidstat.h"
#include "tap.h"

/* A real /proc/self/stat of `cat` (kernel 6.18): all 52 fields. */
static const char real_stat[] =
	"14314 (cat) R 14305 14305 22710 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 69221 "
	"3133440 373 18446744073709551615 94326158626816 94326158646697 140721644547040 0 0 "
	"0 0 0 0 0 0 0 17 0 0 0 0 0 0 94326158662704 94326158664320 94326678294528 "
	"140721644554881 140721644554901 140721644554901 140721644556267 0\n";

/* A real /proc/1/stat (a container's init), with tpgid -1 and ppid 0. */
static const char real_stat_init[] =
	"1 (process_api) S 0 0 0 0 -1 4194560 58072 7587631 0 692 388 1741 9961 18346 20 0 14 "
	"0 30 46374912 3387 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0\n";

static int parse(const char *s, struct proc_stat *st)
{
	return stat_parse(s, strlen(s), st);
}

/* "PID (COMM) S" followed by fields 4..last, field k holding 1000 + k, so a
 * field stored into the wrong member shows. */
static void numbered_stat(char *buf, size_t size, const char *head, int last)
{
	size_t n = (size_t)snprintf(buf, size, "%s", head);

	for (int k = 4; k <= last && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, " %d", 1000 + k);
	if (n < size)
		snprintf(buf + n, size - n, "\n");
}

static void test_stat_real(void)
{
	struct proc_stat st;

	is_int(parse(real_stat, &st), 0, "stat: real 52-field line of cat parses");
	is_int(st.nfields, 52, "stat: real line reports 52 fields");
	is_int(st.pid, 14314, "stat: real line pid");
	is_str(st.comm, "cat", "stat: real line comm");
	is_int(st.comm_len, 3, "stat: real line comm_len");
	is_int(st.state, 'R', "stat: real line state R");
	is_int(st.ppid, 14305, "stat: real line ppid");
	is_int(st.pgrp, 14305, "stat: real line pgrp");
	is_int(st.session, 22710, "stat: real line session");
	is_int(st.tty_nr, 0, "stat: real line tty_nr");
	is_int(st.tpgid, -1, "stat: real line tpgid is -1");
	is_int(st.flags, 4194304, "stat: real line flags");
	is_u64(st.minflt, 100, "stat: real line minflt");
	is_int(st.priority, 20, "stat: real line priority");
	is_int(st.nice, 0, "stat: real line nice");
	is_int(st.num_threads, 1, "stat: real line num_threads");
	is_u64(st.starttime, 69221, "stat: real line starttime");
	is_u64(st.vsize, 3133440, "stat: real line vsize");
	is_int(st.rss, 373, "stat: real line rss");
	is_u64(st.rsslim, UINT64_MAX, "stat: real line rsslim is RLIM_INFINITY");
	is_u64(st.startcode, 94326158626816ULL, "stat: real line startcode");
	is_u64(st.startstack, 140721644547040ULL, "stat: real line startstack");
	is_int(st.exit_signal, 17, "stat: real line exit_signal SIGCHLD");
	is_u64(st.start_data, 94326158662704ULL, "stat: real line start_data (field 45)");
	is_u64(st.env_end, 140721644556267ULL, "stat: real line env_end (field 51)");
	is_int(st.exit_code, 0, "stat: real line exit_code (field 52)");

	is_int(parse(real_stat_init, &st), 0, "stat: real init line parses");
	is_str(st.comm, "process_api", "stat: init comm with underscore");
	is_int(st.state, 'S', "stat: init state S");
	is_int(st.ppid, 0, "stat: init ppid 0");
	is_u64(st.cminflt, 7587631, "stat: init cminflt");
	is_int(st.cutime, 9961, "stat: init cutime");
	is_int(st.num_threads, 14, "stat: init num_threads");
	is_u64(st.sigignore, 4096, "stat: init sigignore");
	is_u64(st.sigcatch, 1256, "stat: init sigcatch");
	is_int(st.processor, 0, "stat: init processor");
	is_int(st.nfields, 52, "stat: init 52 fields");
}

static void test_stat_field_order(void)
{
	char buf[1024];
	struct proc_stat st;

	numbered_stat(buf, sizeof(buf), "77 (num) S", 52);
	is_int(parse(buf, &st), 0, "stat: numbered 52-field line parses");
	is_int(st.ppid, 1004, "stat: field 4 is ppid");
	is_int(st.pgrp, 1005, "stat: field 5 is pgrp");
	is_int(st.session, 1006, "stat: field 6 is session");
	is_int(st.tty_nr, 1007, "stat: field 7 is tty_nr");
	is_int(st.tpgid, 1008, "stat: field 8 is tpgid");
	is_int(st.flags, 1009, "stat: field 9 is flags");
	is_u64(st.minflt, 1010, "stat: field 10 is minflt");
	is_u64(st.cminflt, 1011, "stat: field 11 is cminflt");
	is_u64(st.majflt, 1012, "stat: field 12 is majflt");
	is_u64(st.cmajflt, 1013, "stat: field 13 is cmajflt");
	is_u64(st.utime, 1014, "stat: field 14 is utime");
	is_u64(st.stime, 1015, "stat: field 15 is stime");
	is_int(st.cutime, 1016, "stat: field 16 is cutime");
	is_int(st.cstime, 1017, "stat: field 17 is cstime");
	is_int(st.priority, 1018, "stat: field 18 is priority");
	is_int(st.nice, 1019, "stat: field 19 is nice");
	is_int(st.num_threads, 1020, "stat: field 20 is num_threads");
	is_int(st.itrealvalue, 1021, "stat: field 21 is itrealvalue");
	is_u64(st.starttime, 1022, "stat: field 22 is starttime");
	is_u64(st.vsize, 1023, "stat: field 23 is vsize");
	is_int(st.rss, 1024, "stat: field 24 is rss");
	is_u64(st.rsslim, 1025, "stat: field 25 is rsslim");
	is_u64(st.startcode, 1026, "stat: field 26 is startcode");
	is_u64(st.endcode, 1027, "stat: field 27 is endcode");
	is_u64(st.startstack, 1028, "stat: field 28 is startstack");
	is_u64(st.kstkesp, 1029, "stat: field 29 is kstkesp");
	is_u64(st.kstkeip, 1030, "stat: field 30 is kstkeip");
	is_u64(st.signal, 1031, "stat: field 31 is signal");
	is_u64(st.blocked, 1032, "stat: field 32 is blocked");
	is_u64(st.sigignore, 1033, "stat: field 33 is sigignore");
	is_u64(st.sigcatch, 1034, "stat: field 34 is sigcatch");
	is_u64(st.wchan, 1035, "stat: field 35 is wchan");
	is_u64(st.nswap, 1036, "stat: field 36 is nswap");
	is_u64(st.cnswap, 1037, "stat: field 37 is cnswap");
	is_int(st.exit_signal, 1038, "stat: field 38 is exit_signal");
	is_int(st.processor, 1039, "stat: field 39 is processor");
	is_u64(st.rt_priority, 1040, "stat: field 40 is rt_priority");
	is_u64(st.policy, 1041, "stat: field 41 is policy");
	is_u64(st.delayacct_blkio_ticks, 1042, "stat: field 42 is delayacct_blkio_ticks");
	is_u64(st.guest_time, 1043, "stat: field 43 is guest_time");
	is_int(st.cguest_time, 1044, "stat: field 44 is cguest_time");
	is_u64(st.start_data, 1045, "stat: field 45 is start_data");
	is_u64(st.end_data, 1046, "stat: field 46 is end_data");
	is_u64(st.start_brk, 1047, "stat: field 47 is start_brk");
	is_u64(st.arg_start, 1048, "stat: field 48 is arg_start");
	is_u64(st.arg_end, 1049, "stat: field 49 is arg_end");
	is_u64(st.env_start, 1050, "stat: field 50 is env_start");
	is_u64(st.env_end, 1051, "stat: field 51 is env_end");
	is_int(st.exit_code, 1052, "stat: field 52 is exit_code");

	/* A kernel of the 3.x era (before 3.3) stops at cguest_time. */
	numbered_stat(buf, sizeof(buf), "77 (old) S", 44);
	is_int(parse(buf, &st), 0, "stat: 3.x-era 44-field line parses");
	is_int(st.nfields, 44, "stat: 3.x-era line reports 44 fields");
	is_int(st.cguest_time, 1044, "stat: 3.x-era line keeps cguest_time");
	is_u64(st.start_data, 0, "stat: 3.x-era line leaves start_data zero");
	is_int(st.exit_code, 0, "stat: 3.x-era line leaves exit_code zero");

	/* A future kernel with more fields than we know: the rest is ignored. */
	numbered_stat(buf, sizeof(buf), "77 (new) S", 55);
	is_int(parse(buf, &st), 0, "stat: 55-field line from a newer kernel parses");
	is_int(st.nfields, 52, "stat: newer kernel line counts the 52 known fields");
	is_int(st.exit_code, 1052, "stat: newer kernel line keeps exit_code");

	/* Exactly up to starttime (22) is enough; one short of it is not. */
	numbered_stat(buf, sizeof(buf), "77 (cut) S", 22);
	is_int(parse(buf, &st), 0, "stat: line ending at field 22 (starttime) parses");
	is_int(st.nfields, 22, "stat: line ending at field 22 reports 22 fields");
	is_u64(st.starttime, 1022, "stat: line ending at field 22 keeps starttime");
	numbered_stat(buf, sizeof(buf), "77 (cut) S", 21);
	is_int(parse(buf, &st), -EINVAL, "stat: line cut before field 22 is -EINVAL");
	numbered_stat(buf, sizeof(buf), "77 (cut) S", 10);
	is_int(parse(buf, &st), -EINVAL, "stat: line cut at field 10 is -EINVAL");

	/* Without the trailing newline (a read cut at the end of the data). */
	numbered_stat(buf, sizeof(buf), "77 (nonl) S", 52);
	buf[strlen(buf) - 1] = '\0';
	is_int(parse(buf, &st), 0, "stat: 52 fields without trailing newline parse");
	is_int(st.exit_code, 1052, "stat: last field without newline is read");
	/* Trailing space before the newline, as some kernels printed. */
	numbered_stat(buf, sizeof(buf), "77 (sp) S", 44);
	strcpy(buf + strlen(buf) - 1, " \n");
	is_int(parse(buf, &st), 0, "stat: trailing space before newline accepted");
	is_int(st.nfields, 44, "stat: trailing space adds no field");
}

static void test_stat_comm(void)
{
	char buf[1024];
	struct proc_stat st;

	numbered_stat(buf, sizeof(buf), "5 (a) R 1 (b) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm \"a) R 1 (b\" parses");
	is_str(st.comm, "a) R 1 (b", "stat: comm taken up to the LAST ')'");
	is_int(st.comm_len, 9, "stat: comm_len of \"a) R 1 (b\"");
	is_int(st.state, 'S', "stat: state after a comm holding \") R 1 (\"");
	is_int(st.ppid, 1004, "stat: ppid after a comm holding \") R 1 (\"");

	numbered_stat(buf, sizeof(buf),
		      "5 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (y) D",
		      30);
	is_int(parse(buf, &st), 0, "stat: comm that fakes a whole stat line parses");
	is_int(st.state, 'D', "stat: fake-stat comm: real state after last ')'");
	is_int(st.ppid, 1004, "stat: fake-stat comm: real ppid");

	numbered_stat(buf, sizeof(buf), "5 (my prog  x) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm with spaces parses");
	is_str(st.comm, "my prog  x", "stat: comm with spaces kept whole");

	numbered_stat(buf, sizeof(buf), "5 (a\nb) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm with a newline parses");
	is_str(st.comm, "a\nb", "stat: comm newline kept raw");
	is_int(st.ppid, 1004, "stat: comm newline does not end the record");

	numbered_stat(buf, sizeof(buf), "5 (\033[31mred\033]0;t\007) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm with ESC sequences parses");
	is_str(st.comm, "\033[31mred\033]0;t\007", "stat: comm ESC bytes kept raw (escaped later)");

	numbered_stat(buf, sizeof(buf), "5 () Z", 52);
	is_int(parse(buf, &st), 0, "stat: empty comm parses");
	is_str(st.comm, "", "stat: empty comm");
	is_int(st.comm_len, 0, "stat: empty comm_len 0");
	is_int(st.state, 'Z', "stat: state after empty comm");

	numbered_stat(buf, sizeof(buf), "5 ()) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm \")\" parses");
	is_str(st.comm, ")", "stat: comm \")\"");

	numbered_stat(buf, sizeof(buf), "5 (() S", 52);
	is_int(parse(buf, &st), 0, "stat: comm \"(\" parses");
	is_str(st.comm, "(", "stat: comm \"(\"");

	numbered_stat(buf, sizeof(buf), "5 (\xc3\xa9\xff\x9b) S", 52);
	is_int(parse(buf, &st), 0, "stat: comm with UTF-8 and invalid bytes parses");
	is_mem(st.comm, st.comm_len, "\xc3\xa9\xff\x9b", 4, "stat: comm high bytes kept raw");

	/* The kernel's comm is at most 15 bytes; a longer one (a saved tree, a
	 * future kernel) is cut to the buffer, still NUL-terminated. */
	{
		char head[160];

		memset(head, 0, sizeof(head));
		memcpy(head, "5 (", 3);
		memset(head + 3, 'x', 100);
		strcat(head, ") S");
		numbered_stat(buf, sizeof(buf), head, 52);
		is_int(parse(buf, &st), 0, "stat: 100-byte comm parses");
		is_int(st.comm_len, sizeof(st.comm) - 1, "stat: 100-byte comm cut to 63 bytes");
		is_int(strlen(st.comm), sizeof(st.comm) - 1, "stat: cut comm is NUL-terminated");
		is_int(st.ppid, 1004, "stat: fields after a long comm still parsed");
	}
}

static void test_stat_malformed(void)
{
	char buf[1024];
	struct proc_stat st;

	is_int(stat_parse("", 0, &st), -EINVAL, "stat: empty text is -EINVAL");
	is_int(parse("\n", &st), -EINVAL, "stat: lone newline is -EINVAL");
	is_int(parse("5", &st), -EINVAL, "stat: pid only is -EINVAL");
	is_int(parse("5 (abc", &st), -EINVAL, "stat: cut in the middle of COMM is -EINVAL");
	is_int(parse("5 (", &st), -EINVAL, "stat: cut right after '(' is -EINVAL");
	is_int(parse("5 (a) R 1 (b", &st), -EINVAL,
	       "stat: cut inside a comm holding \") R 1 (\" is -EINVAL");
	is_int(parse("5 (a)", &st), -EINVAL, "stat: cut right after COMM is -EINVAL");
	is_int(parse("5 (a) R", &st), -EINVAL, "stat: cut after state is -EINVAL");
	is_int(parse("5 (a) R\n", &st), -EINVAL, "stat: state then newline is -EINVAL");

	numbered_stat(buf, sizeof(buf), "0 (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: pid 0 is -EINVAL");
	numbered_stat(buf, sizeof(buf), "-5 (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: negative pid is -EINVAL");
	numbered_stat(buf, sizeof(buf), "2147483648 (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: pid past INT_MAX is -EINVAL");
	numbered_stat(buf, sizeof(buf), "2147483647 (a) S", 52);
	is_int(parse(buf, &st), 0, "stat: pid INT_MAX accepted");
	numbered_stat(buf, sizeof(buf), "x (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: non-numeric pid is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5(a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: no space between pid and '(' is -EINVAL");
	numbered_stat(buf, sizeof(buf), " 5 (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: leading space is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5 x (a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: junk between pid and COMM is -EINVAL");
	numbered_stat(buf, sizeof(buf), "(a) S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: missing pid is -EINVAL");

	numbered_stat(buf, sizeof(buf), "5 (a)  ", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: blank state is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5 (a) RS", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: two-letter state is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5 (a)S", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: no space after ')' is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5 (a) \x01", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: control byte state is -EINVAL");
	numbered_stat(buf, sizeof(buf), "5 (a) \x7f", 52);
	is_int(parse(buf, &st), -EINVAL, "stat: DEL state is -EINVAL");

	is_int(parse("5 (a) S x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st), -EINVAL,
	       "stat: non-numeric ppid is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 abc 19\n", &st), -EINVAL,
	       "stat: non-numeric field 21 is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19x\n", &st), -EINVAL,
	       "stat: digits then letters in starttime is -EINVAL");
	is_int(parse("5 (a) S 1  2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st), -EINVAL,
	       "stat: empty field (two spaces) is -EINVAL");
	is_int(parse("5 (a) S 1\t2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st), -EINVAL,
	       "stat: tab as separator is -EINVAL");
	is_int(parse("5 (a) S 99999999999 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st),
	       -EINVAL, "stat: overflowing ppid 99999999999 is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 4294967296 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st),
	       -EINVAL, "stat: flags past UINT_MAX is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 4294967295 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st),
	       0, "stat: flags UINT_MAX accepted");
	is_int(st.flags, 4294967295u, "stat: flags UINT_MAX stored");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
		     "18446744073709551616\n", &st),
	       -EINVAL, "stat: starttime past UINT64_MAX is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
		     "18446744073709551615\n", &st),
	       0, "stat: starttime UINT64_MAX accepted");
	is_u64(st.starttime, UINT64_MAX, "stat: starttime UINT64_MAX stored");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -9223372036854775809 17 18 19\n",
		     &st), -EINVAL, "stat: nice below INT64_MIN is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 -6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st),
	       -EINVAL, "stat: negative flags (unsigned 32-bit) is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -2 -20 17 18 19\n", &st), 0,
	       "stat: negative priority and nice accepted");
	is_int(st.priority, -2, "stat: negative priority (RT) stored");
	is_int(st.nice, -20, "stat: negative nice stored");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 "
		     "26 -1\n", &st), 0, "stat: -1 in an unsigned field (zombie kstkeip) accepted");
	is_u64(st.kstkeip, UINT64_MAX, "stat: -1 in an unsigned field is all ones");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 -\n", &st), -EINVAL,
	       "stat: lone '-' in an unsigned field is -EINVAL");
	is_int(parse("5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\r\n", &st),
	       -EINVAL, "stat: CR before newline is -EINVAL");

	/* Bytes past len must not be read: the caller may hand a buffer that
	 * holds more (or is not NUL-terminated at len). Here the text goes on
	 * with digits right after the cut inside starttime. */
	{
		const char *s = "5 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 69221 7 8\n";
		const char *cut = strstr(s, "69221") + 2;
		int r;

		r = stat_parse(s, (size_t)(cut - s), &st);
		ok(r == -EINVAL || (r == 0 && st.starttime == 69 && st.nfields == 22),
		   "stat: a number cut at len is not continued from bytes past len");
	}
	/* After a failure nothing half-parsed may be mistaken for data: at
	 * least the pid must not have been left from an earlier call. */
	parse(real_stat, &st);
	parse("5 (abc", &st);
	is_int(st.nfields, 0, "stat: failed parse (no ')') leaves nfields 0");
}

static const char real_status[] =
	"Name:\tcat\n"
	"Umask:\t0022\n"
	"State:\tR (running)\n"
	"Tgid:\t14346\n"
	"Ngid:\t0\n"
	"Pid:\t14346\n"
	"PPid:\t14333\n"
	"TracerPid:\t0\n"
	"Uid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\n"
	"FDSize:\t256\n"
	"Groups:\t \n"
	"NStgid:\t14346\n"
	"NSpid:\t14346\n"
	"NSpgid:\t14333\n"
	"NSsid:\t22710\n"
	"Kthread:\t0\n"
	"VmPeak:\t    3060 kB\n"
	"VmSize:\t    3060 kB\n"
	"VmLck:\t       0 kB\n"
	"VmPin:\t       0 kB\n"
	"VmHWM:\t    1620 kB\n"
	"VmRSS:\t    1620 kB\n"
	"RssAnon:\t     112 kB\n"
	"RssFile:\t    1508 kB\n"
	"RssShmem:\t       0 kB\n"
	"VmData:\t     360 kB\n"
	"VmStk:\t     132 kB\n"
	"VmExe:\t      20 kB\n"
	"VmLib:\t    1528 kB\n"
	"VmPTE:\t      44 kB\n"
	"VmSwap:\t       0 kB\n"
	"HugetlbPages:\t    4096 kB\n"
	"CoreDumping:\t0\n"
	"THP_enabled:\t1\n"
	"untag_mask:\t0xffffffffffffffff\n"
	"Threads:\t1\n"
	"SigQ:\t1/96365\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\tfffffffe7ffbfeff\n"
	"SigIgn:\t0000000000001000\n"
	"SigCgt:\t00000001800044eb\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001fffeffffff\n"
	"CapEff:\t000001fffeffffff\n"
	"CapBnd:\t000001fffeffffff\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t0\n"
	"Seccomp:\t0\n"
	"Seccomp_filters:\t0\n"
	"Speculation_Store_Bypass:\tvulnerable\n"
	"SpeculationIndirectBranch:\talways enabled\n"
	"Cpus_allowed:\t3\n"
	"Cpus_allowed_list:\t0-1\n"
	"Mems_allowed:\t00000000,00000001\n"
	"Mems_allowed_list:\t0\n"
	"voluntary_ctxt_switches:\t12\n"
	"nonvoluntary_ctxt_switches:\t3\n";

static int sparse(const char *s, struct proc_status *st)
{
	return status_parse(s, strlen(s), st);
}

static void test_status_real(void)
{
	struct proc_status st;
	unsigned all = STF_STATE | STF_TGID | STF_PPID | STF_UID | STF_GID | STF_THREADS |
		       STF_SIGPND | STF_SHDPND | STF_SIGBLK | STF_SIGIGN | STF_SIGCGT |
		       STF_VMSIZE | STF_VMRSS | STF_RSSANON | STF_RSSFILE | STF_RSSSHMEM |
		       STF_VMSWAP | STF_VMPTE | STF_VCSW | STF_NVCSW | STF_TRACER | STF_NSPID |
		       STF_PID | STF_VMHWM | STF_VMPEAK | STF_HUGETLB;

	is_int(sparse(real_status, &st), 0, "status: real file parses");
	is_int(st.has, all, "status: real file sets every known bit");
	is_int(st.state, 'R', "status: State R (running)");
	is_int(st.tgid, 14346, "status: Tgid");
	is_int(st.pid, 14346, "status: Pid");
	is_int(st.ppid, 14333, "status: PPid");
	is_int(st.tracer_pid, 0, "status: TracerPid");
	is_int(st.uid[0], 0, "status: real uid");
	is_int(st.threads, 1, "status: Threads");
	is_u64(st.sigblk, 0xfffffffe7ffbfeffULL, "status: SigBlk hex mask");
	is_u64(st.sigign, 0x1000, "status: SigIgn hex mask");
	is_u64(st.sigcgt, 0x1800044ebULL, "status: SigCgt hex mask");
	ok(sigmask_has(st.sigign, 13), "status: SigIgn 0x1000 holds SIGPIPE (13)");
	ok(!sigmask_has(st.sigign, 12), "status: SigIgn 0x1000 does not hold signal 12");
	ok(sigmask_has(st.sigcgt, 33), "status: SigCgt holds signal 33");
	is_u64(st.vmpeak, 3060 * 1024, "status: VmPeak in bytes");
	is_u64(st.vmsize, 3060 * 1024, "status: VmSize in bytes");
	is_u64(st.vmhwm, 1620 * 1024, "status: VmHWM in bytes");
	is_u64(st.vmrss, 1620 * 1024, "status: VmRSS kB suffix turned into bytes");
	is_u64(st.rssanon, 112 * 1024, "status: RssAnon in bytes");
	is_u64(st.rssfile, 1508 * 1024, "status: RssFile in bytes");
	is_u64(st.rssshmem, 0, "status: RssShmem zero is known zero");
	is_u64(st.vmpte, 44 * 1024, "status: VmPTE in bytes");
	is_u64(st.vmswap, 0, "status: VmSwap zero");
	is_u64(st.hugetlb, 4096ull * 1024, "status: HugetlbPages in bytes");
	is_u64(st.vcsw, 12, "status: voluntary_ctxt_switches");
	is_u64(st.nvcsw, 3, "status: nonvoluntary_ctxt_switches");
	is_int(st.nspid_inner, 14346, "status: NSpid with one level");
}

static void test_status_hostile(void)
{
	struct proc_status st;

	is_int(sparse("", &st), -EINVAL, "status: empty text is -EINVAL (no Name:)");
	is_int(sparse("Pid:\t5\nPPid:\t1\n", &st), -EINVAL, "status: no Name: line is -EINVAL");
	is_int(sparse("Name:\tx\n", &st), 0, "status: Name: alone parses");
	is_int(st.has, 0, "status: missing keys leave every bit unset");
	is_int(sparse("Name:\tx", &st), 0, "status: Name: without newline parses");
	is_int(sparse("XName:\tx\n", &st), -EINVAL, "status: XName: is not Name:");
	is_int(sparse("Pid:\t5\nName:\tlast\n", &st), 0, "status: Name: on a later line");
	ok(st.has & STF_PID, "status: key before Name: still read");

	sparse("Name:\tx\nVmRSS:\t 1234 kB\nVmSize:\t12\n", &st);
	ok(st.has & STF_VMRSS, "status: VmRSS with kB set");
	ok(!(st.has & STF_VMSIZE), "status: VmSize without kB suffix leaves bit unset");
	ok(!(st.has & STF_PID), "status: absent Pid leaves bit unset");
	ok(!(st.has & STF_VMSWAP), "status: absent VmSwap leaves bit unset (not zero)");
	sparse("Name:\tx\nVmRSS:\t12 MB\n", &st);
	ok(!(st.has & STF_VMRSS), "status: VmRSS in MB leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t12 kB extra\n", &st);
	ok(!(st.has & STF_VMRSS), "status: VmRSS with text after kB leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t12kB\n", &st);
	ok(!(st.has & STF_VMRSS), "status: VmRSS 12kB without space leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t-12 kB\n", &st);
	ok(!(st.has & STF_VMRSS), "status: negative VmRSS leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t kB\n", &st);
	ok(!(st.has & STF_VMRSS), "status: VmRSS without a number leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t18014398509481984 kB\n", &st);
	ok(!(st.has & STF_VMRSS), "status: VmRSS overflowing bytes (2^54 kB) leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t18014398509481983 kB\n", &st);
	ok(st.has & STF_VMRSS, "status: VmRSS of 2^54-1 kB still fits");
	is_u64(st.vmrss, 18014398509481983ULL * 1024, "status: VmRSS of 2^54-1 kB in bytes");
	sparse("Name:\tx\nVmRSS:\t12 kB", &st);
	ok(st.has & STF_VMRSS, "status: cut after the kB of the last line still parses");
	sparse("Name:\tx\nVmRSS:\t12 k", &st);
	ok(!(st.has & STF_VMRSS), "status: cut inside the kB suffix leaves bit unset");
	sparse("Name:\tx\nVmRSS:\t12", &st);
	ok(!(st.has & STF_VMRSS), "status: cut before the kB suffix leaves bit unset");

	sparse("Name:\tx\nPid:\tabc\nPPid:\t12x\nTgid:\t\n", &st);
	ok(!(st.has & (STF_PID | STF_PPID | STF_TGID)),
	   "status: non-numeric, trailing junk and empty ints leave bits unset");
	sparse("Name:\tx\nPid:\t2147483648\nPPid:\t-1\n", &st);
	ok(!(st.has & STF_PID), "status: Pid past INT_MAX leaves bit unset");
	sparse("Name:\tx\nPid:\t5\r\n", &st);
	ok(!(st.has & STF_PID), "status: Pid with CR leaves bit unset");
	sparse("Name:\tx\nPid :\t5\nPidx:\t6\npid:\t7\n", &st);
	ok(!(st.has & STF_PID), "status: near-miss keys are not Pid");
	sparse("Name:\tx\nPid\t5\n", &st);
	ok(!(st.has & STF_PID), "status: key without colon ignored");
	sparse("Name:\tx\nPid:5\n", &st);
	ok(st.has & STF_PID, "status: value right after the colon accepted");
	is_int(st.pid, 5, "status: value right after the colon");

	sparse("Name:\tx\nState:\tZ (zombie)\n", &st);
	is_int(st.state, 'Z', "status: State Z (zombie)");
	sparse("Name:\tx\nState:\t\n", &st);
	ok(!(st.has & STF_STATE), "status: empty State leaves bit unset");
	sparse("Name:\tx\nState:\t\033[2J\n", &st);
	ok(!(st.has & STF_STATE), "status: ESC as State leaves bit unset");

	sparse("Name:\tx\nSigCgt:\t0000000000004A02\n", &st);
	is_u64(st.sigcgt, 0x4a02, "status: upper-case hex mask accepted");
	ok(sigmask_has(st.sigcgt, 2) && sigmask_has(st.sigcgt, 10) &&
	   sigmask_has(st.sigcgt, 12) && sigmask_has(st.sigcgt, 15),
	   "status: SigCgt 0x4a02 holds INT, USR1, USR2, TERM");
	sparse("Name:\tx\nSigCgt:\tffffffffffffffff\n", &st);
	is_u64(st.sigcgt, UINT64_MAX, "status: 16 hex f's is all signals");
	ok(sigmask_has(st.sigcgt, 64), "status: signal 64 in a full mask");
	sparse("Name:\tx\nSigCgt:\t1ffffffffffffffff\n", &st);
	ok(!(st.has & STF_SIGCGT), "status: 17 hex digits leaves bit unset");
	sparse("Name:\tx\nSigCgt:\t0x10\n", &st);
	ok(!(st.has & STF_SIGCGT), "status: 0x prefix leaves bit unset");
	sparse("Name:\tx\nSigCgt:\t00g0\n", &st);
	ok(!(st.has & STF_SIGCGT), "status: non-hex digit leaves bit unset");
	sparse("Name:\tx\nSigCgt:\t\n", &st);
	ok(!(st.has & STF_SIGCGT), "status: empty mask leaves bit unset");
	sparse("Name:\tx\nSigCgt:\t1\n", &st);
	is_u64(st.sigcgt, 1, "status: a short mask is accepted");
	ok(!sigmask_has(1, 0) && !sigmask_has(UINT64_MAX, 65) && !sigmask_has(UINT64_MAX, -1),
	   "status: sigmask_has refuses signals 0, 65, -1");

	sparse("Name:\tx\nUid:\t1000\t1001\t1002\t1003\n", &st);
	ok(st.has & STF_UID, "status: Uid with 4 ids sets the bit");
	ok(st.uid[0] == 1000 && st.uid[1] == 1001 && st.uid[2] == 1002 && st.uid[3] == 1003,
	   "status: Uid real, effective, saved, fs in order");
	sparse("Name:\tx\nGid:\t4294967295\t0\t0\t0\n", &st);
	is_u64(st.gid[0], 4294967295u, "status: Gid UINT_MAX (overflow gid) accepted");
	sparse("Name:\tx\nUid:\t1\t2\t3\n", &st);
	ok(!(st.has & STF_UID), "status: Uid with 3 ids leaves bit unset");
	sparse("Name:\tx\nUid:\t1\t2\t3\t4\t5\n", &st);
	ok(!(st.has & STF_UID), "status: Uid with 5 ids leaves bit unset");
	sparse("Name:\tx\nUid:\t1\t2\t-3\t4\n", &st);
	ok(!(st.has & STF_UID), "status: negative Uid leaves bit unset");
	sparse("Name:\tx\nUid:\t4294967296\t0\t0\t0\n", &st);
	ok(!(st.has & STF_UID), "status: Uid past UINT_MAX leaves bit unset");
	sparse("Name:\tx\nUid:\t1\t2\t3\t4x\n", &st);
	ok(!(st.has & STF_UID), "status: Uid with trailing junk leaves bit unset");
	sparse("Name:\tx\nUid:\t1 2  3\t4\n", &st);
	ok(st.has & STF_UID, "status: Uid separated by spaces accepted");

	sparse("Name:\tx\nNSpid:\t4242\t17\t1\n", &st);
	ok(st.has & STF_NSPID, "status: NSpid with three levels sets the bit");
	is_int(st.nspid_inner, 1, "status: NSpid inner PID is the last one");
	sparse("Name:\tx\nNSpid:\t4242\t17\n", &st);
	is_int(st.nspid_inner, 17, "status: NSpid with two levels");
	sparse("Name:\tx\nNSpid:\t4242\t0\n", &st);
	ok(!(st.has & STF_NSPID), "status: NSpid with a 0 leaves bit unset");
	sparse("Name:\tx\nNSpid:\t4242\tx\n", &st);
	ok(!(st.has & STF_NSPID), "status: NSpid with junk leaves bit unset");
	sparse("Name:\tx\nNSpid:\t\n", &st);
	ok(!(st.has & STF_NSPID), "status: empty NSpid leaves bit unset");
	sparse("Name:\tx\nNSpid:\t4242\t99999999999\n", &st);
	ok(!(st.has & STF_NSPID), "status: NSpid past INT_MAX leaves bit unset");
	{
		/* 32 nested namespaces (MAX_PID_NS_LEVEL) with 7-digit PIDs:
		 * a 255-byte value. */
		char buf[512];
		size_t n = (size_t)snprintf(buf, sizeof(buf), "Name:\tx\nNSpid:");

		for (int i = 0; i < 32; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\t%d", 4194000 + i);
		snprintf(buf + n, sizeof(buf) - n, "\n");
		sparse(buf, &st);
		ok(!(st.has & STF_NSPID) || st.nspid_inner == 4194031,
		   "status: NSpid of 32 levels gives the innermost PID or nothing");
	}

	sparse("Name:\tx\nThreads:\t-1\n", &st);
	is_int(st.threads, -1, "status: Threads is signed");
	sparse("Name:\tx\nvoluntary_ctxt_switches:\t18446744073709551615\n", &st);
	is_u64(st.vcsw, UINT64_MAX, "status: ctxt switches UINT64_MAX");
	sparse("Name:\tx\nvoluntary_ctxt_switches:\t18446744073709551616\n", &st);
	ok(!(st.has & STF_VCSW), "status: ctxt switches overflow leaves bit unset");

	sparse("Name:\tx\nPid:\t5\nPid:\tjunk\n", &st);
	ok((st.has & STF_PID) && st.pid == 5,
	   "status: a later malformed duplicate keeps the first");
	{
		static const char nul[] = "Name:\tx\nPid:\t5\0\nPPid:\t7\n";

		status_parse(nul, sizeof(nul) - 1, &st);
		is_int(st.ppid, 7, "status: the line after an embedded NUL is read");
	}
	{
		/* A line far longer than any real one. */
		char buf[4096];

		memset(buf, 0, sizeof(buf));
		strcpy(buf, "Name:\tx\nPid:\t");
		memset(buf + strlen(buf), '7', 3000);
		strcat(buf, "\nPPid:\t9\n");
		sparse(buf, &st);
		ok(!(st.has & STF_PID), "status: a 3000-digit Pid leaves bit unset");
		is_int(st.ppid, 9, "status: line after a 3000-byte line is read");
	}
	/* The length bounds the parse: a status cut in the middle of a value
	 * must not read the rest from the buffer. */
	{
		const char *s = "Name:\tx\nPid:\t12345\n";

		status_parse(s, strlen(s) - 4, &st);
		is_int(st.pid, 12, "status: value cut at len is not read past len");
	}
}

static void test_cmdline_join(void)
{
	char b1[] = "sleep\0" "100\0";
	char b2[] = "a\0\0b\0";
	char b3[] = "\0\0\0";
	char b4[] = "abc\0";
	char b5[] = "x";
	char b6[] = "ls\0-l\0\n\0";
	size_t n;

	n = cmdline_join(b1, sizeof(b1) - 1);
	is_int(n, 9, "cmdline_join: two args give length 9");
	is_str(b1, "sleep 100", "cmdline_join: args joined by a space, trailing NUL dropped");
	n = cmdline_join(b2, sizeof(b2) - 1);
	is_int(n, 4, "cmdline_join: empty middle argument kept");
	is_str(b2, "a  b", "cmdline_join: empty argument is a double space");
	n = cmdline_join(b3, sizeof(b3) - 1);
	is_int(n, 0, "cmdline_join: only NULs is empty");
	is_str(b3, "", "cmdline_join: only NULs gives an empty string");
	n = cmdline_join(b4, 3);
	is_int(n, 3, "cmdline_join: no trailing NUL (rewritten argv) keeps length");
	is_str(b4, "abc", "cmdline_join: no trailing NUL is NUL-terminated");
	n = cmdline_join(b5, 0);
	is_int(n, 0, "cmdline_join: length 0 gives 0");
	is_str(b5, "", "cmdline_join: length 0 writes the terminator");
	n = cmdline_join(b6, sizeof(b6) - 1);
	is_mem(b6, n, "ls -l \n", 7, "cmdline_join: newline argument kept raw (escaped later)");
}

static void test_state_meaning(void)
{
	const char *known = "RSDITtZXPKWx";

	for (const char *p = known; *p; p++)
		ok(state_meaning(*p) != NULL, "state_meaning: '%c' has a meaning", *p);
	is_str(state_meaning('D'), "uninterruptible sleep (usually I/O)",
	       "state_meaning: D is uninterruptible sleep");
	is_str(state_meaning('Z'), "zombie: exited, not reaped by its parent",
	       "state_meaning: Z is zombie");
	is_str(state_meaning('I'), "idle kernel thread (not in load)", "state_meaning: I is idle");
	ok(state_meaning('Q') == NULL, "state_meaning: unknown letter Q is NULL");
	ok(state_meaning('r') == NULL, "state_meaning: lower-case r is NULL");
	ok(state_meaning('\0') == NULL, "state_meaning: NUL is NULL");
	ok(state_meaning('\033') == NULL, "state_meaning: ESC is NULL");
}

int main(void)
{
	test_stat_real();
	test_stat_field_order();
	test_stat_comm();
	test_stat_malformed();
	test_status_real();
	test_status_hostile();
	test_cmdline_join();
	test_state_meaning();
	return done_testing();
}
