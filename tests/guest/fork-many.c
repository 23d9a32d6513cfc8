/* SPDX-License-Identifier: MIT */
/* Many processes: 64 children forked at once, each doing path syscalls and
 * exiting with its own status, then a chain of 32 nested forks.  The tracer
 * must follow every one and report every exit status. */
#include "guest.h"

#define N 64
#define DEPTH 32

static int chain(int depth)
{
	if (depth == 0)
		return 0;
	pid_t pid = fork();
	if (pid < 0)
		return 100;
	if (pid == 0) {
		char name[64];
		snprintf(name, sizeof(name), "/tmp/forkmany/chain%d", depth);
		if (mkdir(name, 0755) < 0)
			_exit(101);
		_exit(chain(depth - 1));
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 102;
	return WEXITSTATUS(status);
}

int main(void)
{
	pid_t pids[N];
	int sum = 0, ok = 0;

	scratch("/tmp/forkmany");
	fflush(stdout);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			say("fork %d: %s", i, errname(errno));
			return 1;
		}
		if (pids[i] == 0) {
			char name[64];
			snprintf(name, sizeof(name), "/tmp/forkmany/child%02d", i);
			if (mkdir(name, 0755) < 0 || chdir(name) < 0 || access("/tmp/forkmany", F_OK) < 0)
				_exit(200);
			_exit(i);
		}
	}
	for (int i = 0; i < N; i++) {
		int status;
		if (waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status)) {
			sum += WEXITSTATUS(status);
			ok += WEXITSTATUS(status) == i;
		}
	}
	say("children exited with their own status: %d/%d, sum %d", ok, N, sum);
	say("chain of %d: exit %d", DEPTH, chain(DEPTH));
	int dirs = 0;
	DIR *d = opendir("/tmp/forkmany");
	for (struct dirent *e; d && (e = readdir(d));)
		dirs += e->d_name[0] != '.';
	if (d)
		closedir(d);
	say("directories made: %d", dirs);
	CALL(wait(NULL));
	return guest_exit();
}
