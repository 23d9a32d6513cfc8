/* SPDX-License-Identifier: MIT */
/* Entry and exit of the x86_64 loader. _start leaves the kernel's stack
 * untouched (ptroot's LoaderInfo lies just below it) and runs loader_main on
 * a stack of its own; loader_jump hands the process over to the guest with the
 * register state the ELF ABI expects at a program's entry point. */

	.text
	.globl	_start
	.type	_start, @function
_start:
	/* rsp points at argc; rdi holds the LoaderInfo address (set by
	 * ptroot at the exec stop). Switch stacks before any push: the
	 * LoaderInfo lies below rsp. */
	mov	%rdi, %rsi			/* info */
	mov	%rsp, %rdi			/* orig_sp */
	lea	loader_stack_top(%rip), %rsp
	xor	%ebp, %ebp			/* outermost frame */
	call	loader_main
	hlt					/* loader_main never returns */
	.size	_start, . - _start

/* void loader_jump(uintptr_t *sp, uintptr_t entry): the entry address goes on
 * the guest's stack just below argc and is popped by ret, so that every
 * general register can be cleared; rdx = 0 means "no atexit function". */
	.globl	loader_jump
	.type	loader_jump, @function
loader_jump:
	mov	%rdi, %rsp
	push	%rsi
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
	.size	loader_jump, . - loader_jump

	.bss
	.balign	16
loader_stack:
	.skip	65536
loader_stack_top:

	.section .note.GNU-stack, "", @progbits
