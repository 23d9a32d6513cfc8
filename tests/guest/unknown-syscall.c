/* SPDX-License-Identifier: MIT */
/* System call numbers the kernel does not know fail with ENOSYS, and so must
 * they under the tracer (which must not let an unknown number through
 * untranslated, nor crash on it): 1000, -1, a huge number, the x32 bit. */
#include "guest.h"

static void try(const char *what, long nr)
{
	errno = 0;
	long r = syscall(nr, 0, 0, 0, 0, 0, 0);
	say("syscall(%s) = %ld %s", what, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	try("1000", 1000);
	try("-1", -1);
	try("0x7fffffff", 0x7fffffff);
	try("1023", 1023);
	try("x32 bit | getpid", 0x40000000L | 39);
	try("x32 bit | open", 0x40000000L | 2);
#if defined(__x86_64__)
	/* x32's own numbers for its execve/ioctl variants (512 and up). */
	try("x32 execve (0x40000000|520)", 0x40000000L | 520);
	try("512", 512);
#endif
	/* A known syscall still works afterwards. */
	say("getpid after: %s", syscall(SYS_getpid) == getpid() ? "ok" : "FAIL");
	show_stat("/tmp");
	return guest_exit();
}
