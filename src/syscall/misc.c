/* SPDX-License-Identifier: MIT */
/* Handlers whose answer must be given in guest terms: getcwd and readlink
 * (of the /proc magic links) are answered by us at syscall entry, so no
 * exit stop is taken; chroot is emulated; openat2 applies its RESOLVE_*
 * rules inside the guest. */
#include "syscall/ctx.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void h_getcwd(SysCtx *c)
{
	char host[PT_PATH_MAX * 2], guest[PT_PATH_MAX + 64];
	ssize_t n = ctx_proc_readlink(c, "cwd", host, sizeof(host));
	if (n < 0) {
		ctx_fail(c, (int)n);
		return;
	}
	struct stat st;
	if (stat(host, &st) < 0) {
		/* removed: " (deleted)" and no such directory any more */
		ctx_fail(c, -ENOENT);
		return;
	}
	int r = ctx_host_to_guest(c, host, guest, sizeof(guest));
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	size_t len = strlen(guest) + 1;
	if (len > PT_PATH_MAX) {
		ctx_fail(c, -ENAMETOOLONG);
		return;
	}
	uint64_t size = c->args[1];
	if (c->abi == ABI_I386)
		size = (uint32_t)size;
	if (size < len) {
		ctx_fail(c, -ERANGE);
		return;
	}
	r = ctx_write(c, c->args[0], guest, len);
	ctx_fail(c, r < 0 ? r : (int64_t)len);
}

void h_readlink(SysCtx *c)
{
	const SysPath *p = &c->ent->p[0];
	/* readlink(2) takes an int size on every ABI */
	int64_t bufsiz = (int32_t)c->args[p->path + 2];
	uint64_t buf = c->args[p->path + 1];
	char path[PT_PATH_MAX];
	/* readlinkat(2) refuses a size <= 0 before it looks at the path */
	if (bufsiz <= 0) {
		ctx_fail(c, -EINVAL);
		return;
	}
	uint64_t addr = ctx_guest_pointer(c, c->args[p->path]);
	if (addr != c->args[p->path])
		ctx_set_arg(c, p->path, addr);
	ssize_t n = addr ? ctx_read_path(c, addr, path) : -EFAULT;
	if (n < 0) {
		ctx_fail(c, (int)n);
		return;
	}
	if (n == 0) {
		if (p->dirfd >= 0)
			return; /* readlinkat(fd, ""): the link the fd itself is */
		ctx_fail(c, -ENOENT);
		return;
	}
	int dirfd = p->dirfd >= 0 ? (int)c->args[p->dirfd] : AT_FDCWD;
	Resolved res;
	int r = path[0] != '/' ? dirfd_not_dir(c, dirfd) : 0;
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	r = ctx_resolve(c, dirfd, path, 0, &res);
	/* a relative path whose guest or host path is too long for us, that
	 * the kernel may walk itself, goes as it is */
	if (r == -ENAMETOOLONG && path[0] != '/' && ctx_relative_ok(c, dirfd, path, false)) {
		c->paths_only = true;
		return;
	}
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	char target[PT_PATH_MAX];
	int m = res.dir_required ? 0 : ctx_magic_target(c, res.host, target);
	if (m == 1) {
		if (bufsiz <= 0) {
			ctx_fail(c, -EINVAL);
			return;
		}
		size_t len = strlen(target);
		/* the link's own root is what the reader's chroot sees */
		const char *root = ctx_root(c);
		if (strcmp(root, "/") && path_has_prefix(target, root)) {
			size_t rl = strlen(root);
			memmove(target, target[rl] ? target + rl : "/", strlen(target[rl] ? target + rl : "/") + 1);
			len = strlen(target);
		}
		if ((uint64_t)bufsiz < len)
			len = bufsiz;
		r = ctx_write(c, buf, target, len);
		ctx_fail(c, r < 0 ? r : (int64_t)len);
		return;
	}
	/* a host path longer than the kernel takes: a relative path that the
	 * kernel may walk itself goes as it is (a magic link was seen above) */
	if (m == 0 && strlen(res.host) >= 4096 && path[0] != '/' && ctx_relative_ok(c, dirfd, path, false)) {
		c->paths_only = true;
		return;
	}
	uint64_t a;
	r = ctx_push(c, res.host, strlen(res.host) + 1, &a);
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, p->path, a);
	ctx_note_rewrite(c, a, addr);
	c->paths_only = true;
}

void h_chroot(SysCtx *c)
{
	char path[PT_PATH_MAX];
	if (ctx_path_arg(c, c->args[0], path) < 0)
		return;
	Resolved res;
	int r = ctx_resolve(c, AT_FDCWD, path, RESOLVE_FOLLOW, &res);
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	struct stat st;
	if (res.final_missing || stat(res.host, &st) < 0) {
		ctx_fail(c, -ENOENT);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		ctx_fail(c, -ENOTDIR);
		return;
	}
	if (access(res.host, X_OK) < 0) {
		ctx_fail(c, -errno);
		return;
	}
	/* Without privileges the kernel refuses (CAP_SYS_CHROOT). */
	if (geteuid() != 0) {
		ctx_fail(c, -EPERM);
		return;
	}
	ctx_set_root(c, res.guest);
	ctx_fail(c, 0);
}

/* struct open_how and RESOLVE_* (linux/openat2.h), owned here because
 * Debian 12's headers are not always installed with them. */
typedef struct OpenHow {
	uint64_t flags, mode, resolve;
} OpenHow;
#define PT_RESOLVE_NO_XDEV 0x01
#define PT_RESOLVE_NO_MAGICLINKS 0x02
#define PT_RESOLVE_NO_SYMLINKS 0x04
#define PT_RESOLVE_BENEATH 0x08
#define PT_RESOLVE_IN_ROOT 0x10

void h_openat2(SysCtx *c)
{
	uint64_t size = c->args[3];
	if (size < sizeof(OpenHow) || size > 4096)
		return; /* the kernel's EINVAL / E2BIG */
	unsigned char how_buf[4096];
	if (ctx_read(c, c->args[2], how_buf, size) < 0)
		return; /* the kernel's EFAULT */
	OpenHow how;
	memcpy(&how, how_buf, sizeof(how));
	if ((how.resolve & PT_RESOLVE_BENEATH) && (how.resolve & PT_RESOLVE_IN_ROOT)) {
		ctx_fail(c, -EINVAL);
		return;
	}
	/* The kernel checks the whole of open_how (flags, mode, resolve; its
	 * rules change with its version) before the path: ask it, with an
	 * empty path, which it refuses after them (ENOENT, nothing created). */
	{
		int fd = (int)syscall(SYS_openat2, AT_FDCWD, "", how_buf, (size_t)size);
		if (fd >= 0)
			close(fd);
		else if (errno == EINVAL || errno == E2BIG) {
			ctx_fail(c, -errno);
			return;
		}
	}
	char path[PT_PATH_MAX];
	if (ctx_path_arg(c, c->args[1], path) < 0)
		return;
	int flags = 0;
	bool nofollow = (how.flags & O_NOFOLLOW) ||
			(how.flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	if (!nofollow)
		flags |= RESOLVE_FOLLOW;
	if (how.resolve & PT_RESOLVE_BENEATH)
		flags |= RESOLVE_BENEATH_;
	if (how.resolve & PT_RESOLVE_IN_ROOT)
		flags |= RESOLVE_IN_ROOT_;
	if (how.resolve & PT_RESOLVE_NO_SYMLINKS)
		flags |= RESOLVE_NO_SYMLINKS_;
	if (how.resolve & PT_RESOLVE_NO_MAGICLINKS)
		flags |= RESOLVE_NO_MAGICLINKS_;
	if (how.resolve & PT_RESOLVE_NO_XDEV)
		flags |= RESOLVE_NO_XDEV_;
	if ((how.resolve & PT_RESOLVE_BENEATH) && path[0] == '/') {
		ctx_fail(c, -EXDEV);
		return;
	}
	if (how.flags & O_CREAT)
		flags |= RESOLVE_CREATE_;
	Resolved res;
	int r = path[0] != '/' || (flags & RESOLVE_IN_ROOT_) ? dirfd_not_dir(c, (int)c->args[0]) : 0;
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	r = ctx_resolve(c, (int)c->args[0], path, flags, &res);
	/* A host path longer than the kernel takes: a relative path that the
	 * kernel may walk itself goes as it is, RESOLVE_* flags and all
	 * (no ".." above a binding or the root, no binding point on the way) */
	if ((r == -ENAMETOOLONG || (r == 0 && strlen(res.host) >= 4096)) && path[0] != '/' &&
	    !(how.resolve & PT_RESOLVE_NO_XDEV) &&
	    ctx_relative_ok(c, (int)c->args[0], path, flags & RESOLVE_FOLLOW))
		return;
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	/* We enforced BENEATH/IN_ROOT in guest terms; the host path is
	 * absolute, so the kernel must not apply them again. NO_XDEV would
	 * see the host's mounts, not the guest's: dropped. */
	how.resolve &= ~(uint64_t)(PT_RESOLVE_BENEATH | PT_RESOLVE_IN_ROOT | PT_RESOLVE_NO_XDEV);
	memcpy(how_buf, &how, sizeof(how));
	uint64_t pa, ha;
	if ((r = ctx_push(c, res.host, strlen(res.host) + 1, &pa)) < 0 ||
	    (r = ctx_push(c, how_buf, size, &ha)) < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, 1, pa);
	ctx_set_arg(c, 2, ha);
}
