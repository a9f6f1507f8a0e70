/* SPDX-License-Identifier: MIT */
/*
 * arm64 breakpoints for uprobes: BRK #UPROBE_BRK_IMM replaces the probed
 * instruction; the displaced instruction is emulated (NOP, ADD immediate).
 */
#ifndef QUIESCE_ASM_UPROBE_H
#define QUIESCE_ASM_UPROBE_H

#include <compiler.h>
#include <asm/ptrace.h>

#define UPROBE_INSN_SIZE	4
#define UPROBE_BRK_IMM		0x5
#define UPROBE_BRK_INSN		(0xd4200000u | (UPROBE_BRK_IMM << 5))
#define ARM64_NOP		0xd503201fu

typedef uint32_t uprobe_insn_t;

/*
 * The instrumented code (boot/arm64/uprobe_targets.S): UPROBE_NR_TARGETS
 * functions uint64_t f(uint64_t x) returning x + UPROBE_TARGET_ADDS, each
 * with NOP and ADD instructions at every UPROBE_INSN_SIZE up to its size
 * except the last (the return).
 */
#define UPROBE_NR_TARGETS	8
#define UPROBE_TARGET_ADDS	6
struct uprobe_target {
	uint64_t (*fn)(uint64_t x);
	uintptr_t size;
};
extern const struct uprobe_target uprobe_targets[UPROBE_NR_TARGETS];

/* Address of the breakpoint that trapped. */
static inline uintptr_t uprobe_trap_addr(const struct pt_regs *regs)
{
	return regs->pc;
}

/* Did this trap come from a uprobe breakpoint (the BRK's immediate)? */
static inline bool uprobe_trap_is_ours(const struct pt_regs *regs, uint32_t imm)
{
	(void)regs;
	return imm == UPROBE_BRK_IMM;
}

/* Is the instruction at addr our breakpoint (still planted)? */
static inline bool uprobe_insn_is_breakpoint(const void *addr)
{
	return *(const volatile uint32_t *)addr == UPROBE_BRK_INSN;
}

/*
 * Can the displaced instruction be emulated? NOP, and ADD (immediate,
 * 64-bit, unshifted) between general registers.
 */
static inline bool uprobe_insn_supported(uprobe_insn_t insn)
{
	return insn == ARM64_NOP || (insn & 0xffc00000u) == 0x91000000u;
}

/* Emulate insn as if executed at the breakpoint, and step past it. */
static inline void uprobe_emulate(struct pt_regs *regs, uprobe_insn_t insn)
{
	if ((insn & 0xffc00000u) == 0x91000000u) {
		unsigned int rd = insn & 31, rn = (insn >> 5) & 31;
		uint64_t imm = (insn >> 10) & 0xfff;
		uint64_t src = rn == 31 ? regs->sp : regs->x[rn];

		if (rd == 31)
			regs->sp = src + imm;
		else
			regs->x[rd] = src + imm;
	}
	regs->pc += UPROBE_INSN_SIZE;
}

static inline uprobe_insn_t uprobe_breakpoint_insn(void)
{
	return UPROBE_BRK_INSN;
}

#endif
