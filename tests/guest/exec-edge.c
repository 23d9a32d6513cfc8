/* SPDX-License-Identifier: MIT */
/* execve and /proc corners that the differential test found (diff.t):
 * "#!" with an empty interpreter name, execveat(AT_FDCWD, "", AT_EMPTY_PATH)
 * of the cwd, /proc/self/cwd of a removed directory, and a relative program
 * path from a cwd deeper than PATH_MAX. */
#include "guest.h"

static void try_exec(const char *what, int dfd, const char *path, int flags)
{
	char *av[] = { "x", NULL }, *ev[] = { NULL };
	long r = syscall(SYS_execveat, dfd, path, av, ev, flags);
	say("%s: %s", what, r < 0 ? errname(errno) : "ran?");
}

int main(void)
{
	scratch("/tmp/execedge");
	const char *texts[][2] = {
		{ "/tmp/execedge/bare", "#!" },
		{ "/tmp/execedge/blanks", "#!   " },
		{ "/tmp/execedge/nl", "#!\n" },
		{ "/tmp/execedge/nul", "#!\0/bin/sh\n" },
	};
	for (int i = 0; i < 4; i++) {
		int fd = open(texts[i][0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		size_t n = i == 3 ? 11 : strlen(texts[i][1]);
		if (fd < 0 || write(fd, texts[i][1], n) != (ssize_t)n)
			say("FAIL: writing %s", texts[i][0]);
		close(fd);
		try_exec(texts[i][0], AT_FDCWD, texts[i][0], 0);
	}

	/* the cwd itself, by AT_EMPTY_PATH */
	CALL(chdir("/tmp/execedge"));
	try_exec("execveat(AT_FDCWD, \"\", AT_EMPTY_PATH)", AT_FDCWD, "", AT_EMPTY_PATH);

	/* /proc/self/cwd of a removed directory */
	CALL(mkdir("/tmp/execedge/gone", 0755));
	CALL(chdir("/tmp/execedge/gone"));
	CALL(rmdir("/tmp/execedge/gone"));
	struct stat st;
	long r = stat("/proc/self/cwd", &st);
	say("stat /proc/self/cwd: %s", r < 0 ? errname(errno) : S_ISDIR(st.st_mode) ? "a directory" : "other");
	r = stat("/proc/self/cwd/x", &st);
	say("stat /proc/self/cwd/x: %s", r < 0 ? errname(errno) : "exists");
	int fd = open("/proc/self/cwd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	say("open /proc/self/cwd: %s", fd < 0 ? errname(errno) : "ok");
	if (fd >= 0)
		close(fd);

	/* a cwd deeper than PATH_MAX, then relative programs */
	CALL(chdir("/tmp/execedge"));
	char name[201];
	memset(name, 'd', 200);
	name[200] = 0;
	int depth = 0;
	for (; depth < 24; depth++)
		if (mkdir(name, 0755) < 0 || chdir(name) < 0)
			break;
	say("went %d directories deep", depth);
	try_exec("relative missing program", AT_FDCWD, name, 0);
	write_file("prog", "#!/bin/sh\nexit 0\n");
	chmod("prog", 0644);
	try_exec("relative program without x", AT_FDCWD, "prog", 0);
	try_exec("the deep cwd by AT_EMPTY_PATH", AT_FDCWD, "", AT_EMPTY_PATH);
	return guest_exit();
}
