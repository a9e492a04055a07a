/* Fuzz cnproc_parse (datagrams of the netlink process connector) and the
 * sequence accounting fed by what it returns.
 *
 * Input: byte 0 is how many events the caller has room for (0 to 15); the
 * rest is the datagram, copied into a buffer of exactly its size, so a
 * read past len is an AddressSanitizer report. Invariants: -EINVAL or a
 * count within the room; each event a known kind, a comm NUL-terminated
 * at comm_len, parents -1 or from the message; the loss total equals the
 * sum of what each note returned. */
#include <errno.h>

#include "cnproc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cnproc_event ev[16];
	struct cnproc_seq seq = { 0 };
	uint64_t sum = 0;
	size_t room;
	uint8_t *buf;
	int n;

	if (size < 1)
		return 0;
	room = data[0] % 16;
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		abort();
	memcpy(buf, data + 1, size - 1);
	n = cnproc_parse(buf, size - 1, ev, room);
	FUZZ_ASSERT(n == -EINVAL || (n >= 0 && (size_t)n <= room));
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(ev[i].what <= CNP_OTHER);
		FUZZ_ASSERT(ev[i].comm_len <= 16);
		FUZZ_ASSERT(ev[i].comm[ev[i].comm_len] == '\0');
		if (ev[i].what != CNP_FORK && ev[i].what != CNP_EXIT)
			FUZZ_ASSERT(ev[i].ppid == -1 && ev[i].ptgid == -1);
		/* What the socket reader does next with each event. */
		sum += cnproc_seq_note(&seq, ev[i].cpu, ev[i].seq);
	}
	FUZZ_ASSERT(seq.missing == sum);
	cnproc_seq_free(&seq);
	free(buf);
	return 0;
}
