// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the ACPI table parser (drivers/acpi.c): the
 * RSDP, the RSDT/XSDT walk and the MADT, called as the x86 kernel calls
 * them at boot (boot/x86_64/setup.c: find_cpus()).
 *
 * The input is a byte that says how the kernel is told where the RSDP
 * is (bits 0-1), then physical memory from BIOS_AREA (or EBDA_BASE) on,
 * which the tables' pointers address:
 *
 *   0  a copy of the RSDP from the boot loader (multiboot2): the memory
 *   1  the RSDP's physical address (PVH start info): BIOS_AREA
 *   2  neither: the BIOS area is searched
 *   3  neither, and the EBDA (found through the word at 0x40e) holds it
 *
 * Memory past the input up to 1 MiB reads as zeros; nothing else is
 * memory. Every map() answer is a fresh heap copy of exactly the bytes
 * asked for, so the parser reading past what it mapped is an ASan report.
 *
 * Bit 2 of the first byte seals tables: a map of a whole table (as long
 * as its header says) gets a copy with a correct checksum. Without it
 * nearly every mutation of a table ends at the checksum; with it the
 * fuzzer gets past to the lengths and entries behind.
 *
 * Checked, from include/acpi.h: a table returned is whole (mapped at its
 * full length), has the signature asked for and a zero checksum; the
 * MADT walk reports every processor entry it counts; and a malformed
 * RSDP, root table or MADT is refused with one printk line saying why.
 */
#include "fuzz.h"
#include <acpi.h>
#include <kerrno.h>
#include <libc.h>
#include <stdlib.h>

#define EBDA_SEGMENT_PA	0x40e
#define EBDA_BASE	0x9fc00
#define BIOS_AREA	0xe0000
#define LOW_MEMORY_END	0x100000
#define MAX_MAPS	(1u << 19)	/* more than a 1 MiB RSDT has entries */
#define SEAL_TABLES	4		/* in the first byte */

enum rsdp_from { RSDP_COPY, RSDP_ADDRESS, RSDP_SCAN, RSDP_SCAN_EBDA, NR_RSDP_FROM };

struct memory {
	uint64_t base;			/* physical address of data[0] */
	const uint8_t *data;
	size_t size;
	bool ebda;			/* the word at 0x40e points at base */
	bool seal;			/* whole tables get a good checksum */
	void **maps;			/* every copy handed out, freed at the end */
	size_t *map_lens;
	unsigned int nr_maps;
};

static const void *fuzz_map(void *ctx, uint64_t pa, size_t len)
{
	struct memory *m = ctx;
	uint64_t end = m->base + m->size > LOW_MEMORY_END ? m->base + m->size : LOW_MEMORY_END;
	uint8_t seg[2] = { (uint8_t)(m->base >> 4), (uint8_t)(m->base >> 12) };
	uint8_t *copy;

	FUZZ_CHECK(len > 0 && m->nr_maps < MAX_MAPS, "map of %zu bytes (%u maps)", len,
		   m->nr_maps);
	if (m->ebda && pa == EBDA_SEGMENT_PA && len <= sizeof(seg)) {
		copy = malloc(len);
		memcpy(copy, seg, len);
	} else if (pa >= m->base && pa < end && len <= end - pa) {
		size_t off = (size_t)(pa - m->base), have;

		copy = calloc(1, len);
		have = off < m->size ? m->size - off : 0;
		memcpy(copy, m->data + (off < m->size ? off : 0), have < len ? have : len);
	} else {
		return NULL;
	}
	FUZZ_CHECK(copy, "out of memory for a %zu-byte map", len);
	if (m->seal && len >= sizeof(struct acpi_sdt) &&
	    ((const struct acpi_sdt *)copy)->length == len) {
		uint8_t sum = 0;

		copy[9] = 0;	/* the header's checksum byte */
		for (size_t i = 0; i < len; i++)
			sum += copy[i];
		copy[9] = (uint8_t)-sum;
	}
	m->maps[m->nr_maps] = copy;
	m->map_lens[m->nr_maps++] = len;
	return copy;
}

/* How many bytes were mapped at p, 0 if p is not the start of a map. */
static size_t mapped_len(const struct memory *m, const void *p)
{
	for (unsigned int i = m->nr_maps; i-- > 0;)
		if (m->maps[i] == p)
			return m->map_lens[i];
	return 0;
}

static void count_cpu(void *arg, uint32_t apic_id, uint32_t flags)
{
	(*(unsigned int *)arg)++;
}

/* A table find_table() returned is whole, the one asked for, and sums to 0. */
static void check_table(const struct memory *m, const struct acpi_sdt *h, const char *sig)
{
	const uint8_t *b = (const uint8_t *)h;
	uint8_t sum = 0;

	FUZZ_CHECK(!memcmp(h->signature, sig, 4), "asked for %s, got %.4s", sig, h->signature);
	FUZZ_CHECK(h->length >= sizeof(*h) && h->length <= ACPI_MAX_TABLE_SIZE &&
		   mapped_len(m, h) >= h->length, "%s of %u bytes, %zu mapped", sig,
		   h->length, mapped_len(m, h));
	for (uint32_t i = 0; i < h->length; i++)
		sum += b[i];
	FUZZ_CHECK(!sum, "%s has a bad checksum", sig);
}

/* An -EINVAL refusal comes with one line saying why. */
static void check_refusal(int err, const char *what)
{
	FUZZ_CHECK(err != -EINVAL || fuzz_output_is_one_line(),
		   "%s refused with %u lines of explanation", what, fuzz_output_lines());
}

static void find_cpus(struct memory *m, enum rsdp_from from)
{
	static const char *const other_sigs[] = { "FACP", "HPET", "QZQZ" };
	struct acpi_mem mem = { .map = fuzz_map, .ctx = m };
	const struct acpi_sdt *madt, *h;
	struct acpi_madt_info info;
	struct acpi_rsdp rsdp;
	unsigned int cpus = 0;
	int err;

	fuzz_output_reset();
	switch (from) {
	case RSDP_COPY:
		err = acpi_rsdp_check(m->data, m->size, &rsdp);
		break;
	case RSDP_ADDRESS:
		err = acpi_rsdp_at(&mem, m->base, &rsdp);
		check_refusal(err, "the RSDP");
		break;
	default:
		err = acpi_rsdp_scan(&mem, &rsdp);
		FUZZ_CHECK(!err || err == -ENOENT, "scan error %d", err);
		break;
	}
	if (err)
		return;
	FUZZ_CHECK(rsdp.revision >= 2 || !rsdp.xsdt, "an XSDT in an RSDP of revision %u",
		   rsdp.revision);

	for (size_t i = 0; i < ARRAY_SIZE(other_sigs); i++) {
		fuzz_output_reset();
		h = acpi_find_table(&mem, &rsdp, other_sigs[i], &err);
		FUZZ_CHECK(!h == !!err, "%s: table %p with error %d", other_sigs[i], h, err);
		if (h)
			check_table(m, h, other_sigs[i]);
		check_refusal(err, other_sigs[i]);
	}

	fuzz_output_reset();
	madt = acpi_find_table(&mem, &rsdp, "APIC", &err);
	FUZZ_CHECK(!madt == !!err, "APIC: table %p with error %d", madt, err);
	check_refusal(err, "the root table or MADT");
	if (!madt)
		return;
	check_table(m, madt, "APIC");
	fuzz_output_reset();
	err = acpi_madt_parse(madt, &info, count_cpu, &cpus);
	check_refusal(err, "the MADT");
	FUZZ_CHECK(err == 0 || err == -EINVAL, "MADT error %d", err);
	if (!err)
		FUZZ_CHECK(info.nr_cpu_entries == cpus && cpus <= (madt->length - 44) / 8,
			   "MADT of %u bytes: %u entries counted, %u reported",
			   madt->length, info.nr_cpu_entries, cpus);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *maps[MAX_MAPS];
	static size_t map_lens[MAX_MAPS];
	enum rsdp_from from;
	struct memory m = { .maps = maps, .map_lens = map_lens };

	fuzz_init_kernel();
	if (size < 1)
		return 0;
	from = (enum rsdp_from)(data[0] % NR_RSDP_FROM);
	m.seal = data[0] & SEAL_TABLES;
	m.data = data + 1;
	m.size = size - 1;
	m.base = from == RSDP_SCAN_EBDA ? EBDA_BASE : BIOS_AREA;
	m.ebda = from == RSDP_SCAN_EBDA;
	find_cpus(&m, from);
	for (unsigned int i = 0; i < m.nr_maps; i++)
		free(m.maps[i]);
	return 0;
}
