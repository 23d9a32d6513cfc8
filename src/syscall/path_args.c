/* SPDX-License-Identifier: MIT */
/* The generic handler for rows of kind SK_PATH: each path argument is read,
 * resolved in the guest with the row's dirfd and final-symlink rule, and
 * replaced by the host path written into the tracee's scratch space. */
#include "syscall/ctx.h"
#include "base/stats.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IN_DONT_FOLLOW
#define IN_DONT_FOLLOW 0x02000000
#endif
#ifndef FAN_MARK_DONT_FOLLOW
#define FAN_MARK_DONT_FOLLOW 0x00000004
#endif

static bool follows(const SysPath *p, uint64_t flags)
{
	switch (p->follow) {
	case SF_FOLLOW:
		return true;
	case SF_AT_NOFOLLOW:
		return !(flags & AT_SYMLINK_NOFOLLOW);
	case SF_AT_FOLLOW:
		return flags & AT_SYMLINK_FOLLOW;
	case SF_OPEN:
		/* open(2): O_NOFOLLOW, and O_CREAT|O_EXCL never follows a final
		 * symlink (a dangling one gives EEXIST). */
		if (flags & O_NOFOLLOW)
			return false;
		return (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	case SF_INOTIFY:
		return !(flags & IN_DONT_FOLLOW);
	case SF_FANOTIFY:
		return !(flags & FAN_MARK_DONT_FOLLOW);
	default:
		return false;
	}
}

/* path_init(): a dirfd that a relative path (or RESOLVE_IN_ROOT) starts from
 * must be a directory, before anything else is looked at. Asked of the
 * descriptor itself, which may be a removed file or directory. */
int dirfd_not_dir(SysCtx *c, int dirfd)
{
	char p[64];
	struct stat st;
	if (dirfd < 0)
		return 0; /* AT_FDCWD, or EBADF from the resolver */
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)c->tid, dirfd);
	if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

/* The type the kernel's filename_parentat() gives the last component of
 * PATH: LAST_ROOT for "/" (only slashes), LAST_DOT, LAST_DOTDOT (trailing
 * slashes do not count), else LAST_NORM. */
enum { LT_NORM, LT_ROOT, LT_DOT, LT_DOTDOT };

static int last_type(const char *path)
{
	size_t n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0)
		return path[0] == '/' ? LT_ROOT : LT_NORM;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	if (n - s == 1 && path[s] == '.')
		return LT_DOT;
	if (n - s == 2 && path[s] == '.' && path[s + 1] == '.')
		return LT_DOTDOT;
	return LT_NORM;
}

/* What the row removes: 'r' rmdir (or unlinkat with AT_REMOVEDIR), 'u'
 * unlink, 'n' a rename (either name). */
static char remove_kind(const SysCtx *c)
{
	const char *name = c->ent->name;
	if (c->ent->p[1].follow == SF_REMOVE)
		return 'n';
	if (!strcmp(name, "rmdir"))
		return 'r';
	if (!strcmp(name, "unlinkat") && (c->args[2] & AT_REMOVEDIR))
		return 'r';
	return 'u';
}

/* The kernel's answer for a name it would not remove or create because it is
 * not a plain name ("/", ".", ".."), or because it is a mount point of the
 * guest (the root, a binding): the host object behind it must not be
 * touched. 0 when neither applies. For a rename, the answer comes after the
 * checks of the other name (see handle_path_args). */
static int parent_refusal(const SysCtx *c, const SysPath *p, const char *path, const Resolved *res)
{
	int lt = last_type(path);
	if (lt == LT_NORM && !res->mountpoint)
		return 0;
	if (p->follow == SF_CREATE)
		return -EEXIST; /* filename_create(): LAST_NORM or EEXIST */
	switch (remove_kind(c)) {
	case 'u':
		if (lt != LT_NORM)
			return -EISDIR;
		if (path[strlen(path) - 1] == '/') {
			/* do_unlinkat(): a trailing "/" is EISDIR or ENOTDIR */
			struct stat sst;
			return stat(res->host, &sst) == 0 && S_ISDIR(sst.st_mode) ? -EISDIR : -ENOTDIR;
		}
		break;
	case 'r':
		if (lt == LT_DOT)
			return -EINVAL;
		if (lt == LT_DOTDOT)
			return -ENOTEMPTY;
		if (lt == LT_ROOT)
			return -EBUSY;
		break;
	default:
		return -EBUSY;
	}
	/* a mount point named by a plain name: vfs_unlink()/vfs_rmdir() check
	 * the object's type before the mount point */
	struct stat st;
	bool dir = stat(res->host, &st) == 0 && S_ISDIR(st.st_mode);
	if (remove_kind(c) == 'u' && dir)
		return -EISDIR;
	if (remove_kind(c) == 'r' && !dir)
		return -ENOTDIR;
	return -EBUSY;
}

/* Has PATH a name longer than NAME_MAX (its ENAMETOOLONG is the kernel's
 * too, not one of our longer host paths)? */
static bool has_long_name(const char *path)
{
	for (const char *s = path; *s;) {
		size_t len = strcspn(s, "/");
		if (len > 255)
			return true;
		s += len;
		s += strspn(s, "/");
	}
	return false;
}

/* Does the host path fit what the kernel takes (PATH_MAX with its NUL)? */
static bool host_fits(const char *host)
{
	return strlen(host) < 4096;
}

static int translate_path_arg_ex(SysCtx *c, const SysPath *p, const Binding **ret_mount, int *ret_known,
				int *ret_refusal, struct stat *ret_st, int *ret_create_err, bool *ret_slash)
{
	if (ret_create_err)
		*ret_create_err = 0;
	if (ret_slash)
		*ret_slash = false;
	if (ret_known)
		*ret_known = 0;
	if (ret_refusal)
		*ret_refusal = 0;
	uint64_t addr = ctx_guest_pointer(c, c->args[p->path]);
	if (addr != c->args[p->path])
		ctx_set_arg(c, p->path, addr); /* restarted: the guest's string again */
	if (addr == 0)
		return 0; /* NULL: the kernel answers (EFAULT, or "the dirfd itself") */
	tracer_stats.paths++;
	char path[PT_PATH_MAX];
	ssize_t n = ctx_read_path(c, addr, path);
	if (n < 0)
		return (int)n;
	uint64_t flags = p->flags >= 0 ? c->args[p->flags] : 0;
	if (n == 0) {
		if (p->empty && (p->flags < 0 || (flags & AT_EMPTY_PATH)))
			return 0; /* the dirfd itself: nothing to translate */
		return -ENOENT;
	}
	if (ret_slash)
		*ret_slash = path[n - 1] == '/';
	int dirfd = p->dirfd >= 0 ? (int)c->args[p->dirfd] : AT_FDCWD;
	bool parent = p->follow == SF_CREATE || p->follow == SF_REMOVE;
	int rflags = parent ? RESOLVE_PARENT_ : follows(p, flags) ? RESOLVE_FOLLOW : 0;
	if (!ret_mount && path[0] != '/' && ctx_relative_ok(c, dirfd, path, rflags & RESOLVE_FOLLOW))
		return 0;
	/* open(2) with O_CREAT and a trailing "/": EISDIR once the parent is
	 * found (not for "." and ".."), whatever the name is */
	if (p->follow == SF_OPEN && (flags & O_CREAT) && path[n - 1] == '/')
		rflags |= RESOLVE_CREATE_;
	Resolved res;
	int r = path[0] != '/' ? dirfd_not_dir(c, dirfd) : 0;
	if (r < 0)
		return r;
	r = ctx_resolve(c, dirfd, path, rflags, &res);
	/* open(2) with O_CREAT: a trailing "/" in a symlink's target is
	 * EISDIR before the name is followed further. Only a failed walk can
	 * have met one that matters (a walk that succeeds hands the kernel a
	 * path with its "/", which it refuses alike), so the common case
	 * keeps the fast walk. */
	if (r < 0 && p->follow == SF_OPEN && (flags & O_CREAT))
		r = ctx_resolve(c, dirfd, path, rflags | RESOLVE_CREATE_, &res);
	/* A relative path too long for us in guest or host terms, which the
	 * kernel may walk itself, is handed on as it is (the mount it is on
	 * stays unknown: no EXDEV from us) */
	if (r == -ENAMETOOLONG && path[0] != '/' && !has_long_name(path) &&
	    ctx_relative_ok(c, dirfd, path, rflags & RESOLVE_FOLLOW))
		return 0;
	if (r < 0)
		return r;
	if (ret_create_err && parent) {
		/* what the lookup of the last name would say: for a new
		 * name, filename_create()'s answer; for a name to remove or
		 * rename, ENOENT or ENAMETOOLONG */
		size_t k = strlen(path), e;
		while (k > 0 && path[k - 1] == '/')
			k--;
		e = k;
		while (k > 0 && path[k - 1] != '/')
			k--;
		if (e - k > 255)
			*ret_create_err = -ENAMETOOLONG;
		else if (!res.final_missing)
			*ret_create_err = p->follow == SF_CREATE ? -EEXIST : 0;
		else if (p->follow == SF_REMOVE || res.dir_required)
			*ret_create_err = -ENOENT;
	}
	if (ret_st) {
		/* the object (lstat: the final name is not followed), or
		 * for a missing one its parent directory */
		memset(ret_st, 0, sizeof(*ret_st));
		if (!res.final_missing) {
			/* without its trailing "/", which would follow a link */
			char obj[PT_PATH_MAX * 2];
			size_t k = strlen(res.host);
			while (k > 1 && res.host[k - 1] == '/')
				k--;
			snprintf(obj, sizeof(obj), "%.*s", (int)k, res.host);
			if (lstat(obj, ret_st) < 0)
				memset(ret_st, 0, sizeof(*ret_st));
		} else {
			char dir[PT_PATH_MAX * 2];
			snprintf(dir, sizeof(dir), "%s", res.host);
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir ? 1 : 0] = 0;
			if (stat(dir, ret_st) < 0)
				memset(ret_st, 0, sizeof(*ret_st));
			ret_st->st_mode = 0;
		}
	}
	/* The guest root and bindings are mount points in the guest: the
	 * kernel would refuse to remove or replace them, and must not be
	 * asked to do it to the host directory behind them. */
	if (parent) {
		int refusal = parent_refusal(c, p, path, &res);
		if (refusal && ret_refusal && p->follow == SF_REMOVE && remove_kind(c) == 'n') {
			/* given after the other name's checks: 1 for a name
			 * that is not plain (checked early), 2 for a mount
			 * point (checked last) */
			*ret_refusal = last_type(path) != LT_NORM ? 1 : 2;
		} else if (refusal) {
			return refusal;
		}
	}
	if (ret_mount) {
		/* the mount compared is the parent's (filename_parentat());
		 * a mount point's parent is on the mount below it */
		if (parent && last_type(path) == LT_DOTDOT) {
			/* "X/..": the parent is X, which may be a mount
			 * point: resolve "X/" for its mount */
			char up[PT_PATH_MAX];
			size_t k = strlen(path);
			while (k > 0 && path[k - 1] == '/')
				k--;
			k -= 2; /* the ".." */
			snprintf(up, sizeof(up), "%.*s", (int)k, path);
			if (!k)
				snprintf(up, sizeof(up), ".");
			Resolved res2;
			*ret_mount = ctx_resolve(c, dirfd, up, RESOLVE_FOLLOW, &res2) == 0
					     ? mapping_find_guest(ctx_mapping(c), res2.guest)
					     : mapping_find_guest(ctx_mapping(c), res.guest);
		} else if (parent && res.mountpoint && last_type(path) == LT_NORM) {
			char up[PT_PATH_MAX];
			snprintf(up, sizeof(up), "%s", res.guest);
			char *slash = strrchr(up, '/');
			if (slash)
				slash[slash == up ? 1 : 0] = 0;
			*ret_mount = mapping_find_guest(ctx_mapping(c), up);
		} else {
			*ret_mount = mapping_find_guest(ctx_mapping(c), res.guest);
		}
		/* a magic link's object may be on any mount: unknown */
		*ret_known = res.magic ? 0 : res.final_missing ? 2 : 1;
	}
	if (ret_refusal && *ret_refusal)
		return 0; /* the syscall fails: nothing to hand on */
	/* link(2) looks its old name up completely before the new one: the
	 * kernel's error for it (ENOTDIR for "file/") comes first */
	if (ret_mount && !parent && !res.final_missing) {
		struct stat st;
		if (lstat(res.host, &st) < 0 && errno != ENAMETOOLONG)
			return -errno;
	}
	/* A host path longer than the kernel takes: a relative path that the
	 * kernel may walk itself is handed on as it is (docs/design.md). */
	if (!host_fits(res.host) && path[0] != '/' && ctx_relative_ok(c, dirfd, path, rflags & RESOLVE_FOLLOW))
		return 0;
	uint64_t host_addr;
	r = ctx_push(c, res.host, strlen(res.host) + 1, &host_addr);
	if (r < 0)
		return r;
	ctx_set_arg(c, p->path, host_addr);
	ctx_note_rewrite(c, host_addr, addr);
	return 0;
}

int translate_path_arg(SysCtx *c, const SysPath *p, const Binding **ret_mount, int *ret_known)
{
	return translate_path_arg_ex(c, p, ret_mount, ret_known, NULL, NULL, NULL, NULL);
}

/* open(2) and openat(2) check their flags before they look at the path: when
 * the path fails in our hands, the kernel's EINVAL for the flags (which
 * depends on its version: O_CREAT|O_DIRECTORY is EINVAL from Linux 6.4) is
 * asked of the kernel itself, with an empty path that it refuses after the
 * flags (ENOENT) and never creates. */
static int open_flags_error(const SysCtx *c, const SysPath *p)
{
	int flags = (int)c->args[p->flags];
	int mode = (int)c->args[p->flags + 1];
	int fd = openat(AT_FDCWD, "", flags | O_CLOEXEC, mode);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EINVAL ? -EINVAL : 0;
}

void handle_path_args(SysCtx *c)
{
	/* rename and link: both names must be on one mount of the guest (a
	 * binding is a mount of its own), or the kernel says EXDEV */
	bool two = c->ent->p[1].follow == SF_CREATE || c->ent->p[1].follow == SF_REMOVE;
	bool is_link = two && c->ent->p[1].follow == SF_CREATE;
	bool is_rename = two && c->ent->p[1].follow == SF_REMOVE;
	const Binding *mount[2] = { NULL, NULL };
	int known[2] = { 0, 0 }, refusal[2] = { 0, 0 };
	struct stat st[2];
	int create_err[2] = { 0, 0 };
	memset(st, 0, sizeof(st)); /* stays 0 for a name handed on as it is */
	bool slash[2] = { false, false };
	/* symlink(2) reads its target first: empty is ENOENT, too long is
	 * ENAMETOOLONG, before the new name is looked at */
	if (!strcmp(c->ent->name, "symlink") || !strcmp(c->ent->name, "symlinkat")) {
		char target[PT_PATH_MAX];
		uint64_t taddr = ctx_guest_pointer(c, c->args[0]);
		ssize_t tn = taddr ? ctx_read_path(c, taddr, target) : -EFAULT;
		if (tn == 0)
			tn = -ENOENT;
		if (tn < 0) {
			ctx_fail(c, (int)tn);
			return;
		}
	}
	for (int i = 0; i < 2; i++) {
		const SysPath *p = &c->ent->p[i];
		if (p->follow == SF_NONE)
			continue;
		int r = translate_path_arg_ex(c, p, two ? &mount[i] : NULL, &known[i], two ? &refusal[i] : NULL,
					      two ? &st[i] : NULL, two ? &create_err[i] : NULL, &slash[i]);
		if (r < 0 && p->follow == SF_OPEN && p->flags >= 0) {
			int e = open_flags_error(c, p);
			if (e)
				r = e;
		}
		if (r < 0) {
			ctx_fail(c, r);
			return;
		}
		/* link looks its old name up before the new one (ENOENT) */
		if (is_link && i == 0 && known[0] == 2) {
			ctx_fail(c, -ENOENT);
			return;
		}
	}
	/* link: filename_create() says EEXIST, ENAMETOOLONG (the new name),
	 * ENOENT (a trailing "/" on a missing name) before the mounts are
	 * compared */
	if (is_link && known[0] == 1 && create_err[1]) {
		ctx_fail(c, create_err[1]);
		return;
	}
	/* rename compares the parents' mounts before it looks the source up;
	 * link looks the source up first (ENOENT when it is missing). When
	 * the host objects are on two host mounts, the kernel finds EXDEV
	 * itself, in its own order (a name created in /proc is ENOENT first). */
	bool src_ok = c->ent->p[0].follow == SF_REMOVE ? known[0] != 0 : known[0] == 1;
	bool host_xdev = is_link && st[0].st_dev && st[1].st_dev && st[0].st_dev != st[1].st_dev;
	if (two && src_ok && known[1] && mount[0] != mount[1] && !host_xdev) {
		ctx_fail(c, -EXDEV);
		return;
	}
	if (is_rename && (refusal[0] || refusal[1])) {
		/* "/", ".", ".." or a mount point: EBUSY, but in the order of
		 * renameat2(2)'s checks: the names' types, the source, the
		 * target, their file types, then the mount points */
		unsigned flags = !strcmp(c->ent->name, "renameat2") ? (unsigned)c->args[4] : 0;
		bool same = known[0] == 1 && known[1] == 1 && st[0].st_dev == st[1].st_dev &&
			    st[0].st_ino == st[1].st_ino;
		int e = -EBUSY;
		if (refusal[0] == 1)
			e = -EBUSY;
		else if (refusal[1] == 1)
			e = (flags & 1 /* RENAME_NOREPLACE */) ? -EEXIST : -EBUSY;
		else if (create_err[0])
			e = create_err[0]; /* the source: ENOENT, ENAMETOOLONG */
		else if (create_err[1] == -ENAMETOOLONG)
			e = create_err[1];
		else if ((flags & 1) && known[1] == 1)
			e = -EEXIST;
		else if ((flags & 2 /* RENAME_EXCHANGE */) && known[1] == 2)
			e = -ENOENT;
		else if ((flags & 2) && !S_ISDIR(st[1].st_mode) && slash[1])
			e = -ENOTDIR;
		else if (!S_ISDIR(st[0].st_mode) && (slash[0] || (!(flags & 2) && slash[1])))
			e = -ENOTDIR; /* a trailing "/" on a non-directory */
		else if (same)
			e = 0; /* vfs_rename(): the same inode, nothing to do */
		else if (!(flags & 2) && known[1] == 1 && S_ISDIR(st[0].st_mode) != S_ISDIR(st[1].st_mode))
			e = S_ISDIR(st[0].st_mode) ? -ENOTDIR : -EISDIR;
		ctx_fail(c, e);
	}
}
