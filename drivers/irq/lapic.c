// SPDX-License-Identifier: MIT
/*
 * The x86 local APIC as the kernel's interrupt controller: xAPIC through
 * its MMIO page, or x2APIC through MSRs when the CPU offers it. There is
 * no I/O APIC here: the only interrupts are the local timer and IPIs, and
 * the CPU delivers each straight to its IDT vector, so "ack" hands back
 * the vector the entry code recorded, and "eoi" writes the EOI register.
 */
#include <drivers.h>
#include <irqchip.h>
#include <arch.h>
#include <kernel.h>
#include <ktime.h>
#include <mm.h>
#include <percpu.h>
#include <smp.h>
#include <asm/apic.h>
#include <asm/cpu.h>

#define X2APIC_MSR(reg)		(0x800 + ((reg) >> 4))
#define X2APIC_MSR_ICR		0x830
#define ICR_WAIT_SPINS		1000000

static volatile uint32_t *lapic_mmio;	/* xAPIC registers; set once at probe */
static bool x2apic;			/* set once at probe */
/* The vector being handled on this CPU, 0 when there is none. */
static DEFINE_PER_CPU(unsigned int, lapic_vector);

uint32_t lapic_read(unsigned int reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR(reg));
	return lapic_mmio[reg / 4];
}

void lapic_write(unsigned int reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		lapic_mmio[reg / 4] = v;
}

uint32_t lapic_id(void)
{
	return x2apic ? lapic_read(APIC_ID) : lapic_read(APIC_ID) >> 24;
}

bool lapic_is_x2apic(void) { return x2apic; }

int lapic_send_icr(uint32_t dest, uint32_t icr)
{
	/* Interrupts off: an IPI sent from a handler must not land between
	 * the two halves of an xAPIC ICR write. */
	unsigned long flags = arch_irq_save();
	int err = 0;

	if (x2apic) {
		wrmsr(X2APIC_MSR_ICR, (uint64_t)dest << 32 | icr);
	} else {
		lapic_write(APIC_ICR_HIGH, dest << 24);
		lapic_write(APIC_ICR, icr);
		err = -ETIMEDOUT;
		for (unsigned int i = 0; i < ICR_WAIT_SPINS; i++) {
			if (!(lapic_read(APIC_ICR) & APIC_ICR_BUSY)) {
				err = 0;
				break;
			}
			cpu_relax();
		}
	}
	arch_irq_restore(flags);
	return err;
}

void lapic_set_vector(unsigned int vector)
{
	__this_cpu_write(lapic_vector, vector);
}

static void lapic_cpu_init(unsigned int cpu)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	(void)cpu;
	/* Enable first: x2APIC mode is only reachable from enabled xAPIC. */
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (x2apic && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);	/* no 8259 behind it */
	lapic_write(APIC_LVT_LINT1, APIC_LVT_NMI);
	lapic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(APIC_EOI, 0);	/* anything the firmware left in service */
}

/* The timer and the IPI need no routing: their vectors are fixed. */
static void lapic_enable(unsigned int irq)
{
	(void)irq;
}

static void lapic_send_ipi(unsigned int cpu)
{
	/*
	 * The caller's locked RMW (send_ipi() in kernel/smp.c) drained this
	 * CPU's stores, so the request is visible before the IPI: that also
	 * covers x2APIC, whose ICR write (WRMSR) does not serialize.
	 */
	if (lapic_send_icr((uint32_t)cpu_hwid(cpu), APIC_ICR_FIXED | APIC_ICR_ASSERT | IPI_VECTOR))
		printk("lapic: IPI to CPU %u not accepted\n", cpu);
}

static unsigned int lapic_ack(uint32_t *token)
{
	unsigned int v = __this_cpu_read(lapic_vector);

	__this_cpu_write(lapic_vector, 0);
	*token = v;
	return v ? v : IRQ_SPURIOUS;
}

static void lapic_eoi(uint32_t token)
{
	(void)token;
	lapic_write(APIC_EOI, 0);
}

static const struct irqchip lapic_chip = {
	.name = "local APIC",
	.cpu_init = lapic_cpu_init,
	.enable = lapic_enable,
	.send_ipi = lapic_send_ipi,
	.ack = lapic_ack,
	.eoi = lapic_eoi,
};

const struct irqchip *lapic_probe(uint64_t base)
{
	struct cpuid id = cpuid(1, 0);

	if (!(id.edx & CPUID1_EDX_APIC)) {
		printk("lapic: this CPU has no local APIC\n");
		return NULL;
	}
	/* x2APIC when offered, and always when the firmware already chose it. */
	x2apic = (id.ecx & CPUID1_ECX_X2APIC) || (rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC);
	if (!x2apic) {
		lapic_mmio = ioremap(base, PAGE_SIZE);
		if (!lapic_mmio) {
			printk("lapic: cannot map the registers at %#llx\n",
			       (unsigned long long)base);
			return NULL;
		}
	}
	return &lapic_chip;
}

/*
 * The MP initialization protocol of the Intel SDM, in two halves: INIT
 * puts the CPU with APIC id apic_id into wait-for-SIPI, and the caller
 * waits LAPIC_INIT_DELAY_MS; then two start-up IPIs, 200 us apart, start
 * it in real mode at the page entry_pa (below 1 MiB, page aligned).
 * 0 or -ETIMEDOUT.
 */
int lapic_send_init(uint32_t apic_id)
{
	if (!x2apic)
		lapic_write(APIC_ESR, 0);
	return lapic_send_icr(apic_id, APIC_ICR_INIT | APIC_ICR_ASSERT);
}

int lapic_send_startup(uint32_t apic_id, uintptr_t entry_pa)
{
	uint32_t sipi = APIC_ICR_STARTUP | APIC_ICR_ASSERT | (uint32_t)(entry_pa >> 12);
	int err = 0;

	for (int i = 0; i < 2 && !err; i++) {
		err = lapic_send_icr(apic_id, sipi);
		udelay(200);
	}
	return err;
}

int lapic_start_cpu(uint32_t apic_id, uintptr_t entry_pa)
{
	int err = lapic_send_init(apic_id);

	mdelay(LAPIC_INIT_DELAY_MS);
	return err ? err : lapic_send_startup(apic_id, entry_pa);
}
