#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: bad input fails cleanly (status 1-125, never a crash or
# a hang) with a message naming the culprit; command lookup in the guest's
# $PATH with 127/126 like a shell; -V, -h; no -r means "/"; no command means
# the guest's /bin/sh as a login shell; -R adds the usual host bindings.
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
mkdir -p "$ROOT/usr/local/bin"
printf '#!/bin/sh\necho only in the guest\n' >"$ROOT/usr/local/bin/only-in-guest"
chmod 755 "$ROOT/usr/local/bin/only-in-guest"

# --- bad input
run_pt --bogus-option -r "$ROOT" /bin/true
expect_status 1 "unknown option: status 1"
expect_stderr_has --bogus-option "unknown option: named in the message"
run_pt -r
expect_failure "-r without its argument"
run_pt -r "$WORK/missing-rootfs" /bin/true
expect_failure "missing rootfs fails"
expect_stderr_has "$WORK/missing-rootfs" "missing rootfs: named in the message"
run_pt -r "$ROOT/etc/passwd" /bin/true
expect_failure "rootfs that is a file fails"
expect_stderr_has "$ROOT/etc/passwd" "rootfs that is a file: named in the message"
run_pt -r "$ROOT" -b "$WORK/missing-source:/mnt" /bin/true
expect_failure "missing bind source fails"
expect_stderr_has "$WORK/missing-source" "missing bind source: named in the message"
long=$WORK
while [ ${#long} -lt 5000 ]; do long=$long/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done
run_pt -r "$long" /bin/true
expect_failure "rootfs path longer than PATH_MAX fails cleanly"
run_pt -r "$ROOT" -b "$long:/mnt" /bin/true
expect_failure "bind source longer than PATH_MAX fails cleanly"
run_pt -r "$ROOT" -v notanumber /bin/true
expect_failure "-v with a non-number"

# --- command lookup, in the guest
run_pt -r "$ROOT" -w / nonexistent-command
expect_status 127 "command not found: 127"
expect_stderr_has nonexistent-command "command not found: named in the message"
run_pt -r "$ROOT" -w / /bin/nonexistent
expect_status 127 "missing absolute command: 127"
expect_stderr_has /bin/nonexistent "missing absolute command: named in the message"
run_pt -r "$ROOT" -w / /etc/passwd
expect_status 126 "not executable: 126"
expect_stderr_has /etc/passwd "not executable: named in the message"
run_pt -r "$ROOT" -w / /etc
expect_status 126 "a directory as the command: 126"
run_pt -r "$ROOT" -w / only-in-guest
expect_stdout "only in the guest" "the command is looked up in the guest's \$PATH"
run_pt -r "$ROOT" -w / perl -e 1
expect_status 127 "a command only the host has is not found"
run_pt -r "$ROOT" -w / ls /t/getcwd
expect_stdout /t/getcwd "a relative command name (busybox applet link)"
run_pt -r "$ROOT" -w /bin ./echo dot-slash
expect_stdout dot-slash "./command relative to the guest cwd"

# --- options and arguments
run_pt -r "$ROOT" -w / /bin/echo -r -w -b x
expect_stdout "-r -w -b x" "options after the command are the command's"
run_pt -r "$ROOT" -w / -- /bin/echo after-dashes
expect_stdout after-dashes "-- ends the options"
run_pt --rootfs="$ROOT" --cwd=/etc /bin/pwd
expect_stdout /etc "--rootfs= and --cwd="
run_pt -v 1 -r "$ROOT" -w / /bin/echo verbose
expect_stdout verbose "-v 1: the guest's stdout is untouched"
run_pt -r "$ROOT" -w / /bin/sh -c 'exit 0' extra args
expect_status 0 "arguments after sh -c"

# --- what the guest inherits from ptroot's caller
run_cmd sh -c "umask 027 && env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' -w / /bin/sh -c umask"
expect_stdout 0027 "the umask is inherited"
run_cmd env -i $CLEAN_ENV FOO="bar baz" timeout 30 "$PTROOT" -r "$ROOT" -w / /bin/sh -c 'echo "$FOO"'
expect_stdout "bar baz" "the environment is inherited"
run_cmd sh -c "ulimit -n 200 && env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' -w / /bin/sh -c 'ulimit -n'"
expect_stdout 200 "resource limits are inherited"

# --- -V, -h
run_pt -V
expect_status 0 "-V exits 0"
expect_stdout_has ptroot "-V names ptroot"
run_pt --version
expect_status 0 "--version exits 0"
run_pt -h
expect_status 0 "-h exits 0"
for opt in -r -b -w --kill-on-exit; do
	expect_stdout_has "$opt" "-h documents $opt"
done
run_pt --help
expect_status 0 "--help exits 0"

# --- no -r: the host's / is the guest's
run_pt -w / /bin/ls /
expect_stdout "$(ls /)" "no -r: ls / is the host's"
run_pt -w / getconf GNU_LIBC_VERSION
expect_stdout "$(getconf GNU_LIBC_VERSION)" "no -r: the host's libc"

# --- no command: the guest's /bin/sh as a login shell (reads /etc/profile)
run_cmd sh -c "printf 'echo profile=\$GUEST_PROFILE_READ; exit 3\n' | env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' -w /"
expect_status 3 "no command: a shell reading stdin, its exit status"
expect_stdout "profile=yes" "no command: a login shell (read /etc/profile)"

# --- -R and -S: the rootfs plus the usual host bindings
marker=$(mktemp /tmp/ptroot-cli-marker.XXXXXX)
mkdir -p "$WORK/home"
echo at-home >"$WORK/home/marker"
for opt in -R -S; do
	run_cmd env -i $CLEAN_ENV HOME="$WORK/home" timeout 30 "$PTROOT" $opt "$ROOT" -w / /bin/sh -c \
		"test -e /proc/self/exe && echo proc; test -c /dev/null && echo dev; test -d /sys/kernel && echo sys; test -f '$marker' && echo tmp; cat '$WORK/home/marker'"
	expect_stdout "proc
dev
sys
tmp
at-home" "$opt binds /proc /dev /sys /tmp and \$HOME"
	run_pt $opt "$ROOT" -w / /bin/cat /etc/os-release
	expect_stdout_has ptroot-busybox "$opt: the rootfs is the guest's /"
done
rm -f "$marker"
done_testing
