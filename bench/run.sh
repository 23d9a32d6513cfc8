#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: times real workloads in a Debian guest under a native chroot,
# ptroot and Debian's proot, and writes the table to docs/performance.md.
# This script checks the dependencies, builds (or reuses) the rootfs and the
# sources, then runs bench/measure.sh in a private mount namespace, where
# /proc and /dev are bound into the rootfs for the native runs.
#
# Environment switches (see docs/performance.md):
#   BENCH_QUICK=1          few runs per workload (a quick look, noisy)
#   BENCH_RUNS=N           N timed runs per workload (start-up: 20 x N)
#   BENCH_ONLY=a,b,...     only these workloads (the table then goes to
#                          bench/out/performance.md, not docs/)
#   BENCH_PROOT=PATH       another proot binary in place of Debian's
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

# Dependencies.  `make bench` has already run tests/deps.sh (proot, strace,
# debootstrap, build-essential); hyperfine is the bench's own.
missing=
for p in hyperfine debootstrap proot strace python3 util-linux; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "bench: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		# shellcheck disable=SC2086
		apt-get install -y -q --no-install-recommends $missing
	else
		echo "bench: missing Debian packages:$missing" >&2
		echo "Install them with:" >&2
		echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
fi

# The point of the suite is the ratio to native, and native is a real
# chroot(2), which needs root (and so does debootstrap).
if [ "$(id -u)" != 0 ]; then
	echo "bench: cannot run the native baseline: it is a real chroot, which needs root." >&2
	echo "bench: the ratios to native are the point of the suite, so it stops here." >&2
	echo "bench: run it as root: sudo make bench" >&2
	exit 1
fi

case $BENCH_DIR in
*[!A-Za-z0-9_./-]*)
	# The launchers' command lines are split on spaces by hyperfine.
	echo "bench: the repository path must not contain spaces or quotes: $BENCH_DIR" >&2
	exit 1 ;;
esac

sh bench/rootfs.sh
sh bench/sources.sh

# The multi-threaded workload: static, so it needs nothing in the guest.
mkdir -p "$BENCH_OUT"
cc -std=gnu11 -O2 -Wall -Wextra -static -pthread -o "$BENCH_OUT/threads" bench/threads.c

# A copy of ./ptroot, so a rebuild while the bench runs changes nothing.
cp ./ptroot "$BENCH_OUT/ptroot.new"
mv "$BENCH_OUT/ptroot.new" "$BENCH_OUT/ptroot"

# How this run was started, for the report.
how=
for v in BENCH_QUICK BENCH_RUNS BENCH_ONLY BENCH_PROOT; do
	eval "val=\${$v:-}"
	[ -z "$val" ] || how="$how$v=$val "
done
if [ -n "${MAKELEVEL:-}" ]; then how="${how}make bench"; else how="${how}sh bench/run.sh"; fi

# A clean environment for everything measured: the guest must not see the
# host's PATH, locale or PTROOT_* switches.
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LC_ALL=C TERM="${TERM:-dumb}" \
	BENCH_QUICK="${BENCH_QUICK:-}" BENCH_RUNS="${BENCH_RUNS:-}" \
	BENCH_ONLY="${BENCH_ONLY:-}" BENCH_PROOT="${BENCH_PROOT:-}" \
	BENCH_HOW="$how" BENCH_REPO="$(pwd)" \
	unshare --mount --propagation private sh bench/measure.sh
