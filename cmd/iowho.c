/*
 * iowho: who is doing the I/O? The iotop that works in a pipe: per process
 * (or thread, -t) the bytes read from and written to storage over an
 * interval, as rates and totals, the dirty data thrown away (CANCELLED),
 * and the share of the interval spent waiting on block I/O (IODELAY).
 *
 * Reads PID/io of every process at the start and at the end of each
 * interval, and PID/stat only of the processes shown (COMM, and the start
 * time that proves a PID still names the process whose io was read). With
 * task delay accounting on, stat is read at both ends for IODELAY (stat
 * field 42, delayacct_blkio_ticks); with it off, IODELAY is unknown. A
 * process whose io cannot be read has its stat read too, so that a kernel
 * thread is not counted in the note on stderr.
 *
 * A process's io includes the I/O of the children it has reaped: the
 * kernel adds a child's counters to its parent's when the parent waits for
 * it (as it does for cutime). So a child seen at the start of an interval
 * and reaped during it would be counted twice, under itself before and
 * within its parent's delta now. At the start of each interval, stat (for
 * PPID) is also read of the processes whose counters could be counted
 * twice that way (nonzero ones); a process gone at the end has those
 * counters taken off its parent's delta. What the parent keeps is the I/O
 * its reaped children did in the interval.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opts.h"
#include "pidio.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"

#define N_STAT		0x01	/* stat at both ends (IODELAY) */
#define N_USER		0x02	/* the /proc/PID owner */
#define N_THREAD	0x100	/* -t only */
#define N_REPEAT	0x200	/* -c N > 1 only */

enum {
	COL_SAMPLE, COL_PID, COL_TID, COL_USER, COL_COMM, COL_READ_BPS, COL_WRITE_BPS,
	COL_TOTAL_BPS, COL_READ_BYTES, COL_WRITE_BYTES, COL_CANCELLED, COL_IODELAY,
	COL_RCHAR_BPS, COL_WCHAR_BPS,
};

static const struct col cols[] = {
	[COL_SAMPLE] = { "SAMPLE", COL_NUM, CF_NOPROM, N_REPEAT, NULL,
			 "report number with -c, from 1" },
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, 0, NULL, "process ID" },
	[COL_TID] = { "TID", COL_NUM, CF_LABEL, N_THREAD, NULL, "thread ID (-t)" },
	[COL_USER] = { "USER", COL_TEXT, 0, N_USER, NULL, "effective user" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, 0, NULL, "command name" },
	[COL_READ_BPS] = { "READ_BPS", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			   "bytes read from storage per second" },
	[COL_WRITE_BPS] = { "WRITE_BPS", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			    "bytes written per second (charged when dirtied, not on writeback)" },
	[COL_TOTAL_BPS] = { "TOTAL_BPS", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			    "READ_BPS + WRITE_BPS: the default order" },
	[COL_READ_BYTES] = { "READ_BYTES", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			     "bytes read from storage over the interval" },
	[COL_WRITE_BYTES] = { "WRITE_BYTES", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			      "bytes written over the interval" },
	[COL_CANCELLED] = { "CANCELLED", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			    "written bytes thrown away before writeback (truncate, unlink)" },
	[COL_IODELAY] = { "IODELAY", COL_FLOAT, 0, N_STAT, NULL,
			  "% of the interval waiting on block I/O and swap-in "
			  "(needs kernel.task_delayacct=1)" },
	[COL_RCHAR_BPS] = { "RCHAR_BPS", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			    "bytes of read system calls per second, page cache hits included" },
	[COL_WCHAR_BPS] = { "WCHAR_BPS", COL_SIZE, 0, 0, "root or CAP_SYS_PTRACE",
			    "bytes of write system calls per second" },
};

/* One task's counters at one sample. io_known is false when its io could
 * not be read (another user's, not dumpable, malformed, or missing from a
 * saved tree: io_err is -EACCES, -EINVAL, -ENOENT...): the task is kept,
 * so that -a can list it and the totals can say they leave it out. ppid,
 * starttime and blkio are set when have_stat. */
struct ent {
	pid_t pid, tid, ppid;
	struct proc_io io;
	struct proc_io shown;	/* the counters its reports have counted up to:
				 * io, unless it ended before its row was made */
	bool io_known, have_stat;
	int io_err;
	uint64_t starttime, blkio;
};

struct sample {
	struct ent *e;
	size_t n, cap;
	double mono, uptime;
	size_t unsaved;		/* -t: processes the filters keep whose threads
				 * the saved tree does not hold (no task/) */
};

/* A row of a report. */
struct row {
	const struct ent *now;
	pid_t pid, tid;
	char comm[64];
	size_t comm_len;
	bool have_io, have_uid, have_delay;
	bool gone;		/* finish_row: the process whose io was read ended */
	uid_t uid;
	uint64_t rb, wb, cb, rc, wc;
	double delay;
};

struct ictx {
	const struct procfs *pf;
	const struct filter *filt;
	bool threads, all, stat_each, want_user, want_delay, want_chars;
	bool want_ppid;		/* this sample begins an interval (processes only) */
	const struct sample *prev;	/* the sample that begins this interval, if any */
	pid_t self;
};

/* Of the tasks of a report that the filters keep (kernel threads are never
 * kept), those whose I/O over the interval is unknown because their io was
 * refused (denied), malformed (broken) or not saved in a saved tree at
 * either end (unsaved): io_unknown and the note on stderr count these.
 * How many tasks the filters keep is not counted: that would take the
 * stat of every task, which a report otherwise reads only for the tasks
 * it shows. */
struct kept {
	size_t denied, broken, unsaved;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static const struct ent *find_ent(const struct sample *s, pid_t pid, pid_t tid)
{
	struct ent key = { .pid = pid, .tid = tid };

	return s->n ? bsearch(&key, s->e, s->n, sizeof(*s->e), cmp_ent) : NULL;
}

/* Whether a process's counters, if its parent reaped it in the next
 * interval, would come back in the parent's delta where they count: those
 * of the columns shown. */
static bool io_reapable(const struct ictx *c, const struct proc_io *io)
{
	return io->read_bytes || io->write_bytes || io->cancelled_write_bytes ||
	       (c->want_chars && (io->rchar || io->wchar));
}

/* Whether the previous sample holds a process on pid whose counters its
 * parent gets back if it is reaped: reaped_before then needs the start
 * time of whatever holds pid now, to tell that process still there from
 * another that reused its PID. */
static bool was_reapable(const struct ictx *c, pid_t pid)
{
	const struct ent *p = c->prev ? find_ent(c->prev, pid, pid) : NULL;

	return p && p->have_stat && p->ppid > 0 && p->io_known && io_reapable(c, &p->io);
}

/* The io (and with IODELAY the stat) of one task. A task whose io cannot
 * be read is kept with io_known false; its stat (world-readable) tells
 * whether it is a kernel thread, which is no row either way. At the start
 * of an interval, the stat of a process with counters to lose to its
 * parent is read too, for its PPID; at the end, that of a process on the
 * PID of one that had such counters at the start, for its start time. The
 * stat is read through the same handle as the io: both are of one
 * process. */
static void read_one(struct ictx *c, struct sample *s, struct pidh *h, pid_t pid, pid_t tid)
{
	struct ent e = { .pid = pid, .tid = tid };
	int r = io_read(h, &e.io);
	bool need;

	/* Live, the task has gone. A saved tree that holds the task but not
	 * its io was taken without it (an older capture of threads): that
	 * task is kept, its I/O unknown, and the note says why. Each tree
	 * keeps its own: two trees may lack different tasks' io. */
	if (r == -ENOENT && !c->pf->alternate)
		return;
	e.io_known = r == 0 && (e.io.has & IOF_READ_BYTES);
	e.shown = e.io;
	e.io_err = e.io_known ? 0 : r < 0 ? r : -EINVAL;
	need = c->stat_each || !e.io_known;
	if (need || (c->want_ppid && io_reapable(c, &e.io)) ||
	    (!c->threads && was_reapable(c, pid))) {
		struct proc_stat st;
		int rs = stat_read(h, &st);

		/* Without its PPID, a process is kept: nothing of a child
		 * whose parent is unknown is taken off anyone. */
		if (need && (rs == -ENOENT || (rs < 0 && e.io_known)))
			return;
		/* Kernel threads' io is the work they do for others. */
		if (rs == 0 && (st.flags & PF_KTHREAD_FLAG))
			return;
		if (rs == 0) {
			e.have_stat = true;
			e.ppid = st.ppid;
			e.starttime = st.starttime;
			e.blkio = st.delayacct_blkio_ticks;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->e = xreallocarray(s->e, s->cap, sizeof(*s->e));
	}
	s->e[s->n++] = e;
}

/* Whether the filters keep process h of a saved tree, whose threads are
 * not in it: a kernel thread's would be no row anyway. */
static bool unsaved_kept(struct ictx *c, struct pidh *h)
{
	struct proc_stat st;
	uid_t uid;

	if (stat_read(h, &st) < 0 || (st.flags & PF_KTHREAD_FLAG))
		return false;
	if (!filter_comm_ok(c->filt, st.comm) || !filter_cgroup_ok(c->filt, h))
		return false;
	return !c->filt->nuids || (proc_euid(h, &uid) == 0 && filter_uid_ok(c->filt, uid));
}

/* Every process's (or task's) counters now. Filters on PID apply here;
 * those on user, name and cgroup need more files and apply to the rows
 * shown. */
static int take(struct ictx *c, struct sample *s)
{
	pid_t *pids;
	ssize_t n;

	s->n = s->unsaved = 0;
	s->mono = c->pf->alternate ? 0 : now_mono();
	if (uptime_read(c->pf, &s->uptime, NULL) < 0)
		s->uptime = -1;
	n = procfs_list_pids(c->pf->procfd, ".", &pids);
	if (n < 0)
		return (int)n;
	for (ssize_t i = 0; i < n; i++) {
		struct pidh h;

		if (pids[i] == c->self || !filter_pid_ok(c->filt, pids[i]))
			continue;
		pidh_open(&h, c->pf, pids[i], c->threads);
		if (c->threads) {
			pid_t *tids;
			ssize_t nt = procfs_list_pids(pidh_dirfd(&h), "task", &tids);

			/* A saved tree with no task/ holds no thread at all:
			 * how many it had is unknown, so the process is
			 * counted. */
			if (nt < 0 && c->pf->alternate && unsaved_kept(c, &h))
				s->unsaved++;
			for (ssize_t k = 0; k < nt; k++) {
				struct pidh th;

				if (pidh_open_task(&th, &h, tids[k]) == 0)
					read_one(c, s, &th, pids[i], tids[k]);
				pidh_close(&th);
			}
			if (nt > 0)
				free(tids);
		} else {
			read_one(c, s, &h, pids[i], pids[i]);
		}
		pidh_close(&h);
	}
	free(pids);
	if (s->n)
		qsort(s->e, s->n, sizeof(*s->e), cmp_ent);
	return 0;
}

static uint64_t sub(uint64_t b, uint64_t a)
{
	return b >= a ? b - a : 0;
}

/* What the parents of now got back in their io from the children they
 * reaped during the interval and that had been counted before, at prev:
 * the counters at prev of the processes gone since, summed per parent
 * (indexed like now->e). The parent is the PPID at prev: one that is in
 * both samples and does not ignore SIGCHLD. That the process on its PID
 * at the end is the same is for its row to prove (finish_row), before
 * anything is taken off it. A child whose parent exited before it was
 * reaped by another process (init, a subreaper), whose io grew by all of
 * the child's: nothing is taken off that one, which cannot be told from
 * a parent of its own. Returns NULL when no such child went (-t: a
 * thread's io has no children's in it). */
static struct proc_io *reaped_before(const struct ictx *c, const struct sample *prev,
				     const struct sample *now)
{
	struct proc_io *sum = NULL;
	signed char *ign = NULL;	/* per parent: 1 ignores SIGCHLD, -1 not, 0 not asked */

	for (size_t i = 0; !c->threads && i < prev->n; i++) {
		const struct ent *ch = &prev->e[i], *still, *pa, *pa0;
		struct proc_io *to;
		size_t k;

		if (!ch->have_stat || ch->ppid <= 0 || !ch->io_known || !io_reapable(c, &ch->io))
			continue;
		/* Its PID at the end may be another process's: read_one
		 * read the stat of whatever holds it. One whose stat could
		 * not be read is taken to be the child. */
		still = find_ent(now, ch->pid, ch->pid);
		if (still && (!still->have_stat || still->starttime == ch->starttime))
			continue;
		pa = find_ent(now, ch->ppid, ch->ppid);
		pa0 = find_ent(prev, ch->ppid, ch->ppid);
		if (!pa || !pa0 || !pa->io_known ||
		    (pa->have_stat && pa0->have_stat && pa->starttime != pa0->starttime))
			continue;
		k = (size_t)(pa - now->e);
		if (!sum) {
			sum = xcalloc(now->n, sizeof(*sum));
			ign = xcalloc(now->n, sizeof(*ign));
		}
		if (!ign[k])
			ign[k] = proc_ignores_sigchld(c->pf, pa->pid) ? 1 : -1;
		if (ign[k] > 0)
			continue;
		to = &sum[k];
		/* What its reports counted: its counters at prev, or less
		 * when it ended before its row of that report was made. */
		to->rchar += ch->shown.rchar;
		to->wchar += ch->shown.wchar;
		to->read_bytes += ch->shown.read_bytes;
		to->write_bytes += ch->shown.write_bytes;
		to->cancelled_write_bytes += ch->shown.cancelled_write_bytes;
	}
	free(ign);
	return sum;
}

/* The deltas of e's counters since base (NULL: born in the interval, all
 * of them), less what reaped says came back from children counted before
 * (NULL: none). A parent born in the interval cannot have reaped a child
 * that was another's at its start. */
static void set_deltas(struct row *rw, const struct ent *e, const struct ent *base,
		       const struct proc_io *reaped)
{
	static const struct proc_io zero;
	const struct proc_io *a = base ? &base->io : &zero;
	const struct proc_io *r = base && reaped ? reaped : &zero;

	rw->rb = sub(sub(e->io.read_bytes, a->read_bytes), r->read_bytes);
	rw->wb = sub(sub(e->io.write_bytes, a->write_bytes), r->write_bytes);
	rw->cb = sub(sub(e->io.cancelled_write_bytes, a->cancelled_write_bytes),
		     r->cancelled_write_bytes);
	rw->rc = sub(sub(e->io.rchar, a->rchar), r->rchar);
	rw->wc = sub(sub(e->io.wchar, a->wchar), r->wchar);
}

/* The rest of a row, through the task's own directory: its stat (COMM,
 * and a start time that proves the PID was not reused since its io was
 * read), the filters that need files, and its owner. Returns false to
 * drop the row. base is set to the previous sample's counters of the
 * same task, or NULL when all of its I/O is in the interval. */
static bool finish_row(struct ictx *c, struct row *rw, const struct sample *prev,
		       const struct sample *now, const struct ent **base)
{
	const double hz = (double)procfs_hz();
	struct pidh h, th, *t = &h;
	struct proc_stat st;
	bool ok = false;

	rw->gone = true;
	if (pidh_open(&h, c->pf, rw->pid, true) < 0)
		return false;
	if (c->threads && (pidh_open_task(&th, &h, rw->tid) < 0 || pidh_dirfd(&th) < 0))
		goto out;
	if (c->threads)
		t = &th;
	if (stat_read(t, &st) < 0)
		goto out;
	if (rw->now->have_stat && rw->now->starttime != st.starttime)
		goto out;
	rw->gone = false;
	if (st.flags & PF_KTHREAD_FLAG)
		goto out;
	/* Born after this sample began: its io was someone else's. */
	if (now->uptime >= 0 && (double)st.starttime / hz > now->uptime + 0.01)
		goto out;
	*base = find_ent(prev, rw->pid, rw->tid);
	if (*base && (*base)->have_stat && (*base)->starttime != st.starttime)
		*base = NULL;
	else if (prev->uptime >= 0 && (double)st.starttime / hz > prev->uptime)
		*base = NULL;	/* born during the interval: all of its I/O counts */
	else if (!*base)
		goto out;	/* there before, but its io was not read then */
	if (!filter_comm_ok(c->filt, st.comm) || !filter_cgroup_ok(c->filt, &h))
		goto out;
	memcpy(rw->comm, st.comm, sizeof(rw->comm));
	rw->comm_len = st.comm_len;
	if (c->want_user || c->filt->nuids) {
		rw->have_uid = proc_euid(&h, &rw->uid) == 0;
		if (c->filt->nuids && (!rw->have_uid || !filter_uid_ok(c->filt, rw->uid)))
			goto out;
	}
	ok = true;
out:
	if (c->threads)
		pidh_close(&th);
	pidh_close(&h);
	return ok;
}

/* Seconds between two samples: the monotonic clock live, the uptimes of
 * two saved trees (--proc-after). */
static double sample_dt(const struct sample *a, const struct sample *b)
{
	if (b->mono > 0 && a->mono > 0)
		return b->mono - a->mono;
	return a->uptime >= 0 && b->uptime >= 0 ? b->uptime - a->uptime : -1;
}

/* Whether the I/O of e over an interval of dt seconds is known: its io
 * read at the end, and at the start too unless it was born in between
 * (base NULL). An interval that is not positive gives no deltas at all:
 * unknown, never a clamped 0. */
static bool io_known(const struct ent *e, const struct ent *base, double dt)
{
	return dt > 0 && e->io_known && (!base || base->io_known);
}

/* Count a kept task whose I/O over the interval is unknown, by why: its
 * io at the end, else at the start, could not be read. */
static void count_unknown(struct kept *k, const struct ent *e, const struct ent *base)
{
	int err = !e->io_known ? e->io_err : base && !base->io_known ? base->io_err : -EINVAL;

	if (err == -EACCES)
		k->denied++;
	else if (err == -ENOENT)
		k->unsaved++;
	else
		k->broken++;
}

/* The rows of one report: tasks with storage I/O over the interval (every
 * task with -a, those whose I/O is unknown included), with their counters'
 * deltas. k counts the tasks the filters keep, shown or not, whose I/O
 * over the interval is unknown: the totals leave these out.
 * *any_known says whether the I/O of at least one task the filters keep is
 * known. */
static size_t make_rows(struct ictx *c, const struct sample *prev, struct sample *now,
			struct row **out, struct kept *k, bool *any_known)
{
	struct row *rows = NULL;
	size_t n = 0;
	double dt = sample_dt(prev, now);
	struct proc_io *reaped = dt > 0 ? reaped_before(c, prev, now) : NULL;

	k->denied = k->broken = k->unsaved = 0;
	*any_known = false;
	for (size_t i = 0; i < now->n; i++) {
		const struct ent *e = &now->e[i], *base = find_ent(prev, e->pid, e->tid);
		const struct proc_io *r = reaped ? &reaped[i] : NULL;
		struct row rw = { .now = e, .pid = e->pid, .tid = e->tid };

		if (io_known(e, base, dt)) {
			/* Nothing of its reaped children is taken off yet:
			 * the process on the PID may have been born in the
			 * interval, with nothing to give back, and only
			 * finish_row tells (a process with no counters at the
			 * start had no stat read then). */
			set_deltas(&rw, e, base, NULL);
			/* A task that was not in the first sample is looked at
			 * only when it could have done I/O: always, since it
			 * may be new. An idle one has no row, but makes the
			 * totals known if the filters keep it: its files are
			 * read for that only while no other task did so. */
			if (!c->all && !rw.rb && !rw.wb && !rw.cb && base) {
				if (!*any_known && (!filter_active(c->filt) ||
						    finish_row(c, &rw, prev, now, &base)))
					*any_known = true;
				continue;
			}
		} else if (!c->all && !filter_active(c->filt)) {
			/* Not shown, and no filter to pass: counted without
			 * reading more (its stat, read because its io could
			 * not be, showed no kernel thread). */
			count_unknown(k, e, base);
			continue;
		}
		if (!finish_row(c, &rw, prev, now, &base)) {
			/* It ended between its io and its row: this report
			 * does not count the I/O since base, which its parent
			 * gets back when it reaps it (see reaped_before). */
			if (rw.gone) {
				static const struct proc_io zero;

				now->e[i].shown = base ? base->shown : zero;
			}
			continue;
		}
		rw.have_io = io_known(e, base, dt);
		if (!rw.have_io) {
			count_unknown(k, e, base);
			if (!c->all)
				continue;
		} else {
			*any_known = true;
			/* finish_row may have found base to be another
			 * process's: the deltas again, from what it left, less
			 * the reaped children's of a base it confirmed. */
			set_deltas(&rw, e, base, r);
			if (!c->all && !rw.rb && !rw.wb && !rw.cb)
				continue;
		}
		if (c->stat_each && e->have_stat && dt > 0) {
			uint64_t d0 = base && base->have_stat ? base->blkio : 0;

			rw.have_delay = true;
			rw.delay = 100.0 * (double)sub(e->blkio, d0) / (double)procfs_hz() / dt;
			if (rw.delay > 100)
				rw.delay = 100;
		}
		rows = xreallocarray(rows, n + 1, sizeof(*rows));
		rows[n++] = rw;
	}
	free(reaped);
	*out = rows;
	return n;
}

static void set_row(struct table *t, size_t r, const struct row *rw, double dt, long sample)
{
	char user[64];

	table_set_num(t, r, COL_SAMPLE, sample);
	table_set_num(t, r, COL_PID, rw->pid);
	table_set_num(t, r, COL_TID, rw->tid);
	if (rw->have_uid) {
		user_name(rw->uid, user, sizeof(user));
		table_set_cstr(t, r, COL_USER, user);
	}
	table_set_str(t, r, COL_COMM, rw->comm, rw->comm_len);
	if (rw->have_delay)
		table_set_float(t, r, COL_IODELAY, rw->delay);
	/* Unknown I/O is "-", never 0. */
	if (!rw->have_io)
		return;
	table_set_size(t, r, COL_READ_BYTES, rw->rb);
	table_set_size(t, r, COL_WRITE_BYTES, rw->wb);
	table_set_size(t, r, COL_CANCELLED, rw->cb);
	if (dt > 0) {
		table_set_size(t, r, COL_READ_BPS, (uint64_t)((double)rw->rb / dt + 0.5));
		table_set_size(t, r, COL_WRITE_BPS, (uint64_t)((double)rw->wb / dt + 0.5));
		table_set_size(t, r, COL_TOTAL_BPS,
			       (uint64_t)((double)(rw->rb + rw->wb) / dt + 0.5));
		table_set_size(t, r, COL_RCHAR_BPS, (uint64_t)((double)rw->rc / dt + 0.5));
		table_set_size(t, r, COL_WCHAR_BPS, (uint64_t)((double)rw->wc / dt + 0.5));
	}
}

/* A total of a report, or, when the I/O of no task could be read, an
 * unknown one: "unknown" in the table, "-" in pairs, null in JSON, no
 * sample in prometheus. Never a 0 that stands for nothing read. */
static void add_total(struct table *t, const struct out_opts *o, const char *key,
		      const char *label, const char *help, bool known, uint64_t bps)
{
	if (known)
		table_meta(t, key, label, COL_SIZE, help, (int64_t)bps, 0, NULL);
	else if (o->fmt == FMT_TABLE)
		table_meta(t, NULL, label, COL_TEXT, help, 0, 0, "unknown");
	else
		table_meta(t, key, label, COL_TEXT, help, 0, 0, NULL);
}

/* One line of the note: n tasks (rows), or the threads of n processes,
 * whose io the saved trees do not hold. */
static void note_unsaved(const struct ictx *c, size_t n, bool whole)
{
	const char *one = c->threads && !whole ? "thread" : "process";

	if (n)
		fprintf(stderr, "%s: I/O unknown for %s%zu %s%s: the saved tree has no %s for %s\n",
			program_invocation_short_name, whole ? "the threads of " : "", n, one,
			n == 1 ? "" : c->threads && !whole ? "s" : "es",
			c->threads ? "task/TID/io" : "io", n > 1 ? "them" : "it");
}

/* The note on stderr about the tasks whose io could not be read, once:
 * processes, or threads with -t, of those the filters keep; then the
 * tasks whose io a saved tree does not hold, and the processes whose
 * threads it does not hold. */
static void note_io_unknown(const struct ictx *c, const struct kept *k, size_t unsaved)
{
	const char *rows = c->threads ? "threads" : "processes";

	note_unknown_of("I/O", k->denied, SIZE_MAX, rows, -EACCES);
	note_unknown_of("I/O", k->broken, SIZE_MAX, rows, -EINVAL);
	note_unsaved(c, k->unsaved, false);
	note_unsaved(c, unsaved, true);
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Who is doing the I/O: bytes each process read from and wrote to storage\n"
	       "over the interval, as rates and totals, sorted by bytes per second; like\n"
	       "iotop -b, for pipes and scripts.\n"
	       "\n"
	       "  -a, --all             every process, not only those doing I/O\n"
	       "  -t, --threads         one row per thread\n"
	       "  -N, --top N           the N busiest\n"
	       "      --proc-after DIR  the end of the interval from a second saved /proc\n"
	       "                        tree (taken after --proc's) instead of sleeping\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS | HELP_SAMPLING);
	printf("\nThe interval is 1 s unless -i; -c N prints N reports, one per interval.\n"
	       "Other users' I/O needs root or CAP_SYS_PTRACE; stderr counts the processes\n"
	       "whose io could not be read. WRITE_BPS counts data when it is dirtied, so a\n"
	       "buffered writer shows at write(2), not at writeback.\n"
	       "\nIODELAY needs task delay accounting, off by default since Linux 5.14:\n"
	       "  sysctl kernel.task_delayacct=1   (or boot with delayacct)\n"
	       "Tasks started before it was turned on show 0 until they wait again.\n"
	       "\nExit status: 0 success, 2 usage error, 3 fatal error.\n"
	       "Columns: %s -H. See iowho(1).\n", program_invocation_short_name);
}

enum { OPT_PROC_AFTER = OPT_TOOL };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		SAMPLE_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "threads", no_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'N' },
		{ "proc-after", required_argument, NULL, OPT_PROC_AFTER },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct ictx c = { .self = getpid() };
	struct sample s[2] = { { 0 } };
	struct procfs pf, pfb;
	const char *after = NULL;
	unsigned long long delayacct = 1;
	bool delay_on, stream_json;
	uint64_t top = 0;
	char err[128], defaults[160];
	int opt;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS FILTER_SHORTOPTS SAMPLE_SHORTOPTS
				  "aN:t", longopts, NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 'a': c.all = true; break;
		case 't': c.threads = true; break;
		case 'N':
			if (parse_u64_str(optarg, &top) < 0 || top == 0 || top > 10000000)
				usage_error("invalid --top: '%s'", optarg);
			break;
		case OPT_PROC_AFTER: after = optarg; break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "iowho", cols, ARRAY_SIZE(cols));
	if (!co.count)
		co.count = 1;
	/* A textfile collector reads one document: a report per interval
	 * would repeat every series. */
	if (co.out.fmt == FMT_PROM && co.count > 1)
		usage_error("--format prometheus gives one report: no -c");
	snprintf(defaults, sizeof(defaults), "%sPID,%sUSER,READ_BPS,WRITE_BPS,READ_BYTES,"
		 "WRITE_BYTES,CANCELLED,IODELAY,COMM", co.count > 1 ? "SAMPLE," : "",
		 c.threads ? "TID," : "");
	{
		struct table *t = table_new("iowho", "processes", cols, ARRAY_SIZE(cols));

		table_exclude(t, (c.threads ? 0 : N_THREAD) | (co.count > 1 ? 0 : N_REPEAT));
		if (table_select(t, defaults, &co.out, err, sizeof(err)) < 0)
			usage_error("%s", err);
		c.want_user = table_wants(t, COL_USER);
		c.want_delay = c.stat_each = table_wants(t, COL_IODELAY);
		c.want_chars = table_wants(t, COL_RCHAR_BPS) || table_wants(t, COL_WCHAR_BPS);
		table_free(t);
	}
	if (after && co.count > 1)
		usage_error("--proc-after gives one interval (no -c)");
	procfs_open_or_die(&pf, &co);
	/* A saved tree is one instant: the interval needs a second one. */
	if (after)
		procfs_open_after_or_die(&pfb, &co, &pf, after);
	else if (pf.alternate)
		usage_error("a saved tree has no interval: give the second with --proc-after DIR");
	if (!co.interval)
		co.interval = 1;
	if (pf.alternate)
		c.self = 0;
	c.pf = &pf;
	c.filt = &co.filt;
	/* Without the sysctl (before 5.14) delay accounting is on unless
	 * booted with nodelayacct. */
	if (procfs_read_u64(&pf, "sys/kernel/task_delayacct", &delayacct) < 0)
		delayacct = 1;
	delay_on = delayacct != 0;
	if (!delay_on)
		c.stat_each = false;
	stream_json = co.out.fmt == FMT_JSON && co.count > 1;

	/* Each sample but the last begins an interval. */
	c.want_ppid = !c.threads;
	opt = take(&c, &s[0]);
	if (opt < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name, pf.proc,
			strerror(-opt));
		return out_finish(EXIT_FATAL);
	}
	for (long k = 1; k <= co.count; k++) {
		struct sample *prev = &s[(k - 1) % 2], *now = &s[k % 2];
		struct table *t = table_new("iowho", c.threads ? "threads" : "processes", cols,
					    ARRAY_SIZE(cols));
		struct row *rows;
		struct kept kept = { 0 };
		size_t n, unknown, unsaved;
		bool any_known;
		double dt;
		uint64_t tr = 0, tw = 0;
		int r;

		if (after) {
			c.pf = &pfb;
		} else {
			if (co.interval > 1 && isatty(STDERR_FILENO))
				fprintf(stderr, "%s: sampling for %g s...",
					program_invocation_short_name, co.interval);
			sleep_secs(co.interval);
			if (co.interval > 1 && isatty(STDERR_FILENO))
				fputs("\r\033[K", stderr);
		}
		c.want_ppid = !c.threads && k < co.count;
		c.prev = prev;
		r = take(&c, now);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name,
				pf.proc, strerror(-r));
			return out_finish(EXIT_FATAL);
		}
		dt = sample_dt(prev, now);
		/* A process whose threads either tree lacks: the two trees
		 * of one capture lack the same processes' task/. */
		unsaved = prev->unsaved > now->unsaved ? prev->unsaved : now->unsaved;
		n = make_rows(&c, prev, now, &rows, &kept, &any_known);
		unknown = kept.denied + kept.broken + kept.unsaved;
		table_exclude(t, (c.threads ? 0 : N_THREAD) | (co.count > 1 ? 0 : N_REPEAT));
		table_default_sort(t, COL_TOTAL_BPS);
		if (c.threads)
			table_key(t, COL_TID);
		table_select(t, defaults, &co.out, err, sizeof(err));
		for (size_t i = 0; i < n; i++) {
			set_row(t, table_add_row(t), &rows[i], dt, k);
			tr += rows[i].rb;
			tw += rows[i].wb;
		}
		if (top)
			table_limit(t, (size_t)top);
		/* The totals are those of the tasks whose I/O is known; the
		 * others are counted beside them, and when there are none of
		 * the first (or no interval), the totals are unknown. */
		{
			/* Nothing read because the trees hold no io is
			 * unknown, not a calm machine. With -t, a process
			 * whose threads they lack makes how many threads are
			 * unknown unknown too. */
			bool tk = dt > 0 && (any_known || (unknown == 0 && !unsaved));
			bool count_known = !unsaved;
			const char *what = c.threads ? "threads" : "processes";
			/* One HELP text with -t or without: a collector refuses
			 * a metric whose HELP differs between two files. */
			const char *help_rb = "bytes read per second, summed over the processes "
					      "(threads with -t) whose I/O is known";
			const char *help_wb = "bytes written per second, summed over the processes "
					      "(threads with -t) whose I/O is known";
			const char *help = "processes (threads with -t) whose I/O over the "
					   "interval is unknown (not in the totals)";
			char line[128];

			add_total(t, &co.out, "total_read_bps", "total read", help_rb, tk,
				  tk ? (uint64_t)((double)tr / dt) : 0);
			add_total(t, &co.out, "total_write_bps", "total write", help_wb, tk,
				  tk ? (uint64_t)((double)tw / dt) : 0);
			if (co.out.fmt != FMT_TABLE && count_known) {
				table_meta(t, "io_unknown", "I/O unknown", COL_NUM, help,
					   (int64_t)unknown, 0, NULL);
			} else if (co.out.fmt != FMT_TABLE) {
				table_meta(t, "io_unknown", "I/O unknown", COL_TEXT, help, 0, 0, NULL);
			} else if (unknown || unsaved) {
				int len = unknown ? snprintf(line, sizeof(line), "%zu %s", unknown,
							     unknown > 1 ? what : c.threads ?
							     "thread" : "process") : 0;

				if (!count_known)
					snprintf(line + len, sizeof(line) - (size_t)len,
						 "%sthe threads of %zu process%s", len ? ", " : "",
						 unsaved, unsaved > 1 ? "es" : "");
				table_meta(t, NULL, "I/O unknown, not in the totals", COL_TEXT,
					   NULL, 0, 0, line);
			}
		}
		if (stream_json) {
			/* JSON Lines: each report one object on a line, its
			 * number first, then what -J prints for one report:
			 * the rows, the totals, io_unknown. */
			struct table *rec = table_new("iowho", NULL, cols, ARRAY_SIZE(cols));
			struct table *both[2] = { rec, t };
			struct out_opts ro = co.out;

			ro.output = NULL;
			ro.all = false;
			ro.sort = NULL;
			table_select(rec, "SAMPLE", &ro, err, sizeof(err));
			table_set_num(rec, table_add_row(rec), COL_SAMPLE, k);
			table_stream_report(both, 2, &co.out);
			table_free(rec);
		} else {
			if (k > 1 && co.out.fmt == FMT_TABLE)
				putchar('\n');
			table_print(t, &co.out);
		}
		table_free(t);
		free(rows);
		/* A reader that went away, or a full disk, ends the reports
		 * here, not after -c of them: out_finish says which. */
		if (out_flush() < 0)
			break;
		if (k == 1) {
			note_io_unknown(&c, &kept, unsaved);
			/* Rows and totals of a /proc that hides processes are
			 * those of the ones it shows. */
			scan_note_hidepid(&pf);
		}
		if (k == 1 && !delay_on && c.want_delay)
			fprintf(stderr, "%s: IODELAY unknown: task delay accounting is off "
				"(sysctl kernel.task_delayacct=1 turns it on)\n",
				program_invocation_short_name);
	}
	free(s[0].e);
	free(s[1].e);
	if (after)
		procfs_close(&pfb);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(0);
}
