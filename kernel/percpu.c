// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas: CPU 0 uses the template section itself, the others get
 * zeroed copies (CPU 0 may already have changed its copy by the time the
 * others are made, so nothing is copied: per-CPU variables start zeroed).
 */
#include <percpu.h>
#include <mm.h>
#include <kernel.h>
#include <libc.h>

intptr_t __per_cpu_offset[NR_CPUS];

extern char __start_percpu_data[], __stop_percpu_data[];

/* Boot CPU, before any other CPU starts. */
int percpu_init(unsigned int nr_cpus)
{
	size_t size = (size_t)(__stop_percpu_data - __start_percpu_data);
	unsigned int pages = DIV_ROUND_UP(size, PAGE_SIZE);

	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
		char *copy = alloc_pages(pages);

		if (!copy)
			return -ENOMEM;
		memset(copy, 0, size);
		__per_cpu_offset[cpu] = copy - __start_percpu_data;
	}
	return 0;
}
