/* SPDX-License-Identifier: MIT */
/* Relative symlinks: targets are resolved from the link's directory, ".."
 * chains in targets climb and clamp at the guest root, symlinkat and
 * readlinkat with directory file descriptors. */
#include "guest.h"

int main(void)
{
	scratch("/tmp/symrel");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	write_file("a/file", "A");

	CALL(symlink("../file", "a/b/up"));
	CALL(symlink("b/up", "a/via-b"));
	CALL(symlink("../../../../../../../../tmp/symrel/a/file", "a/far"));
	CALL(symlink(".", "a/self"));
	CALL(symlink("..", "a/parent"));
	CALL(symlink("a/self/self/self/b", "chain"));
	show_file("a/b/up");
	show_file("a/via-b");
	show_file("a/far");
	show_same("a/self/self/self", "a");
	show_same("a/parent", ".");
	show_same("chain", "a/b");
	show_same("a/b/up/..", "a");

	int dfd = open("a", O_RDONLY | O_DIRECTORY);
	CALL(symlinkat("file", dfd, "sibling"));
	CALL(symlinkat("/tmp/symrel/a/file", dfd, "abs"));
	char buf[256];
	ssize_t n = readlinkat(dfd, "sibling", buf, sizeof(buf));
	say("readlinkat sibling: %.*s", (int)(n < 0 ? 0 : n), buf);
	n = readlinkat(dfd, "abs", buf, sizeof(buf));
	say("readlinkat abs: %.*s", (int)(n < 0 ? 0 : n), buf);
	n = readlinkat(dfd, "abs", buf, 4);
	say("readlinkat abs, 4 bytes: %ld %.*s", (long)n, (int)(n < 0 ? 0 : n), buf);
	CALL(readlinkat(dfd, "file", buf, sizeof(buf)));
	CALL(readlinkat(dfd, "", buf, sizeof(buf)));
	CALL(readlink("missing", buf, sizeof(buf)));
	CALL(readlink("a/self", buf, 0));
	int lfd = open("a/sibling", O_PATH | O_NOFOLLOW);
	n = readlinkat(lfd, "", buf, sizeof(buf));
	say("readlinkat O_PATH fd, \"\": %ld %.*s", (long)n, (int)(n < 0 ? 0 : n), buf);
	close(lfd);
	close(dfd);
	show_lstat("a/sibling");
	show_lstat("a/abs");
	return guest_exit();
}
