/* Small helpers every module uses: allocation that cannot fail quietly,
 * strict number parsing, checked size arithmetic, dynamic strings. */
#ifndef PROCDX_UTIL_H
#define PROCDX_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation wrappers: on failure they print "PROG: out of memory" and exit 3. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Strict decimal parsers for the kernel's numbers. They parse one number at
 * *p (no leading space, optional '-' for the signed ones), advance *p past
 * it, and return 0, or -EINVAL for no digits and -ERANGE for overflow. */
int parse_u64(const char **p, uint64_t *out);
int parse_i64(const char **p, int64_t *out);
/* parse_u64 over text that need not be NUL-terminated: the digits stop at
 * end at the latest (NULL: at the first non-digit only). */
int parse_u64_n(const char **p, const char *end, uint64_t *out);
/* The same for a whole NUL-terminated string, which must hold nothing else.
 * Used for option values and one-number files. */
int parse_u64_str(const char *s, uint64_t *out);
int parse_i64_str(const char *s, int64_t *out);
/* A decimal with an optional fraction ("0.5", "2"), for intervals. */
int parse_seconds_str(const char *s, double *out);
/* The decimal digits of v into buf (room for 21 bytes), NUL-terminated;
 * returns their length. For the numbers of every row and path, where
 * snprintf's format parsing costs more than the digits. */
size_t fmt_i64(char *buf, int64_t v);

/* Checked arithmetic: returns false on overflow and leaves *out alone. */
static inline bool add_overflows(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_add_overflow(a, b, out);
}
static inline bool mul_overflows(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

/* A growing byte buffer, always NUL-terminated. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* Sleep s seconds (fractions allowed), through signals that interrupt. */
void sleep_secs(double s);

/* Monotonic and wall clocks in seconds. */
double now_mono(void);
double now_wall(void);

/* Whether the running kernel is release maj.min or later (uname, read
 * once). An unparsable release counts as recent. */
bool kernel_at_least(unsigned maj, unsigned min);

#endif
