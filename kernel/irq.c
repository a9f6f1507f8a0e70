// SPDX-License-Identifier: MIT
/* Generic interrupt dispatch over the irqchip in use. */
#include <irqchip.h>
#include <kernel.h>
#include <atomic.h>
#include <coherence.h>
#include <arch.h>
#include <lockdep.h>
#include <percpu.h>

const struct irqchip *irqchip;
static irq_handler_t handlers[NR_IRQS];	/* written before interrupts are on */

void irq_set_handler(unsigned int irq, irq_handler_t fn)
{
	BUG_ON(irq >= NR_IRQS);
	handlers[irq] = fn;
}

/* Where this CPU's current interrupt came in (0: in none). */
DEFINE_PER_CPU(uintptr_t, irq_pc);

void irq_handle(uintptr_t interrupted_pc)
{
	/* Handlers run with interrupts off: no nesting to save. */
	__this_cpu_write(irq_pc, interrupted_pc);
	atomic_stats_irq_enter();
	coherence_irq_enter();
	lockdep_hardirq_enter();
	for (;;) {
		uint32_t token;
		unsigned int irq = irqchip->ack(&token);

		if (irq == IRQ_SPURIOUS)
			break;
		/* The handler quiets a level-triggered source before the EOI. */
		if (irq < NR_IRQS && handlers[irq])
			handlers[irq](irq);
		else
			printk("irq: unexpected interrupt %u on CPU %u\n", irq,
			       arch_cpu_id());
		irqchip->eoi(token);
	}
	lockdep_hardirq_exit();
	coherence_irq_exit();
	atomic_stats_irq_exit();
	__this_cpu_write(irq_pc, 0);
}
