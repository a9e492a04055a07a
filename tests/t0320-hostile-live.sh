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

# Pairs are read back with eval, as lsblk -P's are: a name that holds a
# command substitution must stay text. "$(touch pwned)" and "`touch pwnd`".
start_scenario e1 hostile-name 2428746f7563682070776e656429 zombie || exit 1
start_scenario e2 hostile-name 60746f7563682070776e6460 zombie || exit 1
EPIDS="$(scenario_pid e1 pid),$(scenario_pid e2 pid)"
EZOMBIES="$(scenario_pid e1 zombie),$(scenario_pid e2 zombie)"
export EPIDS EZOMBIES

test_expect_success 'pairs: eval of a row runs nothing a process name holds' '
	"$BIN/pstate" -s S -p "$EPIDS" -P -o pid,comm >out &&
	"$BIN/zfind" -p "$EZOMBIES" -P -o pid,comm,pcomm >>out &&
	"$BIN/memtop" -p "$EPIDS" -x rss -P -o pid,comm >>out &&
	grep "COMM=" out >rows &&
	test "$(wc -l <rows)" -eq 6 &&
	while read -r line; do
		eval "$line" || return 1
		case "$COMM" in
		"\x24(touch pwned)" | "\x60touch pwnd\x60") ;;
		*) echo "COMM=$COMM" && return 1 ;;
		esac
	done <rows &&
	! test -e pwned && ! test -e pwnd
'

# Names whose display width is not one column per character: 日本語テス (five
# wide characters, ten columns, all fifteen bytes comm holds), "cafe" and a
# combining acute, a zero width space, a wide emoji, and a plain name.
wnames="e697a5e69cace8aa9ee38386e382b9 63616665cc8173 7a77e2808b7370616365 676ff09f9a8078 706c61696e"
i=0
WPIDS=
for n in $wnames; do
	i=$((i + 1))
	start_scenario "w$i" hostile-name "$n" || exit 1
	WPIDS="$WPIDS${WPIDS:+,}$(scenario_pid "w$i" pid)"
done
export WPIDS
sleep 0.1

# display_widths [-l] FILE: the number of terminal columns of each line, or
# with -l of each line without its last field (where that field starts),
# counting two for the wide and none for the zero-width characters used
# above. The same on every line: the column is aligned.
display_widths() {
	_strip=0
	[ "$1" = -l ] && { _strip=1; shift; }
	perl -CSD -ne 'chomp; s/\S+$// if '"$_strip"'; my $w = 0;
		for (split //) {
			$w += /[\x{300}-\x{36f}\x{200b}-\x{200f}]/ ? 0 :
			      /[\x{3000}-\x{9fff}\x{1f300}-\x{1f6ff}]/ ? 2 : 1;
		}
		print "$w\n"' "$1" | sort -u
}

test_expect_success 'pstate: wide and zero-width names keep the next column aligned' '
		"$BIN/pstate" -s S -p "$WPIDS,$PIDS" -o pid,comm,state >out 2>err &&
	test_cmp /dev/null err &&
	test "$(wc -l <out)" -eq $((NPROC + 6)) &&
	grep -q "$(printf "\346\227\245\346\234\254\350\252\236")" out &&
	display_widths -l out >widths &&
	test "$(wc -l <widths)" -eq 1
'

test_expect_success 'memtop: wide and zero-width names keep the RSS column aligned' '
	"$BIN/memtop" -p "$WPIDS,$PIDS" -x rss -o pid,comm,rss >out 2>err &&
	test "$(wc -l <out)" -eq $((NPROC + 6)) &&
	display_widths out >widths &&
	test "$(wc -l <widths)" -eq 1
'

test_done
