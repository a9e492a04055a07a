/*
 * vmmap: one process's memory map: every mapping, what kind it is, and what
 * it costs in resident, proportional, swapped and dirty memory.
 *
 * Reads /proc/PID/stat (a kernel thread, a zombie?), task/TID/stat of every
 * thread (is one in D?), the exe link (which mappings are the program's own
 * text, data and bss) and smaps, whose every read walks the page tables
 * under the process's mm lock. A thread in D may hold that lock or wait for
 * it, and the reader would then wait as long as it does: vmmap refuses such
 * a process unless --force, which reads smaps in a child under a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "kstack.h"
#include "opts.h"
#include "pidstat.h"
#include "procfs.h"
#include "scan.h"
#include "smaps.h"
#include "table.h"
#include "util.h"

/* The modes a column is NOT available in (table_exclude). */
#define X_MAP		0x1	/* one row per mapping (the default) */
#define X_SUM		0x2	/* --summary: one row per KIND */
#define X_PATH		0x4	/* --by-path: one row per file */
#define X_LAY		0x8	/* --layout in a machine format: one row per region */
#define X_GROUPS	(X_SUM | X_PATH)

enum {
	COL_PID, COL_REGION, COL_START, COL_END, COL_VSIZE, COL_RSS, COL_PSS, COL_SWAP, COL_DIRTY,
	COL_USS, COL_ANON, COL_LOCKED, COL_HUGETLB, COL_PERM, COL_OFFSET, COL_DEV, COL_INODE, COL_KIND,
	COL_DELETED, COL_COUNT, COL_PATH,
};

#define PRIV "same user, or root (CAP_SYS_PTRACE)"

static const struct col cols[] = {
	[COL_PID] = { "PID", COL_NUM, CF_LABEL, 0, NULL,
		      "process ID (a label in prometheus output)" },
	[COL_REGION] = { "REGION", COL_TEXT, 0, X_MAP | X_GROUPS, PRIV,
			 "part of the address space (--layout): kernel, stack, mmap, heap, bss, "
			 "data, text, unmapped" },
	[COL_START] = { "START", COL_TEXT, CF_HEX, X_GROUPS, PRIV, "first address, hex" },
	[COL_END] = { "END", COL_TEXT, CF_HEX, X_GROUPS, PRIV, "address after the last, hex" },
	[COL_VSIZE] = { "SIZE", COL_SIZE, 0, 0, PRIV, "virtual size" },
	[COL_RSS] = { "RSS", COL_SIZE, 0, X_LAY, PRIV, "resident in RAM" },
	[COL_PSS] = { "PSS", COL_SIZE, 0, X_LAY, PRIV,
		      "proportional set size: resident, each page divided by the processes "
		      "mapping it" },
	[COL_SWAP] = { "SWAP", COL_SIZE, 0, X_LAY, PRIV, "swapped out" },
	[COL_DIRTY] = { "DIRTY", COL_SIZE, 0, X_LAY, PRIV,
			"dirty pages, shared and private (not yet written back)" },
	[COL_USS] = { "USS", COL_SIZE, 0, X_LAY, PRIV,
		      "private resident pages: what exiting would free" },
	[COL_ANON] = { "ANON", COL_SIZE, 0, X_LAY, PRIV,
		       "anonymous pages (not backed by a file)" },
	[COL_LOCKED] = { "LOCKED", COL_SIZE, 0, X_LAY, PRIV, "locked in RAM (mlock)" },
	[COL_HUGETLB] = { "HUGETLB", COL_SIZE, 0, X_LAY, PRIV,
			  "resident hugetlbfs pages (MAP_HUGETLB, SHM_HUGETLB): not in RSS" },
	[COL_PERM] = { "PERM", COL_TEXT, 0, X_GROUPS | X_LAY, PRIV,
		       "r, w, x, then s(hared) or p(rivate)" },
	[COL_OFFSET] = { "OFFSET", COL_TEXT, CF_HEX, X_GROUPS | X_LAY, PRIV,
			 "offset into the file, hex" },
	[COL_DEV] = { "DEV", COL_TEXT, 0, X_GROUPS | X_LAY, PRIV,
		      "device of the file, major:minor in hex" },
	[COL_INODE] = { "INODE", COL_NUM, 0, X_GROUPS | X_LAY, PRIV, "inode of the file" },
	[COL_KIND] = { "KIND", COL_TEXT, 0, X_PATH | X_LAY, PRIV,
		       "text, data, bss, heap, stack, anon, file, lib, shm, vdso, vvar, "
		       "vsyscall or other" },
	[COL_DELETED] = { "DELETED", COL_NUM, 0, X_SUM | X_LAY, PRIV,
			  "1 when the file was deleted (or replaced) while mapped" },
	[COL_COUNT] = { "COUNT", COL_NUM, 0, X_MAP | X_LAY, PRIV, "mappings in the row" },
	[COL_PATH] = { "PATH", COL_TEXT, CF_TRUNC, X_SUM | X_LAY, PRIV,
		       "file or kernel name ([heap], [stack]), with \" (deleted)\"; empty "
		       "for anonymous memory ([anon] with --by-path)" },
};

/* The mappings, kept: smaps_parse hands them over one at a time. */
struct vmas {
	struct mapping *m;	/* each path an owned copy */
	enum map_kind *kind;
	size_t n, cap;
};

/* The counters a row sums, with whether each is known for every part. */
enum { S_SIZE, S_RSS, S_PSS, S_SWAP, S_DIRTY, S_USS, S_ANON, S_LOCKED, S_HUGETLB, NSUMS };

static const int sum_cols[NSUMS] = {
	COL_VSIZE, COL_RSS, COL_PSS, COL_SWAP, COL_DIRTY, COL_USS, COL_ANON, COL_LOCKED,
	COL_HUGETLB,
};

struct sums {
	uint64_t v[NSUMS];
	bool unknown[NSUMS];
	size_t count;
};

static int collect(const struct mapping *m, void *ctx)
{
	struct vmas *vs = ctx;
	struct mapping *c;

	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		vs->m = xreallocarray(vs->m, vs->cap, sizeof(*vs->m));
	}
	c = &vs->m[vs->n++];
	*c = *m;
	if (m->path)
		c->path = xstrndup(m->path, m->path_len);
	return 0;
}

static void sums_add(struct sums *s, const struct mapping *m)
{
	const struct mem_counters *c = &m->c;
	uint64_t dirty, uss, huge;
	/* A saved file can hold any number: a sum that overflows is no sum. */
	bool dirty_bad = add_overflows(c->shared_dirty, c->private_dirty, &dirty);
	bool uss_bad = add_overflows(c->private_clean, c->private_dirty, &uss);
	bool huge_bad = add_overflows(c->shared_hugetlb, c->private_hugetlb, &huge);
	const struct {
		uint64_t val;
		unsigned need;
		bool bad;
	} f[NSUMS] = {
		[S_SIZE] = { m->end - m->start, 0, false },
		[S_RSS] = { c->rss, SMF_RSS, false },
		[S_PSS] = { c->pss, SMF_PSS, false },
		[S_SWAP] = { c->swap, SMF_SWAP, false },
		[S_DIRTY] = { dirty, SMF_SHARED_DIRTY | SMF_PRIVATE_DIRTY, dirty_bad },
		[S_USS] = { uss, SMF_PRIVATE_CLEAN | SMF_PRIVATE_DIRTY, uss_bad },
		[S_ANON] = { c->anonymous, SMF_ANONYMOUS, false },
		[S_HUGETLB] = { huge, SMF_SHARED_HUGETLB | SMF_PRIVATE_HUGETLB, huge_bad },
		[S_LOCKED] = { c->locked, SMF_LOCKED, false },
	};

	for (int i = 0; i < NSUMS; i++) {
		/* Unknown in one part is unknown in the sum, never a smaller
		 * number. */
		if ((c->has & f[i].need) != f[i].need || f[i].bad ||
		    add_overflows(s->v[i], f[i].val, &s->v[i]))
			s->unknown[i] = true;
	}
	s->count++;
}

static void set_sums(struct table *tb, size_t r, const struct sums *s)
{
	for (int i = 0; i < NSUMS; i++)
		if (!s->unknown[i])
			table_set_size(tb, r, sum_cols[i], s->v[i]);
	table_set_num(tb, r, COL_COUNT, (int64_t)s->count);
}

/* Addresses as hex text, 12 digits at least, as maps prints a 64-bit
 * user address; more above 47 bits (and the vsyscall page has 16), so the
 * columns sort by value (CF_HEX), not as text. */
static void hex(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "%012" PRIx64, v);
}

/* PATH: the name and " (deleted)", as the kernel spells it. */
static void set_path(struct table *tb, size_t r, const struct mapping *m, const char *anon)
{
	struct sbuf p = { 0 };

	if (m->path)
		sbuf_addn(&p, m->path, m->path_len);
	else
		sbuf_adds(&p, anon);
	if (m->deleted)
		sbuf_adds(&p, " (deleted)");
	table_set_str(tb, r, COL_PATH, p.s ? p.s : "", p.len);
	sbuf_free(&p);
}

static bool same_name(const struct mapping *a, const struct mapping *b)
{
	if (!a->path || !b->path)
		return !a->path == !b->path;
	return a->deleted == b->deleted && !strcmp(a->path, b->path);
}

/* ---- the modes ---- */

static void add_mapping_rows(struct table *tb, const struct vmas *vs, pid_t pid)
{
	for (size_t i = 0; i < vs->n; i++) {
		const struct mapping *m = &vs->m[i];
		size_t r = table_add_row(tb);
		struct sums s = { 0 };
		char buf[64];

		table_set_num(tb, r, COL_PID, pid);
		hex(buf, sizeof(buf), m->start);
		table_set_cstr(tb, r, COL_START, buf);
		hex(buf, sizeof(buf), m->end);
		table_set_cstr(tb, r, COL_END, buf);
		sums_add(&s, m);
		set_sums(tb, r, &s);
		table_set_cstr(tb, r, COL_PERM, m->perms);
		snprintf(buf, sizeof(buf), "%08" PRIx64, m->offset);
		table_set_cstr(tb, r, COL_OFFSET, buf);
		snprintf(buf, sizeof(buf), "%02x:%02x", m->dev_major, m->dev_minor);
		table_set_cstr(tb, r, COL_DEV, buf);
		table_set_num(tb, r, COL_INODE,
			      m->inode > INT64_MAX ? INT64_MAX : (int64_t)m->inode);
		table_set_cstr(tb, r, COL_KIND, map_kind_name(vs->kind[i]));
		table_set_num(tb, r, COL_DELETED, m->deleted);
		set_path(tb, r, m, "");
	}
}

static void add_kind_rows(struct table *tb, const struct vmas *vs, pid_t pid)
{
	struct sums s[MK_NKINDS];

	memset(s, 0, sizeof(s));
	for (size_t i = 0; i < vs->n; i++)
		sums_add(&s[vs->kind[i]], &vs->m[i]);
	for (int k = 0; k < MK_NKINDS; k++) {
		size_t r;

		if (!s[k].count)
			continue;
		r = table_add_row(tb);
		table_set_num(tb, r, COL_PID, pid);
		table_set_cstr(tb, r, COL_KIND, map_kind_name((enum map_kind)k));
		set_sums(tb, r, &s[k]);
	}
}

static int cmp_name(const void *a, const void *b, void *arg)
{
	const struct mapping *m = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct mapping *x = &m[i], *y = &m[j];
	int r;

	if (!x->path || !y->path)
		r = !!x->path - !!y->path;
	else if ((r = strcmp(x->path, y->path)) == 0)
		r = x->deleted - y->deleted;
	return r ? r : (i > j) - (i < j);
}

/* --by-path: one row per name (a file, a deleted file, [heap]...), and
 * the anonymous mappings together as [anon]. */
static void add_path_rows(struct table *tb, const struct vmas *vs, pid_t pid)
{
	size_t *ord = xcalloc(vs->n ? vs->n : 1, sizeof(size_t));

	for (size_t i = 0; i < vs->n; i++)
		ord[i] = i;
	qsort_r(ord, vs->n, sizeof(size_t), cmp_name, vs->m);
	for (size_t i = 0; i < vs->n;) {
		const struct mapping *first = &vs->m[ord[i]];
		struct sums s = { 0 };
		size_t r = table_add_row(tb);

		for (; i < vs->n && same_name(first, &vs->m[ord[i]]); i++)
			sums_add(&s, &vs->m[ord[i]]);
		table_set_num(tb, r, COL_PID, pid);
		set_path(tb, r, first, "[anon]");
		table_set_num(tb, r, COL_DELETED, first->deleted);
		set_sums(tb, r, &s);
	}
	free(ord);
}

/* ---- --layout ---- */

/* A gap this large splits a run of mmap-area mappings into two regions. */
#define REGION_SPLIT ((uint64_t)1 << 30)

struct region {
	const char *name;
	uint64_t start, end;
	size_t first, last;	/* mapping indices, ascending */
};

static const char *region_class(enum map_kind k)
{
	switch (k) {
	case MK_TEXT: return "text";
	case MK_DATA: return "data";
	case MK_BSS: return "bss";
	case MK_HEAP: return "heap";
	case MK_STACK: return "stack";
	case MK_VSYSCALL: return NULL;	/* in kernel space */
	default: return "mmap";
	}
}

/* Regions in ascending order: runs of mappings of one class. */
static size_t make_regions(const struct vmas *vs, struct region **out)
{
	struct region *rg = xcalloc(vs->n ? vs->n : 1, sizeof(*rg));
	size_t n = 0;

	for (size_t i = 0; i < vs->n; i++) {
		const struct mapping *m = &vs->m[i];
		const char *c = region_class(vs->kind[i]);
		struct region *last = n ? &rg[n - 1] : NULL;

		if (!c)
			continue;
		if (last && !strcmp(last->name, c) && last->last + 1 == i &&
		    m->start - last->end < REGION_SPLIT) {
			last->end = m->end;
			last->last = i;
			continue;
		}
		rg[n++] = (struct region){ c, m->start, m->end, i, i };
	}
	/* A run of only vdso and vvar (above the stack on older kernels) is
	 * not an mmap area. */
	for (size_t r = 0; r < n; r++) {
		bool special = !strcmp(rg[r].name, "mmap");

		for (size_t i = rg[r].first; special && i <= rg[r].last; i++)
			special = vs->kind[i] == MK_VDSO || vs->kind[i] == MK_VVAR;
		if (special)
			rg[r].name = "vdso";
	}
	*out = rg;
	return n;
}

/* The top of user space: the highest mapping (the kernel's vsyscall page
 * aside) rounded up to a power of two: 128T on x86-64 (47 bits), 4G for a
 * 32-bit process. */
static uint64_t user_top(const struct vmas *vs)
{
	uint64_t top = 0, p = 1;

	for (size_t i = 0; i < vs->n; i++)
		if (vs->kind[i] != MK_VSYSCALL && vs->m[i].end > top)
			top = vs->m[i].end;
	while (p < top && p < ((uint64_t)1 << 63))
		p <<= 1;
	return p < top ? top : p;
}

static void layout_row(struct table *tb, pid_t pid, const char *name, uint64_t start,
		       uint64_t end, bool have_end)
{
	size_t r = table_add_row(tb);
	char buf[32];

	table_set_num(tb, r, COL_PID, pid);
	table_set_cstr(tb, r, COL_REGION, name);
	hex(buf, sizeof(buf), start);
	table_set_cstr(tb, r, COL_START, buf);
	if (have_end) {
		hex(buf, sizeof(buf), end);
		table_set_cstr(tb, r, COL_END, buf);
		table_set_size(tb, r, COL_VSIZE, end - start);
	}
}

/* --layout in a machine format: the regions and the gaps as rows, from the
 * top; kernel space first, from the top of user space (its end unknown). */
static void add_layout_rows(struct table *tb, const struct vmas *vs, pid_t pid)
{
	struct region *rg;
	size_t n = make_regions(vs, &rg);
	uint64_t below = user_top(vs);

	layout_row(tb, pid, "kernel", below, 0, false);
	for (size_t r = n; r-- > 0;) {
		if (rg[r].end < below)
			layout_row(tb, pid, "unmapped", rg[r].end, below, true);
		layout_row(tb, pid, rg[r].name, rg[r].start, rg[r].end, true);
		below = rg[r].start;
	}
	if (below > 0)
		layout_row(tb, pid, "unmapped", 0, below, true);
	free(rg);
}

static void put_size(char *buf, size_t size, uint64_t v, bool bytes)
{
	if (bytes)
		snprintf(buf, size, "%" PRIu64, v);
	else
		fmt_size(buf, size, v);
}

/* The picture is not a table, but its names are as untrusted as any. */
static void put_escaped(const char *s, size_t len)
{
	struct sbuf b = { 0 };

	escape_append(&b, s, len, ESC_TABLE);
	if (b.s)
		fputs(b.s, stdout);
	sbuf_free(&b);
}

struct group {
	size_t top;		/* its highest mapping */
	uint64_t size;
};

static int cmp_kind_name(const void *a, const void *b, void *arg)
{
	const struct vmas *vs = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (vs->kind[i] != vs->kind[j])
		return vs->kind[i] < vs->kind[j] ? -1 : 1;
	return cmp_name(a, b, vs->m);
}

static int cmp_top(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->top < y->top) - (x->top > y->top);
}

/* The mmap area's contents from the top: one line per kind and name (at
 * its highest mapping, with the size of all its mappings), the anonymous
 * ones on one line. Sorted, not searched: a JVM has 60,000 mappings. */
static void draw_mmap_area(const struct vmas *vs, const struct region *g, int aw, bool bytes)
{
	size_t n = g->last - g->first + 1, nidx = 0, ngroups = 0, nanon = 0;
	size_t *idx = xcalloc(n, sizeof(size_t));
	struct group *gr = xcalloc(n, sizeof(*gr));
	uint64_t anon = 0;
	char sz[32];

	for (size_t i = g->first; i <= g->last; i++) {
		if (vs->m[i].path) {
			idx[nidx++] = i;
		} else {
			anon += vs->m[i].end - vs->m[i].start;
			nanon++;
		}
	}
	qsort_r(idx, nidx, sizeof(size_t), cmp_kind_name, (void *)vs);
	for (size_t k = 0; k < nidx; k++) {
		size_t i = idx[k];
		struct group *last = ngroups ? &gr[ngroups - 1] : NULL;

		if (!last || vs->kind[last->top] != vs->kind[i] || !same_name(&vs->m[last->top],
									   &vs->m[i]))
			last = &gr[ngroups++];
		last->top = i;	/* ascending within a name: the last is the top */
		last->size += vs->m[i].end - vs->m[i].start;
	}
	qsort(gr, ngroups, sizeof(*gr), cmp_top);
	for (size_t k = 0; k < ngroups; k++) {
		const struct mapping *m = &vs->m[gr[k].top];

		put_size(sz, sizeof(sz), gr[k].size, bytes);
		printf("%*s  |   %-8s %6s  ", aw, "", map_kind_name(vs->kind[gr[k].top]), sz);
		put_escaped(m->path, m->path_len);
		printf("%s\n", m->deleted ? " (deleted)" : "");
	}
	if (nanon) {
		put_size(sz, sizeof(sz), anon, bytes);
		printf("%*s  |   %-8s %6s  %zu mapping%s\n", aw, "", "anon", sz, nanon,
		       nanon == 1 ? "" : "s");
	}
	free(gr);
	free(idx);
}

static void draw_gap(uint64_t lo, uint64_t hi, int aw, bool bytes)
{
	char sz[32];

	put_size(sz, sizeof(sz), hi - lo, bytes);
	printf("%*s  :   ...  %s unmapped\n", aw, "", sz);
}

/* --layout as a picture: the classic diagram, highest address first, each
 * region at its start address, the gaps between them as gaps. */
static void draw_layout(const struct vmas *vs, pid_t pid, const struct proc_stat *st,
			bool bytes)
{
	static const char line[] = "+--------------------------------------------------";
	struct region *rg;
	size_t n = make_regions(vs, &rg);
	uint64_t below = user_top(vs);
	char addr[32], sz[32];
	/* Every address as wide as the highest, the top of user space: 12
	 * digits up to 47 bits, more above, and the bars stay in line. */
	int aw = snprintf(addr, sizeof(addr), "%012" PRIx64, below);

	printf("%d (", (int)pid);
	put_escaped(st->comm, st->comm_len);
	printf("): address space, highest address first\n");
	printf("%*s  %s\n%*s  | kernel space", aw, "", line, aw, "");
	for (size_t i = 0; i < vs->n; i++)
		if (vs->kind[i] == MK_VSYSCALL) {
			put_size(sz, sizeof(sz), vs->m[i].end - vs->m[i].start, bytes);
			hex(addr, sizeof(addr), vs->m[i].start);
			printf(" (vsyscall page at %s, %s)", addr, sz);
		}
	hex(addr, sizeof(addr), below);
	printf("\n%s  %s\n", addr, line);
	for (size_t r = n; r-- > 0;) {
		const struct region *g = &rg[r];
		bool mmap = !strcmp(g->name, "mmap");

		if (g->end < below)
			draw_gap(g->end, below, aw, bytes);
		snprintf(addr, sizeof(addr), "%0*" PRIx64, aw, g->start);
		put_size(sz, sizeof(sz), g->end - g->start, bytes);
		printf("%s  | %-10s %6s", addr, mmap ? "mmap area" : g->name, sz);
		if (!strcmp(g->name, "text") && vs->m[g->first].path) {
			fputs("  ", stdout);
			put_escaped(vs->m[g->first].path, vs->m[g->first].path_len);
		} else if (mmap || !strcmp(g->name, "vdso")) {
			printf("  %zu mapping%s", g->last - g->first + 1,
			       g->last == g->first ? "" : "s");
		}
		putchar('\n');
		if (mmap)
			draw_mmap_area(vs, g, aw, bytes);
		below = g->start;
	}
	if (below > 0)
		draw_gap(0, below, aw, bytes);
	snprintf(addr, sizeof(addr), "%0*d", aw, 0);
	printf("%s  %s\n", addr, line);
	free(rg);
}

/* ---- reading ---- */

struct dscan {
	pid_t tid;		/* a thread in D, 0 if none */
};

static int find_d(struct pidh *h, const struct proc_stat *st, const struct proc_status *status,
		  void *ctx)
{
	struct dscan *d = ctx;

	(void)status;
	/* A task the freezer stopped where no lock is held is read. */
	if (st->state == 'D' && !d->tid && !task_mm_free(h))
		d->tid = st->pid;
	return 0;
}

/* "vmmap: MESSAGE" on stderr; returns the fatal exit status. */
static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FATAL;
}

/* The message for a failed read of PROC/PID/file (file: "smaps", or
 * "task/TID/smaps" for an exited leader's memory). */
static int fail_read(const struct procfs *pf, pid_t pid, const char *file, int e)
{
	/* A saved tree has the process but maybe not this file of it. */
	if (e == -ENOENT && pf->saved && strcmp(file, "stat"))
		return fail("%s/%d/%s is not in the saved tree (scripts/capture -p %d saves it, "
			    "unless a thread was in D)", pf->proc, (int)pid, file, (int)pid);
	note_pid_unreadable(pf, pid, file, e);
	return EXIT_FATAL;
}

static void usage(void)
{
	printf("Usage: %s [options] PID\n"
	       "\n"
	       "The memory map of one process: every mapping with its kind (text, data, bss,\n"
	       "heap, stack, anon, file, lib, shm, vdso, vvar, vsyscall, other) and what it\n"
	       "costs (RSS, PSS, swap, dirty), from /proc/PID/smaps.\n"
	       "\n"
	       "  -s, --summary         one row per KIND\n"
	       "      --by-path         one row per file (anonymous memory as [anon])\n"
	       "      --layout          the address space as a diagram, highest address first\n"
	       "      --force           read a process with a thread in D (in a child process,\n"
	       "                        under --timeout)\n"
	       "      --timeout SECS    the --force deadline (default 10)\n",
	       program_invocation_short_name);
	common_help(stdout, 0);
	printf("\nReading smaps walks the page tables under the process's memory map lock: a\n"
	       "few milliseconds, seconds for a process of hundreds of gigabytes. Another\n"
	       "user's process needs root or CAP_SYS_PTRACE. --format prometheus gives the\n"
	       "summary (or --by-path) with a pid label.\n"
	       "\nExit status: 0 success, 2 usage error, 3 fatal error (no such process, a\n"
	       "kernel thread, a zombie, no permission, a thread in D without --force).\n"
	       "Columns: %s -H. See vmmap(1).\n", program_invocation_short_name);
}

enum { OPT_BY_PATH = OPT_TOOL, OPT_LAYOUT, OPT_FORCE, OPT_TIMEOUT };
enum mode { M_MAP, M_SUM, M_PATH, M_LAY };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "summary", no_argument, NULL, 's' },
		{ "by-path", no_argument, NULL, OPT_BY_PATH },
		{ "layout", no_argument, NULL, OPT_LAYOUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned long excl[] = {
		[M_MAP] = X_MAP, [M_SUM] = X_SUM, [M_PATH] = X_PATH, [M_LAY] = X_LAY,
	};
	static const char *const rows_key[] = {
		[M_MAP] = "mappings", [M_SUM] = "kinds", [M_PATH] = "paths", [M_LAY] = "regions",
	};
	struct common_opts co = { 0 };
	struct vmas vs = { 0 };
	struct map_exe exe;
	struct dscan d = { 0 };
	struct scan_stats ss = { 0 };
	struct proc_stat st;
	struct procfs pf;
	struct pidh h, th, *rh = &h;
	struct table *tb = NULL;
	struct sbuf who = { 0 };
	enum mode mode = M_MAP;
	const char *defaults;
	bool force = false, picture;
	double timeout = 10;
	uint64_t v;
	pid_t pid;
	char err[128];
	int opt, r, rc = EXIT_FATAL;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS "s", longopts, NULL)) != -1) {
		enum mode want = M_MAP;

		if (common_opt(&co, opt, optarg))
			continue;
		switch (opt) {
		case 's': want = M_SUM; break;
		case OPT_BY_PATH: want = M_PATH; break;
		case OPT_LAYOUT: want = M_LAY; break;
		case OPT_FORCE: force = true; break;
		case OPT_TIMEOUT:
			if (parse_seconds_str(optarg, &timeout) < 0 || timeout <= 0 ||
			    timeout > 3600)
				usage_error("invalid --timeout: '%s'", optarg);
			break;
		case 'h':
			usage();
			return out_finish(0);
		default:
			bad_option(opt, argv);
		}
		if (want != M_MAP && mode != M_MAP && mode != want)
			usage_error("--summary, --by-path and --layout exclude each other");
		if (want != M_MAP)
			mode = want;
	}
	if (co.list_columns)
		return out_finish(table_list_columns("vmmap", cols, ARRAY_SIZE(cols), &co.out));
	if (optind == argc)
		usage_error("no PID given");
	if (optind + 1 < argc)
		usage_error("one PID only (unexpected '%s')", argv[optind + 1]);
	if (parse_u64_str(argv[optind], &v) < 0 || v == 0 || v > 0x7fffffff)
		usage_error("invalid PID: '%s'", argv[optind]);
	pid = (pid_t)v;
	if (co.out.fmt == FMT_PROM && mode == M_LAY)
		usage_error("--layout has no prometheus output (try --summary)");
	/* Prometheus gets numbers a time series can hold: per KIND (or per
	 * file), labelled with the PID; not one series per address. */
	if (co.out.fmt == FMT_PROM && mode == M_MAP)
		mode = M_SUM;
	picture = mode == M_LAY && co.out.fmt == FMT_TABLE;
	defaults = co.out.fmt == FMT_PROM ?
		(mode == M_SUM ? "PID,KIND,SIZE,RSS,PSS,SWAP,DIRTY,COUNT"
			       : "PID,PATH,SIZE,RSS,PSS,SWAP,DIRTY,COUNT") :
		mode == M_SUM ? "KIND,SIZE,RSS,PSS,SWAP,DIRTY,COUNT" :
		mode == M_PATH ? "PATH,SIZE,RSS,PSS,SWAP,DIRTY,COUNT" :
		mode == M_LAY ? "REGION,START,END,SIZE" :
		"START,END,SIZE,RSS,PSS,SWAP,DIRTY,PERM,KIND,PATH";
	tb = table_new("vmmap", rows_key[mode], cols, ARRAY_SIZE(cols));
	table_exclude(tb, excl[mode]);
	/* What tells a row from the others (prometheus labels). */
	table_key(tb, mode == M_SUM ? COL_KIND : mode == M_PATH ? COL_PATH : COL_START);
	if (table_select(tb, defaults, &co.out, err, sizeof(err)) < 0) {
		table_free(tb);
		usage_error("%s", err);
	}
	/* Files by RSS, largest first, shown or not: set before any row. */
	if (mode == M_PATH)
		table_default_sort(tb, COL_RSS);

	procfs_open_or_die(&pf, &co);
	r = pidh_open(&h, &pf, pid, true);
	if (r == 0)
		r = stat_read(&h, &st);
	if (r < 0) {
		rc = r == -EINVAL ? fail("%s/%d/stat is malformed", pf.proc, (int)pid)
				  : fail_read(&pf, pid, "stat", r);
		goto out;
	}
	/* "PID (COMM)" for the messages, the name escaped like any output. */
	sbuf_printf(&who, "%d (", (int)pid);
	escape_append(&who, st.comm, st.comm_len, ESC_TABLE);
	sbuf_addc(&who, ')');
	if (st.flags & PF_KTHREAD_FLAG) {
		rc = fail("%s is a kernel thread: it has no user address space", who.s);
		goto out;
	}
	/* Any thread in D may hold the mm lock that reading smaps takes. */
	scan_tasks(&h, 0, find_d, &d, &ss);
	if (st.state == 'Z') {
		/* An exited leader whose threads run: its mm lives on in them
		 * (the leader's own smaps is empty). A thread on its way out
		 * may have let go of it already: one that is not. */
		if (pidh_open_live_thread(&h, &th, NULL) > 0)
			rh = &th;
		if (rh == &h) {
			rc = fail("%s is a zombie: its memory is already freed", who.s);
			goto out;
		}
	}
	/* Opening smaps checks the permission and takes no mm lock: a process
	 * we may not read says so first, a thread in D or not. */
	if (d.tid && !force && !pf.saved) {
		int e = pidh_dirfd(rh);

		if (e >= 0) {
			int fd = openat(e, "smaps", O_RDONLY | O_CLOEXEC);

			e = fd < 0 ? -errno : 0;
			if (fd >= 0)
				close(fd);
		}
		if (e == -EACCES) {
			rc = fail_read(&pf, pid, "smaps", e);
			goto out;
		}
	}
	if (d.tid && !force) {
		rc = fail("%s has a thread in uninterruptible sleep (D, thread %d): reading its "
			  "smaps could hang as long as that lasts; --force reads it in a child "
			  "process under a deadline", who.s, (int)d.tid);
		goto out;
	}
	r = d.tid ? smaps_read_deadline(rh, timeout, collect, &vs) : smaps_read(rh, collect, &vs);
	if (r == -ETIMEDOUT) {
		rc = fail("reading %s/%d/smaps took longer than %.1f s (a thread in D holds its "
			  "memory map lock?)", pf.proc, (int)pid, timeout);
		goto out;
	}
	if (r == -EINVAL) {
		rc = fail("%s/%d/smaps is malformed", pf.proc, (int)pid);
		goto out;
	}
	if (r < 0) {
		char file[64];

		if (rh == &th)
			snprintf(file, sizeof(file), "task/%d/smaps", (int)th.pid);
		rc = fail_read(&pf, pid, rh == &th ? file : "smaps", r);
		goto out;
	}
	if (vs.n == 0) {
		/* It exited (or became a zombie) between the reads. */
		r = stat_read(&h, &st);
		rc = r < 0 ? fail_read(&pf, pid, "stat", r)
			   : fail("%s has no memory map (state %c: exiting?)", who.s, st.state);
		goto out;
	}
	/* One that exits while it is read ends the text early, where the
	 * kernel let go of its memory: a map cut short reads as whole. */
	if (!pf.alternate) {
		struct proc_stat now;

		if (stat_read(rh, &now) < 0 || stat_memory_gone(&now)) {
			rc = fail("%s ended while its memory map was read", who.s);
			goto out;
		}
	}
	{
		size_t bad = 0;

		for (size_t i = 0; i < vs.n; i++)
			bad += vs.m[i].malformed;
		if (bad)
			fprintf(stderr, "%s: %s/%d/smaps: %zu of %zu mappings malformed; "
				"what could not be read shows as unknown\n",
				program_invocation_short_name, pf.proc, (int)pid, bad, vs.n);
	}
	/* Without the link (no access, a saved tree) the program is told by
	 * being mapped first. */
	smaps_exe_read(rh, &exe);
	vs.kind = xcalloc(vs.n, sizeof(*vs.kind));
	smaps_classify(vs.m, vs.n, &exe, vs.kind);

	if (picture) {
		draw_layout(&vs, pid, &st, co.out.bytes);
		rc = 0;
		goto out;
	}
	switch (mode) {
	case M_MAP: add_mapping_rows(tb, &vs, pid); break;
	case M_SUM: add_kind_rows(tb, &vs, pid); break;
	case M_PATH: add_path_rows(tb, &vs, pid); break;
	case M_LAY: add_layout_rows(tb, &vs, pid); break;
	}
	/* Totals; left out of prometheus, whose consumers sum the series
	 * (and a second PID's file would repeat these names unlabelled). */
	if (co.out.fmt != FMT_PROM) {
		static const struct {
			const char *key, *label;
		} tot[NSUMS] = {
			[S_SIZE] = { "total_size", "total size" },
			[S_RSS] = { "total_rss", "total RSS" },
			[S_PSS] = { "total_pss", "total PSS" },
			[S_SWAP] = { "total_swap", "total swap" },
			[S_DIRTY] = { "total_dirty", "total dirty" },
			[S_HUGETLB] = { "total_hugetlb", "total hugetlb" },
		};
		struct sums s = { 0 };

		for (size_t i = 0; i < vs.n; i++)
			sums_add(&s, &vs.m[i]);
		for (int i = 0; i < NSUMS; i++)
			if (tot[i].key && !s.unknown[i])
				table_meta(tb, tot[i].key, tot[i].label, COL_SIZE, NULL,
					   s.v[i] > INT64_MAX ? INT64_MAX : (int64_t)s.v[i], 0,
					   NULL);
		table_meta(tb, "total_count", "mappings", COL_NUM, "number of mappings",
			   (int64_t)s.count, 0, NULL);
	}
	table_print(tb, &co.out);
	rc = 0;
out:
	for (size_t i = 0; i < vs.n; i++)
		free((char *)vs.m[i].path);
	free(vs.m);
	free(vs.kind);
	if (rh != &h)
		pidh_close(&th);
	pidh_close(&h);
	procfs_close(&pf);
	table_free(tb);
	sbuf_free(&who);
	common_free(&co);
	return out_finish(rc);
}
