/* Unit tests of lib/lifecycle.c: event names, wait statuses in words, and
 * the polling tracker on a /proc tree made in a temporary directory: what
 * one pass reports after processes appear, exec, rename, turn zombie, are
 * reaped, vanish, or have their PID reused; -p following descendants (and
 * not a stranger that took a root's PID); and thousands of processes coming
 * and going through the PID table. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifecycle.h"
#include "opts.h"
#include "procfs.h"
#include "tap.h"
#include "util.h"

static char root[] = "/tmp/procdx-unit-life.XXXXXX";
static int rootfd = -1;

static void die(const char *what)
{
	perror(what);
	exit(99);
}

struct proc {
	int pid, ppid, threads, status;
	char state;
	const char *comm;
	unsigned long start, layout;
	bool forked;		/* no exec since its fork: PF_FORKNOEXEC */
};

/* Write PID/stat with every field up to 52, the ones the tracker reads
 * set: ppid (4), flags (9), num_threads (20), starttime (22), startcode
 * (26), startstack (28), exit_code (52). */
static void put_proc(const struct proc *p)
{
	char dir[32], path[48], buf[1024];
	int fd, n;

	snprintf(dir, sizeof(dir), "%d", p->pid);
	if (mkdirat(rootfd, dir, 0755) < 0 && errno != EEXIST)
		die(dir);
	n = snprintf(buf, sizeof(buf),
		     "%d (%s) %c %d %d %d 0 -1 %u 0 0 0 0 0 0 0 0 20 0 %d 0 %lu 1000 10 "
		     "18446744073709551615 %lu 2 %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 "
		     "%d\n", p->pid, p->comm, p->state, p->ppid, p->pid, p->pid,
		     4194304u | (p->forked ? 0x40u : 0), p->threads,
		     p->start, p->layout, p->layout << 4, p->status);
	snprintf(path, sizeof(path), "%s/stat", dir);
	fd = openat(rootfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || close(fd) < 0)
		die(path);
}

static void rm_proc(int pid)
{
	char path[48];

	snprintf(path, sizeof(path), "%d/stat", pid);
	if (unlinkat(rootfd, path, 0) < 0)
		die(path);
	snprintf(path, sizeof(path), "%d", pid);
	if (unlinkat(rootfd, path, AT_REMOVEDIR) < 0)
		die(path);
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* What the tracker reported, as "kind pid ppid comm [was old] [status]". */
static char got[65536];
static size_t ngot;
static unsigned long nev[LIFE_NKINDS];

static void record(const struct life_event *ev, void *ctx)
{
	char line[256];
	int n;

	(void)ctx;
	nev[ev->kind]++;
	if (ev->comm && !strcmp(ev->comm, "crowd") && ev->pid != 2000)
		return;		/* the crowd: counted only */
	n = snprintf(line, sizeof(line), "%s %d %d %.*s%s%.*s %d%s\n", life_kind_name(ev->kind),
		     (int)ev->pid, (int)ev->ppid, ev->comm ? (int)ev->comm_len : 1,
		     ev->comm ? ev->comm : "-", ev->old_comm ? " was " : "",
		     ev->old_comm ? (int)ev->old_comm_len : 0, ev->old_comm ? ev->old_comm : "",
		     ev->status, ev->polled ? "" : " (not polled)");
	if (n > 0 && ngot + (size_t)n < sizeof(got)) {
		memcpy(got + ngot, line, (size_t)n);
		ngot += (size_t)n;
		got[ngot] = '\0';
	}
}

static void reset(void)
{
	ngot = 0;
	got[0] = '\0';
	memset(nev, 0, sizeof(nev));
}

static void test_names(void)
{
	char buf[64];

	for (int k = 0; k < LIFE_NKINDS; k++) {
		const char *n = life_kind_name(k);

		is_int(life_kind_parse(n, strlen(n)), k, "kind %s parses back", n);
	}
	is_int(life_kind_parse("exi", 3), -1, "a prefix is not a kind");
	is_int(life_kind_parse("thread-exits", 12), -1, "nor a longer name");
	life_status_text(0, buf, sizeof(buf));
	is_str(buf, "code 0", "status 0");
	life_status_text(3 << 8, buf, sizeof(buf));
	is_str(buf, "code 3", "status code 3");
	life_status_text(9, buf, sizeof(buf));
	is_str(buf, "signal 9 (SIGKILL)", "status killed");
	life_status_text(11 | 0x80, buf, sizeof(buf));
	is_str(buf, "signal 11 (SIGSEGV), core dumped", "status core dump");
	life_status_text(-1, buf, sizeof(buf));
	is_str(buf, "unknown", "status unknown");
}

#define CROWD 3000

static void test_poll(void)
{
	struct procfs pf;
	struct filter filt = { 0 };
	struct life_opts lo = { .kinds = ~0u, .filt = &filt, .zombie_after = 0.1 };
	struct proc init = { 1, 0, 1, 0, 'S', "init", 1, 0x1000, false };
	struct proc sh = { 10, 1, 1, 0, 'S', "sh", 100, 0x2000, false };
	struct proc old_zombie = { 11, 10, 1, 0, 'Z', "zz", 110, 0, false };
	struct proc leader = { 13, 10, 3, 0, 'Z', "threaded", 120, 0, false };
	struct life *l;
	ssize_t n;

	if (!mkdtemp(root))
		die("mkdtemp");
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		die(root);
	put_proc(&init);
	put_proc(&sh);
	put_proc(&old_zombie);
	put_proc(&leader);
	for (int i = 0; i < CROWD; i++) {
		struct proc p = { 1000 + i, 1, 1, 0, 'S', "crowd", 50, 0x3000, false };

		put_proc(&p);
	}
	if (procfs_init(&pf, root, root) < 0)
		die("procfs_init");
	ok(pf.alternate, "a temporary tree is an alternate root");

	l = life_new(&pf, &lo, record, NULL);
	n = life_scan(l);
	is_int(n, CROWD + 4, "scan: every process, none reported");
	is_int(ngot, 0, "scan: nothing reported");

	/* A pass with nothing changed reports nothing. */
	is_int(life_poll(l), 0, "poll: unchanged tree");
	is_str(got, "", "poll: unchanged: no events");

	/* Changes: sh renamed, a child of the same program, a child that
	 * exec'd (another memory layout), a new zombie with code 3, the old
	 * zombie reaped, a third of the crowd gone, one PID reused, a leader
	 * whose threads still run (not an exit). */
	reset();
	sh.comm = "bash";
	put_proc(&sh);
	put_proc(&(struct proc){ 20, 10, 1, 0, 'S', "bash", 200, 0x2000, true });
	put_proc(&(struct proc){ 21, 10, 1, 0, 'R', "ls", 201, 0x4000, false });
	put_proc(&(struct proc){ 12, 10, 1, 3 << 8, 'Z', "false", 202, 0, true });
	rm_proc(11);
	for (int i = 0; i < CROWD / 3; i++)
		rm_proc(1000 + i);
	put_proc(&(struct proc){ 2000, 10, 1, 0, 'S', "new", 300, 0x5000, false });
	is_int(life_poll(l), 0, "poll: changed tree");
	is_str(got,
	       "comm 10 1 bash was sh -1\n"
	       "exit 2000 1 crowd -1\n"
	       "reap 11 10 zz 0\n"
	       "fork 20 10 bash -1\n"
	       "fork 21 10 bash -1\n"
	       "exec 21 10 ls -1\n"
	       "fork 12 10 false -1\n"
	       "exit 12 10 false 768\n"
	       "zombie 12 10 false 768\n"
	       "fork 2000 10 bash -1\n"
	       "exec 2000 10 new -1\n",
	       "poll: every change, in order: changes, vanished, births by start time");
	is_int(nev[LIFE_EXIT], CROWD / 3 + 2, "poll: the vanished crowd exited (counted)");
	is_int(nev[LIFE_ZOMBIE], 1, "poll: the leader with live threads is no zombie");

	/* The zombie is reaped; the crowd goes; a PID comes back. */
	reset();
	rm_proc(12);
	for (int i = CROWD / 3; i < CROWD; i++)
		if (1000 + i != 2000)
			rm_proc(1000 + i);
	put_proc(&(struct proc){ 1000, 1, 1, 0, 'S', "again", 400, 0x6000, false });
	is_int(life_poll(l), 0, "poll: the crowd gone");
	is_int(nev[LIFE_EXIT], CROWD - CROWD / 3 - 1, "poll: one exit per vanished process");
	is_int(nev[LIFE_REAP], 1, "poll: the zombie reaped");
	is_int(nev[LIFE_FORK], 1, "poll: one new process");
	ok(strstr(got, "reap 12 10 false 768\n") != NULL, "poll: the reap keeps the exit status");
	ok(strstr(got, "fork 1000 1 init -1\nexec 1000 1 again -1\n") != NULL,
	   "poll: a PID used again is a new process");
	life_free(l);

	/* -p 10: only sh and its descendants. */
	reset();
	filt.pids = (pid_t[]){ 10 };
	filt.npids = 1;
	l = life_new(&pf, &lo, record, NULL);
	n = life_scan(l);
	is_int(n, 5, "-p 10: sh and its children 13, 20, 21, 2000");
	put_proc(&(struct proc){ 30, 2000, 1, 0, 'S', "grandchild", 500, 0x5000, true });
	put_proc(&(struct proc){ 31, 1, 1, 0, 'S', "stranger", 501, 0x5000, false });
	is_int(life_poll(l), 0, "-p 10: a pass");
	is_str(got, "fork 30 2000 grandchild -1\n", "-p 10: a grandchild is followed, a stranger not");

	/* The root is reaped and a stranger takes its PID: not the root. */
	reset();
	rm_proc(10);
	put_proc(&(struct proc){ 10, 1, 1, 0, 'S', "stranger", 600, 0x7000, false });
	put_proc(&(struct proc){ 32, 10, 1, 0, 'S', "its-child", 601, 0x7000, false });
	is_int(life_poll(l), 0, "-p 10: a pass after the root's PID was reused");
	is_str(got, "exit 10 1 bash -1\n", "-p 10: the root exits; the PID's new process is not followed");
	life_free(l);

	procfs_close(&pf);
	close(rootfd);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	test_names();
	test_poll();
	return done_testing();
}
