#!/bin/sh
# SPDX-License-Identifier: MIT
# `make fuzz-diff`: the differential test (tests/diff/run.sh) with seeds
# drawn from /dev/urandom, until TOTAL cases have run, PER_SEED cases a seed.
# Prints progress and the seed of every divergence; exits 1 if there was one
# (the transcripts are kept, run.sh says where), 0 otherwise.
#
# usage: tests/diff/fuzz.sh TOTAL PER_SEED
# Environment: as tests/diff/run.sh (PTROOT_TEST_BIN, DIFF_GEN, ...);
# FUZZ_DIFF_LOG (default build/fuzz-diff.log) gets every seed's line.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TOTAL=${1:-1000000}
PER=${2:-1000}
LOG=${FUZZ_DIFF_LOG:-$TOP/build/fuzz-diff.log}
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
done_cases=0
bad=0
bad_seeds=
t0=$(date +%s)
who="$(id -un)"
echo "fuzz-diff: $TOTAL cases, $PER a seed, as $who${PTROOT_NO_SECCOMP:+, PTROOT_NO_SECCOMP=$PTROOT_NO_SECCOMP}; log: $LOG"
while [ "$done_cases" -lt "$TOTAL" ]; do
	seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	st=0
	sh "$TOP/tests/diff/run.sh" -s "$seed" "$PER" >>"$LOG" 2>&1 || st=$?
	if [ $st = 1 ]; then
		bad=$((bad + 1))
		bad_seeds="$bad_seeds $seed"
		echo "fuzz-diff: DIVERGENCE with seed $seed ($PER cases): tests/diff/run.sh -s $seed $PER"
	elif [ $st != 0 ]; then
		echo "fuzz-diff: run.sh could not run (status $st), seed $seed:"
		tail -n 5 "$LOG"
		exit 2
	fi
	done_cases=$((done_cases + PER))
	if [ $((done_cases % (PER * 50))) = 0 ] || [ "$done_cases" -ge "$TOTAL" ]; then
		echo "fuzz-diff: $done_cases cases, $bad divergent seeds, $(($(date +%s) - t0)) s"
	fi
done
if [ $bad != 0 ]; then
	echo "fuzz-diff: $bad divergent seeds:$bad_seeds"
	exit 1
fi
echo "fuzz-diff: $TOTAL cases, 0 divergences"
