/* SPDX-License-Identifier: MIT */
/*
 * The local APIC: register offsets (xAPIC MMIO offsets; in x2APIC mode
 * register r is MSR 0x800 + r / 16) and the vectors the kernel uses.
 * drivers/irq/lapic.c owns the access mode; the timer driver and the
 * CPU start-up code use these accessors.
 */
#ifndef QUIESCE_ASM_APIC_H
#define QUIESCE_ASM_APIC_H

#include <compiler.h>

#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ESR		0x280
#define APIC_ICR		0x300	/* low half; the high half is at 0x310 */
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INIT		0x380
#define APIC_TIMER_CUR		0x390
#define APIC_TIMER_DIV		0x3e0

#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_NMI		(4u << 8)
#define APIC_TIMER_DIV_16	0x3

#define APIC_ICR_FIXED		(0u << 8)
#define APIC_ICR_INIT		(5u << 8)
#define APIC_ICR_STARTUP	(6u << 8)
#define APIC_ICR_BUSY		(1u << 12)	/* xAPIC: delivery pending */
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_ICR_LEVEL		(1u << 15)

/*
 * Vectors 0-31 are exceptions; the legacy PICs are moved to 0x20-0x2f and
 * masked, so a stray PIC interrupt is recognisable. The kernel's own
 * vectors sit in the highest priority class.
 */
#define PIC_VECTOR_BASE		0x20
#define TIMER_VECTOR		0xef
#define IPI_VECTOR		0xf0
#define SPURIOUS_VECTOR		0xff

/* Register access in the mode lapic_probe() chose. Any CPU, any context. */
uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t v);

/* This CPU's APIC id (x2APIC: 32 bits, xAPIC: 8). */
uint32_t lapic_id(void);
/*
 * Send an IPI with ICR low word icr to the CPU with APIC id dest and wait
 * (bounded) until the APIC accepted it. 0 or -ETIMEDOUT.
 */
int lapic_send_icr(uint32_t dest, uint32_t icr);

/* Set by the interrupt entry before irq_handle(): the vector taken. */
void lapic_set_vector(unsigned int vector);

#endif
