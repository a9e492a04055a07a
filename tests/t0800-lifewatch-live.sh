#!/bin/sh
# lifewatch on the real kernel: a scripted family (fork, exec, exit with a
# code and by a signal, zombies reaped after 1 s), a zombie adopted by init,
# the fallback to polling inside new user and PID namespaces, fork storms
# with the default and a tiny socket buffer, hostile names, -c, SIGINT.
. "$(dirname "$0")/lib.sh"

# Every lifewatch started here is killed when the shell that started it
# ends (kill_at_exit), and has a --duration besides, so none outlives the
# test even if an assertion stops it from being stopped.
LW_MAX=120

# lw_start NAME ARGS...: lifewatch in the background, stdout in
# $TRASH/lw-NAME.out, stderr in lw-NAME.err; returns once it reports: a process
# it can see (a descendant of this shell) execs /bin/true until the line
# shows up, whatever the format. Sets LW.
lw_start() {
	_n=$1
	shift
	"$BIN/lifewatch" --duration "$LW_MAX" "$@" >"$TRASH/lw-$_n.out" 2>"$TRASH/lw-$_n.err" &
	LW=$!
	kill_at_exit "$LW"
	_i=0
	while ! grep -q 'true' "$TRASH/lw-$_n.out" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 200 ] || ! kill -0 "$LW" 2>/dev/null; then
			echo "lifewatch $_n did not start" >&2
			cat "$TRASH/lw-$_n.err" >&2
			return 1
		fi
		/bin/true
		sleep 0.05
	done
	return 0
}

# lw_stop PID [SIG]: end a lifewatch (SIGINT by default) and wait for it;
# its status is lifewatch's.
lw_stop() {
	kill "-${2:-INT}" "$1" 2>/dev/null
	wait "$1"
	_rc=$?
	forget_pid "$1"
	return $_rc
}

# wait_for FILE PATTERN [TRIES]: wait until an extended regex matches a
# line of FILE (0.1 s a try).
wait_for() {
	_i=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt "${3:-100}" ]; then
			echo "no line matching '$2' in $1:" >&2
			cat "$1" >&2
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# The watch begins with -p on this shell: the trigger execs of lw_start
# are its descendants.
"$BIN/lifewatch" -d 0.3 -n >/dev/null 2>"$TRASH/probe.err"
if grep -q 'connector unavailable' "$TRASH/probe.err"; then
	CONNECTOR="$(head -1 "$TRASH/probe.err")"
fi
TOPSH=$$
export TOPSH

if [ -n "$CONNECTOR" ]; then
	test_skip 'the scripted family' "$CONNECTOR"
else
	start_scenario fam life-family script || exit 1
	FP=$(scenario_pid fam parent)
	lw_start fam -p "$FP" -p "$TOPSH" -r -o event,pid,ppid,comm,code,signal,zombie_for \
		-e fork,exec,exit,zombie,reap || exit 1
	kill -USR1 "$FP"
	wait_for "$TRASH/fam.out" '^done$' 100 && sleep 0.3
	lw_stop "$LW"
	LW_RC=$?
	export FP LW_RC
	test_expect_success 'the scripted family: the exact sequence, codes, signal, zombies, reaps' '
		test "$LW_RC" -eq 0 &&
		A=$(scenario_pid fam true) && B=$(scenario_pid fam three) &&
		C=$(scenario_pid fam killed) &&
		cat >expect <<-EOF &&
		fork $A $FP life-family - -
		exec $A $FP true - -
		exit $A $FP true 0 -
		zombie $A $FP true 0 -
		fork $B $FP life-family - -
		exit $B $FP life-family 3 -
		zombie $B $FP life-family 3 -
		fork $C $FP life-family - -
		exit $C $FP life-family - SIGKILL
		zombie $C $FP life-family - SIGKILL
		reap $A $FP true 0 -
		reap $B $FP life-family 3 -
		reap $C $FP life-family - SIGKILL
		EOF
		awk -v a="$A" -v b="$B" -v c="$C" "NR == 1 { next }
			\$2 == a || \$2 == b || \$2 == c { print \$1, \$2, \$3, \$4, \$5, \$6 }" \
			lw-fam.out >actual &&
		test_cmp expect actual
	'
	test_expect_success 'ZOMBIE_FOR of each reap is about the 1 s the parent waited' '
		awk "\$1 == \"reap\" { n++; if (\$7 < 0.9 || \$7 > 1.6) bad++ }
			END { exit !(n == 3 && !bad) }" lw-fam.out &&
		awk "\$1 != \"reap\" && NR > 1 && \$7 != \"-\" { exit 1 }" lw-fam.out
	'
fi

if [ -n "$CONNECTOR" ]; then
	test_skip 'a zombie adopted by init' "$CONNECTOR"
else
	start_scenario orphan life-family orphan || exit 1
	OP=$(scenario_pid orphan parent)
	lw_start orph -p "$OP" -p "$TOPSH" -r -n -o event,pid,ppid,zombie_for,comm -e exec,zombie,reap ||
		exit 1
	kill -USR1 "$OP"
	wait_for "$TRASH/orphan.out" '^done$' 100
	M=$(scenario_pid orphan middle)
	Z=$(scenario_pid orphan zombie)
	wait_for "$TRASH/lw-orph.out" "^zombie $Z $M " 50
	kill -TERM "$M"
	# PID 1 here reaps orphans only now and then: give it time.
	wait_for "$TRASH/lw-orph.out" "^reap $Z " 300
	lw_stop "$LW"
	export M Z
	test_expect_success 'a zombie whose parent never reaps it: reaped once its parent died' '
		grep -q "^zombie $Z $M - life-family$" lw-orph.out &&
		grep -E "^reap $Z [0-9]+ [0-9.]+ life-family$" lw-orph.out >reap &&
		read -r ev pid ppid secs comm <reap &&
		test "$ppid" != "$M" &&
		awk -v s="$secs" "BEGIN { exit !(s > 0.1) }"
	'
fi

# Inside new user and PID namespaces the kernel ignores the subscription:
# no acknowledgement, polling instead, said once; a family whose children
# live a second is still seen, every line marked as polled.
cat >"$TRASH/ns.sh" <<EOF
"$BIN/lifewatch" --duration 6 -r -o event,pid,comm,source,code,signal >ns.out 2>ns.err &
lw=\$!
i=0
while [ ! -s ns.out ] && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done
"$HELPERS/life-family" script >ns.fam &
fam=\$!
sleep 0.5
kill -USR1 \$fam
wait \$lw
kill -KILL \$fam
EOF
if ! unshare --user --pid --fork --mount-proc --kill-child true 2>/dev/null; then
	test_skip 'polling inside new namespaces' 'unshare --user --pid --mount-proc fails here'
else
	test_expect_success 'inside new user and PID namespaces: polling, said once, events seen' '
		timeout -s KILL 60 unshare --user --pid --fork --mount-proc --kill-child sh ns.sh &&
		test "$(grep -c "connector unavailable: no acknowledgement" ns.err)" -eq 1 &&
		test "$(grep -c "polling /proc every 0.1 s" ns.err)" -eq 1 &&
		A=$(awk "\$1 == \"true\" { print \$2 }" ns.fam) &&
		B=$(awk "\$1 == \"three\" { print \$2 }" ns.fam) &&
		C=$(awk "\$1 == \"killed\" { print \$2 }" ns.fam) &&
		grep -qx "exit $B life-family poll 3 -" ns.out &&
		grep -qx "zombie $B life-family poll 3 -" ns.out &&
		grep -qx "reap $B life-family poll 3 -" ns.out &&
		grep -qx "exit $C life-family poll - SIGKILL" ns.out &&
		grep -qx "reap $C life-family poll - SIGKILL" ns.out &&
		grep -qx "zombie $A true poll 0 -" ns.out &&
		grep -qx "fork $C life-family poll - -" ns.out &&
		awk "NR > 1 && \$4 != \"poll\" { exit 1 }" ns.out
	'
fi

if nobody_can_run lifewatch; then
	test_expect_success 'non-root: the connector (Linux 6.6 and later) or polling, said so' '
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "
			\"$BIN/lifewatch\" -p \$\$ -d 3 -r -n -o event,comm,code &
			sleep 1; sh -c \"sleep 0.3; exit 4\"; wait" >out 2>err &&
		{ { test_cmp /dev/null err && grep -qx "exit sh 4" out; } ||
		  { grep -q "polling /proc every" err && grep -Eqx "exit sh (4|-)" out; }; }
	'
else
	test_skip 'non-root' "$NOBODY_WHY"
fi

test_expect_success '--poll: a warning once, SOURCE among the columns, lines marked poll' '
	"$BIN/lifewatch" --poll -p "$TOPSH" -d 1.5 -r -o event,source,comm >poll.out 2>poll.err &
	lw=$!
	kill_at_exit $lw
	sleep 0.5 && sh -c "sleep 0.4" &&
	{ wait $lw; rc=$?; forget_pid $lw; test $rc -eq 0; } &&
	test "$(wc -l <poll.err)" -eq 1 && grep -q "polling /proc every 0.1 s" poll.err &&
	grep -q "^exit poll sh$" poll.out &&
	"$BIN/lifewatch" --poll -p "$TOPSH" -d 0.2 -r >poll.out 2>/dev/null &&
	echo "TIME EVENT PID PPID COMM SOURCE DETAIL" >expect && test_cmp expect poll.out
'

# Storms: clone(CLONE_VM) children, reaped by the helper as it goes.
# storm_counts FILE PID: forks and exits of PID's children, events lost
# by the records, and by the summary.
storm_counts() {
	awk -v sp="$2" '
		$1 == "fork" && $3 == sp { f++ }
		$1 == "exit" && $3 == sp { e++ }
		$1 == "lost" { l += $4 }
		$1 == "events" && $2 == "lost" { sl = $4 }
		END { printf "%d %d %d %d\n", f, e, l, sl }' "$1"
}

if [ -n "$CONNECTOR" ]; then
	test_skip 'fork storm, default buffer' "$CONNECTOR"
	test_skip 'fork storm, tiny buffer' "$CONNECTOR"
else
	start_scenario storm clonestorm 2000 5 go || exit 1
	SP=$(scenario_pid storm pid)
	lw_start storm -p "$SP" -p "$TOPSH" -r -o event,pid,ppid,lost,comm --summary || exit 1
	kill -USR1 "$SP"
	wait_for "$TRASH/storm.out" '^seconds ' 200 && sleep 0.5
	lw_stop "$LW"
	storm_counts "$TRASH/lw-storm.out" "$SP" >"$TRASH/storm.counts"
	export SP
	test_expect_success 'a storm of 2,000 forks a second for 5 s: every fork and exit, or the loss' '
		n=$(awk "\$1 == \"children\" { print \$2 }" storm.out) &&
		read -r forks exits lost slost <storm.counts &&
		echo "children $n forks $forks exits $exits lost $lost (summary $slost)" &&
		test "$n" -ge 9000 &&
		test "$lost" -eq "$slost" &&
		if [ "$lost" -eq 0 ]; then
			test "$forks" -eq "$n" && test "$exits" -eq "$n"
		else
			test "$forks" -le "$n" && test "$exits" -le "$n" &&
			test $((forks + exits + lost)) -ge $((2 * n))
		fi
	'

	start_scenario tiny clonestorm 2000 3 go || exit 1
	TP=$(scenario_pid tiny pid)
	lw_start tiny -p "$TP" -p "$TOPSH" -r -o event,pid,ppid,lost,comm --summary --rcvbuf 4K ||
		exit 1
	kill -USR1 "$TP"
	sleep 1
	# A watcher that falls behind: stopped while the storm goes on.
	kill -STOP "$LW"
	sleep 0.3
	kill -CONT "$LW"
	wait_for "$TRASH/tiny.out" '^seconds ' 200 && sleep 0.5
	lw_stop "$LW"
	storm_counts "$TRASH/lw-tiny.out" "$TP" >"$TRASH/tiny.counts"
	export TP
	test_expect_success 'a tiny buffer (--rcvbuf 4K): lost records with counts, then it goes on' '
		n=$(awk "\$1 == \"children\" { print \$2 }" tiny.out) &&
		read -r forks exits lost slost <tiny.counts &&
		echo "children $n forks $forks exits $exits lost $lost (summary $slost)" &&
		test "$lost" -gt 0 && test "$lost" -eq "$slost" &&
		test "$forks" -le "$n" && test "$exits" -le "$n" &&
		test $((forks + exits + lost)) -ge $((2 * n)) &&
		grep -Eq "^lost - - [1-9][0-9]* -$" lw-tiny.out &&
		awk "\$1 == \"lost\" { seen = 1 } seen && \$1 == \"fork\" { after++ }
			END { exit !(after > 0) }" lw-tiny.out &&
		grep -q "^exit $TP " lw-tiny.out &&
		grep -q "events lost (socket buffer" lw-tiny.err
	'
fi

# json_lines_typed FILE: every line one JSON object with the keys asked
# for below, PID an integer or null; at least 20 lines. perl's JSON::PP is
# core perl, there wherever prove is: no python3 needed.
json_lines_typed() {
	perl -MJSON::PP -MB -e '
		my $n = 0;
		while (my $line = <>) {
			my $o = JSON::PP->new->decode($line);
			my $keys = join ",", sort keys %$o;
			$keys eq "comm,detail,event,pid,ppid,time" or die "keys $keys: $line";
			# A number decoded from JSON is not a string: no POK flag.
			my $p = $o->{pid};
			die "pid neither null nor an integer: $line"
				if defined $p && ((B::svref_2object(\$p)->FLAGS & B::SVf_POK) ||
						  $p !~ /^-?[0-9]+$/);
			$n++;
		}
		$n >= 20 or die "only $n lines\n";
	' "$1"
}

# Hostile names: ESC[2J, a fake stat field, a newline, the one-byte CSI,
# invalid UTF-8, a backslash, an OSC title. Four watchers, four formats.
if [ -n "$CONNECTOR" ]; then
	test_skip 'hostile names' "$CONNECTOR"
else
	H_LW=
	for f in table raw pairs json; do
		lw_start "h_$f" -p "$TOPSH" --format "$f" -e fork,exec,exit,zombie,comm || exit 1
		H_LW="$H_LW $LW"
	done
	i=0
	for n in 1b5b324a 29205220312028 610a62 9b3f3235 c328ff 5c782d 1b5d303b7069776e07; do
		i=$((i + 1))
		start_scenario "host$i" hostile-name "$n" zombie || exit 1
	done
	# Time for the zombie events (0.1 s after each exit) to be written,
	# with room for a sanitizer build's slower lifewatch.
	sleep 1.5
	for p in $H_LW; do
		lw_stop "$p"
	done
	test_expect_success 'hostile names: escaped in every format, one line each event' '
		for f in table raw pairs json; do
			test_no_control "lw-h_$f.out" || exit 1
			test "$(grep -c "hostile-name" "lw-h_$f.out")" -ge 7 || exit 1
		done &&
		grep -qF "\\x1b[2J" lw-h_raw.out && grep -qF "a\\x0ab" lw-h_raw.out &&
		grep -qF "\\x9b?25" lw-h_table.out && grep -qF ")\\x20R\\x201\\x20(" lw-h_raw.out &&
		{ grep -qF " \\x1b]0;piwn\\x07 was\\x20hostile-name" lw-h_raw.out ||
		  grep -qF " \\x1b]0;piwn\\x07 -" lw-h_raw.out; } &&
		awk "NR > 1 && NF != 6 { exit 1 }" lw-h_raw.out
	'
	test_expect_success 'JSON Lines: one valid object a line, typed keys' '
		json_lines_typed lw-h_json.out
	'
fi

# Threads: a leader that leaves while another thread runs has not exited;
# the process exits with its last thread.
if [ -n "$CONNECTOR" ]; then
	test_skip 'threads' "$CONNECTOR"
else
	lw_start thr -p "$TOPSH" -e exec,exit -r -o event,pid,tid,comm,detail || exit 1
	LW_THR=$LW
	lw_start thr2 -p "$TOPSH" -e exec,exit,thread,thread-exit -r -o event,pid,tid,comm,detail ||
		exit 1
	# The first watch is stopped until the leader has left: it reads the
	# exec after the fact, as a loaded machine's lifewatch can, and must
	# take the command line from the thread that runs.
	kill -STOP "$LW_THR"
	start_scenario leader leader-exit || exit 1
	LP=$(scenario_pid leader pid)
	LT=$(scenario_pid leader tid)
	wait_state "$LP" Z
	kill -CONT "$LW_THR"
	# Both have read the exec while the thread still runs.
	wait_for "$TRASH/lw-thr.out" "^exec $LP " 50
	wait_for "$TRASH/lw-thr2.out" "^exec $LP " 50
	sleep 0.3
	stop_scenario "$LP"
	wait_for "$TRASH/lw-thr2.out" "^exit $LP " 50
	wait_for "$TRASH/lw-thr.out" "^exit $LP " 50
	sleep 0.2
	lw_stop "$LW"
	lw_stop "$LW_THR"
	export LP LT
	# A process just after its exec may be in D for a moment (its first
	# page faults): then its arguments are rightly not read, and the exec
	# line says so instead.
	test_expect_success 'threads: a leader gone before its threads is no exit; the last thread is' '
		awk -v p="$LP" "\$2 == p && \$1 != \"fork\" { print \$1, \$3, \$5 }" lw-thr.out |
			sed "s/\\\\x20(in\\\\x20D:[^ ]*\$//" >got &&
		printf "%s\n" "exec $LP $HELPERS/leader-exit" \
			"exit $LP signal\\x209\\x20(SIGKILL)" >expect &&
		test_cmp expect got &&
		awk -v p="$LP" "\$2 == p && \$1 != \"fork\" { print \$1, \$3 }" lw-thr2.out >got &&
		printf "%s\n" "exec $LP" "thread $LT" "thread-exit $LP" "thread-exit $LT" \
			"exit $LP" >expect &&
		test_cmp expect got
	'
fi

if [ -n "$CONNECTOR" ]; then
	test_skip '-c, --events, -C, SIGINT' "$CONNECTOR"
else
	test_expect_success '-c 5: five events, then it ends by itself' '
		"$BIN/lifewatch" -p "$TOPSH" -c 5 -d 30 -r -n -o event >c5.out 2>c5.err &
		lw=$!
		kill_at_exit $lw
		i=0 &&
		while kill -0 $lw 2>/dev/null && [ $i -lt 100 ]; do
			/bin/true; i=$((i + 1)); sleep 0.02
		done &&
		{ wait $lw; rc=$?; forget_pid $lw; test $rc -eq 0; } &&
		test "$(wc -l <c5.out)" -eq 5 && test_cmp /dev/null c5.err
	'
	test_expect_success '--events exit -C true: only the exits of true' '
		lw_start ev -p "$TOPSH" -r -n -o event,comm -e exit -C true &&
		/bin/echo >/dev/null && /bin/true && sleep 0.3 && lw_stop "$LW" &&
		grep -qx "exit true" lw-ev.out && ! grep -v "^exit true$" lw-ev.out
	'
	test_expect_success 'SIGINT ends the watch with the summary; SIGTERM too' '
		lw_start sum -p "$TOPSH" -r -o event,pid,comm --summary &&
		sh -c "exit 3" ; lw_stop "$LW" && rc=$? &&
		test "$rc" -eq 0 &&
		grep -qx "SECTION KEY COMM COUNT SECONDS" lw-sum.out &&
		grep -Eq "^events exec - [1-9][0-9]* -$" lw-sum.out &&
		grep -Eq "^exits code\\\\x203 - 1 -$" lw-sum.out &&
		lw_start sum2 -p "$TOPSH" -J --summary &&
		lw_stop "$LW" TERM &&
		grep -q "^{\"section\": \"events\", \"key\": \"fork\", \"comm\": null, \"count\": " lw-sum2.out
	'
fi

# lw_wait_header FILE: the watch has begun, as its header line (-r, with
# EVENT first) says; for watchers that cannot see lw_start's trigger.
lw_wait_header() {
	wait_for "$1" '^EVENT ' 100
}

# A -p root is the process that had the PID when the watch began. Once it
# is reaped, pid-reuse puts a stranger (not a descendant of anything
# watched) on its number at once: neither a poll nor the resync after a
# loss may take the stranger for the root.
if ! is_root; then
	test_skip '--poll -p: a stranger on a reaped root PID' 'needs root (clone3 set_tid)'
else
	test_expect_success '--poll -p: a stranger that takes a reaped root PID is not followed' '
		start_scenario proot sleeper || exit 1
		R=$(scenario_pid proot pid)
		"$BIN/lifewatch" --poll -p "$R" -d "$LW_MAX" -r -o event,pid,ppid,comm \
			>lw-preuse.out 2>lw-preuse.err &
		lw=$!
		kill_at_exit $lw
		lw_wait_header lw-preuse.out &&
		stop_scenario "$R" && { wait "$R" || true; } &&
		wait_for lw-preuse.out "^exit $R " 50 &&
		start_scenario pstray pid-reuse "$R" pidreuse-stray &&
		test "$(scenario_pid pstray pid)" = "$R" &&
		sleep 0.5 && stop_scenario "$SCENARIO_PID" && sleep 0.5 &&
		lw_stop $lw &&
		cat lw-preuse.out &&
		! grep -q "pidreuse-stray" lw-preuse.out &&
		! grep -Eq "^(fork|exec|comm) $R " lw-preuse.out
	'
fi
if [ -n "$CONNECTOR" ]; then
	test_skip 'the resync after a loss: a stranger on a reaped root PID' "$CONNECTOR"
elif ! is_root; then
	test_skip 'the resync after a loss: a stranger on a reaped root PID' \
		'needs root (clone3 set_tid)'
else
	# lifewatch is stopped while the root is reaped, /bin/true runs fill
	# its 4K socket buffer many times over, and the stranger is forked:
	# its fork is among the events lost, so only the resync sees it.
	test_expect_success 'the resync after a loss: a stranger on a reaped root PID is not followed' '
		start_scenario croot sleeper || exit 1
		R=$(scenario_pid croot pid)
		"$BIN/lifewatch" -p "$R" --rcvbuf 4K -d "$LW_MAX" -r -o event,pid,ppid,comm \
			>lw-creuse.out 2>lw-creuse.err &
		lw=$!
		kill_at_exit $lw
		lw_wait_header lw-creuse.out &&
		kill -STOP $lw &&
		stop_scenario "$R" && { wait "$R" || true; } &&
		i=0 && while [ $i -lt 50 ]; do /bin/true; i=$((i + 1)); done &&
		start_scenario cstray pid-reuse "$R" pidreuse-stray &&
		test "$(scenario_pid cstray pid)" = "$R" &&
		kill -CONT $lw &&
		wait_for lw-creuse.out "^lost " 50 &&
		stop_scenario "$SCENARIO_PID" && sleep 0.5 &&
		lw_stop $lw &&
		cat lw-creuse.out &&
		! grep -q "pidreuse-stray" lw-creuse.out &&
		! grep -Eq "^(fork|exec|comm) $R " lw-creuse.out
	'
fi

# Zombies from before the watch: their reaps are events too, and -C
# filters them like any other. Two watchers over the whole machine, one
# for a name nothing has, one for the zombies' own; init reaps the zombies
# once their parent is killed.
if [ -n "$CONNECTOR" ]; then
	test_skip '-C and the reaps of zombies from before the watch' "$CONNECTOR"
else
	test_expect_success '-C: the reaps of zombies from before the watch are filtered by name' '
		start_scenario ozp zombie-parent nowait 2 || exit 1
		ZP=$(scenario_pid ozp parent)
		"$BIN/lifewatch" -C pd-no-such-name -d "$LW_MAX" -r -o event,pid,comm \
			>lw-cnone.out 2>lw-cnone.err &
		lw1=$!
		kill_at_exit $lw1
		"$BIN/lifewatch" -C zombie-parent -e reap -d "$LW_MAX" -r -o event,pid,comm \
			>lw-cname.out 2>lw-cname.err &
		lw2=$!
		kill_at_exit $lw2
		lw_wait_header lw-cnone.out && lw_wait_header lw-cname.out &&
		stop_scenario "$ZP" && { wait "$ZP" || true; } &&
		for z in $(awk "\$1 == \"zombie\" { print \$2 }" ozp.out); do
			wait_for lw-cname.out "^reap $z zombie-parent$" 300 || exit 1
		done &&
		sleep 0.3 && lw_stop $lw1 && lw_stop $lw2 &&
		# A loss of the kernel'"'"'s (a busy machine) is a row whatever
		# the filter: it says what may be missing. No other row.
		echo "EVENT PID COMM" >expect && grep -v "^lost " lw-cnone.out >got &&
		test_cmp expect got
	'
fi

# A program that renames itself right after its exec (hostile-name does,
# to "flushprobe" here): lifewatch reads the name when it handles the
# exec, and is stopped meanwhile, so it reads the new name. The rename
# that follows then has no old name: unknown, not "was flushprobe". A
# rename long after the exec still says what the name was.
if [ -n "$CONNECTOR" ]; then
	test_skip 'a rename before the exec was handled' "$CONNECTOR"
else
	test_expect_success 'a rename before the exec was handled: the old name unknown, not the new' '
		lw_start rename -p "$TOPSH" -e exec,comm -r -n -o event,pid,comm,detail || exit 1
		kill -STOP "$LW" || exit 1
		start_scenario probe hostile-name 666c75736870726f6265 || exit 1
		kill -CONT "$LW" || exit 1
		P=$(scenario_pid probe pid)
		wait_for lw-rename.out "^comm $P " 50 || exit 1
		sh -c "sleep 0.3; printf lateprobe >/proc/self/comm" &
		late=$!
		wait $late &&
		wait_for lw-rename.out "^comm $late " 50 &&
		lw_stop "$LW" &&
		grep -qx "comm $P flushprobe -" lw-rename.out &&
		grep -qxF "comm $late lateprobe was\\x20sh" lw-rename.out
	'
fi

# The exit code in another user's stat reads 0 to a reader that may not
# ptrace it: as nobody, the exit status of root's processes seen only in
# /proc (polled zombies, zombies from before the watch) is unknown, not
# "code 0". The children exit with 3 and by SIGKILL.
if nobody_can_run lifewatch; then
	test_expect_success 'non-root: the exit status of another user'"'"'s zombie is unknown, not 0' '
		start_scenario nfam life-family script || exit 1
		start_scenario norph life-family orphan || exit 1
		NF=$(scenario_pid nfam parent) && NO=$(scenario_pid norph parent) &&
		kill -USR1 "$NO" && wait_for norph.out "^done$" 100 &&
		NM=$(scenario_pid norph middle) && NZ=$(scenario_pid norph zombie) &&
		{ setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/lifewatch" --poll \
			-p "$NF" -p "$NO" -d "$LW_MAX" -r -o event,pid,code,signal \
			>lw-npoll.out 2>lw-npoll.err & } &&
		lw1=$! && kill_at_exit $lw1 &&
		{ setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/lifewatch" \
			-p "$NO" -e reap -d "$LW_MAX" -r -o event,pid,code,signal \
			>lw-nconn.out 2>lw-nconn.err & } &&
		lw2=$! && kill_at_exit $lw2 &&
		lw_wait_header lw-npoll.out && lw_wait_header lw-nconn.out &&
		kill -USR1 "$NF" && wait_for nfam.out "^done$" 100 &&
		B=$(scenario_pid nfam three) && C=$(scenario_pid nfam killed) &&
		wait_for lw-npoll.out "^reap $C " 50 &&
		kill -TERM "$NM" &&
		wait_for lw-npoll.out "^reap $NZ " 300 &&
		wait_for lw-nconn.out "^reap $NZ " 300 &&
		lw_stop $lw1 && lw_stop $lw2 &&
		cat lw-npoll.out lw-nconn.out &&
		grep -qx "zombie $B - -" lw-npoll.out &&
		grep -qx "zombie $C - -" lw-npoll.out &&
		grep -qx "reap $NZ - -" lw-npoll.out &&
		grep -qx "reap $NZ - -" lw-nconn.out
	'
	# Another user's memory layout reads 0: execs are told by the
	# fork's PF_FORKNOEXEC going away, and a later exec, which looks
	# like a rename, is said to be maybe one.
	test_expect_success 'non-root --poll: another user'"'"'s execs are execs, not renames' '
		{ setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/lifewatch" --poll \
			-p "$TOPSH" -d "$LW_MAX" -r -o event,pid,comm,detail \
			>lw-nexec.out 2>lw-nexec.err & } &&
		lw=$! && kill_at_exit $lw &&
		lw_wait_header lw-nexec.out &&
		{ sh -c "sleep 0.4; exec sleep 0.4" & } &&
		p=$! && wait $p &&
		wait_for lw-nexec.out "^exit $p " 50 &&
		lw_stop $lw &&
		cat lw-nexec.out &&
		grep -q "^exec $p sh " lw-nexec.out &&
		grep -Eq "^exec [0-9]+ sleep " lw-nexec.out &&
		! grep -Eq "^fork [0-9]+ sleep " lw-nexec.out &&
		grep -qxF "comm $p sleep was\\x20sh\\x20(or\\x20an\\x20exec)" lw-nexec.out
	'
else
	test_skip 'non-root: the exit status of another user'"'"'s zombie' "$NOBODY_WHY"
	test_skip 'non-root --poll: another user'"'"'s execs' "$NOBODY_WHY"
fi

# A parent that reaps its child and then exits at once: the reap happened
# first, and the parent, though gone by the time the reap is handled, is
# the reaper, by name in the reap line and in the summary's reapers.
# lw_reaper NAME ARGS...: watch four such perls at once with lifewatch
# ARGS (when polling, the order in which a pass took the two that went
# depended on their PIDs); their PIDs in NAME.pids. The child is a zombie
# for 2.5 s, so that a poll sees it even on a loaded machine under the
# sanitizers.
lw_reaper() {
	_n=$1
	shift
	"$BIN/lifewatch" -p "$TOPSH" -d "$LW_MAX" -r -o event,pid,ppid,comm,detail --summary "$@" \
		>"lw-$_n.out" 2>"lw-$_n.err" &
	_lw=$!
	kill_at_exit $_lw
	lw_wait_header "lw-$_n.out" || return 1
	_ps=
	for _i in 1 2 3 4; do
		perl -e "fork or exit 7; select(undef, undef, undef, 2.5); wait" &
		_ps="$_ps $!"
	done
	echo "$_ps" >"$_n.pids"
	# shellcheck disable=SC2086 # one PID a word
	wait $_ps
	for _p in $_ps; do
		wait_for "lw-$_n.out" "^exit $_p " 50 || return 1
	done
	lw_stop $_lw
	cat "lw-$_n.out"
}
# reaper_named NAME: each reap line names perl and comes before perl's
# exit; the summary names them too.
reaper_named() {
	read -r _ps <"$1.pids"
	for _p in $_ps; do
		grep -Eq "^reap [0-9]+ $_p perl reaped\\\\x20by\\\\x20perl\\\\x20after\\\\x20" \
			"lw-$1.out" &&
		awk -v p="$_p" "\$1 == \"reap\" && \$3 == p { r = NR }
			\$1 == \"exit\" && \$2 == p { e = NR } END { exit !(r && e && r < e) }" \
			"lw-$1.out" &&
		grep -Eq "^reapers $_p perl 1 [0-9.]+$" "lw-$1.out" || return 1
	done
}
if [ -n "$CONNECTOR" ]; then
	test_skip 'a parent that reaps, then exits' "$CONNECTOR"
else
	test_expect_success 'a parent that reaps, then exits: the reap names it, before its exit' '
		lw_reaper reaper && reaper_named reaper
	'
fi
test_expect_success 'a parent that reaps, then exits (--poll): the reap names it, before its exit' '
	lw_reaper preaper --poll && reaper_named preaper
'

# A reader that stops reading (a FIFO whose reader is stopped): once the
# pipe is full, lifewatch is blocked writing a line. SIGTERM (what timeout
# sends) and SIGINT still end it, within a second or two, with the status
# of a watch ended by a signal; the summary cannot be written, and is not
# waited for. Each /bin/true line carries a 4,000-byte command line.
lw_stalled() {
	rm -f fifo && mkfifo fifo || return 1
	{ cat fifo >/dev/null & }
	_r=$!
	kill_at_exit $_r
	{ "$BIN/lifewatch" -p "$TOPSH" -d "$LW_MAX" --summary -o event,pid,detail \
		>fifo 2>lw-stall.err & }
	_lw=$!
	kill_at_exit $_lw
	sleep 0.3 && kill -STOP $_r || return 1
	_big=$(printf "%04000d" 0)
	_i=0
	while ! grep -q "pipe_write" "/proc/$_lw/wchan" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || { echo "lifewatch never blocked writing"; return 1; }
		/bin/true "$_big"
	done
	kill "-$1" $_lw
	_i=0
	while kill -0 $_lw 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -le 25 ] || { echo "lifewatch still there 2.5 s after SIG$1"; return 1; }
		sleep 0.1
	done
	wait $_lw
	_rc=$?
	forget_pid $_lw
	kill -CONT $_r
	kill $_r 2>/dev/null
	return $_rc
}
if [ -n "$CONNECTOR" ]; then
	test_skip 'a reader that stops reading' "$CONNECTOR"
else
	test_expect_success 'a reader that stops reading: SIGTERM, SIGINT still end lifewatch, status 0' '
		lw_stalled TERM && lw_stalled INT
	'
fi

# A DETAIL with other columns after it: rows printed as they come cannot
# be measured first, so it takes 32 columns. On a terminal a longer one is
# cut there and ends in "...", and the columns after it stay under their
# headers (-w keeps it whole); into a pipe nothing is cut. The command
# line is wide: a CJK character (two columns), an escape (four), 40 x.
WIDE_X=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
WIDE_CJK=$(printf '\346\227\245')
export WIDE_X WIDE_CJK
# lw_wide OUT ARGS...: lifewatch -p the test shell, execs and exits only,
# while a shell whose command line is that wide runs 0.3 s and exits 5,
# until lifewatch has shown that command line once, at most 8 times. Just
# after its exec a task may be in D, for its first page faults (more often
# while another test does disk I/O): its command line is then rightly not
# read, and only the program's path is shown.
lw_wide() {
	_o=$1
	shift
	"$@" -p "$TOPSH" -d 5 -e exec,exit -o event,detail,code,pid >"$_o.raw" 2>"$_o.err" &
	_s=$!
	kill_at_exit $_s
	wait_for "$_o.raw" "EVENT" 100 || return 1
	for _i in 1 2 3 4 5 6 7 8; do
		sh -c ": $WIDE_CJK$(printf '\033')$WIDE_X; sleep 0.3; exit 5"
		grep -q '^exec .*\\x1b' "$_o.raw" && break
	done
	wait $_s
	_rc=$?
	forget_pid $_s
	tr -d "\r" <"$_o.raw" >"$_o"
	cat "$_o"
	return $_rc
}
# on_tty CMD ARGS...: CMD with standard output a terminal 200 columns wide.
on_tty() {
	_c=
	for _a in "$@"; do
		_c="$_c '$_a'"
	done
	COLUMNS=200 script -qec "$_c" /dev/null </dev/null
}
# aligned FILE [EVENT]: CODE, right-aligned under its header, then a
# space, on every line (of EVENT only, when given: in a pipe, a longer
# DETAIL than 32 pushes its line) but one of the whole wide command line
# (CODE the third column, PID the last). The CJK character counts as the
# two columns it takes, not its three bytes.
aligned() {
	awk -v x="$WIDE_X" -v c="$WIDE_CJK" -v ev="$2" "
		NR == 1 { p = index(\$0, \" CODE \"); if (!p) exit 1; next }
		ev != \"\" && \$1 != ev { next }
		{ n++; gsub(c, \"##\") } index(\$0, x) { next }
		substr(\$0, p, 6) !~ /^ +([0-9]+|-) $/ { print \"misaligned: \" \$0; bad = 1 }
		END { exit bad || !n }" "$1"
}
if [ -n "$CONNECTOR" ]; then
	test_skip 'a DETAIL before other columns' "$CONNECTOR"
elif ! command -v script >/dev/null 2>&1; then
	test_skip 'a DETAIL before other columns' 'no script(1) for a terminal'
else
	test_expect_success 'a DETAIL before other columns: 32 wide, on a terminal cut with "...", aligned' '
		lw_wide tty.out on_tty "$BIN/lifewatch" &&
		grep -Eq "^exec +sh -c : ${WIDE_CJK}\\\\x1bx{15}\\.\\.\\. +- +[0-9]+$" tty.out &&
		grep -Eq "^exit +code 5 +5 +[0-9]+$" tty.out &&
		aligned tty.out &&
		lw_wide wide.out on_tty "$BIN/lifewatch" -w &&
		grep -Eq "^exec +sh -c .*\\\\x1b${WIDE_X}; sleep 0.3; exit 5 +- +[0-9]+$" wide.out &&
		lw_wide pipe.out "$BIN/lifewatch" &&
		grep -Eq "^exec +sh -c .*\\\\x1b${WIDE_X}; sleep 0.3; exit 5 +- +[0-9]+$" pipe.out &&
		aligned pipe.out exit
	'
fi

# A watch of a process that does nothing writes nothing: a reader that
# leaves must end it all the same (timeout says 124 when it had to), by
# the connector or by polling.
sleep 600 &
QUIET=$!
kill_at_exit $QUIET
for how in "" --poll; do
	if [ -z "$how" ] && [ -n "$CONNECTOR" ]; then
		test_skip 'a watch ends when its reader leaves' "$CONNECTOR"
		continue
	fi
	test_expect_success "a watch ends when its reader leaves, with nothing to write${how:+ ($how)}" '
		{ timeout 20 "$BIN/lifewatch" $how -p $QUIET -e exit -n 2>err; echo $? >rc; } | sleep 1 &&
		test "$(cat rc)" = 0 &&
		{ grep -v "^lifewatch: polling /proc every" err >err.other; test_cmp /dev/null err.other; }
	'
done
kill $QUIET
forget_pid $QUIET

test_expect_success 'usage errors exit 2; a -p that matches nothing exits 1' '
	test_expect_code 2 "$BIN/lifewatch" --format prometheus 2>err &&
	test_expect_code 2 "$BIN/lifewatch" -e fork,bogus 2>err &&
	grep -q "unknown event: .bogus." err &&
	test_expect_code 2 "$BIN/lifewatch" -e "" -d 1 >out 2>err &&
	test_expect_code 2 "$BIN/lifewatch" -e , -d 1 >out 2>err &&
	grep -q "no event named" err &&
	test_expect_code 2 "$BIN/lifewatch" --rcvbuf 2T 2>err &&
	test_expect_code 2 "$BIN/lifewatch" -d 0 2>err &&
	# A saved tree never changes: watching it would print nothing, ever.
	test_expect_code 2 "$BIN/lifewatch" --proc "$FIXTURES/basic/proc" -d 1 2>err &&
	grep -q "a saved tree has no interval" err &&
	test_expect_code 1 "$BIN/lifewatch" -p 2147483647 -d 1 >out 2>err &&
	grep -q "no such process: 2147483647" err &&
	"$BIN/lifewatch" -H >cols && grep -q "^ZOMBIE_FOR " cols
'

test_done
