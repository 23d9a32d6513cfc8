/* SPDX-License-Identifier: MIT */
/* Escape corpus, AF_UNIX socket paths: binding a socket at a path that
 * would resolve outside the guest must create it inside; connecting (stream)
 * or sending (datagram, sendto and sendmsg, and i386's socketcall) to host
 * sockets that exist only outside must fail.  "--serve" runs the host side:
 * listeners that answer every connection with the marker. */
#include "escape.h"
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/net.h>






static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path) - 1);
	return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

/* connect(), or socketcall(SYS_CONNECT) on i386 when VIA_SOCKETCALL. */
static int do_connect(int fd, struct sockaddr_un *a, socklen_t len, int via_socketcall)
{
#ifdef SYS_socketcall
	if (via_socketcall) {
		long args[3] = { fd, (long)a, len };
		return (int)syscall(SYS_socketcall, SYS_CONNECT, args);
	}
#endif
	return connect(fd, (struct sockaddr *)a, len);
}

static void try_connect(const char *path, int via_socketcall)
{
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char buf[64] = "";

	if (do_connect(fd, &a, len, via_socketcall) < 0) {
		say("  connect%s %s: %s", via_socketcall ? "(socketcall)" : "", path, errname(errno));
		close(fd);
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	if (strstr(buf, MARKER)) {
		case_escaped++;
		say("  connect%s %s: connected to the host (ESCAPE)", via_socketcall ? "(socketcall)" : "", path);
	} else {
		say("  connect %s: connected", path);
	}
	close(fd);
}

static void try_send(const char *path)
{
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char msg[] = "escape-unix datagram";
	struct iovec iov = { msg, sizeof(msg) };
	struct msghdr mh = { .msg_name = &a, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };

	if (sendto(fd, msg, sizeof(msg), MSG_DONTWAIT, (struct sockaddr *)&a, len) < 0) {
		say("  sendto %s: %s", path, errname(errno));
	} else {
		case_escaped++;
		say("  sendto %s: sent (ESCAPE)", path);
	}
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0) {
		say("  sendmsg %s: %s", path, errname(errno));
	} else {
		case_escaped++;
		say("  sendmsg %s: sent (ESCAPE)", path);
	}
	close(fd);
}

static void for_each_up(const char *base, int kmin, int kmax, void (*fn)(const char *))
{
	char path[PATH_MAX];

	for (int k = kmin; k <= kmax; k++) {
		int n = snprintf(path, sizeof(path), "%s", base);
		for (int i = 0; i < k; i++)
			n += snprintf(path + n, sizeof(path) - n, "../");
		for (int t = 0; t < ntargets; t++) {
			snprintf(path + n, sizeof(path) - n, "%s", targets[t]);
			fn(path);
		}
	}
}

static void connect_plain(const char *path)
{
	try_connect(path, 0);
#ifdef SYS_socketcall
	try_connect(path, 1);
#endif
}

/* Bind a socket at PATH; then say where it shows in the guest. */
static void try_bind(const char *path, const char *expect)
{
	struct sockaddr_un a, got;
	socklen_t len = mkaddr(&a, path), glen = sizeof(got);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (bind(fd, (struct sockaddr *)&a, len) < 0) {
		say("  bind %s: %s", path, errname(errno));
	} else {
		memset(&got, 0, sizeof(got));
		getsockname(fd, (struct sockaddr *)&got, &glen);
		say("  bind %s: ok, getsockname '%s'", path, got.sun_path);
		if (expect)
			show_lstat(expect);
	}
	close(fd);
}

/* The host side: a stream listener at each path (the last one a datagram
 * socket, drained); every connection gets the marker. */
static int serve(int n, char **paths)
{
	struct pollfd pfd[8];
	struct sockaddr_un a;

	alarm(600);
	for (int i = 0; i < n && i < 8; i++) {
		int dgram = i == n - 1;
		pfd[i].fd = socket(AF_UNIX, dgram ? SOCK_DGRAM : SOCK_STREAM, 0);
		pfd[i].events = POLLIN;
		unlink(paths[i]);
		if (bind(pfd[i].fd, (struct sockaddr *)&a, mkaddr(&a, paths[i])) < 0 ||
		    (!dgram && listen(pfd[i].fd, 64) < 0)) {
			perror(paths[i]);
			return 1;
		}
	}
	say("serving");
	for (;;) {
		if (poll(pfd, n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (i == n - 1) {
				char buf[256];
				ssize_t r = recv(pfd[i].fd, buf, sizeof(buf) - 1, 0);
				buf[r > 0 ? r : 0] = 0;
				say("datagram received: %s", buf);
				continue;
			}
			int c = accept(pfd[i].fd, NULL, NULL);
			if (c >= 0) {
				dprintf(c, "%s from %s\n", MARKER, paths[i]);
				close(c);
			}
		}
	}
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];

	if (argc > 2 && !strcmp(argv[1], "--serve"))
		return serve(argc - 2, argv + 2);
	if (argc < 4) {
		say("escape-unix: run by tests/integration/escape.t (SOCK1 SOCK2 DGRAM)");
		return 0;
	}
	for (int i = 1; i < 4; i++)
		add_suffixes(argv[i]);
	alarm(120);
	scratch("/tmp/escunix");
	mkdir("a", 0755);
	mkdir("a/b", 0755);

	begin("unix-connect-host-socket", 0);
	for_each_up("/", 0, 6, connect_plain);
	chdir("/tmp/escunix/a/b");
	for_each_up("", 1, 8, connect_plain);
	chdir("/mnt/bind/sub");
	for_each_up("", 1, 6, connect_plain);
	for_each_up("/proc/self/root/", 0, 4, connect_plain);
	for_each_up("/proc/self/cwd/", 0, 6, connect_plain);
	for_each_up("/mnt/bind/rel-updir/", 0, 4, connect_plain);
	for_each_up("/etc/esc/abs-h/", 0, 0, connect_plain);
	chdir("/tmp/escunix");
	/* Links to the host sockets, made by the guest. */
	for (int i = 1; i < 4; i++) {
		snprintf(path, sizeof(path), "/tmp/escunix/link%d", i);
		symlink(argv[i], path);
		connect_plain(path);
	}
	symlink("../../../../../../ptroot-escape-sock", "rel-link");
	connect_plain("rel-link");
	end();

	begin("unix-send-host-socket", 0);
	for_each_up("/", 0, 6, try_send);
	chdir("/tmp/escunix/a/b");
	for_each_up("", 1, 8, try_send);
	for_each_up("/proc/self/root/", 0, 3, try_send);
	chdir("/tmp/escunix");
	end();

	begin("unix-bind-outside", 0);
	try_bind("/../ptroot-escape-bound1", "/ptroot-escape-bound1");
	try_bind("/mnt/bind/../../ptroot-escape-bound2", "/ptroot-escape-bound2");
	try_bind("/proc/self/root/../ptroot-escape-bound3", "/ptroot-escape-bound3");
	try_bind("/mnt/bind/rel-updir/ptroot-escape-bound4", "/mnt/ptroot-escape-bound4");
	try_bind("/etc/esc/abs-h/ptroot-escape-bound5", NULL);
	chdir("/tmp/escunix/a/b");
	try_bind("../../../../../../../ptroot-escape-bound6", "/ptroot-escape-bound6");
	chdir("/mnt/bind/sub");
	try_bind("../../ptroot-escape-bound7", "/mnt/ptroot-escape-bound7");
	try_bind("../ptroot-escape-bound8", "/mnt/bind/ptroot-escape-bound8");
	chdir("/tmp/escunix");
	symlink("/../../../ptroot-escape-bound9", "dangling");
	try_bind("dangling", NULL);
	show_lstat("/ptroot-escape-bound9");
	/* A guest path of 100 bytes: within sun_path for the guest, not for
	 * the host path behind it. */
	char dir[128];
	int n = snprintf(dir, sizeof(dir), "/tmp/escunix/");
	memset(dir + n, 'd', 100 - n - 2);
	dir[98] = 0;
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/s", dir);
	struct sockaddr_un a, got;
	socklen_t len = mkaddr(&a, path), glen = sizeof(got);
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int cli = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	say("  (a %zu-byte socket path)", strlen(path));
	CALL0(bind(srv, (struct sockaddr *)&a, len));
	CALL0(listen(srv, 1));
	CALL0(connect(cli, (struct sockaddr *)&a, len));
	memset(&got, 0, sizeof(got));
	CALL0(getpeername(cli, (struct sockaddr *)&got, &glen));
	say("  getpeername: %u bytes, same path: %s", (unsigned)glen,
	    strcmp(got.sun_path, path) ? "no" : "yes");
	close(cli);
	close(srv);
	end();
	say("done");
	return 0;
}
