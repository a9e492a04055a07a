/*
 * lifewatch: processes being born, exec'ing, dying, lingering as zombies and
 * being reaped, one line per event as it happens.
 *
 * Events come from the netlink process connector (lib/cnproc.c), drained in
 * batches; lib/lifecycle.c folds threads into their processes, tells a
 * zombie (still unreaped -i after its exit) from a plain exit, and times the
 * reaping through pidfds. Where the connector does not answer (another PID
 * or user namespace, an old kernel without privilege), or with --poll,
 * /proc is read every -i seconds instead: what lives shorter than that can
 * be missed, and every line says it was polled. Events the socket could not
 * hold are counted exactly (the kernel's per-CPU sequence numbers and the
 * socket's drop counter), reported as a "lost" record, and followed by a
 * resync from /proc. Reads per event: /proc/PID/stat at exec (and cmdline,
 * never for a task in D), stat of a process that exits unknown.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cnproc.h"
#include "lifecycle.h"
#include "opts.h"
#include "procfs.h"
#include "scan.h"
#include "signals.h"
#include "table.h"
#include "util.h"

enum {
	COL_TIME, COL_EVENT, COL_PID, COL_TID, COL_PPID, COL_COMM, COL_SOURCE, COL_CODE,
	COL_SIGNAL, COL_CORE, COL_ZOMBIE_FOR, COL_LOST, COL_CMD, COL_DETAIL,
};

static const struct col cols[] = {
	[COL_TIME] = { "TIME", COL_TEXT, 0, 0, NULL,
		       "when it happened (ISO 8601 with microseconds outside the table)" },
	[COL_EVENT] = { "EVENT", COL_TEXT, 0, 0, NULL,
			"fork, exec, exit, zombie, reap, comm, thread, thread-exit or lost" },
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, 0, NULL, "process ID" },
	[COL_TID] = { "TID", COL_NUM, CF_LABEL, 0, NULL, "thread ID (thread events)" },
	[COL_PPID] = { "PPID", COL_NUM, CF_LABEL, 0, NULL,
		       "parent (for zombie and reap: the one that has to reap it)" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, 0, NULL, "command name (after exec: the new one)" },
	[COL_SOURCE] = { "SOURCE", COL_TEXT, 0, 0, NULL,
			 "connector, or poll: read from /proc, short lives missed" },
	[COL_CODE] = { "CODE", COL_NUM, 0, 0, NULL, "exit code (exit, zombie, reap)" },
	[COL_SIGNAL] = { "SIGNAL", COL_TEXT, 0, 0, NULL, "the signal that killed it" },
	[COL_CORE] = { "CORE", COL_NUM, 0, 0, NULL, "1 when it dumped core" },
	[COL_ZOMBIE_FOR] = { "ZOMBIE_FOR", COL_FLOAT, CF_PREC2, 0, NULL,
			     "reap: seconds from exit to reap" },
	[COL_LOST] = { "LOST", COL_NUM, 0, 0, NULL, "lost: events the socket dropped" },
	[COL_CMD] = { "CMD", COL_TEXT, CF_TRUNC, 0, NULL, "exec: the command line" },
	[COL_DETAIL] = { "DETAIL", COL_TEXT, CF_TRUNC, 0, NULL,
			 "what happened: command line, exit status, zombie time, old name" },
};

/* Table widths for the stream, so that lines of every event align. */
static const size_t widths[] = {
	[COL_TIME] = 12, [COL_EVENT] = 6, [COL_PID] = 7, [COL_TID] = 7, [COL_PPID] = 7,
	[COL_COMM] = 15, [COL_SOURCE] = 9, [COL_CODE] = 4, [COL_SIGNAL] = 7, [COL_ZOMBIE_FOR] = 10,
	[COL_LOST] = 6,
};

enum { S_SECTION, S_KEY, S_COMM, S_COUNT, S_SECONDS };

static const struct col scols[] = {
	[S_SECTION] = { "SECTION", COL_TEXT, 0, 0, NULL, "events, exits or reapers" },
	[S_KEY] = { "KEY", COL_TEXT, 0, 0, NULL, "event, exit status, or the reaper's PID" },
	[S_COMM] = { "COMM", COL_TEXT, 0, 0, NULL, "the reaper's name" },
	[S_COUNT] = { "COUNT", COL_NUM, 0, 0, NULL, "how many" },
	[S_SECONDS] = { "SECONDS", COL_FLOAT, CF_PREC2, 0, NULL, "reapers: longest zombie life" },
};

#define DEFAULT_KINDS (1u << LIFE_FORK | 1u << LIFE_EXEC | 1u << LIFE_EXIT | 1u << LIFE_ZOMBIE | \
		       1u << LIFE_REAP | 1u << LIFE_COMM | 1u << LIFE_LOST)
#define THREAD_KINDS (1u << LIFE_THREAD | 1u << LIFE_THREAD_EXIT)
#define BATCH 256
#define TOP_REAPERS 5

struct count {
	int status;
	uint64_t n;
};

struct reaper {
	pid_t pid;
	char comm[64];
	size_t comm_len;
	uint64_t n;
	double longest;
};

/* The run: where events go, and what the summary needs. */
struct watch {
	struct table *t;
	const struct out_opts *o;
	bool polled, summary, done;
	long limit, shown;
	double wall_off;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t kinds[LIFE_NKINDS];
	struct count *exits;
	size_t nexits;
	struct reaper *reapers;
	size_t nreapers;
	uint64_t lost, lost_told;
	double lost_at;
	const sigset_t *waitmask;	/* the mask with SIGINT and SIGTERM let in */
};

/* Print rows from on: SIGINT and SIGTERM, blocked elsewhere so that no
 * read is cut short, are let in while a write may block on a reader that
 * does not read, so that they can still end the watch (on_alarm). Writes
 * are restarted after the handler: a reader that reads gets whole lines. */
static void stream(struct table *t, const struct out_opts *o, size_t from, const struct watch *w)
{
	sigset_t old;

	sigprocmask(SIG_SETMASK, w->waitmask, &old);
	table_stream(t, o, from);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static volatile sig_atomic_t stop;

/* Seconds the watch has to end once SIGINT or SIGTERM asked it to: time
 * enough to finish a line and write the summary to a reader that reads.
 * A reader that has stopped reading would keep a write blocked for ever. */
#define STOP_GRACE 1

static void on_signal(int sig)
{
	(void)sig;
	if (!stop)
		alarm(STOP_GRACE);
	stop = 1;
}

/* The grace is over: still here, so a write is stuck. End as a watch
 * ended by the signal does, leaving the rest unwritten (a flush would
 * block too). */
static void on_alarm(int sig)
{
	(void)sig;
	_exit(0);
}

static void set_time(struct watch *w, double mono)
{
	double wall = mono + w->wall_off;
	time_t sec = (time_t)wall;
	long usec = (long)((wall - (double)sec) * 1e6);
	struct tm tm;
	char buf[48], tz[8];

	localtime_r(&sec, &tm);
	if (w->o->fmt == FMT_TABLE) {
		strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
		snprintf(buf + 8, sizeof(buf) - 8, ".%03ld", usec / 1000);
	} else {
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		strftime(tz, sizeof(tz), "%z", &tm);
		snprintf(buf + 19, sizeof(buf) - 19, ".%06ld%.3s:%s", usec, tz, tz + 3);
	}
	table_set_cstr(w->t, 1, COL_TIME, buf);
}

/* "NAME" or "PID (NAME)" into b, raw bytes. */
static void add_who(struct sbuf *b, pid_t pid, const char *comm, size_t len)
{
	if (comm)
		sbuf_addn(b, comm, len);
	else
		sbuf_printf(b, "%d", (int)pid);
}

static void set_detail(struct watch *w, const struct life_event *ev)
{
	struct sbuf b = { 0 };
	char st[64];

	life_status_text(ev->status, st, sizeof(st));
	switch (ev->kind) {
	case LIFE_EXEC:
		if (ev->cmd) {
			sbuf_addn(&b, ev->cmd, ev->cmd_len);
			if (ev->cmd_truncated)
				sbuf_adds(&b, "...");
		}
		if (ev->cmd_in_d)
			sbuf_adds(&b, ev->cmd ? " (in D: arguments not read)" :
				  "(in D: command line not read)");
		break;
	case LIFE_EXIT:
		sbuf_adds(&b, ev->unseen ? "ended between two polls" : st);
		break;
	case LIFE_ZOMBIE:
		sbuf_printf(&b, "%s; not reaped by ", st);
		add_who(&b, ev->ppid, ev->pcomm, ev->pcomm_len);
		break;
	case LIFE_REAP:
		sbuf_adds(&b, "reaped by ");
		add_who(&b, ev->ppid, ev->pcomm, ev->pcomm_len);
		if (ev->zombie_for >= 0)
			sbuf_printf(&b, " after %.3fs as a zombie", ev->zombie_for);
		else
			sbuf_adds(&b, ", a zombie since before the watch");
		break;
	case LIFE_COMM:
		if (ev->old_comm) {
			sbuf_adds(&b, "was ");
			sbuf_addn(&b, ev->old_comm, ev->old_comm_len);
		}
		if (ev->maybe_exec)
			sbuf_adds(&b, b.len ? " (or an exec)" : "or an exec");
		break;
	case LIFE_THREAD:
		sbuf_printf(&b, "thread %d", (int)ev->tid);
		break;
	case LIFE_THREAD_EXIT:
		sbuf_printf(&b, "thread %d, %s", (int)ev->tid, st);
		break;
	case LIFE_LOST:
		sbuf_printf(&b, "%llu events lost; resynced from /proc (%zu processes)",
			    (unsigned long long)ev->lost, ev->resynced);
		break;
	default:
		break;
	}
	if (b.len)
		table_set_str(w->t, 1, COL_DETAIL, b.s, b.len);
	sbuf_free(&b);
}

static void count_event(struct watch *w, const struct life_event *ev)
{
	w->kinds[ev->kind] += ev->kind == LIFE_LOST ? ev->lost : 1;
	if (ev->kind == LIFE_EXIT) {
		size_t i;

		for (i = 0; i < w->nexits && w->exits[i].status != ev->status; i++)
			;
		if (i == w->nexits) {
			w->exits = xreallocarray(w->exits, ++w->nexits, sizeof(*w->exits));
			w->exits[i] = (struct count){ ev->status, 0 };
		}
		w->exits[i].n++;
	} else if (ev->kind == LIFE_REAP && ev->ppid > 0) {
		struct reaper *r;
		size_t i;

		for (i = 0; i < w->nreapers && w->reapers[i].pid != ev->ppid; i++)
			;
		if (i == w->nreapers) {
			w->reapers = xreallocarray(w->reapers, ++w->nreapers, sizeof(*w->reapers));
			memset(&w->reapers[i], 0, sizeof(w->reapers[i]));
			w->reapers[i].pid = ev->ppid;
			w->reapers[i].longest = -1;
		}
		r = &w->reapers[i];
		if (ev->pcomm) {
			r->comm_len = ev->pcomm_len < sizeof(r->comm) ? ev->pcomm_len : sizeof(r->comm);
			memcpy(r->comm, ev->pcomm, r->comm_len);
		}
		r->n++;
		if (ev->zombie_for > r->longest)
			r->longest = ev->zombie_for;
	}
}

/* The tracker's callback: one line, printed and flushed at once. */
static void on_event(const struct life_event *ev, void *ctx)
{
	struct watch *w = ctx;
	struct table *t = w->t;
	int sig = ev->status >= 0 ? ev->status & 0x7f : 0;

	if (w->done)
		return;
	count_event(w, ev);
	for (int c = 0; c < (int)ARRAY_SIZE(cols); c++)
		table_set_unknown(t, 1, c);
	set_time(w, ev->mono);
	table_set_cstr(t, 1, COL_EVENT, life_kind_name(ev->kind));
	if (ev->pid > 0)
		table_set_num(t, 1, COL_PID, ev->pid);
	if (ev->tid > 0)
		table_set_num(t, 1, COL_TID, ev->tid);
	if (ev->ppid >= 0)
		table_set_num(t, 1, COL_PPID, ev->ppid);
	if (ev->comm)
		table_set_str(t, 1, COL_COMM, ev->comm, ev->comm_len);
	table_set_cstr(t, 1, COL_SOURCE, ev->polled ? "poll" : "connector");
	if (ev->status >= 0 && sig == 0)
		table_set_num(t, 1, COL_CODE, (ev->status >> 8) & 0xff);
	if (ev->status >= 0 && sig) {
		char buf[32], num[16];
		const char *name = signal_name(sig, num, sizeof(num));

		if (name != num)
			snprintf(buf, sizeof(buf), "SIG%s", name);
		else
			snprintf(buf, sizeof(buf), "%d", sig);
		table_set_cstr(t, 1, COL_SIGNAL, buf);
	}
	if (ev->status >= 0)
		table_set_num(t, 1, COL_CORE, (ev->status & 0x80) != 0);
	if (ev->kind == LIFE_REAP && ev->zombie_for >= 0)
		table_set_float(t, 1, COL_ZOMBIE_FOR, ev->zombie_for);
	if (ev->kind == LIFE_LOST)
		table_set_num(t, 1, COL_LOST, (int64_t)ev->lost);
	if (ev->cmd)
		table_set_str(t, 1, COL_CMD, ev->cmd, ev->cmd_len);
	set_detail(w, ev);
	stream(t, w->o, 1, w);
	if (ev->kind != LIFE_LOST && w->limit && ++w->shown >= w->limit)
		w->done = true;
	if (ferror(stdout))
		w->done = true;
}

static int by_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	return (x->n < y->n) - (x->n > y->n);
}

static int by_longest(const void *a, const void *b)
{
	const struct reaper *x = a, *y = b;

	return (x->longest < y->longest) - (x->longest > y->longest);
}

/* --summary: counts per event, exits by status, the slowest reapers. */
static void print_summary(struct watch *w, unsigned kinds)
{
	struct table *s = table_new("lifewatch", "summary", scols, ARRAY_SIZE(scols));
	struct out_opts so = *w->o;
	char err[128], buf[64];
	size_t r;

	so.output = NULL;
	so.all = false;
	table_select(s, "SECTION,KEY,COMM,COUNT,SECONDS", &so, err, sizeof(err));
	for (int k = 0; k < LIFE_NKINDS; k++) {
		if (!(kinds & (1u << k)) && !w->kinds[k])
			continue;
		r = table_add_row(s);
		table_set_cstr(s, r, S_SECTION, "events");
		table_set_cstr(s, r, S_KEY, life_kind_name(k));
		table_set_num(s, r, S_COUNT, (int64_t)w->kinds[k]);
	}
	if (w->nexits)
		qsort(w->exits, w->nexits, sizeof(*w->exits), by_count);
	for (size_t i = 0; i < w->nexits; i++) {
		r = table_add_row(s);
		life_status_text(w->exits[i].status, buf, sizeof(buf));
		table_set_cstr(s, r, S_SECTION, "exits");
		table_set_cstr(s, r, S_KEY, buf);
		table_set_num(s, r, S_COUNT, (int64_t)w->exits[i].n);
	}
	if (w->nreapers)
		qsort(w->reapers, w->nreapers, sizeof(*w->reapers), by_longest);
	for (size_t i = 0; i < w->nreapers && i < TOP_REAPERS; i++) {
		r = table_add_row(s);
		snprintf(buf, sizeof(buf), "%d", (int)w->reapers[i].pid);
		table_set_cstr(s, r, S_SECTION, "reapers");
		table_set_cstr(s, r, S_KEY, buf);
		if (w->reapers[i].comm_len)
			table_set_str(s, r, S_COMM, w->reapers[i].comm, w->reapers[i].comm_len);
		table_set_num(s, r, S_COUNT, (int64_t)w->reapers[i].n);
		if (w->reapers[i].longest >= 0)
			table_set_float(s, r, S_SECONDS, w->reapers[i].longest);
	}
	{
		sigset_t old;

		/* Let in the signals, as stream() does: the summary is
		 * written after the watch was told to end. */
		sigprocmask(SIG_SETMASK, w->waitmask, &old);
		if (so.fmt == FMT_TABLE && !so.noheadings)
			putchar('\n');
		/* JSON Lines stay JSON Lines: one object per summary row. */
		if (so.fmt == FMT_JSON)
			table_stream(s, &so, 0);
		else
			table_print(s, &so);
		out_flush();
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	table_free(s);
}

/* Report what the connector lost since the last record, then resync; at
 * most once a second in a storm (the counts add up), and at the end. */
static void check_lost(struct watch *w, struct cnproc *cn, struct life *l, bool last)
{
	double now = now_mono();

	w->lost = cnproc_lost(cn);
	if (w->lost <= w->lost_told || (!last && now - w->lost_at < 1.0))
		return;
	life_lost(l, w->lost - w->lost_told, now);
	w->lost_told = w->lost;
	w->lost_at = now;
}

static int ms_until(double when, double now)
{
	if (when < 0)
		return -1;
	if (when <= now)
		return 0;
	return (int)((when - now) * 1000) + 1;
}

/* Read and report up to limit batches of what is queued. Returns 1 when
 * the socket is empty, 0 when there may be more, or -errno. */
static int drain(struct watch *w, struct cnproc *cn, struct life *l, struct cnproc_event *ev,
		 int limit)
{
	for (int b = 0; b < limit && !w->done; b++) {
		ssize_t n = cnproc_recv(cn, ev, BATCH);

		if (n <= 0)
			return n < 0 ? (int)n : 1;
		for (ssize_t i = 0; i < n && !w->done; i++) {
			life_due(l, (double)ev[i].ts_ns / 1e9, false);
			life_feed(l, &ev[i]);
		}
		check_lost(w, cn, l, false);
	}
	return 0;
}

static int watch_connector(struct watch *w, struct cnproc *cn, struct life *l, double end,
			   const sigset_t *waitmask)
{
	struct cnproc_event *ev = xcalloc(BATCH, sizeof(*ev));
	int rc = 0;

	while (!w->done && !stop) {
		struct pollfd pfd[3] = { { cn->fd, POLLIN, 0 }, { life_reap_fd(l), POLLIN, 0 },
					 out_pollfd() };
		double now = now_mono(), next = life_next_due(l);
		bool drained = false;
		int to;

		/* The wall clock may be stepped or slewed under us. */
		w->wall_off = now_wall() - now;
		if (w->lost > w->lost_told && (next < 0 || w->lost_at + 1.0 < next))
			next = w->lost_at + 1.0;
		if (end > 0 && (next < 0 || end < next))
			next = end;
		to = ms_until(next, now);
		if (ppoll(pfd, 3, to < 0 ? NULL : &(struct timespec){ to / 1000, to % 1000 * 1000000L },
			  waitmask) < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (out_gone(&pfd[2]))
			break;
		/* A bounded number of batches, then the timers get their turn. */
		rc = stop ? 0 : drain(w, cn, l, ev, 64);
		if (rc < 0)
			break;
		drained = rc == 1;
		rc = 0;
		if (pfd[1].revents)
			life_reaped(l);
		if (drained || !(pfd[0].revents & POLLIN))
			life_due(l, now_mono(), true);
		check_lost(w, cn, l, false);
		if (end > 0 && now_mono() >= end)
			break;
	}
	/* What happened before the signal or the end is still told. */
	if (rc == 0 && !w->done)
		rc = drain(w, cn, l, ev, 64);
	if (rc >= 0) {
		rc = 0;
		life_due(l, now_mono(), true);
		check_lost(w, cn, l, true);
	}
	free(ev);
	return rc;
}

static int watch_poll(struct watch *w, struct life *l, double interval, double end,
		      const sigset_t *waitmask)
{
	double next = now_mono() + interval;

	while (!w->done && !stop) {
		double now = now_mono(), until = end > 0 && end < next ? end : next;
		int to = ms_until(until, now);
		struct pollfd out = out_pollfd();
		int r;

		if (to > 0 && ppoll(&out, 1, &(struct timespec){ to / 1000, to % 1000 * 1000000L },
				    waitmask) < 0 && errno != EINTR)
			return -errno;
		if (stop || out_gone(&out) || (end > 0 && now_mono() >= end))
			break;
		if (now_mono() < next)
			continue;
		r = life_poll(l);
		if (r < 0)
			return r;
		next += interval;
		if (next < now_mono())
			next = now_mono() + interval;
	}
	return 0;
}

static unsigned parse_events(const char *arg)
{
	unsigned kinds = 1u << LIFE_LOST;
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ",");
		int k = life_kind_parse(p, len);

		if (len && k < 0)
			usage_error("unknown event: '%.*s' (fork, exec, exit, zombie, reap, comm, "
				    "thread, thread-exit, lost)", (int)(len > 32 ? 32 : len), p);
		if (len)
			kinds |= 1u << k;
		p += len + (p[len] == ',');
	}
	/* A watch that can only ever print lost lines is a typo. */
	if (kinds == 1u << LIFE_LOST && !strstr(arg, "lost"))
		usage_error("invalid --events: '%s': no event named", arg);
	return kinds;
}

static size_t parse_bytes(const char *arg)
{
	uint64_t v, mul = 1;
	char num[32];
	size_t n = strlen(arg);

	if (n == 0 || n >= sizeof(num))
		usage_error("invalid --rcvbuf: '%s'", arg);
	memcpy(num, arg, n + 1);
	switch (num[n - 1]) {
	case 'K': case 'k': mul = 1024; break;
	case 'M': case 'm': mul = 1024 * 1024; break;
	case 'G': case 'g': mul = 1024 * 1024 * 1024; break;
	}
	if (mul > 1)
		num[n - 1] = '\0';
	if (parse_u64_str(num, &v) < 0 || mul_overflows(v, mul, &v) || v < 1 || v > (1u << 30))
		usage_error("invalid --rcvbuf: '%s' (bytes, K, M or G; at most 1G)", arg);
	return (size_t)v;
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Processes as they fork, exec, exit, stay zombies and are reaped, one line\n"
	       "per event, from the kernel's process connector (or by polling /proc).\n"
	       "\n"
	       "  -p, --pid LIST        these processes and their descendants, followed\n"
	       "  -C, --comm LIST       only events of processes with these names\n"
	       "  -e, --events LIST     fork, exec, exit, zombie, reap, comm, thread,\n"
	       "                        thread-exit (lost records are always shown)\n"
	       "  -t, --threads         thread creation and exit too\n"
	       "  -c, --count N         stop after N events\n"
	       "  -d, --duration SECS   stop after SECS seconds\n"
	       "  -s, --summary         at the end: counts per event, exits by status, the\n"
	       "                        slowest reapers\n"
	       "  -i, --interval SECS   poll interval; and how long an exit stays unreaped\n"
	       "                        before it is a zombie (default 0.1)\n"
	       "      --poll            read /proc instead of the connector\n"
	       "      --rcvbuf BYTES    the connector socket's buffer (default 32M; K, M, G)\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_NO_ORDER | HELP_NO_BYTES);
	printf("\nThe connector needs root or CAP_NET_ADMIN before Linux 6.6 and works only\n"
	       "in the initial PID and user namespaces; elsewhere %s polls and says so.\n"
	       "Events lost in a storm are counted exactly and reported as a \"lost\" record.\n"
	       "SIGINT or SIGTERM ends the watch (with the summary, if asked for).\n"
	       "\nExit status: 0 success, 1 nothing to watch (-p), 2 usage error, 3 fatal error.\n"
	       "Columns: %s -H. See lifewatch(1).\n", program_invocation_short_name,
	       program_invocation_short_name);
}

enum { OPT_POLL = OPT_TOOL, OPT_RCVBUF };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		SAMPLE_LONGOPTS,
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'C' },
		{ "events", required_argument, NULL, 'e' },
		{ "threads", no_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "summary", no_argument, NULL, 's' },
		{ "poll", no_argument, NULL, OPT_POLL },
		{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct life_opts lo = { .kinds = DEFAULT_KINDS, .cmdline = true, .zombie_after = 0.1 };
	struct watch w = { 0 };
	struct cnproc cn = { .fd = -1 };
	struct procfs pf;
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	struct sigaction sa_alarm = { .sa_handler = on_alarm };
	sigset_t block, waitmask;
	const char *why = NULL;
	bool poll_mode = false, events_given = false;
	double duration = 0, end = 0;
	size_t rcvbuf = 32u << 20;
	ssize_t nwatched;
	struct life *l;
	char err[128];
	int opt, r, rc = 0;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS SAMPLE_SHORTOPTS "C:d:e:p:st",
				  longopts, NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 'e': lo.kinds = parse_events(optarg); events_given = true; break;
		case 't': lo.threads = true; break;
		case 's': w.summary = true; break;
		case OPT_POLL: poll_mode = true; break;
		case OPT_RCVBUF: rcvbuf = parse_bytes(optarg); break;
		case 'd':
			if (parse_seconds_str(optarg, &duration) < 0 || duration <= 0)
				usage_error("invalid --duration: '%s'", optarg);
			break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "lifewatch", cols, ARRAY_SIZE(cols));
	if (co.out.fmt == FMT_PROM)
		usage_error("--format prometheus: lifewatch prints a stream of events");
	if (co.out.sort || co.out.reverse)
		usage_error("--sort, --reverse: events are printed as they happen");
	if (lo.kinds & THREAD_KINDS)
		lo.threads = true;
	else if (lo.threads && !events_given)
		lo.kinds |= THREAD_KINDS;
	if (co.interval > 0)
		lo.zombie_after = co.interval;
	lo.filt = &co.filt;
	w.limit = co.count;

	w.t = table_new("lifewatch", "events", cols, ARRAY_SIZE(cols));
	procfs_open_or_die(&pf, &co);
	/* A copy never changes: polling it would watch forever for nothing. */
	sampling_needs_live(&pf, "lifewatch watches the live /proc");
	if (pf.alternate)
		why = "an alternate /proc root";
	else if (!poll_mode && (r = cnproc_open(&cn, rcvbuf)) < 0)
		why = strerror(-r);
	else if (!poll_mode && (r = cnproc_subscribe(&cn, 1000)) < 0)
		why = r == -ETIMEDOUT ? "no acknowledgement (another PID or user namespace?)" :
		      r == -EPERM ? "permission denied (needs CAP_NET_ADMIN before Linux 6.6)" :
		      strerror(-r);
	if (why || poll_mode) {
		if (cn.fd >= 0)
			cnproc_close(&cn);
		w.polled = lo.poll = true;
		if (why)
			fprintf(stderr, "%s: process connector unavailable: %s\n",
				program_invocation_short_name, why);
		fprintf(stderr, "%s: polling %s every %g s: processes that live shorter "
			"than that may be missed\n", program_invocation_short_name, pf.proc,
			lo.zombie_after);
		if (lo.threads)
			fprintf(stderr, "%s: thread events need the process connector\n",
				program_invocation_short_name);
	}
	/* What a hidepid mount hides, the events of the connector too are
	 * missing their names, and polling does not see at all. */
	scan_note_hidepid(&pf);
	if (table_select(w.t, w.polled ? "TIME,EVENT,PID,PPID,COMM,SOURCE,DETAIL"
			 : "TIME,EVENT,PID,PPID,COMM,DETAIL", &co.out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	for (int c = 0; c < (int)ARRAY_SIZE(widths); c++)
		table_stream_width(w.t, c, c == COL_EVENT && lo.threads ? 11 : widths[c]);
	w.o = &co.out;
	w.wall_off = now_wall() - now_mono();

	/* Signals are let in only while waiting and writing (stream()):
	 * neither a read nor, while the reader reads, a line is cut. The
	 * handler restarts the writes; ppoll is never restarted. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	w.waitmask = &waitmask;
	sigaction(SIGALRM, &sa_alarm, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	l = life_new(&pf, &lo, on_event, &w);
	nwatched = life_scan(l);
	if (nwatched < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name, pf.proc,
			strerror((int)-nwatched));
		rc = EXIT_FATAL;
		goto out;
	}
	if (co.filt.npids && nwatched == 0) {
		fprintf(stderr, "%s: no such process: %d%s\n", program_invocation_short_name,
			(int)co.filt.pids[0], co.filt.npids > 1 ? " (nor the others)" : "");
		rc = EXIT_NONE;
		goto out;
	}
	/* The header says the watch has begun. Then row 1 is refilled for
	 * each event (row 0 keeps the stream from reprinting the header). */
	stream(w.t, &co.out, 0, &w);
	if (ferror(stdout))
		goto out;
	table_add_row(w.t);
	table_add_row(w.t);
	if (duration > 0)
		end = now_mono() + duration;
	if (w.polled)
		r = watch_poll(&w, l, lo.zombie_after, end, &waitmask);
	else
		r = watch_connector(&w, &cn, l, end, &waitmask);
	if (r < 0) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
			w.polled ? pf.proc : "process connector", strerror(-r));
		rc = EXIT_FATAL;
		goto out;
	}
	if (w.summary && !ferror(stdout))
		print_summary(&w, lo.kinds);
	if (w.lost)
		fprintf(stderr, "%s: %llu events lost (socket buffer %zu bytes; see --rcvbuf)\n",
			program_invocation_short_name, (unsigned long long)w.lost, cn.rcvbuf);
out:
	if (!w.polled)
		cnproc_close(&cn);
	life_free(l);
	table_free(w.t);
	free(w.exits);
	free(w.reapers);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(rc);
}
