#!/bin/sh
# SPDX-License-Identifier: MIT
# The guest's initial working directory: -w DIR, and the default, which is
# PRoot's: the host's cwd taken as a guest path if the guest has it, else "/".
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
mkdir -p "$ROOT/home/user/dir"
ln -s home/user "$ROOT/user-link"

pwd_is()
{
	# pwd_is WANT DESCRIPTION -- ptroot args...
	want=$1 desc=$2
	shift 3
	run_pt "$@"
	expect_stdout "$want" "$desc"
}

pwd_is /etc "-w /etc" -- -r "$ROOT" -w /etc /bin/pwd
pwd_is /etc "--cwd=/etc" -- -r "$ROOT" --cwd=/etc /bin/pwd
pwd_is / "-w /" -- -r "$ROOT" -w / /bin/pwd
pwd_is /home/user/dir "-w of a deeper directory" -- -r "$ROOT" -w /home/user/dir /bin/pwd
pwd_is /etc "-w /tmp/../etc" -- -r "$ROOT" -w /tmp/../etc /bin/pwd
pwd_is /home/user "-w through a guest symlink: getcwd gives the real path" -- -r "$ROOT" -w /user-link /bin/pwd
pwd_is / "-w /, then cd .." -- -r "$ROOT" -w / /bin/sh -c 'cd .. && pwd'
pwd_is "/home/user
/home" "-w, then cd .. (shell)" -- -r "$ROOT" -w /home/user /bin/sh -c 'pwd; cd ..; pwd'
pwd_is /etc "-w with /proc/self/cwd" -- -r "$ROOT" -w /etc -b /proc /bin/readlink /proc/self/cwd
pwd_is "exec-child:
getcwd: '/etc'" "-w with the getcwd guest program (transcript)" -- -r "$ROOT" -w /etc /t/getcwd exec-child

# -w relative to nothing in particular: a missing directory fails cleanly or
# falls back to "/" (as PRoot does) with a warning naming it.
run_pt -r "$ROOT" -w /nonexistent /bin/pwd
if [ "$RUN_STATUS" = 0 ]; then
	expect_stdout / "-w of a missing directory: falls back to /"
else
	expect_failure "-w of a missing directory: fails cleanly"
fi
expect_stderr_has /nonexistent "-w of a missing directory: the message names it"

# The default: the host's cwd where the guest has the same directory.
run_cmd sh -c "cd '$ROOT/etc' && cd /etc && env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' /bin/pwd"
expect_stdout /etc "default cwd: the host's cwd (/etc) when the guest has it"
run_cmd sh -c "cd '$WORK' && env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' /bin/pwd"
expect_stdout / "default cwd: / when the guest has no such directory"
run_cmd sh -c "cd '$WORK' && env -i $CLEAN_ENV timeout 30 '$PTROOT' /bin/pwd"
expect_stdout "$WORK" "no -r: the host's cwd"
run_cmd sh -c "cd /tmp && env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' /bin/pwd"
expect_stdout /tmp "default cwd: /tmp"
done_testing
