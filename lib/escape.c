/* Escaping for untrusted strings. The rule is the same in every format:
 * a byte below 0x20, DEL, a backslash, the bytes of a C1 control (U+0080 to
 * U+009F, as a two-byte sequence or as a lone byte such as the 8-bit CSI),
 * a bidi or line-separator code point, and any byte that is not part of
 * valid UTF-8 are written as \xHH. Formats add their own on top. */
#include <stdbool.h>
#include <stdint.h>

#include "escape.h"

static const char hex[] = "0123456789abcdef";

static void put_hex(struct sbuf *out, unsigned char c, enum esc_mode mode)
{
	char b[5] = { '\\', 'x', hex[c >> 4], hex[c & 15], 0 };

	/* In JSON and prometheus the backslash of our escape is itself escaped,
	 * so the consumer sees the same four characters as everyone else. */
	if (mode == ESC_JSON || mode == ESC_PROM)
		sbuf_addc(out, '\\');
	sbuf_addn(out, b, 4);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. The code
 * point is stored in *cp. Overlong forms, surrogates and values past
 * U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10ffff ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool cp_is_hostile(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||	/* C1 controls */
	       cp == 0x061c ||			/* ARABIC LETTER MARK */
	       (cp >= 0x200e && cp <= 0x200f) ||	/* LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||	/* separators, embeddings */
	       (cp >= 0x2066 && cp <= 0x2069);	/* isolates */
}

void escape_append(struct sbuf *out, const char *str, size_t n, enum esc_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t len;

		if (c >= 0x20 && c < 0x7f && c != '\\' &&
		    !(c == ' ' && mode == ESC_RAW) &&
		    !(c == '"' && mode != ESC_TABLE)) {
			i++;
			continue;
		}
		if (i > start)
			sbuf_addn(out, str + start, i - start);
		if (c == '"' && mode == ESC_JSON) {
			sbuf_adds(out, "\\\"");
			i++;
		} else if (c == '"' && mode == ESC_PROM) {
			sbuf_adds(out, "\\\"");
			i++;
		} else if (c < 0x80) {
			put_hex(out, c, mode);
			i++;
		} else if ((len = utf8_seq(s + i, n - i, &cp)) && !cp_is_hostile(cp)) {
			sbuf_addn(out, str + i, len);
			i += len;
		} else if (len) {
			for (size_t k = 0; k < len; k++)
				put_hex(out, s[i + k], mode);
			i += len;
		} else {
			put_hex(out, c, mode);
			i++;
		}
		start = i;
	}
	if (n > start)
		sbuf_addn(out, str + start, n - start);
}

size_t utf8_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

size_t utf8_prefix(const char *s, size_t n, size_t cols)
{
	size_t w = 0, i = 0;

	while (i < n) {
		size_t len = 1;

		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x')
			len = 4;
		else
			while (i + len < n && ((unsigned char)s[i + len] & 0xc0) == 0x80)
				len++;
		if (w + (len == 4 && s[i] == '\\' ? 4 : 1) > cols)
			break;
		w += len == 4 && s[i] == '\\' ? 4 : 1;
		i += len;
	}
	return i;
}
