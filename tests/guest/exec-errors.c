/* SPDX-License-Identifier: MIT */
/* execve failures the guest must see exactly as natively: missing file,
 * directory, no execute permission, not an ELF nor a script, a dangling link,
 * a path through a file, an empty path.  And execvp's search of $PATH. */
#include "guest.h"

static void try(const char *path)
{
	char *argv[] = { "x", "child", NULL };
	char *envp[] = { NULL };

	errno = 0;
	execve(path, argv, envp);
	say("execve(\"%s\") = -1 %s", path, errname(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		say("child runs as %s", argv[0]);
		return 0;
	}
	scratch("/tmp/execerr");
	write_file("noexec", "#!/bin/sh\necho no\n");
	write_file("garbage", "this is not a program\n");
	chmod("garbage", 0755);
	write_file("elf-trunc", "\177ELF\002\001\001");
	chmod("elf-trunc", 0755);
	write_file("empty", "");
	chmod("empty", 0755);
	mkdir("dir", 0755);
	symlink("/tmp/execerr/nowhere", "dangling");
	symlink("dangling", "dangling2");
	symlink("loop", "loop");

	try("/tmp/execerr/missing");
	try("missing");
	try("dir");
	try("dir/");
	try("noexec");
	try("garbage");
	try("elf-trunc");
	try("empty");
	try("dangling");
	try("dangling2");
	try("loop");
	try("noexec/x");
	try("");
	try("/");

	/* execvp: the first match in $PATH that is executable. */
	mkdir("bin1", 0755);
	mkdir("bin2", 0755);
	write_file("bin1/prog", "not executable");
	symlink(argv[0], "bin2/prog");
	setenv("PATH", "/tmp/execerr/nothere:/tmp/execerr/bin1:/tmp/execerr/bin2", 1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { "prog", "child", NULL };
		execvp("prog", args);
		say("execvp: %s", errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("execvp child: %s", status_str(status));
	setenv("PATH", "/tmp/execerr/bin1", 1);
	char *args[] = { "prog", "child", NULL };
	errno = 0;
	execvp("prog", args);
	say("execvp prog (only non-executable in PATH) = %s", errname(errno));
	execvp("nonexistent-prog", args);
	say("execvp nonexistent-prog = %s", errname(errno));
	return guest_exit();
}
