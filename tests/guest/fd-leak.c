/* SPDX-License-Identifier: MIT */
/* The file descriptors a program starts with: exactly those its parent
 * passed, none of the tracer's own.  After an exec too.  Compared with a
 * native run, which inherits the same ones from the harness. */
#include "guest.h"

static void list(const char *when)
{
	printf("%s: open fds:", when);
	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			printf(" %d", fd);
	printf("\n");
}

int main(int argc, char **argv)
{
	list(argc > 1 ? "after exec" : "at start");
	if (argc > 1)
		return 0;
	int fd = open("/", O_RDONLY);
	say("first free fd: %d", fd);
	close(fd);
	fflush(stdout);
	execl(argv[0], argv[0], "again", (char *)NULL);
	say("execl: %s", errname(errno));
	return 1;
}
