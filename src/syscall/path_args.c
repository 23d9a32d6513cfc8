/* SPDX-License-Identifier: MIT */
/* The generic handler for rows of kind SK_PATH: each path argument is read,
 * resolved in the guest with the row's dirfd and final-symlink rule, and
 * replaced by the host path written into the tracee's scratch space. */
#include "syscall/ctx.h"
#include "base/stats.h"

#include <fcntl.h>
#include <string.h>

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

int translate_path_arg(SysCtx *c, const SysPath *p, const Binding **ret_mount, int *ret_known)
{
	if (ret_known)
		*ret_known = 0;
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
	int dirfd = p->dirfd >= 0 ? (int)c->args[p->dirfd] : AT_FDCWD;
	bool parent = p->follow == SF_CREATE || p->follow == SF_REMOVE;
	int rflags = parent ? RESOLVE_PARENT_ : follows(p, flags) ? RESOLVE_FOLLOW : 0;
	if (!ret_mount && path[0] != '/' && ctx_relative_ok(c, dirfd, path, rflags & RESOLVE_FOLLOW))
		return 0;
	Resolved res;
	int r = ctx_resolve(c, dirfd, path, rflags, &res);
	if (r < 0)
		return r;
	/* The guest root and bindings are mount points in the guest: the
	 * kernel would refuse to remove or replace them, and must not be
	 * asked to do it to the host directory behind them. */
	if (parent && res.mountpoint)
		return p->follow == SF_CREATE ? -EEXIST : -EBUSY;
	uint64_t host_addr;
	r = ctx_push(c, res.host, strlen(res.host) + 1, &host_addr);
	if (r < 0)
		return r;
	ctx_set_arg(c, p->path, host_addr);
	ctx_note_rewrite(c, host_addr, addr);
	if (ret_mount) {
		*ret_mount = mapping_find_guest(ctx_mapping(c), res.guest);
		/* a magic link's object may be on any mount: unknown */
		*ret_known = res.magic ? 0 : res.final_missing ? 2 : 1;
	}
	return 0;
}

void handle_path_args(SysCtx *c)
{
	/* rename and link: both names must be on one mount of the guest (a
	 * binding is a mount of its own), or the kernel says EXDEV */
	bool two = c->ent->p[1].follow == SF_CREATE || c->ent->p[1].follow == SF_REMOVE;
	const Binding *mount[2] = { NULL, NULL };
	int known[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		const SysPath *p = &c->ent->p[i];
		if (p->follow == SF_NONE)
			continue;
		int r = translate_path_arg(c, p, two ? &mount[i] : NULL, &known[i]);
		if (r < 0) {
			ctx_fail(c, r);
			return;
		}
	}
	/* rename compares the parents' mounts before it looks the source up;
	 * link looks the source up first (ENOENT when it is missing) */
	bool src_ok = c->ent->p[0].follow == SF_REMOVE ? known[0] != 0 : known[0] == 1;
	if (two && src_ok && known[1] && mount[0] != mount[1])
		ctx_fail(c, -EXDEV);
}
