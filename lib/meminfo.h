/* /proc/meminfo. */
#ifndef PROCDX_MEMINFO_H
#define PROCDX_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

enum meminfo_key {
	MI_MEMTOTAL, MI_MEMFREE, MI_MEMAVAILABLE, MI_BUFFERS, MI_CACHED, MI_SWAPCACHED,
	MI_SWAPTOTAL, MI_SWAPFREE, MI_DIRTY, MI_WRITEBACK, MI_ANONPAGES, MI_MAPPED, MI_SHMEM,
	MI_SLAB, MI_SRECLAIMABLE, MI_SUNRECLAIM, MI_PAGETABLES, MI_COMMITLIMIT,
	MI_COMMITTED_AS, MI_HUGEPAGES_TOTAL, MI_HUGEPAGES_FREE, MI_HUGEPAGESIZE,
	MI_HUGETLB, MI_NKEYS
};

/* Values in bytes (HugePages_Total/Free are counts, as the kernel gives
 * them); has bit k set when key k was present. */
struct meminfo {
	uint64_t v[MI_NKEYS];
	uint32_t has;
};

static inline int meminfo_has(const struct meminfo *mi, enum meminfo_key k)
{
	return (mi->has >> k) & 1;
}

/* Parse the text of /proc/meminfo. Returns 0, or -EINVAL without MemTotal. */
int meminfo_parse(const char *buf, size_t len, struct meminfo *mi);
int meminfo_read(const struct procfs *pf, struct meminfo *mi);

#endif
