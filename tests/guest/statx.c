/* SPDX-License-Identifier: MIT */
/* statx(2) on guest paths: following and not following links, AT_EMPTY_PATH
 * on a file descriptor and on the cwd, dirfd-relative names, errors. */
#include "guest.h"
#include <linux/stat.h>

#ifndef SYS_statx
#define SYS_statx 332
#endif

static void sx(int dfd, const char *path, int flags)
{
	struct statx stx;
	long r = syscall(SYS_statx, dfd, path, flags, STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE, &stx);

	printf("statx(%s, \"%s\", 0x%x): ", dfd == AT_FDCWD ? "AT_FDCWD" : "dfd", path, flags);
	if (r < 0) {
		printf("-1 %s\n", errname(errno));
		return;
	}
	printf("mask&basic=0x%x %s %04o", stx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE),
	       type_name(stx.stx_mode), stx.stx_mode & 07777);
	if (!S_ISDIR(stx.stx_mode))
		printf(" nlink=%u size=%llu", stx.stx_nlink, (unsigned long long)stx.stx_size);
	printf("\n");
}

int main(void)
{
	scratch("/tmp/statx");
	write_file("file", "0123456789");
	chmod("file", 0640);
	link("file", "hard");
	symlink("file", "rel");
	symlink("/tmp/statx/file", "abs");
	symlink("/nowhere", "dangling");
	mkdir("dir", 0711);

	sx(AT_FDCWD, "/tmp/statx/file", 0);
	sx(AT_FDCWD, "file", 0);
	sx(AT_FDCWD, "abs", 0);
	sx(AT_FDCWD, "abs", AT_SYMLINK_NOFOLLOW);
	sx(AT_FDCWD, "rel", AT_SYMLINK_NOFOLLOW);
	sx(AT_FDCWD, "dangling", 0);
	sx(AT_FDCWD, "dangling", AT_SYMLINK_NOFOLLOW);
	sx(AT_FDCWD, "dir", 0);
	sx(AT_FDCWD, "dir/", 0);
	sx(AT_FDCWD, "file/", 0);
	sx(AT_FDCWD, "", 0);
	sx(AT_FDCWD, "", AT_EMPTY_PATH);
	sx(AT_FDCWD, "/", 0);
	sx(AT_FDCWD, "/..", 0);
	int d = open("/tmp/statx", O_RDONLY | O_DIRECTORY);
	chdir("/");
	sx(d, "file", 0);
	sx(d, "abs", AT_SYMLINK_NOFOLLOW);
	sx(d, "", AT_EMPTY_PATH);
	sx(d, "/tmp/statx/hard", 0);
	int f = open("/tmp/statx/abs", O_RDONLY);
	sx(f, "", AT_EMPTY_PATH);
	sx(f, "x", 0);
	sx(f, "", 0);
	sx(99, "file", 0);
	sx(99, "/tmp/statx/file", 0);
	sx(AT_FDCWD, "/tmp/statx/file", 0x12345678);
	return guest_exit();
}
