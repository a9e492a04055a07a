/* Unit tests of lib/cgroup.c: cgroup_parse_path, cgroup_text_under and cgroup_path_under on
 * v1, v2 and hybrid /proc/PID/cgroup text, and on malformed text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "tap.h"

/* A hybrid (v1 + v2) machine: this one. */
static const char hybrid[] =
	"9:name=systemd:/\n"
	"8:pids:/\n"
	"7:blkio:/\n"
	"6:freezer:/\n"
	"5:devices:/\n"
	"4:memory:/process_api/9b708297e8f28b13f82543b9af520dd4\n"
	"3:cpuset:/\n"
	"2:cpuacct:/\n"
	"1:cpu:/\n"
	"0::/\n";

/* A v1 machine with co-mounted controllers. */
static const char v1[] =
	"12:pids:/user.slice/user-1000.slice/session-2.scope\n"
	"4:cpu,cpuacct:/user.slice\n"
	"3:net_cls,net_prio:/\n"
	"1:name=systemd:/user.slice/user-1000.slice/session-2.scope\n";

static const char v2[] = "0::/user.slice/user-1000.slice/session-2.scope\n";

static int path(const char *text, const char *ctl, char *out, size_t size)
{
	return cgroup_parse_path(text, strlen(text), ctl, out, size);
}

static void test_parse_path(void)
{
	char out[256];

	is_int(path(v2, "", out, sizeof(out)), 0, "cgroup_parse_path: v2 line found");
	is_str(out, "/user.slice/user-1000.slice/session-2.scope", "cgroup_parse_path: v2 path");
	is_int(path(v2, "pids", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: no pids line in pure v2 is -ENOENT");

	is_int(path(hybrid, "memory", out, sizeof(out)), 0, "cgroup_parse_path: hybrid memory");
	is_str(out, "/process_api/9b708297e8f28b13f82543b9af520dd4",
	       "cgroup_parse_path: hybrid memory path");
	is_int(path(hybrid, "pids", out, sizeof(out)), 0, "cgroup_parse_path: hybrid pids");
	is_str(out, "/", "cgroup_parse_path: hybrid pids path is the root");
	is_int(path(hybrid, "", out, sizeof(out)), 0, "cgroup_parse_path: hybrid v2 line");
	is_str(out, "/", "cgroup_parse_path: hybrid v2 path");
	is_int(path(hybrid, "name=systemd", out, sizeof(out)), 0,
	       "cgroup_parse_path: named hierarchy name=systemd");
	is_int(path(hybrid, "cpu", out, sizeof(out)), 0, "cgroup_parse_path: cpu alone");
	is_int(path(hybrid, "mem", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: a prefix of a controller is not it");
	is_int(path(hybrid, "memoryx", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: a longer name is not the controller");

	is_int(path(v1, "cpuacct", out, sizeof(out)), 0,
	       "cgroup_parse_path: second of a co-mounted pair");
	is_str(out, "/user.slice", "cgroup_parse_path: co-mounted cpuacct path");
	is_int(path(v1, "cpu", out, sizeof(out)), 0,
	       "cgroup_parse_path: first of a co-mounted pair");
	is_str(out, "/user.slice", "cgroup_parse_path: co-mounted cpu path");
	is_int(path(v1, "net_prio", out, sizeof(out)), 0, "cgroup_parse_path: net_prio");
	is_int(path(v1, "", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: pure v1 has no unified line");
	is_int(path(v1, "cpu,cpuacct", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: a comma list is not one controller");

	is_int(path("", "", out, sizeof(out)), -ENOENT, "cgroup_parse_path: empty text is -ENOENT");
	is_int(path("0::/a", "", out, sizeof(out)), 0, "cgroup_parse_path: no trailing newline");
	is_str(out, "/a", "cgroup_parse_path: path without trailing newline");
	is_int(path("0::/a:b c\n", "", out, sizeof(out)), 0, "cgroup_parse_path: path with ':'");
	is_str(out, "/a:b c", "cgroup_parse_path: colon and space kept in the path");
	is_int(path("0::\n", "", out, sizeof(out)), 0, "cgroup_parse_path: empty path");
	is_str(out, "", "cgroup_parse_path: empty path is empty");
	is_int(path("1::/x\n", "", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: hierarchy 1 with no controller is not v2");
	is_int(path("00::/x\n", "", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: hierarchy 00 is not v2");
	is_int(path("0:pids:/x\n", "", out, sizeof(out)), -ENOENT,
	       "cgroup_parse_path: hierarchy 0 with a controller is not v2");

	is_int(path("garbage\n0::/a\n", "", out, sizeof(out)), -EINVAL,
	       "cgroup_parse_path: line without a colon is -EINVAL");
	is_int(path("1:pids\n0::/a\n", "", out, sizeof(out)), -EINVAL,
	       "cgroup_parse_path: line with one colon is -EINVAL");
	is_int(path("1:pids:/\n\n0::/a\n", "", out, sizeof(out)), -EINVAL,
	       "cgroup_parse_path: empty line is -EINVAL");
	is_int(path("\033[2J:\n", "pids", out, sizeof(out)), -EINVAL,
	       "cgroup_parse_path: escape sequence line is -EINVAL");

	memset(out, 'X', sizeof(out));
	is_int(path(v2, "", out, 10), -ENAMETOOLONG,
	       "cgroup_parse_path: path longer than out is -ENAMETOOLONG");
	ok(out[10] == 'X', "cgroup_parse_path: nothing written past size");
	is_int(path("0::/abc\n", "", out, 4), -ENAMETOOLONG,
	       "cgroup_parse_path: no room for the NUL is -ENAMETOOLONG");
	is_int(path("0::/abc\n", "", out, 5), 0, "cgroup_parse_path: exactly fitting path");
	is_str(out, "/abc", "cgroup_parse_path: exactly fitting path value");
	is_int(path("0::/abc\n", "", out, 0), -ENAMETOOLONG, "cgroup_parse_path: size 0");
	{
		/* The length bounds the parse. */
		const char *s = "0::/abc/def\n";

		is_int(cgroup_parse_path(s, 7, "", out, sizeof(out)), 0,
		       "cgroup_parse_path: text cut at len parses");
		is_str(out, "/abc", "cgroup_parse_path: path ends at len");
	}
	{
		static const char nul[] = "0::/a\0b\n";

		is_int(cgroup_parse_path(nul, sizeof(nul) - 1, "", out, sizeof(out)), 0,
		       "cgroup_parse_path: NUL inside a path parses");
		is_mem(out, 4, "/a\0b", 4, "cgroup_parse_path: embedded NUL copied with the path");
	}
}

static void test_text_under(void)
{
	ok(cgroup_text_under(v2, strlen(v2), "/user.slice"),
	   "cgroup_text_under: session scope is under /user.slice");
	ok(cgroup_text_under(v2, strlen(v2), "/user.slice/"),
	   "cgroup_text_under: trailing slash of the path ignored");
	ok(cgroup_text_under(v2, strlen(v2), "/user.slice///"),
	   "cgroup_text_under: several trailing slashes ignored");
	ok(cgroup_text_under(v2, strlen(v2), "/user.slice/user-1000.slice/session-2.scope"),
	   "cgroup_text_under: the cgroup itself counts");
	ok(!cgroup_text_under(v2, strlen(v2), "/user"),
	   "cgroup_text_under: /user is not a parent of /user.slice");
	ok(!cgroup_text_under(v2, strlen(v2), "/user.slice/user-1000.slice/session-2.scope/x"),
	   "cgroup_text_under: a child of the cgroup is not above it");
	ok(!cgroup_text_under(v2, strlen(v2), "/system.slice"),
	   "cgroup_text_under: another slice");
	ok(cgroup_text_under(v2, strlen(v2), "/"), "cgroup_text_under: everything is under /");
	ok(cgroup_text_under(v2, strlen(v2), "//"), "cgroup_text_under: // is the root");
	ok(!cgroup_text_under("", 0, "/"), "cgroup_text_under: empty text is under nothing");
	ok(!cgroup_text_under("garbage\n", 8, "/"),
	   "cgroup_text_under: malformed text is under nothing");
	ok(cgroup_text_under(hybrid, strlen(hybrid), "/process_api"),
	   "cgroup_text_under: any hierarchy's line counts (v1 memory)");
	ok(!cgroup_text_under(hybrid, strlen(hybrid), "/process"),
	   "cgroup_text_under: v1 path prefix without a slash does not count");
	ok(cgroup_text_under(v1, strlen(v1), "/user.slice"),
	   "cgroup_text_under: v1 co-mounted line");
	ok(cgroup_text_under("junk\n0::/a/b\n", 13, "/a"),
	   "cgroup_text_under: malformed lines are skipped, later ones read");
	ok(!cgroup_text_under("0::/a/b\n", 5, "/a/b"),
	   "cgroup_text_under: the length bounds the text");
	ok(cgroup_text_under("0::/a/b", 7, "/a/b"), "cgroup_text_under: no trailing newline");
}

static void test_path_under(void)
{
	ok(cgroup_path_under("/a/b", 4, "/a"), "cgroup_path_under: a child is under");
	ok(cgroup_path_under("/a", 2, "/a/"), "cgroup_path_under: the cgroup itself, slash ignored");
	ok(!cgroup_path_under("/ab", 3, "/a"), "cgroup_path_under: a prefix without a slash is not");
	ok(!cgroup_path_under("/a/b", 2, "/a/b"), "cgroup_path_under: the length bounds the path");
	ok(cgroup_path_under("/x", 2, "/"), "cgroup_path_under: everything is under /");
}

static void test_path_canon(void)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//", "/" }, { "/a", "/a" }, { "/a/", "/a" },
		{ "//a//b//", "/a/b" }, { "/a/./b", "/a/b" }, { "/a/b/..", "/a" },
		{ "/a/../a/b/", "/a/b" }, { "/..", "/" }, { "/../../a", "/a" },
		{ "/a/b/../../c", "/c" }, { "/.a/..b/...", "/.a/..b/..." }, { "/a/.", "/a" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", cases[i][0]);
		cgroup_path_canon(buf);
		is_str(buf, cases[i][1], "cgroup_path_canon: '%s' is '%s'", cases[i][0],
		       cases[i][1]);
	}
}

int main(void)
{
	test_parse_path();
	test_text_under();
	test_path_under();
	test_path_canon();
	return done_testing();
}
