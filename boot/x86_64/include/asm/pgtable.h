/* SPDX-License-Identifier: MIT */
/*
 * x86_64 4-level paging for the page-table core (include/pgtable.h):
 * PML4, PDPT, page directory (2 MiB pages, PS), page table. Intermediate
 * entries allow everything (present, writable, executable): the leaf
 * decides.
 */
#ifndef QUIESCE_ASM_PGTABLE_H
#define QUIESCE_ASM_PGTABLE_H

#include <compiler.h>
#include <asm/cpu.h>

#define PT_LEVELS	4
#define PT_VA_LIMIT	(1ULL << 47)	/* the lower canonical half */
#define PT_POOL_PAGES	256

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)	/* a 2 MiB page in a page directory */
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

static inline bool pte_present(uint64_t e) { return e & PTE_P; }
static inline bool pte_is_leaf(uint64_t e) { return e & PTE_PS; }
static inline uint64_t pte_mk_table(uint64_t pa) { return pa | PTE_P | PTE_RW; }
static inline uint64_t pte_mk_block(uint64_t pa, uint64_t attrs) { return pa | attrs | PTE_PS; }
static inline uint64_t pte_mk_page(uint64_t pa, uint64_t attrs) { return pa | attrs; }
uint64_t pt_prot_to_pte(unsigned int prot);	/* boot/x86_64/mmu.c */

/* Stores are not reordered with other stores on x86: the compiler only. */
static inline void pt_table_barrier(void) { barrier(); }
static inline void pt_map_done(void) { barrier(); }

/* This CPU only: pt_unmap_done() tells the others. */
static inline void pt_flush_page(uintptr_t va)
{
	invlpg(va);
}

/* Flush every other online CPU's TLB by IPI (interrupts on). */
void pt_unmap_done(void);	/* boot/x86_64/mmu.c */

#endif
