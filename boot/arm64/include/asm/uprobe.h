/* SPDX-License-Identifier: MIT */
/*
 * arm64 uprobes: BRK #UPROBE_BRK_IMM replaces the probed instruction;
 * the displaced instruction is emulated (NOP, ADD immediate).
 * The contract every arch's <asm/uprobe.h> meets is in workloads/uprobe.
 */
#ifndef QUIESCE_ASM_UPROBE_H
#define QUIESCE_ASM_UPROBE_H

#include <compiler.h>
#include <asm/ptrace.h>

#define UPROBE_BRK_IMM		0x5
#define UPROBE_BRK_INSN		(0xd4200000u | (UPROBE_BRK_IMM << 5))
#define ARM64_NOP		0xd503201fu

typedef uint32_t uprobe_insn_t;		/* what the breakpoint replaces */

static inline uintptr_t uprobe_trap_addr(const struct pt_regs *regs)
{
	return regs->pc;	/* BRK reports its own address */
}

/*
 * Whether the handler may run with interrupts on. Not here: arm64 takes
 * exceptions on the per-CPU exception stack (SP_EL1), where an IRQ is
 * fatal by design (boot/arm64/vectors.S), so the handler keeps them off
 * and an unregistration's IPI waits for it (x86 and armv7 turn them on).
 */
static inline bool uprobe_trap_irqs_on(const struct pt_regs *regs)
{
	(void)regs;
	return false;
}

static inline bool uprobe_trap_is_ours(const struct pt_regs *regs, uint32_t imm)
{
	(void)regs;
	return imm == UPROBE_BRK_IMM;
}

static inline uprobe_insn_t uprobe_breakpoint_insn(void)
{
	return UPROBE_BRK_INSN;
}

static inline bool is_add_imm(uint32_t insn)
{
	return (insn & 0xffc00000u) == 0x91000000u;	/* ADD Xd, Xn, #imm12 */
}

/* Can the instruction whose first unit is insn (at addr) be emulated? */
static inline bool uprobe_insn_supported(uprobe_insn_t insn, const void *addr)
{
	(void)addr;
	return insn == ARM64_NOP || is_add_imm(insn);
}

/* Execute insn (found at addr) on regs by emulation; step past it. */
static inline void uprobe_emulate(struct pt_regs *regs, uprobe_insn_t insn, const void *addr)
{
	(void)addr;
	if (is_add_imm(insn)) {
		unsigned int rd = insn & 31, rn = (insn >> 5) & 31;
		uint64_t imm = (insn >> 10) & 0xfff;
		uint64_t src = rn == 31 ? regs->sp : regs->x[rn];

		if (rd == 31)
			regs->sp = src + imm;
		else
			regs->x[rd] = src + imm;
	}
	regs->pc += 4;
}

#endif
