// SPDX-License-Identifier: MIT
/*
 * x86_64 paging: 4-level tables (the walk, the pool and map_lock are the
 * page-table core's, kernel/pgtable.c; the entry format is
 * <asm/pgtable.h>). RAM is write-back, devices uncached (PCD|PWT: PAT
 * entry 3, UC); kernel text is read-only+executable, rodata read-only,
 * everything else no-execute; CR0.WP makes read-only binding for the
 * kernel too. Page 0 and the rest of the first MiB stay unmapped, so a
 * NULL dereference faults.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include <pgtable.h>
#include <asm/cpu.h>
#include <asm/pgtable.h>
#include "x86_64.h"

static uint64_t nx_bit;			/* PTE_NX, or 0 on a CPU without NX */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

uint64_t mmu_root(void) { return pt_root_pa(); }
bool mmu_has_nx(void) { return nx_bit != 0; }

uint64_t pt_prot_to_pte(unsigned int prot)
{
	/* Accessed and dirty preset: the CPU never writes the tables. */
	uint64_t pte = PTE_P | PTE_A | PTE_D;

	if (prot & PROT_WRITE)
		pte |= PTE_RW;
	if (prot & PROT_DEVICE)
		pte |= PTE_PCD | PTE_PWT;
	if (!(prot & PROT_EXEC))
		pte |= nx_bit;
	return pte;
}

static void flush_tlb_local(void *unused)
{
	(void)unused;
	write_cr3(read_cr3());	/* no global pages: this flushes everything */
}

void pt_unmap_done(void)
{
	if (num_online_cpus() > 1)
		smp_call_function(flush_tlb_local, NULL, true);
}

static void map_or_panic(uintptr_t start, uintptr_t end, unsigned int prot)
{
	int err = pt_map_early(start, start, end - start, prot);

	if (err)
		panic("x86_64: cannot map the kernel at %#lx: error %d",
		      (unsigned long)start, err);
}

/*
 * Boot CPU, on head.S's boot map, before anything else is mapped: build
 * the kernel's own map of its image and switch to it. RAM and devices
 * are added with arch_map() as they are found.
 */
void mmu_init(void)
{
	if (cpuid(0x80000001, 0).edx & CPUID81_EDX_NX)
		nx_bit = PTE_NX;
	pt_init();
	map_or_panic((uintptr_t)_text, (uintptr_t)_etext, PROT_KERNEL_TEXT);
	map_or_panic((uintptr_t)_rodata, (uintptr_t)_erodata, PROT_READ);
	map_or_panic((uintptr_t)_data, (uintptr_t)_end, PROT_READ | PROT_WRITE);
	write_cr3(mmu_root());
	ap_boot_cr3 = (uint32_t)mmu_root();
}
