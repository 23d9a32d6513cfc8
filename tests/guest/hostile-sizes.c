/* SPDX-License-Identifier: MIT */
/* Bad sizes and descriptors, compared with the kernel by hostile.t: odd
 * socket address lengths (bind, connect, sendto, sendmsg, recvmsg with bogus
 * pointers, i386 socketcall), enormous iovecs, invalid dirfds, getcwd and
 * readlink with zero, negative, huge and short sizes (bytes past the answer
 * untouched), and opening the running program's own file for writing. */
#include "guest.h"
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <linux/net.h>

#if defined(__x86_64__)
#define SYS_FSTATAT SYS_newfstatat
#else
#define SYS_FSTATAT SYS_fstatat64
#endif

static char *unmapped;

static socklen_t fill(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path));
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* The bytes of BUF after the first N, up to 64: still 0xaa? */
static const char *untouched(const char *buf, long n)
{
	if (n < 0)
		n = 0;
	for (long i = n; i < 64; i++) {
		if ((unsigned char)buf[i] != 0xaa)
			return "CLOBBERED";
	}
	return "untouched";
}

static void show_buf(const char *what, const char *buf, long n)
{
	say("  %s: '%.*s', bytes after it %s", what, (int)(n > 0 ? n : 0), buf, untouched(buf, n));
}

static void readlinks(const char *path)
{
	char buf[128];
	static const long sizes[] = { 0, -1, 1, 5, 9, 10, 11, 64, INT_MAX, (long)0x80000000UL };

	say("- readlink %s", path);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 0xaa, sizeof(buf));
		long n = syscall(SYS_readlinkat, AT_FDCWD, path, buf, sizes[i]);
		say("  readlink size %ld = %ld %s", sizes[i], n, n < 0 ? errname(errno) : "");
		if (n >= 0 && sizes[i] < 64)
			show_buf("result", buf, n);
	}
#if defined(__x86_64__)
	/* The kernel's bufsiz is an int: the upper half is not part of it. */
	memset(buf, 0xaa, sizeof(buf));
	long n = syscall(SYS_readlinkat, AT_FDCWD, path, buf, 0x100000005L);
	say("  readlink size 0x100000005 = %ld %s", n, n < 0 ? errname(errno) : "");
	if (n >= 0)
		show_buf("result", buf, n);
#endif
}

static void getcwds(void)
{
	char buf[128];
	static const long sizes[] = { 0, 1, 2, 10, 11, 12, 64, -1, LONG_MAX };

	show_cwd();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 0xaa, sizeof(buf));
		long n = syscall(SYS_getcwd, buf, sizes[i]);
		say("  getcwd size %ld = %ld %s", sizes[i], n, n < 0 ? errname(errno) : "");
		if (n > 0)
			show_buf("result", buf, n);
	}
}

static void dirfds(void)
{
	int file = open("/tmp/sizes/file", O_RDONLY);
	static const long fds[] = { -1, -2, -101, 1000, 65536, INT_MAX, INT_MIN, 0 };
	char buf[64];
	struct stat st;

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]) + 2; i++) {
		long fd = i < sizeof(fds) / sizeof(fds[0]) ? fds[i] : file;
		if (i == sizeof(fds) / sizeof(fds[0]) + 1) {
#if defined(__x86_64__)
			/* Only the low 32 bits are the fd: this is AT_FDCWD. */
			fd = 0x1ffffff9cL;
#else
			continue;
#endif
		}
		say("- dirfd %ld%s", fd, fd == file ? " (a regular file)" : "");
		CALL0(syscall(SYS_openat, fd, "file", O_RDONLY));
		CALL0(syscall(SYS_openat, fd, "/tmp/sizes/file", O_RDONLY));
		CALL(syscall(SYS_FSTATAT, fd, "file", &st, 0));
		CALL(syscall(SYS_FSTATAT, fd, "", &st, AT_EMPTY_PATH));
		CALL(syscall(SYS_faccessat, fd, "file", F_OK));
		CALL(syscall(SYS_mkdirat, fd, "newdir", 0755));
		CALL(syscall(SYS_unlinkat, fd, "newdir", AT_REMOVEDIR));
		CALL(syscall(SYS_readlinkat, fd, "link", buf, sizeof(buf)));
		CALL(syscall(SYS_symlinkat, "file", fd, "newlink"));
		CALL(syscall(SYS_unlinkat, fd, "newlink", 0));
		CALL(syscall(SYS_renameat, fd, "file", AT_FDCWD, "file"));
		CALL(syscall(SYS_linkat, AT_FDCWD, "file", fd, "hard", 0));
		CALL(syscall(SYS_unlinkat, AT_FDCWD, "hard", 0));
		CALL(syscall(SYS_fchmodat, fd, "file", 0644));
		CALL(syscall(SYS_execveat, fd, "missing", NULL, NULL, 0));
		CALL(syscall(SYS_execveat, fd, "", NULL, NULL, AT_EMPTY_PATH));
		CALL0(syscall(SYS_statx, fd, "file", 0, STATX_BASIC_STATS, buf));
	}
	say("- bad flags");
	CALL(syscall(SYS_FSTATAT, AT_FDCWD, "file", &st, 0xffffffff));
	CALL(syscall(SYS_faccessat2, AT_FDCWD, "file", F_OK, 0xffffffff));
	CALL(syscall(SYS_faccessat, AT_FDCWD, "file", 0xff));
	CALL(syscall(SYS_unlinkat, AT_FDCWD, "file", 0xfff));
	CALL(syscall(SYS_linkat, AT_FDCWD, "file", AT_FDCWD, "x", 0xfff));
	CALL(syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "x", 0xfff));
	CALL(syscall(SYS_statx, AT_FDCWD, "file", 0xffffffff, 0xffffffff, buf));
	CALL(syscall(SYS_execveat, AT_FDCWD, "file", NULL, NULL, 0xffff));
	close(file);
}

/* Socket addresses of every odd length, through every call that carries
 * one. */
static void sockaddrs(void)
{
	struct sockaddr_un a;
	char big[4096];
	static const long lens[] = { 0, 1, 2, 3, 13, 110, 111, 128, 129, 4096, 0x7fffffff, -1 };
	char msg[] = "hello";

	int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	fill(&a, "/tmp/sizes/srv");
	CALL(bind(srv, (struct sockaddr *)&a, sizeof(a)));
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		say("- address length %ld", lens[i]);
		memset(big, 'x', sizeof(big));
		fill((struct sockaddr_un *)big, "/tmp/sizes/srv");
		int s = socket(AF_UNIX, SOCK_DGRAM, 0);
		CALL(sendto(s, msg, sizeof(msg), MSG_DONTWAIT, (struct sockaddr *)big, (socklen_t)lens[i]));
		struct iovec iov = { msg, sizeof(msg) };
		struct msghdr mh = { .msg_name = big, .msg_namelen = (socklen_t)lens[i], .msg_iov = &iov,
				     .msg_iovlen = 1 };
		CALL(sendmsg(s, &mh, MSG_DONTWAIT));
		CALL(connect(s, (struct sockaddr *)big, (socklen_t)lens[i]));
		close(s);
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		fill((struct sockaddr_un *)big, "/tmp/sizes/bound");
		memset(big + offsetof(struct sockaddr_un, sun_path) + 16, 'y', 200);
		CALL(bind(s, (struct sockaddr *)big, (socklen_t)lens[i]));
		unlink("/tmp/sizes/bound");
		close(s);
	}
	/* A sun_path that fills all 108 bytes, no NUL. */
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memset(a.sun_path, 'z', sizeof(a.sun_path));
	memcpy(a.sun_path, "/tmp/sizes/", 11);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	CALL(bind(s, (struct sockaddr *)&a, sizeof(a)));
	show_dir("/tmp/sizes");
	close(s);

	say("- recvmsg and recvfrom with bogus pointers");
	int cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	fill(&a, "/tmp/sizes/cli");
	bind(cli, (struct sockaddr *)&a, sizeof(a));
	fill(&a, "/tmp/sizes/srv");
	char rbuf[64];
	struct iovec riov = { rbuf, sizeof(rbuf) };
	struct {
		const char *what;
		void *name;
		socklen_t namelen;
		void *iov;
		size_t iovlen;
		void *control;
		size_t controllen;
	} rs[] = {
		{ "name unmapped", unmapped, sizeof(a), &riov, 1, NULL, 0 },
		{ "name NULL, namelen 110", NULL, 110, &riov, 1, NULL, 0 },
		{ "namelen 0", big, 0, &riov, 1, NULL, 0 },
		{ "namelen 3", big, 3, &riov, 1, NULL, 0 },
		{ "namelen huge", big, 0x7fffffff, &riov, 1, NULL, 0 },
		{ "namelen -1", big, (socklen_t)-1, &riov, 1, NULL, 0 },
		{ "iov unmapped", big, sizeof(a), unmapped, 1, NULL, 0 },
		{ "iovlen huge", big, sizeof(a), &riov, 100000, NULL, 0 },
		{ "control unmapped", big, sizeof(a), &riov, 1, unmapped, 64 },
	};
	for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++) {
		sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&a, sizeof(a));
		struct msghdr mh = { .msg_name = rs[i].name, .msg_namelen = rs[i].namelen,
				     .msg_iov = rs[i].iov, .msg_iovlen = rs[i].iovlen,
				     .msg_control = rs[i].control, .msg_controllen = rs[i].controllen };
		memset(big, 0, 200);
		long n = recvmsg(srv, &mh, MSG_DONTWAIT);
		say("  recvmsg %s = %ld %s, namelen %u, name '%s'", rs[i].what, n, n < 0 ? errname(errno) : "",
		    (unsigned)mh.msg_namelen, rs[i].name == big ? big + 2 : "-");
		/* Drain what the failed call left. */
		while (recv(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
			;
	}
	sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&a, sizeof(a));
	CALL(recvfrom(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT, (struct sockaddr *)big, (socklen_t *)unmapped));
	sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&a, sizeof(a));
	CALL(recvfrom(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT, (struct sockaddr *)unmapped, NULL));
	sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&a, sizeof(a));
	socklen_t sl = 5;
	CALL(recvfrom(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT, (struct sockaddr *)big, &sl));
	say("  recvfrom with room for 5: addrlen %u", (unsigned)sl);
	sl = sizeof(a);
	memset(big, 0xaa, 200);
	CALL(getsockname(cli, (struct sockaddr *)big, &sl));
	sl = 7;
	memset(big, 0xaa, 200);
	CALL(getsockname(cli, (struct sockaddr *)big, &sl));
	say("  getsockname with room for 7: addrlen %u, '%.5s', bytes after %s", (unsigned)sl, big + 2,
	    untouched(big, 7));
	sl = (socklen_t)-1;
	CALL(getsockname(cli, (struct sockaddr *)big, &sl));
	CALL(getpeername(cli, (struct sockaddr *)big, (socklen_t *)unmapped));
	close(cli);
	close(srv);

#ifdef SYS_socketcall
	say("- socketcall");
	CALL(syscall(SYS_socketcall, SYS_BIND, unmapped));
	CALL(syscall(SYS_socketcall, SYS_CONNECT, NULL));
	CALL(syscall(SYS_socketcall, 0, big));
	CALL(syscall(SYS_socketcall, 21, big));
	CALL(syscall(SYS_socketcall, -1, big));
	long args[3] = { 1000, (long)&a, sizeof(a) };
	CALL(syscall(SYS_socketcall, SYS_CONNECT, args));
	args[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
	args[1] = (long)unmapped;
	CALL(syscall(SYS_socketcall, SYS_CONNECT, args));
	args[1] = (long)&a;
	args[2] = 0x7fffffff;
	CALL(syscall(SYS_socketcall, SYS_CONNECT, args));
	/* The argument array itself runs off the end of a page. */
	long *edge = (long *)(unmapped - sizeof(long));
	*edge = args[0];
	CALL(syscall(SYS_socketcall, SYS_CONNECT, edge));
#endif
}

static void iovecs(void)
{
	char data[16] = "0123456789abcdef";
	int fd = open("/tmp/sizes/iov", O_RDWR | O_CREAT | O_TRUNC, 0644);
	static struct iovec many[1025];

	say("- iovecs");
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ data, 1 };
	CALL(writev(fd, many, 0));
	CALL(writev(fd, many, 1024));
	CALL(writev(fd, many, 1025));
	CALL(syscall(SYS_writev, fd, many, -1));
	CALL(writev(fd, (struct iovec *)unmapped, 1));
	/* Lengths that sum past SSIZE_MAX, over 16 bytes before a hole. */
	struct iovec huge[2] = { { unmapped - 16, SSIZE_MAX }, { data, SSIZE_MAX } };
	CALL(writev(fd, huge, 2));
	struct iovec holes[3] = { { unmapped, 0 }, { data, 4 }, { NULL, 0 } };
	CALL(writev(fd, holes, 3));
	CALL(lseek(fd, 0, SEEK_SET));
	CALL(readv(fd, many, 1025));
	CALL(readv(fd, (struct iovec *)unmapped, 1));
	close(fd);
	/* sendmsg with 1024 iovecs and a named destination. */
	struct sockaddr_un a;
	int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	socklen_t len = fill(&a, "/tmp/sizes/iovsrv");
	bind(srv, (struct sockaddr *)&a, len);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	for (int n = 1023; n <= 1025; n++) {
		struct msghdr mh = { .msg_name = &a, .msg_namelen = len, .msg_iov = many, .msg_iovlen = n };
		errno = 0;
		long r = sendmsg(s, &mh, 0);
		say("  sendmsg with %d iovecs = %ld %s", n, r, r < 0 ? errname(errno) : "");
	}
	struct msghdr mh = { .msg_name = &a, .msg_namelen = len, .msg_iov = huge, .msg_iovlen = 2 };
	CALL(sendmsg(s, &mh, 0));
	char rbuf[2048];
	CALL(recv(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT));
	close(s);
	close(srv);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		say("hostile-sizes: run by tests/integration/hostile.t (any argument)");
		return 0;
	}
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(area + page, page);
	unmapped = area + page;
	scratch("/tmp/sizes");
	write_file("file", "data");
	symlink("file", "link");
	symlink("/tmp/sizes/a-rather-long-symlink-target", "longlink");
	mkdir("d", 0755);

	readlinks("link");
	readlinks("longlink");
	readlinks("/proc/self/cwd");
	readlinks("/proc/self/exe");
	readlinks("/proc/self/root");
	getcwds();
	chdir("/mnt/bind");
	getcwds();
	chdir("/tmp/sizes");
	dirfds();
	sockaddrs();
	iovecs();
	/* The running program's own file: never writable (ETXTBSY).  Opened
	 * without O_TRUNC, so that a wrong answer does not kill us. */
	say("- the running program");
	CALL0(open(argv[0], O_WRONLY | O_CLOEXEC));
	CALL0(open("/proc/self/exe", O_RDWR | O_CLOEXEC));
	say("done");
	return 0;
}
