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

#define CAL_US		10000

static uint64_t timer_hz;	/* after the divider; set once at probe */

uint64_t lapic_timer_freq(void) { return timer_hz; }

static void timer_irq_handler(unsigned int irq)
{
	(void)irq;
	tick_handler();
}

/*
 * Boot CPU, local APIC enabled, time_init() done. The rate is the ratio
 * of the two counts over a window, each read right next to the other, so
 * a window stretched by the CPU being held up (an emulator's thread
 * descheduled) does not skew it. 0 or -ENODEV.
 */
int lapic_timer_probe(void)
{
	uint64_t t0, t1, window = tsc_freq() / (1000000 / CAL_US);
	uint32_t left;

	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
	t0 = arch_counter_read();
	do {
		left = lapic_read(APIC_TIMER_CUR);
		t1 = arch_counter_read();
	} while (t1 - t0 < window);
	lapic_write(APIC_TIMER_INIT, 0);
	timer_hz = (uint64_t)(0xffffffffu - left) * tsc_freq() / (t1 - t0);
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
