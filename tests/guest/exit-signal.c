/* SPDX-License-Identifier: MIT */
/* Exit statuses and deaths by signal as a parent sees them: exit codes 0,
 * 1, 255, death by SIGTERM, SIGKILL, SIGSEGV, SIGABRT, a stopped and
 * continued child.  Given "exit N" or "kill SIG" it does that itself (the
 * harness checks what the shell sees). */
#include "guest.h"
#include <sys/resource.h>

static void on_alarm(int sig)
{
}

static void child(int how, int arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (how == 0)
			_exit(arg);
		if (arg == SIGSEGV)
			*(volatile int *)0 = 1;
		raise(arg);
		_exit(99);
	}
	int status;
	waitpid(pid, &status, 0);
	say("child %s %d: %s", how ? "signal" : "exit", arg, status_str(status));
}

int main(int argc, char **argv)
{
	/* No core files whatever the host's core_pattern: WCOREDUMP stays 0. */
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);

	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "kill")) {
		fflush(stdout);
		kill(getpid(), atoi(argv[2]));
		pause();
		return 99;
	}

	child(0, 0);
	child(0, 1);
	child(0, 255);
	child(0, 256 + 3);
	child(1, SIGTERM);
	child(1, SIGKILL);
	child(1, SIGSEGV);
	child(1, SIGABRT);
	child(1, SIGUSR1);

	/* Stop and continue a child: WIFSTOPPED then WIFCONTINUED.  The child
	 * waits for a byte after it is continued, so that it cannot exit
	 * before its parent has seen it continue. */
	int go[2];
	pipe(go);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		raise(SIGSTOP);
		read(go[0], &c, 1);
		_exit(5);
	}
	int status;
	waitpid(pid, &status, WUNTRACED);
	say("stopped: %s sig %s", WIFSTOPPED(status) ? "yes" : "no", sigabbrev_np(WSTOPSIG(status)));
	kill(pid, SIGCONT);
	waitpid(pid, &status, WCONTINUED);
	say("continued: %s", WIFCONTINUED(status) ? "yes" : status_str(status));
	write(go[1], "x", 1);
	waitpid(pid, &status, 0);
	say("then: %s", status_str(status));

	/* A signal handler runs and the interrupted syscall reports EINTR. */
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	int r = pause();
	say("pause interrupted: %d %s", r, errname(errno));
	return guest_exit();
}
