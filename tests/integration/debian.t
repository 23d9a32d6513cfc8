#!/bin/sh
# SPDX-License-Identifier: MIT
# A real distribution as the guest: Debian 13 "trixie", whose glibc (2.41) is
# newer than the host's (bookworm, 2.36).  Dynamically linked programs must
# run with the guest's ld.so and libc: they print 2.41.  Compared with a
# native chroot where possible; /tmp is a fresh host directory bound in.
. "$(dirname "$0")/../lib.sh"
require_ptroot

if ! ROOT=$(trixie_rootfs 2>"$WORK/why"); then
	bail_all "$(cat "$WORK/why")"
	exit 1
fi
mkdir "$WORK/tmp"
chmod 1777 "$WORK/tmp"
BINDS="/proc /dev $WORK/tmp:/tmp"
SCRATCH=$WORK/tmp

deb()
{
	compare_native "$1" "$ROOT" /bin/sh -c "$2"
}

# The glibc version, checked against the expected value and not only the
# oracle: a tracer that ran the host's libc would print 2.36.
run_pt -r "$ROOT" -w / getconf GNU_LIBC_VERSION
expect_stdout "glibc 2.41" "getconf GNU_LIBC_VERSION is the guest's glibc 2.41"
run_pt -r "$ROOT" -w / /lib/x86_64-linux-gnu/libc.so.6
expect_stdout_has "release version 2.41" "libc.so.6 executed directly reports 2.41"
run_pt -r "$ROOT" -w / /bin/sh -c 'ldd --version | head -n 1'
expect_stdout_has "2.41" "ldd --version reports 2.41"
run_pt -r "$ROOT" -w / cat /etc/debian_version
expect_stdout_has "13" "cat /etc/debian_version: trixie's"

deb "debian_version and os-release" '. /etc/os-release; echo $VERSION_CODENAME; cat /etc/debian_version'
deb "getconf GNU_LIBC_VERSION" 'getconf GNU_LIBC_VERSION'
deb "libc.so.6 executed directly" '/lib/x86_64-linux-gnu/libc.so.6 | head -n 1'
deb "ldd --version" 'ldd --version | head -n 1'
deb "ldd of a program" 'ldd /bin/true | sed "s/ (0x[0-9a-f]*)//" | sort'
deb "ld.so run explicitly" '/lib64/ld-linux-x86-64.so.2 /bin/echo run by ld.so; /lib64/ld-linux-x86-64.so.2 --version | head -n 1'
deb "readlink /proc/self/exe" 'readlink /proc/self/exe; /bin/readlink /proc/self/exe; /usr/bin/readlink /proc/self/exe'
deb "bash" 'bash -c "echo \${BASH_VERSION%%.*}; type ls; for i in 1 2 3; do echo \$i; done; echo \$((6*7))"'
deb "bash arrays and process substitution" 'bash -c "a=(x y z); echo \${#a[@]} \${a[1]}; cat <(echo from-procsubst)"'
deb "coreutils" 'cd /tmp && mkdir -p a/b && echo data > a/b/f && cp -a a c && mv c d && ln -s a/b/f l && stat -c "%n %a %F" a && stat -c "%n %a %F %s" a/b/f d/b/f l && readlink -f l && realpath d/../a/b && rm -r d && ls && du -s --apparent-size -b a/b/f'
deb "sort, uniq, wc, head, tail, tr" 'seq 1 100 | sort -r | head -n 20 | tail -n 5 | tr "\n" " "; printf "b\na\nb\n" | sort | uniq -c'
deb "find and xargs" 'find /etc -maxdepth 1 -name "*.conf" | sort | xargs -n 1 basename'
deb "grep and sed" 'grep -c "^root:" /etc/passwd; sed -n "1p" /etc/passwd'
deb "getent (nss from the guest)" 'getent passwd root; getent group root'
deb "perl" 'perl -e "print \"\$^V\\n\"; print join(\",\", map { \$_ * 2 } 1..5), \"\\n\""'
deb "tar round trip" 'cd /tmp && mkdir -p s/x && echo 1 > s/x/one && ln -s x/one s/l && tar czf s.tgz s && mkdir o && tar xzf s.tgz -C o && find o | sort && cat o/s/l'
deb "shebang script" 'printf "#!/bin/bash\necho \"\$0 \$1 \${BASH_VERSION%%%%.*}\"\n" > /tmp/b.sh && chmod +x /tmp/b.sh && /tmp/b.sh one && cd /tmp && ./b.sh two'
deb "#!/usr/bin/env bash script" 'printf "#!/usr/bin/env bash\necho env-bash \$0 \"\$@\"\n" > /tmp/e.sh && chmod +x /tmp/e.sh && /tmp/e.sh a "b c"'
deb "#!/bin/sh -e script" 'printf "#!/bin/sh -e\necho before\nfalse\necho after\n" > /tmp/x.sh && chmod +x /tmp/x.sh; /tmp/x.sh; echo status=$?'
deb "script through a symlink and PATH" 'mkdir /tmp/bin && printf "#!/bin/sh\necho via-path \$0\n" > /tmp/bin/tool && chmod +x /tmp/bin/tool && ln -s tool /tmp/bin/tool2 && PATH=/tmp/bin:$PATH && tool && tool2'
deb "dash pipelines and exit statuses" 'false | true; echo $?; sh -c "exit 7"; echo $?; sh -c "kill -TERM \$\$"; echo $?'
deb "many processes" 'for i in $(seq 1 40); do (echo $i > /tmp/p.$i) & done; wait; ls /tmp | wc -l'
deb "uname -m" 'uname -m'
deb "env of the guest" 'env | grep -v -e "^PTROOT_" -e "^_=" -e "^SHLVL=" -e "^PWD=" -e "_OPTIONS=" | sort'
deb "apt-config (a C++ program)" 'apt-config dump | grep -c "^APT::Architecture"'
# A process that switched to another uid still executes dynamically linked
# programs (su, setpriv, apt's sandbox user). Only root can switch.
if [ "$(id -u)" = 0 ]; then
	deb "exec after switching to another uid" 'setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c "id -u; /bin/true && echo exec-ok; cat /proc/self/comm"'
else
	skip "exec after switching to another uid" "needs root to switch uids"
fi
done_testing
