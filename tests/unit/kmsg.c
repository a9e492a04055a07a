/* Unit tests of lib/kmsg.c: /dev/kmsg records, saved log lines, and the
 * OOM killer's reports of several kernel versions merged into events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "tap.h"

static void test_record(void)
{
	static const char rec[] =
		"3,1004,2650917649,-;Out of memory: a\\x1bb\n SUBSYSTEM=x\n";
	struct kmsg_rec r;

	is_int(kmsg_parse_record(rec, strlen(rec), &r), 0, "kmsg_parse_record: parses");
	is_int(r.facility, 0, "kmsg_parse_record: facility 0 (the kernel)");
	is_int(r.level, 3, "kmsg_parse_record: level 3");
	is_u64(r.seq, 1004, "kmsg_parse_record: sequence number");
	ok(r.have_mono && r.mono > 2650.9 && r.mono < 2651, "kmsg_parse_record: time");
	is_mem(r.msg, r.len, "Out of memory: a\x1b" "b", 18,
	       "kmsg_parse_record: escapes undone, continuation lines left out");
	free(r.msg);
	is_int(kmsg_parse_record("6,1,2", 5, &r), -EINVAL, "kmsg_parse_record: no ';'");
}

static void test_text(void)
{
	static const char dmesg[] = "[ 2650.913880] memhog invoked oom-killer: x\n";
	/* The line is the first len bytes; what follows is not part of it. */
	static const char cut[] = "Nov 25 18:30:05 db01 kernel: x";
	struct kmsg_rec r;
	const char *x;
	char *line;

	is_int(kmsg_parse_text(dmesg, strlen(dmesg), &r), 0, "kmsg_parse_text: dmesg line");
	ok(r.have_mono && r.mono > 2650.9 && r.mono < 2651, "kmsg_parse_text: dmesg time");
	is_str(r.msg, "memhog invoked oom-killer: x", "kmsg_parse_text: dmesg text");
	is_int(r.facility, -1, "kmsg_parse_text: facility unknown");
	free(r.msg);

	/* " kernel:" ends the line given: the space after it is not the
	 * line's, and the old search took it, then an end before the start. */
	line = malloc(sizeof(cut));
	memcpy(line, cut, sizeof(cut));
	is_int(kmsg_parse_text(line, strlen(cut) - 2, &r), 0,
	       "kmsg_parse_text: journal line ending in ' kernel:'");
	ok(!r.have_wall && r.len == strlen(cut) - 2,
	   "kmsg_parse_text: ' kernel:' without its space is not the journal's tag");
	free(r.msg);
	is_int(kmsg_parse_text(line, strlen(cut), &r), 0, "kmsg_parse_text: journal line");
	ok(r.have_wall, "kmsg_parse_text: journal time");
	is_str(r.msg, "x", "kmsg_parse_text: journal text");
	free(r.msg);
	free(line);
	is_int(kmsg_parse_text("\r\n", 2, &r), -EINVAL, "kmsg_parse_text: empty line");

	/* dmesg -x: the facility named first; a user's line is not the
	 * kernel's, and a prefix that is not one stays the message's. */
	x = "kern  :err   : [ 2650.917649] Out of memory: x\n";
	is_int(kmsg_parse_text(x, strlen(x), &r), 0, "kmsg_parse_text: dmesg -x line");
	is_int(r.facility, 0, "kmsg_parse_text: dmesg -x kern is facility 0");
	ok(r.have_mono && r.mono > 2650.9 && r.mono < 2651, "kmsg_parse_text: dmesg -x time");
	is_str(r.msg, "Out of memory: x", "kmsg_parse_text: dmesg -x text");
	free(r.msg);
	x = "user  :info  : [ 2650.917649] Out of memory: x";
	is_int(kmsg_parse_text(x, strlen(x), &r), 0, "kmsg_parse_text: dmesg -x user line");
	is_int(r.facility, 1, "kmsg_parse_text: dmesg -x user is not the kernel");
	free(r.msg);
	x = "task:x";
	is_int(kmsg_parse_text(x, strlen(x), &r), 0, "kmsg_parse_text: a colon alone");
	is_int(r.facility, -1, "kmsg_parse_text: no prefix, facility unknown");
	is_str(r.msg, "task:x", "kmsg_parse_text: no prefix, the whole line");
	free(r.msg);
	x = "kern  :err   :";
	is_int(kmsg_parse_text(x, strlen(x), &r), 0, "kmsg_parse_text: a prefix cut short");
	is_str(r.msg, "kern  :err   :", "kmsg_parse_text: a prefix cut short stays the text");
	free(r.msg);
	x = "kern  :err   : \n";
	is_int(kmsg_parse_text(x, strlen(x), &r), -EINVAL,
	       "kmsg_parse_text: a prefix and nothing after it is an empty line");
}

/* Feed text (one message a line) and take its events. */
static size_t events(const char *text, struct oom_event *ev, size_t max)
{
	struct oom_parser p = { 0 };
	size_t n = 0;

	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");
		struct kmsg_rec r;

		if (kmsg_parse_text(s, len, &r) == 0) {
			oom_feed(&p, &r);
			free(r.msg);
		}
		s += len + (s[len] == '\n');
	}
	oom_flush(&p);
	while (n < max && oom_pop(&p, &ev[n]))
		n++;
	oom_parser_free(&p);
	return n;
}

static void test_oom_v1_4_19(void)
{
	static const char log[] =
		"[ 8812.120001] python3 invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), "
		"nodemask=(null), order=0, oom_score_adj=998\n"
		"[ 8812.120030] Task in /kubepods/pod1/abcd killed as a result of limit of "
		"/kubepods/pod1\n"
		"[ 8812.120031] memory: usage 262144kB, limit 262144kB, failcnt 88\n"
		"[ 8812.120100] Memory cgroup out of memory: Kill process 3390 (python3) "
		"score 1991 or sacrifice child\n"
		"[ 8812.120200] Killed process 3390 (python3) total-vm:524288kB, "
		"anon-rss:259000kB, file-rss:1100kB, shmem-rss:0kB\n"
		"[ 8812.130000] oom_reaper: reaped process 3390 (python3), now anon-rss:0kB, "
		"file-rss:0kB, shmem-rss:0kB\n";
	struct oom_event ev[4];

	is_int((int)events(log, ev, 4), 1, "oom 4.19 memcg v1: one kill (reaper line ignored)");
	is_int(ev[0].pid, 3390, "oom 4.19 memcg v1: pid");
	is_str(ev[0].comm, "python3", "oom 4.19 memcg v1: comm");
	is_str(ev[0].invoker, "python3", "oom 4.19 memcg v1: invoker");
	is_str(ev[0].constraint, "memcg", "oom 4.19 memcg v1: constraint");
	ok(ev[0].anon_rss == 259000 * 1024LL && ev[0].file_rss == 1100 * 1024LL,
	   "oom 4.19 memcg v1: sizes");
	ok(!ev[0].have_uid && !ev[0].have_adj, "oom 4.19 memcg v1: no UID or adj in this format");
}

static void test_oom_v2(void)
{
	static const char log[] =
		"[ 1501.000100] node invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
		"oom_score_adj=0\n"
		"[ 1501.000700] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
		"mems_allowed=0,oom_memcg=/app.slice,task_memcg=/app.slice/web.service,"
		"task=node,pid=9911,uid=1000\n"
		"[ 1501.000800] Memory cgroup out of memory: Killed process 9911 (node) "
		"total-vm:1600000kB, anon-rss:1040000kB, file-rss:8000kB, shmem-rss:4kB, "
		"UID:1000 pgtables:2344kB oom_score_adj:-17\n";
	struct oom_event ev[4];

	is_int((int)events(log, ev, 4), 1, "oom 5.x memcg v2: one kill");
	is_int(ev[0].pid, 9911, "oom 5.x memcg v2: pid");
	is_str(ev[0].cgroup, "/app.slice/web.service", "oom 5.x memcg v2: task's cgroup");
	is_str(ev[0].constraint, "memcg", "oom 5.x memcg v2: constraint");
	ok(ev[0].have_uid && ev[0].uid == 1000, "oom 5.x memcg v2: uid");
	ok(ev[0].have_adj && ev[0].adj == -17, "oom 5.x memcg v2: adj");
	ok(ev[0].pgtables == 2344 * 1024LL && ev[0].shmem_rss == 4096, "oom 5.x memcg v2: sizes");
}

static void test_oom_cut_short(void)
{
	/* A report cut in its numbers (the ring buffer, a saved log cut off):
	 * the numbers not whole are unknown, not small. */
	static const char log[] =
		"[  310.000300] Out of memory: Killed process 12001 (cc1plus) "
		"total-vm:3000000kB, anon-rss:2900\n";
	/* Constraint names as the kernel writes them; anything else is
	 * unknown, not spelled from whatever bytes follow. */
	static const char names[] =
		"[ 1.1] oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=1,task=a,pid=5,uid=0\n"
		"[ 1.2] oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=1,task=a,pid=6,uid=0\n"
		"[ 1.3] oom-kill:constraint=CONSTRAINT_ oom-kill:x,task=a,pid=7,uid=0\n"
		"[ 1.4] oom-kill:constraint=CONSTRAINT_MEMC\n";
	struct oom_event ev[8];

	is_int((int)events(log, ev, 8), 1, "oom cut short: one kill");
	ok(ev[0].total_vm == 3000000 * 1024LL, "oom cut short: total-vm whole, known");
	ok(ev[0].anon_rss == -1, "oom cut short: anon-rss cut in its number is unknown");
	ok(ev[0].file_rss == -1 && ev[0].shmem_rss == -1, "oom cut short: the rest unknown");

	is_int((int)events(names, ev, 8), 4, "oom constraints: four kills");
	is_str(ev[0].constraint, "mempolicy", "oom constraints: MEMORY_POLICY is mempolicy");
	is_str(ev[1].constraint, "cpuset", "oom constraints: CPUSET is cpuset");
	is_str(ev[2].constraint, "", "oom constraints: a garbled name is unknown");
	is_str(ev[3].constraint, "", "oom constraints: a name cut short is unknown");
}

static void test_user_space(void)
{
	static const char rec[] = "12,2002,5000000100,-;oom-kill:constraint=CONSTRAINT_NONE,"
				  "task=sshd,pid=1,uid=0\n";
	struct oom_parser p = { 0 };
	struct oom_event ev;
	struct kmsg_rec r;

	is_int(kmsg_parse_record(rec, strlen(rec), &r), 0, "user record: parses");
	oom_feed(&p, &r);
	free(r.msg);
	oom_flush(&p);
	ok(!oom_pop(&p, &ev), "user record: a line written from user space is no kill");
	oom_parser_free(&p);
}

/* memory.oom.group: the OOM kills its victim, then every other task of
 * the victim's cgroup, each with a Killed line of its own and no other
 * line of context. They are kills of that OOM; the next report's kill is
 * not one of them. */
static void test_oom_group(void)
{
	static const char log[] =
		"[ 4410.100001] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
		"oom_score_adj=0\n"
		"[ 4410.100700] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
		"mems_allowed=0,oom_memcg=/k8s/pod1,task_memcg=/k8s/pod1/c1,task=stress,"
		"pid=7001,uid=998\n"
		"[ 4410.100800] Memory cgroup out of memory: Killed process 7001 (stress) "
		"total-vm:280000kB, anon-rss:255000kB, file-rss:900kB, shmem-rss:0kB, UID:998 "
		"pgtables:586kB oom_score_adj:200\n"
		"[ 4410.100900] Tasks in /k8s/pod1 are going to be killed due to memory.oom.group "
		"set\n"
		"[ 4410.100950] Memory cgroup out of memory: Killed process 7001 (stress) "
		"total-vm:280000kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:998 "
		"pgtables:586kB oom_score_adj:200\n"
		"[ 4410.101000] Memory cgroup out of memory: Killed process 7002 (sidecar) "
		"total-vm:28000kB, anon-rss:2500kB, file-rss:900kB, shmem-rss:0kB, UID:998 "
		"pgtables:86kB oom_score_adj:-997\n"
		"[ 4410.101100] Memory cgroup out of memory: Killed process 7003 (pause) "
		"total-vm:1000kB, anon-rss:40kB, file-rss:400kB, shmem-rss:0kB, UID:0 "
		"pgtables:24kB oom_score_adj:-998\n"
		"[ 5000.000001] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
		"oom_score_adj=0\n"
		"[ 5000.000100] Out of memory: Killed process 8001 (java) total-vm:9000000kB, "
		"anon-rss:8000000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:9000kB "
		"oom_score_adj:0\n";
	struct oom_event ev[8];

	is_int((int)events(log, ev, 8), 4,
	       "oom group: the victim (logged twice: once), two members, a later kill");
	ok(ev[0].pid == 7001 && ev[0].anon_rss == 255000 * 1024LL,
	   "oom group: the victim's row is its kill, not the group walk's second line");
	ok(!ev[0].group && ev[1].group && ev[2].group && !ev[3].group,
	   "oom group: the members are group kills, the chosen victim and the next are not");
	is_str(ev[0].cgroup, "/k8s/pod1/c1", "oom group: the victim's own cgroup");
	is_str(ev[1].cgroup, "/k8s/pod1", "oom group: a member's cgroup is the group's");
	is_str(ev[2].invoker, "stress", "oom group: a member's invoker is the report's");
	is_str(ev[2].constraint, "memcg", "oom group: a member's constraint is the report's");
	ok(ev[2].pid == 7003 && ev[2].have_adj && ev[2].adj == -998, "oom group: its own fields");
	is_str(ev[3].invoker, "java", "oom group: the next report has its own invoker");
	is_str(ev[3].cgroup, "", "oom group: the next report has no group cgroup");
	is_str(ev[3].constraint, "none", "oom group: the next report's constraint");
}

/* 4.19 to 5.0 log the one-line oom-kill: record before "Kill process N
 * ... or sacrifice child" and its Killed line: one kill, not two. */
static void test_oom_4_19_order(void)
{
	static const char log[] =
		"[   52.800000] allocate invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), "
		"nodemask=(null), order=0, oom_score_adj=0\n"
		"[   52.835000] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
		"mems_allowed=0,oom_memcg=/A1,task_memcg=/A1/B,task=allocate,pid=1221,uid=0\n"
		"[   52.835327] Memory cgroup out of memory: Kill process 1221 (allocate) score 241 "
		"or sacrifice child\n"
		"[   52.836625] Killed process 1221 (allocate) total-vm:2257144kB, "
		"anon-rss:2009128kB, file-rss:4kB, shmem-rss:0kB\n";
	struct oom_event ev[4];

	is_int((int)events(log, ev, 4), 1, "oom 4.19 order: one kill");
	ok(ev[0].pid == 1221 && ev[0].have_uid && ev[0].uid == 0 &&
	   ev[0].anon_rss == 2009128 * 1024LL, "oom 4.19 order: its uid and its sizes together");
	is_str(ev[0].cgroup, "/A1/B", "oom 4.19 order: its cgroup");
}

int main(void)
{
	test_record();
	test_text();
	test_oom_v1_4_19();
	test_oom_v2();
	test_oom_cut_short();
	test_user_space();
	test_oom_group();
	test_oom_4_19_order();
	return done_testing();
}
