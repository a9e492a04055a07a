/*
 * pstate: how many processes (or threads) are in each state, and which.
 *
 * Reads /proc/PID/stat for every process (task/TID/stat with -t), and, for
 * the summary, /proc/stat and /proc/loadavg. Tasks in D get their wchan read
 * to tell the frozen (cgroup freezer, suspend) from the stuck. With
 * -s LIST it lists the processes in those states instead, reading status
 * (USER), wchan and cmdline only when those columns are shown; never the
 * cmdline of a task in D, which can block the reader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kstack.h"
#include "opts.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"

/* What a column costs to read, per process. */
#define N_STATUS	0x1
#define N_WCHAN		0x2
#define N_CMDLINE	0x4
#define N_UPTIME	0x8
#define N_CENSUS	0x100	/* a census column: not in --state lists */
#define N_LIST		0x200	/* a list column: not in the census */

enum {
	COL_STATE, COL_COUNT, COL_MEANING,
	COL_PID, COL_TID, COL_PPID, COL_COMM, COL_USER, COL_ELAPSED, COL_WCHAN, COL_CMD,
};

static const struct col cols[] = {
	[COL_STATE] = { "STATE", COL_TEXT, 0, 0, NULL, "state letter as the kernel prints it" },
	[COL_COUNT] = { "COUNT", COL_NUM, 0, N_CENSUS, NULL,
			"processes (tasks with -t) in the state" },
	[COL_MEANING] = { "MEANING", COL_TEXT, 0, N_CENSUS, NULL, "what the state means" },
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, N_LIST, NULL, "process ID" },
	[COL_TID] = { "TID", COL_NUM, CF_LABEL, N_LIST, NULL, "thread ID (the PID for a process)" },
	[COL_PPID] = { "PPID", COL_NUM, CF_LABEL, N_LIST, NULL, "parent process ID" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, N_LIST, NULL, "command name (comm)" },
	[COL_USER] = { "USER", COL_TEXT, 0, N_LIST | N_STATUS, "none (not under hidepid)",
		       "effective user" },
	[COL_ELAPSED] = { "ELAPSED", COL_DUR, 0, N_LIST | N_UPTIME, NULL,
			  "time since the task started" },
	[COL_WCHAN] = { "WCHAN", COL_TEXT, 0, N_LIST | N_WCHAN, "same user or root",
			"kernel function the task sleeps in" },
	[COL_CMD] = { "CMD", COL_TEXT, CF_TRUNC, N_LIST | N_CMDLINE, "none (not under hidepid)",
		      "command line (COMM for a task in D: its cmdline can block)" },
};

/* Census order: the letters the kernel prints, most telling first. */
static const char state_order[] = "RSDIZTtXPKWx";

struct census {
	struct table *t;
	const struct procfs *pf;
	bool threads, list;
	unsigned long needs;
	char states[16];	/* --state letters */
	size_t count[128];
	size_t total, frozen, d_total, unknown_state;
	double uptime;
	size_t cmd_denied, user_denied, user_bad, wchan_unknown;
	struct scan_stats *ss;
	pid_t cur_pid;		/* the process whose threads are being counted */
	struct pidh *cur_h;	/* its handle, and its stat, during the count */
	const struct proc_stat *cur_st;
	int cur_in_d;		/* whether any of its threads is in D; -1 not asked */
};

/* An exited thread-group leader shows Z while other threads run: take the
 * state of a live thread instead, whose TID goes in *tid (else 0). */
/* The listing's columns when -o does not say. */
#define LIST_DEFAULT "PID,TID,PPID,STATE,COMM,USER,ELAPSED,WCHAN,CMD"

static int leader_live_state(struct pidh *h, const struct proc_stat *st, pid_t *tid)
{
	struct proc_stat live;
	pid_t t;

	*tid = 0;
	if (st->state != 'Z' || st->num_threads <= 1 || (t = proc_live_thread(h, &live)) <= 0)
		return st->state;
	*tid = t;
	return live.state;
}

/* A row for the task in h; sh is the task whose state is shown (h, or a
 * live thread of an exited leader), whose wait channel, user and command
 * line go with it: the dead leader keeps the uid it died with, and no
 * memory to read its command line from. */
static void add_list_row(struct census *c, struct pidh *h, struct pidh *sh,
			 const struct proc_stat *st, const struct proc_status *status, char state)
{
	struct table *t = c->t;
	size_t r = table_add_row(t);
	struct proc_status ts;
	char buf[256];

	if (sh != h && (c->needs & N_STATUS))
		status = status_read(sh, &ts) == 0 ? &ts : NULL;

	table_set_num(t, r, COL_PID, c->threads ? c->cur_pid : st->pid);
	table_set_num(t, r, COL_TID, st->pid);
	table_set_num(t, r, COL_PPID, st->ppid);
	table_set_str(t, r, COL_STATE, &state, 1);
	table_set_str(t, r, COL_COMM, st->comm, st->comm_len);
	if (status && (status->has & STF_UID)) {
		user_name(status->uid[1], buf, sizeof(buf));
		table_set_cstr(t, r, COL_USER, buf);
	} else if (c->needs & N_STATUS) {
		struct proc_status tmp;
		struct proc_stat again;
		int e = status_read(sh, &tmp);

		/* Why it is unknown decides the note: privilege, or a file
		 * that is missing or malformed. */
		if (e == -EACCES)
			c->user_denied++;
		else if ((e < 0 && (e != -ENOENT || stat_read(sh, &again) == 0)) ||
			 (e == 0 && !(tmp.has & STF_UID)))
			c->user_bad++;	/* one that just left is no news */
	}
	if (c->needs & N_UPTIME)
		table_set_dur(t, r, COL_ELAPSED,
			      c->uptime - (double)st->starttime / (double)procfs_hz());
	if (c->needs & N_WCHAN) {
		int w = wchan_read(sh, buf, sizeof(buf));

		if (w == 0)
			table_set_cstr(t, r, COL_WCHAN, buf);
		else if (state != 'R' && state != 'Z' && state != 'X')
			c->wchan_unknown++;
	}
	if (c->needs & N_CMDLINE) {
		char *cmd = NULL;
		bool trunc = false;
		ssize_t n = -ENODATA;
		bool in_d;

		/* Never the cmdline of a process with a task in D: it may hold
		 * the mm lock the read needs, and block it forever. A thread
		 * shares the mm of its siblings: asked of the whole process,
		 * once, at its first row. */
		if (!c->threads) {
			in_d = proc_any_task_in_d(h, state, st->num_threads);
		} else {
			if (c->cur_in_d < 0)
				c->cur_in_d = proc_any_task_in_d(c->cur_h, c->cur_st->state,
								 c->cur_st->num_threads);
			in_d = c->cur_in_d;
		}

		if (!in_d)
			n = cmdline_read(sh, 0, &cmd, &trunc);
		if (n > 0) {
			if (trunc) {
				cmd = xrealloc(cmd, (size_t)n + 4);
				memcpy(cmd + n, "...", 4);
				n += 3;
			}
			table_set_str(t, r, COL_CMD, cmd, (size_t)n);
		} else if (n == 0 || in_d || state == 'Z') {
			/* Kernel threads and zombies have no command line. */
			snprintf(buf, sizeof(buf), "[%s]", st->comm);
			table_set_cstr(t, r, COL_CMD, buf);
		} else if (n == -EACCES) {
			c->cmd_denied++;
		}
		free(cmd);
	}
}

static int count_one(struct pidh *h, const struct proc_stat *st,
		     const struct proc_status *status, void *ctx)
{
	struct census *c = ctx;
	struct pidh th, *sh = h;
	pid_t live = 0;
	int state = c->threads ? st->state : leader_live_state(h, st, &live);

	/* In a thread count, an exited leader whose other threads run is a
	 * dead thread of a live process: neither a zombie nor a task. */
	if (c->threads && st->state == 'Z' && st->pid == c->cur_pid && st->num_threads > 1)
		return 0;
	if (state <= 0 || state >= 128) {
		c->unknown_state++;
		return 0;
	}
	if (live > 0 && pidh_open_task(&th, h, live) == 0)
		sh = &th;
	c->count[state]++;
	c->total++;
	if (state == 'D') {
		c->d_total++;
		if (task_frozen(sh))
			c->frozen++;
	}
	if (c->list && strchr(c->states, state))
		add_list_row(c, h, sh, st, status, (char)state);
	if (sh == &th)
		pidh_close(&th);
	return 0;
}

static int process_one(struct pidh *h, const struct proc_stat *st,
		       const struct proc_status *status, void *ctx)
{
	struct census *c = ctx;
	unsigned flags;

	if (!c->threads)
		return count_one(h, st, status, ctx);
	c->cur_pid = st->pid;
	if (!c->list)
		return scan_process_tasks(h, st, count_one, ctx, c->ss);
	c->cur_h = h;
	c->cur_st = st;
	c->cur_in_d = -1;
	flags = SCAN_DIR | (c->needs & N_STATUS ? SCAN_STATUS : 0);
	return scan_tasks(h, flags, count_one, ctx, c->ss);
}

static void parse_states(struct census *c, const char *arg)
{
	size_t n = 0;

	for (const char *p = arg; *p; p++) {
		if (*p == ',' || *p == ' ')
			continue;
		/* The letters of today's kernels and of older ones. */
		if (!strchr("RSDITtZXPKWx", *p))
			usage_error("invalid state: '%c' (R S D I T t Z X P, old kernels K W x)", *p);
		if (n + 1 >= sizeof(c->states))
			usage_error("too many states: '%s'", arg);
		c->states[n++] = *p;
	}
	if (!n)
		usage_error("empty state list");
	c->states[n] = '\0';
	c->list = true;
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "How many processes are in each state (R S D I T t Z X P), and the load\n"
	       "contributors now (R + D, less frozen tasks). With -s, the processes in\n"
	       "those states.\n"
	       "\n"
	       "  -t, --threads         count threads (tasks) instead of processes\n"
	       "  -s, --state LIST      list the processes in these states (e.g. D,Z)\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS);
	printf("\nExit status: 0 success, 2 usage error, 3 fatal error.\n"
	       "Columns: %s -H. See pstate(1).\n", program_invocation_short_name);
}

static void add_meta(struct census *c, const struct procfs *pf)
{
	struct sys_stat ss;
	struct loadavg la;
	size_t load = c->count['R'] + c->d_total - c->frozen;

	table_meta(c->t, "total", c->threads ? "total tasks" : "total processes", COL_NUM,
		   "processes (or tasks) counted", (int64_t)c->total, 0, NULL);
	table_meta(c->t, "load_now", "load contributors now (R + D - frozen)", COL_NUM,
		   "tasks counted in R or D, less frozen ones", (int64_t)load, 0, NULL);
	table_meta(c->t, "frozen", "frozen (D, not in the load)", COL_NUM,
		   "tasks in D that are frozen by the freezer", (int64_t)c->frozen, 0, NULL);
	if (sysstat_read(pf, &ss) == 0 && ss.procs_blocked >= 0) {
		table_meta(c->t, "procs_running", "procs_running (threads, /proc/stat)", COL_NUM,
			   "runnable threads, from /proc/stat", ss.procs_running, 0, NULL);
		table_meta(c->t, "procs_blocked", "procs_blocked (block I/O waits)", COL_NUM,
			   "threads waiting on block I/O, from /proc/stat", ss.procs_blocked, 0,
			   NULL);
	}
	if (loadavg_read(pf, &la) == 0) {
		table_meta(c->t, "load1", "load average 1m", COL_FLOAT, "1 minute load average",
			   0, la.load[0], NULL);
		table_meta(c->t, "load5", "load average 5m", COL_FLOAT, "5 minute load average",
			   0, la.load[1], NULL);
		table_meta(c->t, "load15", "load average 15m", COL_FLOAT,
			   "15 minute load average", 0, la.load[2], NULL);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		{ "threads", no_argument, NULL, 't' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct census c = { 0 };
	struct scan_stats ss = { 0 };
	struct procfs pf;
	char err[128];
	unsigned long needs;
	int opt, r;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS FILTER_SHORTOPTS "s:t", longopts,
				  NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 't':
			c.threads = true;
			break;
		case 's':
			parse_states(&c, optarg);
			break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "pstate", cols, ARRAY_SIZE(cols));

	c.t = table_new("pstate", c.list ? "processes" : "states", cols, ARRAY_SIZE(cols));
	table_exclude(c.t, c.list ? N_CENSUS : N_LIST);
	/* The row's key comes along in prometheus whatever -o says: two
	 * series with the same labels are one series twice. */
	if (c.list && c.threads)
		table_key(c.t, COL_TID);
	else if (!c.list)
		table_key(c.t, COL_STATE);
	if (table_select(c.t, c.list ? LIST_DEFAULT : "STATE,COUNT,MEANING", &co.out, err,
			 sizeof(err)) < 0) {
		/* The census lacks the column the listing has: say how. */
		bool listing = false;

		if (!c.list) {
			struct table *lt = table_new("pstate", "processes", cols, ARRAY_SIZE(cols));
			char e2[128];

			table_exclude(lt, N_CENSUS);
			listing = table_select(lt, LIST_DEFAULT, &co.out, e2, sizeof(e2)) == 0;
			table_free(lt);
		}
		usage_error("%s%s", err, listing ? " (process columns need --state, e.g. -s D)" : "");
	}
	needs = table_needs(c.t);
	c.needs = needs;
	procfs_open_or_die(&pf, &co);
	c.pf = &pf;
	c.ss = &ss;
	if ((needs & N_UPTIME) && uptime_read(&pf, &c.uptime, NULL) < 0)
		c.needs &= ~(unsigned long)N_UPTIME;

	r = scan_processes(&pf, &co.filt,
			   (c.threads || (needs & (N_WCHAN | N_CMDLINE)) ? SCAN_DIR : 0) |
			   (needs & N_STATUS && !c.threads ? SCAN_STATUS : 0),
			   process_one, &c, &ss);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name, pf.proc,
			strerror(-r));
		return out_finish(EXIT_FATAL);
	}
	if (!c.list) {
		for (const char *s = state_order; *s; s++) {
			size_t row;

			/* R S D Z always show, even at zero: a zero there is news.
			 * For a metrics collector, every state does: a series
			 * that comes and goes reads as missing, not as 0. */
			if (!c.count[(int)*s] && !strchr("RSDZ", *s) && co.out.fmt != FMT_PROM)
				continue;
			row = table_add_row(c.t);
			table_set_str(c.t, row, COL_STATE, s, 1);
			table_set_num(c.t, row, COL_COUNT, (int64_t)c.count[(int)*s]);
			table_set_cstr(c.t, row, COL_MEANING, state_meaning(*s));
		}
		/* A letter no kernel we know prints: still counted, still shown. */
		for (int l = 1; l < 128; l++) {
			char letter = (char)l;
			size_t row;

			if (!c.count[l] || strchr(state_order, l))
				continue;
			row = table_add_row(c.t);
			table_set_str(c.t, row, COL_STATE, &letter, 1);
			table_set_num(c.t, row, COL_COUNT, (int64_t)c.count[l]);
		}
		add_meta(&c, &pf);
	}
	table_print(c.t, &co.out);
	scan_report(&pf, &ss);
	if (c.user_denied)
		note_unknown("USER", c.user_denied, table_rows(c.t), -EACCES);
	if (c.user_bad)
		note_unknown("USER", c.user_bad, table_rows(c.t), -EINVAL);
	/* The kernel prints 0 both for a task that just woke and for one we
	 * may not look at; only the second is worth a note. */
	if (c.wchan_unknown && geteuid() != 0 && !pf.alternate)
		note_unknown("WCHAN", c.wchan_unknown, table_rows(c.t), -EACCES);
	if (c.cmd_denied)
		note_unknown("CMD", c.cmd_denied, table_rows(c.t), -EACCES);
	table_free(c.t);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(0);
}
