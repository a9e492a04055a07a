/* /proc/PID/smaps_rollup and /proc/PID/smaps: memory by mapping, with the
 * proportional (PSS) and private (USS) shares that only a page-table walk
 * can give. Reading either costs that walk, under the target's mm lock.
 * And what each mapping is for: text, data, heap, a library... */
#ifndef PROCDX_SMAPS_H
#define PROCDX_SMAPS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* Which counters the kernel gave (older kernels lack the Pss_* split). */
enum {
	SMF_SIZE = 1u << 0, SMF_RSS = 1u << 1, SMF_PSS = 1u << 2, SMF_PSS_ANON = 1u << 3,
	SMF_PSS_FILE = 1u << 4, SMF_PSS_SHMEM = 1u << 5, SMF_SHARED_CLEAN = 1u << 6,
	SMF_SHARED_DIRTY = 1u << 7, SMF_PRIVATE_CLEAN = 1u << 8, SMF_PRIVATE_DIRTY = 1u << 9,
	SMF_ANONYMOUS = 1u << 10, SMF_SWAP = 1u << 11, SMF_SWAP_PSS = 1u << 12,
	SMF_LOCKED = 1u << 13, SMF_REFERENCED = 1u << 14, SMF_PSS_DIRTY = 1u << 15,
	SMF_ANON_HUGE = 1u << 16, SMF_LAZYFREE = 1u << 17, SMF_SHARED_HUGETLB = 1u << 18,
	SMF_PRIVATE_HUGETLB = 1u << 19,
};

/* Counters of one mapping, or of a whole process, in bytes. */
struct mem_counters {
	unsigned has;
	uint64_t size, rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, lazyfree, anon_huge, swap, swap_pss, locked;
	/* hugetlbfs pages (MAP_HUGETLB, SysV SHM_HUGETLB): not in Rss or Pss */
	uint64_t shared_hugetlb, private_hugetlb;
};

/* Parse the text of smaps_rollup. Returns 0, or -EINVAL without an Rss and
 * a Pss line (not a rollup). */
int smaps_rollup_parse(const char *buf, size_t len, struct mem_counters *mc);
/* Read h's smaps_rollup. -EACCES without ptrace read access; -ENOENT when
 * gone or when the kernel has none (before 4.14); never for a task in D. */
int smaps_rollup_read(struct pidh *h, struct mem_counters *mc);

/* One mapping (VMA) of /proc/PID/smaps: its header line and its counters. */
struct mapping {
	uint64_t start, end;	/* [start, end) */
	uint64_t offset;	/* into the file, in bytes */
	char perms[5];		/* "r-xp": r/w/x or '-', then s(hared) or p(rivate) */
	unsigned dev_major, dev_minor;
	uint64_t inode;
	/* The name: a path ("/usr/lib/libc.so.6"), a kernel name ("[heap]",
	 * "[anon:NAME]") or NULL for an anonymous mapping. A newline the
	 * kernel wrote as \012 is decoded back to the byte; " (deleted)" is
	 * taken off and sets deleted. NUL-terminated; path_len bytes. */
	const char *path;
	size_t path_len;
	bool deleted;		/* the file was unlinked (or replaced) */
	bool malformed;		/* a line of its block could not be parsed */
	struct mem_counters c;	/* c.has says which counters were given */
};

/* Called for each mapping in file (address) order; m and m->path are valid
 * only during the call. Return 0 to go on, a negative errno to stop. */
typedef int (*smaps_fn)(const struct mapping *m, void *ctx);

/* Parse the text of /proc/PID/smaps (len bytes; need not be NUL-terminated)
 * and call fn for each mapping. A header line is recognised by its shape,
 * "start-end perms offset major:minor inode [path]", and starts a mapping;
 * "Key: N kB" lines are its counters; VmFlags, THPeligible, ProtectionKey
 * and keys this parser does not know are skipped. A line of neither shape,
 * or a known counter with a bad value, sets that mapping's malformed flag
 * and is otherwise ignored (the counter stays unset in c.has). Returns 0
 * (also for empty text: a kernel thread or a zombie has no mappings),
 * -EINVAL when text comes before the first header (not smaps at all), or
 * what fn returned to stop. Allocates nothing that outlives the call. */
int smaps_parse(const char *buf, size_t len, smaps_fn fn, void *ctx);

/* Read h's smaps whole (pidh_read_alloc: it can be megabytes) and parse it
 * as smaps_parse does. Returns 0, -ENOENT when the process is gone, -EACCES
 * without ptrace read access (root or CAP_SYS_PTRACE for another user's
 * process, or a non-dumpable one), -EFBIG past 1 GiB of text, -EINVAL, or
 * what fn returned. The read walks the page tables under the target's mm
 * lock: never call this for a process with a task in D (it can block for as
 * long as that task is stuck); use smaps_read_deadline. */
int smaps_read(struct pidh *h, smaps_fn fn, void *ctx);

/* The same, with the read done in a child process that the caller waits for
 * at most timeout seconds; parsing happens here once the text has arrived.
 * Returns what smaps_read does, or -ETIMEDOUT when the deadline passed (the
 * child is killed; it may stay in D until the lock it waits for is
 * released, and is reaped by init after we exit). */
int smaps_read_deadline(struct pidh *h, double timeout, smaps_fn fn, void *ctx);

/* What a mapping is for (vmmap's KIND). */
enum map_kind {
	MK_TEXT, MK_DATA, MK_BSS, MK_HEAP, MK_STACK, MK_ANON, MK_FILE, MK_LIB, MK_SHM,
	MK_VDSO, MK_VVAR, MK_VSYSCALL, MK_OTHER, MK_NKINDS
};

/* "text", "data", ... "other". */
const char *map_kind_name(enum map_kind k);

/* The program's own file, to tell its text, data and bss from the rest. */
struct map_exe {
	char path[PATH_MAX];	/* the exe link's target, " (deleted)" taken off */
	bool have_path, have_id;
	uint64_t inode;		/* the file behind the link: its identity */
	unsigned major, minor;
};

/* Read h's exe link and the identity (device, inode) of its file into e.
 * Returns 0 when either is known, else -EACCES (ptrace read access, as for
 * smaps), -ENOENT (a kernel thread, or a saved tree without the link). */
int smaps_exe_read(struct pidh *h, struct map_exe *e);

/* Set kind[i] for each of the n mappings m[], given in address order as
 * smaps lists them. The program's own mappings (by the path or the device
 * and inode of e; with neither known, the first file mapped, which is the
 * program) are text when executable or read-only, data when writable, as
 * is the read-only one right below the data that continues its file
 * offsets (RELRO: data the loader protects after relocation). bss is the
 * unnamed rw-p mapping right after the program's last mapping. The kernel's
 * names give heap, stack ([stack:TID] too), vdso, vvar ([vvar_vclock] too),
 * vsyscall, anon ([anon:NAME]) and shm ([anon_shmem:NAME]). A file is shm
 * when mapped shared, under /dev/shm/ or a System V segment (/SYSV...); lib
 * when its base name has ".so" at the end or before a version (".so.6"), or
 * it lies under a library directory (/lib/, /usr/lib/, ..., /usr/local/lib/);
 * file otherwise. No name: anon (shm if shared). Any other name
 * (anon_inode:..., [uprobes]) is other. */
void smaps_classify(const struct mapping *m, size_t n, const struct map_exe *e,
		    enum map_kind *kind);

/* The unique set size: pages only this process maps. */
static inline uint64_t mem_uss(const struct mem_counters *mc)
{
	return mc->private_clean + mc->private_dirty;
}

#endif
