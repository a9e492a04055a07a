#!/bin/sh
# memtop on memory of known size and shape: anonymous, shared between four
# processes, a mapped file, a steady leak; the -N shortcut; --system; a
# memory cgroup of the test's own; a non-root run.
. "$(dirname "$0")/lib.sh"

MIB=1048576
# The tests that rank look only at the test's own processes (-p): another
# run of this test on the machine has a hog and a grower of its own.
# within VALUE WANT PCT: VALUE is within PCT percent of WANT.
within() {
	awk -v v="$1" -v w="$2" -v p="$3" 'BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }' ||
	{ echo "$1 is not within $3% of $2"; return 1; }
}

start_scenario anon memhog anon 200 || exit 1
AP=$(scenario_pid anon pid)
start_scenario shared memhog shared 64 4 || exit 1
SP=$(scenario_pid shared pid)
SC=$(scenario_pids shared child)
dd if=/dev/urandom of="$TRASH/mapped" bs=1M count=32 status=none
start_scenario file memhog file "$TRASH/mapped" || exit 1
FP=$(scenario_pid file pid)
start_scenario grow memhog grow 5 || exit 1
GP=$(scenario_pid grow pid)
export AP SP SC FP GP MIB

test_expect_success '200 MiB of anonymous memory: RSS and ANON within 3%' '
	"$BIN/memtop" -p "$AP" -r -n -o rss,anon >out &&
	read -r rss anon <out &&
	within "$rss" $((200 * MIB)) 3 && within "$anon" $((200 * MIB)) 3
'

test_expect_success 'it tops the list by PSS (only bigger processes, if any, above it)' '
	"$BIN/memtop" -N 10 -r -n -o pid,pss >out 2>/dev/null &&
	grep -q "^$AP " out &&
	awk -v p="$AP" "\$1 == p { exit } \$2 < $((190 * MIB)) { exit 1 }" out &&
	sort -k2,2nr out | cmp -s - out
'

test_expect_success '64 MiB shared by 4: PSS 16 MiB each, RSS 64 MiB, USS small' '
	"$BIN/memtop" -p "$SP,$SC" -r -n -o pid,rss,pss,uss >out &&
	test "$(wc -l <out)" -eq 4 &&
	while read -r pid rss pss uss; do
		within "$pss" $((16 * MIB)) 5 || exit 1
		within "$rss" $((64 * MIB)) 5 || exit 1
		test "$uss" -lt $((4 * MIB)) || { echo "uss $uss of $pid"; exit 1; }
	done <out
'

# The split of PSS is in smaps_rollup since Linux 5.8.
if grep -q "^Pss_Anon:" /proc/self/smaps_rollup 2>/dev/null; then
	test_expect_success 'PSS split: anonymous, file and shared memory parts add up to PSS' '
		"$BIN/memtop" -p "$AP,$SP,$SC,$FP" -r -n \
			-o pid,pss,pss_anon,pss_file,pss_shmem >out &&
		test "$(wc -l <out)" -eq 6 &&
		while read -r pid pss a f s; do
			test $((a + f + s)) -eq "$pss" || { echo "$pid: $a + $f + $s != $pss"; exit 1; }
			case ,$SP,$SC, in
			*,$pid,*) within "$s" $((16 * MIB)) 5 && test "$a" -lt $((4 * MIB)) || exit 1 ;;
			esac
			if [ "$pid" = "$AP" ]; then
				within "$a" $((200 * MIB)) 3 && test "$s" -eq 0 || exit 1
			fi
			if [ "$pid" = "$FP" ]; then
				test "$f" -ge $((30 * MIB)) || exit 1
			fi
		done <out &&
		"$BIN/memtop" -g comm -p "$SP,$SC" -r -n -o comm,pss_shmem >out &&
		read -r comm s <out &&
		within "$s" $((64 * MIB)) 3 &&
		"$BIN/memtop" -p "$AP" -r -n -o pss_anon,swap,rss,comm --stats >out 2>err &&
		grep -q "smaps_rollup read for 1 of 1 processes" err
	'
fi

test_expect_success 'a mapped file: FILE and SHARED grow, ANON does not' '
	"$BIN/memtop" -p "$FP" -r -n -o file,shared,anon >out &&
	read -r file shared anon <out &&
	test "$file" -ge $((32 * MIB)) && test "$shared" -ge $((32 * MIB)) &&
	test "$anon" -lt $((4 * MIB))
'

# stat's RSS is a running count that lags what each CPU holds back (since
# Linux 6.2): a freshly started process is short by a few dozen pages
# there, so these fail if RSS came from stat instead of statm or the walk.
test_expect_success 'RSS is the exact count: statm, or the walk that gives PSS' '
	pids= && for i in 1 2 3 4 5 6; do
		sleep 60 & kill_at_exit $! && pids="$pids${pids:+,}$!"
	done &&
	sleep 0.3 &&
	page=$(getconf PAGESIZE) &&
	"$BIN/memtop" -p "$pids" -x rss -r -n -o pid,rss,anon,shared >rss &&
	"$BIN/memtop" -p "$pids" -r -n -o pid,rss,pss >walk &&
	test "$(wc -l <rss)" -eq 6 && test "$(wc -l <walk)" -eq 6 &&
	while read -r pid rss anon shared; do
		read -r _ resident _ </proc/$pid/statm &&
		test "$rss" -eq $((resident * page)) &&
		test "$rss" -eq $((anon + shared)) &&
		awk -v p="$pid" -v r="$rss" "\$1 == p { exit \$2 != r }" walk ||
		{ echo "RSS of $pid: $rss, statm $((resident * page))"; cat walk; exit 1; }
	done <rss
'

test_expect_success 'no row of a full read has PSS above RSS' '
	"$BIN/memtop" -r -n -o pid,rss,pss >out 2>/dev/null &&
	awk "\$3 != \"-\" && \$3 > \$2 { print; bad = 1 } END { exit bad }" out
'

test_expect_success 'a process growing 5 MiB/s ranks first by --growth, RATE about 5 MiB/s' '
	"$BIN/memtop" -p "$AP,$SP,$SC,$FP,$GP" -i 1 -c 4 --growth -N 1 -r -n -o pid,rate,delta \
		>out 2>/dev/null &&
	read -r pid rate delta <out &&
	test "$pid" = "$GP" &&
	within "$rate" $((5 * MIB)) 20 &&
	within "$delta" $((15 * MIB)) 20
'

test_expect_success 'kernel threads are skipped' '
	"$BIN/memtop" -r -n -o pid,comm >out 2>/dev/null &&
	! grep -q "^2 kthreadd$" out
'

start_scenario leader leader-exit || exit 1
LP=$(scenario_pid leader pid)
export LP
wait_state "$LP" Z || exit 1

test_expect_success 'an exited leader whose thread runs: measured through the thread' '
	"$BIN/memtop" -p "$LP" -r -n -o pid,rss,pss,uss,threads >out 2>err &&
	read -r pid rss pss uss threads <out &&
	test "$pid" = "$LP" && test "$threads" -eq 2 &&
	test "$rss" -gt 0 && test "$pss" -gt 0 && test "$uss" -gt 0 &&
	test "$pss" -le "$rss" && ! test -s err
'

test_expect_success '-g comm sums the four sharers: PSS adds up to 64 MiB' '
	"$BIN/memtop" -p "$SP,$SC" -g comm -r -n -o comm,count,pss >out &&
	read -r comm count pss <out &&
	test "$comm" = memhog && test "$count" -eq 4 && within "$pss" $((64 * MIB)) 5
'

MEMHOG_NAME_HEX=2d start_scenario dash memhog anon 1 || exit 1
unset MEMHOG_NAME_HEX
DASH=$(scenario_pid dash pid)
export DASH

test_expect_success '-g comm: a process named "-" is a group of its own, not an unknown key' '
	"$BIN/memtop" -p "$DASH" -g comm -J -o comm,count >out.json &&
	test_valid_json out.json &&
	grep -q "\"comm\": \"-\", \"count\": 1" out.json
'

test_expect_success '-g: --output-all shows the key and no other grouping column' '
	"$BIN/memtop" -g comm --output-all -p "$SP,$SC" >out &&
	head -n 1 out >hdr && grep -qw COMM hdr && grep -qw COUNT hdr &&
	! grep -qw USER hdr && ! grep -qw CGROUP hdr &&
	"$BIN/memtop" -g user --output-all -p "$SP,$SC" >out &&
	head -n 1 out >hdr && grep -qw USER hdr && ! grep -qw COMM hdr &&
	test_expect_code 2 "$BIN/memtop" -g user -o user,comm 2>err &&
	grep -q "column COMM is not available" err
'

test_expect_success 'prometheus without PID among the columns: still one series per process' '
	"$BIN/memtop" -p "$SP,$SC" --format prometheus -o comm,rss >p.txt &&
	perl "$TEST_DIR/promlint.pl" p.txt &&
	test "$(grep -c "^procdx_memtop_rss_bytes{comm=\"memhog\",pid=\"[0-9]*\"} " p.txt)" -eq 4
'

test_expect_success 'a column set without PSS/USS reads no smaps_rollup' '
	"$BIN/memtop" -x rss -o pid,rss,comm --stats >out 2>err &&
	grep -q "smaps_rollup read for 0 of" err
'

# Four more sharers of 24 MiB (6 MiB of PSS each): with the hogs above,
# ten processes well above the idle ones (RSS 0.6 MiB, which stat may
# show short by up to 3 batches of 32 pages a CPU), which -N 10 must then
# leave unread.
start_scenario more memhog shared 24 4 || exit 1
MP=$(scenario_pid more pid)
MC=$(scenario_pids more child)
export MP MC

test_expect_success '-N 10 reads fewer smaps_rollup than processes; the same top as a full read' '
	"$HELPERS/many-idle" 300 >idle.out &
	idle=$! && kill_at_exit "$idle" &&
	i=0 && while ! grep -q ready idle.out && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	kids=$(tr " " "," <"/proc/$idle/task/$idle/children") &&
	pids="$AP,$SP,$SC,$FP,$MP,$MC,$DASH,${kids%,}" &&
	"$BIN/memtop" -p "$pids" -N 10 --stats -r -n -o pid,pss >top 2>err &&
	"$BIN/memtop" -p "$pids" -r -n -o pid,pss >full 2>/dev/null &&
	kill -KILL "$idle" 2>/dev/null;
	sed -n "s/.*smaps_rollup read for \([0-9]*\) of \([0-9]*\) .*/\1 \2/p" err >count &&
	read -r read total <count &&
	echo "read $read of $total" &&
	test "$read" -ge 10 && test "$read" -lt 20 && test "$total" -ge 300 &&
	head -n 2 full | cut -d" " -f1 >full2 && printf "%s\n" "$AP" "$FP" >want &&
	test_cmp want full2 && head -n 2 top | cut -d" " -f1 >top2 && test_cmp want top2
'

# On a saved tree the data cannot move between two runs, so -N 10 must
# give exactly the first ten rows of a full read. Its stat and smaps_rollup
# were copied apart (the grower grew in between), so -N reads every saved
# file: a saved file costs no walk.
test_expect_success '-N 10 on a saved tree: exactly the first 10 of a full read, every file read' '
	"$HELPERS/many-idle" 40 >idle.out &
	idle=$! && kill_at_exit "$idle" &&
	i=0 && while ! grep -q ready idle.out && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done &&
	kids=$(tr " " "," <"/proc/$idle/task/$idle/children") &&
	"$TOP/scripts/capture" -p "$AP,$GP,$FP,$SP,$SC,$MP,$MC,$DASH,$idle,$kids" cap >cap.out 2>&1;
	kill -KILL "$idle" 2>/dev/null;
	echo "captured: $(ls cap/proc | grep -c "^[0-9]")" &&
	"$BIN/memtop" --proc cap/proc -N 10 --stats -r -n -o pid,pss,rss >top 2>err &&
	"$BIN/memtop" --proc cap/proc -r -n -o pid,pss,rss >full &&
	{
		test "$(wc -l <full)" -ge 50 &&
		head -n 10 full >full10 && test_cmp full10 top &&
		sed -n "s/.*smaps_rollup read for \([0-9]*\) of \([0-9]*\) .*/\1 \2/p" err >count &&
		read -r read total <count &&
		echo "read $read of $total" &&
		test "$read" -eq "$total" && test "$total" -ge 50
	} || {
		echo "capture said:" && cat cap.out && echo "-N 10 said:" && cat err &&
		echo "full read:" && head -n 20 full && false
	}
'

# Two processes of equal PSS: the full read puts the larger RSS first (the
# tiebreak), and -N 1 must pick that one too, whichever PID is lower.
test_expect_success '-N on a tie in PSS: the same row as a full read (larger RSS first)' '
	"$TOP/scripts/capture" -p "$AP,$FP" tie >cap.out 2>&1;
	if [ "$AP" -lt "$FP" ]; then lo=$AP hi=$FP; else lo=$FP hi=$AP; fi &&
	for p in $lo $hi; do
		kb=50000 && [ $p = $hi ] && kb=60000
		sed "s/^Pss: .*/Pss: 1000 kB/; s/^Rss: .*/Rss: $kb kB/" \
			"tie/proc/$p/smaps_rollup" >r && mv r "tie/proc/$p/smaps_rollup" || return 1
	done &&
	"$BIN/memtop" --proc tie/proc -p "$AP,$FP" -r -n -o pid,pss,rss >full &&
	echo "$hi 1024000 61440000" >want && head -n 1 full >full1 && test_cmp want full1 &&
	"$BIN/memtop" --proc tie/proc -p "$AP,$FP" -N 1 -r -n -o pid,pss,rss >top &&
	test_cmp want top
'

# A saved tree never changes: samples of it would show a leak as DELTA 0B,
# our own sleep as the interval.
test_expect_success 'sampling a saved tree is a usage error; one read of it is not' '
	"$TOP/scripts/capture" -p "$GP" grow-cap >cap.out 2>&1;
	"$BIN/memtop" --proc grow-cap/proc -p "$GP" -r -n -o pid >out &&
	echo "$GP" >expect && test_cmp expect out &&
	for s in "-i 0.2 -c 2" "-c 2" "--growth -i 0.1"; do
		# shellcheck disable=SC2086 # the options, split
		test_expect_code 2 "$BIN/memtop" --proc grow-cap/proc -p "$GP" $s >out 2>err &&
		test_cmp /dev/null out &&
		grep -qx "memtop: a saved tree has no interval: -i and -c need the live /proc" err ||
		return 1
	done
'

# fake PID STAT_PAGES RSS_KB PSS_KB: a copy of the hog's saved entry as
# process PID in grew/proc, whose stat says STAT_PAGES resident and whose
# smaps_rollup says RSS_KB and PSS_KB.
fake() {
	mkdir -p "grew/proc/$1" && cp -r "cap/proc/$AP/." "grew/proc/$1/" &&
	rm -rf "grew/proc/$1/task" &&
	sed "s/^$AP (/$1 (/" "cap/proc/$AP/stat" |
		awk -v r="$2" "{ i = index(\$0, \") \"); n = split(substr(\$0, i + 2), f, \" \");
			f[22] = r; s = substr(\$0, 1, i + 1); for (k = 1; k <= n; k++) s = s f[k] (k < n ? \" \" : \"\");
			print s }" >"grew/proc/$1/stat" &&
	sed -e "s/^Rss: .*/Rss:  $3 kB/" -e "s/^Pss: .*/Pss:  $4 kB/" \
		"cap/proc/$AP/smaps_rollup" >"grew/proc/$1/smaps_rollup"
}

# capture copies a process's stat well before its smaps_rollup: one that
# grew in between has a saved stat RSS (25 pages here) far below its saved
# PSS. On a live /proc that could not be; on a saved tree -N must still
# find it, as a full read does.
test_expect_success '-N on a saved tree: a process that grew between its copies is still found' '
	fake 1001 25 409600 409600 && fake 1002 50000 200000 190000 &&
	fake 1003 40000 160000 150000 &&
	"$BIN/memtop" --proc grew/proc -r -n -o pid,pss >full &&
	"$BIN/memtop" --proc grew/proc -N 1 --stats -r -n -o pid,pss >top 2>err &&
	echo "1001 $((409600 * 1024))" >want && head -n 1 full >full1 &&
	test_cmp want full1 && test_cmp want top &&
	grep -q "smaps_rollup read for 3 of 3 " err
'

test_expect_success 'a saved tree whose smaps_rollup is empty: the row stays, PSS unknown, said why' '
	mkdir -p "tree/$AP" && cp "/proc/$AP/stat" "tree/$AP/stat" && : >"tree/$AP/smaps_rollup" &&
	"$BIN/memtop" --proc tree -r -n -o pid,rss,pss >out 2>err &&
	read -r pid rss pss <out && test "$pid" = "$AP" && test "$rss" -gt 0 && test "$pss" = - &&
	grep -q "PSS unknown for 1 of 1 processes: no smaps_rollup" err
'

# A process that let go of its memory on its way out (exit_mm done, not
# yet a zombie: a PID namespace's init waiting for its children can stay
# so) has nothing to show: no row, with or without PSS.
test_expect_success 'a saved process exiting with its memory gone has no row' '
	mkdir -p gone/proc/7001 && cp -r "cap/proc/$AP/." gone/proc/7001/ && rm -rf gone/proc/7001/task &&
	sed "s/^$AP (/7001 (/" "cap/proc/$AP/stat" |
		awk "{ i = index(\$0, \") \"); n = split(substr(\$0, i + 2), f, \" \");
			f[7] = 4194564; f[21] = 0; f[22] = 0; s = substr(\$0, 1, i + 1);
			for (k = 1; k <= n; k++) s = s f[k] (k < n ? \" \" : \"\");
			print s }" >gone/proc/7001/stat &&
	echo "0 0 0 0 0 0 0" >gone/proc/7001/statm && : >gone/proc/7001/smaps_rollup &&
	mkdir -p gone/proc/7002 && cp -r "cap/proc/$AP/." gone/proc/7002/ && rm -rf gone/proc/7002/task &&
	sed "s/^$AP (/7002 (/" "cap/proc/$AP/stat" >gone/proc/7002/stat &&
	"$BIN/memtop" --proc gone/proc -r -n -o pid,vsz,rss >out &&
	awk "{ print \$1 }" out >pids && echo 7002 >want && test_cmp want pids &&
	"$BIN/memtop" --proc gone/proc -r -n -o pid,rss,pss >out 2>err &&
	awk "{ print \$1 }" out >pids && test_cmp want pids
'

test_expect_success '--system matches /proc/meminfo' '
	"$BIN/memtop" --system -r -n -o area,total,free,shmem,available >out &&
	grep "^mem " out >mem &&
	read -r area total free shmem avail <mem &&
	test "$total" -eq $(($(awk "/^MemTotal:/ { print \$2 }" /proc/meminfo) * 1024)) &&
	within "$avail" $(($(awk "/^MemAvailable:/ { print \$2 }" /proc/meminfo) * 1024)) 5 &&
	"$BIN/memtop" --system -J >s.json && test_valid_json s.json &&
	grep -q "\"committed\": [0-9]" s.json
'

# --system is the machine: a filter there would be taken and ignored.
test_expect_success '--system with a filter is a usage error' '
	for f in "-p 1" "-u root" "-C init" "--cgroup /"; do
		# shellcheck disable=SC2086 # the option and its value, split
		test_expect_code 2 "$BIN/memtop" --system $f >out 2>err &&
		test_cmp /dev/null out &&
		grep -qx "memtop: --system goes alone" err || return 1
	done
'

if is_root && m=$(cgroup_mount memory) && [ -n "$m" ]; then
	MCG=$m/procdx-test-mem-$$
	make_cgroup "$MCG" && echo $((512 * MIB)) >"$MCG/memory.limit_in_bytes"
	export MCG
	test_expect_success 'the caller in a memory cgroup with a limit: --system shows it' '
		sh -c "echo \$\$ >\"$MCG/cgroup.procs\" && exec \"$BIN/memtop\" --system -r -n -o area,total,used" >out &&
		grep -Eq "^cgroup $((512 * MIB)) [0-9]+$" out
	'
	make_cgroup "$MCG/sub" || exit 1
elif is_root && m=$(cgroup_mount "") && [ -n "$m" ] && v2_has memory; then
	MCG=$m/procdx-test-mem-$$
	make_cgroup "$MCG" && echo $((512 * MIB)) >"$MCG/memory.max"
	export MCG
	test_expect_success 'the caller in a memory cgroup with a limit: --system shows it' '
		sh -c "echo \$\$ >\"$MCG/cgroup.procs\" && exec \"$BIN/memtop\" --system -r -n -o area,total" >out &&
		grep -q "^cgroup $((512 * MIB))$" out
	'
	# Processes may not sit in a v2 cgroup that gives controllers to its
	# children: the one above has exited.
	echo +memory >"$MCG/cgroup.subtree_control" && make_cgroup "$MCG/sub" || exit 1
else
	test_skip 'memory cgroup limit' 'needs root and a memory controller'
fi
if [ -d "${MCG:-}/sub" ]; then
	test_expect_success 'a limit set on the parent cgroup binds: --system shows it, and where' '
		sh -c "echo \$\$ >\"$MCG/sub/cgroup.procs\" && exec \"$BIN/memtop\" --system -J" >out &&
		test_valid_json out &&
		grep -q "\"area\": \"cgroup\", \"total\": $((512 * MIB))," out &&
		grep -q "^  \"cgroup\": \"/${MCG##*/}/sub\",$" out &&
		grep -q "^  \"cgroup_limit_from\": \"/${MCG##*/}\",$" out
	'
	# The parent caps its children together: 128 MiB used by a sibling
	# is room the caller does not have.
	make_cgroup "$MCG/sib" || exit 1
	test_expect_success 'a sibling under the same limit: FREE is the room left under it' '
		sh -c "echo \$\$ >\"$MCG/sib/cgroup.procs\" && exec \"$HELPERS/memhog\" anon 128" >sib.out &
		sp=$! && kill_at_exit "$sp" &&
		i=0 && while ! grep -q "^ready$" sib.out && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done &&
		sh -c "echo \$\$ >\"$MCG/sub/cgroup.procs\" && exec \"$BIN/memtop\" --system -r -n -o area,total,used,free" >out &&
		grep "^cgroup " out >row && read -r area total used free <row &&
		test "$total" -eq $((512 * MIB)) && test "$used" -ge $((128 * MIB)) &&
		test "$free" -le $((384 * MIB)) && test $((used + free)) -eq "$total"
	'
	# The kernel moves an exited task to the root cgroup, and it keeps the
	# uid it died with: the process is its live thread's.
	test_expect_success 'an exited leader: CGROUP, USER and their filters are the live thread'"'"'s' '
		sh -c "echo \$\$ >\"$MCG/sub/cgroup.procs\" && exec \"$HELPERS/leader-exit\" uid 65534" \
			>lx.out &
		lx=$! && kill_at_exit "$lx" &&
		i=0 && while ! grep -q "^ready$" lx.out && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done &&
		wait_state "$lx" Z &&
		"$BIN/memtop" -p "$lx" -r -n -o pid,user,cgroup >out &&
		echo "$lx $(getent passwd 65534 | cut -d: -f1) /${MCG##*/}/sub" >expect &&
		test_cmp expect out &&
		"$BIN/memtop" -p "$lx" -r -n -o pid,user,pss,swap,cgroup >out &&
		awk "{ print \$1, \$2, \$5 }" out >got && test_cmp expect got &&
		"$BIN/memtop" --cgroup "/${MCG##*/}/sub" -u 65534 -r -n -o pid >out &&
		echo "$lx" >expect && test_cmp expect out &&
		"$BIN/memtop" --cgroup "//${MCG##*/}/./sub/../sub/" -u 65534 -r -n -o pid >out &&
		test_cmp expect out
	'
fi

start_scenario dtask vfork-sleeper 3600 || exit 1
DP=$(scenario_pid dtask parent)
export DP
test_expect_success 'a task in D is never walked: PSS unknown, and stderr says why' '
	wait_state "$DP" D &&
	"$BIN/memtop" -p "$DP" -r -n -o pid,rss,pss >out 2>err &&
	echo "$DP" >p && awk "{ print \$1 }" out >got && test_cmp p got &&
	awk "{ exit !(\$3 == \"-\") }" out &&
	grep -q "PSS unknown for 1 of 1 processes: in D" err &&
	"$BIN/memtop" -p "$DP" -r -n -o pid,cmd >out 2>/dev/null &&
	echo "$DP [vfork-sleeper]" >expect && test_cmp expect out
'

test_expect_success 'a task in D: SWAP is still known, from status, which takes no lock' '
	for o in pid,pss,swap pid,pss,swap,rss; do
		"$BIN/memtop" -p "$DP" -r -n -o $o >out 2>/dev/null &&
		kb=$(awk "/^VmSwap:/ { print \$2 }" "/proc/$DP/status") &&
		awk -v s=$((kb * 1024)) "{ exit !(\$2 == \"-\" && \$3 == s) }" out || return 1
	done &&
	"$BIN/memtop" -N 1 -p "$DP" -r -n -o pid,pss,swap >out 2>/dev/null &&
	awk -v s=$((kb * 1024)) "{ exit !(\$2 == \"-\" && \$3 == s) }" out
'

test_expect_success '-N: a task in D is not walked either' '
	"$BIN/memtop" -N 5 --stats -p "$DP,$AP" -r -n -o pid,pss >out 2>err &&
	printf "%s\n" "$AP" "$DP" >p && awk "{ print \$1 }" out >got && test_cmp p got &&
	awk "NR == 2 { exit !(\$2 == \"-\") }" out &&
	grep -q "PSS unknown for 1 of 2 processes: in D" err &&
	grep -q "smaps_rollup read for 1 of 2 processes" err
'

# A larger process started right after a smaller one (so its PID is
# higher, unless PIDs wrapped in between): without root, their PSS
# unknown, the larger comes first (by RSS), not the lower PID.
MEMHOG_NAME_HEX=$(printf pdxsmall | od -An -tx1 | tr -d " \n") \
	start_scenario small memhog anon 8 || exit 1
LP=$(scenario_pid small pid)
MEMHOG_NAME_HEX=$(printf pdxbig | od -An -tx1 | tr -d " \n") \
	start_scenario big memhog anon 100 || exit 1
BP=$(scenario_pid big pid)
export LP BP

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'non-root: unknown PSS ranked by RSS, with and without -N' '
		printf "%s\n" "$BP" "$LP" >expect &&
		for args in "" "-N 2" "-x uss"; do
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$BIN/memtop" -p "$LP,$BP" $args -r -n -o pid >out 2>/dev/null &&
			test_cmp expect out || return 1
		done &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/memtop" -p "$LP,$BP" -N 1 -r -n -o pid >out 2>/dev/null &&
		echo "$BP" >expect && test_cmp expect out &&
		printf "%s\n" pdxbig pdxsmall >expect &&
		for args in "" "-N 2" "-x uss"; do
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$BIN/memtop" -g comm -C pdxsmall,pdxbig $args -r -n -o comm \
				>out 2>/dev/null &&
			test_cmp expect out || return 1
		done
	'
	test_expect_success 'non-root: PSS unknown for root processes, one line says how many' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/memtop" -p "$AP,$SP" -r -n -o pid,rss,pss >out 2>err &&
		awk "\$3 != \"-\" { exit 1 }" out &&
		test "$(wc -l <out)" -eq 2 &&
		grep -q "PSS unknown for 2 of 2 processes: permission denied" err
	'
	test_expect_success 'non-root: SWAP still known (status), -N counts every denied read' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/memtop" -p "$AP,$SP,$SC" -N 1 -r -n -o pid,pss,swap >out 2>err &&
		test "$(wc -l <out)" -eq 1 &&
		awk "{ exit !(\$2 == \"-\" && \$3 ~ /^[0-9]+\$/) }" out &&
		grep -q "PSS unknown for 5 of 5 processes: permission denied" err
	'
else
	test_skip 'non-root run' 'needs root and setpriv'
fi

if is_root; then
	start_scenario worker sleeper uid 65534 || exit 1
	WP=$(scenario_pid worker pid)
	export WP
	test_expect_success 'a worker that dropped root without exec: USER is its euid' '
		stat -c %u "/proc/$WP/environ" >owner && echo 0 >expect && test_cmp expect owner &&
		"$BIN/memtop" -p "$WP" -r -n -o pid,user >out &&
		echo "$WP $(getent passwd 65534 | cut -d: -f1)" >expect && test_cmp expect out &&
		"$BIN/oomctl" list -p "$WP" -r -n -o pid,user >out &&
		test_cmp expect out
	'
else
	test_skip 'USER of a non-dumpable worker' 'needs root to drop privileges'
fi

# Without PSS, USS or status's columns the scan reads each process's name
# from comm, with statm opened first and read last: a process that reused
# the PID in between makes that read fail, so one process's memory is never
# shown under another's name. strace holds memtop at its openat of comm
# while the PID changes hands.
test_expect_success 'the statm scan reads comm and statm only, never stat' '
	: >nm.out && { "$HELPERS/hostile-name" "$(printf "a b" | od -An -tx1 | tr -d " \n")" >nm.out & } &&
	nm=$! && kill_at_exit "$nm" &&
	i=0 && while ! grep -q ready nm.out && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -o trace -e trace=openat \
		"$BIN/memtop" -p "$nm,$AP" -x rss -r -n -o pid,user,rss,vsz,comm >out &&
	grep -q "\"$nm/comm\"" trace && grep -q "\"$nm/statm\"" trace &&
	! grep -q "\"$nm/stat\"" trace && ! grep -q "\"$nm\"" trace &&
	printf "%s root %s %s memhog\n%s root %s %s a\\x20b\n" \
		"$AP" "$(($(cut -d" " -f2 /proc/$AP/statm) * $(getconf PAGESIZE)))" \
		"$(($(cut -d" " -f1 /proc/$AP/statm) * $(getconf PAGESIZE)))" \
		"$nm" "$(($(cut -d" " -f2 /proc/$nm/statm) * $(getconf PAGESIZE)))" \
		"$(($(cut -d" " -f1 /proc/$nm/statm) * $(getconf PAGESIZE)))" >expect &&
	test_cmp expect out
'

test_expect_success 'the statm scan: a kernel thread, a zombie and an exited leader go through stat' '
	"$BIN/memtop" -x rss -r -n -o pid,rss,comm >out &&
	! grep -q "^2 " out &&
	"$BIN/memtop" -p "$LP" -x rss -r -n -o pid,rss,comm >out &&
	read -r pid rss comm <out && test "$pid" = "$LP" && test "$rss" -gt 0 &&
	test "$comm" = "$(cat /proc/$LP/comm)"
'

REUSE_WHY=
if ! is_root; then
	REUSE_WHY='needs root (clone3 set_tid)'
elif ! command -v strace >/dev/null 2>&1; then
	REUSE_WHY='needs strace, to hold memtop between statm and comm'
elif ! strace -o /dev/null -e inject=openat:delay_enter=1:when=1 true 2>/dev/null; then
	REUSE_WHY='needs strace 4.22 or later (delay injection)'
fi
if [ -n "$REUSE_WHY" ]; then
	test_skip 'the statm scan and a reused PID' "$REUSE_WHY"
else
	test_expect_success 'the statm scan: a PID reused between statm and comm shows no row' '
		start_scenario old hostile-name "$(printf pdx-old | od -An -tx1 | tr -d " \n")" &&
		OLD=$(scenario_pid old pid) &&
		rm -f held.log &&
		{ ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -o held.log -P "$OLD/comm" \
			-e trace=openat -e inject=openat:delay_enter=2000000:when=1 \
			"$BIN/memtop" -p "$OLD" -x rss -r -n -o pid,rss,comm >out 2>err & } &&
		held=$! &&
		i=0 && while ! grep -q "openat(" held.log 2>/dev/null && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i + 1)); done &&
		stop_scenario "$OLD" && { wait "$OLD" 2>/dev/null; true; } &&
		start_scenario new pid-reuse "$OLD" innocent &&
		test "$(scenario_pid new pid)" = "$OLD" &&
		! grep -q DELAYED held.log &&
		wait "$held" &&
		test_cmp /dev/null out && test_cmp /dev/null err &&
		"$BIN/memtop" -p "$OLD" -x rss -r -n -o pid,comm >out &&
		echo "$OLD innocent" >expect && test_cmp expect out
	'
fi

test_expect_success 'usage errors' '
	test_expect_code 2 "$BIN/memtop" -N 0 2>err &&
	test_expect_code 2 "$BIN/memtop" -g nope 2>err &&
	test_expect_code 2 "$BIN/memtop" --growth 2>err &&
	test_expect_code 2 "$BIN/memtop" -o delta 2>err &&
	test_expect_code 2 "$BIN/memtop" --system -N 3 2>err
'

test_done
