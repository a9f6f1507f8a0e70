/* SPDX-License-Identifier: MIT */
/*
 * A read-only ACPI table parser for what the kernel needs from firmware:
 * the RSDP, the RSDT/XSDT, and the MADT's list of CPUs.
 *
 * Firmware tables are external input: every length is checked against
 * what was mapped before anything past a header is read, every table's
 * checksum is verified, and a malformed table gives -EINVAL after one
 * printk line saying what is wrong, never a read outside the table.
 *
 * The parser reaches physical memory only through struct acpi_mem, so the
 * same code runs in the kernel (identity map) and in the host tests (a
 * fake physical memory). Nothing here allocates or takes a lock.
 */
#ifndef QUIESCE_ACPI_H
#define QUIESCE_ACPI_H

#include <compiler.h>

/* Tables longer than this are rejected as corrupt. */
#define ACPI_MAX_TABLE_SIZE	(1u << 20)

struct acpi_mem {
	/* len readable bytes at physical address pa, or NULL if there are none. */
	const void *(*map)(void *ctx, uint64_t pa, size_t len);
	void *ctx;
};

/* The common header of every system description table. */
struct acpi_sdt {
	char signature[4];
	uint32_t length;		/* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;		/* all bytes of the table sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt) == 36, "ACPI table header");

/* What a valid RSDP says. */
struct acpi_rsdp {
	uint64_t root_pa;		/* the XSDT if there is one, else the RSDT */
	bool xsdt;
	uint8_t revision;
};

/*
 * Validate the RSDP in the avail bytes at p: signature, the ACPI 1.0
 * checksum, and from revision 2 on the length and extended checksum.
 * 0 or -EINVAL.
 */
int acpi_rsdp_check(const void *p, size_t avail, struct acpi_rsdp *out);

/* The same for an RSDP at physical address pa. 0 or -EINVAL. */
int acpi_rsdp_at(const struct acpi_mem *mem, uint64_t pa, struct acpi_rsdp *out);

/*
 * Search where a PC BIOS puts the RSDP: the first KiB of the EBDA (its
 * segment is at 0x40e), then 0xe0000-0xfffff, on 16-byte boundaries.
 * 0, or -ENOENT if no valid RSDP is there.
 */
int acpi_rsdp_scan(const struct acpi_mem *mem, struct acpi_rsdp *out);

/*
 * The table with signature sig (4 characters) listed in the RSDT/XSDT,
 * with its length and checksum verified, or NULL with *err set: -ENOENT
 * if no such table is listed, -EINVAL if the root table or this table is
 * malformed or unreadable.
 */
const struct acpi_sdt *acpi_find_table(const struct acpi_mem *mem,
				       const struct acpi_rsdp *rsdp,
				       const char *sig, int *err);

/* From the MADT (signature "APIC"). */
struct acpi_madt_info {
	uint64_t lapic_base;		/* after any address override entry */
	bool pcat_compat;		/* the legacy 8259 PICs are present */
	unsigned int nr_cpu_entries;	/* processor entries, enabled or not */
};

#define ACPI_CPU_ENABLED	(1u << 0)
#define ACPI_CPU_ONLINE_CAPABLE	(1u << 1)

/* Called for each processor entry (local APIC or local x2APIC). */
typedef void (*acpi_cpu_fn)(void *arg, uint32_t apic_id, uint32_t flags);

/*
 * Walk a MADT that acpi_find_table() returned: fill *info and call fn for
 * each processor entry, in table order. 0 or -EINVAL (an entry that runs
 * past the table or is too short for its type; fn may have been called
 * for the entries before it).
 */
int acpi_madt_parse(const struct acpi_sdt *madt, struct acpi_madt_info *info,
		    acpi_cpu_fn fn, void *arg);

#endif
