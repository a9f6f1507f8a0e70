// SPDX-License-Identifier: MIT
/*
 * The ARM generic timer: the virtual counter is the clock, the EL1
 * virtual timer (an interrupt from the DTB) the per-CPU tick, and the
 * counter's event stream bounds how long a WFE can miss a SEV. Shared by
 * arm64 and armv7 (<asm/arm_timer.h> has the register accessors).
 */
#include <drivers.h>
#include <irqchip.h>
#include <fdt.h>
#include <kernel.h>
#include <ktime.h>
#include <asm/arm_timer.h>

#define CNTV_CTL_ENABLE		(1u << 0)
#define CNTV_CTL_IMASK		(1u << 1)
#define CNTKCTL_EVNTEN		(1u << 2)
#define CNTKCTL_EVNTI_SHIFT	4

static uint64_t freq;
static unsigned int timer_irq;

static void timer_irq_handler(unsigned int irq)
{
	(void)irq;
	tick_handler();
}

uint64_t arm_timer_freq(void) { return freq; }

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* #interrupt-cells of node's interrupt parent (inherited from ancestors). */
static int parent_interrupt_cells(const struct fdt *fdt, int node)
{
	uint32_t phandle, n;

	for (; node >= 0; node = fdt_parent_offset(fdt, node))
		if (!fdt_read_u32(fdt, node, "interrupt-parent", &phandle))
			break;
	if (node < 0)
		return -ENOENT;
	node = fdt_node_offset_by_phandle(fdt, phandle);
	if (node < 0 || fdt_read_u32(fdt, node, "#interrupt-cells", &n))
		return -EINVAL;
	return (int)n;
}

/* Boot CPU: counter frequency and the virtual timer's interrupt from the DTB. */
int arm_timer_probe(const struct fdt *fdt)
{
	static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer" };
	const uint8_t *cells;
	int node = -1, len, ncells;

	for (unsigned int i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	freq = cntfrq_read();
	if (node < 0 || !freq) {
		printk("timer: no generic timer in the DTB (or CNTFRQ is 0)\n");
		return -ENODEV;
	}
	/*
	 * interrupts = four specifiers: secure, non-secure, virtual, hyp. On
	 * a GIC a specifier is <type num flags> and PPI num is INTID num+16;
	 * on the BCM2836 local controller it is <num flags>, num being the
	 * controller's own interrupt number.
	 */
	ncells = parent_interrupt_cells(fdt, node);
	cells = fdt_getprop(fdt, node, "interrupts", &len);
	if ((ncells != 2 && ncells != 3) || !cells || len < 3 * ncells * 4) {
		printk("timer: bad interrupts property\n");
		return -EINVAL;
	}
	cells += 2 * ncells * 4;		/* the virtual timer's */
	if (ncells == 3)
		timer_irq = be32_at(cells + 4) + 16;
	else
		timer_irq = be32_at(cells);
	irq_set_handler(timer_irq, timer_irq_handler);
	return 0;
}

void arm_timer_cpu_init(void)
{
	unsigned int evnti = 0;

	/* Event stream at about 10 kHz: freq / 2^(evnti+1) <= 10000. */
	while (evnti < 15 && (freq >> (evnti + 1)) > 10000)
		evnti++;
	cntkctl_write(CNTKCTL_EVNTEN | (evnti << CNTKCTL_EVNTI_SHIFT));
	cntv_ctl_write(CNTV_CTL_IMASK);
	irqchip->enable(timer_irq);
}

void arm_timer_set_oneshot(uint64_t delta_ns)
{
	uint64_t ticks = delta_ns * (freq / 1000) / 1000000;

	cntv_tval_write(ticks ? ticks : 1);
	cntv_ctl_write(CNTV_CTL_ENABLE);
}

void arm_timer_stop(void)
{
	cntv_ctl_write(CNTV_CTL_IMASK);
}
