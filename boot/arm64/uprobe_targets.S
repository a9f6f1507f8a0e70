/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload: small functions in kernel
 * text that readers call in a loop. Each is a code object ("inode") whose
 * NOP and ADD instructions are the places uprobes can be planted.
 *
 * uint64_t uprobe_target_N(uint64_t x): returns x + 6 whether or not any
 * probe is planted (the handler emulates the displaced instruction).
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

	target	0
	target	1
	target	2
	target	3
	target	4
	target	5
	target	6
	target	7

/* The code objects: { start, size } for each target (see asm/uprobe.h). */
	.section .rodata
	.balign	8
	.globl	uprobe_targets
uprobe_targets:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	.quad	uprobe_target_\n, 28
	.endr
