// SPDX-License-Identifier: MIT
/*
 * The 8254 PIT's channel 2 as a one-shot stopwatch of known rate, to
 * calibrate the clocks whose rate no register tells (TSC, local APIC
 * timer). Channel 2's gate and output are in port 0x61, so it is polled
 * without any interrupt. Boot CPU only.
 */
#include <drivers.h>
#include <asm/io.h>

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_CH2_ONESHOT	0xb0	/* channel 2, low then high byte, mode 0 */
#define PORT_B		0x61
#define PORT_B_GATE2	0x01
#define PORT_B_SPEAKER	0x02
#define PORT_B_OUT2	0x20

void pit_oneshot_start(unsigned int us)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);

	if (count > 0xffff)
		count = 0xffff;		/* about 55 ms at most */
	/* Gate high, speaker off; mode 0 drops OUT2 until the count runs out. */
	outb(PORT_B, (uint8_t)((inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
}

bool pit_oneshot_done(void)
{
	return inb(PORT_B) & PORT_B_OUT2;
}
