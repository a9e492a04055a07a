#!/bin/sh
# Replay every fuzz target's corpus through its plain (non-libFuzzer) build:
# the parsers must survive every input that libFuzzer kept, with the
# invariants each target asserts.
. "$(dirname "$0")/lib.sh"

for f in "$TOP"/tests/fuzz/fuzz-*.c; do
	name=$(basename "$f" .c)
	target=${name#fuzz-}
	test_expect_success "$name replays tests/fuzz/corpus/$target" '
		test -d "$TOP/tests/fuzz/corpus/'"$target"'" &&
		"$HELPERS/'"$name"'" "$TOP/tests/fuzz/corpus/'"$target"'" >out 2>err &&
		grep -q "^ok 1 - " out
	'
done

test_done
