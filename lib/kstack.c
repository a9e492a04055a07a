/* Kernel stacks and the table of known wait channels. The table is matched
 * by prefix on function names, so that kernel versions that rename a helper
 * (folio_wait_bit_common, wait_on_page_bit_common) still classify. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "kstack.h"
#include "pidstat.h"
#include "util.h"

int kstack_parse(const char *text, struct kstack *ks)
{
	const char *p = text;

	ks->n = 0;
	while (*p && ks->n < KSTACK_MAX) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *name = memchr(p, ']', (size_t)(end - p));
		size_t len;

		if (name && name + 1 < end && name[1] == ' ') {
			name += 2;
			len = strcspn(name, "+ \n");
			if (name + len > end)
				len = (size_t)(end - name);
			if (len > 0 && len < sizeof(ks->fn[0])) {
				memcpy(ks->fn[ks->n], name, len);
				ks->fn[ks->n][len] = '\0';
				ks->n++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return ks->n ? 0 : -EINVAL;
}

int kstack_read(struct pidh *h, struct kstack *ks)
{
	char buf[4096];
	ssize_t n = pidh_read(h, "stack", buf, sizeof(buf), 0, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENODATA;
	return kstack_parse(buf, ks);
}

static bool is_sched_frame(const char *fn)
{
	static const char *const sched[] = {
		"__schedule", "schedule", "schedule_timeout", "schedule_preempt_disabled",
		"schedule_hrtimeout", "io_schedule", "io_schedule_timeout", "__switch_to",
		"preempt_schedule", "__cond_resched", "do_nanosleep",
	};

	for (size_t i = 0; i < ARRAY_SIZE(sched); i++)
		if (!strcmp(fn, sched[i]))
			return true;
	return false;
}

const char *kstack_wait_frame(const struct kstack *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		if (!is_sched_frame(ks->fn[i]))
			return ks->fn[i];
	return NULL;
}

struct wait_rule {
	const char *prefix;
	enum wait_family family;
	const char *hint;
};

static const char hint_block[] = "block I/O: the disk or its queue (see loadwhy, iowho)";
static const char hint_nfs[] = "NFS/RPC: the server or the network";
static const char hint_fuse[] = "FUSE: the userspace filesystem daemon";
static const char hint_journal[] = "filesystem journal (ext4/xfs): commit or log space";
static const char hint_lock[] = "lock contention: another task holds it";
static const char hint_inode[] = "inode lock: another task is working on this file or directory";
static const char hint_dir[] =
	"directory lock: another task is adding, removing or reading names in it";
static const char hint_pipe[] = "pipe lock: another task is reading or writing this pipe";
static const char hint_fpos[] =
	"file position lock: another thread is reading or writing the same open file";
static const char hint_mm[] =
	"memory map lock of the process: often another thread stuck in a page fault";
static const char hint_exec[] = "exec lock of the process: it is in the middle of execve()";
static const char hint_seq[] =
	"lock of a /proc file being read: a process's memory map (maps) or the mount table";
static const char hint_reclaim[] = "memory reclaim or compaction: memory pressure";
static const char hint_dirty[] = "dirty page throttling: writeback cannot keep up";
/* sb_start_write() and its kin wait here while the filesystem is frozen;
 * so do fork and exit during a cgroup migration, and CPU hotplug readers. */
static const char hint_percpu[] =
	"per-CPU rwsem: a frozen filesystem (fsfreeze -u thaws it), a CPU hotplug or a "
	"cgroup migration";
static const char hint_frozen[] = "frozen by the cgroup freezer: not stuck, not in the load";
static const char hint_vfork[] = "vfork parent: harmless while the child runs";

/* Most specific first: the first matching prefix wins. */
static const struct wait_rule rules[] = {
	{ "__refrigerator", WAIT_FREEZER, hint_frozen },
	{ "do_freezer_trap", WAIT_FREEZER, hint_frozen },
	{ "kernel_clone", WAIT_VFORK, hint_vfork },
	{ "wait_for_vfork_done", WAIT_VFORK, hint_vfork },
	{ "_do_fork", WAIT_VFORK, hint_vfork },
	{ "do_fork", WAIT_VFORK, hint_vfork },
	{ "rpc_", WAIT_NFS, hint_nfs },
	{ "__rpc_", WAIT_NFS, hint_nfs },
	{ "nfs", WAIT_NFS, hint_nfs },
	{ "fuse_", WAIT_FUSE, hint_fuse },
	{ "request_wait_answer", WAIT_FUSE, hint_fuse },
	{ "jbd2_", WAIT_JOURNAL, hint_journal },
	{ "__jbd2_", WAIT_JOURNAL, hint_journal },
	{ "start_this_handle", WAIT_JOURNAL, hint_journal },
	{ "xlog_", WAIT_JOURNAL, hint_journal },
	{ "xfs_log_", WAIT_JOURNAL, hint_journal },
	{ "balance_dirty_pages", WAIT_RECLAIM, hint_dirty },
	{ "__alloc_pages_slowpath", WAIT_RECLAIM, hint_reclaim },
	{ "try_to_free_pages", WAIT_RECLAIM, hint_reclaim },
	{ "throttle_direct_reclaim", WAIT_RECLAIM, hint_reclaim },
	{ "reclaim_throttle", WAIT_RECLAIM, hint_reclaim },
	{ "shrink_", WAIT_RECLAIM, hint_reclaim },
	{ "compact_", WAIT_RECLAIM, hint_reclaim },
	{ "mem_cgroup_", WAIT_RECLAIM, hint_reclaim },
	{ "try_charge", WAIT_RECLAIM, hint_reclaim },
	{ "percpu_rwsem_wait", WAIT_LOCK, hint_percpu },
	{ "__percpu_down_read", WAIT_LOCK, hint_percpu },
	{ "percpu_down_write", WAIT_LOCK, hint_percpu },
	{ "rwsem_down_", WAIT_LOCK, hint_lock },
	{ "down_read", WAIT_LOCK, hint_lock },
	{ "down_write", WAIT_LOCK, hint_lock },
	{ "__down", WAIT_LOCK, hint_lock },
	{ "__mutex_lock", WAIT_LOCK, hint_lock },
	{ "mutex_lock", WAIT_LOCK, hint_lock },
	{ "rt_mutex", WAIT_LOCK, hint_lock },
	{ "io_schedule", WAIT_BLOCK_IO, hint_block },
	{ "bit_wait_io", WAIT_BLOCK_IO, hint_block },
	{ "blk_", WAIT_BLOCK_IO, hint_block },
	{ "__blk", WAIT_BLOCK_IO, hint_block },
	{ "__iomap_dio_rw", WAIT_BLOCK_IO, hint_block },
	{ "iomap_dio_", WAIT_BLOCK_IO, hint_block },
	{ "__blockdev_direct_IO", WAIT_BLOCK_IO, hint_block },
	{ "submit_bio_wait", WAIT_BLOCK_IO, hint_block },
	{ "folio_wait", WAIT_BLOCK_IO, hint_block },
	{ "__folio_lock", WAIT_BLOCK_IO, hint_block },
	{ "wait_on_page_bit", WAIT_BLOCK_IO, hint_block },
	{ "__lock_page", WAIT_BLOCK_IO, hint_block },
	{ "__wait_on_buffer", WAIT_BLOCK_IO, hint_block },
	{ "wait_on_buffer", WAIT_BLOCK_IO, hint_block },
	{ "filemap_", WAIT_BLOCK_IO, hint_block },
	{ "wait_for_completion", WAIT_OTHER, "waiting for kernel work to complete (a driver?)" },
	{ "synchronize_rcu", WAIT_OTHER, "RCU grace period" },
	{ "msleep", WAIT_OTHER, "sleeping in a driver" },
	{ "usleep_range", WAIT_OTHER, "sleeping in a driver" },
};

/* The lock functions in rules[] are __sched code, which the kernel leaves
 * out of wchan and, for another task, out of its stack: a task waiting for
 * a mutex or an rwsem shows the function that took it. These take a lock
 * and call others; when one is where the task sleeps (its wchan, the top
 * of its stack), what it waits for in D is, in practice, its lock: every
 * other sleep they could reach directly is in a function of its own, which
 * would be the top frame. Checked against Linux 6.18; the names it lacks
 * (lookup_slow, open_last_lookups, pipe_write, __fdget_pos...) are inlined
 * there, or older kernels' names for the same code. Deeper in a stack they
 * are only on the way to the wait, and say nothing. Tried after rules[],
 * on the top frame only. */
static const struct wait_rule top_rules[] = {
	{ "lock_two_directories", WAIT_LOCK, hint_dir },
	{ "lock_rename", WAIT_LOCK, hint_dir },
	{ "filename_create", WAIT_LOCK, hint_dir },
	{ "walk_component", WAIT_LOCK, hint_dir },	/* lookup_slow inlined */
	{ "lookup_slow", WAIT_LOCK, hint_dir },
	{ "path_openat", WAIT_LOCK, hint_dir },	/* open_last_lookups inlined */
	{ "open_last_lookups", WAIT_LOCK, hint_dir },
	{ "do_last", WAIT_LOCK, hint_dir },
	{ "do_unlinkat", WAIT_LOCK, hint_dir },
	{ "do_rmdir", WAIT_LOCK, hint_dir },
	{ "do_renameat2", WAIT_LOCK, hint_dir },
	{ "iterate_dir", WAIT_LOCK, hint_dir },
	{ "do_truncate", WAIT_LOCK, hint_inode },
	{ "chmod_common", WAIT_LOCK, hint_inode },
	{ "chown_common", WAIT_LOCK, hint_inode },
	{ "vfs_utimes", WAIT_LOCK, hint_inode },
	{ "vfs_unlink", WAIT_LOCK, hint_inode },
	{ "vfs_rmdir", WAIT_LOCK, hint_inode },
	{ "vfs_link", WAIT_LOCK, hint_inode },
	{ "vfs_rename", WAIT_LOCK, hint_inode },
	{ "vfs_setxattr", WAIT_LOCK, hint_inode },
	{ "vfs_removexattr", WAIT_LOCK, hint_inode },
	{ "lock_two_", WAIT_LOCK, hint_inode },
	{ "generic_file_write_iter", WAIT_LOCK, hint_inode },
	{ "shmem_file_write_iter", WAIT_LOCK, hint_inode },
	{ "ext4_file_write_iter", WAIT_LOCK, hint_inode },
	{ "ext4_buffered_write_iter", WAIT_LOCK, hint_inode },
	{ "ext4_dio_write_iter", WAIT_LOCK, hint_inode },
	{ "ext4_fallocate", WAIT_LOCK, hint_inode },
	{ "xfs_ilock", WAIT_LOCK, hint_inode },
	{ "btrfs_inode_lock", WAIT_LOCK, hint_inode },
	{ "anon_pipe_", WAIT_LOCK, hint_pipe },	/* a full or empty pipe waits in S */
	{ "fifo_pipe_", WAIT_LOCK, hint_pipe },
	{ "pipe_read", WAIT_LOCK, hint_pipe },
	{ "pipe_write", WAIT_LOCK, hint_pipe },
	{ "pipe_lock", WAIT_LOCK, hint_pipe },
	{ "pipe_double_lock", WAIT_LOCK, hint_pipe },
	{ "pipe_release", WAIT_LOCK, hint_pipe },
	{ "fdget_pos", WAIT_LOCK, hint_fpos },
	{ "__fdget_pos", WAIT_LOCK, hint_fpos },
	{ "lock_mm_and_find_vma", WAIT_LOCK, hint_mm },
	{ "do_user_addr_fault", WAIT_LOCK, hint_mm },
	{ "__access_remote_vm", WAIT_LOCK, hint_mm },
	{ "access_remote_vm", WAIT_LOCK, hint_mm },
	{ "show_smaps_rollup", WAIT_LOCK, hint_mm },
	{ "lock_next_vma", WAIT_LOCK, hint_mm },
	{ "vm_mmap_pgoff", WAIT_LOCK, hint_mm },
	{ "__vm_munmap", WAIT_LOCK, hint_mm },
	{ "vm_munmap", WAIT_LOCK, hint_mm },
	{ "do_mprotect_pkey", WAIT_LOCK, hint_mm },
	{ "do_mremap", WAIT_LOCK, hint_mm },
	{ "__do_sys_brk", WAIT_LOCK, hint_mm },
	{ "madvise_lock", WAIT_LOCK, hint_mm },
	{ "dup_mmap", WAIT_LOCK, hint_mm },
	{ "mm_access", WAIT_LOCK, hint_exec },
	{ "m_start", WAIT_LOCK, hint_seq },
};

static const struct wait_rule *match(const struct wait_rule *r, size_t n, const char *fn)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(fn, r[i].prefix, strlen(r[i].prefix)))
			return &r[i];
	return NULL;
}

/* The first rule matching fn; top says fn is where the task sleeps. */
static enum wait_family classify(const char *fn, bool top, const char **hint)
{
	const struct wait_rule *r;

	*hint = NULL;
	if (!fn)
		return WAIT_UNKNOWN;
	r = match(rules, ARRAY_SIZE(rules), fn);
	if (!r && top)
		r = match(top_rules, ARRAY_SIZE(top_rules), fn);
	if (!r)
		return WAIT_UNKNOWN;
	*hint = r->hint;
	return r->family;
}

enum wait_family wait_classify(const char *fn, const char **hint)
{
	return classify(fn, true, hint);
}

/* The entry of a page fault. Frames past it are the code that faulted
 * (a read() copying into a buffer), not the reason for the wait: the
 * fault's own frames above it say what it waits for. */
static bool is_fault_entry(const char *fn)
{
	return !strcmp(fn, "asm_exc_page_fault") || !strcmp(fn, "exc_page_fault") ||
	       !strcmp(fn, "page_fault");
}

enum wait_family wait_classify_task(const char *wchan, const struct kstack *ks,
				    const char **hint)
{
	enum wait_family f = wait_classify(wchan, hint);
	bool top = true;

	/* The wchan is the innermost interesting frame; the stack may say
	 * more. A lock taken inside an NFS call or a journal commit is waited
	 * for because of them: the deeper, more specific family wins over
	 * "lock", and anything wins over unknown. Below the top frame, only
	 * rules that mean the same wherever they are. */
	for (size_t i = 0; ks && (f == WAIT_UNKNOWN || f == WAIT_LOCK) && i < ks->n; i++) {
		const char *h;
		enum wait_family g;

		if (is_sched_frame(ks->fn[i]))
			continue;
		if (is_fault_entry(ks->fn[i]))
			break;
		g = classify(ks->fn[i], top, &h);
		top = false;
		if (g != WAIT_UNKNOWN && g != WAIT_LOCK && g != WAIT_OTHER) {
			*hint = h;
			return g;
		}
		if (f == WAIT_UNKNOWN && g != WAIT_UNKNOWN) {
			f = g;
			*hint = h;
		}
	}
	return f;
}

const char *wait_family_name(enum wait_family f)
{
	static const char *const names[] = {
		[WAIT_UNKNOWN] = "unknown", [WAIT_BLOCK_IO] = "block-io", [WAIT_NFS] = "nfs",
		[WAIT_FUSE] = "fuse", [WAIT_JOURNAL] = "journal", [WAIT_LOCK] = "lock",
		[WAIT_RECLAIM] = "reclaim", [WAIT_FREEZER] = "freezer", [WAIT_VFORK] = "vfork",
		[WAIT_OTHER] = "other",
	};

	return names[f];
}

/* Where an idle process waits (a timer, a futex, a signal, a child, poll):
 * interruptible sleeps that take no lock on the way. A task shows D there
 * only once the freezer has stopped it where it slept, which it does only
 * in a sleep marked freezable, one that holds no lock. */
static const char *const idle_sleeps[] = {
	"hrtimer_nanosleep", "do_nanosleep", "futex_", "__do_sys_pause", "sys_pause",
	"sigsuspend", "do_sigtimedwait", "do_wait", "kernel_wait4", "poll_schedule_timeout",
	"do_select", "do_sys_poll", "core_sys_select", "ep_poll", "do_epoll_wait",
	"io_cqring_wait",
};
/* Reads that hold no lock of the task's memory but may wait for a pipe's,
 * a socket's or a terminal's mutex first, in D and in the load, with the
 * same wait channel: frozen only when their cgroup says so. */
static const char *const io_sleeps[] = {
	"anon_pipe_read", "anon_pipe_write", "pipe_read", "pipe_write",
	"unix_stream_read_generic", "unix_stream_data_wait", "__skb_wait_for_more_packets",
	"sk_wait_data", "inet_csk_accept", "n_tty_read", "fuse_dev_do_read",
};

static bool in_list(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(w, list[i], strlen(list[i])))
			return true;
	return false;
}

enum sleep_kind { SLEEP_OTHER, SLEEP_IDLE, SLEEP_IO };

static enum sleep_kind sleep_kind_of(const char *w)
{
	if (in_list(w, idle_sleeps, ARRAY_SIZE(idle_sleeps)))
		return SLEEP_IDLE;
	return in_list(w, io_sleeps, ARRAY_SIZE(io_sleeps)) ? SLEEP_IO : SLEEP_OTHER;
}

/* The family of the wait channel of the task in h (in D), and which of the
 * lists above it is in. WAIT_UNKNOWN when it cannot be read. */
static enum wait_family wchan_family(struct pidh *h, enum sleep_kind *k)
{
	const char *hint;
	char w[128];

	*k = SLEEP_OTHER;
	if (pidh_dirfd(h) < 0 || wchan_read(h, w, sizeof(w)) < 0)
		return WAIT_UNKNOWN;
	*k = sleep_kind_of(w);
	return wait_classify(w, &hint);
}

/* Whether the task in h, in D in a wait of family f and sleep kind k, is
 * frozen. A freezer stuck in FREEZING (on a vfork parent) has frozen the
 * rest in place all the same: an idle sleep in D tells. A vfork parent
 * counts as frozen to the v2 freezer, yet it sleeps uninterruptibly and
 * adds to the load: not frozen here. */
static bool frozen(struct pidh *h, enum wait_family f, enum sleep_kind k)
{
	return f == WAIT_FREEZER || k == SLEEP_IDLE || (f != WAIT_VFORK && cgroup_frozen(h));
}

bool task_parked(struct pidh *h)
{
	enum sleep_kind k;

	return wchan_family(h, &k) == WAIT_FREEZER;
}

bool task_frozen(struct pidh *h)
{
	enum sleep_kind k;
	enum wait_family f = wchan_family(h, &k);

	return frozen(h, f, k);
}

bool task_mm_free(struct pidh *h)
{
	enum sleep_kind k;
	enum wait_family f = wchan_family(h, &k);

	return f == WAIT_FREEZER || k == SLEEP_IDLE || (k == SLEEP_IO && cgroup_frozen(h));
}

enum wait_family wait_or_frozen(struct pidh *h, const char *wchan, enum wait_family f,
				const char **hint)
{
	if (f == WAIT_FREEZER || f == WAIT_VFORK ||
	    !frozen(h, f, wchan ? sleep_kind_of(wchan) : SLEEP_OTHER))
		return f;
	*hint = hint_frozen;
	return WAIT_FREEZER;
}

bool proc_any_task_in_d(struct pidh *h, char leader_state, int64_t nthreads)
{
	pid_t *tids;
	ssize_t n;
	bool d = false;
	int dfd;

	if (leader_state == 'D' && !task_mm_free(h))
		return true;
	if (nthreads <= 1 || (dfd = pidh_dirfd(h)) < 0)
		return false;
	n = procfs_list_pids(dfd, "task", &tids);
	for (ssize_t i = 0; i < n && !d; i++) {
		struct pidh th;
		struct proc_stat ts;

		if (tids[i] == h->pid || pidh_open_task(&th, h, tids[i]) < 0)
			continue;
		d = stat_read(&th, &ts) == 0 && ts.state == 'D' && !task_mm_free(&th);
		pidh_close(&th);
	}
	if (n > 0)
		free(tids);
	return d;
}
