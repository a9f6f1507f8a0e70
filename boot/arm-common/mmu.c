// SPDX-License-Identifier: MIT
/*
 * ARM MMU: one identity map shared by every CPU, 4 KiB granule, three
 * levels (1 GiB, 2 MiB, 4 KiB). arm64's VMSAv8-64 tables and armv7's LPAE
 * (long-descriptor) tables have the same descriptor format, so one walker
 * serves both; only the virtual-address width (39 / 32 bits), the TLB
 * instruction and the control-register values come from <asm/cpu.h> and
 * head.S. RAM is Normal write-back, devices Device-nGnRE; kernel text is
 * read-only+executable, rodata read-only, everything else
 * never-executable. Table pages come from a static pool, so mapping works
 * before the page allocator does.
 *
 * Locking: tables change only on the boot CPU during bring-up and then
 * under map_lock; a walk by another CPU sees either the old or the new
 * entry, never a torn one (64-bit single-copy-atomic stores: STR on
 * arm64, STRD of an aligned doubleword with LPAE).
 */
#include <fdt.h>
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <spinlock.h>
#include <libc.h>
#include "arm_common.h"

#define PT_ENTRIES	512
#define PT_POOL_PAGES	192
#define BLOCK_2M	(1ULL << 21)

#define PTE_VALID	(1ULL << 0)
#define PTE_TABLE	(1ULL << 1)	/* table (L1/L2) or page (L3) */
#define PTE_ATTR(i)	((uint64_t)(i) << 2)
#define PTE_AP_RO	(1ULL << 7)
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		(1ULL << 10)
#define PTE_PXN		(1ULL << 53)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL

/* MAIR_EL1 (arm64) or MAIR0/MAIR1 (armv7) slots. */
#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MAIR_VALUE	((0x04ULL << (8 * MT_DEVICE_nGnRE)) | (0xffULL << (8 * MT_NORMAL)))

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;	/* guarded by map_lock */
static uint64_t *pt_root;		/* level-1 table */
static DEFINE_SPINLOCK(map_lock);

/* Read by mmu_enable on every CPU, with the MMU and caches still off. */
uint64_t mmu_ttbr0, mmu_tcr, mmu_mair;

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_pool_used == PT_POOL_PAGES)
		return NULL;
	t = pt_pool[pt_pool_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

static uint64_t prot_to_pte(unsigned int prot)
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

/* The next-level table under *entry, allocated if absent; NULL if a block is there. */
static uint64_t *pt_next(uint64_t *entry, int *err)
{
	uint64_t *t;

	if (*entry & PTE_VALID) {
		if (!(*entry & PTE_TABLE)) {
			*err = -EEXIST;
			return NULL;
		}
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	}
	t = pt_alloc();
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	/* Zeroed table visible to the walker before the entry that points at it. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	WRITE_ONCE(*entry, (uint64_t)(uintptr_t)t | PTE_VALID | PTE_TABLE);
	return t;
}

static int set_entry(uint64_t *entry, uint64_t val, unsigned int flags)
{
	if (*entry & PTE_VALID) {
		if (flags & MAP_SKIP_MAPPED || *entry == val)
			return 0;
		return -EEXIST;
	}
	WRITE_ONCE(*entry, val);
	return 0;
}

static int map_locked(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	uint64_t attrs = prot_to_pte(prot);
	int err = 0;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) ||
	    (uint64_t)va + size > (1ULL << MMU_VA_BITS))
		return -EINVAL;
	while (size) {
		uint64_t *l1e = &pt_root[(va >> 30) & 511];
		uint64_t *l2, *l2e, *l3;

		l2 = pt_next(l1e, &err);
		if (!l2)
			return err;
		l2e = &l2[(va >> 21) & 511];
		if (IS_ALIGNED(va | pa, BLOCK_2M) && size >= BLOCK_2M &&
		    !(*l2e & PTE_VALID)) {
			WRITE_ONCE(*l2e, pa | attrs);
			va += BLOCK_2M;
			pa += BLOCK_2M;
			size -= BLOCK_2M;
			continue;
		}
		if ((*l2e & PTE_VALID) && !(*l2e & PTE_TABLE) && (prot & MAP_SKIP_MAPPED)) {
			uint64_t next = ALIGN_DOWN((uint64_t)va, BLOCK_2M) + BLOCK_2M;
			size_t step = min((size_t)(next - va), size);

			va += step;
			pa += step;
			size -= step;
			continue;
		}
		l3 = pt_next(l2e, &err);
		if (!l3)
			return err;
		err = set_entry(&l3[(va >> 12) & 511], pa | attrs | PTE_TABLE, prot);
		if (err)
			return err;
		va += PAGE_SIZE;
		pa += PAGE_SIZE;
		size -= PAGE_SIZE;
	}
	/* New valid entries replace invalid ones: no TLB maintenance, only
	 * completion of the table writes before any access through them. */
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
	return 0;
}

int arch_map(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&map_lock, flags);
	err = map_locked(va, pa, size, prot);
	spin_unlock_irqrestore(&map_lock, flags);
	return err;
}

void arch_unmap(uintptr_t va, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&map_lock, flags);
	for (uintptr_t a = va; a < va + size; a += PAGE_SIZE) {
		uint64_t l1e = pt_root[(a >> 30) & 511], l2e, *l2, *l3;

		if (!(l1e & PTE_VALID))
			continue;
		l2 = (uint64_t *)(uintptr_t)(l1e & PTE_ADDR_MASK);
		l2e = l2[(a >> 21) & 511];
		if (!(l2e & PTE_VALID) || !(l2e & PTE_TABLE))
			continue;
		l3 = (uint64_t *)(uintptr_t)(l2e & PTE_ADDR_MASK);
		WRITE_ONCE(l3[(a >> 12) & 511], 0);
		/* Break before make: the entry is gone everywhere before reuse. */
		tlb_flush_page_all(a);
	}
	spin_unlock_irqrestore(&map_lock, flags);
}

void *ioremap(uint64_t pa, size_t size)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (arch_map(base, base, end - base, PROT_READ | PROT_WRITE | PROT_DEVICE))
		return NULL;
	return (void *)(uintptr_t)pa;
}

static void map_or_hang(uintptr_t start, uintptr_t end, unsigned int prot)
{
	/* Before the console exists there is nobody to tell: stop here. */
	if (map_locked(start, start, end - start, prot))
		for (;;)
			__asm__ __volatile__("wfi");
}

/*
 * Boot CPU, MMU off: build the identity map of the kernel image and the
 * DTB and the register values every CPU loads in mmu_enable.
 */
void mmu_init_boot(uintptr_t dtb)
{
	pt_root = pt_alloc();
	map_or_hang((uintptr_t)_text, (uintptr_t)_etext, PROT_KERNEL_TEXT);
	map_or_hang((uintptr_t)_rodata, (uintptr_t)_erodata, PROT_READ);
	map_or_hang((uintptr_t)_data, (uintptr_t)_end, PROT_READ | PROT_WRITE);
	if (dtb && fdt_be32((const uint8_t *)dtb + HDR_MAGIC) == FDT_MAGIC) {
		uintptr_t end = dtb + fdt_be32((const uint8_t *)dtb + HDR_TOTALSIZE);

		map_locked(ALIGN_DOWN(dtb, PAGE_SIZE), ALIGN_DOWN(dtb, PAGE_SIZE),
			   ALIGN_UP(end, PAGE_SIZE) - ALIGN_DOWN(dtb, PAGE_SIZE),
			   PROT_READ | MAP_SKIP_MAPPED);
	}
	mmu_mair = MAIR_VALUE;
	mmu_tcr = mmu_tcr_value();
	mmu_ttbr0 = (uint64_t)(uintptr_t)pt_root;
}
