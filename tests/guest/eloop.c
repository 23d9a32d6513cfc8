/* SPDX-License-Identifier: MIT */
/* Symlink loops and the kernel's limit of 40 links per lookup: a chain of 40
 * links resolves, 41 gives ELOOP; self-loops and two-link loops give ELOOP
 * for following calls, while lstat, readlink and unlink act on the link. */
#include "guest.h"

int main(void)
{
	char from[32], to[32];

	scratch("/tmp/eloop");
	write_file("target", "end");
	/* l0 -> target, l1 -> l0, ... l40 -> l39 */
	CALL(symlink("target", "l0"));
	for (int i = 1; i <= 41; i++) {
		snprintf(from, sizeof(from), "l%d", i);
		snprintf(to, sizeof(to), i % 2 ? "/tmp/eloop/l%d" : "l%d", i - 1);
		symlink(to, from);
	}
	show_file("l38");
	show_file("l39");
	show_file("l40");
	show_stat("l39");
	show_stat("l40");
	show_lstat("l40");
	show_readlink("l40");

	CALL(symlink("self", "self"));
	CALL(symlink("b", "a"));
	CALL(symlink("/tmp/eloop/a", "b"));
	show_stat("self");
	show_lstat("self");
	show_stat("a");
	show_stat("a/x");
	show_stat("self/");
	CALL(open("self", O_RDONLY));
	CALL(open("self", O_RDONLY | O_NOFOLLOW));
	CALL(open("self", O_WRONLY | O_CREAT, 0644));
	CALL(chdir("a"));
	CALL(mkdir("self/x", 0755));
	CALL(mkdir("self", 0755));
	CALL(access("b", F_OK));
	CALL(faccessat(AT_FDCWD, "b", F_OK, AT_SYMLINK_NOFOLLOW));
	CALL(truncate("a", 0));
	CALL(unlink("self"));
	show_lstat("self");
	CALL(rename("a", "a2"));
	show_readlink("a2");

	/* Directory links: 40 nested dir links work in one path too. */
	mkdir("d", 0755);
	CALL(symlink(".", "d/dot"));
	char path[512] = "d";
	for (int i = 0; i < 40; i++)
		strcat(path, "/dot");
	CALL(access(path, F_OK));
	strcat(path, "/dot");
	CALL(access(path, F_OK));
	return guest_exit();
}
