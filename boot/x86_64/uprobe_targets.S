/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload (the contract is in
 * include/uprobe_targets.h): each target returns x + 6; its NOPs and
 * its ADDs to RAX are the probe sites.
 */
#include <uprobe_targets.h>

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
	.globl	uprobe_target_\n\()_end
uprobe_target_\n\()_end:
	.size	uprobe_target_\n, . - uprobe_target_\n
	.endm

#define TARGET(n)	target n;
	UPROBE_FOR_EACH_TARGET(TARGET)

	.section .rodata
	.balign	4
	.globl	uprobe_site_offsets
uprobe_site_offsets:
	.long	3, 4, 8, 9, 13, 14
	.if	. - uprobe_site_offsets != 4 * UPROBE_SITES
	.error	"uprobe_site_offsets must have UPROBE_SITES entries"
	.endif

	.section .note.GNU-stack, "", @progbits
