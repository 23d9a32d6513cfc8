/* SPDX-License-Identifier: MIT */
/* The services that handlers get through SysCtx: guest memory, scratch
 * space, and path translation for one tracee, including the guest meaning
 * of the /proc magic links (self, thread-self, PID/{exe,cwd,root,fd/N}). */
#include "syscall/ctx.h"
#include "tracer/mem.h"
#include "tracer/tracee.h"
#include "base/stats.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int ctx_read(SysCtx *c, uint64_t addr, void *buf, size_t len)
{
	return mem_read(c->tid, addr, buf, len);
}

int ctx_write(SysCtx *c, uint64_t addr, const void *buf, size_t len)
{
	return mem_write(c->tid, addr, buf, len);
}

int ctx_write_ours(SysCtx *c, uint64_t addr, const void *buf, size_t len)
{
	return mem_write_ours(c->tid, addr, buf, len);
}

ssize_t ctx_read_path(SysCtx *c, uint64_t addr, char buf[PT_PATH_MAX])
{
	return mem_read_string(c->tid, addr, buf, PT_PATH_MAX);
}

ssize_t ctx_path_arg(SysCtx *c, uint64_t addr, char buf[PT_PATH_MAX])
{
	ssize_t n = addr ? ctx_read_path(c, addr, buf) : -EFAULT;
	if (n == 0)
		n = -ENOENT;
	if (n < 0)
		ctx_fail(c, (int)n);
	return n;
}

int ctx_read_word(SysCtx *c, uint64_t addr, uint64_t *ret)
{
	if (c->abi == ABI_X86_64)
		return mem_read(c->tid, addr, ret, 8);
	uint32_t w;
	int r = mem_read(c->tid, addr, &w, 4);
	*ret = w;
	return r;
}

int ctx_push(SysCtx *c, const void *data, size_t len, uint64_t *ret_addr)
{
	Tracee *t = c->t;
	if (!t->scratch)
		return -EAGAIN;
	if (len > SCRATCH_SIZE)
		return -ENOMEM;
	/* A ring: what this stop writes does not overwrite what the last few
	 * stops wrote, which a syscall restarted after a signal still uses. */
	size_t off = (t->scratch_next + 15) & ~(size_t)15;
	if (off + len > SCRATCH_SIZE)
		off = 0;
	int r = mem_write_ours(c->tid, t->scratch + off, data, len);
	if (r < 0)
		return r;
	t->scratch_next = off + len;
	c->scratch_used += len;
	*ret_addr = t->scratch + off;
	return 0;
}

void ctx_note_rewrite(SysCtx *c, uint64_t host_addr, uint64_t guest_addr)
{
	Tracee *t = c->t;
	unsigned i = t->rewrites_i++ % ARRAY_SIZE(t->rewrites);
	t->rewrites[i].host_addr = host_addr;
	t->rewrites[i].guest_addr = guest_addr;
}

uint64_t ctx_guest_pointer(SysCtx *c, uint64_t addr)
{
	Tracee *t = c->t;
	if (!t->scratch || addr < t->scratch || addr >= t->scratch + SCRATCH_SIZE)
		return addr;
	for (size_t i = 0; i < ARRAY_SIZE(t->rewrites); i++)
		if (t->rewrites[i].host_addr == addr)
			return t->rewrites[i].guest_addr;
	return addr; /* not ours to undo: read as any guest string */
}

const Mapping *ctx_mapping(SysCtx *c) { return &g_mapping; }

void ctx_set_exec_plan(SysCtx *c, ExecPlan *plan)
{
	Tracee *t = c->t;
	if (t->exec) {
		exec_plan_free(t->exec);
		free(t->exec);
	}
	t->exec = plan;
}

/* Strip the emulated chroot ROOT from a real guest path, in place. */
static int strip_root(const char *root, char *path, size_t sz)
{
	if (strcmp(root, "/") == 0)
		return 0;
	if (!path_has_prefix(path, root))
		return -ENOENT;
	size_t n = strlen(root);
	if (path[n] == 0)
		snprintf(path, sz, "/");
	else
		memmove(path, path + n, strlen(path + n) + 1);
	return 0;
}

int ctx_host_to_guest(SysCtx *c, const char *host, char *out, size_t outsz)
{
	int r = mapping_host_to_guest(&g_mapping, host, out, outsz);
	if (r >= 0)
		r = strip_root(c->t->fs->root, out, outsz);
	if (r < 0) {
		if ((size_t)snprintf(out, outsz, "(unreachable)%s", host) >= outsz)
			return -ENAMETOOLONG;
	}
	return 0;
}

/* Host readlink of /proc/PID/... with PID the tracee's. */
static ssize_t proc_readlink(pid_t tid, const char *what, char *buf, size_t sz)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/%s", tid, what);
	tracer_stats.host_syscalls++;
	ssize_t n = readlink(p, buf, sz - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n;
}

static int dirfd_guest(SysCtx *c, int dirfd, char out[PT_PATH_MAX], bool *ret_deleted)
{
	char host[PT_PATH_MAX * 2], what[32];
	if (dirfd == AT_FDCWD)
		snprintf(what, sizeof(what), "cwd");
	else if (dirfd < 0)
		return -EBADF;
	else
		snprintf(what, sizeof(what), "fd/%d", dirfd);
	ssize_t n = proc_readlink(c->tid, what, host, sizeof(host));
	if (n < 0)
		return n == -ENOENT ? -EBADF : (int)n;
	if (host[0] != '/')
		return -ENOTDIR; /* pipe:[..], socket:[..], anon_inode:... */
	/* A removed directory still has a place to walk "..", from. */
	static const char deleted[] = " (deleted)";
	size_t hl = strlen(host), dl = sizeof(deleted) - 1;
	*ret_deleted = hl > dl && strcmp(host + hl - dl, deleted) == 0;
	if (*ret_deleted)
		host[hl - dl] = 0;
	int r = mapping_host_to_guest(&g_mapping, host, out, PT_PATH_MAX);
	if (r < 0) {
		/* Outside the guest view (inherited from the host): a file is
		 * not a directory to start from; a directory cannot be named. */
		struct stat st;
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/%s", c->tid, what);
		if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		return -ENOENT;
	}
	return 0;
}

int ctx_dirfd_guest(SysCtx *c, int dirfd, char out[PT_PATH_MAX])
{
	bool deleted;
	return dirfd_guest(c, dirfd, out, &deleted);
}

/* ---- FsOps for a tracee ------------------------------------------------- */

static int t_lstat(void *ctx, const char *host, struct stat *st)
{
	tracer_stats.host_syscalls++;
	return lstat(host, st) < 0 ? -errno : 0;
}

static ssize_t t_readlink(void *ctx, const char *host, char *buf, size_t sz)
{
	SysCtx *c = ctx;
	/* /proc/self is the tracer's own for us: give the tracee's. */
	if (strcmp(host, "/proc/self") == 0)
		return snprintf(buf, sz, "%d", c->t->proc->tgid);
	if (strcmp(host, "/proc/thread-self") == 0)
		return snprintf(buf, sz, "%d/task/%d", c->t->proc->tgid, c->tid);
	tracer_stats.host_syscalls++;
	ssize_t n = readlink(host, buf, sz);
	return n < 0 ? -errno : n;
}

/* Parse "/proc/N[/task/M]/REST"; returns the pid (the task's if given) and
 * sets *rest, or 0. */
static pid_t parse_proc(const char *host, const char **rest)
{
	if (strncmp(host, "/proc/", 6))
		return 0;
	char *end;
	long pid = strtol(host + 6, &end, 10);
	if (end == host + 6 || *end != '/' || pid <= 0)
		return 0;
	if (strncmp(end, "/task/", 6) == 0) {
		char *e2;
		long tid = strtol(end + 6, &e2, 10);
		if (e2 == end + 6 || *e2 != '/')
			return 0;
		pid = tid;
		end = e2;
	}
	*rest = end + 1;
	return (pid_t)pid;
}

/* The guest meaning of a /proc magic link. FOLLOW: the resolver is about to
 * walk through it; otherwise readlink(2) wants its text. */
static int magic_link(const char *host, char *target, bool follow)
{
	const char *rest;
	pid_t pid = parse_proc(host, &rest);
	if (!pid)
		return 0;
	Tracee *other = tracee_get(pid);
	char buf[PT_PATH_MAX * 2];
	if (strcmp(rest, "root") == 0) {
		snprintf(target, PT_PATH_MAX, "%s", other ? other->fs->root : "/");
		return 1;
	}
	bool fd = strncmp(rest, "fd/", 3) == 0 && rest[3];
	if (strcmp(rest, "exe") == 0) {
		if (other && other->proc->exe[0]) {
			snprintf(target, PT_PATH_MAX, "%s", other->proc->exe);
			return 1;
		}
	} else if (strcmp(rest, "cwd") && !fd) {
		return 0;
	}
	struct stat st;
	if (follow && other && stat(host, &st) == 0 && !S_ISDIR(st.st_mode))
		return 2; /* a file of one of ours: the kernel's own link to it is
			   * exact (even for an O_TMPFILE or a deleted file) and
			   * names nothing outside what the guest already holds */
	ssize_t n = readlink(host, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (buf[0] != '/')
		return 2; /* pipe:[N] and friends: only the kernel can follow it */
	if (follow && other && n > 10 && strcmp(buf + n - 10, " (deleted)") == 0 &&
	    stat(host, &st) == 0 && S_ISDIR(st.st_mode))
		return 3; /* a removed directory of one of ours: only the kernel
			   * still reaches it, and nothing is in it */
	if (mapping_host_to_guest(&g_mapping, buf, target, PT_PATH_MAX) < 0) {
		/* Outside the guest view (a file inherited from the host, a
		 * process that is not ours): the object itself may be used, as
		 * through any descriptor, but a directory would be a way out. */
		/* Not ours (ptroot itself, a host process): nothing outside the
		 * guest through it. Ours: the object itself may be used, as
		 * through the descriptor, but not a directory (a way out). */
		if (follow && (!other || (stat(host, &st) == 0 && S_ISDIR(st.st_mode))))
			return -EACCES;
		return 2;
	}
	return 1;
}

static int t_magic(void *ctx, const char *host, const char *guest, char *target)
{
	(void)ctx;
	(void)guest;
	return magic_link(host, target, true);
}

ssize_t ctx_proc_readlink(SysCtx *c, const char *what, char *buf, size_t sz)
{
	return proc_readlink(c->tid, what, buf, sz);
}

int ctx_magic_target(SysCtx *c, const char *host, char *target)
{
	(void)c;
	return magic_link(host, target, false);
}

const char *ctx_root(SysCtx *c) { return c->t->fs->root; }

void ctx_set_root(SysCtx *c, const char *guest)
{
	snprintf(c->t->fs->root, sizeof(c->t->fs->root), "%s", guest);
}

/* ---- relative paths handed on as they are ---------------------------------- */

/* Directories by device and inode: those in which a binding point lies (a
 * name there may not mean what the host's directory holds), and those above
 * which ".." must not be taken by the kernel (the guest root and every
 * binding's host directory). */
typedef struct DirId {
	dev_t dev;
	ino_t ino;
} DirId;
static DirId *binding_parents, *tops;
static size_t n_binding_parents, n_tops;

static bool dir_in(const DirId *set, size_t n, const struct stat *st)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].dev == st->st_dev && set[i].ino == st->st_ino)
			return true;
	return false;
}

static int root_fd = -1; /* O_PATH descriptor of the guest root, for openat2 */
static bool have_openat2 = true;

int ctx_init_fast_path(void)
{
	root_fd = open(g_mapping.root ? g_mapping.root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t nb = g_mapping.n_bindings;
	binding_parents = calloc(nb + 1, sizeof(DirId));
	tops = calloc(nb + 1, sizeof(DirId));
	if (!binding_parents || !tops)
		return -ENOMEM;
	struct stat st;
	char host[PT_PATH_MAX * 2];
	if (mapping_guest_to_host(&g_mapping, "/", host, sizeof(host)) == 0 && stat(host, &st) == 0)
		tops[n_tops++] = (DirId){ st.st_dev, st.st_ino };
	for (size_t i = 0; i < nb; i++) {
		if (stat(g_mapping.bindings[i].host, &st) == 0)
			tops[n_tops++] = (DirId){ st.st_dev, st.st_ino };
		char parent[PT_PATH_MAX];
		snprintf(parent, sizeof(parent), "%s", g_mapping.bindings[i].guest);
		char *slash = strrchr(parent, '/');
		if (!slash)
			continue;
		if (slash == parent)
			slash[1] = 0;
		else
			*slash = 0;
		if (mapping_guest_to_host(&g_mapping, parent, host, sizeof(host)) == 0 &&
		    stat(host, &st) == 0)
			binding_parents[n_binding_parents++] = (DirId){ st.st_dev, st.st_ino };
	}
	return 0;
}

/* Is NAME (LEN bytes) the last component of some binding's guest path? Only
 * such a name can be a binding point in the directory it is looked up in. */
static bool is_binding_name(const char *name, size_t len)
{
	for (size_t i = 0; i < g_mapping.n_bindings; i++) {
		const char *g = g_mapping.bindings[i].guest;
		const char *base = strrchr(g, '/');
		base = base ? base + 1 : g;
		if (strlen(base) == len && memcmp(base, name, len) == 0)
			return true;
	}
	return false;
}

int ctx_relative_ok(SysCtx *c, int dirfd, const char *path, bool follow)
{
	if (strcmp(c->t->fs->root, "/") != 0)
		return 0; /* an emulated chroot: its root is not in TOPS */
	char p[96 + PT_PATH_MAX];
	size_t n;
	if (dirfd == AT_FDCWD)
		n = snprintf(p, sizeof(p), "/proc/%d/cwd", c->tid);
	else if (dirfd >= 0)
		n = snprintf(p, sizeof(p), "/proc/%d/fd/%d", c->tid, dirfd);
	else
		return 0;
	/* The directory reached so far: looked at only when it matters (a ".."
	 * or a name that may be a binding point), so that the common case, one
	 * name not to be followed, costs no syscall at all. An invalid dirfd or
	 * one that is not a directory gets the kernel's own EBADF/ENOTDIR. */
	struct stat dir;
	bool have_dir = false;
	for (const char *s = path;;) {
		while (*s == '/')
			s++;
		if (!*s)
			return 1;
		const char *e = strchrnul(s, '/');
		size_t len = e - s;
		const char *after = e;
		while (*after == '/')
			after++;
		bool final = !*after, slash = *e == '/';
		if (len == 1 && s[0] == '.') {
			s = e;
			continue;
		}
		bool dotdot = len == 2 && s[0] == '.' && s[1] == '.';
		if (dotdot || is_binding_name(s, len)) {
			if (!have_dir) {
				tracer_stats.host_syscalls++;
				if (stat(p, &dir) < 0)
					return 0;
				have_dir = true;
			}
			if (dotdot ? dir_in(tops, n_tops, &dir)
				   : dir_in(binding_parents, n_binding_parents, &dir))
				return 0; /* we know where it goes, the kernel does not */
		}
		if (n + 1 + len >= sizeof(p))
			return 0;
		p[n++] = '/';
		memcpy(p + n, s, len);
		n += len;
		p[n] = 0;
		if (final && !slash && !follow)
			return 1; /* the kernel looks the last name up in DIR: same object */
		struct stat st;
		tracer_stats.host_syscalls++;
		if (lstat(p, &st) < 0)
			return 1; /* the kernel fails at the same place, the same way */
		if (S_ISLNK(st.st_mode))
			return 0; /* a symlink to follow: its target is for us to resolve */
		if (final)
			return 1;
		dir = st;
		have_dir = true;
		s = e;
	}
}

/* struct open_how and RESOLVE_NO_SYMLINKS (linux/openat2.h), ours: Debian
 * 12's headers may lack them. */
struct pt_open_how {
	uint64_t flags, mode, resolve;
};
#define PT_RESOLVE_NO_SYMLINKS 0x04
#define PT_NR_openat2 437

/* An absolute path that crosses no binding and holds no "." or "..": if
 * the kernel can walk it from the guest root without meeting a symlink
 * (RESOLVE_NO_SYMLINKS), its host path is the root's plus the path itself,
 * found in two syscalls instead of one lstat per component. Returns 1 with
 * RET filled, or 0 to take the full walk. */
static int fast_absolute(SysCtx *c, const char *path, int flags, Resolved *ret)
{
	if (root_fd < 0 || !have_openat2 || (flags & ~RESOLVE_FOLLOW) ||
	    strcmp(c->t->fs->root, "/") != 0)
		return 0;
	char *g = ret->guest;
	size_t n = 0, comps = 0;
	for (const char *s = path;;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *e = strchrnul(s, '/');
		size_t len = e - s;
		if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.') ||
		    len > PT_NAME_MAX || n + 1 + len >= PT_PATH_MAX)
			return 0;
		g[n++] = '/';
		memcpy(g + n, s, len);
		n += len;
		comps++;
		s = e;
	}
	/* short paths are cheaper to walk; a trailing '/' has rules of its own */
	if (comps < 3 || path[strlen(path) - 1] == '/')
		return 0;
	g[n] = 0;
	for (size_t i = 0; i < g_mapping.n_bindings; i++)
		if (path_has_prefix(g, g_mapping.bindings[i].guest))
			return 0;
	struct pt_open_how how = {
		.flags = O_PATH | O_CLOEXEC | ((flags & RESOLVE_FOLLOW) ? 0 : O_NOFOLLOW),
		.resolve = PT_RESOLVE_NO_SYMLINKS,
	};
	tracer_stats.host_syscalls += 2;
	int fd = (int)syscall(PT_NR_openat2, root_fd, g + 1, &how, sizeof(how));
	if (fd < 0) {
		if (errno == ENOSYS)
			have_openat2 = false;
		return 0; /* a symlink, a missing name, ...: the full walk says what */
	}
	close(fd);
	const char *root = g_mapping.root && strcmp(g_mapping.root, "/") ? g_mapping.root : "";
	if ((size_t)snprintf(ret->host, sizeof(ret->host), "%s%s", root, g) >= sizeof(ret->host))
		return 0;
	ret->dir_required = false;
	ret->final_missing = 0;
	ret->magic = false;
	ret->mountpoint = false;
	ret->synthetic = false;
	return 1;
}

int ctx_resolve(SysCtx *c, int dirfd, const char *path, int flags, Resolved *ret)
{
	FsOps ops = { .lstat = t_lstat, .readlink = t_readlink, .magic = t_magic, .ctx = c };
	Resolver r_ = { .map = &g_mapping, .ops = &ops, .root = c->t->fs->root };
	char base[PT_PATH_MAX];
	const char *b = "/";
	bool deleted = false;
	if (path[0] == '/' && fast_absolute(c, path, flags, ret))
		return 0;
	if (path[0] != '/' || (flags & RESOLVE_IN_ROOT_)) {
		int e = dirfd_guest(c, dirfd, base, &deleted);
		if (e < 0)
			return e;
		b = base;
	}
	int r = resolve_path(&r_, b, path, flags, ret);
	/* From a removed directory the host has no name to put ".." after:
	 * name the parent itself. */
	size_t hl = strlen(ret->host);
	if (r == 0 && deleted && hl >= 3 && strcmp(ret->host + hl - 3, "/..") == 0) {
		ret->host[hl - 3] = 0;
		char *slash = strrchr(ret->host, '/');
		if (slash && slash != ret->host)
			strcpy(slash, "/.");
	}
	return r;
}
