/* /proc/vmstat: the kernel's memory event counters, "name value" lines. */
#ifndef PROCDX_VMSTAT_H
#define PROCDX_VMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

struct vmstat_entry {
	char name[48];
	uint64_t value;
};

/* Every counter, in the kernel's order (the set differs between kernels
 * and configurations: look keys up, never index). */
struct vmstat {
	struct vmstat_entry *e;
	size_t n;
};

/* Parse the text of /proc/vmstat (NUL-terminated). A line that is not
 * "name value" with a name of [a-z0-9_] up to 47 bytes and a decimal that
 * fits 64 bits is skipped (a newer kernel may print a negative number of a
 * signed counter: that is skipped too). The array is malloc'd: free it with
 * vmstat_free. Returns 0, or -EINVAL when no line parses. */
int vmstat_parse(const char *buf, struct vmstat *vs);
int vmstat_read(const struct procfs *pf, struct vmstat *vs);
void vmstat_free(struct vmstat *vs);

/* The value of key. Returns 0, or -ENOENT when this kernel has no such
 * counter (then *v is left alone). */
int vmstat_get(const struct vmstat *vs, const char *key, uint64_t *v);

/* The sum of every counter whose name starts with prefix ("allocstall_"
 * sums allocstall_dma, allocstall_normal, ...; older kernels have one
 * "allocstall"). Returns the number of counters summed (0: none). */
size_t vmstat_sum_prefix(const struct vmstat *vs, const char *prefix, uint64_t *v);

#endif
