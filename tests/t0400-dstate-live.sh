#!/bin/sh
# dstate on real D tasks: vfork parents, block I/O under a throttled blkio
# (or io) cgroup, a frozen cgroup, many D tasks at once, hostile names, a
# non-root run, churn during scans.
. "$(dirname "$0")/lib.sh"

start_scenario vfork vfork-sleeper 3600 || exit 1
VP=$(scenario_pid vfork parent)
start_scenario hostile vfork-sleeper 3600 1b5b324a29205220312028 || exit 1
HP=$(scenario_pid hostile parent)
start_scenario threaded vfork-sleeper -t 3600 || exit 1
TP=$(scenario_pid threaded parent)
TT=$(scenario_pid threaded thread)
start_scenario idle sleeper || exit 1
IP=$(scenario_pid idle pid)
export VP HP IP TP TT
wait_state "$VP" D || exit 1
wait_state "$TT" D || exit 1
wait_state "$HP" D || exit 1

test_expect_success 'a vfork parent: D in kernel_clone, in clone, hinted harmless' '
	"$BIN/dstate" -p "$VP" -P -o pid,tid,state,wchan,syscall,family >out &&
	grep -Eqx "PID=\"$VP\" TID=\"$VP\" STATE=\"D\" WCHAN=\"kernel_clone\" SYSCALL=\"(clone|clone3|vfork)\" FAMILY=\"vfork\"" out &&
	"$BIN/dstate" -p "$VP" --summary -r -n -o tasks,wchan,hint >out &&
	echo "1 kernel_clone vfork\\x20parent:\\x20harmless\\x20while\\x20the\\x20child\\x20runs" >expect &&
	test_cmp expect out
'

test_expect_success 'the stack is read as root; the command line is not' '
	"$BIN/dstate" -p "$VP" -r -n -o stack,cmd >out &&
	grep -q "^kernel_clone" out &&
	grep -q " vfork-sleeper$" out &&
	"$BIN/dstate" -p "$VP" --cmdline -r -n -o cmd >out &&
	grep -q "vfork-sleeper\\\\x203600$" out
'

test_expect_success 'sampling: SAMPLES counts, STUCK grows while it does not run' '
	"$BIN/dstate" -p "$VP" -i 0.3 -c 4 -r -n -o samples,stuck >out &&
	read -r samples stuck <out &&
	test "$samples" -eq 4 &&
	awk -v s="$stuck" "BEGIN { exit !(s >= 0.8 && s < 5) }" &&
	"$BIN/dstate" -p "$VP" -i 0.3 -c 3 --min-stuck 0.5 -r -n -o pid >out &&
	echo "$VP" >expect && test_cmp expect out &&
	test_expect_code 1 "$BIN/dstate" -p "$VP" -i 0.2 -c 2 --min-stuck 60 -q
'

# A saved tree never changes: samples of it would differ by our own sleep
# alone, and STUCK would be that sleep, read from nothing.
test_expect_success 'sampling a saved tree is a usage error; one read of it is not' '
	"$TOP/scripts/capture" -p "$VP" cap >cap.out 2>&1;
	"$BIN/dstate" --proc cap/proc --sys cap/sys -p "$VP" -r -n -o pid,state >out &&
	echo "$VP D" >expect && test_cmp expect out &&
	for s in "-i 1 -c 4 --min-stuck 2" "-c 2" "-i 0.1"; do
		# shellcheck disable=SC2086 # the options, split
		test_expect_code 2 "$BIN/dstate" --proc cap/proc --sys cap/sys -p "$VP" $s \
			>out 2>err &&
		test_cmp /dev/null out &&
		grep -qx "dstate: a saved tree has no interval: -i and -c need the live /proc" err ||
		return 1
	done
'

test_expect_success 'exit 1 when nothing is in D' '
	test_expect_code 1 "$BIN/dstate" -p "$IP" >out &&
	test_expect_code 0 "$BIN/dstate" -q -p "$VP" >out && test_cmp /dev/null out
'

test_expect_success 'a D thread that is not its leader: found, with its own TID' '
	"$BIN/dstate" -p "$TP" -r -n -o pid,tid,state,wchan,family >out &&
	echo "$TP $TT D kernel_clone vfork" >expect &&
	test_cmp expect out &&
	"$BIN/dstate" -p "$TP" --summary -r -n -o tasks,wchan >out &&
	echo "1 kernel_clone" >expect &&
	test_cmp expect out
'

test_expect_success 'a D task with a hostile name: escaped in every format' '
	for fmt in "" -r -P -J "--format prometheus" --summary; do
		"$BIN/dstate" -p "$HP" $fmt >out 2>err || exit 1
		test_no_control out || exit 1
		test_cmp /dev/null err || exit 1
	done &&
	"$BIN/dstate" -p "$HP" -J >out.json && test_valid_json out.json &&
	"$BIN/dstate" -p "$HP" -r -n -o comm >out &&
	echo "\\x1b[2J)\\x20R\\x201\\x20(" >expect && test_cmp expect out
'

test_expect_success 'prometheus gives counts per wait channel' '
	"$BIN/dstate" -p "$VP,$HP" --format prometheus >out &&
	grep -q "^# TYPE procdx_dstate_tasks gauge$" out &&
	grep -q "^procdx_dstate_tasks{wchan=\"kernel_clone\",.*} 2$" out
'

MANY=
i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	start_scenario "many$i" vfork-sleeper 3600 || exit 1
	MANY="$MANY${MANY:+,}$(scenario_pid "many$i" parent)"
done
export MANY

test_expect_success 'fifty vfork parents at once: the summary counts them' '
	i=0 && while [ $i -lt 40 ]; do
		"$BIN/dstate" -p "$MANY" --summary -r -n -o tasks,wchan >out
		[ "$(cat out)" = "50 kernel_clone" ] && break
		sleep 0.1; i=$((i + 1))
	done &&
	echo "50 kernel_clone" >expect && test_cmp expect out &&
	"$BIN/dstate" -p "$MANY" -r -n -o pid >out && test "$(wc -l <out)" -eq 50
'

# Block I/O: O_DIRECT reads of a file on a real disk, throttled to 512 KiB/s
# by a blkio cgroup (v1) or io.max (v2) of the test's own.
setup_blockio() {
	dd if=/dev/zero of="$TRASH/data" bs=1M count=8 status=none || return 1
	devno=$(stat -c '%Hd:%Ld' "$TRASH/data") || return 1
	case "$devno" in 0:*) echo "not on a block device"; return 1 ;; esac
	if [ -e "/sys/dev/block/$devno/partition" ]; then
		devno=$(cat "/sys/dev/block/$devno/../dev")
	fi
	if m=$(cgroup_mount blkio) && [ -n "$m" ]; then
		BIO_CG=$m/procdx-test-$$
		make_cgroup "$BIO_CG" &&
			echo "$devno 524288" >"$BIO_CG/blkio.throttle.read_bps_device"
	elif v2_has io; then
		m=$(cgroup_mount "")
		BIO_CG=$m/procdx-test-$$
		make_cgroup "$BIO_CG" && echo "$devno rbps=524288" >"$BIO_CG/io.max"
	else
		echo "no blkio or io controller"
		return 1
	fi
}

if ! is_root; then
	test_skip 'block I/O waits' 'needs root (cgroups)'
elif ! setup_blockio >"$TRASH/why" 2>&1; then
	test_skip 'block I/O waits' "$(cat "$TRASH/why")"
else
	start_scenario reader direct-reader "$TRASH/data" "$BIO_CG/cgroup.procs" || exit 1
	RP=$(scenario_pid reader pid)
	export RP
	test_expect_success 'O_DIRECT reads under a throttled cgroup: D on block I/O, FILE named' '
		i=0 && while [ $i -lt 50 ]; do
			"$BIN/dstate" -p "$RP" -r -n -o pid,syscall,file,family >out
			[ -s out ] && break
			sleep 0.1; i=$((i + 1))
		done &&
		echo "$RP pread64 $TRASH/data block-io" >expect && test_cmp expect out
	'
	test_expect_success 'the summary hints block I/O with the mount; procs_blocked agrees' '
		"$BIN/dstate" -p "$RP" -i 0.2 -c 3 --summary -P -o family,mount,hint >out &&
		grep -q "FAMILY=\"block-io\" MOUNT=\"$(stat -c %m "$TRASH/data")\" HINT=\"block I/O" out &&
		i=0 && while [ $i -lt 50 ]; do
			b=$(awk "/^procs_blocked/ { print \$2 }" /proc/stat)
			[ "$b" -gt 0 ] && break
			sleep 0.05; i=$((i + 1))
		done &&
		test "$b" -gt 0
	'
fi

# Lock waits: a thread of lock-waiter takes a kernel lock and then faults
# in a userfaultfd region that nobody serves; another thread sleeps in D
# for the lock. The kernel leaves the lock functions (mutex_lock,
# down_write...) out of wchan and stack, so the caller that took the lock
# is what says "lock". The holder sleeps in S and is not listed.
# lock_case NAME HINT MODE [PATH]: the test for one kind of lock; without
# userfaultfd, a skip with the reason in UFFD_WHY.
UFFD_WHY=
lock_case() {
	_n=$1 LH=$2
	shift 2
	if start_scenario "$_n" lock-waiter "$@" 2>"$TRASH/$_n.why"; then
		LP=$(scenario_pid "$_n" pid)
		LW=$(scenario_pid "$_n" waiter)
		export LP LW LH
		test_expect_success "a thread in D on the $LH: family lock" '
			"$BIN/dstate" -p "$LP" -r -n -o tid,family >out &&
			echo "$LW lock" >expect && test_cmp expect out &&
			"$BIN/dstate" -p "$LP" -P -o family,hint >out &&
			grep -q "^FAMILY=\"lock\" HINT=\"$LH: " out &&
			"$BIN/dstate" -p "$LP" --summary -r -n -o tasks,family >out &&
			echo "1 lock" >expect && test_cmp expect out
		'
		stop_scenario "$LP"
	elif grep -q "^userfaultfd unavailable" "$TRASH/$_n.err"; then
		UFFD_WHY=$(cat "$TRASH/$_n.err")
		test_skip "a thread in D on the $LH" "$UFFD_WHY"
	else
		cat "$TRASH/$_n.why" >&2
		exit 1
	fi
}

lock_case lockpipe "pipe lock" pipe
lock_case lockfile "inode lock" file "$TRASH/locked-file"
lock_case lockfpos "file position lock" fpos "$TRASH/shared-pos"
mkdir "$TRASH/locked-dir" || exit 1
lock_case lockdir "directory lock" dir "$TRASH/locked-dir"

if [ -n "$UFFD_WHY" ]; then
	test_skip 'loadwhy D_LOCK' "$UFFD_WHY"
else
	start_scenario lockload lock-waiter pipe || exit 1
	LP=$(scenario_pid lockload pid)
	export LP
	test_expect_success 'loadwhy counts the lock wait in D_LOCK' '
		"$BIN/loadwhy" -a -i 0.1 -P -o d_lock >out &&
		sed -n "s/^METRIC=\"d_lock\" VALUE=\"\([0-9]*\)\"$/\1/p" out >n && read -r n <n &&
		test "$n" -ge 1
	'
	stop_scenario "$LP"
fi

# setup_freezer: the sleeper FP and a sleep(1) NP in a cgroup of the
# test's own, frozen by the v1 freezer or by v2's cgroup.freeze (FZ_V2=1);
# says why not. FP waits in pause(), so the freezer parks it in its own
# wait; NP, in nanosleep, is frozen where it sleeps (Linux 6.1 on).
setup_freezer() {
	freezer_cgroup "procdx-test-fz-$$" || return 1
	FZ_CG=$FREEZER_CG FZ_V2=$FREEZER_V2
	echo "$FP" >"$FZ_CG/cgroup.procs" && echo "$NP" >"$FZ_CG/cgroup.procs" &&
		freeze_cgroup "$FZ_CG"
}

if ! is_root; then
	test_skip 'frozen tasks' 'needs root (cgroups)'
else
	start_scenario frozen sleeper || exit 1
	FP=$(scenario_pid frozen pid)
	sleep 600 &
	NP=$!
	kill_at_exit "$NP"
	export FP NP
	if ! setup_freezer >"$TRASH/why" 2>&1; then
		test_skip 'frozen tasks' "$(cat "$TRASH/why")"
	elif [ -z "$FZ_V2" ]; then
		test_expect_success 'a frozen task is hinted as frozen, not stuck' '
			wait_state "$FP" D &&
			"$BIN/dstate" -p "$FP" -r -n -o wchan,family >out &&
			echo "__refrigerator freezer" >expect && test_cmp expect out &&
			"$BIN/pstate" -p "$FP" -P -o state,count >out &&
			grep -q " FROZEN=\"1\"" out && grep -q " LOAD_NOW=\"0\"" out
		'
		# Its wait channel is nanosleep's; only its cgroup tells.
		test_expect_success 'a task frozen where it slept is frozen too, not stuck' '
			wait_state "$NP" D &&
			"$BIN/dstate" -p "$NP" -r -n -o family >out &&
			echo freezer >expect && test_cmp expect out &&
			"$BIN/pstate" -p "$FP,$NP" -P -o state,count >out &&
			grep -q " FROZEN=\"2\"" out && grep -q " LOAD_NOW=\"0\"" out &&
			"$BIN/loadwhy" -a -i 0.1 -P -o d_freezer >out &&
			sed -n "s/^METRIC=\"d_freezer\" VALUE=\"\([0-9]*\)\"$/\1/p" out >n && read -r n <n &&
			test "$n" -ge 2
		'
		# Parked at a safe point, or frozen in a sleep that holds no
		# lock (nanosleep), it holds no mm lock: its smaps files are
		# read as any other process's.
		test_expect_success 'a frozen task is not treated as stuck: memtop walks it, vmmap maps it' '
			for p in "$FP" "$NP"; do
				"$BIN/memtop" -p "$p" -r -n -o pid,pss,cmd >out 2>err &&
				! grep -q "in D" err && read -r pid pss cmd <out &&
				test "$pss" != "-" && test "$pss" -gt 0 && test "${cmd#[}" = "$cmd" &&
				"$BIN/vmmap" -s "$p" >out 2>err && grep -q "^stack" out &&
				"$BIN/pstate" -p "$p" -r -n -s D -o pid,cmd >out &&
				read -r pid cmd <out && test "${cmd#[}" = "$cmd" || exit 1
			done
		'
	else
		export FZ_CG
		# cgroup.events says "frozen 1" once every task is in the
		# freezer's trap; the wait channel shows when it has slept there
		# (get_signal where do_freezer_trap is inlined, as in Linux 6.x).
		test_expect_success 'a frozen task (v2 freezer) waits in the freezer' '
			i=0 && while ! grep -qx "frozen 1" "$FZ_CG/cgroup.events" && [ $i -lt 100 ]; do
				sleep 0.05; i=$((i + 1))
			done &&
			grep -qx "frozen 1" "$FZ_CG/cgroup.events" &&
			i=0 && while [ $i -lt 20 ]; do
				"$BIN/pstate" -s S,D -p "$FP" -r -n -o wchan >w || exit 1
				grep -Eqx "do_freezer_trap|get_signal|__refrigerator" w && break
				sleep 0.05; i=$((i + 1))
			done &&
			grep -Eqx "do_freezer_trap|get_signal|__refrigerator" w
		'
	fi
fi

# A vfork parent in a frozen cgroup: the v2 freezer counts it as frozen,
# the v1 freezer cannot freeze it and stays FREEZING; either way it still
# sleeps uninterruptibly, in the load, and stays a vfork wait. Its child,
# asleep in nanosleep, is frozen where it slept (v1: though the cgroup
# never reaches FROZEN).
if ! is_root; then
	test_skip 'a vfork parent in a frozen cgroup' 'needs root (cgroups)'
else
	if ! freezer_cgroup "procdx-test-fzv-$$" >"$TRASH/why" ||
		! start_scenario fzv vfork-sleeper 600; then
		test_skip 'a vfork parent in a frozen cgroup' "$(cat "$TRASH/why")"
	else
		FVP=$(scenario_pid fzv parent)
		FVC=$(scenario_pid fzv child)
		export FVP FVC
		echo "$FVP" >"$FREEZER_CG/cgroup.procs" && echo "$FVC" >"$FREEZER_CG/cgroup.procs" &&
			freeze_cgroup "$FREEZER_CG"
		test_expect_success 'a vfork parent in a frozen cgroup: still vfork, in the load' '
			wait_state "$FVC" D &&
			"$BIN/dstate" -p "$FVP,$FVC" -r -n -o pid,family >out &&
			printf "%s vfork\n%s freezer\n" "$FVP" "$FVC" | sort >want &&
			sort out >got && test_cmp want got &&
			"$BIN/pstate" -p "$FVP,$FVC" -P -o state,count >out &&
			grep -q " FROZEN=\"1\"" out && grep -q " LOAD_NOW=\"1\"" out
		'
	fi
fi

# A frozen filesystem (fsfreeze): an ext4 image of the test's own on a loop
# device, holding the backing file of a second loop device. Frozen, it
# stops every writer: a write() to a file on it (WP), an open() to create
# one (OP), and the kernel's worker of the second loop device, which a
# direct write to that device (DP) sets to work.
FF_MNT='' FF_L1='' FF_L2=''
setup_frozen_fs() {
	for c in losetup mkfs.ext4 fsfreeze mount umount; do
		command -v "$c" >/dev/null 2>&1 || { echo "no $c"; return 1; }
	done
	truncate -s 32M "$TRASH/outer.img" && mkfs.ext4 -q -F "$TRASH/outer.img" || return 1
	FF_L1=$(losetup -f --show "$TRASH/outer.img") || { echo "no loop device"; return 1; }
	mkdir "$TRASH/outer" && mount "$FF_L1" "$TRASH/outer" || return 1
	FF_MNT=$TRASH/outer
	truncate -s 4M "$FF_MNT/inner.img" && : >"$FF_MNT/f" || return 1
	FF_L2=$(losetup -f --show "$FF_MNT/inner.img") || return 1
	{ sh -c 'exec 3>>"$1" && echo ready && while [ ! -e "$2" ]; do sleep 0.05; done &&
		echo x >&3' ff-writer "$FF_MNT/f" "$TRASH/ff-go" >"$TRASH/ff-writer.out" & } &&
		WP=$! && kill_at_exit "$WP" || return 1
	i=0 && while ! grep -q ready "$TRASH/ff-writer.out" && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	sync && fsfreeze -f "$FF_MNT" || return 1
	: >"$TRASH/ff-go"
	{ sh -c ': >"$1"' ff-opener "$FF_MNT/g" & } && OP=$! && kill_at_exit "$OP" &&
		{ dd if=/dev/zero of="$FF_L2" bs=4k count=1 oflag=direct status=none & } &&
		DP=$! && kill_at_exit "$DP"
}

# Thawed first: a task in D on the frozen filesystem dies only once it can
# go on.
teardown_frozen_fs() {
	[ -n "$FF_MNT" ] && fsfreeze -u "$FF_MNT" 2>/dev/null
	for p in $WP $OP $DP; do
		kill -KILL "$p" 2>/dev/null
	done
	# Our children: once they are zombies (a thaw that failed leaves them
	# in D), waited for, they hold nothing open.
	for p in $WP $OP $DP; do
		wait_state "$p" Z 100 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ -n "$FF_L2" ] && losetup -d "$FF_L2" 2>/dev/null
	# The second loop device lets go of its backing file a moment
	# after it is detached.
	i=0 && while [ -n "$FF_MNT" ] && ! umount "$FF_MNT" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	[ -n "$FF_L1" ] && losetup -d "$FF_L1" 2>/dev/null
	FF_MNT='' FF_L1='' FF_L2='' WP='' OP='' DP=''
}

WP='' OP='' DP=''
if ! is_root; then
	test_skip 'a frozen filesystem' 'needs root (loop devices, fsfreeze)'
else
	trap 'teardown_frozen_fs; cleanup' EXIT
	if ! setup_frozen_fs >"$TRASH/why" 2>&1; then
		test_skip 'a frozen filesystem' "cannot freeze one here: $(head -1 "$TRASH/why")"
	else
		FF_WORKER=+${FF_L2##*/}
		export WP OP DP FF_MNT FF_WORKER
		test_expect_success 'a kernel thread in D makes no system call: SYSCALL and FILE -' '
			i=0 && while [ $i -lt 100 ]; do
				"$BIN/dstate" -r -n -o pid,comm,syscall,file >all &&
				awk -v w="$FF_WORKER" "substr(\$2, length(\$2) - length(w) + 1) == w" all >out
				[ -s out ] && break
				sleep 0.05; i=$((i + 1))
			done &&
			read -r kp comm syscall file <out &&
			flags=$(awk "{ print \$9 }" "/proc/$kp/stat") &&
			test $((flags & 0x200000)) -ne 0 &&
			test "$syscall $file" = "- -" &&
			# No command line: its name in brackets, as ps shows it.
			"$BIN/dstate" -p "$kp" --cmdline -r -n -o cmd >out &&
			echo "[$comm]" >expect && test_cmp expect out
		'
		test_expect_success 'writers to a frozen filesystem: a lock wait, hinted fsfreeze' '
			wait_state "$WP" D && wait_state "$OP" D &&
			"$BIN/dstate" -p "$WP,$OP" -r -n -o pid,syscall,file,mount,family >out &&
			printf "%s write %s %s lock\n%s openat - - lock\n" \
				"$WP" "$FF_MNT/f" "$FF_MNT" "$OP" | sort >want &&
			sort out >got && test_cmp want got &&
			"$BIN/dstate" -p "$WP" -P -o hint >out &&
			grep -q "^HINT=\"per-CPU rwsem: a frozen filesystem (fsfreeze -u" out
		'
		# WP and OP wait in percpu_rwsem_wait, in two system calls, DP
		# elsewhere, on block I/O: what tells the rows apart is what
		# is shown, and nothing else.
		test_expect_success '--summary groups by the columns shown; prometheus has one sample per wait' '
			wait_state "$WP" D && wait_state "$OP" D && wait_state "$DP" D &&
			"$BIN/dstate" -p "$WP,$OP,$DP" --summary -r -n -o tasks >out &&
			echo 3 >want && test_cmp want out &&
			"$BIN/dstate" -p "$WP,$OP,$DP" --summary -r -n -o tasks,family >out &&
			printf "2 lock\n1 block-io\n" >want && test_cmp want out &&
			"$BIN/dstate" -p "$WP,$OP" --summary -r -n -o tasks,wchan,syscall -x syscall >out &&
			printf "1 percpu_rwsem_wait openat\n1 percpu_rwsem_wait write\n" >want &&
			test_cmp want out &&
			"$BIN/dstate" -p "$WP,$OP,$DP" --format prometheus -o tasks >out &&
			grep "^procdx_dstate_tasks" out >got &&
			echo "procdx_dstate_tasks 3" >want && test_cmp want got
		'
		# A saved tree keeps the fd a task in D waits on, for a process
		# of one thread too, which is read at PID/fd as in /proc.
		test_expect_success 'a saved tree: FILE and MOUNT of a process of one thread in D' '
			wait_state "$WP" D &&
			"$TOP/scripts/capture" -p "$WP" ffcap >ffcap.out 2>&1 &&
			"$BIN/dstate" -p "$WP" -r -n -o syscall,file,mount >live &&
			"$BIN/dstate" --proc ffcap/proc --sys ffcap/sys -p "$WP" -r -n -o syscall,file,mount >saved &&
			echo "write $FF_MNT/f $FF_MNT" >want && test_cmp want live && test_cmp live saved
		'
	fi
	teardown_frozen_fs
	trap cleanup EXIT
fi

if nobody_can_run dstate; then
	test_expect_success 'non-root: SYSCALL and STACK unknown, one line on stderr' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/dstate" -p "$VP" -r -n -o pid,syscall,stack >out 2>err &&
		echo "$VP - -" >expect && test_cmp expect out &&
		test "$(wc -l <err)" -eq 1 &&
		grep -q "SYSCALL, STACK unknown for up to 1 of 1 tasks in D: permission denied" err
	'
else
	test_skip 'non-root run' "$NOBODY_WHY"
fi

test_expect_success 'tasks exiting mid-scan: no error, nothing on stderr' '
	"$HELPERS/forkstorm" 3 >storm.out 2>storm.err &
	storm=$!
	kill_at_exit "$storm"
	: >err &&
	i=0 && while ! grep -qx ready storm.out && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done &&
	grep -qx ready storm.out &&
	i=0 && while [ $i -lt 20 ]; do
		"$BIN/dstate" --output-all >/dev/null 2>>err; rc=$?
		[ $rc -le 1 ] || exit 1
		"$BIN/dstate" --summary -J >s.json 2>>err; rc=$?
		[ $rc -le 1 ] || exit 1
		test_valid_json s.json || exit 1
		i=$((i + 1))
	done &&
	{ wait "$storm"; rc=$?; forget_pid "$storm"; test "$rc" -eq 0 ||
		{ echo "forkstorm exited $rc:"; cat storm.err; false; }; } &&
	{ grep -v "unknown for .* permission denied" err >other; test $? -le 1; } &&
	test_cmp /dev/null other
'

test_expect_success 'columns that need sampling or --summary are usage errors elsewhere' '
	test_expect_code 2 "$BIN/dstate" -o stuck 2>err &&
	test_expect_code 2 "$BIN/dstate" --summary -o pid 2>err &&
	test_expect_code 2 "$BIN/dstate" -o tasks 2>err &&
	test_expect_code 2 "$BIN/dstate" --min-stuck 1 2>err &&
	test_expect_code 2 "$BIN/dstate" --timeout 0 2>err
'

test_done
