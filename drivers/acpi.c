// SPDX-License-Identifier: MIT
/* ACPI table parsing: RSDP, RSDT/XSDT, MADT (see include/acpi.h). */
#include <acpi.h>
#include <kernel.h>
#include <libc.h>

#define RSDP_SIG		"RSD PTR "
#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define EBDA_SEGMENT_PA		0x40e
#define BIOS_AREA_START		0xe0000
#define BIOS_AREA_END		0x100000

#define MADT_HEADER_LEN		44	/* SDT header, local APIC address, flags */
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_LAPIC		0
#define MADT_LAPIC_OVERRIDE	5
#define MADT_X2APIC		9

/* Little-endian fields at any alignment (tables are byte-packed). */
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint8_t sum_bytes(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

int acpi_rsdp_check(const void *p, size_t avail, struct acpi_rsdp *out)
{
	const uint8_t *r = p;
	uint32_t len;

	if (avail < RSDP_V1_LEN || memcmp(r, RSDP_SIG, 8))
		return -EINVAL;
	if (sum_bytes(r, RSDP_V1_LEN)) {
		printk("acpi: RSDP checksum is wrong\n");
		return -EINVAL;
	}
	out->revision = r[15];
	out->xsdt = false;
	out->root_pa = get32(r + 16);
	if (out->revision < 2)
		return 0;
	if (avail < RSDP_V2_LEN) {
		printk("acpi: RSDP revision %u is truncated to %lu bytes\n",
		       out->revision, (unsigned long)avail);
		return -EINVAL;
	}
	len = get32(r + 20);
#ifdef FUZZ_BROKEN	/* the fuzzer's proof that it finds a read past the RSDP */
	avail = len;
#endif
	if (len < RSDP_V2_LEN || len > avail) {
		printk("acpi: RSDP length %u is bad (%lu bytes readable)\n", len,
		       (unsigned long)avail);
		return -EINVAL;
	}
	if (sum_bytes(r, len)) {
		printk("acpi: RSDP extended checksum is wrong\n");
		return -EINVAL;
	}
	if (get64(r + 24)) {
		out->root_pa = get64(r + 24);
		out->xsdt = true;
	}
	return 0;
}

int acpi_rsdp_at(const struct acpi_mem *mem, uint64_t pa, struct acpi_rsdp *out)
{
	const uint8_t *r = mem->map(mem->ctx, pa, RSDP_V1_LEN), *whole;
	uint32_t len;

	if (!r) {
		printk("acpi: RSDP at %#llx is not in memory\n", (unsigned long long)pa);
		return -EINVAL;
	}
	/* Only a scan may pass over non-RSDPs quietly: here one was promised. */
	if (memcmp(r, RSDP_SIG, 8)) {
		printk("acpi: no RSDP signature at %#llx\n", (unsigned long long)pa);
		return -EINVAL;
	}
	if (r[15] < 2)
		return acpi_rsdp_check(r, RSDP_V1_LEN, out);
	r = mem->map(mem->ctx, pa, RSDP_V2_LEN);
	if (!r) {
		printk("acpi: RSDP at %#llx is truncated\n", (unsigned long long)pa);
		return -EINVAL;
	}
	/* A longer (future) RSDP is checked whole if it can be read whole. */
	len = get32(r + 20);
	whole = len > RSDP_V2_LEN && len <= ACPI_MAX_TABLE_SIZE ?
		mem->map(mem->ctx, pa, len) : NULL;
	if (whole)
		return acpi_rsdp_check(whole, len, out);
	return acpi_rsdp_check(r, RSDP_V2_LEN, out);
}

/* First valid RSDP on a 16-byte boundary in [start, end), or -ENOENT. */
static int scan_area(const struct acpi_mem *mem, uint64_t start, uint64_t end,
		     struct acpi_rsdp *out)
{
	const uint8_t *area = mem->map(mem->ctx, start, end - start);

	if (!area)
		return -ENOENT;
	for (uint64_t off = 0; off + RSDP_V1_LEN <= end - start; off += 16)
		if (!memcmp(area + off, RSDP_SIG, 8) &&
		    !acpi_rsdp_check(area + off, end - start - off, out))
			return 0;
	return -ENOENT;
}

int acpi_rsdp_scan(const struct acpi_mem *mem, struct acpi_rsdp *out)
{
	const uint8_t *seg = mem->map(mem->ctx, EBDA_SEGMENT_PA, 2);
	uint64_t ebda = seg ? (uint64_t)(seg[0] | seg[1] << 8) << 4 : 0;

	/* The EBDA lies just below 640 KiB; anything else is not an EBDA. */
	if (ebda >= 0x80000 && ebda + 1024 <= 0xa0000 &&
	    !scan_area(mem, ebda, ebda + 1024, out))
		return 0;
	return scan_area(mem, BIOS_AREA_START, BIOS_AREA_END, out);
}

/* A table's signature for a message: firmware bytes, made printable. */
struct sig_text {
	char s[5];
};

static struct sig_text sig_text(const struct acpi_sdt *h)
{
	struct sig_text t;

	for (int i = 0; i < 4; i++)
		t.s[i] = h->signature[i] >= ' ' && h->signature[i] <= '~' ? h->signature[i] : '?';
	t.s[4] = '\0';
	return t;
}

/*
 * Map the whole table at pa and verify it: length within bounds, then
 * checksum. NULL (after saying why) if it is not a sound table.
 */
static const struct acpi_sdt *map_table(const struct acpi_mem *mem, uint64_t pa)
{
	const struct acpi_sdt *h = mem->map(mem->ctx, pa, sizeof(*h));
	uint32_t len;

	if (!h) {
		printk("acpi: table at %#llx is not in memory\n", (unsigned long long)pa);
		return NULL;
	}
	len = h->length;
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_SIZE) {
		printk("acpi: %s at %#llx has bad length %u\n", sig_text(h).s,
		       (unsigned long long)pa, len);
		return NULL;
	}
	h = mem->map(mem->ctx, pa, len);
	if (!h) {
		printk("acpi: table at %#llx (%u bytes) runs past the end of memory\n",
		       (unsigned long long)pa, len);
		return NULL;
	}
	if (sum_bytes((const uint8_t *)h, len)) {
		printk("acpi: %s at %#llx has a bad checksum\n", sig_text(h).s,
		       (unsigned long long)pa);
		return NULL;
	}
	return h;
}

const struct acpi_sdt *acpi_find_table(const struct acpi_mem *mem,
				       const struct acpi_rsdp *rsdp,
				       const char *sig, int *err)
{
	const struct acpi_sdt *root = map_table(mem, rsdp->root_pa);
	const char *root_sig = rsdp->xsdt ? "XSDT" : "RSDT";
	size_t entry = rsdp->xsdt ? 8 : 4, n;

	*err = -EINVAL;
	if (!root)
		return NULL;
	if (memcmp(root->signature, root_sig, 4)) {
		printk("acpi: the RSDP points at %s, not an %s\n", sig_text(root).s, root_sig);
		return NULL;
	}
	n = (root->length - sizeof(*root)) / entry;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * entry;
		uint64_t pa = entry == 8 ? get64(e) : get32(e);
		const struct acpi_sdt *h = mem->map(mem->ctx, pa, sizeof(*h));

		if (!h) {
			printk("acpi: %s entry %lu (%#llx) is not in memory\n", root_sig,
			       (unsigned long)i, (unsigned long long)pa);
			return NULL;
		}
		if (memcmp(h->signature, sig, 4))
			continue;
		h = map_table(mem, pa);
		if (h)
			*err = 0;
		return h;
	}
	*err = -ENOENT;
	return NULL;
}

int acpi_madt_parse(const struct acpi_sdt *madt, struct acpi_madt_info *info,
		    acpi_cpu_fn fn, void *arg)
{
	const uint8_t *t = (const uint8_t *)madt;
	uint32_t len = madt->length;

	if (len < MADT_HEADER_LEN) {
		printk("acpi: MADT of %u bytes is too short\n", len);
		return -EINVAL;
	}
	info->lapic_base = get32(t + 36);
	info->pcat_compat = get32(t + 40) & MADT_PCAT_COMPAT;
	info->nr_cpu_entries = 0;
	for (uint32_t off = MADT_HEADER_LEN; off < len;) {
		uint8_t type, elen;

		if (len - off < 2) {
			printk("acpi: MADT entry at offset %u is truncated\n", off);
			return -EINVAL;
		}
		type = t[off];
		elen = t[off + 1];
		if (elen < 2 || elen > len - off) {
			printk("acpi: MADT entry at offset %u has bad length %u\n", off, elen);
			return -EINVAL;
		}
		if ((type == MADT_LAPIC && elen < 8) || (type == MADT_X2APIC && elen < 16) ||
		    (type == MADT_LAPIC_OVERRIDE && elen < 12)) {
			printk("acpi: MADT entry of type %u at offset %u is too short (%u bytes)\n",
			       type, off, elen);
			return -EINVAL;
		}
		if (type == MADT_LAPIC) {
			info->nr_cpu_entries++;
			fn(arg, t[off + 3], get32(t + off + 4));
		} else if (type == MADT_X2APIC) {
			info->nr_cpu_entries++;
			fn(arg, get32(t + off + 4), get32(t + off + 8));
		} else if (type == MADT_LAPIC_OVERRIDE) {
			info->lapic_base = get64(t + off + 4);
		}
		off += elen;
	}
	return 0;
}
