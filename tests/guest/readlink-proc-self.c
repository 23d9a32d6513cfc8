/* SPDX-License-Identifier: MIT */
/* The /proc magic links name guest paths: /proc/self/exe, cwd, root, fd/N
 * (also for a deleted file), and opening through /proc/self/fd/N works.
 * Needs /proc bound into the guest (the harness does it on both sides). */
#include "guest.h"

int main(int argc, char **argv)
{
	char path[64], lnk[64];
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "exec-child")) {
		show_readlink("/proc/self/exe");
		return 0;
	}
	show_readlink("/proc/self/exe");
	show_readlink("/proc/self/root");
	show_readlink("/proc/self/cwd");
	scratch("/tmp/procself");
	show_readlink("/proc/self/cwd");
	show_same("/proc/self/cwd", "/tmp/procself");
	show_same("/proc/self/root", "/");

	int fd = open("/tmp/procself/file", O_RDWR | O_CREAT, 0644);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	show_readlink(path);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dfd);
	show_readlink(path);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/procself/file", dfd);
	show_stat(path);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", getpid(), dfd);
	n = readlink(path, lnk, sizeof(lnk) - 1);
	lnk[n < 0 ? 0 : n] = 0;
	say("readlink /proc/PID/fd/%d: '%s'", dfd, lnk);
	snprintf(path, sizeof(path), "/proc/thread-self/fd/%d", dfd);
	show_readlink(path);

	/* Reopen through the magic link, then delete the file. */
	write(fd, "xyz", 3);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int fd2 = open(path, O_RDONLY);
	char buf[8] = { 0 };
	say("reopen: %s, read '%.*s'", fd2 < 0 ? errname(errno) : "ok",
	    (int)(fd2 < 0 ? 0 : read(fd2, buf, sizeof(buf))), buf);
	CALL(unlink("/tmp/procself/file"));
	show_readlink(path);

	/* readlink with a pipe and a socket: not paths at all. */
	int p[2];
	pipe(p);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, lnk, sizeof(lnk) - 1);
	lnk[n < 0 ? 0 : n] = 0;
	say("pipe fd: %.6s", lnk);

	/* The exe of a child after execve. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "self", "exec-child", (char *)NULL);
		say("execl /proc/self/exe: %s", errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("child: %s", status_str(status));
	show_stat("/proc/self/exe");
	show_same("/proc/self/exe", argv[0]);
	return guest_exit();
}
