/* Fuzz diskstats_parse (/proc/diskstats) on NUL-terminated text, and
 * disk_rates between every pair of the devices it found. Invariants: 0;
 * names are non-empty and NUL-terminated within the field; 11, 15 or 17
 * counters; rates unknown (< 0) or finite and not negative, util <= 100. */
#include <errno.h>
#include <math.h>

#include "diskstats.h"
#include "fuzz.h"

static void check(double v)
{
	FUZZ_ASSERT(v < 0 || (isfinite(v) && v >= 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct diskstats ds;
	size_t bad = 0;
	int r = diskstats_parse(buf, &ds, &bad);

	FUZZ_ASSERT(r == 0);
	for (size_t i = 0; i < ds.n; i++) {
		const struct disk_stat *d = &ds.d[i];
		size_t len = strnlen(d->name, sizeof(d->name));

		FUZZ_ASSERT(len > 0 && len < sizeof(d->name));
		FUZZ_ASSERT(d->nfields == 11 || d->nfields == 15 || d->nfields == 17);
		for (size_t j = 0; j < ds.n && j < 8; j++) {
			struct disk_rates rt;

			disk_rates(d, &ds.d[j], 1.5, &rt);
			check(rt.util);
			FUZZ_ASSERT(rt.util <= 100);
			check(rt.r_s);
			check(rt.w_s);
			check(rt.rmb_s);
			check(rt.wmb_s);
			check(rt.await);
			check(rt.aqu_sz);
		}
	}
	diskstats_free(&ds);
	free(buf);
	return 0;
}
