/* SPDX-License-Identifier: MIT */
/* Reading and writing a tracee's memory: process_vm_readv/writev, with a
 * PTRACE_PEEKDATA/POKEDATA fallback (PTROOT_NO_PROCESS_VM=1 forces it, and it
 * is used where the tracee made itself undumpable). */
#pragma once
#include "base/base.h"
#include <sys/types.h>

void mem_init(void);
/* 0 or -EFAULT (any byte not readable/writable). */
int mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
/* Into a buffer of the guest's: refused (-EFAULT) where the guest itself
 * could not write, as the kernel would refuse. */
int mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);
/* Into memory of ours in the tracee (scratch area, loader information below
 * a fresh stack): written like a debugger would, whatever the protection. */
int mem_write_ours(pid_t tid, uint64_t addr, const void *buf, size_t len);
/* Read a NUL-terminated string of at most BUFSZ bytes including the NUL:
 * length, -EFAULT (unreadable before the NUL) or -ENAMETOOLONG (no NUL within
 * BUFSZ), as the kernel's getname() answers. */
ssize_t mem_read_string(pid_t tid, uint64_t addr, char *buf, size_t bufsz);
