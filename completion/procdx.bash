# bash completion for the procdx commands. The options and column names
# come from the commands themselves (--help, -H), so they never go stale.
# Installed once per command name (with its PROGRAM_PREFIX) under
# share/bash-completion/completions.

_procdx_cols() {
	"$1" -H -r -n 2>/dev/null | while read -r name _; do
		printf '%s\n' "$name"
	done
}

_procdx_opts() {
	"$1" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*\|^ *-[a-zA-Z]' | tr -d ' ' | sort -u
}

_procdx() {
	local cur prev cmd words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[0]}
	COMPREPLY=()
	case "$prev" in
	-o | --output | -x | --sort)
		local list prefix=
		# A column list: complete the item after the last comma.
		case "$cur" in
		*,*) prefix=${cur%,*}, ; cur=${cur##*,} ;;
		+*) prefix=+ ; cur=${cur#+} ;;
		esac
		list=$(_procdx_cols "$cmd")
		mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$list $(echo "$list" | tr 'A-Z' 'a-z')" -- "$cur")
		return 0 ;;
	--format)
		mapfile -t COMPREPLY < <(compgen -W "table raw pairs json prometheus" -- "$cur")
		return 0 ;;
	--proc | --sys | --kmsg)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0 ;;
	-p | --pid)
		mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")
		return 0 ;;
	-u | --user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return 0 ;;
	-g | --group)
		mapfile -t COMPREPLY < <(compgen -W "comm user cgroup" -- "$cur")
		return 0 ;;
	esac
	case "$cmd" in
	*oomctl)
		if [ "$COMP_CWORD" -eq 1 ] && [[ $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "list explain set protect reset run events cgroups" -- "$cur")
			return 0
		fi ;;
	*vmmap)
		if [[ $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")
			return 0
		fi ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_procdx_opts "$cmd")" -- "$cur")
	fi
	return 0
}

complete -F _procdx pstate zfind dstate memtop vmmap oomctl loadwhy iowho lifewatch
