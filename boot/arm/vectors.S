/* SPDX-License-Identifier: MIT */
/*
 * armv7 exception vectors. Kernel code runs in SVC mode; each exception
 * runs its handler in the mode it enters (IRQ, abort, undefined) on that
 * mode's per-CPU stack, so a fault while on the thread stack, even its
 * overflow, is reported from a stack that still works. Interrupts stay
 * masked in every handler.
 */
#include <asm/ptrace.h>

#define MODE_USR	0x10
#define MODE_HYP	0x1a
#define MODE_SYS	0x1f

	.arm

/*
 * Build a struct pt_regs on this mode's stack, call handler(regs), and
 * return to the (possibly edited) frame. adjust turns LR into the
 * address of the interrupted (IRQ, prefetch abort, undefined) or
 * faulting (data abort: 8) instruction. r11 still holds the interrupted
 * frame pointer, so backtraces walk on into the interrupted code.
 */
	.macro	exc_entry adjust, kind, handler
	.if	\adjust
	sub	lr, lr, #\adjust
	.endif
	sub	sp, sp, #PT_SIZE
	stmia	sp, {r0-r12}
	str	lr, [sp, #PT_PC]
	mrs	r0, spsr
	str	r0, [sp, #PT_CPSR]
	mov	r0, #\kind
	str	r0, [sp, #PT_KIND]
	mov	r0, sp
	bl	banked_save
	mov	r0, sp
	bl	\handler
	b	exc_return
	.endm

	.section .text.vectors, "ax"
	.balign	32
	.globl	exception_vectors
exception_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_hyp
	b	vec_irq
	b	vec_fiq

vec_undef:
	exc_entry 4, EXC_UNDEF, arm_undef_handler
vec_pabt:
	exc_entry 4, EXC_PABT, arm_pabt_handler
vec_dabt:
	exc_entry 8, EXC_DABT, arm_dabt_handler
vec_irq:
	exc_entry 4, EXC_IRQ, arm_irq_handler
vec_svc:
	exc_entry 0, EXC_SVC, arm_bad_exception
vec_fiq:
	exc_entry 4, EXC_FIQ, arm_bad_exception
vec_hyp:
vec_reset:
	exc_entry 0, EXC_HYP, arm_bad_exception

exc_return:
	mov	r0, sp
	bl	banked_restore
	ldr	r0, [sp, #PT_CPSR]
	msr	spsr_cxsf, r0
	ldr	lr, [sp, #PT_PC]
	ldmia	sp, {r0-r12}
	add	sp, sp, #PT_SIZE
	movs	pc, lr

/*
 * The interrupted mode's banked SP and LR, into (banked_save) or from
 * (banked_restore) the frame at r0: briefly switch to that mode, with
 * interrupts still masked. An exception taken in its own mode (a fault
 * inside a handler) has no other copy: SP is the one below the frame
 * and LR is lost. HYP mode cannot be entered from here: both read as 0.
 * Clobbers r1-r3, r12.
 */
	.macro	banked_access save
	ldr	r1, [r0, #PT_CPSR]
	and	r1, r1, #0x1f
	cmp	r1, #MODE_USR
	moveq	r1, #MODE_SYS			/* same registers, and privileged */
	mrs	r2, cpsr
	and	r3, r2, #0x1f
	cmp	r1, r3
	beq	1f
	cmp	r1, #MODE_HYP
	beq	2f
	bic	r3, r2, #0x1f
	orr	r3, r3, r1
	.if	\save
	msr	cpsr_c, r3
	mov	r1, sp
	mov	r12, lr
	msr	cpsr_c, r2
	str	r1, [r0, #PT_SP]
	str	r12, [r0, #PT_LR]
	.else
	ldr	r1, [r0, #PT_SP]
	ldr	r12, [r0, #PT_LR]
	msr	cpsr_c, r3
	mov	sp, r1
	mov	lr, r12
	msr	cpsr_c, r2
	.endif
	bx	lr
1:	.if	\save
	add	r1, r0, #PT_SIZE
	mov	r12, #0
	str	r1, [r0, #PT_SP]
	str	r12, [r0, #PT_LR]
	.endif
	bx	lr
2:	.if	\save
	mov	r1, #0
	str	r1, [r0, #PT_SP]
	str	r1, [r0, #PT_LR]
	.endif
	bx	lr
	.endm

banked_save:
	banked_access 1
banked_restore:
	banked_access 0
