// SPDX-License-Identifier: MIT
/*
 * armv7 exception handling: interrupts go to the generic dispatcher,
 * breakpoints (BKPT, a prefetch abort with a debug-event status) to
 * whoever registered for them, and everything else is a fatal exception
 * reported like arm64's: the CPU, the exception, the fault status and
 * address, every register and a backtrace.
 */
#include <arch.h>
#include <irqchip.h>
#include <kernel.h>
#include <ksyms.h>
#include <traps.h>
#include <asm/ptrace.h>
#include "../arm-common/arm_common.h"

/* Long-descriptor (LPAE) fault status, DFSR/IFSR bits [5:0]. */
#define FSR_STATUS(fsr)	((fsr) & 0x3f)
#define FSR_DEBUG	0x22
#define FSR_WNR		(1u << 11)

static const char *const kind_names[] = {
	[EXC_UNDEF] = "undefined instruction",
	[EXC_SVC] = "unexpected SVC",
	[EXC_PABT] = "instruction abort",
	[EXC_DABT] = "data abort",
	[EXC_IRQ] = "IRQ",
	[EXC_FIQ] = "FIQ",
	[EXC_HYP] = "unexpected exception (reset or HYP trap vector)",
};

static const char *fault_reason(unsigned long fsr)
{
	switch (FSR_STATUS(fsr) & 0x3c) {
	case 0x04:	return "translation fault";
	case 0x08:	return "access flag fault";
	case 0x0c:	return "permission fault";
	}
	return FSR_STATUS(fsr) == 0x21 ? "alignment fault" : "fault";
}

static void print_sym(const char *name, unsigned long addr)
{
	uintptr_t off;
	const char *sym = ksym_lookup(addr, &off);

	printk("%s: [<%08lx>] %s+0x%lx\n", name, addr, sym ? sym : "?",
	       sym ? (unsigned long)off : 0UL);
}

void arch_show_regs(const struct pt_regs *regs)
{
	print_sym("pc", regs->pc);
	print_sym("lr", regs->lr);
	printk("sp : %08lx cpsr : %08lx\n", regs->sp, regs->cpsr);
	printk("r12: %08lx r11: %08lx r10: %08lx r9 : %08lx\n",
	       regs->r[12], regs->r[11], regs->r[10], regs->r[9]);
	printk("r8 : %08lx r7 : %08lx r6 : %08lx r5 : %08lx\n",
	       regs->r[8], regs->r[7], regs->r[6], regs->r[5]);
	printk("r4 : %08lx r3 : %08lx r2 : %08lx r1 : %08lx\n",
	       regs->r[4], regs->r[3], regs->r[2], regs->r[1]);
	printk("r0 : %08lx\n", regs->r[0]);
}

static __noreturn void die(struct pt_regs *regs)
{
	bool abort = regs->kind == EXC_DABT || regs->kind == EXC_PABT;
	int guard = abort ? stack_guard_owner(regs->far) : -1;

	arch_irq_disable();
	printk("Internal error on CPU %u: %s\n", arch_cpu_id(), kind_names[regs->kind]);
	if (guard >= 0)
		printk("kernel stack overflow: CPU %d hit the guard page at %08lx\n",
		       guard, regs->far);
	else if (abort)
		printk("Unable to handle kernel %s at virtual address %08lx (%s)\n",
		       regs->kind == EXC_PABT ? "instruction fetch" :
		       (regs->fsr & FSR_WNR) ? "write" : "read",
		       regs->far, fault_reason(regs->fsr));
	if (abort)
		printk("%s: %#010lx %s: %08lx\n", regs->kind == EXC_PABT ? "IFSR" : "DFSR",
		       regs->fsr, regs->kind == EXC_PABT ? "IFAR" : "DFAR", regs->far);
	arch_show_regs(regs);
	dump_backtrace(regs_fp(regs), regs->pc);
	panic("Fatal exception: %s", kind_names[regs->kind]);
}

void arm_undef_handler(struct pt_regs *regs)
{
	die(regs);
}

void arm_pabt_handler(struct pt_regs *regs)
{
	__asm__ __volatile__("mrc p15, 0, %0, c5, c0, 1" : "=r"(regs->fsr));	/* IFSR */
	__asm__ __volatile__("mrc p15, 0, %0, c6, c0, 2" : "=r"(regs->far));	/* IFAR */
	if (FSR_STATUS(regs->fsr) == FSR_DEBUG) {
		/* BKPT #imm16: the immediate is split over bits 19:8 and 3:0. */
		uint32_t insn = *(const uint32_t *)(uintptr_t)regs->pc;
		uint32_t imm = ((insn >> 4) & 0xfff0) | (insn & 0xf);

		if (trap_breakpoint(regs, imm))
			return;
		printk("Internal error on CPU %u: breakpoint (BKPT #%#lx) nobody handled\n",
		       arch_cpu_id(), (unsigned long)imm);
	}
	die(regs);
}

void arm_dabt_handler(struct pt_regs *regs)
{
	__asm__ __volatile__("mrc p15, 0, %0, c5, c0, 0" : "=r"(regs->fsr));	/* DFSR */
	__asm__ __volatile__("mrc p15, 0, %0, c6, c0, 0" : "=r"(regs->far));	/* DFAR */
	die(regs);
}

void arm_irq_handler(struct pt_regs *regs)
{
	irq_handle(regs_pc(regs));
}

void arm_bad_exception(struct pt_regs *regs)
{
	die(regs);
}

/*
 * APCS frames (-mapcs-frame): fp points at the saved pc; below it are
 * the saved lr (the return address) and, 12 bytes down, the caller's fp.
 */
bool arch_unwind_frame(uintptr_t *fp, uintptr_t *pc)
{
	const uintptr_t *rec = (const uintptr_t *)*fp;

	if (!*fp || !IS_ALIGNED(*fp, 4) || !on_kernel_stack(*fp - 12) ||
	    !on_kernel_stack(*fp))
		return false;
	*pc = rec[-1];
	*fp = rec[-3];
	return *pc != 0;
}
