/* SPDX-License-Identifier: MIT */
/* The contract between the tracer and the ELF loader.
 *
 * For a dynamically linked guest program the tracer makes the kernel execute
 * the loader (a tiny static program embedded in ptroot) instead of the
 * program, with the guest's argv and envp unchanged. The kernel would load
 * PT_INTERP from the *host*; the loader maps the program and the guest's
 * interpreter itself, exactly as the kernel's binfmt_elf would, then jumps to
 * the interpreter.
 *
 * At the PTRACE_EVENT_EXEC stop of the loader (before its first instruction)
 * the tracer writes a LoaderInfo and the strings it points to into the
 * tracee's stack, between sp - LOADER_INFO_OFFSET and sp - LOADER_INFO_OFFSET
 * + LOADER_INFO_MAX, and puts its address in rdi (edi for the i386 loader).
 * The loader copies what it needs before using any stack.
 */
#pragma once
#include <stdint.h>

#define LOADER_MAGIC 0x31524c5452545050ULL /* "PPTRTLR1" */
#define LOADER_INFO_OFFSET (96 * 1024)
#define LOADER_INFO_MAX (3 * 4096 + 512)

/* Link addresses of the loaders: out of the way of non-PIE programs
 * (0x400000 / 0x8048000) and of the kernel's mmap area. */
#define LOADER_ADDR_X86_64 0x600000000000ULL
#define LOADER_ADDR_I386 0xa0000000U

/* The tracer's scratch area in the new process, mapped by the loader before
 * anything else (so the tracer need not inject an mmap after every exec):
 * read-write, private, at a fixed place above the loader's own image. */
#define LOADER_SCRATCH_SIZE (256 * 1024)
#define LOADER_SCRATCH_X86_64 (LOADER_ADDR_X86_64 + 0x1000000ULL)
#define LOADER_SCRATCH_I386 (LOADER_ADDR_I386 + 0x1000000U)

typedef struct LoaderInfo {
	uint64_t magic;        /* LOADER_MAGIC */
	uint64_t prog_path;    /* address of the host path of the program */
	uint64_t interp_path;  /* address of the host path of its PT_INTERP, 0 = none */
	uint64_t execfn;       /* address of the string for AT_EXECFN, 0 = keep */
	uint64_t comm;         /* address of the task name (/proc/self/comm), 0 = keep */
} LoaderInfo;
