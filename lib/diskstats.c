/* Parser of /proc/diskstats and the iostat arithmetic. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diskstats.h"
#include "util.h"

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "MAJ MIN NAME c1 c2 ... cN" with N of 11, 15 or 17 (more from a newer
 * kernel are ignored). */
static int parse_line(const char *p, const char *end, struct disk_stat *d)
{
	uint64_t *f[] = { &d->reads, &d->reads_merged, &d->sectors_read, &d->ms_reading,
			  &d->writes, &d->writes_merged, &d->sectors_written, &d->ms_writing,
			  &d->in_flight, &d->ms_io, &d->ms_weighted, &d->discards,
			  &d->discards_merged, &d->sectors_discarded, &d->ms_discarding,
			  &d->flushes, &d->ms_flushing };
	uint64_t maj, min;
	size_t len;

	memset(d, 0, sizeof(*d));
	p = skip_blanks(p);
	if (parse_u64(&p, &maj) < 0 || maj > 0xffffffffu)
		return -EINVAL;
	p = skip_blanks(p);
	if (parse_u64(&p, &min) < 0 || min > 0xffffffffu)
		return -EINVAL;
	p = skip_blanks(p);
	len = strcspn(p, " \t\n");
	if (len == 0 || len >= sizeof(d->name) || p + len > end)
		return -EINVAL;
	memcpy(d->name, p, len);
	d->name[len] = '\0';
	p += len;
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		p = skip_blanks(p);
		if (p >= end || *p == '\n')
			break;
		if (parse_u64(&p, f[i]) < 0)
			return -EINVAL;
		d->nfields++;
	}
	/* Anything but the known widths is not a diskstats line we know. */
	if (d->nfields != 11 && d->nfields != 15 && d->nfields != 17)
		return -EINVAL;
	if (d->nfields < 15)
		d->discards = d->discards_merged = d->sectors_discarded = d->ms_discarding = 0;
	d->major = (unsigned)maj;
	d->minor = (unsigned)min;
	return 0;
}

int diskstats_parse(const char *buf, struct diskstats *ds, size_t *bad)
{
	const char *p = buf;
	size_t cap = 0;

	ds->d = NULL;
	ds->n = 0;
	if (bad)
		*bad = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		struct disk_stat d;

		if (end > p && parse_line(p, end, &d) == 0) {
			if (ds->n == cap) {
				cap = cap ? cap * 2 : 16;
				ds->d = xreallocarray(ds->d, cap, sizeof(*ds->d));
			}
			ds->d[ds->n++] = d;
		} else if (end > p && bad) {
			(*bad)++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int diskstats_read(const struct procfs *pf, struct diskstats *ds, size_t *bad)
{
	char *buf;
	ssize_t n = procfs_read_alloc(pf->procfd, "diskstats", 16 << 20, &buf, NULL);
	int r;

	ds->d = NULL;
	ds->n = 0;
	if (n < 0)
		return (int)n;
	r = diskstats_parse(buf, ds, bad);
	free(buf);
	return r;
}

void diskstats_free(struct diskstats *ds)
{
	free(ds->d);
	ds->d = NULL;
	ds->n = 0;
}

const struct disk_stat *diskstats_find(const struct diskstats *ds, unsigned major,
				       unsigned minor)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->d[i].major == major && ds->d[i].minor == minor)
			return &ds->d[i];
	return NULL;
}

static bool sys_exists(const struct procfs *pf, const char *path)
{
	char full[4096];

	if ((size_t)snprintf(full, sizeof(full), "%s/%s", pf->sys, path) >= sizeof(full))
		return false;
	return faccessat(AT_FDCWD, full, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

enum disk_kind disk_kind(const struct procfs *pf, const struct disk_stat *d)
{
	char path[128];

	snprintf(path, sizeof(path), "dev/block/%u:%u/partition", d->major, d->minor);
	if (sys_exists(pf, path))
		return DISK_PART;
	/* The kernel spells a '/' in a device name ("cciss/c0d0") as '!'
	 * in sysfs. A name that could climb out of /sys/block is not looked
	 * up. */
	if (strcmp(d->name, ".") && strcmp(d->name, "..")) {
		size_t n = (size_t)snprintf(path, sizeof(path), "block/%s", d->name);

		for (size_t i = 6; i < n; i++)
			if (path[i] == '/')
				path[i] = '!';
		if (sys_exists(pf, path))
			return DISK_WHOLE;
	}
	/* Without /sys/block/NAME, a device with a "partition" sibling tells
	 * nothing; but a block device sysfs knows that is no partition is a
	 * whole disk. */
	snprintf(path, sizeof(path), "dev/block/%u:%u", d->major, d->minor);
	if (sys_exists(pf, path))
		return DISK_WHOLE;
	return DISK_UNKNOWN;
}

/* b - a, or -1 when the counter went back (the device was replaced or
 * the counter wrapped: 32-bit counters on 32-bit kernels). */
static double delta(uint64_t a, uint64_t b)
{
	return b >= a ? (double)(b - a) : -1;
}

void disk_rates(const struct disk_stat *a, const struct disk_stat *b, double dt,
		struct disk_rates *r)
{
	double rd = delta(a->reads, b->reads), wr = delta(a->writes, b->writes);
	double rs = delta(a->sectors_read, b->sectors_read);
	double ws = delta(a->sectors_written, b->sectors_written);
	double rt = delta(a->ms_reading, b->ms_reading), wt = delta(a->ms_writing, b->ms_writing);
	double io = delta(a->ms_io, b->ms_io), wio = delta(a->ms_weighted, b->ms_weighted);

	r->util = r->r_s = r->w_s = r->rmb_s = r->wmb_s = -1;
	r->r_await = r->w_await = r->await = r->aqu_sz = -1;
	if (dt <= 0)
		return;
	if (rd >= 0)
		r->r_s = rd / dt;
	if (wr >= 0)
		r->w_s = wr / dt;
	if (rs >= 0)
		r->rmb_s = rs * 512 / 1048576 / dt;
	if (ws >= 0)
		r->wmb_s = ws * 512 / 1048576 / dt;
	if (rd > 0 && rt >= 0)
		r->r_await = rt / rd;
	if (wr > 0 && wt >= 0)
		r->w_await = wt / wr;
	if (rd >= 0 && wr >= 0 && rd + wr > 0 && rt >= 0 && wt >= 0)
		r->await = (rt + wt) / (rd + wr);
	/* io_ticks can run past the wall clock (sysstat#412): cap at 100. */
	if (io >= 0)
		r->util = io / (dt * 1000) * 100 > 100 ? 100 : io / (dt * 1000) * 100;
	if (wio >= 0)
		r->aqu_sz = wio / (dt * 1000);
}
