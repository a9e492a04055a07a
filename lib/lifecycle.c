/* Process lifecycles from the process connector or from polling /proc.
 *
 * The table holds one entry per live process (thread group): its parent,
 * its name, how many threads it has besides the leader, and whether -p
 * follows it. The connector speaks of tasks, so thread events are folded
 * into their process: a process has exited only when its last thread has,
 * and a leader that leaves while other threads run is not an exit.
 *
 * There is no reap event. An exit is queued with its time; zombie_after
 * seconds later a pidfd is opened for it: ESRCH means it was reaped in
 * time (nothing more is said), else it is a zombie, and the pidfd, whose
 * POLLHUP (Linux 6.9) says when it is reaped, goes into an epoll set.
 * Older kernels are asked with pidfd_send_signal(0) on a timer instead.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "pidfd.h"
#include "pidio.h"
#include "pidstat.h"
#include "signals.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define LP_WATCHED	0x01	/* -p follows it */
#define LP_LEADER_GONE	0x02	/* the leader exited while other threads run */
#define LP_ZOMBIE	0x04	/* polling: seen as a zombie */
#define LP_COMM		0x08	/* comm is known */
#define LP_NOEXEC	0x10	/* polling: no exec since its fork (PF_FORKNOEXEC) */

/* include/linux/sched.h: set at fork, cleared at exec. stat's flags are
 * world-readable, unlike the memory layout (startcode, startstack), which
 * reads 0 for another user's process without root. */
#define PF_FORKNOEXEC_FLAG 0x00000040u

#define COMM_MAX	64	/* stat gives kernel threads up to 64 bytes */
#define CMD_CAP		4096

struct lproc {
	pid_t pid;		/* 0: a free slot */
	pid_t ppid;
	uint32_t threads;	/* threads besides the leader */
	uint32_t gen;		/* the /proc pass that last saw it */
	uint8_t flags;
	uint8_t comm_len;
	char comm[COMM_MAX];
	uint64_t comm_ns;	/* comm was read from /proc by this monotonic ns, and
				 * may hold a rename stamped earlier; 0: from an
				 * event (or polling, which does not look) */
	uint64_t start_ns;	/* boot-time ns it started at; 0 unknown */
	uint64_t scan_ns;	/* monotonic ns its /proc read began; 0: from events */
	uint64_t layout;	/* polling: startcode ^ startstack, new at each exec */
	double zsince;		/* polling: first seen as a zombie; < 0 before the watch */
	int status;		/* polling: exit status from stat */
};

/* An exit waiting for its zombie check, or a zombie waiting to be reaped. */
struct lexit {
	pid_t pid, ppid;
	int status;
	bool comm_known;
	uint8_t comm_len;
	char comm[COMM_MAX];
	double exit_mono;	/* when it exited; < 0: before the watch began */
	uint64_t exit_boot_ns;
	uint64_t starttime;	/* ticks, once read */
	int pidfd;		/* -1: none (pidfds missing or out of descriptors) */
	bool zombie;		/* reported as one; else still exiting */
	size_t idx;		/* its place in life.zomb */
};

/* Processes by PID: open addressing, linear probing, deletion by backward
 * shift. Pointers into it last until the next insert or remove. */
struct ptab {
	struct lproc *slot;
	size_t cap, n;
};

struct life {
	const struct procfs *pf;
	struct life_opts o;
	life_emit_fn emit;
	void *ctx;
	struct ptab tab;
	bool rooted;		/* -p given */
	uint32_t gen;
	struct lexit *pend;	/* ring of exits by time, awaiting their check */
	size_t phead, pcount, pcap;
	struct lexit **zomb;	/* exited, not reaped, past zombie_after */
	size_t nz, capz;
	int epfd;
	bool pollhup;		/* pidfds report reaping (6.9) */
	double last_tick;
	uint64_t tick_ns;	/* nanoseconds per clock tick of stat's times */
	int64_t boot_off;	/* CLOCK_BOOTTIME - CLOCK_MONOTONIC, ns */
};

static const char *const kind_names[LIFE_NKINDS] = {
	[LIFE_FORK] = "fork", [LIFE_EXEC] = "exec", [LIFE_EXIT] = "exit",
	[LIFE_ZOMBIE] = "zombie", [LIFE_REAP] = "reap", [LIFE_COMM] = "comm",
	[LIFE_THREAD] = "thread", [LIFE_THREAD_EXIT] = "thread-exit", [LIFE_LOST] = "lost",
};

const char *life_kind_name(enum life_kind k)
{
	return k < LIFE_NKINDS ? kind_names[k] : "?";
}

int life_kind_parse(const char *name, size_t len)
{
	for (int k = 0; k < LIFE_NKINDS; k++)
		if (strlen(kind_names[k]) == len && !strncmp(kind_names[k], name, len))
			return k;
	return -1;
}

void life_status_text(int status, char *buf, size_t size)
{
	int sig = status & 0x7f;
	const char *name;
	char num[16];

	if (status < 0) {
		snprintf(buf, size, "unknown");
		return;
	}
	if (sig == 0) {
		snprintf(buf, size, "code %d", (status >> 8) & 0xff);
		return;
	}
	name = signal_name(sig, num, sizeof(num));
	if (name != num)
		snprintf(buf, size, "signal %d (SIG%s)%s", sig, name,
			 status & 0x80 ? ", core dumped" : "");
	else
		snprintf(buf, size, "signal %d%s", sig, status & 0x80 ? ", core dumped" : "");
}

/* ---- the table ---- */

static size_t pt_hash(pid_t pid, size_t cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

static struct lproc *pt_find(const struct ptab *t, pid_t pid)
{
	if (!t->cap || pid <= 0)
		return NULL;
	for (size_t i = pt_hash(pid, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].pid == pid)
			return &t->slot[i];
		if (t->slot[i].pid == 0)
			return NULL;
	}
}

/* The entry for pid, a zeroed new one if there was none. */
static struct lproc *pt_insert(struct ptab *t, pid_t pid)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		struct ptab nt = { .cap = t->cap ? t->cap * 2 : 1024 };

		nt.slot = xcalloc(nt.cap, sizeof(*nt.slot));
		for (size_t k = 0; k < t->cap; k++) {
			if (!t->slot[k].pid)
				continue;
			for (i = pt_hash(t->slot[k].pid, nt.cap); nt.slot[i].pid;
			     i = (i + 1) & (nt.cap - 1))
				;
			nt.slot[i] = t->slot[k];
		}
		nt.n = t->n;
		free(t->slot);
		*t = nt;
	}
	for (i = pt_hash(pid, t->cap); t->slot[i].pid; i = (i + 1) & (t->cap - 1))
		if (t->slot[i].pid == pid)
			return &t->slot[i];
	memset(&t->slot[i], 0, sizeof(t->slot[i]));
	t->slot[i].pid = pid;
	t->n++;
	return &t->slot[i];
}

static void pt_remove(struct ptab *t, struct lproc *p)
{
	size_t mask = t->cap - 1, i = (size_t)(p - t->slot), j = i;

	t->slot[i].pid = 0;
	t->n--;
	/* Move back every entry of the run after i that probing could no
	 * longer reach: one whose home slot is not cyclically in (i, j]. */
	for (;;) {
		size_t k;

		j = (j + 1) & mask;
		if (!t->slot[j].pid)
			return;
		k = pt_hash(t->slot[j].pid, t->cap);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slot[i] = t->slot[j];
		t->slot[j].pid = 0;
		i = j;
	}
}

/* ---- helpers ---- */

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool watched(const struct life *l, const struct lproc *p)
{
	return !l->rooted || (p && (p->flags & LP_WATCHED));
}

static bool comm_ok(const struct life *l, const char *comm, bool known)
{
	if (!l->o.filt || !l->o.filt->ncomms)
		return true;
	return known && filter_comm_ok(l->o.filt, comm);
}

static bool wants(const struct life *l, enum life_kind k)
{
	return l->o.kinds & (1u << k);
}

static void ev_init(struct life_event *e, enum life_kind k, double mono, pid_t pid)
{
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->mono = mono;
	e->pid = e->tid = pid;
	e->ppid = -1;
	e->status = -1;
	e->zombie_for = -1;
}

static void ev_comm(struct life_event *e, const struct lproc *p)
{
	if (p && (p->flags & LP_COMM)) {
		e->comm = p->comm;
		e->comm_len = p->comm_len;
	}
}

static void set_comm(struct lproc *p, const char *s, size_t n, uint64_t read_ns)
{
	if (n >= COMM_MAX)
		n = COMM_MAX - 1;
	memcpy(p->comm, s, n);
	p->comm[n] = '\0';
	p->comm_len = (uint8_t)n;
	p->comm_ns = read_ns;
	p->flags |= LP_COMM;
}

/* Whether the exit code in the stat of process h, a zombie, is its own:
 * the kernel prints 0 there unless the reader may ptrace-read the process
 * (another user's, without root). io asks for the same access, so its
 * refusal says that 0 is no data. Without an io file (a kernel without
 * I/O accounting), only root is sure to have that access. */
static bool exit_code_readable(struct pidh *h)
{
	struct proc_io io;
	int r = io_read(h, &io);

	if (r == -EACCES || r == -EPERM)
		return false;
	return r == 0 || geteuid() == 0;
}

/* The stat of pid. A zombie's exit_code is -1 where it cannot be read. */
static int read_stat(const struct life *l, pid_t pid, struct proc_stat *st)
{
	struct pidh h;
	int r;

	if (pidh_open(&h, l->pf, pid, false) < 0)
		return -ENOENT;
	r = stat_read(&h, st);
	if (r == 0 && st->state == 'Z' && st->nfields >= 52 && st->exit_code == 0 &&
	    !exit_code_readable(&h))
		st->exit_code = -1;
	pidh_close(&h);
	return r;
}

/* The entry from a stat read that ended at read_ns (monotonic). */
static void from_stat(const struct life *l, struct lproc *p, const struct proc_stat *st,
		      uint64_t read_ns)
{
	p->ppid = st->ppid;
	p->threads = st->num_threads > 1 ? (uint32_t)(st->num_threads - 1) : 0;
	p->start_ns = st->starttime * l->tick_ns;
	p->layout = st->startcode && st->startstack ? st->startcode ^ st->startstack : 0;
	p->status = st->nfields >= 52 ? (int)st->exit_code : -1;
	set_comm(p, st->comm, st->comm_len, read_ns);
}

/* Whether the entry and a stat describe one process: start times within
 * two ticks (an entry made from a fork event has the event's time). */
static bool same_process(const struct life *l, const struct lproc *p, const struct proc_stat *st)
{
	uint64_t s = st->starttime * l->tick_ns;

	if (!p->start_ns)
		return true;
	return (p->start_ns > s ? p->start_ns - s : s - p->start_ns) <= 2 * l->tick_ns;
}

struct life *life_new(const struct procfs *pf, const struct life_opts *o, life_emit_fn fn,
		      void *ctx)
{
	struct life *l = xcalloc(1, sizeof(*l));

	l->pf = pf;
	l->o = *o;
	l->emit = fn;
	l->ctx = ctx;
	l->rooted = o->filt && o->filt->npids;
	l->tick_ns = 1000000000u / (uint64_t)procfs_hz();
	l->boot_off = (int64_t)(clock_ns(CLOCK_BOOTTIME) - clock_ns(CLOCK_MONOTONIC));
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->pollhup = kernel_at_least(6, 9);	/* pidfd POLLHUP once reaped */
	l->last_tick = now_mono();
	return l;
}

static void free_zombie(struct life *l, struct lexit *z)
{
	size_t i = z->idx;

	if (z->pidfd >= 0)
		close(z->pidfd);
	l->zomb[i] = l->zomb[--l->nz];
	l->zomb[i]->idx = i;
	free(z);
}

void life_free(struct life *l)
{
	if (!l)
		return;
	while (l->nz)
		free_zombie(l, l->zomb[0]);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l->zomb);
	free(l->pend);
	free(l->tab.slot);
	free(l);
}

/* ---- reading /proc into the table ---- */

struct seen {
	pid_t pid;
	uint64_t start;
	bool fresh;
};

static int by_start(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A -p root. Only the first scan asks: a root is the process that had the
 * PID then. One that takes the number later (the root was reaped), seen by
 * a poll or by the resync after a loss, is followed only through a
 * followed parent, like any other process. */
static bool is_root(const struct life *l, pid_t pid)
{
	return l->rooted && filter_pid_ok(l->o.filt, pid);
}

static void add_zombie(struct life *l, const struct lexit *x);

/* A zombie from before the watch: its reaping is still an event, with no
 * known exit time. The pidfd is checked against its start time. */
static void old_zombie(struct life *l, const struct lproc *p)
{
	struct lexit x = { .pid = p->pid, .ppid = p->ppid, .status = p->status, .pidfd = -1,
			   .exit_mono = -1, .zombie = true, .comm_known = true };
	struct epoll_event ee = { .events = 0 };
	struct proc_stat st;
	int fd = (int)syscall(SYS_pidfd_open, p->pid, 0);

	if (fd < 0 || read_stat(l, p->pid, &st) < 0 || st.starttime * l->tick_ns != p->start_ns ||
	    st.state != 'Z') {
		if (fd >= 0)
			close(fd);
		return;
	}
	x.pidfd = fd;
	x.starttime = st.starttime;
	x.comm_len = p->comm_len;
	memcpy(x.comm, p->comm, sizeof(x.comm));
	add_zombie(l, &x);
	ee.data.ptr = l->zomb[l->nz - 1];
	if (l->epfd >= 0)
		epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ee);
}

/* Read every process. An entry that is the same process keeps whether -p
 * follows it; new ones inherit it from their parent, in start order so
 * that parents come first, or are roots in the first scan. With resync,
 * entries no longer in /proc go. */
static ssize_t scan_table(struct life *l, bool resync)
{
	pid_t *pids;
	ssize_t n = procfs_list_pids(l->pf->procfd, ".", &pids);
	struct seen *order;
	size_t k = 0, nwatched = 0;

	if (n < 0)
		return n;
	order = xcalloc((size_t)n + 1, sizeof(*order));
	l->gen++;
	for (ssize_t i = 0; i < n; i++) {
		uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
		struct proc_stat st;
		struct lproc *p;
		uint8_t keep = 0;
		bool fresh = true;

		if (read_stat(l, pids[i], &st) < 0)
			continue;
		p = pt_find(&l->tab, pids[i]);
		if (p && same_process(l, p, &st)) {
			fresh = false;
			keep = p->flags & LP_WATCHED;
		}
		if (!p)
			p = pt_insert(&l->tab, pids[i]);
		from_stat(l, p, &st, clock_ns(CLOCK_MONOTONIC));
		if (st.state == 'Z' && st.num_threads <= 1) {
			if (fresh || !(p->flags & LP_ZOMBIE))
				p->zsince = resync ? (double)t0 / 1e9 : -1;
			keep |= LP_ZOMBIE;
		} else if (st.state == 'Z') {
			keep |= LP_LEADER_GONE;
		}
		p->flags = keep | LP_COMM;
		if (st.flags & PF_FORKNOEXEC_FLAG)
			p->flags |= LP_NOEXEC;
		p->scan_ns = t0;
		p->gen = l->gen;
		order[k++] = (struct seen){ pids[i], p->start_ns, fresh };
	}
	free(pids);
	if (resync) {
		pid_t *gone = xcalloc(l->tab.n + 1, sizeof(*gone));
		size_t ng = 0;

		for (size_t i = 0; i < l->tab.cap; i++)
			if (l->tab.slot[i].pid && l->tab.slot[i].gen != l->gen)
				gone[ng++] = l->tab.slot[i].pid;
		for (size_t i = 0; i < ng; i++)
			pt_remove(&l->tab, pt_find(&l->tab, gone[i]));
		free(gone);
	}
	qsort(order, k, sizeof(*order), by_start);
	for (size_t i = 0; i < k; i++) {
		struct lproc *p = pt_find(&l->tab, order[i].pid);
		const struct lproc *pp = p ? pt_find(&l->tab, p->ppid) : NULL;

		if (!p)
			continue;
		if (order[i].fresh && ((!resync && is_root(l, p->pid)) ||
					(pp && (pp->flags & LP_WATCHED))))
			p->flags |= LP_WATCHED;
		nwatched += watched(l, p);
		/* Its reap is its only event to come, and a zombie cannot
		 * rename itself: -C decides now, before a pidfd is spent. */
		if (!resync && !l->o.poll && (p->flags & LP_ZOMBIE) && watched(l, p) &&
		    comm_ok(l, p->comm, p->flags & LP_COMM))
			old_zombie(l, p);
	}
	free(order);
	return (ssize_t)nwatched;
}

ssize_t life_scan(struct life *l)
{
	return scan_table(l, false);
}

/* ---- exits, zombies, reaps ---- */

static void emit_parent(const struct life *l, struct life_event *e, pid_t ppid)
{
	const struct lproc *pp = pt_find(&l->tab, ppid);

	e->ppid = ppid;
	if (pp && (pp->flags & LP_COMM)) {
		e->pcomm = pp->comm;
		e->pcomm_len = pp->comm_len;
	}
}

static void emit_exit_kind(struct life *l, const struct lexit *x, enum life_kind k, double mono)
{
	struct life_event e;

	if (!wants(l, k))
		return;
	ev_init(&e, k, mono, x->pid);
	emit_parent(l, &e, x->ppid);
	if (x->comm_known) {
		e.comm = x->comm;
		e.comm_len = x->comm_len;
	}
	e.status = x->status;
	if (k == LIFE_REAP)
		e.zombie_for = x->exit_mono < 0 ? -1 : mono - x->exit_mono;
	l->emit(&e, l->ctx);
}

static void add_zombie(struct life *l, const struct lexit *x)
{
	struct lexit *z = xmalloc(sizeof(*z));

	*z = *x;
	if (l->nz == l->capz) {
		l->capz = l->capz ? l->capz * 2 : 16;
		l->zomb = xreallocarray(l->zomb, l->capz, sizeof(*l->zomb));
	}
	z->idx = l->nz;
	l->zomb[l->nz++] = z;
}

/* z is past zombie_after and a zombie: say so, and watch for its reaping. */
static void make_zombie(struct life *l, struct lexit *z, double mono)
{
	struct epoll_event ee = { .events = 0, .data.ptr = z };

	z->zombie = true;
	emit_exit_kind(l, z, LIFE_ZOMBIE, mono);
	/* No events asked for: EPOLLHUP is always reported, and POLLIN,
	 * which a dead process keeps raising, is not wanted. */
	if (z->pidfd >= 0 && l->epfd >= 0)
		epoll_ctl(l->epfd, EPOLL_CTL_ADD, z->pidfd, &ee);
}

static void reap(struct life *l, struct lexit *z, double mono)
{
	if (z->zombie)
		emit_exit_kind(l, z, LIFE_REAP, mono);
	free_zombie(l, z);
}

/* An exit zombie_after old: reaped already, or a zombie now? */
static void check_exit(struct life *l, struct lexit *x, double due)
{
	struct proc_stat st;
	int fd = (int)syscall(SYS_pidfd_open, x->pid, 0);

	if (fd < 0 && errno == ESRCH)
		return;			/* reaped in time: the usual case */
	/* The pidfd, opened first, pins the process whose stat is read now.
	 * It must have started before the exit: otherwise the PID was
	 * reaped and reused. */
	if (read_stat(l, x->pid, &st) < 0 ||
	    st.starttime * l->tick_ns > x->exit_boot_ns + l->tick_ns) {
		if (fd >= 0)
			close(fd);
		return;
	}
	x->pidfd = fd;
	x->starttime = st.starttime;
	x->ppid = st.ppid;
	if (!x->comm_known) {
		size_t n = st.comm_len < COMM_MAX ? st.comm_len : COMM_MAX - 1;

		memcpy(x->comm, st.comm, n);
		x->comm[n] = '\0';
		x->comm_len = (uint8_t)n;
		x->comm_known = true;
	}
	add_zombie(l, x);
	/* Not yet Z: still in do_exit (closing files, say). Looked at again
	 * on the next tick. */
	if (st.state == 'Z')
		make_zombie(l, l->zomb[l->nz - 1], due);
}

static void push_exit(struct life *l, const struct lexit *x)
{
	if (l->pcount == l->pcap) {
		size_t ncap = l->pcap ? l->pcap * 2 : 256;
		struct lexit *np = xcalloc(ncap, sizeof(*np));

		for (size_t i = 0; i < l->pcount; i++)
			np[i] = l->pend[(l->phead + i) % l->pcap];
		free(l->pend);
		l->pend = np;
		l->pcap = ncap;
		l->phead = 0;
	}
	l->pend[(l->phead + l->pcount) % l->pcap] = *x;
	l->pcount++;
}

/* Tick work: zombies whose parent exited have a new one (init or a
 * subreaper: read back from stat, the zombie's PID being its own until
 * reaped); exits not yet Z are looked at again; without POLLHUP, zombies
 * are asked whether they were reaped. */
static void tick(struct life *l, double now)
{
	l->boot_off = (int64_t)(clock_ns(CLOCK_BOOTTIME) - clock_ns(CLOCK_MONOTONIC));
	for (size_t i = 0; i < l->nz;) {
		struct lexit *z = l->zomb[i];
		struct proc_stat st;
		bool need_stat = !z->zombie || z->pidfd < 0 || !pt_find(&l->tab, z->ppid);

		if (z->pidfd >= 0 && (!l->pollhup || !z->zombie) &&
		    pidfd_signal(z->pidfd, 0) == -ESRCH) {
			reap(l, z, now);
			continue;
		}
		if (need_stat) {
			if (read_stat(l, z->pid, &st) < 0 || st.starttime != z->starttime) {
				reap(l, z, now);
				continue;
			}
			z->ppid = st.ppid;
			if (!z->zombie && st.state == 'Z')
				make_zombie(l, z, now);
		}
		i++;
	}
}

void life_due(struct life *l, double mono, bool idle)
{
	double now;

	while (l->pcount) {
		struct lexit x = l->pend[l->phead];
		double due = x.exit_mono + l->o.zombie_after;

		if (due > mono)
			break;
		l->phead = (l->phead + 1) % l->pcap;
		l->pcount--;
		check_exit(l, &x, due);
	}
	if (!idle)
		return;
	now = now_mono();
	if (now - l->last_tick >= l->o.zombie_after) {
		l->last_tick = now;
		tick(l, now);
	}
}

double life_next_due(const struct life *l)
{
	double t = -1;

	if (l->pcount)
		t = l->pend[l->phead].exit_mono + l->o.zombie_after;
	if (l->nz) {
		double tt = l->last_tick + l->o.zombie_after;

		if (t < 0 || tt < t)
			t = tt;
	}
	return t;
}

int life_reap_fd(const struct life *l)
{
	return l->epfd;
}

void life_reaped(struct life *l)
{
	struct epoll_event ev[64];
	int n;

	do {
		double now = now_mono();

		n = epoll_wait(l->epfd, ev, ARRAY_SIZE(ev), 0);
		for (int i = 0; i < n; i++)
			if (ev[i].events & (EPOLLHUP | EPOLLERR))
				reap(l, ev[i].data.ptr, now);
	} while (n == (int)ARRAY_SIZE(ev));
}

/* ---- connector events ---- */

/* The zombies whose parent pid has just exited (at mono). Those it reaped
 * were reaped before its exit: they are told now, before that exit, while
 * its entry still names it; a reap seen later would find neither. The
 * kernel gave the others to a new parent (init or a subreaper) before it
 * sent the exit: read which, so that their reaps name that one. */
static void parent_exit(struct life *l, pid_t pid, double mono)
{
	for (size_t i = 0; i < l->nz;) {
		struct lexit *z = l->zomb[i];
		struct proc_stat st;

		if (z->ppid != pid) {
			i++;
			continue;
		}
		if ((z->pidfd >= 0 && pidfd_signal(z->pidfd, 0) == -ESRCH) ||
		    read_stat(l, z->pid, &st) < 0 || st.starttime != z->starttime) {
			reap(l, z, mono);
			continue;
		}
		z->ppid = st.ppid;
		i++;
	}
}

/* The process pid has exited (its last thread has). p is its entry, or
 * NULL when it is not (or no longer) in the table. */
static void process_exit(struct life *l, struct lproc *p, pid_t pid, pid_t ppid, int status,
			 const struct cnproc_event *ev)
{
	struct lexit x = { .pid = pid, .status = status, .pidfd = -1 };
	bool w;

	x.exit_mono = (double)ev->ts_ns / 1e9;
	parent_exit(l, pid, x.exit_mono);
	x.exit_boot_ns = ev->ts_ns + (uint64_t)l->boot_off;
	x.ppid = ppid > 0 ? ppid : p ? p->ppid : -1;
	if (p) {
		w = watched(l, p);
		if (p->flags & LP_COMM) {
			memcpy(x.comm, p->comm, sizeof(x.comm));
			x.comm_len = p->comm_len;
			x.comm_known = true;
		}
		pt_remove(&l->tab, p);
	} else {
		w = watched(l, pt_find(&l->tab, x.ppid));
	}
	if (!w)
		return;
	if (!x.comm_known) {
		struct proc_stat st;

		/* Not known (it started before a loss): it is exiting, so its
		 * stat is still there, unless it was reaped already. */
		if (read_stat(l, pid, &st) == 0) {
			size_t n = st.comm_len < COMM_MAX ? st.comm_len : COMM_MAX - 1;

			memcpy(x.comm, st.comm, n);
			x.comm[n] = '\0';
			x.comm_len = (uint8_t)n;
			x.comm_known = true;
		}
	}
	if (!comm_ok(l, x.comm, x.comm_known))
		return;
	emit_exit_kind(l, &x, LIFE_EXIT, x.exit_mono);
	if (wants(l, LIFE_ZOMBIE) || wants(l, LIFE_REAP))
		push_exit(l, &x);
}

static void feed_fork(struct life *l, const struct cnproc_event *ev)
{
	double mono = (double)ev->ts_ns / 1e9;
	const struct lproc *pp;
	struct life_event e;
	struct lproc *c;
	char comm[COMM_MAX];
	size_t comm_len = 0;
	uint64_t comm_ns = 0;
	bool comm_known = false, w;

	if (ev->pid != ev->tgid) {
		/* A thread (CLONE_THREAD). Its real parent is its process's
		 * parent, so the process is the child's tgid. */
		c = pt_find(&l->tab, ev->tgid);
		if (!c || ev->ts_ns <= c->scan_ns)
			return;		/* unknown, or counted by the scan */
		c->threads++;
		if (!l->o.threads || !wants(l, LIFE_THREAD) || !watched(l, c) ||
		    !comm_ok(l, c->comm, c->flags & LP_COMM))
			return;
		ev_init(&e, LIFE_THREAD, mono, ev->tgid);
		e.tid = ev->pid;
		e.ppid = c->ppid;
		ev_comm(&e, c);
		l->emit(&e, l->ctx);
		return;
	}
	pp = pt_find(&l->tab, ev->ptgid);
	w = l->rooted ? pp && (pp->flags & LP_WATCHED) : true;
	c = pt_find(&l->tab, ev->tgid);
	if (c && c->scan_ns >= ev->ts_ns) {
		/* The scan read it after this fork: keep what it read. */
		w = watched(l, c);
		comm_known = c->flags & LP_COMM;
		comm_len = c->comm_len;
		memcpy(comm, c->comm, sizeof(comm));
	} else {
		/* The child has the name of the thread that forked it: the
		 * process's own when that was the leader. */
		if (pp && (pp->flags & LP_COMM) && ev->ppid == ev->ptgid) {
			/* The parent's name may come from a read made after
			 * this fork: the copy is then as unsure as it is. */
			memcpy(comm, pp->comm, sizeof(comm));
			comm_len = pp->comm_len;
			comm_ns = pp->comm_ns;
			comm_known = true;
		} else if (w) {
			struct proc_stat st;

			if (read_stat(l, ev->tgid, &st) == 0) {
				comm_len = st.comm_len < COMM_MAX ? st.comm_len : COMM_MAX - 1;
				memcpy(comm, st.comm, comm_len);
				comm[comm_len] = '\0';
				comm_ns = clock_ns(CLOCK_MONOTONIC);
				comm_known = true;
			}
		}
		c = pt_insert(&l->tab, ev->tgid);
		c->ppid = ev->ptgid;
		c->threads = 0;
		c->flags = w ? LP_WATCHED : 0;
		c->start_ns = ev->ts_ns + (uint64_t)l->boot_off;
		c->scan_ns = 0;
		if (comm_known)
			set_comm(c, comm, comm_len, comm_ns);
	}
	if (!w || !wants(l, LIFE_FORK) || !comm_ok(l, comm, comm_known))
		return;
	ev_init(&e, LIFE_FORK, mono, ev->tgid);
	e.ppid = ev->ptgid;
	if (comm_known) {
		e.comm = comm;
		e.comm_len = comm_len;
	}
	l->emit(&e, l->ctx);
}

/* The program's path, from the exe link: it needs no lock of the task's
 * memory, unlike cmdline. Returns its length or -errno; *out is malloc'd. */
static ssize_t exe_read(struct pidh *h, char **out)
{
	char buf[4096];
	int dfd = pidh_dirfd(h);
	ssize_t n;

	*out = NULL;
	if (dfd < 0)
		return dfd;
	n = readlinkat(dfd, "exe", buf, sizeof(buf));
	if (n < 0)
		return -errno;
	*out = xstrndup(buf, (size_t)n);
	return n;
}

static void feed_exec(struct life *l, const struct cnproc_event *ev)
{
	double mono = (double)ev->ts_ns / 1e9;
	struct lproc *p = pt_find(&l->tab, ev->tgid);
	struct life_event e;
	struct proc_stat st;
	struct pidh h;
	char *cmd = NULL;
	bool trunc = false, fresh = !p;
	ssize_t n = -1;

	if (!p) {
		p = pt_insert(&l->tab, ev->tgid);
		p->ppid = -1;
	}
	/* An exec from another thread took over the leader's PID: the
	 * other threads are gone, and so is the leader's earlier exit. */
	p->threads = 0;
	p->flags &= (uint8_t)~LP_LEADER_GONE;
	p->flags &= (uint8_t)~LP_COMM;
	if (l->rooted && !fresh && !(p->flags & LP_WATCHED))
		return;
	ev_init(&e, LIFE_EXEC, mono, ev->tgid);
	if (pidh_open(&h, l->pf, ev->tgid, false) == 0 && stat_read(&h, &st) == 0) {
		/* Read now, not at the exec: a program that renames itself
		 * at once may have done so already (see feed_comm). */
		from_stat(l, p, &st, clock_ns(CLOCK_MONOTONIC));
		p->threads = 0;
		if (fresh) {
			const struct lproc *pp = pt_find(&l->tab, st.ppid);

			if (pp && (pp->flags & LP_WATCHED))
				p->flags |= LP_WATCHED;
			p->start_ns = st.starttime * l->tick_ns;
		}
		/* The command line of a task in D can block its reader (the
		 * task may hold its mmap lock); a zombie has none. */
		if (l->o.cmdline && wants(l, LIFE_EXEC) && watched(l, p) &&
		    comm_ok(l, p->comm, true)) {
			struct pidh th;
			struct pidh *from = &h;
			char state = st.state;
			struct proc_stat ts;

			/* A leader that left after the exec while its other
			 * threads run: the command line is read through one
			 * of them (the leader's own reads empty). */
			if (state == 'Z' && st.num_threads > 1 &&
			    pidh_open_live_thread(&h, &th, &ts) > 0) {
				from = &th;
				state = ts.state;
			}
			if (state == 'D')
				n = exe_read(from, &cmd);
			else if (state != 'Z' && state != 'X')
				n = cmdline_read(from, CMD_CAP, &cmd, &trunc);
			e.cmd_in_d = state == 'D';
			if (from == &th)
				pidh_close(&th);
		}
	}
	pidh_close(&h);
	if (watched(l, p) && wants(l, LIFE_EXEC) && comm_ok(l, p->comm, p->flags & LP_COMM)) {
		e.ppid = p->ppid;
		ev_comm(&e, p);
		if (n > 0) {
			e.cmd = cmd;
			e.cmd_len = (size_t)n;
			e.cmd_truncated = trunc;
		}
		l->emit(&e, l->ctx);
	}
	free(cmd);
}

static void feed_exit(struct life *l, const struct cnproc_event *ev)
{
	struct lproc *p = pt_find(&l->tab, ev->tgid);
	int status = (int)(ev->status & 0xffff);

	/* An entry the scan read after this exit is a later process that was
	 * given the same PID. */
	if (p && p->scan_ns > ev->ts_ns)
		p = NULL;
	if (ev->pid != ev->tgid) {
		if (!p)
			return;
		if (p->threads)
			p->threads--;
		if (l->o.threads && wants(l, LIFE_THREAD_EXIT) && watched(l, p) &&
		    comm_ok(l, p->comm, p->flags & LP_COMM)) {
			struct life_event e;

			ev_init(&e, LIFE_THREAD_EXIT, (double)ev->ts_ns / 1e9, ev->tgid);
			e.tid = ev->pid;
			e.ppid = p->ppid;
			e.status = status;
			ev_comm(&e, p);
			l->emit(&e, l->ctx);
		}
		if ((p->flags & LP_LEADER_GONE) && !p->threads)
			process_exit(l, p, ev->tgid, -1, status, ev);
		return;
	}
	if (p && p->threads) {
		p->flags |= LP_LEADER_GONE;
		if (l->o.threads && wants(l, LIFE_THREAD_EXIT) && watched(l, p) &&
		    comm_ok(l, p->comm, p->flags & LP_COMM)) {
			struct life_event e;

			ev_init(&e, LIFE_THREAD_EXIT, (double)ev->ts_ns / 1e9, ev->tgid);
			e.ppid = p->ppid;
			e.status = status;
			ev_comm(&e, p);
			l->emit(&e, l->ctx);
		}
		return;
	}
	process_exit(l, p, ev->tgid, ev->ptgid, status, ev);
}

static void feed_comm(struct life *l, const struct cnproc_event *ev)
{
	struct lproc *p = pt_find(&l->tab, ev->tgid);
	struct life_event e;
	char old[COMM_MAX];
	size_t old_len;
	bool old_known;

	if (!p || ev->ts_ns <= p->scan_ns)
		return;
	ev_init(&e, LIFE_COMM, (double)ev->ts_ns / 1e9, ev->tgid);
	e.ppid = p->ppid;
	e.comm = ev->comm;
	e.comm_len = ev->comm_len;
	if (ev->pid != ev->tgid) {
		/* A thread renamed itself: the process keeps its name. */
		e.tid = ev->pid;
		if (l->o.threads && wants(l, LIFE_COMM) && watched(l, p) &&
		    comm_ok(l, ev->comm, true))
			l->emit(&e, l->ctx);
		return;
	}
	/* A name read from /proc is the name at some moment of that read,
	 * which, at an exec, is when the event is handled: the program may
	 * have renamed itself by then. A rename stamped before the read
	 * ended may be in it, and so may one that raced the read (the stamp
	 * is taken just after the name is set): that one shows as the new
	 * name. Either way the old name is unknown, rather than wrong. */
	old_known = (p->flags & LP_COMM) &&
		    !(p->comm_ns && (ev->ts_ns <= p->comm_ns ||
				     (p->comm_len == ev->comm_len &&
				      !memcmp(p->comm, ev->comm, ev->comm_len))));
	old_len = p->comm_len;
	memcpy(old, p->comm, sizeof(old));
	set_comm(p, ev->comm, ev->comm_len, 0);
	if (!wants(l, LIFE_COMM) || !watched(l, p) ||
	    !(comm_ok(l, ev->comm, true) || comm_ok(l, old, old_known)))
		return;
	if (old_known) {
		e.old_comm = old;
		e.old_comm_len = old_len;
	}
	l->emit(&e, l->ctx);
}

void life_feed(struct life *l, const struct cnproc_event *ev)
{
	switch (ev->what) {
	case CNP_FORK:
		feed_fork(l, ev);
		break;
	case CNP_EXEC:
		feed_exec(l, ev);
		break;
	case CNP_EXIT:
		feed_exit(l, ev);
		break;
	case CNP_COMM:
		feed_comm(l, ev);
		break;
	default:
		break;
	}
}

void life_lost(struct life *l, uint64_t n, double mono)
{
	struct life_event e;
	ssize_t r;

	r = scan_table(l, true);
	ev_init(&e, LIFE_LOST, mono, 0);
	e.pid = e.tid = -1;
	e.lost = n;
	e.resynced = r > 0 ? (size_t)r : 0;
	l->emit(&e, l->ctx);
}

/* ---- polling ---- */

/* What one pass read of one process. */
struct snap {
	pid_t pid, ppid;
	char state;
	uint8_t comm_len;
	char comm[COMM_MAX];
	uint64_t start;		/* ticks */
	uint64_t layout;
	int64_t threads;
	int status;
	bool kthread;
	bool noexec;		/* PF_FORKNOEXEC: no exec since its fork */
};

static int snap_by_start(const void *a, const void *b)
{
	const struct snap *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* unsure: an exit gone unseen, or a rename that may have been an exec. */
static void poll_emit(struct life *l, enum life_kind k, double now, const struct lproc *p,
		      const char *old, size_t old_len, bool unsure)
{
	struct life_event e;

	if (!wants(l, k) || !watched(l, p) ||
	    !(comm_ok(l, p->comm, p->flags & LP_COMM) || (old && comm_ok(l, old, true))))
		return;
	ev_init(&e, k, now, p->pid);
	e.polled = true;
	ev_comm(&e, p);
	if (k == LIFE_ZOMBIE || k == LIFE_REAP)
		emit_parent(l, &e, p->ppid);
	else
		e.ppid = p->ppid;
	if (k == LIFE_EXIT || k == LIFE_ZOMBIE || k == LIFE_REAP)
		e.status = p->status;
	if (k == LIFE_REAP)
		e.zombie_for = p->zsince < 0 ? -1 : now - p->zsince;
	e.old_comm = old;
	e.old_comm_len = old_len;
	e.unseen = k == LIFE_EXIT && unsure;
	e.maybe_exec = k == LIFE_COMM && unsure;
	l->emit(&e, l->ctx);
}

/* A zombie now: a thread-group leader shows Z while other threads run,
 * and is alive (num_threads counts them). */
static bool snap_dead(const struct snap *s)
{
	return s->state == 'Z' && s->threads <= 1;
}

/* p vanished between two passes: a zombie was reaped, anything else
 * exited and was reaped unseen. */
static void poll_gone(struct life *l, pid_t pid, double now)
{
	struct lproc *p = pt_find(&l->tab, pid);

	if (!p)
		return;
	if (p->flags & LP_ZOMBIE) {
		poll_emit(l, LIFE_REAP, now, p, NULL, 0, false);
	} else {
		p->status = -1;
		poll_emit(l, LIFE_EXIT, now, p, NULL, 0, true);
	}
	pt_remove(&l->tab, p);
}

int life_poll(struct life *l)
{
	pid_t *pids;
	ssize_t n = procfs_list_pids(l->pf->procfd, ".", &pids);
	struct snap *s, *born;
	pid_t *died;	/* newly zombies, told after the reaps of this pass */
	size_t ns = 0, nb = 0, nd = 0;
	double now = now_mono();

	if (n < 0)
		return (int)n;
	s = xcalloc((size_t)n + 1, sizeof(*s));
	for (ssize_t i = 0; i < n; i++) {
		struct proc_stat st;
		struct snap *x = &s[ns];

		if (read_stat(l, pids[i], &st) < 0)
			continue;
		x->pid = st.pid;
		x->ppid = st.ppid;
		x->state = st.state;
		x->comm_len = (uint8_t)(st.comm_len < COMM_MAX ? st.comm_len : COMM_MAX - 1);
		memcpy(x->comm, st.comm, x->comm_len);
		x->start = st.starttime;
		x->layout = st.startcode && st.startstack ? st.startcode ^ st.startstack : 0;
		x->threads = st.num_threads;
		x->status = st.nfields >= 52 ? (int)st.exit_code : -1;
		x->kthread = st.flags & PF_KTHREAD_FLAG;
		x->noexec = st.flags & PF_FORKNOEXEC_FLAG;
		ns++;
	}
	free(pids);
	l->gen++;
	born = xcalloc(ns + 1, sizeof(*born));
	died = xcalloc(ns + 1, sizeof(*died));
	/* Known processes first: what changed. A PID now naming a process
	 * that started later is the old one gone and a new one born. */
	for (size_t i = 0; i < ns; i++) {
		struct snap *x = &s[i];
		struct lproc *p = pt_find(&l->tab, x->pid);
		char old[COMM_MAX];
		size_t old_len;

		if (p && p->start_ns != x->start * l->tick_ns) {
			poll_gone(l, x->pid, now);
			p = NULL;
		}
		if (!p) {
			born[nb++] = *x;
			continue;
		}
		p->gen = l->gen;
		p->ppid = x->ppid;
		old_len = p->comm_len;
		memcpy(old, p->comm, sizeof(old));
		/* An exec gives a new memory layout; where that cannot be
		 * read (another user's process), the fork's PF_FORKNOEXEC
		 * going away still tells the first exec after a fork. */
		if (x->layout && p->layout ? x->layout != p->layout :
		    (p->flags & LP_NOEXEC) && !x->noexec) {
			set_comm(p, x->comm, x->comm_len, 0);
			poll_emit(l, LIFE_EXEC, now, p, NULL, 0, false);
		} else if ((x->comm_len != old_len || memcmp(x->comm, old, old_len)) &&
			   !x->kthread) {
			/* A kworker's name shows the workqueue it serves now:
			 * that is not a rename. Without the layout, a process
			 * that has exec'd before may have exec'd again. */
			set_comm(p, x->comm, x->comm_len, 0);
			poll_emit(l, LIFE_COMM, now, p, old, old_len,
				  !(x->layout && p->layout) && !x->noexec);
		}
		p->flags = (uint8_t)((p->flags & ~LP_NOEXEC) | (x->noexec ? LP_NOEXEC : 0));
		if (x->layout)
			p->layout = x->layout;
		if (snap_dead(x) && !(p->flags & LP_ZOMBIE)) {
			p->flags |= LP_ZOMBIE;
			p->zsince = now;
			p->status = x->status;
			died[nd++] = p->pid;
		}
	}
	/* Gone since the last pass: the zombies first. A zombie gone with
	 * its parent was most likely reaped by it, before it exited: so the
	 * reap comes before that exit, and can name the parent. */
	{
		pid_t *gone = xcalloc(l->tab.n + 1, sizeof(*gone));
		size_t ng = 0, nzg = 0;

		for (size_t i = 0; i < l->tab.cap; i++) {
			const struct lproc *p = &l->tab.slot[i];

			if (!p->pid || p->gen == l->gen)
				continue;
			if (p->flags & LP_ZOMBIE) {
				gone[ng++] = gone[nzg];
				gone[nzg++] = p->pid;
			} else {
				gone[ng++] = p->pid;
			}
		}
		for (size_t i = 0; i < ng; i++)
			poll_gone(l, gone[i], now);
		free(gone);
	}
	/* Then the exits seen as zombies: a parent that reaped its child and
	 * exited comes after that reap, as when it is gone already. */
	for (size_t i = 0; i < nd; i++) {
		const struct lproc *p = pt_find(&l->tab, died[i]);

		if (p) {
			poll_emit(l, LIFE_EXIT, now, p, NULL, 0, false);
			poll_emit(l, LIFE_ZOMBIE, now, p, NULL, 0, false);
		}
	}
	free(died);
	/* New ones, parents before children. A child whose memory layout
	 * differs from its parent's has exec'd since its fork. */
	qsort(born, nb, sizeof(*born), snap_by_start);
	for (size_t i = 0; i < nb; i++) {
		const struct snap *x = &born[i];
		const struct lproc *pp = pt_find(&l->tab, x->ppid);
		bool w = pp && (pp->flags & LP_WATCHED);
		bool execd = !x->noexec || (pp && pp->layout && x->layout &&
					    pp->layout != x->layout);
		char pcomm[COMM_MAX];
		size_t pcomm_len = 0;
		struct lproc *p;

		if (execd && (pp->flags & LP_COMM)) {
			pcomm_len = pp->comm_len;
			memcpy(pcomm, pp->comm, pcomm_len);
		}
		p = pt_insert(&l->tab, x->pid);
		p->ppid = x->ppid;
		p->flags = (w ? LP_WATCHED : 0) | (x->noexec ? LP_NOEXEC : 0);
		p->gen = l->gen;
		p->start_ns = x->start * l->tick_ns;
		p->layout = x->layout;
		p->status = -1;
		if (l->gen > 1) {
			/* The fork line names the parent's program when the
			 * child has exec'd since. */
			set_comm(p, execd && pcomm_len ? pcomm : x->comm,
				 execd && pcomm_len ? pcomm_len : x->comm_len, 0);
			poll_emit(l, LIFE_FORK, now, p, NULL, 0, false);
			set_comm(p, x->comm, x->comm_len, 0);
			if (execd)
				poll_emit(l, LIFE_EXEC, now, p, NULL, 0, false);
		} else {
			set_comm(p, x->comm, x->comm_len, 0);
		}
		if (snap_dead(x)) {
			p->flags |= LP_ZOMBIE;
			p->zsince = now;
			p->status = x->status;
			if (l->gen > 1) {
				poll_emit(l, LIFE_EXIT, now, p, NULL, 0, false);
				poll_emit(l, LIFE_ZOMBIE, now, p, NULL, 0, false);
			}
		}
	}
	free(born);
	free(s);
	return 0;
}
