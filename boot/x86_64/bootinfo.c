// SPDX-License-Identifier: MIT
/*
 * What the boot loader hands over: the memory map, the command line and
 * where the ACPI RSDP is, from a PVH struct hvm_start_info or multiboot2
 * boot information. Everything is copied into boot_info while head.S's
 * identity map of the first 4 GiB is still in place, so nothing the
 * loader left in memory is needed afterwards.
 */
#include <arch.h>
#include <kernel.h>
#include <libc.h>
#include "x86_64.h"

#define PVH_MAGIC		0x336ec578
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_MAX_SIZE		(1u << 20)	/* far beyond any real one */

struct boot_info boot_info;

/* PVH start info (Xen's arch-x86/hvm/start_info.h, version 1). */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

static bool below_4g(uint64_t pa, uint64_t len)
{
	return pa && pa + len >= pa && pa + len <= (1ULL << 32);
}

static void add_region(uint64_t base, uint64_t size, uint32_t type)
{
	if (boot_info.nr_mem == ARRAY_SIZE(boot_info.mem)) {
		printk("x86_64: memory map has more than %lu entries; ignoring the rest\n",
		       (unsigned long)ARRAY_SIZE(boot_info.mem));
		return;
	}
	boot_info.mem[boot_info.nr_mem++] = (struct mem_region){ base, size, type };
}

static void copy_cmdline(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	/* Not ignored: the run would go on with settings nobody gave it. */
	if (n >= sizeof(boot_info.cmdline))
		panic("x86_64: command line longer than %lu bytes",
		      (unsigned long)sizeof(boot_info.cmdline) - 1);
	memcpy(boot_info.cmdline, s, n);
	boot_info.cmdline[n] = '\0';
}

static int parse_pvh(const struct hvm_start_info *si)
{
	if (!below_4g((uintptr_t)si, sizeof(*si)) || si->magic != PVH_MAGIC) {
		printk("x86_64: PVH entry without a valid hvm_start_info\n");
		return -EINVAL;
	}
	boot_info.protocol = "PVH";
	if (below_4g(si->cmdline_paddr, 1))
		copy_cmdline((const char *)(uintptr_t)si->cmdline_paddr,
			     (1ULL << 32) - si->cmdline_paddr);
	boot_info.rsdp_pa = si->rsdp_paddr;
	if (si->version < 1 || !si->memmap_entries ||
	    !below_4g(si->memmap_paddr, (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry))) {
		printk("x86_64: PVH start info has no memory map\n");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		const struct hvm_memmap_entry *e =
			(const void *)(uintptr_t)(si->memmap_paddr + i * sizeof(*e));

		add_region(e->addr, e->size, e->type);
	}
	return 0;
}

static void mb2_mmap(const uint8_t *tag, uint32_t size)
{
	uint32_t entry_size = *(const uint32_t *)(tag + 8);

	if (size < 16 || entry_size < sizeof(struct mb2_mmap_entry)) {
		printk("x86_64: bad multiboot2 memory map tag\n");
		return;
	}
	for (uint32_t off = 16; off + entry_size <= size; off += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)(tag + off);

		add_region(e->base, e->length, e->type);
	}
}

static void mb2_rsdp(const uint8_t *tag, uint32_t size)
{
	size_t n = min((size_t)(size - 8), sizeof(boot_info.rsdp));

	/* The "new" (ACPI 2.0+) copy wins over the old one. */
	if (boot_info.rsdp_len > 20 && n <= 20)
		return;
	memcpy(boot_info.rsdp, tag + 8, n);
	boot_info.rsdp_len = n;
}

static int parse_multiboot2(const uint8_t *mbi)
{
	uint32_t total;

	if (!below_4g((uintptr_t)mbi, 8)) {
		printk("x86_64: multiboot2 entry without boot information\n");
		return -EINVAL;
	}
	total = *(const uint32_t *)mbi;
	if (total < 16 || total > MB2_MAX_SIZE || !below_4g((uintptr_t)mbi, total)) {
		printk("x86_64: multiboot2 boot information of bad size %u\n", total);
		return -EINVAL;
	}
	boot_info.protocol = "multiboot2";
	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t type = *(const uint32_t *)(mbi + off);
		uint32_t size = *(const uint32_t *)(mbi + off + 4);

		if (type == MB2_TAG_END)
			break;
		if (size < 8 || size > total - off) {
			printk("x86_64: multiboot2 tag %u at offset %u has bad size %u\n",
			       type, off, size);
			return -EINVAL;
		}
		if (type == MB2_TAG_CMDLINE)
			copy_cmdline((const char *)mbi + off + 8, size - 8);
		else if (type == MB2_TAG_MMAP)
			mb2_mmap(mbi + off, size);
		else if (type == MB2_TAG_ACPI_OLD || type == MB2_TAG_ACPI_NEW)
			mb2_rsdp(mbi + off, size);
		off += ALIGN_UP(size, 8u);
	}
	if (!boot_info.nr_mem) {
		printk("x86_64: the multiboot2 loader passed no memory map\n");
		return -EINVAL;
	}
	return 0;
}

size_t arch_boot_info_size(uintptr_t info)
{
	if (x86_boot_protocol == BOOT_PVH && below_4g(info, sizeof(struct hvm_start_info)) &&
	    ((const struct hvm_start_info *)info)->magic == PVH_MAGIC)
		return sizeof(struct hvm_start_info);
	if (x86_boot_protocol == BOOT_MULTIBOOT2 && below_4g(info, 8) &&
	    *(const uint32_t *)info <= MB2_MAX_SIZE)
		return *(const uint32_t *)info;
	return 0;
}

int boot_info_parse(unsigned int protocol, uintptr_t info)
{
	if (protocol == BOOT_PVH)
		return parse_pvh((const void *)info);
	if (protocol == BOOT_MULTIBOOT2)
		return parse_multiboot2((const void *)info);
	return -EINVAL;
}
