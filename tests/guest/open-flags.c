/* SPDX-License-Identifier: MIT */
/* open/openat flags whose meaning depends on the path: O_CREAT|O_EXCL,
 * O_DIRECTORY, O_NOFOLLOW, O_PATH, O_TMPFILE (a nameless file in a guest
 * directory, then given a name), O_TRUNC, truncate/ftruncate, creat. */
#include "guest.h"

int main(void)
{
	scratch("/tmp/openflags");
	write_file("file", "0123456789");
	mkdir("dir", 0755);
	symlink("file", "link");
	symlink("dir", "dlink");

	CALL0(open("file", O_RDONLY));
	CALL(open("file", O_RDONLY | O_CREAT | O_EXCL, 0644));
	CALL(open("link", O_RDONLY | O_CREAT | O_EXCL, 0644));
	CALL(open("file", O_RDONLY | O_DIRECTORY));
	CALL0(open("dir", O_RDONLY | O_DIRECTORY));
	CALL0(open("dlink", O_RDONLY | O_DIRECTORY));
	CALL(open("dlink", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
	CALL(open("dir", O_WRONLY));
	CALL(open("dir", O_RDONLY | O_CREAT, 0644));
	CALL(open("missing", O_RDONLY));
	CALL(open("missing/x", O_RDONLY | O_CREAT, 0644));
	CALL(open("file/x", O_RDONLY));
	int p = open("link", O_PATH | O_NOFOLLOW);
	char buf[16];
	CALL(read(p, buf, 1));
	struct stat st;
	CALL(fstat(p, &st));
	print_st("fstat O_PATH link", &st);
	close(p);

	CALL0(open("new", O_WRONLY | O_CREAT | O_EXCL, 0640));
	show_stat("new");
	CALL0(creat("created", 0600));
	show_stat("created");
	CALL0(open("file", O_WRONLY | O_TRUNC));
	show_stat("file");
	write_file("file", "0123456789");
	CALL(truncate("file", 4));
	show_stat("file");
	CALL(truncate("link", 2));
	show_stat("file");
	CALL(truncate("dir", 0));
	CALL(truncate("missing", 0));
	int fd = open("file", O_RDWR);
	CALL(ftruncate(fd, 100));
	show_stat("file");
	close(fd);

	/* O_TMPFILE: no name until linked through /proc/self/fd. */
	int t = open("/tmp/openflags/dir", O_TMPFILE | O_RDWR, 0600);
	if (t < 0) {
		say("O_TMPFILE: %s", errname(errno));
	} else {
		write(t, "tmp", 3);
		show_dir("/tmp/openflags/dir");
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t);
		CALL(linkat(AT_FDCWD, proc, AT_FDCWD, "/tmp/openflags/dir/named", AT_SYMLINK_FOLLOW));
		show_dir("/tmp/openflags/dir");
		show_file("/tmp/openflags/dir/named");
		close(t);
	}
	CALL(open("/tmp/openflags/file", O_TMPFILE | O_RDWR, 0600));
	CALL(open("/tmp/openflags/nodir", O_TMPFILE | O_RDWR, 0600));
	return guest_exit();
}
