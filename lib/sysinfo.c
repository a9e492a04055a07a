/* Parsers of /proc/stat, /proc/uptime and /proc/loadavg. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"
#include "util.h"

static int parse_cpu_line(const char *p, struct cpu_times *c)
{
	uint64_t *f[] = { &c->user, &c->nice, &c->system, &c->idle, &c->iowait, &c->irq,
			  &c->softirq, &c->steal, &c->guest, &c->guest_nice };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		while (*p == ' ')
			p++;
		if (*p == '\n' || !*p)
			break;
		if (parse_u64(&p, f[i]) < 0)
			return -EINVAL;
		c->nfields++;
	}
	return c->nfields >= 4 ? 0 : -EINVAL;
}

static int key_u64(const char *line, const char *key, uint64_t *v)
{
	size_t k = strlen(key);
	const char *p;

	if (strncmp(line, key, k) || line[k] != ' ')
		return -ENOENT;
	p = line + k + 1;
	return parse_u64(&p, v);
}

int sysstat_parse(const char *buf, size_t len, struct sys_stat *st)
{
	const char *p = buf, *end = buf + len;
	bool have_cpu = false;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	st->procs_running = st->procs_blocked = -1;
	if (len == 0 || buf[len] != '\0')
		return -EINVAL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!strncmp(p, "cpu ", 4)) {
			struct cpu_times c;

			/* The first good total wins: a second, broken "cpu "
			 * line must not zero it behind a success. */
			if (!have_cpu && parse_cpu_line(p + 4, &c) == 0) {
				st->cpu = c;
				have_cpu = true;
			}
		} else if (!strncmp(p, "cpu", 3) && p[3] >= '0' && p[3] <= '9') {
			st->ncpus++;
		} else if (key_u64(p, "ctxt", &v) == 0) {
			st->ctxt = v;
		} else if (key_u64(p, "btime", &v) == 0) {
			st->btime = v;
		} else if (key_u64(p, "processes", &v) == 0) {
			st->processes = v;
		} else if (key_u64(p, "procs_running", &v) == 0) {
			st->procs_running = (int64_t)(v & INT64_MAX);
		} else if (key_u64(p, "procs_blocked", &v) == 0) {
			st->procs_blocked = (int64_t)(v & INT64_MAX);
		}
		p = nl ? nl + 1 : end;
	}
	return have_cpu ? 0 : -EINVAL;
}

int sysstat_read(const struct procfs *pf, struct sys_stat *st)
{
	char *buf;
	ssize_t n = procfs_read_alloc(pf->procfd, "stat", 4 << 20, &buf, NULL);
	int r;

	if (n < 0)
		return (int)n;
	r = sysstat_parse(buf, (size_t)n, st);
	free(buf);
	return r;
}

/* A non-negative decimal with an optional fraction: "12345.67". */
static int parse_secs(const char **p, double *out)
{
	uint64_t whole, frac = 0, scale = 1;

	if (parse_u64(p, &whole) < 0)
		return -EINVAL;
	if (**p == '.') {
		(*p)++;
		while (**p >= '0' && **p <= '9') {
			if (scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(**p - '0');
				scale *= 10;
			}
			(*p)++;
		}
	}
	*out = (double)whole + (double)frac / (double)scale;
	return 0;
}

int uptime_parse(const char *buf, double *up, double *idle)
{
	const char *p = buf;
	double i = 0;

	if (parse_secs(&p, up) < 0)
		return -EINVAL;
	if (*p == ' ') {
		p++;
		if (parse_secs(&p, &i) < 0)
			return -EINVAL;
	}
	if (idle)
		*idle = i;
	return 0;
}

int uptime_read(const struct procfs *pf, double *up, double *idle)
{
	char buf[128];
	ssize_t n = procfs_read(pf->procfd, "uptime", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	return uptime_parse(buf, up, idle);
}

int loadavg_parse(const char *buf, struct loadavg *la)
{
	const char *p = buf;
	uint64_t r, t, l;

	memset(la, 0, sizeof(*la));
	for (int i = 0; i < 3; i++) {
		if (parse_secs(&p, &la->load[i]) < 0 || *p++ != ' ')
			return -EINVAL;
	}
	if (parse_u64(&p, &r) < 0 || *p++ != '/' || parse_u64(&p, &t) < 0 || *p++ != ' ' ||
	    parse_u64(&p, &l) < 0 || r > INT64_MAX || t > INT64_MAX || l > INT64_MAX)
		return -EINVAL;
	la->running = (int64_t)r;
	la->total = (int64_t)t;
	la->last_pid = (int64_t)l;
	return 0;
}

int loadavg_read(const struct procfs *pf, struct loadavg *la)
{
	char buf[128];
	ssize_t n = procfs_read(pf->procfd, "loadavg", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	return loadavg_parse(buf, la);
}
