/* Acting on a process safely: through a pidfd whose start time was checked,
 * on a procfs verified to be the live one. A recycled PID is never hit. */
#ifndef PROCDX_PIDFD_H
#define PROCDX_PIDFD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pidstat.h"
#include "procfs.h"

/* Whether the process whose stat is st, and status (NULL when it could not
 * be read), is one that is never signalled: PID 1 of any PID namespace (an
 * init: ending one ends every process in its namespace, a whole container;
 * seen from outside, only the last NSpid field says so), a kernel thread,
 * or this process. */
bool pidfd_refused(const struct proc_stat *st, const struct proc_status *status);

/* Whether status (NULL: unknown) is a leader's that is PID 1 of its own PID
 * namespace: its NSpid line ends in 1. A thread's status does not say: its
 * NSpid holds its own TID. */
bool pidfd_ns_init(const struct proc_status *status);

/* Open a pidfd (or, before Linux 5.3, a /proc/PID dirfd) for pid and check
 * that the process is still the one that started at starttime (stat field
 * 22) and is not refused (pidfd_refused). Returns the fd, or -EXDEV (an
 * alternate proc root: no writes), -ESRCH (gone), -ESTALE (the PID now
 * names another process), -EINVAL (a refused target: PID 1 of any PID
 * namespace, kernel thread, self), or another -errno. */
int pidfd_open_checked(const struct procfs *pf, pid_t pid, uint64_t starttime);

/* Send sig through fd from pidfd_open_checked. Returns 0 or -errno. */
int pidfd_signal(int fd, int sig);

#endif
