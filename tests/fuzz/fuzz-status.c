/* Fuzz status_parse (/proc/PID/status). Invariants: 0 or -EINVAL, only
 * known STF_ bits, a set NSpid bit means a positive inner PID, a set State
 * bit a printable letter. */
#include <errno.h>

#include "fuzz.h"
#include "pidstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct proc_status st;
	int r = status_parse(buf, size, &st);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	FUZZ_ASSERT((st.has & ~((STF_HUGETLB << 1) - 1)) == 0);
	if (st.has & STF_NSPID)
		FUZZ_ASSERT(st.nspid_inner > 0);
	if (st.has & STF_STATE)
		FUZZ_ASSERT(st.state > ' ' && st.state <= '~');
	if (st.has & STF_VMRSS)
		FUZZ_ASSERT(st.vmrss % 1024 == 0);
	free(buf);
	return 0;
}
