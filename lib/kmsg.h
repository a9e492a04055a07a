/* The kernel log: /dev/kmsg records, saved dmesg / journalctl text, and the
 * OOM killer's messages in them. */
#ifndef PROCDX_KMSG_H
#define PROCDX_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One log message. msg has the kernel's \xHH escapes undone (raw bytes,
 * NUL-terminated, may hold NULs: use len). */
struct kmsg_rec {
	int facility, level;	/* -1 when the source does not say */
	uint64_t seq;
	bool have_mono;		/* mono: seconds since boot (the log's clock) */
	double mono;
	bool have_wall;		/* wall: seconds since the epoch, when the source says */
	double wall;
	char *msg;
	size_t len;
};

/* Parse one /dev/kmsg record ("PRIO,SEQ,USEC,FLAGS;text\n KEY=VAL\n...").
 * Continuation lines are ignored. rec->msg is malloc'd (caller frees).
 * Returns 0 or -EINVAL. */
int kmsg_parse_record(const char *buf, size_t len, struct kmsg_rec *rec);

/* Parse one line of saved text: `dmesg` ("[  12.345678] text"), `dmesg -T`
 * ("[Wed Nov 25 19:00:00 2026] text"), `journalctl -k` ("Nov 25 19:00:00
 * host kernel: text", the year taken from now), or a bare message. The
 * facility is unknown (-1), except after the "kern  :err   : " of
 * `dmesg -x`: 0 for kern, 1 for another (a line a user wrote). Returns 0
 * (rec->msg malloc'd) or -EINVAL for an empty line. */
int kmsg_parse_text(const char *line, size_t len, struct kmsg_rec *rec);

/* Undo the kernel's \xHH escapes of non-printable bytes into out (at least
 * len + 1 bytes). Returns the new length. */
size_t kmsg_unescape(const char *in, size_t len, char *out);

/* One OOM kill, merged from the lines the kernel writes for it. Sizes are
 * bytes; a field the log did not give is -1 (or its have_ flag false). */
struct oom_event {
	bool have_mono, have_wall;
	double mono, wall;
	pid_t pid;
	char comm[64];
	size_t comm_len;
	bool have_uid, have_adj;
	uid_t uid;
	int adj;
	int64_t total_vm, anon_rss, file_rss, shmem_rss, pgtables;
	char constraint[32];	/* "memcg", "none", "cpuset", "mempolicy"; "" unknown */
	char cgroup[512];	/* task_memcg, else oom_memcg; "" unknown */
	char invoker[64];	/* the task that ran out; "" unknown */
	size_t invoker_len;
	bool group;		/* killed along with the victim the OOM chose,
				 * as a member of its cgroup (memory.oom.group) */
};

/* Merges the lines of each kill: "X invoked oom-killer", the one-line
 * "oom-kill:constraint=...", and "[Memory cgroup ]Out of memory: Killed
 * process N (comm) total-vm:..." (or the older "Kill process N (comm) score
 * S or sacrifice child" + "Killed process N (comm) ..."). After "Tasks in
 * CGROUP are going to be killed due to memory.oom.group set", each further
 * Killed line of that report is one more kill of the same OOM. */
struct oom_parser {
	struct oom_event cur;
	bool pending;
	char invoker[64];
	size_t invoker_len;
	struct oom_event last;	/* the report's first kill, for a group's */
	bool have_last, in_group;
	char group[512];	/* the cgroup of a group kill */
	struct oom_event *done;
	size_t ndone, capdone;
};

/* Feed the next message of the log. Completed events queue up in the
 * parser; take them with oom_pop. */
void oom_feed(struct oom_parser *p, const struct kmsg_rec *rec);
/* At the end of the log: a kill whose last line never came is complete
 * with what it has. */
void oom_flush(struct oom_parser *p);
/* Take the oldest completed event. Returns false when there is none. */
bool oom_pop(struct oom_parser *p, struct oom_event *ev);
void oom_parser_free(struct oom_parser *p);

#endif
