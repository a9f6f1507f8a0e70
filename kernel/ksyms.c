// SPDX-License-Identifier: MIT
/*
 * Symbol lookup over the table tools/ksyms.py generates from an earlier
 * link of the kernel (see the Makefile: the table sits after all code, so
 * adding it moves no function, and the link that carries it has the same
 * layout as the one it was made from, so the data addresses hold too).
 */
#include <ksyms.h>

extern const uintptr_t ksym_addrs[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_names[];
extern const uint32_t ksym_count;
extern const uintptr_t ksym_data_addrs[];
extern const uint32_t ksym_data_sizes[];
extern const uint32_t ksym_data_name_offs[];
extern const uint32_t ksym_data_count;
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

const char *ksym_lookup_data(uintptr_t addr, uintptr_t *offset)
{
	uint32_t lo = 0, hi = ksym_data_count;

	if (!ksym_data_count || addr < ksym_data_addrs[0])
		return NULL;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ksym_data_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (addr - ksym_data_addrs[lo] >= ksym_data_sizes[lo])
		return NULL;
	*offset = addr - ksym_data_addrs[lo];
	return &ksym_names[ksym_data_name_offs[lo]];
}
