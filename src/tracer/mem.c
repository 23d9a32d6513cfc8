/* SPDX-License-Identifier: MIT */
/* Tracee memory access. Strings are read page by page so that a path that
 * ends just before an unmapped page is read (as the kernel would) and one
 * that runs into it gives EFAULT. */
#include "tracer/mem.h"

#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

static bool use_vm = true;

void mem_init(void)
{
	const char *e = getenv("PTROOT_NO_PROCESS_VM");
	if (e && *e && strcmp(e, "0"))
		use_vm = false;
}

static int peek_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	char *out = buf;
	uint64_t start = addr & ~7ULL;
	size_t skip = addr - start;
	while (len > 0) {
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)start, NULL);
		if (errno)
			return errno == ESRCH ? -ESRCH : -EFAULT;
		size_t n = 8 - skip;
		if (n > len)
			n = len;
		memcpy(out, (char *)&w + skip, n);
		out += n;
		len -= n;
		start += 8;
		skip = 0;
	}
	return 0;
}

static int poke_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	const char *in = buf;
	while (len > 0) {
		uint64_t start = addr & ~7ULL;
		size_t skip = addr - start;
		size_t n = 8 - skip;
		if (n > len)
			n = len;
		long w = 0;
		if (skip || n < 8) {
			errno = 0;
			w = ptrace(PTRACE_PEEKDATA, tid, (void *)start, NULL);
			if (errno)
				return -EFAULT;
		}
		memcpy((char *)&w + skip, in, n);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)start, (void *)w) < 0)
			return errno == ESRCH ? -ESRCH : -EFAULT;
		in += n;
		len -= n;
		addr += n;
	}
	return 0;
}

int mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (use_vm) {
		struct iovec l = { buf, len }, r = { (void *)addr, len };
		ssize_t n = process_vm_readv(tid, &l, 1, &r, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno != EPERM && errno != ENOSYS)
			return errno == ESRCH ? -ESRCH : -EFAULT;
		if (n >= 0)
			return -EFAULT;
	}
	return peek_read(tid, addr, buf, len);
}

int mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (use_vm) {
		struct iovec l = { (void *)buf, len }, r = { (void *)addr, len };
		ssize_t n = process_vm_writev(tid, &l, 1, &r, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		/* process_vm_writev honours page protections, as the kernel
		 * does for the guest's own syscalls: a read-only buffer gives
		 * EFAULT. POKEDATA (which writes anyway, like a debugger) is
		 * only for a tracee that refuses process_vm_* (undumpable). */
		if (n >= 0 || (errno != EPERM && errno != ENOSYS))
			return n < 0 && errno == ESRCH ? -ESRCH : -EFAULT;
	}
	return poke_write(tid, addr, buf, len);
}

int mem_write_ours(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (use_vm) {
		struct iovec l = { (void *)buf, len }, r = { (void *)addr, len };
		if (process_vm_writev(tid, &l, 1, &r, 1, 0) == (ssize_t)len)
			return 0;
		if (errno == ESRCH)
			return -ESRCH;
	}
	return poke_write(tid, addr, buf, len);
}

ssize_t mem_read_string(pid_t tid, uint64_t addr, char *buf, size_t bufsz)
{
	size_t got = 0;
	while (got < bufsz) {
		uint64_t a = addr + got;
		size_t chunk = 4096 - (a & 4095);
		if (chunk > bufsz - got)
			chunk = bufsz - got;
		int r = mem_read(tid, a, buf + got, chunk);
		if (r < 0)
			return r;
		char *nul = memchr(buf + got, 0, chunk);
		if (nul)
			return nul - buf;
		got += chunk;
	}
	return -ENAMETOOLONG;
}
