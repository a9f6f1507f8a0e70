// SPDX-License-Identifier: MIT
/*
 * arm64 machine setup from the DTB: console, memory, interrupt controller,
 * timer, PSCI and the CPU list; and the per-CPU hooks of <arch.h>.
 */
#include <arch.h>
#include <drivers.h>
#include <fdt.h>
#include <harness.h>
#include <irqchip.h>
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <ktime.h>
#include "arm64.h"

extern char _text[], _end[];
extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern char __tls_align[];

static struct fdt fdt;
static char cmdline[1024];

const char *arch_cmdline(void) { return cmdline; }
uint64_t arch_counter_freq(void) { return arm_timer_freq(); }
void arch_console_putc(char c) { pl011_putc(c); }
void arch_send_ipi(unsigned int cpu) { irqchip->send_ipi(cpu); }
void arch_timer_set_oneshot(uint64_t delta_ns) { arm_timer_set_oneshot(delta_ns); }
void arch_timer_stop(void) { arm_timer_stop(); }

void dcache_clean_range(const void *start, size_t size)
{
	uintptr_t a = ALIGN_DOWN((uintptr_t)start, 64), end = (uintptr_t)start + size;

	for (; a < end; a += 64)
		__asm__ __volatile__("dc cvac, %0" :: "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static void ipi_irq_handler(unsigned int irq)
{
	(void)irq;
	smp_ipi_handler();
}

/*
 * picolibc keeps errno in thread-local storage, reached through TPIDR_EL0:
 * give each CPU a block laid out as AArch64 TLS variant 1 (a 16-byte TCB,
 * then .tdata, then zeroed .tbss).
 */
static int tls_init(void)
{
	size_t align = max((size_t)(uintptr_t)__tls_align, (size_t)16);
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	size_t tbss = (size_t)(__tbss_end - __tbss_start);
	size_t off = ALIGN_UP((size_t)16, align);
	uint8_t *block = kzalloc(off + tdata + tbss + align);

	if (!block)
		return -ENOMEM;
	block = (uint8_t *)ALIGN_UP((uintptr_t)block, align);
	memcpy(block + off, __tdata_start, tdata);
	__asm__ __volatile__("msr tpidr_el0, %0" :: "r"(block));
	return 0;
}

static void find_console(void)
{
	uint64_t base, size;
	int node;

	if (fdt_stdout_path(&fdt, &node) || fdt_node_check_compatible(&fdt, node, "arm,pl011"))
		node = fdt_node_offset_by_compatible(&fdt, -1, "arm,pl011");
	if (node < 0 || fdt_get_reg(&fdt, node, 0, &base, &size))
		return;		/* no console: the run still reports its status */
	pl011_init(ioremap(base, size));
}

static void add_memory(uintptr_t dtb)
{
	uint64_t base, size;
	int i;

	for (i = 0; !fdt_memory_region(&fdt, i, &base, &size); i++) {
		page_alloc_add_region(base, size);
		if (arch_map(base, base, size, PROT_READ | PROT_WRITE | MAP_SKIP_MAPPED))
			panic("arm64: cannot map RAM at %#llx", (unsigned long long)base);
	}
	if (i == 0)
		panic("arm64: the DTB describes no memory");
	page_alloc_reserve((uintptr_t)_text, (uintptr_t)_end - (uintptr_t)_text);
	page_alloc_reserve(dtb, fdt_totalsize(&fdt));
	for (i = 0; i < fdt_num_mem_rsv(&fdt); i++)
		if (!fdt_get_mem_rsv(&fdt, i, &base, &size))
			page_alloc_reserve(base, size);
}

static uint64_t read_mpidr(void)
{
	uint64_t m;

	__asm__("mrs %0, mpidr_el1" : "=r"(m));
	return m & 0xff00ffffffULL;	/* the affinity fields */
}

static void add_cpus(void)
{
	uint64_t me = read_mpidr(), hwid;
	int n = fdt_cpu_count(&fdt);

	smp_add_cpu(me);	/* the boot CPU is CPU 0 */
	for (int i = 0; i < n; i++) {
		if (fdt_cpu_reg(&fdt, i, &hwid) || hwid == me)
			continue;
		if (smp_add_cpu(hwid) < 0) {
			printk("smp: more than %d CPUs; ignoring the rest\n", NR_CPUS);
			break;
		}
	}
}

void arch_early_init(uintptr_t dtb)
{
	const char *args = "";

	if (fdt_init(&fdt, (const void *)dtb, 1 << 21))
		semihost_exit(EXIT_PANIC);	/* no DTB, no console: say so by status */
	find_console();
	add_memory(dtb);
	if (tls_init())
		panic("arm64: no memory for TLS");
	if (!fdt_chosen_bootargs(&fdt, &args) && strlen(args) < sizeof(cmdline))
		memcpy(cmdline, args, strlen(args) + 1);
	if (arm_timer_probe(&fdt))
		panic("arm64: no usable generic timer");
	time_init();
	irqchip = gicv3_probe(&fdt);
	if (!irqchip)
		irqchip = gicv2_probe(&fdt);
	if (!irqchip)
		panic("arm64: no supported interrupt controller in the DTB");
	irq_set_handler(GIC_IPI_SGI, ipi_irq_handler);
	psci_probe(&fdt);
	add_cpus();
	printk("arm64: %lu MiB RAM, %s, PSCI via %s, timer %llu Hz\n",
	       nr_total_pages() >> (20 - PAGE_SHIFT), irqchip->name,
	       psci_conduit_name(), (unsigned long long)arm_timer_freq());
}

void arch_cpu_init(unsigned int cpu)
{
	if (cpu && tls_init())
		panic("arm64: no memory for TLS on CPU %u", cpu);
	irqchip->cpu_init(cpu);
	arm_timer_cpu_init();
}

int arch_cpu_start(unsigned int cpu)
{
	int err = stacks_alloc(cpu);

	if (err)
		return err;
	err = psci_cpu_on(cpu_hwid(cpu), (uintptr_t)secondary_entry, cpu);
	return err ? -EIO : 0;
}

void arch_cpu_stop_self(void)
{
	psci_cpu_off();
}

void arch_halt(void)
{
	arch_irq_disable();
	for (;;)
		__asm__ __volatile__("wfi");
}

void arch_exit(int status)
{
	semihost_exit(status);
}
