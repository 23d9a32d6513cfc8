#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds tests/rootfs/out/trixie: a Debian 13 "trixie" minbase made with
# debootstrap.  Its glibc (2.41) is newer than the build host's (bookworm,
# 2.36), so a guest program that prints 2.41 proves it ran with the guest's
# ld.so and libc.  Needs root (debootstrap); cached until this file changes.
#
# The mirror is the host's own Debian mirror (from its apt sources) unless
# PTROOT_DEBIAN_MIRROR says otherwise.
set -eu

. "$(dirname "$0")/common.sh"

NAME=trixie
SUITE=trixie
# Small packages the tests use; the rest of minbase comes with them.
INCLUDE=bash,coreutils,findutils,grep,sed,tar,gzip,diffutils,perl-base,libc-bin
HASH=$(recipe_hash "$0" "$ROOTFS_DIR/common.sh")

if stamp_ok "$NAME" "$HASH"; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "tests/rootfs/debian.sh: building the trixie rootfs needs root (debootstrap)." >&2
	echo "Run 'make check' as root once, or: sudo sh tests/rootfs/debian.sh" >&2
	exit 1
fi

# host_mirror: the first Debian archive URI in the host's apt sources (deb822
# or one-line format), skipping the security archive.
host_mirror()
{
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p'
	} | grep -v -e security -e '^$' | grep '/debian/*$' | head -n 1
}

MIRROR=${PTROOT_DEBIAN_MIRROR:-$(host_mirror)}
if [ -z "$MIRROR" ]; then
	echo "tests/rootfs/debian.sh: no Debian mirror in the apt sources; set PTROOT_DEBIAN_MIRROR" >&2
	exit 1
fi

mkdir -p "$ROOTFS_OUT"
TARGET=$ROOTFS_OUT/$NAME
WORK=$ROOTFS_OUT/$NAME.new
rm -rf "$WORK" "$ROOTFS_OUT/$NAME.stamp"

echo "debian.sh: debootstrap $SUITE (minbase) from $MIRROR into $TARGET"
start=$(now)
# The debian-archive-keyring of bookworm verifies trixie: trixie's Release
# is signed with the bookworm keys as well as its own.
if ! debootstrap --variant=minbase --include="$INCLUDE" \
	--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
	"$SUITE" "$WORK" "$MIRROR" >"$ROOTFS_OUT/$NAME.log" 2>&1; then
	tail -n 30 "$ROOTFS_OUT/$NAME.log" >&2
	echo "debian.sh: debootstrap failed, full log in $ROOTFS_OUT/$NAME.log" >&2
	exit 1
fi

# Keep the tree small and deterministic: no package caches or lists.
rm -rf "$WORK"/var/cache/apt/archives/*.deb "$WORK"/var/lib/apt/lists/* \
	"$WORK"/var/cache/apt/*.bin
# Empty mount points for the tests' bindings.
mkdir -p "$WORK/proc" "$WORK/sys" "$WORK/dev" "$WORK/tmp" "$WORK/t" "$WORK/t32"
chmod 1777 "$WORK/tmp"
# An unprivileged test user must be able to read the whole tree (the guest
# programs and the native oracle both run as that user).  Nothing in here is
# secret: it is a test fixture.
chmod -R a+rX "$WORK"

rm -rf "$TARGET"
mv "$WORK" "$TARGET"
echo "$HASH" >"$ROOTFS_OUT/$NAME.stamp"
echo "debian.sh: done in $(($(now) - start))s ($(du -sh "$TARGET" | cut -f1))"
