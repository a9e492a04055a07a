/* /proc/PID/io: a process's (or a thread's) I/O accounting. */
#ifndef PROCDX_PIDIO_H
#define PROCDX_PIDIO_H

#include <stdint.h>

#include "procfs.h"

enum {
	IOF_RCHAR = 1u << 0, IOF_WCHAR = 1u << 1, IOF_SYSCR = 1u << 2, IOF_SYSCW = 1u << 3,
	IOF_READ_BYTES = 1u << 4, IOF_WRITE_BYTES = 1u << 5, IOF_CANCELLED = 1u << 6,
};

/* rchar/wchar count the bytes of read and write system calls, page cache
 * hits included; read_bytes/write_bytes are what reached the storage layer
 * (write_bytes is charged when a page is dirtied, not when it is written
 * back); cancelled_write_bytes is dirty data thrown away (truncate). has
 * says which lines the kernel gave. */
struct proc_io {
	unsigned has;
	uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
};

/* Parse the text of an io file (NUL-terminated). Unknown keys are ignored;
 * a known key with a malformed value leaves its bit clear. Returns 0, or
 * -EINVAL when neither read_bytes nor rchar parses (not an io file). */
int io_parse(const char *buf, struct proc_io *io);
/* Read h's io. Returns 0, -ENOENT (gone; also an empty read), -EACCES
 * (another user's process without CAP_SYS_PTRACE, or a non-dumpable one),
 * -EINVAL (malformed). */
int io_read(struct pidh *h, struct proc_io *io);

#endif
