// SPDX-License-Identifier: MIT
/*
 * ARM GICv3: memory-mapped distributor and redistributors, system-register
 * CPU interface (QEMU virt above 8 CPUs). Affinity routing; everything is
 * non-secure group 1 at one priority. The kernel IPI is SGI 0, addressed
 * by affinity through ICC_SGI1R.
 */
#include <drivers.h>
#include <irqchip.h>
#include <fdt.h>
#include <mm.h>
#include <kernel.h>
#include <smp.h>
#include <ktime.h>
#include <asm/gic_v3.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_GRP1		(1u << 1)
#define GICD_CTLR_GRP0		(1u << 0)
#define GICD_TYPER		0x0004
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))

#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1u << 1)
#define GICR_TYPER_LAST		(1u << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1u << 1)
#define GICR_WAKER_ASLEEP	(1u << 2)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI_BASE + 0x0180)
#define GICR_IPRIORITYR(n)	(GICR_SGI_BASE + 0x0400 + 4 * (n))

#define MAX_REDIST_REGIONS	8

static volatile uint8_t *gicd;
/* Every redistributor frame and whose it is, found once at probe. */
static struct redist_frame {
	uint64_t aff;		/* GICR_TYPER's affinity: Aff3.Aff2.Aff1.Aff0 */
	volatile uint8_t *base;
} frames[NR_CPUS];
static unsigned int nr_frames;
static DEFINE_PER_CPU(volatile uint8_t *, gicr);	/* this CPU's redistributor */

static inline uint32_t rd32(volatile uint8_t *b, unsigned int off) { return *(volatile uint32_t *)(b + off); }
static inline uint64_t rd64(volatile uint8_t *b, unsigned int off) { return *(volatile uint64_t *)(b + off); }
static inline void wr32(volatile uint8_t *b, unsigned int off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }

static void wait_rwp(void)
{
	uint64_t deadline = ktime_get_ns() + 100 * NSEC_PER_MSEC;

	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		if (ktime_get_ns() > deadline)
			panic("gicv3: distributor register write never completed");
}

/*
 * Walk one redistributor region's frames into frames[]. Done once, by
 * the boot CPU, so bringing up N CPUs reads N GICR_TYPERs, not the
 * N^2/2 of each CPU walking the regions for its own frame.
 */
static void scan_redist(volatile uint8_t *base, uint64_t size)
{
	for (uint64_t off = 0; off + 0x20000 <= size && nr_frames < NR_CPUS;) {
		volatile uint8_t *f = base + off;
		uint64_t typer = rd64(f, GICR_TYPER);

		frames[nr_frames++] = (struct redist_frame){ typer >> 32, f };
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
}

/* The redistributor frame whose affinity is aff, or NULL. */
static volatile uint8_t *find_redist(uint64_t aff)
{
	for (unsigned int i = 0; i < nr_frames; i++)
		if (frames[i].aff == aff)
			return frames[i].base;
	return NULL;
}

static void gicv3_cpu_init(unsigned int cpu)
{
	volatile uint8_t *r = find_redist(gic_cpu_affinity());
	uint64_t deadline;

	if (!r)
		panic("gicv3: no redistributor for CPU %u (affinity %#llx)", cpu,
		      (unsigned long long)gic_cpu_affinity());
	*this_cpu_ptr(&gicr) = r;
	wr32(r, GICR_WAKER, rd32(r, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	deadline = ktime_get_ns() + 100 * NSEC_PER_MSEC;
	while (rd32(r, GICR_WAKER) & GICR_WAKER_ASLEEP)
		if (ktime_get_ns() > deadline)
			panic("gicv3: redistributor of CPU %u does not wake", cpu);
	wr32(r, GICR_ICENABLER0, 0xffffffff);
	wr32(r, GICR_IGROUPR0, 0xffffffff);
	for (unsigned int i = 0; i < 8; i++)
		wr32(r, GICR_IPRIORITYR(i), 0xa0a0a0a0);
	wr32(r, GICR_ISENABLER0, 1u << GIC_IPI_SGI);

	icc_sre_write(icc_sre_read() | 1);	/* system-register interface */
	icc_pmr_write(0xf0);
	icc_igrpen1_write(1);
}

static void gicv3_enable(unsigned int irq)
{
	volatile uint8_t *r = __this_cpu_read(gicr);

	if (irq < 32)
		wr32(r, GICR_ISENABLER0, 1u << irq);
	else
		panic("gicv3: SPIs are not used");
}

static void gicv3_send_ipi(unsigned int cpu)
{
	uint64_t aff = gic_hwid_affinity(cpu_hwid(cpu));
	uint64_t aff0 = aff & 0xff;

	icc_sgi1r_write(((aff >> 24) & 0xff) << 48 |	/* Aff3 */
			((aff >> 16) & 0xff) << 32 |	/* Aff2 */
			(aff0 / 16) << 44 |		/* RS: which 16 of Aff0 */
			(uint64_t)GIC_IPI_SGI << 24 |
			((aff >> 8) & 0xff) << 16 |	/* Aff1 */
			(1u << (aff0 % 16)));		/* target list */
}

static unsigned int gicv3_ack(uint32_t *token)
{
	uint32_t iar = icc_iar1_read();
	unsigned int irq = iar & 0xffffff;

	*token = iar;
	return irq >= 1020 && irq <= 1023 ? IRQ_SPURIOUS : irq;
}

static void gicv3_eoi(uint32_t token)
{
	icc_eoir1_write(token);
}

static const struct irqchip gicv3_chip = {
	.name = "GICv3",
	.cpu_init = gicv3_cpu_init,
	.enable = gicv3_enable,
	.send_ipi = gicv3_send_ipi,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
};

const struct irqchip *gicv3_probe(const struct fdt *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	uint32_t nregions = 1;
	uint64_t base, size;
	unsigned int lines;

	if (node < 0)
		return NULL;
	fdt_read_u32(fdt, node, "#redistributor-regions", &nregions);
	if (nregions == 0 || nregions > MAX_REDIST_REGIONS ||
	    fdt_get_reg(fdt, node, 0, &base, &size)) {
		printk("gicv3: bad DTB node\n");
		return NULL;
	}
	gicd = ioremap(base, size);
	if (!gicd)
		return NULL;
	for (unsigned int i = 0; i < nregions; i++) {
		volatile uint8_t *r;

		if (fdt_get_reg(fdt, node, 1 + i, &base, &size)) {
			printk("gicv3: missing redistributor region %u\n", i);
			return NULL;
		}
		r = ioremap(base, size);
		if (!r)
			return NULL;
		scan_redist(r, size);
	}
	wr32(gicd, GICD_CTLR, 0);
	wait_rwp();
	lines = 32 * ((rd32(gicd, GICD_TYPER) & 0x1f) + 1);
	for (unsigned int i = 1; i < lines / 32; i++) {
		wr32(gicd, GICD_ICENABLER(i), 0xffffffff);
		wr32(gicd, GICD_IGROUPR(i), 0xffffffff);
	}
	wait_rwp();
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0);
	wait_rwp();
	return &gicv3_chip;
}
