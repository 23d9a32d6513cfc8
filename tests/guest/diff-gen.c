/* SPDX-License-Identifier: MIT */
/* The differential test generator (issue 4, tests/diff/run.sh,
 * tests/integration/diff.t, `make fuzz-diff`).
 *
 *   diff-gen build SEED DIR [-u] [-p LEN]
 *                                   on the host: DIR/root (the guest root),
 *                                   DIR/b1, DIR/b2, DIR/bf (bind sources);
 *                                   prints the bindings, HOST:GUEST a line
 *   diff-gen native ROOT [HOST:GUEST]... -- ARGS...
 *                                   as (namespace) root in a private mount
 *                                   namespace: bind, chroot ROOT, exec ARGS;
 *                                   the bindings' guest paths resolve in the
 *                                   guest (symlinks in them are followed)
 *   diff-gen run SEED NCASES [-u] [-p LEN]
 *                                   in the guest: NCASES random path syscalls
 *                                   on the tree of SEED, one transcript line
 *                                   each, then a dump of the guest tree
 *   diff-gen hostdump DIR           on the host: the host side of DIR
 *
 * The transcript holds only what a program can see and must see alike under
 * ptroot and under a real chroot: return values, errno names, types, modes,
 * sizes, link counts of non-directories, link targets, contents, getcwd,
 * readlink of /proc/self/fd/N, directory listings. Never inode or device
 * numbers, times, owners or descriptor numbers.
 *
 * -u (the runs as an unprivileged user): the native oracle is then root in a
 * user namespace, which passes every permission check on the user's files,
 * while ptroot runs as the user. So -u only uses modes for which the owner
 * and root answer alike: rw for the owner on every file, rwx on every
 * directory; only the x bits of files vary (all or none).
 *
 * -k: also make what hits the divergences not fixed yet, left out otherwise
 * (each place says which; docs/guarantees.md lists them). -p LEN: the
 * length of the root's host path, so that the deepest host path is 4094
 * bytes (-p 0: the deepest guest path is).
 *
 * The tree and the candidate names are regenerated from SEED in both modes,
 * so "run" knows the names that "build" made (and names that do not exist). */
#include "guest.h"

#include <stdint.h>
#include <sys/mount.h>

#ifndef SYS_statx
#define SYS_statx 383
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif
#ifndef SYS_renameat2
#ifdef __x86_64__
#define SYS_renameat2 316
#else
#define SYS_renameat2 353
#endif
#endif

#define RES_NO_XDEV 0x01
#define RES_NO_MAGICLINKS 0x02
#define RES_NO_SYMLINKS 0x04
#define RES_BENEATH 0x08
#define RES_IN_ROOT 0x10

struct open_how_ {
	uint64_t flags, mode, resolve;
};

struct statx_ts_ {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};
struct statx_ {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_ts_ t[4];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

/* ------------------------------------------------------------- random --- */

static uint64_t rs;

static void rseed(uint64_t s)
{
	rs = s * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!rs)
		rs = 1;
}

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ULL;
}

static unsigned rn(unsigned n)
{
	return n ? (unsigned)(rnd() % n) : 0;
}

/* true with probability P percent */
static int pc(unsigned p)
{
	return rn(100) < p;
}

static char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (!r)
		abort();
	return r;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *r;

	va_start(ap, f);
	if (vasprintf(&r, f, ap) < 0)
		abort();
	va_end(ap);
	return r;
}

/* --------------------------------------------------------------- tree --- */

/* Areas: where an entry lives on the host, and its guest base. */
enum { A_ROOT, A_B1, A_B2, A_BF, N_AREAS };
static const char *area_host[N_AREAS] = { "root", "b1", "b2", "bf" };
static char *area_guest[N_AREAS]; /* guest path of the area's base ("" = /) */

struct ent {
	int area;
	char *rel;   /* relative to the area's base; "" is the base itself */
	char type;   /* 'd', 'f', 'l', 'x' (a copy of this program) */
	char *data;  /* symlink target or file content */
	int mode;
	int hidden;  /* under a mount point: shadowed, not a candidate */
};

#define MAX_ENTS 400
static struct ent ents[MAX_ENTS];
static int n_ents;
static int user_mode;
static int known_bugs; /* -k: also what hits the known bugs (see below) */
static size_t host_prefix; /* -p LEN: the length of the root's host path */
static char *deep;  /* guest path of the bottom of the deep chain */

static char *guest_of(const struct ent *e)
{
	if (!*e->rel)
		return xstrdup(*area_guest[e->area] ? area_guest[e->area] : "/");
	return fmt("%s/%s", area_guest[e->area], e->rel);
}

static struct ent *find_ent(int area, const char *rel)
{
	for (int i = 0; i < n_ents; i++)
		if (ents[i].area == area && !strcmp(ents[i].rel, rel))
			return &ents[i];
	return NULL;
}

static struct ent *add(int area, const char *rel, char type, const char *data, int mode)
{
	if (n_ents >= MAX_ENTS || find_ent(area, rel))
		return NULL;
	struct ent *e = &ents[n_ents++];
	e->area = area;
	e->rel = xstrdup(rel);
	e->type = type;
	e->data = data ? xstrdup(data) : NULL;
	e->mode = mode;
	return e;
}

static char *child_rel(const struct ent *dir, const char *name)
{
	return *dir->rel ? fmt("%s/%s", dir->rel, name) : xstrdup(name);
}

static const char *short_names[] = { "a", "b", "c", "d", "e", "f", "sub", "lnk", "x", "y", "z", "dir" };
#define N_SHORT (int)(sizeof(short_names) / sizeof(short_names[0]))

static char long_name[NAME_MAX + 2], long_name1[NAME_MAX + 2];

static int file_mode(void)
{
	static const int um[] = { 0644, 0755, 0644, 0600, 0700 };
	static const int rm[] = { 0644, 0755, 0600, 0000, 0111, 0444, 0700, 0644 };
	return user_mode ? um[rn(5)] : rm[rn(8)];
}

static int dir_mode(void)
{
	static const int rm[] = { 0755, 0755, 0755, 0700, 0555, 0000, 0111, 0777 };
	return user_mode ? (pc(80) ? 0755 : 0700) : rm[rn(8)];
}

static struct ent *pick_dir(int area_mask)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct ent *e = &ents[rn(n_ents)];
		if (e->type == 'd' && (area_mask & (1 << e->area)) && !e->hidden)
			return e;
	}
	return NULL;
}

/* Is guest path A equal to or below B? */
static int below(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == 0 || a[n] == '/');
}

static char *random_target(const struct ent *link)
{
	const struct ent *o = &ents[rn(n_ents)];
	char *g = guest_of(o);
	/* known limit: a walk through a link into the deep chain can make
	 * guest paths longer than PATH_MAX, which ptroot refuses
	 * (ENAMETOOLONG) where the kernel walks on; without -k, no link
	 * leads there */
	if (!known_bugs && strlen(g) > 2000) {
		free(g);
		g = xstrdup("/w/L");
	}
	char *r;
	const char *base = strrchr(g, '/');
	base = base ? base + 1 : g;
	switch (rn(16)) {
	case 0: case 1: case 2:
		return g;
	case 3: case 4: case 5: {
		/* relative: some ".." then the other's last components */
		int up = rn(4);
		r = xstrdup("");
		for (int i = 0; i < up; i++) {
			char *t = fmt("%s../", r);
			free(r);
			r = t;
		}
		char *t = fmt("%s%s", r, *base ? base : ".");
		free(r);
		free(g);
		return t;
	}
	case 6: free(g); return xstrdup("..");
	case 7: free(g); return xstrdup(pc(50) ? "../.." : "../../../../../..");
	case 8: free(g); return xstrdup(pc(50) ? "/" : ".");
	case 9: { /* a loop or a chain through itself */
		const char *me = strrchr(link->rel, '/');
		free(g);
		return fmt("%s%s", me ? me + 1 : link->rel, pc(50) ? "" : "/x");
	}
	case 10: free(g); return xstrdup(pc(50) ? "/nowhere/x" : "missing");
	case 11: r = fmt("/proc/self/root%s", g); free(g); return r;
	case 12:
		/* without -k, no link to /proc/self/cwd: from a deep cwd, walks
		 * through it pass PATH_MAX in guest terms (a known limit) */
		free(g);
		return xstrdup(pc(50) && known_bugs ? "/proc/self/cwd" : "/proc/self/root/w/../w");
	case 13: r = fmt("%s/", g); free(g); return r;
	case 14: r = fmt("%s/..", g); free(g); return r;
	default: r = fmt("%s%s", pc(50) ? "./" : "../", base); free(g); return r;
	}
}

/* The tree of SEED: the same in "build" and "run". */
static void gen_tree(uint64_t seed)
{
	rseed(seed);
	memset(long_name, 'N', NAME_MAX);
	long_name[NAME_MAX] = 0;
	memset(long_name1, 'M', NAME_MAX + 1);
	long_name1[NAME_MAX + 1] = 0;
	area_guest[A_ROOT] = "";
	add(A_ROOT, "", 'd', NULL, 0755);
	add(A_ROOT, "w", 'd', NULL, 0755);
	add(A_ROOT, "tmp", 'd', NULL, 01777);
	add(A_B1, "", 'd', NULL, 0755);
	add(A_B2, "", 'd', NULL, 0755);

	int n = 20 + rn(30);
	for (int i = 0; i < n; i++) {
		struct ent *p = pick_dir(pc(75) ? 1 << A_ROOT : (1 << A_B1) | (1 << A_B2));
		if (!p || !strcmp(p->rel, "tmp") || (p->area == A_ROOT && !*p->rel))
			continue;
		char *rel = child_rel(p, short_names[rn(N_SHORT)]);
		unsigned t = rn(100);
		if (t < 35)
			add(p->area, rel, 'd', NULL, dir_mode());
		else if (t < 65) {
			char *c = fmt("content of %s\n", rel);
			add(p->area, rel, 'f', c, file_mode());
			free(c);
		} else
			add(p->area, rel, 'l', NULL, 0777);
		free(rel);
	}
	/* names of NAME_MAX */
	struct ent *p = pick_dir(1 << A_ROOT | 1 << A_B1);
	if (p && (*p->rel || p->area != A_ROOT)) {
		char *rel = child_rel(p, long_name);
		add(p->area, rel, pc(50) ? 'd' : 'f', "long\n", user_mode ? 0755 : 0755);
		free(rel);
	}
	/* a symlink loop pair and a self loop */
	p = pick_dir(1 << A_ROOT);
	if (p && *p->rel) {
		char *a = child_rel(p, "lA"), *b = child_rel(p, "lB");
		add(A_ROOT, a, 'l', "lB", 0777);
		add(A_ROOT, b, 'l', pc(50) ? "lA" : "./lA/", 0777);
		free(a);
		free(b);
	}
	add(A_ROOT, "w/self", 'l', "self", 0777);
	/* a file where a directory is expected */
	add(A_ROOT, "w/file", 'f', "a file\n", user_mode ? 0644 : file_mode());
	add(A_ROOT, "w/up", 'l', "..", 0777);

	/* programs: a copy of this one, scripts, non-executables */
	p = pick_dir(1 << A_ROOT | 1 << A_B1);
	if (p && (*p->rel || p->area != A_ROOT)) {
		char *rel = child_rel(p, "prog");
		add(p->area, rel, 'x', NULL, 0755);
		free(rel);
	}
	static const struct {
		const char *name, *text;
		int mode;
	} progs[] = {
		{ "sh1", "#!/diff-gen\n", 0755 },
		{ "sh2", "#!/w/nothing\n", 0755 },
		{ "sh3", "#!/diff-gen\n", 0644 },
		{ "sh4", "#!/w/file\n", 0755 },
		{ "sh5", "#!/w\n", 0755 },
		{ "sh6", "#!", 0755 },
		{ "empty", "", 0755 },
		{ "junk", "junk\n", 0755 },
	};
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		/* -k only: sh4, sh5 (an interpreter that is not executable,
		 * a directory: EACCES) and sh6 ("#!", no interpreter: EACCES
		 * natively) were known bugs of src/exec when the regression
		 * seeds were taken (all fixed since). Left out without -k,
		 * which keeps the trees of the seeds. */
		if (!known_bugs && (!strcmp(progs[i].name, "sh4") || !strcmp(progs[i].name, "sh5") ||
				    !strcmp(progs[i].name, "sh6")))
			continue;
		p = pick_dir(1 << A_ROOT | 1 << A_B1 | 1 << A_B2);
		if (!p || (p->area == A_ROOT && !*p->rel) || !strcmp(p->rel, "tmp"))
			p = find_ent(A_ROOT, "w");
		char *rel = child_rel(p, progs[i].name);
		add(p->area, rel, 'f', progs[i].text, progs[i].mode);
		free(rel);
	}

	/* the mount point of b1, with a file that the binding hides */
	add(A_ROOT, "w/m", 'd', NULL, 0755);
	add(A_ROOT, "w/m/hidden", 'f', "hidden by b1\n", 0644)->hidden = 1;
	area_guest[A_B1] = "/w/m";
	/* b2 is bound over the symlink w/sl: it lands on the symlink's
	 * target, a directory of the root that is not an ancestor of w/m */
	struct ent *d = NULL;
	for (int tries = 0; tries < 50 && !d; tries++) {
		struct ent *c = pick_dir(1 << A_ROOT);
		if (c && *c->rel && strcmp(c->rel, "w") && strcmp(c->rel, "tmp") && !below("w/m", c->rel) &&
		    !below(c->rel, "w/m") && !below(c->rel, "w/L"))
			d = c;
	}
	if (!d)
		d = add(A_ROOT, "w/dd", 'd', NULL, 0755);
	area_guest[A_B2] = fmt("/%s", d->rel);
	if (pc(50))
		add(A_ROOT, "w/sl", 'l', area_guest[A_B2], 0777);
	else {
		char *t = !strncmp(d->rel, "w/", 2) && pc(50) ? xstrdup(d->rel + 2) : fmt("../%s", d->rel);
		add(A_ROOT, "w/sl", 'l', t, 0777);
		free(t);
	}
	/* the bound file, over a file of the root */
	struct ent *bf = NULL;
	for (int tries = 0; tries < 50 && !bf; tries++) {
		struct ent *c = &ents[rn(n_ents)];
		if (c->area == A_ROOT && c->type == 'f' && !c->hidden && !below(c->rel, d->rel) &&
		    !below(c->rel, "w/m") && strcmp(c->rel, "w/file"))
			bf = c;
	}
	if (!bf)
		bf = add(A_ROOT, "w/bfile", 'f', "under the bound file\n", 0644);
	area_guest[A_BF] = fmt("/%s", bf->rel);
	add(A_BF, "", 'f', "the bound file\n", user_mode ? 0644 : file_mode());

	/* a deep chain whose bottom is near PATH_MAX: its deepest file has a
	 * host path of 4094 bytes when the runner gives the length of the
	 * root's host path (-p LEN), a guest path of 4094 bytes with -p 0 */
	add(A_ROOT, "w/L", 'd', NULL, 0755);
	char *rel = xstrdup("w/L");
	size_t budget = 4094 - (host_prefix < 3000 ? host_prefix : 3000) - 74;
	for (int i = 0; i < 16 && strlen(rel) + 1 < budget; i++) {
		char comp[251];
		size_t room = budget - strlen(rel) - 2;
		size_t len = room > 250 ? 250 : room;
		memset(comp, 'a' + i, len);
		comp[len] = 0;
		char *t = fmt("%s/%s", rel, comp);
		free(rel);
		rel = t;
		add(A_ROOT, rel, 'd', NULL, 0755);
	}
	deep = fmt("/%s", rel);
	{
		char n1[80];
		size_t room = 4094 - (host_prefix < 3000 ? host_prefix : 3000) - strlen(deep) - 1;
		if (room > 78)
			room = 78;
		memset(n1, 'q', room);
		n1[room] = 0;
		char *t = fmt("%s/%s", rel, n1);
		add(A_ROOT, t, 'f', "deep\n", 0644);
		free(t);
		t = fmt("%s/up", rel);
		add(A_ROOT, t, 'l', "../../..", 0777);
		free(t);
		t = fmt("%s/f", rel);
		add(A_ROOT, t, 'f', "bottom\n", 0644);
		free(t);
	}
	free(rel);

	/* entries under the bound-over directories are shadowed */
	for (int i = 0; i < n_ents; i++) {
		struct ent *e = &ents[i];
		if (e->area != A_ROOT)
			continue;
		char *g = guest_of(e);
		if ((below(g, area_guest[A_B2]) && strcmp(g, area_guest[A_B2])) ||
		    (below(g, "/w/m") && strcmp(g, "/w/m")))
			e->hidden = 1;
		free(g);
	}
	/* symlink targets, now that all the names exist */
	for (int i = 0; i < n_ents; i++)
		if (ents[i].type == 'l' && !ents[i].data)
			ents[i].data = random_target(&ents[i]);
}

/* -------------------------------------------------------------- build --- */

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "diff-gen: %s %s: %s\n", what, arg, strerror(errno));
	exit(2);
}

/* open the parent of REL below DIRFD (REL may be longer than PATH_MAX in
 * host terms): returns a dirfd and the last component in *last */
static int walk_parent(int dirfd, const char *rel, const char **last)
{
	int fd = dup(dirfd);
	const char *s = rel, *slash;
	while ((slash = strchr(s, '/'))) {
		char comp[NAME_MAX + 2];
		size_t len = (size_t)(slash - s);
		if (len > NAME_MAX)
			len = NAME_MAX + 1;
		memcpy(comp, s, len);
		comp[len] = 0;
		int nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0)
			die("openat", comp);
		close(fd);
		fd = nfd;
		s = slash + 1;
	}
	*last = s;
	return fd;
}

static void copy_self(int dfd, const char *name)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int out = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	char buf[65536];
	ssize_t n;

	if (in < 0 || out < 0)
		die("copy", name);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write", name);
	close(in);
	close(out);
}

static int build(uint64_t seed, const char *dir)
{
	gen_tree(seed);
	umask(0);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die("mkdir", dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open", dir);
	int afd[N_AREAS];
	for (int a = 0; a < N_AREAS; a++) {
		if (a == A_BF) {
			afd[a] = -1;
			continue;
		}
		if (mkdirat(dfd, area_host[a], 0755) < 0)
			die("mkdir", area_host[a]);
		afd[a] = openat(dfd, area_host[a], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	/* what the guest needs */
	mkdirat(afd[A_ROOT], "proc", 0755);
	copy_self(afd[A_ROOT], "diff-gen");
	/* directories first (with a mode that lets us fill them), then the
	 * rest, then the directories' modes */
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < n_ents; i++) {
			struct ent *e = &ents[i];
			if (e->area == A_BF) {
				if (pass == 1) {
					int fd = openat(dfd, "bf", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, e->mode);
					if (fd < 0 || write(fd, e->data, strlen(e->data)) < 0)
						die("create", "bf");
					close(fd);
				}
				continue;
			}
			if (!*e->rel) {
				if (pass == 2)
					fchmod(afd[e->area], e->mode);
				continue;
			}
			const char *last;
			int pfd = walk_parent(afd[e->area], e->rel, &last);
			if (pass == 0 && e->type == 'd') {
				if (mkdirat(pfd, last, 0755) < 0)
					die("mkdir", e->rel);
			} else if (pass == 1 && e->type == 'f') {
				int fd = openat(pfd, last, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, e->mode);
				if (fd < 0)
					die("create", e->rel);
				if (write(fd, e->data, strlen(e->data)) < 0)
					die("write", e->rel);
				close(fd);
			} else if (pass == 1 && e->type == 'x') {
				copy_self(pfd, last);
			} else if (pass == 1 && e->type == 'l') {
				if (symlinkat(e->data, pfd, last) < 0)
					die("symlink", e->rel);
			} else if (pass == 2 && e->type == 'd') {
				if (fchmodat(pfd, last, e->mode, 0) < 0)
					die("chmod", e->rel);
			}
			close(pfd);
		}
	}
	/* the bindings, for the runner (the root's /proc is its own) */
	char *abs = realpath(dir, NULL);
	if (!abs)
		die("realpath", dir);
	printf("%s/b1:%s\n", abs, area_guest[A_B1]);
	printf("%s/b2:/w/sl\n", abs);
	printf("%s/bf:%s\n", abs, area_guest[A_BF]);
	return 0;
}

/* ------------------------------------------------------------- native --- */

static int native(int argc, char **argv)
{
	const char *root = argv[2];
	int i = 3, fds[64], n = 0;
	char *guests[64];

	/* /proc first, on the host path: the other sources are bound through
	 * /proc/self/fd once in the chroot, so that the guest paths resolve
	 * as the guest sees them (a binding over a symlink follows it) */
	char *proc = fmt("%s/proc", root);
	if (mount("/proc", proc, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("mount /proc on", proc);
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		char *colon = strchr(argv[i], ':');
		if (!colon || n >= 64) {
			fprintf(stderr, "diff-gen: bad binding %s\n", argv[i]);
			return 2;
		}
		*colon = 0;
		fds[n] = open(argv[i], O_PATH | O_CLOEXEC);
		if (fds[n] < 0)
			die("open", argv[i]);
		guests[n++] = colon + 1;
	}
	if (i >= argc) {
		fprintf(stderr, "diff-gen: native: no command\n");
		return 2;
	}
	if (chroot(root) < 0 || chdir("/") < 0)
		die("chroot", root);
	for (int k = 0; k < n; k++) {
		char src[64];
		snprintf(src, sizeof(src), "/proc/self/fd/%d", fds[k]);
		if (mount(src, guests[k], NULL, MS_BIND | MS_REC, NULL) < 0)
			die("mount on", guests[k]);
		close(fds[k]);
	}
	execv(argv[i + 1], argv + i + 1);
	die("exec", argv[i + 1]);
	return 2;
}

/* --------------------------------------------------------------- dump --- */

/* A path for the transcript: long ones abbreviated the same way on both
 * sides. */
static const char *shorten(const char *s)
{
	static char buf[4][200], clean[4][PATH_MAX * 2 + 8];
	static int k;

	/* process ids differ from run to run: "/proc/123" is "/proc/PID", and
	 * so is a number alone (readlink of /proc/self) */
	k = (k + 1) % 4;
	if (strstr(s, "/proc/") || (*s >= '0' && *s <= '9')) {
		size_t j = 0;
		if (strspn(s, "0123456789") == strlen(s)) {
			s = "PID";
		} else {
			for (const char *q = s; *q && j < sizeof(clean[k]) - 8;) {
				if (!strncmp(q, "/proc/", 6) && q[6] >= '0' && q[6] <= '9') {
					memcpy(clean[k] + j, "/proc/PID", 9);
					j += 9;
					q += 6;
					while (*q >= '0' && *q <= '9')
						q++;
				} else {
					clean[k][j++] = *q++;
				}
			}
			clean[k][j] = 0;
			s = clean[k];
		}
	}
	size_t n = strlen(s);
	if (n < 160)
		return s;
	snprintf(buf[k], sizeof(buf[k]), "%.60s...[%zu]...%s", s, n, s + n - 60);
	return buf[k];
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

/* the content of an open file: up to 64 bytes escaped, or size and hash */
static void print_content(int fd)
{
	char buf[65536];
	ssize_t n, total = 0;
	uint64_t h = 0xcbf29ce484222325ULL;
	char head[65];
	size_t hn = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (hn < 64) {
			size_t k = (size_t)n < 64 - hn ? (size_t)n : 64 - hn;
			memcpy(head + hn, buf, k);
			hn += k;
		}
		h = fnv(buf, (size_t)n, h);
		total += n;
	}
	if (n < 0) {
		printf(" read:%s", errname(errno));
		return;
	}
	if (total > 64) {
		printf(" [%zd bytes %016llx]", total, (unsigned long long)h);
		return;
	}
	printf(" [");
	for (size_t i = 0; i < hn; i++) {
		unsigned char ch = (unsigned char)head[i];
		if (ch == '\n')
			printf("\\n");
		else if (ch < 32 || ch > 126)
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	printf("]");
}

static int dg_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sorted names of the directory open on FD (consumed: FD is closed) */
static int list_dir(int fd, char ***names)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int n = 0, cap = 16;
	char **v = malloc(sizeof(*v) * cap);

	if (!d) {
		close(fd);
		*names = v;
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap)
			v = realloc(v, sizeof(*v) * (cap *= 2));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(v, (size_t)n, sizeof(*v), dg_cmp_str);
	*names = v;
	return n;
}

static void dump_at(int dfd, const char *path, int depth, int skip_top)
{
	char **names;
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n = list_dir(fd, &names);

	if (n < 0) {
		printf("%s: listing: %s\n", shorten(path), errname(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char *p = fmt("%s/%s", !strcmp(path, "/") ? "" : path, names[i]);
		struct stat st;
		if (depth == 0 && skip_top && (!strcmp(names[i], "proc") || !strcmp(names[i], "dev"))) {
			free(p);
			free(names[i]);
			continue;
		}
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			printf("%s: lstat: %s\n", shorten(p), errname(errno));
		} else if (S_ISLNK(st.st_mode)) {
			char t[PATH_MAX + 1];
			ssize_t k = readlinkat(dfd, names[i], t, sizeof(t) - 1);
			t[k < 0 ? 0 : k] = 0;
			printf("%s -> %s\n", shorten(p), shorten(t));
		} else if (S_ISDIR(st.st_mode)) {
			printf("%s/ %04o\n", shorten(p), (unsigned)(st.st_mode & 07777));
			int sub = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				printf("%s: open: %s\n", shorten(p), errname(errno));
			else if (depth < 40) {
				dump_at(sub, p, depth + 1, skip_top);
				close(sub);
			} else
				close(sub);
		} else {
			printf("%s %s %04o nlink=%lu size=%lld", shorten(p), type_name(st.st_mode),
			       (unsigned)(st.st_mode & 07777), (unsigned long)st.st_nlink, (long long)st.st_size);
			if (S_ISREG(st.st_mode)) {
				int f = openat(dfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
				if (f < 0)
					printf(" open:%s", errname(errno));
				else {
					print_content(f);
					close(f);
				}
			}
			putchar('\n');
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

static int hostdump(const char *dir)
{
	static const char *parts[] = { "root", "b1", "b2", "bf" };
	umask(022);
	for (size_t i = 0; i < 4; i++) {
		char *p = fmt("%s/%s", dir, parts[i]);
		struct stat st;
		if (lstat(p, &st) < 0) {
			printf("host %s: %s\n", parts[i], errname(errno));
		} else if (S_ISDIR(st.st_mode)) {
			printf("host %s/ %04o\n", parts[i], (unsigned)(st.st_mode & 07777));
			int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			dump_at(fd, parts[i], 0, i == 0);
			close(fd);
		} else {
			printf("host %s %04o nlink=%lu", parts[i], (unsigned)(st.st_mode & 07777),
			       (unsigned long)st.st_nlink);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			print_content(fd);
			close(fd);
			putchar('\n');
		}
		free(p);
	}
	return 0;
}

/* ---------------------------------------------------------------- run --- */

#define MAX_CANDS 600
static char *cands[MAX_CANDS];
static int n_cands;
static int slot_fd[3] = { -1, -1, -1 };
static const char *slot_name[3] = { "fd0", "fd1", "fd2" };
static int case_no;

static void add_cand(char *p)
{
	if (n_cands < MAX_CANDS)
		cands[n_cands++] = p;
	else
		free(p);
}

static void gen_cands(void)
{
	add_cand(xstrdup("/"));
	for (int i = 0; i < n_ents; i++)
		if (!ents[i].hidden)
			add_cand(guest_of(&ents[i]));
	/* names that do not exist (yet): where mkdir, link, rename... create */
	int n = n_cands;
	for (int i = 0; i < 40; i++) {
		const char *d = cands[rn(n)];
		static const char *fresh[] = { "new", "n1", "n2", "tmpf", "a", "sub" };
		const char *name = i % 9 == 0 ? long_name : i % 9 == 1 ? long_name1 : fresh[rn(6)];
		add_cand(fmt("%s/%s", !strcmp(d, "/") ? "" : d, name));
	}
	add_cand(xstrdup("/tmp/t1"));
	add_cand(xstrdup("/proc/self/root"));
	add_cand(xstrdup("/proc/self/cwd"));
	add_cand(xstrdup("/proc/self/fd/3"));
	/* not /diff-gen: the running program's file is not ETXTBSY under
	 * ptroot (its loader is what the kernel runs; docs/guarantees.md) */
}

static size_t slot_len[3]; /* the length of each slot's guest path */

/* a random path for the case: a candidate, decorated */
static char *gen_path1(void);

/* Known limit: ptroot resolves in guest terms, with guest paths shorter than
 * PATH_MAX; the kernel walks a relative path from a deep directory (or
 * /proc/self/cwd/...) without looking at the total. Without -k, a path
 * whose guest path may pass 4000 bytes that way is drawn again. */
static size_t base_len(void)
{
	char cwd[PATH_MAX + 1];
	size_t base = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : PATH_MAX;
	for (int i = 0; i < 3; i++)
		if (slot_fd[i] >= 0 && slot_len[i] > base)
			base = slot_len[i];
	return base;
}

static char *gen_path(void)
{
	size_t base = base_len();
	char cwd[PATH_MAX + 1];
	/* a known bug until Nov 2026, fixed: /proc/self/cwd of a removed directory is ENOENT under
	 * ptroot; natively it is that directory (src/tracer/ctx.c) */
	int cwd_gone = !getcwd(cwd, sizeof(cwd)) && errno == ENOENT;
	for (int tries = 0;; tries++) {
		char *p = gen_path1();
		if (!known_bugs && cwd_gone && strstr(p, "/proc/self/cwd") && tries < 20) {
			free(p);
			continue;
		}
		size_t eff = strlen(p);
		if (p[0] != '/' || !strncmp(p, "/proc/self/cwd", 14))
			eff += base;
		if (known_bugs || eff <= 4000 || eff >= 4096 + base || tries == 20)
			return p;
		free(p);
	}
}

static char *gen_path1(void)
{
	static char buf[PATH_MAX * 2];
	unsigned form = rn(100);

	if (form < 2)
		return xstrdup("");
	if (form < 4)
		return xstrdup(pc(50) ? "." : "..");
	const char *c = cands[rn(n_cands)];
	const char *s = c;
	char pre[64] = "";
	if (form < 50) {
		/* absolute */
	} else if (form < 62) {
		s = c + 1; /* relative to the cwd or the dirfd */
		if (!*s)
			s = ".";
	} else if (form < 72) {
		int up = 1 + rn(3);
		for (int i = 0; i < up; i++)
			strcat(pre, "../");
		s = c + 1;
	} else if (form < 80) {
		const char *b = strrchr(c, '/');
		s = b && b[1] ? b + 1 : ".";
	} else if (form < 86) {
		strcpy(pre, pc(50) ? "/proc/self/root" : "/proc/self/cwd/");
		if (pre[strlen(pre) - 1] == '/')
			s = c + 1;
	} else if (form < 92) {
		strcpy(pre, "//");
		s = c + 1;
	} else {
		/* the same component twice, or through the candidate's parent */
		const char *b = strrchr(c, '/');
		if (b && b != c) {
			snprintf(buf, sizeof(buf), "%.*s/./%s", (int)(b - c), c, b + 1);
			return xstrdup(buf);
		}
	}
	size_t k = (size_t)snprintf(buf, sizeof(buf), "%s", pre);
	/* copy S, decorating some separators */
	for (const char *q = s; *q && k < sizeof(buf) - 64; q++) {
		if (*q == '/' && q != s && pc(8)) {
			static const char *dec[] = { "//", "/./", "/../", "/up/../", "/x/../" };
			const char *d = dec[rn(5)];
			if (!strcmp(d, "/../")) {
				/* a component then ".." */
				k += (size_t)snprintf(buf + k, sizeof(buf) - k, "/%s/..", short_names[rn(N_SHORT)]);
				buf[k++] = '/';
			} else {
				k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s", d);
			}
			continue;
		}
		buf[k++] = *q;
	}
	buf[k] = 0;
	unsigned t = rn(100);
	if (t < 6)
		strcat(buf, "/");
	else if (t < 8)
		strcat(buf, "/.");
	else if (t < 10)
		strcat(buf, "/..");
	else if (t < 12)
		strcat(buf, "/x");
	/* pad an absolute path with "./" to a length near PATH_MAX */
	if (buf[0] == '/' && pc(4)) {
		static const int want[] = { 4000, 4093, 4094, 4095, 4096, 4097 };
		size_t w = (size_t)want[rn(6)];
		size_t len = strlen(buf);
		if (len + 2 < w) {
			size_t pad = w - len;
			char *p = malloc(w + 2);
			size_t j = 0;
			p[j++] = '/';
			if (pad % 2) {
				p[j++] = '/';
				pad--;
			}
			for (; pad >= 2; pad -= 2) {
				p[j++] = '.';
				p[j++] = '/';
			}
			strcpy(p + j, buf + 1);
			return p;
		}
	}
	return xstrdup(buf);
}

static int gen_dirfd(const char **name)
{
	if (pc(60)) {
		*name = "AT_FDCWD";
		return AT_FDCWD;
	}
	int s = rn(3);
	*name = slot_name[s];
	return slot_fd[s];
}

static void print_res(long r)
{
	if (r < 0)
		printf(" = -1 %s", errname(errno));
	else
		printf(" = %ld", r);
}

static void dg_print_st(const struct stat *st)
{
	printf(" %s %04o", type_name(st->st_mode), (unsigned)(st->st_mode & 07777));
	if (!S_ISDIR(st->st_mode))
		printf(" nlink=%lu", (unsigned long)st->st_nlink);
	if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
		printf(" size=%lld", (long long)st->st_size);
}

/* what an fd returned by open is: type, its name in /proc/self/fd, content */
static void inspect_fd(int fd, int flags)
{
	struct stat st;
	char link[64], t[PATH_MAX + 1];

	if (fstat(fd, &st) < 0) {
		printf(" fstat:%s", errname(errno));
		return;
	}
	dg_print_st(&st);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t k = readlink(link, t, sizeof(t) - 1);
	if (k < 0)
		printf(" name:%s", errname(errno));
	else {
		t[k] = 0;
		printf(" name=%s", shorten(t));
	}
	if (flags & O_PATH)
		return;
	int acc = flags & O_ACCMODE;
	if (S_ISREG(st.st_mode) && acc != O_RDONLY) {
		char w[32];
		int n = snprintf(w, sizeof(w), "W%d\n", case_no);
		if (write(fd, w, (size_t)n) < 0)
			printf(" write:%s", errname(errno));
		lseek(fd, 0, SEEK_SET);
	}
	if (S_ISREG(st.st_mode) && acc != O_WRONLY)
		print_content(fd);
	if (S_ISDIR(st.st_mode)) {
		char **names;
		int n = list_dir(dup(fd), &names);
		printf(" {");
		for (int i = 0; i < n; i++) {
			printf("%s%s", i ? " " : "", shorten(names[i]));
			free(names[i]);
		}
		printf("}");
		free(names);
	}
}

static const int open_flags[] = {
	O_RDONLY, O_RDONLY, O_RDONLY | O_NOFOLLOW, O_RDONLY | O_DIRECTORY, O_PATH, O_PATH | O_NOFOLLOW,
	O_PATH | O_DIRECTORY, O_WRONLY, O_RDWR, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT,
	O_WRONLY | O_CREAT | O_EXCL, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, O_WRONLY | O_APPEND,
	O_RDONLY | O_CREAT, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, O_WRONLY | O_TRUNC | O_NOFOLLOW,
	O_RDONLY | O_CREAT | O_DIRECTORY,
};
#define N_OPEN_FLAGS (int)(sizeof(open_flags) / sizeof(open_flags[0]))

static int gen_mode(void)
{
	return user_mode ? (pc(50) ? 0644 : 0755) : file_mode();
}

static void do_open(void)
{
	int flags = open_flags[rn(N_OPEN_FLAGS)] | O_CLOEXEC;
	int mode = gen_mode();
	char *p = gen_path();
	const char *dn;
	int dfd;
	long fd;
	unsigned v = rn(3);

	if (v == 0) {
		printf("open(\"%s\", 0%o, 0%o)", shorten(p), flags, mode);
		errno = 0;
		fd = open(p, flags, mode);
	} else if (v == 1) {
		dfd = gen_dirfd(&dn);
		printf("openat(%s, \"%s\", 0%o, 0%o)", dn, shorten(p), flags, mode);
		errno = 0;
		fd = openat(dfd, p, flags, mode);
	} else {
		static const uint64_t res[] = { 0, RES_NO_XDEV, RES_NO_MAGICLINKS, RES_NO_SYMLINKS, RES_BENEATH,
						RES_IN_ROOT, RES_IN_ROOT | RES_NO_SYMLINKS, RES_BENEATH | RES_NO_XDEV,
						RES_IN_ROOT | RES_NO_MAGICLINKS };
		struct open_how_ how = { (uint64_t)flags, (flags & O_CREAT) ? (uint64_t)mode : 0, res[rn(9)] };
		/* RESOLVE_IN_ROOT: an absolute path starts at the dirfd too
		 * (the guest path limit of gen_path()) */
		if (!known_bugs && (how.resolve & RES_IN_ROOT) && p[0] == '/' && strlen(p) + base_len() > 4000)
			how.resolve &= ~(uint64_t)RES_IN_ROOT;
		dfd = gen_dirfd(&dn);
		printf("openat2(%s, \"%s\", 0%o, 0%o, resolve=0x%llx)", dn, shorten(p), flags, (int)how.mode,
		       (unsigned long long)how.resolve);
		/* EAGAIN: a rename or mount anywhere on the host during a
		 * scoped lookup; openat2(2) says to try again */
		for (int tries = 0; tries < 20; tries++) {
			errno = 0;
			fd = syscall(SYS_openat2, dfd, p, &how, sizeof(how));
			if (!(fd < 0 && errno == EAGAIN))
				break;
		}
	}
	if (fd < 0)
		print_res(fd);
	else {
		printf(" = fd");
		inspect_fd((int)fd, flags);
		close((int)fd);
	}
	putchar('\n');
	free(p);
}

static void do_opendir(void)
{
	int s = rn(3);
	char *p = gen_path();
	int flags = (pc(50) ? O_RDONLY | O_DIRECTORY : pc(50) ? O_PATH : O_PATH | O_DIRECTORY) | O_CLOEXEC;
	if (slot_fd[s] >= 0)
		close(slot_fd[s]);
	printf("%s = open(\"%s\", 0%o)", slot_name[s], shorten(p), flags);
	errno = 0;
	slot_fd[s] = open(p, flags);
	if (slot_fd[s] < 0)
		print_res(-1);
	else {
		char link[64], t[PATH_MAX + 1];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", slot_fd[s]);
		ssize_t k = readlink(link, t, sizeof(t) - 1);
		slot_len[s] = k < 0 ? PATH_MAX : (size_t)k;
		printf(" = fd");
		inspect_fd(slot_fd[s], O_PATH);
	}
	putchar('\n');
	free(p);
}

static void do_stat(void)
{
	char *p = gen_path();
	struct stat st;
	const char *dn;
	int dfd;
	long r;
	unsigned v = rn(5);

	errno = 0;
	if (v == 0) {
		printf("stat(\"%s\")", shorten(p));
		r = stat(p, &st);
	} else if (v == 1) {
		printf("lstat(\"%s\")", shorten(p));
		r = lstat(p, &st);
	} else if (v <= 3) {
		static const int fl[] = { 0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW };
		int f = fl[rn(4)];
		dfd = gen_dirfd(&dn);
		if (f & AT_EMPTY_PATH && pc(50))
			p[0] = 0;
		printf("fstatat(%s, \"%s\", 0x%x)", dn, shorten(p), f);
		errno = 0;
		r = fstatat(dfd, p, &st, f);
	} else {
		static const int fl[] = { 0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
					  0x800 /* AT_NO_AUTOMOUNT */ };
		int f = fl[rn(5)];
		struct statx_ sx;
		dfd = gen_dirfd(&dn);
		if (f & AT_EMPTY_PATH && pc(50))
			p[0] = 0;
		printf("statx(%s, \"%s\", 0x%x)", dn, shorten(p), f);
		errno = 0;
		r = syscall(SYS_statx, dfd, p, f, 0x7ff, &sx);
		print_res(r);
		if (r == 0) {
			printf(" %s %04o", type_name(sx.stx_mode), sx.stx_mode & 07777);
			if ((sx.stx_mode & S_IFMT) != S_IFDIR)
				printf(" nlink=%u", sx.stx_nlink);
			if ((sx.stx_mode & S_IFMT) == S_IFREG || (sx.stx_mode & S_IFMT) == S_IFLNK)
				printf(" size=%llu", (unsigned long long)sx.stx_size);
		}
		putchar('\n');
		free(p);
		return;
	}
	print_res(r);
	if (r == 0)
		dg_print_st(&st);
	putchar('\n');
	free(p);
}

static void do_access(void)
{
	char *p = gen_path();
	static const int modes[] = { F_OK, R_OK, W_OK, X_OK, R_OK | W_OK, R_OK | X_OK };
	int m = modes[rn(6)];
	const char *dn;
	int dfd;
	long r;
	unsigned v = rn(3);

	if (v == 0) {
		printf("access(\"%s\", %d)", shorten(p), m);
		errno = 0;
		r = access(p, m);
	} else if (v == 1) {
		dfd = gen_dirfd(&dn);
		printf("faccessat(%s, \"%s\", %d)", dn, shorten(p), m);
		errno = 0;
		r = syscall(SYS_faccessat, dfd, p, m);
	} else {
		static const int fl[] = { 0, AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_EMPTY_PATH | AT_EACCESS };
		int f = fl[rn(5)];
		dfd = gen_dirfd(&dn);
		if (f & AT_EMPTY_PATH && pc(50))
			p[0] = 0;
		/* As a user the oracle is root in a user namespace: the mode
		 * of a /proc magic link itself (l-wx------ for a write-only
		 * descriptor) means nothing to it, but does to the user. */
		if (user_mode && (f & AT_SYMLINK_NOFOLLOW) && strstr(p, "proc/"))
			f &= ~AT_SYMLINK_NOFOLLOW;
		printf("faccessat2(%s, \"%s\", %d, 0x%x)", dn, shorten(p), m, f);
		errno = 0;
		r = syscall(SYS_faccessat2, dfd, p, m, f);
	}
	print_res(r);
	putchar('\n');
	free(p);
}

static void do_readlink(void)
{
	char *p = gen_path();
	char buf[PATH_MAX + 1];
	static const size_t sizes[] = { PATH_MAX, PATH_MAX, 1, 5, 0 };
	size_t sz = sizes[rn(5)];
	const char *dn;
	long r;

	if (pc(50)) {
		printf("readlink(\"%s\", %zu)", shorten(p), sz);
		errno = 0;
		r = readlink(p, buf, sz);
	} else {
		int dfd = gen_dirfd(&dn);
		if (pc(20))
			p[0] = 0;
		printf("readlinkat(%s, \"%s\", %zu)", dn, shorten(p), sz);
		errno = 0;
		r = readlinkat(dfd, p, buf, sz);
	}
	print_res(r);
	if (r >= 0) {
		buf[r] = 0;
		printf(" '%s'", shorten(buf));
	}
	putchar('\n');
	free(p);
}

static void do_chdir(void)
{
	long r;
	char buf[PATH_MAX + 1];

	if (pc(25)) {
		int s = rn(3);
		printf("fchdir(%s)", slot_name[s]);
		errno = 0;
		r = fchdir(slot_fd[s]);
	} else {
		char *p = pc(15) ? xstrdup("/") : pc(10) ? xstrdup(deep) : gen_path();
		printf("chdir(\"%s\")", shorten(p));
		errno = 0;
		r = chdir(p);
		free(p);
	}
	print_res(r);
	errno = 0;
	if (getcwd(buf, sizeof(buf)))
		printf(" cwd=%s", shorten(buf));
	else
		printf(" getcwd:%s", errname(errno));
	putchar('\n');
}

static void do_getcwd_small(void)
{
	char buf[PATH_MAX + 1];
	static const size_t sizes[] = { 1, 2, 5, 20, PATH_MAX };
	size_t sz = sizes[rn(5)];
	printf("getcwd(%zu)", sz);
	errno = 0;
	long r = syscall(SYS_getcwd, buf, sz);
	print_res(r);
	if (r > 0)
		printf(" '%s'", shorten(buf));
	putchar('\n');
}

/* The directories above the bindings (not "/"): natively a rename moves the
 * mounts below them along; ptroot's bindings stay at their guest paths (a
 * documented limit, docs/guarantees.md). Renames of them are left out. */
static struct stat anc[32];
static int n_anc;

static void find_ancestors(void)
{
	for (int a = A_B1; a < N_AREAS; a++) {
		char *g = xstrdup(area_guest[a]);
		char *slash;
		while ((slash = strrchr(g, '/')) && slash != g) {
			*slash = 0;
			if (n_anc < 32 && lstat(g, &anc[n_anc]) == 0)
				n_anc++;
		}
		free(g);
	}
}

static int is_ancestor(int dfd, const char *p)
{
	struct stat st;
	if (fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	for (int i = 0; i < n_anc; i++)
		if (same_file(&st, &anc[i]))
			return 1;
	return 0;
}

/* Known limit (without -k): a rename that moves the deep chain, or moves
 * anything into it, makes guest paths longer than PATH_MAX, which ptroot
 * refuses (ENAMETOOLONG) where the kernel walks on. */
static struct stat chain[20];
static int n_chain;

static void find_chain(void)
{
	for (int i = 0; i < n_ents && n_chain < 20; i++) {
		char *g = guest_of(&ents[i]);
		if (ents[i].type == 'd' && below(g, "/w/L") && lstat(g, &chain[n_chain]) == 0)
			n_chain++;
		free(g);
	}
}

static int moves_binding(int dfd, const char *p, int dfd2, const char *q)
{
	if (is_ancestor(dfd, p) || is_ancestor(dfd2, q))
		return 1;
	if (known_bugs)
		return 0;
	struct stat st;
	if (fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0)
		for (int i = 0; i < n_chain; i++)
			if (same_file(&st, &chain[i]))
				return 1;
	size_t eff = strlen(q);
	if (q[0] != '/' || !strncmp(q, "/proc/self/cwd", 14))
		eff += base_len();
	return eff > 1500;
}

static void do_modify(void)
{
	char *p = gen_path(), *q = NULL;
	const char *dn, *dn2;
	int dfd, dfd2;
	long r;

	switch (rn(12)) {
	case 0:
		printf("mkdir(\"%s\")", shorten(p));
		errno = 0;
		r = mkdir(p, user_mode ? 0755 : (int)dir_mode());
		break;
	case 1:
		dfd = gen_dirfd(&dn);
		printf("mkdirat(%s, \"%s\")", dn, shorten(p));
		errno = 0;
		r = mkdirat(dfd, p, 0755);
		break;
	case 2:
		q = gen_path();
		if (moves_binding(AT_FDCWD, p, AT_FDCWD, q)) {
			printf("rename(\"%s\", \"%s\") skipped: a binding's ancestor or the deep chain\n", shorten(p), shorten(q));
			free(p);
			free(q);
			return;
		}
		printf("rename(\"%s\", \"%s\")", shorten(p), shorten(q));
		errno = 0;
		r = rename(p, q);
		break;
	case 3: {
		static const int fl[] = { 0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE };
		int f = fl[rn(4)];
		q = gen_path();
		dfd = gen_dirfd(&dn);
		dfd2 = gen_dirfd(&dn2);
		if (moves_binding(dfd, p, dfd2, q)) {
			printf("renameat2(%s, \"%s\", %s, \"%s\", %d) skipped: a binding's ancestor or the deep chain\n", dn,
			       shorten(p), dn2, shorten(q), f);
			free(p);
			free(q);
			return;
		}
		printf("renameat2(%s, \"%s\", %s, \"%s\", %d)", dn, shorten(p), dn2, shorten(q), f);
		errno = 0;
		r = syscall(SYS_renameat2, dfd, p, dfd2, q, f);
		break;
	}
	case 4:
		printf("unlink(\"%s\")", shorten(p));
		errno = 0;
		r = unlink(p);
		break;
	case 5: {
		int f = pc(50) ? AT_REMOVEDIR : 0;
		dfd = gen_dirfd(&dn);
		printf("unlinkat(%s, \"%s\", 0x%x)", dn, shorten(p), f);
		errno = 0;
		r = unlinkat(dfd, p, f);
		break;
	}
	case 6:
		printf("rmdir(\"%s\")", shorten(p));
		errno = 0;
		r = rmdir(p);
		break;
	case 7:
		q = gen_path();
		printf("link(\"%s\", \"%s\")", shorten(p), shorten(q));
		errno = 0;
		r = link(p, q);
		break;
	case 8: {
		int f = pc(50) ? AT_SYMLINK_FOLLOW : 0;
		q = gen_path();
		dfd = gen_dirfd(&dn);
		dfd2 = gen_dirfd(&dn2);
		printf("linkat(%s, \"%s\", %s, \"%s\", 0x%x)", dn, shorten(p), dn2, shorten(q), f);
		errno = 0;
		r = linkat(dfd, p, dfd2, q, f);
		break;
	}
	case 9:
	case 10: {
		/* the target is stored as it is: any string */
		struct ent fake = { .rel = "t" };
		q = pc(50) ? random_target(&fake) : gen_path();
		if (!known_bugs && strlen(q) > 2000) {
			free(q);
			q = xstrdup("/w/L"); /* see random_target() */
		}
		/* nor a link in a deep directory whose target adds a long
		 * name there (the same known limit) */
		size_t eff = strlen(p) + (p[0] != '/' ? base_len() : 0);
		if (!known_bugs && eff > 3000 && strlen(q) > 64) {
			free(q);
			q = xstrdup("..");
		}
		if (rn(2)) {
			printf("symlink(\"%s\", \"%s\")", shorten(q), shorten(p));
			errno = 0;
			r = symlink(q, p);
		} else {
			dfd = gen_dirfd(&dn);
			printf("symlinkat(\"%s\", %s, \"%s\")", shorten(q), dn, shorten(p));
			errno = 0;
			r = symlinkat(q, dfd, p);
		}
		break;
	}
	default: {
		/* not to 2 bytes without -k: "#!" is a script with no
		 * interpreter (a known bug until Nov 2026, fixed) */
		static const off_t len[] = { 0, 1, 20, 2 };
		off_t l = len[rn(3) + (known_bugs && pc(30))];
		printf("truncate(\"%s\", %lld)", shorten(p), (long long)l);
		errno = 0;
		r = truncate(p, l);
		break;
	}
	}
	print_res(r);
	putchar('\n');
	free(p);
	free(q);
}

static void do_exec_path(char *p);

static void do_exec(void)
{
	do_exec_path(gen_path());
}

static void do_exec_path(char *p)
{
	const char *dn = "AT_FDCWD";
	int dfd = AT_FDCWD, f = 0;
	int how = rn(4);
	int pfd[2];

	/* a known bug until Nov 2026, fixed: a program run by its /proc/self/fd/N name, N close-on-
	 * exec: ptroot's loader opens that name after the exec, when N is
	 * closed (src/loader, src/exec) */
	if (!known_bugs && strstr(p, "/proc/self/fd")) {
		printf("execve(\"%s\") skipped: by a /proc/self/fd name\n", shorten(p));
		free(p);
		return;
	}
	/* known limit: a relative path whose host path is longer than
	 * PATH_MAX is ENAMETOOLONG for execve under ptroot (src/exec) */
	char cwd[PATH_MAX + 1];
	if (!known_bugs && p[0] != '/' && (!getcwd(cwd, sizeof(cwd)) || strlen(cwd) + strlen(p) + host_prefix > 3900)) {
		printf("execve(\"%s\") skipped: long relative path\n", shorten(p));
		free(p);
		return;
	}
	if (how == 3) {
		dfd = gen_dirfd(&dn);
		f = pc(30) ? AT_SYMLINK_NOFOLLOW : pc(30) ? AT_EMPTY_PATH : 0;
		if (f == AT_EMPTY_PATH)
			p[0] = 0;
		/* a known bug until Nov 2026, fixed: a script run through a close-on-exec dirfd (all
		 * of ours), by AT_EMPTY_PATH or a relative path, is ENOENT
		 * natively (its /dev/fd/N/... name dies with the exec); under
		 * ptroot it runs (src/exec) */
		/* a known bug until Nov 2026, fixed: execveat(fd, "relative") with fd not a directory
		 * is ENOTDIR natively, before the path; not so in src/exec */
		struct stat dst;
		/* a known bug until Nov 2026, fixed: execveat(dirfd, "", AT_EMPTY_PATH) is EACCES
		 * natively, ENOENT under ptroot as a user (src/exec) */
		if (!known_bugs && dfd >= 0 && !p[0] && fstat(dfd, &dst) == 0 && S_ISDIR(dst.st_mode)) {
			printf("execveat(%s, \"\", 0x%x) skipped: a directory by descriptor\n", dn, f);
			free(p);
			return;
		}
		if (!known_bugs && dfd >= 0 && p[0] && p[0] != '/' && fstat(dfd, &dst) == 0 && !S_ISDIR(dst.st_mode)) {
			printf("execveat(%s, \"%s\", 0x%x) skipped: dirfd not a directory\n", dn, shorten(p), f);
			free(p);
			return;
		}
		if (!known_bugs && dfd >= 0 && p[0] != '/') {
			char link[64], head[2] = { 0, 0 };
			snprintf(link, sizeof(link), "/proc/self/fd/%d", dfd);
			int rfd = p[0] ? openat(dfd, p, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
				       : open(link, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			if (rfd >= 0) {
				if (read(rfd, head, 2) != 2)
					head[0] = 0;
				close(rfd);
			}
			if (head[0] == '#' && head[1] == '!') {
				printf("execveat(%s, \"%s\", 0x%x) skipped: a script by descriptor\n", dn, shorten(p), f);
				free(p);
				return;
			}
		}
		printf("execveat(%s, \"%s\", 0x%x)", dn, shorten(p), f);
	} else {
		printf("execve(\"%s\")", shorten(p));
	}
	fflush(stdout);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "dg-exec", NULL };
		char *envp[] = { NULL };
		close(pfd[0]);
		if (how == 3)
			syscall(SYS_execveat, dfd, p, argv, envp, f);
		else
			execve(p, argv, envp);
		int e = errno;
		if (write(pfd[1], &e, sizeof(e)) < 0)
			_exit(99);
		_exit(98);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	int st;
	waitpid(pid, &st, 0);
	if (n == sizeof(e))
		printf(" = -1 %s\n", errname(e));
	else if (WIFEXITED(st))
		printf(" = exit %d\n", WEXITSTATUS(st));
	else
		printf(" = signal %d\n", WTERMSIG(st));
	free(p);
}

/* run as the program of an execve case: say how it was called */
static int exec_child(int argc, char **argv)
{
	printf("  ran:");
	for (int i = 0; i < argc; i++)
		printf(" '%s'", shorten(argv[i]));
	putchar('\n');
	return 42;
}

static int run(uint64_t seed, long ncases)
{
	gen_tree(seed);
	gen_cands();
	rseed(seed ^ 0xdeadbeefULL);
	alarm(60 + (unsigned)(ncases / 20));
	if (chdir("/") < 0)
		return 2;
	find_ancestors();
	find_chain();
	printf("seed %llu: %d names, %d candidates\n", (unsigned long long)seed, n_ents, n_cands);
	/* -k: every program of the tree once first, scripts whose interpreter
	 * is a directory or not executable included (a known bug) */
	if (known_bugs)
		for (int i = 0; i < n_ents; i++)
			if (!ents[i].hidden && ents[i].area != A_BF && (ents[i].type == 'f' || ents[i].type == 'x') &&
			    (strstr(ents[i].rel, "sh") || strstr(ents[i].rel, "prog"))) {
				printf("prog: ");
				do_exec_path(guest_of(&ents[i]));
			}
	for (case_no = 0; case_no < ncases; case_no++) {
		printf("%d: ", case_no);
		unsigned w = rn(100);
		if (w < 22)
			do_open();
		else if (w < 28)
			do_opendir();
		else if (w < 46)
			do_stat();
		else if (w < 54)
			do_access();
		else if (w < 62)
			do_readlink();
		else if (w < 67)
			do_chdir();
		else if (w < 69)
			do_getcwd_small();
		else if (w < 94)
			do_modify();
		else
			do_exec();
	}
	/* the guest's view at the end */
	printf("dump:\n");
	for (int s = 0; s < 3; s++)
		if (slot_fd[s] >= 0)
			close(slot_fd[s]);
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dump_at(fd, "/", 0, 1);
	close(fd);
	printf("end\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "dg-exec") == 0)
		return exec_child(argc, argv);
	if (argc >= 2 && !strcmp(argv[0], "/diff-gen") && strcmp(argv[1], "run"))
		return exec_child(argc, argv); /* a "#!/diff-gen" script */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-u"))
			user_mode = 1;
		else if (!strcmp(argv[i], "-k"))
			known_bugs = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			host_prefix = strtoul(argv[i + 1], NULL, 10);
	if (argc >= 4 && !strcmp(argv[1], "build"))
		return build(strtoull(argv[2], NULL, 0), argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "run"))
		return run(strtoull(argv[2], NULL, 0), strtol(argv[3], NULL, 0));
	if (argc >= 5 && !strcmp(argv[1], "native"))
		return native(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "hostdump"))
		return hostdump(argv[2]);
	if (argc == 1) {
		/* run bare (tests/integration/guest-programs.t runs every guest
		 * program so): nothing to compare, nothing to change */
		printf("diff-gen: the differential test's generator; tests/diff/run.sh runs it\n");
		return 0;
	}
	if ((argc >= 2 && argv[1][0] != '-' && strcmp(argv[1], "build") && strcmp(argv[1], "run") &&
			   strcmp(argv[1], "native") && strcmp(argv[1], "hostdump")))
		return exec_child(argc, argv);
	fprintf(stderr, "usage: diff-gen build SEED DIR [-u] [-k] [-p LEN] | run SEED NCASES [-u] [-k] [-p LEN] | "
			"native ROOT [HOST:GUEST]... -- ARGS | hostdump DIR\n");
	return 2;
}
