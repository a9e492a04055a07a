/* traced-zombie: a zombie that its parent waits for and cannot reap, because
 * another process traces it and never waits.
 *
 * The kernel shows a traced zombie to its tracer alone: the real parent's
 * wait(2) sees it only after the tracer has waited for it, or detached
 * (by exiting). A stopped or stuck debugger or strace thus holds zombies
 * whose parent does everything right, and ending the parent frees none.
 * Here the parent blocks in waitpid() on the child, a sibling process
 * attaches to the child with PTRACE_SEIZE and then only pauses, and the
 * child exits.
 *
 * Output: "parent PID", "tracer PID", "zombie PID" (once the child has
 * exited), "ready"; then the parent waits in waitpid() until the scenario
 * is killed (the tracer dies with it, and the wait returns).
 */
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "helper.h"

#define EXIT_TIMEOUT_MS 5000

/* Read one byte from fd: the other side's go-ahead. */
static void await(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(1);
}

int main(int argc, char **argv)
{
	int to_child[2], to_tracer[2], from_tracer[2];
	pid_t self, child, tracer;
	char path[64], buf[512];

	(void)argv;
	if (argc != 1)
		helper_usage("");
	helper_init();
	self = getpid();
	if (pipe(to_child) < 0 || pipe(to_tracer) < 0 || pipe(from_tracer) < 0)
		err(1, "pipe");
	child = fork();
	if (child < 0)
		err(1, "fork");
	if (child == 0) {
		helper_die_with_parent(self);
		/* Yama (ptrace_scope 1) lets only ancestors attach unless the
		 * tracee names its tracer. */
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		await(to_child[0]);
		_exit(0);
	}
	tracer = fork();
	if (tracer < 0)
		err(1, "fork");
	if (tracer == 0) {
		helper_die_with_parent(self);
		await(to_tracer[0]);
		if (ptrace(PTRACE_SEIZE, child, NULL, NULL) < 0)
			_exit(1);
		if (write(from_tracer[1], "s", 1) != 1)
			_exit(1);
		/* Never waits: the zombie stays its to release. */
		for (;;)
			pause();
	}
	printf("parent %d\ntracer %d\n", (int)self, (int)tracer);
	if (write(to_tracer[1], "a", 1) != 1)
		err(1, "write");
	await(from_tracer[0]);
	if (write(to_child[1], "x", 1) != 1)
		err(1, "write");
	/* The exit seen from outside: stat says Z. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
	for (int ms = 0;; ms += 10) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		char *rp;

		if (f)
			fclose(f);
		buf[n] = '\0';
		if ((rp = strrchr(buf, ')')) && rp[1] == ' ' && rp[2] == 'Z')
			break;
		if (ms >= EXIT_TIMEOUT_MS)
			errx(1, "child %d did not exit", (int)child);
		usleep(10000);
	}
	printf("zombie %d\n", (int)child);
	helper_ready();
	/* A parent that does wait: the wait cannot see the traced zombie. */
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	helper_pause_forever();
}
