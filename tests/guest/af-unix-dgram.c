/* SPDX-License-Identifier: MIT */
/* AF_UNIX datagrams with addresses in every message: sendto a guest path,
 * recvfrom reports the sender's guest path, sendmsg/recvmsg with msg_name,
 * and connect + getpeername on a datagram socket. */
#include "guest.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static socklen_t addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path));
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void from(const char *what, struct sockaddr_un *a, socklen_t len)
{
	if (len <= offsetof(struct sockaddr_un, sun_path))
		say("%s: len=%u unnamed", what, (unsigned)len);
	else
		say("%s: len=%u '%s'", what, (unsigned)len, a->sun_path);
}

int main(void)
{
	struct sockaddr_un a, src;
	socklen_t len, slen;
	char buf[64];

	scratch("/tmp/afdgram");
	int rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	len = addr(&a, "/tmp/afdgram/rx");
	CALL(bind(rx, (struct sockaddr *)&a, len));
	int tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	len = addr(&src, "/tmp/afdgram/tx");
	CALL(bind(tx, (struct sockaddr *)&src, len));

	len = addr(&a, "/tmp/afdgram/rx");
	CALL(sendto(tx, "one", 3, 0, (struct sockaddr *)&a, len));
	slen = sizeof(src);
	memset(&src, 0, sizeof(src));
	ssize_t n = recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&src, &slen);
	say("recvfrom: '%.*s'", (int)(n < 0 ? 0 : n), buf);
	from("sender", &src, slen);

	/* sendmsg / recvmsg with names. */
	chdir("/tmp/afdgram");
	len = addr(&a, "rx");
	struct iovec iov = { .iov_base = "two", .iov_len = 3 };
	struct msghdr m = { .msg_name = &a, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };
	CALL(sendmsg(tx, &m, 0));
	struct iovec riov = { .iov_base = buf, .iov_len = sizeof(buf) };
	memset(&src, 0, sizeof(src));
	struct msghdr r = { .msg_name = &src, .msg_namelen = sizeof(src), .msg_iov = &riov, .msg_iovlen = 1 };
	n = recvmsg(rx, &r, 0);
	say("recvmsg: '%.*s'", (int)(n < 0 ? 0 : n), buf);
	from("sender", &src, r.msg_namelen);

	/* An unnamed sender. */
	int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
	len = addr(&a, "/tmp/afdgram/rx");
	CALL(sendto(anon, "three", 5, 0, (struct sockaddr *)&a, len));
	slen = sizeof(src);
	n = recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&src, &slen);
	from("anonymous sender", &src, slen);

	/* connect + getpeername + send without address. */
	CALL(connect(anon, (struct sockaddr *)&a, len));
	slen = sizeof(src);
	memset(&src, 0, sizeof(src));
	CALL(getpeername(anon, (struct sockaddr *)&src, &slen));
	from("peer", &src, slen);
	CALL(send(anon, "four", 4, 0));
	n = recv(rx, buf, sizeof(buf), 0);
	say("recv: '%.*s'", (int)(n < 0 ? 0 : n), buf);

	/* Errors: a missing destination. */
	len = addr(&a, "/tmp/afdgram/missing");
	CALL(sendto(tx, "x", 1, 0, (struct sockaddr *)&a, len));
	return guest_exit();
}
