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
#define CAL_ROUNDS	3
#define CAL_MAX_POLLS	100000000UL

static uint64_t tsc_hz;		/* set once by tsc_calibrate() */

uint64_t tsc_freq(void) { return tsc_hz; }

bool tsc_is_invariant(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000007 &&
	       (cpuid(0x80000007, 0).edx & CPUID87_EDX_INVTSC);
}

/*
 * Boot CPU, before anything needs time. A window stretched by the CPU
 * being held up (an emulator thread descheduled) only ever reads long,
 * so the shortest of a few is the best estimate. 0 or -ENODEV.
 */
int tsc_calibrate(void)
{
	uint64_t best = ~0ULL;

	for (int i = 0; i < CAL_ROUNDS; i++) {
		unsigned long polls = 0;
		uint64_t t0;

		pit_oneshot_start(CAL_US);
		t0 = arch_counter_read();
		while (!pit_oneshot_done())
			if (++polls == CAL_MAX_POLLS) {
				printk("tsc: the PIT does not count; cannot calibrate\n");
				return -ENODEV;
			}
		best = min(best, arch_counter_read() - t0);
	}
	tsc_hz = best * (1000000 / CAL_US);
	if (!tsc_hz || tsc_hz > 4000000000ULL) {
		printk("tsc: implausible rate %llu Hz\n", (unsigned long long)tsc_hz);
		return -ENODEV;
	}
	return 0;
}
