/* SPDX-License-Identifier: MIT */
/* vfork: the parent is suspended until the child execs or exits; the child
 * borrows the parent's memory.  Both exec and _exit paths, and a child that
 * changes its cwd before exec (which must not move the parent). */
#include "guest.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		say("exec'd child: %s", argv[2]);
		show_cwd();
		return 7;
	}
	scratch("/tmp/vfork");
	mkdir("sub", 0755);
	volatile int touched = 0;
	int status;

	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		touched = 1;
		_exit(3);
	}
	waitpid(pid, &status, 0);
	say("vfork+_exit: %s, memory shared: %s", status_str(status), touched ? "yes" : "no");

	pid = vfork();
	if (pid == 0) {
		chdir("sub");
		execl(argv[0], argv[0], "child", "after chdir", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	say("vfork+exec: %s", status_str(status));
	show_cwd();

	pid = vfork();
	if (pid == 0) {
		execl("/tmp/vfork/missing", "x", (char *)NULL);
		_exit(errno == ENOENT ? 42 : 43);
	}
	waitpid(pid, &status, 0);
	say("vfork+failed exec: %s", status_str(status));
	return guest_exit();
}
