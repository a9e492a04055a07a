/* /proc/PID/task/TID/syscall and syscall names. */
#ifndef PROCDX_SYSCALLS_H
#define PROCDX_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

enum sc_state {
	SC_RUNNING,	/* "running": on a CPU, no syscall to tell */
	SC_NONE,	/* "-1 sp pc": blocked outside a syscall (a fault, a trap) */
	SC_IN,		/* "nr a0 a1 a2 a3 a4 a5 sp pc": inside syscall nr */
};

struct task_syscall {
	enum sc_state state;
	long nr;
	uint64_t args[6];
	uint64_t sp, pc;
};

/* Parse the text of a syscall file. Returns 0, or -EINVAL when it is none
 * of the three forms (kernel threads on older kernels print zeros: that
 * parses as syscall 0 with zero args; callers may treat a kernel thread's
 * syscall as meaningless). */
int syscall_parse(const char *text, struct task_syscall *sc);
/* Read h's syscall file. -EACCES without ptrace access (root, or the same
 * user with ptrace_scope allowing it). */
int syscall_read(struct pidh *h, struct task_syscall *sc);

/* The name of syscall nr on this build's architecture into buf, or
 * "syscall_NNN" for a number the table does not know. Returns buf. */
const char *syscall_name(long nr, char *buf, size_t size);

/* Whether the first argument of syscall nr is a file descriptor (read,
 * write, fsync, ioctl...), so that it names the file waited on. */
bool syscall_arg0_is_fd(long nr);

#endif
