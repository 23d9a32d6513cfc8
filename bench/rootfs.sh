#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds bench/out/rootfs: a Debian 12 "bookworm" minbase with a C toolchain
# (build-essential), made with debootstrap.  The benchmark's workloads all run
# in it.  Needs root; cached until this file changes.
set -eu

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

SUITE=bookworm
# build-essential brings gcc, make, libc6-dev, dpkg-dev, perl; the rest are
# in minbase already but are named because the workloads use them.
INCLUDE=build-essential,findutils,tar,gzip,xz-utils,coreutils,grep,sed,mawk,diffutils
HASH=$(recipe_hash "$0")

if [ -d "$ROOTFS" ] && stamp_ok rootfs "$HASH"; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "bench/rootfs.sh: building the rootfs needs root (debootstrap)." >&2
	exit 1
fi

MIRROR=$(debian_mirror)
WORK=$ROOTFS.new
mkdir -p "$BENCH_OUT"
for d in "$ROOTFS" "$WORK"; do
	if has_mounts "$d"; then
		echo "bench/rootfs.sh: something is mounted under $d; unmount it first" >&2
		exit 1
	fi
done
rm -rf "$WORK" "$BENCH_OUT/rootfs.stamp"

echo "rootfs.sh: debootstrap $SUITE (minbase + build-essential) from $MIRROR"
start=$(date +%s)
if ! debootstrap --variant=minbase --include="$INCLUDE" \
	--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
	"$SUITE" "$WORK" "$MIRROR" >"$BENCH_OUT/rootfs.log" 2>&1; then
	tail -n 30 "$BENCH_OUT/rootfs.log" >&2
	echo "rootfs.sh: debootstrap failed, full log in $BENCH_OUT/rootfs.log" >&2
	exit 1
fi
# No package caches or lists: they are not part of what the workloads read.
rm -rf "$WORK"/var/cache/apt/archives/*.deb "$WORK"/var/lib/apt/lists/* \
	"$WORK"/var/cache/apt/*.bin
mkdir -p "$WORK/proc" "$WORK/dev" "$WORK/tmp" "$WORK/bench"
chmod 1777 "$WORK/tmp"

rm -rf "$ROOTFS"
mv "$WORK" "$ROOTFS"
echo "$HASH" >"$BENCH_OUT/rootfs.stamp"
echo "rootfs.sh: done in $(($(date +%s) - start))s ($(du -sh "$ROOTFS" | cut -f1))"
