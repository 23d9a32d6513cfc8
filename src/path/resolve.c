/* SPDX-License-Identifier: MIT */
/* The guest path resolver: walks a guest path one component at a time, in
 * guest terms, the way the kernel's link_path_walk() does under a chroot to
 * the guest root, and produces the host path to hand to the kernel. Iterative
 * (the shape of musl's realpath): the unwalked rest of the path sits at the
 * end of one buffer and a symlink's target is copied in front of it. */

#include "path/path.h"

#include <stdio.h>
#include <string.h>

/* Room for the rest of the path plus the symlink targets spliced in front:
 * the kernel keeps each link's unwalked rest apart, so that a long path
 * through many links is ELOOP at the 41st link, never ENAMETOOLONG. Here
 * they share one buffer: the path and every link's target fit. */
#define REST_SIZE ((PT_MAXSYMLINKS + 2) * PT_PATH_MAX)

/* The directory (or, at the end, the object) reached so far: its canonical
 * guest path and its host path, kept in step component by component so that
 * the host path is not rebuilt from scratch at every step. */
typedef struct Walk {
	const Mapping *map;
	const FsOps *ops;
	char *guest; /* PT_PATH_MAX bytes */
	size_t glen;
	char *host;
	size_t hlen, hsz;
	/* the binding that maps guest, NULL for the root */
	const Binding *bind;
} Walk;

static int walk_set(Walk *w, const char *guest)
{
	size_t n = strlen(guest);
	int r;

	if (n >= PT_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(w->guest, guest, n + 1);
	w->glen = n;
	w->bind = mapping_find_guest(w->map, w->guest);
	r = mapping_guest_to_host(w->map, w->guest, w->host, w->hsz);
	if (r < 0)
		return r;
	w->hlen = strlen(w->host);
	return 0;
}

static bool walk_at_mountpoint(const Walk *w)
{
	return w->bind && strcmp(w->bind->guest, w->guest) == 0;
}

/* Step down into NAME (N bytes). Only a binding mounted exactly at the new
 * guest path can change the mapping: any shorter one would already map the
 * parent. */
static int walk_push(Walk *w, const char *name, size_t n)
{
	const Binding *b = NULL;

	if (w->glen + 1 + n >= PT_PATH_MAX)
		return -ENAMETOOLONG;
	if (w->glen > 1)
		w->guest[w->glen++] = '/';
	else
		w->glen = 1; /* "/" */
	memcpy(w->guest + w->glen, name, n);
	w->glen += n;
	w->guest[w->glen] = '\0';

	for (size_t i = 0; i < w->map->n_bindings; i++) {
		if (strcmp(w->map->bindings[i].guest, w->guest) == 0)
			b = &w->map->bindings[i]; /* the last one wins */
	}
	if (b) {
		size_t hn = strlen(b->host);

		if (hn >= w->hsz)
			return -ENAMETOOLONG;
		memcpy(w->host, b->host, hn + 1);
		w->hlen = hn;
		w->bind = b;
		return 0;
	}
	if (w->hlen == 1) /* host "/": no "//" */
		w->hlen = 0;
	if (w->hlen + 1 + n >= w->hsz)
		return -ENAMETOOLONG;
	w->host[w->hlen++] = '/';
	memcpy(w->host + w->hlen, name, n);
	w->hlen += n;
	w->host[w->hlen] = '\0';
	return 0;
}

static size_t parent_len(const char *path, size_t len)
{
	while (len > 0 && path[len - 1] != '/')
		len--;
	/* "/x" -> "/" (keep the slash), "/a/x" -> "/a" */
	return len > 1 ? len - 1 : 1;
}

/* Step up to the parent, lexically: the guest path is canonical, so ".." of a
 * binding's mount point is the guest parent, as it is for a real mount. */
static int walk_pop(Walk *w)
{
	bool remap;

	if (w->glen <= 1)
		return 0;
	remap = walk_at_mountpoint(w);
	w->glen = parent_len(w->guest, w->glen);
	w->guest[w->glen] = '\0';
	if (remap)
		return walk_set(w, w->guest);
	/* Same mapping: the host path loses the same last component. */
	w->hlen = parent_len(w->host, w->hlen);
	w->host[w->hlen] = '\0';
	return 0;
}

/* An ancestor of a binding that the rootfs lacks: a directory of the guest
 * view with no host counterpart. */
static bool walk_is_synthetic(const Walk *w)
{
	struct stat st;

	return mapping_is_binding_ancestor(w->map, w->guest) &&
	       w->ops->lstat(w->ops->ctx, w->host, &st) == -ENOENT;
}

static int walk_append_host(Walk *w, const char *suffix)
{
	size_t n = strlen(suffix);

	/* "/" + "/." must be "/.", not "//.". */
	if (w->hlen == 1 && suffix[0] == '/')
		w->hlen = 0;
	if (w->hlen + n >= w->hsz)
		return -ENAMETOOLONG;
	memcpy(w->host + w->hlen, suffix, n + 1);
	w->hlen += n;
	return 0;
}

/* A final "..": resolved in guest terms. "HOSTDIR/.." goes to the kernel only
 * where the kernel's ".." lands on the same directory; anywhere else (the
 * guest root, a binding's mount point, a synthetic directory) the kernel
 * would climb to the wrong place, so the target gets a "/." instead: rmdir
 * and rename then fail harmlessly (EINVAL/EBUSY instead of ENOTEMPTY). */
static int finish_dotdot(Walk *w, const char *dotdot_root, bool beneath, Resolved *ret)
{
	char hostdir[PT_PATH_MAX * 2];
	size_t hostdir_len = w->hlen;
	bool literal;
	int r;

	if (strcmp(w->guest, dotdot_root) == 0 || w->glen == 1) {
		/* Clamped at the root (or at the real guest "/", above
		 * which a cwd outside a chroot cannot climb either): stays
		 * here. Only a host "/" is its own parent. */
		if (beneath && strcmp(w->guest, dotdot_root) == 0)
			return -EXDEV;
		literal = w->hlen == 1;
	} else if (!walk_at_mountpoint(w)) {
		/* Same mapping: the host parent is the lexical parent, and
		 * walk_pop() only cuts the host path: put it back after. */
		size_t cut = parent_len(w->host, w->hlen);
		char saved = w->host[cut];

		literal = !walk_is_synthetic(w);
		r = walk_pop(w);
		if (r < 0)
			return r;
		if (literal) {
			w->host[cut] = saved;
			w->hlen = hostdir_len;
		}
	} else {
		literal = !walk_is_synthetic(w);
		memcpy(hostdir, w->host, hostdir_len + 1);
		r = walk_pop(w);
		if (r < 0)
			return r;
		literal = literal && w->hlen == parent_len(hostdir, hostdir_len) &&
			  memcmp(w->host, hostdir, w->hlen) == 0;
		if (literal) {
			memcpy(w->host, hostdir, hostdir_len + 1);
			w->hlen = hostdir_len;
		}
	}
	ret->dir_required = true;
	if (literal)
		return walk_append_host(w, "/..");
	ret->synthetic = walk_is_synthetic(w);
	return walk_append_host(w, "/.");
}

/* Every successful exit: ret->guest and ret->host already hold the object,
 * the host path only needs its suffix ("/", "/." or nothing). */
static int finish(Walk *w, const char *suffix)
{
	return suffix ? walk_append_host(w, suffix) : 0;
}

static bool overlaps(const char *s, const Resolved *ret)
{
	uintptr_t p = (uintptr_t)s, lo = (uintptr_t)ret;

	return p >= lo && p < lo + sizeof(*ret);
}

int resolve_path(const Resolver *res, const char *base, const char *path, int flags, Resolved *ret)
{
	char rest[REST_SIZE];
	char target[PT_PATH_MAX];
	char base_copy[PT_PATH_MAX], root_copy[PT_PATH_MAX];
	const char *root = res->root ? res->root : "/";
	const bool beneath = flags & RESOLVE_BENEATH_;
	const bool scoped = flags & (RESOLVE_BENEATH_ | RESOLVE_IN_ROOT_);
	const bool parent = flags & RESOLVE_PARENT_;
	const bool no_xdev = flags & RESOLVE_NO_XDEV_;
	const Binding *mount; /* RESOLVE_NO_XDEV_: the mount of the start */
	const char *dotdot_root, *abs_root;
	Walk w = {
		.map = res->map,
		.ops = res->ops,
		.guest = ret->guest,
		.host = ret->host,
		.hsz = sizeof(ret->host),
	};
	char *p, *end;
	size_t len;
	int links = 0;
	int r;

	if (!base)
		base = root;
	/* The walk writes into ret->guest: a caller that passes a previous
	 * result as BASE (or root) must not see it change under the walk. */
	if (overlaps(base, ret)) {
		snprintf(base_copy, sizeof(base_copy), "%s", base);
		base = base_copy;
	}
	if (overlaps(root, ret)) {
		snprintf(root_copy, sizeof(root_copy), "%s", root);
		root = root_copy;
	}
	/* openat2(2): both scoped modes make BASE the barrier for ".."; only
	 * RESOLVE_IN_ROOT makes "/" mean BASE (RESOLVE_BENEATH refuses it). */
	dotdot_root = scoped ? base : root;
	abs_root = (flags & RESOLVE_IN_ROOT_) ? base : root;

	ret->dir_required = false;
	ret->final_missing = 0;
	ret->magic = false;
	ret->mountpoint = false;
	ret->synthetic = false;

	/* openat2(2) refuses the pair: the two scopes contradict each other. */
	if (beneath && (flags & RESOLVE_IN_ROOT_))
		return -EINVAL;
	if (!path)
		return -EFAULT;
	len = strlen(path);
	if (len == 0)
		return -ENOENT;
	if (len >= PT_PATH_MAX)
		return -ENAMETOOLONG;
	end = rest + sizeof(rest) - 1;
	*end = '\0';
	p = end - len;
	memcpy(p, path, len);

	if (*p == '/') {
		if (beneath)
			return -EXDEV;
		r = walk_set(&w, abs_root);
	} else {
		r = walk_set(&w, base);
	}
	if (r < 0)
		return r;
	mount = w.bind;
	/* the kernel's nd->root is set: by an absolute path, RESOLVE_IN_ROOT,
	 * a "..", or a jump to it; before that, nd_jump_root() refuses any
	 * absolute link under RESOLVE_NO_XDEV, even to the same mount */
	bool root_set = *p == '/' || (flags & RESOLVE_IN_ROOT_);

	for (;;) {
		const char *c, *q;
		bool final, slash, jumped = false, synthetic = false;
		struct stat st;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p) {
			/* Nothing but slashes since the last jump to the root
			 * (the path "/", or a final symlink to "/"): the
			 * kernel's LAST_ROOT. "/." keeps rmdir from removing
			 * the root directory on the host. */
			ret->dir_required = true;
			ret->mountpoint = true;
			ret->synthetic = walk_is_synthetic(&w);
			return finish(&w, "/.");
		}
		c = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - c);
		for (q = p; *q == '/'; q++)
			;
		final = !*q;
		slash = final && *p == '/';

		if (final && slash && (flags & RESOLVE_CREATE_) && !(n == 1 && c[0] == '.') &&
		    !(n == 2 && c[0] == '.' && c[1] == '.')) {
			return -EISDIR;
		}
		if (n > PT_NAME_MAX) {
			if (!(parent && final))
				return -ENAMETOOLONG;
			/* The parent walk does not look at the last name:
			 * the kernel says ENAMETOOLONG when it does, after
			 * its other checks (rename's EXDEV, ...). Only the
			 * host path gets it; the guest path is the parent's. */
			if (w.hlen == 1)
				w.hlen = 0;
			if (w.hlen + 1 + n >= w.hsz)
				return -ENAMETOOLONG;
			w.host[w.hlen++] = '/';
			memcpy(w.host + w.hlen, c, n);
			w.hlen += n;
			w.host[w.hlen] = '\0';
			ret->final_missing = -ENOENT;
			ret->dir_required = slash;
			return finish(&w, slash ? "/" : NULL);
		}
		if (n == 1 && c[0] == '.') {
			if (!final)
				continue;
			/* Keep the "." for the kernel: rmdir("d/.") is EINVAL. */
			ret->dir_required = true;
			ret->synthetic = walk_is_synthetic(&w);
			return finish(&w, "/.");
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			root_set = true; /* handle_dots(): set_root() */
			if (final) {
				r = finish_dotdot(&w, dotdot_root, beneath, ret);
				if (r == 0 && no_xdev && w.bind != mount)
					return -EXDEV;
				return r;
			}
			if (strcmp(w.guest, dotdot_root) == 0) {
				if (beneath)
					return -EXDEV;
				continue; /* clamped at the root */
			}
			r = walk_pop(&w);
			if (r < 0)
				return r;
			if (no_xdev && w.bind != mount)
				return -EXDEV; /* follow_dotdot() out of a mount */
			continue;
		}

		r = walk_push(&w, c, n);
		if (r < 0)
			return r;
		if (no_xdev && w.bind != mount && !(parent && final))
			return -EXDEV; /* traverse_mounts() into a binding */
examine:
		r = w.ops->lstat(w.ops->ctx, w.host, &st);
		if (r == -ENOENT && mapping_is_binding_ancestor(w.map, w.guest)) {
			/* Missing in the rootfs, but the guest sees a
			 * directory there: a binding is mounted below. */
			r = 0;
			st.st_mode = S_IFDIR | 0755;
			synthetic = true;
		}
		if (r == -ENOENT && final) {
			/* Only the parent exists: creation is possible. */
			ret->final_missing = -ENOENT;
			ret->dir_required = slash;
			ret->mountpoint = walk_at_mountpoint(&w);
			return finish(&w, slash ? "/" : NULL);
		}
		if (r < 0)
			return r;

		if (S_ISLNK(st.st_mode) && !jumped &&
		    (!final || (!parent && ((flags & RESOLVE_FOLLOW) || slash)))) {
			ssize_t k;
			size_t avail;

			/* pick_link(): the 41st link of the whole walk fails. */
			if (++links > PT_MAXSYMLINKS)
				return -ELOOP;
			if (flags & RESOLVE_NO_SYMLINKS_)
				return -ELOOP;
			if (w.ops->magic) {
				int m = w.ops->magic(w.ops->ctx, w.host, w.guest, target);

				if (m < 0)
					return m;
				if (m > 0) {
					if (flags & RESOLVE_NO_MAGICLINKS_)
						return -ELOOP;
					/* nd_jump_link(): another mount, or a
					 * scoped lookup, is EXDEV */
					if (no_xdev && (m >= 2 || mapping_find_guest(w.map, target) != mount))
						return -EXDEV;
					if (scoped)
						return -EXDEV;
				}
				if (m >= 2) {
					/* What the link names has no path we
					 * could walk (a pipe, a deleted
					 * file): the kernel must do it. A
					 * removed directory (3) is empty. */
					if (!final)
						return m == 3 ? -ENOENT : -ENOTDIR;
					ret->magic = true;
					ret->dir_required = slash;
					return finish(&w, slash ? "/" : NULL);
				}
				if (m == 1) {
					target[PT_PATH_MAX - 1] = '\0';
					r = path_normalize(target, target, sizeof(target));
					if (r < 0)
						return r;
					r = walk_set(&w, target);
					if (r < 0)
						return r;
					jumped = true;
					synthetic = false;
					goto examine;
				}
			}

			/* Read the target straight into the free space in
			 * front of the rest, then move it against the rest:
			 * one copy per link, whatever the path's length. */
			avail = (size_t)(p - rest);
			k = w.ops->readlink(w.ops->ctx, w.host, rest, avail);
			if (k < 0)
				return (int)k;
			if ((size_t)k >= avail)
				return -ENAMETOOLONG;
			if (k == 0)
				return -ENOENT; /* an empty target names nothing */
			p -= k;
			memmove(p, rest, (size_t)k);

			/* The target is relative to the link's directory. */
			r = walk_pop(&w);
			if (r < 0)
				return r;
			if (*p == '/') {
				if (beneath)
					return -EXDEV; /* nd_jump_root() */
				if (no_xdev && !root_set)
					return -EXDEV;
				root_set = true;
				r = walk_set(&w, abs_root);
				if (r < 0)
					return r;
			}
			if (no_xdev && w.bind != mount)
				return -EXDEV; /* nd_jump_root() from a binding */
			continue;
		}

		if (final) {
			/* After a magic jump the object is not followed: a
			 * trailing "/" on a symlink there is the kernel's
			 * ENOTDIR, which the host kernel would not say. */
			if (jumped && slash && !S_ISDIR(st.st_mode))
				return -ENOTDIR;
			ret->dir_required = slash;
			ret->mountpoint = walk_at_mountpoint(&w);
			ret->synthetic = synthetic;
			return finish(&w, slash ? "/" : NULL);
		}
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
}
