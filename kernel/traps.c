// SPDX-License-Identifier: MIT
/* Breakpoint dispatch (see include/traps.h). */
#include <traps.h>
#include <kernel.h>

#define MAX_BREAKPOINT_HANDLERS	4

static breakpoint_handler_t handlers[MAX_BREAKPOINT_HANDLERS];
static unsigned int nr_handlers;

void register_breakpoint_handler(breakpoint_handler_t fn)
{
	BUG_ON(nr_handlers == MAX_BREAKPOINT_HANDLERS);
	handlers[nr_handlers++] = fn;
}

bool trap_breakpoint(struct pt_regs *regs, uint32_t imm)
{
	for (unsigned int i = 0; i < nr_handlers; i++)
		if (handlers[i](regs, imm))
			return true;
	return false;
}
