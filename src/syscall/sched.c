/* SPDX-License-Identifier: MIT */
/* CPU affinity as the guest sees it: ptroot places the guest's threads
 * itself (tracer/cosched.c), so sched_getaffinity answers with the CPUs
 * ptroot was started with, and a thread the guest places itself is left
 * where the guest put it. */
#include "syscall/ctx.h"

/* sched_setaffinity(pid, len, mask): the kernel does it; from now on the
 * thread is the guest's to place. */
void h_sched_setaffinity(SysCtx *c)
{
	ctx_affinity_own(c, (pid_t)c->args[0]);
}

/* sched_getaffinity(pid, len, mask): the kernel answers; at the exit the
 * mask it wrote is replaced by the guest's view. */
void h_sched_getaffinity(SysCtx *c)
{
	c->want_exit = true;
}

void h_exit_sched_getaffinity(SysCtx *c)
{
	if (c->ret > 0)
		ctx_affinity_view(c, (pid_t)c->orig_args[0], c->orig_args[2], (size_t)c->ret);
}
