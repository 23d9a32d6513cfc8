#!/bin/sh
# SPDX-License-Identifier: MIT
# -b HOST[:GUEST]: directories and files bound into the guest.  Where a native
# bind mount means the same thing, the transcript AND what lands on the host
# are compared with it; the rest (GUEST defaulting to HOST, mount points that
# do not exist in the guest, the '!' suffix) is checked against the spec.
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
SCRATCH="$ROOT/tmp"
H=$WORK/host
mkdir -p "$H" "$ROOT/mnt/bound" "$ROOT/mnt/outer/inner" "$ROOT/mnt/file"
: >"$ROOT/etc/bound-file"

# A host directory with some content, reset before each comparison.
fill_host()
{
	find "$H" -mindepth 1 -delete 2>/dev/null || rm -rf "${H:?}"/*
	mkdir -p "$H/sub" "$H/inner"
	echo "host file" >"$H/f"
	echo "deep" >"$H/sub/deep"
	ln -s f "$H/rel-link"
	ln -s ../f "$H/sub/up-link"
	printf '#!/bin/sh\necho "script $0 $1"; cat /etc/os-release | head -n 1\n' >"$H/script"
	chmod 755 "$H/script"
}

# bind NAME BINDS SCRIPT: compare natively, host side included.
bind()
{
	name=$1
	BINDS="/proc $2"
	PREPARE=fill_host DUMP_DIR=$H compare_native "$name" "$ROOT" /bin/sh -c "$3"
}

bind "read through a directory binding" "$H:/mnt/bound" \
	'cat /mnt/bound/f /mnt/bound/sub/deep /mnt/bound/rel-link /mnt/bound/sub/up-link; ls /mnt/bound | sort'
bind "writes through a binding land on the host" "$H:/mnt/bound" \
	'cd /mnt/bound && echo new > new && mkdir -p d/e && echo x > d/e/x && ln -s /mnt/bound/new d/abs && ln -s ../new d/rel && mv f moved && rm sub/deep && chmod 700 d && cat d/abs d/rel'
bind "rename and link inside a binding" "$H:/mnt/bound" \
	'cd /mnt/bound && ln f hard && mv sub sub2 && mv hard sub2/ && stat -c "%h" f && ls sub2 | sort'
bind ".. from inside a binding" "$H:/mnt/bound" \
	'cd /mnt/bound/sub && cd .. && pwd && cd .. && pwd && ls | sort && cd /mnt/bound/sub/../.. && pwd && ls /mnt/bound/.. | sort && cat /mnt/bound/sub/../f'
bind ".. through a binding path" "$H:/mnt/bound" \
	'ls /mnt/bound/../ | sort; stat -c "%F" /mnt/bound/.. /mnt/bound/../..; readlink -f /mnt/bound/sub/up-link'
bind "getcwd and /proc/self/cwd inside a binding" "$H:/mnt/bound" \
	'cd /mnt/bound/sub && pwd -P && readlink /proc/self/cwd && /bin/pwd'
bind "a binding over an existing guest directory" "$H:/etc" \
	'ls /etc | sort; cat /etc/f; cat /etc/passwd; echo status=$?'
bind "a file binding" "$H/f:/etc/bound-file" \
	'cat /etc/bound-file; echo more >> /etc/bound-file; stat -c "%F %s" /etc/bound-file'
bind "nested bindings: the longest prefix wins" "$H:/mnt/outer $H/sub:/mnt/outer/inner" \
	'ls /mnt/outer/inner | sort; cat /mnt/outer/inner/deep; cd /mnt/outer/inner && cd .. && pwd && ls | sort'
bind "programs executed from a binding" "$GUEST_BUILD:/mnt/bound" \
	'/mnt/bound/getcwd | head -n 2; cd /mnt/bound && ./exec-abi-switch 3'
bind "a script in a binding runs the guest's interpreter" "$H:/mnt/bound" \
	'/mnt/bound/script one; cd /mnt/bound && ./script two'
mkdir -p "$ROOT/host"
bind "the host's / bound at /host: .. goes back to the guest" "/:/host" \
	'cd /host && ls -d etc tmp && cd .. && pwd && ls / | sort | head -n 4; readlink -f /host/..; cat /host/../etc/os-release | head -n 1'
bind "/proc/self/exe of a program in a binding" "$GUEST_BUILD:/mnt/bound" \
	'/mnt/bound/readlink-proc-self | head -n 1'
bind "Unix sockets inside a binding" "$H:/tmp $GUEST_BUILD:/mnt/outer" \
	'/mnt/outer/af-unix && /mnt/outer/af-unix-dgram'

# GUEST omitted and HOST relative: bound at the absolute host path (from
# the current directory), as PRoot does, not at a path below the guest's "/".
fill_host
OLDPWD_=$(pwd)
cd "$H"
run_pt -r "$ROOT" -w / -b sub /bin/cat "$H/sub/deep"
cd "$OLDPWD_"
expect_stdout "deep" "-b RELATIVE-HOST: bound at its absolute path"
# GUEST omitted: the host path, also where the guest has no such directory.
fill_host
run_pt -r "$ROOT" -w / -b "$H" /bin/cat "$H/f" "$H/sub/deep"
expect_stdout "host file
deep" "-b HOST: bound at the same path in the guest"
run_pt -r "$ROOT" -w / -b "$H" /bin/sh -c "cd '$H/sub' && pwd && cd .. && pwd && ls | sort"
expect_stdout "$H/sub
$H
f
inner
rel-link
script
sub" "-b HOST: cwd inside it, and .."

# A GUEST path that does not exist in the rootfs.
run_pt -r "$ROOT" -w / -b "$H:/not/there/at/all" /bin/cat /not/there/at/all/f
expect_stdout "host file" "binding to a guest path missing from the rootfs"
run_pt -r "$ROOT" -w / -b "$H:/not/there" /bin/sh -c 'cd /not/there/sub && pwd'
expect_stdout "/not/there/sub" "cd into a binding on a missing guest path"

# A host file bound to a new guest file name.
run_pt -r "$ROOT" -w / -b "$H/f:/etc/new-name" /bin/cat /etc/new-name
expect_stdout "host file" "file binding to a new guest name"

# The guest path of a binding is resolved in the guest: through a guest
# symlink by default, onto the symlink itself with a trailing '!'.
ln -s etc "$ROOT/etc-link"
run_pt -r "$ROOT" -w / -b "$H:/etc-link" /bin/sh -c 'cat /etc/f; cat /etc/passwd >/dev/null 2>&1; echo passwd=$?'
expect_stdout "host file
passwd=1" "-b HOST:LINK binds onto the symlink's target"
run_pt -r "$ROOT" -w / -b "$H:/etc-link!" /bin/sh -c 'cat /etc-link/f; cat /etc/passwd >/dev/null 2>&1; echo passwd=$?'
expect_stdout "host file
passwd=0" "-b HOST:LINK! binds onto the symlink itself"

# The host path of a binding is resolved on the host: a symlink to a dir.
ln -s "$H" "$WORK/host-link"
run_pt -r "$ROOT" -w / -b "$WORK/host-link:/mnt/bound" /bin/cat /mnt/bound/sub/deep
expect_stdout "deep" "a host symlink as binding source"

# Several bindings, -m as a synonym, --bind=.
run_pt -r "$ROOT" -w / -m "$H/sub:/mnt/bound" --bind="$H/f:/etc/bound-file" /bin/sh -c 'cat /mnt/bound/deep /etc/bound-file'
expect_stdout "deep
host file" "-m and --bind= forms"

# Host paths never leak through getcwd/readlink of a binding.
run_pt -r "$ROOT" -w / -b "$H:/mnt/bound" -b /proc /bin/sh -c 'cd /mnt/bound && readlink /proc/self/cwd && readlink rel-link'
expect_stdout "/mnt/bound
f" "no host path in readlink of /proc/self/cwd inside a binding"
done_testing
