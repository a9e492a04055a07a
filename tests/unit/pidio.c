/* Unit tests of lib/pidio.c: io_parse on the kernel's text and on cut,
 * reordered and hostile text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pidio.h"
#include "tap.h"

static const char real_io[] =
	"rchar: 6976\n"
	"wchar: 1048576\n"
	"syscr: 10\n"
	"syscw: 3\n"
	"read_bytes: 4096\n"
	"write_bytes: 1052672\n"
	"cancelled_write_bytes: 8192\n";

int main(void)
{
	struct proc_io io;

	is_int(io_parse(real_io, &io), 0, "io: a real io file parses");
	is_u64(io.rchar, 6976, "io: rchar");
	is_u64(io.wchar, 1048576, "io: wchar");
	is_u64(io.syscr, 10, "io: syscr");
	is_u64(io.syscw, 3, "io: syscw");
	is_u64(io.read_bytes, 4096, "io: read_bytes");
	is_u64(io.write_bytes, 1052672, "io: write_bytes");
	is_u64(io.cancelled_write_bytes, 8192, "io: cancelled_write_bytes");
	is_int(io.has, 0x7f, "io: every key present");

	is_int(io_parse("", &io), -EINVAL, "io: empty is -EINVAL");
	is_int(io_parse("syscr: 1\n", &io), -EINVAL, "io: no rchar and no read_bytes is -EINVAL");
	is_int(io_parse("read_bytes: 5", &io), 0, "io: read_bytes alone, no newline, parses");
	is_int(io.has, IOF_READ_BYTES, "io: only read_bytes set");
	is_int(io_parse("rchar: 1\nwrite_bytes: x\nread_bytes: 2\n", &io), 0,
	       "io: a malformed value does not fail the file");
	ok(!(io.has & IOF_WRITE_BYTES), "io: the malformed key is unset");
	is_u64(io.read_bytes, 2, "io: the keys after it parse");
	is_int(io_parse("rchar: 1\nread_bytes: 18446744073709551616\n", &io), 0,
	       "io: an overflowing value is skipped");
	ok(!(io.has & IOF_READ_BYTES), "io: overflowing read_bytes unset");
	is_int(io_parse("rchar: -1\n", &io), -EINVAL, "io: a negative value is not a value");
	is_int(io_parse("rchar: 1 2\n", &io), -EINVAL, "io: trailing junk is not a value");
	is_int(io_parse("read_bytes: 7\nread_bytes: 9\n", &io), 0, "io: a repeated key parses");
	is_u64(io.read_bytes, 7, "io: the first of a repeated key counts");
	is_int(io_parse("xread_bytes: 7\nread_bytesx: 9\n", &io), -EINVAL,
	       "io: keys match whole");
	is_int(io_parse("read_bytes:7\n", &io), 0, "io: no space after the colon parses");
	is_u64(io.read_bytes, 7, "io: its value");
	is_int(io_parse("a: b\nread_bytes: 3\nrchar\n", &io), 0, "io: lines without values skip");
	is_u64(io.read_bytes, 3, "io: read_bytes among junk");
	return done_testing();
}
