/* SPDX-License-Identifier: MIT */
/* inotify watches on guest paths: the events carry names relative to the
 * watched directory, and watching a missing or non-directory path fails as
 * natively. */
#include "guest.h"
#include <sys/inotify.h>

static void drain(int fd)
{
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n = read(fd, buf, sizeof(buf));

	for (char *p = buf; n > 0 && p < buf + n;) {
		struct inotify_event *e = (struct inotify_event *)p;
		printf("event wd=%d", e->wd);
		if (e->mask & IN_CREATE) printf(" CREATE");
		if (e->mask & IN_DELETE) printf(" DELETE");
		if (e->mask & IN_MODIFY) printf(" MODIFY");
		if (e->mask & IN_MOVED_FROM) printf(" MOVED_FROM");
		if (e->mask & IN_MOVED_TO) printf(" MOVED_TO");
		if (e->mask & IN_ATTRIB) printf(" ATTRIB");
		if (e->mask & IN_CLOSE_WRITE) printf(" CLOSE_WRITE");
		if (e->mask & IN_ISDIR) printf(" ISDIR");
		if (e->mask & IN_IGNORED) printf(" IGNORED");
		if (e->mask & IN_DELETE_SELF) printf(" DELETE_SELF");
		printf(" name='%s'\n", e->len ? e->name : "");
		p += sizeof(*e) + e->len;
	}
}

int main(void)
{
	scratch("/tmp/inotify");
	mkdir("watched", 0755);
	symlink("/tmp/inotify/watched", "link");
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int mask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
		   IN_CLOSE_WRITE | IN_DELETE_SELF;

	CALL(inotify_add_watch(fd, "/tmp/inotify/watched", mask));
	CALL(inotify_add_watch(fd, "link", mask));
	CALL(inotify_add_watch(fd, "link", mask | IN_DONT_FOLLOW));
	CALL(inotify_add_watch(fd, "/tmp/inotify/missing", mask));
	CALL(inotify_add_watch(fd, "link", mask | IN_ONLYDIR));
	write_file("/tmp/inotify/plain", "");
	CALL(inotify_add_watch(fd, "plain", IN_ALL_EVENTS | IN_ONLYDIR));

	write_file("watched/new", "content");
	mkdir("watched/sub", 0755);
	rename("watched/new", "watched/renamed");
	chmod("watched/renamed", 0600);
	unlink("watched/renamed");
	rmdir("watched/sub");
	drain(fd);
	rmdir("watched");
	drain(fd);
	return guest_exit();
}
