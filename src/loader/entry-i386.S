/* SPDX-License-Identifier: MIT */
/* Entry and exit of the i386 loader. _start leaves the kernel's stack
 * untouched (ptroot's LoaderInfo lies just below it) and runs loader_main on
 * a stack of its own; loader_jump hands the process over to the guest with the
 * register state the ELF ABI expects at a program's entry point. */

	.text
	.globl	_start
	.type	_start, @function
_start:
	/* esp points at argc; edi holds the LoaderInfo address (set by
	 * ptroot at the exec stop). Switch stacks before any push. */
	mov	%esp, %eax			/* orig_sp */
	mov	$loader_stack_top, %esp
	xor	%ebp, %ebp			/* outermost frame */
	sub	$8, %esp			/* 16-byte alignment at the call */
	push	%edi				/* info */
	push	%eax				/* orig_sp */
	call	loader_main
	hlt					/* loader_main never returns */
	.size	_start, . - _start

/* void loader_jump(uintptr_t *sp, uintptr_t entry): the entry address goes on
 * the guest's stack just below argc and is popped by ret, so that every
 * general register can be cleared; edx = 0 means "no atexit function". */
	.globl	loader_jump
	.type	loader_jump, @function
loader_jump:
	mov	8(%esp), %eax			/* entry */
	mov	4(%esp), %esp			/* sp */
	push	%eax
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	ret
	.size	loader_jump, . - loader_jump

	.bss
	.balign	16
loader_stack:
	.skip	65536
loader_stack_top:

	.section .note.GNU-stack, "", @progbits
