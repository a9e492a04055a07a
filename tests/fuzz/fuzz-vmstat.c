/* Fuzz vmstat_parse (/proc/vmstat) on NUL-terminated text. Invariants: 0
 * or -EINVAL (no entries); names are [a-z0-9_], non-empty; vmstat_get finds
 * the first entry of a name with its value. */
#include <errno.h>

#include "fuzz.h"
#include "vmstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct vmstat vs;
	int r = vmstat_parse(buf, &vs);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	FUZZ_ASSERT(r == 0 ? vs.n > 0 : vs.n == 0);
	for (size_t i = 0; i < vs.n; i++) {
		const char *n = vs.e[i].name;
		uint64_t v;

		FUZZ_ASSERT(*n);
		for (; *n; n++)
			FUZZ_ASSERT((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') ||
				    *n == '_');
		FUZZ_ASSERT(vmstat_get(&vs, vs.e[i].name, &v) == 0);
	}
	if (vs.n) {
		uint64_t v;

		FUZZ_ASSERT(vmstat_sum_prefix(&vs, vs.e[0].name, &v) >= 1);
	}
	vmstat_free(&vs);
	free(buf);
	return 0;
}
