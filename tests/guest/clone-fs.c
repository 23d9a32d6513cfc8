/* SPDX-License-Identifier: MIT */
/* CLONE_FS shares the cwd (and umask, root) between processes: a child made
 * with clone(CLONE_FS) that chdirs moves its parent too; one made without it
 * does not.  Threads share the cwd the same way. */
#include "guest.h"
#include <pthread.h>
#include <sched.h>

static int child_chdir(void *arg)
{
	return chdir((const char *)arg) == 0 ? 0 : 1;
}

static void *thread_chdir(void *arg)
{
	chdir((const char *)arg);
	return NULL;
}

static void run(int flags, const char *dir)
{
	static char stack[65536] __attribute__((aligned(16)));
	int status;

	pid_t pid = clone(child_chdir, stack + sizeof(stack), flags | SIGCHLD, (void *)dir);
	if (pid < 0) {
		say("clone: %s", errname(errno));
		return;
	}
	waitpid(pid, &status, 0);
	say("clone(%s) child chdir %s: %s", flags & CLONE_FS ? "CLONE_FS" : "0", dir, status_str(status));
	show_cwd();
	show_stat("file-here");
}

int main(void)
{
	scratch("/tmp/clonefs");
	mkdir("a", 0755);
	mkdir("b", 0755);
	write_file("b/file-here", "");
	fflush(stdout);
	run(0, "/tmp/clonefs/b");
	run(CLONE_FS, "/tmp/clonefs/b");
	run(CLONE_FS, "../a");
	run(CLONE_VM | CLONE_FS, "/tmp/clonefs/b");

	pthread_t t;
	pthread_create(&t, NULL, thread_chdir, "/tmp/clonefs/a");
	pthread_join(t, NULL);
	say("thread chdir:");
	show_cwd();
	/* umask is shared with CLONE_FS too. */
	umask(077);
	write_file("/tmp/clonefs/masked", "");
	show_stat("/tmp/clonefs/masked");
	return guest_exit();
}
