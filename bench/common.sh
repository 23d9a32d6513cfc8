# SPDX-License-Identifier: MIT
# Shared by the bench scripts: where things go, the recipe stamps that keep
# the slow parts (debootstrap, source downloads) cached until their recipe
# changes, and the Debian mirror.  Sourced, not run.

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "$0")" && pwd)}
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR/out}
# shellcheck disable=SC2034 # used by the scripts that source this one
ROOTFS=$BENCH_OUT/rootfs

# recipe_hash FILE...: one line that changes whenever one of the files does.
recipe_hash()
{
	cat "$@" | sha256sum | cut -d' ' -f1
}

# stamp_ok NAME HASH: true if $BENCH_OUT/NAME.stamp holds HASH.
stamp_ok()
{
	[ -f "$BENCH_OUT/$1.stamp" ] && [ "$(cat "$BENCH_OUT/$1.stamp")" = "$2" ]
}

# debian_mirror: $PTROOT_DEBIAN_MIRROR, else the first .../debian archive in
# the host's apt sources (deb822 or one-line), else deb.debian.org.
debian_mirror()
{
	if [ -n "${PTROOT_DEBIAN_MIRROR:-}" ]; then
		echo "$PTROOT_DEBIAN_MIRROR"
		return
	fi
	m=$({
		sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
			tr ' ' '\n'
		# One-line format: "deb [options] URI suite ...".
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
	} | grep -v security | grep '/debian/*$' | head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

# has_mounts DIR: true if anything is mounted at or below DIR (never delete
# such a tree: a bound /dev or /proc would be deleted with it).
has_mounts()
{
	d=$(cd "$1" 2>/dev/null && pwd -P) || return 1
	awk -v d="$d" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mountinfo
}
