/* SPDX-License-Identifier: MIT */
/* Registers of a stopped tracee, seen through the x86_64 user_regs_struct,
 * for both the x86_64 ABI and the i386 ABI (compat mode) of an x86_64 kernel.
 * Only the tracer reads or writes them; handlers see SysCtx. */
#pragma once

#include "base/base.h"
#include "syscall/sysent.h"

#include <stddef.h>
#include <sys/user.h>

typedef struct user_regs_struct Regs;

/* AUDIT_ARCH values as reported by PTRACE_GET_SYSCALL_INFO and seen by seccomp. */
#define PT_AUDIT_ARCH_X86_64 0xc000003eU
#define PT_AUDIT_ARCH_I386 0x40000003U

/* Syscall numbers the tracer itself needs (injection). */
#define NR_MMAP_X86_64 9
#define NR_MMAP2_I386 192

static inline uint64_t regs_arg(const Regs *r, Abi abi, int i)
{
	if (abi == ABI_X86_64) {
		switch (i) {
		case 0: return r->rdi;
		case 1: return r->rsi;
		case 2: return r->rdx;
		case 3: return r->r10;
		case 4: return r->r8;
		default: return r->r9;
		}
	}
	switch (i) {
	case 0: return (uint32_t)r->rbx;
	case 1: return (uint32_t)r->rcx;
	case 2: return (uint32_t)r->rdx;
	case 3: return (uint32_t)r->rsi;
	case 4: return (uint32_t)r->rdi;
	default: return (uint32_t)r->rbp;
	}
}

static inline void regs_set_arg(Regs *r, Abi abi, int i, uint64_t v)
{
	if (abi == ABI_X86_64) {
		switch (i) {
		case 0: r->rdi = v; break;
		case 1: r->rsi = v; break;
		case 2: r->rdx = v; break;
		case 3: r->r10 = v; break;
		case 4: r->r8 = v; break;
		default: r->r9 = v; break;
		}
		return;
	}
	v = (uint32_t)v;
	switch (i) {
	case 0: r->rbx = v; break;
	case 1: r->rcx = v; break;
	case 2: r->rdx = v; break;
	case 3: r->rsi = v; break;
	case 4: r->rdi = v; break;
	default: r->rbp = v; break;
	}
}

/* Where argument I lives in struct user_regs_struct (for PTRACE_POKEUSER). */
static inline size_t regs_arg_offset(Abi abi, int i)
{
	static const size_t x86_64[6] = {
		offsetof(Regs, rdi), offsetof(Regs, rsi), offsetof(Regs, rdx),
		offsetof(Regs, r10), offsetof(Regs, r8), offsetof(Regs, r9),
	};
	static const size_t i386[6] = {
		offsetof(Regs, rbx), offsetof(Regs, rcx), offsetof(Regs, rdx),
		offsetof(Regs, rsi), offsetof(Regs, rdi), offsetof(Regs, rbp),
	};
	return abi == ABI_X86_64 ? x86_64[i] : i386[i];
}

/* The syscall return value as the guest sees it (sign-extended on i386). */
static inline int64_t regs_ret(const Regs *r, Abi abi)
{
	return abi == ABI_X86_64 ? (int64_t)r->rax : (int64_t)(int32_t)r->rax;
}

static inline void regs_set_ret(Regs *r, Abi abi, int64_t v)
{
	r->rax = abi == ABI_X86_64 ? (uint64_t)v : (uint64_t)(uint32_t)(int32_t)v;
}

/* Size of a pointer/long in the ABI's user memory. */
static inline size_t abi_word(Abi abi) { return abi == ABI_X86_64 ? 8 : 4; }

/* Both `syscall` and `int $0x80` are 2 bytes; the kernel's restart logic
 * relies on that too (compat sysenter returns to an int $0x80 landing pad). */
#define SYSCALL_INSN_LEN 2
