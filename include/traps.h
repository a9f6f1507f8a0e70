/* SPDX-License-Identifier: MIT */
/*
 * Breakpoint traps: a subsystem that plants breakpoint instructions
 * (uprobes) registers a handler; the arch's breakpoint exception asks it.
 */
#ifndef QUIESCE_TRAPS_H
#define QUIESCE_TRAPS_H

#include <compiler.h>

struct pt_regs;

/*
 * Called by the arch with interrupts off, on the CPU that hit the
 * breakpoint; imm is the breakpoint's immediate where the ISA has one.
 * Returns true if a handler took the trap (and fixed up regs to resume).
 */
bool trap_breakpoint(struct pt_regs *regs, uint32_t imm);

typedef bool (*breakpoint_handler_t)(struct pt_regs *regs, uint32_t imm);
/* Boot CPU, before the breakpoints are planted. */
void register_breakpoint_handler(breakpoint_handler_t fn);

#endif
