/* The mount table of /proc/self/mountinfo. */
#ifndef PROCDX_MOUNTS_H
#define PROCDX_MOUNTS_H

#include <stddef.h>

#include "procfs.h"

struct mount {
	char *point;		/* mount point, octal escapes undone */
	char *fstype;
	char *source;
	char *opts;		/* per-superblock options */
	unsigned major, minor;
};

struct mounts {
	struct mount *m;
	size_t n;
	char *buf;		/* the file's text; the strings point into it */
};

/* Parse the text of a mountinfo file (modified in place; it must stay
 * alive with ms). Malformed lines are skipped. Returns the count. */
size_t mounts_parse(char *text, struct mounts *ms);
/* Read and parse self/mountinfo under the proc root. Returns 0 or -errno. */
int mounts_read(const struct procfs *pf, struct mounts *ms);
void mounts_free(struct mounts *ms);

/* The mount whose point is the longest prefix of path (an absolute path),
 * or NULL. */
const struct mount *mounts_find(const struct mounts *ms, const char *path);

#endif
