/* Fuzz loadavg_parse (/proc/loadavg) and uptime_parse (/proc/uptime), both
 * on NUL-terminated text. Invariants: 0 or -EINVAL; numbers that were
 * accepted are finite and not negative. */
#include <errno.h>
#include <math.h>

#include "fuzz.h"
#include "sysinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct loadavg la;
	double up = -1, idle = -1;
	int r;

	r = loadavg_parse(buf, &la);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		for (int i = 0; i < 3; i++)
			FUZZ_ASSERT(isfinite(la.load[i]) && la.load[i] >= 0);
		FUZZ_ASSERT(la.running >= 0 && la.total >= 0 && la.last_pid >= 0);
	}
	r = uptime_parse(buf, &up, &idle);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(isfinite(up) && up >= 0);
		FUZZ_ASSERT(isfinite(idle) && idle >= 0);
	}
	r = uptime_parse(buf, &up, NULL);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	free(buf);
	return 0;
}
