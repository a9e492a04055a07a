/* Parsers of /proc/PID/{stat,status,cmdline,wchan}. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pidstat.h"
#include "util.h"

enum ftype { F_I32, F_U32, F_I64, F_U64 };

struct field {
	unsigned short off;
	unsigned char type;
};

#define FI(name, t) { offsetof(struct proc_stat, name), t }

/* Fields 4 to 52 in the kernel's order (fs/proc/array.c, do_task_stat). */
static const struct field stat_fields[] = {
	FI(ppid, F_I32), FI(pgrp, F_I32), FI(session, F_I32), FI(tty_nr, F_I32),
	FI(tpgid, F_I32), FI(flags, F_U32), FI(minflt, F_U64), FI(cminflt, F_U64),
	FI(majflt, F_U64), FI(cmajflt, F_U64), FI(utime, F_U64), FI(stime, F_U64),
	FI(cutime, F_I64), FI(cstime, F_I64), FI(priority, F_I64), FI(nice, F_I64),
	FI(num_threads, F_I64), FI(itrealvalue, F_I64), FI(starttime, F_U64),
	FI(vsize, F_U64), FI(rss, F_I64), FI(rsslim, F_U64), FI(startcode, F_U64),
	FI(endcode, F_U64), FI(startstack, F_U64), FI(kstkesp, F_U64), FI(kstkeip, F_U64),
	FI(signal, F_U64), FI(blocked, F_U64), FI(sigignore, F_U64), FI(sigcatch, F_U64),
	FI(wchan, F_U64), FI(nswap, F_U64), FI(cnswap, F_U64), FI(exit_signal, F_I64),
	FI(processor, F_I64), FI(rt_priority, F_U64), FI(policy, F_U64),
	FI(delayacct_blkio_ticks, F_U64), FI(guest_time, F_U64), FI(cguest_time, F_I64),
	FI(start_data, F_U64), FI(end_data, F_U64), FI(start_brk, F_U64),
	FI(arg_start, F_U64), FI(arg_end, F_U64), FI(env_start, F_U64), FI(env_end, F_U64),
	FI(exit_code, F_I64),
};

/* Store the number at *pp (it ends at end, a space or a newline) into the
 * field and advance *pp past it, reading the digits where they stand: stat
 * has 52 numbers and every scanner parses one per process. -EINVAL if it is
 * not a number, -ERANGE if it does not fit. */
static int store_field(struct proc_stat *st, const struct field *f, const char **pp,
		       const char *end)
{
	char *dst = (char *)st + f->off;
	const char *p = *pp;
	bool neg = false;
	uint64_t v;
	int r;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	if ((r = parse_u64_n(&p, end, &v)) < 0)
		return r;
	if (p < end && *p != ' ' && *p != '\n')
		return -EINVAL;
	*pp = p;
	if (neg && v > (uint64_t)INT64_MAX + 1)
		return -ERANGE;
	switch (f->type) {
	case F_I32:
		if (neg ? v > (uint64_t)INT_MAX + 1 : v > INT_MAX)
			return -ERANGE;
		*(int *)dst = neg ? (int)-(int64_t)v : (int)v;
		return 0;
	case F_U32:
		if (neg)
			return -EINVAL;
		if (v > UINT_MAX)
			return -ERANGE;
		*(unsigned *)dst = (unsigned)v;
		return 0;
	case F_I64: {
		int64_t i;

		if (!neg && v > INT64_MAX)
			return -ERANGE;
		i = !neg ? (int64_t)v : v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		memcpy(dst, &i, sizeof(i));
		return 0;
	}
	default:
		/* Some unsigned fields print as -1 on some kernels (e.g. a zombie's
		 * kstkeip); keep those as all ones rather than fail the row. */
		if (neg)
			v = -v;
		memcpy(dst, &v, sizeof(v));
		return 0;
	}
}

int stat_parse(const char *buf, size_t len, struct proc_stat *st)
{
	const char *open, *close, *p, *end = buf + len;
	int64_t pid;
	size_t i;

	memset(st, 0, sizeof(*st));
	open = memchr(buf, '(', len);
	if (!open)
		return -EINVAL;
	/* The name may hold ')' and even ") R 1 (": only the last ')' ends it. */
	close = memrchr(open + 1, ')', (size_t)(end - open - 1));
	if (!close)
		return -EINVAL;
	p = buf;
	if (parse_i64(&p, &pid) < 0 || pid <= 0 || pid > INT_MAX || p != open - 1 || *p != ' ')
		return -EINVAL;
	st->pid = (int)pid;
	st->comm_len = (size_t)(close - open - 1);
	if (st->comm_len >= sizeof(st->comm))
		st->comm_len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, st->comm_len);
	st->comm[st->comm_len] = '\0';
	p = close + 1;
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return -EINVAL;
	st->state = p[1];
	if (st->state <= ' ' || st->state > '~')
		return -EINVAL;
	p += 3;
	st->nfields = 3;
	for (i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		if (p >= end || *p == '\n')
			break;
		if (store_field(st, &stat_fields[i], &p, end) < 0)
			return -EINVAL;
		st->nfields++;
		if (p < end && *p == ' ')
			p++;
		else if (p < end && *p != '\n')
			return -EINVAL;
	}
	/* Everything procdx uses is at or before starttime (field 22); a file
	 * cut before it is not a stat. */
	return st->nfields >= 22 ? 0 : -EINVAL;
}

bool stat_memory_gone(const struct proc_stat *st)
{
	return st->state == 'Z' || st->state == 'X' ||
	       ((st->flags & PF_EXITING_FLAG) && st->vsize == 0);
}

int stat_read(struct pidh *h, struct proc_stat *st)
{
	char buf[2048];
	ssize_t n = pidh_read(h, "stat", buf, sizeof(buf), PFR_ONESHOT, NULL);
	int r;

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	r = stat_parse(buf, (size_t)n, st);
	/* A stat that names another task (a damaged saved tree) would make
	 * one task two rows. */
	if (r == 0 && h->pid > 0 && st->pid != h->pid)
		return -EINVAL;
	return r;
}

/* status keys: the value types they hold. */
enum skind { SK_STATE, SK_INT, SK_I64, SK_IDS, SK_HEX, SK_KB, SK_U64, SK_NSPID };

struct skey {
	const char *key;
	unsigned char klen, kind;
	unsigned bit;
	unsigned short off;
};

#define SK(k, kind, bit, field) { k, sizeof(k) - 1, kind, bit, offsetof(struct proc_status, field) }

static const struct skey status_keys[] = {
	SK("State", SK_STATE, STF_STATE, state),
	SK("Tgid", SK_INT, STF_TGID, tgid),
	SK("Pid", SK_INT, STF_PID, pid),
	SK("PPid", SK_INT, STF_PPID, ppid),
	SK("TracerPid", SK_INT, STF_TRACER, tracer_pid),
	SK("Uid", SK_IDS, STF_UID, uid),
	SK("Gid", SK_IDS, STF_GID, gid),
	SK("Threads", SK_I64, STF_THREADS, threads),
	SK("SigPnd", SK_HEX, STF_SIGPND, sigpnd),
	SK("ShdPnd", SK_HEX, STF_SHDPND, shdpnd),
	SK("SigBlk", SK_HEX, STF_SIGBLK, sigblk),
	SK("SigIgn", SK_HEX, STF_SIGIGN, sigign),
	SK("SigCgt", SK_HEX, STF_SIGCGT, sigcgt),
	SK("VmPeak", SK_KB, STF_VMPEAK, vmpeak),
	SK("VmSize", SK_KB, STF_VMSIZE, vmsize),
	SK("VmHWM", SK_KB, STF_VMHWM, vmhwm),
	SK("VmRSS", SK_KB, STF_VMRSS, vmrss),
	SK("RssAnon", SK_KB, STF_RSSANON, rssanon),
	SK("RssFile", SK_KB, STF_RSSFILE, rssfile),
	SK("RssShmem", SK_KB, STF_RSSSHMEM, rssshmem),
	SK("VmSwap", SK_KB, STF_VMSWAP, vmswap),
	SK("VmPTE", SK_KB, STF_VMPTE, vmpte),
	SK("HugetlbPages", SK_KB, STF_HUGETLB, hugetlb),
	SK("NSpid", SK_NSPID, STF_NSPID, nspid_inner),
	SK("voluntary_ctxt_switches", SK_U64, STF_VCSW, vcsw),
	SK("nonvoluntary_ctxt_switches", SK_U64, STF_NVCSW, nvcsw),
};

static int parse_hex64(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	for (; p < end && *p != '\n'; p++, n++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -EINVAL;
		if (n >= 16)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	return 0;
}

static void skip_blank(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* Parse one value of kind k at p (line ends at end or '\n'). */
static int status_value(const struct skey *k, const char *p, const char *end, void *dst)
{
	/* Room for the longest real value: NSpid of 32 nested namespaces
	 * (MAX_PID_NS_LEVEL) of 7-digit PIDs is 255 bytes. */
	char tmp[320];
	const char *q;
	size_t n;
	int64_t i;
	uint64_t u;

	skip_blank(&p, end);
	/* Copy the line into a NUL-terminated buffer so the strict parsers
	 * cannot run past the file's end. */
	for (n = 0; p + n < end && p[n] != '\n' && n < sizeof(tmp) - 1; n++)
		tmp[n] = p[n];
	/* A value that does not fit is not one we know: never parse half. */
	if (p + n < end && p[n] != '\n')
		return -EINVAL;
	tmp[n] = '\0';
	q = tmp;
	switch (k->kind) {
	case SK_STATE:
		if (tmp[0] <= ' ' || tmp[0] > '~')
			return -EINVAL;
		*(char *)dst = tmp[0];
		return 0;
	case SK_INT:
		if (parse_i64(&q, &i) < 0 || *q || i < INT_MIN || i > INT_MAX)
			return -EINVAL;
		*(int *)dst = (int)i;
		return 0;
	case SK_I64:
		if (parse_i64(&q, &i) < 0 || *q)
			return -EINVAL;
		memcpy(dst, &i, sizeof(i));
		return 0;
	case SK_U64:
		if (parse_u64(&q, &u) < 0 || *q)
			return -EINVAL;
		memcpy(dst, &u, sizeof(u));
		return 0;
	case SK_KB:
		if (parse_u64(&q, &u) < 0 || strcmp(q, " kB") || mul_overflows(u, 1024, &u))
			return -EINVAL;
		memcpy(dst, &u, sizeof(u));
		return 0;
	case SK_HEX:
		return parse_hex64(tmp, tmp + n, dst);
	case SK_IDS: {
		unsigned ids[4];

		for (int j = 0; j < 4; j++) {
			if (parse_u64(&q, &u) < 0 || u > UINT_MAX)
				return -EINVAL;
			ids[j] = (unsigned)u;
			while (*q == '\t' || *q == ' ')
				q++;
		}
		if (*q)
			return -EINVAL;
		memcpy(dst, ids, sizeof(ids));
		return 0;
	}
	case SK_NSPID:
		/* "NSpid:\t4242\t17": the last one is the PID inside its own
		 * namespace. */
		for (;;) {
			if (parse_i64(&q, &i) < 0 || i <= 0 || i > INT_MAX)
				return -EINVAL;
			while (*q == '\t' || *q == ' ')
				q++;
			if (!*q)
				break;
		}
		*(int *)dst = (int)i;
		return 0;
	}
	return -EINVAL;
}

int status_parse(const char *buf, size_t len, struct proc_status *st)
{
	const char *p = buf, *end = buf + len;
	bool named = false;

	memset(st, 0, sizeof(*st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *colon = memchr(p, ':', (size_t)((nl ? nl : end) - p));
		const char *lend = nl ? nl : end;

		if (colon) {
			size_t klen = (size_t)(colon - p);

			if (klen == 4 && !memcmp(p, "Name", 4))
				named = true;
			for (size_t i = 0; i < ARRAY_SIZE(status_keys); i++) {
				const struct skey *k = &status_keys[i];

				if (k->klen != klen || memcmp(k->key, p, klen))
					continue;
				if (status_value(k, colon + 1, lend, (char *)st + k->off) == 0)
					st->has |= k->bit;
				break;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return named ? 0 : -EINVAL;
}

int status_read(struct pidh *h, struct proc_status *st)
{
	char buf[4096];
	ssize_t n = pidh_read(h, "status", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return status_parse(buf, (size_t)n, st);
}

size_t cmdline_join(char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

ssize_t cmdline_read(struct pidh *h, size_t cap, char **out, bool *truncated)
{
	ssize_t n;

	if (!cap)
		cap = 128 * 1024;
	n = pidh_read_alloc(h, "cmdline", cap, out, truncated);
	if (n < 0)
		return n;
	return (ssize_t)cmdline_join(*out, (size_t)n);
}

ssize_t cmdline_read_deadline(struct pidh *h, size_t cap, double timeout, char **out,
			      bool *truncated)
{
	ssize_t n = pidh_read_deadline(h, "cmdline", cap ? cap : 128 * 1024, timeout, out,
				       truncated);

	if (n < 0)
		return n;
	return (ssize_t)cmdline_join(*out, (size_t)n);
}

int wchan_read(struct pidh *h, char *buf, size_t size)
{
	ssize_t n = pidh_read(h, "wchan", buf, size, PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	/* "0" is what the kernel prints when it cannot or will not say (ORC
	 * unwinder before 5.16, a running task, no permission): unknown. */
	if (n == 0 || !strcmp(buf, "0"))
		return -ENODATA;
	return 0;
}

int statm_parse(const char *buf, struct proc_statm *sm)
{
	uint64_t v[7], page = (uint64_t)procfs_page_size();
	const char *p = buf;

	for (int i = 0; i < 7; i++) {
		if (parse_u64(&p, &v[i]) < 0 || mul_overflows(v[i], page, &v[i]))
			return -EINVAL;
		if (i < 6 && *p++ != ' ')
			return -EINVAL;
	}
	if (*p && *p != '\n')
		return -EINVAL;
	/* Fields 5 (lib) and 7 (dirty) are always 0 since Linux 2.6. */
	sm->size = v[0];
	sm->resident = v[1];
	sm->shared = v[2];
	sm->text = v[3];
	sm->data = v[5];
	return 0;
}

int statm_read(struct pidh *h, struct proc_statm *sm)
{
	char buf[256];
	ssize_t n = pidh_read(h, "statm", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return statm_parse(buf, sm);
}

int pidh_pin(struct pidh *h, uint64_t starttime)
{
	struct proc_stat st;
	bool had_dir = h->dirfd >= 0 || h->base != h->pf->procfd;
	int dfd = pidh_dirfd(h);

	if (dfd < 0 || had_dir)
		return dfd;
	if (stat_read(h, &st) < 0 || st.starttime != starttime)
		return -ENOENT;
	return dfd;
}

int proc_euid(struct pidh *h, uid_t *uid)
{
	struct proc_status st;
	struct stat sb;
	int r;

	if (!h->pf->alternate && h->held >= 0 && h->dirfd < 0) {
		/* A file's owner is the euid too, unless the process is
		 * not dumpable (root then): a root-owned one asks the
		 * directory, by its path (h's held file pins it). */
		char path[sizeof(h->prefix)];
		size_t n = strlen(h->prefix);

		if (fstat(h->held, &sb) < 0)
			return procfs_errno(errno);
		memcpy(path, h->prefix, n - 1);
		path[n - 1] = '\0';
		if (sb.st_uid == 0 && fstatat(h->base, path, &sb, 0) < 0)
			return procfs_errno(errno);
	} else {
		int dfd = pidh_dirfd(h);

		if (dfd < 0)
			return dfd;
		if (!h->pf->alternate && fstat(dfd, &sb) < 0)
			return procfs_errno(errno);
	}
	if (!h->pf->alternate && (sb.st_uid != 0 || kernel_at_least(4, 11))) {
		*uid = sb.st_uid;
		return 0;
	}
	r = status_read(h, &st);
	if (r < 0)
		return r;
	if (!(st.has & STF_UID))
		return -EINVAL;
	*uid = st.uid[1];
	return 0;
}

const char *state_meaning(char state)
{
	switch (state) {
	case 'R': return "running or runnable";
	case 'S': return "sleeping (interruptible)";
	case 'D': return "uninterruptible sleep (usually I/O)";
	case 'I': return "idle kernel thread (not in load)";
	case 'T': return "stopped by a signal";
	case 't': return "stopped by a debugger (tracing)";
	case 'Z': return "zombie: exited, not reaped by its parent";
	case 'X': return "dead (being removed)";
	case 'P': return "parked kernel thread";
	case 'K': return "wakekill (old kernels)";
	case 'W': return "waking or paging (old kernels)";
	case 'x': return "dead (old kernels)";
	default: return NULL;
	}
}

pid_t pidh_open_live_thread(struct pidh *h, struct pidh *th, struct proc_stat *out)
{
	pid_t tid = proc_live_thread(h, out);

	if (tid <= 0 || pidh_open_task(th, h, tid) < 0)
		return -ENOENT;
	return tid;
}

bool proc_ignores_sigchld(const struct procfs *pf, pid_t pid)
{
	struct proc_status st;
	struct pidh h;
	bool ign = false;

	if (pidh_open(&h, pf, pid, false) == 0 && status_read(&h, &st) == 0)
		ign = (st.has & STF_SIGIGN) && sigmask_has(st.sigign, SIGCHLD);
	pidh_close(&h);
	return ign;
}

pid_t proc_live_thread(struct pidh *h, struct proc_stat *out)
{
	pid_t *tids, live = 0;
	int dfd = pidh_dirfd(h);
	ssize_t n;

	if (dfd < 0)
		return dfd;
	n = procfs_list_pids(dfd, "task", &tids);
	if (n < 0)
		return (pid_t)n;
	for (ssize_t i = 0; i < n && !live; i++) {
		struct pidh th;
		struct proc_stat ts;

		if (pidh_open_task(&th, h, tids[i]) < 0)
			continue;
		if (stat_read(&th, &ts) == 0 && ts.state != 'Z' && ts.state != 'X') {
			live = tids[i];
			if (out)
				*out = ts;
		}
		pidh_close(&th);
	}
	free(tids);
	return live;
}
