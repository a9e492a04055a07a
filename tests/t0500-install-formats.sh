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

# An example copied from an installed page must run the installed command
# (pd-oomctl), not another package's of the same name (systemd's oomctl).
test_expect_success 'installed pages name the commands as installed' '
	man1=dest/opt/pd/share/man/man1 &&
	head -n 1 "$man1/pd-oomctl.1" | grep -qF ".TH PD\\-OOMCTL 1 " &&
	sed -n 3p "$man1/pd-oomctl.1" | grep -qF "pd\\-oomctl \\- " &&
	grep -qxF "# pd\\-oomctl cgroups \\-\\-unlimited" "$man1/pd-oomctl.1" &&
	! grep -q "^[#$] oomctl " "$man1/pd-oomctl.1" &&
	grep -qxF ".BR pd\\-memtop (1)," "$man1/pd-oomctl.1" &&
	grep -qx "\.SS systemd.s oomctl" "$man1/pd-oomctl.1" &&
	grep -A1 -x "It is not the" "$man1/pd-oomctl.1" | grep -qx "\.B oomctl" &&
	grep -A1 -x "systemd also ships a command called" dest/opt/pd/share/man/man7/procdx.7 |
		grep -qx "\.B oomctl" &&
	grep -qF "pd\\-procdx\\-triage" dest/opt/pd/share/man/man7/procdx.7 &&
	! grep -F "procdx\\-triage" dest/opt/pd/share/man/man7/procdx.7 |
		grep -vqF "pd\\-procdx\\-triage" &&
	test "$(stat -c %a "$man1/pd-zfind.1")" = 644 &&
	make -C "$TOP" -s install DESTDIR="$TRASH/plain" PREFIX=/opt/pd BIN="$BIN" >log 2>&1 &&
	cmp "$TOP/man/oomctl.1" plain/opt/pd/share/man/man1/oomctl.1 &&
	dest/opt/pd/bin/pd-procdx-capture -p $$ cap >/dev/null 2>&1 &&
	grep -q "^use: pd-pstate --proc " cap/MANIFEST
'

# triage_ok RC ERR: triage's exit status RC is success, or, not as root,
# 3 for the one step that needs privilege (/dev/kmsg under dmesg_restrict).
triage_ok() {
	[ "$1" -eq 0 ] && return 0
	if ! is_root && [ "$1" -eq 3 ] &&
		grep -q "^triage: failed: OOM kills: [a-z-]*oomctl events (exit 3)$" "$2"; then
		return 0
	fi
	echo "triage exited $1"
	cat "$2"
	return 1
}

# counted_tree DIR: a build tree in DIR whose commands are the real ones
# behind a wrapper that adds "NAME ARGS" to DIR/calls: which commands
# triage ran, and how often.
counted_tree() {
	mkdir -p "$1/bin" "$1/scripts" && : >"$1/calls" &&
		cp "$TOP/scripts/triage" "$1/scripts/" || return 1
	for _t in loadwhy pstate zfind dstate memtop oomctl; do
		printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\nexec "%s/%s" "$@"\n' \
			"$_t" "$PWD/$1" "$BIN" "$_t" >"$1/bin/$_t" &&
			chmod +x "$1/bin/$_t" || return 1
	done
}

test_expect_success 'the installed runbook finds the prefixed commands beside it' '
	PATH=/usr/bin:/bin dest/opt/pd/bin/pd-procdx-triage --interval 0.2 >out 2>err
	triage_ok $? err &&
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
	sh "$TOP/scripts/triage" -i 0.2 >out 2>err
	triage_ok $? err &&
	head -1 out | grep -q "^procdx triage: host .*, kernel .*, up " &&
	grep -q "^== states: pstate" out &&
	sh "$TOP/scripts/triage" --json -i 0.2 >out.json 2>err
	triage_ok $? err &&
	test_valid_json out.json &&
	grep -q "\"states\":" out.json &&
	test_expect_code 2 sh "$TOP/scripts/triage" --bogus 2>err
'

# The runbook of a capture, read on another machine: the saved host,
# kernel and uptime in the heading, loadwhy without an interval (or to a
# second capture), every section from the tree.
test_expect_success 'triage --proc: the runbook of a capture, as it was saved' '
	sh "$TOP/scripts/capture" tcap >tcap.out 2>&1 &&
	cp -r tcap tmod &&
	echo "db-7.example" >tmod/proc/sys/kernel/hostname &&
	echo "5.10.0-99-amd64" >tmod/proc/sys/kernel/osrelease &&
	echo "90061.5 12.0" >tmod/proc/uptime &&
	sh "$TOP/scripts/triage" --proc tmod/proc >out 2>err
	triage_ok $? err &&
	head -1 out | grep -q "^procdx triage: host db-7.example, kernel 5.10.0-99-amd64, up 1d 01:01" &&
	grep -qx "== load: loadwhy -a" out && grep -q "^== states: pstate" out &&
	grep -q "^== OOM kills: oomctl events" out &&
	sh "$TOP/scripts/triage" --json --proc tmod/proc >out.json 2>err
	triage_ok $? err &&
	test_valid_json out.json &&
	grep -q "^  \"host\": \"db-7.example\"," out.json &&
	grep -q "^  \"uptime\": 90061," out.json &&
	printf "db\\033[2J\\042x\\134y\\n" >tmod/proc/sys/kernel/hostname &&
	sh "$TOP/scripts/triage" --proc tmod/proc >out 2>err
	triage_ok $? err &&
	head -1 out >head1 && test_no_control head1 &&
	sh "$TOP/scripts/triage" --json --proc tmod/proc >out.json 2>err
	triage_ok $? err &&
	test_valid_json out.json &&
	sh "$TOP/scripts/capture" tcap2 >tcap2.out 2>&1 &&
	sh "$TOP/scripts/triage" --proc tcap/proc --proc-after tcap2/proc >out 2>err
	triage_ok $? err &&
	grep -qx "== load: loadwhy -a --proc-after tcap2/proc" out &&
	test_expect_code 2 sh "$TOP/scripts/triage" --proc-after tcap2/proc 2>err &&
	grep -qx "triage: --proc-after needs --proc" err &&
	test_expect_code 2 sh "$TOP/scripts/triage" --proc "" 2>err
'

# A section that is null says why in the document itself: the command's
# own error line (the CAP_SYSLOG that oomctl events needs), not only a line
# on a terminal that a collector never sees.
if nobody_can_run oomctl && [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ]; then
	test_expect_success 'triage --json: a failed section is null, with its reason under failed' '
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			sh "$TOP/scripts/triage" --json -i 0.2 >out.json 2>err
		test $? -eq 3 && test_valid_json out.json &&
		grep -qx "    \"OOM kills\": null," out.json &&
		grep -q "^    \"OOM kills\": \"oomctl events (exit 3): oomctl: cannot open /dev/kmsg: .*CAP_SYSLOG" \
			out.json &&
		sh "$TOP/scripts/triage" --json -i 0.2 >out.json 2>err &&
		grep -qx "  \"failed\": {}" out.json
	'
else
	test_skip 'triage --json: a failed section has its reason' 'needs root, setpriv and dmesg_restrict=1'
fi

# Without root, PSS is unknown for other users' processes: the top 10 is
# by RSS, which anyone can read.
if is_root && command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'triage: memory top 10 by PSS as root, by RSS without root' '
		sh "$TOP/scripts/triage" -i 0.2 >out 2>err
		triage_ok $? err &&
		grep -qx "== memory top 10: memtop -N 10" out &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			sh "$TOP/scripts/triage" -i 0.2 >out 2>err
		test $? -eq 0 || grep -q "^triage: failed: OOM kills: oomctl events (exit 3)$" err &&
		grep -qx "== memory top 10: memtop -x rss -N 10" out &&
		sed -n "/^== memory top 10:/,/^==/p" out | sed "1,2d;\$d" >top &&
		test "$(grep -c . top)" -ge 2 &&
		awk "NF && \$1 ~ /^[0-9]+\$/ { print \$3 }" top >rss && test -s rss
	'
else
	test_skip 'triage: memory top 10 by PSS as root, by RSS without root' 'needs root and setpriv'
fi

test_expect_success 'triage -i: seconds from 0.01 to 86400, as the commands take it' '
	for i in 0 . 0.009 86401 1e3 5. .5x -1 ""; do
		test_expect_code 2 sh "$TOP/scripts/triage" -i "$i" >out 2>err &&
		echo "triage: invalid interval: '"'"'$i'"'"' (seconds, 0.01 to 86400)" >expect &&
		echo "Try '"'"'triage --help'"'"'." >>expect &&
		test_cmp expect err && test_cmp /dev/null out || exit 1
	done &&
	test_expect_code 2 sh "$TOP/scripts/triage" -i 2>err &&
	grep -q "^triage: -i needs a value$" err
'

# The first write comes after the load section has run (the first line
# gives its verdict): its notes on stderr, if any, come before the error.
test_expect_success 'triage into a full disk: exit 3, one line on stderr' '
	test_expect_code 3 sh "$TOP/scripts/triage" -i 0.2 >/dev/full 2>err &&
	echo "triage: write error on standard output" >expect &&
	grep -v "^loadwhy: " err >mine && test_cmp expect mine &&
	test_expect_code 3 sh "$TOP/scripts/triage" --json -i 0.2 >/dev/full 2>err &&
	test_cmp expect err
'

# closed_out ARGS...: triage, from the tree counted_tree made in closed/,
# with standard output closed, exits 3; else say how it ended.
closed_out() {
	sh closed/scripts/triage "$@" >&- 2>err
	_rc=$?
	[ "$_rc" -eq 3 ] && return 0
	echo "triage $* >&-: exit $_rc, not 3" >&2
	cat err >&2
	return 1
}

# A closed standard output is a write error, found before any step samples
# for nothing; stdout open read-only is one too, found at the first write.
test_expect_success 'triage with standard output closed: write error, exit 3, no step run' '
	counted_tree closed &&
	echo "triage: write error on standard output" >expect &&
	closed_out -i 0.2 && test_cmp expect err &&
	closed_out --json -i 0.2 && test_cmp expect err &&
	test_cmp /dev/null closed/calls &&
	closed_out --help && test_cmp expect err &&
	test_expect_code 3 sh closed/scripts/triage --help >/dev/full 2>err &&
	test_cmp expect err &&
	test_expect_code 3 sh closed/scripts/triage -i 0.2 1</dev/null 2>err &&
	tail -n 1 err >last && test_cmp expect last
'

# One sampling for the whole report: the verdict on the first line is read
# from the run of loadwhy that the load section shows, so the two agree.
test_expect_success 'triage runs loadwhy once, and its first line gives that verdict' '
	counted_tree once &&
	sh once/scripts/triage -i 0.2 >out 2>err
	triage_ok $? err &&
	echo "loadwhy -a -i 0.2" >expect &&
	grep "^loadwhy " once/calls >calls && test_cmp expect calls &&
	sed -n "1s/^procdx triage: .*, verdict \([a-z-]*\)$/\1/p" out >header &&
	awk "/^== load: / { l = 1 } l && h { print \$1; exit } l && \$1 == \"VERDICT\" { h = 1 }" \
		out >section &&
	test -s header && test_cmp section header
'

# The document shows the load section as loadwhy prints it, so its
# verdict key has the same indent as the one at the top.
test_expect_success 'triage --json runs loadwhy once, and its verdict is the top one' '
	counted_tree once-json &&
	sh once-json/scripts/triage --json -i 0.2 >out.json 2>err
	triage_ok $? err &&
	test_valid_json out.json &&
	echo "loadwhy -a -i 0.2 -J" >expect &&
	grep "^loadwhy " once-json/calls >calls && test_cmp expect calls &&
	sed -n "s/^  \"verdict\": \"\([a-z-]*\)\",$/\1/p" out.json >both &&
	test "$(wc -l <both)" -eq 2 && test "$(uniq both | wc -l)" -eq 1
'

# The pipe is the point: the reader leaves after one line. (The commands'
# own notes on stderr may come before triage notices.)
test_expect_success 'triage: a reader that goes away ends it quietly' '
	(
		trap "" PIPE
		{ sh "$TOP/scripts/triage" -i 0.2 2>err; echo $? >rc; } | head -n 1 >out
	) &&
	triage_ok "$(cat rc)" err && ! grep -q -e "write error" -e "I/O error" err &&
	grep -q "^procdx triage: " out
'

# With --json a file under TMPDIR holds each step's error line. A reader
# that goes away killed triage by SIGPIPE, and the file stayed behind.
test_expect_success 'triage --json into a reader that goes away: no file left behind' '
	mkdir tmpd &&
	TMPDIR=$PWD/tmpd sh "$TOP/scripts/triage" --json -i 0.2 2>err | head -n 1 >out &&
	grep -qx "{" out &&
	test -z "$(ls -A tmpd)"
'

# A build tree of its own, where pstate fails as a command does when /proc
# cannot be read: the other steps run, and triage says which one failed.
test_expect_success 'triage: a failed step is named on stderr, exit 3' '
	mkdir -p fake/bin fake/scripts &&
	cp "$TOP/scripts/triage" fake/scripts/ &&
	for t in loadwhy zfind dstate memtop oomctl; do
		ln -s "$BIN/$t" fake/bin/$t || exit 1
	done &&
	printf "#!/bin/sh\necho \"pstate: cannot open /proc: boom\" >&2\nexit 3\n" >fake/bin/pstate &&
	chmod +x fake/bin/pstate &&
	test_expect_code 3 sh fake/scripts/triage -i 0.2 >out 2>err &&
	grep -q "^== states: pstate $" out && grep -q "^(pstate exited 3)$" out &&
	grep -q "^== OOM next victims: oomctl list -N 5$" out &&
	tail -n 1 err >last &&
	grep -q "^triage: failed: states: pstate (exit 3)" last &&
	test_expect_code 3 sh fake/scripts/triage --json -i 0.2 >out.json 2>err &&
	test_valid_json out.json && grep -q "^    \"states\": null,$" out.json &&
	grep -q "^triage: failed: states: pstate (exit 3)" err
'

# decoys DIR: in DIR, a command of each procdx name that is not procdx's
# (systemd has an oomctl): running one leaves its name in $TRASH/decoyed.
decoys() {
	mkdir -p "$1" || return 1
	for _t in loadwhy pstate zfind dstate memtop oomctl; do
		printf '#!/bin/sh\necho %s >>"%s/decoyed"\n' "$_t" "$TRASH" >"$1/$_t" &&
			chmod +x "$1/$_t" || return 1
	done
}

# As make install PROGRAM_PREFIX=pd- lays it out, in a bin/ that also holds
# other packages' commands of the bare names, and more of those on PATH.
test_expect_success 'installed with a prefix: only the prefixed commands run' '
	mkdir -p pfx/usr/bin && decoys pfx/usr/bin && decoys pfx/path &&
	cp "$TOP/scripts/triage" pfx/usr/bin/pd-procdx-triage &&
	for t in loadwhy pstate zfind dstate memtop oomctl; do
		ln -s "$BIN/$t" pfx/usr/bin/pd-$t || exit 1
	done &&
	PATH="$TRASH/pfx/path:/usr/bin:/bin" sh pfx/usr/bin/pd-procdx-triage -i 0.2 >out 2>err
	triage_ok $? err &&
	! test -e decoyed &&
	grep -q "^== OOM kills: pd-oomctl events$" out &&
	grep -q "^== OOM next victims: pd-oomctl list -N 5$" out &&
	grep -q "^== load: pd-loadwhy -a -i 0.2$" out
'

# tools DIR: DIR holds what triage itself runs, and no procdx command.
tools() {
	mkdir -p "$1" || return 1
	for _t in awk sed uname cut dirname basename cat; do
		ln -s "$(command -v "$_t")" "$1/$_t" || return 1
	done
}

test_expect_success 'no command found: every step failed, named; exit 3' '
	mkdir lone && tools lone/tools && cp "$TOP/scripts/triage" lone/ &&
	SH=$(command -v sh) &&
	test_expect_code 3 env PATH="$TRASH/lone/tools" "$SH" lone/triage -i 0.2 >out 2>err &&
	grep -q "^== OOM kills: oomctl events$" out &&
	test "$(grep -c "^(oomctl not found)$" out)" -eq 3 &&
	test "$(grep -c "^(.* not found)$" out)" -eq 9 &&
	tail -n 1 err >last &&
	grep -q "^triage: failed: load: loadwhy not found, states: pstate not found, " last &&
	grep -q ", OOM next victims: oomctl not found$" last &&
	test_expect_code 3 env PATH="$TRASH/lone/tools" "$SH" lone/triage --json -i 0.2 >out.json 2>err &&
	test_valid_json out.json &&
	test "$(grep -c "^    \"[a-zA-Z0-9 ]*\": null,\{0,1\}$" out.json)" -eq 9 &&
	grep -q "^triage: failed: load: loadwhy not found, " err &&
	grep -qx "    \"load\": \"loadwhy not found\"," out.json &&
	grep -qx "    \"OOM next victims\": \"oomctl not found\"" out.json
'

test_expect_success 'with a prefix, the bare names on PATH are not taken for ours' '
	decoys lone/path && cp "$TOP/scripts/triage" lone/pd-procdx-triage &&
	SH=$(command -v sh) &&
	test_expect_code 3 env PATH="$TRASH/lone/tools:$TRASH/lone/path" "$SH" \
		lone/pd-procdx-triage -i 0.2 >out 2>err &&
	! test -e decoyed &&
	grep -q "^== OOM kills: pd-oomctl events$" out && grep -q "^(pd-oomctl not found)$" out &&
	grep -q ", OOM kills: pd-oomctl not found, " err
'

test_done
