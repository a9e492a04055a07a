#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted: eval expands them
# Fixture /proc trees against golden output (tests/fixtures/README).
#
# For every case directory tests/fixtures/CASE and every line N of its cmds
# file ("pstate -s D,Z -J": a command and its arguments, split on blanks),
# run bin/COMMAND --proc CASE/proc ARGS from tests/fixtures (its sysfs is
# the CASE/sys beside it) and compare its stdout, stderr and exit status
# with CASE/expect/N.out.
# Every JSON output must parse, every raw output must have as many fields on
# each line as in its header, and no output may hold a control byte.
#
#   PROCDX_REGEN=1 sh tests/t0200-fixtures.sh    rewrite the expect files
#                                                 (review the diff by hand)
#   PROCDX_CASES='basic hostile' sh tests/t0200-fixtures.sh   only these cases
# shellcheck disable=SC1091
. "$(dirname "$0")/lib.sh"

# run_line CASE LINE OUT: run one cmds line, writing stdout, a "# stderr:"
# line, stderr and "# exit: N" into OUT (and stdout alone into OUT.stdout).
run_line() {
	rl_case=$1
	rl_out=$3
	set -f
	# shellcheck disable=SC2086 # the line is split into words on purpose
	set -- $2
	set +f
	rl_cmd=$1
	shift
	(cd "$FIXTURES" &&
		"$BIN/$rl_cmd" --proc "$rl_case/proc" "$@") \
		</dev/null >"$rl_out.stdout" 2>"$rl_out.stderr"
	rl_rc=$?
	{
		cat "$rl_out.stdout"
		echo '# stderr:'
		cat "$rl_out.stderr"
		echo "# exit: $rl_rc"
	} >"$rl_out"
}

# check_golden CASE N LINE: the output of line N matches expect/N.out.
check_golden() {
	cg_exp="$FIXTURES/$1/expect/$2.out"
	cg_out="$TRASH/$1.$2.out"
	run_line "$1" "$3" "$cg_out" || return 1
	if [ -n "$PROCDX_REGEN" ]; then
		cp "$cg_out" "$cg_exp"
		return
	fi
	if [ ! -f "$cg_exp" ]; then
		echo "missing $cg_exp (PROCDX_REGEN=1 writes it)"
		return 1
	fi
	test_cmp "$cg_exp" "$cg_out"
}

# Strict JSON: valid UTF-8, no NaN/Infinity, no raw control bytes in strings.
json_ok() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import json, sys
def bad(x):
    raise ValueError("not JSON: " + x)
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"), parse_constant=bad)
' "$1"
	else
		test_valid_json "$1"
	fi
}

# Every line of raw output has the header's number of single-space
# separated fields (or the first line's, with -n), and no empty field.
raw_fields_ok() {
	awk -F '[ ]' '
		NR == 1 { n = NF }
		NF != n {
			printf "line %d: %d fields, expected %d: %s\n", NR, NF, n, $0
			bad = 1
		}
		{
			for (i = 1; i <= NF; i++)
				if ($i == "") {
					printf "line %d: empty field %d\n", NR, i
					bad = 1
				}
		}
		END { exit bad }
	' "$1"
}

has_word() {
	case " $1 " in *" $2 "*) return 0 ;; esac
	return 1
}

is_json() {
	has_word "$1" -J || has_word "$1" --json || has_word "$1" "--format json" ||
		has_word "$1" --format=json
}

is_raw() {
	has_word "$1" -r || has_word "$1" --raw || has_word "$1" "--format raw" ||
		has_word "$1" --format=raw
}

if [ ! -x "$BIN/pstate" ] || [ ! -x "$BIN/zfind" ]; then
	echo "Bail out! $BIN/pstate or $BIN/zfind missing: run make"
	exit 1
fi

cases=${PROCDX_CASES:-$(cd "$FIXTURES" && for d in */cmds; do dirname "$d"; done)}
for case in $cases; do
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		[ -n "$PROCDX_REGEN" ] && mkdir -p "$FIXTURES/$case/expect"
		test_expect_success "$case $n: $line" 'check_golden "$case" "$n" "$line"'
		if is_json "$line"; then
			test_expect_success "$case $n: valid JSON" \
				'json_ok "$TRASH/$case.$n.out.stdout"'
		fi
		if is_raw "$line"; then
			test_expect_success "$case $n: raw fields line up" \
				'raw_fields_ok "$TRASH/$case.$n.out.stdout"'
		fi
	done <"$FIXTURES/$case/cmds"
	test_expect_success "$case: no control byte in any output" '
		for f in "$TRASH/$case".*.out; do
			test_no_control "$f" || exit 1
		done
	'
done

test_done
