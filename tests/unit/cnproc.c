/* Unit tests of lib/cnproc.c: cnproc_parse on datagrams built the way the
 * kernel builds them (one event, several, short, foreign, truncated,
 * misaligned), and the per-CPU sequence accounting that counts losses. */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnproc.h"
#include "tap.h"

/* A datagram under construction. */
struct dgram {
	unsigned char b[1024];
	size_t len;
};

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Append one netlink message holding a connector message whose data is a
 * proc_event of what, with evlen bytes of union (the kernel's size for the
 * type, or less to cut it short). */
static unsigned char *add_event(struct dgram *d, uint32_t what, uint32_t cpu, uint32_t seq,
				uint64_t ts, size_t evlen)
{
	size_t cnlen = 16 + evlen, mlen = 16 + 20 + cnlen;
	unsigned char *m = d->b + d->len, *c = m + 16, *e = c + 20;

	memset(m, 0, (mlen + 3) / 4 * 4);
	put32(m, (uint32_t)mlen);
	m[4] = NLMSG_DONE;
	put32(c, CN_IDX_PROC);
	put32(c + 4, CN_VAL_PROC);
	put32(c + 8, seq);
	put32(c + 12, 0);
	c[16] = (unsigned char)cnlen;
	c[17] = (unsigned char)(cnlen >> 8);
	put32(e, what);
	put32(e + 4, cpu);
	memcpy(e + 8, &ts, 8);
	d->len += (mlen + 3) / 4 * 4;
	return e + 16;
}

static void test_fork(void)
{
	struct dgram d = { .len = 0 };
	struct cnproc_event ev[4];
	unsigned char *u = add_event(&d, PROC_EVENT_FORK, 1, 41, 123456789, 16);

	put32(u, 100);
	put32(u + 4, 100);
	put32(u + 8, 205);
	put32(u + 12, 205);
	is_int(cnproc_parse(d.b, d.len, ev, 4), 1, "fork: one event");
	is_int(ev[0].what, CNP_FORK, "fork: what");
	is_int(ev[0].ppid, 100, "fork: parent thread");
	is_int(ev[0].ptgid, 100, "fork: parent process");
	is_int(ev[0].pid, 205, "fork: child thread");
	is_int(ev[0].tgid, 205, "fork: child process");
	is_int(ev[0].cpu, 1, "fork: cpu");
	is_int(ev[0].seq, 41, "fork: sequence number");
	is_u64(ev[0].ts_ns, 123456789, "fork: timestamp");
}

static void test_exit(void)
{
	struct dgram d = { .len = 0 };
	struct cnproc_event ev[4];
	unsigned char *u = add_event(&d, PROC_EVENT_EXIT, 0, 7, 1, 24);

	put32(u, 300);
	put32(u + 4, 300);
	put32(u + 8, 9 | 0x80);
	put32(u + 12, 17);
	put32(u + 16, 299);
	put32(u + 20, 299);
	/* The same exit from a kernel without the parent fields. */
	u = add_event(&d, PROC_EVENT_EXIT, 0, 8, 2, 16);
	put32(u, 301);
	put32(u + 4, 300);
	put32(u + 8, 3 << 8);
	is_int(cnproc_parse(d.b, d.len, ev, 4), 2, "exit: two messages in one datagram");
	is_int(ev[0].what, CNP_EXIT, "exit: what");
	is_int(ev[0].status, 0x89, "exit: status with the core bit");
	is_int(ev[0].ptgid, 299, "exit: parent");
	is_int(ev[1].pid, 301, "exit: a thread's exit");
	is_int(ev[1].tgid, 300, "exit: of process 300");
	is_int(ev[1].status, 3 << 8, "exit: code 3");
	is_int(ev[1].ptgid, -1, "exit: no parent fields: unknown");
	is_int(cnproc_parse(d.b, d.len, ev, 1), 1, "exit: max is respected");
}

static void test_comm_exec_ack(void)
{
	struct dgram d = { .len = 0 };
	struct cnproc_event ev[8];
	unsigned char *u;

	u = add_event(&d, PROC_EVENT_COMM, 3, 1, 5, 24);
	put32(u, 400);
	put32(u + 4, 400);
	/* All 16 bytes of the name, with no NUL: it must still end. */
	memcpy(u + 8, "\x1b[2J) R 1 (abcde", 16);
	u = add_event(&d, PROC_EVENT_EXEC, 3, 2, 6, 8);
	put32(u, 401);
	put32(u + 4, 401);
	u = add_event(&d, PROC_EVENT_NONE, 3, 3, 7, 4);
	put32(u, EPERM);
	u = add_event(&d, PROC_EVENT_UID, 3, 4, 8, 16);
	add_event(&d, 0x00000400, 3, 5, 9, 0);	/* an event of a future kernel */
	is_int(cnproc_parse(d.b, d.len, ev, 8), 5, "comm, exec, ack, uid, unknown: five events");
	is_int(ev[0].what, CNP_COMM, "comm: what");
	is_int(ev[0].comm_len, 16, "comm: sixteen bytes, no NUL in the message");
	is_mem(ev[0].comm, ev[0].comm_len, "\x1b[2J) R 1 (abcde", 16, "comm: raw bytes kept");
	is_int(ev[0].comm[16], 0, "comm: NUL-terminated");
	is_int(ev[1].what, CNP_EXEC, "exec: what");
	is_int(ev[1].tgid, 401, "exec: process");
	is_int(ev[2].what, CNP_ACK, "ack: what");
	is_int(ev[2].ack_err, EPERM, "ack: the error");
	is_int(ev[3].what, CNP_OTHER, "uid: other");
	is_int(ev[4].what, CNP_OTHER, "unknown type: other, still in the sequence");
	is_int(ev[4].seq, 5, "unknown type: its sequence number");
}

static void test_bad(void)
{
	struct dgram d = { .len = 0 };
	struct cnproc_event ev[4];
	unsigned char *u, odd[1100];

	is_int(cnproc_parse("", 0, ev, 4), -EINVAL, "empty: not a netlink message");
	is_int(cnproc_parse("abcdefghijklmnop", 16, ev, 4), -EINVAL, "garbage length");
	/* A fork cut short: the message is well-formed, the event is not. */
	u = add_event(&d, PROC_EVENT_FORK, 0, 1, 1, 12);
	(void)u;
	is_int(cnproc_parse(d.b, d.len, ev, 4), 0, "short fork: skipped");
	/* Another connector user's message. */
	d.len = 0;
	add_event(&d, PROC_EVENT_EXEC, 0, 1, 1, 8);
	put32(d.b + 16, 7);
	is_int(cnproc_parse(d.b, d.len, ev, 4), 0, "another connector index: skipped");
	/* A cn_msg length beyond the message. */
	d.len = 0;
	add_event(&d, PROC_EVENT_EXEC, 0, 1, 1, 8);
	d.b[16 + 16] = 200;
	is_int(cnproc_parse(d.b, d.len, ev, 4), 0, "data length past the message: skipped");
	/* The netlink length past the datagram. */
	d.len = 0;
	add_event(&d, PROC_EVENT_EXEC, 0, 1, 1, 8);
	is_int(cnproc_parse(d.b, d.len - 4, ev, 4), -EINVAL, "truncated datagram");
	/* Not aligned: the parser copies, it does not cast. */
	d.len = 0;
	u = add_event(&d, PROC_EVENT_EXEC, 0, 1, 1, 8);
	put32(u, 77);
	put32(u + 4, 77);
	memcpy(odd + 1, d.b, d.len);
	is_int(cnproc_parse(odd + 1, d.len, ev, 4), 1, "misaligned buffer parses");
	is_int(ev[0].tgid, 77, "misaligned buffer: the right value");
	/* A NLMSG_ERROR message is not an event. */
	d.len = 0;
	add_event(&d, PROC_EVENT_EXEC, 0, 1, 1, 8);
	d.b[4] = NLMSG_ERROR;
	is_int(cnproc_parse(d.b, d.len, ev, 4), 0, "NLMSG_ERROR: skipped");
}

static void test_seq(void)
{
	struct cnproc_seq s = { 0 };

	is_u64(cnproc_seq_note(&s, 0, 100), 0, "seq: the first on a CPU is the baseline");
	is_u64(cnproc_seq_note(&s, 0, 101), 0, "seq: the next one: nothing missing");
	is_u64(cnproc_seq_note(&s, 0, 105), 3, "seq: 102-104 missing");
	is_u64(cnproc_seq_note(&s, 5, 7), 0, "seq: another CPU has its own baseline");
	is_u64(cnproc_seq_note(&s, 5, 9), 1, "seq: one missing on CPU 5");
	is_u64(cnproc_seq_note(&s, 0, 105), 0, "seq: a repeat counts nothing");
	is_u64(cnproc_seq_note(&s, 0, 90), 0, "seq: backwards: a new baseline, no loss");
	is_u64(cnproc_seq_note(&s, 0, 91), 0, "seq: counting from the new baseline");
	is_u64(cnproc_seq_note(&s, 1, 0xfffffffeu), 0, "seq: near the wrap");
	is_u64(cnproc_seq_note(&s, 1, 1), 2, "seq: across the wrap, 0xffffffff and 0 missing");
	is_u64(cnproc_seq_note(&s, 70000, 1), 0, "seq: absurd CPU number ignored");
	is_u64(cnproc_seq_note(&s, 200, 1), 0, "seq: a high CPU grows the arrays");
	is_u64(cnproc_seq_note(&s, 200, 3), 1, "seq: and is tracked");
	is_u64(s.missing, 7, "seq: the total");
	cnproc_seq_free(&s);
	is_u64(s.missing, 0, "seq: freed and reset");
}

int main(void)
{
	test_fork();
	test_exit();
	test_comm_exec_ack();
	test_bad();
	test_seq();
	return done_testing();
}
