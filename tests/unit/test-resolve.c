/* SPDX-License-Identifier: MIT */
/* Unit tests for resolve_path() against an in-memory tree: a table of host
 * paths, each a directory, a file or a symlink, behind a fake FsOps that also
 * plays /proc's magic links and checks that the resolver only ever asks about
 * canonical host paths. */

#include "path/path.h"
#include "tap.h"

#include <stdio.h>

/* ---- the fake file system ------------------------------------------------ */

typedef struct Node {
	const char *path;
	char type; /* 'd' dir, 'f' file, 'l' symlink, 'x' dir without search permission */
	const char *target;
} Node;

static const Node tree[] = {
	{ "/", 'd', NULL },
	{ "/r", 'd', NULL },
	{ "/r/a", 'd', NULL },
	{ "/r/a/b", 'd', NULL },
	{ "/r/a/b/c", 'f', NULL },
	{ "/r/a/up", 'l', "../f" },
	{ "/r/a/lnk", 'l', "b/c" },
	{ "/r/a/dirlink", 'l', "../a/b/" },
	{ "/r/a/toroot", 'l', "/" },
	{ "/r/a/abs", 'l', "/a/b" },
	{ "/r/f", 'f', NULL },
	{ "/r/abs", 'l', "/a/b" },
	{ "/r/rel", 'l', "a/b" },
	{ "/r/esc", 'l', "../../../a" },
	{ "/r/absesc", 'l', "/../../a/b" },
	{ "/r/c1", 'l', "c2" },
	{ "/r/c2", 'l', "c3" },
	{ "/r/c3", 'l', "a" },
	{ "/r/loop1", 'l', "loop2" },
	{ "/r/loop2", 'l', "loop1" },
	{ "/r/self", 'l', "self" },
	{ "/r/dang", 'l', "nowhere" },
	{ "/r/dangdir", 'l', "nodir/x" },
	{ "/r/dangabs", 'l', "/a/newfile" },
	{ "/r/empty", 'l', "" },
	{ "/r/dot", 'l', "." },
	{ "/r/dotdot", 'l', ".." },
	{ "/r/noperm", 'x', NULL },
	{ "/r/noperm/y", 'f', NULL },
	{ "/r/etc", 'd', NULL },
	{ "/r/etc/hosts", 'f', NULL }, /* shadowed by a file binding */
	{ "/r/sub", 'd', NULL },
	{ "/r/sub/x", 'd', NULL },
	{ "/r/sub/x/y", 'f', NULL },
	{ "/r/sub/abs", 'l', "/x" },
	{ "/r/sub/up", 'l', "../../../x" },
	{ "/r/proc", 'd', NULL },
	{ "/r/proc/self", 'l', "42" },
	{ "/r/proc/42", 'd', NULL },
	{ "/r/proc/42/root", 'l', "/" },
	{ "/r/proc/42/cwd", 'l', "/elsewhere" },
	{ "/r/proc/42/fd", 'd', NULL },
	{ "/r/proc/42/fd/0", 'l', "pipe:[1]" },
	{ "/r/proc/42/fd/1", 'l', "/host/path/c" },
	{ "/r/proc/42/fd/2", 'l', "/host/path/lnk" },
	{ "/r/proc/42/fd/3", 'l', "/x" },
	/* bound at guest /mnt/b; /r/mnt does not exist */
	{ "/data", 'd', NULL },
	{ "/data/f", 'f', NULL },
	{ "/data/b", 'd', NULL },
	{ "/data/b/file", 'f', NULL },
	{ "/data/b/sub", 'd', NULL },
	{ "/data/b/abs", 'l', "/a/b" },
	{ "/data/b/rel", 'l', "../../f" },
	/* bound at guest /etc/hosts */
	{ "/hostfile", 'f', NULL },
	/* bound at guest /opt/x/y; /r/opt does not exist */
	{ "/deep", 'd', NULL },
	{ "/deep/z", 'f', NULL },
	/* anything below /r/big is a directory: for length limits */
	{ "/r/big", 'd', NULL },
};

/* Chains of 41 links: l0 -> l1 -> ... -> l40 -> "f" and m0 .. m40 -> "a". */
#define CHAIN 41

typedef struct Fake {
	int lstats, readlinks, bad;
	char last_bad[PT_PATH_MAX * 2];
} Fake;

static Fake fake;

static int chain_index(const char *path, char letter)
{
	int i;
	char end;

	if (strncmp(path, "/r/", 3) != 0 || path[3] != letter)
		return -1;
	if (sscanf(path + 4, "%d%c", &i, &end) != 1 || i < 0 || i >= CHAIN)
		return -1;
	return i;
}

static char chain_buf[16];

/* Look a host path up exactly; NULL if absent. */
static const Node *node_find(const char *path)
{
	static Node n;
	int i;

	for (size_t k = 0; k < ARRAY_SIZE(tree); k++) {
		if (strcmp(tree[k].path, path) == 0)
			return &tree[k];
	}
	if (strncmp(path, "/r/big/", 7) == 0) {
		n = (Node){ path, 'd', NULL };
		return &n;
	}
	if ((i = chain_index(path, 'l')) >= 0) {
		if (i == CHAIN - 1)
			snprintf(chain_buf, sizeof(chain_buf), "f");
		else
			snprintf(chain_buf, sizeof(chain_buf), "l%d", i + 1);
		n = (Node){ path, 'l', chain_buf };
		return &n;
	}
	if ((i = chain_index(path, 'm')) >= 0) {
		if (i == CHAIN - 1)
			snprintf(chain_buf, sizeof(chain_buf), "a");
		else
			snprintf(chain_buf, sizeof(chain_buf), "m%d", i + 1);
		n = (Node){ path, 'l', chain_buf };
		return &n;
	}
	return NULL;
}

/* What lstat(2) would say about the ancestors of PATH; the resolver must only
 * ask about paths whose ancestors are real directories. */
static int check_ancestors(const char *path)
{
	char buf[PT_PATH_MAX * 2];
	size_t len = strlen(path);

	if (path[0] != '/' || (len > 1 && path[len - 1] == '/') || strstr(path, "//") ||
	    strstr(path, "/./") || strstr(path, "/../")) {
		fake.bad++;
		snprintf(fake.last_bad, sizeof(fake.last_bad), "%s", path);
		return -EIO;
	}
	snprintf(buf, sizeof(buf), "%s", path);
	for (size_t i = len; i-- > 1;) {
		const Node *n;

		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		n = node_find(buf);
		if (!n)
			return -ENOENT;
		if (n->type == 'f')
			return -ENOTDIR;
		if (n->type == 'l') {
			fake.bad++; /* a symlink in the middle of a host path */
			snprintf(fake.last_bad, sizeof(fake.last_bad), "%s", path);
			return -EIO;
		}
		if (n->type == 'x')
			return -EACCES;
	}
	return 0;
}

static int fake_lstat(void *ctx, const char *path, struct stat *st)
{
	const Node *n;
	int r;

	(void)ctx;
	fake.lstats++;
	/* The deepest missing or refusing ancestor decides, as the kernel's
	 * walk would; check from the top down. */
	r = check_ancestors(path);
	if (r < 0)
		return r;
	n = node_find(path);
	if (!n)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_mode = n->type == 'f' ? S_IFREG | 0644 : n->type == 'l' ? S_IFLNK | 0777 : S_IFDIR | 0755;
	if (n->type == 'x')
		st->st_mode = S_IFDIR;
	return 0;
}

static ssize_t fake_readlink(void *ctx, const char *path, char *buf, size_t bufsz)
{
	const Node *n;
	size_t len;
	int r;

	(void)ctx;
	fake.readlinks++;
	r = check_ancestors(path);
	if (r < 0)
		return r;
	n = node_find(path);
	if (!n)
		return -ENOENT;
	if (n->type != 'l')
		return -EINVAL;
	len = strlen(n->target);
	if (len > bufsz)
		len = bufsz;
	memcpy(buf, n->target, len);
	return (ssize_t)len;
}

/* /proc/42/...: root -> "/", cwd -> "/a/b", fd/0 a pipe, fd/1 -> "/a/b/c",
 * fd/2 -> the symlink "/a/lnk" itself, fd/3 refused. Other links: 0. */
static int fake_magic(void *ctx, const char *host, const char *guest, char *target)
{
	static const struct {
		const char *guest;
		int ret;
		const char *target;
	} t[] = {
		{ "/proc/42/root", 1, "/" },
		{ "/proc/42/cwd", 1, "/a//b/" }, /* not quite canonical */
		{ "/proc/42/fd/0", 2, NULL },
		{ "/proc/42/fd/1", 1, "/a/b/c" },
		{ "/proc/42/fd/2", 1, "/a/lnk" },
		{ "/proc/42/fd/3", -EACCES, NULL },
	};

	(void)ctx;
	(void)host;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (strcmp(guest, t[i].guest) != 0)
			continue;
		if (t[i].target)
			snprintf(target, PT_PATH_MAX, "%s", t[i].target);
		return t[i].ret;
	}
	return 0;
}

static const FsOps fake_ops = {
	.lstat = fake_lstat,
	.readlink = fake_readlink,
	.magic = fake_magic,
};

/* ---- the cases ----------------------------------------------------------- */

enum {
	F = RESOLVE_FOLLOW,
	BEN = RESOLVE_BENEATH_,
	NOSYM = RESOLVE_NO_SYMLINKS_,
	NOMAG = RESOLVE_NO_MAGICLINKS_,
	INR = RESOLVE_IN_ROOT_,
	PAR = RESOLVE_PARENT_,
	XD = RESOLVE_NO_XDEV_,
	CR = RESOLVE_CREATE_,
};

/* Expected flags of Resolved. */
enum {
	D = 1 << 0, /* dir_required */
	MISS = 1 << 1, /* final_missing == -ENOENT */
	MAG = 1 << 2, /* magic */
	MNT = 1 << 3, /* mountpoint */
	SYN = 1 << 4, /* synthetic */
};

typedef struct Case {
	int map; /* 0: root /r with bindings, 1: root "/", 2: /r/a bound at /a */
	const char *root, *base, *path;
	int flags;
	int ret;
	const char *guest, *host;
	int bits;
} Case;

static const Case cases[] = {
	/* plain */
	{ 0, "/", "/", "/a/b/c", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "a/b/c", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/a", "b/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/a", "//a///b//c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/", F, 0, "/", "/r/.", D | MNT },
	{ 0, "/", "/a", "///", 0, 0, "/", "/r/.", D | MNT },
	{ 0, "/", "/a", ".", 0, 0, "/a", "/r/a/.", D },
	{ 0, "/", "/", "a/.", 0, 0, "/a", "/r/a/.", D },
	{ 0, "/", "/", "a/./b/./", 0, 0, "/a/b", "/r/a/b/.", D },
	{ 0, "/", "/", "./a/./b/.//", 0, 0, "/a/b", "/r/a/b/.", D },
	{ 0, "/", "/", "", F, -ENOENT, NULL, NULL, 0 },
	/* ".." */
	{ 0, "/", "/", "/a/b/..", 0, 0, "/a", "/r/a/b/..", D },
	{ 0, "/", "/", "/a/b/../..", 0, 0, "/", "/r/a/..", D },
	{ 0, "/", "/", "/..", 0, 0, "/", "/r/.", D },
	{ 0, "/", "/a", "../../..", 0, 0, "/", "/r/.", D },
	{ 0, "/", "/a", "../../../", 0, 0, "/", "/r/.", D },
	{ 0, "/", "/", "/../../a", 0, 0, "/a", "/r/a", 0 },
	{ 0, "/", "/a/b", "../../f", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/a/b", "..", F, 0, "/a", "/r/a/b/..", D },
	{ 0, "/", "/", "/a/b/c/..", 0, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/b/c/.", 0, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/nope/..", 0, -ENOENT, NULL, NULL, 0 },
	/* finals, trailing slashes, missing things */
	{ 0, "/", "/", "/a/b/c/", 0, 0, "/a/b/c", "/r/a/b/c/", D },
	{ 0, "/", "/", "/a/b/c//", F, 0, "/a/b/c", "/r/a/b/c/", D },
	{ 0, "/", "/", "/a/b/c/x", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/f/", F, 0, "/f", "/r/f/", D },
	{ 0, "/", "/", "/nope/x", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/nope", F, 0, "/nope", "/r/nope", MISS },
	{ 0, "/", "/", "/nope/", 0, 0, "/nope", "/r/nope/", MISS | D },
	{ 0, "/", "/", "/a/nope", 0, 0, "/a/nope", "/r/a/nope", MISS },
	/* symlinks */
	{ 0, "/", "/", "/abs/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/rel/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/abs", F, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/", "/abs", 0, 0, "/abs", "/r/abs", 0 },
	{ 0, "/", "/", "/abs/", 0, 0, "/a/b", "/r/a/b/", D },
	{ 0, "/", "/", "/a/up", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/", "/a/up/", F, 0, "/f", "/r/f/", D },
	{ 0, "/", "/", "/esc", F, 0, "/a", "/r/a", 0 },
	{ 0, "/", "/", "/absesc/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/c1/b", 0, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/", "/c1", F, 0, "/a", "/r/a", 0 },
	{ 0, "/", "/", "/c1", 0, 0, "/c1", "/r/c1", 0 },
	{ 0, "/", "/", "/c1/..", 0, 0, "/", "/r/a/..", D },
	{ 0, "/", "/", "/a/lnk", 0, 0, "/a/lnk", "/r/a/lnk", 0 },
	{ 0, "/", "/", "/a/lnk", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/a/lnk/", 0, 0, "/a/b/c", "/r/a/b/c/", D },
	{ 0, "/", "/", "/a/dirlink", F, 0, "/a/b", "/r/a/b/", D },
	{ 0, "/", "/", "/a/dirlink/c", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/a/toroot", F, 0, "/", "/r/.", D | MNT },
	{ 0, "/", "/", "/a/toroot/a/abs/c", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/dot", F, 0, "/", "/r/.", D },
	{ 0, "/", "/", "/dotdot", F, 0, "/", "/r/.", D },
	{ 0, "/", "/a", "up/../a/b", F, -ENOTDIR, NULL, NULL, 0 },
	/* loops and the 40-link limit */
	{ 0, "/", "/", "/loop1", F, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/loop1", 0, 0, "/loop1", "/r/loop1", 0 },
	{ 0, "/", "/", "/loop1/x", 0, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/self/", 0, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/l1", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/", "/l0", F, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/l0", 0, 0, "/l0", "/r/l0", 0 },
	{ 0, "/", "/", "/m1/b/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/m0/b/c", 0, -ELOOP, NULL, NULL, 0 },
	/* the count is for the whole walk: 2 + 39 links */
	{ 0, "/", "/", "/c2/../m2/b", 0, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/c3/../m2/b", 0, 0, "/a/b", "/r/a/b", 0 },
	/* dangling links */
	{ 0, "/", "/", "/dang", F, 0, "/nowhere", "/r/nowhere", MISS },
	{ 0, "/", "/", "/dang", 0, 0, "/dang", "/r/dang", 0 },
	{ 0, "/", "/", "/dang/", 0, 0, "/nowhere", "/r/nowhere/", MISS | D },
	{ 0, "/", "/", "/dang/x", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/dangdir", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/dangabs", F, 0, "/a/newfile", "/r/a/newfile", MISS },
	{ 0, "/", "/", "/empty", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/empty", 0, 0, "/empty", "/r/empty", 0 },
	/* RESOLVE_PARENT_: the final component is never followed */
	{ 0, "/", "/", "/a/lnk/", PAR, 0, "/a/lnk", "/r/a/lnk/", D },
	{ 0, "/", "/", "/abs", PAR | F, 0, "/abs", "/r/abs", 0 },
	{ 0, "/", "/", "/abs/c", PAR, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/abs/.", PAR, 0, "/a/b", "/r/a/b/.", D },
	{ 0, "/", "/", "/abs/..", PAR, 0, "/a", "/r/a/b/..", D },
	{ 0, "/", "/", "/new/", PAR, 0, "/new", "/r/new/", D | MISS },
	{ 0, "/", "/", "/dang/", PAR, 0, "/dang", "/r/dang/", D },
	{ 0, "/", "/", "/", PAR, 0, "/", "/r/.", D | MNT },
	{ 0, "/", "/", "/mnt/b", PAR, 0, "/mnt/b", "/data/b", MNT },
	/* permissions: lstat errors come back as they are */
	{ 0, "/", "/", "/noperm/y", F, -EACCES, NULL, NULL, 0 },
	{ 0, "/", "/", "/noperm/nope", F, -EACCES, NULL, NULL, 0 },
	{ 0, "/", "/", "/noperm", F, 0, "/noperm", "/r/noperm", 0 },
	/* a component longer than NAME_MAX */
	{ 0, "/", "/", "/a/@256", F, -ENAMETOOLONG, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/@255", F, 0, "/a/@255", "/r/a/@255", MISS },
	{ 0, "/", "/", "/nope/@256", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/f/@256", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/@256/..", F, -ENAMETOOLONG, NULL, NULL, 0 },
	/* bindings */
	{ 0, "/", "/", "/mnt", F, 0, "/mnt", "/r/mnt", SYN },
	{ 0, "/", "/", "/mnt/", F, 0, "/mnt", "/r/mnt/", SYN | D },
	{ 0, "/", "/", "/mnt/.", F, 0, "/mnt", "/r/mnt/.", SYN | D },
	{ 0, "/", "/", "/mnt/b", F, 0, "/mnt/b", "/data/b", MNT },
	{ 0, "/", "/", "/mnt/b/", F, 0, "/mnt/b", "/data/b/", MNT | D },
	{ 0, "/", "/", "/mnt/b/.", F, 0, "/mnt/b", "/data/b/.", D },
	{ 0, "/", "/", "/mnt/b/file", F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 0, "/", "/mnt/b", "file", F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 0, "/", "/", "/mnt/b/..", F, 0, "/mnt", "/r/mnt/.", D | SYN },
	{ 0, "/", "/mnt/b", "..", F, 0, "/mnt", "/r/mnt/.", D | SYN },
	{ 0, "/", "/", "/mnt/b/../..", F, 0, "/", "/r/.", D },
	{ 0, "/", "/", "/mnt/b/../b/file", F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 0, "/", "/", "/mnt/b/../../f", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/mnt/b", "../../f", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/mnt/b", "../f", F, 0, "/mnt/f", "/r/mnt/f", MISS }, /* never /data/f */
	{ 0, "/", "/", "/mnt/b/sub/..", F, 0, "/mnt/b", "/data/b/sub/..", D },
	{ 0, "/", "/", "/mnt/b/abs", F, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/", "/mnt/b/abs/c", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/mnt/b/rel", F, 0, "/f", "/r/f", 0 },
	{ 0, "/", "/", "/mnt/x", F, 0, "/mnt/x", "/r/mnt/x", MISS },
	{ 0, "/", "/", "/mnt/x/y", F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/etc/hosts", F, 0, "/etc/hosts", "/hostfile", MNT },
	{ 0, "/", "/", "/etc/hosts/", F, 0, "/etc/hosts", "/hostfile/", MNT | D },
	{ 0, "/", "/", "/etc/hosts/x", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/etc/hosts/..", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/opt/x/y/z", F, 0, "/opt/x/y/z", "/deep/z", 0 },
	{ 0, "/", "/", "/opt/x", F, 0, "/opt/x", "/r/opt/x", SYN },
	{ 0, "/", "/", "/opt/x/y/../..", F, 0, "/opt", "/r/opt/.", SYN | D },
	{ 0, "/", "/", "/opt/x/y/../../../a", F, 0, "/a", "/r/a", 0 },
	/* root "/": guest == host outside the bindings */
	{ 1, "/", "/", "/r/a/b/c", F, 0, "/r/a/b/c", "/r/a/b/c", 0 },
	{ 1, "/", "/", "/", F, 0, "/", "/.", D | MNT },
	{ 1, "/", "/", "/..", F, 0, "/", "/..", D },
	{ 1, "/", "/", "/r/..", F, 0, "/", "/r/..", D },
	{ 1, "/", "/r", "a/b/.", F, 0, "/r/a/b", "/r/a/b/.", D },
	{ 1, "/", "/", "/mnt/b/file", F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 1, "/", "/", "/mnt/b/..", F, 0, "/mnt", "/mnt/.", D | SYN },
	{ 1, "/", "/", "/r/abs", F, -ENOENT, NULL, NULL, 0 }, /* "/a" is not there */
	/* a binding that names what the root already shows there: ".." of its
	 * mount point may go to the kernel as it is */
	{ 2, "/", "/", "/a/..", F, 0, "/", "/r/a/..", D },
	{ 2, "/", "/", "/a/b/..", F, 0, "/a", "/r/a/b/..", D },
	{ 2, "/", "/", "/a", F, 0, "/a", "/r/a", MNT },
	/* Resolver.root in a sub-directory (after chroot) */
	{ 0, "/sub", "/sub", "/x/y", F, 0, "/sub/x/y", "/r/sub/x/y", 0 },
	{ 0, "/sub", "/sub", "/..", F, 0, "/sub", "/r/sub/.", D },
	{ 0, "/sub", "/sub", "/", F, 0, "/sub", "/r/sub/.", D | MNT },
	{ 0, "/sub", "/sub", "/../../x", F, 0, "/sub/x", "/r/sub/x", 0 },
	{ 0, "/sub", "/sub", "/abs", F, 0, "/sub/x", "/r/sub/x", 0 },
	{ 0, "/sub", "/sub", "/up/y", F, 0, "/sub/x/y", "/r/sub/x/y", 0 },
	{ 0, "/sub", "/sub", "x/..", F, 0, "/sub", "/r/sub/x/..", D },
	{ 0, "/sub", "/sub", "..", F, 0, "/sub", "/r/sub/.", D },
	{ 0, "/sub", "/sub/x", "../../../x/y", F, 0, "/sub/x/y", "/r/sub/x/y", 0 },
	/* a cwd outside the chroot: ".." climbs to the real guest "/" */
	{ 0, "/sub", "/a/b", "../..", F, 0, "/", "/r/a/..", D },
	{ 0, "/sub", "/a/b", "../../..", F, 0, "/", "/r/.", D },
	{ 0, "/sub", "/a/b", "../../sub/abs", F, 0, "/sub/x", "/r/sub/x", 0 },
	/* RESOLVE_BENEATH_ */
	{ 0, "/", "/a", "b/c", BEN, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/a", "/a/b", BEN, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "..", BEN, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "../a", BEN, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "b/..", BEN, 0, "/a", "/r/a/b/..", D },
	{ 0, "/", "/a", "b/../..", BEN, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "abs", BEN | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "abs", BEN, 0, "/a/abs", "/r/a/abs", 0 },
	{ 0, "/", "/a", "up", BEN | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "lnk", BEN | F, 0, "/a/b/c", "/r/a/b/c", 0 },
	/* RESOLVE_IN_ROOT_ */
	{ 0, "/", "/a", "/b/c", INR, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/a", "..", INR, 0, "/a", "/r/a/.", D },
	{ 0, "/", "/a", "../b", INR, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/a", "abs", INR | F, -ENOENT, NULL, NULL, 0 }, /* /a/a/b */
	{ 0, "/", "/a", "toroot", INR | F, 0, "/a", "/r/a/.", D | MNT },
	{ 0, "/", "/a", "up", INR | F, 0, "/a/f", "/r/a/f", MISS },
	{ 0, "/", "/a", "/", INR, 0, "/a", "/r/a/.", D | MNT },
	{ 0, "/", "/a", "/b", INR | BEN, -EINVAL, NULL, NULL, 0 }, /* as openat2 */
	{ 0, "/", "/a", "b", INR | BEN, -EINVAL, NULL, NULL, 0 },
	/* found by the differential test (tests/integration/diff.t) */
	/* a final name longer than NAME_MAX is not looked at by a parent
	 * walk: the kernel says ENAMETOOLONG later, after rename's EXDEV */
	{ 0, "/", "/", "/a/@256", PAR, 0, "/a", "/r/a/@256", MISS },
	{ 0, "/", "/", "/a/@256/x", PAR, -ENAMETOOLONG, NULL, NULL, 0 },
	{ 0, "/", "/a", "../a/..", F, 0, "/", "/r/a/..", D },
	/* RESOLVE_NO_XDEV_: the root and each binding are mounts */
	{ 0, "/", "/", "/mnt/b/file", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/", "/etc/hosts", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/mnt/b", "file", XD | F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 0, "/", "/mnt/b", "..", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/mnt/b", "sub/../file", XD | F, 0, "/mnt/b/file", "/data/b/file", 0 },
	{ 0, "/", "/mnt/b", "abs", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/mnt/b", "rel", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/abs", XD | F, 0, "/a/b", "/r/a/b", 0 },
	/* a relative walk has no root yet: any absolute link is EXDEV, unless
	 * a ".." set the root first */
	{ 0, "/", "/", "a/abs", XD | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/a", "../a/abs", XD | F, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/", "a/lnk", XD | F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/a/b/c", XD | F, 0, "/a/b/c", "/r/a/b/c", 0 },
	/* RESOLVE_CREATE_ (O_CREAT): a final name with a trailing "/" is
	 * EISDIR once its parent is found, even from a link's target */
	{ 0, "/", "/", "/a/b/", CR | F, -EISDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/nothere/", CR | F, -EISDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/nope/x/", CR | F, -ENOENT, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/dirlink", CR | F, -EISDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/b/.", CR | F, 0, "/a/b", "/r/a/b/.", D },
	{ 0, "/", "/", "/a/b/c", CR | F, 0, "/a/b/c", "/r/a/b/c", 0 },
	/* RESOLVE_NO_SYMLINKS_ */
	{ 0, "/", "/", "/abs/c", NOSYM, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/abs", NOSYM | F, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/abs", NOSYM, 0, "/abs", "/r/abs", 0 },
	{ 0, "/", "/", "/abs/", NOSYM, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/a/b/c", NOSYM | F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/proc/42/root", NOSYM | F, -ELOOP, NULL, NULL, 0 },
	/* magic links */
	{ 0, "/", "/", "/proc/self/root", F, 0, "/", "/r", 0 },
	{ 0, "/", "/", "/proc/self/root/a/b", F, 0, "/a/b", "/r/a/b", 0 },
	{ 0, "/", "/", "/proc/42/root/..", F, 0, "/", "/r/.", D },
	{ 0, "/", "/", "/proc/42/root", 0, 0, "/proc/42/root", "/r/proc/42/root", 0 },
	{ 0, "/", "/", "/proc/42/cwd/c", 0, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/proc/42/cwd/..", 0, 0, "/a", "/r/a/b/..", D },
	{ 0, "/", "/", "/proc/42/fd/0", F, 0, "/proc/42/fd/0", "/r/proc/42/fd/0", MAG },
	{ 0, "/", "/", "/proc/42/fd/0", 0, 0, "/proc/42/fd/0", "/r/proc/42/fd/0", 0 },
	{ 0, "/", "/", "/proc/42/fd/0/", 0, 0, "/proc/42/fd/0", "/r/proc/42/fd/0/", MAG | D },
	{ 0, "/", "/", "/proc/42/fd/0/x", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/fd/1", F, 0, "/a/b/c", "/r/a/b/c", 0 },
	{ 0, "/", "/", "/proc/42/fd/1/", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/fd/2", F, 0, "/a/lnk", "/r/a/lnk", 0 }, /* not followed */
	{ 0, "/", "/", "/proc/42/fd/2/x", F, -ENOTDIR, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/fd/3", F, -EACCES, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/fd/3/x", 0, -EACCES, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/root", NOMAG | F, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/root", NOMAG, 0, "/proc/42/root", "/r/proc/42/root", 0 },
	{ 0, "/", "/", "/proc/42/fd/0", NOMAG | F, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/42/root/a", NOMAG, -ELOOP, NULL, NULL, 0 },
	{ 0, "/", "/", "/proc/self/", NOMAG, 0, "/proc/42", "/r/proc/42/", D },
	{ 0, "/", "/proc", "42/root", BEN | F, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/proc", "42/cwd/c", INR, -EXDEV, NULL, NULL, 0 },
	{ 0, "/", "/proc", "42/fd/0", BEN | NOMAG | F, -ELOOP, NULL, NULL, 0 },
};

/* "@N" in a case stands for N times 'n'. */
static const char *expand(const char *s, char *buf, size_t bufsz)
{
	const char *at, *after;
	size_t pre, n;

	if (!s || !(at = strchr(s, '@')))
		return s;
	pre = (size_t)(at - s);
	n = strtoul(at + 1, NULL, 10);
	after = at + 1 + strspn(at + 1, "0123456789");
	if (pre + n + strlen(after) + 1 > bufsz)
		abort();
	memcpy(buf, s, pre);
	memset(buf + pre, 'n', n);
	strcpy(buf + pre + n, after);
	return buf;
}

static void setup(Mapping *m, int which)
{
	*m = (Mapping){ 0 };
	if (which == 2) {
		if (mapping_set_root(m, "/r") < 0 || mapping_add_binding(m, "/r/a", "/a") < 0)
			abort();
		return;
	}
	if (mapping_set_root(m, which == 0 ? "/r" : "/") < 0 ||
	    mapping_add_binding(m, "/data/b", "/mnt/b") < 0 ||
	    mapping_add_binding(m, "/hostfile", "/etc/hosts") < 0 ||
	    mapping_add_binding(m, "/deep", "/opt/x/y") < 0)
		abort();
}

static void check_case(const Mapping *maps, const Case *c)
{
	static Resolved res;
	char pbuf[PT_PATH_MAX], gbuf[PT_PATH_MAX], hbuf[PT_PATH_MAX];
	const char *path = expand(c->path, pbuf, sizeof(pbuf));
	const char *guest = expand(c->guest, gbuf, sizeof(gbuf));
	const char *host = expand(c->host, hbuf, sizeof(hbuf));
	Resolver r = { .map = &maps[c->map], .ops = &fake_ops, .root = c->root };
	int ret, bits;

	ret = resolve_path(&r, c->base, path, c->flags, &res);
	TAP_EQ_INT(ret, c->ret, "[map %d root %s base %s] '%s' flags %#x: returns %d", c->map,
		   c->root, c->base, c->path, c->flags, c->ret);
	if (ret < 0 || c->ret < 0)
		return;
	TAP_EQ_STR(res.guest, guest, "  '%s': guest", c->path);
	TAP_EQ_STR(res.host, host, "  '%s': host", c->path);
	bits = (res.dir_required ? D : 0) | (res.final_missing == -ENOENT ? MISS : 0) |
	       (res.magic ? MAG : 0) | (res.mountpoint ? MNT : 0) | (res.synthetic ? SYN : 0);
	TAP_EQ_INT(bits, c->bits, "  '%s': flags (D=1 MISS=2 MAG=4 MNT=8 SYN=16)", c->path);
	TAP_OK(res.final_missing == 0 || res.final_missing == -ENOENT, "  '%s': final_missing %d",
	       c->path, res.final_missing);
}

/* Paths near the length limits: a directory tree where everything exists. */
static void test_lengths(const Mapping *maps)
{
	static char base[PT_PATH_MAX * 2], path[PT_PATH_MAX * 2], name[251];
	static Resolved res;
	Resolver r = { .map = &maps[0], .ops = &fake_ops, .root = "/" };
	Mapping long_map = { 0 };
	int ret;

	memset(name, 'n', 250);
	name[250] = '\0';

	/* A path of PT_PATH_MAX bytes is refused, one byte less is walked. */
	snprintf(path, sizeof(path), "/big");
	while (strlen(path) + 251 < PT_PATH_MAX)
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", name);
	while (strlen(path) < PT_PATH_MAX - 1)
		strcat(path, "/");
	ret = resolve_path(&r, "/", path, F, &res);
	TAP_EQ_INT(ret, 0, "path of %zu bytes", strlen(path));
	strcat(path, "/");
	ret = resolve_path(&r, "/", path, F, &res);
	TAP_EQ_INT(ret, -ENAMETOOLONG, "path of %zu bytes", strlen(path));

	/* The guest path grows past PT_PATH_MAX - 1 from a deep base. */
	snprintf(base, sizeof(base), "/big");
	while (strlen(base) + 251 < PT_PATH_MAX - 200)
		snprintf(base + strlen(base), sizeof(base) - strlen(base), "/%s", name);
	snprintf(path, sizeof(path), "%s/%s", name, name);
	ret = resolve_path(&r, base, path, F, &res);
	TAP_EQ_INT(ret, -ENAMETOOLONG, "guest path too long from a deep base");
	snprintf(path, sizeof(path), "%s/..", name);
	ret = resolve_path(&r, base, path, F, &res);
	TAP_EQ_INT(ret, 0, "deep base, back up");
	TAP_EQ_STR(res.guest, base, "deep base, back up: guest");

	/* The host path outgrows ret->host: a binding with a very long host. */
	{
		static char longhost[PT_PATH_MAX * 2];

		snprintf(longhost, sizeof(longhost), "/r/big");
		while (strlen(longhost) + 251 < PT_PATH_MAX + 400)
			snprintf(longhost + strlen(longhost), sizeof(longhost) - strlen(longhost), "/%s",
				 name);
		if (mapping_set_root(&long_map, "/r") < 0 ||
		    mapping_add_binding(&long_map, longhost, "/big") < 0)
			abort();
		r.map = &long_map;
		ret = resolve_path(&r, base, name, F, &res);
		TAP_EQ_INT(ret, -ENAMETOOLONG, "host path too long");
		ret = resolve_path(&r, "/big", name, F, &res);
		TAP_EQ_INT(ret, 0, "long host path that fits");
		mapping_free(&long_map);
	}
}

/* The walk must stay linear: one lstat per component, one readlink per
 * link, nothing else. */
static void test_costs(const Mapping *maps)
{
	static Resolved res;
	Resolver r = { .map = &maps[0], .ops = &fake_ops, .root = "/" };

	fake.lstats = fake.readlinks = 0;
	TAP_EQ_INT(resolve_path(&r, "/", "/a/b/c", F, &res), 0, "cost: plain");
	TAP_EQ_INT(fake.lstats, 3, "cost: 3 components, 3 lstats");
	TAP_EQ_INT(fake.readlinks, 0, "cost: no readlink");

	fake.lstats = fake.readlinks = 0;
	TAP_EQ_INT(resolve_path(&r, "/", "/abs/c", F, &res), 0, "cost: one link");
	TAP_EQ_INT(fake.lstats, 4, "cost: abs, a, b, c");
	TAP_EQ_INT(fake.readlinks, 1, "cost: one readlink");

	fake.lstats = fake.readlinks = 0;
	TAP_EQ_INT(resolve_path(&r, "/", "/a/b/../b/./c", F, &res), 0, "cost: dots");
	TAP_EQ_INT(fake.lstats, 4, "cost: '.' and '..' cost no lstat");
}

/* BASE may be a previous result: the walk must not trip over it. */
static void test_aliasing(const Mapping *maps)
{
	static Resolved res;
	Resolver r = { .map = &maps[0], .ops = &fake_ops, .root = "/" };

	TAP_EQ_INT(resolve_path(&r, "/", "/a", F, &res), 0, "alias: first");
	TAP_EQ_INT(resolve_path(&r, res.guest, "b/../../a/b/c", F, &res), 0, "alias: base is ret->guest");
	TAP_EQ_STR(res.guest, "/a/b/c", "alias: guest");
	TAP_EQ_STR(res.host, "/r/a/b/c", "alias: host");
	TAP_EQ_INT(resolve_path(&r, "/", "/a/b", F, &res), 0, "alias: chroot");
	r.root = res.guest;
	TAP_EQ_INT(resolve_path(&r, NULL, "/../../c", F, &res), 0, "alias: root is ret->guest");
	TAP_EQ_STR(res.guest, "/a/b/c", "alias: chroot guest");
}

int main(void)
{
	Mapping maps[3];

	setup(&maps[0], 0);
	setup(&maps[1], 1);
	setup(&maps[2], 2);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(maps, &cases[i]);
	test_lengths(maps);
	test_costs(maps);
	test_aliasing(maps);
	TAP_EQ_INT(fake.bad, 0, "the resolver only asked about canonical host paths (last bad: '%s')",
		   fake.last_bad);
	for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
		mapping_free(&maps[i]);
	return tap_done();
}
