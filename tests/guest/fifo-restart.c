/* SPDX-License-Identifier: MIT */
/* A path syscall that blocks and is interrupted by a signal: open() of a FIFO
 * with no writer.  With SA_RESTART the kernel restarts it (and it must still
 * name the same guest file); without, it fails with EINTR. */
#include "guest.h"
#include <sys/mman.h>
#include <sys/time.h>

/* Shared with the writer child, which waits for the second alarm. */
static volatile int *alarms;

static void on_alarm(int sig)
{
	(*alarms)++;
}

static void arm(int restart)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
	struct itimerval it = { .it_value = { 0, 50000 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	alarms = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	scratch("/tmp/fiforestart");
	CALL(mkfifo("fifo", 0600));
	show_stat("fifo");

	/* Without SA_RESTART: EINTR after the alarm. */
	arm(0);
	CALL(open("/tmp/fiforestart/fifo", O_RDONLY));
	say("alarms: %d", *alarms);

	/* With SA_RESTART: a writer shows up after the alarm; the restarted
	 * open succeeds on the same FIFO. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 1000 && *alarms < 2; i++)
			usleep(10000);
		usleep(50000);
		int w = open("/tmp/fiforestart/fifo", O_WRONLY);
		write(w, "restarted", 9);
		_exit(w < 0);
	}
	arm(1);
	int r = open("fifo", O_RDONLY);
	say("open with SA_RESTART: %s, alarms: %d", r < 0 ? errname(errno) : "ok", *alarms);
	char buf[16] = { 0 };
	if (r >= 0)
		say("read: '%.*s'", (int)read(r, buf, sizeof(buf)), buf);
	int status;
	waitpid(pid, &status, 0);
	say("writer: %s", status_str(status));
	return guest_exit();
}
