// SPDX-License-Identifier: MIT
/*
 * x86_64 machine setup: console, clocks, the boot loader's memory map and
 * command line, ACPI's CPU list, paging, the local APIC and its timer;
 * and the per-CPU hooks of <arch.h>.
 */
#include <acpi.h>
#include <arch.h>
#include <atomic.h>
#include <drivers.h>
#include <harness.h>
#include <irqchip.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include "x86_64.h"

#define COM1		0x3f8
#define LOW_MEMORY_END	0x100000	/* below: BIOS areas, trampoline; never allocated */
#define PIC1		0x20
#define PIC2		0xa0

extern char _text[], _end[];

static bool trampoline_ready;	/* boot CPU only */

const char *arch_cmdline(void) { return boot_info.cmdline; }
uint64_t arch_counter_freq(void) { return tsc_freq(); }
void arch_console_putc(char c) { ns16550_putc(c); }
void arch_send_ipi(unsigned int cpu) { irqchip->send_ipi(cpu); }
void arch_timer_set_oneshot(uint64_t delta_ns) { lapic_timer_set_oneshot(delta_ns); }
void arch_timer_stop(void) { lapic_timer_stop(); }

static void ipi_irq_handler(unsigned int irq)
{
	(void)irq;
	smp_ipi_handler();
}

/*
 * The 8259 PICs: moved off the exception vectors (a BIOS leaves them at
 * 0x08) and masked. Interrupts come from the local APIC only.
 */
static void pic_disable(void)
{
	outb(PIC1, 0x11);		/* ICW1: init, ICW4 follows */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, PIC_VECTOR_BASE);
	outb(PIC2 + 1, PIC_VECTOR_BASE + 8);
	outb(PIC1 + 1, 4);		/* ICW3: the slave is on IRQ 2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);		/* ICW4: 8086 mode */
	outb(PIC2 + 1, 1);
	outb(PIC1 + 1, 0xff);		/* mask everything */
	outb(PIC2 + 1, 0xff);
}

static bool in_ram(uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct mem_region *r = &boot_info.mem[i];

		if (r->type == E820_RAM && base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

/*
 * ACPI's view of physical memory while head.S's identity map of the first
 * 4 GiB is live: the first MiB (BIOS areas), and ranges inside one entry
 * of the boot loader's memory map, whatever its type. Anything else (a
 * corrupt table pointer into device space) is refused, not read.
 */
static const void *acpi_map_boot(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (!pa || !len || pa + len < pa || pa + len > (1ULL << 32))
		return NULL;
	if (pa + len <= LOW_MEMORY_END)
		return (const void *)(uintptr_t)pa;
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct mem_region *r = &boot_info.mem[i];

		if (pa >= r->base && pa + len <= r->base + r->size)
			return (const void *)(uintptr_t)pa;
	}
	return NULL;
}

/* The boot CPU's APIC id, from CPUID (no MMIO needed). */
static uint32_t boot_apic_id(void)
{
	if (cpuid(0, 0).eax >= 0xb && (cpuid(1, 0).ecx & CPUID1_ECX_X2APIC))
		return cpuid(0xb, 0).edx;
	return cpuid(1, 0).ebx >> 24;
}

static void add_cpu(void *arg, uint32_t apic_id, uint32_t flags)
{
	static bool full;

	(void)arg;
	/* The boot CPU is already CPU 0; x2APIC entries may repeat xAPIC ones. */
	if (!(flags & ACPI_CPU_ENABLED) || apic_id == 0xffffffffu ||
	    cpu_from_hwid(apic_id) >= 0 || full)
		return;
	if (smp_add_cpu(apic_id) < 0) {
		printk("smp: more than %d CPUs; ignoring the rest\n", NR_CPUS);
		full = true;
	}
}

/* Register the CPUs the MADT lists; returns the local APIC's address. */
static uint64_t find_cpus(void)
{
	struct acpi_mem mem = { .map = acpi_map_boot };
	struct acpi_madt_info info = { 0 };
	const struct acpi_sdt *madt = NULL;
	struct acpi_rsdp rsdp;
	uint64_t lapic_base = rdmsr(MSR_APIC_BASE) & ~0xfffULL;
	int err;

	smp_add_cpu(boot_apic_id());	/* the boot CPU is CPU 0 */
	if (boot_info.rsdp_len)
		err = acpi_rsdp_check(boot_info.rsdp, boot_info.rsdp_len, &rsdp);
	else if (boot_info.rsdp_pa)
		err = acpi_rsdp_at(&mem, boot_info.rsdp_pa, &rsdp);
	else
		err = acpi_rsdp_scan(&mem, &rsdp);
	if (!err)
		madt = acpi_find_table(&mem, &rsdp, "APIC", &err);
	if (!err)
		err = acpi_madt_parse(madt, &info, add_cpu, NULL);
	if (err) {
		/* Bad firmware tables: the run goes on with one CPU, and fails. */
		printk("acpi: no usable MADT (error %d); running on the boot CPU only, "
		       "and the run fails\n", err);
		harness_report(false);
		return lapic_base;
	}
	return info.lapic_base;
}

/* The real-mode start page for secondary CPUs; written on the boot map. */
static void trampoline_init(void)
{
	size_t size = (size_t)(ap_trampoline_end - ap_trampoline);

	BUG_ON(size > PAGE_SIZE);
	if (!in_ram(TRAMPOLINE_PA, PAGE_SIZE)) {
		printk("smp: %#x is not free RAM; secondary CPUs cannot start\n", TRAMPOLINE_PA);
		return;
	}
	memcpy((void *)(uintptr_t)TRAMPOLINE_PA, ap_trampoline, size);
	trampoline_ready = true;
}

/* Map RAM above 1 MiB and hand it to the page allocator, minus the kernel. */
static void add_memory(void)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct mem_region *r = &boot_info.mem[i];
		uint64_t base = ALIGN_UP(max(r->base, (uint64_t)LOW_MEMORY_END), PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);

		if (r->type != E820_RAM || end <= base)
			continue;
		if (arch_map(base, base, end - base, PROT_READ | PROT_WRITE | MAP_SKIP_MAPPED))
			panic("x86_64: cannot map RAM at %#llx", (unsigned long long)base);
		page_alloc_add_region(base, end - base);
	}
	page_alloc_reserve((uintptr_t)_text, (uintptr_t)_end - (uintptr_t)_text);
	if (!nr_free_pages())
		panic("x86_64: the memory map has no RAM above 1 MiB");
}

void arch_early_init(uintptr_t info)
{
	uint64_t lapic_base;

	ns16550_init(COM1, 115200);
	/* No clock: the message is printed, and the run still ends with
	 * SUMMARY (harness_finish() needs no clock). */
	if (tsc_calibrate())
		harness_finish(EXIT_PANIC);
	time_init();
	pic_disable();
	if (boot_info_parse(x86_boot_protocol, info))
		panic("x86_64: no usable boot information from the boot loader");
	lapic_base = find_cpus();
	trampoline_init();
	mmu_init();
	add_memory();
	irqchip = lapic_probe(lapic_base);
	if (!irqchip)
		panic("x86_64: no usable local APIC");
	irq_set_handler(IPI_VECTOR, ipi_irq_handler);
	irqchip->cpu_init(0);
	if (lapic_timer_probe())
		panic("x86_64: no usable local APIC timer");
	printk("x86_64: %lu MiB RAM, booted via %s, %s (%s), TSC %llu kHz%s, APIC timer %llu kHz\n",
	       nr_total_pages() >> (20 - PAGE_SHIFT), boot_info.protocol, irqchip->name,
	       lapic_is_x2apic() ? "x2APIC" : "xAPIC", (unsigned long long)(tsc_freq() / 1000),
	       tsc_is_invariant() ? " invariant" : "",
	       (unsigned long long)(lapic_timer_freq() / 1000));
}

/* head.S, boot CPU: interrupts off, on the boot stack, boot map live. */
__noreturn void x86_boot_start(uintptr_t info);
void x86_boot_start(uintptr_t info)
{
	extern char boot_df_stack_top[], boot_nmi_stack_top[];

	x86_cpus[0].id = 0;
	cpu_tables_init();
	cpu_set_tss(0, (uintptr_t)boot_df_stack_top, (uintptr_t)boot_nmi_stack_top);
	cpu_load_tables(0);
	kernel_main(info);
}

/* head.S, a secondary CPU on its own thread stack, interrupts off. */
__noreturn void ap_start(unsigned int cpu);
void ap_start(unsigned int cpu)
{
	cpu_load_tables(cpu);
	secondary_start(cpu);
}

void arch_cpu_init(unsigned int cpu)
{
	irqchip->cpu_init(cpu);
	if (lapic_id() != cpu_hwid(cpu))
		panic("x86_64: CPU %u has APIC id %#x, but was started as %#llx",
		      cpu, lapic_id(), (unsigned long long)cpu_hwid(cpu));
	lapic_timer_cpu_init();
}

/*
 * At boot every AP gets its INIT in one batch, and the 10 ms the SDM asks
 * for after INIT pass once instead of once per CPU (2.6 s of the 4.3 s
 * that bringing 255 CPUs online took); each AP then needs only its
 * start-up IPIs. A CPU started again later (cpu_up()) gets all three.
 * Serialised by the callers: the boot CPU, then cpu_hotplug_lock.
 */
static bool aps_inited;
static bool awaiting_sipi[NR_CPUS];

static void init_all_aps(void)
{
	aps_inited = true;
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++)
		awaiting_sipi[cpu] = !lapic_send_init((uint32_t)cpu_hwid(cpu));
	mdelay(LAPIC_INIT_DELAY_MS);
}

int arch_cpu_start(unsigned int cpu)
{
	uint32_t apic_id = (uint32_t)cpu_hwid(cpu);
	int err;

	if (!trampoline_ready)
		return -ENODEV;
	if (!aps_inited)
		init_all_aps();
	err = stacks_alloc(cpu);
	if (err)
		return err;
	x86_cpus[cpu].id = cpu;
	cpu_set_tss(cpu, cpu_stacks[cpu].df_top, cpu_stacks[cpu].nmi_top);
	/* Release: the CPU's claim of its index (an xchg) sees all of the above. */
	smp_store_release(&ap_boot_cpu, (int)cpu);
	if (awaiting_sipi[cpu]) {
		awaiting_sipi[cpu] = false;
		return lapic_send_startup(apic_id, TRAMPOLINE_PA);
	}
	return lapic_start_cpu(apic_id, TRAMPOLINE_PA);
}

/* No firmware call takes a CPU off: it halts until an INIT restarts it. */
/* A CPU goes offline by halting; INIT-SIPI-SIPI brings it back. */
bool arch_cpu_can_stop(void)
{
	return true;
}

void arch_cpu_stop_self(void)
{
	lapic_timer_stop();
	arch_halt();
}

void arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli\n\thlt" ::: "memory");
}

void arch_exit(int status)
{
	isa_debug_exit(status);
}
