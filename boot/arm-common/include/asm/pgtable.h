/* SPDX-License-Identifier: MIT */
/*
 * ARM translation tables for the page-table core (include/pgtable.h):
 * arm64's VMSAv8-64 tables and armv7's LPAE (long-descriptor) tables
 * have the same descriptor format, three levels of it (1 GiB, 2 MiB,
 * 4 KiB) with a 4 KiB granule; only the virtual-address width differs
 * (MMU_VA_BITS, <asm/cpu.h>).
 */
#ifndef QUIESCE_ASM_PGTABLE_H
#define QUIESCE_ASM_PGTABLE_H

#include <compiler.h>
#include <asm/arm_isa.h>
#include <asm/cpu.h>

#define PT_LEVELS	3
#define PT_VA_LIMIT	(1ULL << MMU_VA_BITS)
#define PT_POOL_PAGES	192

#define PTE_VALID	(1ULL << 0)
#define PTE_TABLE	(1ULL << 1)	/* table (levels 0, 1) or page (level 2) */
#define PTE_ATTR(i)	((uint64_t)(i) << 2)
#define PTE_AP_RO	(1ULL << 7)
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		(1ULL << 10)
#define PTE_PXN		(1ULL << 53)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL

static inline bool pte_present(uint64_t e) { return e & PTE_VALID; }
static inline bool pte_is_leaf(uint64_t e) { return !(e & PTE_TABLE); }
static inline uint64_t pte_mk_table(uint64_t pa) { return pa | PTE_VALID | PTE_TABLE; }
static inline uint64_t pte_mk_block(uint64_t pa, uint64_t attrs) { return pa | attrs; }
/* At the last level the "table" bit marks a page. */
static inline uint64_t pte_mk_page(uint64_t pa, uint64_t attrs) { return pa | attrs | PTE_TABLE; }
uint64_t pt_prot_to_pte(unsigned int prot);	/* boot/arm-common/mmu.c */

/* Orders the zeroed table's stores before the store that links it. */
static inline void pt_table_barrier(void)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
}

/* The table writes complete before any access through them. */
static inline void pt_map_done(void)
{
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
}

/* Drop the translation of va from every CPU's TLB (inner shareable). */
static inline void pt_flush_page(uintptr_t va)
{
	__asm__ __volatile__("dsb ishst\n\t" TLBI_PAGE_ALL_IS "\n\tdsb ish\n\tisb"
			     :: "r"(TLBI_PAGE_ARG(va)) : "memory");
}

/* pt_flush_page() reached every CPU already. */
static inline void pt_unmap_done(void) { }

#endif
