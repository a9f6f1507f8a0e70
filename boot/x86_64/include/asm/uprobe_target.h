/* SPDX-License-Identifier: MIT */
/*
 * x86_64's instructions for the uprobe targets (workloads/uprobe/
 * uprobe_targets.S): x arrives in RDI and is copied to RAX, the return
 * value. Each ADD is spelled as bytes so that it is always the 4-byte
 * form (REX.W 83 /0 ib) that <asm/uprobe.h> emulates, never the
 * assembler's choice. Assembly only.
 */
#ifndef QUIESCE_ASM_UPROBE_TARGET_H
#define QUIESCE_ASM_UPROBE_TARGET_H

#define UPROBE_TARGET_PREAMBLE
#define UPROBE_TARGET_ENTRY	mov %rdi, %rax
#define UPROBE_TARGET_ADD(n)	.byte 0x48, 0x83, 0xc0, n
#define UPROBE_TARGET_RET	ret

#endif
