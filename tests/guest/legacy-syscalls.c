/* SPDX-License-Identifier: MIT */
/* The old path system calls, called by number: libcs other than glibc, old
 * binaries and raw-syscall runtimes still use them, and a tracer's table
 * must know every one (each ABI has its own list).  The paths exist only in
 * the guest, so an untranslated call would fail with ENOENT. */
#include "guest.h"
#include <sys/statfs.h>
#include <sys/time.h>
#include <utime.h>

/* RAW(SYS_name, args...): the call, printed by its name. */
#define RAW(nr, ...)                                                               \
	({                                                                         \
		errno = 0;                                                         \
		long r_ = syscall(nr, __VA_ARGS__);                                \
		report(#nr, r_, errno);                                            \
	})

int main(void)
{
	char buf[256];
	struct stat st;
	struct statfs sfs;
	struct utimbuf ub = { 1000000000, 1000000001 };
	struct timeval tv[2] = { { 1100000000, 0 }, { 1100000001, 0 } };
	/* Big enough for any ABI's struct stat/stat64/statfs64. */
	static char any[512];

	scratch("/tmp/legacy");
	write_file("/tmp/legacy/file", "legacy");
	mkdir("/tmp/legacy/dir", 0755);
	say("%d-bit", ABI_BITS);

#ifdef SYS_open
	RAW(SYS_open, "/tmp/legacy/file", O_RDONLY);
#endif
#ifdef SYS_creat
	RAW(SYS_creat, "/tmp/legacy/created", 0640);
	show_stat("/tmp/legacy/created");
#endif
#ifdef SYS_stat
	RAW(SYS_stat, "/tmp/legacy/file", any);
	RAW(SYS_stat, "/tmp/legacy/missing", any);
#endif
#ifdef SYS_lstat
	RAW(SYS_lstat, "/tmp/legacy/file", any);
#endif
#ifdef SYS_oldstat
	RAW(SYS_oldstat, "/tmp/legacy/file", any);
#endif
#ifdef SYS_oldlstat
	RAW(SYS_oldlstat, "/tmp/legacy/file", any);
#endif
#ifdef SYS_stat64
	RAW(SYS_stat64, "/tmp/legacy/file", any);
#endif
#ifdef SYS_lstat64
	RAW(SYS_lstat64, "/tmp/legacy/file", any);
#endif
#ifdef SYS_fstatat64
	RAW(SYS_fstatat64, AT_FDCWD, "/tmp/legacy/file", any, 0);
#endif
#ifdef SYS_newfstatat
	RAW(SYS_newfstatat, AT_FDCWD, "/tmp/legacy/file", any, 0);
#endif
#ifdef SYS_access
	RAW(SYS_access, "/tmp/legacy/file", R_OK);
#endif
#ifdef SYS_symlink
	RAW(SYS_symlink, "/tmp/legacy/file", "/tmp/legacy/link");
	show_readlink("/tmp/legacy/link");
#endif
#ifdef SYS_readlink
	RAW(SYS_readlink, "/tmp/legacy/link", buf, sizeof(buf));
#endif
#ifdef SYS_link
	RAW(SYS_link, "/tmp/legacy/file", "/tmp/legacy/hard");
	show_stat("/tmp/legacy/hard");
#endif
#ifdef SYS_rename
	RAW(SYS_rename, "/tmp/legacy/hard", "/tmp/legacy/hard2");
#endif
#ifdef SYS_unlink
	RAW(SYS_unlink, "/tmp/legacy/hard2");
#endif
#ifdef SYS_mkdir
	RAW(SYS_mkdir, "/tmp/legacy/newdir", 0700);
	show_stat("/tmp/legacy/newdir");
#endif
#ifdef SYS_rmdir
	RAW(SYS_rmdir, "/tmp/legacy/newdir");
#endif
#ifdef SYS_mknod
	RAW(SYS_mknod, "/tmp/legacy/fifo", S_IFIFO | 0600, 0);
	show_stat("/tmp/legacy/fifo");
#endif
#ifdef SYS_chmod
	RAW(SYS_chmod, "/tmp/legacy/file", 0604);
	show_stat("/tmp/legacy/file");
#endif
	/* Owner changes to -1/-1 change nothing but still resolve the path. */
#ifdef SYS_chown
	RAW(SYS_chown, "/tmp/legacy/file", -1, -1);
#endif
#ifdef SYS_lchown
	RAW(SYS_lchown, "/tmp/legacy/link", -1, -1);
#endif
#ifdef SYS_chown32
	RAW(SYS_chown32, "/tmp/legacy/file", -1, -1);
#endif
#ifdef SYS_lchown32
	RAW(SYS_lchown32, "/tmp/legacy/link", -1, -1);
#endif
#ifdef SYS_truncate
	RAW(SYS_truncate, "/tmp/legacy/file", 3);
	show_stat("/tmp/legacy/file");
#endif
#ifdef SYS_truncate64
	/* i386: the 64-bit length is split over two registers. */
	RAW(SYS_truncate64, "/tmp/legacy/file", 2, 0);
	show_stat("/tmp/legacy/file");
#endif
#ifdef SYS_utime
	RAW(SYS_utime, "/tmp/legacy/file", &ub);
	stat("/tmp/legacy/file", &st);
	say("mtime after utime: %lld", (long long)st.st_mtime);
#endif
#ifdef SYS_utimes
	RAW(SYS_utimes, "/tmp/legacy/file", tv);
	stat("/tmp/legacy/file", &st);
	say("mtime after utimes: %lld", (long long)st.st_mtime);
#endif
#ifdef SYS_futimesat
	RAW(SYS_futimesat, AT_FDCWD, "/tmp/legacy/file", NULL);
#endif
#ifdef SYS_statfs
	RAW(SYS_statfs, "/tmp/legacy", any);
	RAW(SYS_statfs, "/tmp/legacy/missing", any);
#endif
#ifdef SYS_statfs64
	RAW(SYS_statfs64, "/tmp/legacy", sizeof(struct statfs64), any);
#endif
	if (statfs("/tmp/legacy", &sfs) == 0) {
		struct statfs f2;
		int d = open("/tmp/legacy", O_RDONLY);
		fstatfs(d, &f2);
		say("statfs type same as fstatfs: %s", sfs.f_type == f2.f_type ? "yes" : "no");
	}
#ifdef SYS_chdir
	RAW(SYS_chdir, "/tmp/legacy/dir");
	show_cwd();
#endif
#ifdef SYS_getcwd
	long n = syscall(SYS_getcwd, buf, sizeof(buf));
	say("SYS_getcwd: %ld '%s'", n, n > 0 ? buf : "");
#endif
	/* name_to_handle_at resolves a path too (the handle is not printed). */
	struct {
		unsigned int bytes;
		int type;
		unsigned char h[128];
	} fh = { .bytes = 128 };
	int mnt;
	CALL(syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp/legacy/file", &fh, &mnt, 0));
	CALL(syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp/legacy/missing", &fh, &mnt, 0));
	return guest_exit();
}
