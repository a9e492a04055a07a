/* Parser of /proc/PID/io. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pidio.h"
#include "util.h"

int io_parse(const char *buf, struct proc_io *io)
{
	static const struct {
		const char *key;
		unsigned bit;
		size_t off;
	} keys[] = {
		{ "rchar", IOF_RCHAR, offsetof(struct proc_io, rchar) },
		{ "wchar", IOF_WCHAR, offsetof(struct proc_io, wchar) },
		{ "syscr", IOF_SYSCR, offsetof(struct proc_io, syscr) },
		{ "syscw", IOF_SYSCW, offsetof(struct proc_io, syscw) },
		{ "read_bytes", IOF_READ_BYTES, offsetof(struct proc_io, read_bytes) },
		{ "write_bytes", IOF_WRITE_BYTES, offsetof(struct proc_io, write_bytes) },
		{ "cancelled_write_bytes", IOF_CANCELLED,
		  offsetof(struct proc_io, cancelled_write_bytes) },
	};
	const char *p = buf;

	memset(io, 0, sizeof(*io));
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *colon = strchr(p, ':');

		for (size_t i = 0; colon && (!nl || colon < nl) && i < ARRAY_SIZE(keys); i++) {
			size_t k = strlen(keys[i].key);
			const char *q = colon + 1;
			uint64_t v;

			if ((size_t)(colon - p) != k || memcmp(p, keys[i].key, k))
				continue;
			if (io->has & keys[i].bit)
				break;	/* the first one counts */
			if (*q == ' ')
				q++;
			if (parse_u64(&q, &v) == 0 && (*q == '\n' || *q == '\0')) {
				memcpy((char *)io + keys[i].off, &v, sizeof(v));
				io->has |= keys[i].bit;
			}
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return io->has & (IOF_READ_BYTES | IOF_RCHAR) ? 0 : -EINVAL;
}

int io_read(struct pidh *h, struct proc_io *io)
{
	char buf[512];
	ssize_t n = pidh_read(h, "io", buf, sizeof(buf), 0, NULL);

	memset(io, 0, sizeof(*io));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return io_parse(buf, io);
}
