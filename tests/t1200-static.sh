#!/bin/sh
# make static: every command fully static (musl when there is musl-gcc,
# else static glibc), small enough to copy onto a box, and working.
. "$(dirname "$0")/lib.sh"

if ! command -v musl-gcc >/dev/null 2>&1 &&
	! echo 'int main(void){return 0;}' | cc -static -x c -o "$TRASH/t" - 2>/dev/null; then
	test_skip 'make static' 'neither musl-gcc (musl-tools) nor a static libc'
	test_done
fi

# The objects and binaries go to the test's own directory, not static/ and
# build-static/ in the source tree: B, BIN and KINC given to make override
# the Makefile's.
STATIC=$TRASH/static
export STATIC

test_expect_success 'make static builds every command' '
	# Not the sanitizer build make check may be running in.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" -s static SANITIZE=0 \
		B="$TRASH/build-static" BIN="$STATIC" KINC="$TRASH/build-static/kinc" >log 2>&1 ||
		{ cat log; exit 1; }
	for c in "$TOP"/cmd/*.c; do
		t=$(basename "$c" .c)
		test -x "$STATIC/$t" || { echo "no static/$t"; exit 1; }
	done
'

test_expect_success 'they are static, and under 2 MiB each' '
	for f in "$STATIC"/*; do
		if ldd "$f" >out 2>&1; then echo "$f is dynamic"; cat out; exit 1; fi
		test "$(wc -c <"$f")" -lt 2097152 || { echo "$f too big"; exit 1; }
	done
'

test_expect_success 'they run: version, a census, zombies, the OOM list' '
	for f in "$STATIC"/*; do
		"$f" -V >out || exit 1
		grep -q "(procdx)" out || exit 1
	done &&
	"$STATIC/pstate" -J >p.json && test_valid_json p.json &&
	test_expect_code 1 "$STATIC/zfind" -q -p 1 &&
	"$STATIC/oomctl" list -N 3 -r -n >out && test "$(wc -l <out)" -eq 3 &&
	"$STATIC/pstate" -s S -p 1 -r -n -o user >out && echo root >expect &&
	test_cmp expect out
'

test_done
