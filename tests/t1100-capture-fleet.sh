#!/bin/sh
# scripts/capture: a scenario (zombies, a task in D, a memory hog) captured,
# and every read-only command gives the same answers on the capture as live.
# Two captures then stand for two hosts of a fleet, merged with --host.
. "$(dirname "$0")/lib.sh"

start_scenario zombies zombie-parent catch 2 || exit 1
ZP=$(scenario_pid zombies parent)
ZZ=$(scenario_pids zombies zombie)
start_scenario dtask vfork-sleeper 3600 || exit 1
DP=$(scenario_pid dtask parent)
start_scenario hog memhog anon 64 || exit 1
HP=$(scenario_pid hog pid)
PIDS="$ZP,$ZZ,$DP,$HP"
# Two more tasks in D, with names a line-by-line or a UTF-8 reading of stat
# gets wrong: "a) R 1 (b", a newline, "\e[2J" and the invalid byte \xff;
# and "x\xff" alone. Their cmdline and smaps* must not be read either.
start_scenario dnl vfork-sleeper 3600 6129205220312028620a1b5b324aff || exit 1
DN=$(scenario_pid dnl parent)
start_scenario dff vfork-sleeper 3600 78ff || exit 1
DX=$(scenario_pid dff parent)
# A process with three threads, for their io.
start_scenario idle sleeper threads 2 || exit 1
IP=$(scenario_pid idle pid)
export ZP ZZ DP HP PIDS DN DX IP
for p in "$DP" "$DN" "$DX"; do
	wait_state "$p" D || exit 1
done

# Each command twice: live, and on the capture taken right after. Columns
# that move with time (ELAPSED) or with other processes are left out: PSS (a
# shared library's pages are divided among however many map it now) and USS
# (a library page mapped by this process alone is private until another,
# the capture's own shell, maps it too).
set -- \
	"pstate -p $PIDS -r" \
	"pstate -s D,Z,S -p $PIDS -r -o pid,ppid,state,comm,user,wchan,cmd" \
	"zfind -p $ZZ -r -o pid,ppid,state,comm,user,pcomm,pstate,pwchan" \
	"zfind --parents -p $ZZ -r" \
	"dstate -p $DP -r -o pid,tid,comm,state,wchan,syscall,family,hint,user,cmd" \
	"dstate --summary -p $DP -r" \
	"memtop -p $HP -r -o pid,user,rss,anon,file,shmem,shared,swap,threads,comm" \
	"oomctl list -p $HP,$DP -r -o pid,oom_score,oom_adj,rss,swap,pgtables,user,comm"
i=0
for cmd in "$@"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$BIN"/$cmd >"$TRASH/live.$i" 2>&1
done
sh "$TOP/scripts/capture" "$TRASH/cap" 2>"$TRASH/capture.err"
CAPRC=$?
export CAPRC

test_expect_success 'capture makes a /proc- and /sys-shaped tree with a manifest' '
	test "$CAPRC" -eq 0 &&
	test -f cap/MANIFEST && grep -q "^processes: [0-9]" cap/MANIFEST &&
	test -f "cap/proc/$DP/stat" && test -f cap/proc/uptime &&
	test -f cap/proc/self/mountinfo &&
	! test -e "cap/proc/$DP/cmdline" && ! test -e "cap/proc/$DP/smaps_rollup"
'

i=0
for cmd in "$@"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	test_expect_success "on the capture as live: ${cmd%% -p*}" '
		"$BIN"/'"${cmd%% *}"' --proc cap/proc --sys cap/sys '"${cmd#* }"' >cap.'"$i"' 2>&1 &&
		test_cmp "$TRASH/live.'"$i"'" cap.'"$i"'
	'
done

# The memory cgroup memtop --system shows on a tree is that of whoever ran
# capture; a tree without it says so instead of leaving the row out.
test_expect_success 'memtop --system on the capture: the memory cgroup of capture'"'"'s caller' '
	test -s cap/proc/self/cgroup &&
	if "$BIN/memtop" --system -r -n -o area | grep -qx cgroup; then
		"$BIN/memtop" --system --proc cap/proc --sys cap/sys -r -n -o area >out 2>err &&
		grep -qx cgroup out && test_cmp /dev/null err
	fi &&
	cp -r cap nocg && rm nocg/proc/self/cgroup &&
	"$BIN/memtop" --system --proc nocg/proc --sys nocg/sys -r -n -o area >out 2>err &&
	! grep -qx cgroup out &&
	grep -qx "memtop: memory cgroup unknown: the saved tree has no self/cgroup, or not that cgroup'"'"'s files" err
'

# A saved tree read without --sys took this machine's live /sys: its
# cgroups and their usage, mixed into a post-mortem of another moment (or
# of another machine). It takes the sys directory saved beside it.
test_expect_success 'a saved tree without --sys: the sys saved beside it, never the live /sys; a --sys that is not there: exit 3' '
	"$BIN/oomctl" --proc cap/proc --sys cap/sys cgroups -r -n -o usage,path >want &&
	test -s want &&
	"$BIN/oomctl" --proc cap/proc cgroups -r -n -o usage,path >got && test_cmp want got &&
	mkdir moved && cp -r cap/proc moved/proc &&
	"$BIN/oomctl" --proc moved/proc cgroups -r -n -o usage,path >got &&
	test_cmp /dev/null got &&
	PROCDX_PROC=moved/proc/ "$BIN/oomctl" cgroups -r -n -o usage,path >got &&
	test_cmp /dev/null got &&
	"$BIN/memtop" --system --proc moved/proc -r -n -o area >out 2>err &&
	! grep -qx cgroup out && grep -q "memory cgroup unknown" err &&
	test_expect_code 3 "$BIN/oomctl" --proc cap/proc --sys cap/sys-typo cgroups >out 2>err &&
	test_cmp /dev/null out &&
	grep -qx "oomctl: cannot open cap/sys-typo: No such file or directory" err &&
	test_expect_code 3 env PROCDX_SYS=cap/sys-typo "$BIN/oomctl" cgroups >out 2>err &&
	grep -qx "oomctl: cannot open cap/sys-typo: No such file or directory" err
'

# Read on another machine, a tree named its UIDs by that machine's users:
# another person, or none. capture saves the names and IDs beside it
# (etc/passwd), and the tree names UIDs, and takes -u names, by them.
test_expect_success 'a saved tree names users as the machine it was saved on; -u too' '
	grep -q "^root:x:0:" cap/etc/passwd && ! grep -v "^[^:]*:x:[0-9]*:[0-9]*:::\$" cap/etc/passwd &&
	mkdir other && cp -r cap/proc other/proc && mkdir other/etc &&
	sed "s/^root:/admin0:/" cap/etc/passwd >other/etc/passwd &&
	"$BIN/oomctl" --proc other/proc list -p "$HP" -r -n -o pid,user >out &&
	echo "$HP admin0" >want && test_cmp want out &&
	"$BIN/oomctl" --proc other/proc list -u admin0 -p "$HP" -r -n -o pid,user >out &&
	test_cmp want out &&
	test_expect_code 2 "$BIN/oomctl" --proc other/proc list -u root -r -n >out 2>err &&
	grep -qx "oomctl: unknown user: '"'"'root'"'"'" err &&
	sed -i "/^admin0:/d" other/etc/passwd &&
	"$BIN/oomctl" --proc other/proc list -u 0 -p "$HP" -r -n -o pid,user >out &&
	echo "$HP 0" >want && test_cmp want out &&
	{ echo "toor:x:0:0:::" && cat cap/etc/passwd && echo "zed:x:0:0:::"; } >other/etc/passwd &&
	"$BIN/oomctl" --proc other/proc list -p "$HP" -r -n -o pid,user >out &&
	echo "$HP toor" >want && test_cmp want out &&
	rm other/etc/passwd &&
	"$BIN/oomctl" --proc other/proc list -p "$HP" -r -n -o pid,user >out &&
	echo "$HP root" >want && test_cmp want out
'

# d_saved CAPDIR PID...: each PID, a process in D, is in the capture with
# its stat and its thread's fd links, and without cmdline or smaps*.
d_saved() {
	_cap=$1
	shift
	for _p in "$@"; do
		if ! test -f "$_cap/proc/$_p/stat" || ! test -L "$_cap/proc/$_p/task/$_p/fd/1"; then
			echo "$_cap: $_p missing, or its fd links" >&2
			return 1
		fi
		for _f in cmdline smaps smaps_rollup; do
			if test -e "$_cap/proc/$_p/$_f"; then
				echo "$_cap: $_f of $_p, in D, was read" >&2
				return 1
			fi
		done
	done
}

# The locale the operator runs capture in must not change what it reads.
for loc in C C.UTF-8; do
	test_expect_success "tasks in D with hostile names, LC_ALL=$loc: no cmdline, no smaps" '
		d_saved cap "$DP" "$DN" "$DX" &&
		LC_ALL='"$loc"' sh "$TOP/scripts/capture" -p "$DP,$DN,$DX,$HP" p.'"$loc"' 2>err &&
		d_saved p.'"$loc"' "$DP" "$DN" "$DX" &&
		test -s "p.'"$loc"'/proc/$HP/smaps" && test -f "p.'"$loc"'/proc/$HP/cmdline"
	'
done
test_expect_success 'a whole capture under LC_ALL=C.UTF-8 reads no D task'"'"'s cmdline' '
	LC_ALL=C.UTF-8 sh "$TOP/scripts/capture" full 2>err &&
	d_saved full "$DP" "$DN" "$DX" &&
	test -s "full/proc/$HP/smaps_rollup"
'

test_expect_success 'each thread'"'"'s io is saved: iowho -t on two captures' '
	sh "$TOP/scripts/capture" -p "$IP" io1 2>err &&
	sh "$TOP/scripts/capture" -p "$IP" io2 2>err &&
	for t in $(ls "/proc/$IP/task"); do
		test -f "io1/proc/$IP/task/$t/io" || exit 1
	done &&
	"$BIN/iowho" --proc io1/proc --sys io1/sys --proc-after io2/proc -a -t -p "$IP" \
		-r -n -o pid,tid,read_bytes,write_bytes >out 2>err &&
	test "$(wc -l <out)" -eq 3 && grep -q "^$IP $IP 0 0$" out &&
	test "$(awk -v p="$IP" "\$1 == p" out | wc -l)" -eq 3
'

# A thread may enter D after capture looked: the reads that take the
# memory map lock then block. A FIFO for a cmdline blocks the same way (no
# writer); the deadline must end the read and leave the files out.
if command -v timeout >/dev/null && command -v mkfifo >/dev/null; then
	test_expect_success 'a memory file that blocks past the deadline is left out' '
		mkdir -p slow/proc/4242/task/4242 slow/sys &&
		cp "$FIXTURES/basic/proc/1/stat" slow/proc/4242/stat &&
		cp slow/proc/4242/stat slow/proc/4242/task/4242/stat &&
		mkfifo slow/proc/4242/cmdline && echo "Rss: 4 kB" >slow/proc/4242/smaps_rollup &&
		PROCDX_PROC=$PWD/slow/proc PROCDX_SYS=$PWD/slow/sys PROCDX_CAPTURE_DEADLINE=1 \
			timeout 60 sh "$TOP/scripts/capture" slowcap 2>err &&
		grep -qx "capture: 4242: reading its cmdline smaps_rollup took over 1s (a thread entered D?): left out" err &&
		test -s slowcap/proc/4242/stat && test ! -e slowcap/proc/4242/cmdline &&
		test ! -e slowcap/proc/4242/smaps_rollup &&
		grep -qx "left out, past the deadline: the memory files of 1" slowcap/MANIFEST &&
		for d in soon 0 0.0 1.2.3 .5 1.; do
			test_expect_code 2 env PROCDX_CAPTURE_DEADLINE=$d \
				sh "$TOP/scripts/capture" x 2>err &&
			grep -q "not a number of seconds above 0: $d$" err || return 1
		done
	'
else
	test_skip 'a memory file that blocks past the deadline is left out' 'needs timeout and mkfifo'
fi

# The memory files are copied many processes to one cp (GNU cp --parents,
# its progress unbuffered by stdbuf), or one a cp without them. Either way
# a read that blocks leaves out its own process's files only, those of the
# processes around it in the same batch are saved, and a cmdline is cut
# at 128 KiB.
# fake_proc DIR PID...: a saved-tree-shaped process for each PID, its
# cmdline 200 KiB long.
fake_proc() {
	_dir=$1
	shift
	for _p in "$@"; do
		mkdir -p "$_dir/proc/$_p/task/$_p" "$_dir/sys" &&
		sed "s/^1 /$_p /" "$FIXTURES/basic/proc/1/stat" >"$_dir/proc/$_p/stat" &&
		cp "$_dir/proc/$_p/stat" "$_dir/proc/$_p/task/$_p/stat" &&
		echo "Rss: 4 kB" >"$_dir/proc/$_p/smaps_rollup" &&
		head -c 204800 /dev/zero >"$_dir/proc/$_p/cmdline" || return 1
	done
}
if command -v timeout >/dev/null && command -v mkfifo >/dev/null; then
	test_expect_success 'a blocked read in a batch of processes leaves out its process only' '
		fake_proc batch 4241 4242 4243 &&
		rm batch/proc/4242/cmdline && mkfifo batch/proc/4242/cmdline &&
		# A PATH without stdbuf, and one whose cp takes no --parents.
		mkdir nostdbuf noparents &&
		for f in /usr/local/bin/* /usr/bin/* /bin/*; do
			case "${f##*/}" in stdbuf) continue ;; esac
			test -e "nostdbuf/${f##*/}" || ln -s "$f" "nostdbuf/${f##*/}"
		done &&
		cp -P nostdbuf/* noparents/ 2>/dev/null; rm -f noparents/cp &&
		cp_bin=$(command -v cp) &&
		printf "#!/bin/sh\nfor a; do [ \"\$a\" = --parents ] && exit 1; done\nexec %s \"\$@\"\n" \
			"$cp_bin" >noparents/cp && chmod +x noparents/cp &&
		for mode in batch nostdbuf noparents; do
			case $mode in batch) path=$PATH ;; *) path=$PWD/$mode ;; esac &&
			PATH=$path PROCDX_PROC=$PWD/batch/proc PROCDX_SYS=$PWD/batch/sys \
				PROCDX_CAPTURE_DEADLINE=1 timeout 60 sh "$TOP/scripts/capture" b.$mode \
				2>err.$mode || return 1
			grep -qx "capture: 4242: reading its cmdline smaps_rollup took over 1s (a thread entered D?): left out" \
				err.$mode &&
			test "$(grep -c "left out" err.$mode)" -eq 1 && ! grep -q Killed err.$mode &&
			test ! -e b.$mode/proc/4242/cmdline && test ! -e b.$mode/proc/4242/smaps_rollup &&
			test -s b.$mode/proc/4242/stat || return 1
			for p in 4241 4243; do
				test "$(wc -c <b.$mode/proc/$p/cmdline)" -eq 131072 &&
				test -s b.$mode/proc/$p/smaps_rollup && test -s b.$mode/proc/$p/task/$p/stat ||
					return 1
			done
		done
	'
	# A read that only takes long in its batch (a cmdline FIFO given a
	# writer after the batch ran out) is read again alone, and kept.
	test_expect_success 'a batch that runs out on a slow read: the read is tried again alone' '
		fake_proc slowb 4251 4252 4253 &&
		rm slowb/proc/4252/cmdline && mkfifo slowb/proc/4252/cmdline &&
		{ sleep 4.5; echo again >slowb/proc/4252/cmdline; } &
		w=$! &&
		PROCDX_PROC=$PWD/slowb/proc PROCDX_SYS=$PWD/slowb/sys PROCDX_CAPTURE_DEADLINE=3 \
			timeout 60 sh "$TOP/scripts/capture" sb 2>err &&
		wait "$w" &&
		! grep -q "left out" err && echo again >expect &&
		test_cmp expect sb/proc/4252/cmdline && test -s sb/proc/4252/smaps_rollup &&
		test -s sb/proc/4253/smaps_rollup
	'
else
	test_skip 'a blocked read in a batch of processes leaves out its process only' 'needs timeout and mkfifo'
fi

# The cgroup files are copied in one batch too; a cgroup's name may hold
# spaces, quotes and backslashes (removed right after: lib's cleanup splits
# on spaces).
if is_root && m=$(cgroup_mount memory) && [ -n "$m" ]; then
	# shellcheck disable=SC2089 # the quotes are the name's own
	HC="$m/pdx cap 'q\\\"-$$"
	# shellcheck disable=SC2090
	export HC
	test_expect_success 'a memory cgroup whose name holds a space and quotes is saved' '
		mkdir "$HC" && echo 67108864 >"$HC/memory.limit_in_bytes" &&
		{ sh "$TOP/scripts/capture" -p "$HP" hc 2>err; rc=$?; rmdir "$HC"; } &&
		test "$rc" -eq 0 &&
		echo 67108864 >expect && test_cmp expect "hc/sys${HC#/sys}/memory.limit_in_bytes" &&
		test -s "hc/sys${HC#/sys}/memory.usage_in_bytes" &&
		{ ! test -e "$m/memory.memsw.usage_in_bytes" ||
			test -s "hc/sys${HC#/sys}/memory.memsw.usage_in_bytes"; }
	'
else
	test_skip 'a memory cgroup whose name holds a space and quotes is saved' \
		'needs root and a v1 memory hierarchy'
fi

test_expect_success 'writes and signals refuse the capture' '
	test_expect_code 3 "$BIN/zfind" --proc cap/proc --signal-parents 2>err &&
	test_expect_code 3 "$BIN/oomctl" --proc cap/proc set 5 "$HP" 2>err
'

test_expect_success 'a fleet of two: each host tagged with --host, merged in one file' '
	cp -r cap cap2 &&
	"$BIN/zfind" --proc cap/proc --sys cap/sys --host=web1 -p "$ZZ" -r -n -o pid,comm >fleet &&
	"$BIN/zfind" --proc cap2/proc --sys cap2/sys --host=web2 -p "$ZZ" -r -n -o pid,comm >>fleet &&
	test "$(grep -c "^web1 " fleet)" -eq 2 && test "$(grep -c "^web2 " fleet)" -eq 2 &&
	"$BIN/pstate" --proc cap/proc --sys cap/sys --host=web1 -J >a.json &&
	test_valid_json a.json && grep -q "^  \"host\": \"web1\"" a.json &&
	grep -q "{\"host\": \"web1\", \"state\": " a.json
'

# statm counts pages, of the saved machine's size: a capture of an arm64
# box with 64 KiB pages, read on x86, showed its RSS 16 times too small.
test_expect_success 'a capture is read with its own page size (MANIFEST), not the reader'"'"'s' '
	grep -qx "page size: $(getconf PAGESIZE)" cap/MANIFEST &&
	"$BIN/memtop" --proc cap/proc -p "$HP" -x rss -r -n -o rss >want &&
	cp -r cap cap4 &&
	sed -i "s/^page size: .*/page size: $(($(getconf PAGESIZE) * 16))/" cap4/MANIFEST &&
	"$BIN/memtop" --proc cap4/proc -p "$HP" -x rss -r -n -o rss >got &&
	test "$(cat got)" -eq "$(($(cat want) * 16))" &&
	sed -i "/^page size: /d" cap4/MANIFEST &&
	"$BIN/memtop" --proc cap4/proc -p "$HP" -x rss -r -n -o rss >got &&
	test_cmp want got
'

# The user database can hang (a directory server that is down, in the
# very incident): capture asks it under the deadline, and falls back to
# the local file.
test_expect_success 'a user database that hangs: capture goes on, with the local users' '
	mkdir hangbin &&
	printf "#!/bin/sh\nexec sleep 60\n" >hangbin/getent && chmod +x hangbin/getent &&
	start=$(date +%s) &&
	PATH=$PWD/hangbin:$PATH PROCDX_CAPTURE_DEADLINE=1 "$TOP/scripts/capture" -p "$$" hung >hung.out 2>&1 &&
	test $(($(date +%s) - start)) -lt 30 &&
	grep -q "^root:x:0:0:::" hung/etc/passwd
'

# --host alone names the machine read: on a capture, the one it was
# saved on (a capture is often read on another), not the reader.
test_expect_success '--host without a name on a capture: the host it was saved on' '
	test "$(cat cap/proc/sys/kernel/hostname)" = "$(uname -n)" &&
	cp -r cap cap3 && echo "db-7.example" >cap3/proc/sys/kernel/hostname &&
	"$BIN/zfind" --proc cap3/proc --host -p "$ZZ" -r -n -o pid >out &&
	test "$(grep -c "^db-7.example [0-9]" out)" -eq 2 &&
	"$BIN/zfind" --host -p "$ZZ" -r -n -o pid >out &&
	test "$(grep -c "^$(uname -n) [0-9]" out)" -eq 2 &&
	rm cap3/proc/sys/kernel/hostname &&
	"$BIN/zfind" --proc cap3/proc --host -p "$ZZ" -r -n -o pid >out &&
	test "$(grep -c "^$(uname -n) [0-9]" out)" -eq 2
'

test_done
