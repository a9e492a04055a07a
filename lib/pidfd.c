/* pidfd helpers. The order matters: the pidfd is opened first and the start
 * time checked after, so the fd cannot refer to a process other than the
 * one whose start time matched. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidfd.h"
#include "pidstat.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

bool pidfd_ns_init(const struct proc_status *status)
{
	return status && (status->has & STF_NSPID) && status->nspid_inner == 1;
}

bool pidfd_refused(const struct proc_stat *st, const struct proc_status *status)
{
	return st->pid <= 1 || st->pid == getpid() || (st->flags & PF_KTHREAD_FLAG) ||
	       pidfd_ns_init(status);
}

static int check_target(const struct procfs *pf, pid_t pid, uint64_t starttime)
{
	struct proc_status status;
	struct proc_stat st;
	struct pidh h;
	bool have_status;
	int r;

	pidh_open(&h, pf, pid, false);
	/* status before stat: once stat shows the start time, the process
	 * the pidfd pins held the PID from the pidfd's opening until then,
	 * so status, read in between, was its own. */
	have_status = status_read(&h, &status) == 0;
	r = stat_read(&h, &st);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	if (st.starttime != starttime)
		return -ESTALE;
	if (pidfd_refused(&st, have_status ? &status : NULL))
		return -EINVAL;
	return 0;
}

int pidfd_open_checked(const struct procfs *pf, pid_t pid, uint64_t starttime)
{
	struct statfs sfs;
	int fd, r;

	if (pf->alternate || fstatfs(pf->procfd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return -EXDEV;
	if (pid <= 1 || pid == getpid())
		return -EINVAL;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 && errno == ENOSYS) {
		char path[24];

		/* Before 5.3: a /proc/PID dirfd is accepted by
		 * pidfd_send_signal (5.1) and pins the same process. */
		snprintf(path, sizeof(path), "%d", (int)pid);
		fd = openat(pf->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	r = check_target(pf, pid, starttime);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int pidfd_signal(int fd, int sig)
{
	if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
		return -errno;
	return 0;
}
