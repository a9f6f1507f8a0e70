// SPDX-License-Identifier: MIT
/*
 * ARM GICv2: memory-mapped distributor and CPU interface (QEMU virt with
 * up to 8 CPUs). All interrupts are group 0, one priority; the kernel
 * IPI is SGI 0, sent to the target's CPU-interface number, which each
 * CPU reads from its banked GICD_ITARGETSR0 when it starts.
 */
#include <drivers.h>
#include <irqchip.h>
#include <fdt.h>
#include <mm.h>
#include <kernel.h>
#include <smp.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_ISENABLER(n)	(0x100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x180 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x400 + 4 * (n))
#define GICD_ITARGETSR(n)	(0x800 + 4 * (n))
#define GICD_SGIR		0xf00

#define GICC_CTLR		0x000
#define GICC_PMR		0x004
#define GICC_IAR		0x00c
#define GICC_EOIR		0x010

static volatile uint8_t *gicd, *gicc;
static uint8_t cpu_iface[NR_CPUS];	/* written by each CPU at start */

static inline uint32_t rd(volatile uint8_t *base, unsigned int off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr(volatile uint8_t *base, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static void gicv2_cpu_init(unsigned int cpu)
{
	/* ITARGETSR0 is banked: it reads as this CPU's own interface bit. */
	cpu_iface[cpu] = (uint8_t)(rd(gicd, GICD_ITARGETSR(0)) & 0xff);
	wr(gicd, GICD_ICENABLER(0), 0xffffffff);
	for (unsigned int i = 0; i < 8; i++)
		wr(gicd, GICD_IPRIORITYR(i), 0xa0a0a0a0);
	wr(gicd, GICD_ISENABLER(0), 1u << GIC_IPI_SGI);
	wr(gicc, GICC_PMR, 0xf0);
	wr(gicc, GICC_CTLR, 1);
}

static void gicv2_enable(unsigned int irq)
{
	wr(gicd, GICD_ISENABLER(irq / 32), 1u << (irq % 32));
}

static void gicv2_send_ipi(unsigned int cpu)
{
	/* The caller's full barrier (send_ipi) orders the request's stores
	 * before this device write. */
	wr(gicd, GICD_SGIR, ((uint32_t)cpu_iface[cpu] << 16) | GIC_IPI_SGI);
}

static unsigned int gicv2_ack(uint32_t *token)
{
	uint32_t iar = rd(gicc, GICC_IAR);
	unsigned int irq = iar & 0x3ff;

	*token = iar;	/* SGIs carry the source CPU in bits 12:10: EOI needs it */
	return irq >= 1020 ? IRQ_SPURIOUS : irq;
}

static void gicv2_eoi(uint32_t token)
{
	wr(gicc, GICC_EOIR, token);
}

static const struct irqchip gicv2_chip = {
	.name = "GICv2",
	.cpu_init = gicv2_cpu_init,
	.enable = gicv2_enable,
	.send_ipi = gicv2_send_ipi,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
};

const struct irqchip *gicv2_probe(const struct fdt *fdt)
{
	static const char *const compat[] = {
		"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic",
	};
	uint64_t dbase, dsize, cbase, csize;
	int node = -1;

	for (unsigned int i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	if (node < 0)
		return NULL;
	if (fdt_get_reg(fdt, node, 0, &dbase, &dsize) ||
	    fdt_get_reg(fdt, node, 1, &cbase, &csize)) {
		printk("gicv2: bad reg property\n");
		return NULL;
	}
	gicd = ioremap(dbase, dsize);
	gicc = ioremap(cbase, csize);
	if (!gicd || !gicc)
		return NULL;
	wr(gicd, GICD_CTLR, 0);
	/* Every SPI off and aimed nowhere; drivers enable what they use. */
	for (unsigned int i = 1; i < 32; i++)
		wr(gicd, GICD_ICENABLER(i), 0xffffffff);
	wr(gicd, GICD_CTLR, 1);
	return &gicv2_chip;
}
