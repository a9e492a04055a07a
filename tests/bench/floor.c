/* floor: the least a /proc scan can cost, the yardstick of `make bench`.
 *
 * It lists the numeric entries of /proc (or of $PROCDX_PROC) with
 * getdents64 and, for each PID, opens PID/stat relative to the /proc fd,
 * reads it once into a 4 KiB stack buffer and closes it: the same opens and
 * reads a stat-based scanner needs, with no parsing, no allocation and no
 * output but the count of files read. With the argument `tasks` it also
 * lists PID/task and reads every TID/stat under it, the floor of a thread
 * scan, and prints the number of task stat files read instead. With
 * `file NAME[,NAME...]` it reads those files of every process instead of
 * PID/stat (`file statm`, `file smaps_rollup`: the floors of memory scans;
 * `file stat,oom_score,oom_score_adj`: of oomctl list). `dir NAME[,NAME...]`
 * reads them the way a scanner that shows several files of a process in one
 * row must: through an open /proc/PID directory fd, whose owner (fstat) is
 * the USER column; `dir stat,smaps_rollup` is what plain memtop costs the
 * kernel at the least.
 *
 * It deliberately does not use lib/: it must stay the bare syscalls, so a
 * slower lib/ shows up as a higher ratio instead of moving the floor.
 */

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Big enough that a listing of /proc takes a handful of getdents64 calls. */
#define DENTS_SIZE	32768

static int is_pid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Open, read once and close path under dirfd. Returns 1 if something was
 * read, 0 if the task went away meanwhile (ENOENT, ESRCH) or failed. */
static int read_stat(int dirfd, const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

/* Read every task's stat under PID/task; returns how many were read. A
 * process that exits while we list it simply contributes fewer tasks. */
static unsigned long scan_tasks(int procfd, const char *pid)
{
	char path[64], dents[DENTS_SIZE];
	unsigned long count = 0;
	ssize_t n, off;
	int taskfd;

	snprintf(path, sizeof(path), "%s/task", pid);
	taskfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0)
		return 0;
	while ((n = getdents64(taskfd, dents, sizeof(dents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);

			off += d->d_reclen;
			if (!is_pid(d->d_name))
				continue;
			snprintf(path, sizeof(path), "%s/stat", d->d_name);
			count += read_stat(taskfd, path);
		}
	}
	close(taskfd);
	return count;
}

int main(int argc, char **argv)
{
	static char dents[DENTS_SIZE];
	const char *root = getenv("PROCDX_PROC");
	unsigned long procs = 0, tasks = 0;
	int procfd, want_tasks = 0, want_dir = 0;
	const char *file = "stat";
	char path[96];
	ssize_t n, off;

	if (argc == 2 && !strcmp(argv[1], "tasks")) {
		want_tasks = 1;
	} else if (argc == 3 && (!strcmp(argv[1], "file") || !strcmp(argv[1], "dir")) &&
		   strlen(argv[2]) < 64 && !strchr(argv[2], '/')) {
		want_dir = argv[1][0] == 'd';
		file = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [tasks | file NAME[,NAME...] | dir NAME[,NAME...]]\n",
			program_invocation_short_name);
		return 2;
	}
	if (!root || !*root)
		root = "/proc";
	procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		err(1, "cannot open %s", root);

	while ((n = getdents64(procfd, dents, sizeof(dents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);

			off += d->d_reclen;
			if (!is_pid(d->d_name))
				continue;
			/* `file a,b,c`: every listed file of the process, by
			 * its path under /proc; `dir a,b,c`: through PID's fd. */
			int base = procfd;

			if (want_dir) {
				struct stat sb;

				base = openat(procfd, d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (base < 0 || fstat(base, &sb) < 0) {
					if (base >= 0)
						close(base);
					continue;
				}
			}
			for (const char *f = file; *f;) {
				size_t len = strcspn(f, ",");

				if (want_dir)
					snprintf(path, sizeof(path), "%.*s", (int)len, f);
				else
					snprintf(path, sizeof(path), "%s/%.*s", d->d_name, (int)len, f);
				procs += read_stat(base, path);
				f += len + (f[len] == ',');
			}
			if (want_dir)
				close(base);
			if (want_tasks)
				tasks += scan_tasks(procfd, d->d_name);
		}
	}
	if (n < 0)
		err(1, "cannot list %s", root);
	close(procfd);

	printf("%lu\n", want_tasks ? tasks : procs);
	return fflush(stdout) == EOF ? 1 : 0;
}
