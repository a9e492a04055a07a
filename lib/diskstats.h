/* Block device statistics: /proc/diskstats, and whether a device is a
 * whole disk or a partition (sysfs). */
#ifndef PROCDX_DISKSTATS_H
#define PROCDX_DISKSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* One line of /proc/diskstats (Documentation/admin-guide/iostats.rst).
 * Times are in milliseconds. nfields is how many counters the kernel gave:
 * 11 (before 4.18), 15 (discards), 17 (flushes, 5.5); those it did not
 * give are 0 and must not be shown. */
struct disk_stat {
	unsigned major, minor;
	char name[64];
	uint64_t reads, reads_merged, sectors_read, ms_reading;
	uint64_t writes, writes_merged, sectors_written, ms_writing;
	uint64_t in_flight, ms_io, ms_weighted;
	uint64_t discards, discards_merged, sectors_discarded, ms_discarding;
	uint64_t flushes, ms_flushing;
	int nfields;
};

struct diskstats {
	struct disk_stat *d;
	size_t n;
};

/* Parse the text of /proc/diskstats (NUL-terminated). Lines that do not
 * parse (too few fields, a name too long, a number that does not fit) are
 * skipped and counted in *bad (may be NULL). The array is malloc'd; free it
 * with diskstats_free. Returns 0 (an empty file is no devices). */
int diskstats_parse(const char *buf, struct diskstats *ds, size_t *bad);
int diskstats_read(const struct procfs *pf, struct diskstats *ds, size_t *bad);
void diskstats_free(struct diskstats *ds);

/* The device in ds with this major:minor, or NULL. */
const struct disk_stat *diskstats_find(const struct diskstats *ds, unsigned major,
				       unsigned minor);

enum disk_kind { DISK_UNKNOWN, DISK_WHOLE, DISK_PART };

/* Whole disk or partition, from sysfs under pf's sys root:
 * /sys/dev/block/MAJ:MIN/partition exists for a partition; else
 * /sys/block/NAME (a '/' in the name spelled '!') exists for a whole disk.
 * DISK_UNKNOWN when sysfs says neither (no sysfs, a saved tree without it). */
enum disk_kind disk_kind(const struct procfs *pf, const struct disk_stat *d);

/* Rates over dt seconds between two readings a and b of one device, as
 * iostat -x computes them. A value that cannot be told (no I/O completed
 * for await, a counter that went back: the device was replaced) is < 0. */
struct disk_rates {
	double util;		/* % of the time with I/O in flight (io_ticks), <= 100 */
	double r_s, w_s;	/* completed reads and writes per second */
	double rmb_s, wmb_s;	/* MiB per second (512-byte sectors) */
	double r_await, w_await, await;	/* ms per completed I/O, queue included */
	double aqu_sz;		/* average requests in flight (weighted time / dt) */
};
void disk_rates(const struct disk_stat *a, const struct disk_stat *b, double dt,
		struct disk_rates *r);

#endif
