/* SPDX-License-Identifier: MIT */
/* execve with a large argument list and environment (about 1 MiB, checked by
 * the child with a checksum), and the kernel's limits: one string longer
 * than MAX_ARG_STRLEN (128 KiB) gives E2BIG. */
#include "guest.h"

#define NARGS 20000
#define ARGLEN 40

static unsigned long sum(int n, char **v)
{
	unsigned long h = 5381;

	for (int i = 0; i < n; i++)
		for (const char *p = v[i]; *p; p++)
			h = h * 33 + (unsigned char)*p;
	return h;
}

int main(int argc, char **argv)
{
	extern char **environ;

	if (argc > 1 && !strcmp(argv[1], "child")) {
		int envc = 0;
		while (environ[envc])
			envc++;
		say("child: argc=%d envc=%d argv sum=%lu env sum=%lu", argc, envc,
		    sum(argc - 1, argv + 1), sum(envc, environ));
		return 0;
	}
	char **args = calloc(NARGS + 3, sizeof(char *));
	char **envs = calloc(NARGS / 2 + 1, sizeof(char *));
	args[0] = argv[0];
	args[1] = "child";
	for (int i = 0; i < NARGS; i++) {
		args[i + 2] = malloc(ARGLEN + 1);
		snprintf(args[i + 2], ARGLEN + 1, "arg%06d-%0*d", i, ARGLEN - 10, i * 7);
	}
	for (int i = 0; i < NARGS / 2; i++) {
		envs[i] = malloc(ARGLEN + 1);
		snprintf(envs[i], ARGLEN + 1, "VAR%06d=%0*d", i, ARGLEN - 10, i * 3);
	}
	say("parent: argc=%d envc=%d argv sum=%lu env sum=%lu", NARGS + 2, NARGS / 2,
	    sum(NARGS + 1, args + 1), sum(NARGS / 2, envs));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[0], args, envs);
		say("execve: %s", errname(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	say("big exec: %s", status_str(status));

	/* One string over MAX_ARG_STRLEN. */
	char *huge = malloc(131073);
	memset(huge, 'h', 131072);
	huge[131072] = 0;
	char *hargs[] = { argv[0], "child", huge, NULL };
	char *henv[] = { NULL };
	errno = 0;
	execve(argv[0], hargs, henv);
	say("execve with a 128 KiB + 1 argument: %s", errname(errno));
	huge[131071] = 0;
	pid = fork();
	if (pid == 0) {
		execve(argv[0], hargs, henv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	say("execve with a 128 KiB argument: %s", status_str(status));
	return guest_exit();
}
