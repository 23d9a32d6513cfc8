/* SPDX-License-Identifier: MIT */
/* Attribute changes on guest paths: chmod/fchmodat, fchmodat2 (452, by
 * number) with AT_SYMLINK_NOFOLLOW, utimensat with explicit times (the times
 * are ours, so they can be printed), UTIME_OMIT, on links and through them,
 * faccessat2 (439) with AT_EACCESS and AT_SYMLINK_NOFOLLOW. */
#include "guest.h"
#include <sys/time.h>

static void show_times(const char *path, int follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		say("times %s: %s", path, errname(errno));
		return;
	}
	say("%stimes %s: atime=%lld.%09ld mtime=%lld.%09ld", follow ? "" : "l", path,
	    (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
}

int main(void)
{
	scratch("/tmp/chmodutimes");
	write_file("file", "x");
	symlink("file", "link");
	symlink("/tmp/chmodutimes/file", "abs");
	mkdir("dir", 0755);

	CALL(chmod("file", 0604));
	show_stat("file");
	CALL(chmod("abs", 0640));
	show_stat("file");
	show_lstat("abs");
	CALL(fchmodat(AT_FDCWD, "link", 0600, 0));
	CALL(fchmodat(AT_FDCWD, "link", 0600, AT_SYMLINK_NOFOLLOW));
	CALL(syscall(SYS_fchmodat2, AT_FDCWD, "link", 0644, AT_SYMLINK_NOFOLLOW));
	CALL(syscall(SYS_fchmodat2, AT_FDCWD, "abs", 0644, 0));
	CALL(syscall(SYS_fchmodat2, AT_FDCWD, "file", 0755, AT_SYMLINK_NOFOLLOW));
	show_stat("file");
	int fd = open("dir", O_PATH);
	CALL(syscall(SYS_fchmodat2, fd, "", 0700, AT_EMPTY_PATH));
	show_stat("dir");
	CALL(syscall(SYS_fchmodat2, AT_FDCWD, "file", 0755, 0x1));
	CALL(chmod("missing", 0644));
	CALL(chmod("dir", 02755));
	show_stat("dir");

	struct timespec ts[2] = { { 1000000000, 111 }, { 1234567890, 222000 } };
	CALL(utimensat(AT_FDCWD, "file", ts, 0));
	show_times("file", 1);
	struct timespec ts2[2] = { { 1500000000, 0 }, { 0, UTIME_OMIT } };
	CALL(utimensat(AT_FDCWD, "abs", ts2, 0));
	show_times("file", 1);
	struct timespec ts3[2] = { { 1600000000, 5 }, { 1600000001, 6 } };
	CALL(utimensat(AT_FDCWD, "link", ts3, AT_SYMLINK_NOFOLLOW));
	show_times("link", 0);
	show_times("file", 1);
	int d = open("dir", O_RDONLY | O_DIRECTORY);
	CALL(utimensat(d, "../file", ts3, 0));
	show_times("file", 1);
	int f = open("file", O_RDONLY);
	CALL(futimens(f, ts));
	show_times("file", 1);
	CALL(utimensat(AT_FDCWD, "missing", ts, 0));
	CALL(utimensat(AT_FDCWD, "file", ts, 0x4000));
	struct timeval tv[2] = { { 1700000000, 7 }, { 1700000000, 8 } };
	CALL(utimes("abs", tv));
	show_times("file", 1);

	CALL(syscall(SYS_faccessat2, AT_FDCWD, "abs", R_OK, AT_EACCESS));
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "link", F_OK, AT_SYMLINK_NOFOLLOW));
	symlink("/nowhere", "dangling");
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, 0));
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "file", X_OK, 0));
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "file", F_OK, 0x1));
	CALL(syscall(SYS_faccessat2, d, "", F_OK, AT_EMPTY_PATH));
	CALL(access("abs", W_OK));
	return guest_exit();
}
