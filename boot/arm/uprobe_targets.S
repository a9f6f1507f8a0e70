/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload (contract in
 * workloads/uprobe/uprobe.c): unsigned long f(unsigned long x) returning
 * x + 6, in ARM state; the NOPs and ADDs are the probe sites.
 */
	.syntax	unified
	.arm
	.macro	target n
	.text
	.balign	16
	.globl	uprobe_target_\n
	.type	uprobe_target_\n, %function
uprobe_target_\n:
	nop
	add	r0, r0, #1
	nop
	add	r0, r0, #2
	nop
	add	r0, r0, #3
	bx	lr
	.size	uprobe_target_\n, . - uprobe_target_\n
	.endm

	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	target	\n
	.endr

	.section .rodata
	.balign	4
	.globl	uprobe_targets
uprobe_targets:				/* { function, size in bytes } */
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	.long	uprobe_target_\n, 28
	.endr
	.globl	uprobe_site_offsets
uprobe_site_offsets:
	.long	0, 4, 8, 12, 16, 20
