/* SPDX-License-Identifier: MIT */
/* Helpers for the guest test programs: each program prints a transcript of
 * what it asked and what the kernel answered (return values, errno names,
 * names, modes, sizes; never inode or device numbers, pids or times), so that
 * a native chroot run and a ptroot run can be compared byte for byte. Where
 * no native oracle fits, programs check themselves with OK() and FAIL lines. */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Syscalls newer than Debian 12's headers: the same numbers on x86_64 and on
 * i386 (the numbers were unified from 403 on). */
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
/* execveat predates the unification: its numbers differ */
#ifndef SYS_execveat
#if defined(__x86_64__)
#define SYS_execveat 322
#else
#define SYS_execveat 358
#endif
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static int guest_failures __attribute__((unused));

/* Line-buffered stdout: the transcript interleaves correctly with children
 * that print too (every program flushes before fork).  A watchdog: a program
 * stuck under a broken tracer dies of SIGALRM after 20 s instead of hanging
 * the harness (programs that use the timer themselves replace it). */
__attribute__((constructor)) static void guest_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	alarm(20);
}

static inline const char *errname(int e)
{
	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(ESRCH); E(EINTR); E(EIO); E(ENXIO); E(E2BIG);
	E(ENOEXEC); E(EBADF); E(ECHILD); E(EAGAIN); E(ENOMEM); E(EACCES);
	E(EFAULT); E(EBUSY); E(EEXIST); E(EXDEV); E(ENODEV); E(ENOTDIR);
	E(EISDIR); E(EINVAL); E(ENFILE); E(EMFILE); E(ENOTTY); E(ETXTBSY);
	E(EFBIG); E(ENOSPC); E(ESPIPE); E(EROFS); E(EMLINK); E(EPIPE);
	E(ERANGE); E(ENAMETOOLONG); E(ENOSYS); E(ENOTEMPTY); E(ELOOP);
	E(ENODATA); E(EOPNOTSUPP); E(EADDRINUSE); E(EADDRNOTAVAIL);
	E(ECONNREFUSED); E(ENOTCONN); E(EISCONN); E(EAFNOSUPPORT);
	E(ENOTSOCK); E(EDESTADDRREQ); E(EPROTOTYPE); E(ECHRNG); E(EOVERFLOW);
	E(ESTALE); E(EDQUOT); E(EMSGSIZE); E(ENOTBLK); E(ETIMEDOUT);
#undef E
	case 0:
		return "0";
	}
	static char buf[32];
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* say(): one transcript line. */
__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* CALL(expr): run a libc/syscall expression that returns -1 + errno on
 * failure, print "expr = value" or "expr = -1 ENAME", and yield its value. */
static inline long report(const char *what, long ret, int err)
{
	if (ret == -1)
		printf("%s = -1 %s\n", what, errname(err));
	else
		printf("%s = %ld\n", what, ret);
	return ret;
}
#define CALL(expr)                                                                 \
	({                                                                         \
		errno = 0;                                                         \
		long r_ = (long)(expr);                                            \
		report(#expr, r_, errno);                                          \
	})
/* CALL0(expr): the same, but a success is printed as "ok" whatever its value
 * (file descriptors, sizes that are not part of the behaviour). */
static inline long report0(const char *what, long ret, int err)
{
	if (ret == -1)
		printf("%s = -1 %s\n", what, errname(err));
	else
		printf("%s = ok\n", what);
	return ret;
}
#define CALL0(expr)                                                                \
	({                                                                         \
		errno = 0;                                                         \
		long r_ = (long)(expr);                                            \
		report0(#expr, r_, errno);                                         \
	})

/* OK(cond, fmt...): a self-check; failures are counted for guest_exit(). */
#define OK(cond, ...)                                                              \
	do {                                                                       \
		if (cond) {                                                        \
			printf("ok - ");                                           \
		} else {                                                           \
			guest_failures++;                                          \
			printf("FAIL: %s:%d: (%s) ", __FILE__, __LINE__, #cond);   \
		}                                                                  \
		printf(__VA_ARGS__);                                               \
		putchar('\n');                                                     \
	} while (0)

static inline int guest_exit(void)
{
	fflush(stdout);
	return guest_failures ? 1 : 0;
}

static inline const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "lnk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	}
	return "?";
}

/* The stable part of a struct stat: type, permissions, link count for
 * non-directories, size for regular files and symlinks. */
static inline void print_st(const char *label, const struct stat *st)
{
	printf("%s: %s %04o", label, type_name(st->st_mode), (unsigned)(st->st_mode & 07777));
	if (!S_ISDIR(st->st_mode))
		printf(" nlink=%lu", (unsigned long)st->st_nlink);
	if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
		printf(" size=%lld", (long long)st->st_size);
	putchar('\n');
}

static inline void show_stat(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		printf("stat %s: -1 %s\n", path, errname(errno));
		return;
	}
	char label[PATH_MAX + 8];
	snprintf(label, sizeof(label), "stat %s", path);
	print_st(label, &st);
}

static inline void show_lstat(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		printf("lstat %s: -1 %s\n", path, errname(errno));
		return;
	}
	char label[PATH_MAX + 8];
	snprintf(label, sizeof(label), "lstat %s", path);
	print_st(label, &st);
}

static inline void show_readlink(const char *path)
{
	char buf[PATH_MAX + 1];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0) {
		printf("readlink %s: -1 %s\n", path, errname(errno));
		return;
	}
	buf[n] = 0;
	printf("readlink %s: '%s'\n", path, buf);
}

static inline void show_cwd(void)
{
	char buf[PATH_MAX + 1];

	if (!getcwd(buf, sizeof(buf)))
		printf("getcwd: %s\n", errname(errno));
	else
		printf("getcwd: '%s'\n", buf);
}

/* Are A and B the same file (dev+ino compared, never printed)? */
static inline int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static inline void show_same(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) < 0 || stat(b, &sb) < 0) {
		printf("same %s %s: %s\n", a, b, errname(errno));
		return;
	}
	printf("same %s %s: %s\n", a, b, same_file(&sa, &sb) ? "yes" : "no");
}

/* Write TEXT to PATH (created 0644), or say why not. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		printf("write_file %s: %s\n", path, errname(errno));
		return -1;
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		printf("write_file %s: short write\n", path);
	close(fd);
	return 0;
}

/* Print the content of PATH on one line (up to 200 bytes). */
static inline void show_file(const char *path)
{
	char buf[201];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		printf("cat %s: %s\n", path, errname(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		printf("cat %s: read %s\n", path, errname(errno));
		return;
	}
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	printf("cat %s: '%s'\n", path, buf);
}

static inline int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory PATH, sorted, on one line (. and .. left out). */
static inline void show_dir(const char *path)
{
	DIR *d = opendir(path);
	char *names[256];
	int n = 0;

	if (!d) {
		printf("ls %s: %s\n", path, errname(errno));
		return;
	}
	for (struct dirent *e; (e = readdir(d)) && n < 256;) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	printf("ls %s:", path);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	putchar('\n');
}

/* Remove NAME (relative to DFD) and everything below it, errors ignored.
 * Works by directory fds, so trees deeper than PATH_MAX go too. */
static inline void rm_rf_at(int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d = fd < 0 ? NULL : fdopendir(fd);
		if (d) {
			for (struct dirent *e; (e = readdir(d));) {
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					rm_rf_at(dirfd(d), e->d_name);
			}
			closedir(d);
		}
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else {
		unlinkat(dfd, name, 0);
	}
}

/* Programs start by clearing their own scratch directory so that a rerun
 * sees the same tree. */
static inline void rm_rf(const char *path)
{
	rm_rf_at(AT_FDCWD, path);
}

/* A fresh, empty scratch directory DIR (under /tmp), made the cwd. */
static inline void scratch(const char *dir)
{
	rm_rf(dir);
	if (mkdir(dir, 0755) < 0 || chdir(dir) < 0) {
		printf("FAIL: scratch %s: %s\n", dir, errname(errno));
		exit(2);
	}
}

/* Describe a wait status: "exit N" or "signal NAME". */
static inline const char *status_str(int status)
{
	static char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "signal %d (%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(buf, sizeof(buf), "status 0x%x", status);
	return buf;
}

/* The word size of this build, for programs that cross ABIs. */
#define ABI_BITS ((int)(sizeof(void *) * 8))
