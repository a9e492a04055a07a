/* Control groups, v1 and v2: a process's membership from /proc/PID/cgroup
 * and the hierarchies' mount points from /proc/self/mountinfo. */
#ifndef PROCDX_CGROUP_H
#define PROCDX_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* From the text of /proc/PID/cgroup, the path of the hierarchy that holds
 * controller (v1, e.g. "pids", "memory"), or of the unified v2 hierarchy
 * when controller is "" ("0::/user.slice"). Returns 0, -ENOENT when there
 * is no such line, -EINVAL on a malformed file. */
int cgroup_parse_path(const char *buf, size_t len, const char *controller, char *out,
		      size_t size);
int cgroup_path_of(struct pidh *h, const char *controller, char *out, size_t size);

/* Whether the cgroup cg (cl bytes, "/system.slice/app.service") is path or
 * below it; path may end in '/'. */
bool cgroup_path_under(const char *cg, size_t cl, const char *path);
/* Whether any line of the cgroup file text names path or a cgroup below it. */
bool cgroup_text_under(const char *buf, size_t len, const char *path);
/* Rewrite path (absolute) in place as the kernel spells a cgroup: no empty,
 * "." or trailing components, ".." taken back (never above the root), so
 * that "//a/./b/../b/" matches what /proc/PID/cgroup says, "/a/b". */
void cgroup_path_canon(char *path);

/* Where the hierarchy of controller ("" for v2) is mounted, as a path under
 * the configured sysfs root. Returns 0 or -ENOENT. */
int cgroup_mount(const struct procfs *pf, const char *controller, char *out, size_t size);

/* Read a cgroup file (dir is under a mount from cgroup_mount) holding one
 * number or "max". *v is UINT64_MAX for "max". Returns 0 or -errno. */
int cgroup_read_limit(const char *dir, const char *file, uint64_t *v);

/* Mount points of the hierarchies procdx reads, found once per run. An
 * empty string: not mounted. */
struct cgroup_mounts {
	char pids[1024], memory[1024], blkio[1024], unified[1024];
};
void cgroup_mounts_read(const struct procfs *pf, struct cgroup_mounts *m);

/* The pids cgroup directory a process is charged to: the v1 "pids"
 * hierarchy if mounted, else v2; the nearest ancestor that has a
 * pids.current (the root has none). Returns 0 or -ENOENT; *cgpath (may be
 * NULL) is set to the cgroup's own path inside out ("/system.slice"). */
int cgroup_pids_dir(const struct cgroup_mounts *m, struct pidh *h, char *out, size_t size,
		    const char **cgpath);

/* The memory cgroup a process is in and what it may use: v2 memory.max /
 * memory.current / memory.peak / memory.swap.current, or v1
 * memory.limit_in_bytes / usage_in_bytes / max_usage_in_bytes /
 * memsw.usage_in_bytes less usage. Limits of "max" (or v1's near-2^63
 * "unlimited") are UINT64_MAX; a value the kernel does not give is
 * UINT64_MAX - 1 (unknown). Returns 0 or -ENOENT (no memory controller). */
struct memcg {
	char path[1024];	/* the cgroup's path ("/system.slice/x.service") */
	char dir[2048];		/* its directory under the sysfs root */
	bool v2;
	uint64_t limit, usage, peak, swap;
};
#define MEMCG_UNKNOWN (UINT64_MAX - 1)
int cgroup_memory_of(const struct cgroup_mounts *m, struct pidh *h, struct memcg *mc);
/* Whether path (as in /proc/PID/cgroup) is a cgroup of some mounted
 * hierarchy; true when that cannot be told (no mount table, no cgroup
 * mounted). */
bool cgroup_exists(const struct procfs *pf, const char *path);
/* The same as cgroup_memory_of, given a cgroup path in the memory (v1) or
 * unified (v2) hierarchy. */
int cgroup_memory_at(const struct cgroup_mounts *m, bool v2, const char *path,
		     struct memcg *mc);
/* What the kernel weighs the badness of mc's processes against when mc
 * reaches its limit (mm/memcontrol.c mem_cgroup_get_max), in bytes: the
 * limit, plus the swap the cgroup may use, at most swap_total (SwapTotal),
 * unless its swappiness is 0. The swap it may use is v1's memsw limit less
 * the limit, or v2's memory.swap.max; without that file (no swap
 * accounting) the kernel allows all swap. The swappiness is v1's
 * memory.swappiness; v2 has none per cgroup and takes vm.swappiness under
 * pf. Returns 0, -ENOENT when mc has no limit, or -errno when a file it
 * needs cannot be read (none is read when swap_total is 0). */
int cgroup_memory_oom_total(const struct procfs *pf, const struct memcg *mc,
			    uint64_t swap_total, uint64_t *total);
/* The cgroup that binds mc: of mc and its ancestors that have a limit,
 * the one with the least room left (limit less usage) goes in *out. A
 * parent's limit caps its children together, so what their siblings use
 * counts against it. Returns false, with *out a copy of mc, when none of
 * them has a limit. */
bool cgroup_memory_binding(const struct cgroup_mounts *m, const struct memcg *mc,
			   struct memcg *out);

/* Whether the cgroup freezer holds the task in h: v1's freezer.state of
 * its freezer cgroup says FROZEN, or v2's cgroup.events says "frozen 1".
 * Since Linux 6.1 the freezer stops a task where it already sleeps
 * (nanosleep, futex, a vfork wait), so its wait channel need not say
 * "freezer"; since the 2024 change such a task shows D. The mounts are
 * looked up once per run. */
bool cgroup_frozen(struct pidh *h);

#endif
