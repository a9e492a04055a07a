/* Fuzz meminfo_parse (/proc/meminfo).
 *
 * Invariants: 0 exactly when MemTotal was read, else -EINVAL; only known
 * keys' bits; no value without its bit (unknown is never a silent 0 that
 * looks read); sizes in whole kB, as the kernel writes every line but the
 * HugePages_ counts; parsing stops at len (a copy with garbage after len
 * gives the same result). */
#include <errno.h>

#include "fuzz.h"
#include "meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *more;
	struct meminfo mi, mi2;
	int r = meminfo_parse(buf, size, &mi);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	FUZZ_ASSERT((r == 0) == meminfo_has(&mi, MI_MEMTOTAL));
	FUZZ_ASSERT((mi.has >> MI_NKEYS) == 0);
	for (int k = 0; k < MI_NKEYS; k++) {
		if (!meminfo_has(&mi, k))
			FUZZ_ASSERT(mi.v[k] == 0);
		else if (k != MI_HUGEPAGES_TOTAL && k != MI_HUGEPAGES_FREE)
			FUZZ_ASSERT(mi.v[k] % 1024 == 0);
	}
	/* What comes after len is not read. */
	more = malloc(size + 16);
	if (!more)
		abort();
	memcpy(more, data, size);
	memcpy(more + size, "0 kB\nMemFree: 1\n", 16);
	FUZZ_ASSERT(meminfo_parse(more, size, &mi2) == r);
	FUZZ_ASSERT(!memcmp(&mi, &mi2, sizeof(mi)));
	free(more);
	free(buf);
	return 0;
}
