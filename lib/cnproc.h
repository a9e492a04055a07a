/* The netlink process connector (CONFIG_PROC_EVENTS): fork, exec, exit and
 * comm events of every task on the machine, as they happen, with an exact
 * count of the ones the socket could not hold. */
#ifndef PROCDX_CNPROC_H
#define PROCDX_CNPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum cnproc_what {
	CNP_ACK,	/* the answer to a subscription (what == PROC_EVENT_NONE) */
	CNP_FORK,
	CNP_EXEC,
	CNP_EXIT,
	CNP_COMM,
	CNP_OTHER,	/* uid, gid, sid, ptrace, coredump: counted, not used */
};

/* One event, decoded. The kernel speaks of threads: pid is the task (thread)
 * ID and tgid the process ID; a fork with pid != tgid made a thread. */
struct cnproc_event {
	enum cnproc_what what;
	uint32_t cpu;		/* the CPU whose sequence seq belongs to */
	uint32_t seq;		/* that CPU's event counter */
	uint64_t ts_ns;		/* CLOCK_MONOTONIC of the event */
	pid_t pid, tgid;	/* the task; for fork the child */
	pid_t ppid, ptgid;	/* fork: the real parent; exit: the parent; -1 unknown */
	uint32_t status;	/* exit: the wait(2) status (code << 8, or signal | 0x80 core) */
	char comm[17];		/* comm: the new name, NUL-terminated raw bytes */
	size_t comm_len;
	uint32_t ack;		/* ack: the request's ack field plus one */
	uint32_t ack_err;	/* ack: 0 or an errno */
};

/* Parse one datagram read from the connector socket (len bytes, one or more
 * netlink messages) into at most max events. Messages of other connector
 * users, netlink control messages and events of unknown types are skipped.
 * Returns the number of events (0 when none was usable), or -EINVAL when
 * the bytes are not a well-formed netlink message at all. Never reads past
 * len; buf needs no alignment. */
int cnproc_parse(const void *buf, size_t len, struct cnproc_event *ev, size_t max);

/* Loss accounting from the per-CPU sequence numbers the kernel stamps on
 * every event (acknowledgements included, since 6.x). */
struct cnproc_seq {
	uint32_t *last;		/* last sequence number seen, per CPU */
	bool *seen;
	size_t ncpu;
	uint64_t missing;	/* events skipped in the sequences so far */
};

/* Note event seq from cpu. Returns how many events of that CPU were
 * missing just before it (0 for the first one seen on a CPU, for a
 * repeat, and for a number that goes backwards, which resets the CPU's
 * baseline). CPU numbers of 65536 and more are ignored. */
uint64_t cnproc_seq_note(struct cnproc_seq *s, uint32_t cpu, uint32_t seq);
void cnproc_seq_free(struct cnproc_seq *s);

/* An open, subscribed connector socket and its receive batch. */
struct cnproc {
	int fd;
	uint32_t nonce;		/* our subscription's ack field */
	struct cnproc_seq seq;
	uint64_t drops0;	/* the socket's drop counter at subscription */
	bool have_drops;	/* SO_MEMINFO works here */
	bool overflowed;	/* ENOBUFS since the last cnproc_lost */
	size_t rcvbuf;		/* the receive buffer the kernel granted */
	void *batch;		/* recvmmsg vectors and buffers */
	unsigned nbatch;
};

/* Open a connector socket bound to the process events group, with a
 * receive buffer of rcvbuf bytes (SO_RCVBUFFORCE with CAP_NET_ADMIN, else
 * SO_RCVBUF, which rmem_max caps). Returns 0, or -errno: -EPROTONOSUPPORT
 * without CONFIG_CONNECTOR, -EPERM where binding needs privilege (before
 * Linux 6.6). */
int cnproc_open(struct cnproc *cn, size_t rcvbuf);

/* Ask for events (PROC_CN_MCAST_LISTEN) and wait up to timeout_ms for the
 * acknowledgement. Events that arrive before it are discarded. Returns 0,
 * -ETIMEDOUT when no acknowledgement came (a request from another PID or
 * user namespace is silently ignored by the kernel), -EPERM or another
 * -errno the kernel acknowledged with, or a socket error. */
int cnproc_subscribe(struct cnproc *cn, int timeout_ms);

/* Read what is queued, without blocking, in one batch (recvmmsg): at most
 * max events into ev. Returns the count, 0 when nothing is queued, or
 * -errno. An overflow of the socket (ENOBUFS) is remembered for
 * cnproc_lost and reading goes on. Acknowledgements are consumed here. */
ssize_t cnproc_recv(struct cnproc *cn, struct cnproc_event *ev, size_t max);

/* Events lost so far: the larger of those missing from the sequence
 * numbers and those the socket counted as dropped (SO_MEMINFO). Both only
 * grow; the sequence numbers also see events the kernel failed to send,
 * the drop counter also sees drops after the last event read. */
uint64_t cnproc_lost(struct cnproc *cn);

/* Unsubscribe and close. */
void cnproc_close(struct cnproc *cn);

#endif
