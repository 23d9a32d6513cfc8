/* SPDX-License-Identifier: MIT */
/* ".." and "." in guest paths: ".." is clamped at the guest root, trailing
 * slashes and "/." demand a directory, repeated slashes are harmless.  The
 * transcript must match a native chroot run. */
#include "guest.h"

int main(void)
{
	scratch("/tmp/dotdot");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	write_file("a/f", "data");

	show_same("/..", "/");
	show_same("/../../..", "/");
	show_same("/tmp/../..", "/");
	show_same("/tmp/dotdot/a/b/../../a", "/tmp/dotdot/a");
	show_same("../../../../../../../..", "/");
	show_dir("/../tmp/..");

	CALL(chdir("/"));
	CALL(chdir(".."));
	show_cwd();
	CALL(chdir("../../.."));
	show_cwd();
	CALL(chdir("/tmp/dotdot/a/b"));
	CALL(chdir("../../../../../../.."));
	show_cwd();

	/* Trailing slashes and dots. */
	show_stat("/tmp/dotdot/a/f/");
	show_stat("/tmp/dotdot/a/f/.");
	show_stat("/tmp/dotdot/a/f/..");
	show_stat("/tmp/dotdot/a/missing/..");
	show_stat("/tmp/dotdot/a/b/");
	show_stat("//tmp//dotdot///a/./b/.");
	show_stat("/tmp/dotdot/a/b/../f");
	CALL(open("/tmp/dotdot/a/", O_RDWR | O_CREAT, 0644));
	CALL(open("/tmp/dotdot/a/g/", O_RDWR | O_CREAT, 0644));
	CALL(mkdir("/tmp/dotdot/new/", 0755));
	CALL(mkdir("/tmp/dotdot/new/.", 0755));
	CALL(mkdir("/tmp/dotdot/x/..", 0755));
	CALL(rmdir("/tmp/dotdot/new/."));
	CALL(rmdir("/tmp/dotdot/new/.."));
	CALL(rmdir("/tmp/dotdot/new/"));
	CALL(unlink("/tmp/dotdot/a/f/"));
	CALL(access("", F_OK));
	CALL(rename("/tmp/dotdot/a", "/tmp/dotdot/a/b/c"));
	CALL(rename("/tmp/dotdot/a/f", "/tmp/dotdot/a/f2/"));

	/* Relative paths from a directory below the root. */
	CALL(chdir("/tmp/dotdot/a"));
	show_stat("../a/f");
	show_stat("./b/../f");
	show_stat("b/../../a/./f");
	show_stat("..");
	CALL(chdir("b/.."));
	show_cwd();
	return guest_exit();
}
