#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds tests/rootfs/out/busybox: a minimal guest made of the static
# /bin/busybox of busybox-static and its applet links, a few files in /etc and
# empty mount points.  No network, no root.  Cached until this recipe or the
# busybox binary changes.  The guest test programs (/t, /t32) are copied in at
# test time, into a per-run copy of this tree (tests/lib.sh), not here.
set -eu

. "$(dirname "$0")/common.sh"

NAME=busybox
BUSYBOX=${BUSYBOX:-/bin/busybox}

if ! [ -x "$BUSYBOX" ]; then
	echo "tests/rootfs/busybox.sh: no $BUSYBOX (apt-get install busybox-static)" >&2
	exit 1
fi
HASH=$( (recipe_hash "$0" "$ROOTFS_DIR/common.sh"; sha256sum <"$BUSYBOX") | recipe_hash)

if stamp_ok "$NAME" "$HASH"; then
	exit 0
fi

mkdir -p "$ROOTFS_OUT"
WORK=$ROOTFS_OUT/$NAME.new
rm -rf "$WORK" "$ROOTFS_OUT/$NAME.stamp"
umask 022

mkdir -p "$WORK"
cd "$WORK"
mkdir -p bin sbin usr/bin usr/sbin etc root home proc dev sys tmp t t32 var/tmp
chmod 1777 tmp var/tmp
cp "$BUSYBOX" bin/busybox
chmod 0755 bin/busybox

# One link per applet, where busybox would install it.  Absolute targets on
# purpose: following them exercises the guest's absolute symlinks.
"$BUSYBOX" --list-full | while read -r applet; do
	[ -e "$applet" ] || [ -L "$applet" ] || ln -s /bin/busybox "$applet"
done
[ -L bin/sh ] || ln -s busybox bin/sh

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
cat >etc/os-release <<'OS'
NAME="ptroot test guest (busybox)"
ID=ptroot-busybox
PRETTY_NAME="ptroot test guest (busybox)"
OS
cat >etc/profile <<'PROFILE'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export GUEST_PROFILE_READ=yes
PROFILE
echo ptroot-guest >etc/hostname
cd - >/dev/null

rm -rf "${ROOTFS_OUT:?}/$NAME"
mv "$WORK" "$ROOTFS_OUT/$NAME"
echo "$HASH" >"$ROOTFS_OUT/$NAME.stamp"
echo "busybox.sh: built $ROOTFS_OUT/$NAME ($("$BUSYBOX" --list | wc -l) applets)"
