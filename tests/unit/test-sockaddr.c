/* SPDX-License-Identifier: MIT */
/* The pure parts of the AF_UNIX handlers: guest msghdr/mmsghdr layouts of
 * both ABIs (x86_64 checked against the host's own struct), which addresses
 * carry a path and how it is cut, building addresses, the parent/name split
 * and the "/proc/PID/fd/N/NAME" form used for long host paths. */
#include "syscall/sock.h"
#include "tap.h"

#include <linux/net.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

static void test_layouts(void)
{
	TAP_EQ_INT(sock_msghdr_size(ABI_X86_64), 56, "x86_64 msghdr is 56 bytes");
	TAP_EQ_INT(sock_mmsghdr_size(ABI_X86_64), 64, "x86_64 mmsghdr is 64 bytes");
	TAP_EQ_INT(sock_msghdr_size(ABI_I386), 28, "i386 msghdr is 28 bytes");
	TAP_EQ_INT(sock_mmsghdr_size(ABI_I386), 32, "i386 mmsghdr is 32 bytes");

#ifdef __x86_64__
	/* The host is x86_64: its struct is the guest's layout. */
	struct mmsghdr h;
	GuestMsghdr m;
	memset(&h, 0xa5, sizeof(h));
	h.msg_hdr.msg_name = (void *)0x1122334455667788ULL;
	h.msg_hdr.msg_namelen = 110;
	h.msg_hdr.msg_iov = (void *)0x0102030405060708ULL;
	h.msg_hdr.msg_iovlen = 3;
	h.msg_hdr.msg_control = (void *)0x7fff00001000ULL;
	h.msg_hdr.msg_controllen = 0x123456789ULL;
	h.msg_hdr.msg_flags = -2;
	h.msg_len = 4242;
	TAP_EQ_INT(sizeof(struct msghdr), 56, "host msghdr agrees");
	TAP_EQ_INT(sizeof(struct mmsghdr), 64, "host mmsghdr agrees");
	sock_msghdr_decode(ABI_X86_64, &h, &m);
	TAP_OK(m.name == 0x1122334455667788ULL, "x86_64 msg_name");
	TAP_EQ_INT(m.namelen, 110, "x86_64 msg_namelen");
	TAP_OK(m.iov == 0x0102030405060708ULL, "x86_64 msg_iov");
	TAP_EQ_INT(m.iovlen, 3, "x86_64 msg_iovlen");
	TAP_OK(m.control == 0x7fff00001000ULL, "x86_64 msg_control");
	TAP_OK(m.controllen == 0x123456789ULL, "x86_64 msg_controllen (64-bit)");
	TAP_EQ_INT(m.flags, -2, "x86_64 msg_flags");
	TAP_EQ_INT(sock_mmsg_len_get(ABI_X86_64, &h), 4242, "x86_64 msg_len");

	struct mmsghdr h2 = h;
	m.name = 0xdeadbeefcafeULL;
	m.namelen = 17;
	m.controllen = 24;
	m.flags = MSG_TRUNC;
	sock_msghdr_encode(ABI_X86_64, &m, &h2);
	sock_mmsg_len_set(ABI_X86_64, &h2, 7);
	TAP_OK(h2.msg_hdr.msg_name == (void *)0xdeadbeefcafeULL, "x86_64 encode msg_name");
	TAP_EQ_INT(h2.msg_hdr.msg_namelen, 17, "x86_64 encode msg_namelen");
	TAP_OK(h2.msg_hdr.msg_iov == h.msg_hdr.msg_iov && h2.msg_hdr.msg_iovlen == 3,
	       "x86_64 encode keeps msg_iov");
	TAP_EQ_INT(h2.msg_hdr.msg_controllen, 24, "x86_64 encode msg_controllen");
	TAP_EQ_INT(h2.msg_hdr.msg_flags, MSG_TRUNC, "x86_64 encode msg_flags");
	TAP_EQ_INT(h2.msg_len, 7, "x86_64 set msg_len");
	TAP_OK(memcmp((char *)&h2 + 12, (char *)&h + 12, 4) == 0, "x86_64 padding after msg_namelen kept");
#endif

	/* i386: seven 4-byte fields, then msg_len. */
	uint32_t w[8] = { 0xbfff0010, 16, 0xbfff0100, 2, 0xbfff0200, 20, 0x40, 99 };
	GuestMsghdr g;
	sock_msghdr_decode(ABI_I386, w, &g);
	TAP_OK(g.name == 0xbfff0010 && g.namelen == 16, "i386 msg_name, msg_namelen");
	TAP_OK(g.iov == 0xbfff0100 && g.iovlen == 2, "i386 msg_iov, msg_iovlen");
	TAP_OK(g.control == 0xbfff0200 && g.controllen == 20, "i386 msg_control, msg_controllen");
	TAP_EQ_INT(g.flags, 0x40, "i386 msg_flags");
	TAP_EQ_INT(sock_mmsg_len_get(ABI_I386, w), 99, "i386 msg_len at offset 28");
	g.name = 0x08049000;
	g.namelen = -1;
	g.controllen = 12;
	sock_msghdr_encode(ABI_I386, &g, w);
	sock_mmsg_len_set(ABI_I386, w, 5);
	TAP_OK(w[0] == 0x08049000 && w[1] == 0xffffffff && w[5] == 12 && w[7] == 5 && w[2] == 0xbfff0100,
	       "i386 encode");
	/* A pointer wider than 32 bits cannot exist there: only the low half. */
	g.name = 0x100000010ULL;
	sock_msghdr_encode(ABI_I386, &g, w);
	TAP_EQ_INT(w[0], 0x10, "i386 encode truncates to 32 bits");
}

/* An AF_UNIX address with PATH copied in, LEN as given. */
static struct sockaddr_un un(const char *path, size_t n)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, n);
	return a;
}

static void test_un_path(void)
{
	char p[SOCK_SUN_PATH_MAX + 1];
	struct sockaddr_un a = un("/tmp/s", 6);
	struct sockaddr_in in;

	TAP_EQ_INT(sock_un_path(&a, 2 + 7, p), 6, "path with its NUL");
	TAP_EQ_STR(p, "/tmp/s", "path text");
	TAP_EQ_INT(sock_un_path(&a, 2 + 6, p), 6, "path without NUL, length from addrlen");
	TAP_EQ_INT(sock_un_path(&a, 2 + 3, p), 3, "addrlen cuts the path");
	TAP_EQ_STR(p, "/tm", "cut text");
	TAP_EQ_INT(sock_un_path(&a, sizeof(a), p), 6, "sizeof(sockaddr_un): up to the NUL");
	TAP_EQ_INT(sock_un_path(&a, 2, p), 0, "unnamed (sa_family only)");
	TAP_EQ_INT(sock_un_path(&a, 1, p), 0, "shorter than sa_family");
	TAP_EQ_INT(sock_un_path(&a, sizeof(a) + 1, p), 0, "longer than sockaddr_un: kernel's EINVAL");

	a = un("\0abstract", 9);
	TAP_EQ_INT(sock_un_path(&a, 2 + 9, p), 0, "abstract name untouched");

	char full[SOCK_SUN_PATH_MAX];
	memset(full, 'x', sizeof(full));
	a = un(full, sizeof(full));
	TAP_EQ_INT(sock_un_path(&a, sizeof(a), p), 108, "108 bytes without NUL");
	TAP_EQ_INT(strlen(p), 108, "terminated for us");

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	memset(&in.sin_port, 'a', 4);
	TAP_EQ_INT(sock_un_path(&in, sizeof(in), p), 0, "AF_INET untouched");
}

static void test_un_make(void)
{
	uint8_t out[SOCK_UN_LEN_MAX];
	char p[SOCK_SUN_PATH_MAX + 2];
	uint16_t fam;

	TAP_EQ_INT(sock_un_make("/r/tmp/s", out, sizeof(out)), 2 + 8 + 1, "length as the kernel reports it");
	memcpy(&fam, out, 2);
	TAP_EQ_INT(fam, AF_UNIX, "family");
	TAP_OK(memcmp(out + 2, "/r/tmp/s", 9) == 0, "path and NUL");
	TAP_EQ_INT(sock_un_path(out, 11, (char *)p), 8, "reads back");

	memset(p, 'y', 108);
	p[108] = 0;
	TAP_EQ_INT(sock_un_make(p, out, sizeof(out)), 111, "108 bytes: 111 reported, no room for NUL");
	TAP_OK(out[2 + 107] == 'y', "last byte of sun_path");
	p[108] = 'y';
	p[109] = 0;
	TAP_EQ_INT(sock_un_make(p, out, sizeof(out)), -ENAMETOOLONG, "109 bytes do not fit");

	uint8_t big[64];
	TAP_EQ_INT(sock_un_make("/a", big, sizeof(big)), 5, "any buffer size");
}

static void test_split(void)
{
	char parent[64];
	const char *name;

	TAP_EQ_INT(sock_split_parent("/a/b/c.sock", parent, sizeof(parent), &name), 0, "split");
	TAP_EQ_STR(parent, "/a/b", "parent");
	TAP_EQ_STR(name, "c.sock", "name");
	sock_split_parent("/x", parent, sizeof(parent), &name);
	TAP_EQ_STR(parent, "/", "parent of /x is /");
	TAP_EQ_STR(name, "x", "name of /x");
	sock_split_parent("/a//b//", parent, sizeof(parent), &name);
	TAP_EQ_STR(parent, "/a", "extra slashes dropped from the parent");
	TAP_EQ_STR(name, "b//", "trailing slashes stay with the name");
	sock_split_parent("rel", parent, sizeof(parent), &name);
	TAP_EQ_STR(parent, ".", "relative name: parent .");
	TAP_EQ_INT(sock_split_parent("/", parent, sizeof(parent), &name), -EINVAL, "/ has no name");
	TAP_EQ_INT(sock_split_parent("", parent, sizeof(parent), &name), -EINVAL, "empty");
	TAP_EQ_INT(sock_split_parent("/abcdef/x", parent, 4, &name), -ENAMETOOLONG, "small parent buffer");
}

static void test_fd_path(void)
{
	const char *rest = NULL;

	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd/5/x.sock", 123, &rest), 5, "fd path");
	TAP_EQ_STR(rest, "x.sock", "rest");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd/17/a/b", 123, &rest), 17, "rest may have slashes");
	TAP_EQ_STR(rest, "a/b", "rest with slashes");
	TAP_EQ_INT(sock_parse_fd_path("/proc/1234/fd/5/x", 123, &rest), -1, "another pid");
	TAP_EQ_INT(sock_parse_fd_path("/proc/12/fd/5/x", 123, &rest), -1, "a prefix of the pid");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd/5/", 123, &rest), -1, "no name");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd/5", 123, &rest), -1, "the directory itself");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd//x", 123, &rest), -1, "no number");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/cwd/x", 123, &rest), -1, "not fd");
	TAP_EQ_INT(sock_parse_fd_path("/tmp/123/fd/5/x", 123, &rest), -1, "not /proc");
	TAP_EQ_INT(sock_parse_fd_path("/proc/123/fd/99999999999/x", 123, &rest), -1, "number too long");
}

static void test_socketcall(void)
{
	TAP_EQ_INT(sock_socketcall_nargs(SYS_BIND), 3, "bind: 3 words");
	TAP_EQ_INT(sock_socketcall_nargs(SYS_SENDTO), 6, "sendto: 6 words");
	TAP_EQ_INT(sock_socketcall_nargs(SYS_RECVFROM), 6, "recvfrom: 6 words");
	TAP_EQ_INT(sock_socketcall_nargs(SYS_ACCEPT4), 4, "accept4: 4 words");
	TAP_EQ_INT(sock_socketcall_nargs(SYS_RECVMMSG), 5, "recvmmsg: 5 words");
	TAP_EQ_INT(sock_socketcall_nargs(SYS_SENDMMSG), 4, "sendmmsg: 4 words");
	TAP_EQ_INT(sock_socketcall_nargs(0), 0, "call 0 unknown");
	TAP_EQ_INT(sock_socketcall_nargs(21), 0, "call 21 unknown");
	TAP_EQ_INT(sock_socketcall_nargs(-1), 0, "negative call unknown");
}

int main(void)
{
	test_layouts();
	test_un_path();
	test_un_make();
	test_split();
	test_fd_path();
	test_socketcall();
	return tap_done();
}
