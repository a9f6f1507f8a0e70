// SPDX-License-Identifier: MIT
/*
 * ACPI parser tests. Each builds firmware tables in a fake physical
 * memory (the first MiB and a little more, as on a PC) and checks what
 * the parser makes of them; the malformed cases are valid tables with one
 * thing broken, and each must give an error, never a read outside the
 * fake memory (the map callback refuses those, and the host build runs
 * under AddressSanitizer).
 */
#include <ktest.h>
#include <acpi.h>
#include <kerrno.h>
#include <libc.h>

#define MEM_SIZE	0x110000
#define EBDA_PA		0x9fc00
#define BIOS_RSDP_PA	0xf5a30
#define XSDT_PA		0x100000
#define RSDT_PA		0x100400
#define MADT_PA		0x100800
#define FACP_PA		0x100c00
#define MAX_CPUS_SEEN	16

static uint8_t mem[MEM_SIZE];

static const void *fake_map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
		return NULL;
	return mem + pa;
}

static const struct acpi_mem fake = { .map = fake_map };

static void put32(uint64_t pa, uint32_t v)
{
	memcpy(mem + pa, &v, 4);
}

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, 8);
}

static uint32_t get32(uint64_t pa)
{
	uint32_t v;

	memcpy(&v, mem + pa, 4);
	return v;
}

/* Make the len bytes at pa sum to 0 by setting the byte at pa + off. */
static void checksum(uint64_t pa, size_t len, size_t off)
{
	uint8_t sum = 0;

	mem[pa + off] = 0;
	for (size_t i = 0; i < len; i++)
		sum += mem[pa + i];
	mem[pa + off] = (uint8_t)-sum;
}

static void put_rsdp(uint64_t pa, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memcpy(mem + pa, "RSD PTR ", 8);
	memcpy(mem + pa + 9, "QUIESC", 6);
	mem[pa + 15] = revision;
	put32(pa + 16, rsdt);
	checksum(pa, 20, 8);
	if (revision >= 2) {
		put32(pa + 20, 36);
		put64(pa + 24, xsdt);
		checksum(pa, 36, 32);	/* covers the first checksum too */
	}
}

/* A table header for sig of len bytes; seal() adds the checksum last. */
static void put_header(uint64_t pa, const char *sig, uint32_t len)
{
	memcpy(mem + pa, sig, 4);
	put32(pa + 4, len);
	mem[pa + 8] = 1;
	memcpy(mem + pa + 10, "QUIESC", 6);
}

static void seal(uint64_t pa)
{
	checksum(pa, get32(pa + 4), 9);
}

static void put_xsdt(const uint64_t *tables, unsigned int n)
{
	put_header(XSDT_PA, "XSDT", 36 + 8 * n);
	for (unsigned int i = 0; i < n; i++)
		put64(XSDT_PA + 36 + 8 * i, tables[i]);
	seal(XSDT_PA);
}

static void put_rsdt(const uint32_t *tables, unsigned int n)
{
	put_header(RSDT_PA, "RSDT", 36 + 4 * n);
	for (unsigned int i = 0; i < n; i++)
		put32(RSDT_PA + 36 + 4 * i, tables[i]);
	seal(RSDT_PA);
}

/* The MADT under construction: entries are appended at madt_len. */
static uint32_t madt_len;

static void madt_start(void)
{
	madt_len = 44;
	put_header(MADT_PA, "APIC", madt_len);
	put32(MADT_PA + 36, 0xfee00000);
	put32(MADT_PA + 40, 1);		/* PCAT_COMPAT */
}

static void madt_entry(uint8_t type, uint8_t len)
{
	mem[MADT_PA + madt_len] = type;
	mem[MADT_PA + madt_len + 1] = len;
	madt_len += len;
	put32(MADT_PA + 4, madt_len);
}

static void madt_lapic(uint8_t apic_id, uint32_t flags)
{
	uint32_t at = madt_len;

	madt_entry(0, 8);
	mem[MADT_PA + at + 2] = apic_id;	/* processor UID */
	mem[MADT_PA + at + 3] = apic_id;
	put32(MADT_PA + at + 4, flags);
}

static void madt_x2apic(uint32_t apic_id, uint32_t flags)
{
	uint32_t at = madt_len;

	madt_entry(9, 16);
	put32(MADT_PA + at + 4, apic_id);
	put32(MADT_PA + at + 8, flags);
	put32(MADT_PA + at + 12, apic_id);	/* UID */
}

/* A PC: RSDP in the BIOS area, XSDT -> FACP, MADT with 3 CPUs (one disabled). */
static void build_pc(void)
{
	uint64_t tables[] = { FACP_PA, MADT_PA };

	memset(mem, 0, sizeof(mem));
	put_header(FACP_PA, "FACP", 116);
	seal(FACP_PA);
	madt_start();
	madt_lapic(0, ACPI_CPU_ENABLED);
	madt_lapic(1, ACPI_CPU_ENABLED);
	madt_lapic(2, ACPI_CPU_ONLINE_CAPABLE);
	seal(MADT_PA);
	put_xsdt(tables, 2);
	put_rsdt((const uint32_t[]){ FACP_PA, MADT_PA }, 2);
	put_rsdp(BIOS_RSDP_PA, 2, RSDT_PA, XSDT_PA);
}

struct cpus_seen {
	unsigned int n;
	uint32_t id[MAX_CPUS_SEEN];
	uint32_t flags[MAX_CPUS_SEEN];
};

static void record_cpu(void *arg, uint32_t apic_id, uint32_t flags)
{
	struct cpus_seen *s = arg;

	if (s->n < MAX_CPUS_SEEN) {
		s->id[s->n] = apic_id;
		s->flags[s->n] = flags;
	}
	s->n++;
}

/* Scan, find the MADT and parse it: the whole path the kernel takes. */
static int parse_all(struct acpi_madt_info *info, struct cpus_seen *seen)
{
	const struct acpi_sdt *madt;
	struct acpi_rsdp rsdp;
	int err = acpi_rsdp_scan(&fake, &rsdp);

	if (err)
		return err;
	madt = acpi_find_table(&fake, &rsdp, "APIC", &err);
	if (!madt)
		return err;
	return acpi_madt_parse(madt, info, record_cpu, seen);
}

KTEST(acpi, finds_rsdp_in_bios_area_and_lists_every_madt_cpu)
{
	struct acpi_madt_info info;
	struct cpus_seen seen = { 0 };

	build_pc();
	ASSERT_EQ(t, parse_all(&info, &seen), 0);
	EXPECT_EQ(t, info.lapic_base, 0xfee00000);
	EXPECT_TRUE(t, info.pcat_compat);
	EXPECT_EQ(t, info.nr_cpu_entries, 3);
	ASSERT_EQ(t, seen.n, 3);
	EXPECT_EQ(t, seen.id[0], 0);
	EXPECT_EQ(t, seen.id[2], 2);
	EXPECT_EQ(t, seen.flags[1], ACPI_CPU_ENABLED);
	EXPECT_EQ(t, seen.flags[2], ACPI_CPU_ONLINE_CAPABLE);
}

KTEST(acpi, prefers_the_xsdt_and_falls_back_to_the_rsdt_before_acpi_2)
{
	struct acpi_rsdp rsdp;

	build_pc();
	ASSERT_EQ(t, acpi_rsdp_scan(&fake, &rsdp), 0);
	EXPECT_TRUE(t, rsdp.xsdt);
	EXPECT_EQ(t, rsdp.root_pa, XSDT_PA);
	memset(mem + BIOS_RSDP_PA, 0, 36);
	put_rsdp(BIOS_RSDP_PA, 0, RSDT_PA, 0);
	ASSERT_EQ(t, acpi_rsdp_scan(&fake, &rsdp), 0);
	EXPECT_FALSE(t, rsdp.xsdt);
	EXPECT_EQ(t, rsdp.root_pa, RSDT_PA);
	{
		struct acpi_madt_info info;
		struct cpus_seen seen = { 0 };

		EXPECT_EQ(t, parse_all(&info, &seen), 0);
		EXPECT_EQ(t, seen.n, 3);
	}
}

KTEST(acpi, searches_the_ebda_before_the_bios_area)
{
	struct acpi_rsdp rsdp;

	build_pc();
	put_rsdp(EBDA_PA + 0x40, 0, RSDT_PA, 0);
	mem[0x40e] = (uint8_t)(EBDA_PA >> 4);
	mem[0x40f] = (uint8_t)(EBDA_PA >> 12);
	ASSERT_EQ(t, acpi_rsdp_scan(&fake, &rsdp), 0);
	EXPECT_EQ(t, rsdp.revision, 0);		/* the EBDA's, not the BIOS area's */
}

KTEST(acpi, rejects_rsdp_with_bad_checksums)
{
	struct acpi_rsdp rsdp;

	build_pc();
	mem[BIOS_RSDP_PA + 9] ^= 0x20;		/* OEM id: the 20-byte checksum breaks */
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 36, &rsdp), -EINVAL);
	EXPECT_EQ(t, acpi_rsdp_scan(&fake, &rsdp), -ENOENT);

	build_pc();
	mem[BIOS_RSDP_PA + 24] ^= 1;		/* XSDT address: the extended checksum breaks */
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 36, &rsdp), -EINVAL);
	EXPECT_EQ(t, acpi_rsdp_scan(&fake, &rsdp), -ENOENT);
}

KTEST(acpi, rejects_truncated_rsdp_and_bad_lengths)
{
	struct acpi_rsdp rsdp;

	build_pc();
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 19, &rsdp), -EINVAL);
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 30, &rsdp), -EINVAL);
	EXPECT_EQ(t, acpi_rsdp_check("RSD PTX ", 8, &rsdp), -EINVAL);
	put32(BIOS_RSDP_PA + 20, 20);		/* length below the v2 size */
	checksum(BIOS_RSDP_PA, 36, 32);
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 36, &rsdp), -EINVAL);
	put32(BIOS_RSDP_PA + 20, 4096);		/* longer than what is readable */
	checksum(BIOS_RSDP_PA, 36, 32);
	EXPECT_EQ(t, acpi_rsdp_check(mem + BIOS_RSDP_PA, 36, &rsdp), -EINVAL);
}

KTEST(acpi, reads_an_rsdp_at_a_given_address_only_inside_memory)
{
	struct acpi_rsdp rsdp;

	build_pc();
	EXPECT_EQ(t, acpi_rsdp_at(&fake, BIOS_RSDP_PA, &rsdp), 0);
	EXPECT_EQ(t, rsdp.root_pa, XSDT_PA);
	EXPECT_EQ(t, acpi_rsdp_at(&fake, MEM_SIZE - 10, &rsdp), -EINVAL);
	EXPECT_EQ(t, acpi_rsdp_at(&fake, 1ULL << 40, &rsdp), -EINVAL);
	memcpy(mem + MEM_SIZE - 24, mem + BIOS_RSDP_PA, 24);	/* v2, cut at 24 bytes */
	EXPECT_EQ(t, acpi_rsdp_at(&fake, MEM_SIZE - 24, &rsdp), -EINVAL);
}

KTEST(acpi, rejects_root_table_with_bad_checksum_or_signature)
{
	struct acpi_rsdp rsdp = { .root_pa = XSDT_PA, .xsdt = true, .revision = 2 };
	int err = 0;

	build_pc();
	mem[XSDT_PA + 36] ^= 0x10;
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);

	build_pc();
	rsdp.root_pa = MADT_PA;			/* a sound table, but not an XSDT */
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);
}

KTEST(acpi, rejects_tables_whose_length_runs_past_memory_or_header)
{
	struct acpi_rsdp rsdp = { .root_pa = XSDT_PA, .xsdt = true, .revision = 2 };
	int err = 0;

	build_pc();
	put32(XSDT_PA + 4, MEM_SIZE);		/* past the end of memory */
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);

	build_pc();
	put32(XSDT_PA + 4, 20);			/* shorter than its own header */
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);

	build_pc();
	put32(MADT_PA + 4, ACPI_MAX_TABLE_SIZE + 1);
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);

	/* A table that starts inside memory and ends outside it. */
	build_pc();
	put_header(MEM_SIZE - 64, "APIC", 128);
	put_xsdt((const uint64_t[]){ MEM_SIZE - 64 }, 1);
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);
}

KTEST(acpi, rejects_root_entry_pointing_outside_memory)
{
	struct acpi_rsdp rsdp = { .root_pa = XSDT_PA, .xsdt = true, .revision = 2 };
	int err = 0;

	build_pc();
	put_xsdt((const uint64_t[]){ 0xfffffffff000ULL, MADT_PA }, 2);
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "APIC", &err));
	EXPECT_EQ(t, err, -EINVAL);
}

KTEST(acpi, reports_an_absent_table_as_enoent)
{
	struct acpi_rsdp rsdp = { .root_pa = XSDT_PA, .xsdt = true, .revision = 2 };
	int err = 0;

	build_pc();
	EXPECT_NULL(t, acpi_find_table(&fake, &rsdp, "HPET", &err));
	EXPECT_EQ(t, err, -ENOENT);
	EXPECT_TRUE(t, acpi_find_table(&fake, &rsdp, "FACP", &err) != NULL);
	EXPECT_EQ(t, err, 0);
}

KTEST(acpi, rejects_madt_with_bad_checksum)
{
	struct acpi_madt_info info;
	struct cpus_seen seen = { 0 };

	build_pc();
	mem[MADT_PA + 44 + 3] = 7;		/* an APIC id changed after sealing */
	EXPECT_EQ(t, parse_all(&info, &seen), -EINVAL);
	EXPECT_EQ(t, seen.n, 0);
}

/*
 * Rebuild the MADT with one broken last entry; what does parsing say? An
 * entry shorter than its own header still gets 8 bytes of table, so the
 * length field, not the table's end, is what is wrong.
 */
static int parse_with_last_entry(uint8_t type, uint8_t len, struct cpus_seen *seen)
{
	struct acpi_madt_info info;

	build_pc();
	madt_start();
	madt_lapic(0, ACPI_CPU_ENABLED);
	madt_entry(type, len);
	if (len < 2) {
		madt_len += 8 - len;
		put32(MADT_PA + 4, madt_len);
	}
	seal(MADT_PA);
	return parse_all(&info, seen);
}

KTEST(acpi, rejects_madt_entry_running_past_the_table)
{
	struct acpi_madt_info info;
	struct cpus_seen seen = { 0 };

	build_pc();
	madt_start();
	madt_lapic(0, ACPI_CPU_ENABLED);
	madt_lapic(1, ACPI_CPU_ENABLED);
	put32(MADT_PA + 4, madt_len - 4);	/* the table ends inside the last entry */
	seal(MADT_PA);
	EXPECT_EQ(t, parse_all(&info, &seen), -EINVAL);
	EXPECT_EQ(t, seen.n, 1);		/* the entries before it were reported */

	build_pc();
	madt_start();
	madt_lapic(0, ACPI_CPU_ENABLED);
	mem[MADT_PA + madt_len] = 0;		/* one byte of an entry header */
	put32(MADT_PA + 4, madt_len + 1);
	seal(MADT_PA);
	seen.n = 0;
	EXPECT_EQ(t, parse_all(&info, &seen), -EINVAL);
}

KTEST(acpi, rejects_madt_entries_too_short_for_their_type)
{
	struct cpus_seen seen = { 0 };

	EXPECT_EQ(t, parse_with_last_entry(0, 0, &seen), -EINVAL);	/* would loop forever */
	EXPECT_EQ(t, parse_with_last_entry(0x7f, 1, &seen), -EINVAL);
	EXPECT_EQ(t, parse_with_last_entry(0, 6, &seen), -EINVAL);	/* local APIC needs 8 */
	EXPECT_EQ(t, parse_with_last_entry(9, 12, &seen), -EINVAL);	/* x2APIC needs 16 */
	EXPECT_EQ(t, parse_with_last_entry(5, 8, &seen), -EINVAL);	/* override needs 12 */
	seen.n = 0;
	EXPECT_EQ(t, parse_with_last_entry(0x7f, 6, &seen), 0);	/* unknown types are skipped */
	EXPECT_EQ(t, seen.n, 1);
}

KTEST(acpi, rejects_madt_shorter_than_its_fixed_fields)
{
	struct acpi_madt_info info;
	struct cpus_seen seen = { 0 };

	build_pc();
	put_header(MADT_PA, "APIC", 40);
	seal(MADT_PA);
	EXPECT_EQ(t, parse_all(&info, &seen), -EINVAL);
}

KTEST(acpi, reports_x2apic_cpus_and_the_address_override)
{
	struct acpi_madt_info info;
	struct cpus_seen seen = { 0 };
	uint32_t at;

	build_pc();
	madt_start();
	madt_lapic(0, ACPI_CPU_ENABLED);
	madt_x2apic(0x100, ACPI_CPU_ENABLED);
	at = madt_len;
	madt_entry(5, 12);
	put64(MADT_PA + at + 4, 0xfed00000ULL);
	seal(MADT_PA);
	ASSERT_EQ(t, parse_all(&info, &seen), 0);
	EXPECT_EQ(t, info.lapic_base, 0xfed00000ULL);
	ASSERT_EQ(t, seen.n, 2);
	EXPECT_EQ(t, seen.id[1], 0x100);
	EXPECT_EQ(t, info.nr_cpu_entries, 2);
}
