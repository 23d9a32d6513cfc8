/* SPDX-License-Identifier: MIT */
/* The state the tracer keeps for each traced thread, grouped by how it is
 * shared: Proc by the threads of a process (memory, program), FsState by
 * the processes that share a CLONE_FS (the emulated chroot), Tracee per
 * thread. */
#pragma once

#include "arch/arch.h"
#include "exec/exec.h"
#include "loader/loader.h"
#include "syscall/ctx.h"

#include <sys/types.h>

typedef struct Proc {
	int refs;
	pid_t tgid;
	char exe[PT_PATH_MAX]; /* guest path of the program it runs, "" = ask the kernel */
} Proc;

typedef struct FsState {
	int refs;
	char root[PT_PATH_MAX]; /* guest path of the process root ("/") */
} FsState;

typedef enum TraceeState {
	TS_RUNNING,        /* between stops */
	TS_IN_SYSCALL,     /* entry handled, exit stop wanted */
	TS_INJECT_MMAP,    /* our mmap for the scratch area is running */
	TS_SKIP_EXIT,      /* non-seccomp mode: skipped syscall, set ret at exit */
} TraceeState;

typedef struct Tracee {
	pid_t tid;
	Proc *proc;
	FsState *fs;
	uint64_t scratch;      /* this thread's scratch area, 0 = none yet */
	size_t scratch_next;   /* the area is used as a ring: next free offset */
	/* Recent path rewrites: a syscall restarted after a signal comes back
	 * with our scratch pointer; it gets the guest's own pointer again. */
	struct {
		uint64_t host_addr, guest_addr;
	} rewrites[16];
	unsigned rewrites_i;
	TraceeState state;
	SysCtx ctx;            /* the syscall in progress */
	Regs saved_regs;       /* for TS_INJECT_MMAP */
	ExecPlan *exec;        /* pending execve (use at PTRACE_EVENT_EXEC) */
	int loader_opens;      /* opens of host paths still granted to our loader */
	int loader_prog_fd;    /* the program the loader opens, ours until then (-1: none) */
	bool loader_prog_opened; /* ... and the loader's open of it was let through */
	bool attached;         /* its first stop was seen */
	bool parent_known;     /* proc/fs were set up from its parent */
	bool in_syscall_entry; /* non-seccomp mode: next syscall stop is an exit */
	/* cosched.c: its placement */
	bool own_affinity;     /* the guest set its CPU affinity: not ours to move */
	uint64_t runtime_ns;   /* CPU time at the last look (/proc/TID/schedstat) */
	struct Tracee *next;   /* hash chain */
} Tracee;

#define SCRATCH_SIZE LOADER_SCRATCH_SIZE

Tracee *tracee_get(pid_t tid);
Tracee *tracee_new(pid_t tid);
void tracee_free(Tracee *t);
/* Re-key T under NEWTID (execve from a non-leader thread). */
void tracee_rekey(Tracee *t, pid_t newtid);
size_t tracee_count(void);
/* Call FN for every tracee (FN must not add or free tracees). */
void tracee_foreach(void (*fn)(Tracee *t, void *arg), void *arg);

Proc *proc_new(pid_t tgid);
Proc *proc_ref(Proc *p);
void proc_unref(Proc *p);
FsState *fs_new(const char *root);
FsState *fs_ref(FsState *f);
FsState *fs_copy(const FsState *f);
void fs_unref(FsState *f);

/* Global, read-only after start-up. */
extern Mapping g_mapping;
