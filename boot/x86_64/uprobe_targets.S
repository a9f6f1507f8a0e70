/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload (contract in
 * workloads/uprobe/uprobe.c): unsigned long f(unsigned long x) returning
 * x + 6; the NOPs and the ADDs to RAX are the probe sites.
 */
	.macro	target n
	.text
	.balign	16
	.globl	uprobe_target_\n
	.type	uprobe_target_\n, @function
uprobe_target_\n:
	mov	%rdi, %rax		/* 3 bytes */
	nop				/* offset 3 */
	.byte	0x48, 0x83, 0xc0, 0x01	/* offset 4: add $1, %rax */
	nop				/* offset 8 */
	.byte	0x48, 0x83, 0xc0, 0x02	/* offset 9: add $2, %rax */
	nop				/* offset 13 */
	.byte	0x48, 0x83, 0xc0, 0x03	/* offset 14: add $3, %rax */
	ret				/* offset 18 */
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
	.quad	uprobe_target_\n, 19
	.endr
	.globl	uprobe_site_offsets
uprobe_site_offsets:
	.long	3, 4, 8, 9, 13, 14

	.section .note.GNU-stack, "", @progbits
