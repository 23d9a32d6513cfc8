/* SPDX-License-Identifier: MIT */
/* An unprivileged user cannot use ptroot to touch a host file it could not
 * touch without it: every way to write, create, remove, relabel or read the
 * root-owned files of ETC and ROOTDIR (the host's /etc and /root, bound) must
 * fail with the errno the user gets on the host.  hostile.t runs it on the
 * host and under ptroot (SCRATCH: a directory of ours). */
#include "guest.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/xattr.h>

static const char *etc, *rootdir, *scratch_dir;

static char *in(const char *dir, const char *name)
{
	static char buf[4][PATH_MAX];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* The path is printed as its label, so that the host run and the guest run
 * (different paths to the same files) give the same transcript. */
#define TRY(label, expr)                                                           \
	do {                                                                       \
		errno = 0;                                                         \
		long r_ = (long)(expr);                                            \
		say("%s: %s", label, r_ < 0 ? errname(errno) : "SUCCEEDED");       \
	} while (0)

int main(int argc, char **argv)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char buf[256];

	if (argc < 4) {
		say("hostile-perms: run by tests/integration/hostile.t (ETC ROOTDIR SCRATCH)");
		return 0;
	}
	etc = argv[1];
	rootdir = argv[2];
	scratch_dir = argv[3];
	alarm(60);

	TRY("open passwd O_WRONLY", open(in(etc, "passwd"), O_WRONLY));
	TRY("open passwd O_RDWR|O_APPEND", open(in(etc, "passwd"), O_RDWR | O_APPEND));
	TRY("open passwd O_TRUNC", open(in(etc, "passwd"), O_RDONLY | O_TRUNC));
	TRY("open shadow O_RDONLY", open(in(etc, "shadow"), O_RDONLY));
	TRY("truncate passwd", truncate(in(etc, "passwd"), 0));
	TRY("chmod passwd", chmod(in(etc, "passwd"), 0666));
	TRY("chown passwd", chown(in(etc, "passwd"), getuid(), getgid()));
	TRY("utimensat passwd NULL", utimensat(AT_FDCWD, in(etc, "passwd"), NULL, 0));
	TRY("utimensat passwd times", utimensat(AT_FDCWD, in(etc, "passwd"), ts, 0));
	TRY("setxattr passwd user.x", setxattr(in(etc, "passwd"), "user.x", "v", 1, 0));
	TRY("removexattr passwd", removexattr(in(etc, "passwd"), "security.selinux"));
	TRY("unlink passwd", unlink(in(etc, "passwd")));
	TRY("rename passwd", rename(in(etc, "passwd"), in(etc, "passwd.ptroot-test")));
	TRY("link shadow in etc", link(in(etc, "shadow"), in(etc, "shadow.ptroot-test")));
	TRY("link passwd in etc", link(in(etc, "passwd"), in(etc, "passwd.ptroot-test")));
	TRY("symlink in etc", symlink("passwd", in(etc, "ptroot-test-link")));
	TRY("mkdir in etc", mkdir(in(etc, "ptroot-test-dir"), 0755));
	TRY("mknod fifo in etc", mknod(in(etc, "ptroot-test-fifo"), S_IFIFO | 0644, 0));
	TRY("create in etc", open(in(etc, "ptroot-test-file"), O_WRONLY | O_CREAT | O_EXCL, 0644));
	TRY("O_TMPFILE in etc", open(etc, O_TMPFILE | O_WRONLY, 0600));
	TRY("rmdir etc/default", rmdir(in(etc, "default")));
	TRY("chmod etc", chmod(etc, 0777));
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", in(etc, "ptroot-test-sock"));
	TRY("bind a socket in etc", bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	close(s);
	/* Through a symlink the guest makes. */
	char *l = in(scratch_dir, "l");
	unlink(l);
	symlink(in(etc, "passwd"), l);
	TRY("open O_WRONLY through a symlink", open(l, O_WRONLY));
	TRY("chmod through a symlink", chmod(l, 0666));

	TRY("opendir rootdir", (long)(opendir(rootdir) ? 0 : -1));
	TRY("stat in rootdir", stat(in(rootdir, ".profile"), (struct stat *)buf));
	TRY("create in rootdir", open(in(rootdir, "ptroot-test"), O_WRONLY | O_CREAT, 0644));
	TRY("mkdir in rootdir", mkdir(in(rootdir, "ptroot-test-dir"), 0755));
	TRY("chdir rootdir", chdir(rootdir));
	TRY("chmod rootdir", chmod(rootdir, 0777));
	TRY("utimensat rootdir", utimensat(AT_FDCWD, rootdir, NULL, 0));
	TRY("readlink in rootdir", readlink(in(rootdir, "x"), buf, sizeof(buf)));
	say("done");
	return 0;
}
