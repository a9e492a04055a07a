# bash completion for the procdx commands. The options and column names
# come from the commands themselves (--help, -H), so they never go stale.
# Installed once per command name (with its PROGRAM_PREFIX) under
# share/bash-completion/completions.

# The column names; $2 is oomctl's subcommand, whose columns are not list's.
_procdx_cols() {
	"$1" ${2:+"$2"} -H -r -n 2>/dev/null | while read -r name _; do
		printf '%s\n' "$name"
	done
}

# The options of --help's option lines. Once oomctl's subcommand ($2) is
# typed, those --help marks for other subcommands ("events: ...") are left
# out: the subcommand would refuse them.
_procdx_opts() {
	"$1" --help 2>/dev/null | awk -v sc="$2" '
		!/^ *-/ { next }
		{
			s = $0
			sub(/^ +/, "", s)
			i = match(s, /  +/)
			opts = i ? substr(s, 1, i - 1) : s
			desc = i ? substr(s, i + RLENGTH) : ""
		}
		sc != "" && match(desc, /^[a-z]+(\/[a-z]+)*:/) &&
			!index("/" substr(desc, 1, RLENGTH - 1) "/", "/" sc "/") { next }
		{
			gsub(/,/, " ", opts)
			n = split(opts, w, " ")
			for (i = 1; i <= n; i++)
				if (w[i] ~ /^-/) {
					sub(/\[.*/, "", w[i])
					print w[i]
				}
		}' | sort -u
}

# oomctl's subcommand and the index of its word: the first word that is
# neither an option nor an option's value (options stop at the
# subcommand); nothing for the others.
_procdx_sub() {
	local i w
	case "${COMP_WORDS[0]}" in *oomctl) ;; *) return 0 ;; esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case "$w" in
		-o | --output | -x | --sort | --format | --proc | --sys | -p | --pid | -u | --user | \
			-C | --comm | --cgroup | -N | --top | --kmsg | --since)
			((i++)) ;;
		-*) ;;
		*)
			printf '%s %s\n' "$w" "$i"
			return 0 ;;
		esac
	done
}

# oomctl run ADJ [--] COMMAND [ARG...]: after ADJ, a command, then its
# arguments (files); oomctl's own options do not apply there. $1 is the
# index of the word "run". Returns 1 while the word is ADJ's own.
_procdx_run() {
	local first=$(($1 + 2))
	[ "$COMP_CWORD" -ge "$first" ] || return 1
	[ "${COMP_WORDS[first]}" != -- ] || first=$((first + 1))
	if [ "$COMP_CWORD" -eq "$first" ]; then
		mapfile -t COMPREPLY < <(compgen -c -- "$cur")
	elif [ "$COMP_CWORD" -gt "$first" ]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
	return 0
}

_procdx() {
	local cur prev cmd sub at
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[0]}
	read -r sub at < <(_procdx_sub)
	COMPREPLY=()
	if [ "$sub" = run ]; then
		_procdx_run "$at"
		return 0
	fi
	case "$prev" in
	-o | --output | -x | --sort)
		local list prefix=
		# A column list: complete the item after the last comma.
		case "$cur" in
		*,*) prefix=${cur%,*}, ; cur=${cur##*,} ;;
		+*) prefix=+ ; cur=${cur#+} ;;
		esac
		list=$(_procdx_cols "$cmd" "$sub")
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
	-C | --comm)
		# The names of the processes now (a name with a space or a
		# newline is left out: it would be split into words).
		mapfile -t COMPREPLY < <(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null |
			grep -av '[[:space:]]' | sort -u)" -- "$cur")
		return 0 ;;
	-g | --group)
		mapfile -t COMPREPLY < <(compgen -W "comm user cgroup" -- "$cur")
		return 0 ;;
	esac
	case "$cmd" in
	*oomctl)
		if [ -z "$sub" ] && [[ $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "list explain set protect reset run events cgroups" -- "$cur")
			return 0
		fi
		# A TARGET of set, protect, reset or explain is a PID (set's
		# first word is its ADJ).
		case "$sub" in set | protect | reset | explain)
			if [[ $cur != -* ]] && { [ "$sub" != set ] || [ "$COMP_CWORD" -gt $((at + 1)) ]; }; then
				mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")
				return 0
			fi
		esac ;;
	*vmmap)
		if [[ $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")
			return 0
		fi ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_procdx_opts "$cmd" "$sub")" -- "$cur")
	fi
	return 0
}

complete -F _procdx pstate zfind dstate memtop vmmap oomctl loadwhy iowho lifewatch
