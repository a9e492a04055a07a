/* Fuzz cgroup_parse_path and cgroup_text_under (/proc/PID/cgroup).
 *
 * Input: byte 0 picks the controller, byte 1 the size of the output buffer
 * (allocated exactly, so an overrun is an AddressSanitizer report), the
 * rest is the file text; its first line is also used as a path for
 * cgroup_text_under. Invariants: the documented return values, a
 * NUL-terminated result that fits, and that a cgroup found by
 * cgroup_parse_path is under its own path. */
#include <errno.h>

#include "cgroup.h"
#include "fuzz.h"

static const char *const controllers[] = {
	"", "pids", "memory", "cpu", "cpuacct", "name=systemd", "net_cls", "x",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *ctl;
	char *text, *out, *line;
	size_t outsz, len, n;
	int r;

	if (size < 2)
		return 0;
	ctl = controllers[data[0] % (sizeof(controllers) / sizeof(controllers[0]))];
	outsz = data[1];
	text = fuzz_copy(data + 2, size - 2);
	len = size - 2;
	out = malloc(outsz ? outsz : 1);
	if (!out)
		abort();

	r = cgroup_parse_path(text, len, ctl, out, outsz);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL || r == -ENAMETOOLONG);
	if (r == 0) {
		n = strnlen(out, outsz);
		FUZZ_ASSERT(n < outsz);
		/* A cgroup is under its own path (when no NUL in the text can
		 * cut the path short of the line's). */
		if (n > 0 && !memchr(text, '\0', len))
			FUZZ_ASSERT(cgroup_text_under(text, len, out));
	}
	FUZZ_ASSERT(!cgroup_text_under(text, 0, "/"));

	/* The first line of the text as a path to look under. */
	n = strcspn(text, "\n");
	line = fuzz_copy((const uint8_t *)text, n);
	(void)cgroup_text_under(text, len, line);
	(void)cgroup_text_under(text, len, "/");
	(void)cgroup_text_under(text, len, "");
	free(line);
	free(out);
	free(text);
	return 0;
}
