/* The process connector: a netlink socket in the CN_IDX_PROC group. The
 * kernel sends one event per datagram; we read them in batches (recvmmsg)
 * so that a storm costs one system call per few hundred events. */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cnproc.h"
#include "util.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* Offsets in the wire format (struct nlmsghdr, struct cn_msg, struct
 * proc_event), read with memcpy: a datagram handed to the parser need not
 * be aligned. */
#define NLH_LEN		16
#define CN_HDR_LEN	20
#define EV_HDR_LEN	16	/* what, cpu, timestamp_ns */
#define DGRAM_MAX	512	/* a proc event datagram is 76 bytes */
#define BATCH		256

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Decode one proc_event of n bytes; false if it is too short for its type
 * or of a type we do not know. */
static bool decode_event(const unsigned char *p, size_t n, struct cnproc_event *ev)
{
	const unsigned char *d = p + EV_HDR_LEN;
	size_t dn;
	uint32_t what;

	if (n < EV_HDR_LEN)
		return false;
	dn = n - EV_HDR_LEN;
	memset(ev, 0, sizeof(*ev));
	what = get32(p);
	ev->cpu = get32(p + 4);
	memcpy(&ev->ts_ns, p + 8, sizeof(ev->ts_ns));
	ev->ppid = ev->ptgid = -1;
	switch (what) {
	case PROC_EVENT_NONE:
		if (dn < 4)
			return false;
		ev->what = CNP_ACK;
		ev->ack_err = get32(d);
		return true;
	case PROC_EVENT_FORK:
		if (dn < 16)
			return false;
		ev->what = CNP_FORK;
		ev->ppid = (pid_t)get32(d);
		ev->ptgid = (pid_t)get32(d + 4);
		ev->pid = (pid_t)get32(d + 8);
		ev->tgid = (pid_t)get32(d + 12);
		return true;
	case PROC_EVENT_EXEC:
		if (dn < 8)
			return false;
		ev->what = CNP_EXEC;
		break;
	case PROC_EVENT_COMM:
		if (dn < 24)
			return false;
		ev->what = CNP_COMM;
		memcpy(ev->comm, d + 8, 16);
		ev->comm[16] = '\0';
		ev->comm_len = strlen(ev->comm);
		break;
	case PROC_EVENT_EXIT:
		/* The parent fields came later (4.19); older kernels send 16 bytes. */
		if (dn < 16)
			return false;
		ev->what = CNP_EXIT;
		ev->status = get32(d + 8);
		if (dn >= 24) {
			ev->ppid = (pid_t)get32(d + 16);
			ev->ptgid = (pid_t)get32(d + 20);
		}
		break;
	case PROC_EVENT_UID:
	case PROC_EVENT_GID:
	case PROC_EVENT_SID:
	case PROC_EVENT_PTRACE:
	case PROC_EVENT_COREDUMP:
		if (dn < 8)
			return false;
		ev->what = CNP_OTHER;
		break;
	default:
		/* A newer kernel's event: still a number in the sequence. */
		ev->what = CNP_OTHER;
		return true;
	}
	ev->pid = (pid_t)get32(d);
	ev->tgid = (pid_t)get32(d + 4);
	return true;
}

int cnproc_parse(const void *buf, size_t len, struct cnproc_event *ev, size_t max)
{
	const unsigned char *p = buf;
	size_t off = 0, n = 0;
	bool any = false;

	while (len - off >= NLH_LEN && n < max) {
		uint32_t mlen = get32(p + off);
		uint16_t type = get16(p + off + 4);
		const unsigned char *c = p + off + NLH_LEN;
		size_t clen;

		if (mlen < NLH_LEN || mlen > len - off)
			break;
		any = true;
		clen = mlen - NLH_LEN;
		if (type == NLMSG_DONE && clen >= CN_HDR_LEN && get32(c) == CN_IDX_PROC &&
		    get32(c + 4) == CN_VAL_PROC) {
			size_t dlen = get16(c + 16);

			if (dlen <= clen - CN_HDR_LEN &&
			    decode_event(c + CN_HDR_LEN, dlen, &ev[n])) {
				ev[n].seq = get32(c + 8);
				ev[n].ack = get32(c + 12);
				n++;
			}
		}
		/* NLMSG_ALIGN, without overflowing past len. */
		if (((size_t)mlen + 3) / 4 * 4 >= len - off)
			break;
		off += ((size_t)mlen + 3) / 4 * 4;
	}
	return any ? (int)n : -EINVAL;
}

uint64_t cnproc_seq_note(struct cnproc_seq *s, uint32_t cpu, uint32_t seq)
{
	uint32_t gap;

	if (cpu >= 65536)
		return 0;
	if (cpu >= s->ncpu) {
		size_t n = (size_t)cpu + 1 > s->ncpu * 2 ? (size_t)cpu + 1 : s->ncpu * 2;

		s->last = xreallocarray(s->last, n, sizeof(*s->last));
		s->seen = xreallocarray(s->seen, n, sizeof(*s->seen));
		memset(s->seen + s->ncpu, 0, (n - s->ncpu) * sizeof(*s->seen));
		s->ncpu = n;
	}
	if (!s->seen[cpu]) {
		s->seen[cpu] = true;
		s->last[cpu] = seq;
		return 0;
	}
	/* Unsigned arithmetic wraps with the kernel's 32-bit counter. A
	 * number behind the last one (the upper half) cannot come from a
	 * counter that only grows: start that CPU over rather than count
	 * four billion losses. */
	gap = seq - s->last[cpu] - 1;
	if (seq == s->last[cpu])
		return 0;
	s->last[cpu] = seq;
	if (gap >= 0x80000000u)
		return 0;
	s->missing += gap;
	return gap;
}

void cnproc_seq_free(struct cnproc_seq *s)
{
	free(s->last);
	free(s->seen);
	memset(s, 0, sizeof(*s));
}

struct batch {
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned char bufs[BATCH][DGRAM_MAX];
};

int cnproc_open(struct cnproc *cn, size_t rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int v = rcvbuf > 0x40000000 ? 0x40000000 : (int)rcvbuf;
	socklen_t vl = sizeof(v);
	struct batch *b;

	memset(cn, 0, sizeof(*cn));
	cn->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (cn->fd < 0)
		return -errno;
	/* The kernel doubles what it is asked for (bookkeeping overhead) and
	 * caps SO_RCVBUF at net.core.rmem_max; SO_RCVBUFFORCE needs
	 * CAP_NET_ADMIN and is not capped. */
	if (v > 0 && setsockopt(cn->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(cn->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (getsockopt(cn->fd, SOL_SOCKET, SO_RCVBUF, &v, &vl) == 0 && v > 0)
		cn->rcvbuf = (size_t)v;
	if (bind(cn->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(cn->fd);
		cn->fd = -1;
		return -e;
	}
	b = xcalloc(1, sizeof(*b));
	for (unsigned i = 0; i < BATCH; i++) {
		b->iov[i].iov_base = b->bufs[i];
		b->iov[i].iov_len = DGRAM_MAX;
		b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
		b->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	cn->batch = b;
	cn->nbatch = BATCH;
	return 0;
}

static int send_op(struct cnproc *cn, enum proc_cn_mcast_op op)
{
	unsigned char req[NLH_LEN + CN_HDR_LEN + 4];
	struct nlmsghdr nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = NLMSG_DONE,
				.nlmsg_pid = (uint32_t)getpid() };
	struct cn_msg cm = { .id = { .idx = CN_IDX_PROC, .val = CN_VAL_PROC },
			     .ack = cn->nonce, .len = 4 };
	uint32_t o = (uint32_t)op;

	memcpy(req, &nlh, NLH_LEN);
	memcpy(req + NLH_LEN, &cm, CN_HDR_LEN);
	memcpy(req + NLH_LEN + CN_HDR_LEN, &o, 4);
	if (send(cn->fd, req, sizeof(req), 0) < 0)
		return -errno;
	return 0;
}

static bool socket_drops(int fd, uint64_t *drops)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t ml = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &ml) < 0 ||
	    ml < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return false;
	*drops = mem[SK_MEMINFO_DROPS];
	return true;
}

/* Empty the socket. */
static void drain(struct cnproc *cn)
{
	struct batch *b = cn->batch;

	for (int i = 0; i < 1000; i++) {
		int n = recvmmsg(cn->fd, b->msgs, BATCH, MSG_DONTWAIT, NULL);

		if (n <= 0 && errno != ENOBUFS && errno != EINTR)
			break;
	}
}

int cnproc_subscribe(struct cnproc *cn, int timeout_ms)
{
	struct batch *b = cn->batch;
	struct timespec t0;
	uint64_t d0 = 0, d1 = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cn->nonce = (uint32_t)getpid() * 2654435761u ^ (uint32_t)t0.tv_nsec;
	for (int attempt = 0; attempt < 3; attempt++) {
		double deadline = now_mono() + timeout_ms / 1000.0;
		int r;

		/* A full socket would drop the acknowledgement itself. */
		drain(cn);
		socket_drops(cn->fd, &d0);
		r = send_op(cn, PROC_CN_MCAST_LISTEN);
		if (r < 0)
			return r;
		for (;;) {
			double left = deadline - now_mono();
			struct pollfd p = { cn->fd, POLLIN, 0 };
			int n;

			if (left <= 0)
				break;
			r = poll(&p, 1, (int)(left * 1000) + 1);
			if (r < 0 && errno != EINTR)
				return -errno;
			n = recvmmsg(cn->fd, b->msgs, BATCH, MSG_DONTWAIT, NULL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR || errno == ENOBUFS))
				continue;
			if (n < 0)
				return -errno;
			for (int i = 0; i < n; i++) {
				struct cnproc_event ev;

				if (cnproc_parse(b->bufs[i], b->msgs[i].msg_len, &ev, 1) != 1 ||
				    ev.what != CNP_ACK || ev.ack != cn->nonce + 1)
					continue;
				if (ev.ack_err)
					return -(int)ev.ack_err;
				/* Count losses from here on: the acknowledgement
				 * is the first number of its CPU's sequence. */
				cnproc_seq_free(&cn->seq);
				cnproc_seq_note(&cn->seq, ev.cpu, ev.seq);
				cn->have_drops = socket_drops(cn->fd, &cn->drops0);
				cn->overflowed = false;
				return 0;
			}
		}
		/* No answer. Only if the socket dropped something meanwhile
		 * could the answer have been lost: then ask again. */
		if (!socket_drops(cn->fd, &d1) || d1 == d0)
			break;
	}
	return -ETIMEDOUT;
}

ssize_t cnproc_recv(struct cnproc *cn, struct cnproc_event *ev, size_t max)
{
	struct batch *b = cn->batch;
	unsigned vlen = max < BATCH ? (unsigned)max : BATCH;
	size_t k = 0;
	int n;

	for (;;) {
		n = recvmmsg(cn->fd, b->msgs, vlen, MSG_DONTWAIT, NULL);
		if (n >= 0)
			break;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == ENOBUFS)
			cn->overflowed = true;
		else if (errno != EINTR)
			return -errno;
	}
	for (int i = 0; i < n; i++) {
		struct cnproc_event tmp[4];
		int got;

		if (b->msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
			continue;
		got = cnproc_parse(b->bufs[i], b->msgs[i].msg_len, tmp, ARRAY_SIZE(tmp));
		for (int j = 0; j < got; j++) {
			cnproc_seq_note(&cn->seq, tmp[j].cpu, tmp[j].seq);
			/* vlen <= max, and the kernel sends one event per
			 * datagram: more never fit only in theory. */
			if (tmp[j].what != CNP_ACK && k < max)
				ev[k++] = tmp[j];
		}
	}
	return (ssize_t)k;
}

uint64_t cnproc_lost(struct cnproc *cn)
{
	uint64_t d = 0, lost = cn->seq.missing;

	cn->overflowed = false;
	if (cn->have_drops && socket_drops(cn->fd, &d)) {
		/* The counter is 32 bits wide in SO_MEMINFO. */
		d = (uint32_t)(d - cn->drops0);
		if (d > lost)
			lost = d;
	}
	return lost;
}

void cnproc_close(struct cnproc *cn)
{
	if (cn->fd >= 0) {
		send_op(cn, PROC_CN_MCAST_IGNORE);
		close(cn->fd);
	}
	cn->fd = -1;
	cnproc_seq_free(&cn->seq);
	free(cn->batch);
	cn->batch = NULL;
}
