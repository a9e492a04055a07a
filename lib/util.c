/* Allocation, number parsing and growing buffers shared by all of procdx. */
#include <errno.h>
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "util.h"

static void oom(void)
{
	/* Exit status 3 is the suite's "fatal runtime error". */
	errx(3, "out of memory");
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		oom();
	return xrealloc(p, total);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int parse_u64_n(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p, *digits = s;
	uint64_t v = 0;

	/* Up to 19 digits cannot overflow: check only past that. */
	for (; s != end && *s >= '0' && *s <= '9'; s++)
		if (s - digits < 19)
			v = v * 10 + (uint64_t)(*s - '0');
		else if (__builtin_mul_overflow(v, 10, &v) ||
			 __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return -ERANGE;
	if (s == digits)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

int parse_u64(const char **p, uint64_t *out)
{
	return parse_u64_n(p, NULL, out);
}

int parse_i64(const char **p, int64_t *out)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v;
	int r;

	if (*s == '-') {
		neg = true;
		s++;
	}
	r = parse_u64(&s, &v);
	if (r < 0)
		return r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return -ERANGE;
		*out = (int64_t)v;
	}
	*p = s;
	return 0;
}

int parse_u64_str(const char *s, uint64_t *out)
{
	int r = parse_u64(&s, out);

	if (r == 0 && *s)
		r = -EINVAL;
	return r;
}

int parse_i64_str(const char *s, int64_t *out)
{
	int r = parse_i64(&s, out);

	if (r == 0 && *s)
		r = -EINVAL;
	return r;
}

int parse_seconds_str(const char *s, double *out)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	const char *p = s;

	if (*p != '.' && parse_u64(&p, &whole) < 0)
		return -EINVAL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
		}
	}
	if (*p || whole > 1000000000)
		return -EINVAL;
	*out = (double)whole + (double)frac / (double)scale;
	return 0;
}

static void sbuf_grow(struct sbuf *b, size_t add)
{
	size_t need;

	if (__builtin_add_overflow(b->len, add, &need) || need == SIZE_MAX)
		oom();
	need++;
	if (need <= b->cap)
		return;
	if (b->cap && need < b->cap * 2)
		need = b->cap * 2;
	if (need < 64)
		need = 64;
	b->s = xrealloc(b->s, need);
	b->cap = need;
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_addn(b, &c, 1);
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void sleep_secs(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool kernel_at_least(unsigned maj, unsigned min)
{
	static unsigned have_maj, have_min;
	static bool read;

	if (!read) {
		struct utsname u;

		if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &have_maj, &have_min) != 2)
			have_maj = ~0u;
		read = true;
	}
	return have_maj > maj || (have_maj == maj && have_min >= min);
}

double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

size_t fmt_i64(char *buf, int64_t v)
{
	char tmp[20];
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}
