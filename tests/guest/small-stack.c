/* SPDX-License-Identifier: MIT */
/* Path syscalls from a thread with almost no stack left: about 1 KiB above
 * an inaccessible guard page, as in small green-thread stacks.  A tracer that
 * writes translated paths below the stack pointer would hit the guard page
 * or corrupt memory; natively all these calls simply work. */
#include "guest.h"
#include <sched.h>
#include <sys/mman.h>

#define PAGE 4096

static char *long_path;		/* "/././.../tmp/smallstack/file", ~3000 bytes */
static long results[8];
static int errnos[8];

static int child(void *arg)
{
	char buf[64];

	/* Only raw syscalls here: little stack, no stdio. */
	results[0] = syscall(SYS_faccessat, AT_FDCWD, long_path, R_OK, 0);
	errnos[0] = errno;
	results[1] = syscall(SYS_openat, AT_FDCWD, long_path, O_RDONLY, 0);
	errnos[1] = errno;
	results[2] = syscall(SYS_readlinkat, AT_FDCWD, "/tmp/smallstack/link", buf, sizeof(buf));
	errnos[2] = errno;
	results[3] = syscall(SYS_mkdirat, AT_FDCWD, "/tmp/smallstack/made", 0755);
	errnos[3] = errno;
	results[4] = syscall(SYS_getcwd, buf, sizeof(buf));
	errnos[4] = errno;
	results[5] = syscall(SYS_chdir, "/tmp/smallstack");
	errnos[5] = errno;
	results[6] = (buf[0] == '/');
	syscall(SYS_exit, 0);
	return 0;
}

int main(void)
{
	scratch("/tmp/smallstack");
	write_file("/tmp/smallstack/file", "x");
	symlink("/tmp/smallstack/file", "/tmp/smallstack/link");
	CALL(chdir("/"));

	long_path = malloc(4000);
	strcpy(long_path, "/");
	while (strlen(long_path) < 3000)
		strcat(long_path, "./");
	strcat(long_path, "tmp/smallstack/file");

	char *region = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || mprotect(region, PAGE, PROT_NONE) < 0) {
		say("FAIL: mmap/mprotect: %s", errname(errno));
		return 1;
	}
	/* The stack starts 1 KiB above the guard page. */
	char *top = region + PAGE + 1024;
	fflush(stdout);
	pid_t pid = clone(child, top, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0) {
		say("FAIL: clone: %s", errname(errno));
		return 1;
	}
	int status;
	waitpid(pid, &status, 0);
	say("child: %s", status_str(status));
	const char *what[] = { "faccessat(long path)", "openat(long path)", "readlinkat", "mkdirat",
			       "getcwd", "chdir", "getcwd is absolute" };
	for (int i = 0; i < 7; i++) {
		if (i == 1 && results[i] >= 0)
			say("%s: fd", what[i]);
		else if (results[i] < 0)
			say("%s: -1 %s", what[i], errname(errnos[i]));
		else
			say("%s: %ld", what[i], results[i]);
	}
	show_stat("/tmp/smallstack/made");
	show_cwd();
	return guest_exit();
}
