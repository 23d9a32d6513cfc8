/* SPDX-License-Identifier: MIT */
/* clone3(2) (435, by number): a fork-like child, a child with CLONE_PIDFD
 * (waited for through the pidfd), CLONE_VFORK, and invalid arguments.  The
 * tracer must follow children created by clone3 like any other. */
#include "guest.h"
#include <stdint.h>
#include <sys/poll.h>
#include <sched.h>

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif

static long do_clone3(struct clone_args_v0 *a, size_t size)
{
	/* The child returns here on the same stack, like fork. */
	return syscall(SYS_clone3, a, size);
}

int main(void)
{
	int status;

	scratch("/tmp/clone3");
	fflush(stdout);

	struct clone_args_v0 a = { .exit_signal = SIGCHLD };
	long pid = do_clone3(&a, sizeof(a));
	if (pid == 0) {
		_exit(mkdir("/tmp/clone3/child1", 0755) == 0 ? 11 : 12);
	}
	if (pid < 0) {
		say("clone3: -1 %s", errname(errno));
	} else {
		waitpid(pid, &status, 0);
		say("clone3 fork-like: %s", status_str(status));
	}

	int pidfd = -1;
	struct clone_args_v0 b = { .flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd, .exit_signal = SIGCHLD };
	pid = do_clone3(&b, sizeof(b));
	if (pid == 0)
		_exit(access("/tmp/clone3/child1", F_OK) == 0 ? 21 : 22);
	if (pid < 0) {
		say("clone3 CLONE_PIDFD: -1 %s", errname(errno));
	} else {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		say("pidfd valid: %s, poll: %d", pidfd >= 0 ? "yes" : "no", poll(&p, 1, 5000));
		waitpid(pid, &status, 0);
		say("clone3 CLONE_PIDFD: %s", status_str(status));
	}

	struct clone_args_v0 c = { .flags = CLONE_VFORK, .exit_signal = SIGCHLD };
	pid = do_clone3(&c, sizeof(c));
	if (pid == 0)
		_exit(31);
	waitpid(pid, &status, 0);
	say("clone3 CLONE_VFORK: %s", status_str(status));

	/* Errors: size too small, unknown flag, exit_signal out of range. */
	struct clone_args_v0 d = { .exit_signal = SIGCHLD };
	CALL(do_clone3(&d, 8));
	struct clone_args_v0 e = { .flags = 1ULL << 40, .exit_signal = SIGCHLD };
	CALL(do_clone3(&e, sizeof(e)));
	struct clone_args_v0 f = { .exit_signal = 1000 };
	CALL(do_clone3(&f, sizeof(f)));
	CALL(wait(NULL));
	return guest_exit();
}
