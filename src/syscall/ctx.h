/* SPDX-License-Identifier: MIT */
/* What a syscall handler sees: the syscall's ABI, number and arguments, and
 * a few services (guest memory, scratch space in the tracee, path
 * translation for this tracee). Handlers never call ptrace; the tracer
 * applies what they decided. */
#pragma once

#include "base/base.h"
#include "path/path.h"
#include "syscall/sysent.h"

#include <sys/types.h>

struct Tracee;

typedef enum CtxAction {
	CTX_RUN,     /* let the (possibly rewritten) syscall run */
	CTX_SKIP,    /* do not run it; the guest gets ctx->ret */
} CtxAction;

typedef struct SysCtx {
	struct Tracee *t;
	pid_t tid;
	Abi abi;
	long nr;
	const SysEnt *ent;
	uint64_t args[6];
	uint64_t orig_args[6]; /* as the guest passed them: restored at exit */
	uint8_t args_dirty;   /* bit i: args[i] was changed */
	CtxAction action;
	int64_t ret;          /* CTX_SKIP: the result; at exit: the kernel's result */
	bool want_exit;       /* ask for a syscall-exit stop (handler's exit hook) */
	bool paths_only;      /* only path pointers were rewritten, each noted with
			       * ctx_note_rewrite: no exit stop to restore them */
	uint64_t sp;          /* the tracee's stack pointer */
	size_t scratch_used;  /* bytes of the scratch area given out in this stop */
	/* state kept from entry to exit for the exit hook */
	uint64_t saved[4];
	int saved_i;
} SysCtx;

static inline void ctx_set_arg(SysCtx *c, int i, uint64_t v)
{
	c->args[i] = v;
	c->args_dirty |= 1u << i;
}

static inline void ctx_fail(SysCtx *c, int err)
{
	c->action = CTX_SKIP;
	c->ret = err;
}

int ctx_read(SysCtx *c, uint64_t addr, void *buf, size_t len);
int ctx_write(SysCtx *c, uint64_t addr, const void *buf, size_t len);
/* Write memory the guest does not own any more (below the stack pointer of
 * a process that is about to execve), whatever its protection. */
int ctx_write_ours(SysCtx *c, uint64_t addr, const void *buf, size_t len);
/* A guest path argument: length or -EFAULT/-ENAMETOOLONG (PT_PATH_MAX bytes). */
ssize_t ctx_read_path(SysCtx *c, uint64_t addr, char buf[PT_PATH_MAX]);
/* Copy DATA into this stop's scratch space in the tracee; *RET_ADDR gets its
 * address. -ENOMEM when the scratch area is full, -EAGAIN when the tracee has
 * no scratch area yet (the dispatcher then allocates one and restarts). */
int ctx_push(SysCtx *c, const void *data, size_t len, uint64_t *ret_addr);
/* A path argument that must name something: its length, or the kernel's
 * answer for it: -EFAULT (NULL or unreadable), -ENAMETOOLONG, -ENOENT ("").
 * On failure the syscall is already failed with that answer. */
ssize_t ctx_path_arg(SysCtx *c, uint64_t addr, char buf[PT_PATH_MAX]);
/* Path rewrites are not undone at syscall exit (that would cost a stop):
 * the tracer remembers them instead. ctx_note_rewrite() records that the
 * argument GUEST_ADDR became HOST_ADDR; ctx_guest_pointer() maps a pointer
 * met again (a syscall restarted after a signal handler) back to the guest's
 * own, so that it is translated afresh from the guest's string. */
void ctx_note_rewrite(SysCtx *c, uint64_t host_addr, uint64_t guest_addr);
uint64_t ctx_guest_pointer(SysCtx *c, uint64_t addr);
/* Read a word (pointer-sized in the guest ABI). */
int ctx_read_word(SysCtx *c, uint64_t addr, uint64_t *ret);

/* Path services for this tracee. */
/* Canonical guest path of DIRFD's directory (AT_FDCWD: the cwd). */
int ctx_dirfd_guest(SysCtx *c, int dirfd, char out[PT_PATH_MAX]);
/* 1 when the relative PATH from DIRFD means the same object to the kernel
 * as in the guest, so it can be passed on as it is: walking it (through
 * /proc/TID/cwd or /proc/TID/fd/N) meets no symlink to follow, no ".." out
 * of the guest root or of a binding, no directory that holds a binding
 * point. It saves building an absolute host path, and works where the
 * guest path of the directory is longer than PATH_MAX or was removed. */
int ctx_relative_ok(SysCtx *c, int dirfd, const char *path, bool follow);
int ctx_init_fast_path(void);
/* Resolve a guest PATH relative to DIRFD with resolve_path FLAGS. */
int ctx_resolve(SysCtx *c, int dirfd, const char *path, int flags, Resolved *ret);
/* The guest path for a host path (getcwd, readlink of magic links); writes
 * "(unreachable)HOST" when the host path is not visible. */
int ctx_host_to_guest(SysCtx *c, const char *host, char *out, size_t outsz);
const Mapping *ctx_mapping(SysCtx *c);
/* readlink of /proc/TID/WHAT for the tracee ("cwd", "fd/3"): length or -errno. */
ssize_t ctx_proc_readlink(SysCtx *c, const char *what, char *buf, size_t sz);
/* The guest meaning of a /proc magic link given by its HOST path: 1 and
 * TARGET (PT_PATH_MAX) holds the guest path; 2 not a path (pipe:[N]...);
 * 0 not a magic link; < 0 error. */
int ctx_magic_target(SysCtx *c, const char *host, char *target);
/* The emulated chroot of this tracee (and of those sharing its fs). */
const char *ctx_root(SysCtx *c);
void ctx_set_root(SysCtx *c, const char *guest);
/* Hand a successful execve's plan to the tracer (it takes ownership and
 * uses it at the PTRACE_EVENT_EXEC stop). */
struct ExecPlan;
void ctx_set_exec_plan(SysCtx *c, struct ExecPlan *plan);

/* CPU affinity (tracer/cosched.c): TARGET (0: the caller) set its own; and
 * the guest's view of an affinity mask the kernel just wrote at ADDR (LEN
 * bytes): the CPUs ptroot was started with, unless the guest chose. */
void ctx_affinity_own(SysCtx *c, pid_t target);
void ctx_affinity_view(SysCtx *c, pid_t target, uint64_t addr, size_t len);

/* path_init(): -ENOTDIR when DIRFD, which a relative path starts from, is
 * not a directory (syscall/path_args.c). */
int dirfd_not_dir(SysCtx *c, int dirfd);

/* The per-syscall entry/exit hooks. */
typedef void (*HandlerFn)(SysCtx *c);
void handle_path_args(SysCtx *c);              /* SK_PATH rows (and p[] of custom rows) */
/* Translate one path argument. RET_MOUNT, when not NULL, gets the guest
 * mount the object is on (the binding, or NULL for the root), and RET_KNOWN
 * 1 (it exists), 2 (only its parent does) or 0 (not translated: a NULL
 * pointer, an empty path). */
int translate_path_arg(SysCtx *c, const SysPath *p, const Binding **ret_mount, int *ret_known);

void h_execve(SysCtx *c);
void h_execveat(SysCtx *c);
void h_getcwd(SysCtx *c);
void h_readlink(SysCtx *c);
void h_openat2(SysCtx *c);
void h_chroot(SysCtx *c);
void h_sockaddr_in(SysCtx *c);
void h_sendto(SysCtx *c);
void h_sendmsg(SysCtx *c);
void h_sendmmsg(SysCtx *c);
void h_sockaddr_out(SysCtx *c);
void h_recvfrom(SysCtx *c);
void h_recvmsg(SysCtx *c);
void h_recvmmsg(SysCtx *c);
void h_socketcall(SysCtx *c);
void h_sched_setaffinity(SysCtx *c);
void h_sched_getaffinity(SysCtx *c);
/* exit hooks (called when want_exit was set) */
void h_exit_sockaddr_out(SysCtx *c);
void h_exit_recvfrom(SysCtx *c);
void h_exit_recvmsg(SysCtx *c);
void h_exit_recvmmsg(SysCtx *c);
void h_exit_socketcall(SysCtx *c);
void h_exit_sendmmsg(SysCtx *c);
void h_exit_sched_getaffinity(SysCtx *c);
