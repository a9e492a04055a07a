/* Fuzz mounts_parse (/proc/self/mountinfo) and mounts_find.
 *
 * Invariants: the count returned is the count stored, at most one mount a
 * line; every field a string inside the text (the strings point into it),
 * the point and the file system type not empty, the type without a space
 * or newline, the source with a space only from an escape; the device
 * numbers are the digits the line gave (a missing or out-of-range number is
 * a malformed line, never a silent 0) and fit the kernel's 12 + 20 bits.
 * mounts_find returns NULL or a mount whose point is a whole-component
 * prefix of the path, the longest there is, the last of equals; a mount
 * point looked up finds itself (or a later mount on the same point). */
#include <errno.h>

#include "fuzz.h"
#include "mounts.h"

static bool inside(const char *s, const char *buf, size_t size)
{
	return s >= buf && s + strlen(s) <= buf + size;
}

/* Whether the mount at point pt covers path, and how much of it. */
static bool covers(const char *pt, const char *path, size_t *len)
{
	size_t l = strlen(pt);

	if (l == 1 && pt[0] == '/')
		l = 0;
	*len = l;
	return !strncmp(path, pt, l) && (path[l] == '/' || path[l] == '\0');
}

static void check_find(const struct mounts *ms, const char *path)
{
	const struct mount *m = mounts_find(ms, path);
	size_t best, l;

	if (!m) {
		for (size_t i = 0; i < ms->n; i++)
			FUZZ_ASSERT(!covers(ms->m[i].point, path, &l));
		return;
	}
	FUZZ_ASSERT(m >= ms->m && m < ms->m + ms->n);
	FUZZ_ASSERT(covers(m->point, path, &best));
	for (size_t i = 0; i < ms->n; i++)
		if (covers(ms->m[i].point, path, &l))
			FUZZ_ASSERT(l < best || (l == best && &ms->m[i] <= m));
}

/* The device number field of the line in orig where s (a pointer into the
 * parsed copy) stands: its third field. */
static void check_devno(const char *orig, const char *text, const struct mount *m)
{
	const char *line = orig + (m->point - text), *p;
	unsigned long maj = 0, min = 0;

	while (line > orig && line[-1] != '\n')
		line--;
	p = line;
	for (int f = 0; f < 2; f++) {
		p = strchr(p, ' ');
		FUZZ_ASSERT(p);
		p++;
	}
	FUZZ_ASSERT(*p >= '0' && *p <= '9');
	for (; *p >= '0' && *p <= '9'; p++)
		maj = maj > 0xfffff ? maj : maj * 10 + (unsigned long)(*p - '0');
	FUZZ_ASSERT(*p++ == ':');
	FUZZ_ASSERT(*p >= '0' && *p <= '9');
	for (; *p >= '0' && *p <= '9'; p++)
		min = min > 0xfffff ? min : min * 10 + (unsigned long)(*p - '0');
	FUZZ_ASSERT(*p == ' ');
	FUZZ_ASSERT(maj == m->major && min == m->minor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size), *orig = fuzz_copy(data, size);
	struct mounts ms;
	size_t n, lines = 1;
	char *path;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	n = mounts_parse(text, &ms);
	FUZZ_ASSERT(n == ms.n);
	FUZZ_ASSERT(n <= lines);
	FUZZ_ASSERT(n == 0 || ms.m);
	for (size_t i = 0; i < n; i++) {
		const struct mount *m = &ms.m[i];

		FUZZ_ASSERT(m->point && m->fstype && m->source && m->opts);
		FUZZ_ASSERT(inside(m->point, text, size) && inside(m->fstype, text, size) &&
			    inside(m->source, text, size));
		FUZZ_ASSERT(!*m->opts || inside(m->opts, text, size));
		FUZZ_ASSERT(*m->point && *m->fstype);
		FUZZ_ASSERT(!strpbrk(m->fstype, " \n") && !strchr(m->opts, '\n'));
		FUZZ_ASSERT(!strchr(m->source, ' ') || strstr(orig, "\\040"));
		FUZZ_ASSERT(m->major <= 0xfff && m->minor <= 0xfffff);
		check_devno(orig, text, m);
	}
	check_find(&ms, "/");
	check_find(&ms, "/proc/self");
	check_find(&ms, "");
	for (size_t i = 0; i < n; i++) {
		const struct mount *m = &ms.m[i], *f;

		check_find(&ms, m->point);
		f = mounts_find(&ms, m->point);
		FUZZ_ASSERT(f);
		if (strcmp(m->point, "/") && m->point[0] == '/')
			FUZZ_ASSERT(!strcmp(f->point, m->point) && f >= m);
		if (asprintf(&path, "%s/x y", m->point) < 0)
			abort();
		check_find(&ms, path);
		free(path);
	}
	/* The first line of the input as a path. */
	path = fuzz_copy(data, strcspn(orig, "\n"));
	check_find(&ms, path);
	free(path);
	free(ms.m);
	free(text);
	free(orig);
	return 0;
}
