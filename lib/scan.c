/* The process scan shared by every command that lists processes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"

/* Whether the process in h, whose stat is st, passes the user and cgroup
 * filters. An exited leader whose threads run kept the uid it died with
 * and left its cgroup: a live thread answers for the process. */
static bool owner_ok(struct pidh *h, const struct proc_stat *st, const struct filter *f,
		     const struct proc_status *stp)
{
	struct proc_status ts;
	struct pidh th, *oh = h;
	bool ok;

	if (!f->nuids && !f->cgroup)
		return true;
	if (st->state == 'Z' && st->num_threads > 1) {
		if (pidh_open_live_thread(h, &th, NULL) <= 0)
			return false;
		oh = &th;
		stp = f->nuids && status_read(&th, &ts) == 0 ? &ts : NULL;
	}
	ok = (!f->nuids || (stp && (stp->has & STF_UID) && filter_uid_ok(f, stp->uid[1]))) &&
	     filter_cgroup_ok(f, oh);
	if (oh == &th)
		pidh_close(&th);
	return ok;
}

static int visit(struct pidh *h, const struct filter *f, unsigned flags, scan_fn fn, void *ctx,
		 struct scan_stats *ss)
{
	struct proc_status status, *stp = NULL;
	struct proc_stat st;
	int r;

	r = stat_read(h, &st);
	if (r == -EINVAL)
		ss->malformed++;
	if (r < 0)
		return 0;
	if (!filter_comm_ok(f, st.comm))
		return 0;
	if ((flags & SCAN_STATUS) || f->nuids) {
		r = status_read(h, &status);
		if (r == 0)
			stp = &status;
		else if (r == -EACCES)
			ss->denied++;
		else if (r != -ENOENT || stat_read(h, &st) == 0)
			ss->status_bad++;	/* not a process that just left */
	}
	if (!owner_ok(h, &st, f, stp))
		return 0;
	ss->visited++;
	return fn(h, &st, stp, ctx);
}

int scan_processes(const struct procfs *pf, const struct filter *f, unsigned flags, scan_fn fn,
		   void *ctx, struct scan_stats *ss)
{
	pid_t *pids;
	ssize_t n = procfs_list_pids(pf->procfd, ".", &pids);
	/* Reading two or more files of one process pins it with a dirfd;
	 * stat alone needs none. */
	bool need_dir = (flags & (SCAN_DIR | SCAN_STATUS)) || f->nuids || f->cgroup;
	int r = 0;

	if (n < 0)
		return (int)n;
	for (ssize_t i = 0; i < n && r == 0; i++) {
		struct pidh h;

		ss->seen++;
		if (!filter_pid_ok(f, pids[i]))
			continue;
		if (pidh_open(&h, pf, pids[i], need_dir) < 0)
			continue;
		r = visit(&h, f, flags, fn, ctx, ss);
		pidh_close(&h);
	}
	free(pids);
	return r;
}

/* One process of scan_processes_named: 1 when it must be visited in full. */
static int visit_named(struct pidh *h, const struct filter *f, const char *held,
		       scan_name_fn fn, void *ctx, struct scan_stats *ss)
{
	char comm[sizeof(((struct proc_stat *)0)->comm) + 2];
	ssize_t n;
	int r;

	r = pidh_hold(h, held);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return SCAN_FULL;
	n = pidh_read(h, "comm", comm, sizeof(comm), PFR_ONESHOT, NULL);
	if (n == -ENOENT)
		return 0;
	if (n <= 0 || comm[n - 1] != '\n')
		return SCAN_FULL;
	/* Only the newline the kernel adds goes: a name may end in one. */
	comm[--n] = '\0';
	if ((size_t)n >= sizeof(((struct proc_stat *)0)->comm))
		return SCAN_FULL;
	if (!filter_comm_ok(f, comm))
		return 0;
	r = fn(h, comm, (size_t)n, ctx);
	if (r == 0)
		ss->visited++;
	return r;
}

int scan_processes_named(const struct procfs *pf, const struct filter *f, const char *held,
			 unsigned flags, scan_name_fn fn, scan_fn full, void *ctx,
			 struct scan_stats *ss)
{
	bool need_dir = (flags & (SCAN_DIR | SCAN_STATUS)) != 0;
	pid_t *pids;
	ssize_t n;
	int r = 0;

	if (pf->alternate || f->nuids || f->cgroup)
		return scan_processes(pf, f, flags, full, ctx, ss);
	n = procfs_list_pids(pf->procfd, ".", &pids);
	if (n < 0)
		return (int)n;
	for (ssize_t i = 0; i < n && r >= 0; i++) {
		struct pidh h;

		ss->seen++;
		if (!filter_pid_ok(f, pids[i]) || pidh_open(&h, pf, pids[i], false) < 0)
			continue;
		r = visit_named(&h, f, held, fn, ctx, ss);
		pidh_close(&h);
		if (r == SCAN_FULL && pidh_open(&h, pf, pids[i], need_dir) == 0) {
			r = visit(&h, f, flags, full, ctx, ss);
			pidh_close(&h);
		}
	}
	free(pids);
	return r < 0 ? r : 0;
}

int scan_tasks(struct pidh *h, unsigned flags, scan_fn fn, void *ctx, struct scan_stats *ss)
{
	static const struct filter none;
	int dfd = pidh_dirfd(h);
	pid_t *tids;
	ssize_t n;
	int r = 0;

	if (dfd < 0)
		return 0;
	n = procfs_list_pids(dfd, "task", &tids);
	if (n < 0)
		return 0;
	for (ssize_t i = 0; i < n && r == 0; i++) {
		struct pidh th;

		if (pidh_open_task(&th, h, tids[i]) < 0)
			continue;
		if ((flags & (SCAN_DIR | SCAN_STATUS)) && pidh_dirfd(&th) < 0)
			continue;
		r = visit(&th, &none, flags, fn, ctx, ss);
		pidh_close(&th);
	}
	free(tids);
	return r;
}

int scan_process_tasks(struct pidh *h, const struct proc_stat *st, scan_fn fn, void *ctx,
		       struct scan_stats *ss)
{
	if (st->num_threads != 1)
		return scan_tasks(h, 0, fn, ctx, ss);
	ss->visited++;
	return fn(h, st, NULL, ctx);
}

void scan_report(const struct procfs *pf, const struct scan_stats *ss)
{
	if (ss->malformed)
		fprintf(stderr, "%s: %zu %s skipped: malformed stat file\n",
			program_invocation_short_name, ss->malformed,
			ss->malformed == 1 ? "task" : "tasks");
	scan_note_hidepid(pf);
}

void scan_note_hidepid(const struct procfs *pf)
{
	int hp = procfs_hidepid(pf);

	if (hp == 4)
		fprintf(stderr, "%s: hidepid=ptraceable: processes we may not ptrace are hidden\n",
			program_invocation_short_name);
	else if (hp == 2)
		fprintf(stderr, "%s: hidepid=invisible: other users' processes are hidden\n",
			program_invocation_short_name);
	else if (hp == 1)
		fprintf(stderr, "%s: hidepid=noaccess: other users' process details are hidden\n",
			program_invocation_short_name);
}
