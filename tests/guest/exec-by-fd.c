/* SPDX-License-Identifier: MIT */
/* Programs run through a descriptor: execve("/proc/self/fd/N") and
 * execveat(N, "", AT_EMPTY_PATH) (fexecve), of an ELF program and of a
 * script, with and without O_CLOEXEC, and after the file was removed. The
 * kernel opens the program before it closes the descriptor; a script named
 * /dev/fd/N that the exec closes fails with ENOENT, since its interpreter
 * could not open it. */
#include "guest.h"
#include <sys/wait.h>

static void run(const char *what, const char *file, int cloexec, int how)
{
	int fd = open(file, O_RDONLY | (cloexec ? O_CLOEXEC : 0));
	if (fd < 0) {
		say("%s: open: %s", what, errname(errno));
		return;
	}
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = { "sh", "-c", "exit 7", NULL }, *ev[] = { NULL };
		if (how == 0)
			execve(p, av, ev);
		else
			syscall(SYS_execveat, fd, "", av, ev, AT_EMPTY_PATH);
		printf("%s, %s, %s: %s\n", what, cloexec ? "cloexec" : "inherited",
		       how ? "execveat" : "/proc/self/fd", errname(errno));
		fflush(stdout);
		_exit(99);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 99))
		say("%s, %s, %s: %s", what, cloexec ? "cloexec" : "inherited",
		    how ? "execveat" : "/proc/self/fd", status_str(st));
	close(fd);
}

int main(void)
{
	scratch("/tmp/execfd");
	/* an ELF program: the busybox of the guest, copied */
	int in = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
	int out = open("/tmp/execfd/prog", O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	char buf[65536];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			break;
	close(in);
	close(out);
	write_file("/tmp/execfd/script", "#!/bin/sh\nexit 5\n");
	chmod("/tmp/execfd/script", 0755);
	for (int cloexec = 0; cloexec < 2; cloexec++)
		for (int how = 0; how < 2; how++) {
			run("ELF", "/tmp/execfd/prog", cloexec, how);
			run("script", "/tmp/execfd/script", cloexec, how);
		}
	/* removed, still open */
	int fd = open("/tmp/execfd/prog", O_RDONLY | O_CLOEXEC);
	CALL(unlink("/tmp/execfd/prog"));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = { "sh", "-c", "exit 3", NULL }, *ev[] = { NULL };
		syscall(SYS_execveat, fd, "", av, ev, AT_EMPTY_PATH);
		printf("removed ELF: %s\n", errname(errno));
		fflush(stdout);
		_exit(99);
	}
	int st;
	waitpid(pid, &st, 0);
	say("removed ELF by execveat: %s", status_str(st));
	return guest_exit();
}
