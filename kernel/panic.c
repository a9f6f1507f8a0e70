// SPDX-License-Identifier: MIT
/*
 * panic, warnings and backtraces. A panic stops every other CPU with an
 * IPI, prints the SUMMARY line and ends the run with a failure status; a
 * second CPU that panics meanwhile only stops itself.
 */
#include <kernel.h>
#include <arch.h>
#include <atomic.h>
#include <harness.h>
#include <ksyms.h>
#include <smp.h>
#include "panic.h"

static int panic_cpu = -1;

bool panic_in_progress(void)
{
	return READ_ONCE(panic_cpu) != -1;
}

bool unwind_frame_record(uintptr_t *fp, uintptr_t *pc, bool (*on_stack)(uintptr_t addr))
{
	const uintptr_t *rec = (const uintptr_t *)*fp;

	if (!*fp || !IS_ALIGNED(*fp, sizeof(uintptr_t)) || !on_stack(*fp) ||
	    !on_stack(*fp + sizeof(uintptr_t)))
		return false;
	*fp = rec[0];
	*pc = rec[1];
	return *pc != 0;
}

void dump_backtrace(uintptr_t fp, uintptr_t pc)
{
	printk("Call trace:\n");
	for (int depth = 0; depth < 32 && pc; depth++) {
		/* Past the first, pc is a return address, which lies past the
		 * end of a function that ends in a call (to a noreturn one):
		 * its call is at pc - 1. */
		uintptr_t off, at = depth ? pc - 1 : pc;
		const char *name = ksym_lookup(at, &off);

		if (name)
			printk("  [<%016lx>] %s+0x%lx\n", (unsigned long)pc, name,
			       (unsigned long)(off + (pc - at)));
		else
			printk("  [<%016lx>] ?\n", (unsigned long)pc);
		if (!arch_unwind_frame(&fp, &pc))
			break;
	}
}

void dump_stack(void)
{
	dump_backtrace((uintptr_t)__builtin_frame_address(0), (uintptr_t)dump_stack);
	/* Not a tail call: the walk starts from this frame, which must stay live
	 * (the callee's stack-protector slot would overwrite its record). */
	barrier();
}

void __warn(const char *file, int line, const char *cond)
{
	printk("WARNING: CPU %u at %s:%d: %s\n", arch_cpu_id(), file, line, cond);
	dump_stack();
}

void panic(const char *fmt, ...)
{
	int me = (int)arch_cpu_id(), none = -1;
	va_list ap;

	arch_irq_disable();
	if (!try_cmpxchg(&panic_cpu, &none, me)) {
		if (none != me)
			arch_halt();	/* someone else reports; stop quietly */
		/* A panic inside the panic path: finish as plainly as possible. */
		harness_finish(EXIT_PANIC);
	}
	printk_flush();
	printk("Kernel panic on CPU %d: ", me);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	dump_stack();
	smp_send_stop();
	harness_finish(EXIT_PANIC);
}
