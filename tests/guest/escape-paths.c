/* SPDX-License-Identifier: MIT */
/* Escape corpus, path resolution: ".." chains, symlinks out (planted and made
 * by the guest), dirfds kept across chdir/fchdir, openat2, long paths, loops,
 * chroot, file handles and renames/links across bindings all try to open a
 * marker file that exists only on the host, outside the guest.  Run by
 * tests/integration/escape.t; "case NAME: ESCAPE" means it was reached. */
#include "escape.h"
#include <stdint.h>


#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10

struct open_how_ {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* Host paths of the markers, and the names to try below a directory the
 * guest may have reached: every suffix of each marker's host path. */
static const char *m1, *m2, *hdir;
static int user_mode;







/* Look at what FD is; returns a word for the transcript. */
static const char *judge_fd(int fd)
{
	struct stat st;

	if (fd_is_marker(fd)) {
		case_escaped++;
		return "MARKER (ESCAPE)";
	}
	if (fstat(fd, &st) < 0)
		return "opened, fstat failed";
	return S_ISDIR(st.st_mode) ? "opened dir" : "opened";
}

/* PATH for the transcript: long ones are abridged. */
static const char *shown(const char *path)
{
	static char buf[160];
	size_t len = strlen(path);

	if (len <= 150)
		return path;
	snprintf(buf, sizeof(buf), "%.50s...[%zu bytes]...%s", path, len, path + len - 60);
	return buf;
}

static void probe_at(int dfd, const char *dname, const char *path)
{
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		note("  open %s%s: %s", dname, shown(path), errname(errno));
		return;
	}
	note("  open %s%s: %s", dname, shown(path), judge_fd(fd));
	close(fd);
}

/* Try every target below BASE (a prefix ending in '/' or empty). */
static void probe_below(int dfd, const char *dname, const char *base)
{
	char path[PATH_MAX * 2];

	for (int i = 0; i < ntargets; i++) {
		snprintf(path, sizeof(path), "%s%s", base, targets[i]);
		probe_at(dfd, dname, path);
	}
}

/* BASE followed by "../" K times, for K from KMIN to KMAX. */
static void probe_up(int dfd, const char *dname, const char *base, int kmin, int kmax)
{
	char path[PATH_MAX];

	for (int k = kmin; k <= kmax; k++) {
		int n = snprintf(path, sizeof(path), "%s", base);
		for (int i = 0; i < k; i++)
			n += snprintf(path + n, sizeof(path) - n, "../");
		probe_below(dfd, dname, path);
	}
}

static void show_cwd_note(void)
{
	char buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)))
		note("  getcwd: '%s'", buf);
	else
		note("  getcwd: %s", errname(errno));
}

#define NOTE_CALL(expr)                                                            \
	({                                                                         \
		errno = 0;                                                         \
		long r_ = (long)(expr);                                            \
		note("  %s = %s", #expr, r_ < 0 ? errname(errno) : "ok");          \
		r_;                                                                \
	})

static void dotdot(void)
{
	static const char *odd[] = {
		"//../",
		"/./../",
		"/tmp/../../",
		"/tmp/esc/a/../../../../../",
		"/tmp/esc/../esc/a/b/../../../../../../../",
		"/../tmp/../../",
		"/mnt/../..//../",
		"/tmp/esc/a/b/c/d/../../../../../../../../../../../../../../../../",
		"/tmp/esc/a/b/c/d/./.././../../.././../../../../",
		"/mnt/bind/../../",
		"/mnt/bind/sub/../../../",
		"/etc/bindfile/../../",
		"/tmp/esc/missing/../../../../",
	};

	begin("dotdot-abs-from-root", 0);
	probe_up(AT_FDCWD, "", "/", 0, 6);
	end();

	begin("dotdot-rel-from-root", 0);
	NOTE_CALL(chdir("/"));
	probe_up(AT_FDCWD, "", "", 1, 6);
	probe_up(AT_FDCWD, "", "./", 1, 3);
	end();

	begin("dotdot-from-deep-dir", 0);
	NOTE_CALL(chdir("/tmp/esc/a/b/c/d"));
	probe_up(AT_FDCWD, "", "", 1, 10);
	probe_up(AT_FDCWD, "", "/tmp/esc/a/b/c/d/", 1, 10);
	end();

	begin("dotdot-odd-spellings", 0);
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		probe_below(AT_FDCWD, "", odd[i]);
	end();

	begin("dotdot-from-binding", 0);
	NOTE_CALL(chdir("/mnt/bind/sub/deep"));
	probe_up(AT_FDCWD, "", "", 1, 8);
	probe_up(AT_FDCWD, "", "/mnt/bind/sub/deep/", 1, 8);
	probe_up(AT_FDCWD, "", "/mnt/bind/", 1, 4);
	probe_up(AT_FDCWD, "", "/mnt/bind2/", 1, 4);
	probe_up(AT_FDCWD, "", "/mnt/bind/sub/../../bind2/", 1, 4);
	int bfd = open("/mnt/bind/sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	probe_up(bfd, "fd(/mnt/bind/sub) ", "", 1, 8);
	close(bfd);
	probe_below(AT_FDCWD, "", "/etc/bindfile/../");
	end();

	begin("fchdir-binding-then-dotdot", 0);
	int fd = open("/mnt/bind/sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	NOTE_CALL(chdir("/"));
	NOTE_CALL(fchdir(fd));
	show_cwd_note();
	probe_up(AT_FDCWD, "", "", 0, 8);
	for (int i = 0; i < 8; i++)
		chdir("..");
	show_cwd_note();
	probe_below(AT_FDCWD, "", "");
	probe_up(AT_FDCWD, "", "", 1, 3);
	close(fd);
	fd = open("/mnt/bind2", O_PATH | O_DIRECTORY | O_CLOEXEC);
	NOTE_CALL(fchdir(fd));
	NOTE_CALL(chdir(".."));
	show_cwd_note();
	probe_up(AT_FDCWD, "", "", 0, 5);
	close(fd);
	end();
}

static void dirfds(void)
{
	begin("dirfd-opened-before-chdir", 0);
	NOTE_CALL(chdir("/tmp/esc"));
	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int deep = open("a/b", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int bind = open("/mnt/bind", O_PATH | O_DIRECTORY | O_CLOEXEC);
	mkdir("mv", 0755);
	mkdir("mv/x", 0755);
	int moved = open("mv/x", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	mkdir("gone", 0755);
	mkdir("gone/y", 0755);
	int gone = open("gone/y", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	NOTE_CALL(chdir("/mnt/bind2"));
	NOTE_CALL(rename("/tmp/esc/mv", "/tmp/esc/a/b/c/mv2"));
	NOTE_CALL(rmdir("/tmp/esc/gone/y"));
	probe_up(root, "fd(/) ", "", 0, 6);
	probe_up(deep, "fd(/tmp/esc/a/b) ", "", 1, 8);
	probe_up(bind, "fd(/mnt/bind) ", "", 0, 4);
	probe_up(moved, "fd(moved dir) ", "", 1, 10);
	probe_up(gone, "fd(removed dir) ", "", 1, 8);
	NOTE_CALL(fchdir(moved));
	show_cwd_note();
	probe_up(AT_FDCWD, "", "", 1, 10);
	NOTE_CALL(fchdir(deep));
	for (int i = 0; i < 10; i++)
		chdir("..");
	show_cwd_note();
	probe_below(AT_FDCWD, "", "");
	close(root);
	close(deep);
	close(bind);
	close(moved);
	close(gone);
	end();
}

/* Open LINK, then everything below it and above it. */
static void probe_link(const char *link)
{
	char base[PATH_MAX];

	probe_at(AT_FDCWD, "", link);
	snprintf(base, sizeof(base), "%s/", link);
	probe_up(AT_FDCWD, "", base, 0, 4);
}

static void symlinks(void)
{
	static const char *planted_abs[] = {
		"/etc/esc/abs-m1", "/etc/esc/abs-m2", "/etc/esc/abs-h", "/etc/esc/abs-root",
		"/etc/esc/abs-dotdot", "/mnt/bind/abs-m1", "/mnt/bind/abs-h",
	};
	static const char *planted_rel[] = {
		"/etc/esc/rel-up", "/etc/esc/rel-updir", "/mnt/bind/rel-up",
		"/mnt/bind/rel-updir", "/mnt/bind/sub/deep/rel-upup",
	};
	char path[PATH_MAX];

	begin("symlink-planted-absolute", 0);
	for (size_t i = 0; i < sizeof(planted_abs) / sizeof(planted_abs[0]); i++)
		probe_link(planted_abs[i]);
	end();

	begin("symlink-planted-relative", 0);
	for (size_t i = 0; i < sizeof(planted_rel) / sizeof(planted_rel[0]); i++)
		probe_link(planted_rel[i]);
	NOTE_CALL(chdir("/mnt/bind/rel-updir"));
	show_cwd_note();
	probe_up(AT_FDCWD, "", "", 0, 3);
	end();

	begin("symlink-made-by-guest", 0);
	static const char *dirs[] = { "/tmp/esc/gl", "/mnt/bind/gl", "/mnt/bind/sub/deep/gl" };
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		mkdir(dirs[d], 0755);
		NOTE_CALL(chdir(dirs[d]));
		NOTE_CALL(symlink(m1, "abs-m1"));
		NOTE_CALL(symlink(m2, "abs-m2"));
		NOTE_CALL(symlink(hdir, "abs-h"));
		for (int k = 1; k <= 8; k++) {
			char to[64], from[16];
			int n = 0;
			for (int i = 0; i < k; i++)
				n += snprintf(to + n, sizeof(to) - n, "../");
			snprintf(to + n, sizeof(to) - n, "ptroot-escape-secret");
			snprintf(from, sizeof(from), "rel-up%d", k);
			symlink(to, from);
		}
		NOTE_CALL(symlink("../../../../../../..", "rel-updir"));
		NOTE_CALL(symlink("..", "dotdot"));
		NOTE_CALL(symlink("/proc/self/root/..", "proc-root-up"));
		NOTE_CALL(symlink("/proc/self/cwd/../../../../..", "proc-cwd-up"));
		static const char *names[] = { "abs-m1", "abs-m2", "abs-h", "rel-up1", "rel-up2",
					       "rel-up3", "rel-up4", "rel-up5", "rel-up6", "rel-up7",
					       "rel-up8", "rel-updir", "dotdot", "proc-root-up",
					       "proc-cwd-up" };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[d], names[i]);
			probe_link(path);
			probe_link(names[i]);
		}
		/* Into a directory link, then "..": physical, as the kernel does. */
		NOTE_CALL(chdir("rel-updir"));
		show_cwd_note();
		probe_up(AT_FDCWD, "", "", 0, 3);
		NOTE_CALL(chdir(dirs[d]));
		NOTE_CALL(chdir("dotdot/.."));
		show_cwd_note();
		probe_up(AT_FDCWD, "", "", 0, 4);
	}
	end();

	begin("symlink-chains-and-loops", 0);
	mkdir("/tmp/esc/chain", 0755);
	NOTE_CALL(chdir("/tmp/esc/chain"));
	/* l0 -> l1 -> ... -> l39 -> out: 40 links resolve; from m1, 41 loop. */
	for (int i = 0; i < 40; i++) {
		char from[16], to[16];
		snprintf(from, sizeof(from), "l%d", i);
		snprintf(to, sizeof(to), i % 2 ? "l%d" : "./l%d", i + 1);
		symlink(to, from);
	}
	symlink("../../../../../../../../ptroot-escape-secret", "l40");
	symlink("l0", "m1");
	probe_at(AT_FDCWD, "", "l0");
	probe_at(AT_FDCWD, "", "l1");
	probe_at(AT_FDCWD, "", "m1");
	symlink("loop-b/../../../../../ptroot-escape-secret", "loop-a");
	symlink("loop-a/../../../../../ptroot-escape-secret", "loop-b");
	symlink("self/../../../../../..", "self");
	symlink("/tmp/esc/chain/absloop/../../../../..", "absloop");
	mkdir("d", 0755);
	symlink("../d2/x", "d/x");
	mkdir("d2", 0755);
	symlink("../d/x", "d2/x");
	probe_link("loop-a");
	probe_link("self");
	probe_link("absloop");
	probe_link("d/x");
	end();
}

static long openat2_(int dfd, const char *path, uint64_t resolve)
{
	struct open_how_ how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = resolve };

	long fd;
	/* EAGAIN: a rename somewhere on the machine during a scoped lookup
	 * with ".." (openat2(2) says to retry); tests run in parallel */
	for (int i = 0; i < 100; i++)
		if ((fd = syscall(SYS_openat2, dfd, path, &how, sizeof(how))) >= 0 || errno != EAGAIN)
			break;
	return fd;
}

static void openat2_probe(int dfd, const char *dname, const char *path, uint64_t resolve)
{
	long fd = openat2_(dfd, path, resolve);

	if (fd < 0) {
		note("  openat2(%s, %s, resolve=0x%llx): %s", dname, path,
		     (unsigned long long)resolve, errname(errno));
		return;
	}
	note("  openat2(%s, %s, resolve=0x%llx): %s", dname, path,
	     (unsigned long long)resolve, judge_fd((int)fd));
	close((int)fd);
}

static void openat2_cases(void)
{
	static const uint64_t resolves[] = {
		0, RESOLVE_IN_ROOT, RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS,
		RESOLVE_NO_SYMLINKS, RESOLVE_NO_XDEV, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	static const char *ups[] = {
		"", "../", "../../", "../../../", "../../../../", "../../../../../",
		"/", "/../../../", "a/../../../../", "/proc/self/root/../",
		"/proc/self/cwd/../../../../", "/etc/esc/abs-h/", "/etc/esc/rel-updir/",
		"/mnt/bind/rel-updir/", "/mnt/bind/abs-h/", "/tmp/esc/gl/abs-h/",
	};
	struct {
		const char *name;
		const char *path;
	} dirs[] = {
		{ "AT_FDCWD", NULL },   { "fd(/)", "/" },		{ "fd(/tmp/esc)", "/tmp/esc" },
		{ "fd(/mnt/bind/sub)", "/mnt/bind/sub" }, { "fd(/proc/self/root)", "/proc/self/root" },
	};
	char path[PATH_MAX];

	begin("openat2-resolve-flags", 0);
	NOTE_CALL(chdir("/tmp/esc/a/b"));
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		int dfd = dirs[d].path ? open(dirs[d].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD;
		for (size_t r = 0; r < sizeof(resolves) / sizeof(resolves[0]); r++) {
			for (size_t u = 0; u < sizeof(ups) / sizeof(ups[0]); u++) {
				for (int t = 0; t < ntargets; t++) {
					snprintf(path, sizeof(path), "%s%s", ups[u], targets[t]);
					openat2_probe(dfd, dirs[d].name, path, resolves[r]);
				}
			}
			openat2_probe(dfd, dirs[d].name, m1, resolves[r]);
			openat2_probe(dfd, dirs[d].name, "..", resolves[r]);
		}
		if (dfd >= 0)
			close(dfd);
	}
	end();
}

/* A chain of directories below /tmp/esc/long whose guest path is longer
 * than PATH_MAX, then ".." chains and long link targets from its depths. */
static void long_paths(void)
{
	char name[201], path[PATH_MAX];
	int depth = 0;

	begin("long-paths", 0);
	memset(name, 'L', 200);
	name[200] = 0;
	NOTE_CALL(chdir("/tmp/esc"));
	mkdir("long", 0755);
	chdir("long");
	/* The first name is longer, so that the 20th level ends at 4085 bytes:
	 * a guest path within PATH_MAX, a host path beyond it. */
	char first[256];
	memset(first, 'F', 252);
	first[252] = 0;
	size_t len = strlen("/tmp/esc/long");
	while (len < PATH_MAX + 600) {
		const char *nm = depth ? name : first;
		if (mkdir(nm, 0755) < 0 || chdir(nm) < 0) {
			note("  mkdir/chdir at depth %d: %s", depth, errname(errno));
			break;
		}
		depth++;
		len += strlen(nm) + 1;
	}
	note("  depth %d, guest path length %zu", depth, len);
	show_cwd_note();
	probe_up(AT_FDCWD, "", "", depth, depth + 6);
	/* A long "../" chain as a link target. */
	int n = 0;
	for (int i = 0; i < depth + 8; i++)
		n += snprintf(path + n, sizeof(path) - n, "../");
	snprintf(path + n, sizeof(path) - n, "ptroot-escape-secret");
	NOTE_CALL(symlink(path, "up"));
	probe_at(AT_FDCWD, "", "up");
	/* Absolute paths just within PATH_MAX for the guest, whose naive host
	 * translation is not: ten levels down, "/." padding, then up and out. */
	for (int t = 0; t < ntargets; t++) {
		n = snprintf(path, sizeof(path), "/tmp/esc/long/%s", first);
		for (int i = 1; i < 10; i++)
			n += snprintf(path + n, sizeof(path) - n, "/%s", name);
		int ups = 14;
		while (n + 3 * ups + 1 + (int)strlen(targets[t]) < PATH_MAX - 3)
			n += snprintf(path + n, sizeof(path) - n, "/.");
		for (int i = 0; i < ups; i++)
			n += snprintf(path + n, sizeof(path) - n, "/..");
		snprintf(path + n, sizeof(path) - n, "/%s", targets[t]);
		probe_at(AT_FDCWD, "(long) ", path);
	}
	/* A directory of the chain whose guest path fits in PATH_MAX but whose
	 * host path does not (ptroot's documented limit: see guarantees.md). */
	n = snprintf(path, sizeof(path), "/tmp/esc/long/%s", first);
	for (int i = 1; i < depth && n + 201 < PATH_MAX; i++)
		n += snprintf(path + n, sizeof(path) - n, "/%s", name);
	case_quiet = 1;
	note("  absolute path of %d bytes: access = %s", n,
	     access(path, F_OK) < 0 ? errname(errno) : "ok");
	case_quiet = 0;
	chdir("/tmp/esc");
	end();
}

static void chroot_cases(void)
{
	begin("chroot-then-dotdot", user_mode);
	mkdir("/tmp/esc/newroot", 0755);
	mkdir("/tmp/esc/newroot/etc", 0755);
	mkdir("/tmp/esc/newroot/sub", 0755);
	write_file("/tmp/esc/newroot/etc/inner", "inner");
	symlink("/../../../../ptroot-escape-secret", "/tmp/esc/newroot/etc/abs-up");
	symlink("../../../../../ptroot-escape-secret", "/tmp/esc/newroot/sub/rel-up");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		NOTE_CALL(chroot("/tmp/esc/newroot"));
		NOTE_CALL(chdir("/"));
		show_cwd_note();
		NOTE_CALL(chdir("../../.."));
		show_cwd_note();
		probe_at(AT_FDCWD, "", "/etc/inner");
		probe_at(AT_FDCWD, "", "../../etc/inner");
		probe_up(AT_FDCWD, "", "/", 0, 6);
		probe_up(AT_FDCWD, "", "", 1, 6);
		probe_link("/etc/abs-up");
		probe_link("/sub/rel-up");
		probe_up(AT_FDCWD, "", "/proc/self/root/", 0, 3);
		/* A second chroot inside the first one. */
		NOTE_CALL(chroot("/sub"));
		NOTE_CALL(chdir("/.."));
		show_cwd_note();
		probe_up(AT_FDCWD, "", "", 0, 4);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		NOTE_CALL(chdir("/mnt/bind/sub"));
		NOTE_CALL(chroot("/mnt/bind"));
		NOTE_CALL(chdir("/"));
		NOTE_CALL(chdir(".."));
		show_cwd_note();
		probe_up(AT_FDCWD, "", "", 0, 5);
		probe_up(AT_FDCWD, "", "/", 0, 5);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	end();

	/* The classic way out of a chroot: keep a directory outside the new
	 * root, and climb from it.  Natively (as root) it leaves the outer
	 * chroot too, so only ptroot is held to it. */
	begin("chroot-classic-escape", 1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int out = open("/tmp/esc", O_RDONLY | O_DIRECTORY);
		NOTE_CALL(chdir("/tmp/esc"));
		NOTE_CALL(chroot("newroot"));
		/* The cwd is outside the new root now. */
		probe_up(AT_FDCWD, "", "", 0, 8);
		for (int i = 0; i < 12; i++)
			chdir("..");
		probe_below(AT_FDCWD, "", "");
		NOTE_CALL(fchdir(out));
		probe_up(AT_FDCWD, "", "", 0, 8);
		probe_up(out, "fd(old) ", "", 0, 8);
		NOTE_CALL(chroot("."));
		probe_up(AT_FDCWD, "", "/", 0, 8);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	end();
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* name_to_handle_at on guest paths, and open_by_handle_at with a handle of
 * the host marker made on the host: an inode number reaches any file of
 * the file system, so ptroot must refuse it. */
static void handles(const char *hex)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h;
	int mount_id;

	begin("name_to_handle_at", 0);
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = 128;
	note("  name_to_handle_at(/etc/passwd) = %s",
	     name_to_handle_at(AT_FDCWD, "/etc/passwd", &h.fh, &mount_id, 0) < 0 ? errname(errno) : "ok");
	h.fh.handle_bytes = 128;
	note("  name_to_handle_at(/../ptroot-escape-secret) = %s",
	     name_to_handle_at(AT_FDCWD, "/../ptroot-escape-secret", &h.fh, &mount_id, 0) < 0
		     ? errname(errno) : "ok");
	end();

	/* Natively, root may open any inode by handle (even outside a chroot);
	 * in a user namespace it may not. */
	begin("open_by_handle_at-host-inode", 1);
	if (!hex || strlen(hex) < 16) {
		note("  no handle given");
	} else {
		/* "TYPE:HEXBYTES" */
		h.fh.handle_type = atoi(hex);
		const char *p = strchr(hex, ':');
		unsigned n = 0;
		for (p = p ? p + 1 : hex; p[0] && p[1] && n < 128; p += 2)
			h.fh.f_handle[n++] = (unsigned char)(hexval(p[0]) << 4 | hexval(p[1]));
		h.fh.handle_bytes = n;
		int root = open("/", O_RDONLY | O_DIRECTORY);
		int fd = open_by_handle_at(root, &h.fh, O_RDONLY);
		if (fd < 0) {
			note("  open_by_handle_at(marker) = %s", errname(errno));
		} else {
			note("  open_by_handle_at(marker) = %s", judge_fd(fd));
			close(fd);
		}
		close(root);
	}
	end();
}

/* Renames and hard links across a binding boundary: natively EXDEV (two
 * mounts), whatever the host file systems behind them. */
static void cross_binding(void)
{
	begin("rename-link-across-bindings", 0);
	write_file("/mnt/bind/xf", "bound file");
	write_file("/mnt/bind2/xf2", "bound file 2");
	write_file("/tmp/esc/gf", "guest file");
	mkdir("/mnt/bind/xd", 0755);
	NOTE_CALL(rename("/mnt/bind/xf", "/tmp/esc/moved"));
	NOTE_CALL(rename("/tmp/esc/gf", "/mnt/bind/moved"));
	NOTE_CALL(rename("/mnt/bind/xf", "/mnt/bind2/moved"));
	NOTE_CALL(rename("/mnt/bind/xd", "/tmp/esc/movedd"));
	NOTE_CALL(rename("/mnt/bind/xf", "/mnt/bind/../moved"));
	NOTE_CALL(rename("/mnt/bind/xf", "/mnt/bind/../../ptroot-escape-moved"));
	NOTE_CALL(renameat2(AT_FDCWD, "/mnt/bind/xf", AT_FDCWD, "/mnt/bind2/xf2", RENAME_EXCHANGE));
	NOTE_CALL(renameat2(AT_FDCWD, "/tmp/esc/gf", AT_FDCWD, "/mnt/bind/xf", RENAME_EXCHANGE));
	NOTE_CALL(link("/mnt/bind/xf", "/tmp/esc/hard"));
	NOTE_CALL(link("/tmp/esc/gf", "/mnt/bind/hard"));
	NOTE_CALL(link("/mnt/bind/xf", "/mnt/bind2/hard"));
	NOTE_CALL(link("/mnt/bind/xf", "/mnt/bind/../../ptroot-escape-link"));
	NOTE_CALL(link("/mnt/bind/../ptroot-escape-secret", "/mnt/bind/stolen"));
	NOTE_CALL(link("/../ptroot-escape-secret", "/tmp/esc/stolen"));
	NOTE_CALL(linkat(AT_FDCWD, "/etc/esc/abs-m1", AT_FDCWD, "/tmp/esc/stolen2", AT_SYMLINK_FOLLOW));
	NOTE_CALL(rename("/mnt/bind", "/tmp/esc/bind-moved"));
	NOTE_CALL(rename("/mnt/bind/sub", "/mnt/bind/sub/deep/x"));
	NOTE_CALL(rename("/etc/bindfile", "/tmp/esc/bindfile"));
	NOTE_CALL(link("/etc/bindfile", "/tmp/esc/bindfile-link"));
	/* Within one binding: allowed. */
	NOTE_CALL(rename("/mnt/bind/xf", "/mnt/bind/sub/xf"));
	NOTE_CALL(link("/mnt/bind/sub/xf", "/mnt/bind/xf-link"));
	probe_at(AT_FDCWD, "", "/mnt/bind/stolen");
	probe_at(AT_FDCWD, "", "/tmp/esc/stolen");
	probe_at(AT_FDCWD, "", "/tmp/esc/stolen2");
	show_dir("/mnt/bind");
	show_dir("/mnt/bind2");
	show_dir("/tmp/esc");
	end();
}

/* On the host: print the handle of PATH as "TYPE:HEX" for the guest. */
static int print_handle(const char *path)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h;
	int mount_id;

	h.fh.handle_bytes = 128;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) < 0) {
		printf("none\n");
		return 1;
	}
	printf("%d:", h.fh.handle_type);
	for (unsigned i = 0; i < h.fh.handle_bytes; i++)
		printf("%02x", h.fh.f_handle[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--handle"))
		return print_handle(argv[2]);
	if (argc < 5) {
		say("escape-paths: run by tests/integration/escape.t (M1 M2 HOSTDIR root|user [HANDLE])");
		return 0;
	}
	m1 = argv[1];
	m2 = argv[2];
	hdir = argv[3];
	user_mode = !strcmp(argv[4], "user");
	add_suffixes(m1);
	add_suffixes(m2);
	alarm(120);

	scratch("/tmp/esc");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	mkdir("a/b/c", 0755);
	mkdir("a/b/c/d", 0755);

	dotdot();
	dirfds();
	symlinks();
	openat2_cases();
	long_paths();
	chroot_cases();
	handles(argc > 5 ? argv[5] : NULL);
	cross_binding();
	say("done");
	return 0;
}
