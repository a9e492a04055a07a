/* Fuzz stat_parse (/proc/PID/stat). Invariants on success: a positive pid,
 * a NUL-terminated comm of comm_len bytes, a printable state, between 22
 * and 52 fields; on failure only -EINVAL. */
#include <errno.h>

#include "fuzz.h"
#include "pidstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct proc_stat st;
	int r = stat_parse(buf, size, &st);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(st.pid > 0);
		FUZZ_ASSERT(st.comm_len < sizeof(st.comm));
		FUZZ_ASSERT(st.comm[st.comm_len] == '\0');
		FUZZ_ASSERT(st.state > ' ' && st.state <= '~');
		FUZZ_ASSERT(st.nfields >= 22 && st.nfields <= 52);
		/* What a tool does next with a good stat. */
		(void)state_meaning(st.state);
	}
	free(buf);
	return 0;
}
