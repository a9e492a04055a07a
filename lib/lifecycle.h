/* Process lifecycles: which processes exist, their names and parents, and
 * the events that change that: fork, exec, exit, zombie (exited, not yet
 * reaped), reap, comm changes. Fed by the process connector (life_feed) or
 * by polling /proc (life_poll); events leave through a callback. */
#ifndef PROCDX_LIFECYCLE_H
#define PROCDX_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cnproc.h"
#include "opts.h"
#include "procfs.h"

enum life_kind {
	LIFE_FORK, LIFE_EXEC, LIFE_EXIT, LIFE_ZOMBIE, LIFE_REAP, LIFE_COMM,
	LIFE_THREAD, LIFE_THREAD_EXIT, LIFE_LOST,
	LIFE_NKINDS,
};

/* "fork", "thread-exit", ...; and back (-1 for an unknown name). */
const char *life_kind_name(enum life_kind k);
int life_kind_parse(const char *name, size_t len);

/* One event. Strings are raw bytes (escaping is the printer's job) and live
 * only during the callback. */
struct life_event {
	enum life_kind kind;
	bool polled;		/* seen by polling /proc: times to within an interval */
	double mono;		/* CLOCK_MONOTONIC seconds when it happened */
	pid_t pid;		/* the process (thread group) */
	pid_t tid;		/* the thread: pid, except for thread events */
	pid_t ppid;		/* the parent; -1 unknown */
	const char *comm;	/* NULL: unknown */
	size_t comm_len;
	const char *old_comm;	/* comm: the name before */
	size_t old_comm_len;
	const char *pcomm;	/* zombie, reap: the parent's name, NULL unknown */
	size_t pcomm_len;
	int status;		/* exit, zombie, reap: wait(2) status; -1 unknown */
	bool unseen;		/* exit, polled: it was gone at the poll, its status
				 * never shown in /proc */
	bool maybe_exec;	/* comm, polled: another user's process that has
				 * exec'd before, whose memory layout cannot be
				 * read: an exec looks the same */
	double zombie_for;	/* reap: seconds from exit to reap; < 0 unknown (a
				 * zombie from before the watch) */
	const char *cmd;	/* exec: command line (NULL: not read) */
	size_t cmd_len;
	bool cmd_truncated;
	bool cmd_in_d;		/* exec: the task was in D: cmd is only the program's
				 * path (exe), its command line could block */
	uint64_t lost;		/* lost: how many events */
	size_t resynced;	/* lost: processes read back from /proc */
};

typedef void (*life_emit_fn)(const struct life_event *ev, void *ctx);

struct life_opts {
	unsigned kinds;		/* 1 << life_kind for each kind to report */
	bool threads;		/* thread events are only counted without it */
	bool cmdline;		/* read the command line at exec */
	const struct filter *filt;	/* -p: roots followed into their descendants; -C */
	double zombie_after;	/* an exit still unreaped this long after is a zombie */
	bool poll;		/* fed by life_poll, not the connector */
};

struct life;

/* A tracker over procfs pf, calling fn(ev, ctx) for each event to report.
 * pf and o->filt must outlive it. */
struct life *life_new(const struct procfs *pf, const struct life_opts *o, life_emit_fn fn,
		      void *ctx);
void life_free(struct life *l);

/* Read every process from /proc into the table, reporting nothing: the
 * start, after the connector subscription so that nothing falls between.
 * Returns the number of processes watched (all of them without -p), or
 * -errno when /proc cannot be listed. */
ssize_t life_scan(struct life *l);

/* The connector's events, in the order they were read. */
void life_feed(struct life *l, const struct cnproc_event *ev);

/* n events were lost at mono: report it, then read the table back from
 * /proc, since any fork, exec or exit may be among them. */
void life_lost(struct life *l, uint64_t n, double mono);

/* Zombie checks due by mono: exits that have stayed unreaped zombie_after
 * seconds. While a backlog is being read, call it with each event's time,
 * so that what is printed stays in time order; when idle, with now (it also
 * does the periodic reap checks then). life_next_due says when (mono) it is
 * next needed, or a negative value for never. */
void life_due(struct life *l, double mono, bool idle);
double life_next_due(const struct life *l);

/* A descriptor that turns readable when a zombie being watched is reaped
 * (an epoll set of pidfds; POLLHUP on a pidfd since Linux 6.9), and the
 * call that reports those reaps. */
int life_reap_fd(const struct life *l);
void life_reaped(struct life *l);

/* Polling: one pass over /proc compared with the last one; reports forks,
 * execs (a new memory layout), comm changes, exits, zombies and reaps seen
 * since. Returns 0 or -errno when /proc cannot be listed. */
int life_poll(struct life *l);

/* Decode a wait(2) status into "code N" or "signal N (NAME)[, core dumped]"
 * in buf. */
void life_status_text(int status, char *buf, size_t size);

#endif
