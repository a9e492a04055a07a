/*
 * zfind: zombies, the parents that should reap them, and why they do not.
 *
 * One pass reads /proc/PID/stat of every process; only zombies cost more:
 * their status (USER, and TracerPid: a traced zombie is its tracer's to
 * release first) and, once per parent, the parent's stat, status
 * (signal masks), wchan and limits, and the pids cgroup they are charged to.
 * An exited thread-group leader whose threads still run shows Z too: it is
 * alive, listed only with --all, as Z+threads. Signals go only when asked,
 * through pidfds whose start time was checked (lib/pidfd.c), to a parent
 * no younger than its zombies that one of them still names after the pidfd
 * was opened.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cgroup.h"
#include "escape.h"
#include "kstack.h"
#include "opts.h"
#include "pidfd.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "signals.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"

#define N_ZOMBIE	0x1	/* a per-zombie column */
#define N_PARENT	0x2	/* a per-parent column (--parents only) */

enum {
	COL_PID, COL_PPID, COL_STATE, COL_COMM, COL_USER, COL_ELAPSED, COL_PCOMM, COL_PSTATE,
	COL_PWCHAN, COL_ZOMBIES, COL_SIGCHLD, COL_WHY,
};

static const struct col cols[] = {
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, N_ZOMBIE, NULL, "zombie's process ID" },
	[COL_PPID] = { "PPID", COL_NUM, CF_LABEL, 0, NULL, "parent that should reap it" },
	[COL_STATE] = { "STATE", COL_TEXT, 0, N_ZOMBIE, NULL,
			"Z, or Z+threads: an exited leader whose threads run (--all)" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, N_ZOMBIE, NULL, "zombie's command name" },
	[COL_USER] = { "USER", COL_TEXT, 0, N_ZOMBIE, "none (not under hidepid)",
		       "zombie's effective user" },
	[COL_ELAPSED] = { "ELAPSED", COL_DUR, 0, N_ZOMBIE, NULL,
			  "time since the zombie started (not since it exited)" },
	[COL_PCOMM] = { "PCOMM", COL_TEXT, 0, 0, NULL, "parent's command name" },
	[COL_PSTATE] = { "PSTATE", COL_TEXT, 0, 0, NULL, "parent's state" },
	[COL_PWCHAN] = { "PWCHAN", COL_TEXT, 0, 0, "same user or root",
			 "where the parent sleeps in the kernel" },
	[COL_ZOMBIES] = { "ZOMBIES", COL_NUM, 0, N_PARENT, NULL, "zombies of this parent" },
	[COL_SIGCHLD] = { "SIGCHLD", COL_TEXT, 0, 0, "none (not under hidepid)",
			  "parent's SIGCHLD: default, ignored or caught, and blocked" },
	[COL_WHY] = { "WHY", COL_TEXT, 0, 0, "none (not under hidepid)",
		      "why the parent does not reap" },
};

struct zombie {
	pid_t pid, ppid;
	uint64_t starttime;
	char comm[64];
	size_t comm_len;
	bool leader;		/* exited leader with live threads */
	bool have_uid;
	uid_t uid, ruid;	/* effective (USER), real (RLIMIT_NPROC) */
	int uid_err;		/* why USER is unknown */
	pid_t tracer;		/* the process tracing it, when not its parent; else 0 */
	char pids_dir[512];	/* pids cgroup it is charged to, "" if unknown */
	char pids_cg[512];	/* its cgroup path ("/system.slice") */
};

struct parent {
	pid_t pid;
	bool known;
	struct proc_stat st;
	char state;		/* a live thread's: an exited leader's stat says Z */
	bool have_status, have_wchan;
	int status_err;
	struct proc_status status;	/* a live thread's, as state */
	bool blocks_chld;	/* every live thread blocks SIGCHLD */
	bool refused;		/* never signalled (pidfd_refused) */
	bool ns_init;		/* PID 1 of another PID namespace */
	bool frozen;		/* in D because its cgroup is frozen */
	int wchan_err;
	char wchan[128];
	size_t zombies;
	size_t traced;		/* zombies that a tracer holds (zombie.tracer) */
	pid_t tracer;		/* their tracer, or -1 when they have several */
	uint64_t oldest;	/* start time of its oldest zombie */
	uint64_t nproc_limit;	/* UINT64_MAX unlimited, 0 unknown */
	bool hidden;		/* not readable: hidepid hides it */
};

struct zctx {
	const struct procfs *pf;
	struct cgroup_mounts mounts;	/* read at the first zombie */
	bool have_mounts;
	bool all;
	struct zombie *z;
	size_t nz, capz;
};

static int collect(struct pidh *h, const struct proc_stat *st,
		   const struct proc_status *status, void *ctx)
{
	struct zctx *c = ctx;
	struct proc_stat again;
	struct proc_status s;
	struct pidh th, *uh = h;
	struct zombie *z;
	const char *cg;
	bool leader;

	(void)status;
	if (st->state != 'Z')
		return 0;
	/* stat was read by path; pin the process now and make sure the PID
	 * still names the zombie we saw (it may have been reaped and reused). */
	if (pidh_dirfd(h) < 0 || stat_read(h, &again) < 0 || again.starttime != st->starttime ||
	    again.state != 'Z')
		return 0;
	/* USER of an exited leader is its live thread's, whose uid the
	 * process runs as (and -u selects it by, lib/scan.c). */
	leader = again.num_threads > 1 && pidh_open_live_thread(h, &th, NULL) > 0;
	if (leader && !c->all) {
		pidh_close(&th);
		return 0;
	}
	if (leader)
		uh = &th;
	if (c->nz == c->capz) {
		c->capz = c->capz ? c->capz * 2 : 16;
		c->z = xreallocarray(c->z, c->capz, sizeof(*c->z));
	}
	z = &c->z[c->nz++];
	memset(z, 0, sizeof(*z));
	z->pid = again.pid;
	z->ppid = again.ppid;
	z->starttime = again.starttime;
	memcpy(z->comm, again.comm, sizeof(z->comm));
	z->comm_len = again.comm_len;
	z->leader = leader;
	z->uid_err = status_read(uh, &s);
	if (z->uid_err == 0 && !(s.has & STF_UID))
		z->uid_err = -EINVAL;
	/* No status, yet stat is there: missing (a saved tree), not gone. */
	if (z->uid_err == -ENOENT && stat_read(uh, &again) == 0)
		z->uid_err = -EINVAL;
	if (z->uid_err == 0) {
		z->have_uid = true;
		z->uid = s.uid[1];
		z->ruid = s.uid[0];
	}
	/* A traced zombie is the tracer's to wait for first; its parent's
	 * wait does not see it until the tracer has (or detaches, by
	 * exiting). TracerPid is the tracing thread; a thread of the
	 * parent is the parent. */
	if (!leader && z->uid_err == 0 && (s.has & STF_TRACER) && s.tracer_pid > 0 &&
	    s.tracer_pid != z->ppid) {
		struct proc_status ts;
		struct pidh trh;

		z->tracer = s.tracer_pid;
		if (pidh_open(&trh, c->pf, s.tracer_pid, true) == 0 && status_read(&trh, &ts) == 0 &&
		    (ts.has & STF_TGID))
			z->tracer = ts.tgid == z->ppid ? 0 : ts.tgid;
		pidh_close(&trh);
	}
	if (leader)
		pidh_close(&th);
	if (!c->have_mounts) {
		cgroup_mounts_read(c->pf, &c->mounts);
		c->have_mounts = true;
	}
	if (cgroup_pids_dir(&c->mounts, h, z->pids_dir, sizeof(z->pids_dir), &cg) < 0)
		z->pids_dir[0] = '\0';
	/* cgroup v1 moves an exiting task to the root of every hierarchy in
	 * /proc/PID/cgroup, yet it stays charged where it ran until reaped:
	 * its parent's cgroup is the best guess there. */
	if (!z->pids_dir[0] || !strcmp(cg, "/")) {
		struct pidh ph;

		if (pidh_open(&ph, c->pf, z->ppid, true) == 0 &&
		    cgroup_pids_dir(&c->mounts, &ph, z->pids_dir, sizeof(z->pids_dir), &cg) < 0)
			z->pids_dir[0] = '\0';
		pidh_close(&ph);
	}
	if (z->pids_dir[0])
		snprintf(z->pids_cg, sizeof(z->pids_cg), "%s", cg);
	return 0;
}

/* RLIMIT_NPROC of a process, the soft "Max processes" of its limits file. */
static uint64_t nproc_limit(struct pidh *h)
{
	char buf[4096], *p;
	uint64_t v;

	if (pidh_read(h, "limits", buf, sizeof(buf), 0, NULL) <= 0)
		return 0;
	p = strstr(buf, "\nMax processes");
	if (!p)
		return 0;
	p += strlen("\nMax processes");
	while (*p == ' ')
		p++;
	if (!strncmp(p, "unlimited", 9))
		return UINT64_MAX;
	return parse_u64((const char **)&p, &v) == 0 ? v : 0;
}

/* Counts the live threads of a parent, and those that block SIGCHLD. */
struct chld_mask {
	size_t live, blocking;
};

static int count_blocking(struct pidh *h, const struct proc_stat *st,
			  const struct proc_status *status, void *ctx)
{
	struct chld_mask *m = ctx;

	(void)h;
	if (st->state == 'Z' || st->state == 'X' || !status || !(status->has & STF_SIGBLK))
		return 0;
	m->live++;
	m->blocking += sigmask_has(status->sigblk, SIGCHLD);
	return 0;
}

/* Whether the process in h blocks SIGCHLD, as status (one live thread's)
 * says: the kernel hands a process-directed signal to any thread that does
 * not block it, so the process blocks it only if every live thread does. A
 * thread that exited (an exited leader among them) takes no signal. */
static bool blocks_sigchld(struct pidh *h, const struct proc_stat *st,
			   const struct proc_status *status)
{
	struct scan_stats ss = { 0 };
	struct chld_mask m = { 0 };

	if (!(status->has & STF_SIGBLK) || !sigmask_has(status->sigblk, SIGCHLD))
		return false;
	if (st->num_threads > 1 && scan_tasks(h, SCAN_STATUS, count_blocking, &m, &ss) == 0 &&
	    m.live)
		return m.blocking == m.live;
	return true;
}

/* Read the process on p's PID as the parent of zombies the oldest of which
 * started at child_start. A parent is never younger than its child: fork
 * makes the child after the parent, an orphan goes to an ancestor (a
 * subreaper, or init), and a thread's exec keeps its leader's start time.
 * A process younger than the zombie took the PID after the parent exited:
 * it is left unknown, as a parent gone, to be neither shown nor signalled. */
static void read_parent(const struct procfs *pf, struct parent *p, uint64_t child_start)
{
	struct pidh h, th, *sh = &h;
	struct proc_status ls, *lsp = NULL;
	struct proc_stat ts;

	if (pidh_open(&h, pf, p->pid, true) < 0) {
		p->hidden = procfs_hidepid(pf) > 0;
		return;
	}
	if (stat_read(&h, &p->st) == 0 && p->st.starttime <= child_start) {
		p->known = true;
		p->state = p->st.state;
		/* An exited leader keeps, in its own files, the state (Z)
		 * and signal mask it died with: the parent is alive in its
		 * other threads, and what one of them does counts. */
		if (p->st.state == 'Z' && p->st.num_threads > 1 &&
		    pidh_open_live_thread(&h, &th, &ts) > 0) {
			sh = &th;
			p->state = ts.state;
		}
		p->status_err = status_read(sh, &p->status);
		p->have_status = p->status_err == 0;
		/* Whether it is PID 1 of a namespace is the leader's status
		 * to say, dead or not. */
		if (sh == &h)
			lsp = p->have_status ? &p->status : NULL;
		else if (status_read(&h, &ls) == 0)
			lsp = &ls;
		p->refused = pidfd_refused(&p->st, lsp);
		p->ns_init = p->pid != 1 && pidfd_ns_init(lsp);
		p->blocks_chld = p->have_status && blocks_sigchld(&h, &p->st, &p->status);
		p->wchan_err = wchan_read(sh, p->wchan, sizeof(p->wchan));
		p->have_wchan = p->wchan_err == 0;
		/* A frozen task shows D (since the 2024 freezer change): it
		 * waits for its cgroup to thaw, not in a wait of its own. */
		p->frozen = p->state == 'D' && task_frozen(sh);
		p->nproc_limit = nproc_limit(&h);
		if (sh == &th)
			pidh_close(&th);
	}
	pidh_close(&h);
}

/* Whether the parent's wait channel is unknown because we may not look:
 * the kernel then prints 0, as it does for a task that just woke. Ptrace
 * read access to another's process needs its real, effective and saved
 * user to be ours, or root. */
static bool wchan_denied(const struct procfs *pf, const struct parent *p)
{
	uid_t me = geteuid();

	return p->known && !p->have_wchan && p->state != 'R' && me != 0 && !pf->alternate &&
	       p->have_status && (p->status.has & STF_UID) &&
	       (p->status.uid[0] != me || p->status.uid[1] != me || p->status.uid[2] != me);
}

static const char *sigchld_word(const struct parent *p)
{
	const struct proc_status *s = &p->status;
	bool blk;

	if (!p->have_status || !(s->has & STF_SIGBLK) || !(s->has & STF_SIGIGN) ||
	    !(s->has & STF_SIGCGT))
		return NULL;
	blk = p->blocks_chld;
	/* Dispositions are the process's, shared by its threads. */
	if (sigmask_has(s->sigign, SIGCHLD))
		return blk ? "ignored,blocked" : "ignored";
	if (sigmask_has(s->sigcgt, SIGCHLD))
		return blk ? "caught,blocked" : "caught";
	return blk ? "default,blocked" : "default";
}

/* The diagnosis, most specific first. Zombies that a tracer holds come
 * first: whatever the parent does, its wait cannot see them. */
static const char *why(const struct parent *p)
{
	const struct proc_status *s = &p->status;

	if (p->zombies && p->traced == p->zombies)
		return "zombies traced: their tracers must wait for them first";
	if (p->pid == 0)
		return "parent outside this PID namespace";
	if (!p->known)
		return p->hidden ? "parent not visible (hidepid)" : "parent gone (reaping pending)";
	if (p->pid == 1)
		return "PID 1 does not reap (container without an init?)";
	if (p->ns_init)
		return "PID 1 does not reap (init of a PID namespace, e.g. a container's)";
	if (p->state == 'T' || p->state == 't')
		return "parent stopped";
	if (p->frozen)
		return "parent frozen (cgroup freezer)";
	if (p->state == 'D')
		return "parent in D";
	if (!p->have_status)
		return NULL;
	if (p->blocks_chld)
		return "parent blocks SIGCHLD";
	if ((s->has & STF_SIGIGN) && sigmask_has(s->sigign, SIGCHLD))
		return "parent ignores SIGCHLD, but these exited before it did";
	if ((s->has & STF_SIGCGT) && sigmask_has(s->sigcgt, SIGCHLD))
		return "parent catches SIGCHLD but does not wait";
	return "parent never waits";
}

/* WHY of what (a zombie, or a parent's zombies) that tracer holds. */
static void set_traced_why(struct table *t, size_t r, const char *what, pid_t tracer)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s traced by %d: the tracer must wait for %s first", what,
		 (int)tracer, strcmp(what, "zombie") ? "them" : "it");
	table_set_cstr(t, r, COL_WHY, buf);
}

static void set_parent_cells(struct table *t, size_t r, const struct parent *p)
{
	const char *w;

	table_set_num(t, r, COL_PPID, p->pid);
	if (p->known) {
		table_set_str(t, r, COL_PCOMM, p->st.comm, p->st.comm_len);
		table_set_str(t, r, COL_PSTATE, &p->state, 1);
	}
	if (p->have_wchan)
		table_set_cstr(t, r, COL_PWCHAN, p->wchan);
	if ((w = sigchld_word(p)))
		table_set_cstr(t, r, COL_SIGCHLD, w);
	if (p->zombies && p->traced == p->zombies && p->tracer > 0)
		set_traced_why(t, r, "zombies", p->tracer);
	else if ((w = why(p)))
		table_set_cstr(t, r, COL_WHY, w);
}

static struct parent *find_parent(struct parent *ps, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (ps[i].pid == pid)
			return &ps[i];
	return NULL;
}

/* Whether the process on PID ppid, which a pidfd has pinned since before
 * this call, is still the parent of one of the zombies z: one of them, read
 * now, is still that zombie (same start time) with PPID ppid. Its parent
 * then never changed since the scan (an orphan goes to a live ancestor,
 * which cannot hold the PID its dying parent still holds), so it held ppid
 * all along, and it is what the pidfd pins. The start time checks alone
 * miss a zombie reaped since the scan, and a PID taken over within the
 * clock tick the zombie started in. Returns 0, or -ECHILD. */
static int still_parent(const struct procfs *pf, pid_t ppid, const struct zombie *z, size_t nz)
{
	for (size_t i = 0; i < nz; i++) {
		struct proc_stat st;
		struct pidh h;
		bool same;

		if (z[i].leader || z[i].ppid != ppid || pidh_open(&h, pf, z[i].pid, true) < 0)
			continue;
		same = stat_read(&h, &st) == 0 && st.starttime == z[i].starttime &&
		       st.state == 'Z' && st.ppid == ppid;
		pidh_close(&h);
		if (same)
			return 0;
	}
	return -ECHILD;
}

/* Whether sig may be sent to the process fd pins, without sending it:
 * signal 0 makes the kernel check what it checks for any signal (kill(2):
 * a real or effective UID of ours equal to the target's real or saved
 * UID, or CAP_KILL in its user namespace; and what a security module
 * says), so the answer is the kernel's own, not a guess from the UIDs.
 * The one exception for a real signal: SIGCONT may go to any process of
 * our session. Returns 0 or -errno (-EPERM). */
static int may_signal(int fd, int sig, const struct proc_stat *st)
{
	int r = pidfd_signal(fd, 0);

	if (r == -EPERM && sig == SIGCONT && st->session == getsid(0))
		return 0;
	return r;
}

/* Signal each parent of the zombies z once; one line per action. Returns
 * the number failed. */
static int act(const struct procfs *pf, struct parent *ps, size_t np, const struct zombie *z,
	       size_t nz, int sig, bool dry, bool quiet, FILE *out)
{
	int failed = 0;

	for (size_t i = 0; i < np; i++) {
		struct parent *p = &ps[i];
		struct sbuf name = { 0 };
		char num[16];
		int fd, r;

		if (!p->known)
			continue;
		escape_append(&name, p->st.comm, p->st.comm_len, ESC_TABLE);
		/* A dry run goes through every step of the real one but the
		 * sending, and so fails where the real run would, with the
		 * same message and exit status. */
		fd = -1;
		r = p->refused ? -EINVAL : p->traced == p->zombies ? -EBUSY : 0;
		if (r == 0) {
			fd = pidfd_open_checked(pf, p->pid, p->st.starttime);
			r = fd < 0 ? fd : still_parent(pf, p->pid, z, nz);
		}
		if (r == 0)
			r = dry ? may_signal(fd, sig, &p->st) : pidfd_signal(fd, sig);
		if (fd >= 0)
			close(fd);
		if (r == 0) {
			if (!quiet)
				fprintf(out, "%s SIG%s to %d (%s)\n", dry ? "would send" : "sent",
					signal_name(sig, num, sizeof(num)), (int)p->pid,
					name.s);
		} else {
			failed++;
			fprintf(stderr, "%s: not signalling %d (%s): %s\n",
				program_invocation_short_name, (int)p->pid, name.s,
				r == -EINVAL && p->ns_init
				? "refused: PID 1 of a PID namespace (a container's init)"
				: r == -EINVAL ? "refused: PID 1, a kernel thread or zfind itself"
				: r == -EPERM ? "permission denied"
				: r == -ESTALE ? "PID now names another process"
				: r == -EXDEV ? "not the live /proc (--proc)"
				: r == -ESRCH ? "it is gone"
				: r == -ECHILD ? "no longer the parent of a zombie (reaped or reparented)"
				: r == -EBUSY ? "its zombies are traced by another process, which "
						"must wait for them first: signalling the parent "
						"frees none (see WHY)"
				: strerror(-r));
		}
		sbuf_free(&name);
	}
	return failed;
}

static void add_costs(struct table *t, const struct procfs *pf, const struct zombie *z,
		      size_t nz, const struct parent *ps, size_t np)
{
	unsigned long long pid_max;
	size_t best = 0, same = 0, users = 0;
	uint64_t cur, max;

	table_meta(t, "total", "zombies", COL_NUM, "zombie processes found", (int64_t)nz, 0, NULL);
	if (procfs_read_u64(pf, "sys/kernel/pid_max", &pid_max) == 0)
		table_meta(t, "pid_max", "pid_max (each zombie holds one PID)", COL_NUM,
			   "kernel.pid_max: the zombies above each hold one", (int64_t)pid_max, 0,
			   NULL);
	if (!nz)
		return;
	/* The pids cgroup holding the most zombies: they count against its
	 * pids.max like live processes. */
	for (size_t i = 0; i < nz; i++) {
		size_t k = 0;

		for (size_t j = 0; j < nz; j++)
			k += !strcmp(z[i].pids_dir, z[j].pids_dir);
		if (k > same) {
			same = k;
			best = i;
		}
	}
	if (z[best].pids_dir[0] && cgroup_read_limit(z[best].pids_dir, "pids.current", &cur) == 0) {
		table_meta(t, "pids_cgroup", "pids cgroup", COL_TEXT, "pids cgroup of the most zombies",
			   0, 0, z[best].pids_cg);
		table_meta(t, "pids_cgroup_zombies", "zombies charged to it", COL_NUM, NULL,
			   (int64_t)same, 0, NULL);
		table_meta(t, "pids_current", "pids.current", COL_NUM, NULL, (int64_t)cur, 0, NULL);
		if (cgroup_read_limit(z[best].pids_dir, "pids.max", &max) == 0 && max != UINT64_MAX)
			table_meta(t, "pids_max", "pids.max", COL_NUM, NULL, (int64_t)max, 0, NULL);
		else
			table_meta(t, NULL, "pids.max", COL_TEXT, NULL, 0, 0, "max (no limit)");
	}
	/* RLIMIT_NPROC counts every process of a user, zombies included; the
	 * limit that bites is the forking parent's. */
	if (z[0].have_uid) {
		const struct parent *p = find_parent((struct parent *)ps, np, z[0].ppid);
		char name[64];

		for (size_t i = 0; i < nz; i++)
			users += z[i].have_uid && z[i].ruid == z[0].ruid;
		user_name(z[0].ruid, name, sizeof(name));
		table_meta(t, "nproc_user", "RLIMIT_NPROC user", COL_TEXT, NULL, 0, 0, name);
		table_meta(t, "nproc_zombies", "zombies of that user", COL_NUM, NULL,
			   (int64_t)users, 0, NULL);
		if (p && p->nproc_limit == UINT64_MAX)
			table_meta(t, NULL, "parent's RLIMIT_NPROC", COL_TEXT, NULL, 0, 0,
				   "unlimited");
		else if (p && p->nproc_limit)
			table_meta(t, "nproc_limit", "parent's RLIMIT_NPROC", COL_NUM, NULL,
				   (int64_t)p->nproc_limit, 0, NULL);
	}
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Zombie processes, the parent that should reap each, and why it does not.\n"
	       "\n"
	       "      --parents           one row per parent, with SIGCHLD and WHY\n"
	       "  -a, --all               also exited leaders whose threads run (Z+threads)\n"
	       "      --count             print only the number of zombies\n"
	       "  -q, --quiet             print nothing; exit status only\n"
	       "      --signal-parents    send SIGCHLD to each parent (nudge a lazy reaper)\n"
	       "      --kill-parents[=SIG]  send SIGTERM (or SIG) to each parent, so that\n"
	       "                          init inherits and reaps the zombies\n"
	       "      --dry-run           say what --signal-parents/--kill-parents would do\n",
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS);
	printf("\nExit status: 0 zombies (or with -a exited leaders) found, 1 none,\n"
	       "2 usage error, 3 fatal error or a signal that could not be sent.\n"
	       "Columns: %s -H. See zfind(1).\n", program_invocation_short_name);
}

enum { OPT_PARENTS = OPT_TOOL, OPT_COUNT, OPT_SIGNAL, OPT_KILL, OPT_DRY };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		{ "parents", no_argument, NULL, OPT_PARENTS },
		{ "all", no_argument, NULL, 'a' },
		{ "count", no_argument, NULL, OPT_COUNT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "signal-parents", no_argument, NULL, OPT_SIGNAL },
		{ "kill-parents", optional_argument, NULL, OPT_KILL },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	struct zctx c = { 0 };
	struct scan_stats ss = { 0 };
	struct parent *ps = NULL;
	struct table *t;
	struct procfs pf;
	bool parents = false, count = false, quiet = false, dry = false;
	int opt, sig = 0, failed = 0, r;
	size_t np = 0, nreal = 0;
	double uptime = 0;
	bool have_uptime;
	char err[128];

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS FILTER_SHORTOPTS "aq", longopts,
				  NULL)) != -1) {
		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PARENTS: parents = true; break;
		case 'a': c.all = true; break;
		case OPT_COUNT: count = true; break;
		case 'q': quiet = true; break;
		case OPT_DRY: dry = true; break;
		case OPT_SIGNAL:
			if (sig)
				usage_error("--signal-parents and --kill-parents exclude each other");
			sig = SIGCHLD;
			break;
		case OPT_KILL:
			if (sig)
				usage_error("--signal-parents and --kill-parents exclude each other");
			sig = optarg ? signal_parse(optarg) : SIGTERM;
			if (sig < 0)
				usage_error("invalid signal: '%s'", optarg);
			break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
	}
	if (dry && !sig)
		usage_error("--dry-run goes with --signal-parents or --kill-parents");
	/* A bare number is no JSON document of ours, no pairs line and no
	 * exposition text; those formats have the count as their total. */
	if (count && co.out.fmt != FMT_TABLE && co.out.fmt != FMT_RAW)
		usage_error("--count prints a bare number, not %s (whose output gives the "
			    "count as its total)", co.out.fmt == FMT_PAIRS ? "pairs"
			    : co.out.fmt == FMT_JSON ? "JSON" : "prometheus text");
	common_no_operands(&co, argc, argv, "zfind", cols, ARRAY_SIZE(cols));

	t = table_new("zfind", parents ? "parents" : "zombies", cols, ARRAY_SIZE(cols));
	table_exclude(t, parents ? N_ZOMBIE : N_PARENT);
	if (table_select(t, parents ? "PPID,PCOMM,PSTATE,ZOMBIES,SIGCHLD,WHY"
				    : "PID,PPID,STATE,COMM,USER,ELAPSED,PCOMM,PSTATE,PWCHAN",
			 &co.out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	procfs_open_or_die(&pf, &co);
	c.pf = &pf;
	if (sig && pf.alternate)
		errx(out_finish(EXIT_FATAL), "signals refuse an alternate proc root (%s)", pf.proc);
	have_uptime = uptime_read(&pf, &uptime, NULL) == 0;

	r = scan_processes(&pf, &co.filt, 0, collect, &c, &ss);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name, pf.proc,
			strerror(-r));
		return out_finish(EXIT_FATAL);
	}
	/* Real zombies first, exited leaders (only with --all) after: only
	 * the former have parents to diagnose, count and signal. */
	for (size_t i = 0, k = 0; i < c.nz; i++)
		if (!c.z[i].leader) {
			struct zombie tmp = c.z[k];

			c.z[k++] = c.z[i];
			c.z[i] = tmp;
		}
	for (size_t i = 0; i < c.nz; i++) {
		struct parent *p;

		if (c.z[i].leader)
			break;
		nreal++;
		p = find_parent(ps, np, c.z[i].ppid);
		if (!p) {
			ps = xreallocarray(ps, np + 1, sizeof(*ps));
			p = &ps[np++];
			memset(p, 0, sizeof(*p));
			p->pid = c.z[i].ppid;
			p->oldest = c.z[i].starttime;
		}
		p->zombies++;
		if (c.z[i].starttime < p->oldest)
			p->oldest = c.z[i].starttime;
		if (c.z[i].tracer) {
			p->tracer = p->traced && p->tracer != c.z[i].tracer ? -1 : c.z[i].tracer;
			p->traced++;
		}
	}
	for (size_t i = 0; i < np; i++)
		if (ps[i].pid > 0)
			read_parent(&pf, &ps[i], ps[i].oldest);
	if (parents) {
		table_default_sort(t, COL_ZOMBIES);
		for (size_t i = 0; i < np; i++) {
			size_t row = table_add_row(t);

			set_parent_cells(t, row, &ps[i]);
			table_set_num(t, row, COL_ZOMBIES, (int64_t)ps[i].zombies);
		}
	} else {
		for (size_t i = 0; i < c.nz; i++) {
			const struct zombie *z = &c.z[i];
			size_t row = table_add_row(t);
			struct parent lp = { .pid = z->ppid };
			char name[64];

			table_set_num(t, row, COL_PID, z->pid);
			table_set_cstr(t, row, COL_STATE, z->leader ? "Z+threads" : "Z");
			table_set_str(t, row, COL_COMM, z->comm, z->comm_len);
			if (z->have_uid) {
				user_name(z->uid, name, sizeof(name));
				table_set_cstr(t, row, COL_USER, name);
			}
			if (have_uptime)
				table_set_dur(t, row, COL_ELAPSED,
					      uptime - (double)z->starttime / (double)procfs_hz());
			if (!z->leader) {
				set_parent_cells(t, row, find_parent(ps, np, z->ppid));
				if (z->tracer)
					set_traced_why(t, row, "zombie", z->tracer);
				continue;
			}
			if (lp.pid > 0)
				read_parent(&pf, &lp, z->starttime);
			set_parent_cells(t, row, &lp);
			table_set_cstr(t, row, COL_WHY, "not a zombie: exited leader, threads run");
		}
	}
	add_costs(t, &pf, c.z, nreal, ps, np);
	if (c.all)
		table_meta(t, "exited_leaders", "exited leaders with live threads (not zombies)",
			   COL_NUM, "thread-group leaders that exited while other threads run",
			   (int64_t)(c.nz - nreal), 0, NULL);
	if (!quiet && count)
		printf("%zu\n", nreal);
	else if (!quiet)
		table_print(t, &co.out);
	if (sig)
		/* The action lines follow a table; after JSON or pairs they would
		 * break the format, so they go to stderr there. */
		failed = act(&pf, ps, np, c.z, nreal, sig, dry, quiet,
			     co.out.fmt == FMT_TABLE ? stdout : stderr);
	if (!quiet) {
		size_t nu = 0, np_unknown = 0, nw = 0;
		int ue = 0, pe = 0;

		scan_report(&pf, &ss);
		for (size_t i = 0; i < c.nz; i++)
			/* A zombie reaped since the scan is no news. */
			if (!c.z[i].have_uid && c.z[i].uid_err != -ENOENT &&
			    table_wants(t, COL_USER)) {
				nu++;
				ue = c.z[i].uid_err;
			}
		for (size_t i = 0; i < np; i++)
			if (ps[i].known && !ps[i].have_status &&
			    (table_wants(t, COL_SIGCHLD) || table_wants(t, COL_WHY))) {
				np_unknown++;
				pe = ps[i].status_err;
			}
		for (size_t i = 0; i < np; i++)
			nw += wchan_denied(&pf, &ps[i]) && table_wants(t, COL_PWCHAN);
		if (nu)
			note_unknown("USER", nu, c.nz, ue);
		if (nw)
			note_unknown_of("PWCHAN", nw, np, "parents", -EACCES);
		if (np_unknown)
			fprintf(stderr, "%s: SIGCHLD and WHY unknown for %zu of %zu parents: %s\n",
				program_invocation_short_name, np_unknown, np,
				pe == -EACCES ? "permission denied" : "status file missing or malformed");
	}
	table_free(t);
	free(c.z);
	free(ps);
	procfs_close(&pf);
	common_free(&co);
	if (failed)
		return out_finish(EXIT_FATAL);
	/* Found means the same whatever is printed, so that -q, --count and
	 * --parents answer a script alike: a zombie, or with --all an exited
	 * leader, which --count does not count and --parents has no row for. */
	return out_finish(c.nz ? EXIT_FOUND : EXIT_NONE);
}
