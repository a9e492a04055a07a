/* Shared by the fuzz targets: the libFuzzer entry point's prototype (the
 * targets are built with -Wmissing-prototypes) and the input copy every
 * target makes, so that a parser reading one byte too far hits the NUL or
 * AddressSanitizer, never the fuzzer's own buffer. */
#ifndef PROCDX_FUZZ_H
#define PROCDX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of the input, NUL-terminated at size. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	buf[size] = '\0';
	return buf;
}

/* A violated invariant: abort, so libFuzzer saves the input and the replay
 * driver dies under prove. */
#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			abort(); \
		} \
	} while (0)

#endif
