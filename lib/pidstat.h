/* Per-process files: stat, status, cmdline, wchan. One parser per file, into
 * plain structs. */
#ifndef PROCDX_PIDSTAT_H
#define PROCDX_PIDSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

#define PF_KTHREAD_FLAG 0x00200000u	/* include/linux/sched.h PF_KTHREAD */
#define PF_EXITING_FLAG 0x00000004u	/* PF_EXITING: in do_exit() */

/* /proc/PID/stat, every field (proc(5) numbering in the comments). */
struct proc_stat {
	int pid;			/* 1 */
	char comm[64];			/* 2, raw bytes, NUL-terminated */
	size_t comm_len;
	char state;			/* 3 */
	int ppid, pgrp, session;	/* 4-6 */
	int tty_nr, tpgid;		/* 7-8 */
	unsigned flags;			/* 9 */
	uint64_t minflt, cminflt, majflt, cmajflt;	/* 10-13 */
	uint64_t utime, stime;		/* 14-15, clock ticks */
	int64_t cutime, cstime;		/* 16-17 */
	int64_t priority, nice;		/* 18-19 */
	int64_t num_threads;		/* 20 */
	int64_t itrealvalue;		/* 21 */
	uint64_t starttime;		/* 22, ticks after boot */
	uint64_t vsize;			/* 23, bytes */
	int64_t rss;			/* 24, pages */
	uint64_t rsslim;		/* 25 */
	uint64_t startcode, endcode, startstack, kstkesp, kstkeip;	/* 26-30 */
	uint64_t signal, blocked, sigignore, sigcatch;	/* 31-34, obsolete */
	uint64_t wchan;			/* 35, placeholder */
	uint64_t nswap, cnswap;		/* 36-37 */
	int64_t exit_signal, processor;	/* 38-39 */
	uint64_t rt_priority, policy;	/* 40-41 */
	uint64_t delayacct_blkio_ticks;	/* 42 */
	uint64_t guest_time;		/* 43 */
	int64_t cguest_time;		/* 44 */
	uint64_t start_data, end_data, start_brk;	/* 45-47 */
	uint64_t arg_start, arg_end, env_start, env_end;	/* 48-51 */
	int64_t exit_code;		/* 52 */
	int nfields;			/* how many fields the kernel gave (>= 20) */
};

/* Parse the text of /proc/PID/stat. COMM is taken between the first '(' and
 * the LAST ')', since a name may itself hold ") (". Returns 0, or -EINVAL
 * when the text is malformed or cut short before field 22 (starttime), or
 * a number does not fit its field. */
int stat_parse(const char *buf, size_t len, struct proc_stat *st);
/* Read and parse h's stat. Returns 0, -ENOENT (gone: also for an empty
 * file), -EACCES, -EINVAL (malformed). */
int stat_read(struct pidh *h, struct proc_stat *st);
/* Whether the task of st has let go of its memory: a zombie, dead, or on
 * its way out with its mm released (VSZ 0). Its smaps and statm are empty
 * or all 0; an exited leader's process lives on in its other threads. */
bool stat_memory_gone(const struct proc_stat *st);

/* Fields of /proc/PID/status that procdx uses. A field the kernel did not
 * give stays unset: test has with the STF_ bit. Sizes are in bytes. */
enum {
	STF_STATE = 1u << 0, STF_TGID = 1u << 1, STF_PPID = 1u << 2, STF_UID = 1u << 3,
	STF_GID = 1u << 4, STF_THREADS = 1u << 5, STF_SIGPND = 1u << 6, STF_SHDPND = 1u << 7,
	STF_SIGBLK = 1u << 8, STF_SIGIGN = 1u << 9, STF_SIGCGT = 1u << 10,
	STF_VMSIZE = 1u << 11, STF_VMRSS = 1u << 12, STF_RSSANON = 1u << 13,
	STF_RSSFILE = 1u << 14, STF_RSSSHMEM = 1u << 15, STF_VMSWAP = 1u << 16,
	STF_VMPTE = 1u << 17, STF_VCSW = 1u << 18, STF_NVCSW = 1u << 19,
	STF_TRACER = 1u << 20, STF_NSPID = 1u << 21, STF_PID = 1u << 22,
	STF_VMHWM = 1u << 23, STF_VMPEAK = 1u << 24, STF_HUGETLB = 1u << 25,
};

struct proc_status {
	unsigned has;
	char state;
	int tgid, pid, ppid, tracer_pid;
	unsigned uid[4], gid[4];	/* real, effective, saved, fs */
	int64_t threads;
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	uint64_t vmpeak, vmsize, vmhwm, vmrss, rssanon, rssfile, rssshmem, vmswap, vmpte;
	uint64_t hugetlb;	/* HugetlbPages: hugetlbfs pages mapped (4.4) */
	uint64_t vcsw, nvcsw;
	int nspid_inner;		/* last NSpid value: the PID in its own namespace */
};

/* Parse the text of /proc/PID/status. Unknown keys are ignored; a known key
 * with a malformed value leaves its bit clear. Returns 0, or -EINVAL if the
 * text has no "Name:" line (not a status file at all). */
int status_parse(const char *buf, size_t len, struct proc_status *st);
int status_read(struct pidh *h, struct proc_status *st);

/* Whether signal sig (1-64) is set in a status mask. */
static inline bool sigmask_has(uint64_t mask, int sig)
{
	return sig >= 1 && sig <= 64 && (mask >> (sig - 1)) & 1;
}

/* The command line: argv joined by spaces. cap bounds the bytes read (0:
 * 128 KiB). Returns its length, 0 for an empty command line (a kernel
 * thread or a zombie: the caller decides what to show), or -errno.
 * *truncated says whether the process's command line was longer. The
 * caller frees *out. Never call this for a task in D (it can block). */
ssize_t cmdline_read(struct pidh *h, size_t cap, char **out, bool *truncated);
/* The same, for a task that may be in D: the read happens in a child
 * process, and the caller waits at most timeout seconds. Returns the length,
 * -ETIMEDOUT when the deadline passed (the child is killed and left to be
 * reaped later), or -errno. The caller always gets control back. */
ssize_t cmdline_read_deadline(struct pidh *h, size_t cap, double timeout, char **out,
			      bool *truncated);
/* Turn the raw NUL-separated cmdline in place into a space-joined string;
 * drops the trailing NUL(s). Returns the new length. */
size_t cmdline_join(char *buf, size_t len);

/* /proc/PID/wchan into buf. Returns 0, -ENOENT, -EACCES, or -ENODATA when the
 * kernel gives "0" or nothing (unknown: not a wait channel called 0). */
int wchan_read(struct pidh *h, char *buf, size_t size);

/* /proc/PID/statm, in bytes (the file counts pages). */
struct proc_statm {
	uint64_t size, resident, shared, text, data;
};
/* Parse the text of statm. Returns 0 or -EINVAL. */
int statm_parse(const char *buf, struct proc_statm *sm);
int statm_read(struct pidh *h, struct proc_statm *sm);

/* Pin h to its process before a second file of it is read: a handle that
 * read its first file through the proc root ("PID/stat") opens its
 * directory now and checks, with stat read through it, that the PID still
 * names the process that started at starttime (not one that reused the
 * PID since). A handle already on a directory (or a thread's, under its
 * process's directory) is pinned as it is. Returns the dirfd, or -ENOENT. */
int pidh_pin(struct pidh *h, uint64_t starttime);

/* The effective uid of the process in h, cheaply: the owner of its /proc
 * directory. Since Linux 4.11 that is the euid even for a non-dumpable
 * process (a daemon's worker after setuid), whose files alone turn
 * root-owned; before, the directory turned root-owned too, and there a
 * root-owned directory is settled by status. In a saved tree the owner
 * means nothing: status is read. A handle holding a file (pidh_hold) asks
 * that file's owner first, and the directory's by its path when that is
 * root: call it before the held file is read. Returns 0 or -errno. */
int proc_euid(struct pidh *h, uid_t *uid);

/* Long meaning of a state letter ("uninterruptible sleep (usually I/O)"),
 * or NULL for a letter the kernel does not use. */
const char *state_meaning(char state);

/* A live thread (state neither Z nor X) of the process in h, whose
 * directory is opened if it was not: for an exited leader whose other
 * threads run, whose own stat shows rss 0 and whose status has no memory
 * lines, the process's memory is read through task/TID. Returns the TID
 * (and that thread's stat in *out, when out is not NULL: its state, and
 * the process's RSS and VSZ), 0 when no thread is live (the process is
 * ending), or -errno when the task list cannot be read. */
pid_t proc_live_thread(struct pidh *h, struct proc_stat *out);
/* proc_live_thread, and th opened on that thread (to be closed by the
 * caller). Returns the TID, or -ENOENT when no thread is live or it cannot
 * be opened. */
pid_t pidh_open_live_thread(struct pidh *h, struct pidh *th, struct proc_stat *out);
/* Whether process pid ignores SIGCHLD now: its children are then reaped by
 * the kernel as they exit, which adds nothing of theirs (CPU time, I/O) to
 * its own counters. False when its status cannot be read. */
bool proc_ignores_sigchld(const struct procfs *pf, pid_t pid);

#endif
