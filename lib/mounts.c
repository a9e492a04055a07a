/* mountinfo parsing. Each line is
 *   ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
 * with spaces, tabs, newlines and backslashes in paths as octal escapes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"
#include "util.h"

/* Undo mountinfo's octal escapes (\040 for space) in place. */
static void unescape_octal(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static char *next_field(char **p)
{
	char *s = *p, *e;

	if (!s || !*s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static int parse_line(char *line, struct mount *m)
{
	char *p = line, *f, *devno, *point;
	unsigned long maj, min;
	char *end;

	if (!next_field(&p) || !next_field(&p) || !(devno = next_field(&p)) ||
	    !next_field(&p) || !(point = next_field(&p)))
		return -EINVAL;
	/* MAJ:MIN are digits, as the kernel prints MAJOR() (12 bits) and
	 * MINOR() (20 bits): strtoul alone would take "" or ":5" for 0, a
	 * sign or "+", and cut 4294967296 to 0 in the cast, a device number
	 * that was never in the line. */
	if (*devno < '0' || *devno > '9')
		return -EINVAL;
	maj = strtoul(devno, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9' || maj > 0xfff)
		return -EINVAL;
	min = strtoul(end + 1, &end, 10);
	if (*end || min > 0xfffff)
		return -EINVAL;
	/* Skip the mount options and the optional fields up to "-". */
	while ((f = next_field(&p)) && strcmp(f, "-"))
		;
	if (!f || !(m->fstype = next_field(&p)) || !(m->source = next_field(&p)))
		return -EINVAL;
	/* Two spaces in a row make an empty field, which the kernel never
	 * writes for these: an empty point would cover every path in
	 * mounts_find, as "/" does. (The source may be empty: mount("").) */
	if (!*point || !*m->fstype)
		return -EINVAL;
	m->opts = p ? p : (char *)"";
	unescape_octal(point);
	unescape_octal(m->source);
	m->point = point;
	m->major = (unsigned)maj;
	m->minor = (unsigned)min;
	return 0;
}

size_t mounts_parse(char *text, struct mounts *ms)
{
	char *line, *save = NULL;
	size_t cap = 0;

	ms->m = NULL;
	ms->n = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct mount m;

		if (parse_line(line, &m) < 0)
			continue;
		if (ms->n == cap) {
			cap = cap ? cap * 2 : 32;
			ms->m = xreallocarray(ms->m, cap, sizeof(*ms->m));
		}
		ms->m[ms->n++] = m;
	}
	return ms->n;
}

int mounts_read(const struct procfs *pf, struct mounts *ms)
{
	ssize_t n = procfs_read_alloc(pf->procfd, "self/mountinfo", 16 << 20, &ms->buf, NULL);

	if (n < 0) {
		ms->buf = NULL;
		ms->m = NULL;
		ms->n = 0;
		return (int)n;
	}
	mounts_parse(ms->buf, ms);
	return 0;
}

void mounts_free(struct mounts *ms)
{
	free(ms->m);
	free(ms->buf);
	ms->m = NULL;
	ms->buf = NULL;
	ms->n = 0;
}

const struct mount *mounts_find(const struct mounts *ms, const char *path)
{
	const struct mount *best = NULL;
	size_t best_len = 0;

	/* Later mounts hide earlier ones at the same point: take the last. */
	for (size_t i = 0; i < ms->n; i++) {
		const char *pt = ms->m[i].point;
		size_t l = strlen(pt);

		if (l == 1 && pt[0] == '/')
			l = 0;
		if (strncmp(path, pt, l) || (path[l] != '/' && path[l] != '\0'))
			continue;
		if (!best || l >= best_len) {
			best = &ms->m[i];
			best_len = l;
		}
	}
	return best;
}
