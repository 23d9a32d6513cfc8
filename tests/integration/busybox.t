#!/bin/sh
# SPDX-License-Identifier: MIT
# Busybox shell pipelines and file utilities in the busybox guest, compared
# with the same commands in a native chroot (/proc and /dev bound on both
# sides).  Nothing here prints owners, pids or times: those legitimately
# differ between a user namespace and ptroot.
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
BINDS="/proc /dev"
SCRATCH=$ROOT/tmp

# bb NAME SCRIPT: SCRIPT run by the guest's /bin/sh, from /.
bb()
{
	compare_native "$1" "$ROOT" /bin/sh -c "$2"
}

bb "echo" 'echo hello world'
bb "pipeline" 'echo hello | tr a-z A-Z | rev | sed s/O/0/g'
bb "long pipeline" 'seq 1 2000 | sort -rn | head -n 5 | xargs echo | wc -w'
bb "ls /" 'ls /'
bb "ls -a -F /tmp /etc" 'ls -a -F /tmp /etc'
bb "ls of a missing file" 'ls /nonexistent; echo status=$?'
bb "find /etc" 'find /etc | sort'
bb "find -type l in /bin" 'find /bin -type l | sort | head -n 20'
bb "stat" 'stat -c "%n %a %F %s %h" /etc/passwd /bin /bin/sh /tmp /dev/null'
bb "mkdir -p, ls -R" 'mkdir -p /tmp/a/b/c/d && ls -R /tmp/a'
bb "cp, mv, rm" 'cd /tmp && echo one > f && cp f g && mv g h && cp -r /etc e && rm f && ls && cat h && ls e | sort && rm -r e && ls'
bb "ln -s and readlink" 'cd /tmp && ln -s /etc/passwd abs && ln -s ../etc/hostname rel && mkdir d && ln -s .. d/up && readlink abs rel d/up && cat rel && ls d/up/ | sort && readlink -f d/up/abs'
bb "hard links" 'cd /tmp && echo x > a && ln a b && stat -c "%h %s" a b && rm a && cat b'
bb "tar round trip" 'cd /tmp && mkdir -p src/a/b && echo x > src/a/b/f && ln -s a/b/f src/l && chmod 0600 src/a/b/f && tar cf t.tar src && tar tf t.tar | sort && mkdir dst && tar xf t.tar -C dst && find dst | sort && cat dst/src/l && stat -c "%a %F" dst/src/a/b/f dst/src/l'
bb "gzip round trip" 'cd /tmp && seq 1 500 > n && gzip -9 n && ls && gunzip n.gz && md5sum n'
bb "cd .. from /" 'cd / && cd .. && pwd && cd ../../.. && pwd && ls | head -n 3'
bb "cd .. from /tmp" 'cd /tmp && cd .. && pwd && cd /tmp/../etc && pwd'
bb "cd through a symlink, pwd -P" 'cd /tmp && mkdir -p real/sub && ln -s real/sub link && cd link && pwd && pwd -P && cd .. && pwd && pwd -P'
bb "readlink /proc/self/exe" 'readlink /proc/self/exe; readlink /proc/self/cwd; readlink /proc/self/root'
bb "cwd of a child in /proc" 'cd /tmp && sh -c "readlink /proc/\$\$/cwd"'
bb "readlink -f and realpath" 'readlink -f /bin/sh; realpath /usr/bin/../bin/env; readlink -f /tmp/../etc/./passwd'
bb "which and command -v" 'which ls; command -v cat; command -v nonexistent; echo $?'
bb "dev nodes" 'head -c 100 /dev/zero | wc -c; echo gone > /dev/null; echo ok'
bb "dd" 'dd if=/dev/zero of=/tmp/z bs=1024 count=64 2>/dev/null; wc -c < /tmp/z'
bb "exit status" 'sh -c "exit 42"; echo $?; false; echo $?'
bb "status of a killed child" 'sh -c "kill -9 \$\$"; echo $?; sh -c "kill -TERM \$\$"; echo $?'
bb "trap on exit" 'trap "echo trapped" EXIT; exit 3'
bb "exec chain" 'exec sh -c "exec sh -c \"exec echo deep\""'
bb "subshells and background jobs" 'for i in 1 2 3 4 5 6 7 8 9 10; do (echo job $i > /tmp/job.$i) & done; wait; cat /tmp/job.* | sort -n -k2 | tr "\n" " "'
bb "command not found" '/bin/nonexistent; echo status=$?; nonexistent-cmd; echo status=$?'
bb "not executable" '/etc/passwd; echo status=$?'
bb "write to a directory" 'echo x > /etc; echo status=$?'
bb "grep -r" 'grep -r root /etc | sort'
bb "awk and sort" 'awk -F: "{print \$1, \$NF}" /etc/passwd | sort'
bb "md5sum of the busybox binary" 'md5sum /bin/busybox'
bb "chmod, touch -d, stat" 'cd /tmp && touch -d "2001-02-03 04:05:06" f && chmod 751 f && stat -c "%a %Y" f'
bb "mv a directory, then find" 'cd /tmp && mkdir -p x/y && echo z > x/y/z && mv x w && find /tmp/w | sort && cat w/y/z'
bb "rm -rf of a tree with links" 'cd /tmp && mkdir -p t/a/b && ln -s /etc t/a/etc && ln -s ../.. t/a/b/up && rm -rf t && ls -a /tmp && ls /etc | head -n 2'
bb "a guest script with #!/bin/sh" 'printf "#!/bin/sh\necho script \$0 \$1\n" > /tmp/s && chmod +x /tmp/s && /tmp/s arg && cd /tmp && ./s rel'
bb "login shell reads /etc/profile" 'sh -l -c "echo \$GUEST_PROFILE_READ"'
bb "32-bit guest program from the shell" '/t32/exec-abi-switch 2 | head -n 1'
bb "ls /proc/self/fd" 'ls /proc/self/fd'
bb "xargs with many processes" 'seq 1 30 | xargs -n 1 -P 4 sh -c "echo \$0 > /tmp/x.\$0" && ls /tmp | wc -l'
done_testing
