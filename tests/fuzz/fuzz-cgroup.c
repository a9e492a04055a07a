/* Fuzz cgroup_parse_path, cgroup_text_under (/proc/PID/cgroup) and
 * cgroup_path_canon.
 *
 * Input: byte 0 picks the controller, byte 1 the size of the output buffer
 * (allocated exactly, so an overrun is an AddressSanitizer report), the
 * rest is the file text; its first line is also used as a path for
 * cgroup_text_under and, made absolute, for cgroup_path_canon.
 * Invariants: the documented return values, a NUL-terminated result that
 * fits, and that a cgroup found by cgroup_parse_path is under its own path;
 * cgroup_text_under ignores trailing slashes, "/" covers every line, and
 * what is under a path is under its parent; cgroup_path_canon gives an
 * absolute path no longer than its input, without empty, "." or ".."
 * components or a trailing slash, and is idempotent. */
#include <errno.h>

#include "cgroup.h"
#include "fuzz.h"

/* The canonical form of path, checked; malloc'd. */
static char *canon(const char *path)
{
	size_t len = strlen(path);
	char *c = malloc(len + 1), *again;
	const char *p;

	if (!c)
		abort();
	memcpy(c, path, len + 1);
	cgroup_path_canon(c);
	FUZZ_ASSERT(c[0] == '/');
	FUZZ_ASSERT(strlen(c) <= len);
	FUZZ_ASSERT(!strstr(c, "//"));
	FUZZ_ASSERT(c[1] == '\0' || c[strlen(c) - 1] != '/');
	for (p = c; *p; p = p + strcspn(p, "/")) {
		size_t n;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		FUZZ_ASSERT(!(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.'));
	}
	again = strdup(c);
	if (!again)
		abort();
	cgroup_path_canon(again);
	FUZZ_ASSERT(!strcmp(again, c));
	free(again);
	return c;
}

/* Properties of cgroup_text_under for path. */
static void check_under(const char *text, size_t len, const char *path)
{
	bool under = cgroup_text_under(text, len, path);
	size_t pl = strlen(path);
	char *s = malloc(pl + 2);

	if (!s)
		abort();
	memcpy(s, path, pl);
	memcpy(s + pl, "/", 2);
	if (pl)
		FUZZ_ASSERT(cgroup_text_under(text, len, s) == under);
	/* The parent: path cut before its last component. */
	while (pl > 1 && s[pl - 1] == '/')
		pl--;
	while (pl > 0 && s[pl - 1] != '/')
		pl--;
	if (under && pl > 0) {
		s[pl] = '\0';
		FUZZ_ASSERT(cgroup_text_under(text, len, s));
	}
	if (under && path[0] == '/')
		FUZZ_ASSERT(cgroup_text_under(text, len, "/"));
	free(s);
}

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
	check_under(text, len, line);
	check_under(text, len, "/");
	(void)cgroup_text_under(text, len, "");
	free(line);
	/* The same line as an absolute path, canonical. */
	line = malloc(n + 2);
	if (!line)
		abort();
	line[0] = '/';
	memcpy(line + 1, text, n);
	line[n + 1] = '\0';
	{
		char *c = canon(line);

		check_under(text, len, c);
		free(c);
	}
	free(line);
	if (r == 0 && out[0] == '/') {
		char *c = canon(out);

		check_under(text, len, c);
		free(c);
	}
	free(out);
	free(text);
	return 0;
}
