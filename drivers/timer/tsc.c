// SPDX-License-Identifier: MIT
/*
 * The TSC as the kernel's clock (arch_counter_read() on x86). Its rate is
 * measured against the PIT at boot: on QEMU TCG and on many real CPUs no
 * register reports it.
 */
#include <drivers.h>
#include <kernel.h>
#include <arch.h>
#include <asm/cpu.h>

#define CAL_US		10000	/* one calibration window */
#define CAL_ROUNDS	5
#define CAL_TRIES	200	/* at most 2 s: a loaded host disturbs many */
#define CAL_MAX_POLLS	100000000UL

static uint64_t tsc_hz;		/* set once by tsc_calibrate() */

uint64_t tsc_freq(void) { return tsc_hz; }

bool tsc_is_invariant(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000007 &&
	       (cpuid(0x80000007, 0).edx & CPUID87_EDX_INVTSC);
}

/*
 * One calibration window: TSC ticks while the PIT counts CAL_US. Both ends
 * are bracketed by TSC reads, and a window whose ends are loose (the vCPU
 * was held up while programming the PIT or while it expired) is refused:
 * on an overloaded emulator host that happens often, and either end can
 * move either way. Returns 0 for a refused window, ~0 if the PIT is dead.
 *
 * The end lies between the last poll that found the PIT still counting
 * and the first that found it done, so its bracket starts at the TSC read
 * *before* that last "not yet" poll. (It once started at the read after
 * it: a vCPU held up between that poll's sample and the read let the PIT
 * expire unseen, and the window came out as long as the hold-up. Booted
 * by GRUB under OVMF (UEFI), with one vCPU or four, that happened on most
 * windows, and the TSC and APIC timer came out 1.2-3.2x too fast; under
 * SeaBIOS or PVH only on a heavily loaded host.)
 */
static uint64_t tsc_window(void)
{
	uint64_t before, t0, pre, last_pre, now;
	unsigned long polls = 0;

	before = arch_counter_read();
	pit_oneshot_start(CAL_US);
	t0 = arch_counter_read();
	last_pre = before;
	for (;;) {
		bool done;

		pre = arch_counter_read();
		done = pit_oneshot_done();
		now = arch_counter_read();
		if (done)
			break;
		last_pre = pre;
		if (++polls == CAL_MAX_POLLS)
			return ~0ULL;
	}
	/* A tight window: each end known to within 1% of the window. */
	if ((t0 - before) * 100 > now - t0 || (now - last_pre) * 100 > now - t0)
		return 0;
	return now - t0;
}

/*
 * Boot CPU, before anything needs time. The median of CAL_ROUNDS tight
 * windows; up to CAL_TRIES windows are tried. 0 or -ENODEV.
 */
int tsc_calibrate(void)
{
	uint64_t w[CAL_ROUNDS];
	int n = 0;

	for (int i = 0; i < CAL_TRIES && n < CAL_ROUNDS; i++) {
		uint64_t ticks = tsc_window();

		if (ticks == ~0ULL) {
			printk("tsc: the PIT does not count; cannot calibrate\n");
			return -ENODEV;
		}
		if (ticks)
			w[n++] = ticks;
	}
	if (!n) {
		printk("tsc: no undisturbed calibration window in %d tries\n", CAL_TRIES);
		return -ENODEV;
	}
	for (int i = 1; i < n; i++)		/* insertion sort: n is tiny */
		for (int j = i; j > 0 && w[j] < w[j - 1]; j--) {
			uint64_t x = w[j];

			w[j] = w[j - 1];
			w[j - 1] = x;
		}
	tsc_hz = w[n / 2] * (1000000 / CAL_US);
	if (!tsc_hz || tsc_hz > 10000000000ULL) {
		printk("tsc: implausible rate %llu Hz\n", (unsigned long long)tsc_hz);
		return -ENODEV;
	}
	return 0;
}
