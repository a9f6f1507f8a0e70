/* SPDX-License-Identifier: MIT */
/*
 * armv7-a entry (ARM state). QEMU -kernel and the Raspberry Pi firmware
 * both follow the 32-bit Linux boot protocol: r0 = 0, r1 = machine type,
 * r2 = DTB, MMU and caches off, in SVC or HYP mode. Secondary CPUs
 * arrive at secondary_entry from PSCI CPU_ON with their logical index in
 * r0, or at secondary_entry_noarg from the BCM2836 mailbox.
 *
 * The kernel runs in SVC mode; IRQ, abort and undefined mode each have a
 * stack of their own (arm_common.h), FIQ is never unmasked.
 */
#include <asm/boot_stack.h>
#include <asm/ptrace.h>

#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_ABT	0x17
#define MODE_HYP	0x1a
#define MODE_UND	0x1b
#define PSR_AIF		0x1c0
#define SCTLR_M		(1 << 0)
#define SCTLR_A		(1 << 1)
#define SCTLR_C		(1 << 2)
#define SCTLR_Z		(1 << 11)
#define SCTLR_I		(1 << 12)
#define SCTLR_V		(1 << 13)
#define SCTLR_TE	(1 << 30)
#define ACTLR_SMP	(1 << 6)

	.arch_extension virt
	.arm
	.section .head.text, "ax"
	.globl	_start
_start:
	/*
	 * The header of a Linux ARM zImage, so U-Boot's bootz takes the
	 * image: magic at 0x24, then where it runs and where it ends (not
	 * position-independent: it must be loaded at _start, which boot.scr
	 * does). QEMU -kernel and the Pi firmware just run the branch.
	 */
	b	1f
	.org	_start + 0x24
	.word	0x016f2818			/* zImage magic */
	.word	_start				/* absolute load/run address */
	.word	_end				/* end of the image, bss included */
	.word	0x04030201			/* little-endian */
1:	mov	r10, r2				/* DTB physical address */
	bl	leave_hyp
	bl	cpu_setup
	mov	r0, #0
	mcr	p15, 0, r0, c13, c0, 4		/* TPIDRPRW: logical CPU 0 */

	/* Zero .bss: nothing in C may run before this. */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
	mov	r3, #0
1:	cmp	r0, r1
	bhs	2f
	stmia	r0!, {r2, r3}
	b	1b
2:
	ldr	r0, =boot_exception_stacks
	bl	set_exception_stacks
	ldr	sp, =boot_stack_top
	mov	fp, #0
	mov	lr, #0

	mov	r0, r10
	bl	stack_protector_init		/* the first C function to run */
	mov	r0, r10
	bl	arm_boot_start			/* MMU on, then kernel_main() */
	b	.

/*
 * secondary_entry(r0 = logical CPU index): same path as the boot CPU, with
 * the page tables, stacks and vectors the boot CPU prepared.
 */
	.text
	.globl	secondary_entry
secondary_entry:
	mov	r10, r0
	bl	leave_hyp
	bl	cpu_setup
	mcr	p15, 0, r10, c13, c0, 4		/* TPIDRPRW */
	bl	mmu_enable
	/* Stacks were mapped by the boot CPU: cpu_stacks[cpu] = {thread, irq, abt, und}. */
	ldr	r0, =cpu_stacks
	add	r0, r0, r10, lsl #4
	bl	set_exception_stacks
	ldr	r0, =cpu_stacks
	add	r0, r0, r10, lsl #4
	ldr	sp, [r0]
	mov	fp, #0
	mov	lr, #0
	mov	r0, r10
	bl	secondary_start			/* never returns */
	b	.

/* CPUs released without an argument: the index is in secondary_boot_cpu. */
	.globl	secondary_entry_noarg
secondary_entry_noarg:
	ldr	r0, =secondary_boot_cpu
	ldr	r0, [r0]
	b	secondary_entry

/*
 * If entered in HYP mode (the Raspberry Pi firmware, QEMU with
 * virtualization=on), set HYP up to stay out of the way (no traps,
 * PL1 counter access, CNTVOFF 0) and return to the caller in SVC mode;
 * otherwise just make sure we are in SVC mode. Interrupts masked either
 * way. No stack; clobbers r0-r1.
 */
leave_hyp:
	mrs	r0, cpsr
	and	r0, r0, #0x1f
	cmp	r0, #MODE_HYP
	beq	1f
	cpsid	aif, #MODE_SVC
	bx	lr
1:	mov	r0, #3				/* CNTHCTL: PL1PCTEN | PL1PCEN */
	mcr	p15, 4, r0, c14, c1, 0
	mov	r0, #0
	mov	r1, #0
	mcrr	p15, 4, r0, r1, c14		/* CNTVOFF */
	mcr	p15, 4, r0, c1, c1, 0		/* HCR */
	mcr	p15, 4, r0, c1, c1, 3		/* HSTR */
	ldr	r0, =0x33ff			/* HCPTR: RES1 bits only, no traps */
	mcr	p15, 4, r0, c1, c1, 2
	mrc	p15, 0, r0, c0, c0, 0		/* VPIDR = MIDR */
	mcr	p15, 4, r0, c0, c0, 0
	mrc	p15, 0, r0, c0, c0, 5		/* VMPIDR = MPIDR */
	mcr	p15, 4, r0, c0, c0, 5
	mov	r0, #(MODE_SVC | PSR_AIF)
	msr	spsr_cxsf, r0			/* SPSR_hyp: ours, in HYP mode */
	msr	elr_hyp, lr
	eret

/*
 * SVC-mode state every CPU needs before C: MMU and caches off, ARM-state
 * exceptions through VBAR, the coherency (SMP) bit on. Clobbers r0-r1.
 */
cpu_setup:
	mrc	p15, 0, r0, c1, c0, 0
	ldr	r1, =(SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_I | SCTLR_V | SCTLR_TE)
	bic	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	isb
	/* Cortex-A7/A15 take part in coherency only with ACTLR.SMP; firmware
	 * that runs the kernel non-secure has set it (and may forbid writes). */
	mrc	p15, 0, r0, c1, c0, 1
	tst	r0, #ACTLR_SMP
	orreq	r0, r0, #ACTLR_SMP
	mcreq	p15, 0, r0, c1, c0, 1
	ldr	r0, =exception_vectors
	mcr	p15, 0, r0, c12, c0, 0		/* VBAR */
	isb
	bx	lr

/*
 * Point the IRQ, abort and undefined (and FIQ) mode stack pointers at
 * r0 = struct cpu_stack's exception tops. No stack; clobbers r1-r3.
 */
	.globl	set_exception_stacks
set_exception_stacks:
	mrs	r3, cpsr
	ldr	r1, [r0, #4]
	cps	#MODE_IRQ
	mov	sp, r1
	ldr	r1, [r0, #8]
	cps	#MODE_ABT
	mov	sp, r1
	ldr	r1, [r0, #12]
	cps	#MODE_UND
	mov	sp, r1
	cps	#MODE_FIQ
	mov	sp, r1
	msr	cpsr_c, r3
	bx	lr

/* Switch this CPU's thread stack to sp and call fn(arg); fn must not return. */
	.globl	call_on_stack
call_on_stack:					/* r0 = arg, r1 = fn, r2 = sp */
	mov	sp, r2
	mov	fp, #0
	mov	lr, #0
	bx	r1

/*
 * Turn the MMU (LPAE) and caches on with the tables mmu_init_boot()
 * built. No stack (secondaries call it first). Clobbers r0-r3.
 */
	.globl	mmu_enable
mmu_enable:
	ldr	r0, =mmu_mair
	ldr	r1, [r0]
	ldr	r2, [r0, #4]
	mcr	p15, 0, r1, c10, c2, 0		/* MAIR0 */
	mcr	p15, 0, r2, c10, c2, 1		/* MAIR1 */
	ldr	r0, =mmu_tcr
	ldr	r1, [r0]
	mcr	p15, 0, r1, c2, c0, 2		/* TTBCR */
	ldr	r0, =mmu_ttbr0
	ldr	r2, [r0]
	ldr	r3, [r0, #4]
	mcrr	p15, 0, r2, r3, c2		/* TTBR0 (64-bit) */
	isb
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0		/* TLBIALL */
	mcr	p15, 0, r0, c7, c5, 0		/* ICIALLU */
	dsb	nsh
	isb
	mrc	p15, 0, r0, c1, c0, 0
	ldr	r1, =(SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z)
	orr	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	isb
	bx	lr

	.ltorg

	.section .rodata
	.balign	4
/* The boot CPU's exception stacks until arch_boot_switch_stack(). */
boot_exception_stacks:
	.long	0, boot_irq_stack_top, boot_abt_stack_top, boot_und_stack_top

	boot_stack_area
	.space	4096
boot_irq_stack_top:
	.space	4096
boot_abt_stack_top:
	.space	4096
boot_und_stack_top:
boot_stacks_end:
