/* SPDX-License-Identifier: MIT */
/* The syscall table: one row per syscall in sysent.def, with its number on
 * every ABI we support and what ptroot must do with it. The same rows make the
 * dispatch arrays, the seccomp filter and docs/syscalls.md. A number with no
 * row fails with ENOSYS: nothing reaches the host unexamined. */
#pragma once

#include "base/base.h"

typedef enum SysKind {
	SK_PASS,   /* needs nothing from us: runs untraced (allowed by the filter) */
	SK_PATH,   /* generic path translation driven by the row's path specs */
	SK_CUSTOM, /* a handler of its own (named by the row) */
	SK_DENY,   /* fails with the row's errno without reaching the kernel */
} SysKind;

/* How the final component of a path argument is treated. */
typedef enum SysFollow {
	SF_NONE = 0,     /* no path in this slot */
	SF_FOLLOW,       /* always follow a final symlink (stat, chdir, ...) */
	SF_NOFOLLOW,     /* do not follow it (lstat, lchown, ...); a trailing '/' still does */
	SF_CREATE,       /* the call creates the final name (mkdir, symlink, link's new
			  * name): never followed, even with a trailing '/'; EEXIST on a
			  * mount point (the guest root, a binding) */
	SF_REMOVE,       /* the call removes or renames the final name (unlink, rmdir,
			  * rename): never followed; EBUSY on a mount point */
	SF_AT_NOFOLLOW,  /* follow unless FLAGS & AT_SYMLINK_NOFOLLOW */
	SF_AT_FOLLOW,    /* follow only if FLAGS & AT_SYMLINK_FOLLOW (linkat, name_to_handle_at) */
	SF_OPEN,         /* open flags: no follow with O_NOFOLLOW or O_CREAT|O_EXCL */
	SF_INOTIFY,      /* inotify_add_watch: no follow with IN_DONT_FOLLOW */
	SF_FANOTIFY,     /* fanotify_mark: no follow with FAN_MARK_DONT_FOLLOW */
} SysFollow;

/* One path argument. DIRFD and PATH are argument indexes (0..5), -1 = none
 * (no DIRFD means AT_FDCWD). FLAGS is the index of the argument carrying the
 * flags that SysFollow and AT_EMPTY_PATH look at, -1 = none. EMPTY is true
 * when the syscall accepts AT_EMPTY_PATH in FLAGS (an empty path then means
 * the dirfd itself and nothing is translated). */
typedef struct SysPath {
	int8_t dirfd, path, flags;
	uint8_t follow; /* SysFollow */
	bool empty;
} SysPath;

typedef enum SysHandler {
#define H(name) SH_##name,
#include "syscall/handlers.def"
#undef H
	SH__MAX,
} SysHandler;

typedef struct SysEnt {
	const char *name;
	int nr_x86_64; /* -1: does not exist on this ABI */
	int nr_i386;   /* -1: does not exist on this ABI */
	uint8_t kind;  /* SysKind */
	uint8_t handler; /* SysHandler, for SK_CUSTOM (paths may be set too) */
	int16_t err;   /* positive errno, for SK_DENY */
	SysPath p[2];  /* path arguments (p[1] for rename/link/symlink/...) */
} SysEnt;

extern const SysEnt sysent_table[];
extern const size_t sysent_count;

/* ABIs. */
typedef enum Abi { ABI_X86_64, ABI_I386, ABI__MAX } Abi;

/* The row for syscall NR of ABI, or NULL when the table does not know it. */
const SysEnt *sysent_lookup(Abi abi, long nr);
/* Largest syscall number of ABI that has a row, plus one. */
int sysent_max(Abi abi);
/* Syscall number of a row on an ABI (-1 when absent). */
static inline int sysent_nr(const SysEnt *e, Abi abi)
{
	return abi == ABI_X86_64 ? e->nr_x86_64 : e->nr_i386;
}
