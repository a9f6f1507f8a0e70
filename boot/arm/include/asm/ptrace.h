/* SPDX-License-Identifier: MIT */
/* The armv7 exception frame; vectors.S builds it, C reads and edits it. */
#ifndef QUIESCE_ASM_PTRACE_H
#define QUIESCE_ASM_PTRACE_H

#define PT_R		0
#define PT_SP		52
#define PT_LR		56
#define PT_PC		60
#define PT_CPSR		64
#define PT_FSR		68
#define PT_FAR		72
#define PT_KIND		76
#define PT_SIZE		80

/* What kind of exception a frame records (PT_KIND). */
#define EXC_UNDEF	0
#define EXC_SVC		1
#define EXC_PABT	2
#define EXC_DABT	3
#define EXC_IRQ		4
#define EXC_FIQ		5
#define EXC_HYP		6

#ifndef __ASSEMBLER__
#include <compiler.h>

struct pt_regs {
	unsigned long r[13];
	unsigned long sp;		/* the interrupted mode's banked SP */
	unsigned long lr;		/* the interrupted mode's banked LR */
	unsigned long pc;		/* where the exception returns */
	unsigned long cpsr;		/* SPSR: the interrupted CPSR */
	unsigned long fsr;		/* DFSR / IFSR for aborts, else 0 */
	unsigned long far;		/* DFAR / IFAR for aborts, else 0 */
	unsigned long kind;		/* EXC_* */
};

_Static_assert(__builtin_offsetof(struct pt_regs, sp) == PT_SP, "pt_regs.sp");
_Static_assert(__builtin_offsetof(struct pt_regs, pc) == PT_PC, "pt_regs.pc");
_Static_assert(__builtin_offsetof(struct pt_regs, fsr) == PT_FSR, "pt_regs.fsr");
_Static_assert(__builtin_offsetof(struct pt_regs, kind) == PT_KIND, "pt_regs.kind");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE && PT_SIZE % 8 == 0, "pt_regs size");

#define regs_pc(p)	((p)->pc)
#define regs_fp(p)	((p)->r[11])
#endif

#endif
