/* Where procfs and sysfs are, and bounded reads of their files. */
#ifndef PROCDX_PROCFS_H
#define PROCDX_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct procfs {
	char *proc;		/* root of procfs: "/proc", or --proc, PROCDX_PROC */
	char *sys;		/* root of sysfs */
	int procfd;		/* O_DIRECTORY fd of proc */
	bool alternate;		/* not the live procfs: writes and signals refuse */
	bool saved;		/* not a procfs at all: a tree of saved files */
	bool sys_given;		/* sys from --sys or PROCDX_SYS, not a default */
};

/* Open the roots. proc and sys may be NULL: then PROCDX_PROC / PROCDX_SYS,
 * then "/proc" and "/sys". Returns 0, a negative errno from opening proc, or
 * -ENODATA for a root that is not procfs and holds no proc tree (no stat,
 * uptime or process directory: an empty mount point).
 * The live procfs is recognised by fstatfs (PROC_SUPER_MAGIC) and by its
 * "self" naming this process; anything else is an alternate root. */
int procfs_init(struct procfs *pf, const char *proc, const char *sys);
void procfs_close(struct procfs *pf);
/* The page size of the machine read: this one's, or for a tree saved by
 * capture the one its MANIFEST names ("page size: N"), once a root is open. */
long procfs_page_size(void);
/* Whether the kernel of the root is maj.min or later: the running one, or
 * for another root the one its sys/kernel/osrelease names (the running one
 * when it has none). */
bool procfs_kernel_at_least(const struct procfs *pf, unsigned maj, unsigned min);
/* name beside the proc root (capture saves DIR/proc, DIR/sys and
 * DIR/etc/passwd): ("a/b/proc/", "sys") gives "a/b/sys". Allocated. */
char *procfs_beside(const char *proc, const char *name);

/* Flags for procfs_read. */
#define PFR_ONESHOT 1	/* a single-record seq file: a short read is EOF */

/* Read the regular file name relative to dirfd into buf (NUL-terminated,
 * at most size - 1 bytes). Returns the number of bytes read, or -ENOENT if
 * it (or the process) is gone, -EACCES if not allowed, -EISDIR/-EINVAL if it
 * is not a regular file, another -errno otherwise. *truncated (may be NULL)
 * says whether the file held more than fit. The file is opened with
 * O_NOFOLLOW | O_NONBLOCK so that a symlink or FIFO planted in a saved tree
 * cannot redirect or block the read. */
ssize_t procfs_read(int dirfd, const char *name, char *buf, size_t size, unsigned flags,
		    bool *truncated);

/* Read a whole file of any size into *out (malloc'd, NUL-terminated; caller
 * frees), at most cap bytes (then *truncated). Returns its length or -errno. */
ssize_t procfs_read_alloc(int dirfd, const char *name, size_t cap, char **out, bool *truncated);

/* Map read errors to the suite's meaning: ESRCH and an empty read of a live
 * file mean the process is gone. */
int procfs_errno(int e);

/* The list of PIDs (numeric names) in the directory dirfd/sub ("." for the
 * proc root, "task" for a process's threads). Names that are not canonical
 * positive decimals that fit a pid_t are skipped. *pids is malloc'd; the
 * caller frees. Returns the count or -errno. */
ssize_t procfs_list_pids(int dirfd, const char *sub, pid_t **pids);

/* Handle on one process: every file of a row comes from the same process.
 * A scan that needs one file per process skips the directory open and reads
 * "PID/file" from the proc root instead; that is the same single process.
 * So does one that holds a file open (pidh_hold) before it reads a second
 * by its path: a held file of a process that is gone reads as gone, so
 * reading it last, with success, proves the second file was the same
 * process's (its PID could not have been reused meanwhile). */
struct pidh {
	const struct procfs *pf;
	pid_t pid;
	int base;		/* fd the prefix is relative to (not owned) */
	int dirfd;		/* -1 until a second file is wanted */
	int held;		/* the file pidh_hold opened, or -1 */
	bool held_read;		/* read once: a second read opens it again */
	char held_name[16];
	char prefix[40];	/* "PID/" or "task/TID/" under base */
};

/* Start a handle. With need_dir the /proc/PID directory is opened now (so
 * every later read is pinned to that process). Returns 0 or -ENOENT. */
int pidh_open(struct pidh *h, const struct procfs *pf, pid_t pid, bool need_dir);
/* A handle on "self": the caller live, or in a saved tree the process
 * that saved it (its pid unknown: 0). Nothing is opened yet. */
int pidh_open_self(struct pidh *h, const struct procfs *pf);
/* A handle on the thread tid of the process in h, whose directory is opened
 * (if it was not) to pin the process. The thread's own directory is opened
 * only when a second file of it is wanted. */
int pidh_open_task(struct pidh *task, struct pidh *h, pid_t tid);
ssize_t pidh_read(struct pidh *h, const char *name, char *buf, size_t size, unsigned flags,
		  bool *truncated);
ssize_t pidh_read_alloc(struct pidh *h, const char *name, size_t cap, char **out,
			bool *truncated);
/* Read name of h (like pidh_read_alloc, at most cap bytes) in a child
 * process, waiting at most timeout seconds: for the files that take the
 * target's mm lock (cmdline, environ, maps, smaps), which a task in D may
 * hold forever. Returns the length, -ETIMEDOUT when the deadline passed (the
 * child is killed and left for init to reap), or -errno. The caller always
 * gets control back, and frees *out. */
ssize_t pidh_read_deadline(struct pidh *h, const char *name, size_t cap, double timeout,
			   char **out, bool *truncated);

/* Open the file name of h now and keep it: the next pidh_read of that name
 * reads it. Only for files whose read proves the process is still there
 * (the seq files of one record: statm, stat, comm...). Returns 0 or -errno
 * as a read would. */
int pidh_hold(struct pidh *h, const char *name);

/* The handle's directory fd, opening it if needed; -errno on failure. */
int pidh_dirfd(struct pidh *h);
void pidh_close(struct pidh *h);

/* Read a one-line file under the proc or sys root ("sys/kernel/pid_max")
 * as an integer. Returns 0 or -errno (-EINVAL if it does not hold one). */
int procfs_read_u64(const struct procfs *pf, const char *path, unsigned long long *out);
int sysfs_read_str(const struct procfs *pf, const char *path, char *buf, size_t size);

/* hidepid: what the proc mount hides from us. Returns 0 (nothing hidden),
 * 1 (other users' files unreadable), 2 (their processes invisible) or 4
 * (the processes we may not ptrace invisible), the kernel's numbers, from
 * the mount options in self/mountinfo; 0 when we are root. */
int procfs_hidepid(const struct procfs *pf);

/* Clock ticks per second for stat's time fields (USER_HZ). */
long procfs_hz(void);

#endif
