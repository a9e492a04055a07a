#!/bin/sh
# make static: every command fully static (musl when there is musl-gcc,
# else static glibc), small enough to copy onto a box, and working.
. "$(dirname "$0")/lib.sh"

if ! command -v musl-gcc >/dev/null 2>&1 &&
	! echo 'int main(void){return 0;}' | cc -static -x c -o "$TRASH/t" - 2>/dev/null; then
	test_skip 'make static' 'neither musl-gcc (musl-tools) nor a static libc'
	test_done
fi

test_expect_success 'make static builds every command' '
	# Not the sanitizer build make check may be running in.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" -s static SANITIZE=0 >log 2>&1 ||
		{ cat log; exit 1; }
	for c in "$TOP"/cmd/*.c; do
		t=$(basename "$c" .c)
		test -x "$TOP/static/$t" || { echo "no static/$t"; exit 1; }
	done
'

test_expect_success 'they are static, and under 2 MiB each' '
	for f in "$TOP"/static/*; do
		if ldd "$f" >out 2>&1; then echo "$f is dynamic"; cat out; exit 1; fi
		test "$(wc -c <"$f")" -lt 2097152 || { echo "$f too big"; exit 1; }
	done
'

test_expect_success 'they run: version, a census, zombies, the OOM list' '
	for f in "$TOP"/static/*; do
		"$f" -V >out || exit 1
		grep -q "(procdx)" out || exit 1
	done &&
	"$TOP/static/pstate" -J >p.json && test_valid_json p.json &&
	test_expect_code 1 "$TOP/static/zfind" -q -p 1 &&
	"$TOP/static/oomctl" list -N 3 -r -n >out && test "$(wc -l <out)" -eq 3 &&
	"$TOP/static/pstate" -s S -p 1 -r -n -o user >out && echo root >expect &&
	test_cmp expect out
'

test_done
