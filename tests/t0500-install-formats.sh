#!/bin/sh
# Installation (PREFIX, DESTDIR, PROGRAM_PREFIX), the runbook, and every
# command's prometheus output checked against the exposition format.
. "$(dirname "$0")/lib.sh"

start_scenario zombies zombie-parent nowait 2 || exit 1
start_scenario dtask vfork-sleeper 3600 || exit 1

# out_ok FILE CMD ARGS...: run the command with its output into FILE; true
# when it exits 0 or 1 (a finder that found nothing), and only then: a usage
# error, a fatal error or a crash fails, whatever comes after.
out_ok() {
	_file=$1
	shift
	"$@" >"$_file"
	_rc=$?
	[ "$_rc" -le 1 ] && return 0
	echo "exit $_rc: $*"
	return 1
}

for cmd in "pstate" "pstate -t" "pstate -s S,D,Z" "zfind" "zfind --parents" "zfind --all" \
	"dstate" "dstate --summary" "memtop" "memtop -N 5" "memtop -g user" "memtop --system" \
	"oomctl" "oomctl list -N 3 -o +swap,user" "oomctl events" "oomctl cgroups" \
	"oomctl explain 1"; do
	# shellcheck disable=SC2086
	test_expect_success "$cmd --format prometheus is valid exposition text" '
		rm -f out.prom &&
		out_ok out.prom "$BIN"/$cmd --format prometheus &&
		perl "$TEST_DIR/promlint.pl" out.prom
	'
	# shellcheck disable=SC2086
	test_expect_success "$cmd -J is valid JSON, -r rows have the header's field count" '
		rm -f out.json out.raw &&
		out_ok out.json "$BIN"/$cmd -J && test_valid_json out.json &&
		out_ok out.raw "$BIN"/$cmd -r &&
		awk "NR == 1 { n = NF } NF != n { exit 1 }" out.raw
	'
done

test_expect_success 'make install with DESTDIR, PREFIX and PROGRAM_PREFIX' '
	make -C "$TOP" -s install DESTDIR="$TRASH/dest" PREFIX=/opt/pd PROGRAM_PREFIX=pd- \
		BIN="$BIN" >log 2>&1 &&
	for t in pstate zfind dstate memtop oomctl; do
		test -x "dest/opt/pd/bin/pd-$t" &&
		test -f "dest/opt/pd/share/man/man1/pd-$t.1" || exit 1
	done &&
	test -f dest/opt/pd/share/man/man7/procdx.7 &&
	test -x dest/opt/pd/bin/pd-procdx-triage &&
	test -x dest/opt/pd/bin/pd-procdx-capture &&
	test -f dest/opt/pd/share/bash-completion/completions/pd-zfind &&
	dest/opt/pd/bin/pd-zfind -V >v && grep -q "^pd-zfind (procdx) " v
'

test_expect_success 'the installed runbook finds the prefixed commands beside it' '
	PATH=/usr/bin:/bin dest/opt/pd/bin/pd-procdx-triage --interval 0.2 >out 2>err &&
	grep -q "^== states: pd-pstate" out &&
	grep -q "^== zombie parents: pd-zfind --parents" out &&
	grep -q "^== stuck in D: pd-dstate --summary" out
'

if command -v bash >/dev/null 2>&1; then
	test_expect_success 'bash completion: options and column names from the commands' '
		PATH="$TRASH/dest/opt/pd/bin:$PATH" bash -c "
			. dest/opt/pd/share/bash-completion/completions/pd-zfind
			complete -p pd-zfind >/dev/null || exit 1
			COMP_WORDS=(pd-zfind --pa); COMP_CWORD=1; _procdx
			echo \"\${COMPREPLY[*]}\" >opts
			COMP_WORDS=(pd-zfind -o PID,PW); COMP_CWORD=2; _procdx
			echo \"\${COMPREPLY[*]}\" >cols
		" &&
		echo "--pairs --parents" >expect && test_cmp expect opts &&
		echo "PID,PWCHAN" >expect && test_cmp expect cols
	'
else
	test_skip 'bash completion: options and column names from the commands' 'needs bash'
fi

test_expect_success 'make uninstall removes what install put there' '
	make -C "$TOP" -s uninstall DESTDIR="$TRASH/dest" PREFIX=/opt/pd PROGRAM_PREFIX=pd- \
		>log 2>&1 &&
	test -z "$(find dest -type f)"
'

test_expect_success 'triage: headings, then one valid JSON document with --json' '
	sh "$TOP/scripts/triage" -i 0.2 >out 2>err &&
	head -1 out | grep -q "^procdx triage: host .*, kernel .*, up " &&
	grep -q "^== states: pstate" out &&
	sh "$TOP/scripts/triage" --json -i 0.2 >out.json 2>err &&
	test_valid_json out.json &&
	grep -q "\"states\":" out.json &&
	test_expect_code 2 sh "$TOP/scripts/triage" --bogus 2>err
'

test_done
