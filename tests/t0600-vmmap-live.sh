#!/bin/sh
# vmmap on a real process holding one mapping of every kind (tests/helpers/
# mapper): KIND by address, a path with a space and a newline, a deleted
# file, totals against smaps_rollup, --summary, --by-path and --layout,
# every format; the refusals: another user's process, a thread in D, a
# kernel thread, a zombie, a vanished PID; usage errors.
. "$(dirname "$0")/lib.sh"

mkdir "$TRASH/maps" || exit 1
start_scenario map mapper "$TRASH/maps" || exit 1
MP=$(scenario_pid map pid)
MAPS=$TRASH/maps
export MP MAPS

# kind_at ADDR: the KIND of the row of out.raw (START END KIND) that holds
# ADDR. The vsyscall page (16 digits) is past shell arithmetic and skipped.
kind_at() {
	_a=$(($1))
	while read -r _s _e _k; do
		case $_s in ????????????????) continue ;; esac
		if [ $((0x$_s)) -le $_a ] && [ $_a -lt $((0x$_e)) ]; then
			echo "$_k"
			return 0
		fi
	done <out.raw
	echo none
}

# pair KEY FILE: the value of KEY="..." in a -P line of FILE.
pair() {
	sed -n "s/.*$1=\"\\([^\"]*\\)\".*/\\1/p" "$2" | tail -1
}

# rollup_bytes KEY FILE: a counter of an smaps_rollup text, in bytes.
rollup_bytes() {
	_kb=$(awk -v k="$1:" '$1 == k { print $2 }' "$2")
	echo $((_kb * 1024))
}

test_expect_success 'each mapping the helper made has its KIND' '
	"$BIN/vmmap" -r -n -o start,end,kind "$MP" >out.raw &&
	for k in text data bss heap stack vdso shm anon file deleted; do
		want=$k
		[ $k = deleted ] && want=file
		got=$(kind_at "$(scenario_pid map $k)")
		[ "$got" = "$want" ] || { echo "$k: got $got, want $want"; exit 1; }
	done
'

test_expect_success 'the program, its libraries and the kernel'"'"'s mappings' '
	exe=$(readlink "/proc/$MP/exe") &&
	"$BIN/vmmap" -r -n -o perm,kind,path "$MP" >out &&
	grep -qx "r-xp text $exe" out &&
	grep -qx "rw-p data $exe" out &&
	grep -Eqx "r-xp lib /.*/libc\\.so\\.6" out &&
	grep -Eqx "r-xp lib /.*/ld-linux.*\\.so\\.[0-9]+" out &&
	grep -qx "rw-p heap \\[heap\\]" out &&
	grep -qx "rw-p stack \\[stack\\]" out &&
	grep -qx "rw-s shm /dev/zero\\\\x20(deleted)" out &&
	if grep -q "\\[vvar\\]$" "/proc/$MP/maps"; then
		grep -qx "r--p vvar \\[vvar\\]" out || exit 1
	fi &&
	if grep -q "\\[vsyscall\\]$" "/proc/$MP/maps"; then
		grep -Eqx "..xp vsyscall \\[vsyscall\\]" out || exit 1
	fi &&
	awk -v e="$exe" "\$3 == e && \$2 != \"text\" && \$2 != \"data\"" out >bad &&
	test_cmp /dev/null bad
'

test_expect_success 'one bss, right after the data' '
	"$BIN/vmmap" -r -n -o start,end,kind "$MP" >out &&
	test "$(grep -c " bss$" out)" -eq 1 &&
	awk "\$3 == \"data\" { e = \$2 } \$3 == \"bss\" { print (\$1 == e) }" out >got &&
	echo 1 >expect && test_cmp expect got
'

test_expect_success 'a path with a space and a newline: escaped, on one row' '
	"$BIN/vmmap" -r -n -o kind,path "$MP" >out &&
	grep -Fx "file $MAPS/map\\x20me\\x0anow" out &&
	"$BIN/vmmap" "$MP" >table &&
	test_no_control table &&
	grep -E " file +$MAPS/map me\\\\x0anow\$" table &&
	maps=$(wc -l <"/proc/$MP/maps") &&
	test "$(wc -l <table)" -eq $((maps + 8)) &&
	"$BIN/vmmap" --layout "$MP" >picture &&
	test_no_control picture &&
	grep -F "$MAPS/map me\\x0anow" picture
'

test_expect_success 'a deleted file: PATH keeps " (deleted)", DELETED is 1' '
	"$BIN/vmmap" -P -o kind,deleted,path "$MP" >out &&
	grep -Fx "KIND=\"file\" DELETED=\"1\" PATH=\"$MAPS/gone.dat (deleted)\"" out &&
	grep -Fx "KIND=\"file\" DELETED=\"0\" PATH=\"$MAPS/map me\\x0anow\"" out &&
	"$BIN/vmmap" -r -n -o path "$MP" >out &&
	grep -Fx "$MAPS/gone.dat\\x20(deleted)" out &&
	"$BIN/vmmap" --by-path -r -n -o path,count "$MP" >out &&
	grep -Fx "$MAPS/gone.dat\\x20(deleted) 1" out
'

test_expect_success 'known sizes: the shared 4 MiB, the touched bss and heap' '
	"$BIN/vmmap" -r -n -o start,end,size,rss,pss,kind "$MP" >out &&
	awk "\$6 == \"shm\" { print \$3, \$4, \$5 }" out >got &&
	echo "4194304 4194304 4194304" >expect && test_cmp expect got &&
	awk "\$6 == \"bss\" && \$4 >= 8 * 1048576 - 4096 { n++ } END { print n + 0 }" out >got &&
	echo 1 >expect && test_cmp expect got &&
	awk "\$6 == \"heap\" && \$4 >= 1048576 { n++ } END { print n + 0 }" out >got &&
	test_cmp expect got
'

test_expect_success 'totals agree with smaps_rollup (live: RSS and swap exactly)' '
	"$BIN/vmmap" -P -o size "$MP" >out &&
	cat "/proc/$MP/smaps_rollup" >rollup &&
	test "$(pair TOTAL_RSS out)" -eq "$(rollup_bytes Rss rollup)" &&
	test "$(pair TOTAL_SWAP out)" -eq "$(rollup_bytes Swap rollup)" &&
	test "$(pair TOTAL_COUNT out)" -eq "$(wc -l <"/proc/$MP/maps")"
'

# smaps and smaps_rollup read back to back by one process, into a tree
# vmmap reads with --proc: the same moment, so PSS (which moves whenever
# another process maps or unmaps a shared page) can be compared too.
capture() {
	rm -rf tree && mkdir -p "tree/$MP/task/$MP" &&
	cp "/proc/$MP/stat" "tree/$MP/stat" && cp "/proc/$MP/stat" "tree/$MP/task/$MP/stat" &&
	ln -s "$(readlink "/proc/$MP/exe")" "tree/$MP/exe" &&
	cat "/proc/$MP/smaps" "/proc/$MP/smaps_rollup" >both &&
	awk -v s="tree/$MP/smaps" "/\\[rollup\\]\$/ { r = 1 } { print > (r ? \"rollup\" : s) }" both
}

test_expect_success 'totals agree with smaps_rollup (a capture: RSS, swap, PSS)' '
	capture &&
	"$BIN/vmmap" --proc tree -P -o size "$MP" >out &&
	test "$(pair TOTAL_RSS out)" -eq "$(rollup_bytes Rss rollup)" &&
	test "$(pair TOTAL_SWAP out)" -eq "$(rollup_bytes Swap rollup)" &&
	pss=$(pair TOTAL_PSS out) && want=$(rollup_bytes Pss rollup) &&
	n=$(pair TOTAL_COUNT out) &&
	echo "pss $pss rollup $want mappings $n" &&
	test "$pss" -le "$want" && test $((want - pss)) -lt $((n * 1024)) &&
	test $((pss % 1024)) -eq 0 &&
	"$BIN/vmmap" --proc tree -r -n -o kind "$MP" >k1 &&
	"$BIN/vmmap" -r -n -o kind "$MP" >k2 &&
	test_cmp k2 k1
'

# sums FILE: the per-row sums of SIZE RSS PSS SWAP DIRTY COUNT of a -P
# output, and its totals, as two lines that must be equal.
sums() {
	awk "
	/^TOTAL_/ { t = \$0; next }
	{ for (i = 1; i <= NF; i++) { split(\$i, kv, \"=\"); gsub(/\"/, \"\", kv[2]); s[kv[1]] += kv[2] } }
	END { printf \"%d %d %d %d %d %d\\n\", s[\"SIZE\"], s[\"RSS\"], s[\"PSS\"], s[\"SWAP\"], s[\"DIRTY\"], s[\"COUNT\"]
	      n = split(t, f, \" \"); for (i = 1; i <= n; i++) { split(f[i], kv, \"=\"); gsub(/\"/, \"\", kv[2]); v[kv[1]] = kv[2] }
	      printf \"%d %d %d %d %d %d\\n\", v[\"TOTAL_SIZE\"], v[\"TOTAL_RSS\"], v[\"TOTAL_PSS\"], v[\"TOTAL_SWAP\"], v[\"TOTAL_DIRTY\"], v[\"TOTAL_COUNT\"] }
	" "$1" >sums.out &&
	sed -n 1p sums.out >sums.rows && sed -n 2p sums.out >sums.total &&
	test_cmp sums.total sums.rows
}

test_expect_success '--summary and --by-path rows add up to the totals' '
	"$BIN/vmmap" --summary -P -o kind,size,rss,pss,swap,dirty,count "$MP" >sum &&
	sums sum &&
	"$BIN/vmmap" --by-path -P -o size,rss,pss,swap,dirty,count "$MP" >byp &&
	sums byp &&
	grep -q "^KIND=\"shm\" SIZE=\"4194304\"" sum &&
	grep -q "^KIND=\"bss\" " sum && grep -q "^KIND=\"text\" " sum &&
	"$BIN/vmmap" --by-path -r -n -o path,count "$MP" >byp &&
	grep -Ex "\\[anon\\] [0-9]+" byp && grep -Fx "[heap] 1" byp &&
	exe=$(readlink "/proc/$MP/exe") &&
	grep -Fx "$exe $(grep -c " $exe\$" "/proc/$MP/maps")" byp
'

test_expect_success '--by-path: by RSS, largest first, whether RSS is shown or not' '
	"$BIN/vmmap" --by-path -r -n -o path,rss "$MP" >with &&
	"$BIN/vmmap" --by-path -r -n -o path,count "$MP" >without &&
	sort -s -k2,2nr with | cmp -s - with &&
	cut -d" " -f1 with >p1 && cut -d" " -f1 without >p2 && test_cmp p1 p2
'

test_expect_success '--layout: the kernel on top, the regions in address order' '
	"$BIN/vmmap" --layout "$MP" >pic &&
	sed -n 3p pic | grep -q "| kernel space" &&
	grep -E "^[0-9a-f]{12}  [|+]" pic | cut -c1-12 >addrs &&
	sort -r addrs >sorted && test_cmp sorted addrs &&
	test "$(sort -u addrs | wc -l)" -eq "$(wc -l <addrs)" &&
	tail -1 pic | grep -q "^000000000000  +" &&
	grep -E "^[0-9a-f]{12}  \\| " pic | awk "{ print \$3 }" | tr "\\n" " " >names &&
	grep -Eq "^stack (.* )?mmap (.* )?heap bss data text " names &&
	grep -q "| mmap area" pic &&
	grep -Eq "^ +: +\\.\\.\\. +[0-9.]+[KMGT] unmapped$" pic &&
	grep -Eq "^ +\\|   shm +4M  /dev/zero \\(deleted\\)\$" pic
'

test_expect_success '--layout -J: regions as rows, top to bottom, gaps as gaps' '
	"$BIN/vmmap" --layout -J "$MP" >lay.json &&
	test_valid_json lay.json &&
	"$BIN/vmmap" --layout -r -n "$MP" >lay &&
	head -1 lay | grep -Eq "^kernel [0-9a-f]{12} - -$" &&
	tail -1 lay | grep -Eq "^unmapped 000000000000 [0-9a-f]{12} [0-9]+$" &&
	awk "NR > 1 && \$3 != prev { bad = 1 } { prev = \$2 } END { exit bad }" lay &&
	awk "\$1 == \"heap\" || \$1 == \"bss\" || \$1 == \"text\" { print \$1 }" lay >got &&
	printf "heap\\nbss\\ntext\\n" >expect && test_cmp expect got
'

# above47 FILE: the smaps FILE with a mapping at 2^48 after the stack, as
# a process that asked for one under 5-level paging has: an address of 13
# hex digits among ones of 12 (and the vsyscall page's 16).
above47() {
	awk -v hi="1000000000000-1000000001000 rw-p 00000000 00:00 0" '
	/^[0-9a-f]+-[0-9a-f]+ / { if (stk) { print hi; printf "%s", body } stk = 0; body = "" }
	/^[0-9a-f]+-[0-9a-f]+ / && /\[stack\]$/ { stk = 1; print; next }
	stk { body = body $0 "\n" }
	{ print }
	END { if (stk) { print hi; printf "%s", body } }' "$1" >"$1.new" && mv "$1.new" "$1"
}

test_expect_success 'an address past 47 bits: -x START and END sort by value; --layout stays in line' '
	capture && above47 "tree/$MP/smaps" &&
	"$BIN/vmmap" --proc tree -r -n -o start "$MP" >order &&
	grep -qx 1000000000000 order &&
	for c in start end; do
		"$BIN/vmmap" --proc tree -r -n -o start -x $c "$MP" >got &&
		test_cmp order got &&
		"$BIN/vmmap" --proc tree -r -n -o start -x $c --reverse "$MP" >got &&
		sed -n "1!G;h;\$p" order >rev && test_cmp rev got || return 1
	done &&
	"$BIN/vmmap" --proc tree --layout "$MP" >pic &&
	grep -q "^1000000000000  | mmap area" pic &&
	sed 1d pic | awk "{ match(\$0, /[|+:]/); print RSTART }" | sort -u >bars &&
	test "$(wc -l <bars)" -eq 1
'

test_expect_success 'every format: JSON valid, raw fields, pairs, prometheus' '
	for mode in "" --summary --by-path --layout; do
		"$BIN/vmmap" $mode -J "$MP" >out.json || exit 1
		test_valid_json out.json || exit 1
		"$BIN/vmmap" $mode --output-all -r "$MP" >out.raw || exit 1
		test_no_control out.raw || exit 1
		n=$(head -1 out.raw | wc -w)
		awk -v n="$n" "NF != n { print; bad = 1 } END { exit bad }" out.raw || exit 1
		"$BIN/vmmap" $mode -P "$MP" >out.pairs || exit 1
		test_no_control out.pairs || exit 1
	done &&
	"$BIN/vmmap" --format prometheus "$MP" >prom &&
	perl "$TEST_DIR/promlint.pl" prom &&
	grep -q "^procdx_vmmap_rss_bytes{pid=\"$MP\",kind=\"shm\"} 4194304$" prom &&
	"$BIN/vmmap" --by-path --format prometheus "$MP" >prom &&
	perl "$TEST_DIR/promlint.pl" prom &&
	grep -Fq "procdx_vmmap_count{pid=\"$MP\",path=\"$MAPS/map me\\\\x0anow\"} 1" prom
'

test_expect_success 'sizes: human in the table, bytes with -b and elsewhere' '
	"$BIN/vmmap" --summary -o kind,size "$MP" >h &&
	grep -Eq "^shm +4M$" h &&
	"$BIN/vmmap" --summary -b -o kind,size "$MP" >b &&
	grep -Eq "^shm +4194304$" b &&
	grep -Eq "^total size: [0-9]+$" b
'

if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'another user'"'"'s process: a clear error, exit 3' '
		test_expect_code 3 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/vmmap" "$MP" >out 2>err &&
		echo "vmmap: cannot read /proc/$MP/smaps: Permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		test_cmp expect err && test_cmp /dev/null out
	'
else
	test_skip 'non-root run' 'needs root and setpriv'
fi

start_scenario vfork vfork-sleeper 3600 || exit 1
VP=$(scenario_pid vfork parent)
export VP
wait_state "$VP" D || exit 1

test_expect_success 'a thread in D: refused without --force, read in a child with it' '
	test_expect_code 3 "$BIN/vmmap" "$VP" >out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^vmmap: $VP (vfork-sleeper) has a thread in uninterruptible sleep (D, thread $VP)" err &&
	"$BIN/vmmap" --force --summary -r -n -o kind "$VP" >out &&
	grep -qx text out && grep -qx stack out
'

# Permission comes first: another user's process in D is not offered
# --force, which could not read it either.
if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'another user'"'"'s process with a thread in D: permission denied' '
		test_expect_code 3 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BIN/vmmap" "$VP" >out 2>err &&
		echo "vmmap: cannot read /proc/$VP/smaps: Permission denied (needs root or CAP_SYS_PTRACE)" >expect &&
		test_cmp expect err && test_cmp /dev/null out
	'
else
	test_skip 'another user'"'"'s process with a thread in D' 'needs root and setpriv'
fi

start_scenario zombie zombie-parent nowait 1 || exit 1
ZP=$(scenario_pid zombie zombie)
export ZP

test_expect_success 'a zombie, a vanished PID: exit 3 and why' '
	sh -c "exit 0" & gone=$!
	wait $gone &&
	test_expect_code 3 "$BIN/vmmap" "$ZP" >out 2>err &&
	echo "vmmap: $ZP (zombie-parent) is a zombie: its memory is already freed" >expect &&
	test_cmp expect err && test_cmp /dev/null out &&
	test_expect_code 3 "$BIN/vmmap" "$gone" 2>err &&
	echo "vmmap: no process $gone" >expect && test_cmp expect err &&
	test_expect_code 3 "$BIN/vmmap" 2147483647 2>err &&
	echo "vmmap: no process 2147483647" >expect && test_cmp expect err
'

# kthreadd is PID 2 in the initial PID namespace; inside another one no
# kernel thread is visible at all.
if sed "s/.*) //" /proc/2/stat 2>/dev/null | awk '{ exit !(int($7 / 2097152) % 2) }'; then
	test_expect_success 'a kernel thread: it has no user address space, exit 3' '
		test_expect_code 3 "$BIN/vmmap" 2 >out 2>err &&
		grep -q "^vmmap: 2 (.*) is a kernel thread: it has no user address space$" err &&
		test_cmp /dev/null out
	'
else
	test_skip 'a kernel thread' 'no kthreadd at PID 2 (another PID namespace)'
fi

start_scenario leader leader-exit || exit 1
LP=$(scenario_pid leader pid)
export LP
wait_state "$LP" Z || exit 1

test_expect_success 'an exited leader whose thread runs: its map, read through the thread' '
	"$BIN/vmmap" --summary -P -o kind "$LP" >out &&
	grep -qx "KIND=\"text\"" out && grep -qx "KIND=\"stack\"" out &&
	tid=$(scenario_pid leader tid) &&
	test "$(pair TOTAL_COUNT out)" -eq "$(wc -l <"/proc/$LP/task/$tid/maps")"
'

# A post-mortem: scripts/capture -p saves the whole smaps and the exe
# link of the processes it is given, and vmmap reads them as it reads /proc.
test_expect_success 'a tree saved by capture -p: the same mappings and kinds as live' '
	"$TOP/scripts/capture" -p "$MP" cap >cap.out 2>&1 &&
	"$BIN/vmmap" "$MP" -r -n -o start,end,perm,kind >live &&
	"$BIN/vmmap" --proc cap/proc "$MP" -r -n -o start,end,perm,kind >saved &&
	test_cmp live saved &&
	rm cap/proc/$MP/smaps &&
	test_expect_code 3 "$BIN/vmmap" --proc cap/proc "$MP" 2>err &&
	grep -q "cap/proc/$MP/smaps is not in the saved tree (scripts/capture -p $MP saves it, unless a thread was in D)" err
'

# Huge pages of hugetlbfs (MAP_HUGETLB, a database's shared memory) are not
# in RSS or PSS: HUGETLB and its total say how much is resident. Anonymous
# ones are "/anon_hugepage (deleted)" to the kernel: memory, not a file.
HP_OLD=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null)
if ! is_root || [ -z "$HP_OLD" ]; then
	test_skip 'hugetlb mappings' 'needs root and vm.nr_hugepages'
elif ! echo $((HP_OLD + 2)) >/proc/sys/vm/nr_hugepages 2>/dev/null ||
	[ "$(cat /proc/sys/vm/nr_hugepages)" -lt $((HP_OLD + 2)) ] ||
	! start_scenario huge memhog hugetlb 1; then
	test_skip 'hugetlb mappings' 'cannot reserve two huge pages here'
else
	HUGE=$(scenario_pid huge pid)
	HPB=$(($(awk "/^Hugepagesize:/ { print \$2 }" /proc/meminfo) * 1024))
	export HUGE HPB
	test_expect_success 'hugetlb memory: anon or shm, its own HUGETLB column and total' '
		"$BIN/vmmap" -r -n -o kind,hugetlb,rss,deleted,path "$HUGE" >out &&
		grep anon_hugepage out | awk "{ print \$1, \$2, \$3, \$4 }" | sort >got &&
		printf "anon %s 0 1\nshm %s 0 1\n" "$HPB" "$HPB" >want && test_cmp want got &&
		"$BIN/vmmap" -J "$HUGE" >out.json && test_valid_json out.json &&
		grep -q "\"total_hugetlb\": $((2 * HPB))," out.json &&
		"$BIN/vmmap" -s -r -n -o kind,hugetlb "$HUGE" >sum &&
		grep -qx "shm $HPB" sum
	'
	# memtop, on the same process: none of it in RSS, all in HUGETLB.
	test_expect_success 'memtop HUGETLB: the huge pages no RSS counts, summed by -g' '
		"$BIN/memtop" -p "$HUGE" -b -r -n -o hugetlb,rss >out &&
		read -r huge rss <out && test "$huge" -eq $((2 * HPB)) && test "$rss" -lt "$HPB" &&
		"$BIN/memtop" -p "$HUGE" -g comm -b -r -n -o hugetlb,count >out &&
		echo "$((2 * HPB)) 1" >expect && test_cmp expect out
	'
	stop_scenario "$HUGE"
fi
[ -n "$HP_OLD" ] && is_root && echo "$HP_OLD" >/proc/sys/vm/nr_hugepages 2>/dev/null

# A process that exits while its smaps is read: the kernel ends the text
# where the memory went, and what came before looks like a whole map.
# strace holds vmmap at its second read of smaps while the process dies
# (and stays a zombie: its parent, sleep, never reaps it).
if ! command -v strace >/dev/null 2>&1 ||
	! strace -o /dev/null -e inject=read:delay_enter=1:when=1 true 2>/dev/null; then
	test_skip 'a process that exits mid-read' 'needs strace 4.22 or later (delay injection)'
else
	test_expect_success 'a process that exits while its map is read: an error, not half a map' '
		{ sh -c "\"$HELPERS/sleeper\" >ends.out & exec sleep 600" & } && holder=$! &&
		kill_at_exit "$holder" &&
		i=0 && while ! grep -q "^ready$" ends.out 2>/dev/null && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i + 1)); done &&
		ep=$(awk "\$1 == \"pid\" { print \$2 }" ends.out) && kill_at_exit "$ep" &&
		{ ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -o held.log -P "/proc/$ep/smaps" \
			-e trace=read -e inject=read:delay_enter=2000000:when=2 \
			"$BIN/vmmap" -s "$ep" >out 2>err & } && v=$! &&
		i=0 && while [ "$(cat held.log 2>/dev/null | grep -c "^read(")" -lt 2 ] && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i + 1)); done &&
		kill -KILL "$ep" && wait_state "$ep" Z && ! grep -q DELAYED held.log &&
		{ wait "$v"; rc=$?; } && test "$rc" = 3 && test_cmp /dev/null out &&
		grep -q "^vmmap: $ep (sleeper) ended while its memory map was read$" err
	'
fi

# A program whose executable is on a filesystem that stopped answering (a
# hard NFS mount whose server is gone, a stuck FUSE daemon): vmmap tells
# its text by the file's identity, which it must take from what the kernel
# has cached. Asking the filesystem would leave vmmap in D until the server
# answers, which kill -9 does not end.
if ! is_root || [ ! -c /dev/fuse ]; then
	test_skip 'the executable on a hung filesystem' 'needs root and /dev/fuse'
elif mkdir "$TRASH/fz" && start_scenario fz hung-fuse "$TRASH/fz" "$HELPERS/sleeper"; then
	FZ=$SCENARIO_PID
	export FZ
	test_expect_success 'the executable on a filesystem that stopped answering: vmmap still ends' '
		{ "$TRASH/fz/prog" >fzp.out & } && fzp=$! && kill_at_exit "$fzp" &&
		i=0 && while ! grep -q "^ready$" fzp.out && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done &&
		"$BIN/vmmap" -s -r -n -o kind,size,count "$fzp" >before && grep -q "^text " before &&
		kill -USR1 "$FZ" && sleep 0.1 &&
		{ "$BIN/vmmap" -s -r -n -o kind,size,count "$fzp" >after 2>err & } && v=$! &&
		i=0 && while kill -0 "$v" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done &&
		if kill -0 "$v" 2>/dev/null; then
			kill -KILL "$FZ"; wait "$v"; echo "vmmap hung on the filesystem"; exit 1
		fi &&
		wait "$v" && test_cmp before after && test_cmp /dev/null err
	'
	stop_scenario "$FZ"
	umount -l "$TRASH/fz" 2>/dev/null
else
	test_skip 'the executable on a hung filesystem' 'cannot mount a FUSE filesystem here'
fi

# An exited leader's memory is its live threads': capture -p saves theirs.
test_expect_success 'a saved exited leader whose thread runs: mapped as live' '
	start_scenario lx leader-exit && lx=$(scenario_pid lx pid) && wait_state "$lx" Z &&
	"$TOP/scripts/capture" -p "$lx" lxcap >lxcap.out 2>&1 &&
	"$BIN/vmmap" "$lx" -r -n -o start,end,perm,kind >live &&
	"$BIN/vmmap" --proc lxcap/proc "$lx" -r -n -o start,end,perm,kind >saved &&
	test_cmp live saved &&
	tid=$(scenario_pid lx tid) && rm "lxcap/proc/$lx/task/$tid/smaps" &&
	test_expect_code 3 "$BIN/vmmap" --proc lxcap/proc "$lx" 2>err &&
	grep -q "lxcap/proc/$lx/task/$tid/smaps is not in the saved tree" err
'

test_expect_success 'usage errors exit 2' '
	for args in "" 12x 0 -1 "1 2" "--summary --by-path 1" "--layout --format prometheus 1" \
		    "-o nosuch 1" "--summary -o start 1" "--by-path -o kind 1" \
		    "--layout -o rss 1" "--timeout 0 1" "--bogus 1" 99999999999; do
		test_expect_code 2 "$BIN/vmmap" $args >out 2>err || exit 1
		test_cmp /dev/null out || exit 1
		grep -q "^Try .vmmap --help.\\.$" err || exit 1
	done
'

test_expect_success 'help, version, -H without a PID' '
	"$BIN/vmmap" --help >out && grep -q "^Usage: vmmap \\[options\\] PID$" out &&
	"$BIN/vmmap" -V >out && grep -q "^vmmap (procdx) " out &&
	"$BIN/vmmap" -H -r -n >out && grep -q "^KIND text " out
'

test_done
