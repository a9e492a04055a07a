/* procfs and sysfs roots, directory listing, and bounded reads. All reads of
 * a process's files go through here, so that "gone", "denied" and "not a
 * regular file" mean the same thing in every command. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "procfs.h"
#include "util.h"

/* Whether the directory at fd holds a proc tree: /proc/stat or uptime, or
 * a process. An empty directory is what a failed bind mount of the host's
 * /proc leaves in a container: read as a calm machine, it would lie. */
static bool looks_like_proc(int fd)
{
	pid_t *pids;
	ssize_t n;

	if (faccessat(fd, "stat", F_OK, 0) == 0 || faccessat(fd, "uptime", F_OK, 0) == 0)
		return true;
	n = procfs_list_pids(fd, ".", &pids);
	if (n < 0)
		return false;
	free(pids);
	return n > 0;
}

/* The page size of the machine whose tree is read: this one's, or what a
 * capture's MANIFEST says of the machine it saved (a capture from a 64 KiB
 * page arm64 box read on x86, say). */
static long tree_page;

long procfs_page_size(void)
{
	if (!tree_page)
		tree_page = sysconf(_SC_PAGESIZE);
	return tree_page;
}

static void saved_page_size(const char *proc)
{
	static const char key[] = "\npage size: ";	/* never the first line */
	char *path = procfs_beside(proc, "MANIFEST"), *buf = NULL;
	const char *q;
	bool trunc;
	uint64_t v;

	if (procfs_read_alloc(AT_FDCWD, path, 1 << 20, &buf, &trunc) > 0 &&
	    (q = strstr(buf, key))) {
		q += sizeof(key) - 1;
		/* A power of two from 4 KiB to 1 MiB, or nothing. */
		if (parse_u64(&q, &v) == 0 && (*q == '\n' || !*q) && v >= 4096 &&
		    v <= (1 << 20) && !(v & (v - 1)))
			tree_page = (long)v;
	}
	free(buf);
	free(path);
}

bool procfs_kernel_at_least(const struct procfs *pf, unsigned maj, unsigned min)
{
	char buf[64];
	unsigned have_maj, have_min;

	if (!pf->alternate ||
	    procfs_read(pf->procfd, "sys/kernel/osrelease", buf, sizeof(buf), 0, NULL) < 0 ||
	    sscanf(buf, "%u.%u", &have_maj, &have_min) != 2)
		return kernel_at_least(maj, min);
	return have_maj > maj || (have_maj == maj && have_min >= min);
}

char *procfs_beside(const char *proc, const char *name)
{
	size_t n = strlen(proc), len = strlen(name);
	char *s;

	while (n > 1 && proc[n - 1] == '/')
		n--;
	while (n > 0 && proc[n - 1] != '/')
		n--;
	s = xmalloc(n + len + 1);
	memcpy(s, proc, n);
	memcpy(s + n, name, len + 1);
	return s;
}

int procfs_init(struct procfs *pf, const char *proc, const char *sys)
{
	struct statfs sfs;

	if (!proc)
		proc = getenv("PROCDX_PROC");
	if (!proc || !*proc)
		proc = "/proc";
	if (!sys)
		sys = getenv("PROCDX_SYS");
	if (sys && !*sys)
		sys = NULL;
	pf->proc = xstrdup(proc);
	pf->sys = xstrdup(sys ? sys : "/sys");
	pf->sys_given = sys != NULL;
	pf->procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pf->procfd < 0)
		return -errno;
	/* Live means: a procfs, and the one of our own PID namespace (its
	 * "self" names us). A host's /proc seen from a container is a procfs
	 * whose PIDs are not ours: acting on them would hit the wrong process. */
	pf->alternate = pf->saved = true;
	if (fstatfs(pf->procfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC) {
		pf->saved = false;
		char self[32], want[32];
		ssize_t n = readlinkat(pf->procfd, "self", self, sizeof(self) - 1);

		snprintf(want, sizeof(want), "%d", (int)getpid());
		if (n > 0) {
			self[n] = '\0';
			pf->alternate = strcmp(self, want) != 0;
		}
	}
	if (pf->alternate && !looks_like_proc(pf->procfd)) {
		close(pf->procfd);
		pf->procfd = -1;
		return -ENODATA;
	}
	/* A saved tree read with the live /sys would mix this machine's
	 * cgroups and disks into a post-mortem of another moment. */
	if (pf->saved && !sys) {
		free(pf->sys);
		pf->sys = procfs_beside(proc, "sys");
	}
	if (pf->saved)
		saved_page_size(proc);
	return 0;
}

void procfs_close(struct procfs *pf)
{
	if (pf->procfd >= 0)
		close(pf->procfd);
	pf->procfd = -1;
	free(pf->proc);
	free(pf->sys);
	pf->proc = pf->sys = NULL;
}

int procfs_errno(int e)
{
	switch (e) {
	case ESRCH:
	case ENOENT:
		return -ENOENT;
	case EPERM:
	case EACCES:
		return -EACCES;
	case ELOOP:
		return -EINVAL;
	default:
		return -e;
	}
}

static int open_regular(int dirfd, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return procfs_errno(errno);
	/* procfs files are all regular; a saved tree may hold anything. The
	 * fstat costs one syscall, so it is spent only where it can matter. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int open_file(int dirfd, const char *name, bool live)
{
	int fd;

	if (!live)
		return open_regular(dirfd, name);
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	return fd < 0 ? procfs_errno(errno) : fd;
}

static ssize_t read_fd(int fd, char *buf, size_t size, unsigned flags, bool *truncated)
{
	size_t len = 0;

	if (truncated)
		*truncated = false;
	if (size == 0)
		return -EINVAL;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return procfs_errno(errno);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if ((flags & PFR_ONESHOT) && len < size - 1)
			break;
	}
	buf[len] = '\0';
	if (len == size - 1 && truncated) {
		char c;

		*truncated = read(fd, &c, 1) > 0;
	}
	return (ssize_t)len;
}

static ssize_t read_at(int dirfd, const char *name, char *buf, size_t size, unsigned flags,
		       bool *truncated, bool live)
{
	int fd = open_file(dirfd, name, live);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read_fd(fd, buf, size, flags, truncated);
	close(fd);
	return n;
}

ssize_t procfs_read(int dirfd, const char *name, char *buf, size_t size, unsigned flags,
		    bool *truncated)
{
	return read_at(dirfd, name, buf, size, flags, truncated, false);
}

static ssize_t read_alloc_at(int dirfd, const char *name, size_t cap, char **out,
			     bool *truncated, bool live)
{
	int fd = open_file(dirfd, name, live);
	struct sbuf b = { 0 };
	char chunk[4096];

	*out = NULL;
	if (truncated)
		*truncated = false;
	if (fd < 0)
		return fd;
	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (b.len >= cap) {
			if (truncated)
				*truncated = read(fd, chunk, 1) > 0;
			break;
		}
		if (cap - b.len < want)
			want = cap - b.len;
		n = read(fd, chunk, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = procfs_errno(errno);
			close(fd);
			sbuf_free(&b);
			return n;
		}
		if (n == 0)
			break;
		sbuf_addn(&b, chunk, (size_t)n);
	}
	close(fd);
	if (!b.s)
		sbuf_addn(&b, "", 0);
	*out = b.s;
	return (ssize_t)b.len;
}

ssize_t procfs_read_alloc(int dirfd, const char *name, size_t cap, char **out, bool *truncated)
{
	return read_alloc_at(dirfd, name, cap, out, truncated, false);
}

/* A canonical positive decimal that fits pid_t: "0", "007" and "4294967296"
 * are not PIDs. */
static pid_t name_to_pid(const char *s)
{
	uint64_t v = 0;

	if (*s < '1' || *s > '9')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > 0x7fffffff)
			return 0;
	}
	return (pid_t)v;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

struct linux_dirent64 {
	ino64_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

ssize_t procfs_list_pids(int dirfd, const char *sub, pid_t **pids)
{
	/* getdents64 straight into a large buffer: readdir's 32 KiB default
	 * and its per-entry calls cost more than the scan they feed. */
	char buf[32768] __attribute__((aligned(8)));
	size_t n = 0, cap = 0;
	pid_t *v = NULL;
	bool sorted = true;
	int fd;

	*pids = NULL;
	fd = openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return procfs_errno(errno);
	for (;;) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf));

		if (got < 0) {
			int e = errno;

			close(fd);
			free(v);
			return procfs_errno(e);
		}
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			pid_t pid;

			off += d->d_reclen;
			if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
				continue;
			pid = name_to_pid(d->d_name);
			if (!pid)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 512;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			if (n && v[n - 1] > pid)
				sorted = false;
			v[n++] = pid;
		}
	}
	close(fd);
	if (!sorted)
		qsort(v, n, sizeof(*v), cmp_pid);
	*pids = v;
	return (ssize_t)n;
}

int pidh_open(struct pidh *h, const struct procfs *pf, pid_t pid, bool need_dir)
{
	size_t n;

	h->pf = pf;
	h->pid = pid;
	h->base = pf->procfd;
	h->dirfd = -1;
	h->held = -1;
	n = fmt_i64(h->prefix, pid);
	h->prefix[n] = '/';
	h->prefix[n + 1] = '\0';
	if (need_dir) {
		int r = pidh_dirfd(h);

		if (r < 0)
			return r;
	}
	return 0;
}

int pidh_open_self(struct pidh *h, const struct procfs *pf)
{
	int r = pidh_open(h, pf, pf->alternate ? 0 : getpid(), false);

	strcpy(h->prefix, "self/");
	return r;
}

int pidh_open_task(struct pidh *task, struct pidh *h, pid_t tid)
{
	int dfd = pidh_dirfd(h);

	if (dfd < 0)
		return dfd;
	task->pf = h->pf;
	task->pid = tid;
	task->base = dfd;
	task->dirfd = -1;
	task->held = -1;
	snprintf(task->prefix, sizeof(task->prefix), "task/%d/", (int)tid);
	return 0;
}

int pidh_dirfd(struct pidh *h)
{
	if (h->dirfd < 0) {
		char path[sizeof(h->prefix)];
		size_t n = strlen(h->prefix);

		memcpy(path, h->prefix, n - 1);
		path[n - 1] = '\0';
		h->dirfd = openat(h->base, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (h->dirfd < 0)
			return procfs_errno(errno);
	}
	return h->dirfd;
}

/* The path of name for h relative to what *dirfd is set to. */
static const char *pidh_path(const struct pidh *h, const char *name, char *path, size_t size,
			     int *dirfd)
{
	size_t plen = strlen(h->prefix), nlen = strlen(name);

	if (h->dirfd >= 0) {
		*dirfd = h->dirfd;
		return name;
	}
	*dirfd = h->base;
	if (plen + nlen >= size)
		return NULL;
	memcpy(path, h->prefix, plen);
	memcpy(path + plen, name, nlen + 1);
	return path;
}

int pidh_hold(struct pidh *h, const char *name)
{
	char path[96];
	int dfd, fd;
	const char *p = pidh_path(h, name, path, sizeof(path), &dfd);

	if (!p || strlen(name) >= sizeof(h->held_name))
		return -ENAMETOOLONG;
	fd = open_file(dfd, p, !h->pf->alternate);
	if (fd < 0)
		return fd;
	if (h->held >= 0)
		close(h->held);
	h->held = fd;
	h->held_read = false;
	strcpy(h->held_name, name);
	return 0;
}

ssize_t pidh_read(struct pidh *h, const char *name, char *buf, size_t size, unsigned flags,
		  bool *truncated)
{
	char path[96];
	int dfd;
	const char *p;

	if (h->held >= 0 && !h->held_read && !strcmp(name, h->held_name)) {
		h->held_read = true;
		return read_fd(h->held, buf, size, flags, truncated);
	}
	p = pidh_path(h, name, path, sizeof(path), &dfd);
	if (!p)
		return -ENAMETOOLONG;
	return read_at(dfd, p, buf, size, flags, truncated, !h->pf->alternate);
}

ssize_t pidh_read_alloc(struct pidh *h, const char *name, size_t cap, char **out,
			bool *truncated)
{
	int dfd = pidh_dirfd(h);

	if (dfd < 0) {
		*out = NULL;
		return dfd;
	}
	return read_alloc_at(dfd, name, cap, out, truncated, !h->pf->alternate);
}

/* Write all of buf to fd: the child's only output. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

ssize_t pidh_read_deadline(struct pidh *h, const char *name, size_t cap, double timeout,
			   char **out, bool *truncated)
{
	struct sbuf b = { 0 };
	char chunk[65536];
	double deadline;
	int p[2], status, r;
	pid_t child;

	*out = NULL;
	if (truncated)
		*truncated = false;
	r = pidh_dirfd(h);
	if (r < 0)
		return r;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (child == 0) {
		/* This read may block on the target's mm lock for as long as
		 * the target is stuck: that is why it happens here. The child
		 * reports "E<errno>", or "O" (whole) / "T" (cut) and the text. */
		char *text = NULL, e[16];
		bool trunc = false;
		ssize_t n;

		close(p[0]);
		n = pidh_read_alloc(h, name, cap, &text, &trunc);
		if (n < 0) {
			snprintf(e, sizeof(e), "E%d", (int)-n);
			write_all(p[1], e, strlen(e));
		} else {
			write_all(p[1], trunc ? "T" : "O", 1);
			write_all(p[1], text, (size_t)n);
		}
		_exit(0);
	}
	close(p[1]);
	deadline = now_mono() + timeout;
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		double left = deadline - now_mono();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) == 0) {
			kill(child, SIGKILL);
			close(p[0]);
			sbuf_free(&b);
			/* Reaped now if it died at once; otherwise by init after
			 * we exit. Never waited for here. */
			waitpid(child, &status, WNOHANG);
			return -ETIMEDOUT;
		}
		n = read(p[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sbuf_addn(&b, chunk, (size_t)n);
	}
	close(p[0]);
	waitpid(child, &status, 0);
	if (b.len == 0 || !strchr("EOT", b.s[0])) {
		sbuf_free(&b);
		return -EIO;
	}
	if (b.s[0] == 'E') {
		r = atoi(b.s + 1);
		sbuf_free(&b);
		return r > 0 ? -r : -EIO;
	}
	if (truncated)
		*truncated = b.s[0] == 'T';
	memmove(b.s, b.s + 1, b.len);
	b.len--;
	*out = b.s;
	return (ssize_t)b.len;
}

void pidh_close(struct pidh *h)
{
	if (h->dirfd >= 0)
		close(h->dirfd);
	if (h->held >= 0)
		close(h->held);
	h->dirfd = h->held = -1;
}

int procfs_read_u64(const struct procfs *pf, const char *path, unsigned long long *out)
{
	char buf[64];
	ssize_t n = read_at(pf->procfd, path, buf, sizeof(buf), 0, NULL, !pf->alternate);
	uint64_t v;

	if (n < 0)
		return (int)n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (parse_u64_str(buf, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int sysfs_read_str(const struct procfs *pf, const char *path, char *buf, size_t size)
{
	char full[4096];
	ssize_t n;

	if ((size_t)snprintf(full, sizeof(full), "%s/%s", pf->sys, path) >= sizeof(full))
		return -ENAMETOOLONG;
	n = read_at(AT_FDCWD, full, buf, size, 0, NULL, false);
	if (n < 0)
		return (int)n;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int procfs_hidepid(const struct procfs *pf)
{
	struct mounts ms;
	struct stat st;
	int level = 0;

	if (geteuid() == 0 || fstat(pf->procfd, &st) < 0 || mounts_read(pf, &ms) < 0)
		return 0;
	for (size_t i = 0; i < ms.n; i++) {
		const char *opt;

		/* Only the proc mount we read counts: another one elsewhere
		 * may have other options. */
		if (strcmp(ms.m[i].fstype, "proc") || ms.m[i].major != major(st.st_dev) ||
		    ms.m[i].minor != minor(st.st_dev) ||
		    !(opt = strstr(ms.m[i].opts, "hidepid=")))
			continue;
		opt += 8;
		/* ptraceable (Linux 5.8): only the processes we may ptrace
		 * are there at all, the others as hidden as with invisible. */
		if (!strncmp(opt, "4", 1) || !strncmp(opt, "ptraceable", 10))
			level = 4;
		else if ((!strncmp(opt, "2", 1) || !strncmp(opt, "invisible", 9)) && level < 2)
			level = 2;
		else if ((!strncmp(opt, "1", 1) || !strncmp(opt, "noaccess", 8)) && level < 1)
			level = 1;
	}
	mounts_free(&ms);
	return level;
}

long procfs_hz(void)
{
	static long hz;

	if (!hz) {
		hz = sysconf(_SC_CLK_TCK);
		if (hz <= 0)
			hz = 100;
	}
	return hz;
}
