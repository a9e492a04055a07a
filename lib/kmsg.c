/* Kernel log records and the OOM killer's lines in them. Every field is
 * parsed from text a process name can reach into (COMM), so names are cut
 * at the LAST delimiter that can follow them, never the first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmsg.h"
#include "util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t kmsg_unescape(const char *in, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (in[i] == '\\' && i + 3 < len && in[i + 1] == 'x' &&
		    (hi = hexval(in[i + 2])) >= 0 && (lo = hexval(in[i + 3])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[n++] = in[i];
		}
	}
	out[n] = '\0';
	return n;
}

static void set_msg(struct kmsg_rec *rec, const char *text, size_t len)
{
	rec->msg = xmalloc(len + 1);
	rec->len = kmsg_unescape(text, len, rec->msg);
}

int kmsg_parse_record(const char *buf, size_t len, struct kmsg_rec *rec)
{
	const char *p = buf, *end = buf + len, *semi, *nl;
	uint64_t prio, seq, usec;
	char head[96];
	size_t hl;

	memset(rec, 0, sizeof(*rec));
	semi = memchr(buf, ';', len);
	if (!semi || (hl = (size_t)(semi - buf)) >= sizeof(head))
		return -EINVAL;
	memcpy(head, buf, hl);
	head[hl] = '\0';
	p = head;
	if (parse_u64(&p, &prio) < 0 || *p++ != ',' || parse_u64(&p, &seq) < 0 ||
	    *p++ != ',' || parse_u64(&p, &usec) < 0 || (*p != ',' && *p != '\0'))
		return -EINVAL;
	rec->facility = (int)(prio >> 3 & 0xffff);
	rec->level = (int)(prio & 7);
	rec->seq = seq;
	rec->have_mono = true;
	rec->mono = (double)usec / 1e6;
	p = semi + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	set_msg(rec, p, (size_t)((nl ? nl : end) - p));
	return 0;
}

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int month_of(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (!strncmp(s, months[i], 3))
			return i;
	return -1;
}

/* "Nov 25 19:00:00" at s into tm (year left alone). */
static bool parse_mdt(const char *s, struct tm *tm)
{
	int mon = month_of(s), d, h, m, sec, n = 0;

	if (mon < 0 || sscanf(s + 3, " %d %d:%d:%d%n", &d, &h, &m, &sec, &n) != 4)
		return false;
	tm->tm_mon = mon;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return true;
}

/* The " kernel: " of a journal line in [p, end), with the text before it
 * (the time stamp and host) copied NUL-terminated into head, or NULL. The
 * line need not end in a NUL, nor at a newline: all 9 bytes compared lie
 * before end (a match one byte short of it would put the text's start past
 * its end), and the time is read from the copy, as sscanf and strptime
 * read on to a NUL. */
static const char *kernel_tag(const char *p, const char *end, char *head, size_t size)
{
	for (const char *q = p; end - q >= 9; q++)
		if (!memcmp(q, " kernel: ", 9)) {
			if ((size_t)(q - p) >= size)
				return NULL;
			memcpy(head, p, (size_t)(q - p));
			head[q - p] = '\0';
			return q;
		}
	return NULL;
}

/* The "kern  :err   : " that `dmesg -x` puts first: the facility is 0 for
 * "kern", 1 for any other name (a user's line: not the kernel's); the
 * rest of the line is a dmesg line. Returns where that starts, or p. */
static const char *decoded_prefix(const char *p, const char *end, int *facility)
{
	const char *q = p, *name = p;
	size_t nlen;

	while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
		q++;
	nlen = (size_t)(q - name);
	if (!nlen || nlen > 8)
		return p;
	while (q < end && *q == ' ')
		q++;
	if (q == end || *q++ != ':')
		return p;
	if (q == end || *q < 'a' || *q > 'z')
		return p;
	while (q < end && *q >= 'a' && *q <= 'z')
		q++;
	while (q < end && *q == ' ')
		q++;
	if (end - q < 2 || q[0] != ':' || q[1] != ' ')
		return p;
	*facility = nlen == 4 && !memcmp(name, "kern", 4) ? 0 : 1;
	return q + 2;
}

int kmsg_parse_text(const char *line, size_t len, struct kmsg_rec *rec)
{
	char buf[128];
	const char *p = line, *end = line + len;
	struct tm tm;

	memset(rec, 0, sizeof(*rec));
	rec->facility = rec->level = -1;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--, end--;
	if (!len)
		return -EINVAL;
	p = decoded_prefix(p, end, &rec->facility);
	len = (size_t)(end - p);
	if (!len)
		return -EINVAL;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		size_t hl = close ? (size_t)(close - p - 1) : 0;

		if (close && hl < sizeof(buf)) {
			char *e;
			double secs;

			memcpy(buf, p + 1, hl);
			buf[hl] = '\0';
			secs = strtod(buf, &e);
			memset(&tm, 0, sizeof(tm));
			if (e != buf && (*e == '\0' || *e == ' ') && buf[strspn(buf, " 0123456789.")] == '\0') {
				rec->have_mono = true;
				rec->mono = secs;
				p = close + 1;
			} else if (hl > 8 && parse_mdt(buf + 4, &tm)) {
				/* dmesg -T: "Wed Nov 25 19:00:00 2026" */
				const char *y = buf + hl - 4;

				tm.tm_year = atoi(y) - 1900;
				tm.tm_isdst = -1;
				rec->have_wall = true;
				rec->wall = (double)mktime(&tm);
				p = close + 1;
			}
			while (p < end && *p == ' ')
				p++;
		}
	} else if (len > 20 && p[4] == '-' && p[7] == '-' && p[10] == 'T') {
		/* journalctl -o short-iso: "2026-11-25T18:30:05+0000 host kernel: ..." */
		const char *k = kernel_tag(p, end, buf, sizeof(buf));

		memset(&tm, 0, sizeof(tm));
		if (k && strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm)) {
			tm.tm_isdst = -1;
			rec->have_wall = true;
			rec->wall = (double)mktime(&tm);
			p = k + 9;
		}
	} else if (len > 16 && month_of(p) >= 0) {
		/* journalctl -k: "Nov 25 19:00:00 host kernel: text" */
		const char *k = kernel_tag(p, end, buf, sizeof(buf));
		time_t now = time(NULL);
		struct tm nowtm;

		memset(&tm, 0, sizeof(tm));
		if (k && parse_mdt(buf, &tm)) {
			localtime_r(&now, &nowtm);
			tm.tm_year = nowtm.tm_year;
			tm.tm_isdst = -1;
			rec->have_wall = true;
			rec->wall = (double)mktime(&tm);
			/* A December line read in January is last year's. */
			if (rec->wall > (double)now + 86400) {
				tm.tm_year--;
				rec->wall = (double)mktime(&tm);
			}
			p = k + 9;
		}
	}
	set_msg(rec, p, (size_t)(end - p));
	return 0;
}

/* ---- the OOM killer's lines ---- */

static void queue(struct oom_parser *p, const struct oom_event *ev)
{
	if (p->ndone == p->capdone) {
		p->capdone = p->capdone ? p->capdone * 2 : 8;
		p->done = xreallocarray(p->done, p->capdone, sizeof(*p->done));
	}
	p->done[p->ndone++] = *ev;
}

static void finish(struct oom_parser *p)
{
	if (p->pending) {
		queue(p, &p->cur);
		if (!p->in_group) {
			p->last = p->cur;
			p->have_last = true;
		}
		/* The invoker belongs to this kill only: a later kill logged
		 * without its own "invoked" line has none. */
		p->invoker[0] = '\0';
		p->invoker_len = 0;
	}
	p->pending = false;
}

static void start(struct oom_parser *p, const struct kmsg_rec *rec)
{
	struct oom_event *ev = &p->cur;

	finish(p);
	memset(ev, 0, sizeof(*ev));
	ev->total_vm = ev->anon_rss = ev->file_rss = ev->shmem_rss = ev->pgtables = -1;
	ev->have_mono = rec->have_mono;
	ev->mono = rec->mono;
	ev->have_wall = rec->have_wall;
	ev->wall = rec->wall;
	memcpy(ev->invoker, p->invoker, sizeof(ev->invoker));
	ev->invoker_len = p->invoker_len;
	/* A member of a group kill: the OOM is its report's, and its
	 * cgroup the one killed as a whole (it may sit below it). */
	if (p->in_group && p->have_last) {
		memcpy(ev->invoker, p->last.invoker, sizeof(ev->invoker));
		ev->invoker_len = p->last.invoker_len;
		memcpy(ev->constraint, p->last.constraint, sizeof(ev->constraint));
		memcpy(ev->cgroup, p->group, sizeof(ev->cgroup));
		ev->group = true;
	}
	p->pending = true;
}

static void set_comm(struct oom_event *ev, const char *s, size_t n)
{
	if (n >= sizeof(ev->comm))
		n = sizeof(ev->comm) - 1;
	memcpy(ev->comm, s, n);
	ev->comm[n] = '\0';
	ev->comm_len = n;
}

/* Find the last occurrence of needle in [s, s+n). */
static const char *last_of(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	const char *found = NULL;

	for (size_t i = 0; i + nl <= n; i++)
		if (!memcmp(s + i, needle, nl))
			found = s + i;
	return found;
}

static const char *find(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= n; i++)
		if (!memcmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

/* The number after key ("anon-rss:") in [s, end), in kB -> bytes. */
static int64_t kb_after(const char *s, const char *end, const char *key)
{
	const char *k = find(s, (size_t)(end - s), key);
	char num[24];
	size_t n = 0;
	uint64_t v;

	if (!k)
		return -1;
	for (k += strlen(key); k < end && *k >= '0' && *k <= '9' && n < sizeof(num) - 1; k++)
		num[n++] = *k;
	num[n] = '\0';
	/* The unit must follow: a line cut short in the number ("anon-rss:29"
	 * of "anon-rss:2900412kB") gives an unknown size, not a small one. */
	if (!n || end - k < 2 || memcmp(k, "kB", 2) || parse_u64_str(num, &v) < 0 ||
	    v > INT64_MAX / 1024)
		return -1;
	return (int64_t)v * 1024;
}

static bool int_after(const char *s, const char *end, const char *key, int64_t *out)
{
	const char *k = find(s, (size_t)(end - s), key);
	char num[24];
	size_t n = 0;

	if (!k)
		return false;
	k += strlen(key);
	if (k < end && *k == '-')
		num[n++] = *k++;
	for (; k < end && *k >= '0' && *k <= '9' && n < sizeof(num) - 1; k++)
		num[n++] = *k;
	num[n] = '\0';
	return parse_i64_str(num, out) == 0;
}

/* "Killed process N (comm) total-vm:..." or "Kill process N (comm) score
 * S or sacrifice child": pid and comm, the comm ending at the LAST ") "
 * that precedes what the kernel writes after it. */
static bool parse_process(const char *s, const char *end, const char *tail, pid_t *pid,
			  struct oom_event *ev)
{
	const char *open, *close;
	int64_t v;

	if (!int_after(s, end, "process ", &v) || v <= 0 || v > 0x7fffffff)
		return false;
	*pid = (pid_t)v;
	open = find(s, (size_t)(end - s), " (");
	close = last_of(s, (size_t)(end - s), tail);
	if (open && close && close > open + 1)
		set_comm(ev, open + 2, (size_t)(close - open - 2));
	return true;
}

static void parse_oom_kill_line(struct oom_parser *p, const struct kmsg_rec *rec)
{
	const char *s = rec->msg, *end = rec->msg + rec->len, *t, *pidk, *q;
	struct oom_event *ev;
	int64_t v;

	start(p, rec);
	ev = &p->cur;
	if ((t = find(s, (size_t)(end - s), "constraint=CONSTRAINT_"))) {
		/* Only the kernel's names (oom_constraint_text): whatever else
		 * stands there, a line cut short or garbled ("CONSTRAINT_ME",
		 * "CONSTRAINT_ oom-kill:..."), is an unknown constraint, not
		 * one spelled from the bytes that happen to follow. */
		static const char *const names[][2] = {
			{ "NONE", "none" }, { "CPUSET", "cpuset" },
			{ "MEMORY_POLICY", "mempolicy" }, { "MEMCG", "memcg" },
		};
		size_t n;

		t += strlen("constraint=CONSTRAINT_");
		for (n = 0; t + n < end && t[n] != ','; n++)
			;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (n == strlen(names[i][0]) && !memcmp(t, names[i][0], n))
				snprintf(ev->constraint, sizeof(ev->constraint), "%s", names[i][1]);
	}
	/* ...,task_memcg=PATH,task=COMM,pid=N,uid=U. A process names itself,
	 * so COMM may hold ",task=" or ",pid=": the task field starts at the
	 * first ",task=" after the memcg and ends at the last ",pid=". */
	t = find(s, (size_t)(end - s), "task_memcg=");
	if (t)
		t += strlen("task_memcg=");
	else if ((t = find(s, (size_t)(end - s), "oom_memcg=")))
		t += strlen("oom_memcg=");
	q = t ? find(t, (size_t)(end - t), ",task=") : NULL;
	if (t && q && (size_t)(q - t) < sizeof(ev->cgroup)) {
		memcpy(ev->cgroup, t, (size_t)(q - t));
		ev->cgroup[q - t] = '\0';
	}
	t = q ? q : find(s, (size_t)(end - s), ",task=");
	pidk = last_of(s, (size_t)(end - s), ",pid=");
	if (t && pidk && pidk > t) {
		t += strlen(",task=");
		set_comm(ev, t, (size_t)(pidk - t));
		if (int_after(pidk, end, ",pid=", &v) && v > 0 && v <= 0x7fffffff)
			ev->pid = (pid_t)v;
		if (int_after(pidk, end, ",uid=", &v) && v >= 0 && v <= 0xffffffff) {
			ev->have_uid = true;
			ev->uid = (uid_t)v;
		}
	}
}

static void parse_killed_line(struct oom_parser *p, const struct kmsg_rec *rec)
{
	const char *s = rec->msg, *end = rec->msg + rec->len, *fields;
	struct oom_event tmp;
	pid_t pid;
	int64_t v;

	memset(&tmp, 0, sizeof(tmp));
	if (!parse_process(s, end, ") total-vm:", &pid, &tmp))
		return;
	/* The numbers come after the name, which a process chooses: search
	 * them only past the last ") total-vm:", or a process called
	 * "anon-rss:999999kB" would forge its own record. */
	fields = last_of(s, (size_t)(end - s), ") total-vm:");
	/* The kernel's walk of a memory.oom.group cgroup does not skip the
	 * victim it has just killed: its second Killed line (memory freed by
	 * then) is not a second kill. */
	if (p->in_group && p->have_last && pid == p->last.pid)
		return;
	/* The line that completes the kill announced by oom-kill: (or by
	 * the older "Kill process ... or sacrifice child"). */
	if (!p->pending || p->cur.pid != pid)
		start(p, rec), p->cur.pid = pid;
	s = fields ? fields + 1 : rec->msg;
	if (tmp.comm_len)
		set_comm(&p->cur, tmp.comm, tmp.comm_len);
	p->cur.total_vm = kb_after(s, end, "total-vm:");
	p->cur.anon_rss = kb_after(s, end, "anon-rss:");
	p->cur.file_rss = kb_after(s, end, "file-rss:");
	p->cur.shmem_rss = kb_after(s, end, "shmem-rss:");
	p->cur.pgtables = kb_after(s, end, "pgtables:");
	if (int_after(s, end, "UID:", &v) && v >= 0 && v <= 0xffffffff) {
		p->cur.have_uid = true;
		p->cur.uid = (uid_t)v;
	}
	if (int_after(s, end, "oom_score_adj:", &v) && v >= -1000 && v <= 1000) {
		p->cur.have_adj = true;
		p->cur.adj = (int)v;
	}
	if (!p->cur.constraint[0] && !strncmp(rec->msg, "Memory cgroup out of memory", 27))
		snprintf(p->cur.constraint, sizeof(p->cur.constraint), "memcg");
	else if (!p->cur.constraint[0] && !strncmp(rec->msg, "Out of memory", 13))
		snprintf(p->cur.constraint, sizeof(p->cur.constraint), "none");
	finish(p);
}

/* The line between a group's first kill and the others (since 4.19). */
#define GROUP_TAIL " are going to be killed due to memory.oom.group set"

void oom_feed(struct oom_parser *p, const struct kmsg_rec *rec)
{
	const char *s = rec->msg, *end = rec->msg + rec->len, *k;

	/* Only the kernel writes facility 0; /dev/kmsg gives a user's lines
	 * facility 1 or more. Saved text says nothing (-1). */
	if (rec->facility > 0)
		return;
	if ((k = last_of(s, rec->len, " invoked oom-killer:"))) {
		size_t n = (size_t)(k - s);

		finish(p);
		p->in_group = p->have_last = false;
		if (n >= sizeof(p->invoker))
			n = sizeof(p->invoker) - 1;
		memcpy(p->invoker, s, n);
		p->invoker[n] = '\0';
		p->invoker_len = n;
	} else if (!strncmp(s, "oom-kill:", 9)) {
		p->in_group = false;
		parse_oom_kill_line(p, rec);
	} else if (!strncmp(s, "Tasks in ", 9) &&
		   (k = last_of(s, rec->len, GROUP_TAIL)) && k + strlen(GROUP_TAIL) == end &&
		   k > s + 9) {
		size_t n = (size_t)(k - (s + 9));

		finish(p);
		if (n >= sizeof(p->group))
			n = sizeof(p->group) - 1;
		memcpy(p->group, s + 9, n);
		p->group[n] = '\0';
		p->in_group = true;
	} else if (find(s, rec->len, "Killed process ") &&
		   find(s, rec->len, ") total-vm:")) {
		parse_killed_line(p, rec);
	} else if ((k = find(s, rec->len, "Kill process ")) &&
		   last_of(s, rec->len, " or sacrifice child")) {
		/* Before 4.19: "Out of memory: Kill process N (comm) score S or
		 * sacrifice child"; the Killed line follows. */
		struct oom_event tmp;
		pid_t pid;

		memset(&tmp, 0, sizeof(tmp));
		if (parse_process(k, end, ") score ", &pid, &tmp)) {
			/* 4.19 to 5.0 log the oom-kill: line first: this
			 * line is the same kill's, not a new one. */
			if (!p->pending || p->cur.pid != pid)
				start(p, rec);
			p->cur.pid = pid;
			set_comm(&p->cur, tmp.comm, tmp.comm_len);
			if (find(s, rec->len, "Memory cgroup out of memory"))
				snprintf(p->cur.constraint, sizeof(p->cur.constraint), "memcg");
			else if (!strncmp(s, "Out of memory", 13))
				snprintf(p->cur.constraint, sizeof(p->cur.constraint), "none");
		}
	}
}

void oom_flush(struct oom_parser *p)
{
	finish(p);
}

bool oom_pop(struct oom_parser *p, struct oom_event *ev)
{
	if (!p->ndone)
		return false;
	*ev = p->done[0];
	memmove(p->done, p->done + 1, (p->ndone - 1) * sizeof(*p->done));
	p->ndone--;
	return true;
}

void oom_parser_free(struct oom_parser *p)
{
	free(p->done);
	p->done = NULL;
	p->ndone = p->capdone = 0;
}
