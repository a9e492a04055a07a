#!/bin/sh
# Hostile process names set with prctl(PR_SET_NAME), live: every format must
# keep them on one row, with no control byte, and JSON must stay valid.
. "$(dirname "$0")/lib.sh"

# ESC[2J (clear screen), ") R 1 (" (a fake stat field), a newline, the
# one-byte CSI, invalid UTF-8, a backslash, an OSC title sequence, a quote.
names="1b5b324a 29205220312028 610a62 9b3f3235 c328ff 5c782d 1b5d303b7069776e07 2220272d"
i=0
PIDS=
ZOMBIES=
for n in $names; do
	i=$((i + 1))
	start_scenario "h$i" hostile-name "$n" zombie || exit 1
	PIDS="$PIDS${PIDS:+,}$(scenario_pid "h$i" pid)"
	ZOMBIES="$ZOMBIES${ZOMBIES:+,}$(scenario_pid "h$i" zombie)"
done
NPROC=$i
export PIDS ZOMBIES NPROC
sleep 0.1

for fmt in "" -r -P -J "--format prometheus"; do
	# shellcheck disable=SC2086
	test_expect_success "pstate -s S $fmt: one row each, no control byte" '
		"$BIN/pstate" -s S -p "$PIDS" $fmt >out 2>err &&
		test_no_control out && test_cmp /dev/null err &&
		case "$fmt" in
		-J) test_valid_json out &&
		    test "$(grep -c "\"pid\":" out)" -eq "$NPROC" ;;
		"--format prometheus") : ;;
		-P) test "$(wc -l <out)" -eq "$NPROC" ;;
		*) test "$(wc -l <out)" -eq $((NPROC + 1)) ;;
		esac
	'
	# shellcheck disable=SC2086
	test_expect_success "zfind $fmt: hostile zombies, one row each, no control byte" '
		"$BIN/zfind" -p "$ZOMBIES" $fmt >out 2>err &&
		test_no_control out && test_cmp /dev/null err &&
		case "$fmt" in
		-J) test_valid_json out &&
		    test "$(grep -c "\"pid\":" out)" -eq "$NPROC" ;;
		esac
	'
done

test_expect_success 'raw output: every row has as many fields as the header' '
	"$BIN/pstate" -s S -p "$PIDS" -r -o pid,state,comm,user,wchan,cmd >out &&
	awk "NR == 1 { n = NF } NF != n { exit 1 }" out &&
	"$BIN/zfind" -p "$ZOMBIES" -r >out &&
	awk "NR == 1 { n = NF } NF != n { exit 1 }" out
'

test_expect_success 'the right state and PPID for each hostile zombie' '
	"$BIN/zfind" -p "$ZOMBIES" -r -n -o ppid,state >out &&
	echo "$PIDS" | tr , "\n" | sed "s/\$/ Z/" >expect &&
	sort out >a && sort expect >b && test_cmp b a
'

test_expect_success 'an escape sequence in COMM is shown as \x1b' '
	"$BIN/pstate" -s S -p "$PIDS" -r -n -o comm >out &&
	grep -qF "\\x1b[2J" out &&
	grep -qF "\\x9b?25" out &&
	grep -qF "a\\x0ab" out
'

test_expect_success 'memtop names them from comm as pstate does from stat; no zombie row' '
	"$BIN/pstate" -s S -p "$PIDS" -r -n -o pid,comm | sort >expect &&
	"$BIN/memtop" -p "$PIDS,$ZOMBIES" -x rss -r -n -o pid,comm | sort >out &&
	test_cmp expect out &&
	"$BIN/memtop" -p "$PIDS" -x rss -J -o pid,comm >out.json && test_valid_json out.json
'

test_done
