/* SPDX-License-Identifier: MIT */
/* execve in guest terms: find what the kernel must really execute (the
 * loader for every ELF program, the guest's interpreter for a script), and
 * how argv changes. The plan is data, so that QEMU insertion (foreign
 * programs) and host programs run natively slot in as other kinds of plan. */
#pragma once

#include "base/base.h"
#include "syscall/sysent.h"

typedef enum ExecKind {
	EXEC_LOADER,   /* kernel execs our loader, which maps prog + interp */
	EXEC_DIRECT,   /* kernel execs host_path itself */
} ExecKind;

#define EXEC_MAX_PREPEND 12

typedef struct ExecPlan {
	ExecKind kind;
	Abi abi;                        /* ABI of the program that will run */
	char exe_guest[PT_PATH_MAX];    /* guest path of the ELF that runs (/proc/self/exe) */
	char execfn[PT_PATH_MAX];       /* AT_EXECFN: the filename as given to execve */
	char prog_host[PT_PATH_MAX * 2];
	char interp_host[PT_PATH_MAX * 2]; /* "" = none */
	/* argv = prepend[0..n_prepend) + original argv[skip..] */
	int n_prepend;
	char *prepend[EXEC_MAX_PREPEND];
	int skip;                       /* 0 or 1 */
	/* The program, opened by the tracer: the loader opens it as
	 * /proc/PTROOT/fd/N, so that a program named by a descriptor the exec
	 * closes (fexecve of an O_CLOEXEC fd, /proc/self/fd/N) or since
	 * removed still runs, as natively. -1: none (the loader opens
	 * prog_host). */
	int prog_fd;
	bool prog_by_fd; /* prog_host is /proc/PTROOT/fd/<prog_fd> */
} ExecPlan;

struct SysCtx;
/* Build the plan for execve(PATH) relative to DIRFD (AT_EMPTY_PATH handled
 * by the caller, which passes the fd's guest path). 0 or -errno as the
 * kernel would fail the execve. */
int exec_plan(struct SysCtx *c, int dirfd, const char *path, int at_flags, ExecPlan *plan);
void exec_plan_free(ExecPlan *plan);

/* Host paths of the loaders (/proc/PID/fd/N of memfds made at start-up). */
int exec_loaders_init(void);
const char *exec_loader_path(Abi abi);
/* Remove the loader copies made for processes of another uid, if any. */
void exec_loaders_cleanup(void);
