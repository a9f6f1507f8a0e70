/* SPDX-License-Identifier: MIT */
/*
 * x86_64 uprobes: INT3 replaces the first byte of the probed instruction;
 * the displaced instruction is emulated (NOP, ADD $imm8 to RAX) from that
 * byte and the rest, which stays in memory.
 */
#ifndef QUIESCE_ASM_UPROBE_H
#define QUIESCE_ASM_UPROBE_H

#include <compiler.h>
#include <asm/ptrace.h>

#define X86_INT3	0xcc
#define X86_NOP		0x90

typedef uint8_t uprobe_insn_t;

static inline uintptr_t uprobe_trap_addr(const struct pt_regs *regs)
{
	return regs->rip - 1;	/* #BP is a trap: RIP is past the INT3 */
}

/* INT3 carries no immediate: the handler checks the address instead. */
/* Did the trapping code run with interrupts on (RFLAGS.IF set)? */
static inline bool uprobe_trap_irqs_on(const struct pt_regs *regs)
{
	return (regs->rflags & (1u << 9)) != 0;
}

static inline bool uprobe_trap_is_ours(const struct pt_regs *regs, uint32_t imm)
{
	(void)regs;
	(void)imm;
	return true;
}

static inline uprobe_insn_t uprobe_breakpoint_insn(void)
{
	return X86_INT3;
}

/* REX.W 83 /0 ib: add $imm8, %rax. */
static inline bool is_add_rax_imm8(uprobe_insn_t first, const uint8_t *p)
{
	return first == 0x48 && p[1] == 0x83 && p[2] == 0xc0;
}

static inline bool uprobe_insn_supported(uprobe_insn_t insn, const void *addr)
{
	return insn == X86_NOP || is_add_rax_imm8(insn, addr);
}

static inline void uprobe_emulate(struct pt_regs *regs, uprobe_insn_t insn, const void *addr)
{
	const uint8_t *p = addr;

	if (is_add_rax_imm8(insn, p)) {
		regs->rax += (uint64_t)(int64_t)(int8_t)p[3];
		regs->rip = (uintptr_t)addr + 4;
	} else {
		regs->rip = (uintptr_t)addr + 1;
	}
}

#endif
