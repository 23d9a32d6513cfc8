/* SPDX-License-Identifier: MIT */
/* CPU affinity as the guest sees it. ptroot moves the guest's threads
 * between CPUs itself (tracer/cosched.c); the guest must still see the
 * affinity it would have natively, and its own choices must hold. */
#define _GNU_SOURCE
#include "guest.h"
#include <sched.h>
#include <sys/wait.h>

static void show(const char *when)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		say("%s: sched_getaffinity: %s", when, errname(errno));
		return;
	}
	int first = -1;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set) && first < 0)
			first = i;
	say("%s: %d CPU(s), the first %d", when, CPU_COUNT(&set), first);
}

int main(void)
{
	show("at start");
	/* small buffers: the kernel's EINVAL, or the bytes it copied */
	unsigned char small[8];
	long r = syscall(SYS_sched_getaffinity, 0, 1, small);
	say("sched_getaffinity(len 1): %s", r < 0 ? errname(errno) : "ok");
	r = syscall(SYS_sched_getaffinity, 0, sizeof(small), small);
	say("sched_getaffinity(len 8): %ld, first byte %#x", r, r > 0 ? small[0] : 0);
	r = syscall(SYS_sched_getaffinity, 0, 64, (void *)16);
	say("sched_getaffinity(bad buffer): %s", r < 0 ? errname(errno) : "ok");

	/* a busy loop (ptroot may move it meanwhile) changes nothing */
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 50000000UL; i++)
		x += i;
	show("after computing");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("child");
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);

	/* its own choice holds, and is inherited */
	cpu_set_t set;
	sched_getaffinity(0, sizeof(set), &set);
	int first = 0;
	while (first < CPU_SETSIZE && !CPU_ISSET(first, &set))
		first++;
	CPU_ZERO(&set);
	CPU_SET(first, &set);
	CALL(sched_setaffinity(0, sizeof(set), &set));
	show("after sched_setaffinity");
	for (unsigned long i = 0; i < 50000000UL; i++)
		x += i;
	show("after computing again");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		show("child after sched_setaffinity");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return guest_exit();
}
