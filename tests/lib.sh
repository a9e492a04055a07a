# shellcheck shell=sh
# Test harness in the shape of git's t/test-lib.sh, printing TAP for prove.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'title' 'body'
#   test_done
#
# Every test runs in its own scratch directory ($TRASH), removed at the end.
# Scenario helpers started with start_scenario are killed by their process
# group at the end, whatever happened; so is anything passed to kill_at_exit,
# by the script or by the test body that started it.

TEST_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_DIR/.." && pwd)
# shellcheck disable=SC2034 # used by the test scripts that source this
BIN=${PROCDX_BIN:-$TOP/bin}
HELPERS=${PROCDX_TESTBIN:-$TOP/build/tests}
# shellcheck disable=SC2034
FIXTURES=$TEST_DIR/fixtures
export LC_ALL=C NO_COLOR=1
# A sanitizer's report exits 1 by default, which a test may take for
# "nothing found": make it a status no command of ours uses.
export ASAN_OPTIONS="exitcode=99${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="exitcode=99${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
unset PROCDX_PROC PROCDX_SYS COLUMNS

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/procdx-test.XXXXXX") || exit 1
test_count=0
test_failed=0

# Processes to kill when the shell that started them ends, as "PID:START"
# (START: the start time in /proc/PID/stat). A number is killed only while
# it still names the process that was registered: the shell may reap a
# background child while it waits for another, and the PID can then be
# reused before anyone calls forget_pid.
TEST_PIDS=

# proc_start PID: the start time of PID in _start; false if there is no
# such process. Only builtins: no fork per call.
proc_start() {
	_start=
	_stat=
	# COMM may hold newlines (hostile-name makes such names).
	while read -r _l; do
		_stat="$_stat $_l"
	done 2>/dev/null <"/proc/$1/stat"
	# The fields after COMM hold no ')': the last ") " ends it.
	# shellcheck disable=SC2086 # split into the fields
	set -- ${_stat##*) }
	[ $# -ge 20 ] || return 1
	shift 19
	_start=$1
}

# kill_at_exit PID: kill PID, and the process group it leads if any, when
# this shell ends: the test script, or the test body (a subshell) that
# calls this. Call forget_pid once the process has been waited for.
kill_at_exit() {
	proc_start "$1" && TEST_PIDS="$TEST_PIDS $1:$_start"
	return 0
}

# forget_pid PID: PID was reaped or killed on purpose; never kill it again.
forget_pid() {
	_keep=
	for _e in $TEST_PIDS; do
		[ "${_e%%:*}" = "$1" ] || _keep="$_keep $_e"
	done
	TEST_PIDS=$_keep
}

kill_test_pids() {
	for _e in $TEST_PIDS; do
		_p=${_e%%:*}
		if proc_start "$_p"; then
			# Another process has the number now: not ours.
			[ "$_start" = "${_e#*:}" ] || continue
			kill -KILL "-$_p" 2>/dev/null
			kill -KILL "$_p" 2>/dev/null
		else
			# The leader is gone; members of its group may live on,
			# and they keep the number from being reused.
			kill -KILL "-$_p" 2>/dev/null
		fi
	done
	TEST_PIDS=
}

cleanup() {
	kill_test_pids
	cleanup_cgroups
	rm -rf "$TRASH"
}
trap cleanup EXIT
# A signal ends the script through the EXIT trap. SIGPIPE is how a test
# learns that prove is gone (killed, or the terminal closed): its next "ok"
# line fails to reach it.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

say_ok() { echo "ok $test_count - $1"; }

# The body runs in a subshell with traps of its own: what it registers with
# kill_at_exit dies when it ends, however it ends.
test_expect_success() {
	test_count=$((test_count + 1))
	if (
		TEST_PIDS=
		trap kill_test_pids EXIT
		trap 'exit 129' HUP
		trap 'exit 130' INT
		trap 'exit 141' PIPE
		trap 'exit 143' TERM
		cd "$TRASH" && eval "$2"
	) >"$TRASH/.log" 2>&1; then
		say_ok "$1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		# On stderr too: prove shows that without -v, so a failure
		# in CI says why.
		sed 's/^/#   /' "$TRASH/.log"
		sed "s|^|#   [${0##*/} $test_count] |" "$TRASH/.log" >&2
	fi
}

# test_skip 'title' 'reason'
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1: $2"
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_must_fail_with STATUS cmd...: the command exits exactly STATUS.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit $want, got $got: $*"
		return 1
	fi
	return 0
}

# Assert that a file holds no control byte (other than newline) and no C1
# control or DEL: what no process name may ever smuggle into output.
test_no_control() {
	if LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" "$1" >/dev/null; then
		echo "control byte in $1:"
		od -c "$1" | head -20
		return 1
	fi
	if LC_ALL=C grep -n "$(printf '\302[\200-\237]')" "$1" >/dev/null; then
		echo "C1 control in $1"
		return 1
	fi
	return 0
}

# Validate JSON with whatever is there: python3, else perl's JSON::PP.
test_valid_json() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"
	else
		perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die;
			JSON::PP->new->decode(<$f>)' "$1"
	fi
}

# JSON Lines: every line of the file is one JSON value, checked by a single
# process however long the file is.
test_valid_json_lines() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys
for line in open(sys.argv[1]): json.loads(line)' "$1"
	else
		perl -MJSON::PP -ne 'JSON::PP->new->decode($_)' "$1"
	fi
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# nobody_can_run [CMD]: the tests can run commands as uid 65534: we are
# root, setpriv is there, and that uid can reach $BIN/CMD (pstate by
# default); a checkout under /root with mode 700 is out of its reach.
# Otherwise false, with the reason in NOBODY_WHY for test_skip:
#   if nobody_can_run; then test_expect_success ...
#   else test_skip 'non-root run' "$NOBODY_WHY"; fi
nobody_can_run() {
	NOBODY_WHY=
	if ! is_root; then
		NOBODY_WHY="needs root"
	elif ! command -v setpriv >/dev/null 2>&1; then
		NOBODY_WHY="needs setpriv (util-linux)"
	elif ! setpriv --reuid=65534 --regid=65534 --clear-groups \
		test -x "$BIN/${1:-pstate}" 2>/dev/null; then
		NOBODY_WHY="uid 65534 cannot run $BIN/${1:-pstate} (a checkout it cannot reach?)"
	fi
	[ -z "$NOBODY_WHY" ]
}

# nobody_tree CASE: a copy of the fixture CASE in $TRASH/tree that uid
# 65534 can read (the scratch directory lets it pass), for a saved tree
# read as non-root; chmod 000 a file in it to make it another user's.
nobody_tree() {
	rm -rf "$TRASH/tree" && mkdir "$TRASH/tree" &&
		cp -R "$FIXTURES/$1/." "$TRASH/tree/" &&
		chmod -R go+rX "$TRASH/tree" && chmod 711 "$TRASH"
}

# start_scenario NAME HELPER ARGS...: start a helper from $HELPERS in the
# background, wait for its "ready" line, and record its output in
# $TRASH/NAME.out and its process group for cleanup. Sets $SCENARIO_PID to
# the helper's PID (its process group).
start_scenario() {
	_as=''
	run_scenario "$@"
}

# nobody_scenario NAME HELPER ARGS...: the same, run as nobody (root and
# setpriv: see nobody_can_run).
nobody_scenario() {
	_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	run_scenario "$@"
}

run_scenario() {
	_name=$1
	shift
	_helper=$1
	shift
	_out="$TRASH/$_name.out"
	: >"$_out"
	# shellcheck disable=SC2086 # _as: a command and its words, or none
	$_as "$HELPERS/$_helper" "$@" >"$_out" 2>"$TRASH/$_name.err" &
	SCENARIO_PID=$!
	kill_at_exit "$SCENARIO_PID"
	_i=0
	while ! grep -q '^ready$' "$_out" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 200 ] || ! kill -0 "$SCENARIO_PID" 2>/dev/null; then
			echo "scenario $_name did not become ready" >&2
			cat "$TRASH/$_name.err" >&2
			return 1
		fi
		sleep 0.05
	done
	return 0
}

# scenario_pid NAME KEY: the first PID the helper printed under KEY.
scenario_pid() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$TRASH/$1.out"
}

# scenario_pids NAME KEY: every PID printed under KEY, comma separated.
scenario_pids() {
	awk -v k="$2" '$1 == k { printf "%s%s", sep, $2; sep = "," } END { print "" }' \
		"$TRASH/$1.out"
}

# stop_scenario PGID: kill a scenario's process group now, and only now:
# once the number is free it may be reused.
stop_scenario() {
	kill -KILL "-$1" 2>/dev/null
	forget_pid "$1"
	return 0
}

# wait_state PID LETTERS [TRIES]: wait until /proc/PID/stat shows one of the
# state letters.
wait_state() {
	_i=0
	while [ $_i -lt "${3:-100}" ]; do
		# One line: a name can hold newlines.
		_s=$(tr '\n' ' ' <"/proc/$1/stat" 2>/dev/null | sed 's/.*) \(.\).*/\1/')
		case "$2" in *"$_s"*) [ -n "$_s" ] && return 0 ;; esac
		_i=$((_i + 1))
		sleep 0.05
	done
	echo "pid $1 never reached state $2 (now '$_s')" >&2
	return 1
}

# wait_line FILE LINE: wait up to 5 s for a helper to print LINE.
wait_line() {
	_i=0
	while ! grep -qx "$2" "$1"; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || return 1
		sleep 0.05
	done
}

# cgroup_mount CONTROLLER: where that v1 controller's hierarchy is mounted,
# or, for an empty CONTROLLER, the v2 hierarchy; nothing if absent.
cgroup_mount() {
	awk -v c="$1" '{
		for (i = 7; i <= NF && $i != "-"; i++) ;
		fs = $(i + 1); opts = "," $(i + 3) ","
		if (c == "" && fs == "cgroup2") { print $5; exit }
		if (c != "" && fs == "cgroup" && index(opts, "," c ",")) { print $5; exit }
	}' /proc/self/mountinfo
}

# v2_has CONTROLLER: a cgroup made at the top of the v2 hierarchy has that
# controller's files: the top enables it for its children (its
# cgroup.subtree_control), not only has it (cgroup.controllers). Tests do
# not enable it themselves: that would change the machine for everyone.
v2_has() {
	m=$(cgroup_mount "")
	[ -n "$m" ] && grep -qw "$1" "$m/cgroup.subtree_control" 2>/dev/null
}

# make_cgroup DIR: create a cgroup of the test's own, removed at exit (after
# its processes were killed).
SCENARIO_CGROUPS=
make_cgroup() {
	mkdir "$1" || return 1
	SCENARIO_CGROUPS="$1 $SCENARIO_CGROUPS"
}

# freezer_cgroup NAME: make the cgroup NAME of the test's own in the v1
# freezer hierarchy, else in v2 (cgroup.freeze, Linux 5.2 and later), and
# set FREEZER_CG to its path and FREEZER_V2 to 1 for v2. Says why not (on
# stdout) and fails.
freezer_cgroup() {
	FREEZER_CG='' FREEZER_V2=''
	if _m=$(cgroup_mount freezer) && [ -n "$_m" ]; then
		:
	elif _m=$(cgroup_mount "") && [ -n "$_m" ]; then
		FREEZER_V2=1
	else
		echo "no freezer controller"
		return 1
	fi
	make_cgroup "$_m/$1" 2>/dev/null || { echo "cannot create $_m/$1"; return 1; }
	if [ -n "$FREEZER_V2" ] && ! [ -f "$_m/$1/cgroup.freeze" ]; then
		echo "no cgroup.freeze in cgroup v2 (Linux 5.2 and later)"
		return 1
	fi
	# shellcheck disable=SC2034 # the tests' own
	FREEZER_CG=$_m/$1
}

# freeze_cgroup DIR: freeze the cgroup DIR, v1 or v2.
freeze_cgroup() {
	if [ -f "$1/freezer.state" ]; then
		echo FROZEN >"$1/freezer.state"
	else
		echo 1 >"$1/cgroup.freeze"
	fi
}

cleanup_cgroups() {
	for c in $SCENARIO_CGROUPS; do
		[ -f "$c/freezer.state" ] && echo THAWED >"$c/freezer.state" 2>/dev/null
		[ -f "$c/cgroup.freeze" ] && echo 0 >"$c/cgroup.freeze" 2>/dev/null
		while read -r p; do
			kill -KILL "$p" 2>/dev/null
		done 2>/dev/null <"$c/cgroup.procs"
		_i=0
		# A killed task finishes the I/O it is in first: give a throttled
		# one time to leave.
		while ! rmdir "$c" 2>/dev/null && [ $_i -lt 150 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
	done
}
