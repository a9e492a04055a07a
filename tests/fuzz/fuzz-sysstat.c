/* Fuzz sysstat_parse (/proc/stat), whose contract wants the text
 * NUL-terminated at len (the copy is). Invariants: 0 or -EINVAL; on success
 * at most 10 cpu fields and procs_running/blocked -1 or more. */
#include <errno.h>

#include "fuzz.h"
#include "sysinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct sys_stat st;
	int r = sysstat_parse(buf, size, &st);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		/* Success means a good total line: 4 to 10 fields. */
		FUZZ_ASSERT(st.cpu.nfields >= 4 && st.cpu.nfields <= 10);
		FUZZ_ASSERT(st.ncpus >= 0);
		FUZZ_ASSERT(st.procs_running >= -1 && st.procs_blocked >= -1);
	}
	free(buf);
	return 0;
}
