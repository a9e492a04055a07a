/*
 * loadwhy: why is the load average high? One run gives the answer that
 * vmstat, iostat -x, pidstat, iotop and ps give together: a VERDICT
 * (cpu-saturated, io-bound, memory-pressure, blocked-not-io, cpu-steal, ok)
 * and the evidence behind it.
 *
 * Two samples -i SECS apart of the system files: stat (CPU time,
 * procs_running/blocked), pressure/{cpu,io,memory} (PSI totals), vmstat
 * (swapping, major faults, reclaim stalls), diskstats (iostat's rates); and
 * at the end loadavg, meminfo and the stat of every task (R and D counts;
 * the wchan, and as root the stack, of the few in D only: what they wait
 * for). PID/io is read at both ends only when the top I/O section is shown
 * (it is the costly part: two reads per process). --proc-after DIR takes
 * the second sample from a second saved tree instead of sleeping. -c N
 * watches N intervals in a row, each starting at the end sample of the one
 * before (its io, read by the walk, included).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "diskstats.h"
#include "kstack.h"
#include "meminfo.h"
#include "opts.h"
#include "pidio.h"
#include "pidstat.h"
#include "pressure.h"
#include "procfs.h"
#include "scan.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"
#include "vmstat.h"

/* Sections: each column is in one. The record sections make one row of
 * the system; the others are lists. */
#define S_LOAD		0x001
#define S_TASKS		0x002
#define S_FAMILY	0x004
#define S_CPU		0x008
#define S_PSI		0x010
#define S_MEM		0x020
#define S_VERDICT	0x040
#define S_DISK		0x080
#define S_WAIT		0x100
#define S_TOPIO		0x200
#define S_EVIDENCE	0x400
#define S_RECORD	(S_LOAD | S_TASKS | S_FAMILY | S_CPU | S_PSI | S_MEM | S_VERDICT)
#define N_LABEL		0x1000	/* names the row of a list: shown with any of its section */

/* Verdict thresholds (man/loadwhy.1 lists them). Percentages of the
 * interval or of CPU time. */
#define T_PSI_MEMORY	10.0	/* memory some */
#define T_SWAPIN	(1024.0 * 1024)	/* bytes/s of swap-in ... */
#define T_AVAIL_LOW	10.0	/* ... with MemAvailable under this % of MemTotal */
#define T_PSI_IO	10.0	/* io some */
#define T_IOWAIT	10.0
#define T_DISK_UTIL	80.0
#define T_CPU_BUSY	80.0	/* user+nice+system+irq+softirq */
#define T_PSI_CPU	20.0	/* cpu some */
#define T_STEAL		10.0
#define T_IO_NOTE	10.0	/* disk util that an unsampled top I/O list notes */
#define TOP_DEFAULT	5

enum {
	/* The record. */
	C_LOAD1, C_LOAD5, C_LOAD15, C_CPUS, C_INTERVAL,
	C_RUNNING, C_D, C_D_BLOCK_IO, C_D_OTHER, C_PROCS_RUNNING, C_PROCS_BLOCKED, C_TASKS,
	C_WALKED, C_IO_SAMPLED, C_IO_UNKNOWN,
	C_D_NFS, C_D_FUSE, C_D_JOURNAL, C_D_LOCK, C_D_RECLAIM, C_D_FREEZER, C_D_VFORK,
	C_D_MISC, C_D_UNKNOWN,
	C_CPU_USER, C_CPU_NICE, C_CPU_SYSTEM, C_CPU_IOWAIT, C_CPU_IRQ, C_CPU_SOFTIRQ,
	C_CPU_STEAL, C_CPU_IDLE, C_CPU_BUSY,
	C_PSI, C_PSI_CPU_SOME, C_PSI_CPU_FULL, C_PSI_IO_SOME, C_PSI_IO_FULL, C_PSI_MEMORY_SOME,
	C_PSI_MEMORY_FULL,
	C_MEM_TOTAL, C_MEM_AVAILABLE, C_MEM_AVAILABLE_PCT, C_SWAP_IN, C_SWAP_OUT, C_MAJFLT,
	C_ALLOCSTALL,
	C_VERDICT, C_ALSO,
	/* The lists. */
	C_DEVICE, C_DISK_TYPE, C_DISK_UTIL, C_DISK_R_S, C_DISK_W_S, C_DISK_RMB_S, C_DISK_WMB_S,
	C_DISK_AWAIT, C_DISK_AQU_SZ,
	C_WCHAN, C_WAIT_FAMILY, C_WAIT_TASKS,
	C_PID, C_COMM, C_READ_BPS, C_WRITE_BPS,
	C_FINDING, C_EVIDENCE,
	NCOLS
};

#define F2 CF_PREC2
static const struct col cols[] = {
	[C_LOAD1] = { "LOAD1", COL_FLOAT, F2, S_LOAD, NULL, "load average over 1 minute" },
	[C_LOAD5] = { "LOAD5", COL_FLOAT, F2, S_LOAD, NULL, "load average over 5 minutes" },
	[C_LOAD15] = { "LOAD15", COL_FLOAT, F2, S_LOAD, NULL, "load average over 15 minutes" },
	[C_CPUS] = { "CPUS", COL_NUM, 0, S_LOAD, NULL, "CPUs online" },
	[C_INTERVAL] = { "INTERVAL", COL_FLOAT, F2, S_LOAD, NULL,
			 "seconds between the two samples" },
	[C_RUNNING] = { "RUNNING", COL_NUM, 0, S_TASKS, NULL,
			"tasks runnable (R) now, loadwhy itself not counted" },
	[C_D] = { "D", COL_NUM, 0, S_TASKS, NULL, "tasks in uninterruptible sleep (D) now" },
	[C_D_BLOCK_IO] = { "D_BLOCK_IO", COL_NUM, 0, S_TASKS, "wchan: same user or root",
			   "tasks in D waiting on block I/O, by wait channel or procs_blocked" },
	[C_D_OTHER] = { "D_OTHER", COL_NUM, 0, S_TASKS, NULL,
			"tasks in D on a known wait other than block I/O, not frozen" },
	[C_PROCS_RUNNING] = { "PROCS_RUNNING", COL_NUM, 0, S_TASKS, NULL,
			      "the kernel's procs_running (/proc/stat, loadwhy included)" },
	[C_PROCS_BLOCKED] = { "PROCS_BLOCKED", COL_NUM, 0, S_TASKS, NULL,
			      "the kernel's procs_blocked: tasks in io_schedule" },
	[C_TASKS] = { "TASKS", COL_NUM, 0, S_TASKS, NULL, "tasks (threads) in the system" },
	[C_WALKED] = { "WALKED", COL_NUM, 0, S_TASKS, NULL,
		       "1: every task's state was read; 0: not needed (see -a)" },
	[C_IO_SAMPLED] = { "IO_SAMPLED", COL_NUM, 0, S_TASKS, NULL,
			   "1: every process's io was read at both ends; 0: not needed, or one "
			   "saved tree" },
	[C_IO_UNKNOWN] = { "IO_UNKNOWN", COL_NUM, 0, S_TASKS, "root or CAP_SYS_PTRACE",
			   "processes whose io could not be read: not in the top I/O list "
			   "(- when not sampled)" },
	[C_D_NFS] = { "D_NFS", COL_NUM, 0, S_FAMILY, NULL, "tasks in D on NFS/RPC" },
	[C_D_FUSE] = { "D_FUSE", COL_NUM, 0, S_FAMILY, NULL, "tasks in D on a FUSE daemon" },
	[C_D_JOURNAL] = { "D_JOURNAL", COL_NUM, 0, S_FAMILY, NULL,
			  "tasks in D on a filesystem journal" },
	[C_D_LOCK] = { "D_LOCK", COL_NUM, 0, S_FAMILY, NULL, "tasks in D on a kernel lock" },
	[C_D_RECLAIM] = { "D_RECLAIM", COL_NUM, 0, S_FAMILY, NULL,
			  "tasks in D on memory reclaim or dirty-page throttling" },
	[C_D_FREEZER] = { "D_FREEZER", COL_NUM, 0, S_FAMILY, NULL,
			  "tasks frozen by the cgroup freezer (no load)" },
	[C_D_VFORK] = { "D_VFORK", COL_NUM, 0, S_FAMILY, NULL,
			"vfork parents waiting for their child" },
	[C_D_MISC] = { "D_MISC", COL_NUM, 0, S_FAMILY, NULL,
		       "tasks in D on another known wait (a driver, RCU...)" },
	[C_D_UNKNOWN] = { "D_UNKNOWN", COL_NUM, 0, S_FAMILY, NULL,
			  "tasks in D whose wait channel is unknown or unclassified, less those "
			  "procs_blocked puts on block I/O" },
	[C_CPU_USER] = { "CPU_USER", COL_FLOAT, 0, S_CPU, NULL, "% of CPU time in user mode" },
	[C_CPU_NICE] = { "CPU_NICE", COL_FLOAT, 0, S_CPU, NULL, "% in user mode, niced" },
	[C_CPU_SYSTEM] = { "CPU_SYSTEM", COL_FLOAT, 0, S_CPU, NULL, "% in the kernel" },
	[C_CPU_IOWAIT] = { "CPU_IOWAIT", COL_FLOAT, 0, S_CPU, NULL,
			   "% idle while a task waited for block I/O" },
	[C_CPU_IRQ] = { "CPU_IRQ", COL_FLOAT, 0, S_CPU, NULL, "% in hardware interrupts" },
	[C_CPU_SOFTIRQ] = { "CPU_SOFTIRQ", COL_FLOAT, 0, S_CPU, NULL, "% in softirqs" },
	[C_CPU_STEAL] = { "CPU_STEAL", COL_FLOAT, 0, S_CPU, NULL,
			  "% taken by the hypervisor for other guests" },
	[C_CPU_IDLE] = { "CPU_IDLE", COL_FLOAT, 0, S_CPU, NULL, "% idle" },
	[C_CPU_BUSY] = { "CPU_BUSY", COL_FLOAT, 0, S_CPU, NULL,
			 "% busy: user, nice, system, irq and softirq" },
	[C_PSI] = { "PSI", COL_TEXT, CF_NOPROM, S_PSI, NULL,
		    "pressure source: interval (total= deltas), avg10 (one saved tree), "
		    "unavailable" },
	[C_PSI_CPU_SOME] = { "PSI_CPU_SOME", COL_FLOAT, 0, S_PSI, NULL,
			     "% of the interval some task waited for a CPU" },
	[C_PSI_CPU_FULL] = { "PSI_CPU_FULL", COL_FLOAT, 0, S_PSI, NULL,
			     "unknown system-wide (the kernel reports zeros there)" },
	[C_PSI_IO_SOME] = { "PSI_IO_SOME", COL_FLOAT, 0, S_PSI, NULL,
			    "% of the interval some task waited for I/O" },
	[C_PSI_IO_FULL] = { "PSI_IO_FULL", COL_FLOAT, 0, S_PSI, NULL,
			    "% of the interval all non-idle tasks waited for I/O" },
	[C_PSI_MEMORY_SOME] = { "PSI_MEMORY_SOME", COL_FLOAT, 0, S_PSI, NULL,
				"% of the interval some task waited for memory" },
	[C_PSI_MEMORY_FULL] = { "PSI_MEMORY_FULL", COL_FLOAT, 0, S_PSI, NULL,
				"% of the interval all non-idle tasks waited for memory" },
	[C_MEM_TOTAL] = { "MEM_TOTAL", COL_SIZE, 0, S_MEM, NULL, "MemTotal" },
	[C_MEM_AVAILABLE] = { "MEM_AVAILABLE", COL_SIZE, 0, S_MEM, NULL,
			      "MemAvailable: what can be had without swapping" },
	[C_MEM_AVAILABLE_PCT] = { "MEM_AVAILABLE_PCT", COL_FLOAT, 0, S_MEM, NULL,
				  "MemAvailable as % of MemTotal" },
	[C_SWAP_IN] = { "SWAP_IN_BPS", COL_SIZE, 0, S_MEM, NULL, "swapped in, bytes per second" },
	[C_SWAP_OUT] = { "SWAP_OUT_BPS", COL_SIZE, 0, S_MEM, NULL, "swapped out, bytes per second" },
	[C_MAJFLT] = { "MAJFLT_S", COL_FLOAT, 0, S_MEM, NULL, "major page faults per second" },
	[C_ALLOCSTALL] = { "ALLOCSTALL_S", COL_FLOAT, 0, S_MEM, NULL,
			   "direct reclaim stalls per second" },
	[C_VERDICT] = { "VERDICT", COL_TEXT, CF_NOPROM, S_VERDICT, NULL,
			"cpu-saturated, io-bound, memory-pressure, blocked-not-io, cpu-steal "
			"or ok" },
	[C_ALSO] = { "ALSO", COL_TEXT, CF_NOPROM, S_VERDICT, NULL,
		     "other findings that held, comma separated" },
	[C_DEVICE] = { "DEVICE", COL_TEXT, 0, S_DISK | N_LABEL, NULL, "block device" },
	[C_DISK_TYPE] = { "DISK_TYPE", COL_TEXT, 0, S_DISK, NULL,
			  "disk or part (partition: its I/O is in its disk's too)" },
	[C_DISK_UTIL] = { "DISK_UTIL", COL_FLOAT, 0, S_DISK, NULL,
			  "% of the time with I/O in flight (not saturation on parallel devices)" },
	[C_DISK_R_S] = { "DISK_R_S", COL_FLOAT, 0, S_DISK, NULL, "reads completed per second" },
	[C_DISK_W_S] = { "DISK_W_S", COL_FLOAT, 0, S_DISK, NULL, "writes completed per second" },
	[C_DISK_RMB_S] = { "DISK_RMB_S", COL_FLOAT, F2, S_DISK, NULL, "MiB read per second" },
	[C_DISK_WMB_S] = { "DISK_WMB_S", COL_FLOAT, F2, S_DISK, NULL, "MiB written per second" },
	[C_DISK_AWAIT] = { "DISK_AWAIT", COL_FLOAT, 0, S_DISK, NULL,
			   "ms per I/O, queueing included" },
	[C_DISK_AQU_SZ] = { "DISK_AQU_SZ", COL_FLOAT, F2, S_DISK, NULL,
			    "average requests in flight (queue depth)" },
	[C_WCHAN] = { "WCHAN", COL_TEXT, 0, S_WAIT | N_LABEL, "same user or root",
		      "wait channel of tasks in D" },
	[C_WAIT_FAMILY] = { "WAIT_FAMILY", COL_TEXT, 0, S_WAIT, NULL,
			    "block-io, nfs, fuse, journal, lock, reclaim, freezer, vfork, other, "
			    "unknown" },
	[C_WAIT_TASKS] = { "WAIT_TASKS", COL_NUM, 0, S_WAIT, NULL, "tasks in D waiting there" },
	[C_PID] = { "PID", COL_NUM, CF_LABEL, S_TOPIO | N_LABEL, NULL, "process ID" },
	[C_COMM] = { "COMM", COL_TEXT, 0, S_TOPIO, NULL, "command name" },
	[C_READ_BPS] = { "READ_BPS", COL_SIZE, 0, S_TOPIO, "root or CAP_SYS_PTRACE",
			 "bytes read from storage per second" },
	[C_WRITE_BPS] = { "WRITE_BPS", COL_SIZE, 0, S_TOPIO, "root or CAP_SYS_PTRACE",
			  "bytes written (dirtied) per second" },
	[C_FINDING] = { "FINDING", COL_TEXT, CF_NOPROM, S_EVIDENCE | N_LABEL, NULL,
			"the verdict an evidence line supports" },
	[C_EVIDENCE] = { "EVIDENCE", COL_TEXT, CF_NOPROM, S_EVIDENCE, NULL,
			 "what was seen, with the numbers" },
};
#undef F2

/* The prometheus form of the verdict: one series per verdict, 1 for the
 * one that holds (a state set). */
static const struct col verdict_cols[] = {
	{ "VERDICT", COL_TEXT, 0, 0, NULL, "verdict" },
	{ "VERDICT", COL_NUM, 0, 0, NULL, "1 for the verdict that holds, 0 for the others" },
};

/* The raw and pairs form: one "METRIC VALUE" line a metric, VALUE of the
 * metric's own type. */
#define VALUE_COLS(t) { { "METRIC", COL_TEXT, 0, 0, NULL, "metric" }, \
			{ "VALUE", t, 0, 0, NULL, "value" } }
static const struct col value_cols[][2] = {
	[COL_NUM] = VALUE_COLS(COL_NUM), [COL_SIZE] = VALUE_COLS(COL_SIZE),
	[COL_DUR] = VALUE_COLS(COL_DUR), [COL_FLOAT] = VALUE_COLS(COL_FLOAT),
	[COL_TEXT] = VALUE_COLS(COL_TEXT),
};

static const char *const verdicts[] = {
	"ok", "cpu-saturated", "io-bound", "memory-pressure", "blocked-not-io", "cpu-steal",
};
enum { V_OK, V_CPU, V_IO, V_MEMORY, V_BLOCKED, V_STEAL, NVERDICTS };

/* A value of the record. */
struct val {
	bool known;
	int64_t i;
	double d;
	const char *s;
};

/* A process's io counters at a sample, and its PPID when they are not 0
 * (0: not read). seen: the process was still listed at the next sample. */
struct ioval {
	pid_t pid, ppid;
	uint64_t rb, wb;
	bool seen;
};

/* One sample of the system files. */
struct sample {
	double mono, uptime;
	bool have_stat, have_vm, have_disks;
	struct sys_stat st;
	struct psi psi[3];
	int psi_err[3];
	struct vmstat vm;
	struct diskstats ds;
	struct ioval *io;
	size_t nio;
	bool io_read;		/* every process's io read at this sample */
};

struct wait {
	char wchan[64];
	enum wait_family family;
	int64_t tasks;
};

struct topio {
	pid_t pid;
	char comm[64];
	size_t comm_len;
	double rbps, wbps;
	bool from_start;	/* a delta since the start, not all of its I/O */
};

struct disk {
	char name[64];
	enum disk_kind kind;
	struct disk_rates r;
};

struct evidence {
	int finding;
	char text[256];
};

struct lw {
	const struct procfs *pfa, *pfb;
	bool live, want_io, have_dt;
	bool all;		/* -a: walk and sample whatever the counters say */
	bool walked, io_sampled;	/* every task's state read; io at both ends */
	double dt;
	pid_t self;
	struct sample a, b;
	struct val v[NCOLS];
	int64_t fam[WAIT_OTHER + 1];
	struct wait *waits;
	size_t nwaits;
	struct topio *top;
	size_t ntop;
	struct disk *disks;
	size_t ndisks;
	struct evidence ev[32];
	size_t nev;
	size_t tasks, in_d, wchan_unknown, io_denied, io_total;
	int64_t io_by_count;	/* tasks on an unknown wait counted as block I/O */
	int verdict;
	bool held[NVERDICTS];
};

static const char *const psi_names[3] = { "cpu", "io", "memory" };

static void setn(struct lw *w, int c, int64_t i)
{
	w->v[c].known = true;
	w->v[c].i = i;
}

static void setf(struct lw *w, int c, double d)
{
	if (d < 0 || d != d)
		return;
	w->v[c].known = true;
	w->v[c].d = d;
}

static void sets(struct lw *w, int c, const char *s)
{
	w->v[c].known = true;
	w->v[c].s = s;
}

static double getf(const struct lw *w, int c)
{
	if (!w->v[c].known)
		return -1;
	return cols[c].type == COL_FLOAT ? w->v[c].d : (double)w->v[c].i;
}

static int cmp_ioval(const void *a, const void *b)
{
	const struct ioval *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct ioval *find_io(struct sample *s, pid_t pid)
{
	struct ioval key = { .pid = pid };

	return s->nio ? bsearch(&key, s->io, s->nio, sizeof(*s->io), cmp_ioval) : NULL;
}

/* The system files of one sample. Only stat is required. */
static int take_sample(const struct procfs *pf, struct sample *s)
{
	int r;

	s->mono = now_mono();
	if (uptime_read(pf, &s->uptime, NULL) < 0)
		s->uptime = -1;
	r = sysstat_read(pf, &s->st);
	if (r < 0)
		return r;
	s->have_stat = true;
	for (int i = 0; i < 3; i++)
		s->psi_err[i] = psi_read(pf, psi_names[i], &s->psi[i]);
	s->have_vm = vmstat_read(pf, &s->vm) == 0;
	s->have_disks = diskstats_read(pf, &s->ds, NULL) == 0;
	return 0;
}

/* Tasks in D off block I/O that make a blocked-not-io finding (and the
 * reclaim waits that make memory pressure): half the CPUs, at least 2. */
static int64_t min_blocked(int64_t ncpus)
{
	int64_t half = ncpus / 2 + ncpus % 2;

	return half > 2 ? half : 2;
}

/* Whether I/O is under way as the interval begins: then the top I/O list
 * is worth a read of every process's io at both ends. Tasks in io_schedule,
 * requests in flight on a device, io pressure in the last 10 s, pages
 * under writeback, or a load high enough for a finding. */
static bool io_under_way(const struct sample *s, const struct loadavg *la, bool have_la)
{
	uint64_t wb = 0;

	if (s->st.procs_blocked > 0)
		return true;
	if (have_la && la->load[0] >= (double)min_blocked(s->st.ncpus))
		return true;
	if (s->psi_err[1] == 0 && s->psi[1].has_some && s->psi[1].some.avg10 > 0)
		return true;
	if (s->have_vm && vmstat_get(&s->vm, "nr_writeback", &wb) == 0 && wb > 0)
		return true;
	for (size_t i = 0; s->have_disks && i < s->ds.n; i++)
		if (s->ds.d[i].in_flight > 0)
			return true;
	return false;
}

/* Whether the counters leave something for the walk of every task (one
 * read each) to explain: a task in io_schedule at either end, a 1-minute
 * load that can hold enough tasks in D for a finding, or memory pressure
 * (the reclaim waits). Below that the load is not high. */
static bool worth_walking(const struct lw *w, const struct loadavg *la, bool have_la)
{
	if (w->a.st.procs_blocked > 0 || w->b.st.procs_blocked > 0)
		return true;
	if (!have_la || la->load[0] >= (double)min_blocked(w->b.st.ncpus))
		return true;
	return w->v[C_PSI_MEMORY_SOME].known && w->v[C_PSI_MEMORY_SOME].d >= T_PSI_MEMORY;
}

/* A process's io counters at a sample, with its PPID (0: unknown). */
static void keep_io(struct sample *s, size_t *cap, pid_t pid, pid_t ppid,
		    const struct proc_io *io)
{
	if (s->nio == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		s->io = xreallocarray(s->io, *cap, sizeof(*s->io));
	}
	s->io[s->nio++] = (struct ioval){ .pid = pid, .ppid = ppid, .rb = io->read_bytes,
					  .wb = io->write_bytes };
}

/* The start of the top I/O section: every process's io counters, and the
 * PPID of those whose counters are not 0: a parent that reaps one of them
 * gets all of its counters added to its own (see reaped_before). */
static void sample_io(struct lw *w, const struct procfs *pf, struct sample *s)
{
	pid_t *pids;
	ssize_t n = procfs_list_pids(pf->procfd, ".", &pids);
	size_t cap = 0;

	for (ssize_t i = 0; i < n; i++) {
		struct proc_io io;
		struct pidh h;

		if (pids[i] == w->self && w->live)
			continue;
		pidh_open(&h, pf, pids[i], false);
		if (io_read(&h, &io) == 0 && (io.has & IOF_READ_BYTES)) {
			struct proc_stat st;
			pid_t ppid = 0;

			if ((io.read_bytes || io.write_bytes) && stat_read(&h, &st) == 0)
				ppid = st.ppid;
			keep_io(s, &cap, pids[i], ppid, &io);
		}
		pidh_close(&h);
	}
	if (n > 0)
		free(pids);
	s->io_read = true;
}


static void count_wait(struct lw *w, const char *wchan, enum wait_family f)
{
	size_t i;

	for (i = 0; i < w->nwaits; i++)
		if (!strcmp(w->waits[i].wchan, wchan))
			break;
	if (i == w->nwaits) {
		w->waits = xreallocarray(w->waits, w->nwaits + 1, sizeof(*w->waits));
		snprintf(w->waits[i].wchan, sizeof(w->waits[i].wchan), "%s", wchan);
		w->waits[i].family = f;
		w->waits[i].tasks = 0;
		w->nwaits++;
	}
	w->waits[i].tasks++;
}

/* A task in D: what it waits for, from its wchan, and from its stack
 * (root) when the wchan says nothing or only "a lock". */
static void classify_d(struct lw *w, struct pidh *h)
{
	char wchan[64];
	struct kstack ks = { .n = 0 };
	const char *hint;
	bool have = wchan_read(h, wchan, sizeof(wchan)) == 0;
	enum wait_family f = have ? wait_classify(wchan, &hint) : WAIT_UNKNOWN;

	if (f == WAIT_UNKNOWN || f == WAIT_LOCK) {
		if (kstack_read(h, &ks) < 0)
			ks.n = 0;
		if (!have && kstack_wait_frame(&ks)) {
			snprintf(wchan, sizeof(wchan), "%s", kstack_wait_frame(&ks));
			have = true;
		}
		f = wait_classify_task(have ? wchan : NULL, ks.n ? &ks : NULL, &hint);
	}
	f = wait_or_frozen(h, have ? wchan : NULL, f, &hint);
	if (!have)
		w->wchan_unknown++;
	w->fam[f]++;
	count_wait(w, have ? wchan : "", f);
}

static void count_task(struct lw *w, struct pidh *h, const struct proc_stat *st)
{
	w->tasks++;
	if (st->state == 'R' && !(w->live && st->pid == w->self))
		setn(w, C_RUNNING, w->v[C_RUNNING].i + 1);
	/* Its wait channel and stack are read through its own directory: a
	 * task gone since its stat is not counted. */
	if (st->state == 'D' && pidh_pin(h, st->starttime) >= 0) {
		w->in_d++;
		classify_d(w, h);
	}
}

static int visit_thread(struct pidh *h, const struct proc_stat *st,
			const struct proc_status *status, void *ctx)
{
	(void)status;
	count_task(ctx, h, st);
	return 0;
}

/* The process was born after the first sample (uptime known): a PID seen
 * at both ends then names two processes. */
static bool born_in_interval(const struct lw *w, const struct proc_stat *st)
{
	return w->a.uptime >= 0 &&
	       (double)st->starttime / (double)procfs_hz() > w->a.uptime;
}

/* The end of the top I/O section for one process, read before its stat:
 * a stat that shows a process born after the io read means the PID was
 * reused in between, and the io belongs to someone else. */
static void io_end(struct lw *w, pid_t pid, const struct proc_io *io, bool have_io,
		   const struct proc_stat *st)
{
	double born = (double)st->starttime / (double)procfs_hz();
	const struct ioval *old;
	uint64_t rb0 = 0, wb0 = 0;
	double rbps, wbps;

	if (!have_io || !w->have_dt || (st->flags & PF_KTHREAD_FLAG))
		return;
	if (w->b.uptime >= 0 && born > w->b.uptime + 0.01)
		return;
	old = find_io(&w->a, pid);
	/* Born during the interval: all of its I/O is the interval's. Older
	 * than the first sample but missing from it: unknown. */
	if (born_in_interval(w, st)) {
		old = NULL;
	} else if (!old) {
		return;
	}
	if (old) {
		if (io->read_bytes < old->rb || io->write_bytes < old->wb)
			return;
		rb0 = old->rb;
		wb0 = old->wb;
	}
	rbps = (double)(io->read_bytes - rb0) / w->dt;
	wbps = (double)(io->write_bytes - wb0) / w->dt;
	if (rbps + wbps <= 0)
		return;
	w->top = xreallocarray(w->top, w->ntop + 1, sizeof(*w->top));
	w->top[w->ntop] = (struct topio){ .pid = pid, .rbps = rbps, .wbps = wbps,
					  .from_start = old != NULL };
	memcpy(w->top[w->ntop].comm, st->comm, sizeof(st->comm));
	w->top[w->ntop].comm_len = st->comm_len;
	w->ntop++;
}

/* A process at the start that is gone at the end, reaped by its parent:
 * the kernel added all of its counters to its parent's (wait_task_zombie),
 * those already counted before the interval too. Those are taken off the
 * parent's row; what it keeps is the I/O its reaped children did in the
 * interval. A parent that ignores SIGCHLD got nothing (the kernel reaped
 * them), and one whose row counts all of its I/O (born in the interval)
 * cannot have been the parent at the start. */
static void reaped_before(struct lw *w)
{
	size_t k = 0;

	for (size_t i = 0; i < w->a.nio; i++) {
		const struct ioval *ch = &w->a.io[i];

		if (ch->seen || ch->ppid <= 0 || (!ch->rb && !ch->wb))
			continue;
		for (size_t j = 0; j < w->ntop; j++) {
			struct topio *t = &w->top[j];

			if (t->pid != ch->ppid)
				continue;
			if (t->from_start && !proc_ignores_sigchld(w->pfb, t->pid)) {
				t->rbps -= (double)ch->rb / w->dt;
				t->wbps -= (double)ch->wb / w->dt;
				t->rbps = t->rbps > 0 ? t->rbps : 0;
				t->wbps = t->wbps > 0 ? t->wbps : 0;
			}
			break;
		}
	}
	for (size_t j = 0; j < w->ntop; j++)
		if (w->top[j].rbps + w->top[j].wbps > 0)
			w->top[k++] = w->top[j];
	w->ntop = k;
}

/* Every task's state at the end of the interval (threads only where a
 * process has more than one) when walking, and the io counters when
 * sampling. */
static int scan_end(struct lw *w, const struct procfs *pf)
{
	pid_t *pids;
	ssize_t n = procfs_list_pids(pf->procfd, ".", &pids);
	size_t cap = 0;

	if (n < 0)
		return (int)n;
	if (w->walked)
		setn(w, C_RUNNING, 0);
	for (ssize_t i = 0; i < n; i++) {
		struct proc_stat st;
		struct proc_io io;
		bool have_io = false;
		struct pidh h;
		int r = -ENOENT;

		bool have_st;

		pidh_open(&h, pf, pids[i], false);
		if (w->io_sampled && !(w->live && pids[i] == w->self)) {
			r = io_read(&h, &io);
			have_io = r == 0 && (io.has & IOF_READ_BYTES);
		}
		have_st = stat_read(&h, &st) == 0;
		/* Still there at the end, unless the PID now holds a process
		 * born in the interval: the one at the start was reaped. */
		if (w->io_sampled && have_st) {
			struct ioval *start = find_io(&w->a, pids[i]);

			if (start && !born_in_interval(w, &st))
				start->seen = true;
		}
		/* The start of the next interval (-c): read once. */
		if (have_io)
			keep_io(&w->b, &cap, pids[i], have_st ? st.ppid : 0, &io);
		if (have_st) {
			struct scan_stats ss = { 0 };

			/* An exited leader (Z) with live threads is scanned too:
			 * its threads run, wait and count. */
			if (w->walked)
				scan_process_tasks(&h, &st, visit_thread, w, &ss);
			/* Counted once the stat tells a kernel thread, which is
			 * never in the list, from a process whose io was not
			 * readable (another user's, without root). */
			if (r != -ENOENT && !(st.flags & PF_KTHREAD_FLAG)) {
				w->io_total++;
				if (r == -EACCES)
					w->io_denied++;
			}
			io_end(w, pids[i], &io, have_io, &st);
		}
		pidh_close(&h);
	}
	free(pids);
	if (w->io_sampled)
		w->b.io_read = true;
	if (w->io_sampled && w->have_dt)
		reaped_before(w);
	return 0;
}

static double tick_pct(uint64_t a, uint64_t b, uint64_t total)
{
	return total && b >= a ? 100.0 * (double)(b - a) / (double)total : -1;
}

static void cpu_metrics(struct lw *w)
{
	const struct cpu_times *x = &w->a.st.cpu, *y = &w->b.st.cpu;
	uint64_t ta = x->user + x->nice + x->system + x->idle + x->iowait + x->irq +
		      x->softirq + x->steal;
	uint64_t tb = y->user + y->nice + y->system + y->idle + y->iowait + y->irq +
		      y->softirq + y->steal;
	uint64_t total = tb > ta ? tb - ta : 0;
	double busy;

	setn(w, C_CPUS, w->b.st.ncpus);
	if (w->b.st.procs_running >= 0)
		setn(w, C_PROCS_RUNNING, w->b.st.procs_running);
	if (w->b.st.procs_blocked >= 0)
		setn(w, C_PROCS_BLOCKED, w->b.st.procs_blocked);
	if (!w->have_dt || !total)
		return;
	setf(w, C_CPU_USER, tick_pct(x->user, y->user, total));
	setf(w, C_CPU_NICE, tick_pct(x->nice, y->nice, total));
	setf(w, C_CPU_SYSTEM, tick_pct(x->system, y->system, total));
	setf(w, C_CPU_IOWAIT, tick_pct(x->iowait, y->iowait, total));
	setf(w, C_CPU_IRQ, tick_pct(x->irq, y->irq, total));
	setf(w, C_CPU_SOFTIRQ, tick_pct(x->softirq, y->softirq, total));
	setf(w, C_CPU_STEAL, tick_pct(x->steal, y->steal, total));
	setf(w, C_CPU_IDLE, tick_pct(x->idle, y->idle, total));
	busy = 0;
	for (int c = C_CPU_USER; c <= C_CPU_SOFTIRQ; c++)
		if (c != C_CPU_IOWAIT && w->v[c].known)
			busy += w->v[c].d;
	setf(w, C_CPU_BUSY, busy > 100 ? 100 : busy);
}

static void psi_metrics(struct lw *w)
{
	static const int cells[3][2] = {
		{ C_PSI_CPU_SOME, -1 }, { C_PSI_IO_SOME, C_PSI_IO_FULL },
		{ C_PSI_MEMORY_SOME, C_PSI_MEMORY_FULL },
	};
	bool any = false;

	for (int i = 0; i < 3; i++) {
		const struct psi *a = &w->a.psi[i], *b = &w->b.psi[i];

		if (w->b.psi_err[i] < 0 || (w->have_dt && w->a.psi_err[i] < 0))
			continue;
		any = true;
		for (int k = 0; k < 2; k++) {
			bool has = k ? a->has_full && b->has_full : a->has_some && b->has_some;
			const struct psi_line *la = k ? &a->full : &a->some;
			const struct psi_line *lb = k ? &b->full : &b->some;

			if (cells[i][k] < 0 || !has)
				continue;
			if (w->have_dt)
				setf(w, cells[i][k], psi_pct(la->total, lb->total, w->dt));
			else
				setf(w, cells[i][k], lb->avg10);
		}
	}
	sets(w, C_PSI, !any ? "unavailable" : w->have_dt ? "interval" : "avg10");
}

static void mem_metrics(struct lw *w)
{
	static const char *const rate_keys[] = { "pswpin", "pswpout", "pgmajfault" };
	static const int rate_cols[] = { C_SWAP_IN, C_SWAP_OUT, C_MAJFLT };
	double page = (double)procfs_page_size();
	struct meminfo mi;
	uint64_t a, b;

	if (meminfo_read(w->pfb, &mi) == 0) {
		setn(w, C_MEM_TOTAL, (int64_t)mi.v[MI_MEMTOTAL]);
		if (meminfo_has(&mi, MI_MEMAVAILABLE)) {
			setn(w, C_MEM_AVAILABLE, (int64_t)mi.v[MI_MEMAVAILABLE]);
			if (mi.v[MI_MEMTOTAL])
				setf(w, C_MEM_AVAILABLE_PCT, 100.0 * (double)mi.v[MI_MEMAVAILABLE] /
					 (double)mi.v[MI_MEMTOTAL]);
		}
	}
	if (!w->have_dt || !w->a.have_vm || !w->b.have_vm)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(rate_keys); i++) {
		double r;

		if (vmstat_get(&w->a.vm, rate_keys[i], &a) < 0 ||
		    vmstat_get(&w->b.vm, rate_keys[i], &b) < 0 || b < a)
			continue;
		r = (double)(b - a) / w->dt;
		if (cols[rate_cols[i]].type == COL_SIZE)
			setn(w, rate_cols[i], (int64_t)(r * page + 0.5));
		else
			setf(w, rate_cols[i], r);
	}
	if (vmstat_sum_prefix(&w->a.vm, "allocstall", &a) &&
	    vmstat_sum_prefix(&w->b.vm, "allocstall", &b) && b >= a)
		setf(w, C_ALLOCSTALL, (double)(b - a) / w->dt);
}

static void disk_metrics(struct lw *w)
{
	if (!w->have_dt || !w->a.have_disks || !w->b.have_disks)
		return;
	for (size_t i = 0; i < w->b.ds.n; i++) {
		const struct disk_stat *db = &w->b.ds.d[i];
		const struct disk_stat *da = diskstats_find(&w->a.ds, db->major, db->minor);
		struct disk d;

		if (!da || strcmp(da->name, db->name))
			continue;
		disk_rates(da, db, w->dt, &d.r);
		/* Busy disks only: a device with nothing completed and nothing
		 * in flight says nothing. */
		if (d.r.r_s <= 0 && d.r.w_s <= 0 && d.r.util <= 0 && !db->in_flight)
			continue;
		snprintf(d.name, sizeof(d.name), "%s", db->name);
		d.kind = disk_kind(w->pfb, db);
		w->disks = xreallocarray(w->disks, w->ndisks + 1, sizeof(*w->disks));
		w->disks[w->ndisks++] = d;
	}
}

static void task_metrics(struct lw *w)
{
	static const int famcol[] = {
		[WAIT_UNKNOWN] = C_D_UNKNOWN, [WAIT_BLOCK_IO] = C_D_BLOCK_IO, [WAIT_NFS] = C_D_NFS,
		[WAIT_FUSE] = C_D_FUSE, [WAIT_JOURNAL] = C_D_JOURNAL, [WAIT_LOCK] = C_D_LOCK,
		[WAIT_RECLAIM] = C_D_RECLAIM, [WAIT_FREEZER] = C_D_FREEZER,
		[WAIT_VFORK] = C_D_VFORK, [WAIT_OTHER] = C_D_MISC,
	};

	setn(w, C_WALKED, w->walked);
	setn(w, C_IO_SAMPLED, w->io_sampled);
	if (w->io_sampled)
		setn(w, C_IO_UNKNOWN, (int64_t)w->io_denied);
	if (!w->walked) {
		/* The kernel's own counts; what is in D is not known. */
		if (w->b.st.procs_running >= 0)
			setn(w, C_RUNNING, w->b.st.procs_running - (w->live ? 1 : 0));
		return;
	}
	setn(w, C_TASKS, (int64_t)w->tasks);
	setn(w, C_D, (int64_t)w->in_d);
	for (int f = WAIT_UNKNOWN; f <= WAIT_OTHER; f++)
		setn(w, famcol[f], w->fam[f]);
	/* A task whose wait channel could not be read (another user's,
	 * without root) or names no known wait is not known to be off block
	 * I/O. procs_blocked counts the tasks in an I/O wait (io_schedule)
	 * whatever the reader's privilege: those it counts beyond the ones
	 * the wait channels put on block I/O are among the unknown ones.
	 * (It can count a known wait that also sleeps in io_schedule, dirty
	 * throttling, or tasks of another PID namespace: then an unknown task
	 * too many; io-bound takes the larger count anyway.) The rest stay
	 * unknown, evidence for no finding: not in D_OTHER. */
	if (w->b.st.procs_blocked > w->fam[WAIT_BLOCK_IO]) {
		int64_t more = w->b.st.procs_blocked - w->fam[WAIT_BLOCK_IO];

		w->io_by_count = more < w->fam[WAIT_UNKNOWN] ? more : w->fam[WAIT_UNKNOWN];
	}
	setn(w, C_D_BLOCK_IO, w->fam[WAIT_BLOCK_IO] + w->io_by_count);
	setn(w, C_D_UNKNOWN, w->fam[WAIT_UNKNOWN] - w->io_by_count);
	setn(w, C_D_OTHER, (int64_t)w->in_d - w->fam[WAIT_BLOCK_IO] - w->fam[WAIT_FREEZER] -
		 w->fam[WAIT_UNKNOWN]);
}

static void evidence(struct lw *w, int finding, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void evidence(struct lw *w, int finding, const char *fmt, ...)
{
	va_list ap;

	if (w->nev == ARRAY_SIZE(w->ev))
		return;
	w->ev[w->nev].finding = finding;
	va_start(ap, fmt);
	vsnprintf(w->ev[w->nev].text, sizeof(w->ev[0].text), fmt, ap);
	va_end(ap);
	w->nev++;
}

/* A number of an evidence line: v with prec decimals and unit, or
 * "unknown" for a value that could not be known (getf's -1, a rate of
 * one sample): never a made-up -1.0%. */
static const char *ev_num(char *buf, size_t size, double v, int prec, const char *unit)
{
	if (v < 0 || v != v)
		return "unknown";
	snprintf(buf, size, "%.*f%s", prec, v, unit);
	return buf;
}

static const char *tasks_word(int64_t n)
{
	return n == 1 ? "task" : "tasks";
}

static int cmp_wait(const void *a, const void *b)
{
	const struct wait *x = a, *y = b;

	if (x->tasks != y->tasks)
		return (x->tasks < y->tasks) - (x->tasks > y->tasks);
	return strcmp(x->wchan, y->wchan);
}

/* The disk to name: the busiest whole disk (or a device sysfs cannot place). */
static const struct disk *busiest_disk(const struct lw *w)
{
	const struct disk *best = NULL;

	for (size_t i = 0; i < w->ndisks; i++) {
		const struct disk *d = &w->disks[i];

		if (d->kind == DISK_PART)
			continue;
		if (!best || d->r.util > best->r.util ||
		    (d->r.util == best->r.util && d->r.r_s + d->r.w_s > best->r.r_s + best->r.w_s))
			best = d;
	}
	return best;
}

static void disk_evidence(struct lw *w, int finding, const struct disk *d)
{
	char b[7][32];
	const size_t n = sizeof(b[0]);

	evidence(w, finding, "busiest disk %s: util %s, %s r/s, %s w/s, %s rMB/s, %s wMB/s, "
		 "await %s, queue %s", d->name, ev_num(b[0], n, d->r.util, 1, "%"),
		 ev_num(b[1], n, d->r.r_s, 1, ""), ev_num(b[2], n, d->r.w_s, 1, ""),
		 ev_num(b[3], n, d->r.rmb_s, 2, ""), ev_num(b[4], n, d->r.wmb_s, 2, ""),
		 ev_num(b[5], n, d->r.await, 1, " ms"), ev_num(b[6], n, d->r.aqu_sz, 2, ""));
}

/* The wait channels of tasks in D on a known wait that is not block I/O,
 * most first. */
static void blocked_evidence(struct lw *w, int finding)
{
	char list[200] = "";
	size_t len = 0, shown = 0;

	for (size_t i = 0; i < w->nwaits && shown < 5; i++) {
		const struct wait *t = &w->waits[i];
		int n;

		if (t->family == WAIT_BLOCK_IO || t->family == WAIT_FREEZER ||
		    t->family == WAIT_RECLAIM || t->family == WAIT_UNKNOWN)
			continue;
		n = snprintf(list + len, sizeof(list) - len, "%s%s %lld (%s)", shown ? ", " : "",
			     t->wchan[0] ? t->wchan : "unknown", (long long)t->tasks,
			     wait_family_name(t->family));
		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += (size_t)n;
		shown++;
	}
	int64_t n = w->v[C_D_OTHER].i - w->fam[WAIT_RECLAIM];

	evidence(w, finding, "%lld %s in D not on block I/O: %s", (long long)n, tasks_word(n),
		 list);
}

static void psi_evidence(struct lw *w, int finding, const char *what, int some, int full)
{
	char f[32] = "";

	if (full >= 0 && w->v[full].known)
		snprintf(f, sizeof(f), ", full %.1f%%", w->v[full].d);
	evidence(w, finding, "%s pressure: some %.1f%%%s of the %s", what, w->v[some].d, f,
		 w->have_dt ? "interval" : "last 10 s");
}

/* Which findings hold (thresholds at the top of the file), which one is the
 * verdict, and the evidence of each. */
static void decide(struct lw *w)
{
	int64_t ncpus = w->v[C_CPUS].i > 0 ? w->v[C_CPUS].i : 1;
	int64_t blockio = w->fam[WAIT_BLOCK_IO], notio, running = w->v[C_RUNNING].i;
	int64_t minb = min_blocked(ncpus);
	const struct disk *disk = busiest_disk(w);
	double mem_some = getf(w, C_PSI_MEMORY_SOME), io_some = getf(w, C_PSI_IO_SOME);
	double cpu_some = getf(w, C_PSI_CPU_SOME), busy = getf(w, C_CPU_BUSY);
	double iowait = getf(w, C_CPU_IOWAIT), steal = getf(w, C_CPU_STEAL);
	double swapin = getf(w, C_SWAP_IN), avail = getf(w, C_MEM_AVAILABLE_PCT);
	int64_t counts[NVERDICTS] = { 0 };
	static const int order[] = { V_IO, V_BLOCKED, V_CPU };
	char also[128] = "", b[2][96];

	/* procs_blocked counts tasks in io_schedule whatever their wchan. */
	if (w->b.st.procs_blocked > blockio)
		blockio = w->b.st.procs_blocked;
	notio = w->v[C_D_OTHER].i - w->fam[WAIT_RECLAIM];
	if (w->nwaits)
		qsort(w->waits, w->nwaits, sizeof(*w->waits), cmp_wait);

	w->held[V_MEMORY] = mem_some >= T_PSI_MEMORY ||
			    (swapin >= T_SWAPIN && avail >= 0 && avail < T_AVAIL_LOW) ||
			    w->fam[WAIT_RECLAIM] >= minb;
	w->held[V_IO] = blockio >= 1 && (io_some >= T_PSI_IO || iowait >= T_IOWAIT ||
					 (disk && disk->r.util >= T_DISK_UTIL));
	w->held[V_BLOCKED] = notio >= minb;
	w->held[V_CPU] = busy >= T_CPU_BUSY && (running > ncpus || cpu_some >= T_PSI_CPU);
	w->held[V_STEAL] = steal >= T_STEAL;
	counts[V_IO] = blockio;
	counts[V_BLOCKED] = notio;
	counts[V_CPU] = running;

	/* Memory first: reclaim and refaults make I/O and stalls of their
	 * own. Then the largest share of the load now: tasks waiting on
	 * the disk, tasks in D elsewhere, runnable tasks. Steal last. */
	w->verdict = V_OK;
	if (w->held[V_MEMORY]) {
		w->verdict = V_MEMORY;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(order); i++)
			if (w->held[order[i]] &&
			    (w->verdict == V_OK || counts[order[i]] > counts[w->verdict]))
				w->verdict = order[i];
		if (w->verdict == V_OK && w->held[V_STEAL])
			w->verdict = V_STEAL;
	}
	sets(w, C_VERDICT, verdicts[w->verdict]);
	for (int v = V_CPU; v < NVERDICTS; v++)
		if (w->held[v] && v != w->verdict)
			snprintf(also + strlen(also), sizeof(also) - strlen(also), "%s%s",
				 also[0] ? "," : "", verdicts[v]);
	sets(w, C_ALSO, xstrdup(also));

	/* The evidence, the verdict's first. */
	for (int k = 0; k < NVERDICTS; k++) {
		int v = k == 0 ? w->verdict : k <= w->verdict ? k - 1 : k;

		if (v == V_OK && w->verdict != V_OK)
			continue;
		if (v != V_OK && !w->held[v])
			continue;
		switch (v) {
		case V_MEMORY:
			if (mem_some >= 0)
				psi_evidence(w, v, "memory", C_PSI_MEMORY_SOME, C_PSI_MEMORY_FULL);
			if (swapin >= 0 && w->v[C_SWAP_OUT].known) {
				char in[16], out[16];

				fmt_size(in, sizeof(in), (uint64_t)w->v[C_SWAP_IN].i);
				fmt_size(out, sizeof(out), (uint64_t)w->v[C_SWAP_OUT].i);
				/* An unknown value is left out, not printed as a
				 * number. */
				if (avail >= 0)
					snprintf(b[0], sizeof(b[0]), "; available %.1f%% of memory",
						 avail);
				else
					b[0][0] = '\0';
				evidence(w, v, "swap in %s/s, out %s/s%s", in, out, b[0]);
			}
			if (w->v[C_MAJFLT].known) {
				if (w->v[C_ALLOCSTALL].known)
					snprintf(b[0], sizeof(b[0]), ", direct reclaim stalls %.0f/s",
						 w->v[C_ALLOCSTALL].d);
				else
					b[0][0] = '\0';
				evidence(w, v, "major faults %.0f/s%s", w->v[C_MAJFLT].d, b[0]);
			}
			if (w->fam[WAIT_RECLAIM])
				evidence(w, v, "%lld %s in D on memory reclaim",
					 (long long)w->fam[WAIT_RECLAIM],
					 tasks_word(w->fam[WAIT_RECLAIM]));
			break;
		case V_IO:
			if (w->io_by_count)
				snprintf(b[0], sizeof(b[0]), " (procs_blocked %lld; wait channel "
					 "unknown for %lld of them)", (long long)w->b.st.procs_blocked,
					 (long long)w->io_by_count);
			else if (w->b.st.procs_blocked >= 0)
				snprintf(b[0], sizeof(b[0]), " (procs_blocked %lld)",
					 (long long)w->b.st.procs_blocked);
			else
				b[0][0] = '\0';
			evidence(w, v, "%lld %s in D on block I/O%s", (long long)blockio,
				 tasks_word(blockio), b[0]);
			if (iowait >= 0)
				evidence(w, v, "iowait %.1f%% of CPU time", iowait);
			if (io_some >= 0)
				psi_evidence(w, v, "io", C_PSI_IO_SOME, C_PSI_IO_FULL);
			if (disk)
				disk_evidence(w, v, disk);
			break;
		case V_BLOCKED:
			blocked_evidence(w, v);
			/* One saved tree has no CPU time over an interval: the
			 * clause is left out, not printed as -1. */
			b[0][0] = b[1][0] = '\0';
			if (w->b.st.procs_blocked >= 0)
				snprintf(b[0], sizeof(b[0]), "procs_blocked %lld",
					 (long long)w->b.st.procs_blocked);
			if (w->v[C_CPU_IDLE].known)
				snprintf(b[1], sizeof(b[1]), "%sCPU idle %.1f%%", b[0][0] ? ", " : "",
					 w->v[C_CPU_IDLE].d);
			evidence(w, v, "%s%s%sthey raise the load without using CPU or disk", b[0],
				 b[1], b[0][0] || b[1][0] ? ": " : "");
			break;
		case V_CPU:
			evidence(w, v, "%lld runnable %s on %lld CPUs", (long long)running,
				 tasks_word(running), (long long)ncpus);
			evidence(w, v, "CPU busy %.1f%% (user %s, system %s)", busy,
				 ev_num(b[0], sizeof(b[0]), getf(w, C_CPU_USER), 1, "%"),
				 ev_num(b[1], sizeof(b[1]), getf(w, C_CPU_SYSTEM), 1, "%"));
			if (cpu_some >= 0)
				psi_evidence(w, v, "cpu", C_PSI_CPU_SOME, -1);
			break;
		case V_STEAL:
			evidence(w, v, "steal %.1f%% of CPU time: the hypervisor gave it to other "
				 "guests", steal);
			break;
		case V_OK:
			if (w->walked)
				evidence(w, v, "load %s on %lld CPUs; now %lld runnable, %lld in D",
					 ev_num(b[0], sizeof(b[0]), getf(w, C_LOAD1), 2, ""),
					 (long long)ncpus, (long long)running, (long long)w->in_d);
			else
				evidence(w, v, "load %s on %lld CPUs; now %lld runnable, none in "
					 "D on block I/O; the tasks were not walked: the load is "
					 "under %lld (-a walks them)",
					 ev_num(b[0], sizeof(b[0]), getf(w, C_LOAD1), 2, ""),
					 (long long)ncpus, (long long)running, (long long)minb);
			if (busy >= 0)
				evidence(w, v, "CPU busy %.1f%%, iowait %s, steal %s", busy,
					 ev_num(b[0], sizeof(b[0]), iowait, 1, "%"),
					 ev_num(b[1], sizeof(b[1]), steal, 1, "%"));
			if (w->v[C_PSI].s[0] != 'u' && cpu_some >= 0 && io_some >= 0 &&
			    mem_some >= 0)
				evidence(w, v, "pressure: cpu %.1f%%, io %.1f%%, memory %.1f%%",
					 cpu_some, io_some, mem_some);
			if (w->walked && getf(w, C_LOAD1) > (double)ncpus &&
			    running + (int64_t)w->in_d <= ncpus)
				evidence(w, v, "the load average is above the CPUs but the tasks now "
					 "are few: it is a damped average of the last minutes");
			break;
		}
		/* Under the verdict: what it could not weigh. */
		if (k == 0 && w->walked && w->v[C_D_UNKNOWN].i > 0) {
			int64_t n = w->v[C_D_UNKNOWN].i;

			if (w->wchan_unknown)
				snprintf(b[0], sizeof(b[0]), " (%zu wait %s unreadable: needs root)",
					 w->wchan_unknown, w->wchan_unknown == 1 ? "channel" :
					 "channels");
			else
				b[0][0] = '\0';
			evidence(w, v, "%lld %s in D on an unknown wait%s, counted for no finding",
				 (long long)n, tasks_word(n), b[0]);
		}
	}
}

/* ---- output ---- */

static void set_record(struct table *t, size_t r, const struct lw *w)
{
	for (int c = 0; c < C_DEVICE; c++) {
		const struct val *v = &w->v[c];

		if (!v->known)
			continue;
		if (cols[c].type == COL_FLOAT)
			table_set_float(t, r, c, v->d);
		else if (cols[c].type == COL_TEXT)
			table_set_cstr(t, r, c, v->s);
		else
			table_set_num(t, r, c, v->i);
	}
}

static const char *kind_name(enum disk_kind k)
{
	return k == DISK_WHOLE ? "disk" : k == DISK_PART ? "part" : NULL;
}

static void set_float_known(struct table *t, size_t r, int c, double v)
{
	if (v >= 0)
		table_set_float(t, r, c, v);
}

static void fill_lists(struct table *disks, struct table *waits, struct table *top,
		       struct table *ev, const struct lw *w, size_t ntop)
{
	for (size_t i = 0; i < w->ndisks; i++) {
		const struct disk *d = &w->disks[i];
		size_t r = table_add_row(disks);

		table_set_cstr(disks, r, C_DEVICE, d->name);
		if (kind_name(d->kind))
			table_set_cstr(disks, r, C_DISK_TYPE, kind_name(d->kind));
		set_float_known(disks, r, C_DISK_UTIL, d->r.util);
		set_float_known(disks, r, C_DISK_R_S, d->r.r_s);
		set_float_known(disks, r, C_DISK_W_S, d->r.w_s);
		set_float_known(disks, r, C_DISK_RMB_S, d->r.rmb_s);
		set_float_known(disks, r, C_DISK_WMB_S, d->r.wmb_s);
		set_float_known(disks, r, C_DISK_AWAIT, d->r.await);
		set_float_known(disks, r, C_DISK_AQU_SZ, d->r.aqu_sz);
	}
	for (size_t i = 0; i < w->nwaits && i < ntop; i++) {
		size_t r = table_add_row(waits);

		if (w->waits[i].wchan[0])
			table_set_cstr(waits, r, C_WCHAN, w->waits[i].wchan);
		table_set_cstr(waits, r, C_WAIT_FAMILY, wait_family_name(w->waits[i].family));
		table_set_num(waits, r, C_WAIT_TASKS, w->waits[i].tasks);
	}
	for (size_t i = 0; i < w->ntop; i++) {
		size_t r = table_add_row(top);

		table_set_num(top, r, C_PID, w->top[i].pid);
		table_set_str(top, r, C_COMM, w->top[i].comm, w->top[i].comm_len);
		table_set_size(top, r, C_READ_BPS, (uint64_t)(w->top[i].rbps + 0.5));
		table_set_size(top, r, C_WRITE_BPS, (uint64_t)(w->top[i].wbps + 0.5));
	}
	for (size_t i = 0; i < w->nev; i++) {
		size_t r = table_add_row(ev);

		table_set_cstr(ev, r, C_FINDING, verdicts[w->ev[i].finding]);
		table_set_cstr(ev, r, C_EVIDENCE, w->ev[i].text);
	}
}

/* A table of the columns of sections that the user's selection (in
 * master) wants, with the sections' labels when any of them is wanted. */
static struct table *section_table(const struct table *master, unsigned long sections,
				   const char *key, const struct out_opts *o)
{
	struct table *t = table_new("loadwhy", key, cols, ARRAY_SIZE(cols));
	struct out_opts so = *o;
	struct sbuf list = { 0 };
	char err[128];
	bool any = false;

	for (int c = 0; c < NCOLS; c++)
		if ((cols[c].needs & sections) && !(cols[c].needs & N_LABEL) &&
		    table_wants(master, c))
			any = true;
	for (int c = 0; any && c < NCOLS; c++)
		if ((cols[c].needs & sections) &&
		    ((cols[c].needs & N_LABEL) || table_wants(master, c))) {
			sbuf_adds(&list, list.len ? "," : "");
			sbuf_adds(&list, cols[c].name);
		}
	so.all = false;
	so.sort = NULL;
	so.output = list.len ? list.s : "LOAD1";
	table_select(t, so.output, &so, err, sizeof(err));
	if (!any) {
		table_free(t);
		t = NULL;
	}
	sbuf_free(&list);
	return t;
}

/* Raw and pairs: one line a metric, "METRIC VALUE", the value in its own
 * type; a list's metrics are named after their row: disk_util[vda],
 * wait_tasks[kernel_clone], read_bps[1234]. */
struct lines {
	const struct out_opts *o;
	const struct table *master;
	bool first;
};

static void put_line(struct lines *L, int c, const char *label, const struct val *v)
{
	struct table *t;
	struct out_opts lo = *L->o;
	struct sbuf name = { 0 };
	char err[64];
	size_t r;

	if (!table_wants(L->master, c))
		return;
	t = table_new("loadwhy", "metrics", value_cols[cols[c].type], 2);
	lo.output = NULL;
	lo.all = false;
	lo.sort = NULL;
	lo.noheadings = L->o->noheadings || !L->first;
	table_select(t, "METRIC,VALUE", &lo, err, sizeof(err));
	for (const char *p = cols[c].name; *p; p++)
		sbuf_addc(&name, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	if (label)
		sbuf_printf(&name, "[%s]", label);
	r = table_add_row(t);
	table_set_str(t, r, 0, name.s, name.len);
	if (v && v->known) {
		if (cols[c].type == COL_FLOAT)
			table_set_float(t, r, 1, v->d);
		else if (cols[c].type == COL_TEXT)
			table_set_cstr(t, r, 1, v->s);
		else
			table_set_num(t, r, 1, v->i);
	}
	table_print(t, &lo);
	table_free(t);
	sbuf_free(&name);
	L->first = false;
}

static void put_float(struct lines *L, int c, const char *label, double d)
{
	struct val v = { .known = d >= 0, .d = d };

	put_line(L, c, label, &v);
}

static void put_num(struct lines *L, int c, const char *label, int64_t i)
{
	struct val v = { .known = true, .i = i };

	put_line(L, c, label, &v);
}

static void put_str(struct lines *L, int c, const char *label, const char *s)
{
	struct val v = { .known = s != NULL, .s = s };

	put_line(L, c, label, &v);
}

static void print_lines(const struct lw *w, const struct table *master, const struct out_opts *o,
			size_t ntop)
{
	struct lines L = { o, master, true };
	char pid[16], comm[64];

	for (int c = 0; c < C_DEVICE; c++)
		put_line(&L, c, NULL, &w->v[c]);
	for (size_t i = 0; i < w->ndisks; i++) {
		const struct disk *d = &w->disks[i];

		put_str(&L, C_DISK_TYPE, d->name, kind_name(d->kind));
		put_float(&L, C_DISK_UTIL, d->name, d->r.util);
		put_float(&L, C_DISK_R_S, d->name, d->r.r_s);
		put_float(&L, C_DISK_W_S, d->name, d->r.w_s);
		put_float(&L, C_DISK_RMB_S, d->name, d->r.rmb_s);
		put_float(&L, C_DISK_WMB_S, d->name, d->r.wmb_s);
		put_float(&L, C_DISK_AWAIT, d->name, d->r.await);
		put_float(&L, C_DISK_AQU_SZ, d->name, d->r.aqu_sz);
	}
	for (size_t i = 0; i < w->nwaits && i < ntop; i++) {
		const char *wc = w->waits[i].wchan[0] ? w->waits[i].wchan : "-";

		put_str(&L, C_WAIT_FAMILY, wc, wait_family_name(w->waits[i].family));
		put_num(&L, C_WAIT_TASKS, wc, w->waits[i].tasks);
	}
	for (size_t i = 0; i < w->ntop; i++) {
		snprintf(pid, sizeof(pid), "%d", (int)w->top[i].pid);
		snprintf(comm, sizeof(comm), "%.*s", (int)w->top[i].comm_len, w->top[i].comm);
		put_str(&L, C_COMM, pid, comm);
		put_num(&L, C_READ_BPS, pid, (int64_t)(w->top[i].rbps + 0.5));
		put_num(&L, C_WRITE_BPS, pid, (int64_t)(w->top[i].wbps + 0.5));
	}
	for (size_t i = 0; i < w->nev; i++)
		put_str(&L, C_EVIDENCE, verdicts[w->ev[i].finding], w->ev[i].text);
}

/* Prometheus: the verdict as a state set. */
static struct table *verdict_table(const struct lw *w, const struct out_opts *o)
{
	struct table *t = table_new("loadwhy", "verdicts", verdict_cols, 2);
	struct out_opts vo = *o;
	char err[64];

	vo.output = NULL;
	vo.sort = NULL;
	vo.all = true;
	table_select(t, NULL, &vo, err, sizeof(err));
	for (int v = 0; v < NVERDICTS; v++) {
		size_t r = table_add_row(t);

		table_set_cstr(t, r, 0, verdicts[v]);
		table_set_num(t, r, 1, v == w->verdict);
	}
	return t;
}

/* The table for people: the record in sections, each under a heading,
 * then the lists. */
static void print_sections(const struct lw *w, const struct table *master,
			   struct table *const *lists, const struct out_opts *o)
{
	static const struct {
		unsigned long s;
		const char *title;
	} sec[] = {
		{ S_LOAD, "Load average and CPUs" },
		{ S_TASKS, "Tasks now (D split into block I/O and the rest)" },
		{ S_FAMILY, "Tasks in D by what they wait for" },
		{ S_CPU, "CPU time over the interval, %" },
		{ S_PSI, "Pressure (PSI), % of the interval" },
		{ S_MEM, "Memory" },
	};
	static const char *const list_titles[] = {
		"Busy disks (util: time with I/O in flight, no saturation figure for devices "
		"serving requests in parallel)",
		"Top wait channels of tasks in D",
		"Top processes by I/O",
		NULL,
	};
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(sec); i++) {
		struct table *t = section_table(master, sec[i].s, NULL, o);

		if (!t)
			continue;
		if (!o->noheadings)
			printf("%s%s\n", any ? "\n" : "", sec[i].title);
		set_record(t, table_add_row(t), w);
		table_print(t, o);
		table_free(t);
		any = true;
	}
	for (size_t i = 0; i < 3; i++) {
		/* Rates need two samples: without them the list is unknown. */
		bool rates = i != 1, unknown = rates && !w->have_dt;

		if (!lists[i])
			continue;
		if (!o->noheadings)
			printf("%s%s\n", any ? "\n" : "", list_titles[i]);
		if (table_rows(lists[i]))
			table_print(lists[i], o);
		else if (!o->noheadings && unknown)
			puts("(unknown: one sample, no interval)");
		else if (!o->noheadings && ((i == 1 && !w->walked) || (i == 2 && !w->io_sampled)))
			puts(i == 1 ? "(not walked: the load is low and no task waits on block I/O)"
				    : "(not sampled: no I/O was under way when the interval began)");
		/* No row among processes whose io could not be read is not
		 * "none": it may be any of them. */
		else if (!o->noheadings && i == 2 && w->io_denied && w->io_denied == w->io_total)
			puts("(unknown: no process's I/O could be read)");
		else if (!o->noheadings && i == 2 && w->io_denied)
			printf("(none; I/O unknown for %zu of %zu processes)\n", w->io_denied,
			       w->io_total);
		else if (!o->noheadings)
			puts("(none)");
		any = true;
	}
	{
		struct table *t = section_table(master, S_VERDICT, NULL, o);

		if (t) {
			if (!o->noheadings)
				printf("%s", any ? "\n" : "");
			set_record(t, table_add_row(t), w);
			table_print(t, o);
			table_free(t);
			any = true;
		}
	}
	if (lists[3] && table_rows(lists[3])) {
		if (any && !o->noheadings)
			putchar('\n');
		table_print(lists[3], o);
	}
}

static int cmp_disk(const void *a, const void *b)
{
	const struct disk *x = a, *y = b;

	if (x->r.util != y->r.util)
		return (x->r.util < y->r.util) - (x->r.util > y->r.util);
	return strcmp(x->name, y->name);
}

static int cmp_top(const void *a, const void *b)
{
	const struct topio *x = a, *y = b;
	double sx = x->rbps + x->wbps, sy = y->rbps + y->wbps;

	if (sx != sy)
		return (sx < sy) - (sx > sy);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Why is the load average high? Samples the system for an interval and gives\n"
	       "a VERDICT with its evidence: cpu-saturated, io-bound, memory-pressure,\n"
	       "blocked-not-io (tasks in D that wait on something else than the disk: NFS,\n"
	       "FUSE, locks, vfork), cpu-steal, or ok. Then the numbers behind it: load,\n"
	       "tasks in R and D, CPU time, pressure (PSI), memory, busy disks, the wait\n"
	       "channels of tasks in D and the processes doing the most I/O.\n"
	       "\n"
	       "  -i, --interval SECS   sampling interval (default 1, fractions allowed)\n"
	       "  -c, --count N         N intervals in a row, a report each (JSON Lines\n"
	       "                        with -J; one report in prometheus)\n"
	       "  -N, --top N           lines in the wait channel and I/O lists (default %d)\n"
	       "  -a, --all-tasks       walk every task and sample every process's io even\n"
	       "                        when the counters show nothing for them to explain\n"
	       "      --check           exit 1 when the verdict (of any interval) is not ok\n"
	       "  -q, --quiet           print nothing (with --check: the status only)\n"
	       "      --proc-after DIR  the second sample from a second saved /proc tree\n"
	       "                        (taken after --proc's) instead of sleeping\n",
	       program_invocation_short_name, TOP_DEFAULT);
	common_help(stdout, HELP_NO_ORDER | HELP_NO_WIDE);
	printf("\nThe columns are the metrics (%s -H lists them); -o picks some. Raw and\n"
	       "pairs print one metric a line, JSON one key a metric, prometheus one series.\n"
	       "The top I/O list reads every process's io twice (root or CAP_SYS_PTRACE for\n"
	       "other users'); -o without it reads none, and so does a start with no I/O\n"
	       "under way. The tasks in D are walked (one read a task) when a task waits on\n"
	       "block I/O or the 1-minute load reaches half the CPUs (at least 2).\n"
	       "\nExit status: 0 success (--check: the verdict is ok), 1 --check: not ok,\n"
	       "2 usage error, 3 fatal error. See loadwhy(1) for the thresholds.\n",
	       program_invocation_short_name);
}

/* Select in master the metrics that o names. A list named only by its
 * label column (-o wchan) is the whole list: the label names the rows and
 * is no metric, so raw, pairs and prometheus would have nothing of the
 * list to print, and the table only the names. */
static int select_metrics(struct table *master, const struct out_opts *o, char *err,
			  size_t errlen)
{
	static const unsigned long lists[] = { S_DISK, S_WAIT, S_TOPIO, S_EVIDENCE };
	struct sbuf all = { 0 }, named = { 0 };
	struct out_opts so = *o;
	int r;

	for (int c = 0; c < NCOLS; c++) {
		sbuf_adds(&all, c ? "," : "");
		sbuf_adds(&all, cols[c].name);
	}
	/* What the user named: prometheus adds its label column (PID) to
	 * any selection, the table format does not. */
	so.fmt = FMT_TABLE;
	r = table_select(master, all.s, &so, err, errlen);
	sbuf_adds(&named, o->output ? o->output : "");
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(lists); i++) {
		bool label = false, metric = false;

		for (int c = 0; c < NCOLS; c++)
			if ((cols[c].needs & lists[i]) && table_wants(master, c))
				*((cols[c].needs & N_LABEL) ? &label : &metric) = true;
		for (int c = 0; label && !metric && c < NCOLS; c++)
			if ((cols[c].needs & lists[i]) && !(cols[c].needs & N_LABEL)) {
				sbuf_adds(&named, ",");
				sbuf_adds(&named, cols[c].name);
			}
	}
	so = *o;
	if (o->output)
		so.output = named.s;
	if (r == 0)
		r = table_select(master, all.s, &so, err, errlen);
	sbuf_free(&all);
	sbuf_free(&named);
	return r;
}

static void free_sample(struct sample *s)
{
	vmstat_free(&s->vm);
	diskstats_free(&s->ds);
	free(s->io);
}

static void lw_free(struct lw *w)
{
	free((char *)w->v[C_ALSO].s);
	free(w->waits);
	free(w->top);
	free(w->disks);
	free_sample(&w->a);
	/* One saved tree: b is a copy of a. */
	if (w->pfb != w->pfa || w->live)
		free_sample(&w->b);
}

/* The next interval of -c begins where this one ended: its end sample,
 * with the io read by the walk if any, is the next one's start. */
static void next_interval(struct lw *w)
{
	struct lw next = { .pfa = w->pfa, .pfb = w->pfb, .live = w->live,
			   .want_io = w->want_io, .all = w->all, .self = w->self };

	next.a = w->b;
	w->b = (struct sample){ 0 };
	lw_free(w);
	*w = next;
}

/* One interval from the start sample in w->a: the io at its start when the
 * top I/O list is worth it, the wait, the end sample, the figures, the walk
 * and the verdict. Returns 0, or EXIT_FATAL after saying what could not be
 * read. */
static int run_interval(struct lw *w, double interval, bool quiet, size_t ntop)
{
	struct loadavg la;
	bool have_la = loadavg_read(w->pfa, &la) == 0;
	int r;

	/* One saved tree has no second end for the io to be read at: the
	 * list is unknown, and no io is read. */
	w->io_sampled = w->want_io && (w->live || w->pfb != w->pfa) &&
			(w->all || !w->live || io_under_way(&w->a, &la, have_la));
	if (w->io_sampled && !w->a.io_read)
		sample_io(w, w->pfa, &w->a);
	if (w->a.nio)
		qsort(w->a.io, w->a.nio, sizeof(*w->a.io), cmp_ioval);
	if (w->live) {
		/* -q prints nothing, not even this note. */
		bool note = interval > 1 && !quiet && isatty(STDERR_FILENO);

		if (note)
			fprintf(stderr, "%s: sampling for %g s...", program_invocation_short_name,
				interval);
		sleep_secs(interval);
		if (note)
			fputs("\r\033[K", stderr);
	}
	if (w->pfb != w->pfa || w->live) {
		r = take_sample(w->pfb, &w->b);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s/stat: %s\n",
				program_invocation_short_name, w->pfb->proc, strerror(-r));
			return EXIT_FATAL;
		}
		w->dt = w->live ? w->b.mono - w->a.mono : w->b.uptime - w->a.uptime;
		w->have_dt = w->dt > 0 && (w->live || w->a.uptime >= 0);
	} else {
		/* One saved tree: what an interval gives is unknown. */
		w->b = w->a;
		w->b.io = NULL;
		w->b.nio = 0;
	}
	if (w->have_dt)
		setf(w, C_INTERVAL, w->dt);
	have_la = loadavg_read(w->pfb, &la) == 0;
	if (have_la) {
		setf(w, C_LOAD1, la.load[0]);
		setf(w, C_LOAD5, la.load[1]);
		setf(w, C_LOAD15, la.load[2]);
		setn(w, C_TASKS, la.total);
	}
	cpu_metrics(w);
	psi_metrics(w);
	mem_metrics(w);
	disk_metrics(w);
	w->walked = w->all || !w->live || worth_walking(w, &la, have_la);
	r = w->walked || w->io_sampled ? scan_end(w, w->pfb) : 0;
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name,
			w->pfb->proc, strerror(-r));
		return EXIT_FATAL;
	}
	task_metrics(w);
	decide(w);
	if (w->ndisks)
		qsort(w->disks, w->ndisks, sizeof(*w->disks), cmp_disk);
	if (w->ntop)
		qsort(w->top, w->ntop, sizeof(*w->top), cmp_top);
	if (w->ntop > ntop)
		w->ntop = ntop;
	return 0;
}

/* One interval's report. series: one of several (-c), each JSON object on
 * a line of its own (JSON Lines), each table after a blank line. */
static void report(const struct lw *w, const struct table *master, const struct out_opts *o,
		   size_t ntop, bool series, bool first)
{
	struct table *lists[4];
	struct table *none = table_new("loadwhy", "x", cols, ARRAY_SIZE(cols));

	lists[0] = section_table(master, S_DISK, "disks", o);
	lists[1] = section_table(master, S_WAIT, "waits", o);
	lists[2] = section_table(master, S_TOPIO, "top_io", o);
	lists[3] = section_table(master, S_EVIDENCE, "evidence", o);
	fill_lists(lists[0] ? lists[0] : none, lists[1] ? lists[1] : none,
		   lists[2] ? lists[2] : none, lists[3] ? lists[3] : none, w, ntop);
	table_free(none);
	if (o->fmt == FMT_TABLE) {
		if (series && !first)
			putchar('\n');
		print_sections(w, master, lists, o);
	} else if (o->fmt == FMT_RAW || o->fmt == FMT_PAIRS) {
		print_lines(w, master, o, ntop);
	} else {
		struct table *rec = section_table(master, S_RECORD, NULL, o);
		struct table *vt = NULL, *all[6];
		size_t n = 0;
		/* A top I/O list of which no process's io could be read. */
		bool io_blind = w->io_denied && w->io_denied == w->io_total;

		if (rec) {
			set_record(rec, table_add_row(rec), w);
			all[n++] = rec;
		}
		if (o->fmt == FMT_PROM && table_wants(master, C_VERDICT))
			all[n++] = vt = verdict_table(w, o);
		/* Without an interval the rate lists are unknown: no key. Nor
		 * is there one for a top I/O list blind to every process: []
		 * would say no process did any. */
		for (int i = 0; i < 4; i++)
			if (lists[i] && (w->have_dt || i == 1 || i == 3) && !(i == 2 && io_blind))
				all[n++] = lists[i];
		if (series)
			table_stream_report(all, n, o);
		else
			table_print_report(all, n, o);
		table_free(rec);
		table_free(vt);
	}
	for (int i = 0; i < 4; i++)
		table_free(lists[i]);
}

/* What could not be known, on stderr: each note once in a run. */
struct noted {
	bool io_began, psi, wchan, io, hidepid;
};

static void notes(const struct lw *w, const struct table *master, struct noted *n)
{
	const struct disk *busy;

	/* A disk that became busy during the interval: the list missed it.
	 * (A trickle of log writes is no reason for a note every run.) */
	if (w->want_io && !w->io_sampled && !n->io_began && (busy = busiest_disk(w)) &&
	    busy->r.util >= T_IO_NOTE) {
		fprintf(stderr, "%s: I/O began during the interval, after the start the top "
			"I/O list is taken from: run again, or with -a\n",
			program_invocation_short_name);
		n->io_began = true;
	}
	if (!n->psi && w->v[C_PSI].known && !strcmp(w->v[C_PSI].s, "unavailable") &&
	    table_wants(master, C_PSI_IO_SOME)) {
		fprintf(stderr, "%s: pressure (PSI) unavailable: no %s/pressure (a kernel "
			"before 4.20, CONFIG_PSI off, or psi=0)\n", program_invocation_short_name,
			w->pfb->proc);
		n->psi = true;
	}
	if (!n->wchan && w->wchan_unknown && table_wants(master, C_WCHAN)) {
		fprintf(stderr, "%s: wait channel unknown for %zu of %zu tasks in D: "
			"permission denied (needs root)\n", program_invocation_short_name,
			w->wchan_unknown, w->in_d);
		n->wchan = true;
	}
	if (!n->io && w->want_io && w->io_denied) {
		note_unknown("I/O", w->io_denied, w->io_total, -EACCES);
		n->io = true;
	}
	/* A walk of a /proc that hides processes counts only those it
	 * shows: its D count and lists would pass for the machine's. */
	if (!n->hidepid && (w->walked || w->io_sampled)) {
		scan_note_hidepid(w->pfb);
		n->hidepid = true;
	}
}

enum { OPT_CHECK = OPT_TOOL, OPT_PROC_AFTER };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		SAMPLE_LONGOPTS,
		{ "top", required_argument, NULL, 'N' },
		{ "all-tasks", no_argument, NULL, 'a' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "proc-after", required_argument, NULL, OPT_PROC_AFTER },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct lw w = { .self = getpid() };
	struct procfs pfa, pfb;
	struct table *master;
	struct noted noted = { 0 };
	const char *after = NULL;
	bool check = false, quiet = false;
	uint64_t ntop = TOP_DEFAULT;
	char err[128];
	int opt, r, rc = 0;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS SAMPLE_SHORTOPTS "aN:q", longopts,
				  NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 'N':
			if (parse_u64_str(optarg, &ntop) < 0 || ntop == 0 || ntop > 100000)
				usage_error("invalid --top: '%s'", optarg);
			break;
		case 'q': quiet = true; break;
		case 'a': w.all = true; break;
		case OPT_CHECK: check = true; break;
		case OPT_PROC_AFTER: after = optarg; break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	common_no_operands(&co, argc, argv, "loadwhy", cols, ARRAY_SIZE(cols));
	if (!co.count)
		co.count = 1;
	/* A textfile collector reads one document: a report per interval
	 * would repeat every series. */
	if (co.out.fmt == FMT_PROM && co.count > 1)
		usage_error("--format prometheus gives one report: no -c");
	if (after && co.count > 1)
		usage_error("--proc-after gives one interval (no -c)");
	if (co.out.sort || co.out.reverse)
		usage_error("the order of loadwhy's report is fixed (no --sort or --reverse)");
	master = table_new("loadwhy", "metrics", cols, ARRAY_SIZE(cols));
	if (select_metrics(master, &co.out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	w.want_io = table_wants(master, C_READ_BPS) || table_wants(master, C_WRITE_BPS) ||
		    table_wants(master, C_COMM);

	procfs_open_or_die(&pfa, &co);
	w.pfa = w.pfb = &pfa;
	w.live = !pfa.alternate;
	if (after) {
		procfs_open_after_or_die(&pfb, &co, &pfa, after);
		w.pfb = &pfb;
		w.live = false;
	} else if (!w.live && (co.interval || co.count > 1)) {
		/* One tree is read once: -i would be a length nothing waits
		 * for, -c intervals that are not there. */
		usage_error("a saved tree has no interval: give the second with --proc-after DIR");
	}
	if (!co.interval)
		co.interval = 1;
	r = take_sample(w.pfa, &w.a);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s/stat: %s\n", program_invocation_short_name,
			pfa.proc, strerror(-r));
		return out_finish(EXIT_FATAL);
	}
	for (long k = 1; k <= co.count; k++) {
		if (k > 1)
			next_interval(&w);
		r = run_interval(&w, co.interval, quiet, (size_t)ntop);
		if (r)
			return out_finish(r);
		if (!quiet)
			report(&w, master, &co.out, (size_t)ntop, co.count > 1, k == 1);
		if (!quiet)
			notes(&w, master, &noted);
		if (check && w.verdict != V_OK)
			rc = EXIT_NONE;
		/* A reader that went away, or a full disk, ends the reports
		 * here, not after -c of them: out_finish says which. */
		if (out_flush() < 0)
			break;
	}
	lw_free(&w);
	table_free(master);
	if (after)
		procfs_close(&pfb);
	procfs_close(&pfa);
	common_free(&co);
	return out_finish(rc);
}
