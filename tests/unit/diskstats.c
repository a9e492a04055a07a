/* Unit tests of lib/diskstats.c: diskstats_parse on lines of 14, 18 and 20
 * fields and on hostile text, disk_kind on a made-up sysfs tree, and the
 * iostat arithmetic of disk_rates. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diskstats.h"
#include "procfs.h"
#include "tap.h"

static const char real[] =
	"   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	" 254       0 vda 87221 9863 5068090 123265 40028 45032 2630160 22515 0 49208 156944 "
	"69415 44 1323480 11041 1345 121\n"
	" 254       1 vda1 800 10 9000 700 300 20 4000 200 1 900 950 0 0 0 0\n"
	"   8       0 sda 100 0 800 50 10 0 80 5 0 55 60\n";

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static void test_parse(void)
{
	struct diskstats ds;
	const struct disk_stat *d;
	size_t bad = 9;

	is_int(diskstats_parse(real, &ds, &bad), 0, "diskstats: real text parses");
	is_int((int)ds.n, 4, "diskstats: four devices");
	is_int((int)bad, 0, "diskstats: no bad line");
	d = diskstats_find(&ds, 254, 0);
	ok(d && !strcmp(d->name, "vda"), "diskstats: 254:0 is vda");
	if (d) {
		is_int(d->nfields, 17, "diskstats: 20-field line has 17 counters");
		is_u64(d->reads, 87221, "diskstats: reads");
		is_u64(d->sectors_read, 5068090, "diskstats: sectors read");
		is_u64(d->ms_writing, 22515, "diskstats: ms writing");
		is_u64(d->ms_io, 49208, "diskstats: io ticks");
		is_u64(d->ms_weighted, 156944, "diskstats: weighted ms");
		is_u64(d->discards, 69415, "diskstats: discards");
		is_u64(d->flushes, 1345, "diskstats: flushes");
		is_u64(d->ms_flushing, 121, "diskstats: ms flushing");
	}
	d = diskstats_find(&ds, 254, 1);
	ok(d && d->nfields == 15 && d->in_flight == 1, "diskstats: 18-field line (4.18)");
	d = diskstats_find(&ds, 8, 0);
	ok(d && d->nfields == 11 && d->ms_weighted == 60, "diskstats: 14-field line (old)");
	ok(!diskstats_find(&ds, 9, 9), "diskstats: an absent device is NULL");
	diskstats_free(&ds);

	is_int(diskstats_parse("", &ds, &bad), 0, "diskstats: empty text is no devices");
	is_int((int)ds.n, 0, "diskstats: zero devices");
	is_int(diskstats_parse("8 0 sda 1 2 3\n8 1 sda1 1 2 3 4 5 6 7 8 9 10 11 12\n"
			       "x 0 sdb 1 2 3 4 5 6 7 8 9 10 11\n"
			       "8 16 sdb 1 2 3 4 5 6 7 8 9 10 -11\n"
			       "8 32 sdc 1 2 3 4 5 6 7 8 9 10 11", &ds, &bad), 0,
	       "diskstats: bad lines are skipped");
	is_int((int)ds.n, 1, "diskstats: only the good last line (no newline) is kept");
	is_int((int)bad, 4, "diskstats: four bad lines counted");
	ok(ds.n == 1 && !strcmp(ds.d[0].name, "sdc"), "diskstats: the good one is sdc");
	diskstats_free(&ds);
	{
		char line[200];

		snprintf(line, sizeof(line), "8 0 %070d 1 2 3 4 5 6 7 8 9 10 11\n", 5);
		is_int(diskstats_parse(line, &ds, NULL), 0, "diskstats: a long name parses");
		is_int((int)ds.n, 0, "diskstats: a name over 63 bytes is skipped");
		diskstats_free(&ds);
	}
	is_int(diskstats_parse("8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11\n", &ds,
			       &bad), 0, "diskstats: overflow parses");
	is_int((int)ds.n, 0, "diskstats: an overflowing counter skips the line");
	diskstats_free(&ds);
}

static void test_rates(void)
{
	struct disk_stat a = { .reads = 100, .writes = 50, .sectors_read = 2048,
			       .sectors_written = 4096, .ms_reading = 100, .ms_writing = 40,
			       .ms_io = 1000, .ms_weighted = 3000 };
	struct disk_stat b = a;
	struct disk_rates r;

	b.reads += 20;
	b.writes += 10;
	b.sectors_read += 2048 * 4;	/* 4 MiB */
	b.sectors_written += 2048;	/* 1 MiB */
	b.ms_reading += 200;
	b.ms_writing += 100;
	b.ms_io += 500;
	b.ms_weighted += 1500;
	disk_rates(&a, &b, 2.0, &r);
	ok(near(r.r_s, 10), "rates: r/s");
	ok(near(r.w_s, 5), "rates: w/s");
	ok(near(r.rmb_s, 2), "rates: rMB/s");
	ok(near(r.wmb_s, 0.5), "rates: wMB/s");
	ok(near(r.r_await, 10), "rates: r_await");
	ok(near(r.w_await, 10), "rates: w_await");
	ok(near(r.await, 10), "rates: await");
	ok(near(r.util, 25), "rates: util");
	ok(near(r.aqu_sz, 0.75), "rates: aqu-sz");
	b = a;
	disk_rates(&a, &b, 1.0, &r);
	ok(near(r.r_s, 0) && near(r.util, 0), "rates: an idle device is 0");
	ok(r.await < 0, "rates: await unknown without completed I/O");
	b.ms_io += 5000;
	disk_rates(&a, &b, 1.0, &r);
	ok(near(r.util, 100), "rates: util is capped at 100");
	b.reads = 1;
	disk_rates(&a, &b, 1.0, &r);
	ok(r.r_s < 0 && r.await < 0, "rates: a counter going back is unknown");
	ok(near(r.w_s, 0), "rates: the other counters still count");
	disk_rates(&a, &a, 0, &r);
	ok(r.util < 0 && r.r_s < 0, "rates: no interval, nothing known");
}

static int put(const char *root, const char *path, bool dir)
{
	char full[512];

	snprintf(full, sizeof(full), "%s/%s", root, path);
	if (dir)
		return mkdir(full, 0755);
	return close(open(full, O_WRONLY | O_CREAT, 0644));
}

static void test_kind(void)
{
	char root[] = "/tmp/procdx-disk.XXXXXX";
	struct disk_stat vda = { .major = 254, .minor = 0, .name = "vda" };
	struct disk_stat vda1 = { .major = 254, .minor = 1, .name = "vda1" };
	struct disk_stat cc = { .major = 104, .minor = 0, .name = "cciss/c0d0" };
	struct disk_stat up = { .major = 1, .minor = 1, .name = ".." };
	struct disk_stat none = { .major = 9, .minor = 9, .name = "md9" };
	struct procfs pf;
	char cmd[600];

	if (!mkdtemp(root)) {
		skip(5, "mkdtemp failed");
		return;
	}
	put(root, "block", true);
	put(root, "block/vda", true);
	put(root, "block/cciss!c0d0", true);
	put(root, "dev", true);
	put(root, "dev/block", true);
	put(root, "dev/block/254:1", true);
	put(root, "dev/block/254:1/partition", false);
	if (procfs_init(&pf, "/proc", root) < 0) {
		skip(5, "no /proc");
		return;
	}
	is_int(disk_kind(&pf, &vda), DISK_WHOLE, "kind: /sys/block/vda is a whole disk");
	is_int(disk_kind(&pf, &vda1), DISK_PART, "kind: a partition file is a partition");
	is_int(disk_kind(&pf, &cc), DISK_WHOLE, "kind: '/' in a name is '!' in sysfs");
	is_int(disk_kind(&pf, &up), DISK_UNKNOWN, "kind: '..' is never looked up");
	is_int(disk_kind(&pf, &none), DISK_UNKNOWN, "kind: sysfs silent is unknown");
	procfs_close(&pf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("could not remove %s", root);
}

int main(void)
{
	test_parse();
	test_rates();
	test_kind();
	return done_testing();
}
