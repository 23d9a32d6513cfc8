/* SPDX-License-Identifier: MIT */
/* Guest <-> host path translation. Pure: no ptrace, no tracee. The resolver
 * does its I/O through FsOps so that it can be tested against an in-memory
 * tree and against a real directory. All functions return >= 0 or -errno. */
#pragma once

#include "base/base.h"

#include <sys/stat.h>

/* ---- lexical.c: pure string operations --------------------------------- */

/* True when PREFIX is a prefix of PATH on a component boundary:
 * path_has_prefix("/a/bc", "/a/b") is false, ("/a/b/c", "/a/b") and
 * ("/a/b", "/a/b") are true. PREFIX "/" is a prefix of every absolute path;
 * trailing slashes of PREFIX are ignored; an empty PREFIX matches nothing. */
bool path_has_prefix(const char *path, const char *prefix);

/* Lexically normalize an absolute PATH into OUT (size OUTSZ): collapse "//",
 * drop ".", apply ".." (never above "/"), drop the trailing slash (except for
 * "/" itself). No I/O. OUT may be PATH itself. -EINVAL for a relative PATH,
 * -ENAMETOOLONG if it does not fit, or if an intermediate form does not:
 * "/aaaa/../b" needs 6 bytes of OUT, not 3 (fuzz/regressions). */
int path_normalize(const char *path, char *out, size_t outsz);

/* OUT = A "/" B, with exactly one slash between them (leading slashes of B and
 * trailing slashes of A are dropped: ("/", "x") gives "/x"). An empty B gives A
 * unchanged, an empty A gives B. OUT may be A. -ENAMETOOLONG. */
int path_join(const char *a, const char *b, char *out, size_t outsz);

/* ---- binding.c: the mount table of the guest ----------------------------- */

typedef struct Binding {
	char *host;  /* canonical absolute host path, no trailing slash */
	char *guest; /* canonical absolute guest path, no trailing slash */
} Binding;

typedef struct Mapping {
	/* canonical host path of the guest root ("/" allowed; NULL means "/");
	 * owned: set it with mapping_set_root(), mapping_free() frees it */
	char *root;
	Binding *bindings; /* later entries shadow earlier ones with the same guest */
	size_t n_bindings;
} Mapping;

/* Set the root (copied, lexically normalized). -EINVAL (relative), -ENOMEM. */
int mapping_set_root(Mapping *m, const char *root);

/* Add a binding (copies the strings, lexically normalized: the caller makes
 * HOST canonical with realpath first). -EINVAL (relative path), -ENOMEM. */
int mapping_add_binding(Mapping *m, const char *host, const char *guest);

/* Free the root, the bindings and the array; M is left empty. */
void mapping_free(Mapping *m);

/* The binding that maps GUEST (longest guest prefix on a component boundary,
 * the last added wins a tie), or NULL when the root maps it. */
const Binding *mapping_find_guest(const Mapping *m, const char *guest);

/* GUEST is canonical (absolute, normalized, symlink-free in guest terms).
 * OUT gets the host path: the binding with the longest guest prefix (on a
 * component boundary; the last added wins a tie) else ROOT + GUEST.
 * -ENAMETOOLONG if it does not fit in OUTSZ. */
int mapping_guest_to_host(const Mapping *m, const char *guest, char *out, size_t outsz);

/* HOST is an absolute host path (as the kernel reports it: readlink of
 * /proc/PID/cwd, getcwd, ...). OUT gets the guest path that names it. The
 * root counts as one more binding (host ROOT at guest "/"): the candidate with
 * the longest host prefix wins (the root wins a tie, then the last added
 * binding), but only if the guest path it gives maps back to HOST (a host path
 * under ROOT/mnt/b is hidden when a binding covers guest /mnt/b); otherwise
 * the next candidate is tried. -ENOENT when the host path is not visible in
 * the guest at all. */
int mapping_host_to_guest(const Mapping *m, const char *host, char *out, size_t outsz);

/* True when GUEST is a strict ancestor of some binding's guest path (for
 * example "/mnt" when "/mnt/data" is bound): such a directory must exist in
 * the guest view even if the rootfs lacks it. */
bool mapping_is_binding_ancestor(const Mapping *m, const char *guest);

/* ---- resolve.c: the guest resolver --------------------------------------- */

/* The I/O the resolver needs, on HOST paths. */
typedef struct FsOps {
	/* lstat: 0 or -errno; only st_mode is used by the resolver. */
	int (*lstat)(void *ctx, const char *host_path, struct stat *st);
	/* readlink: length (not NUL-terminated in BUF) or -errno. */
	ssize_t (*readlink)(void *ctx, const char *host_path, char *buf, size_t bufsz);
	/* Optional (may be NULL). Called for every symlink-looking component
	 * with the host and guest path of the link; lets the caller give the
	 * /proc magic links their guest meaning:
	 *   return 0: not special, read it with readlink as usual;
	 *   return 1: TARGET (size PT_PATH_MAX) holds a guest path to use as the
	 *             link's target (e.g. "/" for /proc/PID/root);
	 *   return 2: the link must not be followed by us: if it is the final
	 *             component, hand the host path to the kernel as it is
	 *             (a magic link to a pipe, a deleted file...) and set
	 *             Resolved.magic; if more components follow, -ENOTDIR
	 *             (what the kernel says for "/proc/self/fd/PIPE/x");
	 *   return 3: as 2, for a removed directory: -ENOENT if more
	 *             components follow (nothing is in it);
	 *   return < 0: that error. */
	int (*magic)(void *ctx, const char *host_path, const char *guest_path, char *target);
	void *ctx;
} FsOps;

enum {
	RESOLVE_FOLLOW = 1 << 0,   /* follow a symlink in the final component */
	RESOLVE_BENEATH_ = 1 << 1, /* openat2 RESOLVE_BENEATH: -EXDEV on escaping BASE */
	RESOLVE_NO_SYMLINKS_ = 1 << 2, /* openat2 RESOLVE_NO_SYMLINKS: -ELOOP on any symlink */
	RESOLVE_NO_MAGICLINKS_ = 1 << 3, /* openat2 RESOLVE_NO_MAGICLINKS: -ELOOP on a magic link */
	RESOLVE_IN_ROOT_ = 1 << 4, /* openat2 RESOLVE_IN_ROOT: BASE acts as "/" */
	/* Look the final component up the way filename_parentat() callers do
	 * (mkdir, mknod, symlink, link's new path, rename, unlink, rmdir): never
	 * follow it, not even with a trailing "/"; the host path keeps that "/"
	 * so the kernel answers as it would (rmdir("link/") is ENOTDIR and must
	 * not remove the link's target). Overrides RESOLVE_FOLLOW. */
	RESOLVE_PARENT_ = 1 << 5,
	/* openat2 RESOLVE_NO_XDEV: -EXDEV when the walk would leave the mount
	 * it started on, in guest terms (the root and each binding are mounts):
	 * into or out of a binding, an absolute symlink from a binding, a magic
	 * link to another mount. */
	RESOLVE_NO_XDEV_ = 1 << 6,
	/* open(2) with O_CREAT: a final name with a trailing "/" (in PATH or
	 * in a symlink's target) is -EISDIR, before it is looked at, as in
	 * the kernel's open_last_lookups() */
	RESOLVE_CREATE_ = 1 << 7,
};

typedef struct Resolver {
	const Mapping *map;
	const FsOps *ops;
	/* Guest path (canonical) of the process root: "/" normally, another
	 * guest directory after the guest called chroot(). ".." never climbs
	 * above it and absolute paths and symlinks start from it. */
	const char *root;
} Resolver;

typedef struct Resolved {
	/* canonical guest path of the object (relative to the real guest "/",
	 * i.e. including Resolver.root), without the suffix below */
	char guest[PT_PATH_MAX];
	/* host path to hand to the kernel, including the suffix below */
	char host[PT_PATH_MAX * 2];
	/* true when the final component was followed/exists as a directory
	 * requirement: the input ended in "/", "/." or "/.." */
	bool dir_required;
	/* 0 if the final object exists, -ENOENT if only its parent exists
	 * (creation is possible), other -errno never (those are returned). */
	int final_missing;
	/* true when the final component was handed over as a magic link */
	bool magic;
	/* true when the object is the guest root named by "/" (LAST_ROOT) or a
	 * binding's guest path: the kernel answers EBUSY to rmdir/rename of a
	 * mount point, but the host path is an ordinary directory (or file) that
	 * rmdir/rename/unlink would really remove: the caller must refuse */
	bool mountpoint;
	/* true when the object is a directory that exists only in the guest
	 * view: an ancestor of a binding's guest path missing from the rootfs.
	 * ret->host does not exist; the caller fakes stat/open/getdents */
	bool synthetic;
} Resolved;

/* Resolve PATH as the kernel would under a real chroot to the guest.
 *  - R->root NULL means "/".
 *  - BASE: canonical guest path of the directory that a relative PATH starts
 *    from (the cwd or the dirfd's directory; it must be a directory: the
 *    caller checks a dirfd); ignored for absolute PATH unless
 *    RESOLVE_IN_ROOT_. NULL means R->root.
 *  - Symlinks in the middle are always followed; absolute targets restart at
 *    R->root; at most PT_MAXSYMLINKS links, then -ELOOP (magic links
 *    count). A magic target (FsOps.magic returning 1) is jumped to, not
 *    walked: like the kernel's nd_jump_link(), it is a canonical guest path
 *    relative to the real guest "/" (not clamped under R->root) and the
 *    object there is not followed even if it is a symlink.
 *  - Scoped lookups (RESOLVE_BENEATH_, RESOLVE_IN_ROOT_) refuse magic links
 *    with -EXDEV, as openat2 does; RESOLVE_NO_MAGICLINKS_ (-ELOOP) and
 *    RESOLVE_NO_SYMLINKS_ (-ELOOP) are checked first. RESOLVE_BENEATH_ with
 *    an absolute PATH or an absolute symlink, or a ".." at BASE: -EXDEV.
 *    RESOLVE_BENEATH_ with RESOLVE_IN_ROOT_: -EINVAL (as openat2).
 *  - ".." never climbs above R->root.
 *  - Missing intermediate component: -ENOENT; intermediate that is not a
 *    directory: -ENOTDIR; component longer than NAME_MAX: -ENAMETOOLONG,
 *    except a final one with RESOLVE_PARENT_ (the kernel's parent walk does
 *    not look at it: ret->final_missing, and the kernel answers later);
 *    lstat errors such as -EACCES are returned as they are.
 *  - Empty PATH: -ENOENT (the caller handles AT_EMPTY_PATH before); PATH of
 *    PT_PATH_MAX bytes or more: -ENAMETOOLONG; a symlink target that does
 *    not fit with the rest of the path in 2 * PT_PATH_MAX: -ENAMETOOLONG.
 *  - The final component: followed if it is a symlink and RESOLVE_FOLLOW is
 *    set or the path ends in "/"; a missing final component is not an error
 *    (ret->final_missing = -ENOENT); a trailing "/" or "/." is kept in
 *    ret->host so that the kernel gives its ENOTDIR/EISDIR/EINVAL; a final
 *    ".." is resolved in guest terms (never escapes) and is kept literally
 *    in ret->host only where that names the same host directory, else
 *    ret->host is the target's host path + "/." (rmdir gives EINVAL, never
 *    removes anything). PATH "/" (only slashes) gives the root's host path +
 *    "/." and sets ret->mountpoint.
 *  - Guest path longer than PT_PATH_MAX - 1 or host path too long for
 *    ret->host: -ENAMETOOLONG.
 *  - On error, the contents of *RET are unspecified. */
int resolve_path(const Resolver *r, const char *base, const char *path, int flags, Resolved *ret);

/* Ready-made FsOps on the real file system (lstat(2), readlink(2)), no magic. */
extern const FsOps fsops_host;
