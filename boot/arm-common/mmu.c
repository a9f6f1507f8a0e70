// SPDX-License-Identifier: MIT
/*
 * ARM MMU: the attributes of each mapping and the control-register
 * values every CPU loads (the walk, the pool and map_lock are the
 * page-table core's, kernel/pgtable.c; the descriptor format, shared by
 * arm64's VMSAv8-64 and armv7's LPAE, is <asm/pgtable.h>). RAM is Normal
 * write-back, devices Device-nGnRE; kernel text is read-only+executable,
 * rodata read-only, everything else never-executable.
 */
#include <fdt.h>
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <pgtable.h>
#include <asm/pgtable.h>
#include "arm_common.h"

/* MAIR_EL1 (arm64) or MAIR0/MAIR1 (armv7) slots. */
#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MAIR_VALUE	((0x04ULL << (8 * MT_DEVICE_nGnRE)) | (0xffULL << (8 * MT_NORMAL)))

/* Read by mmu_enable on every CPU, with the MMU and caches still off. */
uint64_t mmu_ttbr0, mmu_tcr, mmu_mair;

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

uint64_t pt_prot_to_pte(unsigned int prot)
{
	uint64_t pte = PTE_VALID | PTE_AF;

	if (prot & PROT_DEVICE)
		return pte | PTE_ATTR(MT_DEVICE_nGnRE) | PTE_PXN | PTE_XN_UNPRIV;
	pte |= PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_XN_UNPRIV;
	if (!(prot & PROT_WRITE))
		pte |= PTE_AP_RO;
	if (!(prot & PROT_EXEC))
		pte |= PTE_PXN;
	return pte;
}

static void map_or_hang(uintptr_t start, uintptr_t end, unsigned int prot)
{
	/* Before the console exists there is nobody to tell: stop here. */
	if (pt_map_early(start, start, end - start, prot))
		for (;;)
			__asm__ __volatile__("wfi");
}

/*
 * Boot CPU, MMU off: build the identity map of the kernel image and the
 * DTB and the register values every CPU loads in mmu_enable.
 */
void mmu_init_boot(uintptr_t dtb)
{
	pt_init();
	map_or_hang((uintptr_t)_text, (uintptr_t)_etext, PROT_KERNEL_TEXT);
	map_or_hang((uintptr_t)_rodata, (uintptr_t)_erodata, PROT_READ);
	map_or_hang((uintptr_t)_data, (uintptr_t)_end, PROT_READ | PROT_WRITE);
	if (dtb && fdt_be32((const uint8_t *)dtb + HDR_MAGIC) == FDT_MAGIC) {
		uintptr_t end = dtb + fdt_be32((const uint8_t *)dtb + HDR_TOTALSIZE);

		pt_map_early(ALIGN_DOWN(dtb, PAGE_SIZE), ALIGN_DOWN(dtb, PAGE_SIZE),
			   ALIGN_UP(end, PAGE_SIZE) - ALIGN_DOWN(dtb, PAGE_SIZE),
			   PROT_READ | MAP_SKIP_MAPPED);
	}
	mmu_mair = MAIR_VALUE;
	mmu_tcr = mmu_tcr_value();
	mmu_ttbr0 = pt_root_pa();
}

/*
 * head.S, boot CPU, after stack_protector_init(), on the boot stack with
 * the MMU off: map the image, turn the MMU on and enter the kernel. The
 * frame this pushes with caches off is never read back (it never
 * returns); dtb stays in a register across mmu_enable(), which clobbers
 * only argument registers.
 */
__noreturn void arm_boot_start(uintptr_t dtb)
{
	mmu_init_boot(dtb);
	mmu_enable();
	kernel_main(dtb);
}
