/* SPDX-License-Identifier: MIT */
/* Bad pointers in path-carrying syscalls: paths that end exactly at the end
 * of a mapped page (fine), run into an unmapped or PROT_NONE page (EFAULT),
 * have no NUL within PATH_MAX (ENAMETOOLONG); NULL, kernel and wild
 * pointers in every path, argv, sockaddr and result-buffer position.  The
 * answers must be the kernel's; run by tests/integration/hostile.t. */
#include "guest.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/xattr.h>


static long page;
static char *area;	/* two pages: the first read-write, the second unmapped */
static char *none;	/* a PROT_NONE page */
static char *ro;	/* a read-only page of 'r's */
static char *big;	/* 3 read-write pages, then an unmapped one */

/* STR placed so that its NUL is the last byte of the first page. */
static char *at_end(const char *str)
{
	size_t len = strlen(str) + 1;
	char *p = area + page - len;

	memcpy(p, str, len);
	return p;
}

/* STR placed so that it runs into the unmapped page, with no NUL. */
static char *runs_off(const char *str)
{
	size_t len = strlen(str);
	char *p = area + page - len;

	memcpy(p, str, len);
	return p;
}

#if defined(__x86_64__)
#define KERNEL_PTR ((char *)0xffffffff81000000UL)
#else
#define KERNEL_PTR ((char *)0xc1000000UL)
#endif

/* Raw stat calls: the i386 C library converts results in user space. */
#if defined(__x86_64__)
#define SYS_STAT SYS_stat
#define SYS_FSTATAT SYS_newfstatat
#else
#define SYS_STAT SYS_stat64
#define SYS_FSTATAT SYS_fstatat64
#endif

struct bad {
	const char *name;
	char *ptr;
};

int main(int argc, char **argv)
{
	char canary[64];

	if (argc < 2) {
		say("hostile-fault: run by tests/integration/hostile.t (any argument)");
		return 0;
	}
	page = sysconf(_SC_PAGESIZE);
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(ro, 'r', page);
	mprotect(ro, page, PROT_READ);
	/* The holes last, so that no later mapping fills them. */
	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	big = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(area + page, page);
	munmap(big + 3 * page, page);
	say("the holes are unmapped: %s",
	    msync(area + page, page, MS_ASYNC) < 0 && msync(big + 3 * page, page, MS_ASYNC) < 0 ? "yes" : "no");
	scratch("/tmp/fault");
	write_file("file", "data");
	mkdir("dir", 0755);
	symlink("file", "link");
	memset(canary, 0, sizeof(canary));

	struct bad bads[] = {
		{ "NULL", NULL },
		{ "(char *)1", (char *)1 },
		{ "(char *)-1", (char *)-1 },
		{ "kernel address", KERNEL_PTR },
		{ "PROT_NONE page", none },
		{ "unmapped page", area + page },
		{ "runs off the page", runs_off("/tmp/fault/file") },
	};
	struct stat st;
	char buf[PATH_MAX];

	say("-- a path whose NUL is the last mapped byte");
	CALL(access(at_end("/tmp/fault/file"), F_OK));
	CALL(access(at_end("file"), F_OK));
	CALL(access(at_end("/"), F_OK));
	CALL(access(at_end(""), F_OK));
	CALL(stat(at_end("/tmp/fault/link"), &st));
	CALL(lstat(at_end("link"), &st));
	CALL0(open(at_end("/tmp/fault/file"), O_RDONLY));
	CALL(readlink(at_end("link"), buf, sizeof(buf)));
	CALL(mkdir(at_end("/tmp/fault/newdir"), 0755));
	CALL(rename(at_end("/tmp/fault/newdir"), "newdir2"));
	CALL(rename("newdir2", at_end("newdir3")));
	CALL(symlink(at_end("/tmp/fault/file"), "link2"));
	CALL(symlink("file", at_end("link3")));
	CALL(link(at_end("file"), "hard"));
	CALL(unlink(at_end("/tmp/fault/hard")));
	CALL(chdir(at_end("/tmp/fault/dir")));
	CALL(chdir(at_end("..")));
	CALL(truncate(at_end("file"), 4));
	CALL(getxattr("file", at_end("user.none"), buf, sizeof(buf)));

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char *b = bads[i].ptr;
		if (i == sizeof(bads) / sizeof(bads[0]) - 1)
			b = runs_off("/tmp/fault/file");
		say("-- bad path: %s", bads[i].name);
		CALL(open(b, O_RDONLY));
		CALL(openat(AT_FDCWD, b, O_RDONLY));
		CALL(syscall(SYS_openat2, AT_FDCWD, b, canary, 24));
		CALL(access(b, F_OK));
		CALL(syscall(SYS_faccessat2, AT_FDCWD, b, F_OK, 0));
		CALL(stat(b, &st));
		CALL(lstat(b, &st));
		CALL(fstatat(AT_FDCWD, b, &st, AT_EMPTY_PATH));
		CALL(statx(AT_FDCWD, b, 0, STATX_BASIC_STATS, (struct statx *)buf));
		CALL(readlink(b, buf, sizeof(buf)));
		CALL(chdir(b));
		CALL(mkdir(b, 0755));
		CALL(rmdir(b));
		CALL(unlink(b));
		CALL(chmod(b, 0644));
		CALL(chown(b, -1, -1));
		CALL(utimensat(AT_FDCWD, b, NULL, 0));
		CALL(truncate(b, 0));
		CALL(rename(b, "x"));
		CALL(rename("file", b));
		CALL(link(b, "x"));
		CALL(link("file", b));
		CALL(symlink(b, "x"));
		CALL(symlink("file", b));
		CALL(mknod(b, S_IFIFO | 0644, 0));
		CALL(chroot(b));
		CALL(getxattr(b, "user.x", buf, sizeof(buf)));
		CALL(getxattr("file", b, buf, sizeof(buf)));
		CALL(setxattr("file", b, "v", 1, 0));
		CALL(listxattr(b, buf, sizeof(buf)));
		CALL(statfs(b, (struct statfs *)buf));
		CALL(name_to_handle_at(AT_FDCWD, b, (struct file_handle *)buf, (int *)canary, 0));
		CALL(syscall(SYS_execveat, AT_FDCWD, b, argv, NULL, 0));
		CALL(execve(b, argv, NULL));
		if (i < 4)
			CALL(execve("/tmp/fault/missing", (char **)b, NULL));

		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		CALL(bind(s, (struct sockaddr *)b, 20));
		CALL(connect(s, (struct sockaddr *)b, 20));
		CALL(bind(s, (struct sockaddr *)b, sizeof(struct sockaddr_un)));
		close(s);
	}

	say("-- result buffers");
	/* The kernel writes only what it has, so a buffer that runs off the
	 * page is fine when the answer fits; a bad one is EFAULT. */
	for (size_t i = 0; i < 7; i++) {
		char *b = i < 6 ? bads[i].ptr : ro;
		say("- %s", i < 6 ? bads[i].name : "read-only page");
		CALL(syscall(SYS_STAT, "file", b));
		CALL(syscall(SYS_FSTATAT, AT_FDCWD, "link", b, AT_SYMLINK_NOFOLLOW));
		CALL(readlink("link", b, 64));
		CALL(readlink("/proc/self/cwd", b, 64));
		CALL(readlink("/proc/self/exe", b, 64));
		CALL(syscall(SYS_getcwd, b, 64));
		CALL(syscall(SYS_getcwd, b, 1));
		CALL(getxattr("file", "user.none", b, 64));
		CALL(syscall(SYS_statx, AT_FDCWD, "file", 0, STATX_BASIC_STATS, b));
		socklen_t len = 64;
		int s = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		strcpy(a.sun_path, "/tmp/fault/sock");
		unlink(a.sun_path);
		bind(s, (struct sockaddr *)&a, sizeof(a));
		CALL(getsockname(s, (struct sockaddr *)b, &len));
		CALL(getsockname(s, (struct sockaddr *)&a, (socklen_t *)b));
		close(s);
	}
	size_t changed = 0;
	for (long i = 0; i < page; i++)
		changed += ro[i] != 'r';
	say("bytes changed in the read-only page: %zu", changed);
	/* Buffers that end at the end of the page: enough for the answer. */
	char *end = area + page;
	CALL(readlink("link", end - 4, 64));
	CALL(readlink("link", end - 3, 64));
	CALL(readlink("/proc/self/cwd", end - 10, 100));
	CALL(readlink("/proc/self/cwd", end - 9, 100));
	CALL(syscall(SYS_getcwd, end - 11, 100));
	CALL(syscall(SYS_getcwd, end - 10, 100));
	CALL(syscall(SYS_getcwd, end - 10, 0));

	say("-- paths near PATH_MAX, no NUL");
	/* "././././..." of LEN bytes then a NUL (all mapped). */
	for (size_t len = PATH_MAX - 3; len <= PATH_MAX + 1; len++) {
		for (size_t j = 0; j < len; j++)
			big[j] = j % 2 ? '/' : '.';
		big[len] = 0;
		say("%zu bytes of ./", len);
		CALL(access(big, F_OK));
		CALL(chdir(big));
		CALL(open(big, O_RDONLY | O_DIRECTORY) >= 0 ? 0 : -1);
	}
	/* No NUL at all in three pages, then the unmapped one. */
	memset(big, 'a', 3 * page);
	CALL(access(big, F_OK));
	CALL(open(big, O_RDONLY));
	CALL(rename(big, "x"));
	CALL(rename("file", big));
	CALL(symlink(big, "x"));
	memset(big, '/', 3 * page);
	CALL(access(big, F_OK));
	CALL(chdir(big));
	/* Exactly one page of 'a's before the unmapped page. */
	memset(area, 'a', page);
	CALL(access(area, F_OK));
	CALL(stat(area, &st));
	show_cwd();
	say("done");
	return 0;
}
