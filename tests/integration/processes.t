#!/bin/sh
# SPDX-License-Identifier: MIT
# Process life and death under ptroot: the exit status is the command's,
# a command killed by a signal is seen by the shell as natively (128+N),
# ptroot waits for the whole tree unless --kill-on-exit, and ptroot killed
# with SIGKILL leaves no guest process behind.
. "$(dirname "$0")/../lib.sh"
require_ptroot

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
BINDS="/proc /dev"
SCRATCH=$ROOT/tmp
# A string unique to this run, to find our processes with pgrep.
MARK=ptroot-mark-$$-$(date +%s)
# A sleep duration unique to this run: busybox sleep's cmdline is "sleep N".
NAP=$((100000 + $$ % 100000))

# Exit statuses, as a parent shell sees them (compared with native).
for st in 0 1 2 42 126 127 255; do
	compare_native "exit status $st" "$ROOT" /t/exit-signal exit $st
done
for sig in 1 2 9 10 11 13 15; do
	compare_native "killed by signal $sig" "$ROOT" /bin/sh -c "/t/exit-signal kill $sig; echo \$?"
	# Called directly: ptroot's own status is 128+N or the same signal.
	run_pt -r "$ROOT" -w / /t/exit-signal kill $sig
	expect_status $((128 + sig)) "ptroot's status for a command killed by signal $sig"
done
compare_native "32-bit: killed by SIGSEGV" "$ROOT" /bin/sh -c '/t32/exit-signal kill 11; echo $?'
compare_native "signals between guest processes" "$ROOT" /t/exit-signal

# Seen from a host shell: the same 128+N as when the signal hits it natively.
run_cmd sh -c "env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' -w / /bin/sh -c 'kill -TERM \$\$'; echo \$?"
expect_stdout 143 "host shell sees 143 for a guest killed by SIGTERM"

# stdin, stdout and stderr are the guest's.
run_cmd sh -c "echo piped | env -i $CLEAN_ENV timeout 30 '$PTROOT' -r '$ROOT' -w / /bin/sh -c 'cat; echo to-stderr >&2'"
expect_stdout piped "stdin reaches the guest"
expect_stderr_has to-stderr "stderr is the guest's"

# Waiting for the tree: a background job outlives the command.
t0=$(date +%s)
run_pt -r "$ROOT" -w / -b /dev /bin/sh -c '(sleep 2; echo late > /tmp/late) >/dev/null 2>&1 & exit 5'
t1=$(date +%s)
expect_status 5 "exit status of the command, not of the last process"
ok "$([ -f "$ROOT/tmp/late" ] && echo 0 || echo 1)" "without --kill-on-exit, ptroot waits for the background job"
ok "$([ $((t1 - t0)) -ge 2 ] && echo 0 || echo 1)" "... which took its 2 seconds ($((t1 - t0)) s)"
rm -f "$ROOT/tmp/late"

rm -f "$ROOT/tmp/late" "$ROOT/tmp/started"
t0=$(date +%s)
run_pt --kill-on-exit -r "$ROOT" -w / -b /dev /bin/sh -c \
	"(sleep 3; echo late > /tmp/late) >/dev/null 2>&1 & sleep $NAP >/dev/null 2>&1 & echo yes > /tmp/started; sleep 0.5; exit 6"
t1=$(date +%s)
expect_status 6 "--kill-on-exit: exit status of the command"
ok "$([ -f "$ROOT/tmp/started" ] && echo 0 || echo 1)" "--kill-on-exit: the command ran"
ok "$([ $((t1 - t0)) -lt 3 ] && echo 0 || echo 1)" "--kill-on-exit returns at once ($((t1 - t0)) s)"
sleep 4
ok "$([ -f "$ROOT/tmp/started" ] && [ ! -f "$ROOT/tmp/late" ] && echo 0 || echo 1)" "--kill-on-exit killed the background job"
ok "$(pgrep -f "^sleep $NAP\$" >/dev/null && echo 1 || echo 0)" "--kill-on-exit left no process behind"

# ptroot killed with SIGKILL: the kernel kills the tracees with it.
env -i $CLEAN_ENV "$PTROOT" -r "$ROOT" -w / -b /dev /bin/sh -c "sleep $NAP & sleep $NAP & wait; : $MARK" >/dev/null 2>&1 &
pt_pid=$!
if wait_for 10 sh -c "[ \$(pgrep -f '^sleep $NAP\$' | wc -l) -ge 2 ]"; then
	pass "the guest's processes started"
else
	fail "the guest's processes started"
fi
kill -KILL $pt_pid 2>/dev/null || true
wait $pt_pid 2>/dev/null || true
if wait_for 5 sh -c "! pgrep -f -e '^sleep $NAP\$|$MARK' >/dev/null"; then
	pass "ptroot killed with SIGKILL leaves no process behind"
else
	fail "ptroot killed with SIGKILL leaves no process behind"
	ps -eo pid,ppid,stat,args | grep -e "$NAP" -e "$MARK" | grep -v grep | sed 's/^/#   /' >&2
	pkill -KILL -f -e "^sleep $NAP\$|$MARK" >/dev/null 2>&1 || true
fi

# Job control from the host: SIGSTOP stops a guest process (the tracer must
# not let it run on), SIGCONT resumes it.  A guest loop ticks every 50 ms.
TICKS=$ROOT/tmp/ticks
rm -f "$TICKS"
env -i $CLEAN_ENV "$PTROOT" -r "$ROOT" -w / -b /dev /bin/sh -c \
	"while :; do echo x >> /tmp/ticks; usleep 50000; done; : $MARK-ticker" >/dev/null 2>&1 &
pt_pid=$!
count() { wc -l <"$TICKS" 2>/dev/null || echo 0; }
if wait_for 10 sh -c "[ \$(wc -l < '$TICKS' 2>/dev/null || echo 0) -ge 3 ]"; then
	ticker=$(pgrep -f -- "$MARK-ticker" | while read -r p; do
		[ "$p" != "$pt_pid" ] && echo "$p"; done | head -n 1)
	kill -STOP "$ticker"
	sleep 0.3
	c1=$(count)
	sleep 0.6
	c2=$(count)
	ok "$([ "$c1" = "$c2" ] && echo 0 || echo 1)" "SIGSTOP from the host stops a guest process ($c1 -> $c2 ticks)"
	kill -CONT "$ticker"
	sleep 0.6
	c3=$(count)
	ok "$([ "$c3" -gt "$c2" ] && echo 0 || echo 1)" "SIGCONT resumes it ($c2 -> $c3 ticks)"
	kill -TERM "$ticker"
	wait $pt_pid 2>/dev/null && st=0 || st=$?
	is "$st" 143 "the ticker killed by SIGTERM: ptroot exits with 143"
else
	fail "the ticker started"
	kill -KILL $pt_pid 2>/dev/null || true
fi

# The file descriptors the guest starts with are the ones ptroot was given,
# also when stdin is closed: ptroot must not fill the hole with its own.
for fds in "0<&-" "2>&-" "3</dev/null 7</dev/null"; do
	eval "run_native '$ROOT' /t/fd-leak $fds" >"$WORK/fd.native" 2>/dev/null || true
	eval "run_ptroot '$ROOT' /t/fd-leak $fds" >"$WORK/fd.ptroot" 2>/dev/null || true
	if cmp -s "$WORK/fd.native" "$WORK/fd.ptroot"; then
		pass "inherited fds with '$fds'"
	else
		fail "inherited fds with '$fds'"
		diff "$WORK/fd.native" "$WORK/fd.ptroot" | sed 's/^/#   /' >&2
	fi
done

# Many processes at once.
compare_native "200 processes, 20 at a time" "$ROOT" /bin/sh -c \
	'for j in 1 2 3 4 5 6 7 8 9 10; do for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do (echo $i > /tmp/p.$j.$i) & done; wait; done; ls /tmp | wc -l'
compare_native "a deep process chain" "$ROOT" /bin/sh -c \
	'n=0; f() { n=$((n+1)); if [ $n -lt 30 ]; then sh -c "exit 0"; f; fi; }; f; echo $n'
compare_native "fork-many guest program" "$ROOT" /t/fork-many
compare_native "pipelines of 50 processes" "$ROOT" /bin/sh -c \
	'seq 1 50 | while read i; do echo $i; done | cat | cat | cat | sort -n | tail -n 1'
done_testing
