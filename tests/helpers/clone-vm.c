/* clone-vm [HEXNAME]: two processes on one memory, as clone(CLONE_VM)
 * without CLONE_VFORK makes them.
 *
 * Unlike a vfork pair, neither waits for the other: both run, and the
 * kernel marks their memory as shared between processes (MMF_MULTIPROCESS),
 * so writing oom_score_adj of either one sets the other too. Tools that
 * write it must see the pair. The child comes from clone(CLONE_VM |
 * SIGCHLD) on its own mmap'd stack, stays in our process group and
 * pauses; with HEXNAME it first renames itself (prctl PR_SET_NAME) to
 * those bytes, so that messages naming it meet a hostile name.
 *
 * Output: "parent PID", "child PID", "ready". Then both pause until
 * killed (kill the process group).
 */
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "helper.h"

#define USAGE "[HEXNAME]"
#define CHILD_STACK (256 * 1024)
#define NAME_TIMEOUT_MS 5000

static char child_name[65];
/* The child writes this in the memory it shares with us. */
static volatile sig_atomic_t child_named;

static int child_main(void *arg)
{
	(void)arg;
	/* No stdio here: its buffers and locks are the parent's. */
	if (child_name[0] && prctl(PR_SET_NAME, child_name, 0, 0, 0) < 0)
		_exit(1);
	child_named = 1;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 1000000 };
	void *stack;
	pid_t kid;
	int i;

	if (argc > 2 || (argc == 2 && helper_decode_hex(argv[1], child_name,
							 sizeof(child_name) - 1) < 0))
		helper_usage(USAGE);

	helper_init();
	printf("parent %d\n", (int)getpid());
	stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		err(1, "mmap");
	/* The stack grows down on x86_64: pass its top. */
	kid = clone(child_main, (char *)stack + CHILD_STACK, CLONE_VM | SIGCHLD, NULL);
	if (kid < 0)
		err(1, "clone");
	for (i = 0; !child_named && i < NAME_TIMEOUT_MS; i++)
		nanosleep(&tick, NULL);
	if (!child_named)
		errx(1, "child %d did not start within %d ms", (int)kid, NAME_TIMEOUT_MS);
	printf("child %d\n", (int)kid);
	helper_ready();
	helper_pause_forever();
}
