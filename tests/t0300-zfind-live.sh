#!/bin/sh
# zfind on real zombies: every parent behaviour it diagnoses, exited leaders,
# hostile names, and remediation that hits exactly the scenario's parent.
. "$(dirname "$0")/lib.sh"

start_scenario nowait zombie-parent nowait 3 || exit 1
NW_P=$(scenario_pid nowait parent)
NW_Z=$(scenario_pids nowait zombie)
start_scenario block zombie-parent block 2 || exit 1
BL_Z=$(scenario_pids block zombie)
start_scenario catch zombie-parent catch 2 || exit 1
CA_P=$(scenario_pid catch parent)
CA_Z=$(scenario_pids catch zombie)
start_scenario ignore zombie-parent ignore 2 || exit 1
IG_P=$(scenario_pid ignore parent)
start_scenario stop zombie-parent stop 2 || exit 1
ST_P=$(scenario_pid stop parent)
ST_Z=$(scenario_pids stop zombie)
start_scenario leader leader-exit || exit 1
LE_P=$(scenario_pid leader pid)
start_scenario bystander sleeper || exit 1
BY_P=$(scenario_pid bystander pid)
start_scenario reuse zfind-reuse || exit 1
RU_H=$SCENARIO_PID
RU_P=$(scenario_pid reuse parent)
RU_Z=$(scenario_pid reuse zombie)
start_scenario reap zfind-reuse || exit 1
RP_P=$(scenario_pid reap parent)
RP_Z=$(scenario_pid reap zombie)
export NW_P NW_Z BL_Z CA_P CA_Z IG_P ST_P ST_Z LE_P BY_P RU_H RU_P RU_Z RP_P RP_Z
wait_state "$ST_P" T || exit 1
sleep 0.2

test_expect_success 'lists the zombies of a parent that never waits' '
	"$BIN/zfind" -p "$NW_Z" -r -n -o pid,ppid,state >out &&
	for z in $(echo "$NW_Z" | tr , " "); do
		echo "$z $NW_P Z"
	done >expect &&
	test_cmp expect out
'

test_expect_success 'exit 0 when zombies are found, 1 when none' '
	test_expect_code 0 "$BIN/zfind" -q -p "$NW_Z" &&
	test_expect_code 1 "$BIN/zfind" -q -p "$BY_P"
'

test_expect_success '-q prints nothing; --count prints the number' '
	"$BIN/zfind" -q -p "$NW_Z" >out && test_cmp /dev/null out &&
	"$BIN/zfind" --count -p "$NW_Z" >out && echo 3 >expect && test_cmp expect out
'

# A bare "3" is no exposition text (a scraper refuses the file) and no
# document of the shape -J promises: those formats give the count as total.
test_expect_success '--count with -P, -J or prometheus is a usage error; raw is the number' '
	for f in -P -J "--format prometheus" "--format json"; do
		# shellcheck disable=SC2086
		test_expect_code 2 "$BIN/zfind" --count -p "$NW_Z" $f >out 2>err || return 1
		test_cmp /dev/null out || return 1
		grep -q "^zfind: --count prints a bare number, not " err || return 1
	done &&
	"$BIN/zfind" --count -p "$NW_Z" -r >out && test_cmp expect out &&
	"$BIN/zfind" -p "$NW_Z" --format prometheus >out.prom &&
	grep -qx "procdx_zfind_all 3" out.prom
'

test_expect_success 'parent that never waits: default SIGCHLD, never waits' '
	"$BIN/zfind" --parents -p "$NW_Z" -P -o ppid,zombies,sigchld,why >out &&
	echo "PPID=\"$NW_P\" ZOMBIES=\"3\" SIGCHLD=\"default\" WHY=\"parent never waits\"" >expect &&
	head -1 out >first && test_cmp expect first
'

test_expect_success 'parent that blocks SIGCHLD' '
	"$BIN/zfind" --parents -p "$BL_Z" -P -o sigchld,why >out &&
	echo "SIGCHLD=\"default,blocked\" WHY=\"parent blocks SIGCHLD\"" >expect &&
	head -1 out >first && test_cmp expect first
'

test_expect_success 'parent that catches SIGCHLD but does not wait' '
	"$BIN/zfind" --parents -p "$CA_Z" -P -o sigchld,why >out &&
	echo "SIGCHLD=\"caught\" WHY=\"parent catches SIGCHLD but does not wait\"" >expect &&
	head -1 out >first && test_cmp expect first
'

test_expect_success 'a parent that ignores SIGCHLD has no zombies' '
	"$BIN/zfind" --parents -r -n -o ppid >out; rc=$?
	[ $rc -le 1 ] && ! grep -qx "$IG_P" out
'

test_expect_success 'a stopped parent is diagnosed as stopped' '
	"$BIN/zfind" --parents -p "$ST_Z" -P -o ppid,pstate,why >out &&
	echo "PPID=\"$ST_P\" PSTATE=\"T\" WHY=\"parent stopped\"" >expect &&
	head -1 out >first && test_cmp expect first
'

test_expect_success 'an exited leader with live threads is not a zombie' '
	test_expect_code 1 "$BIN/zfind" -p "$LE_P" -r -n >out &&
	test_cmp /dev/null out
'

test_expect_success '--all lists the exited leader as Z+threads' '
	"$BIN/zfind" --all -p "$LE_P" -r -n -o pid,state >out &&
	echo "$LE_P Z+threads" >expect && test_cmp expect out
'

test_expect_success '--all: an exited leader is found whatever is printed' '
	test_expect_code 0 "$BIN/zfind" --all -q -p "$LE_P" &&
	test_expect_code 0 "$BIN/zfind" --all -p "$LE_P" -r -n >out &&
	test_expect_code 0 "$BIN/zfind" --all --count -p "$LE_P" >out &&
	echo 0 >expect && test_cmp expect out &&
	test_expect_code 0 "$BIN/zfind" --all --parents -p "$LE_P" -r -n >out &&
	test_cmp /dev/null out
'

# Blocking is per thread: a process blocks SIGCHLD only if every live
# thread does. An exited leader keeps the Z, the mask and the uid it died
# with; the process is its live threads.
start_scenario mainblock zombie-parent mainblock 2 || exit 1
MB_P=$(scenario_pid mainblock parent)
MB_Z=$(scenario_pids mainblock zombie)
start_scenario mainexit zombie-parent mainexit 2 || exit 1
ME_P=$(scenario_pid mainexit parent)
ME_T=$(scenario_pid mainexit thread)
ME_Z=$(scenario_pids mainexit zombie)
export MB_P MB_Z ME_P ME_T ME_Z
wait_state "$ME_P" Z || exit 1

test_expect_success 'main thread blocks SIGCHLD, another does not: not blocked' '
	"$BIN/zfind" --parents -p "$MB_Z" -P -o ppid,pstate,sigchld,why >out &&
	echo "PPID=\"$MB_P\" PSTATE=\"S\" SIGCHLD=\"default\" WHY=\"parent never waits\"" >expect &&
	head -1 out >first && test_cmp expect first
'

test_expect_success 'a parent whose leader exited: its live thread'"'"'s state, wchan, mask' '
	w=$(cat "/proc/$ME_P/task/$ME_T/wchan") &&
	{ [ -n "$w" ] && [ "$w" != 0 ] || w=-; } &&
	"$BIN/zfind" --parents -p "$ME_Z" -P -o ppid,pstate,pwchan,sigchld,why >out &&
	echo "PPID=\"$ME_P\" PSTATE=\"S\" PWCHAN=\"$w\" SIGCHLD=\"default\" WHY=\"parent never waits\"" \
		>expect &&
	head -1 out >first && test_cmp expect first &&
	"$BIN/zfind" -p "$ME_Z" -r -n -o pid,pstate >out &&
	for z in $(echo "$ME_Z" | tr , " "); do echo "$z S"; done >expect &&
	test_cmp expect out
'

# The exited leader of a process whose thread took another uid: USER is
# the live process's, as -u selects it, not the dead leader's.
if is_root; then
	start_scenario lxu leader-exit uid 65534 || exit 1
	LXU=$(scenario_pid lxu pid)
	export LXU
	test_expect_success '--all: USER of an exited leader is its live thread'"'"'s' '
		wait_state "$LXU" Z &&
		u=$(getent passwd 65534 | cut -d: -f1) && u=${u:-65534} &&
		"$BIN/zfind" --all -p "$LXU" -u 65534 -r -n -o pid,state,user >out &&
		echo "$LXU Z+threads $u" >expect && test_cmp expect out &&
		"$BIN/zfind" --all -p "$LXU" -r -n -o pid,user >out &&
		echo "$LXU $u" >expect && test_cmp expect out &&
		test_expect_code 1 "$BIN/zfind" --all -p "$LXU" -u 0 -r -n >out &&
		test_cmp /dev/null out
	'
else
	test_skip '--all: USER of an exited leader' 'needs root to change a thread'"'"'s uid'
fi

# A container's init seen from the host: PID 1 of its own namespace, with
# an ordinary PID here. It is diagnosed as PID 1 and never signalled (a
# SIGKILL would end every process in the namespace), also once its main
# thread has exited (a thread's NSpid holds its own TID, not 1).
NS_UNSHARE="unshare --pid --fork --mount-proc --kill-child"
is_root || NS_UNSHARE="$NS_UNSHARE --map-root-user"
NS_SKIP=
# start_ns_init NAME MODE: zombie-parent MODE 2 as the init of a new PID
# namespace; sets NS_INIT (its PID here) and NS_Z (its zombies), or NS_SKIP.
start_ns_init() {
	: >"$TRASH/$1.out"
	$NS_UNSHARE "$HELPERS/zombie-parent" "$2" 2 >"$TRASH/$1.out" 2>"$TRASH/$1.err" &
	_u=$!
	kill_at_exit "$_u"
	_i=0
	until grep -q '^ready$' "$TRASH/$1.out" || [ $_i -gt 200 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	NS_INIT=$(cat "/proc/$_u/task/$_u/children" 2>/dev/null)
	NS_INIT=${NS_INIT%% *}
	# An exited thread's children pass to a live thread of its process.
	NS_Z=$(cat "/proc/$NS_INIT/task/"*"/children" 2>/dev/null | tr -s " \n" ",,")
	NS_Z=${NS_Z%,}
	if grep -q '^ready$' "$TRASH/$1.out" && [ -n "$NS_INIT" ] && [ -n "$NS_Z" ]; then
		kill_at_exit "$NS_INIT"
	else
		cat "$TRASH/$1.err" >&2
		NS_SKIP="the PID namespace's init or its zombies not found (task/TID/children)"
	fi
}
if ! command -v unshare >/dev/null 2>&1; then
	NS_SKIP="needs unshare(1) to make a PID namespace"
elif ! $NS_UNSHARE true 2>/dev/null; then
	NS_SKIP="unshare cannot make a PID namespace here"
else
	start_ns_init nsinit nowait
	NSA_INIT=$NS_INIT NSA_Z=$NS_Z
	start_ns_init nsexit mainexit
	NSB_INIT=$NS_INIT NSB_Z=$NS_Z
	[ -n "$NS_SKIP" ] || wait_state "$NSB_INIT" Z || NS_SKIP="mainexit: the leader did not exit"
fi
NS_WHY_TEXT="PID 1 does not reap (init of a PID namespace, e.g. a container's)"
NS_REFUSED="refused: PID 1 of a PID namespace (a container's init)"
export NSA_INIT NSA_Z NSB_INIT NSB_Z NS_WHY_TEXT NS_REFUSED
if [ -z "$NS_SKIP" ]; then
	test_expect_success 'the init of a PID namespace: PID 1 does not reap' '
		for s in "$NSA_INIT:$NSA_Z" "$NSB_INIT:$NSB_Z"; do
			p=${s%%:*} zs=${s#*:} &&
			grep -q "NSpid:.*[[:space:]]1\$" "/proc/$p/status" &&
			"$BIN/zfind" --parents -p "$zs" -P -o ppid,zombies,why >out &&
			echo "PPID=\"$p\" ZOMBIES=\"2\" WHY=\"$NS_WHY_TEXT\"" >expect &&
			head -1 out >first && test_cmp expect first || return 1
		done
	'

	test_expect_success 'the init of a PID namespace is never signalled, nor said to be' '
		for s in "$NSA_INIT:$NSA_Z" "$NSB_INIT:$NSB_Z"; do
			p=${s%%:*} zs=${s#*:} &&
			msg="zfind: not signalling $p (zombie-parent): $NS_REFUSED" &&
			test_expect_code 3 "$BIN/zfind" --kill-parents=KILL --dry-run -p "$zs" -n \
				>out 2>err &&
			! grep -q "would send" out && grep -qx "$msg" err &&
			test_expect_code 3 "$BIN/zfind" --kill-parents=KILL -p "$zs" -n >out 2>err &&
			! grep -q "^sent" out && grep -qx "$msg" err &&
			test_expect_code 3 "$BIN/zfind" --signal-parents -q -p "$zs" 2>err &&
			grep -qx "$msg" err || return 1
		done &&
		sleep 0.2 && kill -0 "$NSA_INIT" && wait_state "$NSA_INIT" S 1 &&
		kill -0 "$NSB_INIT" && wait_state "$NSB_INIT" Z 1
	'
else
	test_skip 'the init of a PID namespace: PID 1 does not reap' "$NS_SKIP"
	test_skip 'the init of a PID namespace is never signalled, nor said to be' "$NS_SKIP"
fi

test_expect_success 'the costs: zombies counted against pid_max' '
	"$BIN/zfind" -p "$NW_Z" -J >out.json &&
	test_valid_json out.json &&
	grep -q "\"total\": 3" out.json &&
	grep -q "\"pid_max\": $(cat /proc/sys/kernel/pid_max)" out.json
'

test_expect_success '--dry-run says what it would do and sends nothing' '
	before=$(grep -c sigchld "$TRASH/catch.out") &&
	"$BIN/zfind" --signal-parents --dry-run -p "$CA_Z" -n >out &&
	grep -qx "would send SIGCHLD to $CA_P (zombie-parent)" out &&
	sleep 0.3 &&
	test "$(grep -c sigchld "$TRASH/catch.out")" = "$before"
'

test_expect_success '--signal-parents sends SIGCHLD to the parent' '
	before=$(grep -c sigchld "$TRASH/catch.out") &&
	"$BIN/zfind" --signal-parents -p "$CA_Z" -n >out &&
	grep -qx "sent SIGCHLD to $CA_P (zombie-parent)" out &&
	i=0 &&
	while [ "$(grep -c sigchld "$TRASH/catch.out")" = "$before" ] && [ $i -lt 40 ]; do
		sleep 0.05; i=$((i + 1))
	done &&
	test "$(grep -c sigchld "$TRASH/catch.out")" -gt "$before"
'

test_expect_success '--kill-parents ends the parent so init reaps its zombies' '
	"$BIN/zfind" --kill-parents -p "$NW_Z" -n >out &&
	grep -qx "sent SIGTERM to $NW_P (zombie-parent)" out &&
	i=0 &&
	while "$BIN/zfind" -q -p "$NW_Z" && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done &&
	test_expect_code 1 "$BIN/zfind" -q -p "$NW_Z" &&
	! kill -0 "$NW_P" 2>/dev/null
'

test_expect_success 'nothing outside the scenario was signalled' '
	kill -0 "$BY_P" &&
	wait_state "$BY_P" S 1 &&
	kill -0 "$CA_P" && kill -0 "$ST_P"
'

# Between reading a zombie's PPID and signalling that PID, zfind can be
# overtaken: the parent exits and another process gets its PID, or it reaps
# the zombie. strace holds zfind at one system call (it logs the call as it
# enters it, and "(DELAYED)" once it lets go) while the helper does that.
HOLD_US=3000000
# LeakSanitizer cannot run under ptrace: a sanitized zfind would fail at exit.
HELD_ASAN="$ASAN_OPTIONS:detect_leaks=0"
export HOLD_US HELD_ASAN
HOLD_WHY=
if ! command -v strace >/dev/null 2>&1; then
	HOLD_WHY="needs strace, to hold zfind between its reads and its signal"
elif ! strace -o /dev/null true 2>/dev/null; then
	HOLD_WHY="strace cannot trace here (ptrace not allowed)"
fi
REUSE_WHY=$HOLD_WHY
if [ -z "$REUSE_WHY" ] && ! grep -qx "set_tid yes" "$TRASH/reuse.out"; then
	REUSE_WHY="needs clone3 set_tid (Linux 5.5 and CAP_SYS_ADMIN) to put a process on a PID"
fi

# wait_grep PATTERN FILE: wait until a line of FILE matches, for 10 s.
wait_grep() {
	_i=0
	until grep -q "$1" "$2" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 200 ]; then
			echo "no line matching '$1' in $2:" && cat "$2"
			return 1
		fi
		sleep 0.05
	done
}

# still_held LOG: strace has not let zfind go yet.
still_held() {
	! grep -q DELAYED "$1" || {
		echo "zfind ran on before the scene was set: more than $HOLD_US us?"
		return 1
	}
}

# The parent's PID goes to an unrelated process after the scan read the
# zombie's PPID, before zfind opens the parent's /proc directory.
if [ -z "$REUSE_WHY" ]; then
	test_expect_success '--signal-parents never hits a process that took the parent PID' '
		ASAN_OPTIONS=$HELD_ASAN strace -o strace.log -P "$RU_P" -e trace=openat \
			-e inject=openat:delay_enter=$HOLD_US:when=1 \
			"$BIN/zfind" --signal-parents -p "$RU_Z" -P -o pid,ppid,pcomm,why >out 2>err &
		job=$! && kill_at_exit $job &&
		wait_grep "^openat(.*\"$RU_P\"" strace.log &&
		kill -USR1 "$RU_H" &&
		wait_grep "^reused $RU_P\$" "$TRASH/reuse.out" &&
		still_held strace.log &&
		{ wait $job; rc=$?; } &&
		cat err && test "$rc" = 0 &&
		echo "PID=\"$RU_Z\" PPID=\"$RU_P\" PCOMM=\"-\" WHY=\"parent gone (reaping pending)\"" \
			>expect &&
		head -1 out >first && test_cmp expect first &&
		! grep -q "^sent" out &&
		sleep 0.2 && ! grep -q "^victim-signal" "$TRASH/reuse.out"
	'
else
	test_skip '--signal-parents never hits a process that took the parent PID' "$REUSE_WHY"
fi

# The parent reaps the zombie after zfind read it, before the signal.
if [ -z "$HOLD_WHY" ]; then
	test_expect_success '--signal-parents spares a parent that has reaped its zombie since' '
		ASAN_OPTIONS=$HELD_ASAN strace -o strace.log -e trace=pidfd_open \
			-e inject=pidfd_open:delay_enter=$HOLD_US:when=1 \
			"$BIN/zfind" --signal-parents -p "$RP_Z" -n >out 2>err &
		job=$! && kill_at_exit $job &&
		wait_grep "^pidfd_open($RP_P," strace.log &&
		kill -USR1 "$RP_P" &&
		wait_grep "^reaped $RP_Z\$" "$TRASH/reap.out" &&
		still_held strace.log &&
		{ wait $job; rc=$?; } &&
		cat err && test "$rc" = 3 &&
		msg="not signalling $RP_P (zfind-reuse): no longer the parent of a zombie" &&
		grep -qx "zfind: $msg (reaped or reparented)" err &&
		! grep -q "^sent" out &&
		sleep 0.2 && ! grep -q "^parent-signal" "$TRASH/reap.out"
	'
else
	test_skip '--signal-parents spares a parent that has reaped its zombie since' "$HOLD_WHY"
fi

test_expect_success '--kill-parents=SIG takes a name; a bad one is a usage error' '
	"$BIN/zfind" --kill-parents=KILL --dry-run -p "$ST_Z" -n >out &&
	grep -qx "would send SIGKILL to $ST_P (zombie-parent)" out &&
	test_expect_code 2 "$BIN/zfind" --kill-parents=NOPE 2>err &&
	grep -q "invalid signal" err
'

test_expect_success 'signals refuse an alternate proc root' '
	mkdir fakeproc && echo "100.00 150.00" >fakeproc/uptime &&
	test_expect_code 3 "$BIN/zfind" --proc fakeproc --signal-parents 2>err &&
	grep -q "alternate proc root" err
'

# A zombie held by a tracer that never waits: its parent waits for it,
# and cannot see it until the tracer has. Ending the parent frees nothing.
start_scenario traced traced-zombie || exit 1
TZ_P=$(scenario_pid traced parent)
TZ_T=$(scenario_pid traced tracer)
TZ_Z=$(scenario_pid traced zombie)
export TZ_P TZ_T TZ_Z

test_expect_success 'a traced zombie: WHY names its tracer, not the waiting parent' '
	grep -q "^TracerPid:[[:space:]]*$TZ_T\$" "/proc/$TZ_Z/status" &&
	"$BIN/zfind" -p "$TZ_Z" -P -o pid,ppid,why >out &&
	echo "PID=\"$TZ_Z\" PPID=\"$TZ_P\" WHY=\"zombie traced by $TZ_T: the tracer must wait for it first\"" \
		>expect && head -1 out >first && test_cmp expect first &&
	"$BIN/zfind" --parents -p "$TZ_Z" -P -o ppid,why >out &&
	echo "PPID=\"$TZ_P\" WHY=\"zombies traced by $TZ_T: the tracer must wait for them first\"" \
		>expect && head -1 out >first && test_cmp expect first
'

test_expect_success 'the parent of traced zombies is not signalled, nor said to be' '
	test_expect_code 3 "$BIN/zfind" --kill-parents --dry-run -p "$TZ_Z" -n >out 2>err &&
	! grep -q "would send" out &&
	grep -q "not signalling $TZ_P (traced-zombie): its zombies are traced" err &&
	test_expect_code 3 "$BIN/zfind" --kill-parents -p "$TZ_Z" -n >out 2>err &&
	! grep -q "sent" out && sleep 0.2 && kill -0 "$TZ_P" &&
	"$BIN/zfind" -q -p "$TZ_Z"
'

# A parent in a frozen cgroup shows D; it is waiting for a thaw, not in a
# wait of its own.
if ! is_root; then
	test_skip 'a parent in a frozen cgroup' 'needs root (a cgroup of its own)'
elif ! freezer_cgroup "procdx-test-freeze-$$" >"$TRASH/why"; then
	test_skip 'a parent in a frozen cgroup' "$(cat "$TRASH/why")"
else
	start_scenario frozen zombie-parent nowait 1 || exit 1
	FZ_P=$(scenario_pid frozen parent)
	FZ_Z=$(scenario_pid frozen zombie)
	echo "$FZ_P" >"$FREEZER_CG/cgroup.procs" && freeze_cgroup "$FREEZER_CG" || exit 1
	export FZ_P FZ_Z
	test_expect_success 'a parent in a frozen cgroup is diagnosed as frozen' '
		wait_state "$FZ_P" D &&
		"$BIN/zfind" --parents -p "$FZ_Z" -P -o ppid,pstate,why >out &&
		echo "PPID=\"$FZ_P\" PSTATE=\"D\" WHY=\"parent frozen (cgroup freezer)\"" >expect &&
		head -1 out >first && test_cmp expect first
	'
fi

# Another user's wait channel reads as 0: unknown, and said so once.
if nobody_can_run zfind; then
	test_expect_success 'non-root: PWCHAN unknown for root'"'"'s parent, one line says why' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/zfind" -p "$BL_Z" -r -n -o pid,pwchan >out 2>err &&
		for z in $(echo "$BL_Z" | tr , " "); do echo "$z -"; done >expect &&
		test_cmp expect out &&
		grep -qx "zfind: PWCHAN unknown for 1 of 1 parents: permission denied (needs root or CAP_SYS_PTRACE)" err &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/zfind" -p "$BL_Z" -r -n -o pid >out 2>err &&
		test_cmp /dev/null err
	'
else
	test_skip 'non-root PWCHAN' "$NOBODY_WHY"
fi

# A dry run must fail where the real run would: as another user, a root
# parent is refused by the kernel, and the dry run asks it. A parent of
# nobody's own is still one it would signal.
if nobody_can_run zfind; then
	nobody_scenario nbzp zombie-parent nowait 1 || exit 1
	BL_P=$(scenario_pid block parent)
	NB_P=$(scenario_pid nbzp parent)
	NB_Z=$(scenario_pid nbzp zombie)
	export BL_P NB_P NB_Z
	test_expect_success 'non-root --dry-run: another user'"'"'s parent is refused as in the real run' '
		msg="zfind: not signalling $BL_P (zombie-parent): permission denied" &&
		for a in --kill-parents --signal-parents "--kill-parents=KILL -q"; do
			test_expect_code 3 setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$BIN/zfind" $a --dry-run -p "$BL_Z" -n -o pid >out 2>err &&
			! grep -q "would send" out && grep -qxF "$msg" err &&
			test_expect_code 3 setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$BIN/zfind" $a -p "$BL_Z" -n -o pid >out 2>err &&
			! grep -q "^sent" out && grep -qxF "$msg" err || return 1
		done &&
		kill -0 "$BL_P" &&
		test -n "$NB_P" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/zfind" --kill-parents --dry-run -p "$NB_Z" -n -o pid >out 2>err &&
		grep -qx "would send SIGTERM to $NB_P (zombie-parent)" out && test ! -s err &&
		kill -0 "$NB_P"
	'
else
	test_skip 'non-root --dry-run against another user'"'"'s parent' "$NOBODY_WHY"
fi

test_done
