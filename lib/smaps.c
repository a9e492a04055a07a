/* Parsers of smaps_rollup and smaps, and what each mapping is for. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/stat.h>	/* struct statx: musl has no statx() */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "smaps.h"
#include "util.h"

#ifndef AT_STATX_DONT_SYNC
#define AT_STATX_DONT_SYNC 0x4000
#endif

struct counter_key {
	const char *key;
	unsigned char klen;
	unsigned bit;
	unsigned short off;
};

#define CK(k, bit, f) { k, sizeof(k) - 1, bit, offsetof(struct mem_counters, f) }

static const struct counter_key counter_keys[] = {
	CK("Size", SMF_SIZE, size),
	CK("Rss", SMF_RSS, rss),
	CK("Pss", SMF_PSS, pss),
	CK("Pss_Dirty", SMF_PSS_DIRTY, pss_dirty),
	CK("Pss_Anon", SMF_PSS_ANON, pss_anon),
	CK("Pss_File", SMF_PSS_FILE, pss_file),
	CK("Pss_Shmem", SMF_PSS_SHMEM, pss_shmem),
	CK("Shared_Clean", SMF_SHARED_CLEAN, shared_clean),
	CK("Shared_Dirty", SMF_SHARED_DIRTY, shared_dirty),
	CK("Private_Clean", SMF_PRIVATE_CLEAN, private_clean),
	CK("Private_Dirty", SMF_PRIVATE_DIRTY, private_dirty),
	CK("Referenced", SMF_REFERENCED, referenced),
	CK("Anonymous", SMF_ANONYMOUS, anonymous),
	CK("LazyFree", SMF_LAZYFREE, lazyfree),
	CK("AnonHugePages", SMF_ANON_HUGE, anon_huge),
	CK("Shared_Hugetlb", SMF_SHARED_HUGETLB, shared_hugetlb),
	CK("Private_Hugetlb", SMF_PRIVATE_HUGETLB, private_hugetlb),
	CK("Swap", SMF_SWAP, swap),
	CK("SwapPss", SMF_SWAP_PSS, swap_pss),
	CK("Locked", SMF_LOCKED, locked),
};

/* One "Key: N kB" line into mc. The keys come in the kernel's order, so the
 * search starts at *hint (the one after the last match) and wraps. */
static int counter_line(const char *line, size_t len, struct mem_counters *mc, size_t *hint)
{
	const struct counter_key *next = &counter_keys[*hint % ARRAY_SIZE(counter_keys)];
	const char *colon, *p, *end = line + len;
	size_t klen, nkeys = ARRAY_SIZE(counter_keys);
	uint64_t v;

	/* Most lines are the key expected next: no search for the colon. */
	if (len > next->klen && line[next->klen] == ':')
		colon = line + next->klen;
	else if (!(colon = memchr(line, ':', len)))
		return 0;
	klen = (size_t)(colon - line);
	for (size_t n = 0, i = *hint % nkeys; n < nkeys; n++, i = (i + 1) % nkeys) {
		const struct counter_key *k = &counter_keys[i];
		uint64_t *dst = (uint64_t *)((char *)mc + k->off);

		if (k->klen != klen || memcmp(k->key, line, klen))
			continue;
		*hint = i + 1;
		for (p = colon + 1; p < end && *p == ' '; p++)
			;
		if (parse_u64_n(&p, end, &v) < 0 || end - p != 3 || memcmp(p, " kB", 3) ||
		    mul_overflows(v, 1024, &v))
			return -EINVAL;
		/* Values add up: a rollup has each key once, and summing
		 * mappings is what a total is. */
		if (add_overflows(*dst, v, dst))
			return -EINVAL;
		mc->has |= k->bit;
		return 1;
	}
	return 0;
}

int smaps_rollup_parse(const char *buf, size_t len, struct mem_counters *mc)
{
	const char *p = buf, *end = buf + len;
	size_t hint = 0;

	memset(mc, 0, sizeof(*mc));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;

		if (counter_line(p, (size_t)(lend - p), mc, &hint) < 0)
			return -EINVAL;
		p = nl ? nl + 1 : end;
	}
	return (mc->has & SMF_RSS) && (mc->has & SMF_PSS) ? 0 : -EINVAL;
}

int smaps_rollup_read(struct pidh *h, struct mem_counters *mc)
{
	/* One record (some 700 bytes), produced whole by the first read. */
	char buf[4096];
	ssize_t n = pidh_read(h, "smaps_rollup", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;	/* a kernel thread or a zombie: no mm */
	return smaps_rollup_parse(buf, (size_t)n, mc);
}

/* ---- /proc/PID/smaps: one block per mapping ---- */

/* 1 GiB of text is some 4 million mappings, far past any max_map_count
 * in use; a bigger file is not smaps. */
#define SMAPS_CAP ((size_t)1 << 30)

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

/* A hex number at *p (before end): at least one digit, at most 16. */
static bool parse_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int d, n = 0;

	while (s < end && (d = hexval(*s)) >= 0) {
		if (++n > 16)
			return false;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (!n)
		return false;
	*out = v;
	*p = s;
	return true;
}

static bool parse_dec(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s == end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++)
		if (mul_overflows(v, 10, &v) || add_overflows(v, (uint64_t)(*s - '0'), &v))
			return false;
	*out = v;
	*p = s;
	return true;
}

/* Parse a header line "start-end perms offset major:minor inode" into m.
 * Returns a pointer just past the inode (at the end or at the space before
 * the name), or NULL when the line does not have that shape. */
static const char *parse_header(const char *p, const char *end, struct mapping *m)
{
	static const char allowed[4][2] = { { 'r', '-' }, { 'w', '-' }, { 'x', '-' },
					     { 's', 'p' } };
	uint64_t maj, min;

	if (!parse_hex(&p, end, &m->start) || p == end || *p++ != '-' ||
	    !parse_hex(&p, end, &m->end) || m->end <= m->start || p == end || *p++ != ' ')
		return NULL;
	if (end - p < 5)
		return NULL;
	for (int i = 0; i < 4; i++) {
		if (p[i] != allowed[i][0] && p[i] != allowed[i][1])
			return NULL;
		m->perms[i] = p[i];
	}
	m->perms[4] = '\0';
	p += 4;
	if (*p++ != ' ' || !parse_hex(&p, end, &m->offset) || p == end || *p++ != ' ' ||
	    !parse_hex(&p, end, &maj) || p == end || *p++ != ':' || !parse_hex(&p, end, &min) ||
	    maj > 0xffffffffu || min > 0xffffffffu || p == end || *p++ != ' ' ||
	    !parse_dec(&p, end, &m->inode))
		return NULL;
	if (p != end && *p != ' ')
		return NULL;
	m->dev_major = (unsigned)maj;
	m->dev_minor = (unsigned)min;
	return p;
}

/* The name is the rest of the line after the inode and its padding: it
 * may hold spaces. The kernel escapes only a newline in it, as the octal
 * \012 (seq_file_path with "\n"), and appends " (deleted)" when the file
 * was unlinked. A literal backslash is not escaped, so a name that really
 * holds the four bytes \012 reads as a newline: the kernel's text cannot
 * tell them apart. */
static void set_name(struct mapping *m, struct sbuf *name, const char *p, const char *end)
{
	static const char del[] = " (deleted)";
	const size_t dlen = sizeof(del) - 1;

	while (p < end && *p == ' ')
		p++;
	sbuf_reset(name);
	m->path = NULL;
	m->path_len = 0;
	m->deleted = false;
	if (p == end)
		return;
	if ((size_t)(end - p) > dlen && !memcmp(end - dlen, del, dlen)) {
		m->deleted = true;
		end -= dlen;
	}
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));

		if (!bs) {
			sbuf_addn(name, p, (size_t)(end - p));
			break;
		}
		sbuf_addn(name, p, (size_t)(bs - p));
		if (end - bs >= 4 && !memcmp(bs, "\\012", 4)) {
			sbuf_addc(name, '\n');
			p = bs + 4;
		} else {
			sbuf_addc(name, '\\');
			p = bs + 1;
		}
	}
	/* The kernel never writes a NUL; a saved file might. The name ends
	 * there, so that it is one C string, and the mapping is suspect. */
	if (name->s && memchr(name->s, '\0', name->len)) {
		name->len = strlen(name->s);
		m->malformed = true;
	}
	if (!name->len) {
		m->deleted = false;
		return;
	}
	m->path = name->s;
	m->path_len = name->len;
}

/* "Key:" with a key of letters, digits and '_': a counter line's shape. */
static bool key_line(const char *p, const char *end, size_t *klen)
{
	const char *s = p;

	if (s == end || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return false;
	while (s < end && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			   (*s >= '0' && *s <= '9') || *s == '_'))
		s++;
	if (s == end || *s != ':')
		return false;
	*klen = (size_t)(s - p);
	return true;
}

static bool skipped_key(const char *p, size_t klen)
{
	static const char *const skip[] = { "VmFlags", "THPeligible", "ProtectionKey" };

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
		if (strlen(skip[i]) == klen && !memcmp(skip[i], p, klen))
			return true;
	return false;
}

int smaps_parse(const char *buf, size_t len, smaps_fn fn, void *ctx)
{
	const char *p = buf, *end = buf + len;
	struct sbuf name = { 0 };
	struct mapping m, next;
	size_t hint = 0;
	bool have = false;
	int r = 0;

	memset(&m, 0, sizeof(m));
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *after;
		size_t klen;

		memset(&next, 0, sizeof(next));
		if (lend == p) {
			/* An empty line: not in the kernel's text; harmless. */
		} else if ((after = parse_header(p, lend, &next)) != NULL) {
			/* The block before is complete: hand it over, then
			 * decode this name into the (now free) buffer. */
			if (have)
				r = fn(&m, ctx);
			m = next;
			set_name(&m, &name, after, lend);
			have = true;
		} else if (!have) {
			r = -EINVAL;
		} else if (key_line(p, lend, &klen)) {
			if (!skipped_key(p, klen) &&
			    counter_line(p, (size_t)(lend - p), &m.c, &hint) < 0)
				m.malformed = true;
		} else {
			m.malformed = true;
		}
		p = nl ? nl + 1 : end;
	}
	if (r == 0 && have)
		r = fn(&m, ctx);
	sbuf_free(&name);
	return r;
}

int smaps_read(struct pidh *h, smaps_fn fn, void *ctx)
{
	char *buf = NULL;
	bool truncated = false;
	ssize_t n = pidh_read_alloc(h, "smaps", SMAPS_CAP, &buf, &truncated);
	int r;

	if (n < 0)
		return (int)n;
	r = truncated ? -EFBIG : smaps_parse(buf, (size_t)n, fn, ctx);
	free(buf);
	return r;
}

int smaps_read_deadline(struct pidh *h, double timeout, smaps_fn fn, void *ctx)
{
	char *text = NULL;
	bool trunc = false;
	ssize_t n = pidh_read_deadline(h, "smaps", SMAPS_CAP, timeout, &text, &trunc);
	int r;

	if (n < 0)
		return (int)n;
	r = trunc ? -EFBIG : smaps_parse(text, (size_t)n, fn, ctx);
	free(text);
	return r;
}

/* ---- what a mapping is for ---- */

static const char *const kind_names[MK_NKINDS] = {
	[MK_TEXT] = "text", [MK_DATA] = "data", [MK_BSS] = "bss", [MK_HEAP] = "heap",
	[MK_STACK] = "stack", [MK_ANON] = "anon", [MK_FILE] = "file", [MK_LIB] = "lib",
	[MK_SHM] = "shm", [MK_VDSO] = "vdso", [MK_VVAR] = "vvar", [MK_VSYSCALL] = "vsyscall",
	[MK_OTHER] = "other",
};

const char *map_kind_name(enum map_kind k)
{
	return (unsigned)k < MK_NKINDS ? kind_names[k] : "other";
}

int smaps_exe_read(struct pidh *h, struct map_exe *e)
{
	static const char del[] = " (deleted)";
	const size_t dlen = sizeof(del) - 1;
	int dfd = pidh_dirfd(h), r = 0;
	struct statx st;
	ssize_t n;

	memset(e, 0, sizeof(*e));
	if (dfd < 0)
		return dfd;
	n = readlinkat(dfd, "exe", e->path, sizeof(e->path) - 1);
	if (n > 0) {
		e->path[n] = '\0';
		/* A binary replaced under a running daemon: smaps names it the
		 * same way, and smaps_parse takes the suffix off there too. */
		if ((size_t)n > dlen && !strcmp(e->path + n - dlen, del))
			e->path[n - dlen] = '\0';
		e->have_path = true;
	} else {
		r = procfs_errno(n < 0 ? errno : ENOENT);
	}
	/* The file itself, for when the names differ (an overlay, another
	 * mount namespace); in a saved tree the link leads to this host's
	 * file, not the one that ran. What the kernel has cached, without
	 * asking the filesystem: a hung NFS or FUSE server would hold a
	 * plain stat in D for good, the tool with it. */
	if (!h->pf->alternate &&
	    syscall(SYS_statx, dfd, "exe", AT_STATX_DONT_SYNC, STATX_INO, &st) == 0 &&
	    (st.stx_mask & STATX_INO)) {
		e->have_id = true;
		e->inode = st.stx_ino;
		e->major = st.stx_dev_major;
		e->minor = st.stx_dev_minor;
	}
	return e->have_path || e->have_id ? 0 : r;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool is_lib(const char *path)
{
	static const char *const dirs[] = {
		"/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/", "/usr/lib32/",
		"/usr/lib64/", "/usr/libx32/", "/usr/local/lib/", "/usr/local/lib64/",
	};
	const char *base = strrchr(path, '/');

	for (const char *p = base ? base : path; (p = strstr(p, ".so")) != NULL; p += 3)
		if (p[3] == '\0' || (p[3] == '.' && p[4] >= '0' && p[4] <= '9'))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (has_prefix(path, dirs[i]))
			return true;
	return false;
}

static bool is_exe(const struct mapping *m, const struct map_exe *e, const char *first)
{
	if (!m->path || m->path[0] != '/')
		return false;
	if (e->have_path)
		return !strcmp(m->path, e->path) ||
		       (e->have_id && m->inode == e->inode && m->dev_major == e->major &&
			m->dev_minor == e->minor);
	if (e->have_id)
		return m->inode == e->inode && m->dev_major == e->major &&
		       m->dev_minor == e->minor;
	return first && !strcmp(m->path, first);
}

static enum map_kind kind_of(const struct mapping *m, const struct map_exe *e,
			     const char *first)
{
	const char *p = m->path;
	bool shared = m->perms[3] == 's';

	if (!p)
		return shared ? MK_SHM : MK_ANON;
	if (p[0] == '[') {
		if (!strcmp(p, "[heap]"))
			return MK_HEAP;
		/* [stack:TID]: thread stacks were named so before Linux 4.5. */
		if (!strcmp(p, "[stack]") || has_prefix(p, "[stack:"))
			return MK_STACK;
		if (!strcmp(p, "[vdso]"))
			return MK_VDSO;
		if (!strcmp(p, "[vvar]") || !strcmp(p, "[vvar_vclock]"))
			return MK_VVAR;
		if (!strcmp(p, "[vsyscall]"))
			return MK_VSYSCALL;
		if (has_prefix(p, "[anon_shmem:"))
			return MK_SHM;
		if (has_prefix(p, "[anon:"))
			return MK_ANON;
		return MK_OTHER;
	}
	if (p[0] != '/')
		return MK_OTHER;	/* anon_inode:[io_uring], a dmabuf... */
	if (is_exe(m, e, first))
		return m->perms[1] == 'w' && m->perms[2] != 'x' ? MK_DATA : MK_TEXT;
	/* Anonymous huge pages (MAP_HUGETLB) are a hugetlbfs file to the
	 * kernel, "/anon_hugepage (deleted)": memory without a file. */
	if (!strcmp(p, "/anon_hugepage"))
		return shared ? MK_SHM : MK_ANON;
	/* Shared anonymous memory shows as "/dev/zero (deleted)", System V
	 * segments as "/SYSV0000abcd (deleted)", memfds as "/memfd:NAME". */
	if (shared || has_prefix(p, "/dev/shm/") || has_prefix(p, "/SYSV"))
		return MK_SHM;
	return is_lib(p) ? MK_LIB : MK_FILE;
}

void smaps_classify(const struct mapping *m, size_t n, const struct map_exe *e,
		    enum map_kind *kind)
{
	const char *first = NULL;
	bool bss = false;

	for (size_t i = 0; i < n && !first; i++)
		if (m[i].path && m[i].path[0] == '/')
			first = m[i].path;
	for (size_t i = 0; i < n; i++)
		kind[i] = kind_of(&m[i], e, first);
	for (size_t i = 0; i < n; i++) {
		/* RELRO: the head of the data segment, read-only once
		 * relocated; the same file, the next offsets. */
		if (kind[i] == MK_TEXT && m[i].perms[1] != 'w' && m[i].perms[2] != 'x' &&
		    i + 1 < n && kind[i + 1] == MK_DATA && m[i].end == m[i + 1].start &&
		    m[i].offset + (m[i].end - m[i].start) == m[i + 1].offset)
			kind[i] = MK_DATA;
		/* bss past the data's last page: anonymous, right after the
		 * program's last mapping. A heap grown into it is one vma,
		 * named [heap] by the kernel, and stays heap. */
		if (!bss && i > 0 && kind[i] == MK_ANON && !m[i].path &&
		    !strcmp(m[i].perms, "rw-p") &&
		    (kind[i - 1] == MK_DATA || kind[i - 1] == MK_TEXT) &&
		    m[i - 1].end == m[i].start) {
			kind[i] = MK_BSS;
			bss = true;
		}
	}
}
