/*
 * dstate: who is stuck in uninterruptible sleep (D), on what, for how long.
 *
 * Scans every thread: /proc/PID/stat, which for a process of one thread is
 * its thread's, then task/TID/stat of each thread of the others. Only tasks
 * in D cost more:
 * their wchan, syscall (decoded with a table generated from <asm/unistd.h>),
 * the file behind the syscall's fd argument (fd/N), the kernel stack (root),
 * status (USER, context switches when sampling). Never the cmdline, environ,
 * maps or smaps of a task in D, which can block the reader forever: CMD is
 * the COMM unless --cmdline, which reads it in a child under a deadline.
 * With -i/-c it samples and tells the stuck (in D, not run since the last
 * sample) from the busy (in D, but switching).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kstack.h"
#include "mounts.h"
#include "opts.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "syscalls.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"

#define N_SYSCALL	0x01
#define N_FILE		0x02	/* syscall + fd/N */
#define N_STACK		0x04
#define N_STATUS	0x08
#define N_CMDLINE	0x10
#define N_MOUNT		0x20	/* FILE + mountinfo */
#define N_SAMPLE	0x100	/* a sampling column: needs -i or -c */
#define N_SUMMARY	0x200	/* a --summary column */
#define N_TASK		0x400	/* a per-task column: not in --summary */

enum {
	COL_PID, COL_TID, COL_COMM, COL_STATE, COL_WCHAN, COL_SYSCALL, COL_FILE, COL_MOUNT,
	COL_STACK, COL_ELAPSED, COL_USER, COL_SAMPLES, COL_STUCK, COL_FAMILY, COL_HINT,
	COL_TASKS, COL_CMD,
};

static const struct col cols[] = {
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, N_TASK, NULL, "process ID" },
	[COL_TID] = { "TID", COL_NUM, CF_LABEL, N_TASK, NULL, "thread ID" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, N_TASK, NULL, "thread's command name" },
	[COL_STATE] = { "STATE", COL_TEXT, 0, N_TASK, NULL, "state (D)" },
	[COL_WCHAN] = { "WCHAN", COL_TEXT, 0, 0, "same user or root",
			"kernel function it waits in (top of stack when wchan says 0)" },
	[COL_SYSCALL] = { "SYSCALL", COL_TEXT, 0, N_SYSCALL, "root or CAP_SYS_PTRACE",
			  "system call it is blocked in (-1: blocked outside a syscall)" },
	[COL_FILE] = { "FILE", COL_TEXT, 0, N_FILE | N_TASK, "root or CAP_SYS_PTRACE",
		       "file behind the syscall's fd argument" },
	[COL_MOUNT] = { "MOUNT", COL_TEXT, 0, N_FILE | N_MOUNT, "root or CAP_SYS_PTRACE",
			"mount point of FILE" },
	[COL_STACK] = { "STACK", COL_TEXT, 0, N_STACK | N_TASK, "root (CAP_SYS_ADMIN)",
			"top kernel stack frames, innermost first" },
	[COL_ELAPSED] = { "ELAPSED", COL_DUR, 0, N_TASK, NULL, "time since the thread started" },
	[COL_USER] = { "USER", COL_TEXT, 0, N_STATUS | N_TASK, NULL, "effective user" },
	[COL_SAMPLES] = { "SAMPLES", COL_NUM, 0, N_SAMPLE | N_TASK, NULL,
			  "samples that saw it in D" },
	[COL_STUCK] = { "STUCK", COL_DUR, 0, N_SAMPLE | N_STATUS | N_TASK, NULL,
			"lower bound of the time it has not run: in D with no context switch" },
	[COL_FAMILY] = { "FAMILY", COL_TEXT, 0, 0, "as WCHAN (else unknown)",
			 "what it waits for: block-io, nfs, fuse, journal, lock, reclaim, "
			 "freezer, vfork, other, unknown" },
	[COL_HINT] = { "HINT", COL_TEXT, 0, 0, "as WCHAN (else unknown)",
		       "what the wait channel usually means" },
	[COL_TASKS] = { "TASKS", COL_NUM, 0, N_SUMMARY, NULL, "tasks in D waiting there" },
	[COL_CMD] = { "CMD", COL_TEXT, CF_TRUNC, N_TASK | N_CMDLINE, NULL,
		      "COMM, or the command line with --cmdline" },
};

/* One task seen in D, merged over the samples. */
struct dtask {
	pid_t pid, tid;
	uint64_t starttime;
	char comm[64];
	size_t comm_len;
	char wchan[64];		/* "" unknown */
	char syscall[48];	/* "" unknown */
	char *file;		/* NULL unknown */
	char stack[160];	/* "" unknown */
	char user[40];		/* "" unknown */
	char *cmd;		/* NULL: use comm */
	enum wait_family family;
	const char *hint;
	size_t samples;
	bool have_csw;
	uint64_t csw;		/* voluntary + involuntary context switches */
	double streak_start, last_seen, stuck;
	unsigned long seen_in;	/* last sample number it was seen in */
};

struct dctx {
	const struct procfs *pf;
	unsigned long needs;
	bool cmdline;
	double timeout;
	struct dtask *t;
	size_t n, cap;
	unsigned long sample;
	double now;
	size_t denied_syscall, denied_stack, timed_out;
	pid_t cur_pid;
};

static struct dtask *find_task(struct dctx *c, pid_t tid, uint64_t starttime)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->t[i].tid == tid && c->t[i].starttime == starttime)
			return &c->t[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->t = xreallocarray(c->t, c->cap, sizeof(*c->t));
	}
	memset(&c->t[c->n], 0, sizeof(c->t[0]));
	return &c->t[c->n++];
}

static void read_file_arg(struct pidh *h, const struct task_syscall *sc, struct dtask *t)
{
	char link[16], target[4096];
	ssize_t n;

	if (sc->state != SC_IN || !syscall_arg0_is_fd(sc->nr) || sc->args[0] > 0x7fffffff)
		return;
	snprintf(link, sizeof(link), "fd/%d", (int)sc->args[0]);
	n = readlinkat(h->dirfd, link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	free(t->file);
	t->file = xstrndup(target, (size_t)n);
}

static void read_stack(struct dctx *c, struct pidh *h, struct dtask *t, struct kstack *ks)
{
	int r = kstack_read(h, ks);
	size_t len = 0;

	ks->n = r == 0 ? ks->n : 0;
	if (r == -EACCES)
		c->denied_stack++;
	if (!(c->needs & N_STACK) || r < 0)
		return;
	/* The top three interesting frames say what it waits for and why. */
	t->stack[0] = '\0';
	for (size_t i = 0, shown = 0; i < ks->n && shown < 3; i++) {
		int w;

		if (!strcmp(ks->fn[i], "__schedule") || !strcmp(ks->fn[i], "schedule"))
			continue;
		w = snprintf(t->stack + len, sizeof(t->stack) - len, "%s%s", shown ? "<" : "",
			     ks->fn[i]);
		if (w < 0 || (size_t)w >= sizeof(t->stack) - len)
			break;
		len += (size_t)w;
		shown++;
	}
}

static int visit_task(struct pidh *h, const struct proc_stat *st,
		      const struct proc_status *status, void *ctx)
{
	struct dctx *c = ctx;
	struct proc_status s;
	struct task_syscall sc;
	struct kstack ks = { .n = 0 };
	struct dtask *t;
	char wchan[64];
	bool have_wchan;
	int r;

	(void)status;
	if (st->state != 'D' || pidh_pin(h, st->starttime) < 0)
		return 0;
	t = find_task(c, st->pid, st->starttime);
	t->pid = c->cur_pid;
	t->tid = st->pid;
	t->starttime = st->starttime;
	memcpy(t->comm, st->comm, sizeof(t->comm));
	t->comm_len = st->comm_len;
	have_wchan = wchan_read(h, wchan, sizeof(wchan)) == 0;
	/* A kernel thread makes no system call, yet its syscall file says
	 * "0 0x0 ...": syscall 0 (read on x86-64) on fd 0. Neither is true. */
	if ((c->needs & (N_SYSCALL | N_FILE)) && !(st->flags & PF_KTHREAD_FLAG)) {
		r = syscall_read(h, &sc);
		if (r == 0 && sc.state == SC_IN)
			syscall_name(sc.nr, t->syscall, sizeof(t->syscall));
		else if (r == 0 && sc.state == SC_NONE)
			snprintf(t->syscall, sizeof(t->syscall), "-1");
		else if (r == 0)
			snprintf(t->syscall, sizeof(t->syscall), "running");
		else if (r == -EACCES)
			c->denied_syscall++;
		if (r == 0 && (c->needs & N_FILE))
			read_file_arg(h, &sc, t);
	}
	/* The stack is read when shown, when wchan is unknown (its top frame
	 * stands in), and when wchan alone does not say what the wait is for:
	 * FAMILY must not depend on the columns shown. */
	{
		const char *hh;
		enum wait_family wf = have_wchan ? wait_classify(wchan, &hh) : WAIT_UNKNOWN;

		if ((c->needs & N_STACK) || !have_wchan || wf == WAIT_UNKNOWN || wf == WAIT_LOCK)
			read_stack(c, h, t, &ks);
	}
	if (!have_wchan && kstack_wait_frame(&ks))
		snprintf(wchan, sizeof(wchan), "%s", kstack_wait_frame(&ks)), have_wchan = true;
	snprintf(t->wchan, sizeof(t->wchan), "%s", have_wchan ? wchan : "");
	t->family = wait_classify_task(have_wchan ? wchan : NULL, ks.n ? &ks : NULL, &t->hint);
	t->family = wait_or_frozen(h, have_wchan ? wchan : NULL, t->family, &t->hint);
	if ((c->needs & N_STATUS) && status_read(h, &s) == 0) {
		if (s.has & STF_UID)
			user_name(s.uid[1], t->user, sizeof(t->user));
		if ((s.has & STF_VCSW) && (s.has & STF_NVCSW)) {
			uint64_t csw = s.vcsw + s.nvcsw;

			/* A streak: consecutive samples in D with no context
			 * switch in between. Its length bounds from below how
			 * long the task has not run. */
			if (t->have_csw && t->seen_in + 1 == c->sample && t->csw == csw) {
				t->stuck = c->now - t->streak_start;
			} else {
				t->streak_start = c->now;
				t->stuck = 0;
			}
			t->have_csw = true;
			t->csw = csw;
		}
	}
	if (c->cmdline && !t->cmd) {
		char *cmd = NULL;
		bool trunc = false;
		ssize_t n = cmdline_read_deadline(h, 0, c->timeout, &cmd, &trunc);

		if (n > 0 && trunc) {
			cmd = xrealloc(cmd, (size_t)n + 4);
			memcpy(cmd + n, "...", 4);
		}
		if (n > 0) {
			t->cmd = cmd;
		} else {
			/* None, or not in time: the name in brackets, as ps,
			 * pstate and memtop show a process without one; not
			 * asked for again at the next sample. */
			free(cmd);
			t->cmd = xmalloc(t->comm_len + 3);
			t->cmd[0] = '[';
			memcpy(t->cmd + 1, t->comm, t->comm_len);
			memcpy(t->cmd + 1 + t->comm_len, "]", 2);
		}
		if (n == -ETIMEDOUT)
			c->timed_out++;
	}
	t->samples++;
	t->seen_in = c->sample;
	t->last_seen = c->now;
	return 0;
}

static int visit_process(struct pidh *h, const struct proc_stat *st,
			 const struct proc_status *status, void *ctx)
{
	struct dctx *c = ctx;
	struct scan_stats ss = { 0 };

	(void)status;
	c->cur_pid = st->pid;
	return scan_process_tasks(h, st, visit_task, ctx, &ss);
}

/* The mount point behind t's FILE, "" for none or unknown. */
static const char *task_mount(const struct dtask *t, const struct mounts *ms)
{
	const struct mount *m = t->file && t->file[0] == '/' ? mounts_find(ms, t->file) : NULL;

	return m ? m->point : "";
}

static void set_row(struct table *tb, size_t r, const struct dtask *t, double uptime,
		    bool sampling, const struct mounts *ms)
{
	table_set_num(tb, r, COL_PID, t->pid);
	table_set_num(tb, r, COL_TID, t->tid);
	table_set_str(tb, r, COL_COMM, t->comm, t->comm_len);
	table_set_cstr(tb, r, COL_STATE, "D");
	if (t->wchan[0])
		table_set_cstr(tb, r, COL_WCHAN, t->wchan);
	if (t->syscall[0])
		table_set_cstr(tb, r, COL_SYSCALL, t->syscall);
	if (t->file) {
		const char *mp = task_mount(t, ms);

		table_set_cstr(tb, r, COL_FILE, t->file);
		if (mp[0])
			table_set_cstr(tb, r, COL_MOUNT, mp);
	}
	if (t->stack[0])
		table_set_cstr(tb, r, COL_STACK, t->stack);
	if (uptime > 0)
		table_set_dur(tb, r, COL_ELAPSED, uptime - (double)t->starttime / (double)procfs_hz());
	if (t->user[0])
		table_set_cstr(tb, r, COL_USER, t->user);
	if (sampling) {
		table_set_num(tb, r, COL_SAMPLES, (int64_t)t->samples);
		if (t->have_csw)
			table_set_dur(tb, r, COL_STUCK, t->stuck);
	}
	table_set_cstr(tb, r, COL_FAMILY, wait_family_name(t->family));
	if (t->hint)
		table_set_cstr(tb, r, COL_HINT, t->hint);
	if (t->cmd)
		table_set_cstr(tb, r, COL_CMD, t->cmd);
	else
		table_set_str(tb, r, COL_CMD, t->comm, t->comm_len);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether a and b (with their mount points ma, mb) fall in one --summary
 * row: equal in every column of the group that is shown or sorted on. A
 * column left out does not split rows that would then look alike: -o
 * TASKS,FAMILY is a count per family, and Prometheus gets one sample per
 * label set. */
static bool same_wait(const struct table *tb, const struct dtask *a, const char *ma,
		      const struct dtask *b, const char *mb)
{
	return (!table_wants(tb, COL_WCHAN) || !strcmp(a->wchan, b->wchan)) &&
	       (!table_wants(tb, COL_SYSCALL) || !strcmp(a->syscall, b->syscall)) &&
	       (!table_wants(tb, COL_MOUNT) || !strcmp(ma, mb)) &&
	       (!table_wants(tb, COL_FAMILY) || a->family == b->family) &&
	       (!table_wants(tb, COL_HINT) || same_str(a->hint, b->hint));
}

/* --summary: one row per wait, as told by the columns shown, with a task
 * count. */
static void summarize(struct table *tb, const struct dctx *c, const struct mounts *ms)
{
	size_t n = c->n ? c->n : 1;
	size_t *rows = xcalloc(n, sizeof(*rows));
	const char **mp = xcalloc(n, sizeof(*mp));
	size_t nrows = 0;

	for (size_t i = 0; i < c->n; i++)
		mp[i] = task_mount(&c->t[i], ms);
	for (size_t i = 0; i < c->n; i++) {
		const struct dtask *t = &c->t[i];
		int64_t v = 0;
		size_t j;

		for (j = 0; j < nrows; j++)
			if (same_wait(tb, &c->t[rows[j]], mp[rows[j]], t, mp[i]))
				break;
		if (j == nrows) {
			size_t r = table_add_row(tb);

			rows[nrows++] = i;
			if (t->wchan[0])
				table_set_cstr(tb, r, COL_WCHAN, t->wchan);
			if (t->syscall[0])
				table_set_cstr(tb, r, COL_SYSCALL, t->syscall);
			if (mp[i][0])
				table_set_cstr(tb, r, COL_MOUNT, mp[i]);
			table_set_cstr(tb, r, COL_FAMILY, wait_family_name(t->family));
			if (t->hint)
				table_set_cstr(tb, r, COL_HINT, t->hint);
			table_set_num(tb, r, COL_TASKS, 0);
		}
		table_get_num(tb, j, COL_TASKS, &v);
		table_set_num(tb, j, COL_TASKS, v + 1);
	}
	free(mp);
	free(rows);
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Every thread in uninterruptible sleep (D): on what it waits (wait channel,\n"
	       "system call, file, kernel stack), since when, and whether that matters.\n"
	       "\n"
	       "  -s, --summary         one row per wait channel, with task counts and a hint\n"
	       "      --min-stuck SECS  with sampling: only tasks stuck at least that long\n"
	       "      --cmdline         read command lines (in a child, under a deadline)\n"
	       "      --timeout SECS    the --cmdline deadline (default 1)\n"
	       "  -q, --quiet           print nothing; exit status only\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS | HELP_SAMPLING);
	printf("\nWith -i or -c, samples N times and adds SAMPLES and STUCK (a lower bound of\n"
	       "how long the task has not run). --format prometheus gives counts per wait\n"
	       "channel. STACK needs root; SYSCALL and FILE need root or CAP_SYS_PTRACE.\n"
	       "\nExit status: 0 tasks in D found, 1 none, 2 usage error, 3 fatal error.\n"
	       "Columns: %s -H. See dstate(1).\n", program_invocation_short_name);
}

enum { OPT_MIN_STUCK = OPT_TOOL, OPT_CMDLINE, OPT_TIMEOUT };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		SAMPLE_LONGOPTS,
		{ "summary", no_argument, NULL, 's' },
		{ "min-stuck", required_argument, NULL, OPT_MIN_STUCK },
		{ "cmdline", no_argument, NULL, OPT_CMDLINE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct dctx c = { .timeout = 1 };
	struct mounts ms = { 0 };
	struct procfs pf;
	struct table *tb;
	bool summary = false, quiet = false, sampling;
	double min_stuck = -1, uptime = 0;
	unsigned long needs;
	size_t shown = 0, wchan_unknown = 0;
	char err[128];
	int opt;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS FILTER_SHORTOPTS SAMPLE_SHORTOPTS "qs",
				  longopts, NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 's': summary = true; break;
		case 'q': quiet = true; break;
		case OPT_CMDLINE: c.cmdline = true; break;
		case OPT_MIN_STUCK:
			if (parse_seconds_str(optarg, &min_stuck) < 0)
				usage_error("invalid --min-stuck: '%s'", optarg);
			break;
		case OPT_TIMEOUT:
			if (parse_seconds_str(optarg, &c.timeout) < 0 || c.timeout <= 0 ||
			    c.timeout > 3600)
				usage_error("invalid --timeout: '%s'", optarg);
			break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "dstate", cols, ARRAY_SIZE(cols));
	sampling = co.interval > 0 || co.count > 0;
	if (sampling && !co.interval)
		co.interval = 1;
	if (sampling && !co.count)
		co.count = 5;
	if (!sampling)
		co.count = 1;
	if (min_stuck >= 0 && !sampling)
		usage_error("--min-stuck needs sampling (-i SECS -c N)");
	/* Prometheus gets counts per wait channel: the summary. */
	if (co.out.fmt == FMT_PROM)
		summary = true;

	tb = table_new("dstate", summary ? "waits" : "tasks", cols, ARRAY_SIZE(cols));
	table_exclude(tb, (summary ? N_TASK : N_SUMMARY) | (sampling ? 0 : N_SAMPLE));
	if (table_select(tb, summary ? "TASKS,WCHAN,SYSCALL,MOUNT,HINT"
			     : sampling ? "PID,TID,COMM,WCHAN,SYSCALL,FILE,SAMPLES,STUCK,USER,CMD"
			     : "PID,TID,COMM,STATE,WCHAN,SYSCALL,FILE,STACK,ELAPSED,USER,CMD",
			 &co.out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	needs = table_needs(tb);
	if (sampling)
		needs |= N_STATUS;
	c.needs = needs;
	procfs_open_or_die(&pf, &co);
	if (sampling)
		sampling_needs_live(&pf, "-i and -c need the live /proc");
	c.pf = &pf;
	if ((needs & N_MOUNT) && mounts_read(&pf, &ms) < 0)
		ms.n = 0;

	for (long s = 0; s < co.count; s++) {
		struct scan_stats ss = { 0 };
		int r;

		c.sample = (unsigned long)s + 1;
		c.now = now_mono();
		r = scan_processes(&pf, &co.filt, 0, visit_process, &c, &ss);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name,
				pf.proc, strerror(-r));
			return out_finish(EXIT_FATAL);
		}
		if (s == 0)
			scan_report(&pf, &ss);
		if (s + 1 < co.count) {
			if (co.interval > 1 && isatty(STDERR_FILENO))
				fprintf(stderr, "\r%s: sample %ld of %ld...", program_invocation_short_name,
					s + 2, co.count);
			sleep_secs(co.interval);
		}
	}
	if (co.count > 1 && co.interval > 1 && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	uptime_read(&pf, &uptime, NULL);
	if (min_stuck >= 0) {
		size_t k = 0;

		for (size_t i = 0; i < c.n; i++) {
			if (c.t[i].have_csw && c.t[i].stuck >= min_stuck)
				c.t[k++] = c.t[i];
			else {
				free(c.t[i].file);
				free(c.t[i].cmd);
			}
		}
		c.n = k;
	}
	shown = c.n;
	/* The default order is set before the rows: a sort column that is
	 * not shown gets its place in the rows only then. */
	if (summary) {
		table_default_sort(tb, COL_TASKS);
		summarize(tb, &c, &ms);
	} else {
		if (sampling)
			table_default_sort(tb, COL_STUCK);
		for (size_t i = 0; i < c.n; i++)
			set_row(tb, table_add_row(tb), &c.t[i], uptime, sampling, &ms);
	}
	table_meta(tb, "total", "tasks in D", COL_NUM, "tasks seen in D", (int64_t)shown, 0, NULL);
	if (!quiet)
		table_print(tb, &co.out);
	/* One line says what is unknown and why: privilege. */
	for (size_t i = 0; i < c.n; i++)
		wchan_unknown += !c.t[i].wchan[0];
	if (shown && !quiet) {
		struct sbuf what = { 0 };
		size_t most = 0;

		if (wchan_unknown && geteuid() != 0 && table_wants(tb, COL_WCHAN)) {
			sbuf_adds(&what, "WCHAN");
			most = wchan_unknown;
		}
		for (int k = COL_SYSCALL; c.denied_syscall && k <= COL_FILE; k++) {
			if (!table_wants(tb, k))
				continue;
			sbuf_adds(&what, what.len ? ", " : "");
			sbuf_adds(&what, cols[k].name);
			most = c.denied_syscall > most ? c.denied_syscall : most;
		}
		if (c.denied_stack && (needs & N_STACK)) {
			sbuf_adds(&what, what.len ? ", STACK" : "STACK");
			most = c.denied_stack > most ? c.denied_stack : most;
		}
		if (what.len)
			fprintf(stderr, "%s: %s unknown for up to %zu of %zu tasks in D: permission "
				"denied (needs root; CAP_SYS_PTRACE for all but STACK)\n",
				program_invocation_short_name, what.s, most > c.n ? c.n : most, c.n);
		sbuf_free(&what);
	}
	if (c.timed_out && !quiet)
		fprintf(stderr, "%s: CMD unknown for %zu tasks: reading the command line took "
			"longer than %.1f s\n", program_invocation_short_name, c.timed_out, c.timeout);
	for (size_t i = 0; i < c.n; i++) {
		free(c.t[i].file);
		free(c.t[i].cmd);
	}
	free(c.t);
	mounts_free(&ms);
	table_free(tb);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(shown ? EXIT_FOUND : EXIT_NONE);
}
