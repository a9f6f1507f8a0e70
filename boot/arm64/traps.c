// SPDX-License-Identifier: MIT
/*
 * arm64 exception handling: interrupts go to the generic dispatcher,
 * breakpoints to whoever registered for them, and everything else is a
 * fatal exception reported with the CPU, the exception class, ESR, FAR,
 * ELR, every register and a backtrace.
 */
#include <arch.h>
#include <irqchip.h>
#include <kernel.h>
#include <ksyms.h>
#include <traps.h>
#include <asm/ptrace.h>
#include "arm64.h"

#define ESR_EC(esr)	((uint32_t)((esr) >> 26) & 0x3f)
#define EC_UNKNOWN	0x00
#define EC_IABT_CUR	0x21
#define EC_PC_ALIGN	0x22
#define EC_DABT_CUR	0x25
#define EC_SP_ALIGN	0x26
#define EC_BRK64	0x3c

static const char *const bad_kinds[] = {
	"", "FIQ", "SError", "synchronous exception on the exception stack",
	"IRQ on the exception stack", "FIQ on the exception stack",
	"SError on the exception stack", "exception from EL0 (AArch64)",
	"exception from EL0 (AArch32)",
};

static const char *ec_name(uint32_t ec)
{
	switch (ec) {
	case EC_UNKNOWN:	return "undefined instruction";
	case EC_IABT_CUR:	return "instruction abort";
	case EC_PC_ALIGN:	return "PC alignment fault";
	case EC_DABT_CUR:	return "data abort";
	case EC_SP_ALIGN:	return "SP alignment fault";
	case EC_BRK64:		return "breakpoint (BRK)";
	default:		return "unexpected exception";
	}
}

/* Data/instruction fault status: the reason, from ESR.ISS.DFSC. */
static const char *fault_reason(uint64_t esr)
{
	switch (esr & 0x3c) {
	case 0x04:	return "translation fault";
	case 0x08:	return "access flag fault";
	case 0x0c:	return "permission fault";
	case 0x20:	return "alignment fault";
	default:	return "fault";
	}
}

void arch_show_regs(const struct pt_regs *regs)
{
	uintptr_t off;
	const char *sym = ksym_lookup(regs->pc, &off);

	printk("pc : [<%016llx>] %s+0x%lx\n", (unsigned long long)regs->pc,
	       sym ? sym : "?", sym ? (unsigned long)off : 0UL);
	sym = ksym_lookup(regs->x[30], &off);
	printk("lr : [<%016llx>] %s+0x%lx\n", (unsigned long long)regs->x[30],
	       sym ? sym : "?", sym ? (unsigned long)off : 0UL);
	printk("sp : %016llx pstate : %08llx\n", (unsigned long long)regs->sp,
	       (unsigned long long)regs->pstate);
	for (int i = 29; i >= 0; i -= 3) {
		if (i >= 2)
			printk("x%-2d: %016llx x%-2d: %016llx x%-2d: %016llx\n",
			       i, (unsigned long long)regs->x[i], i - 1,
			       (unsigned long long)regs->x[i - 1], i - 2,
			       (unsigned long long)regs->x[i - 2]);
		else
			for (int j = i; j >= 0; j--)
				printk("x%-2d: %016llx\n", j, (unsigned long long)regs->x[j]);
	}
}

static __noreturn void die(struct pt_regs *regs, const char *what)
{
	uint32_t ec = ESR_EC(regs->esr);
	int guard = stack_guard_owner(regs->far);

	arch_irq_disable();
	printk("Internal error on CPU %u: %s\n", arch_cpu_id(), what);
	if ((ec == EC_DABT_CUR || ec == EC_IABT_CUR) && guard >= 0)
		printk("kernel stack overflow: CPU %d hit the guard page at %016llx\n",
		       guard, (unsigned long long)regs->far);
	else if (ec == EC_DABT_CUR || ec == EC_IABT_CUR)
		printk("Unable to handle kernel %s at virtual address %016llx (%s)\n",
		       ec == EC_IABT_CUR ? "instruction fetch" :
		       (regs->esr & (1u << 6)) ? "write" : "read",
		       (unsigned long long)regs->far, fault_reason(regs->esr));
	printk("ESR: %#010llx (EC %#04x: %s) FAR: %016llx ELR: %016llx\n",
	       (unsigned long long)regs->esr, ec, ec_name(ec),
	       (unsigned long long)regs->far, (unsigned long long)regs->pc);
	arch_show_regs(regs);
	dump_backtrace(regs->x[29], regs->pc);
	panic("Fatal exception: %s", what);
}

void arm64_sync_handler(struct pt_regs *regs)
{
	uint32_t ec = ESR_EC(regs->esr);

	if (ec == EC_BRK64 && trap_breakpoint(regs, (uint32_t)(regs->esr & 0xffff)))
		return;
	die(regs, ec_name(ec));
}

void arm64_irq_handler(struct pt_regs *regs)
{
	irq_handle(regs_pc(regs));
}

void arm64_bad_exception(struct pt_regs *regs, int kind)
{
	die(regs, bad_kinds[kind]);
}

/* A frame record is {previous fp, return address}, on a kernel stack. */
bool arch_unwind_frame(uintptr_t *fp, uintptr_t *pc)
{
	return unwind_frame_record(fp, pc, on_kernel_stack);
}
