/* SPDX-License-Identifier: MIT */
/* /proc/PID/{cwd,exe,root,fd/N} of ANOTHER guest process (a child that
 * moved to its own directory and opened a file) name guest paths too, and so
 * do /proc/self/mountinfo-free helpers like realpath(3). */
#include "guest.h"

int main(int argc, char **argv)
{
	char path[64];
	int ready[2], done[2];

	scratch("/tmp/procpid");
	mkdir("childdir", 0755);
	pipe(ready);
	pipe(done);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		chdir("/tmp/procpid/childdir");
		int fd = open("/tmp/procpid/childdir/held", O_RDWR | O_CREAT, 0644);
		char c = (char)fd;
		write(ready[1], &c, 1);
		read(done[0], &c, 1);
		_exit(0);
	}
	char fdc = 0;
	read(ready[0], &fdc, 1);
	char buf[PATH_MAX];
	const char *what[] = { "cwd", "exe", "root" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what[i]);
		ssize_t n = readlink(path, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = 0;
		say("child %s: '%s'", what[i], n < 0 ? errname(errno) : buf);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fdc);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	say("child fd: '%s'", n < 0 ? errname(errno) : buf);
	snprintf(path, sizeof(path), "/proc/%d/cwd/held", (int)pid);
	say("through child cwd: %s", access(path, F_OK) ? errname(errno) : "ok");
	write(done[1], "x", 1);
	waitpid(pid, NULL, 0);

	char *rp = realpath("/tmp/procpid/childdir/../childdir/./held", NULL);
	say("realpath: %s", rp ? rp : errname(errno));
	symlink("/tmp/procpid/childdir", "link");
	rp = realpath("link/held", NULL);
	say("realpath via link: %s", rp ? rp : errname(errno));
	rp = realpath(argv[0], NULL);
	say("realpath argv[0]: %s", rp ? rp : errname(errno));
	return guest_exit();
}
