/* Unit tests of lib/mounts.c: mounts_parse on mountinfo text (escapes,
 * optional fields, malformed lines) and mounts_find. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"
#include "tap.h"

static void test_parse(void)
{
	char text[] =
		"25 1 8:1 / / rw,relatime shared:1 master:2 - ext4 /dev/sda1 rw,errors=remount-ro\n"
		"36 25 98:0 /mnt1 /mnt/a\\040b\\012c\\134d rw - ext3 /dev/x\\040y rw\n"
		"37 25 0:50 / /a rw - tmpfs t1 rw\n"
		"38 37 0:51 / /a rw - tmpfs t2 rw\n";
	struct mounts ms;

	is_int((int)mounts_parse(text, &ms), 4, "mounts_parse: four mounts");
	is_str(ms.m[0].fstype, "ext4", "mounts_parse: type after optional fields and '-'");
	is_str(ms.m[0].opts, "rw,errors=remount-ro", "mounts_parse: super options");
	ok(ms.m[0].major == 8 && ms.m[0].minor == 1, "mounts_parse: device number");
	is_str(ms.m[1].point, "/mnt/a b\nc\\d", "mounts_parse: octal escapes undone");
	is_str(ms.m[1].source, "/dev/x y", "mounts_parse: escapes undone in the source");
	is_str(mounts_find(&ms, "/mnt/a b\nc\\d/f")->fstype, "ext3",
	       "mounts_find: escaped point found");
	is_str(mounts_find(&ms, "/a/x")->source, "t2", "mounts_find: the last of a stack");
	is_str(mounts_find(&ms, "/ab")->fstype, "ext4", "mounts_find: whole components only");
	free(ms.m);
}

static void test_malformed(void)
{
	/* Device numbers are digits in the kernel's range; anything else
	 * (strtoul would take "", a sign, or wrap) is a malformed line. An
	 * empty point (two spaces) would cover every path. */
	static const char *const bad[] = {
		"1 0 :5 / /x rw - t s o\n",
		"1 0 8: / /x rw - t s o\n",
		"1 0 -1:0 / /x rw - t s o\n",
		"1 0 +8:1 / /x rw - t s o\n",
		"1 0 4294967304:1 / /x rw - t s o\n",
		"1 0 4096:0 / /x rw - t s o\n",
		"1 0 8:1048576 / /x rw - t s o\n",
		"1 0 8:1 /  / rw - t s o\n",
		"1 0 8:1 / /x rw -  s o\n",
		"1 0 8:1 / /x rw - t\n",
		"1 0 8:1 / /x rw t s o\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		struct mounts ms;

		snprintf(buf, sizeof(buf), "%s", bad[i]);
		is_int((int)mounts_parse(buf, &ms), 0, "mounts_parse: skips '%.*s'",
		       (int)strlen(bad[i]) - 1, bad[i]);
		free(ms.m);
	}
	{
		char buf[] = "1 0 4095:1048575 / /x rw - t  o\n";
		struct mounts ms;

		is_int((int)mounts_parse(buf, &ms), 1, "mounts_parse: largest device number");
		ok(ms.n == 1 && ms.m[0].major == 4095 && ms.m[0].minor == 1048575 &&
		   !*ms.m[0].source, "mounts_parse: its numbers, and an empty source");
		free(ms.m);
	}
}

int main(void)
{
	test_parse();
	test_malformed();
	return done_testing();
}
