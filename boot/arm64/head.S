/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry. The image starts with the Linux arm64 Image header, so QEMU
 * -kernel, U-Boot booti and the Raspberry Pi firmware load it and pass the
 * DTB address in x0. The boot CPU arrives here with the MMU off, at EL2
 * or EL1; secondary CPUs arrive at secondary_entry from PSCI CPU_ON or
 * the spin-table with their logical index in x0.
 */
#include <asm/boot_stack.h>
#include <asm/sysreg.h>

	.section .head.text, "ax"
	.globl	_start
_start:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	BOARD_TEXT_OFFSET		/* text_offset from a 2 MiB base */
	.quad	_image_size			/* bytes the image occupies, bss included */
	.quad	0x2				/* little-endian, 4 KiB pages, fixed placement */
	.quad	0, 0, 0
	.ascii	"ARM\x64"			/* magic */
	.long	0

primary_entry:
	mov	x19, x0				/* DTB physical address */
	bl	drop_to_el1
	msr	daifset, #0xf
	msr	tpidr_el1, xzr			/* logical CPU 0 */

	/* Zero .bss: nothing in C may run before this. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	/* Kernel code runs on SP_EL0; exceptions switch to SP_EL1. */
	adrp	x0, boot_exception_stack_top
	add	x0, x0, :lo12:boot_exception_stack_top
	mov	sp, x0
	msr	spsel, #0
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr

	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	bl	cpu_setup_el1

	mov	x0, x19
	bl	stack_protector_init		/* the first C function to run */
	mov	x0, x19
	bl	arm_boot_start			/* MMU on, then kernel_main() */
	b	.

/*
 * secondary_entry(x0 = logical CPU index): same path as the boot CPU, with
 * the page tables, stacks and vectors the boot CPU prepared.
 */
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	bl	drop_to_el1
	msr	daifset, #0xf
	msr	tpidr_el1, x19
	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	bl	cpu_setup_el1
	bl	mmu_enable
	/* Stacks were mapped by the boot CPU: cpu_stacks[cpu] = {thread, exception}. */
	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	add	x1, x1, x19, lsl #4
	ldp	x2, x3, [x1]
	mov	sp, x3
	msr	spsel, #0
	mov	sp, x2
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	secondary_start			/* never returns */
	b	.

/*
 * If entered at EL2, configure EL2 to stay out of the way (EL1 is AArch64,
 * timers and FP accessible, GICv3 system registers enabled for EL1) and
 * return to the caller at EL1h with interrupts masked. Clobbers x0-x2.
 */
drop_to_el1:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.eq	1f
	ret
1:	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #CPTR_EL2_RES1
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* GICv3 system-register interface present? (ID_AA64PFR0_EL1.GIC) */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, ICC_SRE_EL2
	orr	x0, x0, #0xf			/* SRE, DFB, DIB, Enable (for EL1) */
	msr	ICC_SRE_EL2, x0
	isb
2:	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret

/* EL1 state every CPU needs before C: FP/SIMD allowed, caches off yet. */
cpu_setup_el1:
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	isb
	ret

/* Switch this CPU's thread stack to sp and call fn(); fn must not return. */
	.globl	call_on_stack
call_on_stack:					/* x0 = arg, x1 = fn, x2 = sp */
	mov	sp, x2
	mov	x29, xzr
	mov	x30, xzr
	br	x1

/* Point SP_EL1 at the exception stack of x0 = struct cpu_stack (arm_common.h). */
	.globl	set_exception_stacks
set_exception_stacks:
	ldr	x1, [x0, #8]
	msr	spsel, #1
	mov	sp, x1
	msr	spsel, #0
	ret

/*
 * Entry of CPUs released without an argument (spin-table): the boot CPU
 * left the logical index in secondary_boot_cpu (cpu_start.c).
 */
	.globl	secondary_entry_noarg
secondary_entry_noarg:
	adrp	x0, secondary_boot_cpu
	ldr	x0, [x0, :lo12:secondary_boot_cpu]
	b	secondary_entry

	boot_stack_area
	.space	8192
boot_exception_stack_top:
boot_stacks_end:

	.text
/*
 * Turn the MMU and caches on with the tables mmu_init_boot() built.
 * Runs without a stack (secondaries call it first). Clobbers x0-x1.
 */
	.globl	mmu_enable
mmu_enable:
	adrp	x0, mmu_mair
	ldr	x0, [x0, :lo12:mmu_mair]
	msr	mair_el1, x0
	adrp	x0, mmu_tcr
	ldr	x0, [x0, :lo12:mmu_tcr]
	msr	tcr_el1, x0
	adrp	x0, mmu_ttbr0
	ldr	x0, [x0, :lo12:mmu_ttbr0]
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	mov	x1, #(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_SA | SCTLR_EL1_I)
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ret
