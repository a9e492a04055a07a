#!/bin/sh
# Robustness on the live system: a fork storm during repeated scans, a full
# or closed standard output, bad options.
. "$(dirname "$0")/lib.sh"

test_expect_success 'scans during a fork storm: no error, nothing on stderr' '
	"$HELPERS/forkstorm" 4 >storm.out &
	storm=$! &&
	i=0 && while [ $i -lt 25 ]; do
		"$BIN/pstate" >/dev/null 2>>err || exit 1
		"$BIN/pstate" -t -s R,S,Z -o pid,tid,state,comm,user,wchan,cmd >/dev/null 2>>err ||
			exit 1
		"$BIN/zfind" --all >/dev/null 2>>err; rc=$?
		[ $rc -le 1 ] || exit 1
		"$BIN/zfind" --parents -J >z.json 2>>err; rc=$?
		[ $rc -le 1 ] || exit 1
		test_valid_json z.json || exit 1
		"$BIN/memtop" -o pid,rss,pss,uss,swap,comm >/dev/null 2>>err || exit 1
		"$BIN/memtop" -N 5 >/dev/null 2>>err || exit 1
		"$BIN/memtop" -x rss -r -n -o pid,rss,comm >rss.out 2>>err || exit 1
		awk "NF != 3 || \$1 !~ /^[0-9]+\$/ || \$2 !~ /^[0-9]+\$/ { print; bad = 1 }
			END { exit bad }" rss.out || exit 1
		i=$((i + 1))
	done &&
	wait $storm &&
	# memtop may rightly say that it could not walk a process in D (the
	# tests around may run one) or one with capabilities this one lacks.
	grep -Ev "^memtop: PSS unknown for [0-9]+ of [0-9]+ processes: (in D|permission denied)" \
		err >other;
	test_cmp /dev/null other
'

for cmd in "pstate" "pstate -s S,R -o +cmd" "zfind --parents" "zfind -p 1 -J" "memtop --stats" \
	"memtop -N 3 -o +cmd"; do
	# shellcheck disable=SC2086
	test_expect_success "$cmd into /dev/full: error and exit 3" '
		test_expect_code 3 "$BIN"/$cmd >/dev/full 2>err &&
		grep -qx "${cmd%% *}: write error: No space left on device" err &&
		test "$(wc -l <err)" -eq 1
	'
done

if is_root; then
	# Closed, fd 1 would be the next file opened: lifewatch's netlink socket
	# took it and the events went there for the whole watch.
	test_expect_success 'a closed stdout stays closed: lifewatch ends at once, exit 3' '
		test_expect_code 3 timeout 10 "$BIN/lifewatch" -d 60 <&- >&- 2>err &&
		grep -q "^lifewatch: write error: Bad file descriptor$" err
	'
else
	test_skip 'a closed stdout (lifewatch)' 'needs root for the proc connector'
fi

test_expect_success 'zfind --count -q: nothing printed, only the status' '
	"$BIN/zfind" --count -q >out; rc=$?
	[ $rc -le 1 ] && test_cmp /dev/null out
'

test_expect_success 'into a closed pipe: quiet' '
	{ "$BIN/pstate" -t -s S,R,I,Z -o pid,tid,cmd 2>err; echo $? >rc; } | head -c 1 >/dev/null &&
	test_cmp /dev/null err &&
	rc=$(cat rc) && { [ "$rc" -eq 0 ] || [ "$rc" -eq 141 ]; }
'

test_expect_success 'usage errors: one line, a hint, exit 2' '
	for args in "--bogus" "-o nosuchcol" "-x nosuchcol" "-p 12x" "-p 0" \
		"-u no-such-user-xyz" "--format yaml" "extra-arg"; do
		# shellcheck disable=SC2086
		test_expect_code 2 "$BIN/pstate" $args 2>err >out || exit 1
		test_cmp /dev/null out || exit 1
		grep -q "^Try .pstate --help.\.$" err || exit 1
		# shellcheck disable=SC2086
		test_expect_code 2 "$BIN/zfind" $args 2>err >out || exit 1
		grep -q "^Try .zfind --help.\.$" err || exit 1
	done
'

test_expect_success 'every command: a usage error is one line and the hint, exit 2' '
	for cmd in pstate zfind dstate memtop vmmap oomctl loadwhy iowho lifewatch; do
		for args in "-Z" "--bogus" "-o" "--help=x" "-p ," "-C ," "--proc=" \
			"--cgroup=rel/path" "--cgroup=/procdx-no-such-cgroup-$$"; do
			# shellcheck disable=SC2086
			test_expect_code 2 "$BIN/$cmd" $args >out 2>err || exit 1
			test_cmp /dev/null out || exit 1
			test "$(wc -l <err)" -eq 2 || { echo "$cmd $args:"; cat err; exit 1; }
			head -n 1 err | grep -q "^$cmd: ." || { cat err; exit 1; }
			tail -n 1 err | grep -qx "Try .$cmd --help.\." || { cat err; exit 1; }
		done
	done
'

test_expect_success '--help to stdout, exit 0; -V prints the version' '
	"$BIN/pstate" --help >out && grep -q "^Usage: pstate" out &&
	"$BIN/zfind" -h >out && grep -q "^Usage: zfind" out &&
	"$BIN/zfind" -V >out && grep -q "^zfind (procdx) " out
'

test_expect_success 'a missing proc root is a fatal error naming it' '
	test_expect_code 3 "$BIN/zfind" --proc /nonexistent 2>err &&
	grep -qx "zfind: cannot open /nonexistent: No such file or directory" err &&
	PROCDX_PROC=/nonexistent test_expect_code 3 "$BIN/pstate" 2>err &&
	grep -q "cannot open /nonexistent" err
'

# What a container sees when the bind mount of the host's /proc failed:
# an empty directory, which must not read as a calm machine.
test_expect_success 'an empty directory as proc root is a fatal error in every command' '
	mkdir empty &&
	for c in pstate zfind dstate memtop oomctl loadwhy iowho lifewatch; do
		test_expect_code 3 "$BIN/$c" --proc empty >out 2>err || exit 1
		grep -qx "$c: empty is not a proc tree: no stat, uptime or process in it" err ||
			{ cat err; exit 1; }
		test ! -s out || exit 1
	done &&
	test_expect_code 3 "$BIN/vmmap" --proc empty 1 2>err &&
	grep -q "empty is not a proc tree" err
'

# A proc mount that hides processes: every command that walks it says so,
# or its counts pass for the machine's; one PID asked for is said to be
# refused or perhaps hidden, not simply gone. The mount is made in a mount
# namespace of its own, seen by nobody else, and read as uid 65534.
if nobody_can_run && command -v unshare >/dev/null 2>&1 &&
	unshare -m --propagation private true 2>/dev/null; then
	start_scenario hz hostile-name 7a6f6d626965 zombie || exit 1
	HZ=$(scenario_pid hz pid)
	export HZ
	for hp in invisible ptraceable noaccess; do
		test_expect_success "hidepid=$hp: each walk of it says what it hides" '
			chmod 711 "$TRASH" && mkdir -p hp && rm -f err &&
			unshare -m --propagation private sh -c "
				mount -t proc -o hidepid=$hp proc hp || exit 1
				for c in pstate \"zfind --all\" \"loadwhy -a -i 0.1\" \"vmmap $HZ\" \\
					\"oomctl explain $HZ\" \"iowho -a -i 0.1\" \"lifewatch -d 0.2\"; do
					setpriv --reuid=65534 --regid=65534 --clear-groups \
						\"\$0\"/\$c --proc hp >/dev/null 2>>err
				done
				umount hp
			" "$BIN" &&
			case $hp in
			invisible) note="other users'"'"' processes are hidden" ;;
			ptraceable) note="processes we may not ptrace are hidden" ;;
			noaccess) note="other users'"'"' process details are hidden" ;;
			esac &&
			for c in pstate zfind loadwhy iowho lifewatch; do
				grep -qx "$c: hidepid=$hp: $note" err || { cat err; return 1; }
			done &&
			for c in vmmap oomctl; do
				case $hp in
				noaccess) grep -q "^$c: cannot read hp/$HZ/stat: Permission denied" err ;;
				*) grep -qx "$c: no process $HZ (or it is hidden: hidepid=$hp)" err ;;
				esac || { cat err; return 1; }
			done
		'
	done
else
	test_skip 'hidepid mounts' "${NOBODY_WHY:-needs unshare -m}"
fi

test_expect_success '-H lists every column with its privilege' '
	"$BIN/zfind" -H -r >out &&
	head -1 out >h && echo "NAME TYPE PRIVILEGE MEANING" >expect && test_cmp expect h &&
	grep -q "^WHY text none" out &&
	"$BIN/pstate" -H -J >out.json && test_valid_json out.json
'

test_done
