/* SPDX-License-Identifier: MIT */
/* execve of "#!" scripts: the interpreter gets argv = { interpreter as
 * written, optional argument (one word, spaces kept), script path as passed
 * to execve, original arguments }.  This program is its own interpreter: run
 * with "interp" first it prints what it received. */
#include "guest.h"

static void run(const char *path, char *const argv[])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execv(path, argv);
		say("execv %s: -1 %s", path, errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("%s: %s", path, status_str(status));
}

static void script(const char *path, const char *text)
{
	write_file(path, text);
	chmod(path, 0755);
}

int main(int argc, char **argv)
{
	char buf[512];

	if (argc > 1) {
		/* Called as an interpreter (the harness runs us with no argument). */
		printf("interpreter argv:");
		for (int i = 0; i < argc; i++)
			printf(" [%s]", argv[i]);
		printf("\n");
		return 0;
	}

	scratch("/tmp/shebang");
	const char *self = argv[0];	/* "/t/exec-shebang" or "/t32/exec-shebang" */

	snprintf(buf, sizeof(buf), "#!%s\n", self);
	script("plain", buf);
	snprintf(buf, sizeof(buf), "#!%s one-arg\n", self);
	script("with-arg", buf);
	snprintf(buf, sizeof(buf), "#! \t%s  two words  \t\n", self);
	script("spaces", buf);
	snprintf(buf, sizeof(buf), "#!%s -x\r\n", self);
	script("crlf", buf);
	/* A script whose interpreter is itself a script. */
	script("nested", "#!/tmp/shebang/with-arg nested-arg\n");
	/* A relative interpreter path, resolved from the cwd at exec time. */
	symlink(self, "interp-link");
	script("relative", "#!interp-link rel\n");
	script("missing", "#!/no/such/interpreter\n");
	script("noexec-interp", "#!/tmp/shebang/plain-data\n");
	write_file("plain-data", "data\n");
	script("empty", "#!\n");
	symlink("/tmp/shebang/with-arg", "link-to-script");

	char *args[] = { "ARGV0", "a1", "a 2", NULL };
	run("plain", args);
	run("/tmp/shebang/plain", args);
	run("./with-arg", args);
	run("spaces", args);
	run("crlf", args);
	run("nested", args);
	run("relative", args);
	run("link-to-script", args);
	run("missing", args);
	run("noexec-interp", args);
	run("empty", args);
	mkdir("sub", 0755);
	chdir("sub");
	run("../with-arg", args);
	return guest_exit();
}
