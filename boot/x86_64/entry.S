/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry. Every IDT vector has a 16-byte stub at
 * vector_stubs + 16 * vector that pushes an error code (0 where the CPU
 * pushes none) and the vector number; common_entry then saves the
 * general registers as struct pt_regs and calls x86_trap(regs).
 *
 * The kernel runs in ring 0 only, so interrupts arrive on the current
 * stack; #DF and NMI switch to their own IST stacks (cpu.c), so a
 * thread-stack overflow can still be reported.
 */
#include <asm/ptrace.h>

/* Vectors for which the CPU pushes an error code: 8, 10-14, 17, 21, 29, 30. */
#define ERROR_CODE_VECTORS	0x60227d00

	.text
	.balign	16
	.globl	vector_stubs
vector_stubs:
	vector = 0
	.rept	256
	.balign	16
	.if vector >= 32
	pushq	$0
	.elseif ((ERROR_CODE_VECTORS >> vector) & 1) == 0
	pushq	$0
	.endif
	pushq	$vector
	jmp	common_entry
	vector = vector + 1
	.endr

common_entry:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	/*
	 * A frame record {interrupted rbp, interrupted rip}, so a backtrace
	 * from the handler continues into the interrupted code.
	 */
	pushq	PT_RIP(%rdi)
	pushq	PT_RBP(%rdi)
	movq	%rsp, %rbp
	call	x86_trap
	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
