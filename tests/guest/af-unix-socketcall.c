/* SPDX-License-Identifier: MIT */
/* i386 only: the socketcall(2) multiplexer carries socket addresses inside
 * an argument array, not in registers; bind/connect/getsockname through it
 * must see guest paths like the direct syscalls do. */
#include "guest.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/net.h>

int main(void)
{
#ifdef SYS_socketcall
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + sizeof("/tmp/socketcall/s");
	socklen_t glen = sizeof(a);
	long args[6];

	scratch("/tmp/socketcall");
	strcpy(a.sun_path, "/tmp/socketcall/s");
	args[0] = AF_UNIX, args[1] = SOCK_STREAM, args[2] = 0;
	long srv = syscall(SYS_socketcall, SYS_SOCKET, args);
	long cli = syscall(SYS_socketcall, SYS_SOCKET, args);
	args[0] = srv, args[1] = (long)&a, args[2] = len;
	CALL(syscall(SYS_socketcall, SYS_BIND, args));
	args[1] = 5;
	CALL(syscall(SYS_socketcall, SYS_LISTEN, args));
	memset(&a, 0, sizeof(a));
	args[0] = srv, args[1] = (long)&a, args[2] = (long)&glen;
	CALL(syscall(SYS_socketcall, SYS_GETSOCKNAME, args));
	say("getsockname: len=%u '%s'", (unsigned)glen, a.sun_path);
	args[0] = cli, args[1] = (long)&a, args[2] = len;
	CALL(syscall(SYS_socketcall, SYS_CONNECT, args));
	memset(&a, 0, sizeof(a));
	glen = sizeof(a);
	args[0] = cli, args[1] = (long)&a, args[2] = (long)&glen;
	CALL(syscall(SYS_socketcall, SYS_GETPEERNAME, args));
	say("getpeername: len=%u '%s'", (unsigned)glen, a.sun_path);
	show_stat("/tmp/socketcall/s");
	strcpy(a.sun_path, "/tmp/socketcall/missing");
	args[0] = cli, args[1] = (long)&a, args[2] = len + 6;
	CALL(syscall(SYS_socketcall, SYS_CONNECT, args));
	CALL(syscall(SYS_socketcall, 99, args));
#else
	say("no socketcall on this ABI");
#endif
	return guest_exit();
}
