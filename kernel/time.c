// SPDX-License-Identifier: MIT
/*
 * Time from the architecture's free-running counter, and the per-CPU
 * tick. Only CPUs with work tick: the idle loop stops the tick, so 256
 * idle vCPUs cost the host nothing.
 */
#include <ktime.h>
#include <arch.h>
#include <percpu.h>
#include <kernel.h>
#include <cpu_watch.h>

/* ns = ticks * mult >> 32, computed without 128-bit arithmetic. */
static uint64_t ns_mult;

struct cpu_tick {
	unsigned long count;
	bool running;
};
static DEFINE_PER_CPU(struct cpu_tick, cpu_tick);

/*
 * (a * mult) >> 32 without a 128-bit type. mult exceeds 32 bits whenever
 * the counter runs below 1 GHz (62.5 MHz on QEMU virt: mult = 16 << 32),
 * so its two halves are multiplied separately: each partial product then
 * fits in 64 bits.
 */
static uint64_t mul_u64_u64_shr32(uint64_t a, uint64_t mult)
{
	uint64_t mult_hi = mult >> 32, mult_lo = mult & 0xffffffffULL;
	uint64_t hi = (a >> 32) * mult_lo, lo = (a & 0xffffffffULL) * mult_lo;

	return a * mult_hi + hi + (lo >> 32);
}

void time_init(void)
{
	uint64_t freq = arch_counter_freq();

	BUG_ON(!freq || freq > 10000000000ULL);
	ns_mult = (1000000000ULL << 32) / freq;
}

uint64_t counter_to_ns(uint64_t ticks)
{
	return mul_u64_u64_shr32(ticks, ns_mult);
}

uint64_t ktime_get_ns(void)
{
	return counter_to_ns(arch_counter_read());
}

void udelay(unsigned long us)
{
	uint64_t end = ktime_get_ns() + us * NSEC_PER_USEC;

	/* Before time_init() (a panic that early) the clock stands still. */
	if (!ns_mult)
		return;
	while (ktime_get_ns() < end)
		cpu_relax();
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}

void tick_start(void)
{
	struct cpu_tick *t = this_cpu_ptr(&cpu_tick);

	if (!t->running) {
		t->running = true;
		arch_timer_set_oneshot(TICK_NS);
	}
}

void tick_stop(void)
{
	struct cpu_tick *t = this_cpu_ptr(&cpu_tick);

	if (t->running) {
		t->running = false;
		arch_timer_stop();
	}
}

/* Timer interrupt: interrupts off, on the CPU whose timer fired. */
void tick_handler(void)
{
	struct cpu_tick *t = this_cpu_ptr(&cpu_tick);

	if (!t->running) {
		arch_timer_stop();
		return;
	}
	arch_timer_set_oneshot(TICK_NS);
	WRITE_ONCE(t->count, t->count + 1);
	watchdog_tick();
	cpu_watcher->tick();	/* RCU's: quiescent states, callbacks; last, like a softirq */
}

unsigned long tick_count(unsigned int cpu)
{
	return READ_ONCE(per_cpu_ptr(&cpu_tick, cpu)->count);
}
