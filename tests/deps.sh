#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian packages that building ptroot and running its tests need.
# All installed: say nothing.  Missing: install them when root, else print
# the command to run and fail.
set -eu

PACKAGES="build-essential gcc-multilib busybox-static debootstrap proot strace
file ca-certificates perl bash coreutils util-linux procps"

missing=
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
else
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "Install them with:" >&2
	echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
