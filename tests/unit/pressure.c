/* Unit tests of lib/pressure.c: psi_parse on the kernel's text (with and
 * without a full line, the irq file, cut-short and hostile text),
 * psi_read_at on files, and psi_pct's arithmetic. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pressure.h"
#include "tap.h"

/* /proc/pressure/io of this kind of machine (6.18). */
static const char real_io[] =
	"some avg10=0.00 avg60=0.23 avg300=13.12 total=466922669\n"
	"full avg10=0.00 avg60=0.18 avg300=9.22 total=312928431\n";

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_parse(void)
{
	struct psi p;

	is_int(psi_parse(real_io, &p), 0, "psi: real io file parses");
	ok(p.has_some && p.has_full, "psi: some and full lines");
	ok(near(p.some.avg60, 0.23), "psi: some avg60");
	ok(near(p.some.avg300, 13.12), "psi: some avg300");
	is_u64(p.some.total, 466922669, "psi: some total");
	ok(near(p.full.avg300, 9.22), "psi: full avg300");
	is_u64(p.full.total, 312928431, "psi: full total");

	/* cpu before 5.13: a some line only. */
	is_int(psi_parse("some avg10=1.50 avg60=0.40 avg300=0.10 total=1234\n", &p), 0,
	       "psi: a some line alone parses");
	ok(p.has_some && !p.has_full, "psi: no full line is has_full false");
	ok(near(p.some.avg10, 1.5), "psi: avg10 1.50");
	/* irq (6.1): a full line only. */
	is_int(psi_parse("full avg10=0.00 avg60=0.00 avg300=0.00 total=99\n", &p), 0,
	       "psi: a full line alone parses (irq)");
	ok(!p.has_some && p.has_full, "psi: irq has no some line");
	is_u64(p.full.total, 99, "psi: irq full total");
	/* No newline at the end, integer percentages. */
	is_int(psi_parse("some avg10=100 avg60=0 avg300=0 total=0", &p), 0,
	       "psi: no trailing newline, integer averages");
	ok(near(p.some.avg10, 100), "psi: avg10 100");

	is_int(psi_parse("", &p), -EINVAL, "psi: empty text is -EINVAL");
	ok(!p.has_some && !p.has_full, "psi: failed parse leaves nothing set");
	is_int(psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00\n", &p), -EINVAL,
	       "psi: a line without total is -EINVAL");
	is_int(psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n", &p), -EINVAL,
	       "psi: a negative total is -EINVAL");
	is_int(psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n",
			 &p), -EINVAL, "psi: an overflowing total is -EINVAL");
	is_int(psi_parse("some avg10=101.00 avg60=0.00 avg300=0.00 total=1\n", &p), -EINVAL,
	       "psi: a percentage over 100 is -EINVAL");
	is_int(psi_parse("some avg10=1. avg60=0.00 avg300=0.00 total=1\n", &p), -EINVAL,
	       "psi: a dot without decimals is -EINVAL");
	is_int(psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=5 junk\n", &p), -EINVAL,
	       "psi: trailing junk on the line is -EINVAL");
	is_int(psi_parse("Some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", &p), -EINVAL,
	       "psi: keys are case-sensitive");
	/* A broken some line does not hide a good full line, and the first
	 * good line of a kind wins over a later one. */
	is_int(psi_parse("some avg10=x\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
			 "full avg10=0.00 avg60=0.00 avg300=0.00 total=8\n", &p), 0,
	       "psi: a broken line is skipped");
	ok(!p.has_some && p.full.total == 7, "psi: the first good full line wins");
	is_int(psi_parse("noise\nsome avg10=0.10 avg60=0.20 avg300=0.30 total=3\n", &p), 0,
	       "psi: an unknown line is ignored");
	is_u64(p.some.total, 3, "psi: the line after it parses");
}

static void test_pct(void)
{
	ok(near(psi_pct(1000, 501000, 1.0), 50), "psi_pct: 0.5 s of 1 s is 50%%");
	ok(near(psi_pct(0, 250000, 0.5), 50), "psi_pct: 0.25 s of 0.5 s is 50%%");
	ok(near(psi_pct(0, 3000000, 1.0), 100), "psi_pct: more than the interval is 100%%");
	ok(psi_pct(5, 4, 1.0) < 0, "psi_pct: a counter going back is unknown");
	ok(psi_pct(0, 4, 0) < 0, "psi_pct: no interval is unknown");
	ok(near(psi_pct(7, 7, 2.0), 0), "psi_pct: no stall is 0%%");
}

static void test_read(void)
{
	char dir[] = "/tmp/procdx-psi.XXXXXX";
	struct psi p;
	int dfd, fd;

	if (!mkdtemp(dir)) {
		skip(4, "mkdtemp failed");
		return;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dfd, "memory.pressure", O_WRONLY | O_CREAT, 0644);
	if (dfd < 0 || fd < 0 || write(fd, real_io, strlen(real_io)) < 0) {
		skip(4, "cannot write a test file");
		return;
	}
	close(fd);
	is_int(psi_read_at(dfd, "memory.pressure", &p), 0, "psi_read_at: a cgroup file reads");
	is_u64(p.full.total, 312928431, "psi_read_at: its full total");
	is_int(psi_read_at(dfd, "io.pressure", &p), -ENOENT, "psi_read_at: absent is -ENOENT");
	fd = openat(dfd, "cpu.pressure", O_WRONLY | O_CREAT, 0644);
	close(fd);
	is_int(psi_read_at(dfd, "cpu.pressure", &p), -EINVAL, "psi_read_at: empty is -EINVAL");
	unlinkat(dfd, "memory.pressure", 0);
	unlinkat(dfd, "cpu.pressure", 0);
	close(dfd);
	rmdir(dir);
}

int main(void)
{
	test_parse();
	test_pct();
	test_read();
	return done_testing();
}
