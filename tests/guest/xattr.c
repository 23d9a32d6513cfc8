/* SPDX-License-Identifier: MIT */
/* Extended attributes on guest paths: set/get/list/remove on a file, the l*
 * variants on a symlink (user.* is refused there) and through it, f* on an
 * fd, ENODATA and ERANGE.  Only user.* attributes (no privilege needed). */
#include "guest.h"
#include <sys/xattr.h>

static void list(const char *path, int follow)
{
	char buf[512], *names[32];
	ssize_t n = follow ? listxattr(path, buf, sizeof(buf)) : llistxattr(path, buf, sizeof(buf));
	int k = 0;

	if (n < 0) {
		say("%slistxattr %s: %s", follow ? "" : "l", path, errname(errno));
		return;
	}
	/* Only user.* names: security.* ones depend on the host's LSM. */
	for (char *p = buf; p < buf + n && k < 32; p += strlen(p) + 1)
		if (!strncmp(p, "user.", 5))
			names[k++] = p;
	qsort(names, k, sizeof(names[0]), cmp_str);
	printf("%slistxattr %s:", follow ? "" : "l", path);
	for (int i = 0; i < k; i++)
		printf(" %s", names[i]);
	printf("\n");
}

static void get(const char *path, const char *name)
{
	char buf[64];
	ssize_t n = getxattr(path, name, buf, sizeof(buf));

	if (n < 0)
		say("getxattr %s %s: %s", path, name, errname(errno));
	else
		say("getxattr %s %s: '%.*s'", path, name, (int)n, buf);
}

int main(void)
{
	scratch("/tmp/xattr");
	write_file("file", "x");
	symlink("/tmp/xattr/file", "link");

	if (setxattr("file", "user.probe", "1", 1, 0) < 0 && errno == EOPNOTSUPP) {
		/* Same answer natively: the file system has no user xattrs. */
		say("user xattrs not supported here");
		return 0;
	}
	CALL(setxattr("/tmp/xattr/file", "user.color", "blue", 4, 0));
	CALL(setxattr("/tmp/xattr/file", "user.color", "red", 3, XATTR_CREATE));
	CALL(setxattr("/tmp/xattr/file", "user.size", "big", 3, XATTR_REPLACE));
	CALL(setxattr("link", "user.via-link", "yes", 3, 0));
	CALL(lsetxattr("link", "user.on-link", "no", 2, 0));
	get("file", "user.color");
	get("link", "user.via-link");
	get("file", "user.missing");
	CALL(getxattr("file", "user.color", NULL, 0));
	char small[2];
	CALL(getxattr("file", "user.color", small, sizeof(small)));
	CALL(lgetxattr("link", "user.color", small, sizeof(small)));
	list("file", 1);
	list("link", 1);
	list("link", 0);
	CALL(removexattr("link", "user.via-link"));
	CALL(removexattr("file", "user.via-link"));
	CALL(lremovexattr("link", "user.color"));
	int fd = open("file", O_RDWR);
	CALL(fsetxattr(fd, "user.fd", "f", 1, 0));
	CALL(fgetxattr(fd, "user.fd", small, sizeof(small)));
	list("/tmp/xattr/file", 1);
	CALL(getxattr("/tmp/xattr/missing", "user.color", small, sizeof(small)));
	CALL(setxattr("/tmp/xattr/file", "nonamespace", "v", 1, 0));
	return guest_exit();
}
