/* One pass over the processes (and optionally their threads), with the
 * filters applied before anything expensive is read. */
#ifndef PROCDX_SCAN_H
#define PROCDX_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "opts.h"
#include "pidstat.h"
#include "procfs.h"

struct scan_stats {
	size_t seen;		/* directories listed */
	size_t visited;		/* passed the filters and were handed over */
	size_t malformed;	/* stat unreadable as a stat file */
	size_t denied;		/* status unreadable: permission */
	size_t status_bad;	/* status missing or malformed */
};

/* Called for each process that passes the filters, with its parsed stat
 * (and status when want_status was set, else NULL). Return 0 to go on, a
 * negative errno to stop the scan with it. h stays valid only during the
 * call. */
typedef int (*scan_fn)(struct pidh *h, const struct proc_stat *st,
		       const struct proc_status *status, void *ctx);

#define SCAN_DIR	1	/* open /proc/PID: the callback reads more files */
#define SCAN_STATUS	2	/* read status too (USER, signal masks) */

/* Visit every process in pid order. Processes that vanish are skipped
 * silently; malformed ones are counted in ss. Returns 0, or -errno if the
 * proc root cannot be listed, or what fn returned to stop. */
int scan_processes(const struct procfs *pf, const struct filter *f, unsigned flags, scan_fn fn,
		   void *ctx, struct scan_stats *ss);

/* A lighter scan for a caller whose every column comes from one file of a
 * process that takes none of its locks (statm) and its name: comm is read
 * instead of stat, and the file named held is opened before comm and left
 * to fn to read (pidh_read of that name), whose success proves that comm
 * was the same process's. fn returns SCAN_FULL for a process it cannot
 * describe so (no memory: a kernel thread, a zombie, an exited leader; an
 * unreadable file), which is then visited as scan_processes would, by
 * full. Filters by user or cgroup, and a saved tree, make it a plain
 * scan_processes with full. */
typedef int (*scan_name_fn)(struct pidh *h, const char *comm, size_t comm_len, void *ctx);
#define SCAN_FULL	1

int scan_processes_named(const struct procfs *pf, const struct filter *f, const char *held,
			 unsigned flags, scan_name_fn fn, scan_fn full, void *ctx,
			 struct scan_stats *ss);

/* Visit the threads of the process in h the same way (task/TID/stat; the
 * pidh passed to fn is the thread's). */
int scan_tasks(struct pidh *h, unsigned flags, scan_fn fn, void *ctx, struct scan_stats *ss);

/* Visit every task of the process in h, whose stat is st: a process of one
 * thread is its own thread (its stat's state is that thread's), so fn gets h
 * and st without task/ being listed; the others (an exited leader with live
 * threads among them) go through scan_tasks. A callback that reads more of
 * a task calls pidh_pin first. */
int scan_process_tasks(struct pidh *h, const struct proc_stat *st, scan_fn fn, void *ctx,
		       struct scan_stats *ss);

/* Say once, on stderr, what the scan could not read ("pstate: 2 processes
 * skipped: malformed stat"), and the hidepid note. */
void scan_report(const struct procfs *pf, const struct scan_stats *ss);
/* The hidepid note alone, for a walk of /proc of a command's own
 * ("loadwhy: hidepid=invisible: other users' processes are hidden"). */
void scan_note_hidepid(const struct procfs *pf);

#endif
