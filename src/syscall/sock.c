/* SPDX-License-Identifier: MIT */
/* AF_UNIX addresses name files: bind, connect, sendto, sendmsg and sendmmsg
 * get the guest path replaced by a host path; accept, getsockname,
 * getpeername, recvfrom, recvmsg and recvmmsg get the host path turned back
 * into the guest's; i386 socketcall reaches the same code. Abstract and
 * unnamed addresses and other families go to the kernel as they are. */
#include "syscall/sock.h"

#include <fcntl.h>
#include <linux/net.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

/*
 * Long host paths. sun_path holds 108 bytes and the rootfs prefix often
 * makes the host path longer. Such a path is passed as
 * "/proc/TRACER/fd/N/NAME", N being an O_PATH descriptor of the parent
 * directory that the tracer holds: the kernel resolves sun_path in the
 * tracee, which may follow another process's magic links when it has the
 * same credentials (PTRACE_MODE_READ). The kernel then reports that string
 * as the socket's name, and it maps back through the table of those
 * descriptors. They are never closed (at most SOCK_DIRS_MAX directories,
 * then ENAMETOOLONG); a directory replaced at the same path gets its
 * descriptor re-pointed with dup3, so N keeps naming that path. A NAME too
 * long even for that form is ENAMETOOLONG. (A directory of short symlinks
 * would work too, but would outlive a killed tracer in /tmp.)
 *
 * Names as given. A relative guest path that reaches, from the tracee's
 * cwd, the same object in the host as in the guest is passed untouched, as
 * natively: getsockname() then reports the same relative name. For other
 * binds whose guest string is not the canonical guest path (a symlink on
 * the way, "..", a relative path we made absolute) the string is noted and
 * reported in place of the canonical path, as the kernel reports the string
 * that bind got.
 *
 * Output addresses are never written by the kernel into the guest's
 * buffers, where a host path may not fit: it writes into a sockaddr_storage
 * of our scratch area and the exit hook gives the guest its address,
 * truncated to the guest's buffer, with the full length, as
 * move_addr_to_user() does. recvmsg/recvmmsg get a copy of the msghdr
 * (vector) whose msg_namelen, msg_controllen, msg_flags and msg_len are
 * copied back at exit. sendmsg/sendmmsg get a copy too: the guest's memory
 * is never changed on the way in.
 *
 * Known differences: a path that cannot be translated (missing directory,
 * loop...) fails with that error even when the kernel would have reported
 * another one first (bad descriptor, EISCONN on a stream socket).
 */

/* ---- guest msghdr layouts ----------------------------------------------- */

typedef struct MsgLayout {
	uint8_t name, namelen, iov, iovlen, control, controllen, flags;
	uint8_t size, msize; /* msghdr, mmsghdr */
	bool wide;           /* 64-bit pointers and size_t */
} MsgLayout;

static const MsgLayout layouts[ABI__MAX] = {
	[ABI_X86_64] = { 0, 8, 16, 24, 32, 40, 48, 56, 64, true },
	[ABI_I386] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, false },
};

static uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint64_t ldw(const MsgLayout *l, const uint8_t *p)
{
	uint64_t v;
	if (!l->wide)
		return ld32(p);
	memcpy(&v, p, 8);
	return v;
}

static void stw(const MsgLayout *l, uint8_t *p, uint64_t v)
{
	if (l->wide)
		memcpy(p, &v, 8);
	else
		st32(p, (uint32_t)v);
}

size_t sock_msghdr_size(Abi abi)
{
	return layouts[abi].size;
}

size_t sock_mmsghdr_size(Abi abi)
{
	return layouts[abi].msize;
}

void sock_msghdr_decode(Abi abi, const void *raw, GuestMsghdr *m)
{
	const MsgLayout *l = &layouts[abi];
	const uint8_t *p = raw;

	m->name = ldw(l, p + l->name);
	m->namelen = (int32_t)ld32(p + l->namelen);
	m->iov = ldw(l, p + l->iov);
	m->iovlen = ldw(l, p + l->iovlen);
	m->control = ldw(l, p + l->control);
	m->controllen = ldw(l, p + l->controllen);
	m->flags = (int32_t)ld32(p + l->flags);
}

void sock_msghdr_encode(Abi abi, const GuestMsghdr *m, void *raw)
{
	const MsgLayout *l = &layouts[abi];
	uint8_t *p = raw;

	stw(l, p + l->name, m->name);
	st32(p + l->namelen, (uint32_t)m->namelen);
	stw(l, p + l->iov, m->iov);
	stw(l, p + l->iovlen, m->iovlen);
	stw(l, p + l->control, m->control);
	stw(l, p + l->controllen, m->controllen);
	st32(p + l->flags, (uint32_t)m->flags);
}

uint32_t sock_mmsg_len_get(Abi abi, const void *raw)
{
	return ld32((const uint8_t *)raw + layouts[abi].size);
}

void sock_mmsg_len_set(Abi abi, void *raw, uint32_t len)
{
	st32((uint8_t *)raw + layouts[abi].size, len);
}

/* ---- sockaddr_un rules ---------------------------------------------------- */

size_t sock_un_path(const void *addr, size_t len, char path[SOCK_SUN_PATH_MAX + 1])
{
	const uint8_t *a = addr;
	uint16_t family;

	if (len <= 2 || len > SOCK_UN_LEN_MAX)
		return 0;
	memcpy(&family, a, 2);
	if (family != AF_UNIX || a[2] == 0)
		return 0;
	size_t n = strnlen((const char *)a + 2, len - 2);
	memcpy(path, a + 2, n);
	path[n] = 0;
	return n;
}

int sock_un_make(const char *path, void *out, size_t outsz)
{
	uint8_t *o = out;
	uint16_t family = AF_UNIX;
	size_t n = strlen(path);

	if (outsz < 2 || n > outsz - 2 || n > INT32_MAX - 3)
		return -ENAMETOOLONG;
	memcpy(o, &family, 2);
	memcpy(o + 2, path, n);
	if (2 + n < outsz)
		o[2 + n] = 0;
	return (int)(2 + n + 1);
}

int sock_split_parent(const char *host, char *parent, size_t parentsz, const char **name)
{
	size_t end = strlen(host), start, plen;

	while (end > 0 && host[end - 1] == '/')
		end--;
	if (end == 0)
		return -EINVAL;
	start = end;
	while (start > 0 && host[start - 1] != '/')
		start--;
	*name = host + start;
	plen = start;
	while (plen > 1 && host[plen - 1] == '/')
		plen--;
	if (plen == 0) {
		if (parentsz < 2)
			return -ENAMETOOLONG;
		strcpy(parent, ".");
		return 0;
	}
	if (plen >= parentsz)
		return -ENAMETOOLONG;
	memcpy(parent, host, plen);
	parent[plen] = 0;
	return 0;
}

/* Parse a decimal number of at most 10 digits at *P; -1 if none. */
static long parse_num(const char **p)
{
	const char *s = *p;
	long v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 10) {
		v = v * 10 + (*s++ - '0');
		digits++;
	}
	if (!digits || (*s >= '0' && *s <= '9'))
		return -1;
	*p = s;
	return v;
}

int sock_parse_fd_path(const char *path, pid_t pid, const char **rest)
{
	const char *p = path;
	long v;

	if (strncmp(p, "/proc/", 6))
		return -1;
	p += 6;
	v = parse_num(&p);
	if (v != pid || strncmp(p, "/fd/", 4))
		return -1;
	p += 4;
	v = parse_num(&p);
	if (v < 0 || v > INT32_MAX || *p != '/' || !p[1])
		return -1;
	*rest = p + 1;
	return (int)v;
}

int sock_socketcall_nargs(long call)
{
	static const uint8_t nargs[] = {
		[SYS_SOCKET] = 3, [SYS_BIND] = 3, [SYS_CONNECT] = 3, [SYS_LISTEN] = 2,
		[SYS_ACCEPT] = 3, [SYS_GETSOCKNAME] = 3, [SYS_GETPEERNAME] = 3,
		[SYS_SOCKETPAIR] = 4, [SYS_SEND] = 4, [SYS_RECV] = 4, [SYS_SENDTO] = 6,
		[SYS_RECVFROM] = 6, [SYS_SHUTDOWN] = 2, [SYS_SETSOCKOPT] = 5,
		[SYS_GETSOCKOPT] = 5, [SYS_SENDMSG] = 3, [SYS_RECVMSG] = 3,
		[SYS_ACCEPT4] = 4, [SYS_RECVMMSG] = 5, [SYS_SENDMMSG] = 4,
	};

	if (call < 1 || call >= (long)ARRAY_SIZE(nargs))
		return 0;
	return nargs[call];
}

/* ---- directories of long socket paths --------------------------------------- */

#define SOCK_DIRS_MAX 256

typedef struct SockDir {
	char *host;  /* the directory's host path, as it was asked for */
	int fd;      /* O_PATH descriptor in the tracer */
	dev_t dev;
	ino_t ino;
} SockDir;

static SockDir sock_dirs[SOCK_DIRS_MAX];
static size_t n_sock_dirs;

static const SockDir *dir_by_fd(int fd)
{
	for (size_t i = 0; i < n_sock_dirs; i++)
		if (sock_dirs[i].fd == fd)
			return &sock_dirs[i];
	return NULL;
}

/* The tracer's descriptor for directory DIR (a host path), opened on first
 * use; -errno. */
static int dir_fd(const char *dir)
{
	struct stat st, fst;
	SockDir *d = NULL;

	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	for (size_t i = 0; i < n_sock_dirs; i++) {
		if (strcmp(sock_dirs[i].host, dir) == 0) {
			d = &sock_dirs[i];
			break;
		}
	}
	if (d && d->dev == st.st_dev && d->ino == st.st_ino)
		return d->fd;
	if (!d && n_sock_dirs == SOCK_DIRS_MAX)
		return -ENAMETOOLONG;

	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &fst) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	if (d) {
		/* Another directory now has that path: keep the number. */
		if (dup3(fd, d->fd, O_CLOEXEC) < 0) {
			int e = -errno;
			close(fd);
			return e;
		}
		close(fd);
	} else {
		char *host = strdup(dir);
		if (!host) {
			close(fd);
			return -ENOMEM;
		}
		d = &sock_dirs[n_sock_dirs++];
		d->host = host;
		d->fd = fd;
	}
	d->dev = fst.st_dev;
	d->ino = fst.st_ino;
	return d->fd;
}

/* OUT = "/proc/TRACER/fd/N/NAME" naming HOST through its parent. */
static int short_path(const char *host, char out[SOCK_SUN_PATH_MAX + 1])
{
	char parent[PT_PATH_MAX * 2];
	const char *name;
	pid_t self = getpid();

	if (sock_split_parent(host, parent, sizeof(parent), &name) < 0)
		return -ENAMETOOLONG;
	/* Hopeless even with a one-digit descriptor: do not open anything. */
	if ((size_t)snprintf(NULL, 0, "/proc/%d/fd/0/%s", (int)self, name) > SOCK_SUN_PATH_MAX)
		return -ENAMETOOLONG;
	int fd = dir_fd(parent);
	if (fd < 0)
		return fd;
	int n = snprintf(out, SOCK_SUN_PATH_MAX + 1, "/proc/%d/fd/%d/%s", (int)self, fd, name);
	if (n < 0 || n > SOCK_SUN_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* ---- names as the guest bound them ------------------------------------------ */

/* The kernel reports a socket's name as the string bind() got. When that
 * was a guest path naming the socket through a symlink ("/var/run/x.sock"
 * with /var/run -> /run) or a relative one we had to make absolute, the
 * canonical translation back differs from what the guest gave: remember the
 * guest's string for the host string we passed. Recent binds only (a ring);
 * a forgotten one falls back to the canonical guest path. */
#define SOCK_NAMES_MAX 256

typedef struct SockName {
	char host[SOCK_SUN_PATH_MAX + 1]; /* what the kernel got, "" = free */
	char guest[SOCK_SUN_PATH_MAX + 1];
} SockName;

static SockName sock_names[SOCK_NAMES_MAX];
static size_t sock_names_next;

static SockName *name_find(const char *host)
{
	for (size_t i = 0; i < SOCK_NAMES_MAX; i++)
		if (sock_names[i].host[0] && strcmp(sock_names[i].host, host) == 0)
			return &sock_names[i];
	return NULL;
}

/* bind(GUEST) is about to create the socket named HOST for the kernel. */
static void name_bound(SysCtx *c, const char *host, const char *guest, const Resolved *res)
{
	char canon[PT_PATH_MAX + 64];
	SockName *n = name_find(host);

	if (ctx_host_to_guest(c, res->host, canon, sizeof(canon)) == 0 && strcmp(canon, guest) == 0) {
		if (n)
			n->host[0] = 0; /* the canonical name is right again */
		return;
	}
	if (!n) {
		n = &sock_names[sock_names_next];
		sock_names_next = (sock_names_next + 1) % SOCK_NAMES_MAX;
	}
	/* both fit: callers pass names that fit in sun_path */
	if ((size_t)snprintf(n->host, sizeof(n->host), "%s", host) >= sizeof(n->host) ||
	    (size_t)snprintf(n->guest, sizeof(n->guest), "%s", guest) >= sizeof(n->guest))
		n->host[0] = 0;
}

/* ---- guest -> host ------------------------------------------------------ */

/* True when the relative guest path REL, handed to the kernel as it is,
 * reaches from the tracee's cwd the object RES names: no "..", and every
 * directory on the way is a real directory at the lexical host path. */
static bool same_from_cwd(SysCtx *c, const char *rel, const Resolved *res, bool follow)
{
	char link[64], cwd[PT_PATH_MAX * 2], lex[PT_PATH_MAX * 2];
	struct stat st;
	size_t n = strlen(rel);

	if (res->magic || n == 0 || rel[n - 1] == '/')
		return false;
	for (const char *p = rel; *p;) {
		const char *e = strchrnul(p, '/');
		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p = *e ? e + 1 : e;
	}
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)c->tid);
	ssize_t k = readlink(link, cwd, sizeof(cwd) - 1);
	if (k <= 0)
		return false;
	cwd[k] = 0;
	if (cwd[0] != '/')
		return false;
	if (path_join(cwd, rel, lex, sizeof(lex)) < 0 || path_normalize(lex, lex, sizeof(lex)) < 0)
		return false;
	if (strcmp(lex, res->host) != 0)
		return false;
	size_t base = strlen(cwd);
	if (strncmp(lex, cwd, base) != 0)
		return false;
	for (char *p = lex + base + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		bool dir = lstat(lex, &st) == 0 && S_ISDIR(st.st_mode);
		*p = '/';
		if (!dir)
			return false;
	}
	if (follow && lstat(lex, &st) == 0 && S_ISLNK(st.st_mode))
		return false;
	return true;
}

/* The guest's address at ADDR, LEN bytes (the syscall's int length), for
 * the kernel. 0: let it through as it is; 1: OUT (*OUTLEN bytes) replaces
 * it; -errno: fail the syscall. RFLAGS: how the final component is looked
 * up (bind creates it, the others follow a symlink to the socket). */
static int addr_in(SysCtx *c, uint64_t addr, int32_t len, int rflags, uint8_t out[SOCK_UN_LEN_MAX],
		   size_t *outlen)
{
	uint8_t raw[SOCK_UN_LEN_MAX];
	char path[SOCK_SUN_PATH_MAX + 1], shortp[SOCK_SUN_PATH_MAX + 1];
	Resolved res;
	int r;

	/* Out-of-range lengths and bad pointers: the kernel's EINVAL/EFAULT. */
	if (!addr || len <= 2 || len > SOCK_UN_LEN_MAX)
		return 0;
	if (ctx_read(c, addr, raw, (size_t)len) < 0)
		return 0;
	if (!sock_un_path(raw, (size_t)len, path))
		return 0;
	r = ctx_resolve(c, AT_FDCWD, path, rflags, &res);
	if (r < 0)
		return r;
	if (path[0] != '/' && same_from_cwd(c, path, &res, rflags & RESOLVE_FOLLOW))
		return 0;
	const char *host = res.host;
	if (strlen(host) > SOCK_SUN_PATH_MAX) {
		r = short_path(host, shortp);
		if (r < 0)
			return r;
		host = shortp;
	}
	r = sock_un_make(host, out, SOCK_UN_LEN_MAX);
	if (r < 0)
		return r;
	/* bind fails with EADDRINUSE on an existing name: nothing to note */
	if ((rflags & RESOLVE_PARENT_) && res.final_missing)
		name_bound(c, host, path, &res);
	*outlen = (size_t)r < SOCK_UN_LEN_MAX ? (size_t)r : SOCK_UN_LEN_MAX;
	return 1;
}

/* bind/connect/sendto: address in argument AI, its length in LI. */
static void sock_in(SysCtx *c, int ai, int li, int rflags)
{
	uint8_t sa[SOCK_UN_LEN_MAX];
	size_t salen;
	uint64_t addr;
	int r = addr_in(c, c->args[ai], (int32_t)(uint32_t)c->args[li], rflags, sa, &salen);

	if (r == 0)
		return;
	if (r > 0)
		r = ctx_push(c, sa, salen, &addr);
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, ai, addr);
	ctx_set_arg(c, li, salen);
}

static void sendmsg_enter(SysCtx *c, int mi)
{
	uint8_t raw[64], sa[SOCK_UN_LEN_MAX];
	size_t sz = sock_msghdr_size(c->abi), salen;
	uint64_t maddr = c->args[mi], sa_addr, copy;
	GuestMsghdr m;

	if (!maddr || ctx_read(c, maddr, raw, sz) < 0)
		return;
	sock_msghdr_decode(c->abi, raw, &m);
	int r = addr_in(c, m.name, m.namelen, RESOLVE_FOLLOW, sa, &salen);
	if (r == 0)
		return;
	if (r > 0)
		r = ctx_push(c, sa, salen, &sa_addr);
	if (r >= 0) {
		m.name = sa_addr;
		m.namelen = (int32_t)salen;
		sock_msghdr_encode(c->abi, &m, raw);
		r = ctx_push(c, raw, sz, &copy);
	}
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, mi, copy);
}

/* Read up to N entries of ESZ bytes at VEC; the number of readable ones. */
static uint32_t read_vector(SysCtx *c, uint64_t vec, uint8_t *buf, uint32_t n, size_t esz)
{
	uint32_t i;

	if (ctx_read(c, vec, buf, n * esz) == 0)
		return n;
	for (i = 0; i < n; i++)
		if (ctx_read(c, vec + i * esz, buf + i * esz, esz) < 0)
			break;
	return i;
}

/* ---- exit bookkeeping ----------------------------------------------------- */

/* saved[0]: what the exit hook does (low byte), a variant (next byte) and a
 * 32-bit value (high half); saved[1..3]: addresses. */
enum { OP_NONE, OP_ADDR_OUT, OP_RECVMSG, OP_RECVMMSG, OP_SENDMMSG };
enum { OUT_ACCEPT = 1, OUT_NAME, OUT_RECVFROM };

static void save_op(SysCtx *c, int op, int variant, uint32_t value)
{
	c->want_exit = true;
	c->saved[0] = (uint64_t)op | (uint64_t)variant << 8 | (uint64_t)value << 32;
}

static void sendmmsg_enter(SysCtx *c, int vi, int ni)
{
	uint64_t vec = c->args[vi], names, copy;
	uint32_t vlen = (uint32_t)c->args[ni], n, i, k = 0;
	size_t esz = sock_mmsghdr_size(c->abi);
	int r = 0;

	if (!vec || !vlen)
		return;
	if (vlen > SOCK_VLEN_MAX)
		vlen = SOCK_VLEN_MAX;
	_cleanup_free_ uint8_t *v = malloc((size_t)vlen * esz);
	_cleanup_free_ uint8_t *sas = malloc((size_t)vlen * SOCK_UN_LEN_MAX);
	_cleanup_free_ uint32_t *which = malloc((size_t)vlen * sizeof(*which));
	_cleanup_free_ size_t *lens = malloc((size_t)vlen * sizeof(*lens));
	if (!v || !sas || !which || !lens) {
		ctx_fail(c, -ENOMEM);
		return;
	}
	n = read_vector(c, vec, v, vlen, esz);
	if (n == 0)
		return; /* the kernel's EFAULT */
	for (i = 0; i < n; i++) {
		GuestMsghdr m;
		sock_msghdr_decode(c->abi, v + i * esz, &m);
		r = addr_in(c, m.name, m.namelen, RESOLVE_FOLLOW, sas + k * SOCK_UN_LEN_MAX, &lens[k]);
		if (r < 0)
			break;
		if (r > 0)
			which[k++] = i;
	}
	if (i == 0) {
		ctx_fail(c, r); /* the first message fails: the call does */
		return;
	}
	/* A message that cannot be translated ends the batch there, as a
	 * failing message does in the kernel (which returns the count sent). */
	n = i;
	if (n != (uint32_t)c->args[ni])
		ctx_set_arg(c, ni, n);
	if (k == 0)
		return;
	r = ctx_push(c, sas, (size_t)k * SOCK_UN_LEN_MAX, &names);
	if (r >= 0) {
		for (i = 0; i < k; i++) {
			GuestMsghdr m;
			uint8_t *e = v + which[i] * esz;
			sock_msghdr_decode(c->abi, e, &m);
			m.name = names + i * SOCK_UN_LEN_MAX;
			m.namelen = (int32_t)lens[i];
			sock_msghdr_encode(c->abi, &m, e);
		}
		r = ctx_push(c, v, (size_t)n * esz, &copy);
	}
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, vi, copy);
	save_op(c, OP_SENDMMSG, 0, n);
	c->saved[1] = vec;
	c->saved[2] = copy;
}

/* ---- host -> guest ----------------------------------------------------- */

#define GUEST_ADDR_MAX (2 + PT_PATH_MAX + 64)

/* The kernel's address KADDR (KLEN bytes) as the guest must see it, in OUT
 * (GUEST_ADDR_MAX bytes); returns its length. */
static size_t addr_to_guest(SysCtx *c, const uint8_t *kaddr, size_t klen, uint8_t *out)
{
	char path[SOCK_SUN_PATH_MAX + 1], host[PT_PATH_MAX * 2], guest[PT_PATH_MAX + 64];
	const char *h = path, *rest;

	memcpy(out, kaddr, klen);
	if (!sock_un_path(kaddr, klen, path) || path[0] != '/')
		return klen; /* not a path, or relative as bound: the guest's own */
	const SockName *bound = name_find(path);
	if (bound) {
		int n = sock_un_make(bound->guest, out, GUEST_ADDR_MAX);
		return n < 0 ? klen : (size_t)n;
	}
	int fd = sock_parse_fd_path(path, getpid(), &rest);
	const SockDir *d = fd >= 0 ? dir_by_fd(fd) : NULL;
	if (d) {
		if (path_join(d->host, rest, host, sizeof(host)) < 0)
			return klen;
		h = host;
	}
	if (ctx_host_to_guest(c, h, guest, sizeof(guest)) < 0)
		return klen;
	int n = sock_un_make(guest, out, GUEST_ADDR_MAX);
	if (n < 0) {
		memcpy(out, kaddr, klen);
		return klen;
	}
	return (size_t)n;
}

/* Translate the kernel's address in our buffer at KBUF (KLEN bytes, as the
 * kernel said) and give it to the guest's buffer GADDR of GLEN bytes;
 * returns the full length to report, or -EFAULT. */
static int64_t give_addr(SysCtx *c, uint64_t kbuf, uint32_t klen, uint64_t gaddr, uint32_t glen)
{
	uint8_t kaddr[SOCK_STORAGE_LEN], out[GUEST_ADDR_MAX];

	if (klen > SOCK_STORAGE_LEN)
		klen = SOCK_STORAGE_LEN;
	if (ctx_read(c, kbuf, kaddr, klen) < 0)
		return -EFAULT;
	size_t len = addr_to_guest(c, kaddr, klen, out);
	size_t n = len < glen ? len : glen;
	if (n && ctx_write(c, gaddr, out, n) < 0)
		return -EFAULT;
	return (int64_t)len;
}

/* accept, getsockname, getpeername, recvfrom: address in AI, length
 * pointer in LI. */
static void addr_out_enter(SysCtx *c, int ai, int li, int kind)
{
	uint64_t addr = c->args[ai], lenp = c->args[li], scratch;
	uint8_t block[SOCK_STORAGE_LEN + 4] = { 0 };
	uint32_t glen;

	if (!addr && kind != OUT_NAME)
		return; /* the kernel writes nothing */
	if (!lenp || ctx_read(c, lenp, &glen, 4) < 0 || (int32_t)glen < 0)
		return; /* its EFAULT or EINVAL */
	if (!addr && glen)
		return; /* getsockname(fd, NULL, &n > 0): EFAULT */
	st32(block + SOCK_STORAGE_LEN, SOCK_STORAGE_LEN);
	int r = ctx_push(c, block, sizeof(block), &scratch);
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	ctx_set_arg(c, ai, scratch);
	ctx_set_arg(c, li, scratch + SOCK_STORAGE_LEN);
	save_op(c, OP_ADDR_OUT, kind, glen);
	c->saved[1] = addr;
	c->saved[2] = lenp;
	c->saved[3] = scratch;
}

static void addr_out_exit(SysCtx *c)
{
	int kind = (int)(c->saved[0] >> 8 & 0xff);
	uint32_t glen = (uint32_t)(c->saved[0] >> 32), klen;

	if (c->ret < 0 || ctx_read(c, c->saved[3] + SOCK_STORAGE_LEN, &klen, 4) < 0)
		return;
	int64_t len = give_addr(c, c->saved[3], klen, c->saved[1], glen);
	if (len >= 0) {
		uint32_t l = (uint32_t)len;
		if (ctx_write(c, c->saved[2], &l, 4) < 0)
			len = -EFAULT;
	}
	/* A new connection cannot be taken back: accept keeps its fd. */
	if (len < 0 && kind != OUT_ACCEPT)
		c->ret = len;
}

static void recvmsg_enter(SysCtx *c, int mi)
{
	uint8_t raw[64], zero[SOCK_STORAGE_LEN] = { 0 };
	size_t sz = sock_msghdr_size(c->abi);
	uint64_t maddr = c->args[mi], name, copy;
	GuestMsghdr m;

	if (!maddr || ctx_read(c, maddr, raw, sz) < 0)
		return;
	sock_msghdr_decode(c->abi, raw, &m);
	if (!m.name || m.namelen < 0)
		return; /* no name wanted, or the kernel's EINVAL */
	int r = ctx_push(c, zero, sizeof(zero), &name);
	if (r >= 0) {
		uint64_t gname = m.name;
		uint32_t glen = (uint32_t)m.namelen;
		m.name = name;
		m.namelen = SOCK_STORAGE_LEN;
		sock_msghdr_encode(c->abi, &m, raw);
		r = ctx_push(c, raw, sz, &copy);
		if (r >= 0) {
			ctx_set_arg(c, mi, copy);
			save_op(c, OP_RECVMSG, 0, glen);
			c->saved[1] = maddr;
			c->saved[2] = copy;
			c->saved[3] = gname;
		}
	}
	if (r < 0)
		ctx_fail(c, r);
}

/* The kernel filled our copy KRAW of the guest's msghdr GRAW (both raw, in
 * the guest ABI): give the guest its name and the fields the kernel writes
 * back. GNAME/GLEN: the guest's own msg_name and msg_namelen. */
static int64_t msghdr_back(SysCtx *c, const uint8_t *kraw, uint8_t *graw, uint64_t gname, uint32_t glen)
{
	GuestMsghdr km, gm;

	sock_msghdr_decode(c->abi, kraw, &km);
	sock_msghdr_decode(c->abi, graw, &gm);
	int64_t len = give_addr(c, km.name, (uint32_t)km.namelen, gname, glen);
	if (len >= 0)
		gm.namelen = (int32_t)len;
	gm.controllen = km.controllen;
	gm.flags = km.flags;
	sock_msghdr_encode(c->abi, &gm, graw);
	return len;
}

static void recvmsg_exit(SysCtx *c)
{
	uint8_t kraw[64], graw[64];
	size_t sz = sock_msghdr_size(c->abi);

	if (c->ret < 0)
		return;
	if (ctx_read(c, c->saved[2], kraw, sz) < 0 || ctx_read(c, c->saved[1], graw, sz) < 0)
		return;
	int64_t len = msghdr_back(c, kraw, graw, c->saved[3], (uint32_t)(c->saved[0] >> 32));
	if (ctx_write(c, c->saved[1], graw, sz) < 0 || len < 0)
		c->ret = -EFAULT;
}

static void recvmmsg_enter(SysCtx *c, int vi, int ni)
{
	uint64_t vec = c->args[vi], names, copy;
	uint32_t vlen = (uint32_t)c->args[ni], n, i, k = 0;
	size_t esz = sock_mmsghdr_size(c->abi);
	int r;

	if (!vec || !vlen)
		return;
	if (vlen > SOCK_VLEN_MAX)
		vlen = SOCK_VLEN_MAX; /* fewer messages than asked: allowed */
	_cleanup_free_ uint8_t *v = malloc((size_t)vlen * esz);
	if (!v) {
		ctx_fail(c, -ENOMEM);
		return;
	}
	n = read_vector(c, vec, v, vlen, esz);
	for (i = 0; i < n; i++) {
		GuestMsghdr m;
		sock_msghdr_decode(c->abi, v + i * esz, &m);
		if (m.name && m.namelen >= 0)
			k++;
	}
	if (k == 0)
		return; /* no names: nothing to translate */
	_cleanup_free_ uint8_t *zero = calloc(k, SOCK_STORAGE_LEN);
	if (!zero) {
		ctx_fail(c, -ENOMEM);
		return;
	}
	r = ctx_push(c, zero, (size_t)k * SOCK_STORAGE_LEN, &names);
	if (r >= 0) {
		k = 0;
		for (i = 0; i < n; i++) {
			GuestMsghdr m;
			sock_msghdr_decode(c->abi, v + i * esz, &m);
			if (!m.name || m.namelen < 0)
				continue;
			m.name = names + (uint64_t)k++ * SOCK_STORAGE_LEN;
			m.namelen = SOCK_STORAGE_LEN;
			sock_msghdr_encode(c->abi, &m, v + i * esz);
		}
		r = ctx_push(c, v, (size_t)n * esz, &copy);
	}
	if (r < 0) {
		ctx_fail(c, r);
		return;
	}
	/* Unreadable entries past N: the kernel would stop there too. */
	if (n != (uint32_t)c->args[ni])
		ctx_set_arg(c, ni, n);
	ctx_set_arg(c, vi, copy);
	save_op(c, OP_RECVMMSG, 0, n);
	c->saved[1] = vec;
	c->saved[2] = copy;
}

static void recvmmsg_exit(SysCtx *c)
{
	uint32_t n = (uint32_t)(c->saved[0] >> 32);
	size_t esz = sock_mmsghdr_size(c->abi);

	if (c->ret <= 0)
		return;
	if ((uint64_t)c->ret < n)
		n = (uint32_t)c->ret;
	_cleanup_free_ uint8_t *kv = malloc((size_t)n * esz);
	_cleanup_free_ uint8_t *gv = malloc((size_t)n * esz);
	if (!kv || !gv || ctx_read(c, c->saved[2], kv, n * esz) < 0 ||
	    ctx_read(c, c->saved[1], gv, n * esz) < 0)
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *k = kv + i * esz, *g = gv + i * esz;
		GuestMsghdr gm;
		sock_msghdr_decode(c->abi, g, &gm);
		if (gm.name && gm.namelen >= 0) {
			msghdr_back(c, k, g, gm.name, (uint32_t)gm.namelen);
		} else {
			GuestMsghdr km;
			sock_msghdr_decode(c->abi, k, &km);
			gm.controllen = km.controllen;
			gm.flags = km.flags;
			sock_msghdr_encode(c->abi, &gm, g);
		}
		sock_mmsg_len_set(c->abi, g, sock_mmsg_len_get(c->abi, k));
	}
	ctx_write(c, c->saved[1], gv, n * esz);
}

static void sendmmsg_exit(SysCtx *c)
{
	uint32_t n = (uint32_t)(c->saved[0] >> 32);
	size_t esz = sock_mmsghdr_size(c->abi), msz = sock_msghdr_size(c->abi);

	if (c->ret <= 0)
		return;
	if ((uint64_t)c->ret < n)
		n = (uint32_t)c->ret;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		if (ctx_read(c, c->saved[2] + i * esz + msz, &len, 4) < 0 ||
		    ctx_write(c, c->saved[1] + i * esz + msz, &len, 4) < 0)
			break;
	}
}

static void sock_exit(SysCtx *c)
{
	switch (c->saved[0] & 0xff) {
	case OP_ADDR_OUT:
		addr_out_exit(c);
		break;
	case OP_RECVMSG:
		recvmsg_exit(c);
		break;
	case OP_RECVMMSG:
		recvmmsg_exit(c);
		break;
	case OP_SENDMMSG:
		sendmmsg_exit(c);
		break;
	default:
		break;
	}
}

/* ---- restarted syscalls --------------------------------------------------- */

/* A blocking call interrupted by a signal (-ERESTARTSYS and friends) is
 * entered again by the kernel with the registers as they are: our
 * arguments, pointing into scratch memory that may have been reused since.
 * Each thread's last rewrite is noted; an entry with exactly those
 * arguments gets the guest's own back before it is handled again. */
#define SOCK_RESTART_SLOTS 256

typedef struct Restart {
	pid_t tid;          /* 0 = free */
	long nr;
	Abi abi;
	uint64_t guest[6];  /* the arguments the guest gave */
	uint64_t ours[6];   /* what we handed to the kernel */
} Restart;

static Restart restarts[SOCK_RESTART_SLOTS];

static void restart_fixup(SysCtx *c)
{
	Restart *r = &restarts[(unsigned)c->tid % SOCK_RESTART_SLOTS];

	if (r->tid != c->tid)
		return;
	r->tid = 0;
	if (r->nr != c->nr || r->abi != c->abi || memcmp(r->ours, c->args, sizeof(r->ours)) != 0)
		return;
	for (int i = 0; i < 6; i++)
		if (c->args[i] != r->guest[i])
			ctx_set_arg(c, i, r->guest[i]);
}

static void restart_note(SysCtx *c, const uint64_t guest[6])
{
	Restart *r = &restarts[(unsigned)c->tid % SOCK_RESTART_SLOTS];

	if (c->action != CTX_RUN || memcmp(guest, c->args, sizeof(r->guest)) == 0)
		return;
	r->tid = c->tid;
	r->nr = c->nr;
	r->abi = c->abi;
	memcpy(r->guest, guest, sizeof(r->guest));
	memcpy(r->ours, c->args, sizeof(r->ours));
}

/* Every entry handler runs through this. */
static void entry(SysCtx *c, void (*fn)(SysCtx *c))
{
	uint64_t guest[6];

	restart_fixup(c);
	memcpy(guest, c->args, sizeof(guest));
	fn(c);
	restart_note(c, guest);
}

/* ---- the handlers ------------------------------------------------------- */

static void do_sockaddr_in(SysCtx *c)
{
	/* bind creates the final component (an existing one, even a
	 * dangling symlink, is EADDRINUSE); connect follows it. */
	bool bind = strcmp(c->ent->name, "bind") == 0;
	sock_in(c, 1, 2, bind ? RESOLVE_PARENT_ : RESOLVE_FOLLOW);
}

static void do_sendto(SysCtx *c)
{
	sock_in(c, 4, 5, RESOLVE_FOLLOW);
}

static void do_sendmsg(SysCtx *c)
{
	sendmsg_enter(c, 1);
}

static void do_sendmmsg(SysCtx *c)
{
	sendmmsg_enter(c, 1, 2);
}

static void do_sockaddr_out(SysCtx *c)
{
	bool accept = strncmp(c->ent->name, "accept", 6) == 0;
	addr_out_enter(c, 1, 2, accept ? OUT_ACCEPT : OUT_NAME);
}

static void do_recvfrom(SysCtx *c)
{
	addr_out_enter(c, 4, 5, OUT_RECVFROM);
}

static void do_recvmsg(SysCtx *c)
{
	recvmsg_enter(c, 1);
}

static void do_recvmmsg(SysCtx *c)
{
	recvmmsg_enter(c, 1, 2);
}

static void do_socketcall(SysCtx *c)
{
	long call = (int32_t)(uint32_t)c->args[0];
	int nargs = sock_socketcall_nargs(call);
	uint32_t words[6];
	uint64_t addr;

	switch (call) {
	case SYS_BIND: case SYS_CONNECT: case SYS_SENDTO: case SYS_SENDMSG:
	case SYS_SENDMMSG: case SYS_ACCEPT: case SYS_ACCEPT4: case SYS_GETSOCKNAME:
	case SYS_GETPEERNAME: case SYS_RECVFROM: case SYS_RECVMSG: case SYS_RECVMMSG:
		break;
	default:
		return;
	}
	if (ctx_read(c, c->args[1], words, (size_t)nargs * 4) < 0)
		return; /* the kernel's EFAULT */

	/* Run the handler on the unpacked arguments, then pack them again. */
	SysCtx sub = *c;
	sub.args_dirty = 0;
	sub.want_exit = false;
	for (int i = 0; i < 6; i++)
		sub.args[i] = i < nargs ? words[i] : 0;
	switch (call) {
	case SYS_BIND:
		sock_in(&sub, 1, 2, RESOLVE_PARENT_);
		break;
	case SYS_CONNECT:
		sock_in(&sub, 1, 2, RESOLVE_FOLLOW);
		break;
	case SYS_SENDTO:
		sock_in(&sub, 4, 5, RESOLVE_FOLLOW);
		break;
	case SYS_SENDMSG:
		sendmsg_enter(&sub, 1);
		break;
	case SYS_SENDMMSG:
		sendmmsg_enter(&sub, 1, 2);
		break;
	case SYS_ACCEPT:
	case SYS_ACCEPT4:
		addr_out_enter(&sub, 1, 2, OUT_ACCEPT);
		break;
	case SYS_GETSOCKNAME:
	case SYS_GETPEERNAME:
		addr_out_enter(&sub, 1, 2, OUT_NAME);
		break;
	case SYS_RECVFROM:
		addr_out_enter(&sub, 4, 5, OUT_RECVFROM);
		break;
	case SYS_RECVMSG:
		recvmsg_enter(&sub, 1);
		break;
	case SYS_RECVMMSG:
		recvmmsg_enter(&sub, 1, 2);
		break;
	}
	c->scratch_used = sub.scratch_used;
	if (sub.action == CTX_SKIP) {
		ctx_fail(c, sub.ret);
		return;
	}
	if (sub.args_dirty) {
		for (int i = 0; i < nargs; i++)
			if (sub.args_dirty & (1u << i))
				words[i] = (uint32_t)sub.args[i];
		int r = ctx_push(c, words, (size_t)nargs * 4, &addr);
		if (r < 0) {
			ctx_fail(c, r);
			return;
		}
		ctx_set_arg(c, 1, addr);
	}
	c->want_exit = sub.want_exit;
	memcpy(c->saved, sub.saved, sizeof(c->saved));
}

void h_sockaddr_in(SysCtx *c)
{
	entry(c, do_sockaddr_in);
}

void h_sendto(SysCtx *c)
{
	entry(c, do_sendto);
}

void h_sendmsg(SysCtx *c)
{
	entry(c, do_sendmsg);
}

void h_sendmmsg(SysCtx *c)
{
	entry(c, do_sendmmsg);
}

void h_sockaddr_out(SysCtx *c)
{
	entry(c, do_sockaddr_out);
}

void h_recvfrom(SysCtx *c)
{
	entry(c, do_recvfrom);
}

void h_recvmsg(SysCtx *c)
{
	entry(c, do_recvmsg);
}

void h_recvmmsg(SysCtx *c)
{
	entry(c, do_recvmmsg);
}

void h_socketcall(SysCtx *c)
{
	entry(c, do_socketcall);
}

void h_exit_sockaddr_out(SysCtx *c)
{
	sock_exit(c);
}

void h_exit_recvfrom(SysCtx *c)
{
	sock_exit(c);
}

void h_exit_recvmsg(SysCtx *c)
{
	sock_exit(c);
}

void h_exit_recvmmsg(SysCtx *c)
{
	sock_exit(c);
}

void h_exit_sendmmsg(SysCtx *c)
{
	sock_exit(c);
}

void h_exit_socketcall(SysCtx *c)
{
	sock_exit(c);
}
