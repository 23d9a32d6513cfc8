/* SPDX-License-Identifier: MIT */
/* The tracer's entry points for main. */
#pragma once
#include "base/base.h"
#include "base/stats.h"
#include <sys/types.h>



/* Start GUEST_PATH (resolved by the tracer when the child's execve stops)
 * as the first traced process, in HOST_CWD. 0 or -errno. */
int tracer_spawn(const char *guest_path, char **argv, char **envp, const char *host_cwd,
		 bool kill_on_exit, pid_t *ret_pid);
/* Run until every traced process is gone; returns the wait status of the
 * first one (-1 if unknown). */
int tracer_loop(void);
void tracer_print_stats(void);
