/* zfind-reuse: a zombie whose parent can, on cue, reap it or be replaced
 * by an unrelated process on the same PID.
 *
 * A tool that reads a zombie's PPID and later signals "the process with
 * that PID" must check that the two are still one process, and still the
 * zombie's parent. This helper builds each way that can go wrong, when a
 * test asks, so that the test can do it while the tool is held (strace
 * delays one of its system calls) between its reads and its signal:
 *
 *  - The helper (a child subreaper) forks the parent, which forks a child
 *    that exits at once: the zombie. The parent never waits on its own.
 *  - SIGUSR1 to the parent: it reaps the zombie and says "reaped PID".
 *  - SIGUSR1 to the helper: it kills and reaps the parent, so that the
 *    zombie passes to the helper (which keeps it unreaped), and makes a new
 *    process, the victim, on the parent's PID with clone3's set_tid. It
 *    says "reused PID", or "reuse-failed ERRNO".
 *
 * The parent and the victim block every signal and log each one a process
 * sends them ("parent-signal SIG", "victim-signal SIG"), so a test sees who
 * was hit; the kernel's own SIGCHLD for the zombie is not logged.
 *
 * set_tid needs Linux 5.5 and CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE) in
 * the PID namespace's user namespace. Before "ready" the helper says
 * whether it has that: "set_tid yes", or "set_tid no ERRNO".
 *
 * Output: "parent PID", "zombie PID", "set_tid ...", "ready", then the
 * lines above as things happen.
 */
#include <linux/sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "helper.h"

#define ZOMBIE_TIMEOUT_MS 5000

/* One line to stdout with a single write(2): the helper and its children
 * share the file, and children must not touch the helper's stdio buffers. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(STDOUT_FILENO, line, (size_t)n) != n)
		_exit(1);
}

/* clone3 with set_tid: a child on exactly PID want (fork semantics). Returns
 * the PID in the parent, 0 in the child, -errno on failure. */
static pid_t clone_on(pid_t want)
{
	struct clone_args ca;
	long r;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&want;
	ca.set_tid_size = 1;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	return r < 0 ? -errno : (pid_t)r;
}

/* Wait for signals with all of them blocked (only SIGKILL and SIGSTOP get
 * through) and log those a process sent. SIGUSR1 runs on_usr1 instead when
 * it is given. */
static void __attribute__((noreturn)) log_signals(const char *who, void (*on_usr1)(void))
{
	sigset_t all;

	sigfillset(&all);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);

		if (sig == SIGUSR1 && on_usr1)
			on_usr1();
		else if (sig > 0 && si.si_code <= 0)
			/* SI_USER, SI_QUEUE...: from a process, not the kernel. */
			say("%s-signal %d\n", who, sig);
	}
}

static pid_t zombie;

static void reap_zombie(void)
{
	if (waitpid(zombie, NULL, 0) == zombie)
		say("reaped %d\n", (int)zombie);
}

/* The parent: fork the zombie, send its PID up the pipe, then wait for
 * orders. Every signal is blocked from the start, so the zombie's exit
 * leaves SIGCHLD pending rather than lost, and nothing ever reaps it but an
 * order. */
static void __attribute__((noreturn)) parent_main(pid_t helper, int fd)
{
	helper_die_with_parent(helper);
	zombie = fork();
	if (zombie < 0)
		_exit(1);
	if (zombie == 0)
		_exit(0);
	if (helper_wait_state(zombie, 'Z', ZOMBIE_TIMEOUT_MS) < 0 ||
	    write(fd, &zombie, sizeof(zombie)) != sizeof(zombie))
		_exit(1);
	close(fd);
	log_signals("parent", reap_zombie);
}

int main(int argc, char **argv)
{
	sigset_t all, usr1, old;
	pid_t self = getpid(), parent, z, victim, probe;
	int fds[2];

	(void)argv;
	if (argc != 1)
		helper_usage("");
	helper_init();
	/* The zombie passes to us, not to init, when its parent is killed. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		err(1, "prctl PR_SET_CHILD_SUBREAPER");
	/* Children are born with every signal blocked; we keep SIGUSR1 for
	 * sigwaitinfo. */
	sigfillset(&all);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &all, &old) < 0 || pipe(fds) < 0)
		err(1, "setup");

	parent = fork();
	if (parent < 0)
		err(1, "fork");
	if (parent == 0) {
		close(fds[0]);
		parent_main(self, fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], &z, sizeof(z)) != sizeof(z))
		errx(1, "the parent did not make its zombie");
	close(fds[0]);

	/* Our own PID is taken: with the privilege set_tid fails EEXIST,
	 * without it EPERM (checked first), and ENOSYS, E2BIG or EINVAL on a
	 * kernel without it. No process is made either way. */
	probe = clone_on(self);
	if (probe == 0)
		_exit(1);
	printf("parent %d\nzombie %d\n", (int)parent, (int)z);
	if (probe == -EEXIST)
		printf("set_tid yes\n");
	else
		printf("set_tid no %d\n", probe > 0 ? 0 : -probe);
	helper_ready();

	sigprocmask(SIG_SETMASK, &old, NULL);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	for (;;) {
		if (sigwaitinfo(&usr1, NULL) != SIGUSR1)
			continue;
		if (kill(parent, SIGKILL) < 0 || waitpid(parent, NULL, 0) != parent)
			err(1, "killing the parent");
		/* The victim, too, is born with every signal blocked, so that no
		 * signal reaches it before it logs. */
		sigprocmask(SIG_BLOCK, &all, NULL);
		victim = clone_on(parent);
		if (victim == 0) {
			helper_die_with_parent(self);
			prctl(PR_SET_NAME, "zfind-victim", 0, 0, 0);
			log_signals("victim", NULL);
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		if (victim < 0)
			say("reuse-failed %d\n", -victim);
		else
			say("reused %d\n", (int)victim);
	}
}
