/* Unit tests of lib/table.c: column selection, sorting, every output format
 * compared byte for byte, summary values, and the fmt_size/fmt_dur
 * helpers. table_print writes to stdout, so each print is captured by
 * pointing fd 1 at a temporary file around it. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "table.h"
#include "tap.h"
#include "util.h"

enum { C_PID, C_COMM, C_RSS, C_TIME, C_LOAD, C_ARGS, C_CNT };

static const struct col cols[] = {
	[C_PID] = { "PID", COL_NUM, CF_LABEL, 0x01, NULL, "process ID" },
	[C_COMM] = { "COMM", COL_TEXT, 0, 0x02, NULL, "command name" },
	[C_RSS] = { "RSS", COL_SIZE, 0, 0x04, NULL, "resident set size" },
	[C_TIME] = { "TIME", COL_DUR, CF_COUNTER, 0x08, NULL, "CPU time" },
	[C_LOAD] = { "LOAD", COL_FLOAT, CF_PREC2, 0x10, "CAP_SYS_ADMIN", "a decimal" },
	[C_ARGS] = { "ARGS", COL_TEXT, CF_TRUNC, 0x20, NULL, "command line" },
	[C_CNT] = { "CNT", COL_NUM, CF_NOPROM, 0x40, NULL, "a number left out of prometheus" },
};

#define DEFAULTS "PID,COMM,RSS,TIME"

/* What a capture prints, and with what. */
struct print_job {
	struct table *t;		/* NULL: table_list_columns */
	struct table *const *ts;	/* a report of n tables, when set */
	size_t n;
	const struct out_opts *o;
	bool stream;			/* table_stream (row 0 on), table_stream_report */
};

/* Run the job's printer with stdout sent to a temporary file, and return
 * what it wrote (caller frees). */
static char *capture_job(const struct print_job *j)
{
	FILE *tmp = tmpfile();
	struct sbuf b = { 0 };
	char chunk[4096];
	ssize_t n;
	int saved;

	if (!tmp) {
		perror("tmpfile");
		exit(99);
	}
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		perror("dup2");
		exit(99);
	}
	if (j->ts && j->stream)
		table_stream_report(j->ts, j->n, j->o);
	else if (j->ts)
		table_print_report(j->ts, j->n, j->o);
	else if (j->t && j->stream)
		table_stream(j->t, j->o, 0);
	else if (j->t)
		table_print(j->t, j->o);
	else
		table_list_columns("test", cols, ARRAY_SIZE(cols), j->o);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lseek(fileno(tmp), 0, SEEK_SET);
	while ((n = read(fileno(tmp), chunk, sizeof(chunk))) > 0)
		sbuf_addn(&b, chunk, (size_t)n);
	fclose(tmp);
	if (!b.s)
		sbuf_addn(&b, "", 0);
	return b.s;
}

/* table_print (or table_list_columns when t is NULL; table_stream from
 * row 0 when stream is set), captured. */
static char *capture_as(struct table *t, const struct out_opts *o, bool stream)
{
	struct print_job j = { .t = t, .o = o, .stream = stream };

	return capture_job(&j);
}

static char *capture(struct table *t, const struct out_opts *o)
{
	return capture_as(t, o, false);
}

/* The three rows every format test prints: known, hostile and unknown
 * cells. */
static struct table *fixture(void)
{
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	size_t r;

	r = table_add_row(t);
	table_set_num(t, r, C_PID, 1);
	table_set_cstr(t, r, C_COMM, "init");
	table_set_size(t, r, C_RSS, 1610612736);	/* 1.5G */
	table_set_dur(t, r, C_TIME, 3723);
	table_set_float(t, r, C_LOAD, 0.5);
	table_set_cstr(t, r, C_ARGS, "/sbin/init splash");
	table_set_num(t, r, C_CNT, 10);

	r = table_add_row(t);
	table_set_num(t, r, C_PID, 42);
	table_set_str(t, r, C_COMM, "a b\"c\033", 6);
	table_set_size(t, r, C_RSS, 512);
	table_set_dur(t, r, C_TIME, 5);
	table_set_cstr(t, r, C_ARGS, "");
	table_set_num(t, r, C_CNT, -3);

	r = table_add_row(t);
	table_set_num(t, r, C_PID, 7);
	table_set_dur(t, r, C_TIME, 183845);	/* 2-03:04:05 */
	table_set_float(t, r, C_LOAD, 12.3456);
	table_set_cstr(t, r, C_ARGS, "-");
	return t;
}

/* Select with o, print, compare; frees nothing of t. A macro, so that a
 * failure names the line of the test, not of this helper. */
static void print_is_at(struct table *t, const struct out_opts *o, const char *want,
			const char *what, int line)
{
	char err[128] = "";
	char *got;

	if (table_select(t, DEFAULTS, o, err, sizeof(err)) < 0) {
		tap_ok(false, __FILE__, line, "%s (table_select failed: %s)", what, err);
		return;
	}
	got = capture(t, o);
	tap_is_str(got, want, __FILE__, line, "%s", what);
	free(got);
}

#define print_is(t, o, want, what) print_is_at(t, o, want, what, __LINE__)

static void test_formats(void)
{
	struct table *t = fixture();
	struct out_opts o = { 0 };

	o.fmt = FMT_TABLE;
	print_is(t, &o,
		 "PID COMM       RSS       TIME\n"
		 "  1 init      1.5G   01:02:03\n"
		 " 42 a b\"c\\x1b 512B      00:05\n"
		 "  7 -            - 2-03:04:05\n",
		 "table: default columns, human sizes, durations, unknown as -");
	o.fmt = FMT_RAW;
	print_is(t, &o,
		 "PID COMM RSS TIME\n"
		 "1 init 1610612736 3723\n"
		 "42 a\\x20b\\x22c\\x1b 512 5\n"
		 "7 - - 183845\n",
		 "raw: bytes, seconds, space and quote escaped, unknown as -");
	o.fmt = FMT_PAIRS;
	print_is(t, &o,
		 "PID=\"1\" COMM=\"init\" RSS=\"1610612736\" TIME=\"3723\"\n"
		 "PID=\"42\" COMM=\"a b\\x22c\\x1b\" RSS=\"512\" TIME=\"5\"\n"
		 "PID=\"7\" COMM=\"-\" RSS=\"-\" TIME=\"183845\"\n",
		 "pairs: quoted values, quote escaped, unknown as \"-\"");
	o.fmt = FMT_JSON;
	print_is(t, &o,
		 "{\n"
		 "  \"procs\": [\n"
		 "    {\"pid\": 1, \"comm\": \"init\", \"rss\": 1610612736, \"time\": 3723},\n"
		 "    {\"pid\": 42, \"comm\": \"a b\\\"c\\\\x1b\", \"rss\": 512, \"time\": 5},\n"
		 "    {\"pid\": 7, \"comm\": null, \"rss\": null, \"time\": 183845}\n"
		 "  ]\n"
		 "}\n",
		 "json: lower-case keys, numbers bare, unknown as null");
	o.fmt = FMT_PROM;
	print_is(t, &o,
		 "# HELP procdx_test_rss_bytes resident set size\n"
		 "# TYPE procdx_test_rss_bytes gauge\n"
		 "procdx_test_rss_bytes{pid=\"1\",comm=\"init\"} 1610612736\n"
		 "procdx_test_rss_bytes{pid=\"42\",comm=\"a b\\\"c\\\\x1b\"} 512\n"
		 "# HELP procdx_test_time_seconds_total CPU time\n"
		 "# TYPE procdx_test_time_seconds_total counter\n"
		 "procdx_test_time_seconds_total{pid=\"1\",comm=\"init\"} 3723\n"
		 "procdx_test_time_seconds_total{pid=\"42\",comm=\"a b\\\"c\\\\x1b\"} 5\n"
		 "procdx_test_time_seconds_total{pid=\"7\"} 183845\n",
		 "prom: labels from text and CF_LABEL, units in names, unknown left out");

	/* Every column: floats, a text column that is not last, "" and "-". */
	o = (struct out_opts){ .all = true };
	o.fmt = FMT_TABLE;
	print_is(t, &o,
		 "PID COMM       RSS       TIME  LOAD ARGS              CNT\n"
		 "  1 init      1.5G   01:02:03  0.50 /sbin/init splash  10\n"
		 " 42 a b\"c\\x1b 512B      00:05     -                    -3\n"
		 "  7 -            - 2-03:04:05 12.35 \\x2d                -\n",
		 "table --output-all: text padded when not last, \"\" empty, \"-\" as \\x2d");
	o.fmt = FMT_RAW;
	print_is(t, &o,
		 "PID COMM RSS TIME LOAD ARGS CNT\n"
		 "1 init 1610612736 3723 0.5 /sbin/init\\x20splash 10\n"
		 "42 a\\x20b\\x22c\\x1b 512 5 - \"\" -3\n"
		 "7 - - 183845 12.3456 \\x2d -\n",
		 "raw --output-all: \"\" for the empty string, \\x2d for a literal -");
	o.fmt = FMT_PAIRS;
	print_is(t, &o,
		 "PID=\"1\" COMM=\"init\" RSS=\"1610612736\" TIME=\"3723\" LOAD=\"0.5\" "
		 "ARGS=\"/sbin/init splash\" CNT=\"10\"\n"
		 "PID=\"42\" COMM=\"a b\\x22c\\x1b\" RSS=\"512\" TIME=\"5\" LOAD=\"-\" ARGS=\"\" "
		 "CNT=\"-3\"\n"
		 "PID=\"7\" COMM=\"-\" RSS=\"-\" TIME=\"183845\" LOAD=\"12.3456\" ARGS=\"\\x2d\" "
		 "CNT=\"-\"\n",
		 "pairs --output-all: empty value, literal - as \\x2d");
	o.fmt = FMT_JSON;
	print_is(t, &o,
		 "{\n"
		 "  \"procs\": [\n"
		 "    {\"pid\": 1, \"comm\": \"init\", \"rss\": 1610612736, \"time\": 3723, "
		 "\"load\": 0.5, \"args\": \"/sbin/init splash\", \"cnt\": 10},\n"
		 "    {\"pid\": 42, \"comm\": \"a b\\\"c\\\\x1b\", \"rss\": 512, \"time\": 5, "
		 "\"load\": null, \"args\": \"\", \"cnt\": -3},\n"
		 "    {\"pid\": 7, \"comm\": null, \"rss\": null, \"time\": 183845, "
		 "\"load\": 12.3456, \"args\": \"-\", \"cnt\": null}\n"
		 "  ]\n"
		 "}\n",
		 "json --output-all: \"\" and \"-\" are plain strings, unknown is null");
	o = (struct out_opts){ .fmt = FMT_PROM, .output = "PID,COMM,RSS,TIME,LOAD,CNT" };
	print_is(t, &o,
		 "# HELP procdx_test_rss_bytes resident set size\n"
		 "# TYPE procdx_test_rss_bytes gauge\n"
		 "procdx_test_rss_bytes{pid=\"1\",comm=\"init\"} 1610612736\n"
		 "procdx_test_rss_bytes{pid=\"42\",comm=\"a b\\\"c\\\\x1b\"} 512\n"
		 "# HELP procdx_test_time_seconds_total CPU time\n"
		 "# TYPE procdx_test_time_seconds_total counter\n"
		 "procdx_test_time_seconds_total{pid=\"1\",comm=\"init\"} 3723\n"
		 "procdx_test_time_seconds_total{pid=\"42\",comm=\"a b\\\"c\\\\x1b\"} 5\n"
		 "procdx_test_time_seconds_total{pid=\"7\"} 183845\n"
		 "# HELP procdx_test_load a decimal\n"
		 "# TYPE procdx_test_load gauge\n"
		 "procdx_test_load{pid=\"1\",comm=\"init\"} 0.5\n"
		 "procdx_test_load{pid=\"7\"} 12.3456\n",
		 "prom: CF_NOPROM column left out, floats with all their precision");
	o = (struct out_opts){ .fmt = FMT_PROM, .output = "ARGS,TIME" };
	print_is(t, &o,
		 "# HELP procdx_test_time_seconds_total CPU time\n"
		 "# TYPE procdx_test_time_seconds_total counter\n"
		 "procdx_test_time_seconds_total{args=\"/sbin/init splash\",pid=\"1\"} 3723\n"
		 "procdx_test_time_seconds_total{args=\"\",pid=\"42\"} 5\n"
		 "procdx_test_time_seconds_total{args=\"-\",pid=\"7\"} 183845\n",
		 "prom: \"\" and \"-\" label values as they are");

	o = (struct out_opts){ .fmt = FMT_TABLE, .noheadings = true, .output = "PID,COMM" };
	print_is(t, &o,
		 " 1 init\n"
		 "42 a b\"c\\x1b\n"
		 " 7 -\n",
		 "table --noheadings: widths from the cells only, last text column unpadded");
	o = (struct out_opts){ .fmt = FMT_RAW, .noheadings = true, .output = "PID,COMM" };
	print_is(t, &o, "1 init\n42 a\\x20b\\x22c\\x1b\n7 -\n", "raw --noheadings");
	o = (struct out_opts){ .fmt = FMT_TABLE, .bytes = true, .output = "RSS,PID" };
	print_is(t, &o,
		 "       RSS PID\n"
		 "1610612736   1\n"
		 "       512  42\n"
		 "         -   7\n",
		 "table --bytes: sizes in bytes, right-aligned");
	o = (struct out_opts){ .fmt = FMT_TABLE, .output = "COMM,PID" };
	print_is(t, &o,
		 "COMM      PID\n"
		 "init        1\n"
		 "a b\"c\\x1b  42\n"
		 "-           7\n",
		 "table: text column first is left-aligned and padded");
	table_free(t);
}

/* Rows in the order of a raw --noheadings -o PID print. */
static void order_is(struct table *t, const char *sort, bool reverse, const char *want,
		     const char *what)
{
	struct out_opts o = { .fmt = FMT_RAW, .noheadings = true, .output = "PID" };

	o.sort = sort;
	o.reverse = reverse;
	print_is(t, &o, want, what);
}

static void test_sorting(void)
{
	struct table *t = fixture();

	order_is(t, NULL, false, "1\n42\n7\n", "sort: none keeps insertion order");
	order_is(t, NULL, true, "7\n42\n1\n", "sort: --reverse alone reverses insertion order");
	order_is(t, "RSS", false, "1\n42\n7\n", "sort: size descending, unknown last");
	order_is(t, "RSS", true, "42\n1\n7\n",
		 "sort: size --reverse ascending, unknown still last");
	order_is(t, "rss", false, "1\n42\n7\n", "sort: column name is case-insensitive");
	order_is(t, "COMM", false, "42\n1\n7\n", "sort: text ascending, unknown last");
	order_is(t, "COMM", true, "1\n42\n7\n", "sort: text --reverse, unknown still last");
	order_is(t, "TIME", false, "7\n1\n42\n", "sort: duration descending");
	order_is(t, "TIME", true, "42\n1\n7\n", "sort: duration --reverse");
	order_is(t, "LOAD", false, "7\n1\n42\n", "sort: float descending, unknown last");
	order_is(t, "LOAD", true, "1\n7\n42\n", "sort: float --reverse, unknown still last");
	order_is(t, "PID", false, "42\n7\n1\n", "sort: numbers descending");
	order_is(t, "PID", true, "1\n7\n42\n", "sort: numbers --reverse ascending");
	order_is(t, "CNT", false, "1\n42\n7\n", "sort: negative numbers below positive");
	order_is(t, "ARGS", false, "42\n7\n1\n", "sort: empty string sorts first, not as unknown");
	table_free(t);

	/* Ties keep insertion order in both directions. */
	t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	for (int i = 1; i <= 5; i++) {
		size_t r = table_add_row(t);

		table_set_num(t, r, C_PID, i);
		table_set_size(t, r, C_RSS, i % 2 ? 100 : 200);
	}
	order_is(t, "RSS", false, "2\n4\n1\n3\n5\n", "sort: ties keep insertion order");
	order_is(t, "RSS", true, "1\n3\n5\n2\n4\n", "sort: ties keep insertion order reversed too");
	table_free(t);

	/* A tiebreak column orders rows equal, or unknown, in the sort one
	 * (memtop: unknown PSS by RSS), the same way round. */
	t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	table_tiebreak(t, C_LOAD);
	{
		static const struct { int pid; int64_t rss; double load; } rows[] = {
			{ 1, 100, 1.0 }, { 2, 100, 3.0 }, { 3, -1, 2.0 }, { 4, -1, 5.0 },
			{ 5, 200, -1 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			size_t r = table_add_row(t);

			table_set_num(t, r, C_PID, rows[i].pid);
			if (rows[i].rss >= 0)
				table_set_size(t, r, C_RSS, (uint64_t)rows[i].rss);
			if (rows[i].load >= 0)
				table_set_float(t, r, C_LOAD, rows[i].load);
		}
	}
	order_is(t, "RSS", false, "5\n2\n1\n4\n3\n", "sort: ties and unknowns by the tiebreak");
	order_is(t, "RSS", true, "1\n2\n5\n3\n4\n", "sort: the tiebreak reversed with --reverse");
	order_is(t, "LOAD", false, "4\n2\n3\n1\n5\n", "sort: by the tiebreak column itself");
	table_free(t);

	/* Hex text (vmmap's addresses, 12 digits at least) by its value: a
	 * longer one is larger, past any leading zeros. */
	{
		static const struct col hcols[] = {
			{ "PID", COL_NUM, CF_LABEL, 0, NULL, "row" },
			{ "ADDR", COL_TEXT, CF_HEX, 0, NULL, "an address" },
		};
		static const char *const addrs[] = {
			"ffffffffff600000", "1000000000000", "7ffd00000000", "00000a", "0",
			"555500000000", "0000000400000",
		};

		t = table_new("test", "maps", hcols, ARRAY_SIZE(hcols));
		for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
			size_t r = table_add_row(t);

			table_set_num(t, r, 0, (int64_t)i + 1);
			table_set_cstr(t, r, 1, addrs[i]);
		}
		order_is(t, "ADDR", false, "5\n4\n7\n6\n3\n2\n1\n",
			 "sort: hex text by value, not as text");
		order_is(t, "ADDR", true, "1\n2\n3\n6\n7\n4\n5\n", "sort: hex text reversed");
		table_free(t);
	}

	/* The tool's natural order, unless the user chose one. */
	t = fixture();
	{
		struct out_opts o = { .fmt = FMT_RAW, .noheadings = true, .output = "PID" };
		char err[64];
		char *got;

		table_select(t, DEFAULTS, &o, err, sizeof(err));
		table_default_sort(t, C_TIME);
		got = capture(t, &o);
		is_str(got, "7\n1\n42\n", "sort: table_default_sort applies without -x");
		free(got);
	}
	table_free(t);
	t = fixture();
	{
		struct out_opts o = { .fmt = FMT_RAW, .noheadings = true, .output = "PID",
				      .sort = "COMM" };
		char err[64];
		char *got;

		table_select(t, DEFAULTS, &o, err, sizeof(err));
		table_default_sort(t, C_TIME);
		got = capture(t, &o);
		is_str(got, "42\n1\n7\n", "sort: -x wins over table_default_sort");
		free(got);
	}
	table_free(t);

	/* Many rows: the output is sorted. */
	t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	{
		struct out_opts o = { .fmt = FMT_RAW, .noheadings = true, .output = "RSS",
				      .sort = "RSS" };
		unsigned x = 12345;
		char err[64], *got, *p;
		long prev = -1;
		bool sorted = true;
		int lines = 0;

		for (int i = 0; i < 2000; i++) {
			size_t r = table_add_row(t);

			x = x * 1103515245u + 12345u;
			table_set_size(t, r, C_RSS, (x >> 8) % 100000);
		}
		table_select(t, DEFAULTS, &o, err, sizeof(err));
		got = capture(t, &o);
		for (p = got; *p; p = strchr(p, '\n') + 1) {
			long v = strtol(p, NULL, 10);

			if (prev >= 0 && v > prev)
				sorted = false;
			prev = v;
			lines++;
		}
		is_int(lines, 2000, "sort: 2000 rows printed");
		ok(sorted, "sort: 2000 rows in descending order");
		is_int(table_rows(t), 2000, "table_rows: 2000");
		free(got);
	}
	table_free(t);
}

static void test_select(void)
{
	struct table *t = fixture();
	struct out_opts o = { .fmt = FMT_RAW, .noheadings = false };
	char err[128];

	o.output = "+ARGS";
	print_is(t, &o,
		 "PID COMM RSS TIME ARGS\n"
		 "1 init 1610612736 3723 /sbin/init\\x20splash\n"
		 "42 a\\x20b\\x22c\\x1b 512 5 \"\"\n"
		 "7 - - 183845 \\x2d\n",
		 "select: +ARGS adds to the defaults");
	o.output = "+PID,CNT";
	print_is(t, &o,
		 "PID COMM RSS TIME CNT\n"
		 "1 init 1610612736 3723 10\n"
		 "42 a\\x20b\\x22c\\x1b 512 5 -3\n"
		 "7 - - 183845 -\n",
		 "select: +PID,CNT does not repeat PID");
	o.output = "args pid";
	print_is(t, &o,
		 "ARGS PID\n"
		 "/sbin/init\\x20splash 1\n"
		 "\"\" 42\n"
		 "\\x2d 7\n",
		 "select: space-separated lower-case list in its own order");
	o.output = "PID,pid";
	print_is(t, &o, "PID\n1\n42\n7\n", "select: a repeated column is shown once");
	err[0] = '\0';
	o.output = "PID,,PID";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: an empty item between commas is -EINVAL");
	is_str(err, "empty column name in list: 'PID,,PID'", "select: empty item message");
	o.output = "PID,";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: a trailing comma is -EINVAL");
	o.output = "+";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: + with nothing to add is -EINVAL");

	err[0] = '\0';
	o.output = "PID,FOO,BAR";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: unknown column is -EINVAL");
	is_str(err, "unknown column: FOO", "select: unknown column message names it");
	o.output = "+NOPE";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: unknown +column is -EINVAL");
	is_str(err, "unknown column: NOPE", "select: unknown +column message");
	o.output = "PIDS";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: a longer name is not a prefix match");
	o.output = "PI";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: a prefix of a name is not a match");
	o.output = ",";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: an empty list is -EINVAL");
	is_str(err, "empty column name in list: ','", "select: empty list message");
	o.output = "";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: an empty -o is -EINVAL");
	{
		char longname[200];

		memset(longname, 'Z', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		o.output = longname;
		table_select(t, DEFAULTS, &o, err, sizeof(err));
		is_int(strlen(err), strlen("unknown column: ") + 64,
		       "select: a 199-byte unknown name is cut to 64 in the message");
	}
	o.output = "\033[2J";
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	is_str(err, "unknown column: \033[2J",
	       "select: message holds the raw name (the caller escapes it)");
	o.output = NULL;
	o.sort = "BOGUS";
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), -EINVAL,
	       "select: unknown sort column is -EINVAL");
	is_str(err, "unknown sort column: BOGUS", "select: unknown sort column message");

	o = (struct out_opts){ .sort = "LOAD" };
	is_int(table_select(t, DEFAULTS, &o, err, sizeof(err)), 0, "select: defaults with -x LOAD");
	is_int(table_needs(t), 0x1f, "table_needs: shown columns plus the sort column");
	ok(table_wants(t, C_LOAD), "table_wants: the sort column is wanted");
	ok(table_wants(t, C_PID), "table_wants: a shown column is wanted");
	ok(!table_wants(t, C_ARGS), "table_wants: ARGS is not wanted");
	o = (struct out_opts){ .all = true };
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	is_int(table_needs(t), 0x7f, "table_needs: --output-all needs everything");
	table_free(t);
	t = fixture();
	o = (struct out_opts){ .output = "CNT" };
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	is_int(table_needs(t), 0x40, "table_needs: -o CNT without -x needs only CNT");
	table_free(t);
}

static void test_cells(void)
{
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	struct out_opts o = { .fmt = FMT_RAW, .noheadings = true,
			      .output = "PID,RSS,TIME,LOAD,COMM" };
	size_t r = table_add_row(t);
	int64_t v = 0;
	char *got;
	char err[64];

	ok(!table_get_num(t, r, C_PID, &v), "cells: a new cell is unknown");
	table_set_num(t, r, C_PID, -1);
	ok(table_get_num(t, r, C_PID, &v) && v == -1, "cells: table_get_num reads it back");
	table_set_size(t, r, C_RSS, UINT64_MAX);
	ok(table_get_num(t, r, C_RSS, &v) && v == INT64_MAX,
	   "cells: a size past INT64_MAX is clamped");
	table_set_dur(t, r, C_TIME, -5);
	table_set_float(t, r, C_LOAD, NAN);
	table_set_cstr(t, r, C_COMM, "first");
	table_set_cstr(t, r, C_COMM, "second");
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got, "-1 9223372036854775807 0 - second\n",
	       "cells: negative duration is 0, NaN is unknown, a string set twice is the last");
	free(got);
	table_set_float(t, r, C_LOAD, INFINITY);
	table_set_dur(t, r, C_TIME, 5.5);
	got = capture(t, &o);
	is_str(got, "-1 9223372036854775807 5.5 - second\n",
	       "cells: infinity is unknown, a fractional duration keeps its fraction");
	free(got);

	r = table_add_row(t);
	table_set_str(t, r, C_COMM, "a\nb\0c", 5);
	table_set_float(t, r, C_LOAD, -0.25);
	o.fmt = FMT_PROM;
	o.noheadings = false;
	o.output = "COMM,LOAD";
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got,
	       "# HELP procdx_test_load a decimal\n"
	       "# TYPE procdx_test_load gauge\n"
	       "procdx_test_load{comm=\"a\\\\x0ab\\\\x00c\"} -0.25\n",
	       "prom: newline and NUL in a label value escaped, no raw line break");
	free(got);
	o.fmt = FMT_JSON;
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got,
	       "{\n"
	       "  \"procs\": [\n"
	       "    {\"comm\": \"second\", \"load\": null},\n"
	       "    {\"comm\": \"a\\\\x0ab\\\\x00c\", \"load\": -0.25}\n"
	       "  ]\n"
	       "}\n",
	       "json: newline and NUL escaped inside the string");
	free(got);
	o.fmt = FMT_TABLE;
	o.output = "LOAD,COMM";
	table_select(t, DEFAULTS, &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got,
	       " LOAD COMM\n"
	       "    - second\n"
	       "-0.25 a\\x0ab\\x00c\n",
	       "table: hostile bytes escaped, widths count the escapes");
	free(got);
	table_free(t);
}

/* An empty string as the first text cell a printer formats: the scratch
 * buffer has not been allocated yet. */
static void test_empty_first(void)
{
	struct out_opts o = { .output = "ARGS,PID" };
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	size_t r = table_add_row(t);

	table_set_cstr(t, r, C_ARGS, "");
	table_set_num(t, r, C_PID, 3);
	o.fmt = FMT_TABLE;
	print_is(t, &o, "ARGS PID\n       3\n", "empty first cell: table");
	o.fmt = FMT_RAW;
	print_is(t, &o, "ARGS PID\n\"\" 3\n", "empty first cell: raw");
	o.fmt = FMT_PAIRS;
	print_is(t, &o, "ARGS=\"\" PID=\"3\"\n", "empty first cell: pairs");
	o.fmt = FMT_JSON;
	print_is(t, &o, "{\n  \"procs\": [\n    {\"args\": \"\", \"pid\": 3}\n  ]\n}\n",
		 "empty first cell: json");
	o.fmt = FMT_PROM;
	o.output = "ARGS,RSS";
	table_set_size(t, r, C_RSS, 100);
	print_is(t, &o,
		 "# HELP procdx_test_rss_bytes resident set size\n"
		 "# TYPE procdx_test_rss_bytes gauge\n"
		 "procdx_test_rss_bytes{args=\"\",pid=\"3\"} 100\n",
		 "empty first cell: prom label value (and the PID, the row's key)");
	table_free(t);
}

static void test_empty_and_meta(void)
{
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	struct out_opts o = { 0 };

	o.fmt = FMT_TABLE;
	print_is(t, &o, "PID COMM RSS TIME\n", "empty table: header only");
	o.fmt = FMT_RAW;
	print_is(t, &o, "PID COMM RSS TIME\n", "empty raw: header only");
	o.fmt = FMT_PAIRS;
	print_is(t, &o, "", "empty pairs: nothing");
	o.fmt = FMT_JSON;
	print_is(t, &o, "{\n  \"procs\": []\n}\n", "empty json: an empty array");
	o.fmt = FMT_PROM;
	print_is(t, &o, "", "empty prom: nothing, not even HELP");
	table_free(t);

	t = fixture();
	table_meta(t, "total", "Total", COL_NUM, "number of processes", 3, 0, NULL);
	table_meta(t, "mem", "Memory", COL_SIZE, NULL, 1536, 0, NULL);
	table_meta(t, "host", "Host", COL_TEXT, "host name", 0, 0, "box \"1\"\n");
	table_meta(t, "none", "None", COL_TEXT, NULL, 0, 0, NULL);
	table_meta(t, "uptime", "Up", COL_DUR, NULL, 0, 3723.5, NULL);
	table_meta(t, "load", "Load average", COL_FLOAT, "load over one minute", 0, 1.5, NULL);
	o = (struct out_opts){ .output = "PID" };
	o.fmt = FMT_TABLE;
	print_is(t, &o,
		 "PID\n  1\n 42\n  7\n"
		 "Total: 3\n"
		 "Memory: 1.5K\n"
		 "Host: box \"1\"\\x0a\n"
		 "Up: 01:02:03\n"
		 "Load average: 1.50\n",
		 "meta table: label lines after the rows, two decimals, unknown text left out");
	o.noheadings = true;
	print_is(t, &o, " 1\n42\n 7\n", "meta table --noheadings: no summary lines");
	o.noheadings = false;
	o.fmt = FMT_RAW;
	print_is(t, &o, "PID\n1\n42\n7\n", "meta raw: left out");
	o.fmt = FMT_PAIRS;
	print_is(t, &o,
		 "PID=\"1\"\nPID=\"42\"\nPID=\"7\"\n"
		 "TOTAL=\"3\" MEM=\"1536\" HOST=\"box \\x221\\x22\\x0a\" NONE=\"-\" "
		 "UPTIME=\"3723.5\" LOAD=\"1.5\"\n",
		 "meta pairs: one final line, upper-case keys");
	o.fmt = FMT_JSON;
	print_is(t, &o,
		 "{\n"
		 "  \"procs\": [\n"
		 "    {\"pid\": 1},\n"
		 "    {\"pid\": 42},\n"
		 "    {\"pid\": 7}\n"
		 "  ],\n"
		 "  \"total\": 3,\n"
		 "  \"mem\": 1536,\n"
		 "  \"host\": \"box \\\"1\\\"\\\\x0a\",\n"
		 "  \"none\": null,\n"
		 "  \"uptime\": 3723.5,\n"
		 "  \"load\": 1.5\n"
		 "}\n",
		 "meta json: top-level keys, unknown text null");
	o.fmt = FMT_PROM;
	/* Rows of labels only: an info series each. A gauge does not end in
	 * _total, which is the counters'. */
	print_is(t, &o,
		 "# HELP procdx_test_info one series per row, the row's columns as labels"
		 " (none is a number)\n"
		 "# TYPE procdx_test_info gauge\n"
		 "procdx_test_info{pid=\"1\"} 1\n"
		 "procdx_test_info{pid=\"42\"} 1\n"
		 "procdx_test_info{pid=\"7\"} 1\n"
		 "# HELP procdx_test_all number of processes\n"
		 "# TYPE procdx_test_all gauge\n"
		 "procdx_test_all 3\n"
		 "# HELP procdx_test_mem_bytes Memory\n"
		 "# TYPE procdx_test_mem_bytes gauge\n"
		 "procdx_test_mem_bytes 1536\n"
		 "# HELP procdx_test_uptime_seconds Up\n"
		 "# TYPE procdx_test_uptime_seconds gauge\n"
		 "procdx_test_uptime_seconds 3723.5\n"
		 "# HELP procdx_test_load load over one minute\n"
		 "# TYPE procdx_test_load gauge\n"
		 "procdx_test_load 1.5\n",
		 "meta prom: numbers as gauges, help defaults to the label, text left out");
	table_free(t);
}

/* Rows with nothing but text: an info series each, the same labels once. */
static void test_prom_info(void)
{
	static const struct col tcols[] = {
		{ "NAME", COL_TEXT, 0, 0, NULL, "a name" },
		{ "KIND", COL_TEXT, 0, 0, NULL, "a kind" },
	};
	struct table *t = table_new("test", "items", tcols, ARRAY_SIZE(tcols));
	struct out_opts o = { .fmt = FMT_PROM };
	char err[128] = "";
	char *got;
	const char *rows[][2] = { { "b", "x" }, { "a", "y" }, { "b", "x" }, { "a", "z" } };

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t r = table_add_row(t);

		table_set_cstr(t, r, 0, rows[i][0]);
		table_set_cstr(t, r, 1, rows[i][1]);
	}
	/* Nothing known: no series. */
	table_set_unknown(t, table_add_row(t), 0);
	table_select(t, "NAME,KIND", &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got,
	       "# HELP procdx_test_info one series per row, the row's columns as labels"
	       " (none is a number)\n"
	       "# TYPE procdx_test_info gauge\n"
	       "procdx_test_info{name=\"b\",kind=\"x\"} 1\n"
	       "procdx_test_info{name=\"a\",kind=\"y\"} 1\n"
	       "procdx_test_info{name=\"a\",kind=\"z\"} 1\n",
	       "prom: rows without a number are info series, in row order, duplicates once, none without a label");
	free(got);
	o.output = "KIND";
	table_select(t, "NAME,KIND", &o, err, sizeof(err));
	got = capture(t, &o);
	is_str(got,
	       "# HELP procdx_test_info one series per row, the row's columns as labels"
	       " (none is a number)\n"
	       "# TYPE procdx_test_info gauge\n"
	       "procdx_test_info{kind=\"x\"} 1\n"
	       "procdx_test_info{kind=\"y\"} 1\n"
	       "procdx_test_info{kind=\"z\"} 1\n",
	       "prom: info series of one column, rows it does not tell apart once");
	free(got);
	table_free(t);
}

static void test_list_columns(void)
{
	struct out_opts o = { .fmt = FMT_RAW, .output = "PID", .sort = "PID", .reverse = true };
	char *got = capture(NULL, &o);

	is_str(got,
	       "NAME TYPE PRIVILEGE MEANING\n"
	       "PID number none process\\x20ID\n"
	       "COMM text none command\\x20name\n"
	       "RSS size none resident\\x20set\\x20size\n"
	       "TIME duration none CPU\\x20time\n"
	       "LOAD decimal CAP_SYS_ADMIN a\\x20decimal\n"
	       "ARGS text none command\\x20line\n"
	       "CNT number none a\\x20number\\x20left\\x20out\\x20of\\x20prometheus\n",
	       "table_list_columns: raw, in table order, ignoring -o, -x and --reverse");
	free(got);
}

static void size_is(uint64_t bytes, const char *want)
{
	char buf[32];

	fmt_size(buf, sizeof(buf), bytes);
	is_str(buf, want, "fmt_size: %llu bytes is %s", (unsigned long long)bytes, want);
}

static void dur_is(double secs, const char *want)
{
	char buf[32];

	fmt_dur(buf, sizeof(buf), secs);
	is_str(buf, want, "fmt_dur: %g seconds is %s", secs, want);
}

static void test_fmt(void)
{
	size_is(0, "0B");
	size_is(512, "512B");
	size_is(1023, "1023B");
	size_is(1024, "1K");
	size_is(1536, "1.5K");
	size_is(1065, "1K");			/* 1.04K: within .05 of a whole */
	size_is(1076, "1.1K");			/* 1.05K */
	size_is(10138, "9.9K");			/* 9.90K */
	size_is(10189, "10K");			/* 9.95K: no decimal from 9.95 up */
	size_is(1047961, "1023K");		/* 1023.4K */
	size_is(1048566, "1M");			/* 1023.99K rounds to the next unit */
	size_is(1048575, "1M");			/* 1024K - 1 byte */
	size_is(1048576, "1M");
	size_is(335544320, "320M");
	size_is(1610612736, "1.5G");
	size_is(1099511627776ULL, "1T");
	size_is(1125899906842624ULL, "1P");
	size_is(1152921504606846976ULL, "1E");
	size_is(UINT64_MAX, "16E");
	size_is(1280, "1.2K");			/* 1.25K: a tie goes to the even digit */
	size_is(1792, "1.8K");			/* 1.75K */
	size_is(10952754293765046272ULL, "9.5E");	/* past 2^63, with a decimal */
	size_is(11412121259204722688ULL, "9.9E");	/* 9.8984375E */
	{
		char small[4];

		fmt_size(small, sizeof(small), 1610612736);
		is_str(small, "1.5", "fmt_size: a small buffer is cut, NUL-terminated");
	}
	dur_is(0, "00:00");
	dur_is(5, "00:05");
	dur_is(59.99, "00:59");
	dur_is(3599, "59:59");
	dur_is(3600, "01:00:00");
	dur_is(3723, "01:02:03");
	dur_is(86399, "23:59:59");
	dur_is(86400, "1-00:00:00");
	dur_is(183845, "2-03:04:05");
	dur_is(100 * 86400 + 1, "100-00:00:01");
	dur_is(-5, "00:00");
}

/* Names whose display width is not their number of code points: 日本語テス
 * (five wide characters, ten columns), "cafe" plus a combining acute (four
 * columns in five code points) and a zero width space between a and b
 * (two columns). The column after them starts at the same place in every
 * row, in the table and in the streamed table. */
static void test_display_width(void)
{
	static const char *const names[] = {
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9",
		"cafe\xcc\x81", "a\xe2\x80\x8b" "b", "plain",
	};
	struct out_opts o = { .output = "COMM,PID" };
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	char err[128] = "";
	char *got;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t r = table_add_row(t);

		table_set_num(t, r, C_PID, (long long)i + 1);
		table_set_cstr(t, r, C_COMM, names[i]);
	}
	print_is(t, &o,
		 "COMM       PID\n"
		 "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9   1\n"
		 "cafe\xcc\x81         2\n"
		 "a\xe2\x80\x8b" "b           3\n"
		 "plain        4\n",
		 "table: wide and zero-width names padded by display width");
	table_stream_width(t, C_COMM, 12);
	if (table_select(t, DEFAULTS, &o, err, sizeof(err)) < 0)
		diag("table_select: %s", err);
	got = capture_as(t, &o, true);
	is_str(got,
	       "COMM          PID\n"
	       "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9    1\n"
	       "cafe\xcc\x81          2\n"
	       "a\xe2\x80\x8b" "b            3\n"
	       "plain         4\n",
	       "stream: wide and zero-width names padded by display width");
	free(got);
	table_free(t);
}

/* What print writes to a pseudo-terminal 20 columns wide (COLUMNS=20), in
 * raw mode; NULL without a pseudo-terminal. print runs in a child, before
 * anything asks out_is_tty (it remembers the first answer). */
static char *capture_on_tty(void (*print)(void))
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	struct sbuf b = { 0 };
	char chunk[4096];
	ssize_t n;
	pid_t kid;
	int sl, st;

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 ||
	    (sl = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0) {
		if (m >= 0)
			close(m);
		return NULL;
	}
	fflush(stdout);
	kid = fork();
	if (kid < 0) {
		perror("fork");
		exit(99);
	}
	if (kid == 0) {
		struct termios tio;

		/* Raw, so the line discipline writes no \r before \n. */
		if (tcgetattr(sl, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(sl, TCSANOW, &tio);
		}
		dup2(sl, STDOUT_FILENO);
		setenv("COLUMNS", "20", 1);
		setenv("NO_COLOR", "1", 1);
		print();
		fflush(stdout);
		_exit(0);
	}
	close(sl);
	while ((n = read(m, chunk, sizeof(chunk))) > 0)
		sbuf_addn(&b, chunk, (size_t)n);
	close(m);
	waitpid(kid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tty: the child printed");
	if (!b.s)
		sbuf_addn(&b, "", 0);
	return b.s;
}

static void print_cut(void)
{
	struct out_opts o = { .output = "PID,ARGS" };
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	char err[128];
	size_t r;

	/* PID takes 3 columns and a space: 16 are left for ARGS. */
	r = table_add_row(t);
	table_set_num(t, r, C_PID, 1);
	/* a, then 日本語テスト漢字: 17 columns, 15 once cut. */
	table_set_cstr(t, r, C_ARGS,
		       "a\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9"
		       "\xe3\x83\x88\xe6\xbc\xa2\xe5\xad\x97");
	r = table_add_row(t);
	table_set_num(t, r, C_PID, 2);
	/* 17 times e with a combining acute: cut after the 16th mark. */
	table_set_cstr(t, r, C_ARGS,
		       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		       "e\xcc\x81" "e\xcc\x81");
	if (table_select(t, DEFAULTS, &o, err, sizeof(err)) < 0)
		_exit(98);
	table_print(t, &o);
}

/* On a terminal the last CF_TRUNC column is cut to the width counted in
 * display columns: never half a wide character, never a mark without its
 * base. */
static void test_cut_on_tty(void)
{
	char *got = capture_on_tty(print_cut);

	if (!got) {
		skip(2, "no pseudo-terminal");
		return;
	}
	is_str(got,
	       "PID ARGS\n"
	       "  1 a\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9"
	       "\xe3\x83\x88\xe6\xbc\xa2\n"
	       "  2 e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
	       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
	       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
	       "e\xcc\x81\n",
	       "tty cut: 16 columns, no half of a wide character, every mark with its "
	       "base");
	free(got);
}

/* Two rows, PID 1 with a short command line and PID 22 with a long one,
 * with the columns o asks for. */
static struct table *args_table(const struct out_opts *o, const char *long_args)
{
	struct table *t = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	char err[128];
	size_t r;

	r = table_add_row(t);
	table_set_num(t, r, C_PID, 1);
	table_set_cstr(t, r, C_ARGS, "short");
	r = table_add_row(t);
	table_set_num(t, r, C_PID, 22);
	table_set_cstr(t, r, C_ARGS, long_args);
	if (table_select(t, DEFAULTS, o, err, sizeof(err)) < 0)
		_exit(98);
	return t;
}

/* Streamed rows of a command line that is not the last column, and one
 * that is; wide says -w. */
static void stream_args(bool wide, const char *output)
{
	struct out_opts o = { .output = output, .wide = wide };
	/* 40 columns, a wide character astride the cut, an escape after. */
	struct table *t = args_table(&o, "0123456789012345678901234567\xe6\x97\xa5"
					 "abcdefghi\033");

	table_stream(t, &o, 0);
	table_free(t);
}

static void print_stream_cut(void)
{
	stream_args(false, "ARGS,PID");
	stream_args(false, "PID,ARGS");
}

static void print_stream_wide(void)
{
	stream_args(true, "ARGS,PID");
}

/* A streamed table cannot measure rows not yet seen: a command line
 * followed by other columns takes 32 columns. On a terminal a longer one
 * is cut there and ends in "...", so the next column stays under its
 * header (-w keeps it whole); a last one is cut to the terminal. Into a
 * pipe nothing is cut. */
static void test_stream_unbounded(void)
{
	char *got = capture_on_tty(print_stream_cut);

	if (!got) {
		skip(4, "no pseudo-terminal");
	} else {
		is_str(got,
		       "ARGS                              PID\n"
		       "short                             1\n"
		       "0123456789012345678901234567...   22\n"
		       "PID  ARGS\n"
		       "  1  short\n"
		       " 22  012345678901234\n",
		       "tty stream: a command line not last cut at 32 with a mark, a last "
		       "one to the terminal");
		free(got);
		got = capture_on_tty(print_stream_wide);
		is_str(got ? got : "",
		       "ARGS                              PID\n"
		       "short                             1\n"
		       "0123456789012345678901234567\xe6\x97\xa5" "abcdefghi\\x1b  22\n",
		       "tty stream with -w: nothing cut");
		free(got);
	}
	{
		struct out_opts o = { .output = "ARGS,PID" };
		struct table *t = args_table(&o, "0123456789012345678901234567890123456789");

		got = capture_as(t, &o, true);
		is_str(got,
		       "ARGS                              PID\n"
		       "short                             1\n"
		       "0123456789012345678901234567890123456789  22\n",
		       "stream into a pipe: 32 columns, a longer command line whole");
		free(got);
		table_free(t);
	}
}

/* A report of several tables (loadwhy's sections): one JSON document;
 * streamed (-c with -J), the same members on one line, a document a line. */
static void test_report(void)
{
	struct table *a = table_new("test", "procs", cols, ARRAY_SIZE(cols));
	struct table *b = table_new("test", "more", cols, ARRAY_SIZE(cols));
	struct table *ts[2] = { a, b };
	struct out_opts o = { .fmt = FMT_JSON, .output = "PID" };
	struct print_job j = { .ts = ts, .n = 2, .o = &o };
	char err[128];
	char *doc, *line;
	size_t r;

	r = table_add_row(a);
	table_set_num(a, r, C_PID, 1);
	r = table_add_row(b);
	table_set_num(b, r, C_PID, 2);
	table_meta(b, "total", "Total", COL_NUM, NULL, 7, 0, NULL);
	ok(table_select(a, DEFAULTS, &o, err, sizeof(err)) == 0 &&
	   table_select(b, DEFAULTS, &o, err, sizeof(err)) == 0, "report: columns chosen");
	doc = capture_job(&j);
	is_str(doc, "{\n  \"procs\": [\n    {\"pid\": 1}\n  ],\n  \"more\": [\n"
		    "    {\"pid\": 2}\n  ],\n  \"total\": 7\n}\n",
	       "report as JSON: one document of both tables");
	j.stream = true;
	line = capture_job(&j);
	ok(strchr(line, '\n') == line + strlen(line) - 1, "streamed report: one line");
	is_str(line, "{\"procs\": [{\"pid\": 1}], \"more\": [{\"pid\": 2}], \"total\": 7}\n",
	       "streamed report: the same members");
	free(doc);
	free(line);
	table_free(a);
	table_free(b);
}

int main(void)
{
	/* Nothing here may depend on the terminal the tests run from. */
	unsetenv("COLUMNS");
	test_cut_on_tty();
	test_stream_unbounded();
	test_display_width();
	test_formats();
	test_sorting();
	test_select();
	test_cells();
	test_empty_first();
	test_empty_and_meta();
	test_prom_info();
	test_list_columns();
	test_fmt();
	test_report();
	return done_testing();
}
