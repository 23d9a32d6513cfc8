#!/bin/sh
# SPDX-License-Identifier: MIT
# The whole test suite, called by `make check` once ./ptroot, the guest
# programs and the unit tests are built.  Builds (or reuses) the test root
# filesystems, runs the unit tests, then the integration tests under prove in
# up to four configurations: {root, unprivileged user} x {seccomp on,
# PTROOT_NO_SECCOMP=1}.  As a user, only the unprivileged half runs.
#
# Environment:
#   PTROOT_TEST_BIN       binary under test (default ./ptroot)
#   PTROOT_TEST_MODES     configurations to run (default: all four of
#                         "root:seccomp root:noseccomp user:seccomp user:noseccomp")
#   PTROOT_TEST_UNIT_DIR  unit test binaries (default build/tests/unit; "none"
#                         to skip them)
#   PTROOT_TEST_USER      the unprivileged user when run as root (ptroot-test)
#   PTROOT_TEST_JOBS      prove's parallel jobs (default 2)
#
# The last line is "N passed, M failed", counting test files: each unit test
# binary once and each integration .t once per configuration.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

MODES=${PTROOT_TEST_MODES:-root:seccomp root:noseccomp user:seccomp user:noseccomp}
UNIT_DIR=${PTROOT_TEST_UNIT_DIR:-build/tests/unit}
TEST_USER=${PTROOT_TEST_USER:-ptroot-test}
JOBS=${PTROOT_TEST_JOBS:-2}
BIN=${PTROOT_TEST_BIN:-./ptroot}
case $BIN in
*/*) ;;
*) BIN=$(command -v "$BIN" || echo "./$BIN") ;;	# a bare name: from $PATH
esac

PASSED=0
FAILED=0
SUMMARY=
TMP=$(mktemp -d /tmp/ptroot-run.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

now()
{
	date +%s
}

step()
{
	echo
	echo "=== $*"
}

IS_ROOT=no
[ "$(id -u)" = 0 ] && IS_ROOT=yes

# -------------------------------------------------------------- rootfs ---
step "test root filesystems"
t0=$(now)
sh tests/rootfs/busybox.sh
if [ $IS_ROOT = yes ]; then
	sh tests/rootfs/debian.sh || echo "run.sh: the trixie rootfs could not be built: debian.t will fail" >&2
else
	sh tests/rootfs/debian.sh || echo "run.sh: (as $(id -un): debian.t will fail until the trixie rootfs is built)" >&2
fi
echo "rootfs ready in $(($(now) - t0))s"

# run_prove LABEL COMMAND...: run COMMAND (a prove invocation), show its
# output, count its test files into PASSED/FAILED.
run_prove()
{
	label=$1
	shift
	log=$TMP/prove.log
	t0=$(now)
	{
		"$@" 2>&1 || echo "run.sh: prove exited with status $?"
	} | tee "$log"
	files=$(sed -n 's/^Files=\([0-9]*\),.*/\1/p' "$log" | tail -n 1)
	# Each failing file has one line in prove's "Test Summary Report".
	bad=$(sed -n '/^Test Summary Report/,$p' "$log" | grep -c '^[^ ].* (Wstat: ' || true)
	if [ -z "$files" ]; then
		# prove itself did not get to its summary.
		files=1
		bad=1
	fi
	bad=${bad:-0}
	PASSED=$((PASSED + files - bad))
	FAILED=$((FAILED + bad))
	line="$label: $((files - bad))/$files test files passed ($(($(now) - t0))s)"
	SUMMARY="$SUMMARY
  $line"
	echo "$line"
}

# ---------------------------------------------------------- unit tests ---
if [ "$UNIT_DIR" != none ]; then
	step "unit tests ($UNIT_DIR)"
	units=
	for u in "$UNIT_DIR"/test-*; do
		case $u in *.d | *.o) continue ;; esac
		[ -x "$u" ] && units="$units $u"
	done
	if [ -n "$units" ]; then
		# shellcheck disable=SC2086
		run_prove "unit tests" prove $units
	else
		echo "no unit tests built in $UNIT_DIR"
	fi
fi

# ----------------------------------------------- the unprivileged user ---
# When run as root, the user half runs as $TEST_USER.  It must be able to
# read the tree; if a parent directory is closed to it (a checkout under
# /root, say), what the tests need is copied to a directory it can read
# (the rootfs caches as hard links where possible).
USER_TOP=
user_setup()
{
	[ -n "$USER_TOP" ] && return 0
	if ! id "$TEST_USER" >/dev/null 2>&1; then
		echo "run.sh: creating the system user $TEST_USER for the unprivileged tests"
		useradd -r -M -s /bin/sh "$TEST_USER"
	fi
	USER_HOME=$TMP/home
	mkdir -p "$USER_HOME"
	chown "$TEST_USER:" "$USER_HOME"
	case $BIN in /*) user_bin=$BIN ;; *) user_bin=$TOP/$BIN ;; esac
	if as_user sh -c 'cd "$1" && test -r tests/lib.sh && test -x "$2" &&
		test -r tests/rootfs/out/busybox/bin/busybox && test -r build/guest' \
		sh "$TOP" "$user_bin" 2>/dev/null; then
		USER_TOP=$TOP
		return 0
	fi
	USER_TOP=$TMP/tree
	echo "run.sh: $TEST_USER cannot read $TOP: copying what the tests need to $USER_TOP"
	mkdir -p "$USER_TOP/build" "$USER_TOP/tests/rootfs"
	tar -C "$TOP" --exclude=tests/rootfs/out -cf - tests | tar -C "$USER_TOP" -xf -
	for d in build/guest build/guest32; do
		[ -d "$d" ] && cp -R "$d" "$USER_TOP/build/"
	done
	case $BIN in
	/*) case $BIN in "$TOP"/*) bin_rel=${BIN#"$TOP"/} ;; *) bin_rel= ;; esac ;;
	*) bin_rel=$BIN ;;
	esac
	if [ -n "$bin_rel" ] && [ -e "$TOP/$bin_rel" ]; then
		mkdir -p "$USER_TOP/$(dirname "$bin_rel")"
		cp "$TOP/$bin_rel" "$USER_TOP/$bin_rel"
	fi
	cp -al tests/rootfs/out "$USER_TOP/tests/rootfs/out" 2>/dev/null ||
		cp -a tests/rootfs/out "$USER_TOP/tests/rootfs/out"
	chmod -R a+rX "$USER_TOP"
}

as_user()
{
	setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups \
		env HOME="${USER_HOME:-/}" USER="$TEST_USER" LOGNAME="$TEST_USER" TMPDIR=/tmp "$@"
}

# ---------------------------------------------------- integration tests ---
ran_root=no
# (secenv is two words or one on purpose: "-u VAR" or "VAR=1".)
# shellcheck disable=SC2086
for mode in $MODES; do
	who=${mode%%:*}
	sec=${mode#*:}
	case $sec in
	seccomp) secenv="-u PTROOT_NO_SECCOMP" ;;
	noseccomp) secenv="PTROOT_NO_SECCOMP=1" ;;
	*) echo "run.sh: unknown mode '$mode'" >&2; exit 2 ;;
	esac
	label="integration, $who, $sec"
	if [ "$who" = root ]; then
		if [ $IS_ROOT = no ]; then
			continue
		fi
		ran_root=yes
		step "$label"
		run_prove "$label" env $secenv PTROOT_TEST_BIN="$BIN" prove -j"$JOBS" tests/integration/*.t
	elif [ "$who" = user ]; then
		if [ $IS_ROOT = yes ]; then
			user_setup
			step "$label (as $TEST_USER, in $USER_TOP)"
			case $BIN in
			/*) case $BIN in "$TOP"/*) ubin=$USER_TOP/${BIN#"$TOP"/} ;; *) ubin=$BIN ;; esac ;;
			*) ubin=$USER_TOP/$BIN ;;
			esac
			run_prove "$label" as_user env $secenv PTROOT_TEST_BIN="$ubin" \
				sh -c 'cd "$1" && shift && exec "$@"' sh "$USER_TOP" \
				prove -j"$JOBS" tests/integration/*.t
		else
			step "$label (as $(id -un))"
			run_prove "$label" env $secenv PTROOT_TEST_BIN="$BIN" prove -j"$JOBS" tests/integration/*.t
		fi
	else
		echo "run.sh: unknown mode '$mode'" >&2
		exit 2
	fi
done

echo
echo "=== summary"
if [ $IS_ROOT = no ] && [ $ran_root = no ]; then
	echo "  (run as $(id -un), not root: only the unprivileged half ran)"
fi
echo "$SUMMARY" | sed '/^$/d'
echo "test files: $PASSED passed, $FAILED failed"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
