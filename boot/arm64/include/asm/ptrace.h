/* SPDX-License-Identifier: MIT */
/* The arm64 exception frame; vectors.S builds it, C reads and edits it. */
#ifndef QUIESCE_ASM_PTRACE_H
#define QUIESCE_ASM_PTRACE_H

#define PT_X		0
#define PT_SP		248
#define PT_PC		256
#define PT_PSTATE	264
#define PT_ESR		272
#define PT_FAR		280
#define PT_FPSR		288
#define PT_V		304
#define PT_SIZE		816

#ifndef __ASSEMBLER__
#include <compiler.h>

struct pt_regs {
	uint64_t x[31];
	uint64_t sp;		/* interrupted stack pointer */
	uint64_t pc;		/* ELR_EL1: where the exception returns */
	uint64_t pstate;	/* SPSR_EL1 */
	uint64_t esr;
	uint64_t far;
	uint64_t fpsr, fpcr;
	__uint128_t v[32];
};

_Static_assert(__builtin_offsetof(struct pt_regs, sp) == PT_SP, "pt_regs.sp");
_Static_assert(__builtin_offsetof(struct pt_regs, pc) == PT_PC, "pt_regs.pc");
_Static_assert(__builtin_offsetof(struct pt_regs, esr) == PT_ESR, "pt_regs.esr");
_Static_assert(__builtin_offsetof(struct pt_regs, fpsr) == PT_FPSR, "pt_regs.fpsr");
_Static_assert(__builtin_offsetof(struct pt_regs, v) == PT_V, "pt_regs.v");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE, "pt_regs size");

#define regs_pc(r)	((r)->pc)
#define regs_fp(r)	((r)->x[29])
#endif

#endif
