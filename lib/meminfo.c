/* Parser of /proc/meminfo. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "meminfo.h"
#include "util.h"

static const char *const keys[MI_NKEYS] = {
	[MI_MEMTOTAL] = "MemTotal", [MI_MEMFREE] = "MemFree",
	[MI_MEMAVAILABLE] = "MemAvailable", [MI_BUFFERS] = "Buffers", [MI_CACHED] = "Cached",
	[MI_SWAPCACHED] = "SwapCached", [MI_SWAPTOTAL] = "SwapTotal",
	[MI_SWAPFREE] = "SwapFree", [MI_DIRTY] = "Dirty", [MI_WRITEBACK] = "Writeback",
	[MI_ANONPAGES] = "AnonPages", [MI_MAPPED] = "Mapped", [MI_SHMEM] = "Shmem",
	[MI_SLAB] = "Slab", [MI_SRECLAIMABLE] = "SReclaimable", [MI_SUNRECLAIM] = "SUnreclaim",
	[MI_PAGETABLES] = "PageTables", [MI_COMMITLIMIT] = "CommitLimit",
	[MI_COMMITTED_AS] = "Committed_AS", [MI_HUGEPAGES_TOTAL] = "HugePages_Total",
	[MI_HUGEPAGES_FREE] = "HugePages_Free", [MI_HUGEPAGESIZE] = "Hugepagesize",
	[MI_HUGETLB] = "Hugetlb",
};

int meminfo_parse(const char *buf, size_t len, struct meminfo *mi)
{
	const char *p = buf, *end = buf + len;

	memset(mi, 0, sizeof(*mi));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(lend - p));

		for (int k = 0; colon && k < MI_NKEYS; k++) {
			size_t kl = strlen(keys[k]);
			char num[32];
			const char *q;
			size_t n = 0;
			uint64_t v;

			if ((size_t)(colon - p) != kl || memcmp(p, keys[k], kl))
				continue;
			for (q = colon + 1; q < lend && *q == ' '; q++)
				;
			while (q < lend && *q >= '0' && *q <= '9' && n < sizeof(num) - 1)
				num[n++] = *q++;
			num[n] = '\0';
			if (!n || parse_u64_str(num, &v) < 0)
				break;
			/* Most lines are in kB; the HugePages_ counts have no unit.
			 * Only they may end at the number: a kB line without its
			 * " kB" was cut short (or is not the kernel's), and taken
			 * as bytes it would be 1024 times too small. */
			if (lend - q == 3 && !memcmp(q, " kB", 3)) {
				if (mul_overflows(v, 1024, &v))
					break;
			} else if (q != lend || (k != MI_HUGEPAGES_TOTAL && k != MI_HUGEPAGES_FREE)) {
				break;
			}
			mi->v[k] = v;
			mi->has |= 1u << k;
			break;
		}
		p = nl ? nl + 1 : end;
	}
	return meminfo_has(mi, MI_MEMTOTAL) ? 0 : -EINVAL;
}

int meminfo_read(const struct procfs *pf, struct meminfo *mi)
{
	char buf[8192];
	ssize_t n = procfs_read(pf->procfd, "meminfo", buf, sizeof(buf), 0, NULL);

	if (n < 0)
		return (int)n;
	return meminfo_parse(buf, (size_t)n, mi);
}
