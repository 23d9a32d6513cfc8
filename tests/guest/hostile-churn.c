/* SPDX-License-Identifier: MIT */
/* "Nothing is lost": writes, renames, links and deletes through two bound
 * directories (/mnt/bind, /mnt/bind2), from several processes and threads,
 * with the fallbacks real programs use (copy and delete on EXDEV, as mv
 * does).  hostile.t compares the host directories, content hashes included,
 * after a native run and after a ptroot run. */
#include "guest.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static uint32_t seed = 12345;

static uint32_t next(void)
{
	seed = seed * 1103515245 + 12345;
	return seed >> 8;
}

/* PATH gets LEN deterministic bytes, written in pieces of every kind. */
static void fill(const char *path, size_t len, int how)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | (how == 2 ? O_APPEND : 0), 0644);
	char *buf = malloc(len + 1);

	if (fd < 0 || !buf) {
		say("fill %s: %s", path, errname(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = 'a' + next() % 26;
	if (how == 0) {
		write(fd, buf, len);
	} else if (how == 1) {
		/* Backwards, with pwrite. */
		for (size_t off = len; off > 0;) {
			size_t n = off < 4096 ? off : 4096;
			off -= n;
			pwrite(fd, buf + off, n, off);
		}
	} else {
		struct iovec iov[3] = { { buf, len / 3 }, { buf + len / 3, len / 3 },
					{ buf + 2 * (len / 3), len - 2 * (len / 3) } };
		writev(fd, iov, 3);
	}
	fsync(fd);
	close(fd);
	free(buf);
}

/* cp SRC DST, by read/write. */
static int copy(const char *src, const char *dst)
{
	char buf[8192];
	struct stat st;
	int in = open(src, O_RDONLY);

	if (in < 0 || fstat(in, &st) < 0)
		return -1;
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	for (ssize_t n; (n = read(in, buf, sizeof(buf))) > 0;)
		write(out, buf, n);
	close(in);
	close(out);
	return 0;
}

/* mv SRC DST: rename, or copy and delete across file systems. */
static void mv(const char *src, const char *dst)
{
	if (rename(src, dst) == 0)
		return;
	if (errno != EXDEV) {
		say("mv %s %s: %s", src, dst, errname(errno));
		return;
	}
	if (copy(src, dst) == 0)
		unlink(src);
}

static void *writer(void *arg)
{
	long id = (long)arg;
	char path[64];

	snprintf(path, sizeof(path), "/mnt/bind2/thread%ld", id);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0640);
	for (int i = 0; i < 200; i++)
		dprintf(fd, "thread %ld line %d\n", id, i);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	char a[128], b[128];

	if (argc < 2) {
		say("hostile-churn: run by tests/integration/hostile.t (any argument)");
		return 0;
	}
	alarm(120);
	mkdir("/mnt/bind/tree", 0755);
	mkdir("/mnt/bind/tree/sub", 0755);
	mkdir("/mnt/bind2/dst", 0755);

	/* Files of many sizes, written three ways. */
	for (int i = 0; i < 40; i++) {
		snprintf(a, sizeof(a), "/mnt/bind/tree/f%02d", i);
		fill(a, (size_t)(i * i * 97) % 200000, i % 3);
	}
	/* Renames inside one binding, over files, and refused ones. */
	for (int i = 0; i < 40; i += 3) {
		snprintf(a, sizeof(a), "/mnt/bind/tree/f%02d", i);
		snprintf(b, sizeof(b), "/mnt/bind/tree/sub/g%02d", i);
		rename(a, b);
	}
	rename("/mnt/bind/tree/f01", "/mnt/bind/tree/f02");
	renameat2(AT_FDCWD, "/mnt/bind/tree/f04", AT_FDCWD, "/mnt/bind/tree/f05", RENAME_EXCHANGE);
	renameat2(AT_FDCWD, "/mnt/bind/tree/f07", AT_FDCWD, "/mnt/bind/tree/f08", RENAME_NOREPLACE);
	/* Moves to the other binding and to the guest, the mv way. */
	for (int i = 10; i < 20; i++) {
		snprintf(a, sizeof(a), "/mnt/bind/tree/f%02d", i);
		snprintf(b, sizeof(b), "/mnt/bind2/dst/m%02d", i);
		mv(a, b);
	}
	mv("/mnt/bind/tree/f20", "/tmp/from-bind");
	fill("/tmp/to-bind", 5000, 0);
	mv("/tmp/to-bind", "/mnt/bind/tree/from-guest");
	mv("/mnt/bind/tree/sub", "/mnt/bind/tree/sub-renamed");
	/* Links: hard, symbolic, relative through the bindings. */
	link("/mnt/bind/tree/f22", "/mnt/bind/tree/f22-hard");
	symlink("f23", "/mnt/bind/tree/f23-rel");
	symlink("/mnt/bind/tree/f24", "/mnt/bind/tree/f24-abs");
	symlink("../../bind/tree/f25", "/mnt/bind2/dst/f25-cross");
	fill("/mnt/bind/tree/f23-rel", 777, 0);	/* through the link */
	/* Deletes, including files still open and written to. */
	int open_fd = open("/mnt/bind/tree/f26", O_WRONLY | O_APPEND);
	unlink("/mnt/bind/tree/f26");
	write(open_fd, "lost natively too\n", 18);
	close(open_fd);
	unlink("/mnt/bind/tree/f27");
	unlink("/mnt/bind/tree/f22");
	/* Truncation, a shared mapping, an anonymous file linked in. */
	truncate("/mnt/bind/tree/f28", 1000);
	int fd = open("/mnt/bind/tree/f29", O_RDWR);
	ftruncate(fd, 8192);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED) {
		memcpy(m + 100, "written through a shared mapping", 32);
		msync(m, 8192, MS_SYNC);
		munmap(m, 8192);
	}
	close(fd);
	fd = open("/mnt/bind2/dst", O_TMPFILE | O_WRONLY, 0600);
	if (fd >= 0) {
		write(fd, "anonymous, then linked\n", 23);
		snprintf(a, sizeof(a), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, a, AT_FDCWD, "/mnt/bind2/dst/tmpfile", AT_SYMLINK_FOLLOW) < 0)
			say("linkat tmpfile: %s", errname(errno));
		close(fd);
	}
	/* Modes, and a directory tree created then removed. */
	chmod("/mnt/bind/tree/f30", 0600);
	chmod("/mnt/bind/tree/f31", 0755);
	mkdir("/mnt/bind/gone", 0755);
	mkdir("/mnt/bind/gone/x", 0755);
	fill("/mnt/bind/gone/x/y", 100, 0);
	rm_rf("/mnt/bind/gone");
	/* Processes and threads writing at once. */
	fflush(stdout);
	for (int p = 0; p < 4; p++) {
		if (fork() == 0) {
			snprintf(a, sizeof(a), "/mnt/bind/proc%d", p);
			seed = 1000 + p;
			fill(a, 30000 + p, p % 3);
			snprintf(b, sizeof(b), "/mnt/bind2/proc%d", p);
			mv(a, b);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	pthread_t th[4];
	for (long t = 0; t < 4; t++)
		pthread_create(&th[t], NULL, writer, (void *)t);
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	/* Each thread's lines are in order; their interleaving is not the
	 * same from run to run, so each thread writes its own file. */
	say("done");
	return 0;
}
