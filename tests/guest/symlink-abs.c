/* SPDX-License-Identifier: MIT */
/* Absolute symlinks resolve inside the guest: a link to "/tmp/..." or to "/"
 * must never reach the host's directories; readlink returns the target as
 * written; ".." after a link to "/" stays at the guest root. */
#include "guest.h"

int main(void)
{
	scratch("/tmp/symabs");
	mkdir("dir", 0755);
	write_file("dir/file", "hello");

	CALL(symlink("/tmp/symabs/dir", "to-dir"));
	CALL(symlink("/tmp/symabs/dir/file", "to-file"));
	CALL(symlink("/", "to-root"));
	CALL(symlink("/..", "to-root-dotdot"));
	CALL(symlink("/tmp/symabs/to-dir/../dir/file", "via-link"));
	CALL(symlink("/nonexistent/target", "dangling"));
	CALL(symlink("/etc", "to-etc"));

	show_readlink("to-dir");
	show_readlink("/tmp/symabs/to-root");
	show_readlink("dangling");
	show_readlink("dir");
	show_stat("to-dir");
	show_lstat("to-dir");
	show_stat("to-file");
	show_file("to-file");
	show_file("via-link");
	show_file("to-dir/file");
	show_same("to-root", "/");
	show_same("to-root/..", "/");
	show_same("to-root-dotdot", "/");
	show_same("to-root/tmp/symabs/to-root/tmp", "/tmp");
	show_same("to-etc/passwd", "/etc/passwd");
	show_dir("to-root/tmp/symabs");
	show_stat("dangling");
	show_lstat("dangling");

	/* Creating through a dangling absolute link creates its target. */
	CALL(symlink("/tmp/symabs/created", "make-me"));
	CALL0(open("make-me", O_WRONLY | O_CREAT, 0600));
	show_stat("/tmp/symabs/created");
	CALL(open("make-me", O_WRONLY | O_CREAT | O_EXCL, 0600));
	CALL(open("to-file", O_RDONLY | O_NOFOLLOW));
	CALL0(open("to-file", O_RDONLY | O_NOFOLLOW | O_PATH));
	CALL(mkdir("dangling", 0755));
	CALL(chdir("to-dir"));
	show_cwd();
	CALL(chdir("/tmp/symabs/to-root"));
	show_cwd();
	CALL(chdir("/tmp/symabs/to-dir/.."));
	show_cwd();

	/* Links with a trailing slash are followed even by lstat/unlink. */
	show_lstat("/tmp/symabs/to-dir/");
	CALL(unlink("/tmp/symabs/to-dir/"));
	CALL(rmdir("/tmp/symabs/to-dir/"));
	CALL(unlink("/tmp/symabs/to-dir"));
	show_dir("/tmp/symabs");
	return guest_exit();
}
