/* SPDX-License-Identifier: MIT */
/* Entry points of the drivers under drivers/, for the arch setup code. */
#ifndef QUIESCE_DRIVERS_H
#define QUIESCE_DRIVERS_H

#include <compiler.h>

struct fdt;
struct irqchip;

/* uart/pl011.c */
void pl011_init(void *base);
void pl011_putc(char c);

/* irq/gicv2.c, irq/gicv3.c: probe the DTB; NULL if no such controller. */
const struct irqchip *gicv2_probe(const struct fdt *fdt);
const struct irqchip *gicv3_probe(const struct fdt *fdt);
/* INTID of the kernel IPI on the GIC. */
#define GIC_IPI_SGI	0

/*
 * irq/bcm_local.c: the BCM2836/2837 "ARM local" block (Raspberry Pi 2
 * and 3): per-core routing of the generic-timer interrupts, and per-core
 * mailboxes, of which mailbox 0 carries the kernel IPI and mailbox 3
 * releases a waiting core. Interrupt numbers are the bits of a core's
 * IRQ source register (as in the DTB binding: 3 is the virtual timer).
 */
const struct irqchip *bcm_local_probe(const struct fdt *fdt);
#define BCM_LOCAL_IPI_IRQ	4	/* mailbox 0 */
/* Release core hwid (MPIDR Aff0), waiting on its mailbox 3, to entry. */
int bcm_local_cpu_on(uint64_t hwid, uintptr_t entry);

/* timer/arm_generic.c */
int arm_timer_probe(const struct fdt *fdt);
void arm_timer_cpu_init(void);
void arm_timer_set_oneshot(uint64_t delta_ns);
void arm_timer_stop(void);
uint64_t arm_timer_freq(void);

/* psci.c: 0 or -ENODEV when the DTB has no PSCI node. */
int psci_probe(const struct fdt *fdt);
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uintptr_t context);
void psci_cpu_off(void);
bool psci_can_cpu_off(void);	/* probed: CPU_OFF is there to call */
__noreturn void psci_system_off(void);
/* 0 on, 1 off, 2 on-pending, or a negative PSCI error. */
int psci_affinity_info(uint64_t mpidr);
const char *psci_conduit_name(void);

/* exit/semihost.c */
__noreturn void semihost_exit(int status);

/* uart/ns16550.c: a 16550 at an I/O port (x86 COM1 = 0x3f8). */
void ns16550_init(uint16_t port, unsigned int baud);
void ns16550_putc(char c);

/*
 * irq/lapic.c: the x86 local APIC whose registers are at base (xAPIC; in
 * x2APIC mode base is unused). NULL if the CPU has none.
 */
const struct irqchip *lapic_probe(uint64_t base);
bool lapic_is_x2apic(void);
/* INIT-SIPI-SIPI: start apic_id in real mode at page entry_pa (< 1 MiB). */
int lapic_start_cpu(uint32_t apic_id, uintptr_t entry_pa);
/* Its halves: INIT, LAPIC_INIT_DELAY_MS for the caller to wait, SIPI-SIPI. */
#define LAPIC_INIT_DELAY_MS	10
int lapic_send_init(uint32_t apic_id);
int lapic_send_startup(uint32_t apic_id, uintptr_t entry_pa);

/* timer/tsc.c: the TSC's rate, measured against the PIT. 0 or -ENODEV. */
int tsc_calibrate(void);
uint64_t tsc_freq(void);
bool tsc_is_invariant(void);

/* timer/lapic_timer.c: the APIC timer as the tick, measured against the TSC. */
int lapic_timer_probe(void);
void lapic_timer_cpu_init(void);
void lapic_timer_set_oneshot(uint64_t delta_ns);
void lapic_timer_stop(void);
uint64_t lapic_timer_freq(void);

/* timer/pit.c: PIT channel 2 as a polled one-shot, up to 55 ms. */
void pit_oneshot_start(unsigned int us);
bool pit_oneshot_done(void);

/* exit/isa_debug.c: QEMU exits with (status << 1) | 1; real PCs halt. */
__noreturn void isa_debug_exit(int status);

#endif
