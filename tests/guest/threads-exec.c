/* SPDX-License-Identifier: MIT */
/* execve from a thread that is not the thread-group leader: the kernel kills
 * the other threads and the exec'ing thread takes over the leader's pid.
 * The new image checks it kept the pid and the cwd. */
#include "guest.h"
#include <pthread.h>

static char *self;
static char pidbuf[32];

static void *busy(void *arg)
{
	for (;;) {
		struct stat st;
		stat("/tmp", &st);
		usleep(1000);
	}
	return arg;
}

static void *execer(void *arg)
{
	usleep(20000);
	char *argv[] = { self, "child", pidbuf, NULL };
	fflush(stdout);
	execv(self, argv);
	say("execv from thread: %s", errname(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "child")) {
		say("new image: same pid as the old leader: %s",
		    getpid() == atoi(argv[2]) ? "yes" : "no");
		say("tid == pid: %s", syscall(SYS_gettid) == getpid() ? "yes" : "no");
		show_cwd();
		show_stat("/tmp/threads-exec");
		return 0;
	}
	self = argv[0];
	scratch("/tmp/threads-exec");
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
	pthread_t t[4];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, busy, NULL);
	pthread_create(&t[3], NULL, execer, NULL);
	/* The leader waits in a syscall while a thread execs. */
	for (;;)
		pause();
}
