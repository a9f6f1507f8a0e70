/* SPDX-License-Identifier: MIT */
/*
 * The uprobe workload's instrumented code, one table for every arch (the
 * contract is in include/uprobe_targets.h): each target returns x + 6;
 * its NOPs and ADDs are the probe sites. The instructions themselves come
 * from the arch's <asm/uprobe_target.h>; the site offsets are measured
 * here from target 0's labels, so no arch writes them down by hand.
 */
#include <uprobe_targets.h>
#include <asm/uprobe_target.h>

	UPROBE_TARGET_PREAMBLE

	/* One probe site: label \k of target \n, then the instruction. */
	.macro	site n, k, insn:vararg
.Lsite_\n\()_\k:
	\insn
	.endm

	.macro	target n
	.text
	.balign	16
	.globl	uprobe_target_\n
	.type	uprobe_target_\n, %function
uprobe_target_\n:
	UPROBE_TARGET_ENTRY
	site	\n, 0, nop
	site	\n, 1, UPROBE_TARGET_ADD(1)
	site	\n, 2, nop
	site	\n, 3, UPROBE_TARGET_ADD(2)
	site	\n, 4, nop
	site	\n, 5, UPROBE_TARGET_ADD(3)
	UPROBE_TARGET_RET
	.globl	uprobe_target_\n\()_end
uprobe_target_\n\()_end:
	.size	uprobe_target_\n, . - uprobe_target_\n
	.endm

#define TARGET(n)	target n;
	UPROBE_FOR_EACH_TARGET(TARGET)

	/* Every target has target 0's layout, so its offsets serve all. */
	.section .rodata
	.balign	4
	.globl	uprobe_site_offsets
uprobe_site_offsets:
	.irp	k, 0, 1, 2, 3, 4, 5
	.long	.Lsite_0_\k - uprobe_target_0
	.endr
	.if	. - uprobe_site_offsets != 4 * UPROBE_SITES
	.error	"uprobe_site_offsets must have UPROBE_SITES entries"
	.endif

	.section .note.GNU-stack, "", %progbits
