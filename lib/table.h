/* The column table and the one printer behind every output format. A tool
 * declares its columns once (name, type, meaning, privilege, files needed),
 * fills rows of typed cells, and table_print() writes them as a table, raw,
 * pairs, JSON or prometheus text. Cells never set are unknown: "-", null, or
 * a sample left out, never zero. */
#ifndef PROCDX_TABLE_H
#define PROCDX_TABLE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_type {
	COL_NUM,	/* a signed integer */
	COL_SIZE,	/* bytes: human units in the table unless --bytes */
	COL_DUR,	/* seconds: [[DD-]hh:]mm:ss in the table */
	COL_FLOAT,	/* a decimal (percent, rate, load) */
	COL_TEXT,	/* untrusted text, escaped in every format */
};

/* Column flags. */
#define CF_TRUNC	0x01	/* may be cut to the terminal's width when last */
#define CF_LABEL	0x02	/* a number that is a label in prometheus (PID) */
#define CF_NOPROM	0x04	/* left out of prometheus output */
#define CF_PREC2	0x08	/* COL_FLOAT with two decimals (default one) */
#define CF_COUNTER	0x10	/* prometheus TYPE counter instead of gauge */
#define CF_RATE		0x20	/* COL_SIZE a second: prometheus unit _bytes_per_second */
#define CF_HEX		0x40	/* COL_TEXT of hex digits (an address): sorted by value */

struct col {
	const char *name;	/* upper case: "PID", "PCOMM" */
	enum col_type type;
	unsigned flags;
	unsigned long needs;	/* tool-defined bits: what reading it costs */
	const char *priv;	/* privilege it needs, or NULL */
	const char *help;	/* one line */
};

enum out_fmt { FMT_TABLE, FMT_RAW, FMT_PAIRS, FMT_JSON, FMT_PROM };

struct out_opts {
	enum out_fmt fmt;
	bool noheadings, bytes, wide, reverse, all;
	const char *output;	/* -o LIST, NULL for the defaults */
	const char *sort;	/* -x COL, NULL for the tool's order */
	const char *host;	/* --host: a HOST column / key on every row */
};

struct table;

/* A new table for tool ("pstate": prometheus names procdx_pstate_*) whose
 * rows go under the JSON key rows_key. cols must outlive the table. */
struct table *table_new(const char *tool, const char *rows_key, const struct col *cols,
			size_t ncols);
void table_free(struct table *t);

/* A column that tells one row from the others (TID for rows of threads);
 * called again, one more, all of them together telling the rows apart.
 * Without any, the first CF_LABEL column not excluded. Prometheus output
 * always has them among the labels. Call before table_select. */
void table_key(struct table *t, int c);
/* Leave out the columns whose needs bits meet mask: a mode of the tool
 * they make no sense in. --output-all skips them; naming one in -o or -x is
 * an error. Call before table_select. */
void table_exclude(struct table *t, unsigned long mask);

/* For tools whose modes share some columns: of the columns with any bit of
 * modes in their needs, keep those with a bit of mode. Call before
 * table_select. */
void table_mode(struct table *t, unsigned long modes, unsigned long mode);

/* Choose the shown columns and the sort key from o (-o, +COL, --output-all,
 * -x) with defaults a comma list. Called before the first row, it narrows
 * every row to those columns (setting another is then a no-op and reads
 * back as unknown); called again on a filled table, it keeps all cells. Returns 0, or -EINVAL after writing the
 * reason ("unknown column: FOO") into err. */
int table_select(struct table *t, const char *defaults, const struct out_opts *o, char *err,
		 size_t errlen);
/* Whether column c is shown or sorted on, and the union of the needs bits
 * of those columns: a scan reads only what these ask for. */
bool table_wants(const struct table *t, int c);
unsigned long table_needs(const struct table *t);
/* Sort by column c (numbers descending, text ascending), unless -x chose
 * another; used by tools with a natural order other than insertion. Call
 * it before adding rows: rows keep only the columns shown and sorted on. */
void table_default_sort(struct table *t, int c);
/* Among rows equal in the sort column, or both unknown there, sort by
 * column c (the same way), then in the order they came in. */
void table_tiebreak(struct table *t, int c);

/* Print only the first n rows after sorting (0: all). */
void table_limit(struct table *t, size_t n);

/* Flush standard output (a stream of rows, a report of several); the
 * errno of the first failed write is kept, for out_finish to name after
 * other calls have changed errno. Returns 0, or -1 once stdout failed. */
int out_flush(void);
int out_write_errno(void);
/* A command that waits for events as long as it is read (a follow, a
 * watch) polls out_pollfd() beside its own fds, and ends when out_gone()
 * says standard output's reader has left (a pipe's reader exited, a
 * socket shut, a terminal hung up): `| head -1` then ends it even when
 * no event would come to write. A file or a live reader never says so. */
struct pollfd out_pollfd(void);
bool out_gone(const struct pollfd *p);
/* The row indices in print order (sorted, reversed as o says); the caller
 * frees. For tools that do expensive reads only for the rows shown. */
size_t *table_order(const struct table *t, const struct out_opts *o);

/* Add a row and return its index; then set its cells. A string is copied. */
size_t table_add_row(struct table *t);
size_t table_rows(const struct table *t);
void table_set_num(struct table *t, size_t row, int c, int64_t v);
void table_set_size(struct table *t, size_t row, int c, uint64_t bytes);
void table_set_dur(struct table *t, size_t row, int c, double secs);
void table_set_float(struct table *t, size_t row, int c, double v);
void table_set_str(struct table *t, size_t row, int c, const char *s, size_t len);
void table_set_cstr(struct table *t, size_t row, int c, const char *s);
/* Make a cell unknown again (a sum with an unknown part). */
void table_set_unknown(struct table *t, size_t row, int c);
/* Read back a numeric cell (for tools that sum or filter after filling);
 * false when unknown. */
bool table_get_num(const struct table *t, size_t row, int c, int64_t *v);

/* Summary values about the whole output ("total": 212). The table prints
 * them as "label: value" lines after the rows; pairs as one final line;
 * JSON as top-level keys; prometheus as metrics; raw leaves them out. key is
 * lower case; label is for people. */
/* A NULL key makes a line for people only: printed in the table, left
 * out of every machine format (where an absent key says the same). */
void table_meta(struct table *t, const char *key, const char *label, enum col_type type,
		const char *help, int64_t num, double dbl, const char *str);

/* Write the table to stdout in o's format. Returns 0 (write errors are
 * caught at exit by out_finish()). */
int table_print(struct table *t, const struct out_opts *o);

/* Streaming: print rows from..nrows-1 in insertion order, flushed, for
 * commands that report events as they happen. The table format aligns
 * each column to the width of its header or table_stream_width's hint (a
 * value may push a line wider); a text column without a hint that is not
 * last takes 32. On a terminal, unless -w, such a column is cut to that
 * width and ends in "...", and a last CF_TRUNC column is cut to the
 * terminal, as table_print does. JSON is JSON Lines, one object a line;
 * the header (table, raw) comes before row 0. Summary values are not
 * printed. */
void table_stream(struct table *t, const struct out_opts *o, size_t from);
/* The width column c takes when streamed in the table format, if wider
 * than its header: events of varying width stay aligned. */
void table_stream_width(struct table *t, int c, size_t w);

/* Several tables as one report: JSON gets one object holding, in order,
 * each table's rows under its rows_key and its summary values; a table
 * made with a NULL rows_key is a record, whose one row gives its cells as
 * keys of their own. The other formats print the tables one after another
 * (a record only through here). Returns 0. */
int table_print_report(struct table *const *ts, size_t n, const struct out_opts *o);
/* The same for one report of a series: JSON Lines (the object on one
 * line), flushed. Returns 0. */
int table_stream_report(struct table *const *ts, size_t n, const struct out_opts *o);

/* -H: the column list (NAME TYPE PRIVILEGE MEANING) in o's format. */
int table_list_columns(const char *tool, const struct col *cols, size_t ncols,
		       const struct out_opts *o);

/* Formatting helpers the printer uses, shared for tools' own text lines. */
void fmt_size(char *buf, size_t size, uint64_t bytes);
void fmt_dur(char *buf, size_t size, double secs);

/* Terminal facts, decided once: stdout is a terminal, its width, colour. */
bool out_is_tty(void);
int out_term_width(void);
bool out_color(void);

#endif
