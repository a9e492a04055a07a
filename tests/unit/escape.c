/* Unit tests of lib/escape.c: escape_append in every mode, utf8_width and
 * utf8_prefix (display widths: wide, zero-width, escapes). The expected strings are written as C literals, so "\\x1b"
 * is the four characters \x1b that the escaper writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tap.h"

static const char *const mode_name[] = { "table", "raw", "pairs", "json", "prom" };

/* Escape n bytes of s in mode and compare with want. */
static void esc_is(const char *s, size_t n, enum esc_mode mode, const char *want,
		   const char *what)
{
	struct sbuf b = { 0 };

	escape_append(&b, s, n, mode);
	is_mem(b.s ? b.s : "", b.len, want, strlen(want), "escape %s: %s", mode_name[mode],
	       what);
	sbuf_free(&b);
}

/* The same for every mode where the output is expected the same in the
 * three text modes and with the backslash doubled in JSON and prometheus. */
static void esc_all(const char *s, size_t n, const char *text, const char *doubled,
		    const char *what)
{
	esc_is(s, n, ESC_TABLE, text, what);
	esc_is(s, n, ESC_RAW, text, what);
	esc_is(s, n, ESC_PAIRS, text, what);
	esc_is(s, n, ESC_JSON, doubled, what);
	esc_is(s, n, ESC_PROM, doubled, what);
}

#define ESC_ALL(lit, text, doubled, what) esc_all(lit, sizeof(lit) - 1, text, doubled, what)

static void test_plain(void)
{
	ESC_ALL("bash", "bash", "bash", "plain ASCII unchanged");
	ESC_ALL("", "", "", "empty string stays empty");
	ESC_ALL("-", "-", "-", "a lone dash is not escaped here (the printer spells it)");
	ESC_ALL("a-b_c.d/e:f=g,h~!@#%^&*()[]{}<>?|';+",
		"a-b_c.d/e:f=g,h~!@#%^&*()[]{}<>?|';+",
		"a-b_c.d/e:f=g,h~!@#%^&*()[]{}<>?|';+", "printable punctuation unchanged");
	{
		struct sbuf b = { 0 };

		sbuf_adds(&b, "pre:");
		escape_append(&b, "a\nb", 3, ESC_TABLE);
		escape_append(&b, "", 0, ESC_TABLE);
		escape_append(&b, "c", 1, ESC_TABLE);
		is_str(b.s, "pre:a\\x0abc", "escape: appends to what the buffer holds");
		sbuf_free(&b);
	}
	esc_is("abcdef", 3, ESC_TABLE, "abc", "only n bytes are read");
}

static void test_controls(void)
{
	ESC_ALL("\033[31m", "\\x1b[31m", "\\\\x1b[31m", "ESC");
	ESC_ALL("a\nb", "a\\x0ab", "a\\\\x0ab", "newline");
	ESC_ALL("a\rb", "a\\x0db", "a\\\\x0db", "carriage return");
	ESC_ALL("a\tb", "a\\x09b", "a\\\\x09b", "tab");
	ESC_ALL("\b\a\f\v", "\\x08\\x07\\x0c\\x0b", "\\\\x08\\\\x07\\\\x0c\\\\x0b",
		"backspace, bell, form feed, vertical tab");
	ESC_ALL("a\0b", "a\\x00b", "a\\\\x00b", "NUL inside the n bytes");
	ESC_ALL("\x01\x1f", "\\x01\\x1f", "\\\\x01\\\\x1f", "0x01 and 0x1f");
	ESC_ALL("x\x7fy", "x\\x7fy", "x\\\\x7fy", "DEL");
	ESC_ALL("a\\b", "a\\x5cb", "a\\\\x5cb", "backslash (JSON doubles it)");
	ESC_ALL("\\x41", "\\x5cx41", "\\\\x5cx41", "a literal \\x41 cannot pass as an escape");
	ESC_ALL("\x9b" "31m", "\\x9b31m", "\\\\x9b31m", "one-byte CSI 0x9b");
	ESC_ALL("\x80\xff", "\\x80\\xff", "\\\\x80\\\\xff", "lone bytes 0x80 and 0xff");
	ESC_ALL("\xc2\x9b" "2J", "\\xc2\\x9b2J", "\\\\xc2\\\\x9b2J", "two-byte UTF-8 CSI (U+009B)");
	ESC_ALL("\xc2\x85", "\\xc2\\x85", "\\\\xc2\\\\x85", "NEL U+0085");
	ESC_ALL("\xc2\x80", "\\xc2\\x80", "\\\\xc2\\\\x80", "U+0080, first C1");
	ESC_ALL("\xc2\x9f", "\\xc2\\x9f", "\\\\xc2\\\\x9f", "U+009F, last C1");
	ESC_ALL("\xc2\xa0", "\xc2\xa0", "\xc2\xa0", "U+00A0 no-break space is kept");
}

static void test_unicode(void)
{
	ESC_ALL("caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9", "valid UTF-8 é kept");
	ESC_ALL("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac",
		"valid UTF-8 日本 kept");
	ESC_ALL("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80",
		"valid 4-byte UTF-8 emoji kept");
	ESC_ALL("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "U+10FFFF kept");
	ESC_ALL("\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd", "U+FFFD kept");
	ESC_ALL("abc\xe2\x80\xae" "cba", "abc\\xe2\\x80\\xaecba", "abc\\\\xe2\\\\x80\\\\xaecba",
		"bidi override U+202E");
	ESC_ALL("\xe2\x80\xaa", "\\xe2\\x80\\xaa", "\\\\xe2\\\\x80\\\\xaa",
		"bidi embedding U+202A");
	ESC_ALL("\xe2\x80\x8e\xe2\x80\x8f", "\\xe2\\x80\\x8e\\xe2\\x80\\x8f",
		"\\\\xe2\\\\x80\\\\x8e\\\\xe2\\\\x80\\\\x8f", "LRM and RLM");
	ESC_ALL("\xe2\x81\xa6\xe2\x81\xa9", "\\xe2\\x81\\xa6\\xe2\\x81\\xa9",
		"\\\\xe2\\\\x81\\\\xa6\\\\xe2\\\\x81\\\\xa9", "bidi isolates U+2066 and U+2069");
	ESC_ALL("\xe2\x80\xa8", "\\xe2\\x80\\xa8", "\\\\xe2\\\\x80\\\\xa8",
		"line separator U+2028");
	ESC_ALL("\xe2\x80\xa9", "\\xe2\\x80\\xa9", "\\\\xe2\\\\x80\\\\xa9",
		"paragraph separator U+2029");
	ESC_ALL("\xe2\x80\xaf", "\xe2\x80\xaf", "\xe2\x80\xaf",
		"U+202F (after the bidi range) kept");
	ESC_ALL("\xe2\x80\x8d", "\xe2\x80\x8d", "\xe2\x80\x8d", "U+200D (before LRM) kept");
	esc_is("\xd8\x9c", 2, ESC_TABLE, "\\xd8\\x9c", "bidi control U+061C ARABIC LETTER MARK");

	ESC_ALL("\xc0\xaf", "\\xc0\\xaf", "\\\\xc0\\\\xaf", "overlong '/' (c0 af)");
	ESC_ALL("\xc1\xbf", "\\xc1\\xbf", "\\\\xc1\\\\xbf", "overlong (c1 bf)");
	ESC_ALL("\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\\\xe0\\\\x80\\\\xaf",
		"overlong 3-byte (e0 80 af)");
	ESC_ALL("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", "\\\\xf0\\\\x80\\\\x80\\\\xaf",
		"overlong 4-byte (f0 80 80 af)");
	ESC_ALL("\xed\xa0\x80", "\\xed\\xa0\\x80", "\\\\xed\\\\xa0\\\\x80", "surrogate (ed a0 80)");
	ESC_ALL("\xed\xbf\xbf", "\\xed\\xbf\\xbf", "\\\\xed\\\\xbf\\\\xbf", "surrogate (ed bf bf)");
	ESC_ALL("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "\\\\xf4\\\\x90\\\\x80\\\\x80",
		"past U+10FFFF (f4 90 80 80)");
	ESC_ALL("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80", "\\\\xf5\\\\x80\\\\x80\\\\x80",
		"lead byte f5");
	ESC_ALL("\xe6\x97", "\\xe6\\x97", "\\\\xe6\\\\x97", "sequence cut at the end");
	ESC_ALL("\xe6" "A\xa5", "\\xe6A\\xa5", "\\\\xe6A\\\\xa5", "sequence broken by ASCII");
	ESC_ALL("\xe6\x97\xa5\xe6", "\xe6\x97\xa5\\xe6", "\xe6\x97\xa5\\\\xe6",
		"valid character then a cut one");
	esc_is("\xc3\xa9", 1, ESC_TABLE, "\\xc3", "n cuts a valid sequence: only what is inside");
}

static void test_format_specific(void)
{
	/* Space and '"': table keeps both; raw escapes both (one awk field);
	 * pairs escapes only '"' (the value is quoted); JSON and prometheus
	 * use their own \" and keep the space. */
	esc_is("a b\"c", 5, ESC_TABLE, "a b\"c", "space and quote kept");
	esc_is("a b\"c", 5, ESC_RAW, "a\\x20b\\x22c", "space and quote escaped");
	esc_is("a b\"c", 5, ESC_PAIRS, "a b\\x22c", "quote escaped, space kept");
	esc_is("a b\"c", 5, ESC_JSON, "a b\\\"c", "quote as \\\", space kept");
	esc_is("a b\"c", 5, ESC_PROM, "a b\\\"c", "quote as \\\", space kept");
	/* Pairs are for eval (as lsblk -P's): nothing in the quotes may
	 * expand. The other formats keep '$' and '`'. */
	esc_is("$(id)`id`${x}", 13, ESC_PAIRS, "\\x24(id)\\x60id\\x60\\x24{x}",
	       "dollar and backquote escaped");
	esc_is("$(id)`id`", 9, ESC_TABLE, "$(id)`id`", "dollar and backquote kept");
	esc_is("$(id)`id`", 9, ESC_RAW, "$(id)`id`", "dollar and backquote kept");
	esc_is("$(id)`id`", 9, ESC_JSON, "$(id)`id`", "dollar and backquote kept");
	esc_is("$(id)`id`", 9, ESC_PROM, "$(id)`id`", "dollar and backquote kept");
	esc_is("  ", 2, ESC_RAW, "\\x20\\x20", "two spaces");
	esc_is("\"", 1, ESC_RAW, "\\x22", "lone quote");
	esc_is("x\ty z", 5, ESC_RAW, "x\\x09y\\x20z", "tab and space both escaped");
	esc_is("a\"\\\n", 4, ESC_JSON, "a\\\"\\\\x5c\\\\x0a",
	       "quote, backslash and newline: JSON-decodes to a\"\\x5c\\x0a");
	esc_is("a\"\\\n", 4, ESC_PROM, "a\\\"\\\\x5c\\\\x0a",
	       "quote, backslash and newline in a label value");
	esc_is("</script>", 9, ESC_JSON, "</script>", "'/' and '<' need no JSON escape");
	esc_is("\xc2\xa0", 2, ESC_RAW, "\xc2\xa0", "no-break space is not an awk separator");
}

static void test_utf8_width(void)
{
	is_int(utf8_width("", 0), 0, "utf8_width: empty is 0");
	is_int(utf8_width("abc", 3), 3, "utf8_width: ASCII one per byte");
	is_int(utf8_width("caf\xc3\xa9", 5), 4, "utf8_width: é is one column");
	is_int(utf8_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4,
	       "utf8_width: 日本 is two wide characters, four columns");
	is_int(utf8_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9", 15),
	       10, "utf8_width: 日本語テス (kanji and katakana) is ten columns");
	is_int(utf8_width("\xea\xb0\x80\xeb\x82\x98", 6), 4, "utf8_width: Hangul 가나 is four");
	is_int(utf8_width("\xef\xbc\xa1\xef\xbd\x9a", 6), 4, "utf8_width: fullwidth ＡＺ is four");
	is_int(utf8_width("\xe3\x80\x80", 3), 2, "utf8_width: ideographic space U+3000 is two");
	is_int(utf8_width("\xef\xbd\xa1", 3), 1, "utf8_width: halfwidth katakana U+FF61 is one");
	is_int(utf8_width("\xf0\x9f\x98\x80", 4), 2, "utf8_width: emoji U+1F600 is two");
	is_int(utf8_width("\xf0\xa0\x80\x80", 4), 2, "utf8_width: CJK extension B U+20000 is two");
	is_int(utf8_width("\xe1\x84\x80\xe1\x85\xa1", 6), 2,
	       "utf8_width: Hangul jamo L+V is one wide syllable");
	is_int(utf8_width("e\xcc\x81", 3), 1, "utf8_width: e + combining acute is one column");
	is_int(utf8_width("a\xcc\x81\xcc\xa3\xcd\xaf", 7), 1,
	       "utf8_width: three combining marks take no column");
	is_int(utf8_width("\xe0\xa4\xa8\xe0\xa4\xbf", 6), 2,
	       "utf8_width: Devanagari न + spacing vowel sign ि is two");
	is_int(utf8_width("\xe0\xa4\x95\xe0\xa5\x8d", 6), 1,
	       "utf8_width: Devanagari क + virama (Mn) is one");
	is_int(utf8_width("\xe2\x83\x9d", 3), 0, "utf8_width: enclosing circle U+20DD (Me) is none");
	is_int(utf8_width("a\xe2\x80\x8b" "b", 5), 2, "utf8_width: zero width space takes none");
	is_int(utf8_width("\xe2\x80\x8c\xe2\x80\x8d", 6), 0, "utf8_width: ZWNJ and ZWJ none");
	is_int(utf8_width("\xe2\x81\xa0", 3), 0, "utf8_width: word joiner U+2060 is none");
	is_int(utf8_width("\xef\xbb\xbf", 3), 0, "utf8_width: U+FEFF is none");
	is_int(utf8_width("\xe2\x9d\xa4\xef\xb8\x8f", 6), 1,
	       "utf8_width: variation selector U+FE0F takes none");
	is_int(utf8_width("\xc2\xa0\xc3\x9f\xce\xa9\xd0\x96", 8), 4,
	       "utf8_width: Latin-1, Greek, Cyrillic one each");
	is_int(utf8_width("\xe2\x82\xac\xe2\x94\x80", 6), 2,
	       "utf8_width: euro sign and box drawing (narrow/ambiguous) one each");
	is_int(utf8_width("\xe3\x80\xbf", 3), 1, "utf8_width: U+303F (after the CJK range) is one");
	is_int(utf8_width("\xea\xb0\x80", 2), 2,
	       "utf8_width: each byte of a cut sequence is one column");
	is_int(utf8_width("a\\x1bb", 6), 6, "utf8_width: an escape is its four characters");
	is_int(utf8_width("abcdef", 2), 2, "utf8_width: only n bytes counted");
	{
		/* The escaper's output for a name mixing wide, zero-width and
		 * invalid bytes: every \xHH is four columns, the rest by the
		 * table. */
		struct sbuf b = { 0 };
		const char *in = "\xe6\x97\xa5\x1b\xcc\x81\xff" "e\xcc\x81";

		escape_append(&b, in, strlen(in), ESC_TABLE);
		is_str(b.s, "\xe6\x97\xa5\\x1b\xcc\x81\\xffe\xcc\x81",
		       "escape: wide and combining kept, control and invalid escaped");
		is_int(utf8_width(b.s, b.len), 2 + 4 + 0 + 4 + 1,
		       "utf8_width: escapes keep their four columns beside wide and marks");
		sbuf_free(&b);
	}
}

static void test_utf8_prefix(void)
{
	const char *jp = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";	/* 日本語 */
	const char *esc = "ab\\x1bcd";

	is_int(utf8_prefix("abcdef", 6, 3), 3, "utf8_prefix: ASCII cut at 3 columns");
	is_int(utf8_prefix("abcdef", 6, 10), 6, "utf8_prefix: wider than the string is all of it");
	is_int(utf8_prefix("abcdef", 6, 0), 0, "utf8_prefix: 0 columns is empty");
	is_int(utf8_prefix("", 0, 5), 0, "utf8_prefix: empty string");
	is_int(utf8_prefix(jp, 9, 4), 6, "utf8_prefix: 日本語 in 4 columns is 日本");
	is_int(utf8_prefix(jp, 9, 5), 6, "utf8_prefix: 日本語 in 5 columns: no half of 語");
	is_int(utf8_prefix(jp, 9, 1), 0, "utf8_prefix: a wide character does not fit in 1");
	is_int(utf8_prefix(jp, 9, 2), 3, "utf8_prefix: 日 fits in 2");
	is_int(utf8_prefix(jp, 9, 6), 9, "utf8_prefix: 日本語 fits in 6");
	is_int(utf8_prefix("ab\xf0\x9f\x98\x80", 6, 3), 2,
	       "utf8_prefix: emoji not half-shown at the edge");
	is_int(utf8_prefix("ae\xcc\x81x", 5, 2), 4,
	       "utf8_prefix: a combining mark goes with its base");
	is_int(utf8_prefix("ae\xcc\x81x", 5, 1), 1,
	       "utf8_prefix: a cut before the base drops its mark too");
	is_int(utf8_prefix("e\xcc\x81\xcc\xa3\xe2\x80\x8bx", 9, 1), 8,
	       "utf8_prefix: every zero-width code point after the base goes with it");
	is_int(utf8_prefix("\xcc\x81" "ab", 4, 1), 3,
	       "utf8_prefix: a leading mark takes no column");
	is_int(utf8_prefix("\xe6\x97\xa5\xcc\x81\xe6\x9c\xac", 8, 3), 5,
	       "utf8_prefix: a mark on a wide character stays with it");
	is_int(utf8_prefix("e\xcc\x81", 3, 1), 3, "utf8_prefix: fits whole with its trailing mark");
	is_int(utf8_prefix("\xe6\x97\xa5\\x1b", 7, 5), 3,
	       "utf8_prefix: wide then an escape that does not fit");
	is_int(utf8_prefix("\xe6\x97\xa5\\x1b", 7, 6), 7,
	       "utf8_prefix: wide then a whole escape at 6 columns");
	is_int(utf8_prefix("caf\xc3\xa9!", 6, 4), 5, "utf8_prefix: é taken whole");
	is_int(utf8_prefix(esc, 8, 2), 2, "utf8_prefix: stops before an escape");
	is_int(utf8_prefix(esc, 8, 3), 2, "utf8_prefix: does not split \\x1b at 3 columns");
	is_int(utf8_prefix(esc, 8, 5), 2, "utf8_prefix: does not split \\x1b at 5 columns");
	is_int(utf8_prefix(esc, 8, 6), 6, "utf8_prefix: escape fits at 6 columns");
	is_int(utf8_prefix(esc, 8, 7), 7, "utf8_prefix: one past the escape");
	is_int(utf8_prefix("a\\x", 3, 2), 2, "utf8_prefix: a cut \\x at the end is plain bytes");
	{
		/* What the escaper writes for a hostile name always survives a
		 * cut as whole escapes. */
		struct sbuf b = { 0 };
		bool whole = true;

		escape_append(&b, "\033\033\033\033", 4, ESC_TABLE);
		for (size_t cols = 0; cols <= 16; cols++) {
			size_t n = utf8_prefix(b.s, b.len, cols);

			if (n % 4 || n > cols)
				whole = false;
		}
		ok(whole, "utf8_prefix: cuts an escaped string only between escapes");
		sbuf_free(&b);
	}
	{
		/* Any cut of a string mixing every kind of width stays within
		 * the columns, ends on a unit and takes it all at full width. */
		const char *mix = "a\xe6\x97\xa5" "e\xcc\x81\\x1b\xf0\x9f\x98\x80\xe2\x80\x8b" "z";
		size_t n = strlen(mix), all = utf8_width(mix, n);
		bool good = all == 1 + 2 + 1 + 4 + 2 + 1;

		for (size_t cols = 0; cols <= all + 1; cols++) {
			size_t p = utf8_prefix(mix, n, cols);

			if (utf8_width(mix, p) > cols || (cols >= all && p != n) ||
			    (p < n && utf8_width(mix, utf8_prefix(mix, n, cols + 4)) <= cols))
				good = false;
		}
		ok(good, "utf8_prefix: every cut of a mixed-width string is the widest that fits");
	}
}

int main(void)
{
	test_plain();
	test_controls();
	test_unicode();
	test_format_specific();
	test_utf8_width();
	test_utf8_prefix();
	return done_testing();
}
