/* SPDX-License-Identifier: MIT */
/* Tests the real loaders (build/loader/loader-x86_64 and loader-i386) without
 * ptroot: a tracer of a few lines stops each loader at its exec, plants a
 * LoaderInfo exactly as ptroot does and lets it run fixture programs built
 * here with cc. Run from the top of the repository (or pass its path). */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/loader.h"
#include "tap.h"

#define LOADER64 "build/loader/loader-x86_64"
#define LOADER32 "build/loader/loader-i386"
#define LDSO64 "/lib64/ld-linux-x86-64.so.2"
#define LDSO32 "/lib/ld-linux.so.2"
#define FIXTURE_SRC "tests/unit/loader-fixtures/auxv.c"
#define NO_TRACER ((const char *)-1) /* run: exec the loader untraced */

static char tmpdir[] = "/tmp/ptroot-test-loader.XXXXXX";
static char out[16384]; /* stdout + stderr of the last run */

static char *const test_env[] = { "LOADER_TEST=from-test", "PATH=/usr/bin:/bin", NULL };

static const char *fixture(const char *name)
{
	static char paths[16][256];
	static int n;
	char *p = paths[n++ % 16];

	snprintf(p, sizeof(paths[0]), "%s/%s", tmpdir, name);
	return p;
}

static int build(const char *name, const char *flags)
{
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof(cmd), "cc -std=gnu11 -O1 -w %s -o '%s' " FIXTURE_SRC, flags,
		 fixture(name));
	rc = system(cmd);
	TAP_OK(rc == 0, "cc %s builds the fixture %s (status %d)", flags, name, rc);
	return rc == 0;
}

/* Appends a string to the LoaderInfo block; returns its address in the
 * tracee. */
static uint64_t put_str(char *blob, size_t *off, uint64_t at, const char *s)
{
	size_t len = strlen(s) + 1;
	uint64_t addr = at + *off;

	if (*off + len > LOADER_INFO_MAX)
		return 0;
	memcpy(blob + *off, s, len);
	*off += len;
	return addr;
}

/* At the loader's exec stop, writes the LoaderInfo below its stack pointer and
 * points rdi (edi) at it, as ptroot does. Returns 0 on success. */
static int plant_info(pid_t pid, uint64_t magic, const char *prog, const char *interp,
		      const char *execfn)
{
	struct user_regs_struct regs;
	static char blob[LOADER_INFO_MAX];
	LoaderInfo *li = (LoaderInfo *)blob;
	size_t off = sizeof(*li);
	uint64_t at;

	if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		return -1;
	/* For an i386 tracee the 64-bit view holds esp and edi zero-extended. */
	at = regs.rsp - LOADER_INFO_OFFSET;
	memset(blob, 0, sizeof(*li));
	li->magic = magic;
	li->prog_path = put_str(blob, &off, at, prog);
	li->interp_path = interp ? put_str(blob, &off, at, interp) : 0;
	li->execfn = execfn ? put_str(blob, &off, at, execfn) : 0;

	struct iovec local = { blob, off }, remote = { (void *)(uintptr_t)at, off };

	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != (ssize_t)off)
		return -1;
	regs.rdi = at;
	return ptrace(PTRACE_SETREGS, pid, 0, &regs);
}

/* Runs the loader with argv under the mini-tracer and returns its wait status
 * (-1 if the harness itself failed); its output is left in out[]. */
static int run(const char *loader, const char *prog, const char *interp, const char *execfn,
	       uint64_t magic, char *const argv[])
{
	int fds[2], status = -1;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	out[0] = 0;
	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		if (prog != NO_TRACER) {
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			raise(SIGSTOP);
		}
		execve(loader, argv, test_env);
		_exit(126);
	}
	close(fds[1]);
	if (prog != NO_TRACER) {
		/* The SIGSTOP, then the exec stop of the loader. */
		if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
		    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0 ||
		    ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
			goto fail;
		if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			printf("# no exec stop (status 0x%x): is %s built?\n", status, loader);
			goto fail;
		}
		if (plant_info(pid, magic, prog, interp, execfn) < 0 ||
		    ptrace(PTRACE_DETACH, pid, 0, 0) < 0)
			goto fail;
	}
	while ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
fail:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	return -1;
}

static int exit_code(int status)
{
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void has_line(const char *line, const char *what)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s\n", line);
	/* out[] starts a line too: search in "\n" + out. */
	char buf[sizeof(out) + 1] = "\n";

	strcat(buf, out);
	TAP_OK(strstr(buf, want) != NULL, "%s: output has '%s'", what, line);
}

static void show_output(void)
{
	for (char *s = strtok(out, "\n"); s; s = strtok(NULL, "\n"))
		printf("#   | %s\n", s);
}

/* A fixture run that must succeed: exit 42, no failed self-check, argv and
 * environment passed through. */
static void good(const char *what, const char *loader, const char *prog, const char *interp,
		 const char *execfn, const char *want_execfn)
{
	char *argv[] = { "fixture", "hello world", NULL };
	char line[512];
	int status = run(loader, prog, interp, execfn, LOADER_MAGIC, argv);

	TAP_EQ_INT(exit_code(status), 42, "%s: exit status", what);
	has_line("failures=0", what);
	has_line("argv[0]=fixture", what);
	has_line("argv[1]=hello world", what);
	has_line("env=from-test", what);
	has_line(interp ? "base=set" : "base=0", what);
	if (want_execfn) {
		snprintf(line, sizeof(line), "execfn=%s", want_execfn);
		has_line(line, what);
	}
	if (exit_code(status) != 42)
		show_output();
}

/* The interpreter run as the program ("ld.so prog"): an ET_DYN program
 * without interpreter whose AT_ENTRY must be exactly right, or ld.so would not
 * know it is the program. */
static void ldso_as_program(const char *what, const char *loader, const char *ldso,
			    const char *prog)
{
	char *argv[] = { "ld.so", (char *)prog, "hello world", NULL };
	int status = run(loader, ldso, NULL, NULL, LOADER_MAGIC, argv);

	TAP_EQ_INT(exit_code(status), 42, "%s: exit status", what);
	has_line("failures=0", what);
	has_line("argv[1]=hello world", what);
	if (exit_code(status) != 42)
		show_output();
}

/* A run that must fail with the loader's one-line diagnostic. */
static void bad(const char *what, const char *loader, const char *prog, const char *interp,
		uint64_t magic, const char *want)
{
	char *argv[] = { "fixture", NULL };
	int status = run(loader, prog, interp, NULL, magic, argv);

	TAP_EQ_INT(exit_code(status), 127, "%s: exit status", what);
	TAP_EQ_STR(out, want, "%s: message", what);
}

/* The loader's own ELF: at its link address, nothing writable and executable,
 * no executable stack, small. */
static void check_loader_elf(const char *path, int is64, uint64_t addr)
{
	static unsigned char buf[65536];
	int fd = open(path, O_RDONLY), wx = 0, xstack = 0;
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	uint64_t first = 0;

	if (fd >= 0)
		close(fd);
	TAP_OK(len > 0 && len < 16384, "%s exists and is small (%zd bytes)", path, len);
	if (len < (ssize_t)sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG))
		return;
	TAP_EQ_INT(buf[EI_CLASS], is64 ? ELFCLASS64 : ELFCLASS32, "%s: ELF class", path);
	for (int i = 0;; i++) {
		uint64_t type, flags, vaddr;

		if (is64) {
			Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
			Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff) + i;

			if (i >= eh->e_phnum || (unsigned char *)(ph + 1) > buf + len)
				break;
			type = ph->p_type, flags = ph->p_flags, vaddr = ph->p_vaddr;
		} else {
			Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
			Elf32_Phdr *ph = (Elf32_Phdr *)(buf + eh->e_phoff) + i;

			if (i >= eh->e_phnum || (unsigned char *)(ph + 1) > buf + len)
				break;
			type = ph->p_type, flags = ph->p_flags, vaddr = ph->p_vaddr;
		}
		if (type == PT_LOAD && !first)
			first = vaddr;
		if (type == PT_LOAD && (flags & PF_W) && (flags & PF_X))
			wx++;
		if (type == PT_GNU_STACK && (flags & PF_X))
			xstack++;
		if (type == PT_INTERP || type == PT_DYNAMIC)
			wx += 100;
	}
	TAP_EQ_INT(first, addr, "%s: first PT_LOAD at the link address", path);
	TAP_EQ_INT(wx, 0, "%s: static, no writable+executable segment", path);
	TAP_EQ_INT(xstack, 0, "%s: no executable stack", path);
}

static void cleanup(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
}

int main(int argc, char **argv)
{
	char msg[512];

	setvbuf(stdout, NULL, _IONBF, 0);
	alarm(120); /* a hung tracee must not hang the test suite */
	if (argc > 1 && chdir(argv[1]) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}

	check_loader_elf(LOADER64, 1, LOADER_ADDR_X86_64);
	check_loader_elf(LOADER32, 0, LOADER_ADDR_I386);

	/* (a) PIE, with a PT_INTERP that does not exist: only interp_path can
	 * make it run. */
	if (build("pie", "-fpie -pie -Wl,--dynamic-linker=/nonexistent/ld-guest.so"))
		good("x86_64 PIE", LOADER64, fixture("pie"), LDSO64, "/guest/bin/pie",
		     "/guest/bin/pie");
	/* Segments aligned to 2 MiB: the load address must be too. */
	if (build("pie2m", "-fpie -pie -Wl,-z,max-page-size=0x200000"))
		good("x86_64 PIE, 2 MiB alignment", LOADER64, fixture("pie2m"), LDSO64, NULL,
		     LOADER64);
	/* (b) non-PIE (ET_EXEC at 0x400000); execfn 0 keeps the kernel's. */
	if (build("nopie", "-fno-pie -no-pie"))
		good("x86_64 non-PIE", LOADER64, fixture("nopie"), LDSO64, NULL, LOADER64);
	/* (c) the same through the i386 loader. */
	if (build("pie32", "-m32 -fpie -pie -Wl,--dynamic-linker=/nonexistent/ld-guest.so"))
		good("i386 PIE", LOADER32, fixture("pie32"), LDSO32, "/guest/bin/pie32",
		     "/guest/bin/pie32");
	if (build("nopie32", "-m32 -fno-pie -no-pie"))
		good("i386 non-PIE", LOADER32, fixture("nopie32"), LDSO32, "/x", "/x");
	/* (d) static programs, no interpreter. */
	if (build("static", "-static"))
		good("x86_64 static", LOADER64, fixture("static"), NULL, "/s", "/s");
	if (build("static-pie", "-static-pie"))
		good("x86_64 static-pie", LOADER64, fixture("static-pie"), NULL, "/sp", "/sp");
	if (build("static32", "-m32 -static"))
		good("i386 static", LOADER32, fixture("static32"), NULL, "/s32", "/s32");
	ldso_as_program("x86_64 ld.so as the program", LOADER64, LDSO64, fixture("nopie"));
	ldso_as_program("i386 ld.so as the program", LOADER32, LDSO32, fixture("nopie32"));

	/* (e) errors: one line on stderr, exit status 127. */
	bad("missing program", LOADER64, "/nonexistent/prog", LDSO64, LOADER_MAGIC,
	    "ptroot loader: cannot load '/nonexistent/prog': cannot open: "
	    "No such file or directory\n");
	bad("missing program (i386)", LOADER32, "/nonexistent/prog", LDSO32, LOADER_MAGIC,
	    "ptroot loader: cannot load '/nonexistent/prog': cannot open: "
	    "No such file or directory\n");
	bad("missing interpreter", LOADER64, fixture("pie"), "/nonexistent/ld.so", LOADER_MAGIC,
	    "ptroot loader: cannot load '/nonexistent/ld.so': cannot open: "
	    "No such file or directory\n");
	snprintf(msg, sizeof(msg), "ptroot loader: cannot load '%s': not an ELF file\n",
		 FIXTURE_SRC);
	bad("not an ELF file", LOADER64, FIXTURE_SRC, NULL, LOADER_MAGIC, msg);
	snprintf(msg, sizeof(msg), "ptroot loader: cannot load '%s': not an x86_64 ELF file\n",
		 fixture("pie32"));
	bad("i386 program, x86_64 loader", LOADER64, fixture("pie32"), LDSO32, LOADER_MAGIC, msg);
	snprintf(msg, sizeof(msg), "ptroot loader: cannot load '%s': not an i386 ELF file\n",
		 LDSO64);
	bad("x86_64 interpreter, i386 loader", LOADER32, fixture("pie32"), LDSO64, LOADER_MAGIC,
	    msg);
	bad("bad magic", LOADER64, fixture("pie"), LDSO64, LOADER_MAGIC + 1,
	    "ptroot loader: cannot load '?': no LoaderInfo (not started by ptroot?)\n");
	{
		char *av[] = { "loader", NULL };

		TAP_EQ_INT(exit_code(run(LOADER64, NO_TRACER, NULL, NULL, 0, av)), 127,
			   "x86_64 loader run directly: exit status");
		TAP_EQ_STR(out, "ptroot loader: cannot load '?': "
				"no LoaderInfo (not started by ptroot?)\n",
			   "x86_64 loader run directly: message");
		TAP_EQ_INT(exit_code(run(LOADER32, NO_TRACER, NULL, NULL, 0, av)), 127,
			   "i386 loader run directly: exit status");
	}

	cleanup();
	return tap_done();
}
