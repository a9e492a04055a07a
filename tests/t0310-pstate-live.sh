#!/bin/sh
# pstate on real tasks: a stopped process, a vfork parent in D, threads,
# zombies, an exited leader, and the census's load line.
. "$(dirname "$0")/lib.sh"

start_scenario stopped sleeper || exit 1
SP=$(scenario_pid stopped pid)
kill -STOP "$SP"
start_scenario vfork vfork-sleeper 3600 || exit 1
VP=$(scenario_pid vfork parent)
VC=$(scenario_pid vfork child)
start_scenario threads sleeper threads 5 || exit 1
TP=$(scenario_pid threads pid)
start_scenario zombies zombie-parent nowait 3 || exit 1
ZP=$(scenario_pid zombies parent)
ZZ=$(scenario_pids zombies zombie)
start_scenario leader leader-exit || exit 1
LP=$(scenario_pid leader pid)
export SP VP VC TP ZP ZZ LP
wait_state "$SP" T || exit 1
wait_state "$VP" D || exit 1
sleep 0.2

test_expect_success 'a stopped process is counted and listed as T' '
	"$BIN/pstate" -p "$SP" -r -n -o state,count >out &&
	grep -qx "T 1" out &&
	"$BIN/pstate" -s T -p "$SP" -r -n -o pid,state >out &&
	echo "$SP T" >expect && test_cmp expect out
'

test_expect_success 'a vfork parent is in D in kernel_clone; its cmdline is not read' '
	"$BIN/pstate" -s D -p "$VP" -P -o pid,state,wchan,cmd >out &&
	echo "PID=\"$VP\" STATE=\"D\" WCHAN=\"kernel_clone\" CMD=\"[vfork-sleeper]\"" >expect &&
	test_cmp expect out
'

test_expect_success 'the vfork D task is a load contributor' '
	"$BIN/pstate" -p "$VP,$VC" -J >out.json &&
	test_valid_json out.json &&
	grep -q "\"state\": \"D\", \"count\": 1" out.json &&
	grep -q "\"load_now\": 1," out.json
'

test_expect_success '-t counts every thread' '
	"$BIN/pstate" -t -p "$TP" -r -n -o state,count >out &&
	grep -qx "S 6" out &&
	"$BIN/pstate" -p "$TP" -r -n -o state,count >out &&
	grep -qx "S 1" out
'

test_expect_success '-t -s lists threads with their TID and the PID' '
	"$BIN/pstate" -t -s S -p "$TP" -r -n -o pid,tid >out &&
	test "$(wc -l <out)" -eq 6 &&
	test "$(awk -v p="$TP" "\$1 == p" out | wc -l)" -eq 6 &&
	test "$(sort -u out | wc -l)" -eq 6
'

test_expect_success 'an exited leader: STATE and WCHAN both come from its live thread' '
	"$BIN/pstate" -s S -p "$LP" -r -n -o pid,state,wchan >out &&
	read -r pid state wchan <out &&
	test "$pid" = "$LP" && test "$state" = S && test "$wchan" != "-" &&
	tid=$(scenario_pid leader tid) &&
	want=$(cat "/proc/$LP/task/$tid/wchan") && test "$wchan" = "$want"
'

# The main thread sleeps in S while its sibling is in D behind a vfork: they
# share one mm, so the main thread's cmdline could block as well.
start_scenario tvfork vfork-sleeper -t 3600 || exit 1
TVP=$(scenario_pid tvfork parent)
TVT=$(scenario_pid tvfork thread)
export TVP TVT
test_expect_success '-t: no cmdline of a thread whose sibling is in D; CMD is [comm]' '
	wait_state "$TVP/task/$TVT" D &&
	"$BIN/pstate" -t -s S -p "$TVP" -r -n -o tid,cmd >out &&
	echo "$TVP [vfork-sleeper]" >expect && test_cmp expect out &&
	"$BIN/pstate" -s S -p "$TVP" -r -n -o pid,cmd >out &&
	test_cmp expect out
'

test_expect_success '-s takes the letters the kernel uses, and no other' '
	test_expect_code 2 "$BIN/pstate" -s Q 2>err &&
	grep -q "invalid state: .Q." err &&
	"$BIN/pstate" -s K,W,x -r -n >/dev/null
'

test_expect_success 'zombies are counted as Z' '
	"$BIN/pstate" -p "$ZZ" -r -n -o state,count >out &&
	grep -qx "Z 3" out
'

test_expect_success 'an exited leader with live threads counts as alive, not Z' '
	"$BIN/pstate" -p "$LP" -r -n -o state,count >out &&
	grep -qx "Z 0" out && grep -qx "S 1" out
'

test_expect_success 'zombies listed with -s Z show [comm] as command' '
	"$BIN/pstate" -s Z -p "$ZZ" -r -n -o ppid,state,cmd >out &&
	for z in $(echo "$ZZ" | tr , " "); do echo "$ZP Z [zombie-parent]"; done >expect &&
	test_cmp expect out
'

# census_adds_up FILE: in pstate's JSON the counts add up to the total,
# something is a load contributor (our vfork parent), procs_blocked is
# known. perl's JSON::PP is core perl, there wherever prove is.
census_adds_up() {
	perl -MJSON::PP -e '
		local $/;
		open my $f, "<", $ARGV[0] or die "$ARGV[0]: $!\n";
		my $d = JSON::PP->new->decode(<$f>);
		my $sum = 0;
		$sum += $_->{count} for @{$d->{states}};
		$sum == $d->{total} or die "the states add up to $sum, total $d->{total}\n";
		defined $d->{load_now} && $d->{load_now} >= 1 or die "load_now not >= 1\n";
		defined $d->{procs_blocked} && $d->{procs_blocked} >= 0 or die "procs_blocked unknown\n";
	' "$1"
}

test_expect_success 'whole-system census: the states add up to the total' '
	"$BIN/pstate" -J >out.json &&
	test_valid_json out.json &&
	census_adds_up out.json
'

# Idle kernel threads are seen only where kthreadd's children are: not in
# a PID namespace of its own (a container), where the test would pass on
# an empty list.
idle_kthreads=0
for f in /proc/[0-9]*/stat; do
	read -r line 2>/dev/null <"$f" || continue
	case "${line##*) }" in I\ *) idle_kthreads=$((idle_kthreads + 1)) ;; esac
done
if [ "$idle_kthreads" -eq 0 ]; then
	test_skip 'I (idle kernel threads) is never counted as D' \
		'no idle kernel thread in sight (a PID namespace?)'
else
	test_expect_success 'I (idle kernel threads) is never counted as D' '
		"$BIN/pstate" -s I -r -n -o state >out &&
		test -s out &&
		! grep -qv "^I$" out
	'
fi

test_expect_success 'prometheus output has HELP, TYPE and labelled samples' '
	"$BIN/pstate" --format prometheus >out &&
	grep -q "^# TYPE procdx_pstate_count gauge$" out &&
	grep -q "^procdx_pstate_count{state=\"S\",meaning=\"sleeping (interruptible)\"} [0-9]" out &&
	grep -q "^procdx_pstate_all [0-9]" out &&
	# Every state has its series, at 0 too: one that comes and goes
	# reads as missing to a collector. The table leaves such rows out.
	for s in R S D I Z T t X P; do
		grep -q "^procdx_pstate_count{state=\"$s\"," out || return 1
	done &&
	"$BIN/pstate" -r -n -o state >rows &&
	test "$(grep -c . rows)" -lt "$(grep -c "^procdx_pstate_count{" out)"
'

# The kernel keeps the first 15 bytes of a name: -C with the whole of a
# longer one finds the process by those 15, and 14 of them find nothing.
LONG=pdxlong$$-named-at-length
start_scenario long hostile-name "$(printf %s "$LONG" | od -An -tx1 | tr -d " \n")" || exit 1
LONGP=$(scenario_pid long pid)
export LONG LONGP
test_expect_success '-C with a name longer than the kernel keeps finds it by its first 15 bytes' '
	"$BIN/pstate" -s S -C "$LONG" -r -n -o pid,comm >out &&
	printf "%s %.15s\n" "$LONGP" "$LONG" >expect && test_cmp expect out &&
	"$BIN/memtop" -C "$LONG" -r -n -o pid >out && echo "$LONGP" >expect && test_cmp expect out &&
	short=$(printf %.14s "$LONG") &&
	"$BIN/pstate" -s S -C "$short" -r -n -o pid >out && test_cmp /dev/null out
'

test_expect_success 'columns of the wrong mode are usage errors' '
	test_expect_code 2 "$BIN/pstate" -o pid 2>err &&
	grep -q "need --state" err &&
	# Only where --state would help: a name no mode has is just unknown.
	test_expect_code 2 "$BIN/pstate" -o nosuch 2>err &&
	echo "pstate: unknown column: nosuch" >expect && head -n 1 err >got &&
	test_cmp expect got &&
	test_expect_code 2 "$BIN/pstate" -x nosuch 2>err && ! grep -q "need --state" err &&
	test_expect_code 2 "$BIN/pstate" -s D -o count 2>err &&
	test_expect_code 2 "$BIN/pstate" -s 1 2>err &&
	grep -q "invalid state" err
'

# The exited leader of a process whose thread took another uid: the row is
# the live process's, as -u selects it, not the dead leader's.
if is_root; then
	start_scenario lxu leader-exit uid 4242 || exit 1
	LXU=$(scenario_pid lxu pid)
	export LXU
	test_expect_success 'an exited leader: USER and CMD are its live thread'"'"'s' '
		wait_state "$LXU" Z &&
		"$BIN/pstate" -s S -u 4242 -r -n -o pid,state,user,cmd >out &&
		printf "%s S 4242 %s\\\\x20uid\\\\x204242\\n" "$LXU" "$HELPERS/leader-exit" >want &&
		test_cmp want out
	'
else
	test_skip 'USER of an exited leader' 'needs root to change a thread'"'"'s uid'
fi

test_done
