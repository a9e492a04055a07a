/* Escaping of untrusted strings (process names, command lines, paths, cgroup
 * names, kernel log text) for every output format. */
#ifndef PROCDX_ESCAPE_H
#define PROCDX_ESCAPE_H

#include <stddef.h>

#include "util.h"

enum esc_mode {
	ESC_TABLE,	/* control bytes, DEL, backslash, C1, bidi, invalid UTF-8 */
	ESC_RAW,	/* the above plus space and '"': one awk field */
	ESC_PAIRS,	/* the above plus '"', '$' and '`' (safe to eval); space stays */
	ESC_JSON,	/* ESC_TABLE, then RFC 8259 string escaping */
	ESC_PROM,	/* ESC_TABLE, then the exposition format's label escaping */
};

/* Append s[0..n) to out, escaped for mode. Every byte that could move the
 * cursor, start a row or break the format becomes the four characters \xHH.
 * Valid UTF-8 other than C1 controls, bidi controls and U+2028/2029 stays. */
void escape_append(struct sbuf *out, const char *s, size_t n, enum esc_mode mode);

/* Number of terminal columns the (already escaped, valid UTF-8) string s of
 * n bytes takes: two for an East Asian wide or fullwidth code point (CJK,
 * kana, Hangul, fullwidth forms, most emoji), none for a combining mark or
 * a zero-width space or joiner, one for anything else. The table is built
 * in, so the width does not depend on the locale. */
size_t utf8_width(const char *s, size_t n);

/* Length of the longest prefix of s (n bytes, valid UTF-8) that fits in
 * cols columns, never splitting a code point or an \xHH escape, nor parting
 * a combining mark from the character before it. */
size_t utf8_prefix(const char *s, size_t n, size_t cols);

#endif
