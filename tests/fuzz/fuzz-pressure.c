/* Fuzz psi_parse (the PSI files) on NUL-terminated text. Invariants: 0 or
 * -EINVAL; success means a some or a full line; averages are percentages;
 * psi_pct of any two totals is unknown (< 0) or within 0..100. */
#include <errno.h>
#include <math.h>

#include "fuzz.h"
#include "pressure.h"

static void check_line(const struct psi_line *l)
{
	FUZZ_ASSERT(l->avg10 >= 0 && l->avg10 <= 100);
	FUZZ_ASSERT(l->avg60 >= 0 && l->avg60 <= 100);
	FUZZ_ASSERT(l->avg300 >= 0 && l->avg300 <= 100);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct psi p;
	int r = psi_parse(buf, &p);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(p.has_some || p.has_full);
		if (p.has_some)
			check_line(&p.some);
		if (p.has_full)
			check_line(&p.full);
		if (p.has_some && p.has_full) {
			double v = psi_pct(p.full.total, p.some.total, p.some.avg10);

			FUZZ_ASSERT(v < 0 || (v >= 0 && v <= 100 && isfinite(v)));
		}
	} else {
		FUZZ_ASSERT(!p.has_some && !p.has_full);
	}
	free(buf);
	return 0;
}
