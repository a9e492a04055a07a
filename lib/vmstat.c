/* Parser of /proc/vmstat. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vmstat.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int vmstat_parse(const char *buf, struct vmstat *vs)
{
	const char *p = buf;
	size_t cap = 0;

	vs->e = NULL;
	vs->n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *q = p;
		struct vmstat_entry e;
		size_t len;

		while (name_char(*q))
			q++;
		len = (size_t)(q - p);
		if (len > 0 && len < sizeof(e.name) && *q == ' ') {
			q++;
			memcpy(e.name, p, len);
			e.name[len] = '\0';
			if (parse_u64(&q, &e.value) == 0 && (*q == '\n' || *q == '\0')) {
				if (vs->n == cap) {
					cap = cap ? cap * 2 : 128;
					vs->e = xreallocarray(vs->e, cap, sizeof(*vs->e));
				}
				vs->e[vs->n++] = e;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return vs->n ? 0 : -EINVAL;
}

int vmstat_read(const struct procfs *pf, struct vmstat *vs)
{
	char *buf;
	ssize_t n = procfs_read_alloc(pf->procfd, "vmstat", 1 << 20, &buf, NULL);
	int r;

	vs->e = NULL;
	vs->n = 0;
	if (n < 0)
		return (int)n;
	r = vmstat_parse(buf, vs);
	free(buf);
	return r;
}

void vmstat_free(struct vmstat *vs)
{
	free(vs->e);
	vs->e = NULL;
	vs->n = 0;
}

int vmstat_get(const struct vmstat *vs, const char *key, uint64_t *v)
{
	for (size_t i = 0; i < vs->n; i++)
		if (!strcmp(vs->e[i].name, key)) {
			*v = vs->e[i].value;
			return 0;
		}
	return -ENOENT;
}

size_t vmstat_sum_prefix(const struct vmstat *vs, const char *prefix, uint64_t *v)
{
	size_t k = strlen(prefix), n = 0;
	uint64_t sum = 0;

	for (size_t i = 0; i < vs->n; i++)
		if (!strncmp(vs->e[i].name, prefix, k)) {
			sum += vs->e[i].value;
			n++;
		}
	*v = sum;
	return n;
}
