/*
 * oomctl: who the OOM killer takes next, protecting a service, what it
 * killed, and which memory cgroups have no limit.
 *
 *   oomctl [list]             ranked by oom_score (stat, oom_score, oom_score_adj;
 *                             status only for SWAP, PGTABLES, USER)
 *   oomctl explain PID        the kernel's badness arithmetic, next to oom_score,
 *                             and against the limit of its memory cgroup
 *   oomctl set ADJ TARGET...  write oom_score_adj through a pinned /proc/PID
 *   oomctl protect|reset TARGET...
 *   oomctl run ADJ -- CMD...  exec CMD with that adjustment
 *   oomctl events             OOM kills from /dev/kmsg (or --kmsg FILE), -f to follow
 *   oomctl cgroups            memory cgroups (v1 and v2) with their limits
 *
 * Writes refuse an alternate proc root; every write goes through a /proc/PID
 * directory fd, so it cannot land on a process that took over the PID, and
 * a process that -C found is known by its start time from then on. A
 * thread ID, and a target whose memory other processes share (kcmp), which
 * the kernel would write along with it, are refused.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "escape.h"
#include "kmsg.h"
#include "kstack.h"
#include "meminfo.h"
#include "opts.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "sysinfo.h"
#include "table.h"
#include "util.h"
#include "vmstat.h"

/* Modes: a column belongs to the subcommands whose bits it has. */
#define M_LIST		0x1000
#define M_EVENTS	0x2000
#define M_CGROUPS	0x4000
#define M_SET		0x8000
#define M_EXPLAIN	0x10000
#define M_ALL		(M_LIST | M_EVENTS | M_CGROUPS | M_SET | M_EXPLAIN)
/* What a list column costs. */
#define N_STATUS	0x1
#define N_USER		0x2
#define N_CGROUP	0x4

enum {
	COL_PID, COL_OOM_SCORE, COL_OOM_ADJ, COL_RSS, COL_SWAP, COL_PGTABLES, COL_USER,
	COL_TIME, COL_UPTIME, COL_UID, COL_ANON_RSS, COL_FILE_RSS, COL_SHMEM_RSS,
	COL_CONSTRAINT, COL_INVOKER, COL_KILL, COL_LIMIT, COL_USAGE, COL_PCT, COL_HEADROOM, COL_PEAK,
	COL_OOM_KILLS,
	COL_VERSION, COL_OLD, COL_NEW, COL_ITEM, COL_PAGES, COL_NOTE, COL_COMM, COL_CGROUP,
	COL_PATH,
};

static const struct col cols[] = {
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, M_LIST | M_EVENTS | M_SET, NULL, "process ID" },
	[COL_OOM_SCORE] = { "OOM_SCORE", COL_NUM, 0, M_LIST, NULL,
			    "the kernel's oom_score (0-2000 since 5.9: 666 for a small process "
			    "at adj 0; with --cgroup, computed against the cgroup's limit)" },
	[COL_OOM_ADJ] = { "OOM_ADJ", COL_NUM, 0, M_LIST | M_EVENTS, NULL,
			  "oom_score_adj (-1000 never killed ... 1000 first)" },
	[COL_RSS] = { "RSS", COL_SIZE, 0, M_LIST, NULL, "resident memory" },
	[COL_SWAP] = { "SWAP", COL_SIZE, 0, M_LIST | M_CGROUPS | N_STATUS, NULL,
		       "swapped out (a cgroup: its swap use)" },
	[COL_PGTABLES] = { "PGTABLES", COL_SIZE, 0, M_LIST | N_STATUS, NULL, "page tables" },
	[COL_USER] = { "USER", COL_TEXT, 0, M_LIST | N_USER, NULL, "effective user" },
	[COL_TIME] = { "TIME", COL_TEXT, 0, M_EVENTS, NULL,
		       "when it was killed (local time; - when the log does not say)" },
	[COL_UPTIME] = { "UPTIME", COL_FLOAT, CF_PREC2 | CF_LABEL, M_EVENTS, NULL,
			 "seconds since boot at the kill (the log's own clock)" },
	[COL_UID] = { "UID", COL_NUM, 0, M_EVENTS, NULL, "the victim's user ID" },
	[COL_ANON_RSS] = { "ANON_RSS", COL_SIZE, 0, M_EVENTS, NULL, "anonymous memory freed" },
	[COL_FILE_RSS] = { "FILE_RSS", COL_SIZE, 0, M_EVENTS, NULL, "file-backed memory" },
	[COL_SHMEM_RSS] = { "SHMEM_RSS", COL_SIZE, 0, M_EVENTS, NULL, "shared memory" },
	[COL_CONSTRAINT] = { "CONSTRAINT", COL_TEXT, 0, M_EVENTS, NULL,
			     "what ran out: memcg (a cgroup limit), none (the machine), "
			     "cpuset, mempolicy" },
	[COL_INVOKER] = { "INVOKER", COL_TEXT, 0, M_EVENTS, NULL,
			  "the task whose allocation failed" },
	[COL_KILL] = { "KILL", COL_TEXT, 0, M_EVENTS, NULL,
		       "chosen (the victim the OOM killer chose) or group (killed with it: "
		       "memory.oom.group)" },
	[COL_LIMIT] = { "LIMIT", COL_SIZE, 0, M_CGROUPS, NULL, "memory limit (- none)" },
	[COL_USAGE] = { "USAGE", COL_SIZE, 0, M_CGROUPS, NULL, "memory in use" },
	[COL_PCT] = { "PCT", COL_FLOAT, 0, M_CGROUPS, NULL,
		      "memory in use, % of the limit (- none; page cache included)" },
	[COL_HEADROOM] = { "HEADROOM", COL_SIZE, 0, M_CGROUPS, NULL,
			   "the limit less the memory in use (- none)" },
	[COL_PEAK] = { "PEAK", COL_SIZE, 0, M_CGROUPS, NULL, "highest use recorded" },
	[COL_OOM_KILLS] = { "OOM_KILLS", COL_NUM, CF_COUNTER, M_CGROUPS, NULL,
			    "OOM kills in the cgroup (memory.events, v1 memory.oom_control)" },
	[COL_VERSION] = { "VERSION", COL_TEXT, 0, M_CGROUPS, NULL, "v1 or v2 hierarchy" },
	[COL_OLD] = { "OLD", COL_NUM, 0, M_SET, NULL, "oom_score_adj before" },
	[COL_NEW] = { "NEW", COL_NUM, 0, M_SET, NULL, "oom_score_adj after (read back)" },
	[COL_ITEM] = { "ITEM", COL_TEXT, 0, M_EXPLAIN, NULL, "a term of the badness" },
	[COL_PAGES] = { "PAGES", COL_NUM, 0, M_EXPLAIN, NULL, "its value in pages" },
	[COL_NOTE] = { "NOTE", COL_TEXT, 0, M_EXPLAIN, NULL, "where it comes from" },
	[COL_COMM] = { "COMM", COL_TEXT, 0, M_LIST | M_EVENTS | M_SET, NULL, "command name" },
	[COL_CGROUP] = { "CGROUP", COL_TEXT, 0, M_LIST | M_EVENTS | N_CGROUP, NULL,
			 "memory cgroup" },
	[COL_PATH] = { "PATH", COL_TEXT, 0, M_CGROUPS, NULL, "the cgroup" },
};

struct victim {
	pid_t pid, mem_tid;	/* mem_tid: a live thread when the leader exited */
	uint64_t starttime;
	char comm[64];
	size_t comm_len;
	char state;
	int64_t threads;
	int64_t score, adj;
	bool have_score, have_adj, have_status, have_uid;
	uint64_t rss, swap, pgtables;
	uid_t uid;
	char *cgroup;
};

struct lctx {
	const struct procfs *pf;
	unsigned long needs;
	bool deferred;
	const char *memcg;	/* --cgroup: rank within this memory cgroup */
	struct cgroup_mounts mounts;
	struct victim *v;
	size_t n, cap;
};

/* A file of one signed number (oom_score, oom_score_adj). */
static int read_int(struct pidh *h, const char *name, int64_t *v)
{
	char buf[32];
	ssize_t n = pidh_read(h, name, buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return parse_i64_str(buf, v) < 0 ? -EINVAL : 0;
}

/* ADJ as the suite takes it: canonical decimal in -1000..1000 ("0x10",
 * "+5", " 7", "007" and "12abc" are not). */
static int parse_adj(const char *s, int *adj)
{
	int64_t v;
	const char *d = s[0] == '-' ? s + 1 : s;

	if (!*d || (d[0] == '0' && d[1]) || (s[0] == '-' && !strcmp(d, "0")) ||
	    parse_i64_str(s, &v) < 0 || v < -1000 || v > 1000)
		return -EINVAL;
	*adj = (int)v;
	return 0;
}

/* ---- list ---- */

/* The memory cgroup of the task in h into path: the v1 memory hierarchy's
 * when it is mounted (memory is charged there), else the unified one's.
 * Returns 0 or -errno. */
static int memcg_path(const struct lctx *c, struct pidh *h, char *path, size_t size)
{
	return cgroup_path_of(h, c->mounts.memory[0] ? "memory" : "", path, size);
}

/* Everything past stat. Memory and the cgroup come from the live thread of
 * an exited leader (mem_tid), whose own status has no memory lines and
 * whose own cgroup file shows v1's root; the owner from the process. */
static void enrich(struct lctx *c, struct pidh *h, struct victim *v)
{
	struct proc_status st;
	struct pidh th, *mh = h;

	if (v->mem_tid && pidh_open_task(&th, h, v->mem_tid) == 0)
		mh = &th;
	else if (v->mem_tid)
		mh = NULL;
	if ((c->needs & N_STATUS) && mh && status_read(mh, &st) == 0) {
		if ((st.has & (STF_VMSWAP | STF_VMPTE)) == (STF_VMSWAP | STF_VMPTE)) {
			v->have_status = true;
			v->swap = st.vmswap;
			v->pgtables = st.vmpte;
		}
		if (st.has & STF_UID) {
			v->have_uid = true;
			v->uid = st.uid[1];
		}
	}
	if ((c->needs & N_USER) && !v->have_uid && proc_euid(h, &v->uid) == 0)
		v->have_uid = true;
	if ((c->needs & N_CGROUP) && mh) {
		char path[1024];

		if (memcg_path(c, mh, path, sizeof(path)) == 0)
			v->cgroup = xstrdup(path);
	}
	if (mh == &th)
		pidh_close(&th);
}

static int visit(struct pidh *h, const struct proc_stat *st, const struct proc_status *status,
		 void *ctx)
{
	struct lctx *c = ctx;
	struct victim *v;
	struct proc_stat ts;
	int64_t rss;
	pid_t tid = 0;

	(void)status;
	/* Kernel threads and zombies have no memory the killer could free. */
	if ((st->flags & PF_KTHREAD_FLAG) || (st->state == 'Z' && st->num_threads <= 1))
		return 0;
	/* An exited leader whose threads run: its own stat shows rss 0, a
	 * live thread's shows the process's memory. None live: it is ending. */
	if (st->state == 'Z' &&
	    (pidh_pin(h, st->starttime) < 0 || (tid = proc_live_thread(h, &ts)) <= 0))
		return 0;
	/* The filter passed a process with a line of its cgroup file under
	 * the path, in any hierarchy; only its memory cgroup puts it among
	 * the candidates of that cgroup's OOM kill, and v1 hierarchies can
	 * hold one path in one and another in the next. */
	if (c->memcg) {
		struct pidh th, *mh = h;
		char path[1024];
		bool in;

		if (tid && pidh_open_task(&th, h, tid) < 0)
			return 0;
		if (tid)
			mh = &th;
		in = memcg_path(c, mh, path, sizeof(path)) == 0 &&
		     cgroup_path_under(path, strlen(path), c->memcg);
		if (mh == &th)
			pidh_close(&th);
		if (!in)
			return 0;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	v = &c->v[c->n++];
	memset(v, 0, sizeof(*v));
	v->pid = st->pid;
	v->starttime = st->starttime;
	memcpy(v->comm, st->comm, sizeof(v->comm));
	v->comm_len = st->comm_len;
	v->state = st->state;
	v->threads = st->num_threads;
	v->mem_tid = tid;
	rss = tid ? ts.rss : st->rss;
	v->rss = rss > 0 ? (uint64_t)rss * (uint64_t)procfs_page_size() : 0;
	v->have_score = read_int(h, "oom_score", &v->score) == 0;
	v->have_adj = read_int(h, "oom_score_adj", &v->adj) == 0;
	if (!c->deferred)
		enrich(c, h, v);
	return 0;
}

static int cmp_score(const void *a, const void *b)
{
	const struct victim *x = a, *y = b;

	if (x->have_score != y->have_score)
		return x->have_score ? -1 : 1;
	if (x->score != y->score)
		return (x->score < y->score) - (x->score > y->score);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The kernel's oom_score of a process, computed (kernel 5.9 and later):
 * (1000 + badness * 1000 / total) * 2 / 3, badness = rss + swap + page
 * tables, in pages, plus adj * total / 1000; -1000 is never killed (0). */
static int64_t score_of(uint64_t pages, int64_t adj, uint64_t total)
{
	int64_t badness;

	if (adj <= -1000 || !total)
		return 0;
	badness = (int64_t)pages + adj * (int64_t)(total / 1000);
	return (1000 + badness * 1000 / (int64_t)total) * 2 / 3;
}

static int do_list(const struct procfs *pf, struct common_opts *co, struct table *t, size_t top)
{
	struct lctx c = { .pf = pf };
	struct scan_stats ss = { 0 };
	struct memcg mc;
	struct meminfo mi;
	bool cg = co->filt.cgroup != NULL;
	const uint64_t ps = (uint64_t)procfs_page_size();
	uint64_t total = 0, bytes;
	int r;

	c.needs = table_needs(t) | (cg ? N_STATUS : 0);
	c.deferred = top && !cg && (!co->out.sort || !strcasecmp(co->out.sort, "oom_score")) &&
		     !co->out.reverse;
	if (c.needs & N_CGROUP || cg)
		cgroup_mounts_read(pf, &c.mounts);
	/* Inside a memory cgroup the kernel weighs against the limit and the
	 * swap the cgroup may use, and oom_score (global) says nothing:
	 * compute it. */
	if (cg) {
		c.memcg = co->filt.cgroup;
		if (cgroup_memory_at(&c.mounts, !c.mounts.memory[0], co->filt.cgroup, &mc) < 0 ||
		    mc.limit == UINT64_MAX || mc.limit == MEMCG_UNKNOWN) {
			fprintf(stderr, "%s: %s: no memory cgroup with a limit there\n",
				program_invocation_short_name, co->filt.cgroup);
			return EXIT_FATAL;
		}
		r = meminfo_read(pf, &mi) < 0 || !meminfo_has(&mi, MI_SWAPTOTAL) ? -ENODATA
		    : cgroup_memory_oom_total(pf, &mc, mi.v[MI_SWAPTOTAL], &bytes);
		if (r < 0) {
			fprintf(stderr, "%s: %s: cannot tell how much swap the cgroup may use: %s\n",
				program_invocation_short_name, co->filt.cgroup,
				r == -ENODATA ? "no SwapTotal in meminfo" : strerror(-r));
			return EXIT_FATAL;
		}
		total = bytes / ps;
		table_meta(t, "cgroup_limit", "cgroup limit", COL_SIZE, NULL, (int64_t)mc.limit, 0,
			   NULL);
		table_meta(t, "cgroup_total", "weighed against (the limit and the swap it may use)",
			   COL_SIZE, NULL, (int64_t)bytes, 0, NULL);
	}
	r = scan_processes(pf, &co->filt, c.deferred ? 0 : SCAN_DIR, visit, &c, &ss);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name, pf->proc,
			strerror(-r));
		return EXIT_FATAL;
	}
	scan_report(pf, &ss);
	if (c.deferred) {
		qsort(c.v, c.n, sizeof(*c.v), cmp_score);
		if (c.n > top)
			c.n = top;
		for (size_t i = 0; i < c.n; i++) {
			struct pidh h;
			struct proc_stat st;

			/* Only the rows shown are read further; the PID must
			 * still be the process that was ranked. */
			if (pidh_open(&h, pf, c.v[i].pid, true) == 0 && stat_read(&h, &st) == 0 &&
			    st.starttime == c.v[i].starttime)
				enrich(&c, &h, &c.v[i]);
			pidh_close(&h);
		}
	}
	table_default_sort(t, COL_OOM_SCORE);
	for (size_t i = 0; i < c.n; i++) {
		const struct victim *v = &c.v[i];
		size_t row = table_add_row(t);
		char name[64];

		table_set_num(t, row, COL_PID, v->pid);
		/* Above adj -999 the kernel's oom_score is 0 only for a
		 * process it never picks (a vfork child before its exec, one
		 * already being killed), in a cgroup's OOM as in the
		 * machine's: its memory, the vfork parent's, must not rank it. */
		if (cg && v->have_score && v->score == 0 && v->have_adj && v->adj > -999)
			table_set_num(t, row, COL_OOM_SCORE, 0);
		else if (cg && v->have_status && v->have_adj)
			table_set_num(t, row, COL_OOM_SCORE,
				      score_of(v->rss / ps + v->swap / ps + v->pgtables / ps,
					       v->adj, total));
		else if (!cg && v->have_score)
			table_set_num(t, row, COL_OOM_SCORE, v->score);
		if (v->have_adj)
			table_set_num(t, row, COL_OOM_ADJ, v->adj);
		table_set_size(t, row, COL_RSS, v->rss);
		if (v->have_status) {
			table_set_size(t, row, COL_SWAP, v->swap);
			table_set_size(t, row, COL_PGTABLES, v->pgtables);
		}
		if (v->have_uid) {
			user_name(v->uid, name, sizeof(name));
			table_set_cstr(t, row, COL_USER, name);
		}
		table_set_str(t, row, COL_COMM, v->comm, v->comm_len);
		if (v->cgroup)
			table_set_cstr(t, row, COL_CGROUP, v->cgroup);
	}
	if (top)
		table_limit(t, top);
	table_print(t, &co->out);
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].cgroup);
	free(c.v);
	return 0;
}

/* ---- explain ---- */

static void explain_row(struct table *t, const char *item, int64_t pages, const char *note)
{
	size_t r = table_add_row(t);

	table_set_cstr(t, r, COL_ITEM, item);
	table_set_num(t, r, COL_PAGES, pages);
	table_set_cstr(t, r, COL_NOTE, note);
}

/* The memory cgroup whose OOM would weigh the process in mh: of its memory
 * cgroup and their ancestors that have a limit, the one with the least
 * room left, which reaches its limit first. *total is what that OOM
 * weighs against, in pages. Returns 1 with mc/b filled, 0 when no
 * cgroup there has a limit (mc filled when the process's memory cgroup
 * could be read, else mc->path empty), or -errno when the swap the
 * cgroup may use cannot be told. */
static int explain_memcg(const struct procfs *pf, struct pidh *mh, const struct meminfo *mi,
			 struct memcg *mc, struct memcg *b, uint64_t *total)
{
	struct cgroup_mounts m;
	uint64_t bytes;
	int r;

	cgroup_mounts_read(pf, &m);
	if (cgroup_memory_of(&m, mh, mc) < 0) {
		mc->path[0] = '\0';
		return 0;
	}
	if (!cgroup_memory_binding(&m, mc, b))
		return 0;
	if (!meminfo_has(mi, MI_SWAPTOTAL))
		return -ENODATA;
	r = cgroup_memory_oom_total(pf, b, mi->v[MI_SWAPTOTAL], &bytes);
	if (r < 0)
		return r;
	*total = bytes / (uint64_t)procfs_page_size();
	return 1;
}

/* The rows of one OOM context: what it weighs against, the adjustment's
 * share of that, the badness and the score. prefix names the context's
 * items ("" for the machine's, "cgroup_"); what_total says what the total
 * is made of. Returns the computed score. */
static int64_t explain_context(struct table *t, const char *prefix, uint64_t pages, int64_t adj,
			       uint64_t total, const char *what_total)
{
	int64_t computed = score_of(pages, adj, total);
	char item[32], note[1400];

	snprintf(item, sizeof(item), "%stotal", prefix);
	explain_row(t, item, (int64_t)total, what_total);
	snprintf(item, sizeof(item), "%sadj", prefix);
	snprintf(note, sizeof(note), "oom_score_adj %lld x %stotal / 1000", (long long)adj, prefix);
	explain_row(t, item, adj * (int64_t)(total / 1000), note);
	snprintf(item, sizeof(item), "%sbadness", prefix);
	snprintf(note, sizeof(note), "rss + swap + pgtables + %sadj", prefix);
	explain_row(t, item, (int64_t)pages + adj * (int64_t)(total / 1000), note);
	snprintf(item, sizeof(item), "%sscore", prefix);
	snprintf(note, sizeof(note), adj <= -1000 ? "-1000: never killed"
		 : "(1000 + %sbadness x 1000 / %stotal) x 2 / 3 (Linux 5.9 and later)", prefix,
		 prefix);
	explain_row(t, item, computed, note);
	return computed;
}

static int do_explain(const struct procfs *pf, struct common_opts *co, struct table *t,
		      pid_t pid)
{
	struct proc_status st;
	struct proc_stat s;
	struct meminfo mi;
	struct memcg mc, b;
	struct pidh h, th, *mh = &h;
	const unsigned need = STF_RSSANON | STF_RSSFILE | STF_RSSSHMEM | STF_VMSWAP | STF_VMPTE;
	int64_t adj, score, computed;
	uint64_t ps = (uint64_t)procfs_page_size(), rss, pages, total, cgtotal = 0;
	char note[1400];
	int r, cg = 0;

	/* Refused (hidepid=noaccess) is not gone: say which it is. */
	if ((r = pidh_open(&h, pf, pid, true)) < 0 || (r = stat_read(&h, &s)) < 0) {
		note_pid_unreadable(pf, pid, "stat", r == -EINVAL ? -ENOENT : r);
		pidh_close(&h);
		return EXIT_FATAL;
	}
	if (s.flags & PF_KTHREAD_FLAG) {
		fprintf(stderr, "%s: %d: a kernel thread: it has no memory of its own\n",
			program_invocation_short_name, (int)pid);
		pidh_close(&h);
		return EXIT_FATAL;
	}
	/* An exited leader whose threads run: the leader's own status has no
	 * memory lines, a live thread's has the process's. */
	if (s.state == 'Z' && s.num_threads > 1 && pidh_open_live_thread(&h, &th, NULL) > 0)
		mh = &th;
	if (s.state == 'Z' && mh == &h) {
		fprintf(stderr, "%s: %d: a zombie: it holds no memory\n",
			program_invocation_short_name, (int)pid);
		pidh_close(&h);
		return EXIT_FATAL;
	}
	r = status_read(mh, &st);
	if (r == 0 && (st.has & need) != need)
		r = -ENODATA;
	if (r == 0)
		r = read_int(&h, "oom_score_adj", &adj);
	if (r == 0)
		r = read_int(&h, "oom_score", &score);
	if (r == 0)
		r = meminfo_read(pf, &mi);
	/* The cgroup through the live thread too: v1 shows an exited leader
	 * in the root cgroup. */
	if (r == 0)
		cg = explain_memcg(pf, mh, &mi, &mc, &b, &cgtotal);
	if (mh == &th)
		pidh_close(&th);
	pidh_close(&h);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read the memory of %d: %s\n",
			program_invocation_short_name, (int)pid,
			r == -ENOENT ? "it exited" : strerror(-r));
		return EXIT_FATAL;
	}
	if (cg < 0) {
		struct sbuf p = { 0 };

		escape_append(&p, b.path, strlen(b.path), ESC_TABLE);
		fprintf(stderr, "%s: %s: cannot tell how much swap the cgroup may use: %s: "
			"its OOM left out\n", program_invocation_short_name, p.s,
			cg == -ENODATA ? "no SwapTotal in meminfo" : strerror(-cg));
		sbuf_free(&p);
	}
	rss = (st.rssanon + st.rssfile + st.rssshmem) / ps;
	pages = rss + st.vmswap / ps + st.vmpte / ps;
	total = (mi.v[MI_MEMTOTAL] + mi.v[MI_SWAPTOTAL]) / ps;
	explain_row(t, "rss", (int64_t)rss, "RssAnon + RssFile + RssShmem (status)");
	explain_row(t, "swap", (int64_t)(st.vmswap / ps), "VmSwap: swap entries");
	explain_row(t, "pgtables", (int64_t)(st.vmpte / ps), "VmPTE: page tables");
	/* Two OOMs can take the process: the machine's, whose score the
	 * kernel shows in oom_score, and its memory cgroup's, which weighs
	 * the same badness against the cgroup's limit and shows nothing. */
	computed = explain_context(t, "", pages, adj, total,
				   "MemTotal + SwapTotal: a global OOM (the machine's) weighs "
				   "against it");
	snprintf(note, sizeof(note), "oom_score of %d (global): %s", (int)pid,
		 !procfs_kernel_at_least(pf, 5, 9) ? "this kernel predates the formula above (before 5.9: "
		 "badness x 1000 / total, 0-1000)" : computed - score <= 1 && score - computed <= 1
		 ? "agrees" : score == 0 ? "0: the kernel never picks it (init, a vfork child, "
		 "one already being killed, or not visible to us)"
		 : "differs (RSS counters are cached per thread before 6.2)");
	explain_row(t, "oom_score", score, note);
	if (cg > 0) {
		snprintf(note, sizeof(note), "%s of %s + the swap it may use: an OOM of that "
			 "cgroup weighs against it", b.v2 ? "memory.max" : "memory.limit_in_bytes",
			 b.path);
		explain_context(t, "cgroup_", pages, adj, cgtotal, note);
	}
	table_meta(t, "pid", "process", COL_NUM, NULL, pid, 0, NULL);
	table_meta(t, "comm", "command", COL_TEXT, NULL, 0, 0, s.comm);
	table_meta(t, "agrees", "computed score agrees with the kernel (within 1)", COL_NUM, NULL,
		   computed - score <= 1 && score - computed <= 1, 0, NULL);
	table_meta(t, "memcg", "memory cgroup", COL_TEXT, NULL, 0, 0,
		   mc.path[0] ? mc.path : NULL);
	table_meta(t, "cgroup_oom", "cgroup rows weighed against the limit of", COL_TEXT, NULL, 0,
		   0, cg > 0 ? b.path : NULL);
	if (!cg && mc.path[0])
		table_meta(t, NULL, "cgroup OOM", COL_TEXT, NULL, 0, 0,
			   "none: no limit on its memory cgroup or above it");
	table_print(t, &co->out);
	return 0;
}

/* ---- set / protect / reset ---- */

/* Writing oom_score_adj also writes it to every other process on the same
 * memory when the kernel marked that memory as shared between processes
 * (MMF_MULTIPROCESS: a clone(CLONE_VM) without CLONE_VFORK made it so), a
 * vfork child aside, and nothing else when the target is itself a vfork
 * child (fs/proc/base.c __set_oom_adj, kernel/fork.c copy_oom_score_adj).
 * The flag cannot be read, but the sharing it stands for can: kcmp(2)
 * KCMP_VM tells whether two tasks have one memory. */

#ifndef KCMP_VM
#define KCMP_VM 1
#endif

/* Returns 0 when tasks a and b have one memory, 1 when not, or -errno
 * (-ENOSYS without kcmp, -EPERM for a task we may not inspect, -ESRCH). */
static int kcmp_vm(pid_t a, pid_t b)
{
#ifdef SYS_kcmp
	long r = syscall(SYS_kcmp, a, b, KCMP_VM, 0, 0);

	return r < 0 ? -errno : r != 0;
#else
	(void)a;
	(void)b;
	return -ENOSYS;
#endif
}

/* A process that may share a target's memory. */
struct peer {
	pid_t pid, ppid;
	pid_t tid;		/* the task compared: a live thread of an exited leader */
	char comm[64];
	size_t comm_len;
	bool refused;		/* kcmp said no: another user's process */
};

struct peers {
	bool listed;
	int unavailable;	/* errno when kcmp cannot be used at all, else 0 */
	struct peer *p;
	size_t n;
	size_t refused;		/* other processes that could not be compared */
};

static int collect_peer(struct pidh *h, const struct proc_stat *st,
			const struct proc_status *status, void *ctx)
{
	struct peers *ps = ctx;
	struct peer *p;
	pid_t tid = st->pid;

	(void)status;
	/* The kernel leaves kernel threads and init alone; zombies have no
	 * memory; an exited leader's memory is its live threads'. */
	if ((st->flags & PF_KTHREAD_FLAG) || st->pid == 1 || st->pid == getpid() ||
	    ((st->state == 'Z' || st->state == 'X') && st->num_threads <= 1))
		return 0;
	if (st->state == 'Z' && (pidh_pin(h, st->starttime) < 0 ||
				 (tid = proc_live_thread(h, NULL)) <= 0))
		return 0;
	ps->p = xreallocarray(ps->p, ps->n + 1, sizeof(*ps->p));
	p = &ps->p[ps->n++];
	p->pid = st->pid;
	p->ppid = st->ppid;
	p->tid = tid;
	memcpy(p->comm, st->comm, sizeof(p->comm));
	p->comm_len = st->comm_len;
	p->refused = false;
	return 0;
}

struct vfork_ctx {
	bool waiting;
};

static int vfork_task(struct pidh *h, const struct proc_stat *st,
		      const struct proc_status *status, void *ctx)
{
	struct vfork_ctx *c = ctx;
	enum wait_family f;
	struct kstack ks;
	const char *hint;
	char w[128];

	(void)status;
	if (st->state != 'D')
		return 0;
	f = wchan_read(h, w, sizeof(w)) == 0 ? wait_classify(w, &hint) : WAIT_UNKNOWN;
	/* No wait channel (ORC unwinders before 5.16): the stack, for root. */
	if (f == WAIT_UNKNOWN && kstack_read(h, &ks) == 0)
		f = wait_classify_task(NULL, &ks, &hint);
	if (f == WAIT_VFORK) {
		c->waiting = true;
		return -ECANCELED;	/* found: stop */
	}
	return 0;
}

/* Whether a thread of process pid waits in the kernel for its vfork child.
 * When that cannot be told (no wait channel, no stack), false: the child
 * then counts as an ordinary sharer, and the target is refused rather
 * than written with a neighbour. */
static bool vfork_waiting(const struct procfs *pf, pid_t pid)
{
	struct vfork_ctx c = { false };
	struct scan_stats ss = { 0 };
	struct proc_stat st;
	struct pidh h;

	if (pidh_open(&h, pf, pid, true) == 0 && stat_read(&h, &st) == 0)
		scan_process_tasks(&h, &st, vfork_task, &c, &ss);
	pidh_close(&h);
	return c.waiting;
}

static struct peer *peer_of(struct peers *ps, pid_t pid)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->p[i].pid == pid)
			return &ps->p[i];
	return NULL;
}

/* The processes other than tgid whose oom_score_adj the kernel would set
 * along with it: those sharing its memory (compared through its task tid),
 * less vfork children; none when it is a vfork child itself. Their
 * indices into ps->p go into *outp (malloc'd; the caller frees). The
 * other processes are listed at the first call. Returns how many; when
 * the target itself cannot be compared (another user's), 0 with the
 * errno in *self_err, else *self_err is 0. */
static size_t mm_sharers(const struct procfs *pf, struct peers *ps, pid_t tgid, pid_t tid,
			 pid_t ppid, size_t **outp, int *self_err)
{
	size_t n = 0, k = 0, *out;
	struct peer *parent;
	int r;

	if (!ps->listed) {
		struct scan_stats ss = { 0 };
		static const struct filter none;

		ps->listed = true;
		if ((r = kcmp_vm(getpid(), getpid())) < 0)
			ps->unavailable = -r;
		else
			scan_processes(pf, &none, 0, collect_peer, ps, &ss);
	}
	*outp = out = xreallocarray(NULL, ps->n + 1, sizeof(*out));
	*self_err = 0;
	if (ps->unavailable)
		return 0;
	/* Not counted with the other processes: the target is not one of
	 * them, and its write, which needs much the same access, most often
	 * fails as well, saying why itself. */
	if ((r = kcmp_vm(tid, tid)) < 0) {
		if (r != -ESRCH)
			*self_err = -r;
		return 0;
	}
	for (size_t i = 0; i < ps->n; i++) {
		struct peer *p = &ps->p[i];

		if (p->pid == tgid)
			continue;
		r = kcmp_vm(tid, p->tid);
		if (r == 0)
			out[n++] = i;
		else if ((r == -EPERM || r == -EACCES) && !p->refused) {
			p->refused = true;
			ps->refused++;
		}
	}
	if (!n)
		return 0;
	/* A vfork child: its parent shares its memory and waits for it. */
	parent = peer_of(ps, ppid);
	for (size_t i = 0; parent && i < n; i++)
		if (&ps->p[out[i]] == parent && vfork_waiting(pf, ppid))
			return 0;
	/* The same test for each sharer, whose parent is the target or
	 * another sharer: the kernel passes over vfork children. */
	for (size_t i = 0; i < n; i++) {
		const struct peer *p = &ps->p[out[i]];
		bool on_memory = p->ppid == tgid;

		for (size_t j = 0; j < n && !on_memory; j++)
			on_memory = ps->p[out[j]].pid == p->ppid;
		if (!on_memory || !vfork_waiting(pf, p->ppid))
			out[k++] = out[i];
	}
	return k;
}

/* The refusal of a target whose memory others share, naming them. */
static void refuse_shared(const struct peers *ps, const char *who, const size_t *idx, size_t n)
{
	struct sbuf b = { 0 };

	for (size_t i = 0; i < n && i < 8; i++) {
		const struct peer *p = &ps->p[idx[i]];

		sbuf_printf(&b, "%s%d (", i ? ", " : "", (int)p->pid);
		escape_append(&b, p->comm, p->comm_len, ESC_TABLE);
		sbuf_addc(&b, ')');
	}
	if (n > 8)
		sbuf_printf(&b, " and %zu more", n - 8);
	fprintf(stderr, "%s: %s: shares its memory with %s: the kernel would set %s "
		"oom_score_adj too (clone(CLONE_VM)); not done\n", program_invocation_short_name,
		who, b.s, n == 1 ? "its" : "their");
	sbuf_free(&b);
}

/* A process to write: a PID given as a number, or one that -C NAME
 * matched, which is known by its start time from the moment it matched. */
struct target {
	pid_t pid;
	uint64_t starttime;
	const char *name;	/* -C NAME, or NULL for a PID given as a number */
};

/* Write v to an oom_score_adj opened for writing, whole, in one write
 * (the kernel parses each write on its own). Returns false with errno. */
static bool write_adj(int fd, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld\n", (long long)v);

	return write(fd, buf, (size_t)n) == n;
}

/* A process matched by NAME and written that bears another name now
 * (after): its old value is written back if ours is still there (mine),
 * and stderr says what was done. */
static void put_back(const struct pidh *h, const char *name, pid_t pid,
		     const struct proc_stat *after, int64_t old, bool mine)
{
	struct sbuf now = { 0 }, was = { 0 };
	int fd = -1;
	bool back = mine && (fd = openat(h->dirfd, "oom_score_adj",
					 O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0 &&
		    write_adj(fd, old);
	int e = errno;

	if (fd >= 0)
		close(fd);
	escape_append(&now, after->comm, after->comm_len, ESC_TABLE);
	escape_append(&was, name, strlen(name), ESC_TABLE);
	if (back)
		fprintf(stderr, "%s: %d (%s): no longer named '%s' after the write: put back "
			"to %lld, not done\n", program_invocation_short_name, (int)pid, now.s,
			was.s, (long long)old);
	else if (!mine)
		fprintf(stderr, "%s: %d (%s): no longer named '%s' after the write, and it has "
			"set its own value since: left as it is\n", program_invocation_short_name,
			(int)pid, now.s, was.s);
	else
		fprintf(stderr, "%s: %d (%s): no longer named '%s' after the write, and the "
			"old value %lld could not be put back: %s\n", program_invocation_short_name,
			(int)pid, now.s, was.s, (long long)old, strerror(e));
	sbuf_free(&now);
	sbuf_free(&was);
}

/* Write adj to one process. Returns 0, or 1 after a message on stderr. */
static int set_one(const struct procfs *pf, struct peers *ps, struct table *t,
		   const struct target *tg, int adj, bool dry)
{
	struct proc_stat before, after;
	struct proc_status status;
	struct sbuf who = { 0 };
	struct pidh h;
	int64_t old, now;
	pid_t pid = tg->pid, tid = pid;
	size_t *sharers = NULL, nshare;
	int fd, rc = 1, unchecked;
	size_t r;

	if (pidh_open(&h, pf, pid, true) < 0 || stat_read(&h, &before) < 0) {
		fprintf(stderr, "%s: %d: no such process\n", program_invocation_short_name, (int)pid);
		goto out;
	}
	/* A name was matched some time ago (the other targets came first):
	 * the PID must still be that process, not one that took over the
	 * number since, and it must still bear the name (it may have exec'd
	 * another program). h pins it from here on. */
	if (tg->name && before.starttime != tg->starttime) {
		fprintf(stderr, "%s: %d: exited before the write\n", program_invocation_short_name,
			(int)pid);
		goto out;
	}
	/* "PID (COMM)" for the messages: the name is escaped like any output,
	 * so that it cannot retitle or clear the terminal. */
	sbuf_printf(&who, "%d (", (int)pid);
	escape_append(&who, before.comm, before.comm_len, ESC_TABLE);
	sbuf_addc(&who, ')');
	if (tg->name && strcmp(before.comm, tg->name)) {
		struct sbuf name = { 0 };

		escape_append(&name, tg->name, strlen(tg->name), ESC_TABLE);
		fprintf(stderr, "%s: %s: no longer named '%s': not done\n",
			program_invocation_short_name, who.s, name.s);
		sbuf_free(&name);
		goto out;
	}
	if (before.flags & PF_KTHREAD_FLAG) {
		fprintf(stderr, "%s: %s: a kernel thread: the OOM killer never takes it\n",
			program_invocation_short_name, who.s);
		goto out;
	}
	if (before.state == 'Z' && before.num_threads <= 1) {
		fprintf(stderr, "%s: %s: a zombie: it holds no memory and is already dead\n",
			program_invocation_short_name, who.s);
		goto out;
	}
	/* /proc/TID opens for any thread, and a write there changes its
	 * whole process: a TID would get past the refusal of PID 1 and of
	 * ourselves, which looks at the number given, and the row would show
	 * the thread as the process. TARGET is a process: a thread is
	 * refused, naming the process to give instead. */
	if (status_read(&h, &status) < 0 || !(status.has & STF_TGID)) {
		fprintf(stderr, "%s: %s: cannot read its status\n", program_invocation_short_name,
			who.s);
		goto out;
	}
	if (status.tgid != pid) {
		fprintf(stderr, "%s: %s: a thread of process %d, not a process: oom_score_adj is "
			"the process's; not done\n", program_invocation_short_name, who.s,
			status.tgid);
		goto out;
	}
	/* An exited leader's memory is its live threads'. */
	if (before.state == 'Z' && (tid = proc_live_thread(&h, NULL)) <= 0) {
		fprintf(stderr, "%s: %d: exited before the write\n", program_invocation_short_name,
			(int)pid);
		goto out;
	}
	nshare = mm_sharers(pf, ps, pid, tid, before.ppid, &sharers, &unchecked);
	if (nshare) {
		refuse_shared(ps, who.s, sharers, nshare);
		goto out;
	}
	if (read_int(&h, "oom_score_adj", &old) < 0) {
		fprintf(stderr, "%s: %d: cannot read oom_score_adj\n", program_invocation_short_name,
			(int)pid);
		goto out;
	}
	now = old;
	/* Through the directory fd: if the PID was reused since, the fd
	 * still names the old (dead) process and the open fails. A dry run
	 * opens the file too, and so is refused where the real run would be
	 * for the owner (another user's process); a lower value than the
	 * process's floor only the write itself can tell. */
	fd = openat(h.dirfd, "oom_score_adj", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (!dry && !write_adj(fd, adj))) {
		int e = errno;
		bool opened = fd >= 0;

		if (opened)
			close(fd);
		if (e == ESRCH || e == ENOENT)
			fprintf(stderr, "%s: %d: exited before the write\n",
				program_invocation_short_name, (int)pid);
		/* The file opens for its owner only (another user's process
		 * is refused there, whatever the value); the kernel refuses
		 * a lower value at the write. */
		else if ((e == EACCES || e == EPERM) && opened && adj < old)
			fprintf(stderr, "%s: %s: lowering oom_score_adj needs CAP_SYS_RESOURCE: %s\n",
				program_invocation_short_name, who.s, strerror(e));
		else
			fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, who.s,
				strerror(e));
		goto out;
	}
	close(fd);
	if (!dry && (stat_read(&h, &after) < 0 || after.starttime != before.starttime ||
		     read_int(&h, "oom_score_adj", &now) < 0)) {
		fprintf(stderr, "%s: %d: exited during the write\n", program_invocation_short_name,
			(int)pid);
		goto out;
	}
	/* The name was checked before the write, and the process may have
	 * exec'd (or renamed itself) between that check and the write: the
	 * value, which survives an exec, would stay on another program.
	 * Read after the write, a changed name puts the old value back,
	 * unless the new program has already set one of its own. */
	if (!dry && tg->name && strcmp(after.comm, tg->name)) {
		put_back(&h, tg->name, pid, &after, old, now == adj);
		goto out;
	}
	r = table_add_row(t);
	table_set_num(t, r, COL_PID, pid);
	table_set_str(t, r, COL_COMM, before.comm, before.comm_len);
	table_set_num(t, r, COL_OLD, old);
	table_set_num(t, r, COL_NEW, dry ? adj : now);
	if (!dry && now != adj) {
		fprintf(stderr, "%s: %d: oom_score_adj reads back %lld, not %d\n",
			program_invocation_short_name, (int)pid, (long long)now, adj);
		goto out;
	}
	/* Written (a process we may write but not inspect: a setuid
	 * program that kept our UID, no CAP_SYS_PTRACE in a container),
	 * the value may have gone to processes sharing its memory too. */
	if (unchecked)
		fprintf(stderr, "%s: %s: %s without checking whether it shares its memory with "
			"other processes, which the kernel would set too (kcmp: %s%s)\n",
			program_invocation_short_name, who.s, dry ? "would be written" : "written",
			strerror(unchecked), unchecked == EPERM || unchecked == EACCES
			? ": needs root or CAP_SYS_PTRACE" : "");
	rc = 0;
out:
	pidh_close(&h);
	sbuf_free(&who);
	free(sharers);
	return rc;
}

struct comm_ctx {
	const char *name;
	struct target *t;
	size_t n;
};

static int find_comm(struct pidh *h, const struct proc_stat *st,
		     const struct proc_status *status, void *ctx)
{
	struct comm_ctx *c = ctx;

	(void)h;
	(void)status;
	/* A name picks live processes: a zombie of that name has no memory
	 * and no adjustment to set (an exited leader whose threads run is
	 * alive, and taken). */
	if (strcmp(st->comm, c->name) || (st->flags & PF_KTHREAD_FLAG) || st->pid == getpid() ||
	    st->pid == 1 || ((st->state == 'Z' || st->state == 'X') && st->num_threads <= 1))
		return 0;
	c->t = xreallocarray(c->t, c->n + 1, sizeof(*c->t));
	c->t[c->n++] = (struct target){ st->pid, st->starttime, c->name };
	return 0;
}

/* An output option among set's words (-r, -J, --format json, -o LIST...):
 * handled like anywhere else. Returns true if argv[*i] was one. */
static bool set_output_option(struct common_opts *co, int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		int opt;
		bool arg;
	} opts[] = {
		{ "-r", 'r', false }, { "--raw", 'r', false }, { "-n", 'n', false },
		{ "--noheadings", 'n', false }, { "-P", 'P', false }, { "--pairs", 'P', false },
		{ "-J", 'J', false }, { "--json", 'J', false }, { "-b", 'b', false },
		{ "--bytes", 'b', false }, { "-o", 'o', true }, { "--output", 'o', true },
		{ "--format", OPT_FORMAT, true },
	};

	for (size_t k = 0; k < ARRAY_SIZE(opts); k++) {
		size_t len = strlen(opts[k].name);

		/* --output=LIST and --format=FMT, as getopt_long takes them. */
		if (opts[k].arg && len > 2 && !strncmp(argv[*i], opts[k].name, len) &&
		    argv[*i][len] == '=') {
			common_opt(co, opts[k].opt, argv[*i] + len + 1);
			argv[*i] = NULL;
			return true;
		}
		if (strcmp(argv[*i], opts[k].name))
			continue;
		if (opts[k].arg && *i + 1 >= argc)
			usage_error("%s needs a value", opts[k].name);
		common_opt(co, opts[k].opt, opts[k].arg ? argv[++*i] : NULL);
		argv[*i] = NULL;
		if (opts[k].arg)
			argv[*i - 1] = NULL;
		return true;
	}
	return false;
}

static void usage(void);

/* set ADJ TARGET..., protect TARGET..., reset TARGET...: TARGET is a PID or
 * -C NAME. A negative ADJ is a value, not an option. */
static int do_set(const struct procfs *pf, struct common_opts *co, struct table *t,
		  const char *verb, int argc, char **argv)
{
	static const struct filter none;
	bool dry = false, have_adj = strcmp(verb, "set") != 0, opts_done = false;
	int adj = !strcmp(verb, "protect") ? -1000 : 0, failed = 0, targets = 0;
	pid_t *done = NULL;
	size_t ndone = 0;
	struct peers peers = { 0 };
	char err[128];

	if (pf->alternate)
		errx(EXIT_FATAL, "writes refuse an alternate proc root (%s)", pf->proc);
	/* First pass: options and the ADJ. "--" ends the options, as in
	 * every command: after it, only the ADJ and the TARGETs. */
	for (int i = 0; i < argc; i++) {
		if (!opts_done && !strcmp(argv[i], "--")) {
			opts_done = true;
			argv[i] = NULL;
			continue;
		}
		if (!opts_done && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
			usage();
			exit(out_finish(0));
		}
		if (!opts_done && set_output_option(co, argc, argv, &i))
			continue;
		if (!opts_done && !strcmp(argv[i], "--dry-run")) {
			dry = true;
			argv[i] = NULL;
		} else if (!strcmp(argv[i], "-C") || !strcmp(argv[i], "--comm")) {
			if (++i == argc)
				usage_error("-C needs a NAME");
		} else if (!have_adj) {
			if (parse_adj(argv[i], &adj) < 0)
				usage_error("invalid ADJ: '%s' (a decimal from -1000 to 1000)",
					    argv[i]);
			have_adj = true;
			argv[i] = NULL;
		}
	}
	if (!have_adj)
		usage_error("set needs ADJ and a TARGET");
	/* Output options may have come after the subcommand: choose again. */
	if (table_select(t, "PID,COMM,OLD,NEW", &co->out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	/* Every TARGET is checked before anything is written: a typo in the
	 * last one must not leave the first ones changed. */
	for (int i = 0; i < argc; i++) {
		uint64_t v;

		if (!argv[i])
			continue;
		if (!strcmp(argv[i], "-C") || !strcmp(argv[i], "--comm")) {
			i++;
			continue;
		}
		if (parse_u64_str(argv[i], &v) < 0 || v == 0 || v > 0x7fffffff)
			usage_error("invalid TARGET: '%s' (a PID or -C NAME)", argv[i]);
	}
	for (int i = 0; i < argc; i++) {
		struct comm_ctx cc = { .name = NULL };
		uint64_t v;

		if (!argv[i])
			continue;
		targets++;
		if (!strcmp(argv[i], "-C") || !strcmp(argv[i], "--comm")) {
			struct scan_stats ss = { 0 };

			cc.name = argv[++i];
			scan_processes(pf, &none, 0, find_comm, &cc, &ss);
			if (!cc.n) {
				struct sbuf name = { 0 };

				escape_append(&name, cc.name, strlen(cc.name), ESC_TABLE);
				fprintf(stderr, "%s: no process named '%s'\n",
					program_invocation_short_name, name.s ? name.s : "");
				sbuf_free(&name);
				failed++;
			}
		} else {
			parse_u64_str(argv[i], &v);
			if (v == 1 || (pid_t)v == getpid()) {
				fprintf(stderr, "%s: %d: refused (PID 1 or oomctl itself)\n",
					program_invocation_short_name, (int)v);
				failed++;
				continue;
			}
			cc.t = xmalloc(sizeof(*cc.t));
			cc.t[0] = (struct target){ (pid_t)v, 0, NULL };
			cc.n = 1;
		}
		for (size_t k = 0; k < cc.n; k++) {
			bool seen = false;

			/* Named twice (a PID and -C): done once. */
			for (size_t d = 0; d < ndone && !seen; d++)
				seen = done[d] == cc.t[k].pid;
			if (seen)
				continue;
			done = xreallocarray(done, ndone + 1, sizeof(*done));
			done[ndone++] = cc.t[k].pid;
			failed += set_one(pf, &peers, t, &cc.t[k], adj, dry);
		}
		free(cc.t);
	}
	free(done);
	if (!targets)
		usage_error("%s needs a TARGET (a PID or -C NAME)", verb);
	/* What the check of shared memory could not see: the targets are
	 * done all the same (see oomctl(1), Processes sharing memory). */
	if (peers.unavailable)
		fprintf(stderr, "%s: cannot check whether the targets share their memory with other "
			"processes (kcmp: %s): not checked\n", program_invocation_short_name,
			strerror(peers.unavailable));
	else if (peers.refused)
		fprintf(stderr, "%s: %zu process%s could not be checked for sharing memory with "
			"the targets (kcmp: permission denied: needs root or CAP_SYS_PTRACE)\n",
			program_invocation_short_name, peers.refused, peers.refused == 1 ? "" : "es");
	free(peers.p);
	/* Every target refused: stderr said why, and a header over nothing
	 * would read as a change. JSON still gives its (empty) document, for
	 * a parser; pairs and prometheus print nothing for no rows. */
	if (table_rows(t) || (co->out.fmt != FMT_TABLE && co->out.fmt != FMT_RAW))
		table_print(t, &co->out);
	if (dry && table_rows(t))
		fprintf(stderr, "%s: dry run: nothing was written\n", program_invocation_short_name);
	return failed ? EXIT_FATAL : 0;
}

/* ---- run ---- */

static int do_run(const struct procfs *pf, int argc, char **argv)
{
	int adj, fd;

	if (argc < 1 || parse_adj(argv[0], &adj) < 0)
		usage_error("run needs a valid ADJ (-1000 to 1000)");
	argc--, argv++;
	if (argc > 0 && !strcmp(argv[0], "--"))
		argc--, argv++;
	if (argc < 1)
		usage_error("run needs a COMMAND");
	if (pf->alternate)
		errx(EXIT_FATAL, "writes refuse an alternate proc root (%s)", pf->proc);
	fd = openat(pf->procfd, "self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || !write_adj(fd, adj)) {
		int e = errno;

		fprintf(stderr, "%s: cannot set oom_score_adj %d: %s%s\n",
			program_invocation_short_name, adj, strerror(e),
			e == EACCES || e == EPERM ? " (lowering it needs CAP_SYS_RESOURCE)" : "");
		return EXIT_FATAL;
	}
	close(fd);
	fflush(NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, argv[0], strerror(errno));
	/* Like a shell: 127 not found, 126 found but not runnable. */
	return errno == ENOENT ? 127 : 126;
}

/* ---- cgroups ---- */

static struct {
	struct table *t;
	struct sbuf *kills;	/* events: "PATH:N" of cgroups with kills, no rows */
	const struct cgroup_mounts *m;
	bool v2, unlimited, limited, no_swap;
	size_t mnt_len;
} walk;

static int64_t oom_kills_in(const char *dir, bool v2)
{
	char path[4096], buf[4096], *p;
	int64_t v = -1;
	const char *q;

	snprintf(path, sizeof(path), "%s/%s", dir, v2 ? "memory.events" : "memory.oom_control");
	if (procfs_read(AT_FDCWD, path, buf, sizeof(buf), 0, NULL) < 0)
		return -1;
	if ((p = strstr(buf, "oom_kill ")) && (p == buf || p[-1] == '\n')) {
		q = p + 9;
		if (parse_i64(&q, &v) < 0)
			v = -1;
	}
	return v;
}

static int walk_one(const char *dir, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *path = dir + walk.mnt_len;
	struct memcg mc;
	int64_t kills;
	size_t r;

	(void)sb;
	(void)ftw;
	if (type != FTW_D)
		return 0;
	if (cgroup_memory_at(walk.m, walk.v2, *path ? path : "/", &mc) < 0)
		return 0;
	if (walk.kills) {
		if ((kills = oom_kills_in(mc.dir, walk.v2)) > 0)
			sbuf_printf(walk.kills, "%s%s:%lld", walk.kills->len ? " " : "",
				    *path ? path : "/", (long long)kills);
		return 0;
	}
	if ((walk.unlimited && mc.limit != UINT64_MAX) ||
	    (walk.limited && (mc.limit == UINT64_MAX || mc.limit == MEMCG_UNKNOWN)))
		return 0;
	r = table_add_row(walk.t);
	table_set_cstr(walk.t, r, COL_PATH, *path ? path : "/");
	table_set_cstr(walk.t, r, COL_VERSION, walk.v2 ? "v2" : "v1");
	if (mc.limit != UINT64_MAX && mc.limit != MEMCG_UNKNOWN)
		table_set_size(walk.t, r, COL_LIMIT, mc.limit);
	if (mc.usage != MEMCG_UNKNOWN)
		table_set_size(walk.t, r, COL_USAGE, mc.usage);
	if (mc.usage != MEMCG_UNKNOWN && mc.limit != UINT64_MAX && mc.limit != MEMCG_UNKNOWN) {
		/* A limit of 0 is full from the first page. */
		table_set_float(walk.t, r, COL_PCT, mc.limit ? 100.0 * (double)mc.usage /
							       (double)mc.limit : 100.0);
		table_set_size(walk.t, r, COL_HEADROOM, mc.limit > mc.usage ? mc.limit - mc.usage : 0);
	}
	if (mc.peak != MEMCG_UNKNOWN)
		table_set_size(walk.t, r, COL_PEAK, mc.peak);
	/* With no swap on the machine, no cgroup has any: whatever v1's
	 * two counters say (a saved tree copied them at two moments). */
	if (walk.no_swap)
		table_set_size(walk.t, r, COL_SWAP, 0);
	else if (mc.swap != MEMCG_UNKNOWN)
		table_set_size(walk.t, r, COL_SWAP, mc.swap);
	if ((kills = oom_kills_in(mc.dir, walk.v2)) >= 0)
		table_set_num(walk.t, r, COL_OOM_KILLS, kills);
	return 0;
}

/* Visit every memory cgroup of both hierarchies with walk set up. Returns
 * false when no memory hierarchy is mounted. */
static bool walk_cgroups(const struct procfs *pf, struct cgroup_mounts *m)
{
	cgroup_mounts_read(pf, m);
	walk.m = m;
	if (m->memory[0]) {
		walk.v2 = false;
		walk.mnt_len = strlen(m->memory);
		nftw(m->memory, walk_one, 16, FTW_PHYS | FTW_MOUNT);
	}
	if (m->unified[0]) {
		walk.v2 = true;
		walk.mnt_len = strlen(m->unified);
		nftw(m->unified, walk_one, 16, FTW_PHYS | FTW_MOUNT);
	}
	return m->memory[0] || m->unified[0];
}

static int do_cgroups(const struct procfs *pf, struct common_opts *co, struct table *t,
		      bool unlimited, bool limited, size_t top)
{
	struct cgroup_mounts m;
	struct meminfo mi;

	walk.t = t;
	walk.unlimited = unlimited;
	walk.limited = limited;
	walk.no_swap = meminfo_read(pf, &mi) == 0 && meminfo_has(&mi, MI_SWAPTOTAL) &&
		       mi.v[MI_SWAPTOTAL] == 0;
	if (!walk_cgroups(pf, &m)) {
		fprintf(stderr, "%s: no memory cgroup hierarchy is mounted\n",
			program_invocation_short_name);
		return EXIT_FATAL;
	}
	if (top)
		table_limit(t, top);
	table_print(t, &co->out);
	return 0;
}

/* ---- events ---- */

static double since_limit = -1;

/* -p, -u and -C select the kills by the process killed, as they select
 * the live processes of list: the log names its PID, name and UID. A kill
 * whose log lines leave one out cannot be said to match. */
static bool event_wanted(const struct filter *f, const struct oom_event *ev)
{
	return (!f->npids || (ev->pid && filter_pid_ok(f, ev->pid))) &&
	       (!f->nuids || (ev->have_uid && filter_uid_ok(f, ev->uid))) &&
	       (!f->ncomms || (ev->comm_len && filter_comm_ok(f, ev->comm)));
}

static void event_row(struct table *t, const struct filter *f, const struct oom_event *ev,
		      double boot_wall)
{
	size_t r;
	double wall = ev->have_wall ? ev->wall : ev->have_mono && boot_wall > 0 ?
		      boot_wall + ev->mono : -1;

	if (since_limit >= 0 && (wall < 0 || wall < since_limit))
		return;
	if (!event_wanted(f, ev))
		return;
	r = table_add_row(t);
	if (wall >= 0) {
		time_t tt = (time_t)wall;
		struct tm tm;
		char buf[64];

		localtime_r(&tt, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		table_set_cstr(t, r, COL_TIME, buf);
	}
	if (ev->have_mono)
		table_set_float(t, r, COL_UPTIME, ev->mono);
	if (ev->pid)
		table_set_num(t, r, COL_PID, ev->pid);
	if (ev->comm_len)
		table_set_str(t, r, COL_COMM, ev->comm, ev->comm_len);
	if (ev->have_uid)
		table_set_num(t, r, COL_UID, ev->uid);
	if (ev->anon_rss >= 0)
		table_set_size(t, r, COL_ANON_RSS, (uint64_t)ev->anon_rss);
	if (ev->file_rss >= 0)
		table_set_size(t, r, COL_FILE_RSS, (uint64_t)ev->file_rss);
	if (ev->shmem_rss >= 0)
		table_set_size(t, r, COL_SHMEM_RSS, (uint64_t)ev->shmem_rss);
	if (ev->have_adj)
		table_set_num(t, r, COL_OOM_ADJ, ev->adj);
	if (ev->constraint[0])
		table_set_cstr(t, r, COL_CONSTRAINT, ev->constraint);
	if (ev->cgroup[0])
		table_set_cstr(t, r, COL_CGROUP, ev->cgroup);
	if (ev->invoker_len)
		table_set_str(t, r, COL_INVOKER, ev->invoker, ev->invoker_len);
	table_set_cstr(t, r, COL_KILL, ev->group ? "group" : "chosen");
}

/* Drain /dev/kmsg (non-blocking) into the parser. Returns 0 or -errno. */
static int drain_kmsg(int fd, struct oom_parser *p)
{
	/* A record is at most about 8 KiB (the kernel's CONSOLE_EXT_LOG_MAX). */
	char buf[16384];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		struct kmsg_rec rec;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten before we read it: go on */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return 0;
		buf[n] = '\0';
		if (kmsg_parse_record(buf, (size_t)n, &rec) == 0) {
			oom_feed(p, &rec);
			free(rec.msg);
		}
	}
}

/* Feed a saved log to the parser. Returns 0, or -errno when it could not be
 * read to its end (a directory: -EISDIR). */
static int read_text_log(FILE *f, struct oom_parser *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int e;

	errno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		struct kmsg_rec rec;

		if (kmsg_parse_text(line, (size_t)n, &rec) == 0) {
			oom_feed(p, &rec);
			free(rec.msg);
		}
	}
	e = errno;
	free(line);
	return ferror(f) ? -(e ? e : EIO) : 0;
}

/* The vmstat counter of all OOM kills since boot, or -1. */
static int64_t vmstat_oom_kills(const struct procfs *pf)
{
	struct vmstat vs;
	uint64_t v;
	int r;

	if (vmstat_read(pf, &vs) < 0)
		return -1;
	r = vmstat_get(&vs, "oom_kill", &v);
	vmstat_free(&vs);
	return r == 0 && v <= INT64_MAX ? (int64_t)v : -1;
}

static volatile sig_atomic_t stop_follow;

static void on_signal(int sig)
{
	(void)sig;
	stop_follow = 1;
}

static int do_events(const struct procfs *pf, struct common_opts *co, struct table *t,
		     const char *kmsg_file, bool follow)
{
	struct oom_parser p = { 0 };
	struct oom_event ev;
	double boot_wall = now_wall() - now_mono();
	int64_t kills;
	int fd = -1, r;
	char *tree_log = NULL;	/* the log capture saved beside a saved tree */

	if (kmsg_file && follow)
		usage_error("--follow reads the live log, not --kmsg");
	/* This machine's log is not the saved tree's: its kills are of
	 * another machine, or of later. */
	if (pf->saved && follow)
		usage_error("--follow reads the live log; a saved tree has none");
	if (pf->saved && !kmsg_file) {
		tree_log = procfs_beside(pf->proc, "dmesg");
		if (access(tree_log, F_OK) < 0) {
			fprintf(stderr, "%s: a saved tree has no kernel log beside it (%s: %s): "
				"give the saved log with --kmsg FILE\n", program_invocation_short_name,
				tree_log, strerror(errno));
			free(tree_log);
			return EXIT_FATAL;
		}
		kmsg_file = tree_log;
	}
	if (kmsg_file) {
		FILE *f = strcmp(kmsg_file, "-") ? fopen(kmsg_file, "r") : stdin;

		if (!f) {
			fprintf(stderr, "%s: cannot open %s: %s\n", program_invocation_short_name,
				kmsg_file, strerror(errno));
			return EXIT_FATAL;
		}
		r = read_text_log(f, &p);
		if (f != stdin)
			fclose(f);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", program_invocation_short_name,
				strcmp(kmsg_file, "-") ? kmsg_file : "standard input", strerror(-r));
			oom_parser_free(&p);
			free(tree_log);
			return EXIT_FATAL;
		}
		/* A saved "[secs]" log is from a boot whose start we do not know,
		 * unless it was saved with the tree, whose stat has it. */
		boot_wall = -1;
		if (tree_log) {
			struct sys_stat ss;

			if (sysstat_read(pf, &ss) == 0 && ss.btime)
				boot_wall = (double)ss.btime;
		}
	} else {
		fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: cannot open /dev/kmsg: %s%s\n",
				program_invocation_short_name, strerror(errno),
				errno == EPERM || errno == EACCES ?
				" (kernel.dmesg_restrict=1: needs CAP_SYSLOG; or use --kmsg FILE)" : "");
			return EXIT_FATAL;
		}
		drain_kmsg(fd, &p);
	}
	if (!follow)
		oom_flush(&p);
	while (oom_pop(&p, &ev))
		event_row(t, &co->filt, &ev, boot_wall);
	/* The counts of the machine whose log it is: the live one, or the
	 * saved tree's with its own log. */
	if ((!kmsg_file || tree_log) && (kills = vmstat_oom_kills(pf)) >= 0)
		table_meta(t, "oom_kills_since_boot", "OOM kills since boot (vmstat oom_kill)",
			   COL_NUM, "the kernel's count of OOM kills since boot", kills, 0, NULL);
	if (!kmsg_file || tree_log) {
		/* The ring buffer wraps; the cgroups keep counting. */
		struct cgroup_mounts m;
		struct sbuf list = { 0 };

		walk.kills = &list;
		walk_cgroups(pf, &m);
		walk.kills = NULL;
		table_meta(t, "cgroup_oom_kills", "cgroups with OOM kills (memory.events, "
			   "memory.oom_control)", COL_TEXT, NULL, 0, 0, list.s ? list.s : "");
		sbuf_free(&list);
	}
	table_meta(t, "kills", "kills in the log", COL_NUM, NULL, (int64_t)table_rows(t), 0, NULL);
	free(tree_log);
	if (!follow) {
		table_print(t, &co->out);
		oom_parser_free(&p);
		return 0;
	}
	/* Follow: what is in the log now, then each new kill as it comes,
	 * in columns wide enough for the usual values (a wider one pushes
	 * its line only). */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	{
		static const struct {
			int col;
			size_t w;
		} widths[] = {
			{ COL_TIME, 19 }, { COL_PID, 7 }, { COL_COMM, 15 }, { COL_UID, 5 },
			{ COL_ANON_RSS, 8 }, { COL_FILE_RSS, 8 }, { COL_SHMEM_RSS, 9 },
			{ COL_OOM_ADJ, 7 }, { COL_CONSTRAINT, 16 }, { COL_CGROUP, 24 },
			{ COL_INVOKER, 15 }, { COL_KILL, 6 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(widths); i++)
			table_stream_width(t, widths[i].col, widths[i].w);
	}
	table_stream(t, &co->out, 0);
	while (!stop_follow) {
		struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, out_pollfd() };
		size_t from = table_rows(t);

		if (poll(pfd, 2, 500) < 0 && errno != EINTR)
			break;
		if (out_gone(&pfd[1]))
			break;
		drain_kmsg(fd, &p);
		/* A kill's last line ends it; the memcg one-liner may come alone:
		 * give a lone oom-kill: line a moment, then report it. */
		if (p.pending && !(pfd[0].revents & POLLIN))
			oom_flush(&p);
		while (oom_pop(&p, &ev))
			event_row(t, &co->filt, &ev, boot_wall);
		if (table_rows(t) > from)
			table_stream(t, &co->out, from);
		if (ferror(stdout))
			break;
	}
	close(fd);
	oom_parser_free(&p);
	return 0;
}

/* ---- main ---- */

static void usage(void)
{
	printf("Usage: %s [options] [list]\n"
	       "       %s [options] explain PID\n"
	       "       %s set ADJ [--dry-run] TARGET...   (TARGET: PID or -C NAME)\n"
	       "       %s protect|reset [--dry-run] TARGET...\n"
	       "       %s run ADJ -- COMMAND [ARG...]\n"
	       "       %s [options] events [--kmsg FILE|-] [-f] [--since WHEN]\n"
	       "       %s [options] cgroups [--unlimited|--limited]\n"
	       "\n"
	       "Who the OOM killer takes next (list), why (explain), protecting a process\n"
	       "(protect: -1000, reset: 0, set: -1000..1000), what it killed (events), and\n"
	       "which memory cgroups have no limit (cgroups).\n"
	       "\n"
	       "  -N, --top N           list/cgroups: the N likeliest victims, the first N cgroups\n"
	       "      --kmsg FILE|-     events: a saved dmesg (-T, -x) / journalctl -k log\n"
	       "  -f, --follow          events: wait for new kills, print each as it happens\n"
	       "      --since WHEN      events: only kills after WHEN (30m, 2h, 1d, or\n"
	       "                        YYYY-MM-DD[THH:MM[:SS]])\n"
	       "  -p, -u, -C            events: only the kills of these PIDs, users, names\n"
	       "      --unlimited       cgroups: only those without a memory limit\n"
	       "      --limited         cgroups: only those with a memory limit\n"
	       "      --dry-run         set/protect/reset: say what would change\n",
	       program_invocation_short_name, program_invocation_short_name,
	       program_invocation_short_name, program_invocation_short_name,
	       program_invocation_short_name, program_invocation_short_name,
	       program_invocation_short_name);
	common_help(stdout, HELP_FILTERS);
	printf("\nThe setting dies with the process: for a service make it permanent with\n"
	       "systemd's OOMScoreAdjust= (or your supervisor's equivalent). Lowering\n"
	       "oom_score_adj needs CAP_SYS_RESOURCE. systemd also ships an oomctl (for\n"
	       "systemd-oomd); `make install PROGRAM_PREFIX=pd-` installs this one as pd-oomctl.\n"
	       "\nExit status: 0 success, 2 usage error, 3 fatal error or a write that failed;\n"
	       "run: the command's status, 126/127 when it cannot run. See oomctl(1).\n");
}

/* Whether s has the shape of pat, where 'd' stands for one digit and any
 * other character for itself, and ends there. */
static bool has_shape(const char *s, const char *pat)
{
	for (; *pat; s++, pat++)
		if (*pat == 'd' ? *s < '0' || *s > '9' : *s != *pat)
			return false;
	return !*s;
}

/* The number of the n digits at s. */
static int digits_at(const char *s, int n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* --since WHEN: a plain decimal and a unit (30m, 1.5d: not strtod's "inf",
 * "0x10m" or "1e3s", nor ".5m"), or a local date and time with exactly
 * the digits the page shows (strptime would take "4:3" and a leading
 * blank). A bad value exits 2. */
static double parse_since(const char *s)
{
	size_t len = strlen(s);
	char num[32];
	struct tm tm, want;
	double v;
	time_t t;

	if (len >= 2 && len < sizeof(num) && strchr("smhd", s[len - 1])) {
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		if (num[0] < '0' || num[0] > '9' || parse_seconds_str(num, &v) < 0)
			usage_error("invalid --since: '%s'", s);
		return now_wall() - v * (s[len - 1] == 's' ? 1 : s[len - 1] == 'm' ? 60
					 : s[len - 1] == 'h' ? 3600 : 86400);
	}
	if (!has_shape(s, "dddd-dd-dd") && !has_shape(s, "dddd-dd-ddTdd:dd") &&
	    !has_shape(s, "dddd-dd-dd dd:dd") && !has_shape(s, "dddd-dd-ddTdd:dd:dd") &&
	    !has_shape(s, "dddd-dd-dd dd:dd:dd"))
		usage_error("invalid --since: '%s'", s);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = digits_at(s, 4) - 1900;
	tm.tm_mon = digits_at(s + 5, 2) - 1;
	tm.tm_mday = digits_at(s + 8, 2);
	if (len > 10) {
		tm.tm_hour = digits_at(s + 11, 2);
		tm.tm_min = digits_at(s + 14, 2);
	}
	if (len > 16)
		tm.tm_sec = digits_at(s + 17, 2);
	tm.tm_isdst = -1;
	want = tm;
	/* mktime makes any numbers a time (February 30 is March 2): a date
	 * or time that does not exist, here, comes back changed. */
	t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	    tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour ||
	    tm.tm_min != want.tm_min || tm.tm_sec != want.tm_sec)
		usage_error("invalid --since: '%s' (no such date or time)", s);
	return (double)t;
}

enum { OPT_KMSG = OPT_TOOL, OPT_SINCE, OPT_UNLIMITED, OPT_LIMITED, OPT_DRY };

/* The options of the list-like subcommands, taken before or after the
 * subcommand's name. */
struct oomctl_opts {
	uint64_t top;
	bool follow, unlimited, limited;
	const char *kmsg_file;
};

static void oomctl_opt(struct common_opts *co, struct oomctl_opts *oo, int opt, bool after_sub,
		       char **argv)
{
	if (common_opt(co, opt, optarg))
		return;
	switch (opt) {
	case 'N':
		if (parse_u64_str(optarg, &oo->top) < 0 || !oo->top || oo->top > 10000000)
			usage_error("invalid --top: '%s'", optarg);
		break;
	case 'f': oo->follow = true; break;
	case OPT_KMSG: oo->kmsg_file = optarg; break;
	case OPT_SINCE: since_limit = parse_since(optarg); break;
	case OPT_UNLIMITED: oo->unlimited = true; break;
	case OPT_LIMITED: oo->limited = true; break;
	case OPT_DRY:
		usage_error(after_sub ? "--dry-run goes with set, protect or reset only"
			    : "--dry-run goes after set, protect or reset");
	case 'h':
		usage();
		exit(out_finish(0));
	default:
		bad_option(opt, argv);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		FILTER_LONGOPTS,
		{ "top", required_argument, NULL, 'N' },
		{ "kmsg", required_argument, NULL, OPT_KMSG },
		{ "follow", no_argument, NULL, 'f' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "unlimited", no_argument, NULL, OPT_UNLIMITED },
		{ "limited", no_argument, NULL, OPT_LIMITED },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts co = { 0 };
	const char *sub = "list";
	struct oomctl_opts oo = { 0 };
	unsigned long mode;
	struct procfs pf;
	struct table *t;
	char err[128];
	int opt, rc = 0;

	/* Options stop at the subcommand: set/protect/reset/run take the
	 * rest as they are (a negative ADJ is not an option). */
	while ((opt = getopt_long(argc, argv, "+" COMMON_SHORTOPTS FILTER_SHORTOPTS "fN:", longopts,
				  NULL)) != -1) {
		oomctl_opt(&co, &oo, opt, false, argv);
	}
	if (optind < argc)
		sub = argv[optind++];
	mode = !strcmp(sub, "list") ? M_LIST : !strcmp(sub, "events") ? M_EVENTS
	       : !strcmp(sub, "cgroups") ? M_CGROUPS : !strcmp(sub, "explain") ? M_EXPLAIN
	       : !strcmp(sub, "set") || !strcmp(sub, "protect") || !strcmp(sub, "reset") ? M_SET
	       : !strcmp(sub, "run") ? 1 : 0;
	if (!mode)
		usage_error("unknown subcommand: '%s' (list, explain, set, protect, reset, run, "
			    "events, cgroups)", sub);
	/* The list-like subcommands take their options after the name too. */
	if (mode & (M_LIST | M_EVENTS | M_CGROUPS | M_EXPLAIN)) {
		int base = optind - 1;

		/* getopt again over the words after the subcommand, which
		 * stands in for the program name. */
		argv[base] = argv[0];
		optind = 0;
		while ((opt = getopt_long(argc - base, argv + base, COMMON_SHORTOPTS
					  FILTER_SHORTOPTS "fN:", longopts, NULL)) != -1) {
			oomctl_opt(&co, &oo, opt, true, argv + base);
		}
		optind += base;
	}
	if (co.list_columns) {
		/* -H lists the columns of the subcommand asked about. */
		struct col mine[ARRAY_SIZE(cols)];
		size_t n = 0;

		for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
			if (cols[i].needs & (mode == 1 ? M_ALL : mode))
				mine[n++] = cols[i];
		return out_finish(table_list_columns("oomctl", mine, n, &co.out));
	}
	if ((oo.unlimited || oo.limited) && mode != M_CGROUPS)
		usage_error("--%slimited goes with cgroups only, not %s", oo.unlimited ? "un" : "",
			    sub);
	if (oo.unlimited && oo.limited)
		usage_error("--unlimited and --limited exclude each other");
	/* The filters select the processes of list, and the kills of events by
	 * the process killed; anywhere else they would be taken and ignored,
	 * and the whole answer would pass for the filtered one. */
	if (mode != M_LIST && filter_active(&co.filt)) {
		const struct filter *f = &co.filt;
		const char *given = f->cgroup ? "--cgroup" : f->npids ? "-p" : f->nuids || f->nunames ? "-u"
				    : "-C";

		if (mode == M_SET)
			usage_error("%s goes with list%s only: %s takes its TARGETs "
				    "(PID or -C NAME) after its name", given,
				    f->cgroup ? "" : " or events", sub);
		if (f->cgroup && mode == M_EVENTS)
			usage_error("--cgroup goes with list only: events selects kills by -p, -u "
				    "or -C");
		if (f->cgroup)
			usage_error("--cgroup goes with list only, not %s", sub);
		if (mode != M_EVENTS)
			usage_error("%s goes with list or events only, not %s", given, sub);
	}
	if (oo.top && mode != M_LIST && mode != M_CGROUPS)
		usage_error("-N goes with list and cgroups only, not %s", sub);
	/* The options of events, taken anywhere else, would be ignored. */
	if ((oo.follow || oo.kmsg_file || since_limit >= 0) && mode != M_EVENTS)
		usage_error("%s goes with events only, not %s",
			    oo.follow ? "-f" : oo.kmsg_file ? "--kmsg" : "--since", sub);
	/* A stream has no end to print a scrape from: the table printer
	 * would fall back to raw lines in a file meant for node_exporter. */
	if (oo.follow && co.out.fmt == FMT_PROM)
		usage_error("--format prometheus: events -f prints a stream of kills "
			    "(without -f: one report)");
	procfs_open_or_die(&pf, &co);
	if (mode == 1) {
		rc = do_run(&pf, argc - optind, argv + optind);
		procfs_close(&pf);
		return out_finish(rc);
	}
	t = table_new("oomctl", mode == M_LIST ? "processes" : mode == M_EVENTS ? "events"
			: mode == M_CGROUPS ? "cgroups" : mode == M_SET ? "changes" : "terms",
			cols, ARRAY_SIZE(cols));
	table_mode(t, M_ALL, mode);
	/* What tells one row from the others where no PID does: prometheus
	 * keeps it among the labels whatever -o says. */
	if (mode == M_CGROUPS || mode == M_EXPLAIN)
		table_key(t, mode == M_CGROUPS ? COL_PATH : COL_ITEM);
	/* A PID can be killed again once reused: a kill is its PID and
	 * the moment, by the log's clock. */
	if (mode == M_EVENTS) {
		table_key(t, COL_PID);
		table_key(t, COL_UPTIME);
	}
	if (table_select(t, mode == M_LIST ? "PID,OOM_SCORE,OOM_ADJ,RSS,COMM"
			 : mode == M_EVENTS ? "TIME,PID,COMM,UID,ANON_RSS,FILE_RSS,SHMEM_RSS,OOM_ADJ,"
					      "CONSTRAINT,CGROUP,INVOKER"
			 : mode == M_CGROUPS ? "LIMIT,USAGE,PCT,PEAK,SWAP,OOM_KILLS,PATH"
			 : mode == M_SET ? "PID,COMM,OLD,NEW" : "ITEM,PAGES,NOTE",
			 &co.out, err, sizeof(err)) < 0)
		usage_error("%s", err);
	if (mode == M_LIST) {
		if (optind < argc)
			usage_error("unexpected argument: '%s'", argv[optind]);
		rc = do_list(&pf, &co, t, (size_t)oo.top);
	} else if (mode == M_EXPLAIN) {
		uint64_t v;

		if (optind + 1 != argc || parse_u64_str(argv[optind], &v) < 0 || !v ||
		    v > 0x7fffffff)
			usage_error("explain needs one PID");
		rc = do_explain(&pf, &co, t, (pid_t)v);
	} else if (mode == M_SET) {
		rc = do_set(&pf, &co, t, sub, argc - optind, argv + optind);
	} else if (mode == M_EVENTS) {
		if (optind < argc)
			usage_error("unexpected argument: '%s'", argv[optind]);
		rc = do_events(&pf, &co, t, oo.kmsg_file, oo.follow);
	} else {
		if (optind < argc)
			usage_error("unexpected argument: '%s'", argv[optind]);
		rc = do_cgroups(&pf, &co, t, oo.unlimited, oo.limited, (size_t)oo.top);
	}
	table_free(t);
	procfs_close(&pf);
	common_free(&co);
	return out_finish(rc);
}
