/* SPDX-License-Identifier: MIT */
/* resolve_path() with fsops_host on a real tree under mkdtemp(), checked
 * against the kernel itself: openat2(rootfd, path, RESOLVE_IN_ROOT) walks a
 * path as a chroot to rootfd would, without privileges. Every case compares
 * success/errno and st_dev/st_ino; random paths over the same tree widen the
 * net. Bindings, which the kernel cannot see, are checked by inode. */

#include "path/path.h"
#include "tap.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static char top[PT_PATH_MAX];   /* canonical mkdtemp directory: the guest root */
static char other[PT_PATH_MAX]; /* a host directory bound into the guest */
static Mapping map;   /* the root plus bindings */
static Mapping plain; /* the root alone: what the kernel oracle can see */

static void die(const char *what, const char *path)
{
	printf("Bail out! %s '%s': %s\n", what, path, strerror(errno));
	exit(1);
}

static void mk(const char *base, const char *rel, char type, const char *target)
{
	char p[PT_PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	switch (type) {
	case 'd':
		if (mkdir(p, 0755) < 0)
			die("mkdir", p);
		break;
	case 'f':
		fd = open(p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			die("create", p);
		close(fd);
		break;
	case 'l':
		if (symlink(target, p) < 0)
			die("symlink", p);
		break;
	}
}

static const struct {
	const char *path;
	char type;
	const char *target;
} tree[] = {
	{ "a", 'd', NULL },
	{ "a/b", 'd', NULL },
	{ "a/b/c", 'f', NULL },
	{ "a/up", 'l', "../f" },
	{ "a/lnk", 'l', "b/c" },
	{ "a/dirlink", 'l', "../a/b/" },
	{ "a/toroot", 'l', "/" },
	{ "a/abs", 'l', "/a/b" },
	{ "a/fl", 'l', "../f/" },
	{ "f", 'f', NULL },
	{ "abs", 'l', "/a/b" },
	{ "rel", 'l', "a/b" },
	{ "esc", 'l', "../../../a" },
	{ "absesc", 'l', "/../../a/b" },
	{ "c1", 'l', "c2" },
	{ "c2", 'l', "c3" },
	{ "c3", 'l', "a" },
	{ "loop1", 'l', "loop2" },
	{ "loop2", 'l', "loop1" },
	{ "self", 'l', "self" },
	{ "dang", 'l', "nowhere" },
	{ "dangdir", 'l', "nodir/x" },
	{ "dangabs", 'l', "/a/newfile" },
	{ "dot", 'l', "." },
	{ "dotdot", 'l', ".." },
	{ "sub", 'd', NULL },
	{ "sub/x", 'd', NULL },
	{ "sub/x/y", 'f', NULL },
	{ "sub/abs", 'l', "/x" },
	{ "sub/up", 'l', "../../../x" },
	{ "sub/x/tor", 'l', "/" },
	{ "e1", 'd', NULL },
	{ "e1/e2", 'd', NULL },
	{ "lnkdir", 'l', "e1/e2" },
	{ "emptyroot", 'd', NULL },
	{ "mnt", 'd', NULL },
};

/* Chains of 41 links: l0 -> ... -> l40 -> "f", m0 -> ... -> m40 -> "a". */
#define CHAIN 41

static void build_tree(void)
{
	char tmpl[] = "/tmp/ptroot-resolve-XXXXXX", tmpl2[] = "/tmp/ptroot-bound-XXXXXX";
	char name[16], target[16];

	if (!mkdtemp(tmpl))
		die("mkdtemp", tmpl);
	/* /tmp itself may be a symlink: the root must be canonical. */
	if (!realpath(tmpl, top))
		die("realpath", tmpl);
	for (size_t i = 0; i < ARRAY_SIZE(tree); i++)
		mk(top, tree[i].path, tree[i].type, tree[i].target);
	for (int i = 0; i < CHAIN; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), i == CHAIN - 1 ? "f" : "l%d", i + 1);
		mk(top, name, 'l', target);
		snprintf(name, sizeof(name), "m%d", i);
		snprintf(target, sizeof(target), i == CHAIN - 1 ? "a" : "m%d", i + 1);
		mk(top, name, 'l', target);
	}

	if (!mkdtemp(tmpl2))
		die("mkdtemp", tmpl2);
	if (!realpath(tmpl2, other))
		die("realpath", tmpl2);
	mk(other, "file", 'f', NULL);
	mk(other, "sub", 'd', NULL);
	mk(other, "empty", 'd', NULL);
	mk(other, "abs", 'l', "/a/b");
	mk(other, "rel", 'l', "../../f");
	mk(other, "escape", 'l', "../../../..");
}

static void remove_tree(const char *dir)
{
	char cmd[PT_PATH_MAX + 32];

	/* Only ever our own mkdtemp directories. */
	if (strncmp(dir, "/tmp/ptroot-", 12) != 0 && !strstr(dir, "/ptroot-"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

/* ---- the two answers ----------------------------------------------------- */

typedef struct Answer {
	int err; /* 0 or -errno */
	dev_t dev;
	ino_t ino;
} Answer;

static bool openat2_missing;

/* The kernel's answer: openat2 with O_PATH from the root (or the base). */
static Answer kernel_answer(const char *root, const char *base, const char *path, int flags)
{
	char dir[PT_PATH_MAX * 2], kpath[PT_PATH_MAX * 2];
	struct open_how how = { .flags = O_PATH | O_CLOEXEC };
	Answer a = { 0 };
	struct stat st;
	int dfd, fd;

	if (!(flags & RESOLVE_FOLLOW))
		how.flags |= O_NOFOLLOW;
	if (flags & RESOLVE_NO_SYMLINKS_)
		how.resolve |= RESOLVE_NO_SYMLINKS;
	if (flags & (RESOLVE_BENEATH_ | RESOLVE_IN_ROOT_)) {
		/* Scoped: the base directory is the barrier itself. */
		snprintf(dir, sizeof(dir), "%s%s", top, base);
		snprintf(kpath, sizeof(kpath), "%s", path);
		if (flags & RESOLVE_BENEATH_)
			how.resolve |= RESOLVE_BENEATH;
		if (flags & RESOLVE_IN_ROOT_)
			how.resolve |= RESOLVE_IN_ROOT;
	} else {
		/* A chroot to ROOT with the cwd at BASE (canonical, under
		 * ROOT): a relative path from BASE is BASE/path from ROOT. */
		const char *rel = strcmp(root, "/") == 0 ? base : base + strlen(root);

		snprintf(dir, sizeof(dir), "%s%s", top, root);
		if (path[0] == '/' || path[0] == '\0')
			snprintf(kpath, sizeof(kpath), "%s", path);
		else
			snprintf(kpath, sizeof(kpath), ".%s/%s", rel, path);
		how.resolve |= RESOLVE_IN_ROOT;
	}
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open", dir);
	fd = (int)syscall(SYS_openat2, dfd, kpath, &how, sizeof(how));
	if (fd < 0) {
		a.err = -errno;
		if (errno == ENOSYS || errno == E2BIG)
			openat2_missing = true;
	} else if (fstat(fd, &st) < 0) {
		a.err = -errno;
	} else {
		a.dev = st.st_dev;
		a.ino = st.st_ino;
	}
	if (fd >= 0)
		close(fd);
	close(dfd);
	return a;
}

/* Ours: resolve, then stat (lstat without FOLLOW) the host path. */
static Answer our_answer(const char *root, const char *base, const char *path, int flags,
			 Resolved *res)
{
	Resolver r = { .map = &plain, .ops = &fsops_host, .root = root };
	Answer a = { 0 };
	struct stat st;
	int ret;

	ret = resolve_path(&r, base, path, flags, res);
	if (ret < 0) {
		a.err = ret;
		return a;
	}
	if (((flags & RESOLVE_FOLLOW) ? stat(res->host, &st) : lstat(res->host, &st)) < 0) {
		a.err = -errno;
		return a;
	}
	a.dev = st.st_dev;
	a.ino = st.st_ino;
	return a;
}

static bool same(const Answer *k, const Answer *o, int flags)
{
	/* A kernel quirk, not a rule: the link count lives in the nameidata
	 * for the whole syscall, so when an RCU walk gives up (-ECHILD, which
	 * a RESOLVE_BENEATH ".." at the base can cause) the ref-walk retry
	 * counts the links again and 21 links make an ELOOP; whether it
	 * happens depends on the dcache. Ours is the stable answer, EXDEV. */
	if ((flags & RESOLVE_BENEATH_) && k->err == -ELOOP && o->err == -EXDEV)
		return true;
	return k->err == o->err && (k->err < 0 || (k->dev == o->dev && k->ino == o->ino));
}

/* One comparison; prints both answers (and our host path) on a mismatch. */
/* How the kernel answered the random cases: a net that only ever caught
 * ENOENT would prove little. */
static int outcome[6];
static const char *const outcome_name[] = { "success", "ENOENT", "ENOTDIR", "ELOOP", "EXDEV",
					    "other" };

static void count_outcome(int err)
{
	int i = err == 0 ? 0 : err == -ENOENT ? 1 : err == -ENOTDIR ? 2 : err == -ELOOP ? 3 :
		err == -EXDEV ? 4 : 5;

	outcome[i]++;
}

static bool compare(const char *root, const char *base, const char *path, int flags, bool report)
{
	static Resolved res;
	Answer k, o;
	bool ok;

	res.host[0] = '\0';
	k = kernel_answer(root, base, path, flags);
	o = our_answer(root, base, path, flags, &res);
	ok = same(&k, &o, flags);
	/* The oracle is not always steady: when a lockless (RCU) walk gives up
	 * under load, the kernel walks again and counts symlinks twice, so the
	 * same path can get ELOOP once and EXDEV the next time. Our answer is
	 * deterministic; ask the kernel again before calling it a mismatch. */
	for (int retry = 0; !ok && retry < 5; retry++) {
		k = kernel_answer(root, base, path, flags);
		ok = same(&k, &o, flags);
		if (ok)
			printf("# kernel answer changed on retry %d for '%s'\n", retry + 1, path);
	}
	count_outcome(k.err);
	if (report || !ok)
		TAP_OK(ok, "root %s base %s '%s' flags %#x: kernel %d, ours %d", root, base, path,
		       flags, k.err, o.err);
	if (!ok)
		printf("#   kernel: err %d ino %lu; ours: err %d ino %lu host '%s'\n", k.err,
		       (unsigned long)k.ino, o.err, (unsigned long)o.ino, res.host);
	return ok;
}

/* ---- fixed cases --------------------------------------------------------- */

enum {
	F = RESOLVE_FOLLOW,
	BEN = RESOLVE_BENEATH_,
	INR = RESOLVE_IN_ROOT_,
	NOSYM = RESOLVE_NO_SYMLINKS_,
};

static const struct {
	const char *root, *base, *path;
	int flags;
} fixed[] = {
	{ "/", "/", "/a/b/c", F },
	{ "/", "/", "a/b/c", 0 },
	{ "/", "/a", "b/c", F },
	{ "/", "/", "/", F },
	{ "/", "/", "///", 0 },
	{ "/", "/a", ".", F },
	{ "/", "/", "a/./b/./", F },
	{ "/", "/", "", F },
	{ "/", "/", "/a/b/..", F },
	{ "/", "/", "/a/b/../..", F },
	{ "/", "/", "/..", F },
	{ "/", "/a", "../../..", F },
	{ "/", "/", "/../../a", F },
	{ "/", "/a/b", "../../f", F },
	{ "/", "/", "/a/b/c/..", F },
	{ "/", "/", "/a/b/c/.", F },
	{ "/", "/", "/a/b/c/", F },
	{ "/", "/", "/a/b/c/", 0 },
	{ "/", "/", "/a/b/c/x", F },
	{ "/", "/", "/f/", 0 },
	{ "/", "/", "/nope/x", F },
	{ "/", "/", "/nope", F },
	{ "/", "/", "/nope/", F },
	{ "/", "/", "/nope/..", F },
	{ "/", "/", "/abs/c", F },
	{ "/", "/", "/rel/c", F },
	{ "/", "/", "/abs", F },
	{ "/", "/", "/abs", 0 },
	{ "/", "/", "/abs/", 0 },
	{ "/", "/", "/a/up", F },
	{ "/", "/", "/a/up/", F },
	{ "/", "/", "/esc", F },
	{ "/", "/", "/absesc/c", F },
	{ "/", "/", "/c1/b", F },
	{ "/", "/", "/c1", F },
	{ "/", "/", "/c1", 0 },
	{ "/", "/", "/c1/..", F },
	{ "/", "/", "/a/lnk", 0 },
	{ "/", "/", "/a/lnk", F },
	{ "/", "/", "/a/lnk/", 0 },
	{ "/", "/", "/a/dirlink", F },
	{ "/", "/", "/a/dirlink", 0 },
	{ "/", "/", "/a/fl", F },
	{ "/", "/", "/a/toroot", F },
	{ "/", "/", "/a/toroot/a/abs/c", F },
	{ "/", "/", "/dot", F },
	{ "/", "/", "/dotdot", F },
	{ "/", "/", "/loop1", F },
	{ "/", "/", "/loop1", 0 },
	{ "/", "/", "/loop1/x", 0 },
	{ "/", "/", "/self/", 0 },
	{ "/", "/", "/l1", F },
	{ "/", "/", "/l0", F },
	{ "/", "/", "/l0", 0 },
	{ "/", "/", "/m1/b/c", F },
	{ "/", "/", "/m0/b/c", F },
	{ "/", "/", "/c2/../m2/b", F },
	{ "/", "/", "/c3/../m2/b", F },
	{ "/", "/", "/dang", F },
	{ "/", "/", "/dang", 0 },
	{ "/", "/", "/dang/", 0 },
	{ "/", "/", "/dang/x", F },
	{ "/", "/", "/dangdir", F },
	{ "/", "/", "/dangabs", F },
	{ "/", "/", "/sub/x/tor", F },
	{ "/sub", "/sub", "/x/y", F },
	{ "/sub", "/sub", "/..", F },
	{ "/sub", "/sub", "/", F },
	{ "/sub", "/sub", "/../../x", F },
	{ "/sub", "/sub", "/abs", F },
	{ "/sub", "/sub", "/up/y", F },
	{ "/sub", "/sub", "x/..", F },
	{ "/sub", "/sub/x", "../../../x/y", F },
	{ "/sub", "/sub/x", "tor/x", F },
	{ "/", "/a", "b/c", BEN },
	{ "/", "/a", "/a/b", BEN },
	{ "/", "/a", "..", BEN },
	{ "/", "/a", "b/..", BEN },
	{ "/", "/a", "b/../..", BEN },
	{ "/", "/a", "abs", BEN | F },
	{ "/", "/a", "abs", BEN },
	{ "/", "/a", "up", BEN | F },
	{ "/", "/a", "lnk", BEN | F },
	{ "/", "/a", "/b/c", INR },
	{ "/", "/a", "..", INR },
	{ "/", "/a", "../b", INR },
	{ "/", "/a", "abs", INR | F },
	{ "/", "/a", "toroot", INR | F },
	{ "/", "/a", "up", INR | F },
	{ "/", "/a", "/", INR | BEN },
	{ "/", "/a", "/b", INR | BEN },
	{ "/", "/a", "abs", INR | BEN | F },
	{ "/", "/", "/abs/c", NOSYM },
	{ "/", "/", "/abs", NOSYM | F },
	{ "/", "/", "/abs", NOSYM },
	{ "/", "/", "/abs/", NOSYM },
	{ "/", "/", "/a/b/c", NOSYM | F },
};

static void test_fixed(void)
{
	char p[PT_PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		compare(fixed[i].root, fixed[i].base, fixed[i].path, fixed[i].flags, true);

	/* NAME_MAX: 255 bytes is a name, 256 is too long (the kernel's file
	 * system says so; we say it first). */
	snprintf(p, sizeof(p), "/a/%0255d", 0);
	compare("/", "/", p, F, true);
	snprintf(p, sizeof(p), "/a/%0256d", 0);
	compare("/", "/", p, F, true);
	snprintf(p, sizeof(p), "/f/%0256d", 0);
	compare("/", "/", p, F, true);
}

/* ---- random paths over the same tree ------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: deterministic, so a failure can be replayed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

/* A random entry (or "." or "..") of the directory that PATH, so far,
 * names in the kernel's view; NULL when that is no directory. */
static const char *pick_entry(const char *root, const char *base, const char *path)
{
	static char name[256];
	char dir[PT_PATH_MAX * 2], kpath[PT_PATH_MAX * 2];
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	const char *rel = strcmp(root, "/") == 0 ? base : base + strlen(root);
	struct dirent *de;
	unsigned seen = 0;
	DIR *d;
	int dfd, fd;

	snprintf(dir, sizeof(dir), "%s%s", top, root);
	if (path[0] == '/')
		snprintf(kpath, sizeof(kpath), "%s/.", path);
	else
		snprintf(kpath, sizeof(kpath), ".%s/%s/.", rel, path);
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open", dir);
	fd = (int)syscall(SYS_openat2, dfd, kpath, &how, sizeof(how));
	close(dfd);
	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	/* Reservoir sampling: one pass, uniform. */
	while ((de = readdir(d))) {
		if (rnd(++seen) == 0)
			snprintf(name, sizeof(name), "%s", de->d_name);
	}
	closedir(d);
	return seen ? name : NULL;
}

static void test_random(int n)
{
	static const char *const tokens[] = {
		"a", "b", "c", "f", "abs", "rel", "up", "esc", "absesc", "c1", "c3", "loop1", "self",
		"dang", "dangdir", "dangabs", "dot", "dotdot", "dirlink", "toroot", "lnk", "fl",
		"sub", "x", "y", "tor", "l1", "l30", "m1", "m38", "nope", ".", "..", "..", ".", "e1",
		"e2", "lnkdir",
	};
	static const char *const bases[] = { "/", "/a", "/a/b", "/sub", "/sub/x", "/e1/e2" };
	static const int modes[] = { 0, 0, 0, 0, BEN, INR, NOSYM, 0, BEN, INR, NOSYM, INR | BEN };
	int failed = 0;

	memset(outcome, 0, sizeof(outcome));
	for (int i = 0; i < n; i++) {
		char path[512] = "";
		const char *root = "/", *base = bases[rnd(ARRAY_SIZE(bases))];
		int k = 1 + (int)rnd(6);
		int flags = modes[rnd(ARRAY_SIZE(modes))] | (rnd(2) ? F : 0);

		if (strncmp(base, "/sub", 4) == 0 && rnd(2))
			root = "/sub";
		if (rnd(4) == 0)
			strcat(path, "/");
		for (int j = 0; j < k; j++) {
			/* Mostly a name that exists where the kernel got to,
			 * so that walks go deep; sometimes any token. */
			const char *name = rnd(4) ? pick_entry(root, base, path) : NULL;

			strcat(path, name ? name : tokens[rnd(ARRAY_SIZE(tokens))]);
			if (j < k - 1)
				strcat(path, rnd(8) ? "/" : "//");
		}
		switch (rnd(6)) {
		case 0:
			strcat(path, "/");
			break;
		case 1:
			strcat(path, "/.");
			break;
		case 2:
			strcat(path, "/..");
			break;
		}
		if (!compare(root, base, path, flags, false) && ++failed >= 20)
			break;
	}
	TAP_EQ_INT(failed, 0, "%d random paths: ours and the kernel's agree", n);
	printf("# kernel answers:");
	for (size_t i = 0; i < ARRAY_SIZE(outcome); i++)
		printf(" %s %d", outcome_name[i], outcome[i]);
	printf("\n");
}

/* ---- bindings: the kernel cannot see them, inodes can -------------------- */

static void expect_ino(const char *path, int flags, const char *want_host, const char *want_guest)
{
	static Resolved res;
	Resolver r = { .map = &map, .ops = &fsops_host, .root = "/" };
	struct stat a, b;
	int ret;

	ret = resolve_path(&r, "/", path, flags, &res);
	TAP_EQ_INT(ret, 0, "binding: '%s' resolves", path);
	if (ret < 0)
		return;
	TAP_EQ_STR(res.guest, want_guest, "binding: '%s' guest", path);
	if (stat(res.host, &a) < 0 || stat(want_host, &b) < 0) {
		TAP_OK(false, "binding: '%s' stat '%s' / '%s': %s", path, res.host, want_host,
		       strerror(errno));
		return;
	}
	TAP_OK(a.st_dev == b.st_dev && a.st_ino == b.st_ino, "binding: '%s' is '%s' (host '%s')",
	       path, want_host, res.host);
}

static void test_bindings(void)
{
	char p[3][PT_PATH_MAX * 2];

	snprintf(p[0], sizeof(p[0]), "%s/file", other);
	expect_ino("/mnt/b/file", F, p[0], "/mnt/b/file");
	snprintf(p[0], sizeof(p[0]), "%s/mnt", top);
	expect_ino("/mnt/b/..", F, p[0], "/mnt");
	snprintf(p[0], sizeof(p[0]), "%s/f", top);
	expect_ino("/mnt/b/../../f", F, p[0], "/f");
	expect_ino("/mnt/b/rel", F, p[0], "/f");
	snprintf(p[0], sizeof(p[0]), "%s/a/b/c", top);
	expect_ino("/mnt/b/abs/c", F, p[0], "/a/b/c");
	expect_ino("/mnt/b/escape", F, top, "/");
	expect_ino("/mnt/b/sub/..", F, other, "/mnt/b");
	expect_ino("/mnt/b/.", F, other, "/mnt/b");
	expect_ino("/mnt/b", F, other, "/mnt/b");
	/* /opt/x/y is bound but /opt is not in the rootfs */
	snprintf(p[1], sizeof(p[1]), "%s/file", other);
	expect_ino("/opt/x/y/file", F, p[1], "/opt/x/y/file");
	snprintf(p[2], sizeof(p[2]), "%s/f", top);
	expect_ino("/opt/x/y/../../../f", F, p[2], "/f");
}

/* ---- harmlessness: what a final "." or ".." hands to rmdir --------------- */

static bool exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

static void expect_rmdir_refused(const Mapping *m, const char *base, const char *path, int flags,
				 const char *survivor)
{
	static Resolved res;
	Resolver r = { .map = m, .ops = &fsops_host, .root = "/" };
	int ret, e;

	ret = resolve_path(&r, base, path, flags, &res);
	TAP_EQ_INT(ret, 0, "rmdir: '%s' resolves", path);
	if (ret < 0)
		return;
	e = rmdir(res.host) < 0 ? errno : 0;
	TAP_OK(e == EINVAL || e == ENOTEMPTY || e == EBUSY || e == ENOTDIR,
	       "rmdir: '%s' -> host '%s' refused (%s)", path, res.host, strerror(e));
	TAP_OK(exists(survivor), "rmdir: '%s' left '%s' in place", path, survivor);
}

static void test_rmdir(void)
{
	char e1[PT_PATH_MAX * 2], e2[PT_PATH_MAX * 2], er[PT_PATH_MAX * 2], oe[PT_PATH_MAX * 2];
	Mapping empty = { 0 };
	static Resolved res;
	Resolver r = { .map = &empty, .ops = &fsops_host, .root = "/" };

	snprintf(e1, sizeof(e1), "%s/e1", top);
	snprintf(e2, sizeof(e2), "%s/e1/e2", top);
	snprintf(er, sizeof(er), "%s/emptyroot", top);
	snprintf(oe, sizeof(oe), "%s/empty", other);

	/* The kernel says ENOTEMPTY / EINVAL for ".." / "." and removes nothing. */
	expect_rmdir_refused(&map, "/", "/e1/e2/..", 0, e1);
	expect_rmdir_refused(&map, "/", "/e1/e2/.", 0, e2);
	expect_rmdir_refused(&map, "/e1/e2", ".", 0, e2);
	expect_rmdir_refused(&map, "/e1/e2", "..", 0, e1);
	/* RESOLVE_PARENT_: "lnkdir/" is the link, not the empty e2 behind it */
	expect_rmdir_refused(&map, "/", "/lnkdir/", RESOLVE_PARENT_, e2);
	/* ".." of a binding's mount point must not reach the binding's host
	 * parent; an empty bound directory stays */
	expect_rmdir_refused(&map, "/", "/mnt/e/..", 0, oe);
	expect_rmdir_refused(&map, "/", "/mnt/e/.", 0, oe);

	/* An empty guest root: "/", "/.." and ".." must never hand the root's
	 * host path itself to rmdir. */
	if (mapping_set_root(&empty, er) < 0)
		die("mapping_set_root", er);
	expect_rmdir_refused(&empty, "/", "/", RESOLVE_PARENT_, er);
	expect_rmdir_refused(&empty, "/", "/..", RESOLVE_PARENT_, er);
	expect_rmdir_refused(&empty, "/", "..", RESOLVE_PARENT_, er);
	expect_rmdir_refused(&empty, "/", "/./../.", RESOLVE_PARENT_, er);
	TAP_EQ_INT(resolve_path(&r, "/", "/", 0, &res), 0, "empty root: '/'");
	TAP_OK(res.mountpoint, "empty root: '/' is flagged as a mount point");
	mapping_free(&empty);
}

int main(void)
{
	char mnt[PT_PATH_MAX * 2], empty[PT_PATH_MAX * 2];

	build_tree();
	if (mapping_set_root(&plain, top) < 0)
		die("mapping", top);
	if (mapping_set_root(&map, top) < 0 || mapping_add_binding(&map, other, "/mnt/b") < 0 ||
	    mapping_add_binding(&map, other, "/opt/x/y") < 0)
		die("mapping", top);
	snprintf(mnt, sizeof(mnt), "%s/mnt", top);
	snprintf(empty, sizeof(empty), "%s/empty", other);
	if (mapping_add_binding(&map, empty, "/mnt/e") < 0)
		die("mapping", empty);

	/* openat2 is the oracle: without it this test proves nothing, so it
	 * fails rather than skips (Linux >= 5.6; CI kernels have it). */
	kernel_answer("/", "/", "/a", F);
	TAP_OK(!openat2_missing, "openat2(2) is available (the kernel is the oracle)");
	if (openat2_missing) {
		mapping_free(&map);
		mapping_free(&plain);
		remove_tree(top);
		remove_tree(other);
		return tap_done();
	}

	test_fixed();
	/* PTROOT_TEST_SEED=N replays or widens the random walk. */
	if (getenv("PTROOT_TEST_SEED"))
		rng = strtoull(getenv("PTROOT_TEST_SEED"), NULL, 0) | 1;
	printf("# seed %#llx\n", (unsigned long long)rng);
	test_random(20000);
	test_bindings();
	test_rmdir();

	mapping_free(&map);
	mapping_free(&plain);
	remove_tree(top);
	remove_tree(other);
	return tap_done();
}
