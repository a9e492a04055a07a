/* lock-waiter pipe | file FILE | fpos FILE | dir DIR: a thread in D waiting
 * for a kernel lock that another thread of ours holds.
 *
 * A sleeping lock (a mutex, an rwsem) is hard to hold from user space on
 * purpose; userfaultfd makes it easy. The holder thread makes a system call
 * that takes the lock and then copies from or to a buffer in a region
 * registered with userfaultfd for missing pages, which nobody serves: the
 * copy faults and waits for a page that never comes (in S, the fault is
 * interruptible), with the lock held. The waiter thread then makes a system
 * call that needs the same lock and sleeps for it in D, as long as we live.
 *
 *   pipe       the holder write()s to a pipe: the pipe mutex; the waiter
 *              write()s one byte to the same pipe (a full pipe would wait
 *              in S, and this one is empty).
 *   file FILE  the holder pwrite()s to FILE (created): the inode lock; the
 *              waiter ftruncate()s it.
 *   fpos FILE  the holder read()s from FILE (created with some bytes)
 *              through a descriptor both threads share: the file position
 *              lock; the waiter read()s from the same descriptor.
 *   dir DIR    the holder reads the entries of DIR (getdents64): the
 *              directory's lock, shared; the waiter creates DIR/sub with
 *              mkdir(), which needs it exclusively.
 *
 * Output: "pid PID", "holder TID" once its fault is queued (with the lock
 * held), "waiter TID", then "ready" once the waiter has been in D for
 * 100 ms. Without userfaultfd for kernel faults (it needs root, or
 * CAP_SYS_PTRACE, or vm.unprivileged_userfaultfd=1) it says why on stderr,
 * starting "userfaultfd unavailable:", and exits 3.
 */
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "helper.h"

#define USAGE "pipe | file FILE | fpos FILE | dir DIR"
#define REGION 4096

enum mode { M_PIPE, M_FILE, M_FPOS, M_DIR };

static enum mode mode;
static const char *path;
static char *region;		/* registered, never served: every access waits */
static int uffd;
static int pfd[2];		/* M_PIPE */
static int fd;			/* M_FILE, M_FPOS: the file; M_DIR: the directory */
static volatile pid_t holder_tid, waiter_tid;

/* The lock's system call, with the unserved region as its buffer. It does
 * not return while we live. */
static void *holder(void *arg)
{
	(void)arg;
	holder_tid = (pid_t)syscall(SYS_gettid);
	switch (mode) {
	case M_PIPE:
		if (write(pfd[1], region, REGION) < 0)
			err(1, "holder write");
		break;
	case M_FILE:
		if (pwrite(fd, region, REGION, 0) < 0)
			err(1, "holder pwrite");
		break;
	case M_FPOS:
		if (read(fd, region, REGION) < 0)
			err(1, "holder read");
		break;
	case M_DIR:
		if (syscall(SYS_getdents64, fd, region, REGION) < 0)
			err(1, "holder getdents64");
		break;
	}
	errx(1, "the holder's system call returned");
}

static void *waiter(void *arg)
{
	char c = 'x', sub[PATH_MAX];

	(void)arg;
	waiter_tid = (pid_t)syscall(SYS_gettid);
	switch (mode) {
	case M_PIPE:
		if (write(pfd[1], &c, 1) < 0)
			err(1, "waiter write");
		break;
	case M_FILE:
		if (ftruncate(fd, 0) < 0)
			err(1, "waiter ftruncate");
		break;
	case M_FPOS:
		if (read(fd, &c, 1) < 0)
			err(1, "waiter read");
		break;
	case M_DIR:
		snprintf(sub, sizeof(sub), "%s/sub", path);
		if (mkdir(sub, 0700) < 0)
			err(1, "waiter mkdir");
		break;
	}
	errx(1, "the waiter got the lock");
}

/* The region, registered for missing pages with a userfaultfd that handles
 * faults of the kernel too (no UFFD_USER_MODE_ONLY): the holder's copy is
 * a kernel access. */
static void setup_region(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0) {
		fprintf(stderr, "userfaultfd unavailable: %s\n", strerror(errno));
		exit(3);
	}
	if (ioctl(uffd, UFFDIO_API, &api) < 0) {
		fprintf(stderr, "userfaultfd unavailable: UFFDIO_API: %s\n", strerror(errno));
		exit(3);
	}
	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		err(1, "mmap");
	reg.range.start = (unsigned long)region;
	reg.range.len = REGION;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		fprintf(stderr, "userfaultfd unavailable: UFFDIO_REGISTER: %s\n", strerror(errno));
		exit(3);
	}
	/* uffd stays open: closing it would wake the holder. */
}

static void setup_object(void)
{
	switch (mode) {
	case M_PIPE:
		if (pipe2(pfd, O_CLOEXEC) < 0)
			err(1, "pipe");
		break;
	case M_FILE:
	case M_FPOS:
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			err(1, "%s", path);
		/* A read of an empty file returns before it copies anything. */
		if (mode == M_FPOS && pwrite(fd, "data\n", 5, 0) != 5)
			err(1, "%s", path);
		break;
	case M_DIR:
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			err(1, "%s", path);
		break;
	}
}

static void start_thread(void *(*fn)(void *))
{
	pthread_t th;
	int e = pthread_create(&th, NULL, fn, NULL);

	if (e) {
		errno = e;
		err(1, "pthread_create");
	}
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "pipe", "file", "fpos", "dir" };
	const struct timespec tick = { 0, 10000000 };
	struct uffd_msg msg;
	pid_t tid, pp;
	int stable;
	size_t m;

	if (argc < 2)
		helper_usage(USAGE);
	for (m = 0; m < sizeof(names) / sizeof(names[0]) && strcmp(argv[1], names[m]); m++)
		;
	if (m == sizeof(names) / sizeof(names[0]) || argc != (m == M_PIPE ? 2 : 3))
		helper_usage(USAGE);
	mode = (enum mode)m;
	path = argv[2];

	helper_init();
	setup_region();
	setup_object();
	printf("pid %d\n", (int)getpid());
	start_thread(holder);
	/* The fault is queued on uffd with the lock already held: the lock
	 * is taken before the copy that faults. */
	while (read(uffd, &msg, sizeof(msg)) < 0)
		if (errno != EINTR)
			err(1, "read userfaultfd");
	if (msg.event != UFFD_EVENT_PAGEFAULT)
		errx(1, "userfaultfd: event %u, not a page fault", (unsigned)msg.event);
	printf("holder %d\n", (int)holder_tid);
	start_thread(waiter);
	while (!(tid = waiter_tid))
		sched_yield();
	/* D for 100 ms on end: asleep on the lock, not passing through a
	 * short sleep on the way to it. */
	for (stable = 0; stable < 10; stable++) {
		if (helper_wait_state(tid, 'D', 5000) < 0) {
			char st = helper_proc_state(tid, &pp);

			errx(1, "the waiter %d is in %c, not D", (int)tid, st ? st : '?');
		}
		helper_sleep(&tick);
		if (helper_proc_state(tid, &pp) != 'D')
			stable = -1;
	}
	printf("waiter %d\n", (int)tid);
	helper_ready();
	helper_pause_forever();
}
