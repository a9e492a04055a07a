#!/bin/sh
# oomctl: a real OOM kill in a memory cgroup of the test's own, forged log
# lines, safe writes of oom_score_adj, explain against the kernel, saved
# logs of every format.
. "$(dirname "$0")/lib.sh"

MIB=1048576
OOMFIX=$FIXTURES/oom
export MIB OOMFIX

# CAP_SYS_RESOURCE decides whether lowering oom_score_adj may succeed.
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
if [ $((0x$capeff >> 24 & 1)) -eq 1 ]; then HAVE_RES=1; else HAVE_RES=0; fi
export HAVE_RES

for f in "$OOMFIX"/*.log; do
	name=$(basename "$f" .log)
	test_expect_success "saved log $name parses to the expected kills" '
		TZ=UTC "$BIN/oomctl" events --kmsg "$OOMFIX/'"$name"'.log" -r \
			-o uptime,pid,comm,uid,anon_rss,file_rss,shmem_rss,oom_adj,constraint,cgroup,invoker \
			>out 2>&1 &&
		test_cmp "$OOMFIX/'"$name"'.out" out
	'
done

test_expect_success 'dmesg -T and journalctl -k lines keep their wall-clock time' '
	TZ=UTC "$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" -r -n -o time,pid >out &&
	echo "2026-11-25T19:00:01 777" >expect && test_cmp expect out &&
	"$BIN/oomctl" events --kmsg - -J <"$OOMFIX/journal.log" >out.json &&
	test_valid_json out.json && grep -q "\"pid\": 4321" out.json
'

test_expect_success 'a --kmsg that cannot be read (a directory) is an error, not an empty table' '
	mkdir -p logdir &&
	test_expect_code 3 "$BIN/oomctl" events --kmsg logdir >out 2>err &&
	test ! -s out && test "$(wc -l <err)" -eq 1 &&
	grep -q "cannot read logdir: Is a directory" err &&
	test_expect_code 3 "$BIN/oomctl" events --kmsg - <logdir >out 2>err &&
	test ! -s out && grep -q "cannot read standard input" err
'

test_expect_success '--since takes a plain decimal and a unit, or a date; nothing else' '
	for bad in infd inf 0x10m 1e3s nanm " 5m" +5m -5m 5 m 5.m 5x .5m " 2026-01-02" \
		2026-13-01 2026-02-30 2025-02-29 2026-1-02 26-01-02 "2026-11-26 4:3" \
		2026-11-26T04:3 2026-11-26T4:03 2026-11-26T04:03:5 "2026-01-02 10:00 " \
		2026-01-02T1000 2026-01-02T24:00 2026-01-02T10:60 2026-01-02T10:00:60; do
		test_expect_code 2 "$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" \
			--since "$bad" >out 2>err || { echo "took $bad"; exit 1; }
		grep -q "invalid --since" err || exit 1
	done &&
	for good in 30s 30m 12h 1.5d 0.5m 2026-01-02 "2026-01-02 10:00" 2026-01-02T10:00:05 \
		2024-02-29 2026-12-31T23:59:59; do
		"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" --since "$good" >out || exit 1
	done &&
	TZ=UTC "$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" --since 2026-11-25T19:00:01 \
		-r -n -o pid >out &&
	echo 777 >expect && test_cmp expect out &&
	TZ=UTC "$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" --since "2026-11-25 19:00:02" \
		-r -n -o pid >out &&
	test ! -s out
'

# A kill names the process it took: -p, -u and -C select kills by it. A
# kill whose lines leave the UID out (before 4.19) matches no -u.
test_expect_success 'events -p, -u, -C select the kills by the process killed' '
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-new.log" -C java -r -n -o pid,comm >out &&
	echo "2201 java" >expect && test_cmp expect out &&
	"$BIN/oomctl" events -p 18837 --kmsg "$OOMFIX/dmesg-new.log" -r -n -o pid >out &&
	echo 18837 >expect && test_cmp expect out &&
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-new.log" -u 1000,0 -C memhog,java -r -n \
		-o pid >out &&
	printf "18837\n2201\n" >expect && test_cmp expect out &&
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-new.log" -C nosuch -P >out &&
	! grep -q "^PID=" out && grep -qx "KILLS=\"0\"" out &&
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-4.19.log" -u 0 -r -n -o pid >out &&
	test_cmp /dev/null out &&
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-4.19.log" -p 9100 -r -n -o pid >out &&
	echo 9100 >expect && test_cmp expect out
'

# Taken and ignored, a filter would pass the whole answer off as the
# filtered one.
test_expect_success 'a filter where it cannot apply is a usage error' '
	test_expect_code 2 "$BIN/oomctl" cgroups -u root >out 2>err &&
	test_cmp /dev/null out &&
	grep -qx "oomctl: -u goes with list or events only, not cgroups" err &&
	test_expect_code 2 "$BIN/oomctl" explain 1 -p 5 -u nobody >out 2>err &&
	grep -qx "oomctl: -p goes with list or events only, not explain" err &&
	test_expect_code 2 "$BIN/oomctl" -C sh run 0 -- true >out 2>err &&
	grep -qx "oomctl: -C goes with list or events only, not run" err &&
	test_expect_code 2 "$BIN/oomctl" -p 1 protect 1 >out 2>err &&
	grep -q "^oomctl: -p goes with list or events only: protect takes its TARGETs" err &&
	test_expect_code 2 "$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-new.log" --cgroup / \
		>out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^oomctl: --cgroup goes with list only" err &&
	test_expect_code 2 "$BIN/oomctl" --cgroup / cgroups >out 2>err &&
	grep -qx "oomctl: --cgroup goes with list only, not cgroups" err &&
	test_expect_code 2 "$BIN/oomctl" events -N 2 >out 2>err &&
	grep -qx "oomctl: -N goes with list and cgroups only, not events" err &&
	"$BIN/oomctl" cgroups -N 1 -r -n >out 2>err && test "$(wc -l <out)" -eq 1 &&
	test_expect_code 2 "$BIN/oomctl" --unlimited list >out 2>err &&
	grep -qx "oomctl: --unlimited goes with cgroups only, not list" err &&
	test_expect_code 2 "$BIN/oomctl" events --limited >out 2>err &&
	grep -qx "oomctl: --limited goes with cgroups only, not events" err &&
	test_expect_code 2 "$BIN/oomctl" cgroups --limited --unlimited >out 2>err &&
	grep -qx "oomctl: --unlimited and --limited exclude each other" err
'

# The options of events elsewhere would be taken and ignored; a stream of
# kills in prometheus came out as raw lines, headerless.
test_expect_success 'events options elsewhere, and events -f in prometheus: usage errors' '
	test_expect_code 2 "$BIN/oomctl" -f >out 2>err &&
	test_cmp /dev/null out &&
	grep -qx "oomctl: -f goes with events only, not list" err &&
	test_expect_code 2 "$BIN/oomctl" cgroups --since 1h >out 2>err &&
	grep -qx "oomctl: --since goes with events only, not cgroups" err &&
	test_expect_code 2 "$BIN/oomctl" --kmsg "$OOMFIX/dmesg-new.log" explain 1 >out 2>err &&
	grep -qx "oomctl: --kmsg goes with events only, not explain" err &&
	test_expect_code 2 timeout 10 "$BIN/oomctl" events -f --format prometheus >out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^oomctl: --format prometheus: events -f prints a stream" err
'

# A follow that matches nothing writes nothing, and a reader that leaves
# (| head -1 after its line) was noticed only at the next write: days on a
# quiet machine. It must end within its poll of half a second, quietly
# (timeout says 124 when it had to end it).
if [ -r /dev/kmsg ]; then
	test_expect_success 'events -f ends when its reader leaves, with nothing to write' '
		{ timeout 20 "$BIN/oomctl" events -f -n -C "pdx-none$$" 2>err; echo $? >rc; } | sleep 1 &&
		test "$(cat rc)" = 0 && test_cmp /dev/null err
	'
else
	test_skip 'events -f ends when its reader leaves' 'needs /dev/kmsg (root)'
fi

# A PID freed by one kill can be given to a process the OOM killer takes
# again: the two kills were one prometheus series twice, which a scraper
# refuses. The moment of the kill (UPTIME) is a label too.
test_expect_success 'events in prometheus: a PID killed twice is two series, told apart by UPTIME' '
	sed -n "/\[ 2650/p" "$OOMFIX/dmesg-new.log" >twice.log &&
	sed "s/\[ 2650\./[ 2990./" twice.log >>twice.log.2 && cat twice.log.2 >>twice.log &&
	"$BIN/oomctl" events --kmsg twice.log --format prometheus -o pid,anon_rss >p.txt &&
	perl "$TEST_DIR/promlint.pl" p.txt &&
	grep -qx "procdx_oomctl_anon_rss_bytes{pid=\"18837\",uptime=\"2650.917611\"} 66846720" p.txt &&
	grep -qx "procdx_oomctl_anon_rss_bytes{pid=\"18837\",uptime=\"2990.917611\"} 66846720" p.txt &&
	"$BIN/oomctl" events --kmsg twice.log -r -n -o pid,uptime >raw &&
	printf "%s\n" "18837 2650.917611" "18837 2990.917611" >want && test_cmp want raw
'

# summary_keys FILE: the summary keys of a -P output, lower case, one a line.
summary_keys() {
	tail -1 "$1" | grep -o '[A-Z_]*="' | tr -d '="' | tr '[:upper:]' '[:lower:]' | sort
}
# The keys oomctl(1) gives under OUTPUT, one a line.
awk '/^\.SH OUTPUT/ { on = 1; next }
	/^\.SH / || /^Per format/ { on = 0 }
	on && tp { gsub(/^\.BR? /, ""); gsub(/[",]/, " "); for (i = 1; i <= NF; i++) print $i }
	{ tp = on && $0 == ".TP" }' "$TOP/man/oomctl.1" | sort >"$TRASH/man-keys"

test_expect_success 'the summary keys of events are those oomctl(1) gives (kills, not events)' '
	"$BIN/oomctl" events --kmsg "$OOMFIX/dmesg-T.log" -P >out &&
	summary_keys out >keys && echo kills >expect && test_cmp expect keys &&
	if [ -r /dev/kmsg ] && "$BIN/oomctl" events -P >out 2>/dev/null; then
		summary_keys out >keys &&
		printf "%s\n" cgroup_oom_kills kills oom_kills_since_boot >expect &&
		test_cmp expect keys
	fi &&
	comm -23 keys "$TRASH/man-keys" >missing && test ! -s missing &&
	! grep -qx events "$TRASH/man-keys" &&
	sed -n "/^\.SH OUTPUT/,/^\.SH /p" "$TOP/man/oomctl.1" >output &&
	grep -q "OOM_KILLS_SINCE_BOOT=.*CGROUP_OOM_KILLS=.*KILLS=" output
'

# A real OOM kill in a memory cgroup of our own. With swap on, the hog
# would swap instead of being killed unless the cgroup's swap is limited
# too: without a swap limit the scenario is skipped. Each failure says why
# in one line (the reason of a skip).
setup_memcg() {
	swap_on=0
	[ "$(wc -l </proc/swaps)" -gt 1 ] && swap_on=1
	if m=$(cgroup_mount memory) && [ -n "$m" ]; then
		OOM_CG=$m/procdx-test-oom-$$
		make_cgroup "$OOM_CG" 2>/dev/null || { echo "cannot create $OOM_CG"; return 1; }
		echo $((32 * MIB)) 2>/dev/null >"$OOM_CG/memory.limit_in_bytes" ||
			{ echo "cannot set memory.limit_in_bytes"; return 1; }
		if [ $swap_on = 1 ] &&
		   ! echo $((32 * MIB)) 2>/dev/null >"$OOM_CG/memory.memsw.limit_in_bytes"; then
			echo "swap is on and memory.memsw.limit_in_bytes cannot be set (swap accounting off?)"
			return 1
		fi
		OOM_CGPATH=/procdx-test-oom-$$
	elif m=$(cgroup_mount "") && [ -n "$m" ] && v2_has memory; then
		OOM_CG=$m/procdx-test-oom-$$
		make_cgroup "$OOM_CG" 2>/dev/null || { echo "cannot create $OOM_CG"; return 1; }
		echo $((32 * MIB)) 2>/dev/null >"$OOM_CG/memory.max" ||
			{ echo "cannot set memory.max"; return 1; }
		if [ $swap_on = 1 ] && ! echo 0 2>/dev/null >"$OOM_CG/memory.swap.max"; then
			echo "swap is on and memory.swap.max cannot be set (swap accounting off?)"
			return 1
		fi
		OOM_CGPATH=/procdx-test-oom-$$
	else
		echo "no memory controller"
		return 1
	fi
}

# state_of PID: the state letter of /proc/PID/stat, empty when gone.
state_of() { sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }

if ! is_root; then
	test_skip 'a real OOM kill' 'needs root (a memory cgroup and /dev/kmsg)'
elif ! setup_memcg >"$TRASH/why" 2>&1; then
	test_skip 'a real OOM kill' "$(cat "$TRASH/why")"
else
	export OOM_CG OOM_CGPATH
	# In a process group of its own (setsid does not fork here: a
	# background command of a shell without job control leads no group),
	# registered so that an interrupted run kills it too.
	SETSID=$(command -v setsid)
	$SETSID "$BIN/oomctl" events -f -J >"$TRASH/follow.json" 2>"$TRASH/follow.err" &
	FOLLOW=$!
	kill_at_exit "$FOLLOW"
	sleep 0.3
	# The hog names itself "a) R 1 (b" + ESC: hostile in the kernel's log.
	MEMHOG_NAME_HEX=6129205220312028621b sh -c \
		'echo $$ >"$1/cgroup.procs" && exec "$2" anon 200' sh "$OOM_CG" "$HELPERS/memhog" \
		>"$TRASH/hog.out" 2>&1 &
	HOG=$!
	# Killed at once, normally; a kernel that reclaims or swaps instead
	# must not hang the run: 30 s at most.
	i=0
	while [ $i -lt 300 ] && s=$(state_of "$HOG") && [ -n "$s" ] && [ "$s" != Z ]; do
		sleep 0.1
		i=$((i + 1))
	done
	HOGLATE=0
	if [ $i -ge 300 ]; then
		HOGLATE=1
		kill -KILL "$HOG" 2>/dev/null
	fi
	{ wait $HOG; HOGRC=$?; } 2>/dev/null
	sleep 2
	kill "$FOLLOW" 2>/dev/null
	wait "$FOLLOW" 2>/dev/null
	forget_pid "$FOLLOW"
	export HOG HOGRC HOGLATE

	test_expect_success 'the hog was killed by the OOM killer' '
		{ test "$HOGLATE" = 0 || { echo "not killed within 30 s: killed by the test"; false; }; } &&
		test "$HOGRC" -eq 137
	'
	test_expect_success 'events reports it: PID, escaped COMM, UID, RSS, memcg, the cgroup' '
		"$BIN/oomctl" events -P -o pid,comm,uid,constraint,cgroup >out &&
		grep -F "PID=\"$HOG\" COMM=\"a) R 1 (b\\x1b\" UID=\"0\" CONSTRAINT=\"memcg\" CGROUP=\"$OOM_CGPATH\"" out &&
		"$BIN/oomctl" events -r -n -o pid,anon_rss,time >out &&
		awk -v p="$HOG" "\$1 == p && \$2 > 16 * 1048576 && \$3 ~ /^20[0-9][0-9]-/ { f = 1 } END { exit !f }" out
	'
	test_expect_success 'events -p and -C find the kill of the hog, and only it' '
		"$BIN/oomctl" events -p "$HOG" -r -n -o pid >out &&
		echo "$HOG" >expect && test_cmp expect out &&
		"$BIN/oomctl" events -C "$(printf "a) R 1 (b\033")" -r -n -o pid >out &&
		grep -qx "$HOG" out &&
		"$BIN/oomctl" events -C "$(printf "a) R 1 (b\033")" -u 0 -r -n -o comm,uid >out &&
		sort -u out >uniq &&
		printf "a)\\\\x20R\\\\x201\\\\x20(b\\\\x1b 0\\n" >expect && test_cmp expect uniq
	'
	test_expect_success 'events -f printed the kill as it happened (JSON Lines)' '
		grep "\"pid\": $HOG," "$TRASH/follow.json" >line &&
		test "$(wc -l <line)" -eq 1 &&
		test_valid_json line
	'
	# Streamed, the table cannot size its columns from rows to come.
	test_expect_success 'events -f as a table: the columns line up' '
		{ timeout 2 "$BIN/oomctl" events -f >ftable 2>/dev/null; true; } &&
		grep -q " $HOG " ftable &&
		awk "{ print index(\$0, \" \" \$2 \" \") + length(\$2) }" ftable | sort -u >ends &&
		test "$(wc -l <ends)" -eq 1
	'
	test_expect_success 'cgroups shows the limit and one OOM kill' '
		"$BIN/oomctl" cgroups -r -n -o path,limit,oom_kills >out &&
		grep -qx "$OOM_CGPATH $((32 * MIB)) 1" out
	'
	# 16 MiB in the cgroup of 32 MiB: half of it in use, the rest its
	# headroom; sorted by PCT, the fullest come first.
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" anon 16' sh "$OOM_CG" "$HELPERS/memhog" \
		>"$TRASH/half.out" 2>&1 &
	HALF=$!
	kill_at_exit "$HALF"
	i=0
	until grep -qs ready "$TRASH/half.out" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	export HALF
	test_expect_success 'cgroups: PCT and HEADROOM of the limit; -x pct -N puts the fullest first' '
		grep -q ready "$TRASH/half.out" &&
		"$BIN/oomctl" cgroups -b -r -n -o path,limit,usage,pct,headroom >all &&
		awk -v p="$OOM_CGPATH" "\$1 == p" all >row && test "$(wc -l <row)" -eq 1 &&
		read -r path limit usage pct headroom <row &&
		test "$headroom" -eq $((limit - usage)) &&
		awk -v u="$usage" -v l="$limit" -v p="$pct" "BEGIN {
			exit !(u >= 16 * 1048576 && p > 45 && p < 80 && p - 100 * u / l < 0.1 &&
			       100 * u / l - p < 0.1) }" &&
		"$BIN/oomctl" cgroups -x pct -N 1 -r -n -o pct >top && test "$(wc -l <top)" -eq 1 &&
		awk -v p="$pct" "{ exit !(\$1 >= p) }" top &&
		"$BIN/oomctl" cgroups --unlimited -r -n -o pct,headroom >unl &&
		! grep -qv "^- -$" unl &&
		"$BIN/oomctl" cgroups --limited -r -n -o path,limit >lim &&
		grep -qx "$OOM_CGPATH $((32 * MIB))" lim && ! grep -q " -$" lim
	'
	kill "$HALF" 2>/dev/null
	wait "$HALF" 2>/dev/null
	forget_pid "$HALF"

	test_expect_success '--unlimited leaves the limited cgroup out' '
		"$BIN/oomctl" cgroups --unlimited -r -n -o path >out &&
		! grep -qx "$OOM_CGPATH" out
	'
	test_expect_success 'the vmstat counter is shown with the events' '
		"$BIN/oomctl" events -J >out.json && test_valid_json out.json &&
		grep -q "\"oom_kills_since_boot\": [1-9]" out.json
	'
	# On a capture, events read this machine's log: another machine's
	# kills, or later ones. capture saves the log (dmesg -x) beside the
	# tree; its boot time dates the kills.
	test_expect_success 'events on a capture: the log saved with it, dated by its boot' '
		"$TOP/scripts/capture" -p "$$" evcap >evcap.out 2>&1 &&
		grep -q "^kern *:" evcap/dmesg &&
		"$BIN/oomctl" events -r -n -o pid,comm >live &&
		"$BIN/oomctl" --proc evcap/proc events -r -n -o pid,comm,time >saved &&
		awk -v p="$HOG" "\$1 == p && \$3 ~ /^20[0-9][0-9]-/ { f = 1 } END { exit !f }" saved &&
		cut -d" " -f1,2 saved >saved2 && test_cmp live saved2 &&
		"$BIN/oomctl" --proc evcap/proc events -J >out.json &&
		grep -q "\"oom_kills_since_boot\": [1-9]" out.json &&
		echo "kern  :err   : [99999.000000] Out of memory: Killed process 424242 (later) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0" >>evcap/dmesg &&
		echo "user  :info  : [99999.100000] Out of memory: Killed process 424243 (forged) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0" >>evcap/dmesg &&
		"$BIN/oomctl" --proc evcap/proc events -r -n -o pid >out &&
		grep -qx 424242 out && ! grep -qx 424243 out &&
		test_expect_code 2 "$BIN/oomctl" --proc evcap/proc events -f >out 2>err &&
		grep -q "a saved tree has none" err &&
		rm evcap/dmesg &&
		test_expect_code 3 "$BIN/oomctl" --proc evcap/proc events >out 2>err &&
		test_cmp /dev/null out &&
		grep -q "^oomctl: a saved tree has no kernel log beside it" err
	'
fi

# list --cgroup ranks the candidates of one memory cgroup's OOM kill: the
# processes whose memory cgroup is under it, as the kernel has them. A
# memory cgroup with a limit; with cgroup v1, the same path in the pids
# hierarchy holds a process whose memory cgroup is elsewhere.
setup_rank_memcg() {
	RK_PATH=/procdx-test-rank-$$
	RK_OTHER=
	if m=$(cgroup_mount memory) && [ -n "$m" ]; then
		RK_CG=$m$RK_PATH
		make_cgroup "$RK_CG" 2>/dev/null || { echo "cannot create $RK_CG"; return 1; }
		echo $((256 * MIB)) 2>/dev/null >"$RK_CG/memory.limit_in_bytes" ||
			{ echo "cannot set memory.limit_in_bytes"; return 1; }
		if p=$(cgroup_mount pids) && [ -n "$p" ] && [ "$p" != "$m" ] &&
		   make_cgroup "$p$RK_PATH" 2>/dev/null; then
			RK_OTHER=$p$RK_PATH
		fi
	elif m=$(cgroup_mount "") && [ -n "$m" ] && v2_has memory; then
		RK_CG=$m$RK_PATH
		make_cgroup "$RK_CG" 2>/dev/null || { echo "cannot create $RK_CG"; return 1; }
		echo $((256 * MIB)) 2>/dev/null >"$RK_CG/memory.max" ||
			{ echo "cannot set memory.max"; return 1; }
	else
		echo "no memory controller"
		return 1
	fi
}

if ! is_root; then
	test_skip 'list --cgroup on live cgroups' 'needs root (cgroups of its own)'
elif ! setup_rank_memcg >"$TRASH/why" 2>&1; then
	test_skip 'list --cgroup on live cgroups' "$(cat "$TRASH/why")"
else
	start_scenario rkin sleeper || exit 1
	RK_IN=$(scenario_pid rkin pid)
	# A vfork parent and its child: the kernel never picks the child
	# (its oom_score is 0) though its memory is its parent's.
	start_scenario rkvf vfork-sleeper 3600 || exit 1
	RK_VP=$(scenario_pid rkvf parent)
	RK_VC=$(scenario_pid rkvf child)
	start_scenario rkle leader-exit || exit 1
	RK_LE=$(scenario_pid rkle pid)
	for p in "$RK_IN" "$RK_VP" "$RK_VC" "$RK_LE"; do
		echo "$p" >"$RK_CG/cgroup.procs" || exit 1
	done
	RK_OUT=
	if [ -n "$RK_OTHER" ]; then
		start_scenario rkout sleeper || exit 1
		RK_OUT=$(scenario_pid rkout pid)
		echo "$RK_OUT" >"$RK_OTHER/cgroup.procs" || exit 1
	fi
	export RK_PATH RK_IN RK_VP RK_VC RK_LE RK_OUT

	test_expect_success 'list --cgroup: the processes of that memory cgroup, not of its path elsewhere' '
		"$BIN/oomctl" list --cgroup "$RK_PATH" -r -n -o pid >out &&
		sort out >got &&
		printf "%s\n" "$RK_IN" "$RK_VP" "$RK_VC" "$RK_LE" | sort >expect &&
		test_cmp expect got &&
		{ test -z "$RK_OUT" || grep -q ":pids:$RK_PATH\$" "/proc/$RK_OUT/cgroup"; }
	'
	test_expect_success 'list --cgroup: a vfork child scores 0, as the kernel never picks it' '
		test "$(cat "/proc/$RK_VC/oom_score")" -eq 0 &&
		"$BIN/oomctl" list --cgroup "$RK_PATH" -r -n -o pid,oom_score >out &&
		grep -qx "$RK_VC 0" out &&
		awk -v p="$RK_VP" "\$1 == p && \$2 > 0 { f = 1 } END { exit !f }" out
	'
	test_expect_success 'list: the CGROUP of an exited leader is its live thread'"'"'s' '
		"$BIN/oomctl" list -p "$RK_LE" -r -n -o pid,cgroup >out &&
		echo "$RK_LE $RK_PATH" >expect && test_cmp expect out
	'
fi

# explain weighs the process against its memory cgroup's limit too, which
# the kernel uses in an OOM of that cgroup: a hog at adj 300 in a cgroup
# without a limit of its own, under a parent limited to 200 MiB.
setup_explain_memcg() {
	EX_PATH=/procdx-test-explain-$$
	if m=$(cgroup_mount memory) && [ -n "$m" ]; then
		make_cgroup "$m$EX_PATH" 2>/dev/null || { echo "cannot create $m$EX_PATH"; return 1; }
		echo $((200 * MIB)) 2>/dev/null >"$m$EX_PATH/memory.limit_in_bytes" ||
			{ echo "cannot set memory.limit_in_bytes"; return 1; }
	elif m=$(cgroup_mount "") && [ -n "$m" ] && v2_has memory; then
		make_cgroup "$m$EX_PATH" 2>/dev/null || { echo "cannot create $m$EX_PATH"; return 1; }
		echo $((200 * MIB)) 2>/dev/null >"$m$EX_PATH/memory.max" ||
			{ echo "cannot set memory.max"; return 1; }
		# Its child gets memory files only when it hands the
		# controller down (a cgroup of our own: the machine's stay).
		echo +memory 2>/dev/null >"$m$EX_PATH/cgroup.subtree_control" ||
			{ echo "cannot enable memory below $m$EX_PATH"; return 1; }
	else
		echo "no memory controller mounted"
		return 1
	fi
	EX_CG=$m$EX_PATH/inner
	make_cgroup "$EX_CG" 2>/dev/null || { echo "cannot create $EX_CG"; return 1; }
	# And one with no limit, under the root, which has none.
	EX_FREE=$m$EX_PATH-free
	make_cgroup "$EX_FREE" 2>/dev/null || { echo "cannot create $EX_FREE"; return 1; }
}

if ! is_root; then
	test_skip 'explain in a memory cgroup' 'needs root (cgroups of its own)'
elif ! setup_explain_memcg >"$TRASH/why" 2>&1; then
	test_skip 'explain in a memory cgroup' "$(cat "$TRASH/why")"
else
	sh -c 'echo $$ >"$1/cgroup.procs" && echo 300 >/proc/$$/oom_score_adj &&
		exec "$2" anon 50' sh "$EX_CG" "$HELPERS/memhog" >"$TRASH/exhog.out" 2>&1 &
	EX_HOG=$!
	kill_at_exit "$EX_HOG"
	i=0
	until grep -q ready "$TRASH/exhog.out" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	export EX_PATH EX_HOG
	test_expect_success 'explain: the score in an OOM of the limited parent cgroup, as list --cgroup has it' '
		grep -q ready "$TRASH/exhog.out" &&
		"$BIN/oomctl" explain "$EX_HOG" -P >out &&
		grep -qF "MEMCG=\"$EX_PATH/inner\" CGROUP_OOM=\"$EX_PATH\"" out &&
		grep -q "AGREES=\"1\"" out &&
		grep "^ITEM=\"cgroup_total\"" out >total &&
		grep -qF "of $EX_PATH + the swap it may use" total &&
		pages=$(sed "s/.* PAGES=\"\([0-9]*\)\".*/\1/" total) &&
		test "$pages" -ge $((200 * MIB / $(getconf PAGESIZE))) &&
		grep "^ITEM=\"cgroup_score\"" out >score &&
		cgscore=$(sed "s/.* PAGES=\"\([0-9]*\)\".*/\1/" score) &&
		"$BIN/oomctl" list --cgroup "$EX_PATH" -p "$EX_HOG" -r -n -o oom_score >list &&
		test $((cgscore - $(cat list))) -le 1 && test $(($(cat list) - cgscore)) -le 1 &&
		test "$cgscore" -gt 1000 &&
		grep "^ITEM=\"score\"" out >global &&
		test "$(sed "s/.* PAGES=\"\([0-9]*\)\".*/\1/" global)" -lt "$cgscore"
	'
	start_scenario exfree sleeper || exit 1
	EX_SL=$(scenario_pid exfree pid)
	echo "$EX_SL" >"$EX_FREE/cgroup.procs" || exit 1
	export EX_SL
	test_expect_success 'explain: under no memory limit, no cgroup rows, and it says so' '
		"$BIN/oomctl" explain "$EX_SL" >out &&
		! grep -q "^cgroup_" out &&
		grep -qxF "memory cgroup: $EX_PATH-free" out &&
		grep -qx "cgroup OOM: none: no limit on its memory cgroup or above it" out &&
		"$BIN/oomctl" explain "$EX_SL" -J >out.json && test_valid_json out.json &&
		grep -q "\"cgroup_oom\": null" out.json
	'
	kill "$EX_HOG" 2>/dev/null
	wait "$EX_HOG" 2>/dev/null
	forget_pid "$EX_HOG"
fi

if is_root && [ -w /dev/kmsg ]; then
	test_expect_success 'a kernel-looking line written by a user process is not reported' '
		echo "<6>Out of memory: Killed process 99977 (forged) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0" >/dev/kmsg &&
		echo "<6>oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=forged,pid=99978,uid=0" >/dev/kmsg &&
		"$BIN/oomctl" events -r -n -o pid >out &&
		! grep -qx "9997[78]" out
	'
else
	test_skip 'forged /dev/kmsg lines' 'needs root to write /dev/kmsg'
fi

# A name as hex bytes, for the helpers that rename themselves.
hexname() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }

start_scenario target sleeper || exit 1
TP=$(scenario_pid target pid)
start_scenario other sleeper || exit 1
OP=$(scenario_pid other pid)
start_scenario zomb zombie-parent nowait 1 || exit 1
ZP=$(scenario_pid zomb zombie)
start_scenario vf vfork-sleeper 3600 || exit 1
VP=$(scenario_pid vf parent)
VC=$(scenario_pid vf child)
# The same, the vfork made by a second thread.
start_scenario vft vfork-sleeper -t 3600 || exit 1
VTP=$(scenario_pid vft parent)
VTC=$(scenario_pid vft child)
# Two processes on one memory (clone(CLONE_VM), no vfork); the child
# renames itself.
CNAME=pdx-cvm$$
start_scenario cvm clone-vm "$(hexname "$CNAME")" || exit 1
CP=$(scenario_pid cvm parent)
CC=$(scenario_pid cvm child)
# Names unique to this run: the machine may run this test twice at once.
NNAME=pdx-oom$$
start_scenario named hostile-name "$(hexname "$NNAME")" || exit 1
NP=$(scenario_pid named pid)
# A process named like PID 1, for -C to find beside it.
INIT_COMM=$(cat /proc/1/comm)
start_scenario init1 hostile-name "$(hexname "$INIT_COMM")" || exit 1
IP=$(scenario_pid init1 pid)
# "pdx" ESC ]0;PID BEL: a name that would retitle the terminal, and a
# zombie child of the same name.
TNAME=$(printf 'pdx\033]0;%s\007' $$)
start_scenario title hostile-name "$(hexname "$TNAME")" zombie || exit 1
HP=$(scenario_pid title pid)
HZ=$(scenario_pid title zombie)
export TP OP ZP VP VC VTP VTC CP CC CNAME NP NNAME IP INIT_COMM HP HZ TNAME
adj() { cat "/proc/$1/oom_score_adj"; }

test_expect_success 'set: written, read back, one line PID COMM OLD NEW' '
	"$BIN/oomctl" set 500 "$TP" -r -n >out &&
	echo "$TP sleeper 0 500" >expect && test_cmp expect out &&
	test "$(adj "$TP")" = 500
'

test_expect_success 'invalid ADJ values are usage errors and change nothing' '
	for bad in 0x10 +5 " 7" 12abc 1001 -1001 "" 99999999999999999999 007 -0; do
		test_expect_code 2 "$BIN/oomctl" set "$bad" "$TP" 2>err || exit 1
		grep -q "invalid ADJ" err || exit 1
	done &&
	test "$(adj "$TP")" = 500
'

test_expect_success 'a negative ADJ is a value, not an option' '
	"$BIN/oomctl" set -500 "$TP" -r -n >out 2>err; rc=$?
	if [ "$HAVE_RES" = 1 ]; then
		test $rc -eq 0 && test "$(adj "$TP")" = -500
	else
		test $rc -eq 3 && grep -q "needs CAP_SYS_RESOURCE" err && test "$(adj "$TP")" = 500
	fi
'

test_expect_success 'reset and --dry-run' '
	"$BIN/oomctl" set 200 "$TP" >/dev/null &&
	"$BIN/oomctl" protect --dry-run "$TP" -r -n >out 2>err &&
	echo "$TP sleeper 200 -1000" >expect && test_cmp expect out &&
	test "$(adj "$TP")" = 200 &&
	"$BIN/oomctl" reset "$TP" -r -n >out &&
	echo "$TP sleeper 200 0" >expect && test_cmp expect out && test "$(adj "$TP")" = 0
'

# Among set's words the shared options read as anywhere else: "--" ends
# the options, --help helps, --format=json is --format json.
test_expect_success 'set/protect: --, --help and --opt=VALUE as in every command' '
	"$BIN/oomctl" set --dry-run -r -n -- -500 "$TP" >out 2>err &&
	echo "$TP sleeper 0 -500" >expect && test_cmp expect out &&
	test "$(adj "$TP")" = 0 &&
	"$BIN/oomctl" set -500 --dry-run "$TP" --format=json --output=pid,new >out.json 2>err &&
	test_valid_json out.json &&
	grep -q "{\"pid\": $TP, \"new\": -500}" out.json &&
	test_expect_code 2 "$BIN/oomctl" reset -- --dry-run "$TP" >out 2>err &&
	grep -qx "oomctl: invalid TARGET: '"'"'--dry-run'"'"' (a PID or -C NAME)" err &&
	"$BIN/oomctl" set --help >out && grep -q "^Usage: oomctl " out &&
	"$BIN/oomctl" protect -h >out && grep -q "^Usage: oomctl " out &&
	test "$(adj "$TP")" = 0
'

test_expect_success 'protect: -1000, or a clear CAP_SYS_RESOURCE message' '
	"$BIN/oomctl" protect "$TP" >out 2>err; rc=$?
	if [ "$HAVE_RES" = 1 ]; then
		test $rc -eq 0 && test "$(adj "$TP")" = -1000 && "$BIN/oomctl" reset "$TP"
	else
		test $rc -eq 3 && grep -q "lowering oom_score_adj needs CAP_SYS_RESOURCE" err
	fi
'

test_expect_success 'a zombie and a gone PID are refused; the others are done' '
	test_expect_code 3 "$BIN/oomctl" set 100 "$ZP" "$TP" 99999999 "$OP" -r -n >out 2>err &&
	grep -q "a zombie" err && grep -q "no such process" err &&
	test "$(wc -l <err)" -eq 2 &&
	test "$(adj "$TP")" = 100 && test "$(adj "$OP")" = 100 &&
	test "$(wc -l <out)" -eq 2
'

# Nothing written: stderr says why, stdout has no table over nothing (JSON
# still gives its empty document).
test_expect_success 'every target refused: no header, exit 3' '
	test_expect_code 3 "$BIN/oomctl" set 100 "$ZP" 99999999 1 >out 2>err &&
	test_cmp /dev/null out && test "$(wc -l <err)" -eq 3 &&
	test_expect_code 3 "$BIN/oomctl" set 100 "$ZP" -r >out 2>err && test_cmp /dev/null out &&
	test_expect_code 3 "$BIN/oomctl" reset "$ZP" -P >out 2>err && test_cmp /dev/null out &&
	test_expect_code 3 "$BIN/oomctl" set 100 "$ZP" -J >out 2>err &&
	tr -d " \n" <out >flat && echo "{\"changes\":[]}" >expect && echo >>flat &&
	test_cmp expect flat
'

# v1 has no swap counter: swap is memsw less memory, two files read at two
# moments (in a saved tree, copied at two moments). Without swap on the
# machine that difference is never swap.
test_expect_success 'cgroups v1: no swap on the machine, SWAP 0 whatever memsw says' '
	cp -r "$FIXTURES/capture-vm" vm &&
	cg=vm/sys/fs/cgroup/memory/process_api &&
	echo $(($(cat $cg/memory.usage_in_bytes) + 118784)) >$cg/memory.memsw.usage_in_bytes &&
	set -- --proc vm/proc --sys vm/sys cgroups -b -r -n -o swap,path &&
	"$BIN/oomctl" "$@" >out && grep -qx "0 /process_api" out &&
	sed -i "s/^SwapTotal: .*/SwapTotal: 1048576 kB/" vm/proc/meminfo &&
	"$BIN/oomctl" "$@" >out && grep -qx "118784 /process_api" out
'

test_expect_success 'a vfork child is set alone: the kernel leaves its parent as it is' '
	"$BIN/oomctl" set 150 "$VC" -r -n >out 2>err &&
	echo "$VC vfork-sleeper 0 150" >expect && test_cmp expect out &&
	test ! -s err && test "$(adj "$VC")" = 150 && test "$(adj "$VP")" = 0 &&
	"$BIN/oomctl" set 250 "$VP" -r -n >out 2>err &&
	echo "$VP vfork-sleeper 0 250" >expect && test_cmp expect out &&
	test ! -s err && test "$(adj "$VP")" = 250 && test "$(adj "$VC")" = 150 &&
	"$BIN/oomctl" set 350 "$VTC" -r -n >out 2>err &&
	test ! -s err && test "$(adj "$VTC")" = 350 && test "$(adj "$VTP")" = 0
'

test_expect_success 'a process sharing its memory (clone(CLONE_VM)) is refused, naming the other' '
	old=$(adj "$TP") &&
	test_expect_code 3 "$BIN/oomctl" set 400 "$CP" "$TP" -r -n >out 2>err &&
	echo "$TP sleeper $old 400" >expect && test_cmp expect out &&
	test "$(wc -l <err)" -eq 1 &&
	grep -qF "$CP (clone-vm): shares its memory with $CC ($CNAME)" err &&
	test "$(adj "$CP")" = 0 && test "$(adj "$CC")" = 0 && test "$(adj "$TP")" = 400 &&
	test_expect_code 3 "$BIN/oomctl" set 400 "$CC" --dry-run -r -n >out 2>err &&
	test ! -s out && grep -qF "$CC ($CNAME): shares its memory with $CP (clone-vm)" err &&
	test_expect_code 3 "$BIN/oomctl" set 400 -C "$CNAME" 2>err &&
	grep -qF "shares its memory with $CP (clone-vm)" err &&
	test "$(adj "$CP")" = 0 && test "$(adj "$CC")" = 0
'

# Another user cannot compare its processes with ours (kcmp needs what
# ptrace needs): said in one line, and the target is done.
if is_root && command -v setpriv >/dev/null 2>&1; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
	nobody_scenario nobody sleeper || exit 1
	NBP=$(scenario_pid nobody pid)
	export NOBODY NBP
	test_expect_success 'when other processes cannot be compared: one line, and the target is done' '
		test -n "$NBP" &&
		$NOBODY "$BIN/oomctl" set 100 "$NBP" -r -n >out 2>err &&
		echo "$NBP sleeper 0 100" >expect && test_cmp expect out &&
		test "$(wc -l <err)" -eq 1 &&
		grep -q "processes* could not be checked for sharing memory" err &&
		test "$(adj "$NBP")" = 100
	'
	# The target itself that cannot be compared is no other process: its
	# write fails and says why, alone.
	test_expect_success 'another user'"'"'s target: permission denied, and nothing about sharing' '
		old=$(adj "$TP") &&
		test_expect_code 3 $NOBODY "$BIN/oomctl" set 100 "$TP" -r -n >out 2>err &&
		test_cmp /dev/null out &&
		echo "oomctl: $TP (sleeper): Permission denied" >expect && test_cmp expect err &&
		test "$(adj "$TP")" = "$old"
	'
	test_expect_success 'another user'"'"'s target: --dry-run is refused as the real run is' '
		old=$(adj "$TP") &&
		test_expect_code 3 $NOBODY "$BIN/oomctl" set 900 "$TP" --dry-run -r -n >out 2>err &&
		test_cmp /dev/null out &&
		echo "oomctl: $TP (sleeper): Permission denied" >expect && test_cmp expect err &&
		$NOBODY "$BIN/oomctl" set 900 "$NBP" --dry-run -r -n >out 2>err &&
		echo "$NBP sleeper 100 900" >expect && test_cmp expect out &&
		test "$(adj "$TP")" = "$old" && test "$(adj "$NBP")" = 100
	'
	# Root without CAP_SYS_PTRACE may write a process it may not compare:
	# a worker that changed its UIDs without exec (not dumpable).
	start_scenario nodump sleeper uid 65534 || exit 1
	NDP=$(scenario_pid nodump pid)
	export NDP
	if setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace true 2>/dev/null; then
		test_expect_success 'a target written but not compared: said of it, in one line' '
			setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace \
				"$BIN/oomctl" set 100 "$NDP" -r -n >out 2>err &&
			echo "$NDP sleeper 0 100" >expect && test_cmp expect out &&
			test "$(wc -l <err)" -eq 1 &&
			grep -qF "oomctl: $NDP (sleeper): written without checking whether it shares its memory with other processes" err &&
			test "$(adj "$NDP")" = 100
		'
	else
		test_skip 'a target written but not compared' 'setpriv cannot drop CAP_SYS_PTRACE'
	fi
else
	test_skip 'kcmp refused for other users'"'"' processes' 'needs root and setpriv'
fi

test_expect_success 'messages on stderr escape the COMM' '
	test_expect_code 3 "$BIN/oomctl" set 100 "$HZ" 2>err &&
	grep -q "a zombie" err && test_no_control err &&
	grep -qF "$HZ (pdx\\x1b]0;$$\\x07)" err
'

test_expect_success '-C NAME takes live processes only, not a zombie of that name' '
	"$BIN/oomctl" set 100 --dry-run -C "$TNAME" -r -n >out 2>err &&
	printf "%s\\n" "$HP pdx\\x1b]0;$$\\x07 0 100" >expect && test_cmp expect out
'

test_expect_success 'a bad TARGET anywhere: usage error before anything is written' '
	"$BIN/oomctl" set 50 "$TP" >/dev/null &&
	test_expect_code 2 "$BIN/oomctl" set 60 "$TP" abc 2>err &&
	test "$(adj "$TP")" = 50
'

test_expect_success 'a process named twice is written once; -C never reaches PID 1' '
	"$BIN/oomctl" set 70 "$TP" "$TP" -r -n >out &&
	test "$(wc -l <out)" -eq 1 &&
	"$BIN/oomctl" set 5 --dry-run -C "$INIT_COMM" -r -n >out 2>err &&
	grep -q "^$IP " out && ! grep -q "^1 " out
'

test_expect_success 'a forged name cannot forge the numbers of a kill record' '
	printf "%s\n" "[  10.0] Out of memory: Killed process 77 (x anon-rss:999999kB, UID:0 oom_score_adj:1) total-vm:10kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:4kB oom_score_adj:-5" >forged.log &&
	"$BIN/oomctl" events --kmsg forged.log -r -n -o pid,anon_rss,uid,oom_adj >out &&
	echo "77 4096 33 -5" >expect && test_cmp expect out
'

test_expect_success '-C NAME targets every process of that name' '
	"$BIN/oomctl" set 300 -C "$NNAME" -r -n >out &&
	echo "$NP $NNAME 0 300" >expect && test_cmp expect out &&
	test_expect_code 3 "$BIN/oomctl" set 300 -C no-such-name-pdx 2>err &&
	grep -q "no process named" err
'

# A thread ID opens as /proc/TID like a process, and a write there changes
# the whole process: it is refused, naming the process.
start_scenario threaded sleeper threads 2 || exit 1
THP=$(scenario_pid threaded pid)
# other_thread PID: a thread of PID other than its leader; nothing if none.
other_thread() {
	for t in /proc/"$1"/task/*; do
		[ "${t##*/}" = "$1" ] || { echo "${t##*/}"; return; }
	done
}
THT=$(other_thread "$THP")
# A thread of PID 1, when it has one: the refusal of PID 1 must hold.
T1=$(other_thread 1)
export THP THT T1

test_expect_success 'a thread ID is refused, naming its process; its process is unchanged' '
	test -n "$THT" &&
	test_expect_code 3 "$BIN/oomctl" set 300 "$THT" -r -n >out 2>err &&
	test ! -s out && test "$(wc -l <err)" -eq 1 &&
	grep -qF "$THT (sleeper): a thread of process $THP, not a process" err &&
	test "$(adj "$THP")" = 0 &&
	"$BIN/oomctl" set 300 "$THP" -r -n >out &&
	echo "$THP sleeper 0 300" >expect && test_cmp expect out &&
	if [ -n "$T1" ]; then
		test_expect_code 3 "$BIN/oomctl" set 5 --dry-run "$T1" -r -n >out 2>err &&
		test ! -s out && grep -q "a thread of process 1," err
	fi
'

# Between -C NAME matching its processes and writing each one, another
# target's checks take their time (kcmp against every process). strace
# holds oomctl in its first kcmp, inside the first target's checks, while
# the second target changes: its PID is reused, or it exec's.
# stall_set ARGS...: run oomctl ARGS into out and err, held at its first
# kcmp (or at the system call STALL_ON names) for 2 s; returns once it is
# held. STALL is strace's PID.
stall_set() {
	rm -f trace
	_sc=${STALL_ON:-kcmp}
	# A sanitizer build's leak check stops the process's threads with
	# ptrace at exit, which a traced process cannot: off here only.
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -o trace -e trace="$_sc" \
		-e inject="$_sc":delay_enter=2000000:when=1 "$BIN/oomctl" "$@" >out 2>err &
	STALL=$!
	i=0
	while ! grep -q "$_sc(" trace 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 200 ] || { echo "oomctl never reached $_sc"; return 1; }
		sleep 0.05
	done
}
# stall_end: oomctl must still have been held (else the test proves
# nothing); its exit status in STALLRC.
stall_end() {
	if grep -q DELAYED trace; then
		echo "oomctl went on before the target changed: machine too slow"
		return 1
	fi
	wait "$STALL"
	# shellcheck disable=SC2034 # read by the test bodies
	STALLRC=$?
}
# two_named NAME: two processes of that name, FIRST (the lower PID, which
# /proc lists, and -C finds, first) and SECOND.
two_named() {
	start_scenario ra hostile-name "$(hexname "$1")" || return 1
	start_scenario rb hostile-name "$(hexname "$1")" || return 1
	FIRST=$(scenario_pid ra pid)
	SECOND=$(scenario_pid rb pid)
	if [ "$FIRST" -gt "$SECOND" ]; then
		FIRST=$SECOND
		SECOND=$(scenario_pid ra pid)
	fi
}
kmaj=$(uname -r | cut -d. -f1)
kmin=$(uname -r | cut -d. -f2)
if ! is_root; then
	test_skip '-C and a reused PID' 'needs root (clone3 set_tid)'
elif [ "$kmaj" -lt 5 ] || { [ "$kmaj" -eq 5 ] && [ "$kmin" -lt 5 ]; }; then
	test_skip '-C and a reused PID' 'needs Linux 5.5 (clone3 set_tid)'
elif ! strace -o /dev/null -e inject=kcmp:delay_enter=1:when=1 true 2>/dev/null; then
	test_skip '-C and a reused PID' 'needs strace 4.22 or later (delay injection)'
else
	test_expect_success '-C: a matched PID reused by another process (another name) is not written' '
		RNAME=pdx-race$$ && two_named "$RNAME" &&
		stall_set set 500 -C "$RNAME" -r -n &&
		stop_scenario "$SECOND" && { wait "$SECOND" 2>/dev/null; true; } &&
		start_scenario new pid-reuse "$SECOND" innocent &&
		test "$(scenario_pid new pid)" = "$SECOND" &&
		stall_end && test "$STALLRC" -eq 3 &&
		echo "$FIRST $RNAME 0 500" >expect && test_cmp expect out &&
		echo "oomctl: $SECOND: exited before the write" >expect && test_cmp expect err &&
		test "$(adj "$FIRST")" = 500 &&
		test "$(cat /proc/$SECOND/comm)" = innocent && test "$(adj "$SECOND")" = 0
	'
	test_expect_success '-C: a matched PID reused by a process of the same name is not written' '
		RNAME=pdx-race$$ && two_named "$RNAME" &&
		stall_set set 500 -C "$RNAME" -r -n &&
		stop_scenario "$SECOND" && { wait "$SECOND" 2>/dev/null; true; } &&
		start_scenario new pid-reuse "$SECOND" "$RNAME" &&
		stall_end && test "$STALLRC" -eq 3 &&
		echo "$FIRST $RNAME 0 500" >expect && test_cmp expect out &&
		echo "oomctl: $SECOND: exited before the write" >expect && test_cmp expect err &&
		test "$(adj "$SECOND")" = 0
	'
	# execer NAME: X, a copy of sh named NAME, which exec's sleep on
	# SIGUSR1: the same process, under another name. exec_now: send it.
	execer() {
		cp "$(command -v sh)" "$1" &&
		{ "./$1" -c "trap \"exec sleep 3600\" USR1; echo ready; while :; do sleep 1 & wait; done" \
			>"$1.out" 2>&1 & } &&
		X=$! && kill_at_exit "$X" &&
		i=0 && while ! grep -q ready "$1.out" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
		grep -q ready "$1.out"
	}
	exec_now() {
		kill -USR1 "$X" &&
		i=0 && while [ "$(cat /proc/"$X"/comm)" != sleep ] && [ "$i" -lt 100 ]; do sleep 0.02; i=$((i + 1)); done &&
		{ test "$(cat /proc/"$X"/comm)" = sleep || echo "$X did not exec in 2 s"; }
	}
	test_expect_success '-C: a matched process that exec'"'"'d another program is not written' '
		XNAME=pdx-x$$ &&
		start_scenario ra hostile-name "$(hexname "$XNAME")" &&
		FIRST=$(scenario_pid ra pid) &&
		execer "$XNAME" &&
		{ test "$FIRST" -lt "$X" || { echo "PIDs wrapped: $X started after $FIRST"; false; }; } &&
		stall_set set 500 -C "$XNAME" -r -n &&
		exec_now &&
		stall_end &&
		{ test "$STALLRC" -eq 3 || { echo "oomctl exited $STALLRC"; cat out err; false; }; } &&
		echo "$FIRST $XNAME 0 500" >expect && test_cmp expect out &&
		echo "oomctl: $X (sleep): no longer named '"'"'$XNAME'"'"': not done" >expect &&
		test_cmp expect err &&
		{ test "$(adj "$X")" = 0 || { echo "oom_score_adj of $X: $(adj "$X")"; false; }; }
	'
	# The exec lands after the name was checked, before the write: held
	# at the write itself (oomctl's first), the process exec's.
	test_expect_success '-C: a process that exec'"'"'d just before the write gets its old value back' '
		XNAME=pdx-y$$ && execer "$XNAME" &&
		STALL_ON=write stall_set set 500 -C "$XNAME" -r -n &&
		exec_now && stall_end &&
		{ test "$STALLRC" -eq 3 || { echo "oomctl exited $STALLRC"; cat out err; false; }; } &&
		test ! -s out &&
		echo "oomctl: $X (sleep): no longer named '"'"'$XNAME'"'"' after the write: put back to 0, not done" >expect &&
		test_cmp expect err &&
		{ test "$(adj "$X")" = 0 || { echo "oom_score_adj of $X: $(adj "$X")"; false; }; } &&
		grep -q "^write(.*\"500" trace
	'
fi

test_expect_success 'writes refuse an alternate proc root' '
	mkdir -p fake && echo "100.00 150.00" >fake/uptime && test_expect_code 3 "$BIN/oomctl" --proc fake set 5 "$TP" 2>err &&
	grep -q "alternate proc root" err
'

test_expect_success 'run: the command runs with the adjustment; 127 when not found' '
	"$BIN/oomctl" run 321 -- sh -c "cat /proc/\$\$/oom_score_adj" >out &&
	echo 321 >expect && test_cmp expect out &&
	test_expect_code 127 "$BIN/oomctl" run 5 -- /nonexistent/cmd 2>err &&
	test_expect_code 126 "$BIN/oomctl" run 5 -- /dev/null 2>err
'

start_scenario big memhog anon 300 || exit 1
BP=$(scenario_pid big pid)
start_scenario small memhog anon 40 || exit 1
SP=$(scenario_pid small pid)
export BP SP
"$BIN/oomctl" set 600 "$SP" >/dev/null

test_expect_success 'explain agrees with the kernel for several sizes and adjustments' '
	for p in "$BP" "$SP" "$TP" "$$"; do
		"$BIN/oomctl" explain "$p" -P >out || exit 1
		grep -q "AGREES=\"1\"" out || { cat out; exit 1; }
	done
'

# A saved tree is explained by its own kernel's rules: before 5.9 the
# score had another formula, whatever kernel reads the tree.
test_expect_success 'explain on a saved tree: the kernel is the saved one, not the reader'"'"'s' '
	"$TOP/scripts/capture" -p "$BP" cap >cap.out 2>&1 &&
	test -s cap/proc/sys/kernel/osrelease &&
	"$BIN/oomctl" --proc cap/proc explain "$BP" -P >out &&
	grep -q "^ITEM=\"oom_score\" .*(global): agrees\"" out &&
	echo "4.19.0-27-amd64" >cap/proc/sys/kernel/osrelease &&
	"$BIN/oomctl" --proc cap/proc explain "$BP" -P >out &&
	grep -q "^ITEM=\"oom_score\" .*(global): this kernel predates the formula" out
'

start_scenario lexit leader-exit || exit 1
LP=$(scenario_pid lexit pid)
export LP

test_expect_success 'an exited leader whose thread runs: its memory, read through the thread' '
	"$BIN/oomctl" list -p "$LP" -r -n -o pid,rss,swap,pgtables >out &&
	awk -v p="$LP" "\$1 == p && \$2 > 0 && \$3 != \"-\" && \$4 > 0 { f = 1 } END { exit !f }" out &&
	"$BIN/oomctl" list -N 1 -p "$LP" -r -n -o pid,rss,swap,pgtables >out2 &&
	test_cmp out out2 &&
	"$BIN/oomctl" explain "$LP" -P >out &&
	grep -q "AGREES=\"1\"" out &&
	grep "ITEM=\"rss\"" out >rss && ! grep -q "PAGES=\"0\"" rss
'

test_expect_success 'list ranks the big hog above the small; -N limits the rows' '
	"$BIN/oomctl" list -p "$BP,$SP,$TP" -r -n -o pid >out &&
	head -1 out >first && echo "$SP" >expect && test_cmp expect first &&
	"$BIN/oomctl" list -N 2 -p "$BP,$SP,$TP" -r -n -o pid,user >out &&
	test "$(wc -l <out)" -eq 2
'

test_done
