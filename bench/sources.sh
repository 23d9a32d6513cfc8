#!/bin/sh
# SPDX-License-Identifier: MIT
# Downloads the sources the build workloads compile, from Debian's source
# packages of bookworm: GNU hello (a real autotools package) and Lua 5.4.
# The host has no deb-src lines, so apt-get runs with a private configuration
# (its own sources.list, lists and cache under bench/out/apt).  Only the
# upstream tarballs (*.orig.tar.*) are used: they build without Debian's
# patches or dpkg-dev.  Cached in bench/out/src until this file changes.
set -eu

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

SUITE=bookworm
PACKAGES="hello lua5.4"
HASH=$(recipe_hash "$0")
SRC=$BENCH_OUT/src

if [ -d "$SRC" ] && stamp_ok sources "$HASH"; then
	exit 0
fi

MIRROR=$(debian_mirror)
APT=$BENCH_OUT/apt
rm -rf "$APT" "$SRC.new" "$BENCH_OUT/sources.stamp"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$APT/prefs" "$SRC.new"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" \
	>"$APT/sources.list"

# apt_private ARG...: apt-get that sees only our deb-src line and keeps its
# state out of /var/lib/apt.  As root, apt would drop to the _apt user to
# download into directories that user cannot write: keep root instead.
apt_private()
{
	apt-get -q \
		-o Dir::Etc::SourceList="$APT/sources.list" \
		-o Dir::Etc::SourceParts="$APT/parts" \
		-o Dir::Etc::PreferencesParts="$APT/prefs" \
		-o Dir::State::Lists="$APT/lists" \
		-o Dir::Cache="$APT/cache" \
		-o APT::Sandbox::User="$(id -un)" \
		-o Debug::NoLocking=true \
		"$@"
}

echo "sources.sh: apt-get source $PACKAGES ($SUITE, from $MIRROR)"
apt_private update >"$APT/update.log" 2>&1 || {
	cat "$APT/update.log" >&2
	echo "sources.sh: apt-get update (deb-src $SUITE) failed" >&2
	exit 1
}
# apt checks every file against the signed Sources index it just fetched.
# shellcheck disable=SC2086
(cd "$SRC.new" && apt_private source --download-only $PACKAGES) >"$APT/source.log" 2>&1 || {
	cat "$APT/source.log" >&2
	echo "sources.sh: apt-get source failed" >&2
	exit 1
}

# One unpacked, pristine upstream tree per package: src/hello, src/lua.
unpack()
{
	tarball=
	for f in "$SRC.new"/"$1"_*.orig.tar.*; do
		case $f in *.asc) ;; *) tarball=$f ;; esac
	done
	[ -n "$tarball" ] || { echo "sources.sh: no upstream tarball for $1" >&2; exit 1; }
	mkdir "$SRC.new/$2"
	tar -xf "$tarball" -C "$SRC.new/$2" --strip-components=1
}
unpack hello hello
unpack lua5.4 lua

rm -rf "$SRC"
mv "$SRC.new" "$SRC"
echo "$HASH" >"$BENCH_OUT/sources.stamp"
echo "sources.sh: unpacked in $SRC: hello, lua"
