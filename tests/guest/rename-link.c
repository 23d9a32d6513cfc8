/* SPDX-License-Identifier: MIT */
/* rename, renameat2 (NOREPLACE, EXCHANGE), link and unlink in the guest:
 * link counts, renaming over files and directories, renaming a directory
 * into itself, hard links to directories and through symlinks. */
#include "guest.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

int main(void)
{
	scratch("/tmp/renamelink");
	write_file("f1", "one");
	write_file("f2", "two");
	mkdir("d1", 0755);
	mkdir("d2", 0755);
	write_file("d2/inside", "in");
	symlink("f1", "l1");
	symlink("/tmp/renamelink/f1", "labs");

	CALL(link("f1", "f1-hard"));
	show_stat("f1");
	CALL(link("f1", "f1-hard"));
	CALL(link("d1", "d1-hard"));
	CALL(link("missing", "x"));
	CALL(linkat(AT_FDCWD, "labs", AT_FDCWD, "labs-nofollow", 0));
	CALL(linkat(AT_FDCWD, "labs", AT_FDCWD, "labs-follow", AT_SYMLINK_FOLLOW));
	show_lstat("labs-nofollow");
	show_lstat("labs-follow");
	show_stat("f1");

	CALL(rename("f1", "f1-renamed"));
	show_file("f1-hard");
	show_stat("l1");
	CALL(rename("f1-renamed", "f1"));
	CALL(rename("f2", "f1"));
	show_file("f1");
	show_stat("f1-hard");
	CALL(rename("f1", "d1"));
	CALL(rename("d1", "f1"));
	CALL(rename("d1", "d2"));
	CALL(rename("d1", "d1/sub"));
	CALL(rename("d1", "d1"));
	CALL(rename("f1", "f1"));
	CALL(rename("missing", "x"));
	CALL(rename("d2/inside", "/tmp/renamelink/moved"));
	CALL(rename("d1", "d2"));
	show_dir("/tmp/renamelink");
	CALL(rename("/", "/tmp/renamelink/root"));
	CALL(rename("/tmp/renamelink/labs", "/tmp/renamelink/labs2"));
	show_readlink("/tmp/renamelink/labs2");

	write_file("a", "A");
	write_file("b", "B");
	mkdir("dir", 0755);
	CALL(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
	CALL(renameat2(AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	CALL(renameat2(AT_FDCWD, "c", AT_FDCWD, "b", RENAME_EXCHANGE));
	show_file("b");
	show_file("c");
	CALL(renameat2(AT_FDCWD, "c", AT_FDCWD, "dir", RENAME_EXCHANGE));
	show_stat("c");
	show_stat("dir");
	CALL(renameat2(AT_FDCWD, "b", AT_FDCWD, "nothere", RENAME_EXCHANGE));
	CALL(renameat2(AT_FDCWD, "b", AT_FDCWD, "c", RENAME_EXCHANGE | RENAME_NOREPLACE));

	CALL(unlink("f1-hard"));
	CALL(unlink("d2"));
	CALL(unlink("missing"));
	CALL(unlink("labs2"));
	CALL(rmdir("d2"));
	CALL(rmdir("."));
	CALL(rmdir("/"));
	CALL(rmdir("/tmp/renamelink/c"));
	show_dir("/tmp/renamelink");
	return guest_exit();
}
