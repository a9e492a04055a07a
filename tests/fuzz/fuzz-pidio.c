/* Fuzz io_parse (/proc/PID/io) on NUL-terminated text. Invariants: 0 or
 * -EINVAL; success means read_bytes or rchar was there; only known bits
 * are set; an unset field is 0. */
#include <errno.h>

#include "fuzz.h"
#include "pidio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct proc_io io;
	int r = io_parse(buf, &io);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	FUZZ_ASSERT(!(io.has & ~0x7fu));
	if (r == 0)
		FUZZ_ASSERT(io.has & (IOF_READ_BYTES | IOF_RCHAR));
	if (!(io.has & IOF_READ_BYTES))
		FUZZ_ASSERT(io.read_bytes == 0);
	if (!(io.has & IOF_WRITE_BYTES))
		FUZZ_ASSERT(io.write_bytes == 0);
	free(buf);
	return 0;
}
