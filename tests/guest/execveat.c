/* SPDX-License-Identifier: MIT */
/* execveat(2): a path relative to a dirfd, AT_EMPTY_PATH on an fd of the
 * program, AT_SYMLINK_NOFOLLOW on a link (ELOOP), bad flags (EINVAL).  The
 * executed child prints how it was reached. */
#include "guest.h"


static void run(const char *what, int dfd, const char *path, int flags)
{
	char *argv[] = { "execveat-child", "child", (char *)what, NULL };
	char *envp[] = { NULL };

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, dfd, path, argv, envp, flags);
		say("%s: -1 %s", what, errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("%s: %s", what, status_str(status));
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "child")) {
		say("child via %s", argv[2]);
		show_cwd();
		return 0;
	}
	scratch("/tmp/execveat");
	/* argv[0] is /t/execveat or /t32/execveat */
	char dir[64];
	snprintf(dir, sizeof(dir), "%s", argv[0]);
	*strrchr(dir, '/') = 0;
	symlink(argv[0], "link");

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	int self = open(argv[0], O_RDONLY);
	int path_fd = open(argv[0], O_PATH);
	int here = open(".", O_RDONLY | O_DIRECTORY);
	run("dirfd+relative", dfd, "execveat", 0);
	run("dirfd+absolute", dfd, argv[0], 0);
	run("AT_FDCWD+relative link", AT_FDCWD, "link", 0);
	run("AT_EMPTY_PATH on O_RDONLY fd", self, "", AT_EMPTY_PATH);
	run("AT_EMPTY_PATH on O_PATH fd", path_fd, "", AT_EMPTY_PATH);
	run("link, AT_SYMLINK_NOFOLLOW", here, "link", AT_SYMLINK_NOFOLLOW);
	run("empty path without flag", self, "", 0);
	run("bad flags", dfd, "execveat", 0x4);
	run("missing", dfd, "missing", 0);
	run("bad fd", 1000, "execveat", 0);
	return guest_exit();
}
