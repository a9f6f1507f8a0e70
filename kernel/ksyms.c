// SPDX-License-Identifier: MIT
/*
 * Symbol lookup over the table tools/ksyms.py generates from the first
 * link of the kernel (the table sits after everything else, so adding it
 * moves no function).
 */
#include <ksyms.h>

extern const uintptr_t ksym_addrs[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_names[];
extern const uint32_t ksym_count;
extern char _etext[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint32_t lo = 0, hi = ksym_count;

	if (!ksym_count || addr < ksym_addrs[0] || addr >= (uintptr_t)_etext)
		return NULL;
	/* Largest index with ksym_addrs[i] <= addr. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksym_addrs[lo];
	return &ksym_names[ksym_name_offs[lo]];
}
