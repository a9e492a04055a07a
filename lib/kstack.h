/* Kernel stacks (/proc/PID/task/TID/stack) and what a wait channel means. */
#ifndef PROCDX_KSTACK_H
#define PROCDX_KSTACK_H

#include <stddef.h>

#include "procfs.h"

#define KSTACK_MAX 16

struct kstack {
	char fn[KSTACK_MAX][64];	/* function names, innermost first */
	size_t n;
};

/* Parse the text of a stack file ("[<0>] name+0x1/0x2" lines): function
 * names without offsets. Returns 0 or -EINVAL when no frame parses. */
int kstack_parse(const char *text, struct kstack *ks);
/* Read h's stack. Needs root (CAP_SYS_ADMIN) since Linux 4.20: -EACCES. */
int kstack_read(struct pidh *h, struct kstack *ks);

/* The first frame that is not scheduler plumbing (schedule, __schedule,
 * schedule_timeout...): what the wait channel would be. NULL if none. */
const char *kstack_wait_frame(const struct kstack *ks);

/* Families of wait channels: what a task in D is waiting for. */
enum wait_family {
	WAIT_UNKNOWN,
	WAIT_BLOCK_IO,
	WAIT_NFS,
	WAIT_FUSE,
	WAIT_JOURNAL,
	WAIT_LOCK,
	WAIT_RECLAIM,
	WAIT_FREEZER,
	WAIT_VFORK,
	WAIT_OTHER,	/* known, but none of the above */
};

/* The family of a wait channel (a kernel function name, the one the task
 * sleeps in) and a one-line hint for people; *hint is NULL when nothing is
 * known about it. */
enum wait_family wait_classify(const char *fn, const char **hint);
/* Classify a task from its wchan and, when that says nothing or only
 * "lock", its stack (either may be NULL). Functions that take a lock count
 * as a lock wait only where the task sleeps, and frames past a page
 * fault's entry are not looked at. */
enum wait_family wait_classify_task(const char *wchan, const struct kstack *ks,
				    const char **hint);
/* Short name of a family ("block-io", "nfs", ...). */
const char *wait_family_name(enum wait_family f);

/* Whether the task in h (in D) went into the freezer's own wait
 * (__refrigerator, do_freezer_trap): it stopped at a safe point and holds
 * no lock. A wchan that cannot be read (another user's task) says no. */
bool task_parked(struct pidh *h);
/* Whether the task in h (in D) is frozen: parked, stopped where it slept
 * (in D with the wait channel of an interruptible sleep), or in D in a
 * frozen cgroup (cgroup_frozen) and not a vfork parent, which the v2
 * freezer counts as frozen though it stays in the load. A frozen task
 * shows D since the 2024 change and adds nothing to the load. One frozen
 * where it slept may hold a lock (an NFS wait is frozen in place):
 * task_mm_free tells. */
bool task_frozen(struct pidh *h);
/* Whether the task in h (in D) cannot be holding its mm lock: parked by
 * the freezer, or frozen in a sleep that holds no lock (nanosleep, a futex,
 * poll, a pipe: a paused container's tasks). Its mm-locked files (smaps,
 * maps, cmdline) can then be read. */
bool task_mm_free(struct pidh *h);
/* The family f that the wait channel wchan (NULL when unknown) and the
 * stack gave the task in h (in D), or WAIT_FREEZER with its hint when it
 * is frozen, as task_frozen says: a task frozen where it slept (nanosleep)
 * keeps that sleep's wchan. A vfork parent stays WAIT_VFORK, frozen cgroup
 * or not: it is in the load. */
enum wait_family wait_or_frozen(struct pidh *h, const char *wchan, enum wait_family f,
				const char **hint);

/* Whether any thread of the process in h (nthreads from its stat) is in D
 * and not task_mm_free. Reading cmdline, environ, maps or smaps*
 * of a process takes its mm lock, which a thread in D may hold (a page
 * fault on hung storage): those reads are for processes where this is
 * false. The leader's state is in the caller's stat; the others cost a
 * stat read each, and a task in D a wchan read. */
bool proc_any_task_in_d(struct pidh *h, char leader_state, int64_t nthreads);

#endif
