/* SPDX-License-Identifier: MIT */
/*
 * arm64's instructions for the uprobe targets (workloads/uprobe/
 * uprobe_targets.S): x in x0, each ADD an immediate add to it, which
 * <asm/uprobe.h> emulates. Assembly only.
 */
#ifndef QUIESCE_ASM_UPROBE_TARGET_H
#define QUIESCE_ASM_UPROBE_TARGET_H

#define UPROBE_TARGET_PREAMBLE
#define UPROBE_TARGET_ENTRY
/* No "#" before the immediate: in a macro it would stringize n. */
#define UPROBE_TARGET_ADD(n)	add x0, x0, n
#define UPROBE_TARGET_RET	ret

#endif
