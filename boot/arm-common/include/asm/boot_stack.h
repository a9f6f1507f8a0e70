/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's stack on both ARM arches, in head.S's .bss until
 * arch_boot_switch_stack() moves the CPU to its mapped stacks
 * (stacks.c): boot_stack_bottom, BOOT_STACK_SIZE bytes up to
 * boot_stack_top, then each arch's exception stacks, then
 * boot_stacks_end (arm_common.h names the range for the unwinder).
 */
#ifndef QUIESCE_ASM_BOOT_STACK_H
#define QUIESCE_ASM_BOOT_STACK_H

#define BOOT_STACK_SIZE	16384

#ifdef __ASSEMBLER__
/* Opens the area; the arch's exception stacks and boot_stacks_end follow. */
	.macro	boot_stack_area
	.section .bss
	.balign	16
	.globl	boot_stack_bottom, boot_stacks_end
boot_stack_bottom:
	.space	BOOT_STACK_SIZE
boot_stack_top:
	.endm
#endif

#endif
