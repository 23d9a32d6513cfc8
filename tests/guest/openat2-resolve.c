/* SPDX-License-Identifier: MIT */
/* openat2(2) (437, by number) with its RESOLVE_* flags: the guest root is the
 * root for RESOLVE_IN_ROOT relative to a dirfd, RESOLVE_BENEATH refuses "..",
 * RESOLVE_NO_SYMLINKS refuses links, and bad arguments give EINVAL/E2BIG. */
#include "guest.h"
#include <stdint.h>

struct how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10

static long try(int dfd, const char *path, uint64_t flags, uint64_t resolve, const char *expect_same)
{
	struct how how = { .flags = flags, .mode = (flags & O_CREAT) ? 0644 : 0, .resolve = resolve };
	long fd;
	/* EAGAIN: a rename somewhere on the machine during a scoped lookup
	 * with ".." (openat2(2) says to retry); tests run in parallel */
	for (int i = 0; i < 100; i++)
		if ((fd = syscall(SYS_openat2, dfd, path, &how, sizeof(how))) >= 0 || errno != EAGAIN)
			break;

	printf("openat2(%s, \"%s\", 0x%llx, resolve=0x%llx) = ", dfd == AT_FDCWD ? "AT_FDCWD" : "dfd",
	       path, (unsigned long long)flags, (unsigned long long)resolve);
	if (fd < 0) {
		printf("-1 %s\n", errname(errno));
		return fd;
	}
	if (expect_same) {
		struct stat a, b;
		fstat(fd, &a);
		int r = stat(expect_same, &b);
		printf("fd, same as %s: %s\n", expect_same, r == 0 && same_file(&a, &b) ? "yes" : "no");
	} else {
		printf("fd\n");
	}
	close(fd);
	return 0;
}

int main(void)
{
	scratch("/tmp/openat2");
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	write_file("d/sub/f", "f");
	write_file("/tmp/openat2/top", "top");
	symlink("/tmp/openat2/top", "d/abs");
	symlink("sub/f", "d/rel");
	symlink("../top", "d/up");
	symlink("/", "d/root");

	int d = open("d", O_RDONLY | O_DIRECTORY);
	try(AT_FDCWD, "/tmp/openat2/d/sub/f", O_RDONLY, 0, "/tmp/openat2/d/sub/f");
	try(AT_FDCWD, "d/abs", O_RDONLY, 0, "/tmp/openat2/top");
	try(d, "rel", O_RDONLY, 0, "/tmp/openat2/d/sub/f");
	try(d, "abs", O_RDONLY, 0, "/tmp/openat2/top");
	try(d, "abs", O_RDONLY, RESOLVE_NO_SYMLINKS, NULL);
	try(d, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS, NULL);
	try(d, "sub/f", O_RDONLY, RESOLVE_NO_SYMLINKS, "/tmp/openat2/d/sub/f");
	try(d, "rel", O_RDONLY, RESOLVE_BENEATH, "/tmp/openat2/d/sub/f");
	try(d, "up", O_RDONLY, RESOLVE_BENEATH, NULL);
	try(d, "abs", O_RDONLY, RESOLVE_BENEATH, NULL);
	try(d, "../top", O_RDONLY, RESOLVE_BENEATH, NULL);
	try(d, "/tmp/openat2/top", O_RDONLY, RESOLVE_BENEATH, NULL);
	try(d, "sub/../sub/f", O_RDONLY, RESOLVE_BENEATH, "/tmp/openat2/d/sub/f");
	/* RESOLVE_IN_ROOT: "/" and ".." stop at the dirfd. */
	try(d, "/sub/f", O_RDONLY, RESOLVE_IN_ROOT, "/tmp/openat2/d/sub/f");
	try(d, "../../../sub/f", O_RDONLY, RESOLVE_IN_ROOT, "/tmp/openat2/d/sub/f");
	try(d, "root/sub/f", O_RDONLY, RESOLVE_IN_ROOT, "/tmp/openat2/d/sub/f");
	try(d, "up", O_RDONLY, RESOLVE_IN_ROOT, NULL);
	try(d, "abs", O_RDONLY, RESOLVE_IN_ROOT, NULL);
	/* RESOLVE_IN_ROOT at the guest root is the guest root. */
	int root = open("/", O_RDONLY | O_DIRECTORY);
	try(root, "/tmp/openat2/top", O_RDONLY, RESOLVE_IN_ROOT, "/tmp/openat2/top");
	try(root, "../../tmp/openat2/d/abs", O_RDONLY, RESOLVE_IN_ROOT, "/tmp/openat2/top");
	try(AT_FDCWD, "/tmp/openat2/d/root/tmp/openat2/top", O_RDONLY, 0, "/tmp/openat2/top");
	/* Creation and errors. */
	try(d, "new", O_WRONLY | O_CREAT | O_EXCL, RESOLVE_BENEATH, "/tmp/openat2/d/new");
	try(d, "new", O_WRONLY | O_CREAT | O_EXCL, RESOLVE_BENEATH, NULL);
	try(d, "missing/x", O_RDONLY, 0, NULL);
	try(d, "sub/f", O_RDONLY, 0x80, NULL);
	try(AT_FDCWD, "/proc/self/exe", O_RDONLY, RESOLVE_NO_MAGICLINKS, NULL);

	struct how how = { .flags = O_RDONLY };
	CALL(syscall(SYS_openat2, d, "sub/f", &how, (size_t)8));
	struct {
		struct how h;
		uint64_t extra;
	} big = { .h = { .flags = O_RDONLY }, .extra = 1 };
	CALL(syscall(SYS_openat2, d, "sub/f", &big, sizeof(big)));
	how.mode = 0644;
	CALL(syscall(SYS_openat2, d, "sub/f", &how, sizeof(how)));
	return guest_exit();
}
