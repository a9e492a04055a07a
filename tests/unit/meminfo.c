/* Unit tests of lib/meminfo.c: meminfo_parse. */
#include <errno.h>
#include <string.h>

#include "meminfo.h"
#include "tap.h"

static int parse(const char *text, struct meminfo *mi)
{
	return meminfo_parse(text, strlen(text), mi);
}

int main(void)
{
	struct meminfo mi;

	is_int(parse("MemTotal:       16384000 kB\nMemFree:  1234 kB\n"
		     "HugePages_Total:       4\nHugepagesize:       2048 kB\n", &mi),
	       0, "meminfo_parse: parses");
	is_u64(mi.v[MI_MEMTOTAL], 16384000ULL * 1024, "meminfo_parse: MemTotal in bytes");
	is_u64(mi.v[MI_HUGEPAGES_TOTAL], 4, "meminfo_parse: HugePages_Total a count");
	ok(!meminfo_has(&mi, MI_CACHED), "meminfo_parse: a missing key is not had");

	/* A file cut in its last line: "MemFree:  1234" was 1234 kB, not 1234
	 * bytes. */
	is_int(parse("MemTotal:       16384000 kB\nMemFree:        1234", &mi), 0,
	       "meminfo_parse: cut short");
	ok(!meminfo_has(&mi, MI_MEMFREE), "meminfo_parse: a kB line without its unit is unknown");
	is_int(parse("MemTotal:       16383", &mi), -EINVAL,
	       "meminfo_parse: MemTotal without its unit is no MemTotal");
	is_int(parse("MemFree: 5 kB\n", &mi), -EINVAL, "meminfo_parse: no MemTotal");
	is_int(parse("MemTotal: 18446744073709551615 kB\n", &mi), -EINVAL,
	       "meminfo_parse: a size past 64 bits");
	return done_testing();
}
