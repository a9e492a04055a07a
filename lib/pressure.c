/* Parser of the PSI files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pressure.h"
#include "util.h"

/* "12.34": the kernel prints the averages with two decimals. */
static int parse_pct(const char **p, double *out)
{
	uint64_t whole, frac = 0, scale = 1;

	if (parse_u64(p, &whole) < 0 || whole > 100)
		return -EINVAL;
	if (**p == '.') {
		(*p)++;
		if (**p < '0' || **p > '9')
			return -EINVAL;
		while (**p >= '0' && **p <= '9') {
			if (scale < 1000000) {
				frac = frac * 10 + (uint64_t)(**p - '0');
				scale *= 10;
			}
			(*p)++;
		}
	}
	*out = (double)whole + (double)frac / (double)scale;
	return *out <= 100 ? 0 : -EINVAL;
}

static int expect(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n))
		return -EINVAL;
	*p += n;
	return 0;
}

/* "avg10=X avg60=Y avg300=Z total=T" up to the end of the line. */
static int parse_line(const char *p, struct psi_line *l)
{
	if (expect(&p, "avg10=") || parse_pct(&p, &l->avg10) || expect(&p, " avg60=") ||
	    parse_pct(&p, &l->avg60) || expect(&p, " avg300=") || parse_pct(&p, &l->avg300) ||
	    expect(&p, " total=") || parse_u64(&p, &l->total))
		return -EINVAL;
	return *p == '\n' || *p == '\0' ? 0 : -EINVAL;
}

int psi_parse(const char *buf, struct psi *p)
{
	const char *s = buf;

	memset(p, 0, sizeof(*p));
	while (*s) {
		const char *nl = strchr(s, '\n');
		struct psi_line l;

		/* The first good line of each kind wins. */
		if (!strncmp(s, "some ", 5) && !p->has_some && parse_line(s + 5, &l) == 0) {
			p->some = l;
			p->has_some = true;
		} else if (!strncmp(s, "full ", 5) && !p->has_full && parse_line(s + 5, &l) == 0) {
			p->full = l;
			p->has_full = true;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return p->has_some || p->has_full ? 0 : -EINVAL;
}

int psi_read_at(int dirfd, const char *name, struct psi *p)
{
	char buf[512];
	ssize_t n = procfs_read(dirfd, name, buf, sizeof(buf), 0, NULL);

	memset(p, 0, sizeof(*p));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -EINVAL;
	return psi_parse(buf, p);
}

int psi_read(const struct procfs *pf, const char *resource, struct psi *p)
{
	char path[64];

	if ((size_t)snprintf(path, sizeof(path), "pressure/%s", resource) >= sizeof(path))
		return -EINVAL;
	return psi_read_at(pf->procfd, path, p);
}

double psi_pct(uint64_t a, uint64_t b, double dt)
{
	double v;

	if (dt <= 0 || b < a)
		return -1;
	v = 100.0 * (double)(b - a) / (dt * 1e6);
	return v > 100 ? 100 : v;
}
