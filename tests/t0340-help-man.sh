#!/bin/sh
# --help, the man pages and the bash completion agree with what each command
# accepts: an option --help shows is one the command takes and its man page
# documents, and an option the man page gives an entry to is in --help.
. "$(dirname "$0")/lib.sh"

CMDS="pstate zfind dstate memtop vmmap oomctl loadwhy iowho lifewatch"

# help_longopts CMD: the long options of CMD's --help, one a line, with
# " ARG" after those that take a value.
help_longopts() {
	"$BIN/$1" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\)\([ [][^ ]*\)\{0,1\}.*/\2\3/p' |
		sed 's/ [A-Z][A-Z]*$/ ARG/; s/\[=.*//'
}

# man_options MAN: the OPTIONS section of a man page, from its .SH line to
# the next; in procdx.7, SHARED OPTIONS and OUTPUT FORMATS.
man_options() {
	case $1 in
	*.7) sed -n '/^\.SH SHARED OPTIONS/,/^\.SH ESCAPING/p' "$1" ;;
	*) sed -n '/^\.SH OPTIONS/,/^\.SH/p' "$1" ;;
	esac
}

# documented SECTION CMD OPT: the man page text SECTION documents CMD's
# option OPT. groff writes "--sort" as "\-\-sort"; a list of the shared
# options (iowho(1), procdx(7)) may name one by its short form instead.
documented() {
	_pat=$(printf '%s' "$3" | sed 's/-/\\\\-/g')
	grep -q -- "$_pat\\b" "$1" && return 0
	_short=$("$BIN/$2" --help | sed -n "s/^ *-\([a-zA-Z]\), $3\\b.*/\1/p")
	[ -n "$_short" ] && grep -q "\\(^\\.B[IR]\\{0,1\\} \\|[ (]\\)\\\\-$_short\\b" "$1"
}

for cmd in $CMDS; do
	# shellcheck disable=SC2034 # used by the test bodies
	man=$TOP/man/$cmd.1

	test_expect_success "$cmd: every long option of --help is accepted" '
		help_longopts $cmd >opts &&
		test -s opts &&
		: >bad &&
		while read -r opt arg; do
			# The value only has to get the option past getopt: -V then
			# ends the parse before anything runs.
			"$BIN/$cmd" $opt${arg:+=1} -V >/dev/null 2>err </dev/null
			if grep -q "unknown option\|takes no value\|needs a value" err; then
				echo "$opt: $(cat err)" >>bad
			fi
		done <opts &&
		test_cmp /dev/null bad
	'

	test_expect_success "$cmd: every long option of --help is in $cmd(1)" '
		help_longopts $cmd >opts &&
		man_options "$man" >section &&
		: >bad &&
		while read -r opt arg; do
			documented section $cmd "$opt" || echo "$opt" >>bad
		done <opts &&
		test_cmp /dev/null bad
	'

	test_expect_success "$cmd: every option $cmd(1) gives an entry is in --help" '
		help_longopts $cmd | sed "s/ .*//" >opts &&
		# The heads of the entries: the line after each .TP.
		man_options "$man" | sed -n "/^\.TP/{n;p;}" |
			grep -o "\\\\-\\\\-[a-z][a-z\\\\-]*" | sed "s/\\\\-/-/g" | sort -u >documented &&
		test -s documented &&
		: >bad &&
		while read -r opt; do
			grep -qx -- "$opt" opts || echo "$opt" >>bad
		done <documented &&
		test_cmp /dev/null bad
	'
done

test_expect_success 'procdx(7) documents every option all commands share' '
	for cmd in $CMDS; do
		help_longopts $cmd | sed "s/ .*//" | sort -u >"$cmd.opts"
	done &&
	cp pstate.opts common &&
	for cmd in $CMDS; do
		comm -12 common "$cmd.opts" >next && mv next common
	done &&
	grep -qx -- --host common &&
	man_options "$TOP/man/procdx.7" >section &&
	: >bad &&
	while read -r opt; do
		documented section pstate "$opt" || echo "$opt" >>bad
	done <common &&
	test_cmp /dev/null bad
'

test_expect_success 'loadwhy and lifewatch --help leave out --sort and --reverse they refuse' '
	for cmd in loadwhy lifewatch; do
		test_expect_code 2 "$BIN/$cmd" -x pid 2>/dev/null &&
		! "$BIN/$cmd" --help | grep -e "--sort\|--reverse" || return 1
	done
'

# complete WORDS...: what completion/procdx.bash offers for the last word
# (empty: a new word), one a line.
complete_words() {
	PATH=$BIN:$PATH bash -c '
		. "$0"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_procdx
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' "$TOP/completion/procdx.bash" "$@"
}

if command -v bash >/dev/null; then
	test_expect_success 'completion: oomctl events -o offers the columns of events' '
		complete_words oomctl events -o "" >got &&
		grep -qx TIME got && grep -qx CONSTRAINT got && ! grep -qx OOM_SCORE got &&
		complete_words oomctl -n events -o T >got &&
		grep -qx TIME got &&
		complete_words oomctl -C list cgroups -x "" >got &&
		grep -qx LIMIT got && ! grep -qx TIME got &&
		complete_words oomctl -o "" >got &&
		grep -qx OOM_SCORE got
	'

	test_expect_success 'completion: no option the command or subcommand refuses' '
		complete_words oomctl events --t >got &&
		test_cmp /dev/null got &&
		complete_words oomctl events --f >got &&
		grep -qx -- --follow got && grep -qx -- --format got &&
		complete_words oomctl --un >got &&
		grep -qx -- --unlimited got &&
		for cmd in loadwhy lifewatch; do
			complete_words $cmd - >got &&
			grep -qx -- --output got &&
			! grep -qx -e --sort -e --reverse -e -x got || return 1
		done
	'

	# After run ADJ comes a command and its arguments, not oomctl's
	# options; a TARGET is a PID, a NAME after -C a process name.
	test_expect_success 'completion: oomctl run completes a command; set a PID or a name' '
		complete_words oomctl run 100 sh >got &&
		grep -qx sh got && ! grep -q "^-" got &&
		complete_words oomctl run 100 -- sh >got &&
		grep -qx sh got &&
		complete_words oomctl run 100 sh - >got &&
		! grep -qx -- --output got &&
		complete_words oomctl run "" >got &&
		test_cmp /dev/null got &&
		complete_words oomctl set 100 "$$" >got &&
		grep -qx "$$" got &&
		complete_words oomctl set "" >got &&
		test_cmp /dev/null got &&
		complete_words oomctl protect --dry-run 1 >got &&
		grep -qx 1 got &&
		me=$(cat /proc/$$/comm) &&
		complete_words oomctl set 100 -C "$me" >got &&
		grep -qx "$me" got &&
		complete_words pstate -C "$me" >got &&
		grep -qx "$me" got &&
		complete_words oomctl -r s >got &&
		grep -qx set got &&
		complete_words oomctl cgroups --to >got &&
		grep -qx -- --top got
	'
else
	test_skip 'completion: oomctl events -o offers the columns of events' 'no bash'
	test_skip 'completion: oomctl run completes a command; set a PID or a name' 'no bash'
	test_skip 'completion: no option the command or subcommand refuses' 'no bash'
fi

test_done
