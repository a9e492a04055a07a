/* Unit tests of lib/vmstat.c: vmstat_parse, vmstat_get and
 * vmstat_sum_prefix on the kernel's text and on hostile text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "vmstat.h"

static const char real_vmstat[] =
	"nr_free_pages 1677085\n"
	"nr_zone_inactive_anon 114101\n"
	"workingset_refault_file 293076\n"
	"pswpin 12\n"
	"pswpout 34\n"
	"allocstall_dma 0\n"
	"allocstall_dma32 1\n"
	"allocstall_normal 5\n"
	"allocstall_movable 2\n"
	"pgmajfault 3915\n"
	"pgscan_direct 100\n"
	"oom_kill 1\n";

int main(void)
{
	struct vmstat vs;
	uint64_t v = 77;

	is_int(vmstat_parse(real_vmstat, &vs), 0, "vmstat: real text parses");
	is_int((int)vs.n, 12, "vmstat: every line kept");
	is_int(vmstat_get(&vs, "pswpin", &v), 0, "vmstat: pswpin found");
	is_u64(v, 12, "vmstat: pswpin value");
	is_int(vmstat_get(&vs, "pgmajfault", &v), 0, "vmstat: pgmajfault found");
	is_u64(v, 3915, "vmstat: pgmajfault value");
	v = 77;
	is_int(vmstat_get(&vs, "pswp", &v), -ENOENT, "vmstat: a prefix is not a key");
	is_u64(v, 77, "vmstat: a missing key leaves the value alone");
	is_int((int)vmstat_sum_prefix(&vs, "allocstall", &v), 4, "vmstat: four allocstall keys");
	is_u64(v, 8, "vmstat: allocstall sum");
	is_int((int)vmstat_sum_prefix(&vs, "nothing_", &v), 0, "vmstat: no key with the prefix");
	is_u64(v, 0, "vmstat: an empty sum is 0");
	vmstat_free(&vs);

	is_int(vmstat_parse("", &vs), -EINVAL, "vmstat: empty text is -EINVAL");
	is_int(vmstat_parse("junk\n", &vs), -EINVAL, "vmstat: no good line is -EINVAL");
	is_int(vmstat_parse("Bad 1\nnr_x -5\nnr_y 1 2\nnr_z 18446744073709551616\nok 3", &vs), 0,
	       "vmstat: bad lines are skipped");
	is_int((int)vs.n, 1, "vmstat: only the good line is kept");
	is_int(vmstat_get(&vs, "ok", &v), 0, "vmstat: the last line without a newline");
	is_u64(v, 3, "vmstat: its value");
	vmstat_free(&vs);
	{
		char long_name[100];

		memset(long_name, 'a', 60);
		strcpy(long_name + 60, " 5\nb 6\n");
		is_int(vmstat_parse(long_name, &vs), 0, "vmstat: a name too long is skipped");
		is_int((int)vs.n, 1, "vmstat: the next line is kept");
		vmstat_free(&vs);
	}
	return done_testing();
}
