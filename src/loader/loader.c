/* SPDX-License-Identifier: MIT */
/* ptroot's ELF loader: maps a guest program and the guest's interpreter the
 * way the kernel's binfmt_elf would, fixes up the auxiliary vector, and jumps
 * to the interpreter (or to the program when it has none). Freestanding: no
 * libc, raw syscalls. The same source builds the x86_64 and i386 loaders. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <linux/mman.h>
#include <asm/fcntl.h>
#include <asm/errno.h>

#include "loader/loader.h"

#ifdef __x86_64__
#define ElfW(type) Elf64_##type
#define LOADER_CLASS ELFCLASS64
#define LOADER_MACHINE EM_X86_64
#define LOADER_ARCH "x86_64"
#else
#define ElfW(type) Elf32_##type
#define LOADER_CLASS ELFCLASS32
#define LOADER_MACHINE EM_386
#define LOADER_ARCH "i386"
#endif

#define PAGE_SIZE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((uintptr_t)(x) + PAGE_SIZE - 1)
#define PATH_MAX 4096
#define PHDRS_MAX 8192 /* bytes of program headers we accept */

void loader_main(uintptr_t *sp, const LoaderInfo *info) __attribute__((noreturn));
void loader_jump(uintptr_t *sp, uintptr_t entry) __attribute__((noreturn));
void *memset(void *dst, int c, size_t n);

/* One syscall primitive for everything: errors come back as -errno. */
#ifdef __x86_64__
static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "+a"(nr)
			 : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return nr;
}
#else
static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	/* The 6th argument goes in ebp, which cannot be named as an asm
	 * operand: pass it with the 1st through memory and swap it in. */
	long args[2] = { a, f };
	long *p = args;

	__asm__ volatile("push %%ebp\n\t"
			 "mov 4(%%ebx), %%ebp\n\t"
			 "mov (%%ebx), %%ebx\n\t"
			 "int $0x80\n\t"
			 "pop %%ebp"
			 : "+a"(nr), "+b"(p)
			 : "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return nr;
}
#endif

static int is_err(long ret)
{
	return (unsigned long)ret > -4096UL;
}

/* The compiler may emit calls to memset for loops or initialisers. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

static char prog_path[PATH_MAX], interp_path[PATH_MAX], execfn[PATH_MAX], comm[PATH_MAX];

static char line[PATH_MAX + 256]; /* the error message */
static size_t line_len;

static void append(const char *s)
{
	while (*s && line_len < sizeof(line) - 1)
		line[line_len++] = *s++;
}

static void append_errno(unsigned long e)
{
	char num[24], *q = num + sizeof(num);

	switch (e) {
	case ENOENT: append("No such file or directory"); return;
	case EACCES: append("Permission denied"); return;
	case ENOEXEC: append("Exec format error"); return;
	case ENOMEM: append("Out of memory"); return;
	case EPERM: append("Operation not permitted"); return;
	}
	*--q = 0;
	do
		*--q = '0' + e % 10;
	while (e /= 10);
	append("errno ");
	append(q);
}

/* Reports "ptroot loader: cannot load '<path>': <reason>[: <error>]" and exits
 * with 127, the shell's "cannot execute" status. err is 0 or -errno. */
static __attribute__((noreturn)) void fail(const char *path, const char *reason, long err)
{
	append("ptroot loader: cannot load '");
	append(path ? path : "?");
	append("': ");
	append(reason);
	if (err) {
		append(": ");
		append_errno(-err);
	}
	line[line_len++] = '\n';
	sys6(__NR_write, 2, (long)line, line_len, 0, 0, 0);
	sys6(__NR_exit_group, 127, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

/* Copies a NUL-terminated string of the tracer's before the guest's mappings
 * or stack use can overwrite it. */
static char *copy_str(char *dst, uint64_t src)
{
	const char *s = (const char *)(uintptr_t)src;

	if (!src)
		return NULL;
	for (size_t i = 0; i < PATH_MAX; i++)
		if (!(dst[i] = s[i]))
			return dst;
	fail(NULL, "path in LoaderInfo too long", 0);
}

struct elf {
	const char *path;
	int fd;
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph[PHDRS_MAX / sizeof(ElfW(Phdr))];
	uintptr_t bias;  /* load address - link address */
	uintptr_t phdr;  /* run-time address of the program headers, 0 = unmapped */
	uintptr_t entry; /* run-time entry point */
};

static struct elf prog, interp;

static size_t read_at(const struct elf *f, void *buf, size_t len, uintptr_t off)
{
	long n = sys6(__NR_pread64, f->fd, (long)buf, len, off, 0, 0);

	if (is_err(n))
		fail(f->path, "cannot read", n);
	return n;
}

static uintptr_t map(const struct elf *f, uintptr_t addr, size_t len, int prot, int flags, int fd,
		     uintptr_t off)
{
#ifdef __x86_64__
	long ret = sys6(__NR_mmap, addr, len, prot, flags, fd, off);
#else
	long ret = sys6(__NR_mmap2, addr, len, prot, flags, fd, off / PAGE_SIZE);
#endif
	if (is_err(ret))
		fail(f->path, "cannot map segment", ret);
	return ret;
}

static void protect(const struct elf *f, uintptr_t addr, size_t len, int prot)
{
	long ret = sys6(__NR_mprotect, addr, len, prot, 0, 0, 0);

	if (is_err(ret))
		fail(f->path, "cannot change protection", ret);
}

static void unmap(uintptr_t addr, size_t len)
{
	if (len)
		sys6(__NR_munmap, addr, len, 0, 0, 0, 0);
}

static int seg_prot(const ElfW(Phdr) *ph)
{
	return (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
	       (ph->p_flags & PF_X ? PROT_EXEC : 0);
}

/* Reserves the whole address range of the PT_LOAD segments at once, so they
 * keep their relative layout and nothing else lands in their gaps, and sets
 * f->bias. */
static void reserve(struct elf *f)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0, align = PAGE_SIZE, base, start, size;
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	for (int i = 0; i < f->eh.e_phnum; i++) {
		const ElfW(Phdr) *ph = &f->ph[i];

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz || (ph->p_vaddr - ph->p_offset) % PAGE_SIZE ||
		    ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
			fail(f->path, "bad PT_LOAD segment", 0);
		if (PAGE_DOWN(ph->p_vaddr) < lo)
			lo = PAGE_DOWN(ph->p_vaddr);
		if (PAGE_UP(ph->p_vaddr + ph->p_memsz) > hi)
			hi = PAGE_UP(ph->p_vaddr + ph->p_memsz);
		/* Honour p_align as the kernel does since 5.10 (huge
		 * pages, 64 KiB-aligned TLS...). */
		if (ph->p_align > align && !(ph->p_align & (ph->p_align - 1)))
			align = ph->p_align;
	}
	if (lo >= hi)
		fail(f->path, "no loadable segment", 0);

	if (f->eh.e_type == ET_EXEC) {
		/* NOREPLACE: overlapping the loader or the stack is an error,
		 * not silent corruption. Kernels before 4.17 take it as a hint,
		 * hence the address check. */
		base = map(f, lo, hi - lo, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
		if (base != lo) {
			unmap(base, hi - lo);
			fail(f->path, "address range in use", 0);
		}
		f->bias = 0;
		return;
	}
	/* ET_DYN: over-reserve by align - 1 pages, keep an aligned window of
	 * the right size and give the slack back. */
	size = hi - lo + align - PAGE_SIZE;
	if (size < hi - lo)
		fail(f->path, "bad segment alignment", 0);
	start = map(f, 0, size, PROT_NONE, flags, -1, 0);
	base = (start + align - 1) & ~(align - 1);
	unmap(start, base - start);
	unmap(base + (hi - lo), start + size - (base + (hi - lo)));
	f->bias = base - lo;
}

static void map_segment(const struct elf *f, const ElfW(Phdr) *ph)
{
	uintptr_t start = f->bias + PAGE_DOWN(ph->p_vaddr);
	uintptr_t file_end = f->bias + ph->p_vaddr + ph->p_filesz;
	uintptr_t mem_end = f->bias + ph->p_vaddr + ph->p_memsz;
	uintptr_t anon = start; /* where the anonymous (bss) pages begin */
	int prot = seg_prot(ph);

	if (ph->p_filesz) {
		map(f, start, PAGE_UP(file_end) - start, prot, MAP_PRIVATE | MAP_FIXED, f->fd,
		    PAGE_DOWN(ph->p_offset));
		anon = PAGE_UP(file_end);
		/* The rest of the last file page holds whatever follows in the
		 * file, but belongs to the bss: zero it. Made writable (never
		 * writable and executable) just for that. */
		if (mem_end > file_end && anon > file_end) {
			if (!(prot & PROT_WRITE))
				protect(f, PAGE_DOWN(file_end), PAGE_SIZE, PROT_READ | PROT_WRITE);
			memset((void *)file_end, 0, anon - file_end);
			if (!(prot & PROT_WRITE))
				protect(f, PAGE_DOWN(file_end), PAGE_SIZE, prot);
		}
	}
	if (PAGE_UP(mem_end) > anon)
		map(f, anon, PAGE_UP(mem_end) - anon, prot,
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
}

static void load(struct elf *f, const char *path)
{
	ElfW(Ehdr) *eh = &f->eh;
	uintptr_t phsize;

	f->path = path;
	f->fd = sys6(__NR_open, (long)path, O_RDONLY | O_CLOEXEC | O_LARGEFILE, 0, 0, 0, 0);
	if (is_err(f->fd))
		fail(path, "cannot open", f->fd);
	if (read_at(f, eh, sizeof(*eh), 0) != sizeof(*eh) || eh->e_ident[EI_MAG0] != ELFMAG0 ||
	    eh->e_ident[EI_MAG1] != ELFMAG1 || eh->e_ident[EI_MAG2] != ELFMAG2 ||
	    eh->e_ident[EI_MAG3] != ELFMAG3)
		fail(path, "not an ELF file", 0);
	if (eh->e_ident[EI_CLASS] != LOADER_CLASS || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != LOADER_MACHINE)
		fail(path, "not an " LOADER_ARCH " ELF file", 0);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		fail(path, "not an executable", 0);
	phsize = (uintptr_t)eh->e_phnum * eh->e_phentsize;
	if (eh->e_phentsize != sizeof(ElfW(Phdr)) || !eh->e_phnum || phsize > sizeof(f->ph))
		fail(path, "bad program headers", 0);
	if (read_at(f, f->ph, phsize, eh->e_phoff) != phsize)
		fail(path, "truncated ELF file", 0);

	reserve(f);
	f->phdr = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const ElfW(Phdr) *ph = &f->ph[i];

		if (ph->p_type == PT_LOAD && ph->p_memsz)
			map_segment(f, ph);
		/* AT_PHDR: PT_PHDR says where the headers are; without it,
		 * find them in the file image of a segment, like the kernel. */
		if (ph->p_type == PT_PHDR)
			f->phdr = f->bias + ph->p_vaddr;
	}
	for (int i = 0; i < eh->e_phnum && !f->phdr; i++) {
		const ElfW(Phdr) *ph = &f->ph[i];

		if (ph->p_type == PT_LOAD && ph->p_offset <= eh->e_phoff &&
		    eh->e_phoff + phsize <= ph->p_offset + ph->p_filesz)
			f->phdr = f->bias + ph->p_vaddr + (eh->e_phoff - ph->p_offset);
	}
	f->entry = f->bias + eh->e_entry;
}

void loader_main(uintptr_t *sp, const LoaderInfo *info)
{
	int has_interp, has_execfn;
	uintptr_t *av;

	/* The strings sit below the guest's stack pointer, where nothing
	 * protects them: copy them first. */
	if (!info || info->magic != LOADER_MAGIC)
		fail(NULL, "no LoaderInfo (not started by ptroot?)", 0);
	if (!copy_str(prog_path, info->prog_path))
		fail(NULL, "no program path in LoaderInfo", 0);
	has_interp = copy_str(interp_path, info->interp_path) != NULL;
	has_execfn = copy_str(execfn, info->execfn) != NULL;
	/* the tracer's scratch area (loader.h) */
#ifdef __x86_64__
	map(&prog, LOADER_SCRATCH_X86_64, LOADER_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#else
	map(&prog, LOADER_SCRATCH_I386, LOADER_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#endif
	/* The kernel named the task after the loader's path: give it the
	 * name it has natively (the basename of the program as executed). */
	if (copy_str(comm, info->comm))
		sys6(__NR_prctl, 15 /* PR_SET_NAME */, (long)comm, 0, 0, 0, 0);

	load(&prog, prog_path);
	if (has_interp)
		load(&interp, interp_path);

	/* The kernel's stack: argc, argv[], NULL, envp[], NULL, auxv pairs.
	 * Patch the entries that described the loader itself. */
	av = sp + 1 + sp[0] + 1;
	while (*av)
		av++;
	for (av++; av[0] != AT_NULL; av += 2) {
		switch (av[0]) {
		case AT_PHDR: av[1] = prog.phdr; break;
		case AT_PHENT: av[1] = sizeof(ElfW(Phdr)); break;
		case AT_PHNUM: av[1] = prog.eh.e_phnum; break;
		case AT_ENTRY: av[1] = prog.entry; break;
		case AT_BASE: av[1] = has_interp ? interp.bias : 0; break;
		case AT_EXECFN:
			if (has_execfn)
				av[1] = (uintptr_t)execfn;
			break;
		}
	}

	sys6(__NR_close, prog.fd, 0, 0, 0, 0, 0);
	if (has_interp)
		sys6(__NR_close, interp.fd, 0, 0, 0, 0, 0);
	loader_jump(sp, has_interp ? interp.entry : prog.entry);
}
