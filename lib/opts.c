/* Shared options, filters, user names and the checked exit path. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "opts.h"
#include "sysinfo.h"
#include "util.h"

/* Before main: a standard descriptor the caller left closed would be the
 * next file we open (/proc, or lifewatch's netlink socket), and the report
 * would be written into it. Hold each closed one with /dev/null opened for
 * reading: reads see end of file, writes fail with EBADF, as on a closed
 * descriptor, so `cmd >&-` still ends with a write error. */
__attribute__((constructor)) static void hold_std_fds(void)
{
	/* open() takes the lowest free number: the one found closed, as the
	 * ones below it are open by then. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDONLY) < 0)
			break;
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", program_invocation_short_name);
	exit(EXIT_USAGE);
}

void bad_option(int opt, char **argv)
{
	const char *arg = argv[optind - 1];

	/* getopt_long with a leading ':' in the option string says nothing
	 * itself: ':' is a missing value, '?' anything else. */
	if (arg && !strncmp(arg, "--", 2)) {
		int len = (int)strcspn(arg, "=");

		if (!optopt)
			usage_error("unknown option '%.*s'", len, arg);
		if (opt == ':')
			usage_error("option '%s' needs a value", arg);
		usage_error("option '%.*s' takes no value", len, arg);
	}
	if (opt == ':')
		usage_error("option '-%c' needs a value", optopt);
	if (optopt > 0x20 && optopt < 0x7f)
		usage_error("unknown option '-%c'", optopt);
	usage_error("unknown option (byte 0x%02x)", optopt & 0xff);
}

/* A list option's items, split at any of seps; an empty item is skipped,
 * a list of none is a usage error. */
static void split_list(const char *arg, const char *seps,
		       void (*add)(struct filter *, const char *, size_t), struct filter *f)
{
	const char *p = arg;
	size_t n = 0;

	while (*p) {
		size_t len = strcspn(p, seps);

		if (len) {
			add(f, p, len);
			n++;
		}
		p += len;
		if (*p)
			p++;
	}
	if (!n)
		usage_error("empty list: '%s'", arg);
}

static void add_pid(struct filter *f, const char *s, size_t len)
{
	char tmp[32];
	uint64_t v;

	if (len >= sizeof(tmp))
		usage_error("invalid PID: '%.*s'", (int)(len > 40 ? 40 : len), s);
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (parse_u64_str(tmp, &v) < 0 || v == 0 || v > 0x7fffffff)
		usage_error("invalid PID: '%s'", tmp);
	f->pids = xreallocarray(f->pids, f->npids + 1, sizeof(*f->pids));
	f->pids[f->npids++] = (pid_t)v;
}

/* -u names are looked up once the root is known (procfs_open_or_die):
 * a saved tree's users are those of the machine it was saved on. */
static void add_user(struct filter *f, const char *s, size_t len)
{
	f->unames = xreallocarray(f->unames, f->nunames + 1, sizeof(*f->unames));
	f->unames[f->nunames++] = xstrndup(s, len);
}

/* The users of a saved tree (DIR/etc/passwd beside DIR/proc, saved by
 * capture): a UID is named as on the machine that was saved, and one it
 * does not list by its number, never as on this machine. A tree without
 * the file (an older capture, a tree made by hand) uses this machine's. */
struct saved_user {
	uid_t uid;
	size_t line;	/* of two names for one UID, the first listed names it */
	char name[33];
};
static struct saved_user *saved_users;
static size_t nsaved_users;
static bool users_saved;

static int cmp_saved_user(const void *a, const void *b)
{
	const struct saved_user *x = a, *y = b;

	if (x->uid != y->uid)
		return (x->uid > y->uid) - (x->uid < y->uid);
	return (x->line > y->line) - (x->line < y->line);
}

/* bsearch's key: the UID alone, which lands on any of its names. */
static int cmp_saved_uid(const void *a, const void *b)
{
	const struct saved_user *x = a, *y = b;

	return (x->uid > y->uid) - (x->uid < y->uid);
}

static void users_load(const struct procfs *pf)
{
	char *path = procfs_beside(pf->proc, "etc/passwd"), *buf = NULL;
	bool trunc;
	ssize_t n = procfs_read_alloc(AT_FDCWD, path, 16 << 20, &buf, &trunc);

	free(path);
	if (n < 0)
		return;
	users_saved = true;
	for (char *line = buf, *next; line < buf + n; line = next) {
		char *nl = memchr(line, '\n', (size_t)(buf + n - line));
		char *c1, *c2, *c3;
		uint64_t v;

		next = nl ? nl + 1 : buf + n;
		if (nl)
			*nl = '\0';
		else
			break;	/* a last line cut short */
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		c3 = c2 ? strchr(c2 + 1, ':') : NULL;
		if (!c3 || c1 == line || (size_t)(c1 - line) >= sizeof(saved_users->name))
			continue;
		*c1 = *c3 = '\0';
		if (parse_u64_str(c2 + 1, &v) < 0 || v >= 0xffffffffu)
			continue;
		saved_users = xreallocarray(saved_users, nsaved_users + 1, sizeof(*saved_users));
		saved_users[nsaved_users].uid = (uid_t)v;
		saved_users[nsaved_users].line = nsaved_users;
		memcpy(saved_users[nsaved_users].name, line, (size_t)(c1 - line) + 1);
		nsaved_users++;
	}
	free(buf);
	/* Sorted by UID, for the lookups of a scan: a directory service
	 * can list a great many users. */
	if (nsaved_users)
		qsort(saved_users, nsaved_users, sizeof(*saved_users), cmp_saved_user);
}

static bool uid_of(const char *name, uid_t *uid)
{
	struct passwd *pw;

	if (!users_saved) {
		pw = getpwnam(name);
		if (pw)
			*uid = pw->pw_uid;
		return pw != NULL;
	}
	for (size_t i = 0; i < nsaved_users; i++)
		if (!strcmp(saved_users[i].name, name)) {
			*uid = saved_users[i].uid;
			return true;
		}
	return false;
}

/* The -u names made UIDs (a name, else a number; else a usage error), once:
 * the names are gone after, so a second root (--proc-after) adds none. */
static void resolve_users(struct filter *f)
{
	for (size_t i = 0; i < f->nunames; i++) {
		const char *name = f->unames[i];
		uint64_t v;
		uid_t uid;

		if (!uid_of(name, &uid)) {
			if (parse_u64_str(name, &v) < 0 || v >= 0xffffffffu)
				usage_error("unknown user: '%s'", name);
			uid = (uid_t)v;
		}
		f->uids = xreallocarray(f->uids, f->nuids + 1, sizeof(*f->uids));
		f->uids[f->nuids++] = uid;
		free(f->unames[i]);
	}
	free(f->unames);
	f->unames = NULL;
	f->nunames = 0;
}

static void add_comm(struct filter *f, const char *s, size_t len)
{
	f->comms = xreallocarray(f->comms, f->ncomms + 1, sizeof(*f->comms));
	f->comms[f->ncomms++] = xstrndup(s, len);
}

static void set_format(struct common_opts *co, const char *arg)
{
	static const struct {
		const char *name;
		enum out_fmt fmt;
	} fmts[] = {
		{ "table", FMT_TABLE }, { "raw", FMT_RAW }, { "pairs", FMT_PAIRS },
		{ "json", FMT_JSON }, { "prometheus", FMT_PROM },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++)
		if (!strcasecmp(arg, fmts[i].name)) {
			co->out.fmt = fmts[i].fmt;
			return;
		}
	usage_error("unknown format: '%s' (table, raw, pairs, json, prometheus)", arg);
}

bool common_opt(struct common_opts *co, int c, const char *arg)
{
	double d;
	uint64_t v;

	switch (c) {
	case 'b': co->out.bytes = true; return true;
	case 'H': co->list_columns = true; return true;
	case 'J': co->out.fmt = FMT_JSON; return true;
	case 'n': co->out.noheadings = true; return true;
	case 'o': co->out.output = arg; return true;
	case OPT_OUTPUT_ALL: co->out.all = true; return true;
	case 'P': co->out.fmt = FMT_PAIRS; return true;
	case 'r': co->out.fmt = FMT_RAW; return true;
	case 'w': co->out.wide = true; return true;
	case 'x': co->out.sort = arg; return true;
	case OPT_REVERSE: co->out.reverse = true; return true;
	case OPT_FORMAT: set_format(co, arg); return true;
	case OPT_PROC:
	case OPT_SYS:
		if (!*arg)
			usage_error("empty --%s", c == OPT_PROC ? "proc" : "sys");
		*(c == OPT_PROC ? &co->proc : &co->sys) = arg;
		return true;
	case OPT_HOST:
		if (arg && !*arg)
			usage_error("empty --host");
		/* Without a value: the name of the machine read, filled in by
		 * procfs_open_or_die once the root is known. */
		co->out.host = arg ? arg : co->hostname;
		return true;
	case 'V':
		printf("%s (procdx) %s\n", program_invocation_short_name, PROCDX_VERSION);
		exit(out_finish(0));
	case 'p': split_list(arg, ", ", add_pid, &co->filt); return true;
	case 'u': split_list(arg, ", ", add_user, &co->filt); return true;
	/* A process name may hold spaces: only commas part names. */
	case 'C': split_list(arg, ",", add_comm, &co->filt); return true;
	case OPT_CGROUP:
		if (!*arg)
			usage_error("empty cgroup path");
		if (*arg != '/')
			usage_error("cgroup path must start with '/' (as in /proc/PID/cgroup): '%s'",
				    arg);
		free(co->filt.cgroup);
		co->filt.cgroup = xstrdup(arg);
		cgroup_path_canon(co->filt.cgroup);
		return true;
	case 'i':
		if (parse_seconds_str(arg, &d) < 0 || d < 0.01 || d > 86400)
			usage_error("invalid interval: '%s' (seconds, 0.01 to 86400)", arg);
		co->interval = d;
		return true;
	case 'c':
		if (parse_u64_str(arg, &v) < 0 || v == 0 || v > 1000000000)
			usage_error("invalid count: '%s'", arg);
		co->count = (long)v;
		return true;
	default:
		return false;
	}
}

void common_help(FILE *f, unsigned which)
{
	if (which & HELP_FILTERS)
		fputs("\nFilters (applied before any expensive read):\n"
		      "  -p, --pid LIST        only these PIDs (comma separated)\n"
		      "  -u, --user LIST       only processes of these users (names or UIDs)\n"
		      "  -C, --comm LIST       only processes with these names (exact)\n"
		      "      --cgroup PATH     only processes in this cgroup or below it\n", f);
	if (which & HELP_SAMPLING)
		fputs("\nSampling:\n"
		      "  -i, --interval SECS   time between samples (fractions allowed)\n"
		      "  -c, --count N         number of samples\n", f);
	fputs("\nOutput:\n"
	      "  -o, --output LIST     columns to show (+COL adds to the defaults)\n"
	      "      --output-all      every column\n"
	      "  -H, --list-columns    the columns, their meaning and privilege\n"
	      "  -n, --noheadings      no header line\n"
	      "  -r, --raw             one space between fields, every value escaped\n"
	      "  -P, --pairs           NAME=\"value\" pairs\n"
	      "  -J, --json            JSON\n"
	      "      --format FMT      table, raw, pairs, json or prometheus\n", f);
	if (!(which & HELP_NO_BYTES))
		fputs("  -b, --bytes           sizes in bytes in the table\n", f);
	if (!(which & HELP_NO_ORDER))
		fputs("  -x, --sort COL        sort by COL (numbers descending, text ascending)\n"
		      "      --reverse         reverse the order\n", f);
	if (!(which & HELP_NO_WIDE))
		fputs("  -w, --wide            never cut the command line on a terminal\n", f);
	fputs("      --proc DIR        procfs root (default /proc, env PROCDX_PROC)\n"
	      "      --sys DIR         sysfs root (default /sys, or the sys beside a saved\n"
	      "                        --proc tree; env PROCDX_SYS)\n"
	      "      --host[=NAME]     a HOST column/key on every row (fleet merges)\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         version\n", f);
}

void procfs_open_or_die(struct procfs *pf, struct common_opts *co)
{
	int r = procfs_init(pf, co->proc, co->sys);

	if (r == -ENODATA) {
		fprintf(stderr, "%s: %s is not a proc tree: no stat, uptime or process in it\n",
			program_invocation_short_name, pf->proc);
		exit(out_finish(EXIT_FATAL));
	}
	if (r < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", program_invocation_short_name, pf->proc,
			strerror(-r));
		exit(out_finish(EXIT_FATAL));
	}
	/* A sysfs root given that is not there (a typo) would make every
	 * value read under it unknown, silently. */
	if (pf->sys_given) {
		struct stat st;
		int e = stat(pf->sys, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;

		if (e) {
			fprintf(stderr, "%s: cannot open %s: %s\n", program_invocation_short_name,
				pf->sys, strerror(e));
			exit(out_finish(EXIT_FATAL));
		}
	}
	if (pf->saved)
		users_load(pf);
	resolve_users(&co->filt);
	/* --host alone on a saved tree: the host it was saved on (its
	 * sys/kernel/hostname, saved by capture), not this one. */
	if (co->out.host == co->hostname) {
		if (!pf->saved ||
		    procfs_read(pf->procfd, "sys/kernel/hostname", co->hostname,
				sizeof(co->hostname), 0, NULL) <= 0)
			if (gethostname(co->hostname, sizeof(co->hostname) - 1) < 0)
				snprintf(co->hostname, sizeof(co->hostname), "localhost");
		co->hostname[strcspn(co->hostname, "\n")] = '\0';
	}
	/* A mistyped --cgroup would match nothing and look like a calm
	 * machine. A saved tree may hold no cgroup directories: trust it. */
	if (co->filt.cgroup && !pf->alternate && !cgroup_exists(pf, co->filt.cgroup))
		usage_error("no such cgroup: '%s' (in no mounted hierarchy)", co->filt.cgroup);
}

/* The uptime of a saved tree, or exit 3: without it there is no interval. */
static double uptime_or_die(const struct procfs *pf)
{
	double up;
	int r = uptime_read(pf, &up, NULL);

	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s/uptime: %s\n", program_invocation_short_name,
			pf->proc, strerror(-r));
		exit(out_finish(EXIT_FATAL));
	}
	return up;
}

void procfs_open_after_or_die(struct procfs *after, const struct common_opts *co,
			      const struct procfs *pf, const char *dir)
{
	struct common_opts c2 = *co;
	double up0, up1;

	/* The interval runs from one saved tree to the other. The live /proc
	 * as its start would pair now with a tree taken before (or on another
	 * machine), and -i would be a length that nothing waits for. */
	if (!pf->alternate)
		usage_error("--proc-after needs the start of the interval from --proc DIR "
			    "(a saved tree)");
	if (co->interval)
		usage_error("--proc-after: the interval is the one between the two trees (no -i)");
	c2.proc = dir;
	procfs_open_or_die(after, &c2);
	/* Without --sys: the sys saved beside the second tree, or where it
	 * has none, the first tree's (a disk's kind does not change). */
	if (!after->sys_given && access(after->sys, F_OK) < 0) {
		free(after->sys);
		after->sys = xstrdup(pf->sys);
	}
	/* Trees given in the wrong order, or the same tree twice: every rate
	 * would be negative or divided by zero, never a number to print. */
	up0 = uptime_or_die(pf);
	up1 = uptime_or_die(after);
	if (!(up1 > up0)) {
		fprintf(stderr, "%s: %s was not taken after %s (uptime %.2f s, not above %.2f s)\n",
			program_invocation_short_name, after->proc, pf->proc, up1, up0);
		exit(out_finish(EXIT_FATAL));
	}
}

void sampling_needs_live(const struct procfs *pf, const char *how)
{
	/* Samples of a copy would differ only by our own sleep: a stuck time
	 * or a growth made up by the analyser, never read from the tree. */
	if (pf->saved)
		usage_error("a saved tree has no interval: %s", how);
}

void common_free(struct common_opts *co)
{
	for (size_t i = 0; i < co->filt.ncomms; i++)
		free(co->filt.comms[i]);
	free(co->filt.comms);
	free(co->filt.pids);
	free(co->filt.uids);
	for (size_t i = 0; i < co->filt.nunames; i++)
		free(co->filt.unames[i]);
	free(co->filt.unames);
	free(co->filt.cgroup);
	memset(&co->filt, 0, sizeof(co->filt));
}

bool filter_active(const struct filter *f)
{
	return f->npids || f->nuids || f->nunames || f->ncomms || f->cgroup;
}

bool filter_pid_ok(const struct filter *f, pid_t pid)
{
	if (!f->npids)
		return true;
	for (size_t i = 0; i < f->npids; i++)
		if (f->pids[i] == pid)
			return true;
	return false;
}

/* The kernel keeps the first 15 bytes of a process's name (TASK_COMM_LEN):
 * a longer -C NAME matches a name that is those 15 bytes, as well as a
 * kernel thread's, which can be longer. */
#define COMM_KEPT 15

bool filter_comm_ok(const struct filter *f, const char *comm)
{
	if (!f->ncomms)
		return true;
	for (size_t i = 0; i < f->ncomms; i++) {
		const char *want = f->comms[i];

		if (!strcmp(want, comm))
			return true;
		if (strlen(want) > COMM_KEPT && strlen(comm) == COMM_KEPT &&
		    !strncmp(want, comm, COMM_KEPT))
			return true;
	}
	return false;
}

bool filter_uid_ok(const struct filter *f, uid_t uid)
{
	if (!f->nuids)
		return true;
	for (size_t i = 0; i < f->nuids; i++)
		if (f->uids[i] == uid)
			return true;
	return false;
}

bool filter_cgroup_ok(const struct filter *f, struct pidh *h)
{
	char buf[8192];
	ssize_t n;

	if (!f->cgroup)
		return true;
	if (pidh_dirfd(h) < 0)
		return false;
	n = pidh_read(h, "cgroup", buf, sizeof(buf), 0, NULL);
	if (n <= 0)
		return false;
	return cgroup_text_under(buf, (size_t)n, f->cgroup);
}

void common_no_operands(const struct common_opts *co, int argc, char **argv, const char *tool,
			const struct col *cols, size_t ncols)
{
	if (optind < argc)
		usage_error("unexpected argument: '%s'", argv[optind]);
	if (co->list_columns)
		exit(out_finish(table_list_columns(tool, cols, ncols, &co->out)));
}

int out_finish(int rc)
{
	/* fclose rather than fflush: a write that fails only when the last
	 * buffer reaches the device (/dev/full) is caught here too. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		int e = out_write_errno() ? out_write_errno() : errno ? errno : EIO;

		if (e == EPIPE)
			return rc;
		fprintf(stderr, "%s: write error: %s\n", program_invocation_short_name,
			strerror(e));
		return EXIT_FATAL;
	}
	return rc;
}

/* A small cache: a scan asks about the same few users thousands of times. */
struct uname_cache {
	uid_t uid;
	char name[33];
};

void user_name(uid_t uid, char *buf, size_t size)
{
	static struct uname_cache cache[16];
	static size_t used;
	struct passwd *pw;

	for (size_t i = 0; i < used; i++)
		if (cache[i].uid == uid) {
			snprintf(buf, size, "%s", cache[i].name);
			return;
		}
	pw = users_saved ? NULL : getpwuid(uid);
	snprintf(buf, size, "%u", (unsigned)uid);
	if (pw && strlen(pw->pw_name) < sizeof(cache[0].name))
		snprintf(buf, size, "%s", pw->pw_name);
	if (nsaved_users) {
		struct saved_user key = { .uid = uid };
		const struct saved_user *su = bsearch(&key, saved_users, nsaved_users,
						      sizeof(*saved_users), cmp_saved_uid);

		while (su && su > saved_users && su[-1].uid == uid)
			su--;
		if (su)
			snprintf(buf, size, "%s", su->name);
	}
	if (used < ARRAY_SIZE(cache)) {
		cache[used].uid = uid;
		snprintf(cache[used].name, sizeof(cache[used].name), "%s", buf);
		used++;
	}
}

const char *ptrace_denied_hint(void)
{
	/* Root is refused too by a process with capabilities it lacks (a
	 * container's root reading the host's init, say). */
	return geteuid() == 0 ? "needs CAP_SYS_PTRACE and every capability the process has"
			      : "needs root or CAP_SYS_PTRACE";
}

void note_pid_unreadable(const struct procfs *pf, pid_t pid, const char *file, int e)
{
	int hp = procfs_hidepid(pf);
	const char *why;

	if (e == -ENOENT) {
		fprintf(stderr, "%s: no process %d%s\n", program_invocation_short_name, (int)pid,
			hp == 2 ? " (or it is hidden: hidepid=invisible)"
			: hp == 4 ? " (or it is hidden: hidepid=ptraceable)" : "");
		return;
	}
	why = e != -EACCES ? NULL : hp == 1 ? "hidepid=noaccess: needs root or the gid= group of "
					      "the proc mount" : ptrace_denied_hint();
	fprintf(stderr, "%s: cannot read %s/%d/%s: %s%s%s%s\n", program_invocation_short_name,
		pf->proc, (int)pid, file, strerror(-e), why ? " (" : "", why ? why : "",
		why ? ")" : "");
}

void note_unknown_of(const char *what, size_t n, size_t total, const char *rows, int e)
{
	char why_buf[128];
	const char *why;

	/* After a failed write the error line is all stderr says. */
	if (!n || out_flush() < 0)
		return;
	switch (e) {
	case -EACCES:
		snprintf(why_buf, sizeof(why_buf), "permission denied (%s)", ptrace_denied_hint());
		why = why_buf;
		break;
	case -ENODATA:
		why = "the kernel does not say";
		break;
	case -EINVAL:
	case -ENOENT:
		why = "file missing or malformed";
		break;
	default:
		why = strerror(-e);
	}
	if (total == SIZE_MAX) {
		/* "1 process", "1 thread" */
		size_t len = strlen(rows);

		if (n == 1 && len > 4)
			len -= strcmp(rows + len - 4, "sses") ? 1 : 2;
		fprintf(stderr, "%s: %s unknown for %zu %.*s: %s\n", program_invocation_short_name,
			what, n, (int)len, rows, why);
	} else {
		fprintf(stderr, "%s: %s unknown for %zu of %zu %s: %s\n",
			program_invocation_short_name, what, n, total, rows, why);
	}
}

void note_unknown(const char *what, size_t n, size_t total, int e)
{
	note_unknown_of(what, n, total, "processes", e);
}
