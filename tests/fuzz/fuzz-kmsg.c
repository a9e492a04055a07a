/* Fuzz the kernel log parsers: kmsg_unescape, kmsg_parse_text on every line
 * of the input, kmsg_parse_record on every /dev/kmsg record of it (a line
 * and the " KEY=VAL" lines after it), and the OOM report parser fed with
 * what each of them gives, then flushed and emptied.
 *
 * Every line and record is handed over in a buffer of exactly its length,
 * without a NUL after it, as the (buf, len) contracts allow: a read past
 * len is an AddressSanitizer report.
 *
 * Invariants: kmsg_unescape agrees with a plain reading of the kernel's
 * \xHH escapes and NUL-terminates; a parsed message is NUL-terminated at
 * len and no longer than its text; levels and facilities in range (-1 from
 * text); times finite and not negative. Every OOM event: pid 0 (unknown)
 * or positive, comm, invoker and cgroup NUL-terminated at their lengths and
 * found in some message fed (nothing made up), sizes -1 or a number of kB
 * written in some message with its unit (a line cut short in a number
 * gives no size), no uid or adj without its flag, adj in -1000..1000, a
 * known constraint or none; no more events than messages; and /dev/kmsg
 * records from user space (facility 1 and up) never make an event. */
#include <errno.h>
#include <math.h>

#include "fuzz.h"
#include "kmsg.h"

struct seen {
	char **msg;
	size_t *len;
	size_t n, cap;
};

static void remember(struct seen *s, const struct kmsg_rec *rec)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->msg = realloc(s->msg, s->cap * sizeof(*s->msg));
		s->len = realloc(s->len, s->cap * sizeof(*s->len));
		if (!s->msg || !s->len)
			abort();
	}
	s->msg[s->n] = malloc(rec->len + 1);
	if (!s->msg[s->n])
		abort();
	memcpy(s->msg[s->n], rec->msg, rec->len + 1);
	s->len[s->n++] = rec->len;
}

static bool in_some_msg(const struct seen *s, const char *str, size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (memmem(s->msg[i], s->len[i], str, n))
			return true;
	return false;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->msg[i]);
	free(s->msg);
	free(s->len);
}

static int hex(unsigned char c)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	const char *d = c ? strchr(digits, c) : NULL;

	return d ? (int)((d - digits) % 16) : -1;
}

static void check_unescape(const char *in, size_t len)
{
	char *out = malloc(len + 1);
	size_t n, j = 0;

	if (!out)
		abort();
	n = kmsg_unescape(in, len, out);
	FUZZ_ASSERT(n <= len);
	FUZZ_ASSERT(out[n] == '\0');
	for (size_t i = 0; i < len; i++, j++) {
		FUZZ_ASSERT(j < n);
		if (in[i] == '\\' && i + 3 < len && in[i + 1] == 'x' &&
		    hex((unsigned char)in[i + 2]) >= 0 && hex((unsigned char)in[i + 3]) >= 0) {
			FUZZ_ASSERT((unsigned char)out[j] ==
				    hex((unsigned char)in[i + 2]) * 16 + hex((unsigned char)in[i + 3]));
			i += 3;
		} else {
			FUZZ_ASSERT(out[j] == in[i]);
		}
	}
	FUZZ_ASSERT(j == n);
	free(out);
}

static void check_rec(const struct kmsg_rec *rec, size_t len, bool from_text)
{
	FUZZ_ASSERT(rec->msg);
	FUZZ_ASSERT(rec->len <= len);
	FUZZ_ASSERT(rec->msg[rec->len] == '\0');
	if (from_text) {
		/* Unknown, or from a dmesg -x prefix: kern (0) or not (1). */
		FUZZ_ASSERT(rec->facility >= -1 && rec->facility <= 1 && rec->level == -1);
	} else {
		FUZZ_ASSERT(rec->level >= 0 && rec->level <= 7);
		FUZZ_ASSERT(rec->facility >= 0 && rec->facility <= 0xffff);
		FUZZ_ASSERT(rec->have_mono && !rec->have_wall);
	}
	if (rec->have_mono)
		FUZZ_ASSERT(isfinite(rec->mono) && rec->mono >= 0);
	else
		FUZZ_ASSERT(rec->mono == 0);
	if (rec->have_wall)
		FUZZ_ASSERT(isfinite(rec->wall));
	else
		FUZZ_ASSERT(rec->wall == 0);
}

static bool nul_at(const char *s, size_t size, size_t len)
{
	return len < size && s[len] == '\0';
}

static void check_events(struct oom_parser *p, const struct seen *s, size_t fed)
{
	static const char *const constraints[] = { "", "memcg", "none", "cpuset", "mempolicy" };
	struct oom_event ev;
	size_t n = 0;

	oom_flush(p);
	FUZZ_ASSERT(!p->pending);
	FUZZ_ASSERT(p->ndone <= fed);
	while (oom_pop(p, &ev)) {
		bool known = false;
		const int64_t sizes[] = { ev.total_vm, ev.anon_rss, ev.file_rss, ev.shmem_rss,
					  ev.pgtables };

		n++;
		FUZZ_ASSERT(ev.pid >= 0);
		FUZZ_ASSERT(nul_at(ev.comm, sizeof(ev.comm), ev.comm_len));
		FUZZ_ASSERT(nul_at(ev.invoker, sizeof(ev.invoker), ev.invoker_len));
		FUZZ_ASSERT(memchr(ev.cgroup, '\0', sizeof(ev.cgroup)));
		FUZZ_ASSERT(memchr(ev.constraint, '\0', sizeof(ev.constraint)));
		/* A name the parser reports was written in the log. */
		if (ev.comm_len)
			FUZZ_ASSERT(in_some_msg(s, ev.comm, ev.comm_len));
		if (ev.invoker_len)
			FUZZ_ASSERT(in_some_msg(s, ev.invoker, ev.invoker_len));
		if (ev.cgroup[0])
			FUZZ_ASSERT(in_some_msg(s, ev.cgroup, strlen(ev.cgroup)));
		for (size_t i = 0; i < sizeof(constraints) / sizeof(constraints[0]); i++)
			known |= !strcmp(ev.constraint, constraints[i]);
		FUZZ_ASSERT(known);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			char kb[32];
			int w;

			FUZZ_ASSERT(sizes[i] == -1 || (sizes[i] >= 0 && sizes[i] % 1024 == 0));
			/* A size is a number of kB the log wrote, with its unit. */
			w = snprintf(kb, sizeof(kb), "%lldkB", (long long)(sizes[i] / 1024));
			if (sizes[i] >= 0)
				FUZZ_ASSERT(in_some_msg(s, kb, (size_t)w));
		}
		if (!ev.have_uid)
			FUZZ_ASSERT(ev.uid == 0);
		if (ev.have_adj)
			FUZZ_ASSERT(ev.adj >= -1000 && ev.adj <= 1000);
		else
			FUZZ_ASSERT(ev.adj == 0);
		if (ev.have_mono)
			FUZZ_ASSERT(isfinite(ev.mono) && ev.mono >= 0);
		if (ev.have_wall)
			FUZZ_ASSERT(isfinite(ev.wall));
	}
	FUZZ_ASSERT(n <= fed);
	FUZZ_ASSERT(p->ndone == 0);
	FUZZ_ASSERT(!oom_pop(p, &ev));
	oom_parser_free(p);
}

/* A malloc'd copy of n bytes with nothing after them. */
static char *exact(const char *s, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (!c)
		abort();
	memcpy(c, s, n);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	const char *p = buf, *end = buf + size;
	struct oom_parser text = { 0 }, kmsg = { 0 }, user = { 0 };
	struct seen text_seen = { 0 }, kmsg_seen = { 0 };
	size_t text_fed = 0, kmsg_fed = 0;

	check_unescape(buf, size);

	/* Saved text: one message a line. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char *line = exact(p, n);
		struct kmsg_rec rec;
		int r = kmsg_parse_text(line, n, &rec);

		FUZZ_ASSERT(r == 0 || r == -EINVAL);
		if (r == 0) {
			check_rec(&rec, n, true);
			remember(&text_seen, &rec);
			oom_feed(&text, &rec);
			text_fed++;
			free(rec.msg);
		} else {
			FUZZ_ASSERT(!rec.msg);
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	check_events(&text, &text_seen, text_fed);

	/* /dev/kmsg: a record is a line and the continuation lines (starting
	 * with a space) after it, each read whole with its newlines. */
	for (p = buf; p < end;) {
		const char *q = p, *nl;
		size_t n;
		char *rbuf;
		struct kmsg_rec rec;
		int r;

		while ((nl = memchr(q, '\n', (size_t)(end - q))) && nl + 1 < end && nl[1] == ' ')
			q = nl + 1;
		n = (size_t)((nl ? nl + 1 : end) - p);
		rbuf = exact(p, n);
		r = kmsg_parse_record(rbuf, n, &rec);
		FUZZ_ASSERT(r == 0 || r == -EINVAL);
		if (r == 0) {
			check_rec(&rec, n, false);
			if (rec.facility == 0) {
				remember(&kmsg_seen, &rec);
				kmsg_fed++;
			}
			oom_feed(&kmsg, &rec);
			/* The same text from user space is ignored. */
			rec.facility = 1 + rec.facility;
			oom_feed(&user, &rec);
			free(rec.msg);
		} else {
			FUZZ_ASSERT(!rec.msg);
		}
		free(rbuf);
		p += n;
	}
	check_events(&kmsg, &kmsg_seen, kmsg_fed);
	check_events(&user, &kmsg_seen, 0);

	seen_free(&text_seen);
	seen_free(&kmsg_seen);
	free(buf);
	return 0;
}
