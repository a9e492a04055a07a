/* Acting on a process safely: through a pidfd whose start time was checked,
 * on a procfs verified to be the live one. A recycled PID is never hit. */
#ifndef PROCDX_PIDFD_H
#define PROCDX_PIDFD_H

#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

/* Open a pidfd (or, before Linux 5.3, a /proc/PID dirfd) for pid and check
 * that the process is still the one that started at starttime (stat field
 * 22) and is not PID 1, a kernel thread, or this process. Returns the fd,
 * or -EXDEV (an alternate proc root: no writes), -ESRCH (gone), -ESTALE (the
 * PID now names another process), -EINVAL (a refused target: PID 1, kernel
 * thread, self), or another -errno. */
int pidfd_open_checked(const struct procfs *pf, pid_t pid, uint64_t starttime);

/* Send sig through fd from pidfd_open_checked. Returns 0 or -errno. */
int pidfd_signal(int fd, int sig);

#endif
