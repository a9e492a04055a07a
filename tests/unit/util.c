/* Unit tests of lib/util.c: the strict number parsers, parse_seconds_str,
 * checked arithmetic and the growing buffer. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"

static void test_parse_u64(void)
{
	const char *s, *p;
	uint64_t v;

	s = p = "0";
	is_int(parse_u64(&p, &v), 0, "parse_u64: \"0\" parses");
	is_u64(v, 0, "parse_u64: \"0\" is 0");
	is_int(p - s, 1, "parse_u64: advances past \"0\"");
	s = p = "123 456";
	is_int(parse_u64(&p, &v), 0, "parse_u64: number followed by a space parses");
	is_u64(v, 123, "parse_u64: stops at the space");
	is_str(p, " 456", "parse_u64: *p left at the space");
	s = p = "007x";
	is_int(parse_u64(&p, &v), 0, "parse_u64: leading zeros parse");
	is_u64(v, 7, "parse_u64: 007 is 7");
	is_str(p, "x", "parse_u64: *p left at the letter");
	s = p = "18446744073709551615";
	is_int(parse_u64(&p, &v), 0, "parse_u64: UINT64_MAX parses");
	is_u64(v, UINT64_MAX, "parse_u64: UINT64_MAX value");
	v = 42;
	s = p = "18446744073709551616";
	is_int(parse_u64(&p, &v), -ERANGE, "parse_u64: UINT64_MAX + 1 is -ERANGE");
	ok(p == s, "parse_u64: *p not moved on -ERANGE");
	is_u64(v, 42, "parse_u64: *out not touched on -ERANGE");
	s = p = "99999999999999999999999";
	is_int(parse_u64(&p, &v), -ERANGE, "parse_u64: 23 digits is -ERANGE");
	s = p = "";
	is_int(parse_u64(&p, &v), -EINVAL, "parse_u64: empty is -EINVAL");
	ok(p == s, "parse_u64: *p not moved on -EINVAL");
	p = "-1";
	is_int(parse_u64(&p, &v), -EINVAL, "parse_u64: \"-1\" is -EINVAL");
	p = "+1";
	is_int(parse_u64(&p, &v), -EINVAL, "parse_u64: \"+1\" is -EINVAL");
	p = " 1";
	is_int(parse_u64(&p, &v), -EINVAL, "parse_u64: leading space is -EINVAL");
	p = "0x10";
	is_int(parse_u64(&p, &v), 0, "parse_u64: \"0x10\" reads the 0 only");
	is_str(p, "x10", "parse_u64: hex prefix is not understood");
	p = "\xd9\xa3";
	is_int(parse_u64(&p, &v), -EINVAL, "parse_u64: Arabic-Indic digit is -EINVAL");
}

static void test_parse_i64(void)
{
	const char *s, *p;
	int64_t v;

	p = "-9223372036854775808";
	is_int(parse_i64(&p, &v), 0, "parse_i64: INT64_MIN parses");
	ok(v == INT64_MIN, "parse_i64: INT64_MIN value");
	p = "9223372036854775807";
	is_int(parse_i64(&p, &v), 0, "parse_i64: INT64_MAX parses");
	ok(v == INT64_MAX, "parse_i64: INT64_MAX value");
	v = 42;
	s = p = "9223372036854775808";
	is_int(parse_i64(&p, &v), -ERANGE, "parse_i64: INT64_MAX + 1 is -ERANGE");
	ok(p == s && v == 42, "parse_i64: nothing moved or stored on -ERANGE");
	s = p = "-9223372036854775809";
	is_int(parse_i64(&p, &v), -ERANGE, "parse_i64: INT64_MIN - 1 is -ERANGE");
	ok(p == s, "parse_i64: *p not moved on negative -ERANGE");
	p = "-18446744073709551616";
	is_int(parse_i64(&p, &v), -ERANGE, "parse_i64: -(UINT64_MAX + 1) is -ERANGE");
	p = "-42 x";
	is_int(parse_i64(&p, &v), 0, "parse_i64: -42 parses");
	is_int(v, -42, "parse_i64: -42 value");
	is_str(p, " x", "parse_i64: *p past -42");
	p = "-0";
	is_int(parse_i64(&p, &v), 0, "parse_i64: -0 parses");
	is_int(v, 0, "parse_i64: -0 is 0");
	s = p = "-";
	is_int(parse_i64(&p, &v), -EINVAL, "parse_i64: lone '-' is -EINVAL");
	ok(p == s, "parse_i64: *p not moved after a lone '-'");
	p = "--1";
	is_int(parse_i64(&p, &v), -EINVAL, "parse_i64: \"--1\" is -EINVAL");
	p = "- 1";
	is_int(parse_i64(&p, &v), -EINVAL, "parse_i64: \"- 1\" is -EINVAL");
	p = "+1";
	is_int(parse_i64(&p, &v), -EINVAL, "parse_i64: \"+1\" is -EINVAL");
	p = "";
	is_int(parse_i64(&p, &v), -EINVAL, "parse_i64: empty is -EINVAL");
}

static void test_parse_str(void)
{
	uint64_t u = 7;
	int64_t i = 7;

	is_int(parse_u64_str("4194304", &u), 0, "parse_u64_str: pid_max value");
	is_u64(u, 4194304, "parse_u64_str: value");
	is_int(parse_u64_str("12 ", &u), -EINVAL, "parse_u64_str: trailing space is -EINVAL");
	is_int(parse_u64_str("12\n", &u), -EINVAL, "parse_u64_str: trailing newline is -EINVAL");
	is_int(parse_u64_str("12abc", &u), -EINVAL, "parse_u64_str: trailing letters are -EINVAL");
	is_int(parse_u64_str("", &u), -EINVAL, "parse_u64_str: empty is -EINVAL");
	is_int(parse_u64_str("-1", &u), -EINVAL, "parse_u64_str: negative is -EINVAL");
	is_int(parse_u64_str("99999999999999999999", &u), -ERANGE,
	       "parse_u64_str: overflow is -ERANGE");
	is_int(parse_u64_str("18446744073709551615", &u), 0, "parse_u64_str: UINT64_MAX");
	is_u64(u, UINT64_MAX, "parse_u64_str: UINT64_MAX value");
	is_int(parse_i64_str("-17", &i), 0, "parse_i64_str: -17 parses");
	is_int(i, -17, "parse_i64_str: -17 value");
	is_int(parse_i64_str("-17 ", &i), -EINVAL, "parse_i64_str: trailing space is -EINVAL");
	is_int(parse_i64_str("1.5", &i), -EINVAL, "parse_i64_str: fraction is -EINVAL");
	is_int(parse_i64_str("-", &i), -EINVAL, "parse_i64_str: lone '-' is -EINVAL");
	is_int(parse_i64_str("9223372036854775808", &i), -ERANGE,
	       "parse_i64_str: INT64_MAX + 1 is -ERANGE");
}

static void test_parse_seconds(void)
{
	double d = -1;

	is_int(parse_seconds_str("2", &d), 0, "parse_seconds_str: \"2\" parses");
	ok(d == 2.0, "parse_seconds_str: \"2\" is 2");
	is_int(parse_seconds_str("0.5", &d), 0, "parse_seconds_str: \"0.5\" parses");
	ok(d == 0.5, "parse_seconds_str: \"0.5\" is 0.5");
	is_int(parse_seconds_str(".25", &d), 0, "parse_seconds_str: \".25\" parses");
	ok(d == 0.25, "parse_seconds_str: \".25\" is 0.25");
	is_int(parse_seconds_str("0", &d), 0, "parse_seconds_str: \"0\" parses");
	ok(d == 0, "parse_seconds_str: \"0\" is 0");
	is_int(parse_seconds_str("1.123456789987", &d), 0,
	       "parse_seconds_str: more than nine decimals parse");
	ok(fabs(d - 1.123456789) < 1e-12, "parse_seconds_str: decimals past nine dropped");
	is_int(parse_seconds_str("1000000000", &d), 0, "parse_seconds_str: 1e9 seconds accepted");
	d = 3;
	is_int(parse_seconds_str("1000000001", &d), -EINVAL,
	       "parse_seconds_str: past 1e9 seconds is -EINVAL");
	ok(d == 3, "parse_seconds_str: *out not touched on error");
	is_int(parse_seconds_str("99999999999999999999", &d), -EINVAL,
	       "parse_seconds_str: overflowing whole part is -EINVAL");
	is_int(parse_seconds_str("", &d), -EINVAL, "parse_seconds_str: empty is -EINVAL");
	is_int(parse_seconds_str(".", &d), -EINVAL, "parse_seconds_str: lone '.' is -EINVAL");
	is_int(parse_seconds_str("5.", &d), -EINVAL, "parse_seconds_str: \"5.\" is -EINVAL");
	is_int(parse_seconds_str("-1", &d), -EINVAL, "parse_seconds_str: negative is -EINVAL");
	is_int(parse_seconds_str("+1", &d), -EINVAL, "parse_seconds_str: '+' is -EINVAL");
	is_int(parse_seconds_str("1e3", &d), -EINVAL, "parse_seconds_str: exponent is -EINVAL");
	is_int(parse_seconds_str("1.5s", &d), -EINVAL, "parse_seconds_str: unit is -EINVAL");
	is_int(parse_seconds_str("1.2.3", &d), -EINVAL, "parse_seconds_str: two dots is -EINVAL");
	is_int(parse_seconds_str(" 1", &d), -EINVAL, "parse_seconds_str: leading space is -EINVAL");
	is_int(parse_seconds_str("1 ", &d), -EINVAL,
	       "parse_seconds_str: trailing space is -EINVAL");
	is_int(parse_seconds_str("nan", &d), -EINVAL, "parse_seconds_str: nan is -EINVAL");
	is_int(parse_seconds_str("inf", &d), -EINVAL, "parse_seconds_str: inf is -EINVAL");
	is_int(parse_seconds_str("0x10", &d), -EINVAL, "parse_seconds_str: hex is -EINVAL");
}

static void test_overflow(void)
{
	uint64_t r = 5;

	ok(!add_overflows(1, 2, &r) && r == 3, "add_overflows: 1 + 2 = 3");
	r = 5;
	ok(add_overflows(UINT64_MAX, 1, &r), "add_overflows: UINT64_MAX + 1 overflows");
	ok(!mul_overflows(1ULL << 32, (1ULL << 32) - 1, &r), "mul_overflows: 2^32 * (2^32-1) fits");
	ok(mul_overflows(1ULL << 32, 1ULL << 32, &r), "mul_overflows: 2^32 * 2^32 overflows");
	ok(!mul_overflows(0, UINT64_MAX, &r) && r == 0, "mul_overflows: 0 * UINT64_MAX is 0");
}

static void fmt_is(int64_t v, const char *want)
{
	char buf[21];
	size_t n = fmt_i64(buf, v);

	is_str(buf, want, "fmt_i64: %s", want);
	is_int((long long)n, (long long)strlen(want), "fmt_i64: %s has its length", want);
}

static void test_fmt_i64(void)
{
	fmt_is(0, "0");
	fmt_is(7, "7");
	fmt_is(-1, "-1");
	fmt_is(1234567890, "1234567890");
	fmt_is(INT64_MAX, "9223372036854775807");
	fmt_is(INT64_MIN, "-9223372036854775808");
}

static void test_sbuf(void)
{
	struct sbuf b = { 0 };
	size_t cap;
	bool good;

	sbuf_reset(&b);
	ok(b.s == NULL && b.len == 0, "sbuf: reset of an empty buffer allocates nothing");
	sbuf_adds(&b, "abc");
	is_str(b.s, "abc", "sbuf: adds");
	is_int(b.len, 3, "sbuf: len after adds");
	ok(b.cap > b.len, "sbuf: room for the NUL");
	sbuf_addc(&b, 'd');
	is_str(b.s, "abcd", "sbuf: addc");
	sbuf_addn(&b, "e\0f", 3);
	is_int(b.len, 7, "sbuf: addn counts an embedded NUL");
	is_mem(b.s, b.len + 1, "abcde\0f", 8, "sbuf: addn keeps embedded NUL and terminates");
	sbuf_addn(&b, "zzz", 0);
	is_int(b.len, 7, "sbuf: addn of 0 bytes changes nothing");
	sbuf_printf(&b, "[%d:%s:%05.1f]", -12, "x", 2.25);
	is_mem(b.s, b.len, "abcde\0f[-12:x:002.2]", 20, "sbuf: printf appends");
	ok(b.s[b.len] == '\0', "sbuf: printf terminates");
	cap = b.cap;
	sbuf_reset(&b);
	ok(b.len == 0 && b.s && b.s[0] == '\0' && b.cap == cap,
	   "sbuf: reset empties and keeps the allocation");
	sbuf_printf(&b, "%s", "");
	ok(b.len == 0 && b.s[0] == '\0', "sbuf: printf of nothing");

	good = true;
	for (int i = 0; i < 10000; i++) {
		sbuf_addc(&b, (char)('a' + i % 26));
		if (b.len != (size_t)i + 1 || b.s[b.len] != '\0' || b.cap <= b.len)
			good = false;
	}
	ok(good, "sbuf: 10000 addc keep len, terminator and capacity right");
	good = true;
	for (int i = 0; i < 10000; i++)
		if (b.s[i] != (char)('a' + i % 26))
			good = false;
	ok(good, "sbuf: content survives growth");
	{
		char big[70000];

		memset(big, 'q', sizeof(big));
		sbuf_reset(&b);
		sbuf_addn(&b, big, sizeof(big));
		ok(b.len == sizeof(big) && b.s[b.len] == '\0' && b.s[69999] == 'q',
		   "sbuf: one 70000-byte append");
		sbuf_printf(&b, "%70000s", "r");
		ok(b.len == 140000 && b.s[139999] == 'r' && b.s[b.len] == '\0',
		   "sbuf: printf of 70000 bytes");
	}
	sbuf_free(&b);
	ok(b.s == NULL && b.len == 0 && b.cap == 0, "sbuf: free clears the struct");
	sbuf_free(&b);
	ok(b.s == NULL, "sbuf: double free is harmless");
	sbuf_printf(&b, "%d", 5);
	is_str(b.s, "5", "sbuf: printf into a freed buffer starts again");
	sbuf_free(&b);
}

static void test_alloc(void)
{
	char *s = xstrndup("abcdef", 3);

	is_str(s, "abc", "xstrndup: copies n bytes and terminates");
	free(s);
	s = xstrdup("");
	is_str(s, "", "xstrdup: empty string");
	free(s);
	s = xmalloc(0);
	ok(s != NULL, "xmalloc: 0 bytes gives a pointer");
	free(s);
	s = xreallocarray(NULL, 10, 3);
	ok(s != NULL, "xreallocarray: 10 x 3");
	free(s);
	{
		int a[7];

		is_int(ARRAY_SIZE(a), 7, "ARRAY_SIZE: 7 elements");
	}
}

int main(void)
{
	test_parse_u64();
	test_parse_i64();
	test_parse_str();
	test_parse_seconds();
	test_overflow();
	test_fmt_i64();
	test_sbuf();
	test_alloc();
	return done_testing();
}
