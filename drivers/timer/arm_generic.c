// SPDX-License-Identifier: MIT
/*
 * The ARM generic timer: the virtual counter is the clock, the EL1
 * virtual timer (a PPI, from the DTB) the per-CPU tick, and the counter's
 * event stream bounds how long a WFE can miss a SEV.
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

/* Boot CPU: counter frequency and the virtual timer's PPI from the DTB. */
int arm_timer_probe(const struct fdt *fdt)
{
	static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer" };
	const uint8_t *cells;
	int node = -1, len;

	for (unsigned int i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	freq = cntfrq_read();
	if (node < 0 || !freq) {
		printk("timer: no generic timer in the DTB (or CNTFRQ is 0)\n");
		return -ENODEV;
	}
	/* interrupts = <type num flags> x4: secure, non-secure, virtual, hyp. */
	cells = fdt_getprop(fdt, node, "interrupts", &len);
	if (!cells || len < 3 * 3 * 4) {
		printk("timer: bad interrupts property\n");
		return -EINVAL;
	}
	/* Virtual timer: entry 2, cell 1 (big-endian). PPI n is INTID n+16. */
	cells += (2 * 3 + 1) * 4;
	timer_irq = ((uint32_t)cells[0] << 24 | (uint32_t)cells[1] << 16 |
		     (uint32_t)cells[2] << 8 | cells[3]) + 16;
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
