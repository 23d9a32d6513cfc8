#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: a short tour.  Prepares the busybox guest (fast, no network)
# and, as root or when already cached, the Debian trixie guest, then runs a
# few programs in them that show they live in the guest, next to the same
# commands on the host.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
PT=${PTROOT_TEST_BIN:-./ptroot}
BB=tests/rootfs/out/busybox
TX=tests/rootfs/out/trixie

if [ -t 1 ]; then
	BOLD=$(printf '\033[1m') PLAIN=$(printf '\033[0m')
else
	BOLD='' PLAIN=''
fi

heading()
{
	printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"
}

# show CMD...: print the command (quoted where needed), run it, and report a
# failure without stopping.
show()
{
	printf '$'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./=:-]* | '') printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	echo
	"$@" || echo "(exit status $?)"
}

heading "Preparing the busybox guest ($BB)"
sh tests/rootfs/busybox.sh
echo "ready: $(ls "$BB/bin" | wc -l) programs in its /bin"

heading "The host"
show /bin/sh -c '. /etc/os-release; echo "os: $PRETTY_NAME"; echo "cwd=$(pwd)"; ls / | tr "\n" " "; echo'

heading "Inside the busybox guest, as $(id -un)"
show "$PT" -r "$BB" -b /proc -w / /bin/sh -c \
	'cat /etc/os-release 2>/dev/null || echo no os-release; echo $(ls /); echo cwd=$(pwd); readlink /proc/self/exe'
show "$PT" -r "$BB" -w /tmp /bin/sh -c 'echo cwd=$(pwd); cd ../..; echo "after cd ../..: $(pwd)"'

if [ -f "$TX.stamp" ] || [ "$(id -u)" = 0 ]; then
	heading "Preparing the Debian trixie guest ($TX)"
	if sh tests/rootfs/debian.sh; then
		heading "Debian trixie (glibc 2.41) inside, Debian bookworm (glibc 2.36) outside"
		echo "host:"
		show /bin/sh -c 'cat /etc/debian_version; ldd --version | head -n 1'
		echo "guest:"
		show "$PT" -r "$TX" -w / /bin/sh -c 'cat /etc/debian_version; ldd --version | head -n 1'
		show "$PT" -r "$TX" -b /proc -w / /bin/bash -c 'echo "bash $BASH_VERSION, $(readlink /proc/self/exe)"; getconf GNU_LIBC_VERSION'
	fi
else
	heading "Debian trixie guest: skipped (not built; run 'sudo sh tests/rootfs/debian.sh' once)"
fi
