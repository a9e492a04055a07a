/* Unit tests of lib/procfs.c on a directory tree made in a temporary
 * directory: procfs_read and procfs_read_alloc (truncation, and refusing a
 * FIFO, a symlink and a directory without blocking), procfs_list_pids
 * (which names are PIDs, the order), and the per-process handle over a
 * saved tree. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "pidstat.h"
#include "procfs.h"
#include "tap.h"
#include "util.h"

static char root[] = "/tmp/procdx-unit-procfs.XXXXXX";
static int rootfd = -1;

static void die(const char *what)
{
	perror(what);
	exit(99);
}

static void put(const char *name, const char *data, size_t n)
{
	int fd = openat(rootfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, n) != (ssize_t)n || close(fd) < 0)
		die(name);
}

static void puts_file(const char *name, const char *s)
{
	put(name, s, strlen(s));
}

static void mkdir_at(const char *name)
{
	if (mkdirat(rootfd, name, 0755) < 0)
		die(name);
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void cleanup(void)
{
	if (rootfd >= 0)
		close(rootfd);
	rootfd = -1;
	/* Depth first, never following a symlink out of the tree. */
	if (nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		diag("could not remove %s", root);
}

/* A stuck read (a FIFO opened without O_NONBLOCK) must fail the test, not
 * hang the suite. */
static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! a read blocked (FIFO?)\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

static void setup(void)
{
	char big[100000];

	if (!mkdtemp(root))
		die("mkdtemp");
	atexit(cleanup);
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		die(root);
	puts_file("small", "hello\n");
	puts_file("nine", "123456789");
	puts_file("ten", "1234567890");
	put("empty", "", 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	put("big", big, sizeof(big));
	if (mkfifoat(rootfd, "fifo", 0644) < 0)
		die("mkfifo");
	if (symlinkat("small", rootfd, "link") < 0 || symlinkat("fifo", rootfd, "fifolink") < 0 ||
	    symlinkat("nowhere", rootfd, "dangling") < 0)
		die("symlink");
	mkdir_at("dir");
	puts_file("secret", "no\n");
	if (fchmodat(rootfd, "secret", 0, 0) < 0)
		die("chmod");
}

static void test_read(void)
{
	char buf[64];
	bool trunc = true;
	ssize_t n;

	n = procfs_read(rootfd, "small", buf, sizeof(buf), 0, &trunc);
	is_int(n, 6, "procfs_read: whole small file");
	is_str(buf, "hello\n", "procfs_read: content NUL-terminated");
	ok(!trunc, "procfs_read: small file not truncated");
	n = procfs_read(rootfd, "small", buf, sizeof(buf), PFR_ONESHOT, NULL);
	is_int(n, 6, "procfs_read: PFR_ONESHOT and a NULL truncated flag");

	n = procfs_read(rootfd, "nine", buf, 10, 0, &trunc);
	is_int(n, 9, "procfs_read: 9 bytes in a 10-byte buffer");
	ok(!trunc, "procfs_read: exactly size - 1 bytes is not truncated");
	n = procfs_read(rootfd, "ten", buf, 10, 0, &trunc);
	is_int(n, 9, "procfs_read: 10-byte file in a 10-byte buffer gives 9");
	is_str(buf, "123456789", "procfs_read: cut content NUL-terminated");
	ok(trunc, "procfs_read: one byte more than fits sets truncated");
	n = procfs_read(rootfd, "ten", buf, 10, PFR_ONESHOT, &trunc);
	ok(n == 9 && trunc, "procfs_read: truncation seen with PFR_ONESHOT too");
	n = procfs_read(rootfd, "small", buf, 1, 0, &trunc);
	ok(n == 0 && buf[0] == '\0' && trunc, "procfs_read: size 1 reads nothing, truncated");
	is_int(procfs_read(rootfd, "small", buf, 0, 0, &trunc), -EINVAL,
	       "procfs_read: size 0 is -EINVAL");
	n = procfs_read(rootfd, "empty", buf, sizeof(buf), 0, &trunc);
	ok(n == 0 && buf[0] == '\0' && !trunc, "procfs_read: empty file is 0 bytes");
	{
		char large[200000];

		n = procfs_read(rootfd, "big", large, sizeof(large), 0, &trunc);
		ok(n == 100000 && !trunc && large[99999] == (char)('a' + 99999 % 26) &&
		   large[100000] == '\0', "procfs_read: 100000-byte file in a larger buffer");
		n = procfs_read(rootfd, "big", large, 5000, 0, &trunc);
		ok(n == 4999 && trunc, "procfs_read: 100000-byte file cut at 4999");
	}

	is_int(procfs_read(rootfd, "missing", buf, sizeof(buf), 0, &trunc), -ENOENT,
	       "procfs_read: missing file is -ENOENT");
	is_int(procfs_read(rootfd, "small/x", buf, sizeof(buf), 0, &trunc), -ENOTDIR,
	       "procfs_read: a path through a file is -ENOTDIR");

	alarm(10);
	n = procfs_read(rootfd, "fifo", buf, sizeof(buf), 0, &trunc);
	ok(n == -EINVAL || n == -EISDIR, "procfs_read: a FIFO is refused without blocking (%zd)",
	   n);
	n = procfs_read(rootfd, "fifolink", buf, sizeof(buf), 0, &trunc);
	ok(n < 0, "procfs_read: a symlink to a FIFO is refused (%zd)", n);
	alarm(0);
	n = procfs_read(rootfd, "link", buf, sizeof(buf), 0, &trunc);
	is_int(n, -EINVAL, "procfs_read: a symlink to a regular file is refused (O_NOFOLLOW)");
	n = procfs_read(rootfd, "dangling", buf, sizeof(buf), 0, &trunc);
	ok(n == -EINVAL || n == -ENOENT, "procfs_read: a dangling symlink is refused (%zd)", n);
	n = procfs_read(rootfd, "dir", buf, sizeof(buf), 0, &trunc);
	ok(n == -EINVAL || n == -EISDIR, "procfs_read: a directory is refused (%zd)", n);
	n = procfs_read(rootfd, "/dev/null", buf, sizeof(buf), 0, &trunc);
	ok(n == -EINVAL || n == -EISDIR, "procfs_read: a character device is refused (%zd)", n);
	if (geteuid() == 0) {
		skip(1, "root reads a mode 000 file");
	} else {
		n = procfs_read(rootfd, "secret", buf, sizeof(buf), 0, &trunc);
		is_int(n, -EACCES, "procfs_read: unreadable file is -EACCES");
	}
}

static void test_read_alloc(void)
{
	char *out = (char *)1;
	bool trunc = true;
	ssize_t n;

	n = procfs_read_alloc(rootfd, "small", 1000, &out, &trunc);
	ok(n == 6 && out && !strcmp(out, "hello\n") && !trunc,
	   "procfs_read_alloc: small file whole");
	free(out);
	n = procfs_read_alloc(rootfd, "small", 3, &out, &trunc);
	ok(n == 3 && out && !strcmp(out, "hel") && trunc,
	   "procfs_read_alloc: cap 3 cuts and sets truncated");
	free(out);
	n = procfs_read_alloc(rootfd, "small", 6, &out, &trunc);
	ok(n == 6 && !trunc, "procfs_read_alloc: cap equal to the size is not truncated");
	free(out);
	n = procfs_read_alloc(rootfd, "small", 0, &out, &trunc);
	ok(n == 0 && out && out[0] == '\0' && trunc, "procfs_read_alloc: cap 0 reads nothing");
	free(out);
	n = procfs_read_alloc(rootfd, "empty", 1000, &out, &trunc);
	ok(n == 0 && out && out[0] == '\0' && !trunc,
	   "procfs_read_alloc: empty file gives an empty string, not NULL");
	free(out);
	n = procfs_read_alloc(rootfd, "big", 1 << 20, &out, &trunc);
	ok(n == 100000 && out && out[99999] == (char)('a' + 99999 % 26) && out[100000] == '\0' &&
	   !trunc, "procfs_read_alloc: 100000 bytes over several reads");
	free(out);
	n = procfs_read_alloc(rootfd, "big", 5000, &out, &trunc);
	ok(n == 5000 && trunc && out[5000] == '\0', "procfs_read_alloc: cap 5000 of 100000");
	free(out);
	n = procfs_read_alloc(rootfd, "big", 100000, &out, &trunc);
	ok(n == 100000 && !trunc, "procfs_read_alloc: cap exactly the size");
	free(out);

	out = (char *)1;
	n = procfs_read_alloc(rootfd, "missing", 1000, &out, &trunc);
	ok(n == -ENOENT && out == NULL, "procfs_read_alloc: missing file is -ENOENT, *out NULL");
	alarm(10);
	out = (char *)1;
	n = procfs_read_alloc(rootfd, "fifo", 1000, &out, &trunc);
	ok((n == -EINVAL || n == -EISDIR) && out == NULL,
	   "procfs_read_alloc: a FIFO is refused without blocking (%zd)", n);
	alarm(0);
	out = (char *)1;
	n = procfs_read_alloc(rootfd, "link", 1000, &out, &trunc);
	ok(n == -EINVAL && out == NULL, "procfs_read_alloc: a symlink is refused");
	n = procfs_read_alloc(rootfd, "dir", 1000, &out, &trunc);
	ok((n == -EINVAL || n == -EISDIR) && out == NULL,
	   "procfs_read_alloc: a directory is refused");
}

static void test_errno(void)
{
	is_int(procfs_errno(ESRCH), -ENOENT, "procfs_errno: ESRCH means gone");
	is_int(procfs_errno(ENOENT), -ENOENT, "procfs_errno: ENOENT means gone");
	is_int(procfs_errno(EPERM), -EACCES, "procfs_errno: EPERM means not allowed");
	is_int(procfs_errno(EACCES), -EACCES, "procfs_errno: EACCES means not allowed");
	is_int(procfs_errno(ELOOP), -EINVAL, "procfs_errno: ELOOP (a symlink) is not a file");
	is_int(procfs_errno(EIO), -EIO, "procfs_errno: other errors pass through negated");
}

static bool has_pid(const pid_t *v, ssize_t n, pid_t p)
{
	for (ssize_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

static void test_list_pids(void)
{
	static const char *const good[] = { "2147483647", "300", "42", "7", "1" };
	static const char *const bad[] = {
		"0", "007", "01", "12a", "99999999999", "2147483648", "4294967296", "-5", "+5",
		" 5", "5 ", "self", "thread-self", "1e3", "\xd9\xa3",
	};
	pid_t *pids = NULL;
	ssize_t n;
	char name[32];
	bool sorted;

	mkdir_at("list");
	/* Made in descending order so that the listing has to be sorted. */
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(name, sizeof(name), "list/%s", good[i]);
		mkdir_at(name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(name, sizeof(name), "list/%s", bad[i]);
		mkdir_at(name);
	}
	puts_file("list/555", "a regular file is not a process\n");
	if (symlinkat("42", rootfd, "list/666") < 0)
		die("symlink");

	n = procfs_list_pids(rootfd, "list", &pids);
	is_int(n, 5, "procfs_list_pids: five canonical PIDs");
	if (n == 5) {
		ok(pids[0] == 1 && pids[1] == 7 && pids[2] == 42 && pids[3] == 300 &&
		   pids[4] == 2147483647, "procfs_list_pids: sorted ascending, INT_MAX kept");
	} else {
		for (ssize_t i = 0; i < n; i++)
			diag("pid %d", (int)pids[i]);
		ok(0, "procfs_list_pids: sorted ascending, INT_MAX kept");
	}
	ok(!has_pid(pids, n, 0) && !has_pid(pids, n, 5) && !has_pid(pids, n, 12) &&
	   !has_pid(pids, n, 1000), "procfs_list_pids: 0, 007, 12a, 5 and 1e3 skipped");
	ok(!has_pid(pids, n, 555), "procfs_list_pids: a regular file named 555 skipped");
	ok(!has_pid(pids, n, 666), "procfs_list_pids: a symlink named 666 skipped");
	free(pids);

	/* More entries than one getdents buffer and the first allocation. */
	mkdir_at("many");
	for (int i = 3000; i >= 1; i--) {
		snprintf(name, sizeof(name), "many/%d", i * 7);
		mkdir_at(name);
	}
	n = procfs_list_pids(rootfd, "many", &pids);
	is_int(n, 3000, "procfs_list_pids: 3000 entries over several getdents calls");
	sorted = n == 3000;
	for (ssize_t i = 0; sorted && i < n; i++)
		if (pids[i] != (pid_t)((i + 1) * 7))
			sorted = false;
	ok(sorted, "procfs_list_pids: 3000 entries all there, sorted");
	free(pids);

	mkdir_at("none");
	pids = (pid_t *)1;
	n = procfs_list_pids(rootfd, "none", &pids);
	is_int(n, 0, "procfs_list_pids: empty directory gives 0");
	free(pids);
	pids = (pid_t *)1;
	is_int(procfs_list_pids(rootfd, "missing", &pids), -ENOENT,
	       "procfs_list_pids: missing directory is -ENOENT");
	ok(pids == NULL, "procfs_list_pids: *pids NULL on error");
	is_int(procfs_list_pids(rootfd, "small", &pids), -ENOTDIR,
	       "procfs_list_pids: a file is -ENOTDIR");
	alarm(10);
	ok(procfs_list_pids(rootfd, "fifo", &pids) < 0,
	   "procfs_list_pids: a FIFO is refused without blocking");
	alarm(0);
}

/* A saved tree used as an alternate proc root: the handle's reads. */
static void test_pidh(void)
{
	static const char stat[] = "123 (saved) S 1 123 123 0 -1 4194304 1 0 0 0 7 3 0 0 20 0 1 0 "
				   "500 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 "
				   "0 0 0 0 0 0\n";
	struct procfs pf;
	struct pidh h;
	struct proc_stat st;
	struct proc_status sst;
	char buf[64], *cmd = NULL;
	bool trunc = false;
	ssize_t n;
	unsigned long long v = 0;

	mkdir_at("proc");
	mkdir_at("proc/123");
	mkdir_at("proc/124");
	mkdir_at("proc/125");
	mkdir_at("proc/sys");
	mkdir_at("proc/sys/kernel");
	puts_file("proc/123/stat", stat);
	puts_file("proc/123/status", "Name:\tsaved\nPid:\t123\nVmRSS:\t 40 kB\n");
	put("proc/123/cmdline", "sleep\0" "100\0", 10);
	puts_file("proc/123/wchan", "do_nanosleep");
	puts_file("proc/123/cgroup", "0::/user.slice/a.scope\n");
	put("proc/124/stat", "", 0);
	put("proc/124/cmdline", "", 0);
	puts_file("proc/124/wchan", "0");
	if (mkfifoat(rootfd, "proc/125/stat", 0644) < 0 ||
	    symlinkat("../123/status", rootfd, "proc/125/status") < 0)
		die("proc/125");
	puts_file("proc/sys/kernel/pid_max", "4194304\n");
	puts_file("proc/sys/kernel/bad", "12 apples\n");

	snprintf(buf, sizeof(buf), "%s/proc", root);
	is_int(procfs_init(&pf, buf, root), 0, "procfs_init: a saved tree opens");
	ok(pf.alternate, "procfs_init: a plain directory is an alternate root");

	is_int(pidh_open(&h, &pf, 123, false), 0, "pidh_open: without the directory");
	is_int(stat_read(&h, &st), 0, "stat_read: from the saved tree");
	ok(st.pid == 123 && !strcmp(st.comm, "saved") && st.utime == 7 && st.starttime == 500,
	   "stat_read: fields of the saved stat");
	is_int(status_read(&h, &sst), 0, "status_read: from the saved tree");
	ok((sst.has & STF_VMRSS) && sst.vmrss == 40 * 1024, "status_read: VmRSS of the saved tree");
	n = cmdline_read(&h, 0, &cmd, &trunc);
	ok(n == 9 && cmd && !strcmp(cmd, "sleep 100") && !trunc, "cmdline_read: joined");
	free(cmd);
	n = cmdline_read(&h, 4, &cmd, &trunc);
	ok(n == 4 && cmd && !strcmp(cmd, "slee") && trunc, "cmdline_read: cap 4 is truncated");
	free(cmd);
	is_int(wchan_read(&h, buf, sizeof(buf)), 0, "wchan_read: a symbol");
	is_str(buf, "do_nanosleep", "wchan_read: symbol text");
	is_int(cgroup_path_of(&h, "", buf, sizeof(buf)), 0, "cgroup_path_of: v2 path");
	is_str(buf, "/user.slice/a.scope", "cgroup_path_of: v2 path text");
	pidh_close(&h);

	is_int(pidh_open(&h, &pf, 124, true), 0, "pidh_open: with the directory");
	is_int(stat_read(&h, &st), -ENOENT, "stat_read: an empty stat means gone");
	n = cmdline_read(&h, 0, &cmd, &trunc);
	ok(n == 0 && cmd && cmd[0] == '\0', "cmdline_read: empty command line is 0");
	free(cmd);
	is_int(wchan_read(&h, buf, sizeof(buf)), -ENODATA, "wchan_read: \"0\" is -ENODATA");
	pidh_close(&h);

	alarm(10);
	is_int(pidh_open(&h, &pf, 125, false), 0, "pidh_open: hostile directory");
	n = stat_read(&h, &st);
	ok(n == -EINVAL || n == -EISDIR, "stat_read: a FIFO stat is refused without blocking");
	is_int(status_read(&h, &sst), -EINVAL, "status_read: a symlinked status is refused");
	alarm(0);
	pidh_close(&h);

	is_int(pidh_open(&h, &pf, 126, true), -ENOENT, "pidh_open: a missing PID is -ENOENT");

	is_int(procfs_read_u64(&pf, "sys/kernel/pid_max", &v), 0, "procfs_read_u64: pid_max");
	is_u64(v, 4194304, "procfs_read_u64: value, newline dropped");
	is_int(procfs_read_u64(&pf, "sys/kernel/bad", &v), -EINVAL,
	       "procfs_read_u64: text after the number is -EINVAL");
	is_int(procfs_read_u64(&pf, "sys/kernel/none", &v), -ENOENT,
	       "procfs_read_u64: missing file is -ENOENT");
	{
		pid_t *pids;

		n = procfs_list_pids(pf.procfd, ".", &pids);
		ok(n == 3 && pids[0] == 123 && pids[2] == 125, "procfs_list_pids: the root \".\"");
		free(pids);
	}
	procfs_close(&pf);
	ok(pf.procfd == -1 && pf.proc == NULL, "procfs_close: clears the struct");
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	setup();
	test_read();
	test_read_alloc();
	test_errno();
	test_list_pids();
	test_pidh();
	return done_testing();
}
