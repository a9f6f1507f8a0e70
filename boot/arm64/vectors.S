/* SPDX-License-Identifier: MIT */
/*
 * arm64 exception vectors. Kernel code runs at EL1 on SP_EL0, so its
 * exceptions arrive through the "current EL with SP_EL0" entries and run
 * on the per-CPU exception stack in SP_EL1; an exception taken while
 * already on SP_EL1 (a fault in a handler, an exception-stack overflow)
 * arrives through the SP_ELx entries and is fatal.
 */
#include <asm/ptrace.h>

	.macro	save_regs
	sub	sp, sp, #PT_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x0, sp_el0
	stp	x30, x0, [sp, #PT_X + 8 * 30]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #PT_PC]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #PT_ESR]
	mrs	x0, fpsr
	mrs	x1, fpcr
	stp	x0, x1, [sp, #PT_FPSR]
	add	x0, sp, #PT_V
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	/* A frame record so backtraces walk from the handler into the
	 * interrupted code. */
	ldr	x29, [sp, #PT_X + 8 * 29]
	.endm

	.macro	restore_regs_eret
	add	x0, sp, #PT_V
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	ldp	x0, x1, [sp, #PT_FPSR]
	msr	fpsr, x0
	msr	fpcr, x1
	ldp	x0, x1, [sp, #PT_PC]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #PT_X + 8 * 30]
	add	sp, sp, #PT_SIZE
	eret
	.endm

	.macro	ventry target
	.balign	0x80
	b	\target
	.endm

	.macro	bad_entry name, kind
\name:
	save_regs
	mov	x0, sp
	mov	x1, #\kind
	bl	arm64_bad_exception
	b	.
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	exception_vectors
exception_vectors:
	ventry	el1t_sync		/* current EL, SP_EL0: kernel code */
	ventry	el1t_irq
	ventry	el1t_fiq
	ventry	el1t_serror
	ventry	el1h_sync		/* current EL, SP_EL1: inside a handler */
	ventry	el1h_irq
	ventry	el1h_fiq
	ventry	el1h_serror
	ventry	el0_64_any		/* lower EL: never used */
	ventry	el0_64_any
	ventry	el0_64_any
	ventry	el0_64_any
	ventry	el0_32_any
	ventry	el0_32_any
	ventry	el0_32_any
	ventry	el0_32_any

el1t_sync:
	save_regs
	mov	x0, sp
	bl	arm64_sync_handler
	restore_regs_eret

el1t_irq:
	save_regs
	mov	x0, sp
	bl	arm64_irq_handler
	restore_regs_eret

	bad_entry el1t_fiq, 1
	bad_entry el1t_serror, 2
	bad_entry el1h_sync, 3
	bad_entry el1h_irq, 4
	bad_entry el1h_fiq, 5
	bad_entry el1h_serror, 6
	bad_entry el0_64_any, 7
	bad_entry el0_32_any, 8
