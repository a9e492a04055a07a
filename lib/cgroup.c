/* cgroup v1 and v2 discovery. Nothing here assumes /sys/fs/cgroup: the
 * hierarchies are found from mountinfo and mapped under the sysfs root, so a
 * saved tree or a container's view works the same. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "mounts.h"
#include "util.h"

/* Does the comma list list (of n bytes) hold word? */
static bool list_has(const char *list, size_t n, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list, *end = list + n;

	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t len = (size_t)((c ? c : end) - p);

		if (len == wl && !memcmp(p, word, wl))
			return true;
		p = c ? c + 1 : end;
	}
	return false;
}

int cgroup_parse_path(const char *buf, size_t len, const char *controller, char *out,
		      size_t size)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(lend - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(lend - c1 - 1)) : NULL;

		if (!c1 || !c2)
			return -EINVAL;
		bool match = *controller ? list_has(c1 + 1, (size_t)(c2 - c1 - 1), controller)
					: (c2 == c1 + 1 && c1 - p == 1 && *p == '0');
		if (match) {
			size_t plen = (size_t)(lend - c2 - 1);

			if (plen + 1 > size)
				return -ENAMETOOLONG;
			memcpy(out, c2 + 1, plen);
			out[plen] = '\0';
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return -ENOENT;
}

int cgroup_path_of(struct pidh *h, const char *controller, char *out, size_t size)
{
	char buf[4096];
	ssize_t n = pidh_read(h, "cgroup", buf, sizeof(buf), 0, NULL);

	if (n < 0)
		return (int)n;
	return cgroup_parse_path(buf, (size_t)n, controller, out, size);
}

void cgroup_path_canon(char *path)
{
	char *out = path + 1;	/* after the leading '/' */
	const char *p = path;

	while (*p) {
		const char *c = p + strspn(p, "/");
		size_t len = strcspn(c, "/");

		p = c + len;
		if (len == 0 || (len == 1 && c[0] == '.'))
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			/* Back to the '/' before the last component. */
			while (out > path + 1 && *--out != '/')
				;
			continue;
		}
		if (out > path + 1)
			*out++ = '/';
		memmove(out, c, len);
		out += len;
	}
	*out = '\0';
}

bool cgroup_path_under(const char *cg, size_t cl, const char *path)
{
	size_t pl = strlen(path);

	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	if (pl == 1 && path[0] == '/')
		return true;
	return cl >= pl && !memcmp(cg, path, pl) && (cl == pl || cg[pl] == '/');
}

bool cgroup_text_under(const char *buf, size_t len, const char *path)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(lend - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(lend - c1 - 1)) : NULL;

		if (c2 && cgroup_path_under(c2 + 1, (size_t)(lend - c2 - 1), path))
			return true;
		p = nl ? nl + 1 : end;
	}
	return false;
}

/* m's directory, then sub (a cgroup path, or ""), into out. The mount
 * point is a host path: its /sys part goes under the configured sysfs. */
static int mount_dir(const struct procfs *pf, const struct mount *m, const char *sub, char *out,
		     size_t size)
{
	const char *pt = m->point;
	bool sys = !strncmp(pt, "/sys/", 5) || !strcmp(pt, "/sys");

	return snprintf(out, size, "%s%s%s", sys ? pf->sys : "", sys ? pt + 4 : pt, sub) <
	       (int)size ? 0 : -ENAMETOOLONG;
}

/* Where the hierarchy of controller ("" for v2) is mounted in ms, mapped
 * under the sysfs root. */
static int find_mount(const struct procfs *pf, const struct mounts *ms, const char *controller,
		      char *out, size_t size)
{
	for (size_t i = 0; i < ms->n; i++) {
		const struct mount *m = &ms->m[i];

		if (*controller ? strcmp(m->fstype, "cgroup") ||
				  !list_has(m->opts, strlen(m->opts), controller)
				: strcmp(m->fstype, "cgroup2") != 0)
			continue;
		return mount_dir(pf, m, "", out, size);
	}
	return -ENOENT;
}

bool cgroup_exists(const struct procfs *pf, const char *path)
{
	struct mounts ms;
	bool found = false, any = false;

	if (mounts_read(pf, &ms) < 0)
		return true;	/* cannot tell */
	for (size_t i = 0; i < ms.n && !found; i++) {
		char dir[4096];
		struct stat sb;

		if (strcmp(ms.m[i].fstype, "cgroup") && strcmp(ms.m[i].fstype, "cgroup2"))
			continue;
		any = true;
		found = mount_dir(pf, &ms.m[i], strcmp(path, "/") ? path : "", dir,
				  sizeof(dir)) == 0 && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	}
	mounts_free(&ms);
	return found || !any;
}

int cgroup_mount(const struct procfs *pf, const char *controller, char *out, size_t size)
{
	struct mounts ms;
	int r;

	if (mounts_read(pf, &ms) < 0)
		return -ENOENT;
	r = find_mount(pf, &ms, controller, out, size);
	mounts_free(&ms);
	return r;
}

int cgroup_read_limit(const char *dir, const char *file, uint64_t *v)
{
	char path[4096], buf[64];
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	n = procfs_read(AT_FDCWD, path, buf, sizeof(buf), 0, NULL);
	if (n < 0)
		return (int)n;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (!strcmp(buf, "max")) {
		*v = UINT64_MAX;
		return 0;
	}
	return parse_u64_str(buf, v) < 0 ? -EINVAL : 0;
}

void cgroup_mounts_read(const struct procfs *pf, struct cgroup_mounts *m)
{
	struct {
		const char *controller;
		char *out;
	} want[] = {
		{ "pids", m->pids }, { "memory", m->memory }, { "blkio", m->blkio },
		{ "", m->unified },
	};
	struct mounts ms;
	bool ok = mounts_read(pf, &ms) == 0;

	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!ok || find_mount(pf, &ms, want[i].controller, want[i].out,
				      sizeof(m->pids)) < 0)
			want[i].out[0] = '\0';
	if (ok)
		mounts_free(&ms);
}

int cgroup_pids_dir(const struct cgroup_mounts *m, struct pidh *h, char *out, size_t size,
		    const char **cgpath)
{
	const char *mnt[] = { m->pids, m->unified };
	const char *ctl[] = { "pids", "" };
	char path[2048];
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(ctl); i++) {
		if (!mnt[i][0] || cgroup_path_of(h, ctl[i], path, sizeof(path)) < 0)
			continue;
		if ((size_t)snprintf(out, size, "%s%s", mnt[i], path) >= size)
			continue;
		for (;;) {
			char *slash;

			if (cgroup_read_limit(out, "pids.current", &v) == 0) {
				if (cgpath)
					*cgpath = out[strlen(mnt[i])] ? out + strlen(mnt[i]) : "/";
				return 0;
			}
			slash = strrchr(out, '/');
			if (!slash || (size_t)(slash - out) <= strlen(mnt[i]))
				break;
			*slash = '\0';
		}
	}
	return -ENOENT;
}

static uint64_t read_or_unknown(const char *dir, const char *file)
{
	uint64_t v;

	return cgroup_read_limit(dir, file, &v) == 0 ? v : MEMCG_UNKNOWN;
}

/* A v1 limit as read: v1 says "no limit" with the largest page-aligned
 * value, which becomes UINT64_MAX. */
static uint64_t v1_limit(uint64_t v)
{
	return v != MEMCG_UNKNOWN && v >= (1ULL << 62) ? UINT64_MAX : v;
}

/* The memory limit set on the cgroup at dir: UINT64_MAX for none, or
 * MEMCG_UNKNOWN. */
static uint64_t memcg_limit(const char *dir, bool v2)
{
	uint64_t v = read_or_unknown(dir, v2 ? "memory.max" : "memory.limit_in_bytes");

	return v2 ? v : v1_limit(v);
}

int cgroup_memory_at(const struct cgroup_mounts *m, bool v2, const char *path,
		     struct memcg *mc)
{
	const char *mnt = v2 ? m->unified : m->memory;

	if (!mnt[0])
		return -ENOENT;
	memset(mc, 0, sizeof(*mc));
	mc->v2 = v2;
	snprintf(mc->path, sizeof(mc->path), "%s", path);
	if ((size_t)snprintf(mc->dir, sizeof(mc->dir), "%s%s", mnt,
			     strcmp(path, "/") ? path : "") >= sizeof(mc->dir))
		return -ENAMETOOLONG;
	if (v2) {
		mc->limit = memcg_limit(mc->dir, true);
		mc->usage = read_or_unknown(mc->dir, "memory.current");
		mc->peak = read_or_unknown(mc->dir, "memory.peak");
		mc->swap = read_or_unknown(mc->dir, "memory.swap.current");
		if (mc->usage == MEMCG_UNKNOWN)
			return -ENOENT;	/* the root, or no memory controller here */
	} else {
		uint64_t sw = MEMCG_UNKNOWN, again;

		mc->limit = memcg_limit(mc->dir, false);
		mc->peak = read_or_unknown(mc->dir, "memory.max_usage_in_bytes");
		/* v1 has no swap counter: swap is memsw (memory and swap)
		 * less memory, two counters read one after the other. Taken
		 * when memory did not move across the memsw read; else
		 * their difference may be pages that were charged or
		 * uncharged in between, not swap. */
		mc->usage = read_or_unknown(mc->dir, "memory.usage_in_bytes");
		for (int tries = 0; tries < 3 && mc->usage != MEMCG_UNKNOWN; tries++) {
			sw = read_or_unknown(mc->dir, "memory.memsw.usage_in_bytes");
			again = read_or_unknown(mc->dir, "memory.usage_in_bytes");
			if (sw == MEMCG_UNKNOWN || again == mc->usage)
				break;
			mc->usage = again;
			sw = MEMCG_UNKNOWN;
		}
		mc->swap = sw != MEMCG_UNKNOWN && mc->usage != MEMCG_UNKNOWN
			   ? (sw > mc->usage ? sw - mc->usage : 0) : MEMCG_UNKNOWN;
		if (mc->usage == MEMCG_UNKNOWN)
			return -ENOENT;
	}
	return 0;
}

int cgroup_memory_oom_total(const struct procfs *pf, const struct memcg *mc,
			    uint64_t swap_total, uint64_t *total)
{
	unsigned long long vm;
	uint64_t swappiness, allow;
	int r;

	if (mc->limit == UINT64_MAX || mc->limit == MEMCG_UNKNOWN)
		return -ENOENT;
	*total = mc->limit;
	if (!swap_total)
		return 0;
	if (mc->v2) {
		r = procfs_read_u64(pf, "sys/vm/swappiness", &vm);
		swappiness = vm;
	} else {
		r = cgroup_read_limit(mc->dir, "memory.swappiness", &swappiness);
	}
	if (r < 0)
		return r;
	if (!swappiness)
		return 0;
	r = cgroup_read_limit(mc->dir, mc->v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
			      &allow);
	if (r == -ENOENT)
		allow = UINT64_MAX;
	else if (r < 0)
		return r;
	/* v1 limits memory and swap together. */
	else if (!mc->v2 && (allow = v1_limit(allow)) != UINT64_MAX)
		allow = allow > mc->limit ? allow - mc->limit : 0;
	*total += allow < swap_total ? allow : swap_total;
	return 0;
}

bool cgroup_memory_binding(const struct cgroup_mounts *m, const struct memcg *mc,
			   struct memcg *out)
{
	struct memcg up;
	const struct memcg *c = mc;
	uint64_t best = UINT64_MAX;
	bool found = false;
	char path[sizeof(mc->path)];

	*out = *mc;
	snprintf(path, sizeof(path), "%s", mc->path);
	/* Up to the level below the root: v2's root has no memory.max, and
	 * v1's can have no limit. */
	for (;;) {
		char *slash;

		if (c->limit < MEMCG_UNKNOWN && c->usage != MEMCG_UNKNOWN) {
			uint64_t room = c->limit > c->usage ? c->limit - c->usage : 0;

			if (!found || room < best) {
				best = room;
				*out = *c;
				found = true;
			}
		}
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
		if (cgroup_memory_at(m, mc->v2, path, &up) < 0)
			break;
		c = &up;
	}
	return found;
}

int cgroup_memory_of(const struct cgroup_mounts *m, struct pidh *h, struct memcg *mc)
{
	char path[1024];

	/* v1's memory hierarchy, when mounted, is where memory is charged;
	 * otherwise the unified one. */
	if (m->memory[0] && cgroup_path_of(h, "memory", path, sizeof(path)) == 0)
		return cgroup_memory_at(m, false, path, mc);
	if (m->unified[0] && cgroup_path_of(h, "", path, sizeof(path)) == 0)
		return cgroup_memory_at(m, true, path, mc);
	return -ENOENT;
}

/* Whether file in the cgroup at path (under mount) holds the line want. */
static bool cgroup_has_line(const char *mount, const char *path, const char *file,
			    const char *want)
{
	char name[4096], buf[512];
	ssize_t n;

	if ((size_t)snprintf(name, sizeof(name), "%s%s/%s", mount, path, file) >= sizeof(name))
		return false;
	n = procfs_read(AT_FDCWD, name, buf, sizeof(buf) - 1, 0, NULL);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *l = buf, *nl; l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (!strcmp(l, want))
			return true;
	}
	return false;
}

bool cgroup_frozen(struct pidh *h)
{
	static const struct procfs *seen;
	static char v1[1024], v2[1024];
	char buf[4096], path[2048];
	ssize_t n;

	if (seen != h->pf) {
		seen = h->pf;
		if (cgroup_mount(h->pf, "freezer", v1, sizeof(v1)) < 0)
			v1[0] = '\0';
		if (cgroup_mount(h->pf, "", v2, sizeof(v2)) < 0)
			v2[0] = '\0';
	}
	if ((!v1[0] && !v2[0]) || (n = pidh_read(h, "cgroup", buf, sizeof(buf), 0, NULL)) < 0)
		return false;
	if (v1[0] && cgroup_parse_path(buf, (size_t)n, "freezer", path, sizeof(path)) == 0 &&
	    cgroup_has_line(v1, path, "freezer.state", "FROZEN"))
		return true;
	return v2[0] && cgroup_parse_path(buf, (size_t)n, "", path, sizeof(path)) == 0 &&
	       cgroup_has_line(v2, path, "cgroup.events", "frozen 1");
}
