// SPDX-License-Identifier: MIT
/*
 * The BCM2836 "ARM local" block (Raspberry Pi 2; the BCM2837 of the Pi 3
 * has the same one at the same address): per-core interrupt routing of
 * the four generic-timer interrupts, and four mailboxes per core. Shared
 * by arm64 and armv7: it is plain MMIO.
 *
 * Interrupt numbers are the bits of a core's IRQ source register: 0-3 the
 * timers (3 = virtual, the tick), 4-7 its mailboxes. Mailbox 0 is the
 * kernel IPI: a sender sets a bit in the target's mailbox 0, the target's
 * ack() clears it before the handler runs, so an IPI sent while the
 * handler runs raises the interrupt again instead of being lost.
 * Mailbox 3 is how the firmware's boot stub waits for a start address.
 *
 * Cores are addressed by MPIDR Aff0 (0-3); the DTB's cpu reg is the MPIDR
 * (0xf00-0xf03 on the BCM2836, whose Aff1 is 0xf; 0-3 on the BCM2837).
 */
#include <drivers.h>
#include <irqchip.h>
#include <fdt.h>
#include <mm.h>
#include <kernel.h>
#include <smp.h>
#include <percpu.h>

#define LOCAL_TIMER_INT_CTRL(c)	(0x40 + 4 * (c))	/* bits 0-3: timer IRQ enable */
#define LOCAL_MBOX_INT_CTRL(c)	(0x50 + 4 * (c))	/* bits 0-3: mailbox IRQ enable */
#define LOCAL_IRQ_SOURCE(c)	(0x60 + 4 * (c))
#define LOCAL_MBOX_SET(c, m)	(0x80 + 16 * (c) + 4 * (m))	/* write 1s to set */
#define LOCAL_MBOX_CLR(c, m)	(0xc0 + 16 * (c) + 4 * (m))	/* read; write 1s to clear */

#define NR_TIMER_IRQS		4
#define MBOX_IRQ(m)		(4 + (m))
#define MBOX_IPI		0
#define MBOX_START		3
#define NR_LOCAL_CORES		4

static volatile uint8_t *local;

static inline uint32_t rd(unsigned int off)
{
	return *(volatile uint32_t *)(local + off);
}

static inline void wr(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(local + off) = v;
}

static unsigned int this_core(void)
{
	return (unsigned int)(cpu_hwid(smp_processor_id()) & 0xff);
}

static void bcm_local_cpu_init(unsigned int cpu)
{
	unsigned int core = (unsigned int)(cpu_hwid(cpu) & 0xff);

	wr(LOCAL_TIMER_INT_CTRL(core), 0);
	wr(LOCAL_MBOX_CLR(core, MBOX_IPI), 0xffffffff);
	wr(LOCAL_MBOX_INT_CTRL(core), 1u << MBOX_IPI);
}

/* Enable irq for the calling core: a timer, or a mailbox. */
static void bcm_local_enable(unsigned int irq)
{
	unsigned int core = this_core();

	if (irq < NR_TIMER_IRQS)
		wr(LOCAL_TIMER_INT_CTRL(core), rd(LOCAL_TIMER_INT_CTRL(core)) | 1u << irq);
	else if (irq < MBOX_IRQ(4))
		wr(LOCAL_MBOX_INT_CTRL(core), rd(LOCAL_MBOX_INT_CTRL(core)) | 1u << (irq - 4));
	else
		panic("bcm_local: interrupt %u is not routed by this driver", irq);
}

static void bcm_local_send_ipi(unsigned int cpu)
{
	/* The caller's full barrier (send_ipi) orders the request's stores
	 * before this device write. */
	wr(LOCAL_MBOX_SET(cpu_hwid(cpu) & 0xff, MBOX_IPI), 1);
}

static unsigned int bcm_local_ack(uint32_t *token)
{
	unsigned int core = this_core();
	uint32_t pending = rd(LOCAL_IRQ_SOURCE(core)) & 0xff;
	unsigned int irq;

	if (!pending)
		return IRQ_SPURIOUS;
	irq = (unsigned int)__builtin_ctz(pending);
	if (irq == MBOX_IRQ(MBOX_IPI))
		wr(LOCAL_MBOX_CLR(core, MBOX_IPI), rd(LOCAL_MBOX_CLR(core, MBOX_IPI)));
	*token = irq;
	return irq;
}

/* Timers are level-triggered at their source, mailboxes cleared in ack(). */
static void bcm_local_eoi(uint32_t token)
{
	(void)token;
}

static const struct irqchip bcm_local_chip = {
	.name = "BCM2836 local",
	.cpu_init = bcm_local_cpu_init,
	.enable = bcm_local_enable,
	.send_ipi = bcm_local_send_ipi,
	.ack = bcm_local_ack,
	.eoi = bcm_local_eoi,
};

const struct irqchip *bcm_local_probe(const struct fdt *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "brcm,bcm2836-l1-intc");
	uint64_t base, size;

	if (node < 0)
		return NULL;
	/* The block is at the same CPU and bus address (the firmware DTB's
	 * /soc ranges map 0x40000000 to itself), so reg needs no translation. */
	if (fdt_get_reg(fdt, node, 0, &base, &size)) {
		printk("bcm_local: bad reg property\n");
		return NULL;
	}
	local = ioremap(base, size < 0x100 ? 0x100 : size);
	if (!local)
		return NULL;
	for (unsigned int core = 0; core < NR_LOCAL_CORES; core++) {
		wr(LOCAL_TIMER_INT_CTRL(core), 0);
		wr(LOCAL_MBOX_INT_CTRL(core), 0);
	}
	return &bcm_local_chip;
}

int bcm_local_cpu_on(uint64_t hwid, uintptr_t entry)
{
	unsigned int core = (unsigned int)(hwid & 0xff);

	if (!local || core >= NR_LOCAL_CORES)
		return -ENODEV;
	/* The stub waiting there reads the address with its caches off: the
	 * DSB completes the caller's cache cleaning first; SEV wakes a WFE. */
	__asm__ __volatile__("dsb sy" ::: "memory");
	wr(LOCAL_MBOX_SET(core, MBOX_START), (uint32_t)entry);
	__asm__ __volatile__("dsb sy\n\tsev" ::: "memory");
	return 0;
}
