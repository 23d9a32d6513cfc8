#!/bin/sh
# SPDX-License-Identifier: MIT
# Every tests/guest program, x86_64 and i386, run natively (chroot) and under
# ptroot in the busybox guest with /proc bound: the transcripts must be the
# same.  A program whose native run fails or prints FAIL is reported as a
# broken oracle, not blamed on ptroot.
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs guest) || bail_all "no busybox rootfs"
BINDS=/proc
SCRATCH=$ROOT/tmp

# Only the programs named on the command line, if any (for debugging).
progs=${PTROOT_TEST_ONLY:-}
if [ -z "$progs" ]; then
	for src in "$TEST_TOP"/tests/guest/*.c; do
		progs="$progs $(basename "$src" .c)"
	done
fi

for prog in $progs; do
	for abi in t t32; do
		if ! [ -x "$ROOT/$abi/$prog" ]; then
			fail "$abi/$prog: not built (make guests)"
			continue
		fi
		compare_native "/$abi/$prog" "$ROOT" "/$abi/$prog"
		# The oracle itself must be sound.
		if [ "${NATIVE_STATE}" = yes ] &&
			{ [ "$(tail -n 1 "$LAST_NATIVE")" != exit=0 ] || grep -q '^FAIL' "$LAST_NATIVE"; }; then
			fail "/$abi/$prog: native run is not clean (oracle broken)"
			diag_file "$LAST_NATIVE" 30
		fi
	done
done
done_testing
