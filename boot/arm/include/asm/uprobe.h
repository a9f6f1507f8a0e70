/* SPDX-License-Identifier: MIT */
/*
 * armv7 (ARM state) uprobes: BKPT #UPROBE_BKPT_IMM replaces the probed
 * instruction (a prefetch abort with a debug-event status); the displaced
 * instruction is emulated (NOP, ADD immediate).
 */
#ifndef QUIESCE_ASM_UPROBE_H
#define QUIESCE_ASM_UPROBE_H

#include <compiler.h>
#include <asm/ptrace.h>

#define UPROBE_BKPT_IMM		0x5
/* BKPT #imm16: cond 1110, 0001 0010, imm12, 0111, imm4. */
#define UPROBE_BKPT_INSN	(0xe1200070u | ((UPROBE_BKPT_IMM & 0xfff0) << 4) | (UPROBE_BKPT_IMM & 0xf))
#define ARM_NOP			0xe320f000u

typedef uint32_t uprobe_insn_t;

static inline uintptr_t uprobe_trap_addr(const struct pt_regs *regs)
{
	return regs->pc;
}

/*
 * The debug event does not report the BKPT immediate: the trap handler
 * reads it from memory, where an unregister may already have put the
 * original instruction back. So any breakpoint may be ours; the uprobe
 * handler then goes by the address (and handles a stale trap).
 */
/* Did the trapping code run with interrupts on (CPSR.I clear)? */
static inline bool uprobe_trap_irqs_on(const struct pt_regs *regs)
{
	return !(regs->cpsr & (1u << 7));
}

static inline bool uprobe_trap_is_ours(const struct pt_regs *regs, uint32_t imm)
{
	(void)regs;
	(void)imm;
	return true;
}

static inline uprobe_insn_t uprobe_breakpoint_insn(void)
{
	return UPROBE_BKPT_INSN;
}

/* ADD Rd, Rn, #imm (always, no S, both registers among r0-r12). */
static inline bool is_add_imm(uint32_t insn)
{
	return (insn & 0xfff00000u) == 0xe2800000u &&
	       ((insn >> 12) & 15) < 13 && ((insn >> 16) & 15) < 13;
}

static inline bool uprobe_insn_supported(uprobe_insn_t insn, const void *addr)
{
	(void)addr;
	return insn == ARM_NOP || is_add_imm(insn);
}

static inline void uprobe_emulate(struct pt_regs *regs, uprobe_insn_t insn, const void *addr)
{
	(void)addr;
	if (is_add_imm(insn)) {
		unsigned int rd = (insn >> 12) & 15, rn = (insn >> 16) & 15;
		unsigned int rot = ((insn >> 8) & 15) * 2;
		uint32_t imm = insn & 0xff;

		imm = rot ? (imm >> rot) | (imm << (32 - rot)) : imm;
		regs->r[rd] = regs->r[rn] + imm;
	}
	regs->pc += 4;
}

#endif
