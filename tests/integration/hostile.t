#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile guests and bad input (docs/guarantees.md): bad pointers, sizes and
# descriptors get the kernel's answers (tests/guest/hostile-fault.c and
# hostile-sizes.c, compared with a real chroot); tens of thousands of random
# syscalls with random arguments leave ptroot alive and give the answers the
# same calls give natively (hostile-random.c); an unprivileged user cannot
# touch through ptroot a host file it cannot touch without it (hostile-
# perms.c); and what a program does through bindings lands on the host
# exactly as natively (hostile-churn.c).
. "$(dirname "$0")/../lib.sh"
require_ptroot

# Divergences from the kernel found by these tests and not fixed yet; see
# issue #4.
KNOWN_BUGS='hostile-sizes: bad sizes, lengths and descriptors|a 108-byte sun_path with no NUL fails with ENAMETOOLONG; no ETXTBSY for the running program (the loader maps it)
hostile-fault, PTROOT_NO_PROCESS_VM=1|PTRACE_PEEKDATA/POKEDATA ignore page protections: no EFAULT for PROT_NONE or read-only guest memory
hostile-sizes, PTROOT_NO_PROCESS_VM=1|PTRACE_PEEKDATA/POKEDATA ignore page protections; sun_path and ETXTBSY as above
t32/hostile-random, seeds 1-3: every call succeeds or fails as natively|i386: a few random calls succeed or fail unlike natively (not yet investigated)'

ROOT=$(busybox_rootfs bb) || bail_all "no busybox rootfs"
H=$WORK/host
mkdir -p "$ROOT/mnt/bind" "$ROOT/mnt/bind2" "$ROOT/mnt/hostetc" "$ROOT/mnt/rootdir"

# Two bound host directories, the same before every run.
reset_binds()
{
	chmod -R u+rwX "$H" 2>/dev/null || true
	rm -rf "$H"
	mkdir -p "$H/b1/olddir" "$H/b2"
	echo "present before" >"$H/b1/old"
	echo "also before" >"$H/b1/olddir/y"
	ln -s old "$H/b1/old-link"
}
reset_binds
BINDS="/proc $H/b1:/mnt/bind $H/b2:/mnt/bind2"
SCRATCH=$ROOT/tmp
PREPARE=reset_binds

# ------------------------------------------------- bad pointers, sizes ---
for abi in t t32; do
	compare_native "/$abi/hostile-fault: bad and partly mapped pointers" "$ROOT" "/$abi/hostile-fault" run
	compare_native "/$abi/hostile-sizes: bad sizes, lengths and descriptors" "$ROOT" "/$abi/hostile-sizes" run
done
# The same with ptrace's PEEKDATA/POKEDATA instead of process_vm_readv/writev.
SAVED_ENV=$CLEAN_ENV
CLEAN_ENV="$CLEAN_ENV PTROOT_NO_PROCESS_VM=1"
for abi in t t32; do
	compare_native "/$abi/hostile-fault, PTROOT_NO_PROCESS_VM=1" "$ROOT" "/$abi/hostile-fault" run
	compare_native "/$abi/hostile-sizes, PTROOT_NO_PROCESS_VM=1" "$ROOT" "/$abi/hostile-sizes" run
done
CLEAN_ENV=$SAVED_ENV

# ------------------------------------------------------ random syscalls ---
# A small guest, rebuilt before each run: the random calls rename, chmod and
# delete what they find, so every run must start from the same tree.
RND=$WORK/rnd
RND_BIND=$WORK/rnd-bind
random_root()
{
	chmod -R u+rwX "$RND" "$RND_BIND" 2>/dev/null || true
	rm -rf "$RND" "$RND_BIND"
	mkdir -p "$RND/tmp" "$RND/mnt/bind" "$RND/proc" "$RND/etc" "$RND/t" "$RND/t32" "$RND_BIND"
	chmod 1777 "$RND/tmp"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$RND/etc/passwd"
	cp "$GUEST_BUILD/hostile-random" "$RND/t/"
	cp "$GUEST32_BUILD/hostile-random" "$RND/t32/"
}
RANDOM_SEEDS=${PTROOT_RANDOM_SEEDS:-3}
RANDOM_CALLS=${PTROOT_RANDOM_CALLS:-20000}

# The result of each call, as success or failure only.
classes()
{
	sed -n 's/^\([0-9]* [0-9]*\) = -1 E.*/\1 fails/p; s/^\([0-9]* [0-9]*\) = [^-].*/\1 succeeds/p' "$1"
}

random_run()
{
	abi=$1
	label="/$abi/hostile-random, seeds 1-$RANDOM_SEEDS"
	nat=$WORK/random.nat.$abi
	pt=$WORK/random.pt.$abi
	: >"$nat"
	: >"$pt"
	# One seed per run, each from a fresh guest.
	seed=1
	while [ $seed -le "$RANDOM_SEEDS" ]; do
		rm -f "$nat.1"
		(
			BINDS="/proc $RND_BIND:/mnt/bind"
			SCRATCH=
			PREPARE=random_root
			transcript "$pt.1" ptroot "$RND" "/$abi/hostile-random" $seed "$RANDOM_CALLS"
			if native_available; then
				transcript "$nat.1" native "$RND" "/$abi/hostile-random" $seed "$RANDOM_CALLS"
			fi
		)
		cat "$pt.1" >>"$pt"
		[ ! -f "$nat.1" ] || cat "$nat.1" >>"$nat"
		seed=$((seed + 1))
	done
	calls=$(grep -c '^[0-9]* [0-9]* = ' "$pt" || true)
	if [ "$(grep -c '^done$' "$pt")" = "$RANDOM_SEEDS" ] &&
		[ "$(grep -c '^exit=0$' "$pt")" = "$RANDOM_SEEDS" ]; then
		pass "$label: ptroot survived $calls random calls and exited normally"
	else
		fail "$label: ptroot survived $calls random calls and exited normally"
		grep -v '^[0-9]* [0-9]* = ' "$pt" | tail -n 12 | diag_file /dev/stdin
	fi
	grep '^seed ' "$pt" | diag_file /dev/stdin
	if ! native_available; then
		native_unavailable "$label: compared with native"
		return 0
	fi
	if grep '^seed ' "$nat" | grep -qv 'child ended: exit 0'; then
		fail "$label: the native run is not clean (oracle broken)"
		grep '^seed ' "$nat" | diag_file /dev/stdin
	fi
	if [ $IS_ROOT = yes ]; then
		is "$(grep '^seed ' "$pt")" "$(grep '^seed ' "$nat")" "$label: every child ended as natively"
	else
		# The user namespace oracle is root: once a permission check
		# differs, so does what follows (a lease taken, then broken by
		# the child's own open is a SIGIO).  Only ptroot's own SIGKILL
		# would say that ptroot failed.
		if grep '^seed ' "$pt" | grep -q 'signal 9 '; then
			fail "$label: every child ended by itself"
		else
			pass "$label: every child ended by itself"
		fi
	fi
	# Success or failure of every call.  As an unprivileged user, the
	# oracle is root in a user namespace: permission checks differ there.
	classes "$nat" >"$WORK/cls.nat"
	classes "$pt" >"$WORK/cls.pt"
	ndiff=$(diff "$WORK/cls.nat" "$WORK/cls.pt" | grep -c '^>' || true)
	if [ $IS_ROOT = no ]; then
		diag "$label: $ndiff of $calls calls succeed or fail unlike in the user namespace (not compared as a user)"
	elif [ "$ndiff" = 0 ]; then
		pass "$label: every call succeeds or fails as natively"
	else
		fail "$label: every call succeeds or fails as natively ($ndiff do not)"
		diff "$WORK/cls.nat" "$WORK/cls.pt" | grep '^[<>]' | head -n 10 | diag_file /dev/stdin
		diag "  (to see the arguments: hostile-random SEED $RANDOM_CALLS 1 v)"
	fi
	# The exact errno: when several errors apply, ptroot may report another
	# one than the kernel (docs/guarantees.md).  Counted, not required.
	edits=$(diff "$nat" "$pt" | grep -c '^>' || true)
	if [ "$edits" = 0 ]; then
		pass "$label: every answer is the kernel's, errno included"
	else
		TAP_N=$((TAP_N + 1))
		echo "not ok $TAP_N - $label: every answer is the kernel's, errno included ($edits differ) # TODO error precedence"
		diff "$nat" "$pt" | grep '^[<>]' | head -n 6 | diag_file /dev/stdin
	fi
}
random_run t
random_run t32

# ------------------------------------------------------ nothing is lost ---
# dump_hashed DIR: every name under DIR with its type, mode, link count and
# the hash of its content (or its link target).
dump_hashed()
{
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
		if [ -L "$p" ]; then
			echo "$p -> $(readlink "$p")"
		elif [ -d "$p" ]; then
			echo "$p/ $(stat -c %a "$p")"
		else
			echo "$p $(stat -c '%F %a %h %s' "$p") $(sha256sum <"$p" | cut -c1-16)"
		fi
	done)
}

for abi in t t32; do
	label="/$abi/hostile-churn"
	if ! native_available; then
		native_unavailable "$label: the host files as natively"
		continue
	fi
	transcript "$WORK/churn.nat" native "$ROOT" "/$abi/hostile-churn" run
	dump_hashed "$H" >"$WORK/churn.nat.dump"
	transcript "$WORK/churn.pt" ptroot "$ROOT" "/$abi/hostile-churn" run
	dump_hashed "$H" >"$WORK/churn.pt.dump"
	if diff -u "$WORK/churn.nat" "$WORK/churn.pt" >"$WORK/diff"; then
		pass "$label: same transcript as native"
	else
		fail "$label: same transcript as native"
		diag_file "$WORK/diff" 30
	fi
	if diff -u "$WORK/churn.nat.dump" "$WORK/churn.pt.dump" >"$WORK/diff"; then
		pass "$label: the bound host directories end exactly as natively ($(wc -l <"$WORK/churn.pt.dump") names)"
	else
		fail "$label: the bound host directories end exactly as natively"
		diag "--- native, +++ ptroot:"
		diag_file "$WORK/diff" 40
	fi
done

# ---------------------------------------- no more rights than the user ---
# As root every host file is writable natively too: nothing to show.
host_files()
{
	for f in /etc/passwd /etc/group /etc/hostname; do
		[ -e "$f" ] && echo "$f $(stat -c '%a %U %s %Y' "$f") $(sha256sum <"$f" | cut -c1-16)"
	done
	stat -c '%n %a %U %Y' /etc /root
	ls -A /etc | grep ptroot-test || true
}
if [ $IS_ROOT = yes ]; then
	skip "hostile-perms: no more rights than the user" "run as root (the unprivileged runs check it)"
elif ! [ -d /root ] || [ -r /root ]; then
	skip "hostile-perms: no more rights than the user" "/root is missing or readable here"
else
	mkdir -p "$WORK/perms" "$ROOT/tmp/perms"
	before=$(host_files)
	run_cmd env -i $CLEAN_ENV "$GUEST_BUILD/hostile-perms" /etc /root "$WORK/perms"
	cp "$RUN_OUT" "$WORK/perms.host"
	for abi in t t32; do
		run_pt -r "$ROOT" -w / -b /etc:/mnt/hostetc -b /root:/mnt/rootdir \
			"/$abi/hostile-perms" /mnt/hostetc /mnt/rootdir /tmp/perms
		expect_status 0 "/$abi/hostile-perms under ptroot exits normally"
		if diff -u "$WORK/perms.host" "$RUN_OUT" >"$WORK/diff"; then
			pass "/$abi/hostile-perms: every attempt fails with the errno the user gets on the host"
		else
			fail "/$abi/hostile-perms: every attempt fails with the errno the user gets on the host"
			diag "--- on the host, +++ under ptroot:"
			diag_file "$WORK/diff"
		fi
		if grep -q SUCCEEDED "$RUN_OUT"; then
			fail "/$abi/hostile-perms: nothing succeeded"
			grep SUCCEEDED "$RUN_OUT" | diag_file /dev/stdin
		else
			pass "/$abi/hostile-perms: nothing succeeded"
		fi
	done
	is "$(host_files)" "$before" "hostile-perms: the host's /etc and /root are unchanged"
fi
done_testing
