/* SPDX-License-Identifier: MIT */
/* Entry points of the drivers under drivers/, for the arch setup code. */
#ifndef QUIESCE_DRIVERS_H
#define QUIESCE_DRIVERS_H

#include <compiler.h>

struct fdt;
struct irqchip;

/* uart/pl011.c, uart/ns16550.c */
void pl011_init(void *base);
void pl011_putc(char c);

/* irq/gicv2.c, irq/gicv3.c: probe the DTB; NULL if no such controller. */
const struct irqchip *gicv2_probe(const struct fdt *fdt);
const struct irqchip *gicv3_probe(const struct fdt *fdt);
/* INTID of the kernel IPI on the GIC. */
#define GIC_IPI_SGI	0

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
__noreturn void psci_system_off(void);
/* 0 on, 1 off, 2 on-pending, or a negative PSCI error. */
int psci_affinity_info(uint64_t mpidr);
const char *psci_conduit_name(void);

/* exit/semihost.c */
__noreturn void semihost_exit(int status);

#endif
