/* Unit tests of lib/kstack.c: kstack_parse, and what wait_classify and
 * wait_classify_task make of wait channels and stacks. The stacks are the
 * text of /proc/PID/task/TID/stack as Linux 6.18 gives it for another
 * task, without the scheduler's functions, which it leaves out. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kstack.h"
#include "tap.h"

/* Classify wchan (NULL: none) and the stack in text (NULL: none), and
 * compare the family's name and the start of the hint (NULL: no hint). */
static void classify_is(const char *wchan, const char *text, const char *family,
			const char *hint_start, const char *what)
{
	struct kstack ks = { .n = 0 };
	const char *hint = "unset";
	enum wait_family f;

	if (text && kstack_parse(text, &ks) < 0) {
		ok(0, "%s: the stack parses", what);
		return;
	}
	f = wait_classify_task(wchan, text ? &ks : NULL, &hint);
	is_str(wait_family_name(f), family, "%s: family", what);
	if (!hint_start)
		is_str(hint, NULL, "%s: no hint", what);
	else
		ok(hint && !strncmp(hint, hint_start, strlen(hint_start)), "%s: hint \"%s...\"",
		   what, hint_start);
}

static void test_parse(void)
{
	struct kstack ks;

	is_int(kstack_parse("[<0>] anon_pipe_write+0x43/0x6c0\n"
			    "[<0>] vfs_write+0x398/0x450\n"
			    "[<0>] __mutex_lock.constprop.0+0x1/0x2\n", &ks), 0, "parse: 0");
	is_int(ks.n, 3, "parse: three frames");
	is_str(ks.fn[0], "anon_pipe_write", "parse: innermost first, offset dropped");
	is_str(ks.fn[2], "__mutex_lock.constprop.0", "parse: a clone's suffix is kept");
	is_int(kstack_parse("", &ks), -EINVAL, "parse: nothing is -EINVAL");
	is_str(kstack_wait_frame(&(struct kstack){ { "__schedule", "schedule", "do_truncate" }, 3 }),
	       "do_truncate", "wait frame: the first that is not the scheduler's");
}

/* The rules that name the wait itself, wherever they match. */
static void test_wait_functions(void)
{
	const char *hint = "unset";

	is_int(wait_classify(NULL, &hint), WAIT_UNKNOWN, "no wchan: unknown");
	is_str(hint, NULL, "no wchan: no hint");
	classify_is("__refrigerator", NULL, "freezer", "frozen", "__refrigerator");
	classify_is("kernel_clone", NULL, "vfork", "vfork parent", "kernel_clone");
	classify_is("rpc_wait_bit_killable", NULL, "nfs", "NFS", "rpc_wait_bit_killable");
	classify_is("request_wait_answer", NULL, "fuse", "FUSE", "request_wait_answer");
	classify_is("jbd2_log_wait_commit", NULL, "journal", "filesystem journal",
		    "jbd2_log_wait_commit");
	classify_is("balance_dirty_pages", NULL, "reclaim", "dirty page", "balance_dirty_pages");
	classify_is("__mutex_lock.constprop.0", NULL, "lock", "lock contention",
		    "__mutex_lock.constprop.0 (other kernels, other unwinders)");
	classify_is("rwsem_down_write_slowpath", NULL, "lock", "lock contention",
		    "rwsem_down_write_slowpath");
	classify_is("folio_wait_bit_common", NULL, "block-io", "block I/O",
		    "folio_wait_bit_common");
	classify_is("__iomap_dio_rw", NULL, "block-io", "block I/O", "__iomap_dio_rw");
	classify_is("wait_for_completion_killable", NULL, "other", "waiting for kernel work",
		    "wait_for_completion_killable");
	classify_is("hrtimer_nanosleep", NULL, "unknown", NULL, "hrtimer_nanosleep");
	is_str(wait_family_name(WAIT_LOCK), "lock", "family name: lock");
}

/* What current kernels show for a task waiting for a mutex or an rwsem:
 * the function that took it. */
static void test_lock_callers(void)
{
	static const struct {
		const char *wchan, *hint;
	} t[] = {
		{ "anon_pipe_write", "pipe lock" },
		{ "pipe_write", "pipe lock" },
		{ "fifo_pipe_read", "pipe lock" },
		{ "do_truncate", "inode lock" },
		{ "chmod_common", "inode lock" },
		{ "chown_common", "inode lock" },
		{ "vfs_utimes", "inode lock" },
		{ "vfs_unlink", "inode lock" },
		{ "ext4_buffered_write_iter", "inode lock" },
		{ "ext4_file_write_iter", "inode lock" },
		{ "lock_two_nondirectories", "inode lock" },
		{ "filename_create", "directory lock" },
		{ "walk_component", "directory lock" },
		{ "path_openat", "directory lock" },
		{ "do_unlinkat", "directory lock" },
		{ "do_rmdir", "directory lock" },
		{ "do_renameat2", "directory lock" },
		{ "lock_rename_child", "directory lock" },
		{ "lock_two_directories", "directory lock" },
		{ "iterate_dir", "directory lock" },
		{ "fdget_pos", "file position lock" },
		{ "__fdget_pos", "file position lock" },
		{ "lock_mm_and_find_vma", "memory map lock" },
		{ "__access_remote_vm", "memory map lock" },
		{ "show_smaps_rollup", "memory map lock" },
		{ "vm_mmap_pgoff", "memory map lock" },
		{ "__vm_munmap", "memory map lock" },
		{ "mm_access", "exec lock" },
		{ "m_start", "lock of a /proc file" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		classify_is(t[i].wchan, NULL, "lock", t[i].hint, t[i].wchan);
}

static void test_stacks(void)
{
	/* The writer in D on a pipe's mutex, from wchan and stack or from
	 * the stack alone (no wchan: ORC unwinders before 5.16). */
	static const char pipe_waiter[] = "[<0>] anon_pipe_write+0x43/0x6c0\n"
					  "[<0>] vfs_write+0x398/0x450\n"
					  "[<0>] ksys_write+0xba/0xe0\n"
					  "[<0>] do_syscall_64+0x71/0x280\n";
	/* The thread that holds it, asleep in a page fault of the copy. */
	static const char pipe_holder[] = "[<0>] handle_userfault+0x366/0x840\n"
					  "[<0>] __handle_mm_fault+0xa1e/0xf40\n"
					  "[<0>] handle_mm_fault+0xd0/0x310\n"
					  "[<0>] exc_page_fault+0x20d/0x770\n"
					  "[<0>] asm_exc_page_fault+0x26/0x30\n"
					  "[<0>] copy_page_from_iter+0x8b/0x130\n"
					  "[<0>] anon_pipe_write+0x1f6/0x6c0\n"
					  "[<0>] vfs_write+0x398/0x450\n";

	classify_is("anon_pipe_write", pipe_waiter, "lock", "pipe lock",
		    "pipe writer: wchan and stack");
	classify_is(NULL, pipe_waiter, "lock", "pipe lock", "pipe writer: stack alone");
	classify_is(NULL, "[<0>] do_truncate+0x77/0xe0\n[<0>] do_ftruncate+0x134/0x1f0\n"
		    "[<0>] do_sys_ftruncate+0x3c/0x80\n", "lock", "inode lock",
		    "ftruncate: stack alone");
	classify_is(NULL, "[<0>] __schedule+0x1/0x2\n[<0>] schedule+0x1/0x2\n"
		    "[<0>] fdget_pos+0x82/0x170\n[<0>] ksys_read+0x28/0xe0\n", "lock",
		    "file position lock", "stack with the scheduler's frames shown");

	/* A caller deeper down is only on the way to the wait. */
	classify_is("handle_userfault", pipe_holder, "unknown", NULL,
		    "pipe holder in a page fault: not a lock wait");
	classify_is("__inode_dio_wait", "[<0>] __inode_dio_wait+0x1/0x2\n"
		    "[<0>] ext4_setattr+0x1/0x2\n[<0>] notify_change+0x1/0x2\n"
		    "[<0>] do_truncate+0x77/0xe0\n", "unknown", NULL,
		    "an unknown wait under do_truncate is not its lock");

	/* A page fault waiting for the mm lock under a read(): the lock, not
	 * the file read that faulted. */
	classify_is("lock_mm_and_find_vma", "[<0>] lock_mm_and_find_vma+0x1/0x2\n"
		    "[<0>] exc_page_fault+0x1/0x2\n[<0>] asm_exc_page_fault+0x1/0x2\n"
		    "[<0>] _copy_to_iter+0x1/0x2\n[<0>] filemap_read+0x1/0x2\n", "lock",
		    "memory map lock", "a fault in a read() waits for the mm lock");

	/* The families that said more than "lock" still do. */
	classify_is("down_write", "[<0>] down_write+0x1/0x2\n[<0>] xlog_cil_push_work+0x1/0x2\n",
		    "journal", "filesystem journal", "a lock taken by the XFS log: journal");
	classify_is("nfs_wait_bit_killable", "[<0>] nfs_wait_bit_killable+0x1/0x2\n"
		    "[<0>] do_truncate+0x1/0x2\n", "nfs", "NFS", "NFS under do_truncate: nfs");
	classify_is("inode_dio_wait", "[<0>] inode_dio_wait+0x1/0x2\n"
		    "[<0>] __iomap_dio_rw+0x1/0x2\n", "block-io", "block I/O",
		    "an unknown wait over direct I/O: block-io");
	classify_is("kernel_clone", "[<0>] kernel_clone+0x1/0x2\n[<0>] __do_sys_vfork+0x1/0x2\n",
		    "vfork", "vfork parent", "vfork parent with its stack");

	/* Writers to a frozen filesystem (fsfreeze), as Linux 6.18 shows
	 * them: a write(), an open for writing, the loop device's worker. */
	classify_is("percpu_rwsem_wait", "[<0>] percpu_rwsem_wait+0x1/0x2\n"
		    "[<0>] vfs_write+0x1/0x2\n[<0>] ksys_write+0x1/0x2\n", "lock",
		    "per-CPU rwsem: a frozen filesystem", "write() to a frozen filesystem");
	classify_is("percpu_rwsem_wait", "[<0>] percpu_rwsem_wait+0x1/0x2\n"
		    "[<0>] mnt_want_write+0x1/0x2\n[<0>] path_openat+0x1/0x2\n", "lock",
		    "per-CPU rwsem", "open() on a frozen filesystem: not its directory lock");
	classify_is(NULL, "[<0>] percpu_rwsem_wait+0x1/0x2\n[<0>] lo_rw_aio.isra.0+0x1/0x2\n"
		    "[<0>] loop_process_work+0x1/0x2\n", "lock", "per-CPU rwsem",
		    "the loop worker of a file on a frozen filesystem: stack alone");
}

int main(void)
{
	test_parse();
	test_wait_functions();
	test_lock_callers();
	test_stacks();
	return done_testing();
}
