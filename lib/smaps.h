/* /proc/PID/smaps_rollup and /proc/PID/smaps: memory by mapping, with the
 * proportional (PSS) and private (USS) shares that only a page-table walk
 * can give. Reading either costs that walk, under the target's mm lock. */
#ifndef PROCDX_SMAPS_H
#define PROCDX_SMAPS_H

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
	SMF_ANON_HUGE = 1u << 16, SMF_LAZYFREE = 1u << 17,
};

/* Counters of one mapping, or of a whole process, in bytes. */
struct mem_counters {
	unsigned has;
	uint64_t size, rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, lazyfree, anon_huge, swap, swap_pss, locked;
};

/* Parse one "Key:   N kB" line (len bytes, no newline) into mc. Returns 1
 * if it was a known counter, 0 for another line, -EINVAL for a known key
 * with a malformed value. */
int smaps_counter_line(const char *line, size_t len, struct mem_counters *mc);

/* Parse the text of smaps_rollup. Returns 0, or -EINVAL without an Rss and
 * a Pss line (not a rollup). */
int smaps_rollup_parse(const char *buf, size_t len, struct mem_counters *mc);
/* Read h's smaps_rollup. -EACCES without ptrace read access; -ENOENT when
 * gone or when the kernel has none (before 4.14); never for a task in D. */
int smaps_rollup_read(struct pidh *h, struct mem_counters *mc);

/* The unique set size: pages only this process maps. */
static inline uint64_t mem_uss(const struct mem_counters *mc)
{
	return mc->private_clean + mc->private_dirty;
}

#endif
