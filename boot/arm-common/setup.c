// SPDX-License-Identifier: MIT
/*
 * ARM machine setup from the DTB, shared by arm64 and armv7: console,
 * memory, interrupt controller, timer and the CPU list; and the per-CPU
 * hooks of <arch.h> that are the same on both instruction sets.
 *
 * Which interrupt controllers and CPU-start methods a board can have is
 * decided by the board file's BOARD_DRIVERS: the probes of drivers not
 * linked in are weak and NULL, and the DTB picks among the rest.
 */
#include <arch.h>
#include <cmdline.h>
#include <drivers.h>
#include <fdt.h>
#include <harness.h>
#include <irqchip.h>
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <ktime.h>
#include "arm_common.h"

extern char _text[], _end[];
extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern char __tls_align[];

/* Optional drivers (see the top of this file). */
extern __typeof__(gicv3_probe) gicv3_probe __weak;
extern __typeof__(gicv2_probe) gicv2_probe __weak;
extern __typeof__(bcm_local_probe) bcm_local_probe __weak;
extern __typeof__(psci_probe) psci_probe __weak;
extern __typeof__(psci_cpu_off) psci_cpu_off __weak;
extern __typeof__(psci_can_cpu_off) psci_can_cpu_off __weak;

static struct fdt fdt;
static char cmdline[1024];
/* DTB /cpus index of each logical CPU, for its enable-method. */
static uint16_t cpu_dt_index[NR_CPUS];

const char *arch_cmdline(void) { return cmdline; }
uint64_t arch_counter_freq(void) { return arm_timer_freq(); }
void arch_console_putc(char c) { pl011_putc(c); }
void arch_send_ipi(unsigned int cpu) { irqchip->send_ipi(cpu); }
void arch_timer_set_oneshot(uint64_t delta_ns) { arm_timer_set_oneshot(delta_ns); }
void arch_timer_stop(void) { arm_timer_stop(); }

void dcache_clean_range(const void *start, size_t size)
{
	uintptr_t a = ALIGN_DOWN((uintptr_t)start, DCACHE_LINE);
	uintptr_t end = (uintptr_t)start + size;

	for (; a < end; a += DCACHE_LINE)
		dcache_clean_line(a);
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static void ipi_irq_handler(unsigned int irq)
{
	(void)irq;
	smp_ipi_handler();
}

/*
 * picolibc keeps errno in thread-local storage, reached through the
 * thread pointer (TPIDR_EL0; TPIDRURO, read by __aeabi_read_tp): give
 * each CPU a block laid out as TLS variant 1 (the ISA's TCB, then
 * .tdata, then zeroed .tbss).
 */
static int tls_init(unsigned int cpu)
{
	static uint8_t *blocks[NR_CPUS];	/* a CPU back from offline reuses its own */
	size_t align = max((size_t)(uintptr_t)__tls_align, (size_t)TLS_TCB_SIZE);
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	size_t tbss = (size_t)(__tbss_end - __tbss_start);
	size_t off = ALIGN_UP((size_t)TLS_TCB_SIZE, align);
	uint8_t *block = blocks[cpu];

	if (!block)
		block = blocks[cpu] = kmalloc(off + tdata + tbss + align);
	if (!block)
		return -ENOMEM;
	block = (uint8_t *)ALIGN_UP((uintptr_t)block, align);
	memset(block, 0, off + tdata + tbss);
	memcpy(block + off, __tdata_start, tdata);
	tls_set_pointer(block);
	return 0;
}

const char *arch_get_random_long(unsigned long *v)
{
	return cpu_random_long(v);
}

/*
 * The DTB's totalsize. With the MMU off (the stack protector asks before
 * mmu_init_boot) the loads must be aligned: byte loads.
 */
size_t arch_boot_info_size(uintptr_t dtb)
{
	const uint8_t *p = (const uint8_t *)dtb;

	if (!dtb || !IS_ALIGNED(dtb, 8) || fdt_be32(p + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return fdt_be32(p + HDR_TOTALSIZE);
}

/*
 * Entry index of node's "reg" as a CPU physical address: translated
 * through the "ranges" of every bus above it (the Raspberry Pi firmware's
 * DTB gives peripherals VideoCore bus addresses, 0x7e000000 and up).
 */
int dt_reg(const struct fdt *f, int node, int index, uint64_t *addr, uint64_t *size)
{
	int err = fdt_get_reg(f, node, index, addr, size);
	int bus = fdt_parent_offset(f, node);

	while (!err && bus >= 0) {
		int parent = fdt_parent_offset(f, bus), len;
		int cac = fdt_address_cells(f, bus), pac, csc, stride;
		const uint8_t *r = fdt_getprop(f, bus, "ranges", &len);
		bool hit = false;

		if (parent < 0 || !r || len == 0)	/* root, or identity */
			break;
		pac = fdt_address_cells(f, parent);
		csc = fdt_size_cells(f, bus);
		if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 1 || csc > 2)
			return -EINVAL;
		stride = 4 * (cac + pac + csc);
		for (; len >= stride && !hit; r += stride, len -= stride) {
			uint64_t child = fdt_read_cells(r, cac);
			uint64_t cpu = fdt_read_cells(r + 4 * cac, pac);
			uint64_t sz = fdt_read_cells(r + 4 * (cac + pac), csc);

			if (*addr >= child && *addr - child < sz) {
				*addr = *addr - child + cpu;
				hit = true;
			}
		}
		if (!hit)
			return -ENOENT;
		bus = parent;
	}
	return err;
}

/*
 * The Raspberry Pi firmware puts Linux parameters of its own in front of
 * cmdline.txt; the image's cmdline.txt starts with "--", so only what
 * follows the last "--" word is the kernel's command line.
 */
static const char *own_args(const char *args)
{
	const char *p = args, *own = args;

	while (*p) {
		while (*p == ' ')
			p++;
		if (p[0] == '-' && p[1] == '-' && (p[2] == ' ' || !p[2]))
			own = p + 2;
		while (*p && *p != ' ')
			p++;
	}
	while (*own == ' ')
		own++;
	return own;
}

/*
 * The console: the PL011 that /chosen/stdout-path names, else the first
 * PL011. The upstream Raspberry Pi 3 trees name the mini UART
 * (serial1, "brcm,bcm2835-aux-uart"), the console of a Pi 3 whose
 * firmware keeps the PL011 for Bluetooth; there is no driver for it
 * here, so the PL011 serves (QEMU's raspi3b console; on the board,
 * dtoverlay=disable-bt, which make image writes), with one line saying so.
 */
static void find_console(void)
{
	uint64_t base, size;
	int node, named = -1;

	if (!fdt_stdout_path(&fdt, &node) && fdt_node_check_compatible(&fdt, node, "arm,pl011"))
		named = node;
	if (named >= 0 || fdt_stdout_path(&fdt, &node))
		node = fdt_node_offset_by_compatible(&fdt, -1, "arm,pl011");
	if (node < 0 || dt_reg(&fdt, node, 0, &base, &size))
		return;		/* no console: the run still reports its status */
	pl011_init(ioremap(base, size));
	if (named >= 0) {
		const char *compat = fdt_read_string(&fdt, named, "compatible");

		printk("console: stdout-path names %s (%s), which has no driver here; "
		       "using the PL011 %s\n", fdt_get_name(&fdt, named, NULL),
		       compat ? compat : "no compatible", fdt_get_name(&fdt, node, NULL));
	}
}

static void add_memory(uintptr_t dtb)
{
	uint64_t base, size;
	int i;

	for (i = 0; !fdt_memory_region(&fdt, i, &base, &size); i++) {
		page_alloc_add_region(base, size);
		/* Where RAM starts at 0 (Raspberry Pi) its first page stays
		 * unmapped, so a NULL dereference faults there too. */
		if (base == 0) {
			page_alloc_reserve(0, PAGE_SIZE);
			base += PAGE_SIZE;
			size -= PAGE_SIZE;
		}
		if (arch_map(base, base, size, PROT_READ | PROT_WRITE | MAP_SKIP_MAPPED))
			panic("%s: cannot map RAM at %#llx", ARCH_NAME, (unsigned long long)base);
	}
	if (i == 0)
		panic("%s: the DTB describes no memory", ARCH_NAME);
	page_alloc_reserve((uintptr_t)_text, (uintptr_t)_end - (uintptr_t)_text);
	page_alloc_reserve(dtb, fdt_totalsize(&fdt));
	for (i = 0; i < fdt_num_mem_rsv(&fdt); i++)
		if (!fdt_get_mem_rsv(&fdt, i, &base, &size))
			page_alloc_reserve(base, size);
}

static void add_cpus(void)
{
	uint64_t me = read_mpidr(), hwid;
	int n = fdt_cpu_count(&fdt);

	smp_add_cpu(me);	/* the boot CPU is CPU 0 */
	for (int i = 0; i < n; i++) {
		int cpu;

		if (fdt_cpu_reg(&fdt, i, &hwid))
			continue;
		if (hwid == me) {
			cpu_dt_index[0] = (uint16_t)i;
			continue;
		}
		cpu = smp_add_cpu(hwid);
		if (cpu < 0) {
			printk("smp: more than %d CPUs; ignoring the rest\n", NR_CPUS);
			break;
		}
		cpu_dt_index[cpu] = (uint16_t)i;
	}
}

/* The interrupt controllers a board may have, most capable first. */
static void probe_irqchip(void)
{
	const struct {
		const struct irqchip *(*probe)(const struct fdt *fdt);
		unsigned int ipi_irq;
	} chips[] = {
		{ gicv3_probe, GIC_IPI_SGI },
		{ gicv2_probe, GIC_IPI_SGI },
		{ bcm_local_probe, BCM_LOCAL_IPI_IRQ },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(chips) && !irqchip; i++) {
		if (!chips[i].probe)
			continue;
		irqchip = chips[i].probe(&fdt);
		if (irqchip)
			irq_set_handler(chips[i].ipi_irq, ipi_irq_handler);
	}
	if (!irqchip)
		panic("%s: no supported interrupt controller in the DTB", ARCH_NAME);
}

void arch_early_init(uintptr_t dtb)
{
	const char *args = "";

	if (fdt_init(&fdt, (const void *)dtb, 1 << 21)) {
		/* No DTB, no console: say so by status where there is one. */
		if (BOARD_EXIT_DEFAULT == EXIT_SEMIHOST)
			semihost_exit(EXIT_PANIC);
		arch_halt();
	}
	find_console();
	add_memory(dtb);
	if (tls_init(0))
		panic("%s: no memory for TLS", ARCH_NAME);
	if (!fdt_chosen_bootargs(&fdt, &args))
		args = own_args(args);
	if (arm_timer_probe(&fdt))
		panic("%s: no usable generic timer", ARCH_NAME);
	time_init();
	/* Not ignored: the run would go on with settings nobody gave it.
	 * (After time_init(): panic() waits a moment for other CPUs.) */
	if (strlen(args) >= sizeof(cmdline))
		panic("%s: command line longer than %lu bytes", ARCH_NAME,
		      (unsigned long)sizeof(cmdline) - 1);
	memcpy(cmdline, args, strlen(args) + 1);
	probe_irqchip();
	if (psci_probe)
		psci_probe(&fdt);
	add_cpus();
	printk("%s: %lu MiB RAM, %s, %s, timer %llu Hz\n", ARCH_NAME,
	       nr_total_pages() >> (20 - PAGE_SHIFT), irqchip->name,
	       cpu_start_method_name(&fdt), (unsigned long long)arm_timer_freq());
}

void arch_cpu_init(unsigned int cpu)
{
	if (cpu && tls_init(cpu))
		panic("%s: no memory for TLS on CPU %u", ARCH_NAME, cpu);
	irqchip->cpu_init(cpu);
	arm_timer_cpu_init();
}

int arch_cpu_start(unsigned int cpu)
{
	int err = stacks_alloc(cpu);

	if (err)
		return err;
	return cpu_start(&fdt, cpu_dt_index[cpu], cpu);
}

/* Only PSCI takes a CPU offline: the Pis' spin-table and mailbox cannot. */
bool arch_cpu_can_stop(void)
{
	return psci_can_cpu_off && psci_can_cpu_off();
}

void arch_cpu_stop_self(void)
{
	if (psci_cpu_off)
		psci_cpu_off();
}

void arch_halt(void)
{
	arch_irq_disable();
	for (;;)
		__asm__ __volatile__("wfi");
}

/*
 * semihost=: whether exit=auto reports the status through semihosting.
 * The default is the board file's BOARD_EXIT_DEFAULT: on for QEMU's virt
 * machine, off for the Raspberry Pis, whose QEMU runs pass semihost=1
 * (on the real board the semihosting trap would be an undefined
 * instruction, so there the kernel prints SUMMARY and halts).
 */
CMDLINE_KEY(semihost, "0 (halt at the end) or 1 (report the status to QEMU)",
	    cmdline_check_bool);

void arch_exit(int status)
{
	if (cmdline_get_ull("semihost", BOARD_EXIT_DEFAULT == EXIT_SEMIHOST))
		semihost_exit(status);
	arch_halt();
}
