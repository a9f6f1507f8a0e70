/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload (the contract is in
 * workloads/uprobe/uprobe.c): UPROBE_NR_TARGETS functions
 * unsigned long f(unsigned long x) returning x + 6, each a code object
 * ("inode") whose NOP and ADD instructions at uprobe_site_offsets are
 * where uprobes are planted.
 */
	.macro	target n
	.text
	.balign	16
	.globl	uprobe_target_\n
	.type	uprobe_target_\n, %function
uprobe_target_\n:
	nop
	add	x0, x0, #1
	nop
	add	x0, x0, #2
	nop
	add	x0, x0, #3
	ret
	.size	uprobe_target_\n, . - uprobe_target_\n
	.endm

	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	target	\n
	.endr

	.section .rodata
	.balign	8
	.globl	uprobe_targets
uprobe_targets:				/* { function, size in bytes } */
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	.quad	uprobe_target_\n, 28
	.endr
	.globl	uprobe_site_offsets
uprobe_site_offsets:
	.long	0, 4, 8, 12, 16, 20
