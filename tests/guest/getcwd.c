/* SPDX-License-Identifier: MIT */
/* getcwd() reports guest paths: after chdir, fchdir, chdir through a symlink,
 * after the cwd is renamed or removed, and across execve (the cwd survives
 * exec).  Run with "exec-child" it only prints its cwd. */
#include "guest.h"

static void raw_getcwd(void)
{
	char buf[PATH_MAX];
	long n = syscall(SYS_getcwd, buf, sizeof(buf));

	if (n < 0)
		say("SYS_getcwd: -1 %s", errname(errno));
	else
		say("SYS_getcwd: %ld '%s'", n, buf);
	/* Too small a buffer: ERANGE. */
	n = syscall(SYS_getcwd, buf, (size_t)3);
	say("SYS_getcwd(size 3): %s", n < 0 ? errname(errno) : "ok");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child")) {
		say("exec-child:");
		show_cwd();
		return 0;
	}
	show_cwd();
	CALL(chdir("/"));
	show_cwd();
	raw_getcwd();
	scratch("/tmp/getcwd");
	show_cwd();
	raw_getcwd();
	mkdir("d1", 0755);
	mkdir("d1/d2", 0755);
	symlink("d1/d2", "link");
	CALL(chdir("link"));
	show_cwd();
	CALL(chdir(".."));
	show_cwd();
	int fd = open("/tmp/getcwd/d1/d2", O_RDONLY | O_DIRECTORY);
	CALL(chdir("/"));
	CALL(fchdir(fd));
	show_cwd();
	close(fd);
	int file = open("/tmp/getcwd/f", O_RDWR | O_CREAT, 0644);
	CALL(fchdir(file));
	close(file);
	CALL(chdir("/tmp/getcwd/f"));
	CALL(chdir("/tmp/getcwd/missing"));
	CALL(chdir(""));
	show_cwd();

	/* Renamed under our feet: getcwd follows the directory. */
	CALL(rename("/tmp/getcwd/d1", "/tmp/getcwd/renamed"));
	show_cwd();

	/* Exec keeps the cwd. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl(argv[0], argv[0], "exec-child", (char *)NULL);
		say("execl: %s", errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("child: %s", status_str(status));

	/* Removed: getcwd fails with ENOENT. */
	CALL(chdir("/tmp/getcwd/renamed"));
	CALL(rmdir("d2"));
	CALL(chdir("d2"));
	CALL(mkdir("/tmp/getcwd/gone", 0755));
	CALL(chdir("/tmp/getcwd/gone"));
	CALL(rmdir("/tmp/getcwd/gone"));
	show_cwd();
	raw_getcwd();
	CALL(open(".", O_RDONLY | O_CREAT, 0644));
	CALL(chdir(".."));
	show_cwd();
	return guest_exit();
}
