/* SPDX-License-Identifier: MIT */
/* The *at() family with directory file descriptors: relative names resolve
 * from the dirfd, absolute ones ignore it, ".." from a dirfd at the guest
 * root stays there, AT_FDCWD follows chdir, a file or closed fd as dirfd
 * fails with ENOTDIR/EBADF, AT_EMPTY_PATH acts on the fd itself. */
#include "guest.h"

int main(void)
{
	scratch("/tmp/dirfd");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	write_file("a/b/f", "fff");
	write_file("top", "top");

	int a = open("/tmp/dirfd/a", O_RDONLY | O_DIRECTORY);
	int root = open("/", O_RDONLY | O_DIRECTORY);
	int file = open("/tmp/dirfd/top", O_RDONLY);
	int opath = open("/tmp/dirfd/a/b", O_PATH);
	struct stat st, ref;
	CALL(chdir("/"));

	CALL(fstatat(a, "b/f", &st, 0));
	CALL(faccessat(a, "b/f", R_OK, 0));
	CALL(faccessat(a, "../top", R_OK, 0));
	CALL(faccessat(a, "/tmp/dirfd/top", R_OK, 0));
	CALL(faccessat(root, "tmp/dirfd/top", R_OK, 0));
	CALL(faccessat(root, "../../tmp/dirfd/top", R_OK, 0));
	CALL(faccessat(root, "..", R_OK, 0));
	CALL(faccessat(file, "x", R_OK, 0));
	CALL(faccessat(99, "x", R_OK, 0));
	CALL(faccessat(99, "/tmp", R_OK, 0));
	CALL(faccessat(opath, "f", R_OK, 0));

	CALL(mkdirat(a, "made", 0700));
	CALL(mknodat(a, "fifo", S_IFIFO | 0600, 0));
	CALL(symlinkat("b/f", a, "ln"));
	CALL(linkat(a, "b/f", root, "tmp/dirfd/hard", 0));
	CALL(renameat(a, "made", opath, "moved"));
	CALL(unlinkat(a, "b/moved", 0));
	CALL(unlinkat(a, "b/moved", AT_REMOVEDIR));
	CALL(unlinkat(a, "fifo", AT_REMOVEDIR));
	CALL(fchmodat(a, "b/f", 0600, 0));
	CALL(fchownat(a, "b/f", -1, -1, 0));
	CALL(fchownat(a, "ln", -1, -1, AT_SYMLINK_NOFOLLOW));
	show_stat("/tmp/dirfd/a/b/f");
	show_dir("/tmp/dirfd/a");
	show_dir("/tmp/dirfd/a/b");

	/* AT_EMPTY_PATH: the fd itself. */
	CALL(fstatat(file, "", &st, AT_EMPTY_PATH));
	stat("/tmp/dirfd/top", &ref);
	say("fstatat(file, \"\", AT_EMPTY_PATH) is top: %s", same_file(&st, &ref) ? "yes" : "no");
	CALL(fstatat(opath, "", &st, AT_EMPTY_PATH));
	CALL(fstatat(file, "", &st, 0));
	CALL(fchownat(file, "", -1, -1, AT_EMPTY_PATH));
	CALL(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));
	say("fstatat(AT_FDCWD, \"\", AT_EMPTY_PATH) is /: %s",
	    (stat("/", &ref), same_file(&st, &ref)) ? "yes" : "no");

	/* A dirfd keeps naming its directory after the directory moved. */
	CALL(rename("/tmp/dirfd/a", "/tmp/dirfd/a2"));
	CALL(faccessat(a, "b/f", R_OK, 0));
	CALL(openat(a, "b/new", O_WRONLY | O_CREAT, 0644) >= 0);
	show_stat("/tmp/dirfd/a2/b/new");

	/* AT_FDCWD follows chdir. */
	CALL(chdir("/tmp/dirfd/a2"));
	CALL(faccessat(AT_FDCWD, "b/f", R_OK, 0));
	CALL(openat(AT_FDCWD, "b", O_RDONLY | O_DIRECTORY) >= 0);
	int b = openat(AT_FDCWD, "b", O_RDONLY | O_DIRECTORY);
	CALL(fchdir(b));
	show_cwd();
	CALL(close(a));
	CALL(faccessat(a, "b", R_OK, 0));
	return guest_exit();
}
