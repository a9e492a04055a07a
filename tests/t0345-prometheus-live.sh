#!/bin/sh
# Prometheus names and series: no gauge ends in _total (the counters'
# suffix), and rows with no number still give series (procdx_TOOL_info).
. "$(dirname "$0")/lib.sh"

start_scenario vfork vfork-sleeper 3600 || exit 1
VP=$(scenario_pid vfork parent)
start_scenario zombies zombie-parent nowait 2 || exit 1
export VP

for cmd in "pstate" "pstate -t" "zfind" "dstate" "memtop --system"; do
	# shellcheck disable=SC2086
	test_expect_success "$cmd --format prometheus: no gauge named _total" '
		"$BIN"/$cmd --format prometheus >out.prom &&
		perl "$TEST_DIR/promlint.pl" out.prom &&
		! grep "^# TYPE .*_total gauge" out.prom
	'
done

# Rows told apart by a name, not a PID: with -o leaving that name out,
# every row would be the same series.
for cmd in "pstate -o count" "pstate -t -o count" "memtop -g comm -o rss" \
	"memtop -g user -o pss" "memtop -g cgroup -o rss" "memtop --system -o total" \
	"oomctl cgroups -o usage" "oomctl explain \$VP -o pages"; do
	# shellcheck disable=SC2086
	test_expect_success "$cmd --format prometheus: the row's key stays a label" '
		eval "\"\$BIN\"/$cmd --format prometheus" >out.prom &&
		perl "$TEST_DIR/promlint.pl" out.prom &&
		grep -q "^procdx_[a-z]*_[a-z_]*{[a-z]*=" out.prom
	'
done

test_expect_success 'the counts of pstate, zfind and dstate are procdx_TOOL_all' '
	wait_state "$VP" D &&
	"$BIN/pstate" --format prometheus >p.prom &&
	grep -q "^procdx_pstate_all [1-9][0-9]*$" p.prom &&
	"$BIN/zfind" --format prometheus >z.prom &&
	n=$(sed -n "s/^procdx_zfind_all \([0-9][0-9]*\)$/\1/p" z.prom) &&
	test "${n:-0}" -ge 2 &&
	"$BIN/dstate" --format prometheus >d.prom &&
	grep -q "^procdx_dstate_all [1-9][0-9]*$" d.prom
'

test_expect_success 'memtop --system: procdx_memtop_hugepages_all' '
	"$BIN/memtop" --system --format prometheus >m.prom &&
	grep -q "^# TYPE procdx_memtop_hugepages_all gauge$" m.prom &&
	grep -q "^procdx_memtop_hugepages_all [0-9]" m.prom
'

test_expect_success 'promlint.pl refuses a gauge named _total' '
	printf "# HELP x_total x\n# TYPE x_total gauge\nx_total 1\n" >bad.prom &&
	! perl "$TEST_DIR/promlint.pl" bad.prom >out &&
	grep -q "_total, kept for counters" out &&
	printf "# HELP x_total x\n# TYPE x_total counter\nx_total 1\n" >good.prom &&
	perl "$TEST_DIR/promlint.pl" good.prom
'

test_expect_success 'pstate -s D -o pid,comm: one procdx_pstate_info series per process' '
	wait_state "$VP" D &&
	"$BIN/pstate" -s D -p "$VP" -o pid,comm --format prometheus >out.prom &&
	perl "$TEST_DIR/promlint.pl" out.prom &&
	cat >expect <<-EOT &&
	# HELP procdx_pstate_info one series per row, the row'"'"'s columns as labels (none is a number)
	# TYPE procdx_pstate_info gauge
	procdx_pstate_info{pid="$VP",comm="vfork-sleeper"} 1
	EOT
	test_cmp expect out.prom
'

test_expect_success 'with --host, the info series carry it too' '
	"$BIN/pstate" -s D -p "$VP" -o comm --host=web1 --format prometheus >out.prom &&
	perl "$TEST_DIR/promlint.pl" out.prom &&
	grep -qx "procdx_pstate_info{host=\"web1\",comm=\"vfork-sleeper\",pid=\"$VP\"} 1" out.prom
'

for cmd in pstate zfind dstate memtop oomctl iowho loadwhy vmmap lifewatch; do
	test_expect_success "$cmd -H --format prometheus: one info series per column" '
		"$BIN/$cmd" -H -r -n >cols &&
		"$BIN/$cmd" -H --format prometheus >out.prom &&
		perl "$TEST_DIR/promlint.pl" out.prom &&
		test "$(grep -c "^procdx_${cmd}_info{name=\"[A-Z]" out.prom)" -eq "$(wc -l <cols)"
	'
done

test_done
