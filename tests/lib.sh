# SPDX-License-Identifier: MIT
# Shared helpers for tests/integration/*.t, sourced by them (POSIX sh).
#
# TAP output (ok/not ok/skip, diagnostics on stderr so that prove shows them),
# the binary under test ($PTROOT_TEST_BIN or ./ptroot), per-test copies of the
# test root filesystems, and the native oracle: compare_native runs the same
# command in a real chroot (as root) or in `unshare -Ur` + chroot (as a user)
# and under ptroot, and diffs the two transcripts.
#
# Environment:
#   PTROOT_TEST_BIN      binary under test (default: ./ptroot of the repo)
#   PTROOT_ROOTFS_OUT    where the rootfs caches are (default tests/rootfs/out)
#   PTROOT_TEST_TIMEOUT  seconds allowed to one command (default 60)
#   PTROOT_NO_SECCOMP    passed on to ptroot (and, harmlessly, to the oracle)
#   PTROOT_TEST_SHOW=1   also print every native transcript (to see the oracle)
#   PTROOT_TEST_ONLY     guest-programs.t: only these programs (space-separated)
#   CI=true              a native oracle that cannot run is a failure, not a skip

set -eu

TEST_TOP=${PTROOT_TEST_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
TEST_NAME=$(basename "$0" .t)

PTROOT=${PTROOT_TEST_BIN:-$TEST_TOP/ptroot}
case $PTROOT in
/*) ;;
*/*) PTROOT=$TEST_TOP/$PTROOT ;;
*) PTROOT=$(command -v "$PTROOT" || echo "$PTROOT") ;;
esac

ROOTFS_OUT=${PTROOT_ROOTFS_OUT:-$TEST_TOP/tests/rootfs/out}
GUEST_BUILD=$TEST_TOP/build/guest
GUEST32_BUILD=$TEST_TOP/build/guest32
TEST_TIMEOUT=${PTROOT_TEST_TIMEOUT:-60}

# The environment every command runs with, natively and under ptroot alike:
# nothing from the caller's environment leaks into transcripts.
GUEST_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
CLEAN_ENV="PATH=$GUEST_PATH HOME=/root TERM=dumb LC_ALL=C"
for v in PTROOT_NO_SECCOMP PTROOT_VERBOSE ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	eval "val=\${$v-}"
	# shellcheck disable=SC2154
	[ -z "$val" ] || CLEAN_ENV="$CLEAN_ENV $v=$val"
done

IS_ROOT=no
[ "$(id -u)" = 0 ] && IS_ROOT=yes

# ---------------------------------------------------------------- TAP ----

TAP_N=0
TAP_FAILED=0

# Known bugs: a test file may set KNOWN_BUGS to lines "PATTERN|REASON".
# A test whose description contains PATTERN is reported as TAP TODO with
# REASON: visible in every run (and prove says when it starts passing), but
# not counted as a failure. Each entry is a bug written down in an issue.
known_bug()
{
	[ -n "${KNOWN_BUGS:-}" ] || return 1
	_kb_desc=$*
	_kb_found=1
	while IFS='|' read -r _kb_pat _kb_reason; do
		[ -n "$_kb_pat" ] || continue
		case $_kb_desc in
		*"$_kb_pat"*) KNOWN_REASON=$_kb_reason; _kb_found=0; break ;;
		esac
	done <<EOF_KB
$KNOWN_BUGS
EOF_KB
	return $_kb_found
}

pass()
{
	TAP_N=$((TAP_N + 1))
	if known_bug "$*"; then
		echo "ok $TAP_N - $* # TODO $KNOWN_REASON"
	else
		echo "ok $TAP_N - $*"
	fi
}

fail()
{
	TAP_N=$((TAP_N + 1))
	if known_bug "$*"; then
		echo "not ok $TAP_N - $* # TODO $KNOWN_REASON"
		return 0
	fi
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

skip()
{
	# skip DESCRIPTION REASON
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# diag TEXT: a diagnostic line (on stderr: prove shows it without -v).
diag()
{
	echo "# $*" >&2
}

# diag_file FILE [MAX_LINES]: a file as diagnostics.
diag_file()
{
	sed -n "1,${2:-60}p" "$1" | sed 's/^/#   /' >&2
	n=$(wc -l <"$1")
	[ "$n" -le "${2:-60}" ] || diag "  ... ($n lines in all)"
}

# ok STATUS DESCRIPTION: pass if STATUS is 0.
ok()
{
	st=$1
	shift
	if [ "$st" = 0 ]; then pass "$@"; else fail "$@"; fi
}

# is GOT WANT DESCRIPTION
is()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "  got:  '$1'"
		diag "  want: '$2'"
	fi
}

# done_testing: the plan, and the exit status prove expects.
done_testing()
{
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ]
}

# bail_all REASON: the whole file cannot run; one failing test says why.
bail_all()
{
	fail "$TEST_NAME: $*"
	done_testing || exit 1
}

# ----------------------------------------------------------- work dir ----

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ptroot-$TEST_NAME.XXXXXX")
cleanup()
{
	# Native runs as root can leave root-owned files with odd modes.
	chmod -R u+rwX "$WORK" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# require_ptroot: stop here (with one failure) if there is no binary.
require_ptroot()
{
	if ! [ -x "$PTROOT" ]; then
		bail_all "no ptroot binary at '$PTROOT' (build it with make, or set PTROOT_TEST_BIN)"
		exit 1
	fi
}

# ------------------------------------------------------------ rootfs ----

# busybox_rootfs NAME: a private, writable copy of the busybox guest with the
# current guest test programs in /t (x86_64) and /t32 (i386); prints its path.
busybox_rootfs()
{
	dest=$WORK/$1
	if ! [ -f "$ROOTFS_OUT/busybox.stamp" ]; then
		# Cheap and needs no root: build it if we can write there.
		sh "$TEST_TOP/tests/rootfs/busybox.sh" >&2 || true
	fi
	if ! [ -f "$ROOTFS_OUT/busybox.stamp" ]; then
		echo "busybox rootfs missing: run sh tests/rootfs/busybox.sh" >&2
		return 1
	fi
	cp -R -P "$ROOTFS_OUT/busybox" "$dest"
	chmod 1777 "$dest/tmp"
	for d in "$GUEST_BUILD:t" "$GUEST32_BUILD:t32"; do
		src=${d%:*}
		if [ -d "$src" ] && [ -n "$(ls "$src")" ]; then
			cp "$src"/* "$dest/${d#*:}/"
		fi
	done
	echo "$dest"
}

# trixie_rootfs: the (read-only, shared) Debian trixie guest; prints its path
# or explains how to build it and fails.  Never a silent skip.
trixie_rootfs()
{
	if ! [ -f "$ROOTFS_OUT/trixie.stamp" ] || ! [ -x "$ROOTFS_OUT/trixie/bin/bash" ]; then
		echo "the Debian trixie rootfs is not built ($ROOTFS_OUT/trixie): run 'make check' as root once, or: sudo sh tests/rootfs/debian.sh" >&2
		return 1
	fi
	echo "$ROOTFS_OUT/trixie"
}

# ------------------------------------------------------------ running ----
#
# Every command runs with the clean environment above and under a timeout.
# BINDS (a space-separated list of HOST or HOST:GUEST) is applied on both
# sides: `mount --rbind` in a private mount namespace natively, -b for ptroot.
# GUEST mount points must already exist in the rootfs.  SCRATCH (a list of
# host directories) is emptied, and PREPARE (a command) is run, before every
# run, so that both sides start alike.

BINDS=
SCRATCH=
PREPARE=

run_timeout()
{
	timeout -k 5 "$TEST_TIMEOUT" "$@"
}

# ptroot_run ARGS...: ptroot with the clean environment and a timeout.
ptroot_run()
{
	# shellcheck disable=SC2086
	run_timeout env -i $CLEAN_ENV "$PTROOT" "$@"
}

# run_ptroot ROOT COMMAND...: COMMAND under ptroot, cwd "/", with BINDS.
run_ptroot()
{
	root=$1
	shift
	set -- -r "$root" -w / "$@"
	# Prepend the -b options in reverse, so that they keep their order.
	rev=
	for b in $BINDS; do
		rev="$b $rev"
	done
	for b in $rev; do
		set -- -b "$b" "$@"
	done
	ptroot_run "$@"
}

# The script that runs inside the native namespace: bind, then chroot.
NATIVE_SH='
root=$1
shift
while [ "$1" != -- ]; do
	mount --rbind "${1%%:*}" "$root${1#*:}" || exit 125
	shift
done
shift
exec chroot "$root" "$@"'

# run_native ROOT COMMAND...: COMMAND in a real chroot (or userns + chroot).
run_native()
{
	root=$1
	shift
	set -- "$root" $BINDS -- "$@"
	if [ $IS_ROOT = yes ]; then
		# shellcheck disable=SC2086
		run_timeout env -i $CLEAN_ENV unshare --mount --propagation private \
			sh -c "$NATIVE_SH" sh "$@"
	else
		# shellcheck disable=SC2086
		run_timeout env -i $CLEAN_ENV unshare --user --map-root-user --mount \
			sh -c "$NATIVE_SH" sh "$@"
	fi
}

NATIVE_STATE=unknown
NATIVE_WHY=

# native_available: can this user run the native oracle here?
native_available()
{
	if [ $NATIVE_STATE = unknown ]; then
		if [ $IS_ROOT = yes ]; then
			probe="unshare --mount --propagation private chroot / true"
		else
			probe="unshare --user --map-root-user --mount chroot / true"
		fi
		if NATIVE_WHY=$($probe 2>&1); then
			NATIVE_STATE=yes
		else
			NATIVE_STATE=no
			NATIVE_WHY="'$probe' failed: $NATIVE_WHY"
		fi
	fi
	[ $NATIVE_STATE = yes ]
}

# native_unavailable NAME: a failure in CI, a visible skip elsewhere.
native_unavailable()
{
	if [ "${CI:-}" = true ]; then
		fail "$1 (no native oracle: $NATIVE_WHY)"
	else
		skip "$1" "no native oracle: $NATIVE_WHY"
	fi
}

reset_scratch()
{
	for d in $SCRATCH; do
		[ -d "$d" ] || continue
		chmod -R u+rwX "$d" 2>/dev/null || true
		find "$d" -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null || true
	done
}

# dump_tree DIR: a stable listing of what is under DIR (type, mode, size,
# link target, content of small files), for comparing host-side effects.
dump_tree()
{
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
		if [ -L "$p" ]; then
			echo "$p -> $(readlink "$p")"
		elif [ -d "$p" ]; then
			echo "$p/ $(stat -c %a "$p")"
		elif [ -f "$p" ]; then
			echo "$p $(stat -c '%a %s' "$p") [$(head -c 64 "$p" | tr '\n' '|')]"
		else
			echo "$p $(stat -c '%F %a' "$p")"
		fi
	done)
}

# transcript FILE ROOT-OR-NATIVE COMMAND...: run one side into FILE (stdout
# and stderr merged, then "exit=N", then the dump of DUMP_DIR if set).
transcript()
{
	out=$1
	side=$2
	shift 2
	reset_scratch
	[ -z "$PREPARE" ] || $PREPARE
	st=0
	if [ "$side" = native ]; then
		run_native "$@" >"$out" 2>&1 </dev/null || st=$?
	else
		run_ptroot "$@" >"$out" 2>&1 </dev/null || st=$?
	fi
	echo "exit=$st" >>"$out"
	if [ -n "${DUMP_DIR:-}" ]; then
		echo "--- host side of $DUMP_DIR:" >>"$out"
		dump_tree "$DUMP_DIR" >>"$out"
	fi
}

# compare_native NAME ROOT COMMAND...: the same transcript natively and under
# ptroot.  On a difference, the diff is shown as diagnostics.
COMPARE_N=0
compare_native()
{
	name=$1
	shift
	if ! native_available; then
		native_unavailable "$name"
		return 0
	fi
	COMPARE_N=$((COMPARE_N + 1))
	nat=$WORK/native.$COMPARE_N
	pt=$WORK/ptroot.$COMPARE_N
	transcript "$nat" native "$@"
	transcript "$pt" ptroot "$@"
	if [ "$(tail -n 1 "$nat")" = "exit=125" ] && grep -q mount "$nat"; then
		fail "$name (the native oracle could not set up its bindings)"
		diag_file "$nat"
	elif diff -u "$nat" "$pt" >"$WORK/diff" 2>&1; then
		pass "$name"
	else
		fail "$name"
		diag "--- native, +++ ptroot:"
		diag_file "$WORK/diff" 80
	fi
	LAST_NATIVE=$nat
	[ -z "${PTROOT_TEST_SHOW:-}" ] || { diag "native transcript of $name:"; diag_file "$nat" 40; }
	LAST_PTROOT=$pt
}

# --------------------------------------------------- one-sided checks ----
#
# run_cmd COMMAND...: run it (no timeout added, stdin from /dev/null) and keep
# RUN_STATUS, $RUN_OUT and $RUN_ERR for the checks below.

RUN_OUT=$WORK/run.out
RUN_ERR=$WORK/run.err
RUN_STATUS=0

run_cmd()
{
	RUN_STATUS=0
	"$@" >"$RUN_OUT" 2>"$RUN_ERR" </dev/null || RUN_STATUS=$?
	# A sanitizer report is a failure whatever the checks that follow say.
	if grep -q -e 'ERROR: [A-Za-z]*Sanitizer' -e ': runtime error: ' "$RUN_ERR"; then
		fail "sanitizer report from: $*"
		diag_file "$RUN_ERR" 30
	fi
}

# run_pt ARGS...: run_cmd of ptroot with the clean environment and a timeout.
run_pt()
{
	run_cmd ptroot_run "$@"
}

show_run()
{
	diag "  exit status: $RUN_STATUS"
	[ -s "$RUN_OUT" ] && { diag "  stdout:"; diag_file "$RUN_OUT" 20; }
	[ -s "$RUN_ERR" ] && { diag "  stderr:"; diag_file "$RUN_ERR" 20; }
	return 0
}

# expect_status WANT DESCRIPTION: the last run_cmd exited with WANT.
expect_status()
{
	if [ "$RUN_STATUS" = "$1" ]; then
		pass "$2"
	else
		fail "$2"
		diag "  want exit status $1"
		show_run
	fi
}

# expect_failure DESCRIPTION: the last run_cmd failed cleanly: a status from
# 1 to 125 (not a crash, not a timeout) and a message on stderr.
expect_failure()
{
	if [ "$RUN_STATUS" -ge 1 ] && [ "$RUN_STATUS" -le 125 ] && [ -s "$RUN_ERR" ]; then
		pass "$1"
	else
		fail "$1"
		diag "  want a clean failure (status 1-125, a message on stderr)"
		show_run
	fi
}

# expect_stdout TEXT DESCRIPTION: the last run printed exactly TEXT.
expect_stdout()
{
	got=$(cat "$RUN_OUT")
	if [ "$got" = "$1" ]; then
		pass "$2"
	else
		fail "$2"
		diag "  want stdout: '$1'"
		show_run
	fi
}

# expect_stderr_has TEXT DESCRIPTION: stderr contains TEXT (fixed string).
expect_stderr_has()
{
	if grep -qF -- "$1" "$RUN_ERR"; then
		pass "$2"
	else
		fail "$2"
		diag "  want on stderr: '$1'"
		show_run
	fi
}

# expect_stdout_has TEXT DESCRIPTION
expect_stdout_has()
{
	if grep -qF -- "$1" "$RUN_OUT"; then
		pass "$2"
	else
		fail "$2"
		diag "  want on stdout: '$1'"
		show_run
	fi
}

# expect_quiet DESCRIPTION: nothing at all on stderr.
expect_quiet()
{
	if ! [ -s "$RUN_ERR" ]; then
		pass "$1"
	else
		fail "$1"
		show_run
	fi
}

# wait_for SECONDS COMMAND...: poll (every 0.1 s) until COMMAND succeeds.
wait_for()
{
	limit=$(($1 * 10))
	shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
