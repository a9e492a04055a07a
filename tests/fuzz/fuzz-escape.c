/* Fuzz escape_append in every mode, utf8_width and utf8_prefix.
 *
 * Invariants, for every mode: the output is valid UTF-8 with no control
 * byte (below 0x20, DEL, C1 as one or two bytes) and no bidi or line
 * separator code point; ESC_RAW output has no byte below 0x21, no DEL and
 * no '"' (one awk field); ESC_PAIRS has no '"'; in JSON and prometheus
 * every backslash starts \\ or \" and no '"' is bare. And escaping loses
 * nothing: undoing it gives back the input, and a utf8_prefix of the
 * table output undoes to a prefix of the input. */
#include <stdbool.h>

#include "escape.h"
#include "fuzz.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Length of the valid UTF-8 sequence at s, its code point in *cp; 0 if
 * invalid. Written apart from lib/escape.c on purpose. */
static size_t utf8_check(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static void check_text(const struct sbuf *b, enum esc_mode mode)
{
	const unsigned char *s = (const unsigned char *)b->s;
	size_t i = 0;

	FUZZ_ASSERT(b->s[b->len] == '\0');
	while (i < b->len) {
		uint32_t cp;
		size_t len = utf8_check(s + i, b->len - i, &cp);

		FUZZ_ASSERT(len > 0);
		FUZZ_ASSERT(cp >= 0x20 && cp != 0x7f);
		FUZZ_ASSERT(!(cp >= 0x80 && cp <= 0x9f));
		FUZZ_ASSERT(!(cp >= 0x200e && cp <= 0x200f) && !(cp >= 0x2028 && cp <= 0x202e) &&
			    !(cp >= 0x2066 && cp <= 0x2069));
		if (mode == ESC_RAW)
			FUZZ_ASSERT(cp > 0x20 && cp != '"');
		if (mode == ESC_PAIRS)
			FUZZ_ASSERT(cp != '"');
		i += len;
	}
}

/* Undo the format's own layer (JSON/prometheus \\ and \"), then the \xHH
 * escapes, and compare with the input. */
static void check_roundtrip(const struct sbuf *b, enum esc_mode mode, const char *in,
			    size_t n)
{
	char *mid = malloc(b->len + 1), *back = malloc(b->len + 1);
	size_t m = 0, k = 0;

	if (!mid || !back)
		abort();
	for (size_t i = 0; i < b->len; i++) {
		char c = b->s[i];

		if (mode == ESC_JSON || mode == ESC_PROM) {
			FUZZ_ASSERT(c != '"');
			if (c == '\\') {
				FUZZ_ASSERT(i + 1 < b->len);
				c = b->s[++i];
				FUZZ_ASSERT(c == '\\' || c == '"');
			}
		}
		mid[m++] = c;
	}
	for (size_t i = 0; i < m; i++) {
		if (mid[i] == '\\') {
			int hi, lo;

			FUZZ_ASSERT(i + 3 < m && mid[i + 1] == 'x');
			hi = hexval((unsigned char)mid[i + 2]);
			lo = hexval((unsigned char)mid[i + 3]);
			FUZZ_ASSERT(hi >= 0 && lo >= 0);
			back[k++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			back[k++] = mid[i];
		}
	}
	FUZZ_ASSERT(k == n && !memcmp(back, in, n));
	free(mid);
	free(back);
}

/* Undo the \xHH escapes of table output s[0..len) into out; returns the
 * length. */
static size_t unescape(const char *s, size_t len, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\') {
			FUZZ_ASSERT(i + 3 < len);
			out[k++] = (char)(hexval((unsigned char)s[i + 2]) << 4 |
					  hexval((unsigned char)s[i + 3]));
			i += 3;
		} else {
			out[k++] = s[i];
		}
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_copy(data, size);

	for (int mode = ESC_TABLE; mode <= ESC_PROM; mode++) {
		struct sbuf b = { 0 };

		escape_append(&b, in, size, (enum esc_mode)mode);
		if (!b.s)
			sbuf_addn(&b, "", 0);
		check_text(&b, (enum esc_mode)mode);
		check_roundtrip(&b, (enum esc_mode)mode, in, size);
		FUZZ_ASSERT(utf8_width(b.s, b.len) <= b.len);

		if (mode == ESC_TABLE) {
			char *tmp = malloc(b.len + 1);
			size_t w = utf8_width(b.s, b.len);

			if (!tmp)
				abort();
			/* Each cut: within the columns, whole escapes and code
			 * points, so it undoes to a prefix of the input. */
			for (size_t cols = 0; cols <= w + 1; cols += 1 + cols / 4) {
				size_t p = utf8_prefix(b.s, b.len, cols);
				size_t k;

				FUZZ_ASSERT(p <= b.len);
				FUZZ_ASSERT(utf8_width(b.s, p) <= cols);
				k = unescape(b.s, p, tmp);
				FUZZ_ASSERT(k <= size && !memcmp(tmp, in, k));
				if (cols >= w)
					FUZZ_ASSERT(p == b.len);
			}
			free(tmp);
		}
		sbuf_free(&b);
	}
	free(in);
	return 0;
}
