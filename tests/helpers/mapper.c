/* mapper DIR: a process with one mapping of every kind vmmap tells apart,
 * all of them resident, for vmmap's live tests.
 *
 *   text     its own code (main)
 *   data     an initialised static array (in the binary's data segment)
 *   bss      a big zero static array (past the data: anonymous)
 *   heap     malloc'd from the brk heap and touched (sbrk itself when the
 *            allocator is not brk's, as under AddressSanitizer)
 *   stack    a local variable
 *   vdso     the vDSO the kernel maps in (AT_SYSINFO_EHDR)
 *   shm      4 MiB of MAP_SHARED anonymous memory, touched
 *   anon     1 MiB of MAP_PRIVATE anonymous memory, touched
 *   file     a file named "map me\nnow" (a space and a newline) that it
 *            creates in DIR, mapped and read
 *   deleted  DIR/gone.dat, mapped, read, then unlinked
 *
 * Output: "pid PID", then "KIND 0xADDR" for an address inside each of
 * those mappings, then "ready". Then it pauses until killed.
 */
#include <sys/auxv.h>
#include <sys/mman.h>
#include <malloc.h>

#include "helper.h"

#define USAGE "DIR"
#define DATA_SIZE (64 * 1024)
#define BSS_SIZE (8 * 1024 * 1024)
#define HEAP_SIZE (1024 * 1024)
#define SHM_SIZE (4 * 1024 * 1024)
#define ANON_SIZE (1024 * 1024)
#define FILE_SIZE (16 * 1024)
#define DELETED_SIZE (8 * 1024)

/* Not zero, so in the data segment; every page written, so resident. */
static char data_arr[DATA_SIZE] = { 1 };
static char bss_arr[BSS_SIZE];

/* Create path holding size bytes, map it privately and read every page.
 * Returns the mapping. */
static char *map_file(const char *path, size_t size)
{
	char buf[4096];
	volatile char sum = 0;
	char *p;
	int fd;

	memset(buf, 'x', sizeof(buf));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		err(1, "%s", path);
	for (size_t n = 0; n < size; n += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			err(1, "write %s", path);
	p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap %s", path);
	close(fd);
	for (size_t i = 0; i < size; i += 4096)
		sum += p[i];
	(void)sum;
	return p;
}

static char *map_anon(size_t size, int flags)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		err(1, "mmap");
	memset(p, 0x5a, size);
	return p;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], gone[PATH_MAX];
	volatile char local = 1;
	char *heap, *shm, *anon, *file, *del;
	void *brk0;

	if (argc != 2)
		helper_usage(USAGE);
	if ((size_t)snprintf(path, sizeof(path), "%s/map me\nnow", argv[1]) >= sizeof(path) ||
	    (size_t)snprintf(gone, sizeof(gone), "%s/gone.dat", argv[1]) >= sizeof(gone))
		errx(1, "DIR too long");
	helper_init();

	memset(data_arr, 1, sizeof(data_arr));
	memset(bss_arr, 2, sizeof(bss_arr));

	/* Below the mmap threshold, malloc takes it from the brk heap. */
	mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
	brk0 = sbrk(0);
	heap = malloc(HEAP_SIZE);
	if (!heap)
		err(1, "malloc");
	if (sbrk(0) == brk0) {
		/* A sanitizer's allocator maps its own memory. */
		free(heap);
		heap = sbrk(HEAP_SIZE);
		if (heap == (void *)-1)
			err(1, "sbrk");
	}
	memset(heap, 3, HEAP_SIZE);

	shm = map_anon(SHM_SIZE, MAP_SHARED);
	anon = map_anon(ANON_SIZE, MAP_PRIVATE);
	file = map_file(path, FILE_SIZE);
	del = map_file(gone, DELETED_SIZE);
	if (unlink(gone) < 0)
		err(1, "unlink %s", gone);

	printf("pid %d\n", (int)getpid());
	printf("text %p\n", (void *)(uintptr_t)main);
	printf("data %p\n", (void *)(data_arr + DATA_SIZE / 2));
	printf("bss %p\n", (void *)(bss_arr + BSS_SIZE / 2));
	printf("heap %p\n", (void *)(heap + HEAP_SIZE / 2));
	printf("stack %p\n", (void *)&local);
	printf("vdso %p\n", (void *)getauxval(AT_SYSINFO_EHDR));
	printf("shm %p\n", (void *)shm);
	printf("anon %p\n", (void *)anon);
	printf("file %p\n", (void *)file);
	printf("deleted %p\n", (void *)del);
	helper_ready();
	helper_pause_forever();
}
