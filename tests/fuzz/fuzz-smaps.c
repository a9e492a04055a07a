/* Fuzz smaps_parse (/proc/PID/smaps) and smaps_classify on what it gives.
 * Invariants: 0 or -EINVAL; every mapping has start < end, a permission
 * string of the kernel's letters, a name that is one C string of path_len
 * bytes (no name: no length, not deleted), only known counter bits, whole
 * kB values; every KIND in range and at most one bss, with or without the
 * program's path. */
#include <errno.h>

#include "fuzz.h"
#include "smaps.h"

struct got {
	struct mapping *m;
	size_t n, cap;
};

static int keep(const struct mapping *m, void *ctx)
{
	struct got *g = ctx;
	struct mapping *c;

	FUZZ_ASSERT(m->start < m->end);
	FUZZ_ASSERT(strlen(m->perms) == 4);
	FUZZ_ASSERT(strchr("r-", m->perms[0]) && strchr("w-", m->perms[1]) &&
		    strchr("x-", m->perms[2]) && strchr("sp", m->perms[3]));
	FUZZ_ASSERT(m->path ? m->path_len > 0 && strlen(m->path) == m->path_len
			    : m->path_len == 0 && !m->deleted);
	FUZZ_ASSERT((m->c.has & ~((SMF_PRIVATE_HUGETLB << 1) - 1)) == 0);
	if (m->c.has & SMF_RSS)
		FUZZ_ASSERT(m->c.rss % 1024 == 0);
	if (m->c.has & SMF_PSS)
		FUZZ_ASSERT(m->c.pss % 1024 == 0);
	if (!(m->c.has & SMF_SWAP))
		FUZZ_ASSERT(m->c.swap == 0);
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->m = realloc(g->m, g->cap * sizeof(*g->m));
		if (!g->m)
			abort();
	}
	c = &g->m[g->n++];
	*c = *m;
	if (m->path) {
		char *p = malloc(m->path_len + 1);

		if (!p)
			abort();
		memcpy(p, m->path, m->path_len + 1);
		c->path = p;
	}
	return 0;
}

static void classify(const struct got *g, const struct map_exe *e)
{
	enum map_kind *kind = calloc(g->n ? g->n : 1, sizeof(*kind));
	size_t bss = 0;

	if (!kind)
		abort();
	smaps_classify(g->m, g->n, e, kind);
	for (size_t i = 0; i < g->n; i++) {
		FUZZ_ASSERT((unsigned)kind[i] < MK_NKINDS);
		FUZZ_ASSERT(*map_kind_name(kind[i]));
		bss += kind[i] == MK_BSS;
		if (kind[i] == MK_BSS)
			FUZZ_ASSERT(i > 0 && !g->m[i].path && g->m[i - 1].end == g->m[i].start);
	}
	FUZZ_ASSERT(bss <= 1);
	free(kind);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct got g = { 0 };
	struct map_exe e;
	int r = smaps_parse(buf, size, keep, &g);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == -EINVAL)
		FUZZ_ASSERT(g.n == 0);
	memset(&e, 0, sizeof(e));
	classify(&g, &e);
	for (size_t i = 0; i < g.n; i++)
		if (g.m[i].path) {
			snprintf(e.path, sizeof(e.path), "%s", g.m[i].path);
			e.have_path = true;
			break;
		}
	classify(&g, &e);
	for (size_t i = 0; i < g.n; i++)
		free((char *)g.m[i].path);
	free(g.m);
	free(buf);
	return 0;
}
