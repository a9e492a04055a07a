/*
 * memtop: who uses the memory, is it really theirs, and is it growing.
 *
 * Every column comes from the cheapest file that gives it: stat (VSZ,
 * threads, and an RSS to order by: read anyway, except by a scan whose
 * every column statm gives, which reads comm for the name), statm (RSS,
 * ANON, SHARED),
 * status (FILE, SHMEM, SWAP, USER), and smaps_rollup only for PSS, USS and the split of PSS,
 * which cost a walk of the process's page tables under its mm lock (the
 * walk counts RSS too, so statm is not read for it then). stat's RSS is the
 * kernel's running count, which lags the truth by what each CPU holds back
 * (since Linux 6.2; statm and status add those in since 6.16), so it only
 * orders: with -N the walks stop early, as PSS <= RSS <= that count plus
 * its lag, and visiting processes by falling RSS can stop once the next
 * cannot beat the N-th PSS. smaps_rollup is never read for a task in D (it
 * can block on the mm lock). --system shows the machine like free(1)
 * and the caller's memory cgroup; -i/-c samples and ranks growth.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "kstack.h"
#include "meminfo.h"
#include "opts.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "smaps.h"
#include "table.h"
#include "util.h"

#define N_STATM		0x01
#define N_STATUS	0x02
#define N_SMAPS		0x04
#define N_CMDLINE	0x08
#define N_CGROUP	0x10
#define N_MEMINFO	0x20
#define N_USER		0x40	/* the /proc/PID owner, status when that is root */
#define N_PROC		0x100	/* per process: not in -g groups */
#define N_GROUP		0x200	/* groups only */
#define N_SAMPLE	0x400	/* needs -i/-c */
#define N_SYSTEM	0x800	/* --system only */
#define N_NOTSYS	0x1000	/* not in --system */
#define N_RSS		0x2000	/* RSS as statm (or smaps_rollup) says */
/* What -g can group by: in groups, only the key's column is shown. */
#define N_KEY_COMM	0x4000
#define N_KEY_USER	0x8000
#define N_KEY_CGROUP	0x10000
#define N_KEYS		(N_KEY_COMM | N_KEY_USER | N_KEY_CGROUP)

enum {
	COL_PID, COL_USER, COL_COMM, COL_AREA, COL_TOTAL, COL_USED, COL_FREE, COL_BUFFCACHE,
	COL_AVAILABLE, COL_VSZ, COL_RSS, COL_ANON, COL_FILE, COL_SHMEM, COL_SHARED, COL_SWAP,
	COL_HUGETLB, COL_PSS, COL_USS, COL_PSS_ANON, COL_PSS_FILE, COL_PSS_SHMEM, COL_PCT,
	COL_THREADS, COL_COUNT, COL_DELTA, COL_RATE, COL_CGROUP, COL_CMD,
};

#define P (N_NOTSYS)
static const struct col cols[] = {
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, P | N_PROC, NULL, "process ID" },
	[COL_USER] = { "USER", COL_TEXT, 0, P | N_USER | N_KEY_USER, NULL, "effective user" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, P | N_KEY_COMM, NULL, "command name" },
	[COL_AREA] = { "AREA", COL_TEXT, 0, N_SYSTEM, NULL, "mem, swap, or the caller's cgroup" },
	[COL_TOTAL] = { "TOTAL", COL_SIZE, 0, N_SYSTEM, NULL, "total (a cgroup: its limit)" },
	[COL_USED] = { "USED", COL_SIZE, 0, N_SYSTEM, NULL, "used: total less available" },
	[COL_FREE] = { "FREE", COL_SIZE, 0, N_SYSTEM, NULL, "unused" },
	[COL_BUFFCACHE] = { "BUFF_CACHE", COL_SIZE, 0, N_SYSTEM, NULL,
			    "buffers, page cache and reclaimable slab" },
	[COL_AVAILABLE] = { "AVAILABLE", COL_SIZE, 0, N_SYSTEM, NULL,
			    "estimate of what can be had without swapping" },
	[COL_VSZ] = { "VSZ", COL_SIZE, 0, P, NULL, "virtual size" },
	[COL_RSS] = { "RSS", COL_SIZE, 0, P | N_RSS, NULL,
		      "resident (shared pages counted in every process)" },
	[COL_ANON] = { "ANON", COL_SIZE, 0, P | N_STATM, NULL, "resident anonymous memory" },
	[COL_FILE] = { "FILE", COL_SIZE, 0, P | N_STATUS, NULL, "resident file-backed memory" },
	[COL_SHMEM] = { "SHMEM", COL_SIZE, 0, N_STATUS, NULL,
			"resident shared memory (tmpfs, shm); --system: all of it" },
	[COL_SHARED] = { "SHARED", COL_SIZE, 0, P | N_STATM, NULL,
			 "resident file and shared memory (could be shared)" },
	[COL_SWAP] = { "SWAP", COL_SIZE, 0, P | N_STATUS, NULL,
		       "swapped out (from smaps_rollup when PSS is read, else status)" },
	[COL_HUGETLB] = { "HUGETLB", COL_SIZE, 0, P | N_STATUS, NULL,
			  "hugetlbfs huge pages mapped (in no RSS or PSS)" },
	[COL_PSS] = { "PSS", COL_SIZE, 0, P | N_SMAPS, "root or CAP_SYS_PTRACE",
		      "proportional set: shared pages divided among their users" },
	[COL_USS] = { "USS", COL_SIZE, 0, P | N_SMAPS, "root or CAP_SYS_PTRACE",
		      "unique set: pages only this process maps" },
	[COL_PSS_ANON] = { "PSS_ANON", COL_SIZE, 0, P | N_SMAPS, "root or CAP_SYS_PTRACE",
			   "the anonymous part of PSS (Linux 5.8 and later)" },
	[COL_PSS_FILE] = { "PSS_FILE", COL_SIZE, 0, P | N_SMAPS, "root or CAP_SYS_PTRACE",
			   "the file-backed part of PSS (Linux 5.8 and later)" },
	[COL_PSS_SHMEM] = { "PSS_SHMEM", COL_SIZE, 0, P | N_SMAPS, "root or CAP_SYS_PTRACE",
			    "the shared memory part of PSS (Linux 5.8 and later)" },
	[COL_PCT] = { "PCT", COL_FLOAT, 0, P | N_PROC | N_MEMINFO | N_RSS, NULL,
		      "RSS as a percent of MemTotal" },
	[COL_THREADS] = { "THREADS", COL_NUM, 0, P | N_PROC, NULL, "threads" },
	[COL_COUNT] = { "COUNT", COL_NUM, 0, P | N_GROUP, NULL, "processes in the group" },
	[COL_DELTA] = { "DELTA", COL_SIZE, 0, P | N_SAMPLE | N_RSS, NULL,
			"RSS growth over the sampling (negative: shrank)" },
	[COL_RATE] = { "RATE", COL_SIZE, CF_RATE, P | N_SAMPLE | N_RSS, NULL, "RSS growth per second" },
	[COL_CGROUP] = { "CGROUP", COL_TEXT, 0, P | N_CGROUP | N_KEY_CGROUP, NULL,
			 "memory cgroup (v1 memory hierarchy, else v2)" },
	[COL_CMD] = { "CMD", COL_TEXT, CF_TRUNC, P | N_PROC | N_CMDLINE, NULL, "command line" },
};
#undef P

struct pmem {
	pid_t pid, mem_tid;	/* mem_tid: a live thread when the leader exited */
	uint64_t starttime;
	char comm[64];
	size_t comm_len;
	char state;
	bool have_uid, have_statm, have_status, have_smaps, smaps_done;
	bool rss_exact;		/* rss from statm or smaps_rollup, not stat */
	bool in_d;		/* a thread in D: no mm-locked reads */
	bool gone;		/* ended during the scan: no row */
	uid_t uid;
	int64_t threads;
	uint64_t vsz, rss, anon, shared, file, shmem, swap, hugetlb, pss, uss;
	uint64_t pss_anon, pss_file, pss_shmem;
	unsigned smaps_has;	/* SMF_* of the rollup: its PSS split is newer */
	uint64_t rss_stat;	/* stat's count: the order of -N */
	unsigned status_has;
	int smaps_err;
	uint64_t rss0;
	double t0, t1;
	char *cgroup, *cmd;
};

struct mctx {
	const struct procfs *pf;
	unsigned long needs;
	bool deferred;		/* -N: the scan reads stat only, the rest later */
	bool light;		/* a sampling pass: RSS only */
	bool sampling;		/* RSS from statm in every pass, for DELTA */
	bool swap_status;	/* SWAP from status when smaps_rollup fails */
	struct cgroup_mounts mounts;
	struct pmem *p;
	size_t n, cap;
	size_t smaps_reads;
	double now;
	/* The previous pass, for DELTA and RATE: sorted by PID. */
	struct pmem *prev;
	size_t nprev;
};

static void read_smaps(struct mctx *c, struct pidh *h, struct pmem *m)
{
	struct mem_counters mc;

	m->smaps_done = true;
	/* smaps_rollup takes the target's mm lock: a task in D may hold it.
	 * status takes none, and still gives SWAP below. */
	if (m->in_d) {
		m->smaps_err = -EDEADLK;
	} else {
		c->smaps_reads++;
		m->smaps_err = smaps_rollup_read(h, &mc);
	}
	/* No file for a live process: a kernel before 4.14, or a saved tree.
	 * A process that ended meanwhile (its stat gone, or a zombie's: the
	 * kernel says ESRCH to reading a zombie's smaps_rollup) has no row. */
	if (m->smaps_err == -ENOENT && c->pf->alternate) {
		/* A saved tree without it (or with it empty: not readable
		 * by whoever saved the tree). */
		m->smaps_err = -ENODATA;
	} else if (m->smaps_err == -ENOENT) {
		struct proc_stat st;
		int dfd = pidh_dirfd(h);

		/* The file is there but has nothing to say: the process let
		 * go of its memory on the way out (not yet a zombie). */
		if (dfd >= 0 && stat_read(h, &st) == 0 && st.state != 'Z' && st.state != 'X' &&
		    !(st.flags & PF_EXITING_FLAG) &&
		    faccessat(dfd, "smaps_rollup", F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
			m->smaps_err = -ENODATA;
		else
			m->gone = true;
	}
	if (m->smaps_err && !m->gone && c->swap_status) {
		/* SWAP was to come with PSS: status has it for anyone. */
		struct proc_status ps;

		if (status_read(h, &ps) == 0 && (ps.has & STF_VMSWAP)) {
			m->swap = ps.vmswap;
			m->status_has |= STF_VMSWAP;
		}
	}
	if (m->smaps_err == 0) {
		m->have_smaps = true;
		m->smaps_has = mc.has;
		m->pss = mc.pss;
		m->uss = mem_uss(&mc);
		m->pss_anon = mc.pss_anon;
		m->pss_file = mc.pss_file;
		m->pss_shmem = mc.pss_shmem;
		/* The same walk as PSS's, so PSS <= RSS holds in the row. While
		 * sampling, every pass takes RSS from statm instead: DELTA
		 * compares like with like. */
		if ((mc.has & SMF_RSS) && !c->sampling) {
			m->rss = mc.rss;
			m->rss_exact = true;
		}
		/* The walk counts swap entries too: no status read for SWAP. */
		if (mc.has & SMF_SWAP) {
			m->swap = mc.swap;
			m->status_has |= STF_VMSWAP;
		}
	}
}

static const struct pmem *find_prev(const struct mctx *c, pid_t pid, uint64_t starttime)
{
	size_t lo = 0, hi = c->nprev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->prev[mid].pid == pid)
			return c->prev[mid].starttime == starttime ? &c->prev[mid] : NULL;
		if (c->prev[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* RSS (exact where the kernel sums its per-CPU counts), ANON, SHARED and
 * VSZ. Returns 0 or -errno. */
static int read_statm(struct pidh *mh, struct pmem *m)
{
	struct proc_statm sm;
	int r = statm_read(mh, &sm);

	if (r < 0)
		return r;
	m->have_statm = true;
	m->shared = sm.shared;
	m->anon = sm.resident > sm.shared ? sm.resident - sm.shared : 0;
	m->rss = sm.resident;
	m->rss_exact = true;
	m->vsz = sm.size;
	return 0;
}

/* Everything past stat, through h (the process) and mh (where its memory
 * is: the process itself, or a live thread of an exited leader). */
static void enrich(struct mctx *c, struct pidh *h, struct pidh *mh, bool task, struct pmem *m,
		   const struct proc_status *status)
{
	struct proc_status ts;

	/* An exited leader keeps the uid it died with: the live thread's. */
	if (task)
		status = (c->needs & N_STATUS) && status_read(mh, &ts) == 0 ? &ts : NULL;
	if (status && (status->has & STF_UID)) {
		m->have_uid = true;
		m->uid = status->uid[1];
	} else if ((c->needs & N_USER) && proc_euid(mh, &m->uid) == 0) {
		m->have_uid = true;
	}
	if (status && (c->needs & N_STATUS)) {
		m->have_status = true;
		m->status_has |= status->has;
		m->file = status->rssfile;
		m->shmem = status->rssshmem;
		m->hugetlb = status->hugetlb;
		if (!(m->status_has & STF_VMSWAP) || !m->have_smaps)
			m->swap = status->vmswap;
	}
	/* After -N, reopen() has just told. */
	if ((c->needs & (N_CMDLINE | N_SMAPS)) && !c->deferred)
		m->in_d = proc_any_task_in_d(h, m->state, m->threads);
	if (c->needs & N_CGROUP) {
		char path[1024];

		/* An exited leader has left its cgroup: the live thread's. */
		if (cgroup_path_of(mh, c->mounts.memory[0] ? "memory" : "", path, sizeof(path)) == 0)
			m->cgroup = xstrdup(path);
	}
	if ((c->needs & N_CMDLINE) && !m->in_d) {
		bool trunc = false;
		ssize_t n = cmdline_read(mh, 0, &m->cmd, &trunc);

		if (n <= 0) {
			free(m->cmd);
			m->cmd = NULL;
		} else if (trunc) {
			m->cmd = xrealloc(m->cmd, (size_t)n + 4);
			memcpy(m->cmd + n, "...", 4);
		}
	}
	if ((c->needs & N_SMAPS) && !m->smaps_done)
		read_smaps(c, mh, m);
	if ((c->needs & N_STATM) || ((c->needs & N_RSS) && !m->rss_exact))
		read_statm(mh, m);
}

/* The next row of c, zeroed; c->n counts it once it is kept. */
static struct pmem *next_row(struct mctx *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->p = xreallocarray(c->p, c->cap, sizeof(*c->p));
	}
	memset(&c->p[c->n], 0, sizeof(c->p[c->n]));
	return &c->p[c->n];
}

/* A row of the light scan (columns from statm, the owner and the name):
 * h holds statm, read here after the owner is asked. A task without memory
 * goes to visit, through stat. */
static int visit_named(struct pidh *h, const char *comm, size_t comm_len, void *ctx)
{
	struct mctx *c = ctx;
	struct pmem *m = next_row(c);
	int r;

	m->pid = h->pid;
	memcpy(m->comm, comm, comm_len + 1);
	m->comm_len = comm_len;
	if ((c->needs & N_USER) && proc_euid(h, &m->uid) == 0)
		m->have_uid = true;
	r = read_statm(h, m);
	if (r == -ENOENT)
		return 0;
	/* Every process with memory maps something, its stack at least. */
	if (r < 0 || m->vsz == 0)
		return SCAN_FULL;
	m->rss_stat = m->rss0 = m->rss;
	m->t0 = m->t1 = c->now;
	c->n++;
	return 0;
}

static int visit(struct pidh *h, const struct proc_stat *st, const struct proc_status *status,
		 void *ctx)
{
	struct mctx *c = ctx;
	struct pidh th, *mh = h;
	struct proc_stat ts;
	const struct pmem *old;
	struct pmem *m;
	bool task = false;
	int64_t rss;

	/* Kernel threads have no memory of their own; zombies none left. */
	if (st->flags & PF_KTHREAD_FLAG)
		return 0;
	m = next_row(c);
	m->pid = st->pid;
	m->starttime = st->starttime;
	m->state = st->state;
	if (st->state == 'Z') {
		/* An exited leader whose threads run: measure through one,
		 * whose stat has the process's RSS and VSZ (the leader's, 0). */
		pid_t live = st->num_threads > 1 ? proc_live_thread(h, &ts) : 0;

		if (live <= 0)
			return 0;
		m->mem_tid = live;
		if (pidh_open_task(&th, h, m->mem_tid) < 0 || pidh_dirfd(&th) < 0)
			return 0;
		mh = &th;
		task = true;
	} else if (stat_memory_gone(st)) {
		/* On its way out with its memory let go (statm all 0, and
		 * smaps_rollup empty): as good as gone. An exiting leader
		 * whose threads run is measured once it is a zombie. */
		return 0;
	}
	c->n++;
	memcpy(m->comm, st->comm, sizeof(m->comm));
	m->comm_len = st->comm_len;
	m->threads = st->num_threads;
	m->vsz = (task ? &ts : st)->vsize;
	rss = (task ? &ts : st)->rss;
	/* Until statm or smaps_rollup says (they fail only for a process
	 * that is gone, whose row goes). */
	m->rss_stat = m->rss = rss > 0 ? (uint64_t)rss * (uint64_t)procfs_page_size() : 0;
	if (c->light)
		read_statm(mh, m);
	else if (!c->deferred)
		enrich(c, h, mh, task, m, status);
	old = find_prev(c, m->pid, m->starttime);
	m->rss0 = old ? old->rss0 : m->rss;
	m->t0 = old ? old->t0 : c->now;
	m->t1 = c->now;
	if (task)
		pidh_close(&th);
	return 0;
}

/* Open m's process again after the scan and make sure the PID still names
 * it (same start time); then h (and mh, where its memory is) are set, and
 * m's state and in_d are the process's now. Returns 0, or -ENOENT with
 * m->gone set. */
static int reopen(struct mctx *c, struct pmem *m, struct pidh *h, struct pidh *th,
		  struct pidh **mh)
{
	struct proc_stat st;

	*mh = h;
	if (pidh_open(h, c->pf, m->pid, true) < 0 || stat_read(h, &st) < 0 ||
	    st.starttime != m->starttime || (st.state == 'Z' && !m->mem_tid)) {
		pidh_close(h);
		m->gone = true;
		return -ENOENT;
	}
	/* The state now, not at the scan: no walk of a task in D. */
	m->state = st.state;
	if (c->needs & (N_CMDLINE | N_SMAPS))
		m->in_d = proc_any_task_in_d(h, st.state, st.num_threads);
	if (m->mem_tid && pidh_open_task(th, h, m->mem_tid) == 0 && pidh_dirfd(th) >= 0)
		*mh = th;
	return 0;
}

/* After the scan, the exact value -N ranks m by: PSS (smaps_rollup) or RSS
 * (statm). Returns false when it stays unknown. */
static bool measure_later(struct mctx *c, struct pmem *m, int sortcol, uint64_t *v)
{
	struct pidh h, th, *mh;

	if (reopen(c, m, &h, &th, &mh) < 0) {
		m->smaps_done = true;
		m->smaps_err = -ENOENT;
		return false;
	}
	if (sortcol == COL_PSS)
		read_smaps(c, mh, m);
	else
		read_statm(mh, m);
	if (mh == &th)
		pidh_close(&th);
	pidh_close(&h);
	*v = sortcol == COL_PSS ? m->pss : m->rss;
	return sortcol == COL_PSS ? m->have_smaps : m->rss_exact;
}

/* The deferred reads of a row that will be shown. */
static void enrich_later(struct mctx *c, struct pmem *m)
{
	struct pidh h, th, *mh;
	struct proc_status st, *stp = NULL;

	if (reopen(c, m, &h, &th, &mh) < 0)
		return;
	if ((c->needs & N_STATUS) && status_read(&h, &st) == 0)
		stp = &st;
	enrich(c, &h, mh, mh == &th, m, stp);
	if (mh == &th)
		pidh_close(&th);
	pidh_close(&h);
}

static int cmp_rss_desc(const void *a, const void *b)
{
	const struct pmem *x = *(const struct pmem *const *)a, *y = *(const struct pmem *const *)b;

	return (x->rss_stat < y->rss_stat) - (x->rss_stat > y->rss_stat);
}

/* How far below the truth the RSS in stat may be, in pages, for a
 * process of that many threads. Before Linux 6.2 each thread held up to 64
 * page changes of its own; since, each of the three counters that make RSS
 * (anonymous, file, shmem) is per CPU, and each CPU may hold back up to the
 * batch, max(32, 2 x CPUs online), of each. */
static uint64_t rss_slack_pages(int64_t threads)
{
	static uint64_t percpu;

	if (!percpu) {
		long online = sysconf(_SC_NPROCESSORS_ONLN), conf = sysconf(_SC_NPROCESSORS_CONF);
		uint64_t batch = online > 16 ? 2 * (uint64_t)online : 32;

		percpu = kernel_at_least(6, 2) ? 3 * batch * (uint64_t)(conf > 0 ? conf : 1) : 1;
	}
	return percpu > 1 ? percpu : 64 * (uint64_t)(threads > 0 ? threads : 1);
}

/* The exact top n by PSS (or RSS) with as few reads of smaps_rollup (or
 * statm) as stat's RSS allows. */
static void top_exact(struct mctx *c, size_t n, int sortcol)
{
	struct pmem **byrss = xcalloc(c->n ? c->n : 1, sizeof(*byrss));
	uint64_t *top = xcalloc(n, sizeof(*top));	/* the n largest values, falling */
	size_t ntop = 0;

	for (size_t i = 0; i < c->n; i++)
		byrss[i] = &c->p[i];
	qsort(byrss, c->n, sizeof(*byrss), cmp_rss_desc);
	for (size_t i = 0; i < c->n; i++) {
		struct pmem *m = byrss[i];
		uint64_t v, slack = rss_slack_pages(m->threads) * (uint64_t)procfs_page_size();

		/* A saved tree's stat may be older than its smaps_rollup
		 * (capture copies them apart): its RSS bounds nothing, and
		 * a saved file costs no walk. Every one is read. */
		if (!c->pf->saved && ntop == n && m->rss_stat + slack < top[n - 1]) {
			/* Nothing further can enter the top: mark them unread. */
			for (size_t j = i; j < c->n; j++) {
				byrss[j]->smaps_err = -ECANCELED;
				byrss[j]->smaps_done = true;
			}
			break;
		}
		if (!measure_later(c, m, sortcol, &v))
			continue;
		if (ntop < n)
			ntop++;
		else if (v <= top[n - 1])
			continue;
		/* Insert into the falling list. */
		size_t k = ntop - 1;

		while (k > 0 && top[k - 1] < v) {
			top[k] = top[k - 1];
			k--;
		}
		top[k] = v;
	}
	free(top);
	free(byrss);
}

static int cmp_rss_desc_v(const void *a, const void *b)
{
	const struct pmem *x = a, *y = b;

	if (x->rss != y->rss)
		return (x->rss < y->rss) - (x->rss > y->rss);
	return (x->pid > y->pid) - (x->pid < y->pid);	/* as the table breaks ties */
}

/* Unknown PSS last, as the table sorts it, and those by falling RSS (the
 * most PSS they can have): without root, the largest of other users'
 * processes come first among them, not the lowest PIDs. */
static int cmp_pss_desc(const void *a, const void *b)
{
	const struct pmem *x = a, *y = b;

	if (x->have_smaps != y->have_smaps)
		return x->have_smaps ? -1 : 1;
	/* Equal PSS by RSS too, as the table breaks ties (table_tiebreak):
	 * -N keeps the row a full read puts first. */
	if (!x->have_smaps || x->pss == y->pss)
		return cmp_rss_desc_v(a, b);
	return (x->pss < y->pss) - (x->pss > y->pss);
}

static int cmp_vsz_desc(const void *a, const void *b)
{
	const struct pmem *x = a, *y = b;

	if (x->vsz != y->vsz)
		return (x->vsz < y->vsz) - (x->vsz > y->vsz);
	return (x->pid > y->pid) - (x->pid < y->pid);	/* as the table breaks ties */
}

static int cmp_threads_desc(const void *a, const void *b)
{
	const struct pmem *x = a, *y = b;

	if (x->threads != y->threads)
		return (x->threads < y->threads) - (x->threads > y->threads);
	return (x->pid > y->pid) - (x->pid < y->pid);	/* as the table breaks ties */
}

/* Rows of processes that ended during the scan go, the others keep their
 * order. Returns how many of the first n stay. */
static size_t drop_gone(struct mctx *c, size_t n)
{
	size_t k = 0, kept = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (c->p[i].gone) {
			free(c->p[i].cgroup);
			free(c->p[i].cmd);
			continue;
		}
		kept += i < n;
		c->p[k++] = c->p[i];
	}
	c->n = k;
	return kept;
}

/* -N with a stat (or PSS) order: sort so that the top n processes come
 * first and read the rest of their columns; the others stay unread (but
 * counted: a PSS that could not be read is said on stderr). Returns how
 * many rows to show. */
static size_t select_top(struct mctx *c, int sortcol, size_t n)
{
	if (sortcol == COL_PSS || sortcol == COL_RSS)
		top_exact(c, n, sortcol);
	drop_gone(c, 0);
	qsort(c->p, c->n, sizeof(*c->p), sortcol == COL_PSS ? cmp_pss_desc
			 : sortcol == COL_VSZ ? cmp_vsz_desc
			 : sortcol == COL_THREADS ? cmp_threads_desc : cmp_rss_desc_v);
	if (n > c->n)
		n = c->n;
	for (size_t i = 0; i < n; i++)
		enrich_later(c, &c->p[i]);
	return drop_gone(c, n);
}

static void set_proc_row(struct table *t, size_t r, const struct pmem *m, const struct meminfo *mi,
			 bool sampling)
{
	char name[64];

	table_set_num(t, r, COL_PID, m->pid);
	if (m->have_uid) {
		user_name(m->uid, name, sizeof(name));
		table_set_cstr(t, r, COL_USER, name);
	}
	table_set_str(t, r, COL_COMM, m->comm, m->comm_len);
	table_set_size(t, r, COL_VSZ, m->vsz);
	table_set_size(t, r, COL_RSS, m->rss);
	if (m->have_statm) {
		table_set_size(t, r, COL_ANON, m->anon);
		table_set_size(t, r, COL_SHARED, m->shared);
	}
	if (m->status_has & STF_RSSFILE)
		table_set_size(t, r, COL_FILE, m->file);
	if (m->status_has & STF_RSSSHMEM)
		table_set_size(t, r, COL_SHMEM, m->shmem);
	if (m->status_has & STF_VMSWAP)
		table_set_size(t, r, COL_SWAP, m->swap);
	if (m->status_has & STF_HUGETLB)
		table_set_size(t, r, COL_HUGETLB, m->hugetlb);
	if (m->have_smaps) {
		table_set_size(t, r, COL_PSS, m->pss);
		table_set_size(t, r, COL_USS, m->uss);
		/* The split, where the kernel gives it (5.8 and later). */
		if (m->smaps_has & SMF_PSS_ANON)
			table_set_size(t, r, COL_PSS_ANON, m->pss_anon);
		if (m->smaps_has & SMF_PSS_FILE)
			table_set_size(t, r, COL_PSS_FILE, m->pss_file);
		if (m->smaps_has & SMF_PSS_SHMEM)
			table_set_size(t, r, COL_PSS_SHMEM, m->pss_shmem);
	}
	if (meminfo_has(mi, MI_MEMTOTAL) && mi->v[MI_MEMTOTAL])
		table_set_float(t, r, COL_PCT, 100.0 * (double)m->rss / (double)mi->v[MI_MEMTOTAL]);
	table_set_num(t, r, COL_THREADS, m->threads);
	if (sampling) {
		int64_t d = (int64_t)m->rss - (int64_t)m->rss0;
		double dt = m->t1 - m->t0;

		table_set_num(t, r, COL_DELTA, d);
		if (dt > 0)
			table_set_num(t, r, COL_RATE, (int64_t)((double)d / dt));
	}
	if (m->cgroup)
		table_set_cstr(t, r, COL_CGROUP, m->cgroup);
	if (m->cmd)
		table_set_cstr(t, r, COL_CMD, m->cmd);
	else if (m->in_d) {
		/* Its command line was not read: the name in brackets, as ps
		 * and pstate show a process without one. */
		char buf[sizeof(m->comm) + 2];

		buf[0] = '[';
		memcpy(buf + 1, m->comm, m->comm_len);
		buf[m->comm_len + 1] = ']';
		table_set_str(t, r, COL_CMD, buf, m->comm_len + 2);
	}
}

/* -g: one row per group, sums of the sizes. Members whose value is
 * unknown are left out of a sum (stderr says how many); a group none of
 * whose members is known has the sum unknown, never 0. */
static void add_group_rows(struct table *t, const struct mctx *c, int key)
{
	static const int sums[] = { COL_VSZ, COL_RSS, COL_ANON, COL_FILE, COL_SHMEM, COL_SHARED,
				    COL_SWAP, COL_HUGETLB, COL_PSS, COL_USS, COL_PSS_ANON, COL_PSS_FILE,
				    COL_PSS_SHMEM };
	struct table *tmp = table_new("memtop", "x", cols, ARRAY_SIZE(cols));
	struct meminfo none = { .has = 0 };
	char **keys = xcalloc(c->n ? c->n : 1, sizeof(*keys));
	size_t *rows = xcalloc(c->n ? c->n : 1, sizeof(*rows));
	bool *good = xcalloc((c->n ? c->n : 1) * ARRAY_SIZE(sums), sizeof(*good));
	size_t ng = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct pmem *m = &c->p[i];
		char buf[1100];
		bool known = true;
		size_t g, tr = table_add_row(tmp);

		set_proc_row(tmp, tr, m, &none, false);
		if (key == COL_USER && m->have_uid)
			user_name(m->uid, buf, sizeof(buf));
		else if (key == COL_CGROUP && m->cgroup)
			snprintf(buf, sizeof(buf), "%s", m->cgroup);
		else if (key == COL_COMM)
			snprintf(buf, sizeof(buf), "%.*s", (int)m->comm_len, m->comm);
		else
			known = false;
		/* Processes whose key is unknown make one group of their own
		 * (NULL), apart from any whose key is the text "-". */
		for (g = 0; g < ng && (known ? !keys[g] || strcmp(keys[g], buf) : !!keys[g]); g++)
			;
		if (g == ng) {
			keys[ng++] = known ? xstrdup(buf) : NULL;
			rows[g] = table_add_row(t);
			if (known)
				table_set_cstr(t, rows[g], key, buf);
			table_set_num(t, rows[g], COL_COUNT, 0);
			for (size_t s = 0; s < ARRAY_SIZE(sums); s++)
				table_set_size(t, rows[g], sums[s], 0);
		}
		{
			int64_t v;

			table_get_num(t, rows[g], COL_COUNT, &v);
			table_set_num(t, rows[g], COL_COUNT, v + 1);
		}
		for (size_t s = 0; s < ARRAY_SIZE(sums); s++) {
			int64_t v, add;

			if (!table_get_num(tmp, tr, sums[s], &add))
				continue;
			good[g * ARRAY_SIZE(sums) + s] = true;
			table_get_num(t, rows[g], sums[s], &v);
			table_set_size(t, rows[g], sums[s], (uint64_t)v + (uint64_t)add);
		}
	}
	for (size_t g = 0; g < ng; g++) {
		for (size_t s = 0; s < ARRAY_SIZE(sums); s++)
			if (!good[g * ARRAY_SIZE(sums) + s])
				table_set_unknown(t, rows[g], sums[s]);
		free(keys[g]);
	}
	free(good);
	free(rows);
	free(keys);
	table_free(tmp);
}

static int show_system(const struct procfs *pf, const struct common_opts *co)
{
	struct table *t = table_new("memtop", "system", cols, ARRAY_SIZE(cols));
	struct cgroup_mounts cm;
	struct meminfo mi;
	struct memcg mc;
	struct pidh self;
	char err[128];
	size_t r;
	int rc;

	table_exclude(t, N_NOTSYS);
	table_key(t, COL_AREA);
	if (table_select(t, "AREA,TOTAL,USED,FREE,SHMEM,BUFF_CACHE,AVAILABLE", &co->out, err,
			 sizeof(err)) < 0)
		usage_error("%s", err);
	rc = meminfo_read(pf, &mi);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot read %s/meminfo: %s\n", program_invocation_short_name,
			pf->proc, strerror(-rc));
		table_free(t);
		return EXIT_FATAL;
	}
#define V(k) mi.v[MI_##k]
#define HAS(k) meminfo_has(&mi, MI_##k)
	r = table_add_row(t);
	table_set_cstr(t, r, COL_AREA, "mem");
	table_set_size(t, r, COL_TOTAL, V(MEMTOTAL));
	if (HAS(MEMFREE))
		table_set_size(t, r, COL_FREE, V(MEMFREE));
	if (HAS(SHMEM))
		table_set_size(t, r, COL_SHMEM, V(SHMEM));
	if (HAS(BUFFERS) && HAS(CACHED))
		table_set_size(t, r, COL_BUFFCACHE, V(BUFFERS) + V(CACHED) + V(SRECLAIMABLE));
	if (HAS(MEMAVAILABLE)) {
		table_set_size(t, r, COL_AVAILABLE, V(MEMAVAILABLE));
		table_set_size(t, r, COL_USED, V(MEMTOTAL) > V(MEMAVAILABLE) ?
				   V(MEMTOTAL) - V(MEMAVAILABLE) : 0);
	}
	if (HAS(SWAPTOTAL) && HAS(SWAPFREE)) {
		r = table_add_row(t);
		table_set_cstr(t, r, COL_AREA, "swap");
		table_set_size(t, r, COL_TOTAL, V(SWAPTOTAL));
		table_set_size(t, r, COL_FREE, V(SWAPFREE));
		table_set_size(t, r, COL_USED, V(SWAPTOTAL) > V(SWAPFREE) ?
				   V(SWAPTOTAL) - V(SWAPFREE) : 0);
	}
	cgroup_mounts_read(pf, &cm);
	/* In a saved tree, "self" is the process that saved it: the cgroup
	 * of whoever ran capture. */
	pidh_open_self(&self, pf);
	if (cgroup_memory_of(&cm, &self, &mc) < 0) {
		if (pf->alternate)
			fprintf(stderr, "%s: memory cgroup unknown: the saved tree has no "
				"self/cgroup, or not that cgroup's files\n",
				program_invocation_short_name);
	} else {
		struct memcg b;
		/* The row is the cgroup whose limit is nearest: its own, or an
		 * ancestor's, where siblings' use counts as well. */
		bool limited = cgroup_memory_binding(&cm, &mc, &b);

		r = table_add_row(t);
		table_set_cstr(t, r, COL_AREA, "cgroup");
		if (limited) {
			table_set_size(t, r, COL_TOTAL, b.limit);
			table_set_size(t, r, COL_FREE, b.limit > b.usage ? b.limit - b.usage : 0);
		}
		table_set_size(t, r, COL_USED, b.usage);
		table_meta(t, "cgroup", "memory cgroup", COL_TEXT, "the caller's memory cgroup", 0,
			   0, mc.path);
		table_meta(t, "cgroup_version", "memory cgroup version", COL_TEXT, NULL, 0, 0,
			   mc.v2 ? "v2" : "v1");
		if (!limited && mc.limit != MEMCG_UNKNOWN)
			table_meta(t, NULL, "memory cgroup limit", COL_TEXT, NULL, 0, 0, "none");
		else if (limited && strcmp(b.path, mc.path))
			table_meta(t, "cgroup_limit_from", "memory cgroup limit set on", COL_TEXT,
				   "the ancestor whose limit is nearest: the row is its", 0, 0,
				   b.path);
		if (mc.peak != MEMCG_UNKNOWN)
			table_meta(t, "cgroup_peak", "memory cgroup peak", COL_SIZE, NULL,
				   (int64_t)mc.peak, 0, NULL);
	}
	pidh_close(&self);
	if (HAS(DIRTY))
		table_meta(t, "dirty", "dirty", COL_SIZE, "waiting to be written", (int64_t)V(DIRTY),
			   0, NULL);
	if (HAS(WRITEBACK))
		table_meta(t, "writeback", "writeback", COL_SIZE, "being written",
			   (int64_t)V(WRITEBACK), 0, NULL);
	if (HAS(SLAB))
		table_meta(t, "slab", "slab", COL_SIZE, "kernel slab", (int64_t)V(SLAB), 0, NULL);
	if (HAS(SRECLAIMABLE))
		table_meta(t, "slab_reclaimable", "slab reclaimable", COL_SIZE, NULL,
			   (int64_t)V(SRECLAIMABLE), 0, NULL);
	if (HAS(COMMITTED_AS))
		table_meta(t, "committed", "committed (Committed_AS)", COL_SIZE,
			   "memory promised to processes", (int64_t)V(COMMITTED_AS), 0, NULL);
	if (HAS(COMMITLIMIT))
		table_meta(t, "commit_limit", "commit limit", COL_SIZE, NULL, (int64_t)V(COMMITLIMIT),
			   0, NULL);
	if (HAS(HUGEPAGES_TOTAL) && HAS(HUGEPAGESIZE)) {
		table_meta(t, "hugepages_total", "huge pages total", COL_NUM, NULL,
			   (int64_t)V(HUGEPAGES_TOTAL), 0, NULL);
		table_meta(t, "hugepages_free", "huge pages free", COL_NUM, NULL,
			   (int64_t)V(HUGEPAGES_FREE), 0, NULL);
		table_meta(t, "hugepage_size", "huge page size", COL_SIZE, NULL,
			   (int64_t)V(HUGEPAGESIZE), 0, NULL);
	}
#undef V
#undef HAS
	table_print(t, &co->out);
	table_free(t);
	return 0;
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Who uses the memory: per process RSS, PSS (honest: shared pages divided\n"
	       "among their users), USS, swap, sorted by PSS.\n"
	       "\n"
	       "  -N, --top N           the N largest (by PSS: reads as few smaps as it can)\n"
	       "  -g, --group KEY       one row per comm, user or cgroup, with sums and COUNT\n"
	       "                        (PSS sums are honest; RSS sums count shared pages\n"
	       "                        once per process)\n"
	       "      --system          the machine like free(1), and the caller's memory cgroup\n"
	       "      --growth          with -i/-c: rank by RATE, the leak suspects first\n"
	       "      --stats           say on stderr how many smaps_rollup files were read\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS | HELP_SAMPLING);
	printf("\nPSS and USS read smaps_rollup (a page-table walk per process; root or\n"
	       "CAP_SYS_PTRACE for other users'); a column set without them reads none.\n"
	       "Kernel threads are skipped; tasks in D are never walked (PSS unknown).\n"
	       "\nExit status: 0 success, 2 usage error, 3 fatal error.\n"
	       "Columns: %s -H. See memtop(1).\n", program_invocation_short_name);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct pmem *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void free_procs(struct pmem *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].cgroup);
		free(p[i].cmd);
	}
	free(p);
}

enum { OPT_SYSTEM = OPT_TOOL, OPT_GROWTH, OPT_STATS };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		SAMPLE_LONGOPTS,
		{ "top", required_argument, NULL, 'N' },
		{ "group", required_argument, NULL, 'g' },
		{ "system", no_argument, NULL, OPT_SYSTEM },
		{ "growth", no_argument, NULL, OPT_GROWTH },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct mctx c = { 0 };
	struct meminfo mi = { .has = 0 };
	struct procfs pf;
	struct table *t;
	bool system = false, growth = false, stats = false, sampling, light;
	unsigned flags;
	int opt, group = -1, sortcol;
	unsigned long needs;
	uint64_t top = 0;
	size_t denied = 0, in_d = 0, failed = 0, scanned = 0, missing = 0, shown;
	bool written;
	char err[128];

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS FILTER_SHORTOPTS SAMPLE_SHORTOPTS
				  "g:N:", longopts, NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 'N':
			if (parse_u64_str(optarg, &top) < 0 || top == 0 || top > 10000000)
				usage_error("invalid --top: '%s'", optarg);
			break;
		case 'g':
			if (!strcmp(optarg, "comm"))
				group = COL_COMM;
			else if (!strcmp(optarg, "user"))
				group = COL_USER;
			else if (!strcmp(optarg, "cgroup"))
				group = COL_CGROUP;
			else
				usage_error("invalid --group: '%s' (comm, user or cgroup)", optarg);
			break;
		case OPT_SYSTEM: system = true; break;
		case OPT_GROWTH: growth = true; break;
		case OPT_STATS: stats = true; break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "memtop", cols, ARRAY_SIZE(cols));
	sampling = co.interval > 0 || co.count > 0;
	if (growth && !sampling)
		usage_error("--growth needs sampling (-i SECS -c N)");
	if (sampling && !co.interval)
		co.interval = 1;
	if (sampling && !co.count)
		co.count = 5;
	if (sampling && co.count < 2)
		usage_error("growth needs at least two samples (-c 2 or more)");
	if (system && (sampling || group >= 0 || top || filter_active(&co.filt)))
		usage_error("--system goes alone");
	procfs_open_or_die(&pf, &co);
	if (sampling)
		sampling_needs_live(&pf, "-i and -c need the live /proc");
	if (system) {
		int rc = show_system(&pf, &co);

		procfs_close(&pf);
		common_free(&co);
		return out_finish(rc);
	}

	t = table_new("memtop", group >= 0 ? "groups" : "processes", cols, ARRAY_SIZE(cols));
	/* A group's row is told from the others by its name (prometheus
	 * keeps it among the labels whatever -o says). */
	if (group >= 0)
		table_key(t, group);
	table_exclude(t, N_SYSTEM | (sampling ? 0 : N_SAMPLE) |
			 (group >= 0 ? N_PROC | (N_KEYS & ~cols[group].needs) : N_GROUP));
	{
		char defaults[128];

		if (group >= 0)
			snprintf(defaults, sizeof(defaults), "%s,COUNT,RSS,PSS,SWAP%s",
				 cols[group].name, sampling ? ",DELTA,RATE" : "");
		else
			snprintf(defaults, sizeof(defaults), "PID,USER,RSS,PSS,SWAP%s,COMM",
				 sampling ? ",DELTA,RATE" : "");
		if (table_select(t, defaults, &co.out, err, sizeof(err)) < 0)
			usage_error("%s", err);
	}
	if (group >= 0 && sampling)
		usage_error("--group and sampling do not go together");
	needs = table_needs(t);
	if (group == COL_USER)
		needs |= N_USER;
	/* SWAP comes with PSS from smaps_rollup; only FILE and SHMEM, or SWAP
	 * without PSS, need status. */
	if ((needs & N_SMAPS) && !table_wants(t, COL_FILE) && !table_wants(t, COL_SHMEM)) {
		needs &= ~(unsigned long)N_STATUS;
		c.swap_status = table_wants(t, COL_SWAP) || group >= 0;
	}
	if (group == COL_CGROUP)
		needs |= N_CGROUP;
	/* The sort: -x, else RATE for --growth, else PSS when it is read. */
	sortcol = growth ? COL_RATE : (needs & N_SMAPS) ? COL_PSS : COL_RSS;
	table_default_sort(t, sortcol);
	/* Rows whose PSS (or USS) is unknown, without root nearly all of
	 * them, come by RSS, the most their PSS can be: the largest first,
	 * not the lowest PIDs (see cmp_pss_desc, which -N follows). */
	table_tiebreak(t, COL_RSS);
	if (co.out.sort) {
		for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
			if (!strcasecmp(cols[i].name, co.out.sort))
				sortcol = (int)i;
		needs |= cols[sortcol].needs;
	}
	c.pf = &pf;
	c.needs = needs;
	c.sampling = sampling;
	/* With -N and an order that stat (or PSS) decides, the scan reads
	 * stat alone; only the rows shown are read further. */
	c.deferred = top && group < 0 && !sampling && !co.out.reverse &&
		     (sortcol == COL_PSS || sortcol == COL_RSS || sortcol == COL_VSZ ||
		      sortcol == COL_THREADS);
	/* Columns statm and the name give alone (-x rss -o pid,rss,comm):
	 * comm is read instead of stat, a third cheaper. */
	light = !c.deferred && !sampling && group < 0 && sortcol != COL_THREADS &&
		!table_wants(t, COL_THREADS) &&
		!(needs & (N_STATUS | N_SMAPS | N_CMDLINE | N_CGROUP));
	if (needs & N_CGROUP)
		cgroup_mounts_read(&pf, &c.mounts);
	if (needs & N_MEMINFO)
		meminfo_read(&pf, &mi);

	for (long s = 0; s < (sampling ? co.count : 1); s++) {
		struct scan_stats ss = { 0 };
		bool last = !sampling || s == co.count - 1;
		int r;

		if (s > 0) {
			if (co.interval > 1 && isatty(STDERR_FILENO))
				fprintf(stderr, "\r%s: sample %ld of %ld...", program_invocation_short_name,
					s + 1, co.count);
			sleep_secs(co.interval);
			free_procs(c.prev, c.nprev);
			c.prev = c.p;
			c.nprev = c.n;
			qsort(c.prev, c.nprev, sizeof(*c.prev), cmp_pid);
			c.p = NULL;
			c.n = c.cap = 0;
		}
		c.light = !last;
		c.now = now_mono();
		flags = c.deferred ? 0 :
			(needs & (N_STATM | N_RSS | N_CMDLINE | N_CGROUP | N_USER | N_SMAPS) ?
			 SCAN_DIR : 0) | (needs & N_STATUS ? SCAN_STATUS : 0);
		r = light ? scan_processes_named(&pf, &co.filt, "statm", flags, visit_named, visit,
						 &c, &ss)
			  : scan_processes(&pf, &co.filt, flags, visit, &c, &ss);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name,
				pf.proc, strerror(-r));
			return out_finish(EXIT_FATAL);
		}
		if (last)
			scan_report(&pf, &ss);
	}
	if (sampling && co.interval > 1 && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);

	scanned = c.n;
	shown = c.deferred ? select_top(&c, sortcol, (size_t)top) : drop_gone(&c, c.n);
	if (group >= 0) {
		add_group_rows(t, &c, group);
	} else {
		for (size_t i = 0; i < shown; i++)
			set_proc_row(t, table_add_row(t), &c.p[i], &mi, sampling);
	}
	if (top)
		table_limit(t, (size_t)top);
	table_print(t, &co.out);

	/* The notes say what the rows lack: after a failed write there are
	 * no rows, and the error line is all stderr says. */
	written = out_flush() == 0;
	for (size_t i = 0; written && i < c.n; i++) {
		if (!(needs & N_SMAPS) || !c.p[i].smaps_done || c.p[i].have_smaps ||
		    c.p[i].smaps_err == -ECANCELED)
			continue;
		if (c.p[i].smaps_err == -EACCES)
			denied++;
		else if (c.p[i].smaps_err == -EDEADLK)
			in_d++;
		else if (c.p[i].smaps_err == -ENODATA)
			missing++;
		else if (c.p[i].smaps_err != -ENOENT)
			failed++;
	}
	if (denied)
		note_unknown(group >= 0 ? "PSS (left out of the sums)" : "PSS", denied, scanned,
			     -EACCES);
	if (in_d)
		fprintf(stderr, "%s: PSS unknown for %zu of %zu processes: in D (reading "
			"smaps_rollup could block)%s\n", program_invocation_short_name, in_d, scanned,
			group >= 0 ? "; left out of the sums" : "");
	if (failed)
		note_unknown("PSS", failed, scanned, -EINVAL);
	if (missing)
		fprintf(stderr, "%s: PSS unknown for %zu of %zu processes: no smaps_rollup (a kernel "
			"before 4.14, or a saved tree without it)\n", program_invocation_short_name,
			missing, scanned);
	if (stats && written)
		fprintf(stderr, "%s: smaps_rollup read for %zu of %zu processes\n",
			program_invocation_short_name, c.smaps_reads, scanned);
	free_procs(c.p, c.n);
	free_procs(c.prev, c.nprev);
	table_free(t);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(0);
}
