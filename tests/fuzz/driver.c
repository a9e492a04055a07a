/* A main() for the fuzz targets without libFuzzer: replay a corpus.
 *
 *	build/tests/fuzz-NAME FILE|DIR...
 *
 * Every file named, and every regular file directly in a directory named
 * (in name order, so a run is repeatable), is read whole and handed to
 * LLVMFuzzerTestOneInput once. The result is TAP, one test, so prove can run
 * it: "ok 1 - NAME replayed K inputs". A target that finds a broken
 * invariant aborts; the input being replayed is named on stderr first
 * (with FUZZ_VERBOSE=1 in the environment, every input is). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static const char *current;	/* the input being replayed, for a crash */
static int verbose;

static void on_crash(int sig)
{
	static const char pre[] = "# crashed on input: ";

	if (current) {
		if (write(STDERR_FILENO, pre, sizeof(pre) - 1) < 0 ||
		    write(STDERR_FILENO, current, strlen(current)) < 0 ||
		    write(STDERR_FILENO, "\n", 1) < 0)
			_exit(128 + sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read all of path into *out (malloc'd). Returns its length or -1. */
static ssize_t slurp(const char *path, uint8_t **out)
{
	size_t len = 0, cap = 4096;
	uint8_t *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				close(fd);
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*out = buf;
	return (ssize_t)len;
}

static int replay_file(const char *path)
{
	uint8_t *data;
	ssize_t n = slurp(path, &data);

	if (n < 0) {
		fprintf(stderr, "# cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	current = path;
	if (verbose)
		fprintf(stderr, "# %s (%zd bytes)\n", path, n);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	current = NULL;
	free(data);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replay the regular files in dir; returns how many, or -1. */
static long replay_dir(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name);
	long count = 0;
	int bad = 0;

	if (n < 0) {
		fprintf(stderr, "# cannot list %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (ents[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name) <
			    sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) < 0)
				bad = 1;
			else
				count++;
		}
		free(ents[i]);
	}
	free(ents);
	return bad ? -1 : count;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	long total = 0;
	int bad = 0;

	/* Only SIGABRT (a broken invariant): AddressSanitizer keeps its own
	 * SIGSEGV report. FUZZ_VERBOSE=1 names every input before it runs. */
	signal(SIGABRT, on_crash);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	printf("1..1\n");
	fflush(stdout);
	if (argc < 2) {
		fprintf(stderr, "# usage: %s FILE|DIR...\n", name);
		bad = 1;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "# cannot open %s: %s\n", argv[i], strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			long n = replay_dir(argv[i]);

			if (n < 0)
				bad = 1;
			else
				total += n;
		} else if (replay_file(argv[i]) < 0) {
			bad = 1;
		} else {
			total++;
		}
	}
	/* An empty corpus proves nothing: count it as a failure. */
	if (total == 0)
		bad = 1;
	printf("%sok 1 - %s replayed %ld input%s\n", bad ? "not " : "", name, total,
	       total == 1 ? "" : "s");
	return bad;
}
