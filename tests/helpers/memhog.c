/* memhog MODE ARGS: memory of a known size and shape, for memtop and oomctl.
 *
 *   memhog anon MIB          MIB of private anonymous memory, touched
 *   memhog shared MIB N      MIB of shared anonymous memory, touched by N
 *                            processes (this one and N-1 children): each
 *                            one's PSS is MIB/N, its RSS MIB
 *   memhog file PATH         map PATH and read every page (file-backed)
 *   memhog grow MIB_PER_SEC  grow by that much anonymous memory a second
 *   memhog hugetlb N         N huge pages (MAP_HUGETLB) private and N shared,
 *                            touched: needs vm.nr_hugepages >= 2N
 *
 * Output: "pid PID" (and "child PID" for shared), then "ready" once the
 * memory is in place; then pauses (grow keeps growing, up to 4 GiB).
 * With MEMHOG_NAME_HEX in the environment it first renames itself to those
 * bytes (a hostile name for the OOM killer's log).
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "helper.h"

#define USAGE "anon MIB | shared MIB N | file PATH | grow MIB_PER_SEC | hugetlb N"
#define MIB (1024UL * 1024UL)

static void touch(volatile char *p, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < len; i += (size_t)page)
		p[i] = (char)i;
}

static char *map_anon(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		err(1, "mmap %zu", len);
	return p;
}

int main(int argc, char **argv)
{
	long mib = 0, n = 0;

	const char *hexname = getenv("MEMHOG_NAME_HEX");
	char name[65];

	if (argc < 3)
		helper_usage(USAGE);
	if (hexname && (helper_decode_hex(hexname, name, sizeof(name) - 1) < 0 ||
			prctl(PR_SET_NAME, name, 0, 0, 0) < 0))
		errx(2, "bad MEMHOG_NAME_HEX");
	helper_init();
	if (!strcmp(argv[1], "anon") && argc == 3 &&
	    helper_parse_long(argv[2], 1, 65536, &mib) == 0) {
		touch(map_anon((size_t)mib * MIB, MAP_PRIVATE), (size_t)mib * MIB);
		printf("pid %d\n", (int)getpid());
	} else if (!strcmp(argv[1], "shared") && argc == 4 &&
		   helper_parse_long(argv[2], 1, 65536, &mib) == 0 &&
		   helper_parse_long(argv[3], 1, 64, &n) == 0) {
		size_t len = (size_t)mib * MIB;
		char *p = map_anon(len, MAP_SHARED);
		int pipefd[2];

		touch(p, len);
		printf("pid %d\n", (int)getpid());
		if (pipe(pipefd) < 0)
			err(1, "pipe");
		for (long i = 1; i < n; i++) {
			pid_t self = getpid(), kid = fork();

			if (kid < 0)
				err(1, "fork");
			if (kid == 0) {
				char c = 'x';

				helper_die_with_parent(self);
				/* Map the pages into this process too: read them. */
				for (size_t k = 0; k < len; k += 4096)
					c ^= ((volatile char *)p)[k];
				if (write(pipefd[1], &c, 1) != 1)
					_exit(1);
				helper_pause_forever();
			}
			printf("child %d\n", (int)kid);
		}
		for (long i = 1; i < n; i++) {
			char c;

			if (read(pipefd[0], &c, 1) != 1)
				err(1, "child");
		}
	} else if (!strcmp(argv[1], "file") && argc == 3) {
		struct stat st;
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		volatile char *p;
		char c = 0;

		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
			err(1, "%s", argv[2]);
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			err(1, "mmap %s", argv[2]);
		for (off_t k = 0; k < st.st_size; k += 4096)
			c ^= p[k];
		(void)c;
		printf("pid %d\n", (int)getpid());
	} else if (!strcmp(argv[1], "hugetlb") && argc == 3 &&
		   helper_parse_long(argv[2], 1, 1024, &n) == 0) {
		/* The default huge page size, from the kernel's own count. */
		long kb = 0;
		char line[128];
		FILE *f = fopen("/proc/meminfo", "re");

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "Hugepagesize: %ld kB", &kb) == 1)
				break;
		if (f)
			fclose(f);
		if (kb <= 0)
			errx(1, "no Hugepagesize in /proc/meminfo");
		for (int shared = 0; shared < 2; shared++) {
			size_t len = (size_t)n * (size_t)kb * 1024;

			touch(map_anon(len, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_HUGETLB), len);
		}
		printf("pid %d\n", (int)getpid());
	} else if (!strcmp(argv[1], "grow") && argc == 3 &&
		   helper_parse_long(argv[2], 1, 1024, &mib) == 0) {
		struct timespec tick = { 0, 100 * 1000 * 1000 };
		size_t step = (size_t)mib * MIB / 10, total = 0;

		printf("pid %d\n", (int)getpid());
		helper_ready();
		/* A tenth of the rate every 100 ms: steady, like a leak. */
		while (total + step <= 4096 * MIB) {
			touch(map_anon(step, MAP_PRIVATE), step);
			total += step;
			helper_sleep(&tick);
		}
		helper_pause_forever();
	} else {
		helper_usage(USAGE);
	}
	helper_ready();
	helper_pause_forever();
}
