/* SPDX-License-Identifier: MIT */
/* execve in guest terms. The program is resolved in the guest; a "#!" script
 * turns into its interpreter with the kernel's argv rules (up to 4 nested
 * interpreters, as binfmt_script + BINPRM_MAX_RECURSION); an ELF program is
 * run by our loader, which maps it and the guest's PT_INTERP, so that the
 * host's ld.so is never used and AT_EXECFN and /proc/self/exe stay right. */
#include "exec/exec.h"
#include "loader/loader.h"
#include "syscall/ctx.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define BINPRM_BUF_SIZE 256
#define MAX_INTERP_DEPTH 4

/* ---- the embedded loaders ------------------------------------------------- */

extern const char _binary_loader_x86_64_start[], _binary_loader_x86_64_end[];
extern const char _binary_loader_i386_start[], _binary_loader_i386_end[];

static char loader_paths[ABI__MAX][64];

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* Write [START, END) to FD: 0 or -errno. */
static int write_all(int fd, const char *start, const char *end)
{
	while (start < end) {
		ssize_t n = write(fd, start, end - start);
		if (n < 0)
			return -errno;
		start += n;
	}
	return 0;
}

static int make_loader(const char *name, const char *start, const char *end, char *path)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	int r = write_all(fd, start, end);
	if (r < 0) {
		close(fd);
		return r;
	}
	fchmod(fd, 0755);
	/* Nobody, not even a guest that finds /proc/PTROOT/fd/N, may change it. */
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	snprintf(path, 64, "/proc/%d/fd/%d", getpid(), fd);
	return 0;
}

int exec_loaders_init(void)
{
	int r = make_loader("ptroot-loader-x86_64", _binary_loader_x86_64_start,
			    _binary_loader_x86_64_end, loader_paths[ABI_X86_64]);
	if (r < 0)
		return r;
	return make_loader("ptroot-loader-i386", _binary_loader_i386_start, _binary_loader_i386_end,
			   loader_paths[ABI_I386]);
}

/* /proc/PTROOT/fd/N is open to processes of ptroot's own uid only (the
 * kernel's ptrace access check). When ptroot runs as root and a guest
 * process has switched to another uid (su, setpriv, apt's sandbox user), it
 * executes a copy of the loader in a private directory instead: made on the
 * first need, removed when ptroot ends. */
static char loader_dir[64];
static char loader_files[ABI__MAX][96];

static int write_file(const char *path, const char *start, const char *end)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		return -errno;
	int r = write_all(fd, start, end);
	close(fd);
	return r;
}

static int make_loader_files(void)
{
	if (loader_dir[0])
		return 0;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/' || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(loader_dir, sizeof(loader_dir), "%s/ptroot-loader-XXXXXX", tmp);
	if (!mkdtemp(loader_dir)) {
		loader_dir[0] = 0;
		return -errno;
	}
	chmod(loader_dir, 0711);
	snprintf(loader_files[ABI_X86_64], sizeof(loader_files[0]), "%s/x86_64", loader_dir);
	snprintf(loader_files[ABI_I386], sizeof(loader_files[0]), "%s/i386", loader_dir);
	int r = write_file(loader_files[ABI_X86_64], _binary_loader_x86_64_start, _binary_loader_x86_64_end);
	if (r == 0)
		r = write_file(loader_files[ABI_I386], _binary_loader_i386_start, _binary_loader_i386_end);
	if (r < 0)
		exec_loaders_cleanup();
	return r;
}

void exec_loaders_cleanup(void)
{
	if (!loader_dir[0])
		return;
	for (int i = 0; i < ABI__MAX; i++)
		if (loader_files[i][0])
			unlink(loader_files[i]);
	rmdir(loader_dir);
	loader_dir[0] = 0;
}

/* The file system uid the tracee's execve will be checked with. */
static long tracee_fsuid(pid_t tid)
{
	char p[64], buf[2048];
	snprintf(p, sizeof(p), "/proc/%d/status", tid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *u = strstr(buf, "\nUid:");
	unsigned long r, e, s, f;
	if (!u || sscanf(u + 5, "%lu %lu %lu %lu", &r, &e, &s, &f) != 4)
		return -1;
	return (long)f;
}

static const char *loader_for(pid_t tid, Abi abi)
{
	if (geteuid() != 0 || tracee_fsuid(tid) == (long)geteuid())
		return loader_paths[abi];
	if (make_loader_files() < 0)
		return loader_paths[abi]; /* the kernel will say EACCES */
	return loader_files[abi];
}

const char *exec_loader_path(Abi abi) { return loader_paths[abi]; }

/* ---- plans ------------------------------------------------------------------ */

void exec_plan_free(ExecPlan *plan)
{
	if (plan->prog_fd >= 0)
		close(plan->prog_fd);
	plan->prog_fd = -1;
	for (int i = 0; i < plan->n_prepend; i++)
		free(plan->prepend[i]);
	plan->n_prepend = 0;
}

/* Kernel rules for "#!" (fs/binfmt_script.c): the interpreter is the first
 * word after "#!" (blanks skipped); the rest of the line, trimmed, is one
 * optional argument (only blanks are trimmed: a CR stays). A line that does not fit in the buffer is only accepted
 * when the interpreter's name itself is complete. */
static int parse_shebang(const char *buf, size_t n, char *interp, char *arg, bool *has_arg)
{
	const char *end = memchr(buf, '\n', n);
	bool truncated = !end;
	if (!end)
		end = buf + n;
	const char *p = buf + 2;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *ie = p;
	while (ie < end && *ie != ' ' && *ie != '\t' && *ie != 0)
		ie++;
	if (ie == p) {
		/* An empty name that the kernel takes for one: a NUL where
		 * the name starts, or the end of a short file without a
		 * newline (the buffer is NUL-padded). It then fails to open
		 * "" as the interpreter: EACCES. */
		if ((p < end && *p == 0) || (truncated && n < BINPRM_BUF_SIZE))
			return -EACCES;
		return -ENOEXEC;
	}
	if (truncated && ie == end)
		return -ENOEXEC; /* the interpreter's name may be cut */
	memcpy(interp, p, ie - p);
	interp[ie - p] = 0;
	const char *a = ie;
	while (a < end && (*a == ' ' || *a == '\t'))
		a++;
	const char *ae = end;
	while (ae > a && (ae[-1] == ' ' || ae[-1] == '\t' || ae[-1] == 0))
		ae--;
	/* an embedded NUL ends the argument as it does for the kernel */
	const char *nul = memchr(a, 0, ae - a);
	if (nul)
		ae = nul;
	*has_arg = ae > a;
	memcpy(arg, a, ae - a);
	arg[ae - a] = 0;
	return 0;
}

static int prepend_set(ExecPlan *plan, const char *interp, const char *arg, const char *filename)
{
	/* new = [interp, arg?, filename] + old[1..] (old[0] is dropped: the
	 * first level drops the caller's argv[0], later levels the previous
	 * interpreter, which comes back as the filename). */
	char *old[EXEC_MAX_PREPEND];
	int n_old = plan->n_prepend;
	memcpy(old, plan->prepend, sizeof(old));
	int first = 0;
	if (n_old > 0) {
		free(old[0]);
		first = 1;
	} else {
		plan->skip = 1;
	}
	int n = 0;
	char *nw[EXEC_MAX_PREPEND];
	nw[n++] = strdup(interp);
	if (arg)
		nw[n++] = strdup(arg);
	nw[n++] = strdup(filename);
	for (int i = first; i < n_old; i++) {
		if (n >= EXEC_MAX_PREPEND) {
			for (int j = i; j < n_old; j++)
				free(old[j]);
			break;
		}
		nw[n++] = old[i];
	}
	memcpy(plan->prepend, nw, sizeof(nw));
	plan->n_prepend = n;
	for (int i = 0; i < n; i++)
		if (!nw[i])
			return -ENOMEM;
	return 0;
}

static int read_elf_interp(int fd, const unsigned char *hdr, size_t n, Abi *abi, char *interp)
{
	interp[0] = 0;
	if (n < EI_NIDENT || memcmp(hdr, ELFMAG, SELFMAG))
		return -ENOEXEC;
	uint64_t phoff;
	unsigned phnum, phentsize;
	/* The checks of binfmt_elf's load_elf_binary() that tell an ELF we
	 * cannot run natively (the kernel answers ENOEXEC). */
#define ELF_HEADER(Ehdr, Phdr, machine, the_abi)                                          \
	do {                                                                              \
		const Ehdr *e = (const void *)hdr;                                        \
		if (n < sizeof(*e) || e->e_machine != (machine) ||                        \
		    (e->e_type != ET_EXEC && e->e_type != ET_DYN) ||                      \
		    e->e_phentsize != sizeof(Phdr))                                       \
			return -ENOEXEC;                                                  \
		*abi = (the_abi);                                                         \
		phoff = e->e_phoff;                                                       \
		phnum = e->e_phnum;                                                       \
		phentsize = e->e_phentsize;                                               \
	} while (0)
	if (hdr[EI_CLASS] == ELFCLASS64)
		ELF_HEADER(Elf64_Ehdr, Elf64_Phdr, EM_X86_64, ABI_X86_64);
	else if (hdr[EI_CLASS] == ELFCLASS32)
		ELF_HEADER(Elf32_Ehdr, Elf32_Phdr, EM_386, ABI_I386);
	else
		return -ENOEXEC;
#undef ELF_HEADER
	if (phnum == 0 || phnum > 65536 / phentsize)
		return -ENOEXEC;
	size_t sz = (size_t)phnum * phentsize;
	_cleanup_free_ unsigned char *ph = malloc(sz);
	if (!ph)
		return -ENOMEM;
	if (pread(fd, ph, sz, phoff) != (ssize_t)sz)
		return -EIO;
	for (unsigned i = 0; i < phnum; i++) {
		uint64_t off, filesz;
		uint32_t type;
		if (*abi == ABI_X86_64) {
			const Elf64_Phdr *p = (const void *)(ph + i * phentsize);
			type = p->p_type, off = p->p_offset, filesz = p->p_filesz;
		} else {
			const Elf32_Phdr *p = (const void *)(ph + i * phentsize);
			type = p->p_type, off = p->p_offset, filesz = p->p_filesz;
		}
		if (type != PT_INTERP)
			continue;
		if (filesz < 2 || filesz > PT_PATH_MAX)
			return -ENOEXEC;
		if (pread(fd, interp, filesz, off) != (ssize_t)filesz)
			return -EIO;
		if (interp[filesz - 1] != 0)
			return -ENOEXEC;
		return 0;
	}
	return 0;
}

/* Open a resolved program as the kernel's open_exec() would judge it. */
static int open_exec_host(const Resolved *res, int *ret_fd)
{
	if (res->final_missing)
		return -ENOENT;
	struct stat st;
	if (stat(res->host, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (faccessat(AT_FDCWD, res->host, X_OK, AT_EACCESS) < 0)
		return -errno;
	int fd = open(res->host, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

/* Whether the tracee's descriptor FD is close-on-exec (/proc/TID/fdinfo). */
static bool tracee_fd_cloexec(pid_t tid, int fd)
{
	char p[64], buf[512];
	snprintf(p, sizeof(p), "/proc/%d/fdinfo/%d", tid, fd);
	int f = open(p, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = 0;
	const char *fl = strstr(buf, "flags:");
	return fl && (strtoul(fl + 6, NULL, 8) & O_CLOEXEC);
}

int exec_plan(SysCtx *c, int dirfd, const char *path, int at_flags, ExecPlan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->prog_fd = -1;
	/* AT_EXECFN and the script's argv name the file as it was given;
	 * execveat(fd, "rel") gives "/dev/fd/FD/rel" (fs/exec.c). */
	if (path[0] == '/' || dirfd == AT_FDCWD)
		snprintf(plan->execfn, sizeof(plan->execfn), "%s", path);
	else if (!path[0])
		snprintf(plan->execfn, sizeof(plan->execfn), "/dev/fd/%d", dirfd);
	else
		snprintf(plan->execfn, sizeof(plan->execfn), "/dev/fd/%d/%s", dirfd, path);

	char cur[PT_PATH_MAX];
	int cur_dirfd = dirfd;
	bool empty = !path[0];
	if (empty) {
		/* what the descriptor is comes first: a directory (or any
		 * non-regular file) is EACCES, even one whose guest path is
		 * too long for us to name */
		char self[64];
		struct stat st;
		if (dirfd == AT_FDCWD)
			snprintf(self, sizeof(self), "/proc/%d/cwd", c->tid);
		else
			snprintf(self, sizeof(self), "/proc/%d/fd/%d", c->tid, dirfd);
		if (stat(self, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			return -EACCES;
		/* fexecve: the file the descriptor names (not what it links to:
		 * an O_PATH descriptor of a symlink gives ELOOP) */
		int r = ctx_dirfd_guest(c, dirfd, cur);
		if (r < 0)
			return r == -ENOTDIR ? -EACCES : r;
		cur_dirfd = AT_FDCWD;
	} else {
		snprintf(cur, sizeof(cur), "%s", path);
	}
	int flags = (at_flags & AT_SYMLINK_NOFOLLOW) || empty ? 0 : RESOLVE_FOLLOW;
	for (int depth = 0;; depth++) {
		Resolved res;
		int r = ctx_resolve(c, cur_dirfd, cur, flags, &res);
		if ((r == -ENAMETOOLONG || (r == 0 && strlen(res.host) >= PT_PATH_MAX)) &&
		    cur[0] != '/' && ctx_relative_ok(c, cur_dirfd, cur, flags & RESOLVE_FOLLOW)) {
			/* Too long for us in guest or host terms, but the
			 * kernel walks it from the directory as it is: so do
			 * we, through /proc/TID/cwd or /proc/TID/fd/N. */
			memset(&res, 0, sizeof(res));
			if (cur_dirfd == AT_FDCWD)
				snprintf(res.host, sizeof(res.host), "/proc/%d/cwd/%s", c->tid, cur);
			else
				snprintf(res.host, sizeof(res.host), "/proc/%d/fd/%d/%s", c->tid, cur_dirfd,
					 cur);
			snprintf(res.guest, sizeof(res.guest), "%s", cur);
			r = 0;
		}
		if (r < 0)
			return r;
		if (!(flags & RESOLVE_FOLLOW)) {
			struct stat st;
			if (lstat(res.host, &st) == 0 && S_ISLNK(st.st_mode))
				return -ELOOP;
		}
		int fd = -1;
		r = open_exec_host(&res, &fd);
		if (r == -ENOENT && empty && depth == 0) {
			/* fexecve of a file removed since: the descriptor
			 * still reaches it */
			char p[64];
			snprintf(p, sizeof(p), "/proc/%d/fd/%d", c->tid, dirfd);
			snprintf(res.host, sizeof(res.host), "%s", p);
			res.final_missing = 0;
			r = open_exec_host(&res, &fd);
		}
		if (r < 0)
			return r;
		unsigned char buf[BINPRM_BUF_SIZE];
		ssize_t n = pread(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
			close(fd);
			if (depth >= MAX_INTERP_DEPTH)
				return -ELOOP;
			char interp[BINPRM_BUF_SIZE], arg[BINPRM_BUF_SIZE];
			bool has_arg;
			r = parse_shebang((const char *)buf, n, interp, arg, &has_arg);
			if (r < 0)
				return r;
			/* A script named through a descriptor that the exec
			 * closes: its interpreter could not open /dev/fd/N
			 * (BINPRM_FLAGS_PATH_INACCESSIBLE in fs/exec.c and
			 * fs/binfmt_script.c). */
			if (depth == 0 && dirfd != AT_FDCWD && path[0] != '/' &&
			    tracee_fd_cloexec(c->tid, dirfd))
				return -ENOENT;
			r = prepend_set(plan, interp, has_arg ? arg : NULL,
					depth == 0 ? plan->execfn : cur);
			if (r < 0)
				return r;
			snprintf(cur, sizeof(cur), "%s", interp);
			cur_dirfd = AT_FDCWD;
			flags = RESOLVE_FOLLOW;
			continue;
		}
		char interp[PT_PATH_MAX];
		r = read_elf_interp(fd, buf, n, &plan->abi, interp);
		if (r < 0) {
			close(fd);
			return r;
		}
		plan->prog_fd = fd;
		snprintf(plan->exe_guest, sizeof(plan->exe_guest), "%s", res.guest);
		snprintf(plan->prog_host, sizeof(plan->prog_host), "%s", res.host);
		plan->kind = EXEC_LOADER;
		if (interp[0]) {
			Resolved ires;
			r = ctx_resolve(c, AT_FDCWD, interp, RESOLVE_FOLLOW, &ires);
			if (r < 0)
				return r;
			if (ires.final_missing)
				return -ENOENT;
			int ifd;
			if ((ifd = open(ires.host, O_RDONLY | O_CLOEXEC)) < 0)
				return -errno;
			unsigned char ib[BINPRM_BUF_SIZE];
			ssize_t in = pread(ifd, ib, sizeof(ib), 0);
			Abi iabi;
			char dummy[PT_PATH_MAX];
			r = in < 0 ? -EIO : read_elf_interp(ifd, ib, in, &iabi, dummy);
			close(ifd);
			/* an interpreter that is not an ELF of the same class */
			if (r < 0 || iabi != plan->abi)
				return -ELIBBAD;
			snprintf(plan->interp_host, sizeof(plan->interp_host), "%s", ires.host);
		}
		return 0;
	}
}

/* ---- the handlers --------------------------------------------------------- */

/* Write the argv the plan asks for: prepended strings, then the original
 * pointers from index plan->skip. Large vectors go below the stack pointer
 * (the image is being replaced anyway). */
static int write_argv(SysCtx *c, const ExecPlan *plan, uint64_t argv_addr, uint64_t *ret)
{
	size_t w = c->abi == ABI_X86_64 ? 8 : 4;
	size_t cap = 64, n = 0;
	_cleanup_free_ uint64_t *orig = malloc(cap * sizeof(uint64_t));
	if (!orig)
		return -ENOMEM;
	for (uint64_t a = argv_addr; a; a += w) {
		uint64_t p;
		int r = ctx_read_word(c, a, &p);
		if (r < 0)
			return -EFAULT;
		if (!p)
			break;
		if (n == cap) {
			if (cap >= (1u << 22))
				return -E2BIG;
			cap *= 2;
			uint64_t *no = realloc(orig, cap * sizeof(uint64_t));
			if (!no)
				return -ENOMEM;
			orig = no;
		}
		orig[n++] = p;
	}
	size_t skip = plan->skip < (int)n ? (size_t)plan->skip : n;
	size_t total = plan->n_prepend + (n - skip) + 1;
	_cleanup_free_ unsigned char *vec = calloc(total, w);
	if (!vec)
		return -ENOMEM;
	size_t k = 0;
	for (int i = 0; i < plan->n_prepend; i++) {
		uint64_t a;
		int r = ctx_push(c, plan->prepend[i], strlen(plan->prepend[i]) + 1, &a);
		if (r < 0)
			return r;
		memcpy(vec + k++ * w, &a, w);
	}
	for (size_t i = skip; i < n; i++)
		memcpy(vec + k++ * w, &orig[i], w);
	int r = ctx_push(c, vec, total * w, ret);
	if (r == -ENOMEM) {
		uint64_t a = (c->sp - 65536 - total * w) & ~15ULL;
		r = ctx_write_ours(c, a, vec, total * w);
		*ret = a;
	}
	return r;
}

static void do_exec(SysCtx *c, int dirfd, uint64_t path_addr, int path_arg, int argv_arg, int at_flags)
{
	char path[PT_PATH_MAX];
	ssize_t n = ctx_read_path(c, path_addr, path);
	if (n < 0) {
		ctx_fail(c, (int)n);
		return;
	}
	if (n == 0 && !(at_flags & AT_EMPTY_PATH)) {
		ctx_fail(c, -ENOENT);
		return;
	}
	ExecPlan *plan = malloc(sizeof(*plan));
	if (!plan) {
		ctx_fail(c, -ENOMEM);
		return;
	}
	int r = exec_plan(c, dirfd, path, at_flags, plan);
	uint64_t a;
	if (r == 0) {
		const char *kpath = loader_for(c->tid, plan->abi);
		/* A loader run from our memfd can open our descriptors too. */
		if (kpath == loader_paths[plan->abi] && plan->prog_fd >= 0) {
			snprintf(plan->prog_host, sizeof(plan->prog_host), "/proc/%d/fd/%d", getpid(),
				 plan->prog_fd);
			plan->prog_by_fd = true;
		}
		r = ctx_push(c, kpath, strlen(kpath) + 1, &a);
	}
	if (r == 0) {
		ctx_set_arg(c, path_arg, a);
		if (plan->n_prepend) {
			uint64_t av;
			r = write_argv(c, plan, c->args[argv_arg], &av);
			if (r == 0)
				ctx_set_arg(c, argv_arg, av);
		}
	}
	if (r < 0) {
		exec_plan_free(plan);
		free(plan);
		ctx_fail(c, r);
		return;
	}
	ctx_set_exec_plan(c, plan);
}

void h_execve(SysCtx *c)
{
	do_exec(c, AT_FDCWD, c->args[0], 0, 1, 0);
}

void h_execveat(SysCtx *c)
{
	int dirfd = (int)c->args[0];
	int flags = (int)c->args[4];
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		ctx_fail(c, -EINVAL);
		return;
	}
	do_exec(c, dirfd, c->args[1], 1, 2, flags);
	if (c->action == CTX_RUN) {
		/* the loader is named by an absolute path */
		ctx_set_arg(c, 0, (uint64_t)(int64_t)AT_FDCWD);
		ctx_set_arg(c, 4, 0);
	}
}
