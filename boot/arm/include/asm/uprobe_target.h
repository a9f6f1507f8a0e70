/* SPDX-License-Identifier: MIT */
/*
 * armv7-a's instructions for the uprobe targets (workloads/uprobe/
 * uprobe_targets.S), in ARM state: x in r0, each ADD an immediate add to
 * it, which <asm/uprobe.h> emulates. Assembly only.
 */
#ifndef QUIESCE_ASM_UPROBE_TARGET_H
#define QUIESCE_ASM_UPROBE_TARGET_H

#define UPROBE_TARGET_PREAMBLE	.syntax unified; .arm
#define UPROBE_TARGET_ENTRY
/* No "#" before the immediate: in a macro it would stringize n. */
#define UPROBE_TARGET_ADD(n)	add r0, r0, n
#define UPROBE_TARGET_RET	bx lr

#endif
