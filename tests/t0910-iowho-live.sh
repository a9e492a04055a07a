#!/bin/sh
# iowho on I/O of known size: a dd writing 8 MiB with O_DIRECT, children
# whose I/O their parent gets when it reaps them, idle processes (-a),
# threads (-t), repeated reports (-c), every format, task delay accounting
# on or off, a non-root run. (The rate of throttled readers is checked in
# t0900.)
. "$(dirname "$0")/lib.sh"

MIB=1048576
export MIB

start_scenario idle sleeper threads 2 || exit 1
IP=$(scenario_pid idle pid)
export IP

# A dd that writes 8 MiB two seconds after it starts, then waits on its
# input for a few seconds more: alive at both ends of a 3 s interval that
# begins once its own start-up (loading, opening) is over, half a second in.
# It overwrites a file of that size in place: a file that grows makes the
# filesystem dirty a page of metadata now and then, charged to the writer.
dd if=/dev/zero of="$TRASH/written" bs=1M count=8 oflag=direct status=none
( sleep 2; head -c 8M /dev/zero; sleep 4 ) |
	dd of="$TRASH/written" bs=1M iflag=fullblock oflag=direct conv=notrunc status=none \
		2>"$TRASH/dd.err" &
DD=$!
export DD
sleep 0.5

# A process of nobody's, in a process group of its own (killed at the end):
# readable by a run as nobody, and a USER wider than "USER" in every -a.
NP=
NOBODY=
if is_root && command -v setpriv >/dev/null 2>&1; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# shellcheck disable=SC2086 # NOBODY is a command and its options
	setsid $NOBODY sleep 600 </dev/null >/dev/null 2>&1 &
	NP=$!
	kill_at_exit "$NP"
fi
export NP NOBODY

test_expect_success 'a dd of 8 MiB with oflag=direct: WRITE_BYTES is 8 MiB' '
	"$BIN/iowho" -p "$DD" -i 3 -r -n -o pid,comm,write_bytes,read_bytes >out 2>err &&
	echo "$DD dd $((8 * MIB)) 0" >expect && test_cmp expect out
'
wait "$DD"
test_expect_success 'dd wrote what it was asked to' '
	test "$(stat -c %s "$TRASH/written")" -eq $((8 * MIB)) && test_cmp /dev/null "$TRASH/dd.err"
'

# A parent's io grows by all of a child's counters when it reaps the child,
# those of the child's whole life. What iowho shows over an interval must
# be what was written in it: the I/O a child did before is not shown again
# on its parent, and the I/O of children born and reaped in the interval
# is on the parent, the one place where it can still be seen.
# reaped-writer writes with O_DIRECT, in place but for its first write:
# the bytes written and nothing else, but a filesystem may charge a page of
# metadata now and then; SLACK allows for that, and is less than any of the
# helper's writes.
SLACK=65536

# wrote_near BYTES MIB: BYTES is MIB MiB, or at most SLACK more.
wrote_near() {
	[ "$1" -ge $(($2 * MIB)) ] && [ "$1" -le $(($2 * MIB + SLACK)) ]
}

# The child wrote 8 MiB before the interval and 3 MiB in it, and was
# reaped in it: the parent's io grew by 11 MiB.
test_expect_success 'a child reaped in the interval: the parent shows only what it wrote then' '
	start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 3 &&
	P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
	{ "$BIN/iowho" -p "$P,$C" -i 2 -r -n -o pid,write_bytes >out 2>err & I1=$!; } &&
	{ "$BIN/iowho" -i 2 -r -n -o pid,write_bytes >all 2>err.all & I2=$!; } &&
	sleep 0.7 && kill -USR1 "$C" && wait "$I1" && wait "$I2" &&
	grep -qx "reaped $C" reaped.out &&
	test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
	test "$pid" = "$P" && wrote_near "$bytes" 3 &&
	! grep -q "^$C " all && bytes=$(awk -v p="$P" "\$1 == p { print \$2 }" all) &&
	wrote_near "$bytes" 3
'

# With -c, the PPIDs are those of the sample that begins each interval:
# the child shows its 2 MiB in the first report, its parent the 3 MiB the
# child wrote before it was reaped in the second, and no report counts
# the 8 MiB written before the first, or the 2 MiB again.
test_expect_success '-c: a child reaped in the second interval is counted once' '
	start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 2 3 &&
	P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
	{ "$BIN/iowho" -p "$P,$C" -c 2 -i 1.5 -r -n -o sample,pid,write_bytes >out 2>err &
	  I=$!; } &&
	sleep 0.5 && kill -USR1 "$C" && wait_line reaped.out "wrote 2" &&
	sleep 1.5 && kill -USR1 "$C" && wait "$I" && grep -qx "reaped $C" reaped.out &&
	set -- $(cat out) && test $# -eq 6 &&
	test "$1 $2" = "1 $C" && wrote_near "$3" 2 && test "$4 $5" = "2 $P" && wrote_near "$6" 3
'

# save_proc DIR PID...: the files iowho reads of these processes, and the
# uptime, as a saved tree DIR/proc (scripts/capture saves them all, and
# takes seconds).
save_proc() {
	_d=$1
	shift
	mkdir -p "$_d/proc" && cat /proc/uptime >"$_d/proc/uptime" || return 1
	for _p; do
		[ -d "/proc/$_p" ] || continue
		mkdir "$_d/proc/$_p" || return 1
		for _f in stat status io; do
			cat "/proc/$_p/$_f" >"$_d/proc/$_p/$_f" || return 1
		done
	done
}

test_expect_success 'saved trees: a child reaped between them is counted once' '
	start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 3 &&
	P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
	save_proc reap1 "$P" "$C" && kill -USR1 "$C" && wait_line reaped.out "reaped $C" &&
	sleep 0.1 && save_proc reap2 "$P" "$C" &&
	test -e "reap1/proc/$C/io" && ! test -e "reap2/proc/$C" &&
	"$BIN/iowho" --proc reap1/proc --proc-after reap2/proc -r -n -o pid,write_bytes \
		>out 2>err &&
	test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
	test "$pid" = "$P" && wrote_near "$bytes" 3
'

# A parent that ignores SIGCHLD gets nothing of its children: the kernel
# reaps them itself. Its own 2 MiB, written once the child is gone, are
# not to be offset by the child's 8 MiB.
test_expect_success 'a parent ignoring SIGCHLD keeps its own I/O when its child goes' '
	start_scenario autoreap reaped-writer autoreap "$TRASH/reaped" 8 2 &&
	P=$(scenario_pid autoreap parent) && C=$(scenario_pid autoreap child) &&
	{ "$BIN/iowho" -p "$P,$C" -i 2 -r -n -o pid,write_bytes >out 2>err & I=$!; } &&
	sleep 0.7 && kill -USR1 "$C" && wait "$I" && grep -qx "wrote 2" autoreap.out &&
	test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
	test "$pid" = "$P" && wrote_near "$bytes" 2
'

# A PID is free again once reaped, and the reaped child's PID or its
# parent's may be another process's by the end of the interval. pid-reuse
# (clone3 set_tid, root only) puts a stranger on such a PID at once.
# iowho_both P C: iowho on P and C over one interval of 3 s (into out, its
# PID in I) and over two of 1.5 s (outc, IC); 1.8 s in, after the middle
# sample, C is told to exit and is reaped by P.
# shellcheck disable=SC2034 # I, IC: the test bodies' own
iowho_both() {
	{ "$BIN/iowho" -p "$1,$2" -i 3 -r -n -o pid,write_bytes >out 2>err & I=$!; }
	{ "$BIN/iowho" -p "$1,$2" -c 2 -i 1.5 -r -n -o sample,pid,write_bytes >outc \
		2>errc & IC=$!; }
	sleep 1.8 && kill -USR1 "$2" && wait_line reaped.out "reaped $2"
}

if is_root; then
	# The child wrote 8 MiB before the interval and 1 MiB in it; its PID
	# then holds an idle stranger. The parent's io grew by 9 MiB, of
	# which 8 were counted before: the stranger is not the child. With
	# -c, all of this happens after the middle sample.
	test_expect_success 'a reaped child'"'"'s PID reused in the interval: not counted twice' '
		start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 1 &&
		P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
		iowho_both "$P" "$C" &&
		start_scenario new pid-reuse "$C" stranger &&
		test "$(scenario_pid new pid)" = "$C" && wait "$I" && wait "$IC" &&
		test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
		test "$pid" = "$P" && wrote_near "$bytes" 1 &&
		set -- $(cat outc) && test $# -eq 3 && test "$1 $2" = "2 $P" && wrote_near "$3" 1
	'

	test_expect_success 'saved trees: a reaped child'"'"'s PID reused between them' '
		start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 1 &&
		P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
		save_proc reuse1 "$P" "$C" && kill -USR1 "$C" && wait_line reaped.out "reaped $C" &&
		start_scenario new pid-reuse "$C" stranger &&
		test "$(scenario_pid new pid)" = "$C" && save_proc reuse2 "$P" "$C" &&
		"$BIN/iowho" --proc reuse1/proc --proc-after reuse2/proc -r -n -o pid,write_bytes \
			>out 2>err &&
		test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
		test "$pid" = "$P" && wrote_near "$bytes" 1
	'

	# The child (8 MiB written before the interval) writes 1 MiB and its
	# idle parent reaps it; then the parent is killed and reaped. A
	# newcomer on the parent's PID writes 2 MiB: born in the interval,
	# all of its I/O is in it, and none of the child's is taken off it
	# (it was never its parent). With -c, all of this happens after the
	# middle sample.
	test_expect_success 'a process born on a gone parent'"'"'s PID: all of its I/O shown' '
		start_scenario reaped reaped-writer steps "$TRASH/reaped" 8 1 &&
		P=$(scenario_pid reaped parent) && C=$(scenario_pid reaped child) &&
		iowho_both "$P" "$C" &&
		stop_scenario "$P" && { wait "$P" 2>/dev/null; true; } &&
		start_scenario new pid-reuse "$P" newcomer "$TRASH/reaped" 2 &&
		test "$(scenario_pid new pid)" = "$P" && wait "$I" && wait "$IC" &&
		test "$(wc -l <out)" -eq 1 && read -r pid bytes <out &&
		test "$pid" = "$P" && wrote_near "$bytes" 2 &&
		set -- $(cat outc) && test $# -eq 3 && test "$1 $2" = "2 $P" && wrote_near "$3" 2
	'
else
	test_skip 'PIDs reused in the interval' 'needs root (clone3 set_tid)'
fi

# A shell loop of short writers: 40 children one after the other, 1 MiB
# each, over about two seconds. Those alive at a sample show there what
# they wrote so far; their parent carries the rest. Over the reports the
# sum is what they wrote, once (children cut by a sample counted twice
# would add up to a quarter MiB or more each); over one interval that
# holds the whole loop, it is all on the parent.
# Counted once holds however slow the machine is: the reports never sum
# to more than was written. That all of it is there, and on the parent,
# can be asked only when the loop ended within the reports' window.
# The helper runs under a name of this run's own, for -C to find its
# processes and no others on the machine.
test_expect_success 'a loop of short-lived writers: on the parent, counted once' '
	mkdir -p own && cp "$HELPERS/reaped-writer" "own/rw$$" &&
	{ helpers=$HELPERS; HELPERS=$TRASH/own; start_scenario loop "rw$$" loop "$TRASH/reaped" 1 20
	  started=$?; HELPERS=$helpers; test $started -eq 0; } &&
	P=$(scenario_pid loop parent) &&
	{ "$BIN/iowho" -C "rw$$" -c 10 -i 1 -r -n -o sample,pid,write_bytes >out 2>err &
	  I1=$!; } &&
	{ "$BIN/iowho" -i 9.5 -r -n -o pid,write_bytes >all 2>err.all & I2=$!; } &&
	sleep 0.5 && kill -USR1 "$P" && wait "$I2" && done_in=$(grep -cx done loop.out) &&
	wait "$I1" &&
	sum=$(awk "{ s += \$3 } END { print s + 0 }" out) &&
	test "$sum" -le $((20 * MIB + SLACK)) &&
	bytes=$(awk -v p="$P" "\$1 == p { print \$2 + 0 }" all) &&
	test "${bytes:-0}" -le $((20 * MIB + SLACK)) &&
	if test "$done_in" -eq 1; then
		wrote_near "$sum" 20 && wrote_near "$bytes" 20 &&
		mine=$(awk -v p="$P" "\$2 == p { s += \$3 } END { print s + 0 }" out) &&
		test "$mine" -ge $((18 * MIB))
	fi
'

test_expect_success 'idle processes only with -a; -t gives one row a thread' '
	"$BIN/iowho" -p "$IP" -i 0.3 -r -n -o pid >out 2>err && test_cmp /dev/null out &&
	"$BIN/iowho" -a -p "$IP" -i 0.3 -r -n -o pid,read_bytes,write_bytes,comm >out 2>err &&
	echo "$IP 0 0 sleeper" >expect && test_cmp expect out &&
	"$BIN/iowho" -a -t -p "$IP" -i 0.3 -r -n -o pid,tid >out 2>err &&
	test "$(wc -l <out)" -eq 3 && grep -q "^$IP $IP$" out &&
	test "$(awk -v p="$IP" "\$1 == p" out | wc -l)" -eq 3
'

# json_reports FILE N ROWS [all]: N lines, each one report: its sample
# number (the line's), its rows under ROWS, each with the same sample, the
# totals (numbers; with "all", when every row is shown, the sums of the
# rows' rates give or take their rounding) and io_unknown, and nothing
# else.
json_reports() {
	perl -MJSON::PP -e '
		my ($n, $rows, $all) = splice @ARGV, 1;
		my $want = join ",", sort "io_unknown", $rows, "sample", "total_read_bps",
			"total_write_bps";
		my $k = 0;
		while (my $line = <>) {
			my $o = JSON::PP->new->decode($line);
			$k++;
			my $keys = join ",", sort keys %$o;
			$keys eq $want or die "keys $keys: $line";
			$o->{sample} == $k or die "sample $o->{sample} on line $k\n";
			$_->{sample} == $k or die "a row of sample $_->{sample} on line $k\n"
				for @{$o->{$rows}};
			for my $d ("read", "write") {
				my $t = $o->{"total_${d}_bps"};
				my $sum = 0;
				$sum += $_->{"${d}_bps"} // 0 for @{$o->{$rows}};
				defined $t && $t =~ /^[0-9]+$/ or die "total_${d}_bps: $line";
				!$all || abs($t - $sum) <= @{$o->{$rows}} + 1
					or die "total_${d}_bps $t, the rows sum to $sum\n";
			}
			$o->{io_unknown} =~ /^[0-9]+$/ or die "io_unknown: $line";
		}
		$k == $n or die "$k reports, not $n\n";
	' "$@"
}

test_expect_success '-c 3 repeats like iotop -b; JSON Lines, a report a line with its totals; -N' '
	"$BIN/iowho" -a -p "$IP" -i 0.2 -c 3 -r -n -o sample,pid >out &&
	printf "1 %s\n2 %s\n3 %s\n" "$IP" "$IP" "$IP" >expect && test_cmp expect out &&
	"$BIN/iowho" -a -i 0.2 -c 2 -J >out 2>err &&
	test_valid_json_lines out &&
	grep -q "^{\"sample\": 1, \"processes\": \[{\"sample\": 1, \"pid\": " out &&
	grep -q "^{\"sample\": 2, \"processes\": \[{\"sample\": 2, \"pid\": " out &&
	json_reports out 2 processes all &&
	"$BIN/iowho" -a -t -N 3 -i 0.2 -c 2 -J >out 2>err &&
	json_reports out 2 threads &&
	test "$(grep -o "\"tid\": " out | wc -l)" -eq 6 &&
	"$BIN/iowho" -a -N 2 -i 0.2 -r -n -o pid >out 2>err && test "$(wc -l <out)" -eq 2 &&
	"$BIN/iowho" -a -i 0.2 -r >out 2>err && head -n 1 out >actual &&
	echo "PID USER READ_BPS WRITE_BPS READ_BYTES WRITE_BYTES CANCELLED IODELAY COMM" >expect &&
	test_cmp expect actual
'

# A text column before others in a table printed whole: as wide as its
# widest cell, counted in display columns (an escaped name takes four a
# byte, a CJK character two), so the columns after it line up.
test_expect_success 'a wide COMM before other columns: the PIDs after it line up' '
	start_scenario wesc hostile-name 1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b &&
	E=$(scenario_pid wesc pid) &&
	start_scenario wcjk hostile-name e697a5e697a5 &&
	J=$(scenario_pid wcjk pid) &&
	"$BIN/iowho" -a -p "$E,$J,$IP" -i 0.2 -o comm,pid,read_bytes >out 2>err &&
	cat out &&
	awk -v c="$(printf "\346\227\245")" "{ gsub(c, \"##\") }
		NR == 1 { p = index(\$0, \" PID \") + 4; next }
		NR <= 4 && substr(\$0, p - 1, 2) !~ /^[0-9] \$/ { bad = 1 }
		END { exit bad || NR < 4 }" out
'

test_expect_success 'every format is valid' '
	"$BIN/iowho" -a -i 0.2 -J >out.json 2>err && test_valid_json out.json &&
	grep -q "\"total_write_bps\": " out.json &&
	"$BIN/iowho" -a -i 0.2 --format prometheus >out.prom 2>err &&
	perl "$TOP/tests/promlint.pl" out.prom &&
	grep -q "^procdx_iowho_read_bytes_per_second{pid=\"$IP\",user=\"[^\"]*\",comm=\"sleeper\"} 0$" out.prom &&
	grep -q "^procdx_iowho_write_bytes{pid=\"$IP\",user=\"[^\"]*\",comm=\"sleeper\"} 0$" out.prom &&
	grep -q "^procdx_iowho_total_read_bytes_per_second [0-9]*$" out.prom &&
	"$BIN/iowho" -a -i 0.2 --format prometheus --output-all >all.prom 2>err &&
	perl "$TOP/tests/promlint.pl" all.prom &&
	# A collector reading a per-process file and a per-thread one refuses
	# a metric whose HELP differs between them.
	"$BIN/iowho" -t -a -i 0.2 --format prometheus --output-all >allt.prom 2>err &&
	grep "^# HELP procdx_iowho_\(total\|io_unknown\)" all.prom >help &&
	grep "^# HELP procdx_iowho_\(total\|io_unknown\)" allt.prom >helpt &&
	test "$(wc -l <help)" -eq 4 && test_cmp help helpt &&
	sed -n "s/^# TYPE \([^ ]*\) .*/\1/p" all.prom >names &&
	test "$(wc -l <names)" -ge 9 &&
	! grep -E "_(bytes|bps|seconds|percent)_(bytes|seconds|percent)$|_bps$" names &&
	"$BIN/iowho" -a -i 0.2 -P -p "$IP" >out 2>err &&
	grep -q "^PID=\"$IP\" USER=\"[^\"]*\" READ_BPS=\"0\" " out &&
	"$BIN/iowho" -a -i 0.2 -r >out 2>err &&
	awk "NR == 1 { n = NF } NF != n { exit 1 }" out && test_no_control out &&
	"$BIN/iowho" -H >cols && grep -q "^IODELAY " cols
'

DELAY=$(cat /proc/sys/kernel/task_delayacct 2>/dev/null || echo 1)
export DELAY
if [ "$DELAY" = 0 ]; then
	test_expect_success 'delay accounting off: IODELAY unknown, the sysctl named' '
		"$BIN/iowho" -a -p "$IP" -i 0.2 -r -n -o pid,iodelay >out 2>err &&
		echo "$IP -" >expect && test_cmp expect out &&
		grep -q "IODELAY unknown: task delay accounting is off (sysctl kernel.task_delayacct=1" err &&
		"$BIN/iowho" --help >help && grep -q "sysctl kernel.task_delayacct=1" help &&
		"$BIN/iowho" -a -p "$IP" -i 0.2 -r -n -o pid >out 2>err && test_cmp /dev/null err
	'
else
	test_expect_success 'delay accounting on: IODELAY a percentage' '
		"$BIN/iowho" -a -p "$IP" -i 0.2 -r -n -o pid,iodelay >out 2>err &&
		grep -q "^$IP [0-9.]*$" out && ! grep -q "IODELAY unknown" err
	'
fi

if [ -n "$NP" ]; then
	test_expect_success "non-root: others' io unreadable, counted on stderr" '
		$NOBODY "$BIN/iowho" -i 0.2 -r >out 2>err &&
		test "$(grep -c "I/O unknown for [0-9]* processes: permission denied" err)" -eq 1 &&
		! grep -q "^$IP " out
	'

	# As nobody, the scenario (root's) cannot be read, the sleep of
	# nobody's own can.
	test_expect_success 'non-root -a: unreadable processes listed with -, never 0' '
		$NOBODY "$BIN/iowho" -a -p "$IP,$NP" -i 0.2 -r -n \
			-o pid,read_bps,write_bps,read_bytes,write_bytes,cancelled,comm >out 2>err &&
		printf "%s 0 0 0 0 0 sleep\n%s - - - - - sleeper\n" "$NP" "$IP" >expect &&
		sort out >sorted && sort expect >expect.sorted && test_cmp expect.sorted sorted &&
		grep -q "I/O unknown for 1 process: permission denied" err
	'

	test_expect_success 'non-root: totals of the readable processes, the others counted' '
		$NOBODY "$BIN/iowho" -a -p "$IP,$NP" -i 0.2 -J >out.json 2>err &&
		test_valid_json out.json &&
		grep -q "^  \"total_read_bps\": 0,$" out.json &&
		grep -q "^  \"io_unknown\": 1$" out.json &&
		$NOBODY "$BIN/iowho" -a -p "$IP,$NP" -i 0.2 >out 2>err &&
		grep -q "^total read: 0B$" out &&
		grep -q "^I/O unknown, not in the totals: 1 process$" out
	'

	test_expect_success 'non-root: nothing readable, the totals are unknown, not 0' '
		$NOBODY "$BIN/iowho" -a -p "$IP" -i 0.2 >out 2>err &&
		grep -q "^ *$IP root  *-  *-  *-  *-  *-  *- sleeper$" out &&
		grep -q "^total read: unknown$" out && grep -q "^total write: unknown$" out &&
		! grep -q "^total .*: 0B$" out &&
		$NOBODY "$BIN/iowho" -p "$IP" -i 0.2 -J >out.json 2>err &&
		test_valid_json out.json &&
		grep -q "^  \"total_read_bps\": null,$" out.json &&
		grep -q "^  \"total_write_bps\": null,$" out.json &&
		grep -q "^  \"io_unknown\": 1$" out.json &&
		$NOBODY "$BIN/iowho" -p "$IP" -i 0.2 -c 2 -J >out.jsonl 2>err &&
		test_valid_json_lines out.jsonl &&
		test "$(grep -c "^{\"sample\": [12], \"processes\": \[\], \"total_read_bps\": null, \"total_write_bps\": null, \"io_unknown\": 1}$" out.jsonl)" -eq 2 &&
		$NOBODY "$BIN/iowho" -p "$IP" -i 0.2 -P >out 2>err &&
		grep -q "^TOTAL_READ_BPS=\"-\" TOTAL_WRITE_BPS=\"-\" IO_UNKNOWN=\"1\"$" out &&
		$NOBODY "$BIN/iowho" -p "$IP" -i 0.2 --format prometheus >out.prom 2>err &&
		perl "$TOP/tests/promlint.pl" out.prom && ! grep -q "^procdx_iowho_total" out.prom
	'

	test_expect_success 'non-root -t: the note counts threads' '
		$NOBODY "$BIN/iowho" -a -t -p "$IP" -i 0.2 -r -n -o pid,tid,read_bytes >out 2>err &&
		test "$(grep -c "^$IP [0-9]* -$" out)" -eq 3 &&
		echo "iowho: I/O unknown for 3 threads: permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		grep "I/O unknown" err >actual && test_cmp expect actual
	'

	# The note counts what io_unknown counts: the processes the filters
	# keep. The scenario (root's) is the one nobody cannot read.
	test_expect_success 'non-root -u, -C: the note leaves out what the filters drop' '
		$NOBODY "$BIN/iowho" -a -p "$IP,$NP" -u nobody -i 0.2 -P -o pid >out 2>err &&
		grep -q "^PID=\"$NP\"$" out && grep -q "IO_UNKNOWN=\"0\"$" out &&
		! grep -q "I/O unknown" err &&
		$NOBODY "$BIN/iowho" -p "$IP,$NP" -C sleep -i 0.2 -P -o pid >out 2>err &&
		grep -q "IO_UNKNOWN=\"0\"$" out && ! grep -q "I/O unknown" err &&
		$NOBODY "$BIN/iowho" -p "$IP,$NP" -C sleep,sleeper -i 0.2 -r -n -o pid >out 2>err &&
		echo "iowho: I/O unknown for 1 process: permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		grep "I/O unknown" err >actual && test_cmp expect actual
	'

	# Saved trees read as nobody: an io file only root may read stands for
	# another user's process; PID 2 is a kernel thread (PF_KTHREAD).
	test_expect_success 'non-root: kernel threads are not counted in the note (saved trees)' '
		nobody_tree loadwhy-io &&
		chmod 000 tree/after/proc/1/io tree/after/proc/2/io &&
		$NOBODY "$BIN/iowho" --proc tree/proc --proc-after tree/after/proc --sys tree/sys \
			-r -n -o pid >out 2>err &&
		echo "iowho: I/O unknown for 1 process: permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		test_cmp expect err &&
		$NOBODY "$BIN/iowho" --proc tree/proc --proc-after tree/after/proc --sys tree/sys \
			-a -P -C dd,sshd -o pid,comm >out 2>err &&
		grep -q "IO_UNKNOWN=\"0\"$" out && test_cmp /dev/null err &&
		chmod 644 tree/after/proc/2/io &&
		$NOBODY "$BIN/iowho" --proc tree/proc --proc-after tree/after/proc --sys tree/sys \
			-r -n -o pid >out 2>err &&
		test_cmp expect err
	'

	# kthreadd, unless PID 2 is something else here (a PID namespace).
	KT=$(sed "s/.*) //" /proc/2/stat 2>/dev/null | cut -d" " -f7)
	if [ -n "$KT" ] && [ $((KT & 0x200000)) -ne 0 ]; then
		test_expect_success 'non-root: a live kernel thread is not counted in the note' '
			$NOBODY "$BIN/iowho" -a -p "2,$IP,$NP" -i 0.2 -r -n -o pid >out 2>err &&
			! grep -q "^2$" out &&
			echo "iowho: I/O unknown for 1 process: permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
			grep "I/O unknown" err >actual && test_cmp expect actual
		'
	else
		test_skip 'non-root: a live kernel thread in the note' 'PID 2 is no kernel thread here'
	fi
else
	test_skip 'non-root run' 'needs root and setpriv'
fi

# Each report is flushed: a write error must end the command then, not
# after a million reports (timeout stands for "ran until killed").
test_expect_success 'a full disk between reports: exit 3, one line on stderr' '
	test_expect_code 3 timeout 20 "$BIN/iowho" -a -i 0.1 -c 1000000 >/dev/full 2>err &&
	echo "iowho: write error: No space left on device" >expect && test_cmp expect err &&
	test_expect_code 3 timeout 20 "$BIN/iowho" -a -i 0.1 -c 1000000 -J >/dev/full 2>err &&
	test_cmp expect err
'

# The pipe is the point here: the reader goes away after one line, and
# SIGPIPE is ignored, so iowho sees EPIPE and must stop by itself, quietly.
test_expect_success 'a reader that goes away ends the reports quietly' '
	(
		trap "" PIPE
		{ timeout 20 "$BIN/iowho" -a -i 0.1 -c 1000000 -r 2>/dev/null; echo $? >rc; } |
			head -n 1 >out
	) && echo 0 >expect && test_cmp expect rc &&
	(
		trap "" PIPE
		{ timeout 20 "$BIN/iowho" -a -i 0.1 -c 1000000 -J 2>err; echo $? >rc; } |
			head -n 1 >out
	) && test_cmp expect rc && ! grep -q "write error" err
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$BIN/iowho" -o nosuch 2>err &&
	test_expect_code 2 "$BIN/iowho" -o tid 2>err &&
	test_expect_code 2 "$BIN/iowho" -o sample 2>err &&
	test_expect_code 2 "$BIN/iowho" -N 0 2>err &&
	test_expect_code 2 "$BIN/iowho" -c x 2>err &&
	test_expect_code 2 "$BIN/iowho" --format prometheus -c 2 2>err &&
	grep -q "prometheus gives one report" err
'

# Saved trees may hold a process's threads but not their io (a capture
# that did not save task/TID/io), a process without its threads, or a
# process without its io: that I/O is unknown, never 0, and stderr says
# what the trees lack.
test_expect_success 'saved trees without the io files: totals unknown, not 0B' '
	"$TOP/scripts/capture" t1 >cap.out 2>&1 && sleep 1 &&
	"$TOP/scripts/capture" t2 >>cap.out 2>&1 &&
	test -e "t2/proc/$IP/task/$IP/stat" && test -e "t2/proc/$IP/io" &&
	rm -f t1/proc/*/task/*/io t2/proc/*/task/*/io &&
	set -- --proc t1/proc --proc-after t2/proc --sys t1/sys -p "$IP" &&
	"$BIN/iowho" -t "$@" >out 2>err &&
	grep -qx "total read: unknown" out && grep -qx "total write: unknown" out &&
	grep -qx "I/O unknown, not in the totals: 3 threads" out &&
	echo "iowho: I/O unknown for 3 threads: the saved tree has no task/TID/io for them" \
		>expect && grep "I/O unknown" err >actual && test_cmp expect actual &&
	"$BIN/iowho" -t -a "$@" -o tid,read_bps -rn >out 2>/dev/null &&
	printf "%s -\n" $(ls t2/proc/$IP/task) >expect && sort -n out >actual &&
	test_cmp expect actual &&
	"$BIN/iowho" -t "$@" -P >out 2>/dev/null && tail -n 1 out >last &&
	echo "TOTAL_READ_BPS=\"-\" TOTAL_WRITE_BPS=\"-\" IO_UNKNOWN=\"3\"" >expect &&
	test_cmp expect last &&
	mv "t1/proc/$IP/task" t1-task &&
	"$BIN/iowho" -t "$@" >out 2>err &&
	grep -qx "I/O unknown, not in the totals: the threads of 1 process" out &&
	echo "iowho: I/O unknown for the threads of 1 process: the saved tree has no task/TID/io for it" \
		>expect && grep "I/O unknown" err >actual && test_cmp expect actual &&
	"$BIN/iowho" -t "$@" -P >out 2>/dev/null && tail -n 1 out >last &&
	echo "TOTAL_READ_BPS=\"-\" TOTAL_WRITE_BPS=\"-\" IO_UNKNOWN=\"-\"" >expect &&
	test_cmp expect last &&
	"$BIN/iowho" "$@" -P >out 2>err && tail -n 1 out >last &&
	echo "TOTAL_READ_BPS=\"0\" TOTAL_WRITE_BPS=\"0\" IO_UNKNOWN=\"0\"" >expect &&
	test_cmp expect last && ! grep -q "I/O unknown" err &&
	rm "t2/proc/$IP/io" &&
	"$BIN/iowho" "$@" -P >out 2>err && tail -n 1 out >last &&
	echo "TOTAL_READ_BPS=\"-\" TOTAL_WRITE_BPS=\"-\" IO_UNKNOWN=\"1\"" >expect &&
	test_cmp expect last &&
	echo "iowho: I/O unknown for 1 process: the saved tree has no io for it" >expect &&
	grep "I/O unknown" err >actual && test_cmp expect actual
'

# -u on two trees: the names are made UIDs once, with the first tree; the
# second's open shared their array, and freed it twice.
test_expect_success 'two saved trees and -u with several names: the rows of those users' '
	"$BIN/iowho" --proc t1/proc --proc-after t2/proc -a -u root,0,daemon,bin,sys,sync \
		-p "$$" -o pid,user -rn >out 2>err &&
	echo "$$ root" >expect && test_cmp expect out
'

# Each tree lacks a different process's io: both are unknown, each has its
# row of "-" under -a, and neither is lost to the other's count.
test_expect_success 'saved trees lacking different processes'"'"' io: both unknown' '
	test -e "t1/proc/$$/io" && test -e "t2/proc/$$/io" &&
	rm -f "t2/proc/$IP/io" "t1/proc/$$/io" && test -e "t1/proc/$IP/io" &&
	set -- --proc t1/proc --proc-after t2/proc --sys t1/sys -p "$IP,$$" &&
	"$BIN/iowho" "$@" -P >out 2>err && tail -n 1 out >last &&
	echo "TOTAL_READ_BPS=\"-\" TOTAL_WRITE_BPS=\"-\" IO_UNKNOWN=\"2\"" >expect &&
	test_cmp expect last &&
	echo "iowho: I/O unknown for 2 processes: the saved tree has no io for them" >expect &&
	grep "I/O unknown" err >actual && test_cmp expect actual &&
	"$BIN/iowho" -a "$@" -o pid,read_bps,write_bps -rn >out 2>/dev/null &&
	printf "%s - -\n" $(printf "%s\n" "$IP" "$$" | sort -n) >expect &&
	sort -n out >actual && test_cmp expect actual
'

# The live /proc is now: a saved tree as the end of its interval would be
# older, every delta negative.
test_expect_success '--proc-after with the live /proc as the start: usage error' '
	test_expect_code 2 "$BIN/iowho" -a --proc-after "$FIXTURES/loadwhy-io/after/proc" \
		>out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^iowho: --proc-after needs the start of the interval from --proc DIR" err
'

test_done
