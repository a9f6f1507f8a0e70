// SPDX-License-Identifier: MIT
/*
 * The local APIC timer in one-shot mode as the per-CPU tick. Its rate
 * (the bus clock over the divider) is in no register, so it is measured
 * against the TSC, itself calibrated against the PIT (timer/tsc.c).
 */
#include <drivers.h>
#include <irqchip.h>
#include <kernel.h>
#include <ktime.h>
#include <arch.h>
#include <asm/apic.h>

#define CAL_US		10000	/* one calibration window */
#define CAL_TRIES	5

static uint64_t timer_hz;	/* after the divider; set once at probe */

uint64_t lapic_timer_freq(void) { return timer_hz; }

static void timer_irq_handler(unsigned int irq)
{
	(void)irq;
	tick_handler();
}

/*
 * TSC ticks around one access to the APIC: the access happened somewhere
 * in [*before, *after]. A wide bracket means the CPU was held up (an
 * emulator's thread descheduled) and the sample is not to be trusted.
 */
static uint32_t bracketed(bool write, uint64_t *before, uint64_t *after)
{
	uint32_t v = 0;

	*before = arch_counter_read();
	if (write)
		lapic_write(APIC_TIMER_INIT, 0xffffffff);
	else
		v = lapic_read(APIC_TIMER_CUR);
	*after = arch_counter_read();
	return v;
}

/*
 * Boot CPU, local APIC enabled, time_init() done. The rate is the count
 * the timer ran down over a window timed by the TSC, with both ends of
 * the window bracketed; a window whose ends are not both tight is tried
 * again, and the tightest of the tries is used. 0 or -ENODEV.
 */
int lapic_timer_probe(void)
{
	uint64_t window = tsc_freq() / (1000000 / CAL_US), tight = tsc_freq() / 100000;
	uint64_t best_slack = ~0ULL;

	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	for (int i = 0; i < CAL_TRIES && best_slack > tight; i++) {
		uint64_t s0, s1, e0, e1;
		uint32_t left;

		bracketed(true, &s0, &s1);
		do
			left = bracketed(false, &e0, &e1);
		while (e0 - s1 < window);
		lapic_write(APIC_TIMER_INIT, 0);
		if ((s1 - s0) + (e1 - e0) < best_slack) {
			best_slack = (s1 - s0) + (e1 - e0);
			/* Midpoint to midpoint. */
			timer_hz = (uint64_t)(0xffffffffu - left) * tsc_freq() /
				   ((e0 + e1) / 2 - (s0 + s1) / 2);
		}
	}
	if (!timer_hz) {
		printk("timer: the local APIC timer does not count\n");
		return -ENODEV;
	}
	irq_set_handler(TIMER_VECTOR, timer_irq_handler);
	return 0;
}

void lapic_timer_cpu_init(void)
{
	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_timer_stop();
}

void lapic_timer_set_oneshot(uint64_t delta_ns)
{
	uint64_t count = delta_ns * (timer_hz / 1000) / 1000000;

	if (count > 0xffffffffu)
		count = 0xffffffffu;
	lapic_write(APIC_LVT_TIMER, TIMER_VECTOR);	/* one-shot, unmasked */
	lapic_write(APIC_TIMER_INIT, count ? (uint32_t)count : 1);
}

void lapic_timer_stop(void)
{
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, 0);
}
