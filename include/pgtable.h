/* SPDX-License-Identifier: MIT */
/*
 * The page-table core (kernel/pgtable.c) as the arch's MMU code sees it:
 * the boot CPU builds the kernel's map with it, then enables the MMU on
 * the root it hands out. Everyone else maps through arch_map(),
 * arch_unmap() and ioremap() (include/mm.h).
 *
 * The arch describes its tables in <asm/pgtable.h>: PT_LEVELS levels of
 * 512 64-bit entries (4 KiB pages at the last level, 2 MiB blocks at the
 * one above it), PT_VA_LIMIT (the first virtual address it cannot map),
 * PT_POOL_PAGES (the table pages there are), PTE_ADDR_MASK and
 *
 *	pte_present(e)		e maps or points at something
 *	pte_is_leaf(e)		a present entry above the last level maps a
 *				block instead of pointing at a table
 *	pte_mk_table(pa)	an entry pointing at the table at pa
 *	pte_mk_block(pa, a)	a 2 MiB block of pa with attributes a
 *	pte_mk_page(pa, a)	a 4 KiB page of pa with attributes a
 *	pt_prot_to_pte(prot)	the attribute bits for PROT_* prot
 *	pt_table_barrier()	a zeroed table is visible to the walker
 *				before the entry linking it is
 *	pt_map_done()		new entries are in effect before any access
 *				through them
 *	pt_flush_page(va)	drop va from this CPU's TLB, or every CPU's
 *	pt_unmap_done()		after an unmap, with map_lock dropped: the
 *				other CPUs' TLBs, if pt_flush_page() did not
 */
#ifndef QUIESCE_PGTABLE_H
#define QUIESCE_PGTABLE_H

#include <compiler.h>

/* Boot CPU, once, before any mapping: allocate the root table. */
void pt_init(void);
/* The root table's (identity-mapped) address, for the MMU's base register. */
uint64_t pt_root_pa(void);
/*
 * arch_map() without map_lock, for the boot CPU while it is alone and
 * the MMU may still be off (no exclusives yet on every ARM core).
 */
int pt_map_early(uintptr_t va, uint64_t pa, size_t size, unsigned int prot);

#endif
