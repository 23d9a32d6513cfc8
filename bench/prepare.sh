#!/bin/sh
# SPDX-License-Identifier: MIT
# hyperfine's --prepare step for the build workloads: gives the next timed
# run a clean tree.  `prepare.sh FROM TO` replaces the guest's /bench/work/TO
# with a copy of /bench/pristine/FROM (cp -a keeps the mtimes, so make sees
# the same up-to-date files every time).  Runs on the host, not timed.
set -eu

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

[ $# = 2 ] || { echo "usage: prepare.sh FROM TO" >&2; exit 2; }
rm -rf "$ROOTFS/bench/work/$2"
mkdir -p "$ROOTFS/bench/work"
cp -a "$ROOTFS/bench/pristine/$1" "$ROOTFS/bench/work/$2"
