/* A tiny TAP producer for the C unit tests, in the shape of Perl's
 * Test::More: assertions print "ok N - name" or "not ok N - name" as they
 * run, done_testing() prints the plan "1..N" last and gives the exit status
 * (non-zero when any test failed), so prove runs the binaries directly.
 *
 *	ok(cond, "fmt", ...)		a condition
 *	is_int(got, want, "fmt", ...)	integers, both shown on failure
 *	is_u64(got, want, "fmt", ...)	the same for values past INT64_MAX
 *	is_str(got, want, "fmt", ...)	C strings (NULL allowed)
 *	is_mem(got, glen, want, wlen, "fmt", ...)  bytes, shown escaped
 *	diag("fmt", ...)		a "# " comment on stderr (stdout in TODO)
 *	skip(n, "why")			n tests skipped with a reason
 *	tap_todo = "why"; ... tap_todo = NULL;
 *					tests expected to fail: a known bug
 *	return done_testing();
 *
 * Everything is static and marked unused, so a test file includes it once
 * and uses what it needs under -Wall -Wextra -Werror. */
#ifndef PROCDX_TAP_H
#define PROCDX_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static int tap_count TAP_UNUSED;
static int tap_failures TAP_UNUSED;
/* While non-NULL, tests are marked "# TODO reason": a failure is expected
 * (a known bug) and does not fail the program. */
static const char *tap_todo TAP_UNUSED;

/* Print the name, keeping it on one line and its '#' from being read as a
 * TAP directive. */
static TAP_UNUSED void tap_put_name(const char *name)
{
	for (const char *p = name; *p; p++) {
		if (*p == '\n' || *p == '\r')
			fputc(' ', stdout);
		else if (*p == '#')
			fputs("\\#", stdout);
		else
			fputc(*p, stdout);
	}
}

/* A comment line: on stderr, or inside a TODO block on stdout, where prove
 * shows it only with -v (an expected failure is not news). */
static TAP_UNUSED TAP_PRINTF(1, 2) void diag(const char *fmt, ...)
{
	FILE *f = tap_todo ? stdout : stderr;
	va_list ap;

	/* Keep stdout and stderr in order when both go to one terminal. */
	fflush(stdout);
	fputs("# ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

static TAP_UNUSED TAP_PRINTF(4, 0) bool tap_vresult(bool pass, const char *file, int line,
						      const char *fmt, va_list ap)
{
	char name[512];

	vsnprintf(name, sizeof(name), fmt, ap);
	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	tap_put_name(name);
	if (tap_todo)
		printf(" # TODO %s", tap_todo);
	putchar('\n');
	fflush(stdout);
	if (!pass) {
		if (!tap_todo)
			tap_failures++;
		diag("  Failed %stest '%s'", tap_todo ? "(TODO) " : "", name);
		diag("  at %s line %d.", file, line);
	}
	return pass;
}

static TAP_UNUSED TAP_PRINTF(4, 5) bool tap_ok(bool pass, const char *file, int line,
					       const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return r;
}

static TAP_UNUSED TAP_PRINTF(5, 6) bool tap_is_int(long long got, long long want,
						   const char *file, int line,
						   const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vresult(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		diag("         got: %lld", got);
		diag("    expected: %lld", want);
	}
	return r;
}

static TAP_UNUSED TAP_PRINTF(5, 6) bool tap_is_u64(uint64_t got, uint64_t want,
						   const char *file, int line,
						   const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vresult(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		diag("         got: %llu", (unsigned long long)got);
		diag("    expected: %llu", (unsigned long long)want);
	}
	return r;
}

/* Show bytes on one diagnostic line, C-escaped. */
static TAP_UNUSED void tap_diag_bytes(const char *label, const char *s, size_t n)
{
	char out[1024];
	size_t o = 0;

	if (!s) {
		diag("%s: NULL", label);
		return;
	}
	for (size_t i = 0; i < n && o + 8 < sizeof(out); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\t");
		else if (c == '\\')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\%03o", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	diag("%s: \"%s\"%s", label, out, o + 8 >= sizeof(out) ? "..." : "");
}

static TAP_UNUSED TAP_PRINTF(7, 8) bool tap_is_mem(const char *got, size_t glen,
						   const char *want, size_t wlen,
						   const char *file, int line,
						   const char *fmt, ...)
{
	va_list ap;
	bool pass, r;

	pass = got && want ? glen == wlen && !memcmp(got, want, glen) : got == want;
	va_start(ap, fmt);
	r = tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		tap_diag_bytes("         got", got, glen);
		tap_diag_bytes("    expected", want, wlen);
	}
	return r;
}

static TAP_UNUSED TAP_PRINTF(5, 6) bool tap_is_str(const char *got, const char *want,
						   const char *file, int line,
						   const char *fmt, ...)
{
	va_list ap;
	bool pass, r;

	pass = got && want ? !strcmp(got, want) : got == want;
	va_start(ap, fmt);
	r = tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		tap_diag_bytes("         got", got, got ? strlen(got) : 0);
		tap_diag_bytes("    expected", want, want ? strlen(want) : 0);
	}
	return r;
}

/* Count n tests as skipped, each "ok N # skip why". */
static TAP_UNUSED void skip(int n, const char *why)
{
	for (int i = 0; i < n; i++)
		printf("ok %d # skip %s\n", ++tap_count, why);
	fflush(stdout);
}

/* The plan, at the end; the exit status for main(). */
static TAP_UNUSED int done_testing(void)
{
	printf("1..%d\n", tap_count);
	fflush(stdout);
	if (tap_failures)
		diag("Looks like you failed %d test%s of %d.", tap_failures,
		     tap_failures == 1 ? "" : "s", tap_count);
	return tap_failures ? 1 : 0;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_u64(got, want, ...) \
	tap_is_u64((uint64_t)(got), (uint64_t)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_mem(got, glen, want, wlen, ...) \
	tap_is_mem((got), (glen), (want), (wlen), __FILE__, __LINE__, __VA_ARGS__)

#endif
