// SPDX-License-Identifier: MIT
/*
 * Starting secondary CPUs by the method each DTB cpu node names:
 *
 *  - "psci" (QEMU virt, or no enable-method): PSCI CPU_ON, whose context
 *    argument carries the logical index to secondary_entry.
 *  - "spin-table" (Raspberry Pi 3, arm64): the CPU waits in firmware,
 *    WFE-polling the 64-bit word at its cpu-release-addr; writing the
 *    entry there and SEV release it.
 *  - "brcm,bcm2836-smp" (Raspberry Pi 2, armv7): the CPU polls its
 *    mailbox 3 in the BCM2836 local block; bcm_local_cpu_on() writes it.
 *
 * The last two pass no argument, so the CPU enters secondary_entry_noarg
 * and takes its index from secondary_boot_cpu. That is safe because the
 * boot CPU starts one CPU at a time and waits for it (smp.c), and it is
 * written before the release and cleaned to memory, where the started
 * CPU reads it with its caches still off.
 */
#include <arch.h>
#include <drivers.h>
#include <fdt.h>
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include "arm_common.h"

extern __typeof__(psci_cpu_on) psci_cpu_on __weak;
extern __typeof__(psci_conduit_name) psci_conduit_name __weak;
extern __typeof__(bcm_local_cpu_on) bcm_local_cpu_on __weak;

uintptr_t secondary_boot_cpu;

static void pass_index(unsigned int cpu)
{
	WRITE_ONCE(secondary_boot_cpu, cpu);
	dcache_clean_range(&secondary_boot_cpu, sizeof(secondary_boot_cpu));
}

/*
 * The release address usually sits in a page the kernel leaves unmapped
 * (the Pi firmware's stub at physical 0), so write it through a temporary
 * mapping; the cache clean makes the write reach the memory the waiting
 * CPU reads with caches off.
 */
static int spin_table_release(uint64_t release_addr, uintptr_t entry)
{
	uint64_t page = ALIGN_DOWN(release_addr, PAGE_SIZE);
	volatile uint64_t *slot;
	int err;

	if (!IS_ALIGNED(release_addr, 8))
		return -EINVAL;
	err = arch_map(FIXMAP_VA, page, PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (err)
		return err;
	slot = (volatile uint64_t *)(FIXMAP_VA + (uintptr_t)(release_addr - page));
	*slot = entry;
	dcache_clean_range((const void *)slot, sizeof(*slot));
	arch_unmap(FIXMAP_VA, PAGE_SIZE);
	arch_send_event();
	return 0;
}

int cpu_start(const struct fdt *fdt, int dt_index, unsigned int cpu)
{
	const char *method = fdt_cpu_enable_method(fdt, dt_index);
	uint64_t release;

	if (!method || !strcmp(method, "psci")) {
		if (!psci_cpu_on)
			return -ENODEV;
		return psci_cpu_on(cpu_hwid(cpu), (uintptr_t)secondary_entry, cpu) ? -EIO : 0;
	}
	if (!strcmp(method, "spin-table")) {
		if (fdt_cpu_release_addr(fdt, dt_index, &release))
			return -EINVAL;
		pass_index(cpu);
		return spin_table_release(release, (uintptr_t)secondary_entry_noarg);
	}
	if (!strcmp(method, "brcm,bcm2836-smp") && bcm_local_cpu_on) {
		pass_index(cpu);
		return bcm_local_cpu_on(cpu_hwid(cpu), (uintptr_t)secondary_entry_noarg);
	}
	printk("smp: CPU %u: enable-method '%s' is not supported\n", cpu, method);
	return -ENODEV;
}

const char *cpu_start_method_name(const struct fdt *fdt)
{
	static char name[32];
	const char *method = fdt_cpu_enable_method(fdt, 0);

	if (!method || !strcmp(method, "psci"))
		snprintf(name, sizeof(name), "PSCI via %s",
			 psci_conduit_name ? psci_conduit_name() : "none");
	else if (!strcmp(method, "brcm,bcm2836-smp"))
		snprintf(name, sizeof(name), "CPUs via mailbox");
	else
		snprintf(name, sizeof(name), "CPUs via %.20s", method);
	return name;
}
