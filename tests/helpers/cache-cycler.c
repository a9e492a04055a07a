/* cache-cycler FILE [CGROUP_PROCS...]: memory pressure on demand.
 *
 * Joins each cgroup.procs file given (a memory cgroup whose limit the test
 * set below FILE's size), then reads FILE through the page cache, 1 MiB at
 * a time, round and round. Each pass needs pages the limit made the kernel
 * evict in the pass before: reclaim in the cgroup, and refaults of pages
 * just thrown out, which the kernel counts as memory stalls (PSI). The
 * pages cached before (by whoever wrote FILE) are dropped first. The
 * memory stays bounded by the cgroup's limit: page cache is reclaimable,
 * so nothing is killed. Stops by itself after 120 s.
 *
 * Output: "pid PID", then "ready" once the first pass is under way.
 */
#include <sys/stat.h>

#include "helper.h"

#define USAGE "FILE [CGROUP_PROCS...]"
#define CHUNK (1024 * 1024)
#define MAX_SECS 120

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
	static char buf[CHUNK];
	struct timespec start, now;
	struct stat st;
	off_t off = 0;
	int fd;

	if (argc < 2)
		helper_usage(USAGE);
	helper_init();
	for (int i = 2; i < argc; i++)
		join_cgroup(argv[i]);
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		err(1, "%s", argv[1]);
	if (st.st_size < CHUNK)
		errx(1, "%s: need at least 1 MiB", argv[1]);
	/* Pages cached before we joined belong to another cgroup: write
	 * them back and drop them, so that every page we read is ours. */
	if (fsync(fd) < 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
		err(1, "drop the cached pages of %s", argv[1]);
	printf("pid %d\n", (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0;; i++) {
		/* Read twice: a page used twice is promoted to the active
		 * list, so its eviction and refault count as thrashing. */
		ssize_t n = pread(fd, buf, CHUNK, off);

		if (n < 0 && errno != EINTR)
			err(1, "read");
		if (n > 0 && pread(fd, buf, (size_t)n, off) < 0 && errno != EINTR)
			err(1, "read");
		off = n > 0 && off + CHUNK < st.st_size ? off + CHUNK : 0;
		if (i == 1)
			helper_ready();
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= MAX_SECS)
			return 0;
	}
}
