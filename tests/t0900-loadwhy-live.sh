#!/bin/sh
# loadwhy on loads the test builds: busy loops over the CPUs, O_DIRECT
# readers throttled by a blkio (or io) cgroup, thirty vfork parents, a
# cgroup thrashing its page cache, and a machine left alone. The machine is
# shared: other work may add findings of its own, so every run is also
# checked against the thresholds of loadwhy(1) applied to the numbers it
# printed, and a verdict that other load outranks is retried.
. "$(dirname "$0")/lib.sh"

NCPU=$(getconf _NPROCESSORS_ONLN)
MIB=1048576
export NCPU MIB

# metric FILE NAME: the value of NAME in raw output.
metric() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}

# expected FILE: "VERDICT ALSO" recomputed from the raw output in FILE with
# the thresholds of loadwhy(1).
expected() {
	awk '
	function known(k) { return (k in v) && v[k] != "-" }
	function num(k) { return known(k) ? v[k] + 0 : -1 }
	$1 ~ /^disk_type\[/ { type[substr($1, 11, length($1) - 11)] = $2; next }
	$1 ~ /^disk_util\[/ { util[substr($1, 11, length($1) - 11)] = $2; next }
	$1 !~ /\[/ { v[$1] = $2 }
	END {
		cpus = num("cpus"); minb = int((cpus + 1) / 2); if (minb < 2) minb = 2
		blockio = num("d_block_io")
		if (num("procs_blocked") > blockio) blockio = num("procs_blocked")
		notio = num("d_other") - num("d_reclaim")
		maxutil = -1
		for (d in util) if (type[d] != "part" && util[d] != "-" && util[d] + 0 > maxutil)
			maxutil = util[d] + 0
		held["memory-pressure"] = num("psi_memory_some") >= 10 || num("d_reclaim") >= minb ||
			(num("swap_in_bps") >= 1048576 && known("mem_available_pct") &&
			 num("mem_available_pct") < 10)
		held["io-bound"] = blockio >= 1 && (num("psi_io_some") >= 10 ||
			num("cpu_iowait") >= 10 || maxutil >= 80)
		held["blocked-not-io"] = notio >= minb
		held["cpu-saturated"] = num("cpu_busy") >= 80 &&
			(num("running") > cpus || num("psi_cpu_some") >= 20)
		held["cpu-steal"] = num("cpu_steal") >= 10
		count["io-bound"] = blockio; count["blocked-not-io"] = notio
		count["cpu-saturated"] = num("running")
		verdict = "ok"
		if (held["memory-pressure"]) verdict = "memory-pressure"
		else {
			split("io-bound blocked-not-io cpu-saturated", order)
			for (i = 1; i <= 3; i++)
				if (held[order[i]] && (verdict == "ok" || count[order[i]] > count[verdict]))
					verdict = order[i]
			if (verdict == "ok" && held["cpu-steal"]) verdict = "cpu-steal"
		}
		split("cpu-saturated io-bound memory-pressure blocked-not-io cpu-steal", all)
		also = ""
		for (i = 1; i <= 5; i++)
			if (held[all[i]] && all[i] != verdict) also = also (also == "" ? "" : ",") all[i]
		print verdict, (also == "" ? "\"\"" : also)
	}' "$1"
}

# consistent FILE: the verdict and ALSO printed are the ones the numbers
# printed give.
consistent() {
	echo "$(metric "$1" verdict) $(metric "$1" also)" >got.va &&
	expected "$1" >want.va &&
	test_cmp want.va got.va
}

# verdict_run WANT ARGS...: run loadwhy -r ARGS up to three times until
# its verdict is WANT (other work on the machine can outrank the load we
# made); the last run is in lw.out, checked for consistency. Fails unless
# WANT is the verdict, or, when other load outranked it, among ALSO (a TAP
# comment then says so). LW_AS, when set, is the command loadwhy runs
# under (setpriv, to run it as another user).
verdict_run() {
	vr_want=$1
	shift
	vr_i=0
	while [ $vr_i -lt 3 ]; do
		# shellcheck disable=SC2086 # LW_AS is a command and its arguments
		$LW_AS "$BIN/loadwhy" -r "$@" >lw.out 2>lw.err || return 1
		consistent lw.out || return 1
		[ "$(metric lw.out verdict)" = "$vr_want" ] && return 0
		vr_i=$((vr_i + 1))
	done
	case ",$(metric lw.out also)," in
	*",$vr_want,"*)
		echo "# $vr_want held but $(metric lw.out verdict) outranked it (other load)" >&3
		return 0 ;;
	esac
	echo "verdict $(metric lw.out verdict), not $vr_want:"
	cat lw.out
	return 1
}
exec 3>&1

test_expect_success 'every format: raw and pairs a metric a line, JSON, prometheus' '
	"$BIN/loadwhy" -i 0.3 -r >raw 2>err &&
	head -n 1 raw >h && echo "METRIC VALUE" >expect && test_cmp expect h &&
	awk "NF != 2 { print \"bad line \" NR \": \" \$0; bad = 1 } END { exit bad }" raw &&
	grep -q "^verdict [a-z-]*$" raw && grep -q "^load1 [0-9.]*$" raw &&
	"$BIN/loadwhy" -i 0.3 -P >pairs 2>err &&
	grep -q "^METRIC=\"verdict\" VALUE=\"[a-z-]*\"$" pairs &&
	! grep -qv "^METRIC=\"[^\"]*\" VALUE=\"[^\"]*\"$" pairs &&
	"$BIN/loadwhy" -i 0.3 -J >out.json 2>err && test_valid_json out.json &&
	grep -q "^  \"verdict\": \"[a-z-]*\",$" out.json &&
	grep -q "^  \"disks\": \\[" out.json && grep -q "^  \"evidence\": \\[" out.json &&
	"$BIN/loadwhy" -i 0.3 --format prometheus >out.prom 2>err &&
	perl "$TOP/tests/promlint.pl" out.prom &&
	grep -q "^procdx_loadwhy_verdict{verdict=\"ok\"} [01]$" out.prom &&
	grep -q "^procdx_loadwhy_load1 " out.prom &&
	"$BIN/loadwhy" -i 0.3 >table 2>err && grep -q "^VERDICT" table &&
	test_no_control table && test_no_control raw
'

test_expect_success '-o picks metrics; the verdict alone for scripts; usage errors' '
	"$BIN/loadwhy" -i 0.2 -r -n -o verdict >out &&
	test "$(wc -l <out)" -eq 1 && grep -q "^verdict [a-z-]*$" out &&
	"$BIN/loadwhy" -i 0.2 -J -o load1,cpus >out.json && test_valid_json out.json &&
	test "$(grep -c ":" out.json)" -eq 2 &&
	"$BIN/loadwhy" -i 0.2 -r -n -o finding >out &&
	grep -q "^evidence\\[[a-z-]*\\] [^ ]" out &&
	"$BIN/loadwhy" -i 0.2 -o finding >out &&
	grep -q "^FINDING  *EVIDENCE$" out &&
	"$BIN/loadwhy" -H >cols && grep -q "^VERDICT " cols && grep -q "^PSI_IO_SOME " cols &&
	test_expect_code 2 "$BIN/loadwhy" -o nosuch 2>err &&
	test_expect_code 2 "$BIN/loadwhy" -x load1 2>err &&
	test_expect_code 2 "$BIN/loadwhy" -i 0 2>err &&
	"$BIN/loadwhy" --help >help && grep -q -- "--check" help
'

# -c N: N consecutive intervals, a report each; JSON Lines with -J; one
# report only in prometheus and from saved trees.
test_expect_success '-c 3: three reports; JSON Lines; usage errors' '
	"$BIN/loadwhy" -i 0.2 -c 3 >table 2>err &&
	test "$(grep -c "^VERDICT" table)" -eq 3 &&
	test "$(grep -c "^Load average and CPUs$" table)" -eq 3 &&
	test "$(grep -c "^$" table)" -ge 2 &&
	"$BIN/loadwhy" -i 0.2 -c 3 -r -n -o verdict,interval >raw 2>err &&
	test "$(grep -c "^verdict [a-z-]*$" raw)" -eq 3 &&
	test "$(grep -c "^interval 0\\.[0-9]*$" raw)" -eq 3 &&
	"$BIN/loadwhy" -i 0.2 -c 3 -J >out.jsonl 2>err &&
	test "$(wc -l <out.jsonl)" -eq 3 && test_valid_json_lines out.jsonl &&
	test "$(grep -c "^{\"load1\": .*\"verdict\": \"[a-z-]*\".*\"evidence\": \\[.*\\]}$" out.jsonl)" -eq 3 &&
	"$BIN/loadwhy" -i 0.2 -c 1 -J >out.json 2>err && test_valid_json out.json &&
	test "$(wc -l <out.json)" -gt 3 &&
	test_expect_code 2 "$BIN/loadwhy" -c 2 --format prometheus >out 2>err &&
	test_cmp /dev/null out &&
	"$BIN/loadwhy" -i 0.2 -c 1 --format prometheus >out.prom 2>err &&
	perl "$TOP/tests/promlint.pl" out.prom &&
	test_expect_code 2 "$BIN/loadwhy" --proc "$FIXTURES/loadwhy-ok/proc" -c 2 >out 2>err &&
	test_expect_code 2 "$BIN/loadwhy" --proc "$FIXTURES/loadwhy-ok/proc" \
		--proc-after "$FIXTURES/loadwhy-ok/after/proc" -c 2 >out 2>err &&
	test_expect_code 2 "$BIN/loadwhy" -c 0 >out 2>err
'

# --check over -c intervals: 1 when any interval's verdict is not ok, which
# the verdicts printed tell; -q prints none of the reports.
test_expect_success '--check -c 3: the status of every interval' '
	"$BIN/loadwhy" -i 0.3 -c 3 --check -r -n -o verdict >out 2>err; rc=$?
	test "$(wc -l <out)" -eq 3 &&
	if grep -qv "^verdict ok$" out; then test $rc -eq 1; else test $rc -eq 0; fi &&
	{ "$BIN/loadwhy" -i 0.2 -c 2 --check -q >out 2>err; rc=$?; test $rc -le 1; } &&
	test_cmp /dev/null out && test_cmp /dev/null err
'

# SPEC 2.2: a wait over a second shows a progress note on a terminal;
# loadwhy(1): -q prints nothing at all, that note included.
if command -v script >/dev/null 2>&1; then
	test_expect_success '-q: no progress note, even on a terminal' '
		script -qc "\"$BIN/loadwhy\" -i 1.1 -r -n -o verdict" /dev/null \
			</dev/null >tty.out 2>&1 &&
		grep -q "loadwhy: sampling for 1.1 s" tty.out &&
		script -qc "\"$BIN/loadwhy\" -q -i 1.1 --check" /dev/null </dev/null >tty.out 2>&1 &&
		test_cmp /dev/null tty.out
	'
else
	test_skip '-q on a terminal' 'needs script (util-linux) for a terminal'
fi

# The live /proc is now: a saved tree as the end of its interval would be
# older, and the interval negative.
test_expect_success '--proc-after with the live /proc as the start: usage error' '
	test_expect_code 2 "$BIN/loadwhy" --proc-after "$FIXTURES/loadwhy-ok/after/proc" \
		>out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^loadwhy: --proc-after needs the start of the interval from --proc DIR" err
'

# One saved tree is read once: -i would be an interval nothing waits for.
test_expect_success '-i on one saved tree: usage error, as in iowho' '
	"$BIN/loadwhy" --proc "$FIXTURES/loadwhy-ok/proc" -o verdict -r -n >out 2>err &&
	test_expect_code 2 "$BIN/loadwhy" --proc "$FIXTURES/loadwhy-ok/proc" -i 5 >out 2>err &&
	test_cmp /dev/null out &&
	echo "loadwhy: a saved tree has no interval: give the second with --proc-after DIR" \
		>expect && head -n 1 err >first && test_cmp expect first &&
	test_expect_code 2 "$BIN/iowho" --proc "$FIXTURES/loadwhy-ok/proc" 2>err &&
	head -n 1 err | sed "s/^iowho/loadwhy/" >first && test_cmp expect first
'

# One saved tree has one end: the top I/O list is unknown, IO_SAMPLED says
# it was not read at both ends, and no process's io is read for it.
test_expect_success 'one saved tree: IO_SAMPLED 0, the top I/O list unknown, no io read' '
	tree="--proc $FIXTURES/loadwhy-io/proc --sys $FIXTURES/loadwhy-io/sys" &&
	"$BIN/loadwhy" $tree -r -n -o io_sampled,comm >out 2>err &&
	echo "io_sampled 0" >expect && test_cmp expect out &&
	"$BIN/loadwhy" $tree -a -o comm >out 2>err &&
	grep -q "^(unknown: one sample, no interval)$" out &&
	if command -v strace >/dev/null 2>&1; then
		# LeakSanitizer cannot run under ptrace.
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -o trace \
			-e trace=open,openat "$BIN/loadwhy" $tree -a -o comm >out 2>err &&
		grep -q "\"pressure/io\"" trace && ! grep "[\"/][0-9][0-9]*/io\"" trace
	fi
'

# A tree saved without the wait channels of the readers in D (what another
# user sees): procs_blocked puts them on block I/O, and the figures are
# those of the whole tree. With procs_blocked 1 two stay unknown: counted
# for no finding, never as blocked-not-io.
test_expect_success 'wait channels unknown: block I/O up to procs_blocked, the rest no finding' '
	nobody_tree loadwhy-io &&
	rm tree/after/proc/400/wchan tree/after/proc/403/wchan &&
	what="-r -n -o d_block_io,d_other,d_unknown,verdict,also" &&
	"$BIN/loadwhy" --proc "$FIXTURES/loadwhy-io/proc" --sys tree/sys \
		--proc-after "$FIXTURES/loadwhy-io/after/proc" $what >expect 2>err &&
	"$BIN/loadwhy" --proc tree/proc --sys tree/sys --proc-after tree/after/proc \
		$what >out 2>err &&
	test_cmp expect out &&
	sed "s/^procs_blocked 3$/procs_blocked 1/" tree/after/proc/stat >stat &&
	cp stat tree/after/proc/stat &&
	"$BIN/loadwhy" --proc tree/proc --sys tree/sys --proc-after tree/after/proc \
		-r -n >out 2>err &&
	test "$(metric out d_block_io)" -eq 1 && test "$(metric out d_other)" -eq 1 &&
	test "$(metric out d_unknown)" -eq 2 &&
	echo "io-bound \"\"" >expect && echo "$(metric out verdict) $(metric out also)" >got &&
	test_cmp expect got &&
	grep -q "^evidence\\[io-bound\\] 2\\\\x20tasks\\\\x20in\\\\x20D\\\\x20on\\\\x20an\\\\x20unknown\\\\x20wait" out
'

test_expect_success 'the walk of every task only when there is load to explain; -a always' '
	"$BIN/loadwhy" -i 0.2 -r -n -o walked,io_sampled,d,d_vfork,load1,cpus,procs_blocked,tasks,running >out &&
	minb=$(awk "\$1 == \"cpus\" { c = \$2 } END { h = int((c + 1) / 2); print h > 2 ? h : 2 }" out) &&
	if [ "$(metric out walked)" = 0 ]; then
		test "$(metric out d)" = - && test "$(metric out d_vfork)" = - &&
		awk -v m="$minb" "\$1 == \"load1\" { exit !(\$2 < m) }" out &&
		test "$(metric out procs_blocked)" -eq 0
	else
		test "$(metric out walked)" = 1 && test "$(metric out d)" -ge 0
	fi &&
	test "$(metric out tasks)" -gt 0 && test "$(metric out running)" -ge 0 &&
	"$BIN/loadwhy" -a -i 0.2 -r -n -o walked,io_sampled,d,d_vfork,read_bps >out &&
	test "$(metric out walked)" = 1 && test "$(metric out io_sampled)" = 1 &&
	test "$(metric out d)" -ge 0 && test "$(metric out d_vfork)" -ge 0 &&
	"$BIN/loadwhy" -a -i 0.2 -r -n -o verdict,walked,io_sampled >out &&
	test "$(metric out io_sampled)" = 0
'

test_expect_success 'a machine left alone: the verdict is what its evidence gives' '
	"$BIN/loadwhy" -i 1 --check -r >ok.out 2>err; rc=$?
	consistent ok.out &&
	v=$(metric ok.out verdict) &&
	if [ "$v" = ok ]; then test "$rc" -eq 0; else test "$rc" -eq 1; fi &&
	cp ok.out "$TRASH/ok.final"
'
if [ "$(metric "$TRASH/ok.final" verdict 2>/dev/null)" = ok ]; then
	# The status is checked against the verdict of the same run; other
	# work may end the quiet between two runs, so up to three are made.
	test_expect_success 'ok on an idle machine, --check exits 0' '
		i=0 && while [ $i -lt 3 ]; do
			"$BIN/loadwhy" -i 0.5 --check -r >out 2>err; rc=$?
			v=$(metric out verdict)
			[ "$v" = ok ] && break
			i=$((i + 1))
		done &&
		echo "verdict $v, status $rc" &&
		test "$v" = ok && test $rc -eq 0 &&
		{ "$BIN/loadwhy" -i 0.5 --check -q >out 2>err; rc=$?; test $rc -le 1; } &&
		test_cmp /dev/null out
	'
else
	test_skip 'ok on an idle machine' \
		"the machine is not idle: $(metric "$TRASH/ok.final" verdict 2>/dev/null) from other work"
fi

# cpu-saturated: two more busy loops than CPUs, for 30 s at most.
start_scenario spin spinner $((NCPU + 2)) 30 || exit 1
SPIN=$SCENARIO_PID
sleep 1
test_expect_success "cpu-saturated: $((NCPU + 2)) busy loops on $NCPU CPUs" '
	verdict_run cpu-saturated -i 2 &&
	test "$(metric lw.out running)" -ge $((NCPU + 2)) &&
	grep -q "^evidence\\[cpu-saturated\\] [0-9]*\\\\x20runnable\\\\x20tasks\\\\x20on\\\\x20$NCPU\\\\x20CPUs" lw.out &&
	test_expect_code 1 "$BIN/loadwhy" -i 0.5 --check -q &&
	test_expect_code 1 "$BIN/loadwhy" -i 0.3 -c 2 --check -q
'
stop_scenario "$SPIN"

# io-bound: three O_DIRECT readers, each in a blkio (v1) or io (v2) cgroup
# of its own, throttled to 4 MiB/s on the file's disk.
RATE=$((4 * MIB))
export RATE
setup_blockio() {
	dd if=/dev/zero of="$TRASH/data" bs=1M count=16 status=none || return 1
	devno=$(stat -c '%Hd:%Ld' "$TRASH/data") || return 1
	case "$devno" in 0:*) echo "not on a block device"; return 1 ;; esac
	if [ -e "/sys/dev/block/$devno/partition" ]; then
		devno=$(cat "/sys/dev/block/$devno/../dev")
	fi
	DISK=$(basename "$(readlink -f "/sys/dev/block/$devno")")
	if m=$(cgroup_mount blkio) && [ -n "$m" ]; then
		for k in 1 2 3; do
			make_cgroup "$m/procdx-lw-$$-$k" &&
				echo "$devno $RATE" >"$m/procdx-lw-$$-$k/blkio.throttle.read_bps_device" ||
				return 1
		done
		BIO=$m/procdx-lw-$$
	elif v2_has io; then
		m=$(cgroup_mount "")
		for k in 1 2 3; do
			make_cgroup "$m/procdx-lw-$$-$k" &&
				echo "$devno rbps=$RATE" >"$m/procdx-lw-$$-$k/io.max" || return 1
		done
		BIO=$m/procdx-lw-$$
	else
		echo "no blkio or io controller"
		return 1
	fi
}

if ! is_root; then
	test_skip 'io-bound' 'needs root (cgroups)'
elif ! setup_blockio >"$TRASH/why" 2>&1; then
	test_skip 'io-bound' "$(cat "$TRASH/why")"
else
	start_scenario reader1 direct-reader "$TRASH/data" "$BIO-1/cgroup.procs" || exit 1
	R1=$(scenario_pid reader1 pid)
	RG1=$SCENARIO_PID
	start_scenario reader2 direct-reader "$TRASH/data" "$BIO-2/cgroup.procs" || exit 1
	R2=$(scenario_pid reader2 pid)
	RG2=$SCENARIO_PID
	start_scenario reader3 direct-reader "$TRASH/data" "$BIO-3/cgroup.procs" || exit 1
	RG3=$SCENARIO_PID
	export R1 R2 DISK
	sleep 0.5
	test_expect_success "io-bound: throttled O_DIRECT readers, the disk ($DISK) named" '
		verdict_run io-bound -i 2 &&
		grep -q "^evidence\\[io-bound\\] busiest\\\\x20disk\\\\x20$DISK:" lw.out &&
		grep -q "^evidence\\[io-bound\\] [0-9]*\\\\x20tasks\\\\x20in\\\\x20D\\\\x20on\\\\x20block\\\\x20I/O" lw.out &&
		test "$(metric lw.out "disk_type[$DISK]")" = disk &&
		test "$(metric lw.out d_block_io)" -ge 2 &&
		grep -q "^read_bps\\[$R1\\] " lw.out && grep -q "^read_bps\\[$R2\\] " lw.out
	'
	test_expect_success 'procs_blocked counts the throttled readers' '
		i=0 && while [ $i -lt 20 ]; do
			"$BIN/loadwhy" -i 0.1 -r -n -o procs_blocked,wchan,wait_family >out 2>err
			[ "$(metric out procs_blocked)" -gt 0 ] && break
			i=$((i + 1))
		done &&
		test "$(metric out procs_blocked)" -gt 0 &&
		grep -q "^wait_family\\[.*\\] block-io$" out
	'
	test_expect_success 'iowho: each reader at the throttle rate (within 25%)' '
		"$BIN/iowho" -p "$R1,$R2" -i 3 -r -n -o pid,read_bps >out 2>err &&
		test "$(wc -l <out)" -eq 2 &&
		while read -r pid bps; do
			awk -v v="$bps" -v w="$RATE" "BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w / 4) }" ||
				{ echo "$pid read $bps B/s, throttle $RATE"; exit 1; }
		done <out
	'
	# As another user the readers' wait channels read "0": their waits
	# are unknown. procs_blocked still counts them; an unknown wait is no
	# evidence of blocked-not-io, so the verdict is root's.
	if nobody_can_run loadwhy; then
		test_expect_success 'non-root: readers on an unknown wait are io-bound, as for root' '
			LW_AS="setpriv --reuid=65534 --regid=65534 --clear-groups" &&
			verdict_run io-bound -i 2 &&
			case ",$(metric lw.out verdict),$(metric lw.out also)," in
			*,blocked-not-io,*) echo "blocked-not-io held:"; cat lw.out; false ;;
			esac &&
			test "$(metric lw.out d_other)" -eq 0 &&
			test "$(metric lw.out d_block_io)" -ge 1 &&
			test "$(metric lw.out d_block_io)" -le "$(metric lw.out procs_blocked)" &&
			grep -q "^evidence\\[io-bound\\] [0-9]*\\\\x20tasks\\\\x20in\\\\x20D\\\\x20on\\\\x20block\\\\x20I/O\\\\x20(procs_blocked\\\\x20[0-9]*;\\\\x20wait\\\\x20channel\\\\x20unknown\\\\x20for" lw.out &&
			grep -q "wait channel unknown for [0-9]* of [0-9]* tasks in D" lw.err
		'
	else
		test_skip 'non-root: readers on an unknown wait' "$NOBODY_WHY"
	fi
	stop_scenario "$RG1"
	stop_scenario "$RG2"
	stop_scenario "$RG3"
fi

# blocked-not-io: thirty vfork parents whose children sleep.
LOAD0=$(cut -d" " -f1 /proc/loadavg)
VF=
i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	start_scenario "vf$i" vfork-sleeper 3600 || exit 1
	VF="$VF $SCENARIO_PID"
done
export LOAD0
test_expect_success 'blocked-not-io: thirty vfork parents, kernel_clone named, not io-bound' '
	i=0 && while [ $i -lt 100 ]; do
		"$BIN/loadwhy" -i 0.1 -r -n -o d_vfork >out 2>err
		case $(metric out d_vfork) in
		-) ;;	# not walked until the load average has risen (5 s ticks)
		*) [ "$(metric out d_vfork)" -ge 30 ] && break ;;
		esac
		sleep 0.1; i=$((i + 1))
	done &&
	verdict_run blocked-not-io -i 1 &&
	test "$(metric lw.out verdict)" != io-bound &&
	test "$(metric lw.out d_vfork)" -ge 30 &&
	test "$(metric lw.out d_other)" -ge 30 &&
	grep -q "^evidence\\[blocked-not-io\\] [0-9]*\\\\x20tasks\\\\x20in\\\\x20D\\\\x20not\\\\x20on\\\\x20block\\\\x20I/O:\\\\x20kernel_clone\\\\x20[0-9]*\\\\x20(vfork)" lw.out &&
	grep -q "^wait_tasks\\[kernel_clone\\] [0-9]*$" lw.out &&
	test_expect_code 1 "$BIN/loadwhy" -i 0.2 --check -q
'
# WCHAN names the rows of the wait list: asked for alone, it is the list.
test_expect_success '-o wchan alone: the wait channels of the vfork parents' '
	"$BIN/loadwhy" -a -i 0.1 -o wchan >out 2>err &&
	grep -q "^Top wait channels of tasks in D$" out &&
	grep -q "^kernel_clone  *vfork  *[0-9][0-9]*$" out &&
	"$BIN/loadwhy" -a -i 0.1 -r -n -o wchan >out 2>err &&
	grep -q "^wait_tasks\\[kernel_clone\\] [0-9][0-9]*$" out &&
	"$BIN/loadwhy" -a -i 0.1 -J -o wchan >out.json 2>err &&
	test_valid_json out.json && grep -q "\"wchan\": \"kernel_clone\"" out.json
'
test_expect_success 'the load average rises while they wait' '
	i=0 && while [ $i -lt 30 ]; do
		awk -v l0="$LOAD0" "{ exit !(\$1 >= l0 + 2) }" /proc/loadavg && break
		sleep 1; i=$((i + 1))
	done &&
	"$BIN/loadwhy" -i 0.2 -r -n -o load1 >out &&
	awk -v l0="$LOAD0" "{ exit !(\$2 >= l0 + 2) }" out
'
for g in $VF; do
	stop_scenario "$g"
done

# memory-pressure: two processes cycling through 64 MiB of page cache in a
# memory cgroup limited to 16 MiB (page cache: reclaimable, nothing is
# killed), for a few seconds.
setup_memcg() {
	dd if=/dev/urandom of="$TRASH/big" bs=1M count=64 status=none || return 1
	if m=$(cgroup_mount memory) && [ -n "$m" ]; then
		MEMCG=$m/procdx-lw-mem-$$
		make_cgroup "$MEMCG" && echo $((16 * MIB)) >"$MEMCG/memory.limit_in_bytes"
	elif v2_has memory; then
		MEMCG=$(cgroup_mount "")/procdx-lw-mem-$$
		make_cgroup "$MEMCG" && echo $((16 * MIB)) >"$MEMCG/memory.max"
	else
		echo "no memory controller"
		return 1
	fi
}
# refaults CGROUP: the file refaults counted in the cgroup's memory.stat.
refaults() {
	awk '$1 == "workingset_refault_file" || $1 == "workingset_refault" { print $2; exit }' \
		"$1/memory.stat"
}

if ! is_root; then
	test_skip 'memory-pressure' 'needs root (cgroups)'
elif ! setup_memcg >"$TRASH/why" 2>&1; then
	test_skip 'memory-pressure' "$(cat "$TRASH/why")"
elif ! [ -r /proc/pressure/memory ]; then
	test_skip 'memory-pressure' 'no PSI on this kernel'
else
	start_scenario cycle1 cache-cycler "$TRASH/big" "$MEMCG/cgroup.procs" || exit 1
	CG1=$SCENARIO_PID
	start_scenario cycle2 cache-cycler "$TRASH/big" "$MEMCG/cgroup.procs" || exit 1
	CG2=$SCENARIO_PID
	export MEMCG
	# Too little pressure is a skip; loadwhy failing (status above 1) is
	# a failure, with what it said on stderr.
	i=0
	while [ $i -lt 3 ]; do
		"$BIN/loadwhy" -i 2 -r >"$TRASH/mem.out" 2>"$TRASH/mem.err"
		MEM_RC=$?
		[ "$MEM_RC" -gt 1 ] && break
		awk '$1 == "psi_memory_some" { exit !($2 >= 10) }' "$TRASH/mem.out" && break
		i=$((i + 1))
	done
	export MEM_RC
	if [ "$MEM_RC" -gt 1 ] ||
		awk '$1 == "psi_memory_some" { exit !($2 >= 10) }' "$TRASH/mem.out"; then
		test_expect_success 'memory-pressure: a cgroup thrashing its page cache' '
			{ test "$MEM_RC" -le 1 || { echo "loadwhy exited $MEM_RC:"; cat mem.err; false; }; } &&
			cp "$TRASH/mem.out" lw.out && consistent lw.out &&
			test "$(metric lw.out verdict)" = memory-pressure &&
			grep -q "^evidence\\[memory-pressure\\] memory\\\\x20pressure:\\\\x20some\\\\x20" lw.out &&
			test "$(refaults "$MEMCG")" -gt 0 &&
			if [ -f "$MEMCG/memory.pressure" ]; then
				awk "\$1 == \"some\" { split(\$5, t, \"=\"); exit !(t[2] > 0) }" \
					"$MEMCG/memory.pressure"
			else
				test "$(cat "$MEMCG/memory.failcnt")" -gt 0
			fi
		'
	else
		test_skip 'memory-pressure' \
			"the thrashing cgroup made only $(metric "$TRASH/mem.out" psi_memory_some)% memory pressure here"
	fi
	stop_scenario "$CG1"
	stop_scenario "$CG2"
fi

# The kernel adds a child's io to its parent's when the parent reaps it,
# all of it. The child wrote 8 MiB before the interval and 3 MiB in it,
# and was reaped in it: the top I/O list must not put the 8 MiB on the
# parent. (reaped-writer writes with O_DIRECT: the bytes and no more, but
# for a page of metadata now and then.)
test_expect_success 'top I/O: a child reaped in the interval is not counted again on its parent' '
	start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 3 &&
	P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
	{ "$BIN/loadwhy" -a -i 2 -r >out 2>err & L=$!; } &&
	sleep 0.7 && kill -USR1 "$C" && wait "$L" &&
	grep -qx "reaped $C" reaped.out &&
	dt=$(awk "\$1 == \"interval\" { print \$2 }" out) &&
	w=$(awk -v k="write_bps[$P]" "\$1 == k { print \$2 }" out) &&
	awk -v w="$w" -v dt="$dt" "BEGIN { b = w * dt; exit !(b >= 3 * 1048576 - 65536 &&
		b <= 3 * 1048576 + 65536) }" &&
	! grep -q "^write_bps\[$C\] " out
'
stop_scenario "$(scenario_pid reaped parent)" 2>/dev/null

# The same, but the reaped child's PID holds an idle stranger by the end
# (pid-reuse: clone3 set_tid, root only): the stranger is not the child,
# whose 8 MiB from before the interval are still not the parent's.
if is_root; then
	test_expect_success 'top I/O: a reaped child'"'"'s PID reused in the interval' '
		start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 1 &&
		P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
		{ "$BIN/loadwhy" -a -i 3 -r >out 2>err & L=$!; } &&
		sleep 0.7 && kill -USR1 "$C" && wait_line reaped.out "reaped $C" &&
		start_scenario new pid-reuse "$C" stranger &&
		test "$(scenario_pid new pid)" = "$C" && wait "$L" &&
		dt=$(awk "\$1 == \"interval\" { print \$2 }" out) &&
		w=$(awk -v k="write_bps[$P]" "\$1 == k { print \$2 }" out) &&
		awk -v w="$w" -v dt="$dt" "BEGIN { b = w * dt; exit !(b >= 1048576 - 65536 &&
			b <= 1048576 + 65536) }" &&
		! grep -q "^write_bps\[$C\] " out
	'
	stop_scenario "$(scenario_pid reaped parent)" 2>/dev/null
else
	test_skip 'top I/O: a reaped child'"'"'s PID reused in the interval' 'needs root (clone3 set_tid)'
fi

if nobody_can_run loadwhy; then
	test_expect_success 'non-root: runs, says on stderr whose I/O it could not read' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/loadwhy" -a -i 0.3 -J >out.json 2>err &&
		test_valid_json out.json &&
		grep -q "I/O unknown for [0-9]* of [0-9]* processes: permission denied" err
	'
	# Saved trees read as nobody: an io file only root may read stands for
	# another user's process. PID 2 is a kernel thread (PF_KTHREAD in its
	# stat): never in the top I/O list, so not counted in the note either.
	test_expect_success 'non-root: kernel threads are not counted in the I/O note' '
		nobody_tree loadwhy-io &&
		chmod 000 tree/after/proc/1/io tree/after/proc/2/io &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/loadwhy" \
			--proc tree/proc --proc-after tree/after/proc --sys tree/sys \
			-r -n -o comm >out 2>err &&
		grep -q "^comm\\[400\\] dd$" out &&
		echo "loadwhy: I/O unknown for 1 of 6 processes: permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		test_cmp expect err
	'
	# No row because no io could be read is not "none".
	test_expect_success 'non-root: top I/O unknown when no io could be read, not (none)' '
		nobody_tree loadwhy-io &&
		chmod 000 tree/after/proc/*/io &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/loadwhy" \
			--proc tree/proc --proc-after tree/after/proc --sys tree/sys >out 2>err &&
		sed -n "/^Top processes by I\/O/{n;p;}" out >line &&
		echo "(unknown: no process'\''s I/O could be read)" >expect &&
		test_cmp expect line &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/loadwhy" \
			--proc tree/proc --proc-after tree/after/proc --sys tree/sys -J >out.json 2>err &&
		test_valid_json out.json && ! grep -q "\"top_io\"" out.json &&
		grep -q "^  \"io_unknown\": 6,$" out.json &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/loadwhy" \
			--proc tree/proc --proc-after tree/after/proc --sys tree/sys -r >out 2>err &&
		grep -qx "io_unknown 6" out &&
		chmod 644 tree/after/proc/1/io &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/loadwhy" \
			--proc tree/proc --proc-after tree/after/proc --sys tree/sys >out 2>err &&
		sed -n "/^Top processes by I\/O/{n;p;}" out >line &&
		echo "(none; I/O unknown for 5 of 6 processes)" >expect &&
		test_cmp expect line
	'
else
	test_skip 'non-root run' "$NOBODY_WHY"
	test_skip 'non-root: kernel threads in the I/O note' "$NOBODY_WHY"
	test_skip 'non-root: top I/O unknown when no io could be read' "$NOBODY_WHY"
fi

test_done
