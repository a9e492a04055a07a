/* Options every command shares (SPEC 2.2), their parsing, the filters, and
 * the exit path that checks standard output. */
#ifndef PROCDX_OPTS_H
#define PROCDX_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "pidstat.h"
#include "procfs.h"
#include "table.h"

/* Exit statuses, the same in every command. */
#define EXIT_FOUND	0
#define EXIT_NONE	1
#define EXIT_USAGE	2
#define EXIT_FATAL	3

/* Long-only option values; tools number theirs from OPT_TOOL. */
enum {
	OPT_OUTPUT_ALL = 0x100, OPT_FORMAT, OPT_REVERSE, OPT_PROC, OPT_SYS, OPT_CGROUP, OPT_HOST,
	OPT_TOOL = 0x200,
};

/* The leading ':' keeps getopt quiet: bad_option() says what was wrong. */
#define COMMON_SHORTOPTS ":bhHJno:Prwx:V"
#define FILTER_SHORTOPTS "C:p:u:"
#define SAMPLE_SHORTOPTS "c:i:"

#define COMMON_LONGOPTS \
	{ "bytes", no_argument, NULL, 'b' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "list-columns", no_argument, NULL, 'H' }, \
	{ "json", no_argument, NULL, 'J' }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL }, \
	{ "pairs", no_argument, NULL, 'P' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "wide", no_argument, NULL, 'w' }, \
	{ "sort", required_argument, NULL, 'x' }, \
	{ "reverse", no_argument, NULL, OPT_REVERSE }, \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "proc", required_argument, NULL, OPT_PROC }, \
	{ "sys", required_argument, NULL, OPT_SYS }, \
	{ "host", optional_argument, NULL, OPT_HOST }, \
	{ "version", no_argument, NULL, 'V' }

#define FILTER_LONGOPTS \
	{ "pid", required_argument, NULL, 'p' }, \
	{ "user", required_argument, NULL, 'u' }, \
	{ "comm", required_argument, NULL, 'C' }, \
	{ "cgroup", required_argument, NULL, OPT_CGROUP }

#define SAMPLE_LONGOPTS \
	{ "interval", required_argument, NULL, 'i' }, \
	{ "count", required_argument, NULL, 'c' }

/* Process filters, applied before any expensive read. */
struct filter {
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	char **unames;		/* -u as given, made uids by procfs_open_or_die */
	size_t nunames;
	char **comms;
	size_t ncomms;
	char *cgroup;		/* canonical (cgroup_path_canon) */
};

struct common_opts {
	struct out_opts out;
	const char *proc, *sys;
	struct filter filt;
	bool list_columns;
	char hostname[256];	/* --host without a value: the name of the machine
				 * read (a saved tree's own) */
	double interval;	/* -i, 0 when not given */
	long count;		/* -c, 0 when not given */
};

/* Handle one shared option. Returns true if c was one; exits 2 (usage) on a
 * bad value and 0 after -V. -h and -H are left to the tool (it knows its
 * help text and columns): true is returned with co->list_columns set for -H,
 * false for -h. */
bool common_opt(struct common_opts *co, int c, const char *arg);

/* Free what option parsing allocated (the filter lists). */
void common_free(struct common_opts *co);

/* "zfind: MESSAGE" and "Try 'zfind --help'." on stderr; exit 2. */
void usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* The usage error for getopt_long's return opt ('?' or ':'), named from
 * argv (the array getopt_long was given). */
void bad_option(int opt, char **argv) __attribute__((noreturn));

/* The shared options' lines for --help. which: HELP_FILTERS and
 * HELP_SAMPLING add those groups; the HELP_NO_ bits leave out output options
 * the command refuses (--sort, --reverse) or that have nothing to act on
 * (-b without a size column, -w without one to cut), so that --help says
 * what the man page says. */
#define HELP_FILTERS 1
#define HELP_SAMPLING 2
#define HELP_NO_ORDER 4		/* -x, --sort and --reverse */
#define HELP_NO_BYTES 8		/* -b, --bytes */
#define HELP_NO_WIDE 16		/* -w, --wide */
void common_help(FILE *f, unsigned which);

/* After the option loop of a command that takes no operands: refuse any
 * (usage error), and answer -H (the column list) and exit. */
void common_no_operands(const struct common_opts *co, int argc, char **argv, const char *tool,
			const struct col *cols, size_t ncols);

/* Open procfs per co, or die with exit 3 naming the path; then make the -u
 * names UIDs (a usage error for an unknown one), by the users saved beside
 * a saved tree when it has them (DIR/etc/passwd). */
void procfs_open_or_die(struct procfs *pf, struct common_opts *co);

/* --proc-after DIR: open DIR as the end of an interval that starts at the
 * saved tree pf. A usage error (exit 2) when pf is the live /proc or -i was
 * given; exit 3 with one line when DIR cannot be opened, an uptime cannot
 * be read, or DIR's uptime is not later than pf's. */
void procfs_open_after_or_die(struct procfs *after, const struct common_opts *co,
			      const struct procfs *pf, const char *dir);

/* Before sampling pf over time (-i, -c): a usage error (exit 2) when pf is
 * a saved tree, which never changes between samples. how ends the message
 * ("a saved tree has no interval: HOW"). A live procfs of another PID
 * namespace (a host's /proc in a container) moves: it may be sampled. */
void sampling_needs_live(const struct procfs *pf, const char *how);

/* Whether the filters need status (user), stat (comm) or cgroup. */
bool filter_active(const struct filter *f);
bool filter_pid_ok(const struct filter *f, pid_t pid);
bool filter_comm_ok(const struct filter *f, const char *comm);
bool filter_uid_ok(const struct filter *f, uid_t uid);
/* --cgroup: reads h's cgroup file when set. true when no --cgroup. */
bool filter_cgroup_ok(const struct filter *f, struct pidh *h);

/* Flush stdout and turn a write error into the suite's exit: quiet on a
 * broken pipe (exit rc), "prog: write error: ..." and 3 otherwise. Tools
 * return out_finish(rc) from main. */
int out_finish(int rc);

/* The user name of uid into buf (the number when it has none). */
void user_name(uid_t uid, char *buf, size_t size);

/* Why reading another process's mm-related files was refused, for a
 * message: "needs root or CAP_SYS_PTRACE", or what root lacks. */
const char *ptrace_denied_hint(void);
/* One line on stderr for a process named on the command line (vmmap PID,
 * oomctl explain PID) whose file could not be read, e being the read's
 * error: "no process N", with the hidepid mount that may be hiding it, or
 * "cannot read PROC/N/FILE: why (what it needs)". */
void note_pid_unreadable(const struct procfs *pf, pid_t pid, const char *file, int e);
/* Print a one-line "PROG: what unknown for N of M processes: why" note on
 * stderr for n > 0. why is derived from err (-EACCES, ...). */
void note_unknown(const char *what, size_t n, size_t total, int err);
/* The same, counting rows other than processes ("threads"); a total of
 * SIZE_MAX is not said ("I/O unknown for 3 threads: ..."). */
void note_unknown_of(const char *what, size_t n, size_t total, const char *rows, int err);

#endif
