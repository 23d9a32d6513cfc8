# SPDX-License-Identifier: MIT
# Shared by the rootfs recipes: where the trees go and the stamp logic that
# keeps them cached until the recipe itself changes.  Sourced, not run.

ROOTFS_DIR=${ROOTFS_DIR:-$(cd "$(dirname "$0")" && pwd)}
ROOTFS_OUT=${PTROOT_ROOTFS_OUT:-$ROOTFS_DIR/out}

# recipe_hash FILE...: one line that changes whenever a recipe file does.
recipe_hash()
{
	cat "$@" | sha256sum | cut -d' ' -f1
}

# stamp_ok NAME HASH: true if out/NAME exists and was built by this recipe.
stamp_ok()
{
	[ -d "$ROOTFS_OUT/$1" ] && [ -f "$ROOTFS_OUT/$1.stamp" ] &&
		[ "$(cat "$ROOTFS_OUT/$1.stamp")" = "$2" ]
}

# now: seconds since the epoch, for timing the builds.
now()
{
	date +%s
}
