/* Unit tests of lib/smaps.c's per-mapping side: smaps_parse on real and
 * hand-made text (names with spaces, a newline written as \012, " (deleted)",
 * the kernel's [names], cut-short and malformed input), and smaps_classify's
 * KIND rules. The rollup parser has its own cases at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smaps.h"
#include "tap.h"

#define MAXMAPS 64

/* What the callback saw: copies, since a mapping lives only for the call. */
struct seen {
	struct mapping m[MAXMAPS];
	char path[MAXMAPS][256];
	size_t n;
	size_t stop_at;		/* return -EINTR at this count (0: never) */
};

static int keep(const struct mapping *m, void *ctx)
{
	struct seen *s = ctx;

	if (s->n == MAXMAPS)
		return -ENOSPC;
	s->m[s->n] = *m;
	if (m->path) {
		size_t len = m->path_len < 255 ? m->path_len : 255;

		memcpy(s->path[s->n], m->path, len);
		s->path[s->n][len] = '\0';
		s->m[s->n].path = s->path[s->n];
	}
	s->n++;
	return s->stop_at && s->n == s->stop_at ? -EINTR : 0;
}

static int parse(const char *text, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return smaps_parse(text, strlen(text), keep, s);
}

/* Counters as a 6.x kernel prints them, with the given Rss/Pss/Swap. */
#define COUNTERS(size, rss, pss, swap) \
	"Size:               " #size " kB\n" \
	"KernelPageSize:        4 kB\n" \
	"MMUPageSize:           4 kB\n" \
	"Rss:                " #rss " kB\n" \
	"Pss:                " #pss " kB\n" \
	"Pss_Dirty:             0 kB\n" \
	"Shared_Clean:          0 kB\n" \
	"Shared_Dirty:          0 kB\n" \
	"Private_Clean:         4 kB\n" \
	"Private_Dirty:         8 kB\n" \
	"Referenced:           12 kB\n" \
	"Anonymous:             8 kB\n" \
	"KSM:                   0 kB\n" \
	"LazyFree:              0 kB\n" \
	"AnonHugePages:         0 kB\n" \
	"ShmemPmdMapped:        0 kB\n" \
	"FilePmdMapped:         0 kB\n" \
	"Shared_Hugetlb:        0 kB\n" \
	"Private_Hugetlb:       0 kB\n" \
	"Swap:               " #swap " kB\n" \
	"SwapPss:               0 kB\n" \
	"Locked:                0 kB\n" \
	"THPeligible:           0\n" \
	"ProtectionKey:         0\n" \
	"VmFlags: rd ex mr mw me sd \n"

/* Trimmed from a real /proc/PID/smaps of tests/helpers/mapper (6.18). */
static const char real[] =
	"5620ccf1e000-5620ccf1f000 r-xp 00001000 fe:00 1311521                    "
	"/work/main/build/tests/mapper\n"
	COUNTERS(4, 4, 4, 0)
	"5620ccf32000-5620cd732000 rw-p 00000000 00:00 0 \n"
	COUNTERS(8192, 8192, 8192, 16)
	"562109d2c000-562109e4d000 rw-p 00000000 00:00 0                          [heap]\n"
	COUNTERS(1156, 1032, 1032, 0)
	"7f254f304000-7f254f704000 rw-s 00000000 00:01 2075                       "
	"/dev/zero (deleted)\n"
	COUNTERS(4096, 4096, 4096, 0)
	"7f254f8ee000-7f254f8f0000 r--p 00000000 00:2a 17                         "
	"/tmp/procdx-test.aB3x/maps/gone.dat (deleted)\n"
	COUNTERS(8, 8, 8, 0)
	"7f254f8f0000-7f254f8f4000 r--p 00000000 00:2a 16                         "
	"/tmp/procdx-test.aB3x/maps/map me\\012now\n"
	COUNTERS(16, 16, 16, 0)
	"7f254f8fc000-7f254f8fe000 r-xp 00000000 00:00 0                          [vdso]\n"
	COUNTERS(8, 4, 0, 0)
	"7ffc5f8ad000-7ffc5f8ce000 rw-p 00000000 00:00 0                          [stack]\n"
	COUNTERS(132, 24, 24, 0)
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  "
	"[vsyscall]\n"
	COUNTERS(4, 0, 0, 0);

static void test_real(void)
{
	struct seen s;
	const struct mapping *m = s.m;

	is_int(parse(real, &s), 0, "real: parses");
	is_int(s.n, 9, "real: nine mappings");

	is_u64(m[0].start, 0x5620ccf1e000ULL, "real: exe text start");
	is_u64(m[0].end, 0x5620ccf1f000ULL, "real: exe text end");
	is_u64(m[0].offset, 0x1000, "real: exe text offset");
	is_str(m[0].perms, "r-xp", "real: exe text perms");
	is_int(m[0].dev_major, 0xfe, "real: dev major is hex");
	is_int(m[0].dev_minor, 0, "real: dev minor");
	is_u64(m[0].inode, 1311521, "real: inode is decimal");
	is_str(m[0].path, "/work/main/build/tests/mapper", "real: path after the padding");
	is_int(m[0].path_len, strlen("/work/main/build/tests/mapper"), "real: path_len");
	ok(!m[0].deleted && !m[0].malformed, "real: exe text neither deleted nor malformed");
	is_u64(m[0].c.size, 4096, "real: Size in bytes");
	is_u64(m[0].c.rss, 4096, "real: Rss in bytes");
	is_u64(m[0].c.private_dirty, 8192, "real: Private_Dirty");
	is_u64(mem_uss(&m[0].c), 12288, "real: USS is private clean + dirty");
	ok((m[0].c.has & (SMF_SIZE | SMF_RSS | SMF_PSS | SMF_SWAP | SMF_PSS_DIRTY)) ==
	   (SMF_SIZE | SMF_RSS | SMF_PSS | SMF_SWAP | SMF_PSS_DIRTY), "real: counters flagged");

	ok(m[1].path == NULL && m[1].path_len == 0,
	   "real: anonymous (trailing space) has no path");
	is_u64(m[1].c.rss, 8192ULL * 1024, "real: anonymous Rss");
	is_u64(m[1].c.swap, 16 * 1024, "real: anonymous Swap");
	is_str(m[2].path, "[heap]", "real: [heap]");
	is_str(m[3].path, "/dev/zero", "real: shared anonymous is /dev/zero...");
	ok(m[3].deleted, "real: ... (deleted)");
	is_str(m[3].perms, "rw-s", "real: shared perms");
	is_str(m[4].path, "/tmp/procdx-test.aB3x/maps/gone.dat", "real: deleted file's path");
	ok(m[4].deleted, "real: deleted file flagged");
	is_mem(m[5].path, m[5].path_len, "/tmp/procdx-test.aB3x/maps/map me\nnow",
	       strlen("/tmp/procdx-test.aB3x/maps/map me\nnow"),
	       "real: a space kept, \\012 decoded to a newline");
	ok(!m[5].deleted, "real: that file is not deleted");
	is_str(m[6].path, "[vdso]", "real: [vdso]");
	is_u64(m[6].c.pss, 0, "real: vdso Pss 0 is a value");
	ok(m[6].c.has & SMF_PSS, "real: ... and flagged as given");
	is_str(m[7].path, "[stack]", "real: [stack]");
	is_u64(m[8].start, 0xffffffffff600000ULL, "real: 16-digit vsyscall address");
	is_str(m[8].perms, "--xp", "real: vsyscall perms");
	ok(!m[8].malformed, "real: last mapping (no blank line after) complete");
}

static void test_names(void)
{
	struct seen s;

	is_int(parse("1000-2000 r--p 00000000 08:01 5 /a b/c  d\n", &s), 0, "names: parses");
	is_str(s.m[0].path, "/a b/c  d", "names: inner spaces kept");
	parse("1000-2000 r--p 00000000 08:01 5                /trailing  \n", &s);
	is_str(s.m[0].path, "/trailing  ", "names: trailing spaces are part of the name");
	parse("1000-2000 r--p 00000000 08:01 5 /x\\134y\\012\n", &s);
	is_str(s.m[0].path, "/x\\134y\n", "names: only \\012 is decoded (the kernel escapes "
	       "nothing else)");
	parse("1000-2000 r--p 00000000 08:01 5 /back\\slash\\\n", &s);
	is_str(s.m[0].path, "/back\\slash\\", "names: lone backslashes stay");
	parse("1000-2000 r--p 00000000 08:01 5 /x (deleted) (deleted)\n", &s);
	is_str(s.m[0].path, "/x (deleted)", "names: one (deleted) suffix is taken off");
	ok(s.m[0].deleted, "names: and sets deleted");
	parse("1000-2000 r--p 00000000 08:01 5 /x(deleted)\n", &s);
	ok(!s.m[0].deleted && !strcmp(s.m[0].path, "/x(deleted)"),
	   "names: no space, no suffix");
	parse("1000-2000 rw-p 00000000 00:00 0                  [anon:my pool]\n", &s);
	is_str(s.m[0].path, "[anon:my pool]", "names: a named anonymous mapping");
	parse("1000-2000 rw-p 00000000 00:00 0", &s);
	ok(s.n == 1 && !s.m[0].path, "names: no trailing space, no newline: anonymous");
	parse("08048000-08049000 r-xp 00000000 08:01 77 /bin/old32\n", &s);
	is_u64(s.m[0].start, 0x08048000, "names: 8-digit addresses of a 32-bit process");
	parse("1000-2000 r-xp 00000000 103:0a 7 /dev/nvme\n", &s);
	ok(s.m[0].dev_major == 0x103 && s.m[0].dev_minor == 0xa, "names: 3-digit major");
	parse("1000-2000 r--p 00000000 08:01 5 /x\tz\n", &s);
	is_str(s.m[0].path, "/x\tz", "names: a tab is left for the printer to escape");
}

static void test_shapes(void)
{
	static const char *const not_headers[] = {
		"2000-1000 r--p 00000000 08:01 5 /end-before-start\n",
		"1000-1000 r--p 00000000 08:01 5 /empty\n",
		"1000-2000 rwxz 00000000 08:01 5 /bad-perms\n",
		"1000-2000 r--p 00000000 0801 5 /no-colon\n",
		"1000-2000 r--p 00000000 08:01 x /inode-not-decimal\n",
		"1000-2000 r--p 00000000 08:01 5x /inode-junk\n",
		"11112222333344445-2000 r--p 00000000 08:01 5 /17-digits\n",
		"1000-2000 r--p 00000000 08:01 99999999999999999999 /inode-overflow\n",
		"1000 2000 r--p 00000000 08:01 5 /no-dash\n",
		"Size:                  4 kB\n",
		"garbage\n",
	};
	struct seen s;

	for (size_t i = 0; i < sizeof(not_headers) / sizeof(not_headers[0]); i++) {
		int r = parse(not_headers[i], &s);

		ok(r == -EINVAL && s.n == 0, "shapes: not a header, before any: -EINVAL (%zu)", i);
	}
	is_int(parse("", &s), 0, "shapes: empty text (a kernel thread) is no error");
	is_int(s.n, 0, "shapes: ... and no mapping");
	is_int(parse("\n\n1000-2000 ---p 00000000 00:00 0\n\n", &s), 0,
	       "shapes: blank lines are ignored");
	ok(s.n == 1 && !s.m[0].malformed, "shapes: ... the mapping is fine");
}

static void test_malformed(void)
{
	struct seen s;

	parse("1000-2000 rw-p 00000000 00:00 0\n"
	      "Size:                  4 kB\n"
	      "Rss:                abc kB\n"
	      "Pss:                  4 MB\n"
	      "Swap:  99999999999999999999 kB\n"
	      "FutureCounter:        12 kB\n"
	      "VmFlags: rd wr\n"
	      "3000-4000 r--p 00000000 00:00 0\n"
	      "Rss:                   4 kB\n", &s);
	is_int(s.n, 2, "malformed: both mappings delivered");
	ok(s.m[0].malformed, "malformed: bad values mark the mapping");
	ok(s.m[0].c.has & SMF_SIZE, "malformed: good counters kept");
	ok(!(s.m[0].c.has & (SMF_RSS | SMF_PSS | SMF_SWAP)), "malformed: bad ones left unset");
	ok(!s.m[1].malformed, "malformed: the next mapping starts clean");
	is_u64(s.m[1].c.rss, 4096, "malformed: the next mapping's counters");

	parse("1000-2000 rw-p 00000000 00:00 0\nFutureCounter: 1 kB\nTHPeligible: 1\n", &s);
	ok(!s.m[0].malformed, "malformed: unknown keys and skipped lines are not errors");
	parse("1000-2000 rw-p 00000000 00:00 0\nthis is not a counter\n", &s);
	ok(s.m[0].malformed, "malformed: a line of no shape marks the mapping");
	parse("1000-2000 rw-p 00000000 00:00 0\nRss: 4 kB\nRss: 4 kB\n", &s);
	is_u64(s.m[0].c.rss, 8192, "malformed: a repeated key adds up");
}

static void test_cut(void)
{
	struct seen s;
	char buf[sizeof(real)];
	int r;

	/* Cut in a counter of the last mapping: its Rss is not trusted. */
	parse("1000-2000 rw-p 00000000 00:00 0\nSize: 4 kB\nRss:        12", &s);
	ok(s.n == 1 && s.m[0].malformed && !(s.m[0].c.has & SMF_RSS),
	   "cut: in a counter value: malformed, Rss unset");
	/* Cut in the next header: the mapping before is flagged. */
	parse("1000-2000 rw-p 00000000 00:00 0\nRss: 4 kB\n3000-40", &s);
	ok(s.n == 1 && s.m[0].malformed, "cut: in a header: the mapping before is flagged");
	/* Cut after a header: a mapping without counters, unknown. */
	parse("1000-2000 rw-p 00000000 00:00 0 /x\n", &s);
	ok(s.n == 1 && s.m[0].c.has == 0 && !s.m[0].malformed,
	   "cut: after a header: no counters, nothing known");
	/* Every prefix of a real text from its first line on parses without
	 * error or overrun (a cut first header is not smaps at all). */
	r = 0;
	for (size_t len = (size_t)(strchr(real, '\n') - real); len < sizeof(real) - 1; len++) {
		memcpy(buf, real, len);
		memset(&s, 0, sizeof(s));
		if (smaps_parse(buf, len, keep, &s) != 0 || s.n == 0 || s.n > 9)
			r++;
	}
	is_int(r, 0, "cut: every prefix of the real text parses");
}

static void test_stop(void)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	is_int(smaps_parse(real, strlen(real), keep, &s), -EINTR,
	       "stop: the callback's error is returned");
	is_int(s.n, 2, "stop: nothing after it is delivered");
}

/* ---- KIND ---- */

#define EXE "/usr/sbin/daemon"

static const char layout[] =
	"55d0a0000000-55d0a0001000 r--p 00000000 08:01 100 " EXE "\n"
	"55d0a0001000-55d0a0005000 r-xp 00001000 08:01 100 " EXE "\n"
	"55d0a0005000-55d0a0007000 r--p 00005000 08:01 100 " EXE "\n"
	"55d0a0007000-55d0a0008000 r--p 00006000 08:01 100 " EXE "\n"
	"55d0a0008000-55d0a0009000 rw-p 00007000 08:01 100 " EXE "\n"
	"55d0a0009000-55d0a0109000 rw-p 00000000 00:00 0 \n"
	"55d0a2000000-55d0a2100000 rw-p 00000000 00:00 0 [heap]\n"
	"7f0000000000-7f0000100000 rw-p 00000000 00:00 0 \n"
	"7f0000100000-7f0000200000 rw-s 00000000 00:01 9 /dev/zero (deleted)\n"
	"7f0000200000-7f0000201000 rw-s 00000000 00:01 10 /SYSV0000abcd (deleted)\n"
	"7f0000201000-7f0000202000 rw-p 00000000 00:19 11 /dev/shm/ring\n"
	"7f0000202000-7f0000203000 rw-s 00000000 00:01 12 /memfd:wayland (deleted)\n"
	"7f0000203000-7f0000204000 rw-p 00000000 00:01 13 /memfd:jit (deleted)\n"
	"7f0000204000-7f0000205000 r--s 00000000 08:01 14 /var/cache/x.db\n"
	"7f0000205000-7f0000206000 r--p 00000000 08:01 15 /var/lib/data.bin\n"
	"7f0000206000-7f0000207000 r-xp 00000000 08:01 16 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f0000207000-7f0000208000 r-xp 00000000 08:01 17 /opt/app/libfoo.so\n"
	"7f0000208000-7f0000209000 r-xp 00000000 08:01 18 "
	"/opt/py/m.cpython-311-x86_64-linux-gnu.so\n"
	"7f0000209000-7f000020a000 r--p 00000000 08:01 19 /usr/lib/locale/C.utf8/LC_CTYPE\n"
	"7f000020a000-7f000020b000 r--p 00000000 08:01 20 /home/u/my.sock\n"
	"7f000020b000-7f000020c000 r--p 00000000 08:01 21 /home/u/a.so.bak\n"
	"7f000020c000-7f000020d000 rw-p 00000000 00:00 0 [anon:arena]\n"
	"7f000020d000-7f000020e000 rw-s 00000000 00:01 22 [anon_shmem:buf]\n"
	"7f000020e000-7f000020f000 rw-s 00000000 00:0e 23 anon_inode:[io_uring]\n"
	"7f000020f000-7f0000210000 r--p 00000000 00:00 0 [vvar]\n"
	"7f0000210000-7f0000211000 r--p 00000000 00:00 0 [vvar_vclock]\n"
	"7f0000211000-7f0000212000 r-xp 00000000 00:00 0 [vdso]\n"
	"7f0000212000-7f0000213000 r-xp 00000000 00:00 0 [uprobes]\n"
	"7f0000213000-7f0000214000 rw-p 00000000 00:00 0 [stack:1234]\n"
	"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

static const enum map_kind layout_kinds[] = {
	MK_TEXT, MK_TEXT, MK_TEXT, MK_DATA /* RELRO */, MK_DATA, MK_BSS, MK_HEAP, MK_ANON,
	MK_SHM, MK_SHM, MK_SHM, MK_SHM, MK_FILE, MK_SHM, MK_FILE, MK_LIB, MK_LIB, MK_LIB,
	MK_LIB, MK_FILE, MK_FILE, MK_ANON, MK_SHM, MK_OTHER, MK_VVAR, MK_VVAR, MK_VDSO,
	MK_OTHER, MK_STACK, MK_STACK, MK_VSYSCALL,
};

static void check_kinds(const struct seen *s, const struct map_exe *e, const char *what)
{
	enum map_kind kind[MAXMAPS];
	size_t n = sizeof(layout_kinds) / sizeof(layout_kinds[0]);

	smaps_classify(s->m, s->n, e, kind);
	is_int(s->n, n, "kind %s: all mappings", what);
	for (size_t i = 0; i < n && i < s->n; i++)
		is_str(map_kind_name(kind[i]), map_kind_name(layout_kinds[i]), "kind %s: %s %s",
		       what, s->m[i].perms, s->m[i].path ? s->m[i].path : "(anonymous)");
}

static void test_kinds(void)
{
	struct map_exe e;
	struct seen s;
	enum map_kind kind[MAXMAPS];

	is_int(parse(layout, &s), 0, "kind: the layout parses");
	memset(&e, 0, sizeof(e));
	snprintf(e.path, sizeof(e.path), "%s", EXE);
	e.have_path = true;
	check_kinds(&s, &e, "by exe path");

	/* The exe link names another path (a mount namespace): the file's
	 * identity still tells. */
	snprintf(e.path, sizeof(e.path), "/proc/1/root%s", EXE);
	e.have_id = true;
	e.inode = 100;
	e.major = 8;
	e.minor = 1;
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[1] == MK_TEXT && kind[4] == MK_DATA && kind[5] == MK_BSS,
	   "kind: exe by device and inode");

	/* Without the link: the first file mapped is the program. */
	memset(&e, 0, sizeof(e));
	check_kinds(&s, &e, "no exe link");

	/* The exe known but not mapped at all: nothing is text. */
	snprintf(e.path, sizeof(e.path), "/bin/other");
	e.have_path = true;
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[1] == MK_FILE && kind[5] == MK_ANON, "kind: another exe: no text, no bss");

	/* bss only when adjacent, and only once. */
	parse("1000-2000 r-xp 00000000 08:01 1 /bin/x\n"
	      "2000-3000 rw-p 00001000 08:01 1 /bin/x\n"
	      "4000-5000 rw-p 00000000 00:00 0\n"
	      "5000-6000 rw-p 00000000 00:00 0\n", &s);
	memset(&e, 0, sizeof(e));
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[0] == MK_TEXT && kind[1] == MK_DATA && kind[2] == MK_ANON && kind[3] == MK_ANON,
	   "kind: an anonymous mapping after a gap is no bss");
	parse("1000-2000 r-xp 00000000 08:01 1 /bin/x\n"
	      "2000-3000 rw-p 00000000 00:00 0\n"
	      "3000-4000 rw-p 00000000 00:00 0\n"
	      "4000-5000 r--p 00000000 08:01 1 /bin/x\n", &s);
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[1] == MK_BSS && kind[2] == MK_ANON && kind[3] == MK_TEXT,
	   "kind: bss right after text (no data), once; read-only exe is text");
	/* A named anonymous mapping (prctl PR_SET_VMA_ANON_NAME) right after
	 * the data is someone's arena, not the bss (found by fuzzing). */
	parse("1000-2000 rw-p 00001000 08:01 1 /bin/x\n"
	      "2000-3000 rw-p 00000000 00:00 0 [anon:arena]\n", &s);
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[0] == MK_DATA && kind[1] == MK_ANON, "kind: a named anonymous mapping is no bss");
	/* A read-only mapping below the data, not continuing its offsets, is
	 * rodata: text. */
	parse("1000-2000 r--p 00003000 08:01 1 /bin/x\n"
	      "2000-3000 rw-p 00009000 08:01 1 /bin/x\n", &s);
	smaps_classify(s.m, s.n, &e, kind);
	ok(kind[0] == MK_TEXT && kind[1] == MK_DATA, "kind: rodata below data is text");

	for (int k = 0; k < MK_NKINDS; k++)
		ok(map_kind_name((enum map_kind)k) && *map_kind_name((enum map_kind)k),
		   "kind: name of %d", k);
	is_str(map_kind_name(MK_NKINDS), "other", "kind: out of range is other");
}

/* ---- smaps_rollup ---- */

static void test_rollup(void)
{
	static const char rollup[] =
		"55d0a0000000-7ffc00021000 ---p 00000000 00:00 0                          "
		"[rollup]\n"
		"Rss:               16012 kB\n"
		"Pss:               14725 kB\n"
		"Pss_Dirty:         14544 kB\n"
		"Swap:                  0 kB\n";
	struct mem_counters mc;

	is_int(smaps_rollup_parse(rollup, strlen(rollup), &mc), 0, "rollup: parses");
	is_u64(mc.rss, 16012ULL * 1024, "rollup: Rss");
	is_u64(mc.pss, 14725ULL * 1024, "rollup: Pss");
	is_int(smaps_rollup_parse("Rss: 4 kB\n", 10, &mc), -EINVAL, "rollup: no Pss: -EINVAL");
}

int main(void)
{
	test_real();
	test_names();
	test_shapes();
	test_malformed();
	test_cut();
	test_stop();
	test_kinds();
	test_rollup();
	return done_testing();
}
