/* The printer. Every command's rows leave through here, in one of five
 * formats, with one set of escaping rules (escape.c). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "table.h"
#include "util.h"

struct cell {
	bool known;
	union {
		int64_t i;
		double d;
		char *s;
	};
	size_t len;		/* string length */
};

struct meta {
	char *key, *label, *help, *str;
	enum col_type type;
	int64_t num;
	double dbl;
};

struct table {
	const char *tool, *rows_key;
	const struct col *cols;
	size_t ncols;
	int *shown;
	size_t nshown;
	int sort;		/* -1: insertion order */
	int tiebreak;		/* among rows equal (or unknown) in sort, -1: none */
	unsigned long keys;	/* the columns that tell rows apart (a bit each),
				 * 0: the first CF_LABEL one available */
	unsigned long exclude;
	unsigned long modes, mode;
	const char *host;	/* --host, set by the print calls */
	size_t limit;
	bool sort_from_user;
	struct cell *cells;	/* nrows x nslots: only shown and sorted columns */
	int *slot;		/* column -> index in a row, or -1 */
	size_t nslots;
	size_t nrows, caprows;
	struct meta *meta;
	size_t nmeta;
	size_t *swidth;		/* table_stream_width hints, or NULL */
};

struct table *table_new(const char *tool, const char *rows_key, const struct col *cols,
			size_t ncols)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->tool = tool;
	t->rows_key = rows_key;
	t->cols = cols;
	t->ncols = ncols;
	t->shown = xcalloc(ncols, sizeof(int));
	/* Every column has a place until table_select, before any row is
	 * added, narrows the rows to the columns shown and sorted on. */
	t->slot = xcalloc(ncols, sizeof(int));
	for (size_t i = 0; i < ncols; i++)
		t->slot[i] = (int)i;
	t->nslots = ncols;
	t->sort = -1;
	t->tiebreak = -1;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			struct cell *cl;

			if (t->slot[c] < 0)
				continue;
			cl = &t->cells[r * t->nslots + (size_t)t->slot[c]];
			if (cl->known && t->cols[c].type == COL_TEXT)
				free(cl->s);
		}
	for (size_t i = 0; i < t->nmeta; i++) {
		free(t->meta[i].key);	/* may be NULL */
		free(t->meta[i].label);
		free(t->meta[i].help);
		free(t->meta[i].str);
	}
	free(t->meta);
	free(t->cells);
	free(t->slot);
	free(t->shown);
	free(t->swidth);
	free(t);
}

static int find_col(const struct table *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strlen(t->cols[i].name) == len && !strncasecmp(t->cols[i].name, name, len))
			return (int)i;
	return -1;
}

/* Give column c a place in every row (rows already added get it unknown). */
static void add_slot(struct table *t, int c)
{
	size_t old = t->nslots;

	if (t->slot[c] >= 0)
		return;
	t->slot[c] = (int)t->nslots++;
	if (!t->caprows)
		return;
	t->cells = xreallocarray(t->cells, t->caprows * t->nslots, sizeof(struct cell));
	/* Spread the rows to the wider stride, last first. */
	for (size_t r = t->nrows; r-- > 0;) {
		memmove(&t->cells[r * t->nslots], &t->cells[r * old], old * sizeof(struct cell));
		memset(&t->cells[r * t->nslots + old], 0, sizeof(struct cell));
	}
}

/* Whether column c is left out of this table's mode. */
static bool excluded(const struct table *t, int c)
{
	unsigned long n = t->cols[c].needs;

	return (n & t->exclude) || ((n & t->modes) && !(n & t->mode));
}

static bool is_shown(const struct table *t, int c)
{
	for (size_t i = 0; i < t->nshown; i++)
		if (t->shown[i] == c)
			return true;
	return false;
}

/* Add the columns of a comma (or space) separated list. */
/* Add the columns of list: names parted by commas (or spaces), case
 * insensitive. An empty name between commas, or an empty list, is an error:
 * a stray comma is a typo, not "the defaults". */
static int add_list(struct table *t, const char *list, char *err, size_t errlen)
{
	for (const char *p = list;;) {
		const char *end = p + strcspn(p, ",");
		bool any = false;

		for (const char *q = p + strspn(p, " "); q < end; q += strspn(q, " ")) {
			size_t len = strcspn(q, ", ");
			int c = find_col(t, q, len);

			if (c < 0) {
				snprintf(err, errlen, "unknown column: %.*s",
					 (int)(len > 64 ? 64 : len), q);
				return -EINVAL;
			}
			if (excluded(t, c)) {
				snprintf(err, errlen, "column %s is not available in this mode",
					 t->cols[c].name);
				return -EINVAL;
			}
			if (!is_shown(t, c))
				t->shown[t->nshown++] = c;
			any = true;
			q += len;
		}
		if (!any) {
			snprintf(err, errlen, "empty column name in list: '%.64s'", list);
			return -EINVAL;
		}
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int table_select(struct table *t, const char *defaults, const struct out_opts *o, char *err,
		 size_t errlen)
{
	int r = 0;

	t->nshown = 0;
	if (o->all) {
		for (size_t i = 0; i < t->ncols; i++)
			if (!excluded(t, (int)i))
				t->shown[t->nshown++] = (int)i;
	} else if (o->output && o->output[0] == '+') {
		r = add_list(t, defaults, err, errlen);
		if (r == 0)
			r = add_list(t, o->output + 1, err, errlen);
	} else if (o->output) {
		r = add_list(t, o->output, err, errlen);
	} else {
		r = add_list(t, defaults, err, errlen);
	}
	if (r < 0)
		return r;
	/* Prometheus: two rows whose labels are the same would be one series
	 * twice, which a scraper refuses; the row's key always comes along. */
	if (o->fmt == FMT_PROM) {
		int first = -1;	/* without keys: the first CF_LABEL column */

		for (size_t i = 0; !t->keys && first < 0 && i < t->ncols; i++)
			if ((t->cols[i].flags & CF_LABEL) && !excluded(t, (int)i))
				first = (int)i;
		for (size_t k = 0; k < t->ncols; k++) {
			bool key = (int)k == first ||
				   (k < sizeof(t->keys) * CHAR_BIT && (t->keys >> k & 1));

			if (key && !excluded(t, (int)k) && !is_shown(t, (int)k) &&
			    t->nshown < t->ncols)
				t->shown[t->nshown++] = (int)k;
		}
	}
	if (o->sort) {
		int c = find_col(t, o->sort, strlen(o->sort));

		if (c < 0 || excluded(t, c)) {
			if (c < 0)
				snprintf(err, errlen, "unknown sort column: %.64s", o->sort);
			else
				snprintf(err, errlen, "column %s is not available in this mode",
					 t->cols[c].name);
			return -EINVAL;
		}
		t->sort = c;
		t->sort_from_user = true;
	}
	if (t->nrows == 0) {
		for (size_t i = 0; i < t->ncols; i++)
			t->slot[i] = -1;
		t->nslots = 0;
		for (size_t i = 0; i < t->nshown; i++)
			add_slot(t, t->shown[i]);
		if (t->sort >= 0)
			add_slot(t, t->sort);
		if (t->tiebreak >= 0)
			add_slot(t, t->tiebreak);
	}
	return 0;
}

void table_key(struct table *t, int c)
{
	if (c >= 0 && (size_t)c < t->ncols && (size_t)c < sizeof(t->keys) * CHAR_BIT)
		t->keys |= 1UL << c;
}

void table_exclude(struct table *t, unsigned long mask)
{
	t->exclude = mask;
}

void table_mode(struct table *t, unsigned long modes, unsigned long mode)
{
	t->modes = modes;
	t->mode = mode;
}


bool table_wants(const struct table *t, int c)
{
	return t->sort == c || is_shown(t, c);
}

unsigned long table_needs(const struct table *t)
{
	unsigned long n = 0;

	for (size_t i = 0; i < t->nshown; i++)
		n |= t->cols[t->shown[i]].needs;
	if (t->sort >= 0)
		n |= t->cols[t->sort].needs;
	return n;
}

void table_tiebreak(struct table *t, int c)
{
	t->tiebreak = c;
	add_slot(t, c);
}

void table_default_sort(struct table *t, int c)
{
	if (!t->sort_from_user) {
		t->sort = c;
		add_slot(t, c);
	}
}

size_t table_add_row(struct table *t)
{
	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? t->caprows * 2 : 16;
		t->cells = xreallocarray(t->cells, t->caprows * (t->nslots ? t->nslots : 1),
					 sizeof(struct cell));
	}
	memset(&t->cells[t->nrows * t->nslots], 0, t->nslots * sizeof(struct cell));
	return t->nrows++;
}

size_t table_rows(const struct table *t)
{
	return t->nrows;
}

/* The cell of column c in row, or NULL when the column is neither shown
 * nor sorted on: setting it costs nothing. */
static struct cell *cell_at(struct table *t, size_t row, int c)
{
	return t->slot[c] < 0 ? NULL : &t->cells[row * t->nslots + (size_t)t->slot[c]];
}

static const struct cell unknown_cell;

/* For reading: an unknown cell for columns without a place. */
static const struct cell *cellp(const struct table *t, size_t row, int c)
{
	return t->slot[c] < 0 ? &unknown_cell : &t->cells[row * t->nslots + (size_t)t->slot[c]];
}

void table_set_num(struct table *t, size_t row, int c, int64_t v)
{
	struct cell *cl = cell_at(t, row, c);

	if (!cl)
		return;
	cl->known = true;
	cl->i = v;
}

void table_set_size(struct table *t, size_t row, int c, uint64_t bytes)
{
	table_set_num(t, row, c, bytes > INT64_MAX ? INT64_MAX : (int64_t)bytes);
}

void table_set_dur(struct table *t, size_t row, int c, double secs)
{
	table_set_float(t, row, c, secs < 0 ? 0 : secs);
}

void table_set_float(struct table *t, size_t row, int c, double v)
{
	struct cell *cl = cell_at(t, row, c);

	/* NaN and infinities are not values: leave the cell unknown. */
	if (!cl || v != v || v > 1e300 || v < -1e300)
		return;
	cl->known = true;
	cl->d = v;
}

void table_set_str(struct table *t, size_t row, int c, const char *s, size_t len)
{
	struct cell *cl = cell_at(t, row, c);

	if (!cl)
		return;
	if (cl->known)
		free(cl->s);
	cl->known = true;
	cl->s = xstrndup(s, len);
	cl->len = len;
}

void table_set_cstr(struct table *t, size_t row, int c, const char *s)
{
	table_set_str(t, row, c, s, strlen(s));
}

void table_set_unknown(struct table *t, size_t row, int c)
{
	struct cell *cl = cell_at(t, row, c);

	if (!cl)
		return;
	if (cl->known && t->cols[c].type == COL_TEXT)
		free(cl->s);
	memset(cl, 0, sizeof(*cl));
}

bool table_get_num(const struct table *t, size_t row, int c, int64_t *v)
{
	const struct cell *cl = cellp(t, row, c);

	if (!cl->known)
		return false;
	*v = cl->i;
	return true;
}

void table_meta(struct table *t, const char *key, const char *label, enum col_type type,
		const char *help, int64_t num, double dbl, const char *str)
{
	struct meta *m;

	t->meta = xreallocarray(t->meta, t->nmeta + 1, sizeof(*t->meta));
	m = &t->meta[t->nmeta++];
	m->key = key ? xstrdup(key) : NULL;
	m->label = xstrdup(label);
	m->help = xstrdup(help ? help : label);
	m->type = type;
	m->num = num;
	m->dbl = dbl;
	m->str = str ? xstrdup(str) : NULL;
}

/* ---- terminal ---- */

static int tty_state = -1;

bool out_is_tty(void)
{
	if (tty_state < 0)
		tty_state = isatty(STDOUT_FILENO);
	return tty_state;
}

int out_term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (c && atoi(c) > 0)
		return atoi(c);
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

bool out_color(void)
{
	const char *term = getenv("TERM");
	const char *nc = getenv("NO_COLOR");

	return out_is_tty() && !(nc && *nc) && term && strcmp(term, "dumb");
}

/* ---- value formatting ---- */

void fmt_size(char *buf, size_t size, uint64_t bytes)
{
	typedef unsigned __int128 u128;	/* rem * 20 overflows 64 bits in E */
	static const char units[] = "BKMGTPE";
	char tmp[32];
	unsigned u = 0, s;
	uint64_t q, rem, d;
	size_t n;

	while (u < 6 && bytes >> (10 * (u + 1)))
		u++;
	/* In exact integers: the value is q + rem/d of the unit. */
	s = 10 * u;
	d = (uint64_t)1 << s;
	q = bytes >> s;
	rem = bytes & (d - 1);
	/* One decimal below 9.95 ("1.5G") unless the value is within 0.05 of
	 * a whole number, none above ("320M"); a value that rounds up to 1024
	 * moves to the next unit. The decimal rounds half to even. (Bytes,
	 * with d = 1 and rem = 0, take the second branch as they are.) */
	if ((q < 9 || (q == 9 && (u128)rem * 20 < (u128)d * 19)) && (u128)rem * 20 >= d &&
	    (u128)(d - rem) * 20 >= d) {
		uint64_t t = q * 10 + (uint64_t)((u128)rem * 10 >> s);
		uint64_t trem = (uint64_t)((u128)rem * 10 & (d - 1));

		if ((u128)trem * 2 > d || ((u128)trem * 2 == d && (t & 1)))
			t++;
		tmp[0] = (char)('0' + t / 10);
		tmp[1] = '.';
		tmp[2] = (char)('0' + t % 10);
		n = 3;
	} else {
		q += rem >= d - rem;
		if (q >= 1024 && u < 6) {
			q = 1;
			u++;
		}
		n = fmt_i64(tmp, (int64_t)q);
	}
	tmp[n++] = units[u];
	tmp[n] = '\0';
	if (size) {
		n = n < size ? n : size - 1;
		memcpy(buf, tmp, n);
		buf[n] = '\0';
	}
}

void fmt_dur(char *buf, size_t size, double secs)
{
	unsigned long long s = secs < 0 ? 0 : (unsigned long long)secs;
	unsigned long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, ss = s % 60;

	if (d)
		snprintf(buf, size, "%llu-%02llu:%02llu:%02llu", d, h, m, ss);
	else if (h)
		snprintf(buf, size, "%02llu:%02llu:%02llu", h, m, ss);
	else
		snprintf(buf, size, "%02llu:%02llu", m, ss);
}

/* A duration or float in machine formats: an integer when whole. */
/* A decimal in machine formats: the precision the value has (the kernel's
 * 2.43 stays 2.43) but not the float noise of a subtraction (6.39, not
 * 6.3900000000001): at most prec decimals, trailing zeros dropped, an
 * integer when whole. */
static void fmt_machine_double(char *buf, size_t size, double v, int prec)
{
	size_t n;

	snprintf(buf, size, "%.*f", prec, v);
	if (!strchr(buf, '.'))
		return;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		snprintf(buf, size, "0");
}

static int col_prec(const struct col *c)
{
	return c->flags & CF_PREC2 ? 2 : 1;
}

/* Format one cell into b for the format; returns false for unknown. */
static bool fmt_cell(struct sbuf *b, const struct col *col, const struct cell *cl,
		     enum out_fmt fmt, bool bytes)
{
	char tmp[64];
	enum esc_mode m;

	sbuf_reset(b);
	if (!cl->known)
		return false;
	switch (col->type) {
	case COL_NUM:
		fmt_i64(tmp, cl->i);
		break;
	case COL_SIZE:
		if (fmt == FMT_TABLE && !bytes && cl->i < 0) {
			/* A size that shrank (a DELTA): the sign, then the size. */
			tmp[0] = '-';
			fmt_size(tmp + 1, sizeof(tmp) - 1, cl->i == INT64_MIN ? (uint64_t)INT64_MAX
										: (uint64_t)-cl->i);
		} else if (fmt == FMT_TABLE && !bytes)
			fmt_size(tmp, sizeof(tmp), (uint64_t)cl->i);
		else
			fmt_i64(tmp, cl->i);
		break;
	case COL_DUR:
		if (fmt == FMT_TABLE)
			fmt_dur(tmp, sizeof(tmp), cl->d);
		else
			fmt_machine_double(tmp, sizeof(tmp), cl->d, 2);
		break;
	case COL_FLOAT:
		if (fmt == FMT_TABLE)
			snprintf(tmp, sizeof(tmp), "%.*f", col_prec(col), cl->d);
		else
			fmt_machine_double(tmp, sizeof(tmp), cl->d, 6);
		break;
	case COL_TEXT:
		m = fmt == FMT_RAW ? ESC_RAW : fmt == FMT_PAIRS ? ESC_PAIRS :
		    fmt == FMT_JSON ? ESC_JSON : fmt == FMT_PROM ? ESC_PROM : ESC_TABLE;
		escape_append(b, cl->s, cl->len, m);
		if (!b->s)
			sbuf_addn(b, "", 0);	/* an empty string is a value */
		/* "-" means unknown in the text formats, and an empty field
		 * would shift awk's columns: both are spelled unambiguously. */
		if (fmt == FMT_TABLE || fmt == FMT_RAW || fmt == FMT_PAIRS) {
			if (b->len == 1 && b->s[0] == '-') {
				sbuf_reset(b);
				sbuf_adds(b, "\\x2d");
			} else if (b->len == 0 && fmt == FMT_RAW) {
				sbuf_adds(b, "\"\"");
			}
		}
		return true;
	}
	sbuf_adds(b, tmp);
	return true;
}

/* ---- sorting ---- */

struct sort_ctx {
	const struct table *t;
	int col;
	bool reverse;
};

/* Hex digits by their value, however wide: past its leading zeros, the
 * longer is the larger (a 57-bit address against a 47-bit one), and of
 * two as long, the one first in text (0-9 before a-f). */
static int cmp_hex(const char *a, const char *b)
{
	size_t la, lb;

	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	la = strlen(a);
	lb = strlen(b);
	return la != lb ? (la > lb) - (la < lb) : strcmp(a, b);
}

/* Rows ra and rb by column c: numbers and sizes descending, text
 * ascending, the other way with reverse; unknown last either way. 0 when
 * equal, or both unknown. */
static int cmp_col(const struct table *t, int c, bool reverse, size_t ra, size_t rb)
{
	const struct cell *x = cellp(t, ra, c);
	const struct cell *y = cellp(t, rb, c);
	int r;

	if (!x->known || !y->known)
		return x->known == y->known ? 0 : x->known ? -1 : 1;
	switch (t->cols[c].type) {
	case COL_TEXT:
		r = (t->cols[c].flags & CF_HEX) ? cmp_hex(x->s, y->s) : strcmp(x->s, y->s);
		break;
	case COL_NUM:
	case COL_SIZE:
		r = (x->i < y->i) - (x->i > y->i);
		break;
	default:
		r = (x->d < y->d) - (x->d > y->d);
		break;
	}
	return reverse ? -r : r;
}

/* By the sort column; among rows equal (or both unknown) there, by the
 * tiebreak column the same way; then in the order they came in. */
static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	const struct table *t = sc->t;
	size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
	int r = cmp_col(t, sc->col, sc->reverse, ra, rb);

	if (!r && t->tiebreak >= 0 && t->tiebreak != sc->col && t->slot[t->tiebreak] >= 0)
		r = cmp_col(t, t->tiebreak, sc->reverse, ra, rb);
	return r ? r : (ra > rb) - (ra < rb);
}

static size_t *row_order(const struct table *t, bool reverse)
{
	size_t *ord = xcalloc(t->nrows, sizeof(size_t));

	for (size_t i = 0; i < t->nrows; i++)
		ord[i] = i;
	if (t->sort >= 0) {
		struct sort_ctx sc = { t, t->sort, reverse };

		qsort_r(ord, t->nrows, sizeof(size_t), cmp_rows, &sc);
	} else if (reverse) {
		for (size_t i = 0; i < t->nrows / 2; i++) {
			size_t tmp = ord[i];

			ord[i] = ord[t->nrows - 1 - i];
			ord[t->nrows - 1 - i] = tmp;
		}
	}
	return ord;
}

/* ---- the formats ---- */

static bool right_aligned(const struct col *c)
{
	return c->type != COL_TEXT;
}

/* The --host value escaped for fmt into b; false without --host. */
static bool host_value(const struct table *t, struct sbuf *b, enum out_fmt fmt)
{
	struct col hc = { .type = COL_TEXT };
	struct cell cl = { .known = true };

	if (!t->host)
		return false;
	cl.s = (char *)t->host;
	cl.len = strlen(t->host);
	return fmt_cell(b, &hc, &cl, fmt, true);
}

/* Write s (len bytes) aligned in a field of w terminal columns. printf's
 * %-*s would pad by bytes: a name in CJK or with combining marks would
 * push or pull the rest of its row. */
static void put_padded(const char *s, size_t len, size_t w, bool right)
{
	size_t cw = utf8_width(s, len);

	if (right)
		for (size_t k = cw; k < w; k++)
			putchar(' ');
	fwrite(s, 1, len, stdout);
	if (!right)
		for (size_t k = cw; k < w; k++)
			putchar(' ');
}

static void print_table(const struct table *t, const struct out_opts *o, const size_t *ord)
{
	size_t *w = xcalloc(t->nshown ? t->nshown : 1, sizeof(size_t));
	struct sbuf b = { 0 };
	bool color = out_color();
	size_t last = t->nshown - 1;
	size_t cut = 0, hw = 0;
	struct sbuf h = { 0 };

	if (host_value(t, &h, FMT_TABLE))
		hw = utf8_width(h.s, h.len) > 4 ? utf8_width(h.s, h.len) : 4;

	for (size_t i = 0; i < t->nshown; i++)
		w[i] = o->noheadings ? 1 : strlen(t->cols[t->shown[i]].name);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];
			size_t cw = 1;

			if (fmt_cell(&b, &t->cols[c], cellp(t, ord[r], c),
				     FMT_TABLE, o->bytes))
				cw = utf8_width(b.s, b.len);
			if (cw > w[i])
				w[i] = cw;
		}
	/* On a terminal the last column, if it is a command line or path,
	 * is cut to the width; into a pipe nothing is ever cut. */
	if (out_is_tty() && !o->wide && (t->cols[t->shown[last]].flags & CF_TRUNC)) {
		size_t used = 0;
		int width = out_term_width();

		for (size_t i = 0; i < last; i++)
			used += w[i] + 1;
		used += hw ? hw + 1 : 0;
		cut = (size_t)width > used + 8 ? (size_t)width - used : 8;
	}
	if (!o->noheadings) {
		if (color)
			fputs("\033[1m", stdout);
		if (hw)
			printf("%-*s ", (int)hw, "HOST");
		for (size_t i = 0; i < t->nshown; i++) {
			const struct col *col = &t->cols[t->shown[i]];
			int pad = (int)w[i];

			if (i == last && !right_aligned(col))
				fputs(col->name, stdout);
			else
				printf(right_aligned(col) ? "%*s" : "%-*s", pad, col->name);
			if (i != last)
				putchar(' ');
		}
		if (color)
			fputs("\033[0m", stdout);
		putchar('\n');
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (hw) {
			fputs(h.s, stdout);
			for (size_t k = utf8_width(h.s, h.len); k <= hw; k++)
				putchar(' ');
		}
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];
			const struct col *col = &t->cols[c];
			size_t len;

			if (!fmt_cell(&b, col, cellp(t, ord[r], c), FMT_TABLE,
				      o->bytes)) {
				sbuf_reset(&b);
				sbuf_addc(&b, '-');
			}
			len = b.len;
			if (i == last && cut && utf8_width(b.s, len) > cut)
				len = utf8_prefix(b.s, len, cut);
			/* The last column, left-aligned, needs no padding. */
			put_padded(b.s, len, i == last && !right_aligned(col) ? 0 : w[i],
				   right_aligned(col));
			if (i != last)
				putchar(' ');
		}
		putchar('\n');
	}
	if (!o->noheadings && t->nmeta) {
		for (size_t i = 0; i < t->nmeta; i++) {
			const struct meta *m = &t->meta[i];
			struct col mc = { .type = m->type, .flags = CF_PREC2 };
			struct cell cl = { .known = true };

			if (m->type == COL_TEXT) {
				if (!m->str)
					continue;
				cl.s = m->str;
				cl.len = strlen(m->str);
			} else if (m->type == COL_NUM || m->type == COL_SIZE) {
				cl.i = m->num;
			} else {
				cl.d = m->dbl;
			}
			fmt_cell(&b, &mc, &cl, FMT_TABLE, o->bytes);
			printf("%s: %s\n", m->label, b.s);
		}
	}
	sbuf_free(&b);
	free(w);
	sbuf_free(&h);
}

static void print_raw(const struct table *t, const struct out_opts *o, const size_t *ord)
{
	struct sbuf b = { 0 };

	struct sbuf h = { 0 };
	bool host = host_value(t, &h, FMT_RAW);

	if (!o->noheadings) {
		if (host)
			fputs("HOST ", stdout);
		for (size_t i = 0; i < t->nshown; i++)
			printf(i ? " %s" : "%s", t->cols[t->shown[i]].name);
		putchar('\n');
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (host)
			printf("%s ", h.s);
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];

			if (i)
				putchar(' ');
			if (fmt_cell(&b, &t->cols[c], cellp(t, ord[r], c),
				     FMT_RAW, true))
				fwrite(b.s, 1, b.len, stdout);
			else
				putchar('-');
		}
		putchar('\n');
	}
	sbuf_free(&h);
	sbuf_free(&b);
}

static void meta_value(struct sbuf *b, const struct meta *m, enum out_fmt fmt)
{
	struct col mc = { .type = m->type };
	struct cell cl = { .known = true };

	if (m->type == COL_TEXT) {
		cl.s = m->str ? m->str : (char *)"";
		cl.known = m->str != NULL;
		cl.len = strlen(cl.s);
	} else if (m->type == COL_NUM || m->type == COL_SIZE) {
		cl.i = m->num;
	} else {
		cl.d = m->dbl;
	}
	if (!fmt_cell(b, &mc, &cl, fmt, true))
		sbuf_adds(b, fmt == FMT_JSON ? "null" : "-");
}

static void print_pairs(const struct table *t, const size_t *ord)
{
	struct sbuf b = { 0 }, h = { 0 };
	bool host = host_value(t, &h, FMT_PAIRS);

	for (size_t r = 0; r < t->nrows; r++) {
		if (host)
			printf("HOST=\"%s\" ", h.s);
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];

			if (!fmt_cell(&b, &t->cols[c], cellp(t, ord[r], c),
				      FMT_PAIRS, true))
				sbuf_adds(&b, "-");
			printf("%s%s=\"%s\"", i ? " " : "", t->cols[c].name, b.s);
		}
		putchar('\n');
	}
	{
		bool any = false;

		for (size_t i = 0; i < t->nmeta; i++) {
			if (!t->meta[i].key)
				continue;
			if (!any && host)
				printf("HOST=\"%s\" ", h.s);
			meta_value(&b, &t->meta[i], FMT_PAIRS);
			printf("%s", any ? " " : "");
			for (const char *k = t->meta[i].key; *k; k++)
				putchar(toupper((unsigned char)*k));
			printf("=\"%s\"", b.s);
			any = true;
		}
		if (any)
			putchar('\n');
	}
	sbuf_free(&h);
	sbuf_free(&b);
}

static void json_key(const char *name)
{
	putchar('"');
	for (; *name; name++)
		putchar(tolower((unsigned char)*name));
	fputs("\": ", stdout);
}

/* The members of t's JSON object: its rows under rows_key, then its summary
 * keys; *first says whether nothing was printed before. A table without a
 * rows_key gives the cells of its one row as members of their own. line:
 * all on one line (JSON Lines), else one member, one row a line. */
static void json_members(const struct table *t, const size_t *ord, bool *first, bool line)
{
	const char *sep1 = line ? "" : "\n  ", *sep = line ? ", " : ",\n  ";
	struct sbuf b = { 0 };

	if (!t->rows_key) {
		for (size_t i = 0; t->nrows && i < t->nshown; i++) {
			int c = t->shown[i];
			const struct col *col = &t->cols[c];

			fputs(*first ? sep1 : sep, stdout);
			*first = false;
			json_key(col->name);
			if (!fmt_cell(&b, col, cellp(t, ord[0], c), FMT_JSON, true))
				fputs("null", stdout);
			else if (col->type == COL_TEXT)
				printf("\"%s\"", b.s);
			else
				fputs(b.s, stdout);
		}
	} else {
		printf("%s\"%s\": [", *first ? sep1 : sep, t->rows_key);
		*first = false;
	}
	for (size_t r = 0; t->rows_key && r < t->nrows; r++) {
		struct sbuf h = { 0 };
		bool host = host_value(t, &h, FMT_JSON);

		fputs(line ? (r ? ", {" : "{") : r ? ",\n    {" : "\n    {", stdout);
		if (host)
			printf("\"host\": \"%s\"%s", h.s, t->nshown ? ", " : "");
		sbuf_free(&h);
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];
			const struct col *col = &t->cols[c];

			if (i)
				fputs(", ", stdout);
			json_key(col->name);
			if (!fmt_cell(&b, col, cellp(t, ord[r], c), FMT_JSON,
				      true))
				fputs("null", stdout);
			else if (col->type == COL_TEXT)
				printf("\"%s\"", b.s);
			else
				fputs(b.s, stdout);
		}
		putchar('}');
	}
	if (t->rows_key)
		fputs(t->nrows && !line ? "\n  ]" : "]", stdout);
	for (size_t i = 0; i < t->nmeta; i++) {
		const struct meta *m = &t->meta[i];

		if (!m->key)
			continue;
		fputs(*first ? sep1 : sep, stdout);
		*first = false;
		json_key(m->key);
		meta_value(&b, m, FMT_JSON);
		if (m->type == COL_TEXT && m->str)
			printf("\"%s\"", b.s);
		else
			fputs(b.s, stdout);
	}
	sbuf_free(&b);
}

/* --host: the document says whose it is, first. */
static void json_host(const struct table *t, bool *first, bool line)
{
	struct sbuf h = { 0 };

	if (host_value(t, &h, FMT_JSON)) {
		printf("%s\"host\": \"%s\"", line ? "" : "\n  ", h.s);
		*first = false;
	}
	sbuf_free(&h);
}

static void print_json(const struct table *t, const size_t *ord)
{
	bool first = true;

	putchar('{');
	json_host(t, &first, false);
	json_members(t, ord, &first, false);
	fputs("\n}\n", stdout);
}

static void prom_name(struct sbuf *b, const char *tool, const char *name, enum col_type type,
		      unsigned flags)
{
	bool counter = flags & CF_COUNTER;

	size_t len = strlen(name);
	bool rate = false;

	/* One unit at the end of every name: READ_BPS is a size a second
	 * (read_bytes_per_second), READ_BYTES has its unit already. */
	if (type == COL_SIZE && len > 4 && !strcasecmp(name + len - 4, "_BPS")) {
		len -= 4;
		rate = true;
	} else if (type == COL_SIZE && len > 6 && !strcasecmp(name + len - 6, "_BYTES")) {
		len -= 6;
	}
	sbuf_reset(b);
	sbuf_printf(b, "procdx_%s_", tool);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		sbuf_addc(b, isalnum(c) ? (char)tolower(c) : '_');
	}
	if (type == COL_SIZE)
		sbuf_adds(b, rate || (flags & CF_RATE) ? "_bytes_per_second" : "_bytes");
	else if (type == COL_DUR)
		sbuf_adds(b, "_seconds");
	/* The exposition format keeps _total for counters: a gauge named so
	 * (pstate's "total", memtop's hugepages_total) ends in _all instead. */
	if (counter) {
		sbuf_adds(b, "_total");
	} else if (b->len >= 6 && !strcmp(b->s + b->len - 6, "_total")) {
		b->len -= 6;
		b->s[b->len] = '\0';
		sbuf_adds(b, "_all");
	}
}

static bool prom_is_label(const struct col *c)
{
	return c->type == COL_TEXT || (c->flags & CF_LABEL);
}

/* The labels of a row into b: host, then each shown label column with a
 * value, as {name="value",...}; empty when there are none. Returns whether
 * a column gave one (host aside). */
static bool prom_labels(const struct table *t, size_t row, struct sbuf *b)
{
	struct sbuf v = { 0 };
	bool any = false;

	sbuf_reset(b);
	if (host_value(t, &v, FMT_PROM))
		sbuf_printf(b, "{host=\"%s\"", v.s);
	for (size_t j = 0; j < t->nshown; j++) {
		const struct col *lc = &t->cols[t->shown[j]];

		if (!prom_is_label(lc) || (lc->flags & CF_NOPROM) ||
		    !fmt_cell(&v, lc, cellp(t, row, t->shown[j]), FMT_PROM, true))
			continue;
		sbuf_adds(b, b->len ? "," : "{");
		for (const char *k = lc->name; *k; k++)
			sbuf_addc(b, isalnum((unsigned char)*k) ? (char)tolower((unsigned char)*k) : '_');
		sbuf_printf(b, "=\"%s\"", v.s);
		any = true;
	}
	if (b->len)
		sbuf_addc(b, '}');
	sbuf_free(&v);
	return any;
}

struct info_row {
	char *labels;
	size_t r;	/* its place in ord */
};

static int cmp_info_rows(const void *a, const void *b)
{
	const struct info_row *x = a, *y = b;
	int c = strcmp(x->labels, y->labels);

	return c ? c : (x->r > y->r) - (x->r < y->r);
}

/* Rows whose shown columns are all labels (pstate -s D -o pid,comm, any
 * -H) have no sample to carry them: without this the output would be
 * empty. The info-metric convention gives each row a series of value 1,
 * procdx_TOOL_info{labels}. A row without a label value says nothing and
 * gives none. Rows the labels do not tell apart would be duplicate series,
 * which a scraper rejects: each set is given once, at its first row. */
static void print_prom_info(const struct table *t, const size_t *ord, struct sbuf *b)
{
	struct info_row *ir;
	char **line;
	bool any = false;

	if (!t->nrows)
		return;
	ir = xcalloc(t->nrows, sizeof(*ir));
	line = xcalloc(t->nrows, sizeof(*line));
	for (size_t r = 0; r < t->nrows; r++) {
		bool some = prom_labels(t, ord[r], b);

		ir[r] = (struct info_row){ xstrdup(b->len ? b->s : ""), r };
		line[r] = some ? ir[r].labels : NULL;
		any |= some;
	}
	qsort(ir, t->nrows, sizeof(*ir), cmp_info_rows);
	for (size_t i = 1; i < t->nrows; i++)
		if (!strcmp(ir[i].labels, ir[i - 1].labels))
			line[ir[i].r] = NULL;
	if (!any)
		goto out;
	sbuf_reset(b);
	sbuf_printf(b, "procdx_%s_info", t->tool);
	printf("# HELP %s one series per row, the row's columns as labels (none is a number)\n"
	       "# TYPE %s gauge\n", b->s, b->s);
	for (size_t r = 0; r < t->nrows; r++)
		if (line[r])
			printf("%s%s 1\n", b->s, line[r]);
out:
	for (size_t r = 0; r < t->nrows; r++)
		free(ir[r].labels);
	free(ir);
	free(line);
}

static void print_prom(const struct table *t, const size_t *ord)
{
	struct sbuf name = { 0 }, v = { 0 }, labels = { 0 };
	bool values = false, shown_labels = false;

	for (size_t i = 0; i < t->nshown; i++) {
		const struct col *col = &t->cols[t->shown[i]];
		bool header = false;

		if (col->flags & CF_NOPROM)
			continue;
		if (prom_is_label(col)) {
			shown_labels = true;
			continue;
		}
		values = true;
		prom_name(&name, t->tool, col->name, col->type, col->flags);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t row = ord[r];

			if (!fmt_cell(&v, col, cellp(t, row, t->shown[i]), FMT_PROM, true))
				continue;
			if (!header) {
				printf("# HELP %s %s\n# TYPE %s %s\n", name.s, col->help, name.s,
				       col->flags & CF_COUNTER ? "counter" : "gauge");
				header = true;
			}
			prom_labels(t, row, &labels);
			printf("%s%s %s\n", name.s, labels.len ? labels.s : "", v.s);
		}
	}
	/* A table of columns all left out of prometheus (loadwhy's evidence)
	 * stays out. */
	if (!values && shown_labels)
		print_prom_info(t, ord, &name);
	for (size_t i = 0; i < t->nmeta; i++) {
		const struct meta *m = &t->meta[i];

		if (m->type == COL_TEXT || !m->key)
			continue;
		prom_name(&name, t->tool, m->key, m->type, 0);
		meta_value(&v, m, FMT_PROM);
		sbuf_reset(&labels);
		if (host_value(t, &labels, FMT_PROM)) {
			struct sbuf h = labels;

			labels = (struct sbuf){ 0 };
			sbuf_printf(&labels, "{host=\"%s\"}", h.s);
			sbuf_free(&h);
		}
		printf("# HELP %s %s\n# TYPE %s gauge\n%s%s %s\n", name.s, m->help, name.s, name.s,
		       labels.len ? labels.s : "", v.s);
	}
	sbuf_free(&name);
	sbuf_free(&v);
	sbuf_free(&labels);
}

static int write_errno;

int out_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (!write_errno)
			write_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int out_write_errno(void)
{
	return write_errno;
}

struct pollfd out_pollfd(void)
{
	/* No event asked for: errors and hang-ups are reported regardless. */
	return (struct pollfd){ .fd = STDOUT_FILENO, .events = 0, .revents = 0 };
}

bool out_gone(const struct pollfd *p)
{
	return p->revents & (POLLERR | POLLHUP);
}

void table_limit(struct table *t, size_t n)
{
	t->limit = n;
}

size_t *table_order(const struct table *t, const struct out_opts *o)
{
	return row_order(t, o->reverse);
}

int table_print(struct table *t, const struct out_opts *o)
{
	size_t *ord, all = t->nrows;

	t->host = o->host;
	if (t->nshown == 0)
		return 0;
	ord = row_order(t, o->reverse);
	/* The printers walk nrows rows of ord: show them the first limit. */
	if (t->limit && t->limit < t->nrows)
		t->nrows = t->limit;
	switch (o->fmt) {
	case FMT_TABLE:
		print_table(t, o, ord);
		break;
	case FMT_RAW:
		print_raw(t, o, ord);
		break;
	case FMT_PAIRS:
		print_pairs(t, ord);
		break;
	case FMT_JSON:
		print_json(t, ord);
		break;
	case FMT_PROM:
		print_prom(t, ord);
		break;
	}
	t->nrows = all;
	free(ord);
	return 0;
}

static int print_report(struct table *const *ts, size_t n, const struct out_opts *o, bool line)
{
	bool first = true;

	if (o->fmt != FMT_JSON) {
		for (size_t i = 0; i < n; i++)
			table_print(ts[i], o);
		return 0;
	}
	putchar('{');
	for (size_t i = 0; i < n; i++)
		ts[i]->host = o->host;
	if (n)
		json_host(ts[0], &first, line);
	for (size_t i = 0; i < n; i++) {
		struct table *t = ts[i];
		size_t *ord, all = t->nrows;

		if (t->nshown == 0)
			continue;
		ord = row_order(t, o->reverse);
		if (t->limit && t->limit < t->nrows)
			t->nrows = t->limit;
		json_members(t, ord, &first, line);
		t->nrows = all;
		free(ord);
	}
	fputs(line ? "}\n" : "\n}\n", stdout);
	return 0;
}

int table_print_report(struct table *const *ts, size_t n, const struct out_opts *o)
{
	return print_report(ts, n, o, false);
}

int table_stream_report(struct table *const *ts, size_t n, const struct out_opts *o)
{
	print_report(ts, n, o, true);
	out_flush();
	return 0;
}

void table_stream_width(struct table *t, int c, size_t w)
{
	if (!t->swidth)
		t->swidth = xcalloc(t->ncols, sizeof(*t->swidth));
	t->swidth[c] = w;
}

/* The width a streamed text column with no hint from the tool takes when
 * other columns follow it: a command line or a detail has no bound, and
 * rows printed as they come cannot be measured first. */
#define STREAM_TEXT_WIDTH 32
/* How a value cut short in the middle of a row ends. */
#define CUT_MARK "..."

/* Whether column c is text of no bound the tool knows in a stream. */
static bool stream_unbounded(const struct table *t, int c)
{
	return t->cols[c].type == COL_TEXT && !(t->swidth && t->swidth[c]);
}

/* A streamed column's width in the table format: its header's, or the
 * tool's hint when wider; a text column without a hint, STREAM_TEXT_WIDTH. */
static int stream_width(const struct table *t, int c)
{
	size_t w = strlen(t->cols[c].name);

	if (t->swidth && t->swidth[c] > w)
		w = t->swidth[c];
	else if (stream_unbounded(t, c) && w < STREAM_TEXT_WIDTH)
		w = STREAM_TEXT_WIDTH;
	return (int)w;
}

void table_stream(struct table *t, const struct out_opts *o, size_t from)
{
	struct sbuf b = { 0 }, h = { 0 };
	enum out_fmt hf = o->fmt == FMT_PROM ? FMT_RAW : o->fmt;
	bool host, cut = false;
	size_t lastcut = 0;
	bool header = from == 0 && !o->noheadings &&
		      (o->fmt == FMT_TABLE || o->fmt == FMT_RAW);

	t->host = o->host;
	host = host_value(t, &h, hf);
	/* On a terminal (unless -w) an unbounded text column is cut to its
	 * width, with a mark, when columns follow it, and a last command line
	 * to what the terminal has left, as print_table does: the columns
	 * stay where the header put them. Into a pipe nothing is cut. */
	if (o->fmt == FMT_TABLE && out_is_tty() && !o->wide && t->nshown) {
		int lc = t->shown[t->nshown - 1];
		size_t used = host ? utf8_width(h.s, h.len) + 1 : 0;
		int width = out_term_width();

		cut = true;
		/* Each column before the last, its space, and the space the
		 * last one is printed after. */
		for (size_t i = 0; i + 1 < t->nshown; i++)
			used += (size_t)stream_width(t, t->shown[i]) + 1 + (i + 2 == t->nshown);
		if (t->cols[lc].flags & CF_TRUNC)
			lastcut = (size_t)width > used + 8 ? (size_t)width - used : 8;
	}
	if (header) {
		if (host)
			fputs("HOST ", stdout);
		for (size_t i = 0; i < t->nshown; i++) {
			const struct col *col = &t->cols[t->shown[i]];

			if (o->fmt == FMT_TABLE && i + 1 < t->nshown)
				printf(right_aligned(col) ? "%*s " : "%-*s ",
				       stream_width(t, t->shown[i]), col->name);
			else
				printf(i ? " %s" : "%s", col->name);
		}
		putchar('\n');
	}
	for (size_t r = from; r < t->nrows; r++) {
		if (o->fmt == FMT_JSON)
			putchar('{');
		if (host && hf == FMT_JSON)
			printf("\"host\": \"%s\"%s", h.s, t->nshown ? ", " : "");
		else if (host && hf == FMT_PAIRS)
			printf("HOST=\"%s\" ", h.s);
		else if (host)
			printf("%s ", h.s);
		for (size_t i = 0; i < t->nshown; i++) {
			int c = t->shown[i];
			const struct col *col = &t->cols[c];
			enum out_fmt f = hf;
			bool known = fmt_cell(&b, col, cellp(t, r, c), f, o->bytes || f != FMT_TABLE);

			if (!known) {
				sbuf_reset(&b);
				sbuf_adds(&b, f == FMT_JSON ? "null" : "-");
			}
			if (f == FMT_JSON) {
				fputs(i ? ", " : "", stdout);
				json_key(col->name);
				printf(known && col->type == COL_TEXT ? "\"%s\"" : "%s", b.s);
			} else if (f == FMT_PAIRS) {
				printf("%s%s=\"%s\"", i ? " " : "", col->name, b.s);
			} else if (f == FMT_TABLE && i + 1 < t->nshown) {
				size_t w = (size_t)stream_width(t, c), len = b.len;

				if (cut && stream_unbounded(t, c) && utf8_width(b.s, len) > w) {
					len = utf8_prefix(b.s, len, w - strlen(CUT_MARK));
					b.len = len;
					sbuf_adds(&b, CUT_MARK);
					len = b.len;
				}
				put_padded(b.s, len, w, right_aligned(col));
				putchar(' ');
			} else if (f == FMT_TABLE && lastcut && utf8_width(b.s, b.len) > lastcut) {
				if (i)
					putchar(' ');
				fwrite(b.s, 1, utf8_prefix(b.s, b.len, lastcut), stdout);
			} else {
				printf(i ? " %s" : "%s", b.s);
			}
		}
		puts(o->fmt == FMT_JSON ? "}" : "");
	}
	out_flush();
	sbuf_free(&h);
	sbuf_free(&b);
}

enum { LC_NAME, LC_TYPE, LC_PRIV, LC_MEANING };

static const struct col list_cols[] = {
	[LC_NAME] = { "NAME", COL_TEXT, 0, 0, NULL, "column name" },
	[LC_TYPE] = { "TYPE", COL_TEXT, 0, 0, NULL, "number, size, duration, decimal or text" },
	[LC_PRIV] = { "PRIVILEGE", COL_TEXT, 0, 0, NULL, "what reading it needs" },
	[LC_MEANING] = { "MEANING", COL_TEXT, 0, 0, NULL, "what it shows" },
};

int table_list_columns(const char *tool, const struct col *cols, size_t ncols,
		       const struct out_opts *o)
{
	static const char *const tnames[] = { "number", "size", "duration", "decimal", "text" };
	struct table *t = table_new(tool, "columns", list_cols, ARRAY_SIZE(list_cols));
	struct out_opts lo = *o;
	char err[128];

	lo.output = NULL;
	lo.all = false;
	lo.sort = NULL;
	lo.reverse = false;
	table_select(t, "NAME,TYPE,PRIVILEGE,MEANING", &lo, err, sizeof(err));
	for (size_t i = 0; i < ncols; i++) {
		size_t r = table_add_row(t);

		table_set_cstr(t, r, LC_NAME, cols[i].name);
		table_set_cstr(t, r, LC_TYPE, tnames[cols[i].type]);
		table_set_cstr(t, r, LC_PRIV, cols[i].priv ? cols[i].priv : "none");
		table_set_cstr(t, r, LC_MEANING, cols[i].help);
	}
	table_print(t, &lo);
	table_free(t);
	return 0;
}
