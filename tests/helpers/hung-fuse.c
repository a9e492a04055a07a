/* hung-fuse DIR FILE: a filesystem whose server stops answering.
 *
 * A hard NFS mount whose server is gone, or a FUSE daemon that is stuck,
 * leaves anyone who asks it for something uncached in D until it answers,
 * and a kill -9 does not help once the request was sent. A diagnostic tool
 * must not ask such a filesystem anything on behalf of a process it looks
 * at. This helper mounts a FUSE filesystem at DIR (root, /dev/fuse) whose
 * only file, "prog", holds a copy of FILE: a program run from there has
 * its executable on it. Attributes are never cached (every stat asks).
 * After SIGUSR1 the server leaves every GETATTR of "prog" unanswered;
 * reads of its pages are still served, so the program itself runs on.
 *
 * Output: "ready" once mounted. Then serve until killed: the server's end
 * aborts the connection and every waiter gets an error. The mount stays
 * until the test unmounts it (umount -l).
 */
#include <linux/fuse.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "helper.h"

#define USAGE "DIR FILE"
#define ROOT_ID 1
#define PROG_ID 2
/* Big enough for any request the kernel sends with max_write below. */
#define BUF_SIZE (1 << 17)

static volatile sig_atomic_t hung;
static char *image;
static size_t image_len;
static int dev;

static void on_usr1(int sig)
{
	(void)sig;
	hung = 1;
}

static void answer(uint64_t unique, int error, const void *body, size_t len)
{
	static char out[BUF_SIZE];
	struct fuse_out_header *h = (struct fuse_out_header *)out;

	if (len > sizeof(out) - sizeof(*h))
		len = sizeof(out) - sizeof(*h);
	h->len = (uint32_t)(sizeof(*h) + len);
	h->error = error;
	h->unique = unique;
	if (len)
		memcpy(out + sizeof(*h), body, len);
	/* A request whose asker gave up is answered with ENOENT: no matter. */
	if (write(dev, out, h->len) < 0 && errno != ENOENT)
		err(1, "write /dev/fuse");
}

static void fill_attr(struct fuse_attr *a, uint64_t id)
{
	memset(a, 0, sizeof(*a));
	a->ino = id;
	a->blksize = 4096;
	if (id == ROOT_ID) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0755;
		a->nlink = 1;
		a->size = image_len;
		a->blocks = (image_len + 511) / 512;
	}
}

static void load(const char *path)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		err(1, "%s", path);
	image_len = (size_t)st.st_size;
	image = malloc(image_len ? image_len : 1);
	if (!image)
		err(1, "malloc");
	while (done < image_len) {
		ssize_t n = read(fd, image + done, image_len - done);

		if (n <= 0)
			err(1, "read %s", path);
		done += (size_t)n;
	}
	close(fd);
}

static void serve(const char *req)
{
	const struct fuse_in_header *h = (const struct fuse_in_header *)req;
	const char *arg = req + sizeof(*h);

	switch (h->opcode) {
	case FUSE_INIT: {
		const struct fuse_init_in *in = (const struct fuse_init_in *)arg;
		struct fuse_init_out o = { .major = FUSE_KERNEL_VERSION };

		o.minor = in->minor < 31 ? in->minor : 31;
		o.max_readahead = 65536;
		o.max_write = 65536;
		answer(h->unique, 0, &o, sizeof(o));
		break;
	}
	case FUSE_LOOKUP: {
		struct fuse_entry_out e = { .nodeid = PROG_ID };

		if (strcmp(arg, "prog")) {
			answer(h->unique, -ENOENT, NULL, 0);
			break;
		}
		fill_attr(&e.attr, PROG_ID);
		answer(h->unique, 0, &e, sizeof(e));
		break;
	}
	case FUSE_GETATTR: {
		struct fuse_attr_out a = { 0 };

		if (hung && h->nodeid == PROG_ID)
			break;	/* never answered */
		fill_attr(&a.attr, h->nodeid);
		answer(h->unique, 0, &a, sizeof(a));
		break;
	}
	case FUSE_OPEN: {
		struct fuse_open_out o = { .fh = 1 };

		answer(h->unique, 0, &o, sizeof(o));
		break;
	}
	case FUSE_READ: {
		const struct fuse_read_in *r = (const struct fuse_read_in *)arg;
		size_t off = r->offset < image_len ? (size_t)r->offset : image_len;
		size_t len = image_len - off < r->size ? image_len - off : r->size;

		answer(h->unique, 0, image + off, len);
		break;
	}
	case FUSE_RELEASE:
	case FUSE_FLUSH:
		answer(h->unique, 0, NULL, 0);
		break;
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:
		break;	/* no answer expected */
	case FUSE_DESTROY:
		answer(h->unique, 0, NULL, 0);
		exit(0);
	default:
		answer(h->unique, -ENOSYS, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	static char req[BUF_SIZE];
	char opts[128];

	if (argc != 3)
		helper_usage(USAGE);
	helper_init();
	load(argv[2]);
	if (signal(SIGUSR1, on_usr1) == SIG_ERR)
		err(1, "signal");
	dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		err(1, "/dev/fuse");
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", dev);
	if (mount("procdx-test", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts) < 0)
		err(1, "mount fuse on %s", argv[1]);
	helper_ready();
	for (;;) {
		ssize_t n = read(dev, req, sizeof(req));

		if (n < 0) {
			/* ENOENT: a request withdrawn before it was read. */
			if (errno == EINTR || errno == ENOENT || errno == EAGAIN)
				continue;
			if (errno == ENODEV)
				return 0;	/* unmounted */
			err(1, "read /dev/fuse");
		}
		if ((size_t)n >= sizeof(struct fuse_in_header))
			serve(req);
	}
}
