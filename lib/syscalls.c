/* Syscall numbers to names, from a table generated at build time from the
 * system's <asm/unistd.h> (scripts/gen-syscalls), and the syscall file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "syscalls.h"
#include "syscalls_gen.h"
#include "util.h"

static const char *table_name(long nr)
{
	size_t lo = 0, hi = ARRAY_SIZE(syscall_table);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syscall_table[mid].nr == nr)
			return syscall_table[mid].name;
		if (syscall_table[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *syscall_name(long nr, char *buf, size_t size)
{
	const char *n = table_name(nr);

	if (n)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "syscall_%ld", nr);
	return buf;
}

bool syscall_arg0_is_fd(long nr)
{
	static const char *const fd_calls[] = {
		"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev",
		"preadv2", "pwritev2", "fsync", "fdatasync", "sync_file_range", "syncfs",
		"ftruncate", "fallocate", "flock", "fcntl", "ioctl", "getdents", "getdents64",
		"fstat", "newfstat", "newfstatat", "statx", "lseek", "sendfile", "splice",
		"copy_file_range", "fadvise64", "readahead", "fgetxattr", "fsetxattr",
		"fchown", "fchmod", "recvfrom", "recvmsg", "sendto", "sendmsg", "accept",
		"accept4", "connect", "close", "openat", "mkdirat", "unlinkat", "renameat2",
	};
	const char *n = table_name(nr);

	if (!n)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(fd_calls); i++)
		if (!strcmp(n, fd_calls[i]))
			return true;
	return false;
}

/* A hex number "0x7ffd..." as the kernel prints syscall arguments. */
static int parse_hex(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	if (s[0] != '0' || s[1] != 'x')
		return -EINVAL;
	for (s += 2; *s; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			break;
		if (n >= 16)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

int syscall_parse(const char *text, struct task_syscall *sc)
{
	const char *p = text;
	int64_t nr;

	memset(sc, 0, sizeof(*sc));
	if (!strncmp(p, "running", 7) && (p[7] == '\n' || !p[7])) {
		sc->state = SC_RUNNING;
		return 0;
	}
	if (parse_i64(&p, &nr) < 0 || nr < -1 || nr > 100000)
		return -EINVAL;
	sc->nr = (long)nr;
	if (nr == -1) {
		sc->state = SC_NONE;
		if (*p++ != ' ' || parse_hex(&p, &sc->sp) < 0 || *p++ != ' ' ||
		    parse_hex(&p, &sc->pc) < 0)
			return -EINVAL;
		return 0;
	}
	sc->state = SC_IN;
	for (int i = 0; i < 6; i++)
		if (*p++ != ' ' || parse_hex(&p, &sc->args[i]) < 0)
			return -EINVAL;
	if (*p++ != ' ' || parse_hex(&p, &sc->sp) < 0 || *p++ != ' ' || parse_hex(&p, &sc->pc) < 0)
		return -EINVAL;
	return (*p == '\n' || !*p) ? 0 : -EINVAL;
}

int syscall_read(struct pidh *h, struct task_syscall *sc)
{
	char buf[256];
	ssize_t n = pidh_read(h, "syscall", buf, sizeof(buf), PFR_ONESHOT, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return syscall_parse(buf, sc);
}
