/* SPDX-License-Identifier: MIT */
/* fanotify_mark (whose path arguments sit at other places on i386, where the
 * 64-bit mask takes two registers) and the old utime(2): paths resolve in the
 * guest, the final symlink rules hold, and events arrive for the marked file. */
#include "guest.h"

#include <sys/fanotify.h>
#include <utime.h>

int main(void)
{
	scratch("/tmp/fanutime");
	write_file("/tmp/fanutime/file", "x\n");
	CALL(symlink("/tmp/fanutime/file", "/tmp/fanutime/abs-link"));
	CALL(symlink("file", "/tmp/fanutime/rel-link"));

	/* utime through an absolute symlink sets the target's times */
	struct utimbuf ut = { .actime = 1000000000, .modtime = 1000000000 };
	CALL(utime("/tmp/fanutime/abs-link", &ut));
	struct stat st;
	if (stat("/tmp/fanutime/file", &st) == 0)
		say("file mtime: %lld", (long long)st.st_mtime);
	CALL(utime("/tmp/fanutime/missing", &ut));
	CALL(utime("/tmp/fanutime/file/x", &ut));

	int fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
	if (fan < 0) {
		/* unprivileged fanotify needs a recent kernel: natively too */
		say("fanotify_init: %s", errname(errno));
		return guest_exit();
	}
	CALL(fanotify_mark(fan, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, "/tmp/fanutime/abs-link"));
	CALL(fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW, FAN_CLOSE_WRITE, AT_FDCWD,
			   "/tmp/fanutime/rel-link"));
	CALL(fanotify_mark(fan, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, "/tmp/fanutime/missing"));
	int dir = open("/tmp/fanutime", O_RDONLY | O_DIRECTORY);
	CALL(fanotify_mark(fan, FAN_MARK_REMOVE, FAN_CLOSE_WRITE, dir, "rel-link"));
	CALL(fanotify_mark(fan, FAN_MARK_ADD, FAN_CLOSE_WRITE, dir, "../fanutime/file"));
	close(dir);

	/* a write to the file: one FAN_CLOSE_WRITE event for the marked inode */
	write_file("/tmp/fanutime/file", "y\n");
	char buf[4096];
	ssize_t n = read(fan, buf, sizeof(buf));
	int events = 0;
	unsigned long long mask = 0;
	for (struct fanotify_event_metadata *m = (void *)buf; n > 0 && FAN_EVENT_OK(m, n);
	     m = FAN_EVENT_NEXT(m, n)) {
		events++;
		mask |= m->mask;
	}
	say("events: %d, close-write: %s", events, (mask & FAN_CLOSE_WRITE) ? "yes" : "no");
	close(fan);
	return guest_exit();
}
