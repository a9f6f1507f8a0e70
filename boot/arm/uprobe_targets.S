/* SPDX-License-Identifier: MIT */
/*
 * Instrumented code for the uprobe workload (the contract is in
 * include/uprobe_targets.h): each target returns x + 6, in ARM state;
 * its NOPs and ADDs are the probe sites.
 */
#include <uprobe_targets.h>

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
	.long	0, 4, 8, 12, 16, 20
	.if	. - uprobe_site_offsets != 4 * UPROBE_SITES
	.error	"uprobe_site_offsets must have UPROBE_SITES entries"
	.endif
