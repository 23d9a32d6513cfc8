#!/bin/sh
# SPDX-License-Identifier: MIT
# The differential test of issue 4: for each seed, tests/guest/diff-gen.c
# builds a random guest tree (with three bindings), runs NCASES random path
# syscalls in it under ptroot, then the same in a fresh copy of the tree under
# a real chroot (as root: a private mount namespace; as a user: a user
# namespace, root in it) with real bind mounts, and compares the two
# transcripts: every answer, the guest's view of the tree at the end, and the
# host side of the tree and of the bind sources.
#
# usage: tests/diff/run.sh [-v] SEED_FROM SEED_TO NCASES
#        tests/diff/run.sh [-v] -s "SEED SEED ..." NCASES
#
# Prints one line per seed ("seed N: same, L lines" or "seed N: DIVERGENCE")
# and for a divergence the start of the diff (-v: all of it) and where both
# transcripts were kept. Exits 0 when every seed agreed, 1 on a divergence,
# 2 when it could not run.
#
# Environment:
#   PTROOT_TEST_BIN  the ptroot binary (default ./ptroot of the repo)
#   DIFF_GEN         the generator (default build/guest/diff-gen;
#                    build/guest32/diff-gen for i386)
#   DIFF_WORK        work directory (default: a new one in ${TMPDIR:-/tmp},
#                    removed at the end unless a divergence was found)
#   DIFF_USER_MODE   1 to use only the modes of an unprivileged run (the
#                    default when not root); 0 to force root's modes
#   DIFF_GEN_FLAGS   more flags for diff-gen build and run (-k: also what
#                    hits the known bugs; see tests/guest/diff-gen.c)
#   DIFF_FULL_PATHS  1: guest paths up to 4094 bytes, whose host paths are
#                    longer than PATH_MAX (default: the deepest host path is
#                    4094 bytes; see docs/design.md, "Known limits")
#   DIFF_TIMEOUT     seconds allowed to one side of one seed (default 300)
#   PTROOT_NO_SECCOMP is passed on to ptroot.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PTROOT=${PTROOT_TEST_BIN:-$TOP/ptroot}
case $PTROOT in /*) ;; *) PTROOT=$TOP/$PTROOT ;; esac
GEN=${DIFF_GEN:-$TOP/build/guest/diff-gen}
case $GEN in /*) ;; *) GEN=$TOP/$GEN ;; esac
TIMEOUT=${DIFF_TIMEOUT:-300}

VERBOSE=0
if [ "${1:-}" = -v ]; then
	VERBOSE=1
	shift
fi
if [ "${1:-}" = -s ] && [ $# = 3 ]; then
	SEEDS=$2
	NCASES=$3
elif [ $# = 3 ]; then
	SEEDS=$(seq "$1" "$2")
	NCASES=$3
else
	echo "usage: $0 [-v] SEED_FROM SEED_TO NCASES | [-v] -s 'SEEDS' NCASES" >&2
	exit 2
fi
for f in "$PTROOT" "$GEN"; do
	[ -x "$f" ] || { echo "run.sh: no $f (make && make guests)" >&2; exit 2; }
done

if [ "$(id -u)" = 0 ]; then
	UNSHARE="unshare --mount --propagation private"
	USER_MODE=${DIFF_USER_MODE:-0}
else
	UNSHARE="unshare --user --map-root-user --mount --propagation private"
	USER_MODE=${DIFF_USER_MODE:-1}
fi
U=${DIFF_GEN_FLAGS:-}
[ "$USER_MODE" = 1 ] && U="$U -u"

KEEP=no
if [ -n "${DIFF_WORK:-}" ]; then
	W=$DIFF_WORK
	mkdir -p "$W"
	KEEP=yes
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/ptroot-diff.XXXXXX")
fi
cleanup()
{
	chmod -R u+rwX "$W/t" 2>/dev/null || true
	rm -rf "$W/t"
	[ "$KEEP" = yes ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$W/stdin"
# The deep chain of the tree is sized so that its host paths stay within
# PATH_MAX: the generator is told the length of the root's host path, as
# 100 bytes whenever it is shorter, so that a seed makes the same tree in
# any work directory.
PLEN=$(printf %s "$W/t/root" | wc -c)
[ "$PLEN" -ge 100 ] || PLEN=100
[ "${DIFF_FULL_PATHS:-0}" = 1 ] && PLEN=0
U="$U -p $PLEN"

CLEAN_ENV="PATH=/usr/bin:/bin HOME=/ LC_ALL=C"
[ -z "${PTROOT_NO_SECCOMP:-}" ] || CLEAN_ENV="$CLEAN_ENV PTROOT_NO_SECCOMP=$PTROOT_NO_SECCOMP"

# fresh SEED: a new tree in $W/t, its bindings in $W/binds
fresh()
{
	chmod -R u+rwX "$W/t" 2>/dev/null || true
	rm -rf "$W/t"
	"$GEN" build "$1" "$W/t" $U >"$W/binds"
}

# side NAME SEED: one run into $W/NAME.out
side()
{
	out=$W/$1.out
	fresh "$2"
	st=0
	if [ "$1" = ptroot ]; then
		set -- -r "$W/t/root" -w / -b /proc
		while read -r b; do
			set -- "$@" -b "$b"
		done <"$W/binds"
		# shellcheck disable=SC2086
		timeout -k 5 "$TIMEOUT" env -i $CLEAN_ENV "$PTROOT" "$@" \
			/diff-gen run "$seed" "$NCASES" $U >"$out" 2>&1 <"$W/stdin" || st=$?
	else
		# shellcheck disable=SC2046,SC2086
		timeout -k 5 "$TIMEOUT" env -i $CLEAN_ENV $UNSHARE "$GEN" native "$W/t/root" \
			$(cat "$W/binds") -- /diff-gen run "$seed" "$NCASES" $U >"$out" 2>&1 <"$W/stdin" || st=$?
	fi
	echo "exit=$st" >>"$out"
	echo "--- host side:" >>"$out"
	"$GEN" hostdump "$W/t" >>"$out" 2>&1
}

BAD=0
BAD_SEEDS=
for seed in $SEEDS; do
	side ptroot "$seed"
	side native "$seed"
	if ! grep -q '^seed ' "$W/ptroot.out" && grep -q '^exit=12[67]$' "$W/ptroot.out"; then
		echo "seed $seed: ptroot could not run (rebuilt meanwhile?):"
		head -n 3 "$W/ptroot.out"
		exit 2
	fi
	if grep -q '^exit=[^0]' "$W/native.out" || ! grep -q '^end$' "$W/native.out"; then
		echo "seed $seed: the native run failed (oracle broken):"
		grep -v '^[0-9]*: ' "$W/native.out" | head -n 5
		exit 2
	fi
	if cmp -s "$W/native.out" "$W/ptroot.out"; then
		echo "seed $seed: same, $(wc -l <"$W/native.out") lines"
	else
		BAD=$((BAD + 1))
		BAD_SEEDS="$BAD_SEEDS $seed"
		KEEP=yes
		cp "$W/native.out" "$W/native.$seed"
		cp "$W/ptroot.out" "$W/ptroot.$seed"
		echo "seed $seed: DIVERGENCE ($NCASES cases, diff-gen flags:$U): first differences (--- native, +++ ptroot):"
		if [ $VERBOSE = 1 ]; then
			diff -u "$W/native.$seed" "$W/ptroot.$seed" || true
		else
			diff -u "$W/native.$seed" "$W/ptroot.$seed" | sed -n '3,30p' || true
		fi
		echo "  transcripts: $W/native.$seed $W/ptroot.$seed"
	fi
done
if [ $BAD != 0 ]; then
	echo "divergent seeds:$BAD_SEEDS (rerun: tests/diff/run.sh -s '${BAD_SEEDS# }' $NCASES)"
	exit 1
fi
exit 0
