/* SPDX-License-Identifier: MIT */
/*
 * Interrupt controllers (GICv2, GICv3, the BCM2836 local controller, the
 * x86 local APIC) behind one interface, and the table of handlers the
 * arch's interrupt entry dispatches to.
 */
#ifndef QUIESCE_IRQCHIP_H
#define QUIESCE_IRQCHIP_H

#include <compiler.h>

#define NR_IRQS		1024
#define IRQ_SPURIOUS	(~0u)

struct irqchip {
	const char *name;
	/* Per-CPU interface setup; runs on each CPU with interrupts off. */
	void (*cpu_init)(unsigned int cpu);
	/* Enable irq for the calling CPU (PPIs are per CPU, SPIs global). */
	void (*enable)(unsigned int irq);
	/* Send the kernel IPI to cpu. */
	void (*send_ipi)(unsigned int cpu);
	/*
	 * Acknowledge the highest-priority pending interrupt: its number, or
	 * IRQ_SPURIOUS; *token is what eoi() must be given for it.
	 */
	unsigned int (*ack)(uint32_t *token);
	/* Signal end of handling for the interrupt ack() returned token for. */
	void (*eoi)(uint32_t token);
};

/* The controller in use; set once by arch_early_init(). */
extern const struct irqchip *irqchip;

typedef void (*irq_handler_t)(unsigned int irq);

/* Boot CPU, before interrupts are enabled. */
void irq_set_handler(unsigned int irq, irq_handler_t fn);

/*
 * Interrupt entry: ack, dispatch and EOI until nothing is pending.
 * Interrupts off, on the CPU that took the interrupt.
 */
void irq_handle(uintptr_t interrupted_pc);

/*
 * Where the interrupt being handled on this CPU interrupted it (the
 * arch's exception entry passes it to irq_handle()); 0 outside a
 * handler. RCU's tick and IPI look at it to tell a quiescent point from
 * a reader without readers recording anything (release builds).
 */
#include <percpu.h>
DECLARE_PER_CPU(uintptr_t, irq_pc);	/* kernel/irq.c; the host: always 0 */
static inline uintptr_t irq_interrupted_pc(void)
{
	return __this_cpu_read(irq_pc);
}

/* Is the calling CPU, whose index is cpu, inside an interrupt handler? */
static inline bool in_hardirq_on(unsigned int cpu)
{
	return per_cpu(irq_pc, cpu) != 0;
}

#endif
