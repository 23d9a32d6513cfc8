/* SPDX-License-Identifier: MIT */
/* Generates the BPF program from sysent_table: for each ABI a binary search
 * over sorted ranges of numbers that share one verdict, so a syscall costs
 * O(log n) BPF instructions. */
#include "tracer/seccomp.h"
#include "arch/arch.h"
#include "syscall/sysent.h"

#include <stddef.h>
#include <string.h>

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_TRACE SECCOMP_RET_TRACE
#define RET_ENOSYS (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))

typedef struct Range {
	uint32_t lo, hi; /* inclusive */
	uint32_t verdict;
} Range;

typedef struct Prog {
	struct sock_filter *ins;
	size_t n, cap;
} Prog;

static int emit(Prog *p, struct sock_filter f)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		void *ni = realloc(p->ins, cap * sizeof(*p->ins));
		if (!ni)
			return -ENOMEM;
		p->ins = ni;
		p->cap = cap;
	}
	p->ins[p->n++] = f;
	return 0;
}

static uint32_t verdict_of(const SysEnt *e)
{
	if (!e)
		return RET_ENOSYS;
	if (e->kind == SK_PASS)
		return RET_ALLOW;
	if (e->kind == SK_DENY)
		return SECCOMP_RET_ERRNO | ((uint32_t)e->err & SECCOMP_RET_DATA);
	return RET_TRACE;
}

/* Ranges of equal verdict over [0, max), then everything above is ENOSYS. */
static size_t make_ranges(Abi abi, Range *out)
{
	int max = sysent_max(abi);
	size_t n = 0;
	for (int nr = 0; nr < max; nr++) {
		uint32_t v = verdict_of(sysent_lookup(abi, nr));
		if (n && out[n - 1].verdict == v && out[n - 1].hi == (uint32_t)nr - 1)
			out[n - 1].hi = nr;
		else
			out[n++] = (Range){ nr, nr, v };
	}
	return n;
}

/* Emit a decision tree over ranges[lo, hi) with the syscall number in A:
 * "if A >= mid.lo goto right else left". Conditional jumps reach only 255
 * instructions, so the jump to the right half is an unconditional BPF_JA
 * (32-bit offset) placed right after the test. */
static int emit_tree(Prog *p, const Range *r, size_t lo, size_t hi)
{
	if (hi - lo == 1)
		return emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, r[lo].verdict));
	size_t mid = (lo + hi) / 2;
	int e = emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r[mid].lo, 0, 1));
	if (e < 0)
		return e;
	size_t ja = p->n;
	e = emit(p, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0));
	if (e < 0)
		return e;
	e = emit_tree(p, r, lo, mid);
	if (e < 0)
		return e;
	p->ins[ja].k = p->n - ja - 1;
	return emit_tree(p, r, mid, hi);
}

static int emit_abi(Prog *p, Abi abi)
{
	static Range ranges[1024];
	size_t n = make_ranges(abi, ranges);
	/* numbers past the table: ENOSYS (this also covers x32's bit 30 and
	 * the -1 that some programs pass on purpose) */
	ranges[n++] = (Range){ sysent_max(abi), 0xffffffffu, RET_ENOSYS };
	return emit_tree(p, ranges, 0, n);
}

int seccomp_build_filter(struct sock_fprog *ret)
{
	Prog p = { 0 };
	int e = 0;
	/* 0: A = arch; 1-2: x86_64? goto its tree; 3-4: i386? goto its tree;
	 * 5: any other arch is one we do not know. */
	e |= emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						   offsetof(struct seccomp_data, arch)));
	e |= emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PT_AUDIT_ARCH_X86_64, 0, 1));
	e |= emit(&p, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0));
	e |= emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PT_AUDIT_ARCH_I386, 0, 1));
	e |= emit(&p, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0));
	e |= emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ENOSYS));
	if (e)
		return -ENOMEM;
	Abi abis[2] = { ABI_X86_64, ABI_I386 };
	size_t ja[2] = { 2, 4 };
	for (int i = 0; i < 2; i++) {
		p.ins[ja[i]].k = p.n - ja[i] - 1;
		e = emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
							  offsetof(struct seccomp_data, nr)));
		if (e || (e = emit_abi(&p, abis[i])) < 0) {
			free(p.ins);
			return e ? e : -ENOMEM;
		}
	}
	if (p.n > BPF_MAXINSNS) {
		free(p.ins);
		return -E2BIG;
	}
	ret->len = p.n;
	ret->filter = p.ins;
	return 0;
}
