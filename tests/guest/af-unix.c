/* SPDX-License-Identifier: MIT */
/* AF_UNIX stream sockets bound to guest paths: bind, getsockname, listen,
 * connect, accept, getpeername all speak guest paths; the socket file shows
 * up in the guest's directory; abstract and unnamed sockets stay as they are;
 * binding an existing path fails with EADDRINUSE. */
#include "guest.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static void show_name(const char *what, struct sockaddr_un *a, socklen_t len)
{
	size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;

	if (n == 0)
		say("%s: len=%u unnamed", what, (unsigned)len);
	else if (a->sun_path[0] == 0)
		say("%s: len=%u abstract '%.*s'", what, (unsigned)len, (int)n - 1, a->sun_path + 1);
	else
		say("%s: len=%u path '%.*s'", what, (unsigned)len, (int)strnlen(a->sun_path, n), a->sun_path);
}

static void sockname(const char *what, int fd, int peer)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	if ((peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len)) < 0)
		say("%s: -1 %s", what, errname(errno));
	else
		show_name(what, &a, len);
}

static socklen_t addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path));
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

int main(void)
{
	struct sockaddr_un a;
	socklen_t len;
	char buf[32];

	scratch("/tmp/afunix");
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	len = addr(&a, "/tmp/afunix/server.sock");
	CALL(bind(srv, (struct sockaddr *)&a, len));
	sockname("server getsockname", srv, 0);
	CALL(listen(srv, 5));
	show_stat("/tmp/afunix/server.sock");

	int cli = socket(AF_UNIX, SOCK_STREAM, 0);
	CALL(connect(cli, (struct sockaddr *)&a, len));
	sockname("client getpeername", cli, 1);
	sockname("client getsockname", cli, 0);
	len = sizeof(a);
	memset(&a, 0, sizeof(a));
	int conn = accept(srv, (struct sockaddr *)&a, &len);
	say("accept: %s", conn < 0 ? errname(errno) : "ok");
	show_name("accept peer", &a, len);
	sockname("accepted getsockname", conn, 0);
	write(cli, "ping", 4);
	ssize_t n = read(conn, buf, sizeof(buf));
	say("read: '%.*s'", (int)(n < 0 ? 0 : n), buf);
	close(conn);
	close(cli);

	/* A relative name, bound from the cwd, and a named client. */
	int rel = socket(AF_UNIX, SOCK_STREAM, 0);
	len = addr(&a, "rel.sock");
	CALL(bind(rel, (struct sockaddr *)&a, len));
	sockname("relative getsockname", rel, 0);
	listen(rel, 1);
	int named = socket(AF_UNIX, SOCK_STREAM, 0);
	len = addr(&a, "/tmp/afunix/client.sock");
	CALL(bind(named, (struct sockaddr *)&a, len));
	len = addr(&a, "/tmp/afunix/rel.sock");
	CALL(connect(named, (struct sockaddr *)&a, len));
	len = sizeof(a);
	conn = accept(rel, (struct sockaddr *)&a, &len);
	show_name("accept named peer", &a, len);
	close(conn);

	/* Errors. */
	len = addr(&a, "/tmp/afunix/server.sock");
	CALL(bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, len));
	len = addr(&a, "/tmp/afunix/missing.sock");
	CALL(connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, len));
	len = addr(&a, "/tmp/afunix/nodir/x.sock");
	CALL(bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, len));
	write_file("/tmp/afunix/plain", "");
	len = addr(&a, "/tmp/afunix/plain");
	CALL(connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&a, len));

	/* Abstract: no path at all, untouched. */
	int abs = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, "\0ptroot-test-abstract", 21);
	CALL(bind(abs, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 21));
	sockname("abstract getsockname", abs, 0);

	int sv[2];
	CALL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	sockname("socketpair getsockname", sv[0], 0);
	sockname("socketpair getpeername", sv[1], 1);
	show_dir("/tmp/afunix");
	return guest_exit();
}
