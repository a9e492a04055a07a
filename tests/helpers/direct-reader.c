/* direct-reader FILE [CGROUP_PROCS...]: block I/O waits on demand.
 *
 * Joins each cgroup.procs file given (a blkio/io cgroup whose read
 * bandwidth the test throttled for FILE's disk), then reads FILE with
 * O_DIRECT, 1 MiB at a time, round and round. O_DIRECT bypasses the page
 * cache, so every read goes to the throttled device and the reader sits in
 * D on block I/O: what dstate, loadwhy and iowho must recognise.
 *
 * Output: "pid PID", then "ready" once the first read has been issued.
 */
#include <stdint.h>
#include <sys/stat.h>

#include "helper.h"

#define USAGE "FILE [CGROUP_PROCS...]"
#define CHUNK (1024 * 1024)

static void join_cgroup(const char *procs)
{
	char buf[32];
	int fd = open(procs, O_WRONLY | O_CLOEXEC);
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		err(1, "join %s", procs);
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	void *buf;
	off_t off = 0;
	int fd;

	if (argc < 2)
		helper_usage(USAGE);
	helper_init();
	for (int i = 2; i < argc; i++)
		join_cgroup(argv[i]);
	fd = open(argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		err(1, "%s", argv[1]);
	if (st.st_size < CHUNK)
		errx(1, "%s: need at least 1 MiB", argv[1]);
	if (posix_memalign(&buf, 4096, CHUNK))
		errx(1, "out of memory");
	printf("pid %d\n", (int)getpid());
	helper_ready();
	for (;;) {
		ssize_t n = pread(fd, buf, CHUNK, off);

		if (n < 0 && errno != EINTR)
			err(1, "read");
		off = n > 0 && off + CHUNK < st.st_size ? off + CHUNK : 0;
	}
}
