// SPDX-License-Identifier: MIT
/*
 * Device tree parser tests. The blobs are built here by a small builder,
 * so each test shows the tree it parses; malformed blobs are valid ones
 * with one thing broken. One real blob (QEMU virt) checks the lot against
 * what QEMU actually emits.
 */
#include <ktest.h>
#include <fdt.h>
#include <kerrno.h>
#include <libc.h>
#include <mm.h>
#include "fdt_test_blob.h"

#define BLOB_MAX	2048

/*
 * A blob under construction: tokens go to dt[], names to strings[], and
 * blob_finish() lays out header, reservations, structure and strings in
 * buf[], in that order, as dtc does.
 */
struct blob {
	uint8_t buf[BLOB_MAX];
	uint32_t size;			/* of buf[] once finished */
	uint8_t dt[BLOB_MAX];
	uint32_t dt_len;
	char strings[512];
	uint32_t strings_len;
	uint64_t rsv[4][2];
	int nr_rsv;
	bool overflow;			/* something did not fit */
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void blob_start(struct blob *b)
{
	memset(b, 0, sizeof(*b));
}

static void blob_bytes(struct blob *b, const void *p, uint32_t len)
{
	uint32_t padded = ALIGN_UP(len, 4);

	if (b->dt_len + padded > sizeof(b->dt)) {
		b->overflow = true;
		return;
	}
	memcpy(b->dt + b->dt_len, p, len);
	memset(b->dt + b->dt_len + len, 0, padded - len);
	b->dt_len += padded;
}

static void blob_word(struct blob *b, uint32_t v)
{
	uint8_t w[4];

	put32(w, v);
	blob_bytes(b, w, 4);
}

static void blob_rsv(struct blob *b, uint64_t addr, uint64_t size)
{
	if (b->nr_rsv == (int)ARRAY_SIZE(b->rsv)) {
		b->overflow = true;
		return;
	}
	b->rsv[b->nr_rsv][0] = addr;
	b->rsv[b->nr_rsv][1] = size;
	b->nr_rsv++;
}

static void blob_begin(struct blob *b, const char *name)
{
	blob_word(b, FDT_BEGIN_NODE);
	blob_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static void blob_end(struct blob *b)
{
	blob_word(b, FDT_END_NODE);
}

/* Offset of name in the strings block, adding it if it is new. */
static uint32_t blob_string(struct blob *b, const char *name)
{
	uint32_t len = (uint32_t)strlen(name) + 1;

	for (uint32_t off = 0; off < b->strings_len;
	     off += (uint32_t)strlen(b->strings + off) + 1)
		if (!strcmp(b->strings + off, name))
			return off;
	if (b->strings_len + len > sizeof(b->strings)) {
		b->overflow = true;
		return 0;
	}
	memcpy(b->strings + b->strings_len, name, len);
	b->strings_len += len;
	return b->strings_len - len;
}

static void blob_prop(struct blob *b, const char *name, const void *val,
		      uint32_t len)
{
	blob_word(b, FDT_PROP);
	blob_word(b, len);
	blob_word(b, blob_string(b, name));
	blob_bytes(b, val, len);
}

/* A string property; lists are written "a\0b" and sized with sizeof. */
static void blob_prop_str(struct blob *b, const char *name, const char *s)
{
	blob_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

static void blob_prop_cells(struct blob *b, const char *name,
			    const uint32_t *cells, uint32_t n)
{
	uint8_t val[64];

	if (n > sizeof(val) / 4) {
		b->overflow = true;
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		put32(val + 4 * i, cells[i]);
	blob_prop(b, name, val, 4 * n);
}

#define PROP_CELLS(b, name, ...)					\
	blob_prop_cells(b, name, (const uint32_t[]){ __VA_ARGS__ },	\
			sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
#define PROP_LIST(b, name, list)	blob_prop(b, name, list, sizeof(list))

/* Appends FDT_END and lays the blob out; returns its size, 0 if too big. */
static uint32_t blob_finish(struct blob *b)
{
	uint32_t rsv_off = HDR_SIZE_V17, struct_off, strings_off;

	blob_word(b, FDT_END);
	struct_off = rsv_off + 16 * ((uint32_t)b->nr_rsv + 1);
	strings_off = struct_off + b->dt_len;
	b->size = strings_off + b->strings_len;
	if (b->overflow || b->size > sizeof(b->buf))
		return 0;
	memset(b->buf, 0, sizeof(b->buf));
	put32(b->buf + HDR_MAGIC, FDT_MAGIC);
	put32(b->buf + HDR_TOTALSIZE, b->size);
	put32(b->buf + HDR_OFF_STRUCT, struct_off);
	put32(b->buf + HDR_OFF_STRINGS, strings_off);
	put32(b->buf + HDR_OFF_RSVMAP, rsv_off);
	put32(b->buf + HDR_VERSION, 17);
	put32(b->buf + HDR_LAST_COMP, 16);
	put32(b->buf + HDR_SIZE_STRINGS, b->strings_len);
	put32(b->buf + HDR_SIZE_STRUCT, b->dt_len);
	for (int i = 0; i < b->nr_rsv; i++) {
		uint8_t *e = b->buf + rsv_off + 16 * i;

		put32(e, (uint32_t)(b->rsv[i][0] >> 32));
		put32(e + 4, (uint32_t)b->rsv[i][0]);
		put32(e + 8, (uint32_t)(b->rsv[i][1] >> 32));
		put32(e + 12, (uint32_t)b->rsv[i][1]);
	}
	memcpy(b->buf + struct_off, b->dt, b->dt_len);
	memcpy(b->buf + strings_off, b->strings, b->strings_len);
	return b->size;
}

/* Where the finished blob's structure block starts. */
static uint32_t blob_struct_off(const struct blob *b)
{
	return get32(b->buf + HDR_OFF_STRUCT);
}

static struct blob sample;

/*
 * The tree most tests query: a board in the style of QEMU virt, plus the
 * oddities the lookups must handle (a non-CPU node under /cpus, disabled
 * nodes, an empty memory bank, a node named both "gpio" and "gpio@1000").
 */
static uint32_t build_sample(struct blob *b)
{
	blob_start(b);
	blob_rsv(b, 0x48000000, 0x1000);
	blob_rsv(b, 0x123456789ull, 0x2000);

	blob_begin(b, "");
	PROP_CELLS(b, "#address-cells", 2);
	PROP_CELLS(b, "#size-cells", 2);
	PROP_LIST(b, "compatible", "test,board\0test,soc");

	blob_begin(b, "aliases");
	blob_prop_str(b, "serial0", "/soc/uart@9000000");
	blob_prop_str(b, "serial1", "/soc/uart@9001000");
	blob_prop_str(b, "soc", "/soc");
	blob_prop(b, "broken", "/soc", 4);
	blob_end(b);

	blob_begin(b, "chosen");
	blob_prop_str(b, "bootargs", "console=ttyAMA0 run=selftest");
	blob_prop_str(b, "stdout-path", "serial1:115200n8");
	blob_end(b);

	blob_begin(b, "memory@40000000");
	blob_prop_str(b, "device_type", "memory");
	PROP_CELLS(b, "reg", 0, 0x40000000, 0, 0x10000000,
		   0x1, 0x00000000, 0, 0,
		   0x2, 0x00000000, 0x1, 0x00000000);
	blob_end(b);

	blob_begin(b, "memory@80000000");
	blob_prop_str(b, "device_type", "memory");
	blob_prop_str(b, "status", "disabled");
	PROP_CELLS(b, "reg", 0, 0x80000000, 0, 0x1000);
	blob_end(b);

	blob_begin(b, "cpus");
	PROP_CELLS(b, "#address-cells", 1);
	PROP_CELLS(b, "#size-cells", 0);
	blob_begin(b, "cpu-map");
	blob_begin(b, "cluster0");
	blob_end(b);
	blob_end(b);
	blob_begin(b, "cpu@0");
	blob_prop_str(b, "device_type", "cpu");
	PROP_CELLS(b, "reg", 0);
	blob_prop_str(b, "enable-method", "psci");
	blob_end(b);
	blob_begin(b, "cpu@1");
	blob_prop_str(b, "device_type", "cpu");
	PROP_CELLS(b, "reg", 1);
	blob_prop_str(b, "enable-method", "spin-table");
	PROP_CELLS(b, "cpu-release-addr", 0, 0xd8);
	blob_end(b);
	blob_begin(b, "cpu@2");
	blob_prop_str(b, "device_type", "cpu");
	blob_prop_str(b, "status", "disabled");
	PROP_CELLS(b, "reg", 2);
	blob_end(b);
	blob_begin(b, "cpu@100");
	blob_prop_str(b, "device_type", "cpu");
	blob_prop_str(b, "status", "okay");
	PROP_CELLS(b, "reg", 0x100);
	blob_end(b);
	blob_end(b);

	blob_begin(b, "psci");
	PROP_LIST(b, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
	blob_prop_str(b, "method", "hvc");
	blob_end(b);

	blob_begin(b, "soc");
	PROP_CELLS(b, "#address-cells", 1);
	PROP_CELLS(b, "#size-cells", 1);
	blob_begin(b, "gpio@1000");
	PROP_CELLS(b, "reg", 0x1000, 0x100);
	blob_end(b);
	blob_begin(b, "gpio");
	blob_end(b);
	blob_begin(b, "uart@9000000");
	PROP_LIST(b, "compatible", "arm,pl011\0arm,primecell");
	PROP_CELLS(b, "reg", 0x9000000, 0x1000);
	PROP_CELLS(b, "phandle", 0x8000);
	blob_end(b);
	blob_begin(b, "uart@9001000");
	PROP_LIST(b, "compatible", "arm,pl011\0arm,primecell");
	PROP_CELLS(b, "reg", 0x9001000, 0x1000);
	PROP_CELLS(b, "linux,phandle", 0x8001);
	blob_prop(b, "unterminated", "abc", 3);
	blob_prop(b, "empty", "", 0);
	PROP_CELLS(b, "wide", 0x11223344, 0x55667788);
	blob_end(b);
	blob_begin(b, "intc@8000000");
	PROP_LIST(b, "compatible", "arm,gic-400");
	PROP_CELLS(b, "reg", 0x8000000, 0x10000, 0x8010000, 0x10000);
	PROP_CELLS(b, "#address-cells", 0);
	PROP_CELLS(b, "phandle", 1);
	blob_end(b);
	blob_end(b);

	blob_end(b);
	return blob_finish(b);
}

/* Builds the sample and initialises f on it, failing the test if not. */
#define INIT_SAMPLE(t, f)						\
	do {								\
		uint32_t __size = build_sample(&sample);		\
		ASSERT_GT(t, __size, 0);				\
		ASSERT_EQ(t, fdt_init(f, sample.buf, __size), 0);	\
	} while (0)

/*
 * A copy of the first n bytes of src in a buffer of n bytes from kmalloc():
 * in the host build that is malloc(), so AddressSanitizer reports any
 * read past n; in the kernel the copy may have slack past n that nothing
 * watches. NULL for n == 0 or when out of memory.
 */
static uint8_t *exact_copy(const void *src, size_t n)
{
	uint8_t *p = kmalloc(n);

	if (p)
		memcpy(p, src, n);
	return p;
}

static void drop_copy(uint8_t *p)
{
	kfree(p);
}

KTEST(fdt, accepts_a_root_only_blob)
{
	struct fdt f;
	int len = -1;
	uint32_t size;

	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	size = blob_finish(&sample);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_totalsize(&f), size);
	EXPECT_EQ(t, fdt_num_mem_rsv(&f), 0);
	EXPECT_EQ(t, fdt_path_offset(&f, "/"), 0);
	EXPECT_STREQ(t, fdt_get_name(&f, 0, &len), "");
	EXPECT_EQ(t, len, 0);
	EXPECT_EQ(t, fdt_first_subnode(&f, 0), -ENOENT);
	EXPECT_EQ(t, fdt_next_subnode(&f, 0), -ENOENT);
	EXPECT_EQ(t, fdt_next_node(&f, 0), -ENOENT);
	EXPECT_EQ(t, fdt_parent_offset(&f, 0), -ENOENT);
	EXPECT_EQ(t, fdt_cpu_count(&f), 0);
	EXPECT_EQ(t, fdt_memory_region(&f, 0, &(uint64_t){ 0 },
				       &(uint64_t){ 0 }), -ENOENT);
}

KTEST(fdt, accepts_version_16_header_without_struct_size)
{
	struct fdt f;
	uint32_t size = build_sample(&sample);

	ASSERT_GT(t, size, 0);
	put32(sample.buf + HDR_VERSION, 16);
	put32(sample.buf + HDR_SIZE_STRUCT, 0xdeadbeef);	/* not a field in v16 */
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_GT(t, fdt_path_offset(&f, "/soc/uart@9000000"), 0);
}

KTEST(fdt, finds_nodes_by_path_with_and_without_unit_address)
{
	struct fdt f;
	int uart, gpio;

	INIT_SAMPLE(t, &f);
	EXPECT_EQ(t, fdt_path_offset(&f, "/"), 0);
	uart = fdt_path_offset(&f, "/soc/uart@9000000");
	ASSERT_GT(t, uart, 0);
	EXPECT_STREQ(t, fdt_get_name(&f, uart, NULL), "uart@9000000");
	EXPECT_STREQ(t, fdt_get_name(&f, fdt_path_offset(&f, "/cpus/cpu@1"),
				     NULL), "cpu@1");
	EXPECT_STREQ(t, fdt_get_name(&f, fdt_path_offset(&f, "/psci"), NULL),
		     "psci");
	/* Without '@', the first node with that base name... */
	EXPECT_EQ(t, fdt_path_offset(&f, "/soc/uart"), uart);
	EXPECT_STREQ(t, fdt_get_name(&f, fdt_path_offset(&f, "/memory"), NULL),
		     "memory@40000000");
	/* ...unless one has exactly that name, wherever it is. */
	gpio = fdt_path_offset(&f, "/soc/gpio");
	EXPECT_STREQ(t, fdt_get_name(&f, gpio, NULL), "gpio");
	EXPECT_STREQ(t, fdt_get_name(&f, fdt_path_offset(&f, "/soc/gpio@1000"),
				     NULL), "gpio@1000");
	/* Redundant slashes are harmless. */
	EXPECT_EQ(t, fdt_path_offset(&f, "//soc//uart@9000000/"), uart);
	EXPECT_EQ(t, fdt_subnode_offset(&f, fdt_path_offset(&f, "/soc"),
					"uart@9000000"), uart);

	EXPECT_EQ(t, fdt_path_offset(&f, "/soc/uart@9000001"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, "/soc/uart@"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, "/soc/uar"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, "/cpu@0"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, "/nosuch/cpu@0"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, ""), -EINVAL);
	EXPECT_EQ(t, fdt_path_offset(&f, NULL), -EINVAL);
}

KTEST(fdt, resolves_aliases_in_paths)
{
	struct fdt f;

	INIT_SAMPLE(t, &f);
	EXPECT_EQ(t, fdt_path_offset(&f, "serial0"),
		  fdt_path_offset(&f, "/soc/uart@9000000"));
	EXPECT_EQ(t, fdt_path_offset(&f, "soc/gpio@1000"),
		  fdt_path_offset(&f, "/soc/gpio@1000"));
	EXPECT_EQ(t, fdt_path_offset(&f, "serial2"), -ENOENT);
	EXPECT_EQ(t, fdt_path_offset(&f, "seria"), -ENOENT);
	/* An alias value without its NUL is not a path. */
	EXPECT_EQ(t, fdt_path_offset(&f, "broken"), -EINVAL);
}

KTEST(fdt, walks_subnodes_parents_and_document_order)
{
	static const char *const root_children[] = {
		"aliases", "chosen", "memory@40000000", "memory@80000000",
		"cpus", "psci", "soc",
	};
	struct fdt f;
	int node, soc, n = 0;

	INIT_SAMPLE(t, &f);
	fdt_for_each_subnode(node, &f, 0) {
		ASSERT_TRUE(t, n < (int)ARRAY_SIZE(root_children));
		EXPECT_STREQ(t, fdt_get_name(&f, node, NULL), root_children[n]);
		EXPECT_EQ(t, fdt_parent_offset(&f, node), 0);
		n++;
	}
	EXPECT_EQ(t, node, -ENOENT);
	EXPECT_EQ(t, n, (int)ARRAY_SIZE(root_children));

	/* Document order descends into cpus before moving on to psci. */
	node = fdt_path_offset(&f, "/cpus");
	node = fdt_next_node(&f, node);
	EXPECT_STREQ(t, fdt_get_name(&f, node, NULL), "cpu-map");
	node = fdt_next_node(&f, node);
	EXPECT_STREQ(t, fdt_get_name(&f, node, NULL), "cluster0");
	EXPECT_EQ(t, fdt_parent_offset(&f, fdt_parent_offset(&f, node)),
		  fdt_path_offset(&f, "/cpus"));
	node = fdt_next_node(&f, node);
	EXPECT_STREQ(t, fdt_get_name(&f, node, NULL), "cpu@0");
	EXPECT_EQ(t, fdt_next_node(&f, -1), 0);

	soc = fdt_path_offset(&f, "/soc");
	node = fdt_path_offset(&f, "/soc/intc@8000000");
	EXPECT_EQ(t, fdt_parent_offset(&f, node), soc);
	EXPECT_EQ(t, fdt_next_subnode(&f, node), -ENOENT);
	EXPECT_EQ(t, fdt_first_subnode(&f, node), -ENOENT);
	EXPECT_EQ(t, fdt_next_node(&f, node), -ENOENT);
	EXPECT_EQ(t, fdt_next_subnode(&f, soc), -ENOENT);
}

KTEST(fdt, reads_typed_properties)
{
	struct fdt f;
	int uart, len = 0;
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	const char *compat;

	INIT_SAMPLE(t, &f);
	uart = fdt_path_offset(&f, "/soc/uart@9001000");
	compat = fdt_getprop(&f, uart, "compatible", &len);
	ASSERT_NOT_NULL(t, compat);
	EXPECT_EQ(t, len, (int)sizeof("arm,pl011\0arm,primecell"));
	EXPECT_STREQ(t, compat, "arm,pl011");
	EXPECT_NULL(t, fdt_getprop(&f, uart, "nosuch", &len));
	EXPECT_EQ(t, len, -ENOENT);
	EXPECT_NULL(t, fdt_getprop(&f, uart, "compat", NULL));
	EXPECT_NULL(t, fdt_getprop(&f, uart, "compatiblex", NULL));
	EXPECT_TRUE(t, fdt_getprop(&f, uart, "empty", &len) != NULL);
	EXPECT_EQ(t, len, 0);

	EXPECT_EQ(t, fdt_read_u32(&f, uart, "linux,phandle", &v32), 0);
	EXPECT_EQ(t, v32, 0x8001);
	EXPECT_EQ(t, fdt_read_u32(&f, uart, "wide", &v32), -EINVAL);
	EXPECT_EQ(t, fdt_read_u32(&f, uart, "nosuch", &v32), -ENOENT);
	EXPECT_EQ(t, fdt_read_u64(&f, uart, "wide", &v64), 0);
	EXPECT_EQ(t, v64, 0x1122334455667788ull);
	EXPECT_EQ(t, fdt_read_u64(&f, uart, "linux,phandle", &v64), -EINVAL);

	EXPECT_STREQ(t, fdt_read_string(&f, uart, "compatible"), "arm,pl011");
	EXPECT_NULL(t, fdt_read_string(&f, uart, "unterminated"));
	EXPECT_NULL(t, fdt_read_string(&f, uart, "empty"));
	EXPECT_NULL(t, fdt_read_string(&f, uart, "nosuch"));
}

KTEST(fdt, stringlist_contains_whole_terminated_entries_only)
{
	static const char list[] = "arm,pl011\0arm,primecell";

	EXPECT_TRUE(t, fdt_stringlist_contains(list, sizeof(list), "arm,pl011"));
	EXPECT_TRUE(t, fdt_stringlist_contains(list, sizeof(list),
					       "arm,primecell"));
	EXPECT_FALSE(t, fdt_stringlist_contains(list, sizeof(list), "arm"));
	EXPECT_FALSE(t, fdt_stringlist_contains(list, sizeof(list),
						"arm,pl011x"));
	EXPECT_FALSE(t, fdt_stringlist_contains(list, sizeof(list), ""));
	/* The last entry without its NUL does not count. */
	EXPECT_FALSE(t, fdt_stringlist_contains(list, sizeof(list) - 1,
						"arm,primecell"));
	EXPECT_FALSE(t, fdt_stringlist_contains(list, 0, "arm,pl011"));
	EXPECT_FALSE(t, fdt_stringlist_contains(list, -4, "arm,pl011"));
	EXPECT_TRUE(t, fdt_stringlist_contains("\0x", 3, "x"));
}

KTEST(fdt, finds_nodes_by_compatible_and_phandle)
{
	struct fdt f;
	int first, second;

	INIT_SAMPLE(t, &f);
	first = fdt_node_offset_by_compatible(&f, -1, "arm,primecell");
	EXPECT_EQ(t, first, fdt_path_offset(&f, "/soc/uart@9000000"));
	second = fdt_node_offset_by_compatible(&f, first, "arm,pl011");
	EXPECT_EQ(t, second, fdt_path_offset(&f, "serial1"));
	EXPECT_EQ(t, fdt_node_offset_by_compatible(&f, second, "arm,pl011"),
		  -ENOENT);
	EXPECT_EQ(t, fdt_node_offset_by_compatible(&f, -1, "test,soc"), 0);
	EXPECT_EQ(t, fdt_node_offset_by_compatible(&f, -1, "arm,pl01"), -ENOENT);
	EXPECT_EQ(t, fdt_node_check_compatible(&f, first, "arm,pl011"), 0);
	EXPECT_EQ(t, fdt_node_check_compatible(&f, first, "arm,gic-400"),
		  -ENOENT);
	EXPECT_EQ(t, fdt_node_check_compatible(&f, fdt_path_offset(&f, "/cpus"),
					       "arm,pl011"), -ENOENT);

	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 0x8000), first);
	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 0x8001), second);
	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 1),
		  fdt_path_offset(&f, "/soc/intc"));
	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 2), -ENOENT);
	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 0), -EINVAL);
	EXPECT_EQ(t, fdt_node_offset_by_phandle(&f, 0xffffffff), -EINVAL);
}

KTEST(fdt, reads_status_and_cell_counts)
{
	struct fdt f;

	INIT_SAMPLE(t, &f);
	EXPECT_TRUE(t, fdt_node_is_available(&f, fdt_path_offset(&f, "/psci")));
	EXPECT_TRUE(t, fdt_node_is_available(&f,
			fdt_path_offset(&f, "/cpus/cpu@100")));
	EXPECT_FALSE(t, fdt_node_is_available(&f,
			fdt_path_offset(&f, "/cpus/cpu@2")));
	EXPECT_FALSE(t, fdt_node_is_available(&f, -4));

	EXPECT_EQ(t, fdt_address_cells(&f, 0), 2);
	EXPECT_EQ(t, fdt_size_cells(&f, 0), 2);
	EXPECT_EQ(t, fdt_address_cells(&f, fdt_path_offset(&f, "/cpus")), 1);
	EXPECT_EQ(t, fdt_size_cells(&f, fdt_path_offset(&f, "/cpus")), 0);
	/* Absent: the defaults. */
	EXPECT_EQ(t, fdt_address_cells(&f, fdt_path_offset(&f, "/psci")), 2);
	EXPECT_EQ(t, fdt_size_cells(&f, fdt_path_offset(&f, "/psci")), 1);
	EXPECT_EQ(t, fdt_address_cells(&f, 3), -EINVAL);
}

KTEST(fdt, decodes_reg_with_the_parents_cell_counts)
{
	struct fdt f;
	uint64_t addr = 0, size = 0;
	int intc;

	INIT_SAMPLE(t, &f);
	intc = fdt_path_offset(&f, "/soc/intc@8000000");
	EXPECT_EQ(t, fdt_get_reg(&f, intc, 1, &addr, &size), 0);
	EXPECT_EQ(t, addr, 0x8010000);
	EXPECT_EQ(t, size, 0x10000);
	EXPECT_EQ(t, fdt_get_reg(&f, intc, 2, &addr, &size), -ENOENT);
	EXPECT_EQ(t, fdt_get_reg(&f, intc, -1, &addr, &size), -ENOENT);

	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/memory"), 2,
				 &addr, &size), 0);
	EXPECT_EQ(t, addr, 0x200000000ull);
	EXPECT_EQ(t, size, 0x100000000ull);

	/* #size-cells = <0>: CPU ids have no size. */
	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/cpus/cpu@100"), 0,
				 &addr, NULL), 0);
	EXPECT_EQ(t, addr, 0x100);

	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/soc/gpio"), 0,
				 &addr, &size), -ENOENT);
	EXPECT_EQ(t, fdt_get_reg(&f, 0, 0, &addr, &size), -ENOENT);
	EXPECT_EQ(t, fdt_get_reg(&f, 8, 0, &addr, &size), -EINVAL);
}

KTEST(fdt, rejects_reg_with_unsupported_cells_or_partial_entries)
{
	struct fdt f;
	uint64_t addr, size;
	uint32_t blob_size;

	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "three");
	PROP_CELLS(&sample, "#address-cells", 3);
	blob_begin(&sample, "dev");
	PROP_CELLS(&sample, "reg", 1, 2, 3, 4);
	blob_end(&sample);
	blob_end(&sample);
	blob_begin(&sample, "none");
	PROP_CELLS(&sample, "#address-cells", 0);
	blob_begin(&sample, "dev");
	PROP_CELLS(&sample, "reg", 1);
	blob_end(&sample);
	blob_end(&sample);
	blob_begin(&sample, "huge");
	PROP_CELLS(&sample, "#size-cells", 5);
	blob_begin(&sample, "dev");
	PROP_CELLS(&sample, "reg", 1);
	blob_end(&sample);
	blob_end(&sample);
	blob_begin(&sample, "partial");
	PROP_CELLS(&sample, "reg", 0, 1, 2, 3);
	blob_end(&sample);
	blob_end(&sample);
	blob_size = blob_finish(&sample);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, blob_size), 0);

	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/three/dev"), 0,
				 &addr, &size), -EINVAL);
	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/none/dev"), 0,
				 &addr, &size), -EINVAL);
	EXPECT_EQ(t, fdt_size_cells(&f, fdt_path_offset(&f, "/huge")), -EINVAL);
	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/huge/dev"), 0,
				 &addr, &size), -EINVAL);
	/* Root cells 2+1: 16 bytes is one entry and a third. */
	EXPECT_EQ(t, fdt_get_reg(&f, fdt_path_offset(&f, "/partial"), 0,
				 &addr, &size), -EINVAL);
}

KTEST(fdt, lists_memory_reservations)
{
	struct fdt f;
	uint64_t addr = 0, size = 0;

	INIT_SAMPLE(t, &f);
	ASSERT_EQ(t, fdt_num_mem_rsv(&f), 2);
	EXPECT_EQ(t, fdt_get_mem_rsv(&f, 1, &addr, &size), 0);
	EXPECT_EQ(t, addr, 0x123456789ull);
	EXPECT_EQ(t, size, 0x2000);
	EXPECT_EQ(t, fdt_get_mem_rsv(&f, 0, &addr, &size), 0);
	EXPECT_EQ(t, addr, 0x48000000);
	EXPECT_EQ(t, fdt_get_mem_rsv(&f, 2, &addr, &size), -ENOENT);
	EXPECT_EQ(t, fdt_get_mem_rsv(&f, -1, &addr, &size), -ENOENT);
}

KTEST(fdt, reads_bootargs_and_resolves_stdout_alias_with_options)
{
	struct fdt f;
	const char *args = NULL;
	int node = -1;

	INIT_SAMPLE(t, &f);
	EXPECT_EQ(t, fdt_chosen_bootargs(&f, &args), 0);
	EXPECT_STREQ(t, args, "console=ttyAMA0 run=selftest");
	EXPECT_EQ(t, fdt_stdout_path(&f, &node), 0);
	EXPECT_EQ(t, node, fdt_path_offset(&f, "/soc/uart@9001000"));
}

KTEST(fdt, resolves_stdout_path_given_as_full_path)
{
	struct fdt f;
	const char *args;
	int node = -1;
	uint32_t size;

	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "chosen");
	blob_prop_str(&sample, "stdout-path", "/pl011@9000000");
	blob_end(&sample);
	blob_begin(&sample, "pl011@9000000");
	blob_end(&sample);
	blob_end(&sample);
	size = blob_finish(&sample);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_stdout_path(&f, &node), 0);
	EXPECT_EQ(t, node, fdt_path_offset(&f, "/pl011"));
	EXPECT_EQ(t, fdt_chosen_bootargs(&f, &args), -ENOENT);

	/* Without /chosen there is nothing to find. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	size = blob_finish(&sample);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_stdout_path(&f, &node), -ENOENT);
	EXPECT_EQ(t, fdt_chosen_bootargs(&f, &args), -ENOENT);
}

KTEST(fdt, enumerates_memory_banks_skipping_empty_and_disabled)
{
	struct fdt f;
	uint64_t base = 0, size = 0;

	INIT_SAMPLE(t, &f);
	EXPECT_EQ(t, fdt_memory_region(&f, 0, &base, &size), 0);
	EXPECT_EQ(t, base, 0x40000000);
	EXPECT_EQ(t, size, 0x10000000);
	/* The empty bank at 0x100000000 takes no index. */
	EXPECT_EQ(t, fdt_memory_region(&f, 1, &base, &size), 0);
	EXPECT_EQ(t, base, 0x200000000ull);
	EXPECT_EQ(t, size, 0x100000000ull);
	/* memory@80000000 is disabled. */
	EXPECT_EQ(t, fdt_memory_region(&f, 2, &base, &size), -ENOENT);
	EXPECT_EQ(t, fdt_memory_region(&f, -1, &base, &size), -ENOENT);
}

KTEST(fdt, enumerates_memory_with_one_cell_addresses)
{
	struct fdt f;
	uint64_t base = 0, size = 0;
	uint32_t blob_size;

	/* Raspberry Pi style: #address-cells = #size-cells = <1>. */
	blob_start(&sample);
	blob_begin(&sample, "");
	PROP_CELLS(&sample, "#address-cells", 1);
	PROP_CELLS(&sample, "#size-cells", 1);
	blob_begin(&sample, "memory@0");
	blob_prop_str(&sample, "device_type", "memory");
	PROP_CELLS(&sample, "reg", 0, 0x3b400000, 0x40000000, 0x40000000);
	blob_end(&sample);
	blob_begin(&sample, "soc");
	blob_begin(&sample, "memory@80000000");
	blob_prop_str(&sample, "device_type", "memory");
	PROP_CELLS(&sample, "reg", 0x80000000, 0x1000);
	blob_end(&sample);
	blob_end(&sample);
	blob_end(&sample);
	blob_size = blob_finish(&sample);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, blob_size), 0);

	EXPECT_EQ(t, fdt_memory_region(&f, 0, &base, &size), 0);
	EXPECT_EQ(t, base, 0);
	EXPECT_EQ(t, size, 0x3b400000);
	EXPECT_EQ(t, fdt_memory_region(&f, 1, &base, &size), 0);
	EXPECT_EQ(t, base, 0x40000000);
	EXPECT_EQ(t, size, 0x40000000);
	/* Only children of the root describe RAM. */
	EXPECT_EQ(t, fdt_memory_region(&f, 2, &base, &size), -ENOENT);
}

KTEST(fdt, enumerates_available_cpus_and_their_enable_methods)
{
	struct fdt f;
	uint64_t v = 0;

	INIT_SAMPLE(t, &f);
	/* cpu-map is no CPU and cpu@2 is disabled. */
	ASSERT_EQ(t, fdt_cpu_count(&f), 3);
	EXPECT_EQ(t, fdt_cpu_reg(&f, 0, &v), 0);
	EXPECT_EQ(t, v, 0);
	EXPECT_EQ(t, fdt_cpu_reg(&f, 1, &v), 0);
	EXPECT_EQ(t, v, 1);
	EXPECT_EQ(t, fdt_cpu_reg(&f, 2, &v), 0);
	EXPECT_EQ(t, v, 0x100);
	EXPECT_EQ(t, fdt_cpu_reg(&f, 3, &v), -ENOENT);

	EXPECT_STREQ(t, fdt_cpu_enable_method(&f, 0), "psci");
	EXPECT_STREQ(t, fdt_cpu_enable_method(&f, 1), "spin-table");
	EXPECT_NULL(t, fdt_cpu_enable_method(&f, 2));
	EXPECT_NULL(t, fdt_cpu_enable_method(&f, 3));

	EXPECT_EQ(t, fdt_cpu_release_addr(&f, 1, &v), 0);
	EXPECT_EQ(t, v, 0xd8);
	EXPECT_EQ(t, fdt_cpu_release_addr(&f, 0, &v), -ENOENT);
	EXPECT_EQ(t, fdt_cpu_release_addr(&f, 3, &v), -ENOENT);
}

/*
 * /cpus with enable-method cpus_method (NULL: none) and two cpu nodes,
 * the second with its own "spin-table", as the upstream Raspberry Pi
 * trees have them.
 */
static uint32_t build_cpus_method(const char *cpus_method)
{
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "cpus");
	PROP_CELLS(&sample, "#address-cells", 1);
	PROP_CELLS(&sample, "#size-cells", 0);
	if (cpus_method)
		blob_prop_str(&sample, "enable-method", cpus_method);
	blob_begin(&sample, "cpu@f00");
	blob_prop_str(&sample, "device_type", "cpu");
	PROP_CELLS(&sample, "reg", 0xf00);
	blob_end(&sample);
	blob_begin(&sample, "cpu@f01");
	blob_prop_str(&sample, "device_type", "cpu");
	PROP_CELLS(&sample, "reg", 0xf01);
	blob_prop_str(&sample, "enable-method", "spin-table");
	blob_end(&sample);
	blob_end(&sample);
	blob_end(&sample);
	return blob_finish(&sample);
}

KTEST(fdt, inherits_enable_method_from_cpus)
{
	struct fdt f;
	uint32_t size = build_cpus_method("brcm,bcm2836-smp");

	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	ASSERT_EQ(t, fdt_cpu_count(&f), 2);
	EXPECT_STREQ(t, fdt_cpu_enable_method(&f, 0), "brcm,bcm2836-smp");
	/* A cpu node's own method wins over the one on /cpus. */
	EXPECT_STREQ(t, fdt_cpu_enable_method(&f, 1), "spin-table");
	EXPECT_NULL(t, fdt_cpu_enable_method(&f, 2));

	size = build_cpus_method(NULL);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_NULL(t, fdt_cpu_enable_method(&f, 0));
	EXPECT_STREQ(t, fdt_cpu_enable_method(&f, 1), "spin-table");
}

/* Builds a root with one "psci" node of the given compatible and method. */
static uint32_t build_psci(const char *compat, const char *method)
{
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "psci");
	blob_prop_str(&sample, "compatible", compat);
	if (method)
		blob_prop_str(&sample, "method", method);
	blob_end(&sample);
	blob_end(&sample);
	return blob_finish(&sample);
}

KTEST(fdt, reads_psci_conduit)
{
	struct fdt f;
	const char *method = NULL;
	uint32_t size;

	INIT_SAMPLE(t, &f);
	EXPECT_EQ(t, fdt_psci_method(&f, &method), 0);
	EXPECT_STREQ(t, method, "hvc");

	size = build_psci("arm,psci", "smc");
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_psci_method(&f, &method), 0);
	EXPECT_STREQ(t, method, "smc");

	size = build_psci("arm,psci-0.2", "svc");
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_psci_method(&f, &method), -EINVAL);

	size = build_psci("arm,psci-1.0", NULL);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_psci_method(&f, &method), -EINVAL);

	size = build_psci("arm,psci-9.9", "hvc");
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	EXPECT_EQ(t, fdt_psci_method(&f, &method), -ENOENT);
}

KTEST(fdt, parses_qemu_virt_blob)
{
	struct fdt f;
	const char *method = NULL;
	uint64_t a = 0, s = 0;
	int uart, node = -1;

	ASSERT_EQ(t, fdt_init(&f, qemu_virt_dtb, sizeof(qemu_virt_dtb)), 0);
	EXPECT_EQ(t, fdt_totalsize(&f), 0x1115);
	EXPECT_EQ(t, fdt_cpu_count(&f), 4);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(t, fdt_cpu_reg(&f, i, &a), 0);
		EXPECT_EQ(t, a, i);
		EXPECT_STREQ(t, fdt_cpu_enable_method(&f, i), "psci");
	}
	EXPECT_EQ(t, fdt_psci_method(&f, &method), 0);
	EXPECT_STREQ(t, method, "hvc");
	EXPECT_EQ(t, fdt_memory_region(&f, 0, &a, &s), 0);
	EXPECT_EQ(t, a, 0x40000000);
	EXPECT_EQ(t, s, 256 << 20);
	EXPECT_EQ(t, fdt_memory_region(&f, 1, &a, &s), -ENOENT);

	uart = fdt_node_offset_by_compatible(&f, -1, "arm,pl011");
	ASSERT_GE(t, uart, 0);
	EXPECT_STREQ(t, fdt_get_name(&f, uart, NULL), "pl011@9000000");
	EXPECT_EQ(t, fdt_stdout_path(&f, &node), 0);
	EXPECT_EQ(t, node, uart);
	EXPECT_EQ(t, fdt_get_reg(&f, uart, 0, &a, &s), 0);
	EXPECT_EQ(t, a, 0x9000000);
	EXPECT_EQ(t, s, 0x1000);
	EXPECT_EQ(t, fdt_path_offset(&f, "/pl011@9000000"), uart);
	EXPECT_GT(t, fdt_path_offset(&f, "/intc@8000000/v2m@8020000"), 0);
	EXPECT_GE(t, fdt_node_offset_by_compatible(&f, -1, "arm,cortex-a15-gic"),
		  0);
	EXPECT_GE(t, fdt_node_offset_by_compatible(&f, -1, "arm,armv8-timer"),
		  0);
	EXPECT_EQ(t, fdt_num_mem_rsv(&f), 0);
}

/* Builds the sample and inits it with header field set to v. */
static int init_with(struct fdt *f, uint32_t field, uint32_t v)
{
	uint32_t size = build_sample(&sample);

	put32(sample.buf + field, v);
	return fdt_init(f, sample.buf, size);
}

KTEST(fdt, rejects_truncated_blob_at_every_length)
{
	struct fdt f;
	uint32_t size = build_sample(&sample);

	ASSERT_GT(t, size, 0);
	for (uint32_t n = 0; n < size; n++) {
		uint8_t *copy = exact_copy(sample.buf, n);

		if (!copy && n)
			continue;
		EXPECT_EQ(t, fdt_init(&f, copy, n), -EINVAL);
		/* A header that claims the cut size must fail too. */
		if (n >= 8) {
			put32(copy + HDR_TOTALSIZE, n);
			EXPECT_EQ(t, fdt_init(&f, copy, n), -EINVAL);
		}
		drop_copy(copy);
	}
	EXPECT_EQ(t, fdt_init(&f, NULL, 0), -EINVAL);
}

KTEST(fdt, rejects_bad_header_fields)
{
	struct fdt f;
	uint32_t size = build_sample(&sample);

	ASSERT_GT(t, size, 0);
	EXPECT_EQ(t, init_with(&f, HDR_MAGIC, 0xd00dfeee), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_MAGIC, 0xedfe0dd0), -EINVAL);
	/* Version 15 is too old; last_comp_version 18 too new. */
	EXPECT_EQ(t, init_with(&f, HDR_VERSION, 15), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_LAST_COMP, 18), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_VERSION, 18), 0);
	/* totalsize larger than the buffer, or too small for a header. */
	EXPECT_EQ(t, init_with(&f, HDR_TOTALSIZE, size + 1), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_TOTALSIZE, 39), -EINVAL);
	/* Offsets are ints, so no blob may exceed INT32_MAX bytes. */
	build_sample(&sample);
	put32(sample.buf + HDR_TOTALSIZE, 0x80000000);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, SIZE_MAX), -EINVAL);
}

KTEST(fdt, rejects_blocks_outside_or_overflowing_totalsize)
{
	struct fdt f;
	uint32_t st, str;

	build_sample(&sample);
	st = blob_struct_off(&sample);
	str = get32(sample.buf + HDR_OFF_STRINGS);
	/* off_dt_struct past the end, at the end, inside the header. */
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, sample.size + 4), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, sample.size), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, 0), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, 36), -EINVAL);
	/* Sizes or offsets that wrap a 32-bit sum back into the blob. */
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, 0xfffffff0), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_SIZE_STRUCT, 0xfffffff0), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_SIZE_STRUCT, 0u - st), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRINGS, 0xfffffff0), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_SIZE_STRINGS, 0xfffffff0), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_SIZE_STRINGS, 0u - str), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_RSVMAP, 0xfffffff0), -EINVAL);
	/* Strings running past totalsize by one byte. */
	EXPECT_EQ(t, init_with(&f, HDR_SIZE_STRINGS, sample.size - str + 1),
		  -EINVAL);
	/* A misaligned structure or reservation block. */
	EXPECT_EQ(t, init_with(&f, HDR_OFF_STRUCT, st + 2), -EINVAL);
	EXPECT_EQ(t, init_with(&f, HDR_OFF_RSVMAP, 44), -EINVAL);
}

KTEST(fdt, rejects_mem_rsv_block_without_terminator)
{
	struct fdt f;
	uint32_t size;

	/* Header, terminator at 40, then 16 bytes of tokens: 1, 0, 2, 9. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	size = blob_finish(&sample);
	ASSERT_EQ(t, size, HDR_SIZE_V17 + 32);
	ASSERT_EQ(t, fdt_init(&f, sample.buf, size), 0);
	memset(sample.buf + HDR_SIZE_V17, 0xff, 16);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, size), -EINVAL);
	/* A block starting less than one entry before the end. */
	put32(sample.buf + HDR_OFF_RSVMAP, size - 8);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, size), -EINVAL);
}

/* Finishes the blob under construction and returns fdt_init()'s verdict. */
static int init_built(struct fdt *f)
{
	uint32_t size = blob_finish(&sample);

	return size ? fdt_init(f, sample.buf, size) : -ENOSPC;
}

KTEST(fdt, rejects_unbalanced_nesting)
{
	struct fdt f;

	/* An END_NODE too many. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* A node never closed. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "open");
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* Two roots. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* No root at all. */
	blob_start(&sample);
	blob_word(&sample, FDT_NOP);
	EXPECT_EQ(t, init_built(&f), -EINVAL);
}

KTEST(fdt, rejects_nesting_deeper_than_max_depth)
{
	struct fdt f;

	blob_start(&sample);
	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		blob_begin(&sample, "n");
	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), 0);

	blob_start(&sample);
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		blob_begin(&sample, "n");
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);
}

KTEST(fdt, rejects_misplaced_properties)
{
	struct fdt f;

	/* Before the root. */
	blob_start(&sample);
	blob_prop_str(&sample, "x", "y");
	blob_begin(&sample, "");
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* After a subnode of the same node. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_begin(&sample, "child");
	blob_end(&sample);
	blob_prop_str(&sample, "x", "y");
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* After the root. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	blob_prop_str(&sample, "x", "y");
	EXPECT_EQ(t, init_built(&f), -EINVAL);
}

KTEST(fdt, accepts_nops_anywhere_a_token_may_be)
{
	struct fdt f;

	blob_start(&sample);
	blob_word(&sample, FDT_NOP);
	blob_begin(&sample, "");
	blob_word(&sample, FDT_NOP);
	blob_prop_str(&sample, "x", "y");
	blob_word(&sample, FDT_NOP);
	blob_begin(&sample, "child");
	blob_word(&sample, FDT_NOP);
	blob_end(&sample);
	blob_word(&sample, FDT_NOP);
	blob_begin(&sample, "child2");
	blob_end(&sample);
	blob_end(&sample);
	blob_word(&sample, FDT_NOP);
	ASSERT_EQ(t, init_built(&f), 0);
	EXPECT_EQ(t, f.root, 4);
	EXPECT_STREQ(t, fdt_read_string(&f, f.root, "x"), "y");
	/* Both walks step over NOPs: to child's end, and past child. */
	EXPECT_STREQ(t, fdt_get_name(&f, fdt_next_subnode(&f,
			fdt_path_offset(&f, "/child")), NULL), "child2");
	EXPECT_EQ(t, fdt_parent_offset(&f, fdt_path_offset(&f, "/child2")), f.root);
}

KTEST(fdt, rejects_bad_tokens)
{
	struct fdt f;

	/* An unknown token. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_word(&sample, 5);
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* A property whose length runs past the structure block. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_word(&sample, FDT_PROP);
	blob_word(&sample, 16);
	blob_word(&sample, blob_string(&sample, "x"));
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* A property length near 2^32, which wraps a 32-bit sum. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_word(&sample, FDT_PROP);
	blob_word(&sample, 0xfffffffc);
	blob_word(&sample, blob_string(&sample, "x"));
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* A name offset past the strings block. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_string(&sample, "x");
	blob_word(&sample, FDT_PROP);
	blob_word(&sample, 0);
	blob_word(&sample, 2);
	blob_end(&sample);
	EXPECT_EQ(t, init_built(&f), -EINVAL);

	/* No FDT_END: finish, then shrink the block to drop it. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	blob_finish(&sample);
	put32(sample.buf + HDR_SIZE_STRUCT, get32(sample.buf + HDR_SIZE_STRUCT) - 4);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, sample.size), -EINVAL);
	/* ...or overwrite it with a NOP. */
	put32(sample.buf + HDR_SIZE_STRUCT, get32(sample.buf + HDR_SIZE_STRUCT) + 4);
	put32(sample.buf + blob_struct_off(&sample) + 12, FDT_NOP);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, sample.size), -EINVAL);
}

KTEST(fdt, rejects_unterminated_names)
{
	struct fdt f;
	uint32_t st;

	/* A node name running to the end of the structure block. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_end(&sample);
	blob_finish(&sample);
	st = blob_struct_off(&sample);
	memcpy(sample.buf + st + 4, "abcdefghijkl", 12);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, sample.size), -EINVAL);

	/* A property name running to the end of the strings block. */
	blob_start(&sample);
	blob_begin(&sample, "");
	blob_prop_str(&sample, "x", "y");
	blob_end(&sample);
	blob_finish(&sample);
	put32(sample.buf + HDR_SIZE_STRINGS, get32(sample.buf + HDR_SIZE_STRINGS) - 1);
	EXPECT_EQ(t, fdt_init(&f, sample.buf, sample.size), -EINVAL);
}

KTEST(fdt, rejects_struct_block_cut_short_at_every_length)
{
	struct fdt f;
	uint32_t size = build_sample(&sample), dt_size;

	ASSERT_GT(t, size, 0);
	dt_size = get32(sample.buf + HDR_SIZE_STRUCT);
	for (uint32_t n = 0; n < dt_size; n++) {
		put32(sample.buf + HDR_SIZE_STRUCT, n);
		EXPECT_EQ(t, fdt_init(&f, sample.buf, size), -EINVAL);
	}
}

KTEST(fdt, rejects_strings_block_cut_short_at_every_length)
{
	struct fdt f;
	uint32_t size = build_sample(&sample), strings_size;

	ASSERT_GT(t, size, 0);
	strings_size = get32(sample.buf + HDR_SIZE_STRINGS);
	/* Every string is some property's name, so any cut breaks one. */
	for (uint32_t n = 0; n < strings_size; n++) {
		put32(sample.buf + HDR_SIZE_STRINGS, n);
		EXPECT_EQ(t, fdt_init(&f, sample.buf, size), -EINVAL);
	}
}

KTEST(fdt, failed_init_leaves_an_fdt_every_query_rejects)
{
	struct fdt f;
	const char *s;
	int node;

	EXPECT_EQ(t, init_with(&f, HDR_MAGIC, 0), -EINVAL);
	EXPECT_EQ(t, fdt_path_offset(&f, "/"), -EINVAL);
	EXPECT_EQ(t, fdt_next_node(&f, -1), -EINVAL);
	EXPECT_EQ(t, fdt_first_subnode(&f, 0), -EINVAL);
	EXPECT_NULL(t, fdt_get_name(&f, 0, NULL));
	EXPECT_EQ(t, fdt_num_mem_rsv(&f), 0);
	EXPECT_EQ(t, fdt_cpu_count(&f), -EINVAL);
	EXPECT_EQ(t, fdt_chosen_bootargs(&f, &s), -EINVAL);
	EXPECT_EQ(t, fdt_stdout_path(&f, &node), -EINVAL);
	EXPECT_EQ(t, fdt_psci_method(&f, &s), -EINVAL);
}

/* Whether [p, p + len) lies inside the blob f was initialised on. */
static bool in_blob(const struct fdt *f, const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= f->blob && b <= f->blob + f->totalsize &&
	       len <= (size_t)(f->blob + f->totalsize - b);
}

static bool string_in_blob(const struct fdt *f, const char *s)
{
	return in_blob(f, s, 1) &&
	       strnlen(s, (size_t)(f->blob + f->totalsize - (const uint8_t *)s)) <
	       (size_t)(f->blob + f->totalsize - (const uint8_t *)s);
}

/* Every per-node query on node; whatever it returns must be in the blob. */
static void query_node(struct ktest_ctx *t, const struct fdt *f, int node)
{
	static const char *const props[] = {
		"compatible", "reg", "status", "phandle", "device_type",
		"#address-cells", "#size-cells", "x",
	};
	uint64_t a, s;
	uint32_t v;
	int len;
	const char *name = fdt_get_name(f, node, &len);

	if (name)
		EXPECT_TRUE(t, in_blob(f, name, (size_t)len + 1));
	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		const void *val = fdt_getprop(f, node, props[i], &len);
		const char *str = fdt_read_string(f, node, props[i]);

		if (val)
			EXPECT_TRUE(t, len >= 0 && in_blob(f, val, (size_t)len));
		if (str)
			EXPECT_TRUE(t, string_in_blob(f, str));
		fdt_read_u32(f, node, props[i], &v);
	}
	fdt_first_subnode(f, node);
	fdt_next_subnode(f, node);
	fdt_parent_offset(f, node);
	fdt_node_check_compatible(f, node, "arm,pl011");
	fdt_node_is_available(f, node);
	fdt_address_cells(f, node);
	fdt_size_cells(f, node);
	fdt_get_reg(f, node, 1, &a, &s);
	fdt_subnode_offset(f, node, "uart");
}

/* The whole query set on an initialised fdt. */
static void query_all(struct ktest_ctx *t, const struct fdt *f)
{
	static const char *const paths[] = {
		"/", "/soc/uart@9000000", "/memory", "serial0", "soc/gpio",
		"/cpus/cpu@1", "broken",
	};
	const char *s;
	uint64_t a, b;
	int node, n;

	/* Offsets grow on every step, so this visits each node once. */
	for (node = fdt_next_node(f, -1); node >= 0;
	     node = fdt_next_node(f, node))
		query_node(t, f, node);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		fdt_path_offset(f, paths[i]);
	for (node = fdt_node_offset_by_compatible(f, -1, "arm,pl011");
	     node >= 0;
	     node = fdt_node_offset_by_compatible(f, node, "arm,pl011"))
		;
	fdt_node_offset_by_phandle(f, 1);
	for (int i = 0; fdt_get_mem_rsv(f, i, &a, &b) == 0; i++)
		;
	if (!fdt_chosen_bootargs(f, &s))
		EXPECT_TRUE(t, string_in_blob(f, s));
	fdt_stdout_path(f, &node);
	for (int i = 0; fdt_memory_region(f, i, &a, &b) == 0; i++)
		;
	n = fdt_cpu_count(f);
	for (int i = 0; i <= n; i++) {
		fdt_cpu_reg(f, i, &a);
		s = fdt_cpu_enable_method(f, i);
		if (s)
			EXPECT_TRUE(t, string_in_blob(f, s));
		fdt_cpu_release_addr(f, i, &a);
	}
	if (!fdt_psci_method(f, &s))
		EXPECT_TRUE(t, string_in_blob(f, s));
}

KTEST(fdt, forged_node_offsets_never_leave_the_blob)
{
	struct fdt f;
	uint8_t *copy;
	uint32_t size = build_sample(&sample);

	ASSERT_GT(t, size, 0);
	copy = exact_copy(sample.buf, size);
	ASSERT_NOT_NULL(t, copy);
	ASSERT_EQ(t, fdt_init(&f, copy, size), 0);
	/* Every offset, including ones inside names and values. */
	for (int off = -8; off < (int)f.struct_size + 8; off++) {
		query_node(t, &f, off);
		if (off % 4) {
			EXPECT_NULL(t, fdt_get_name(&f, off, NULL));
			EXPECT_EQ(t, fdt_first_subnode(&f, off), -EINVAL);
		}
	}
	drop_copy(copy);
}

/*
 * XORs each byte of blob in turn with each of the nr_masks masks, each
 * time in a fresh exact-size copy: fdt_init() either rejects the result
 * or every query on it stays inside the copy. Returns how many corrupted
 * blobs were accepted.
 */
static int corruption_sweep(struct ktest_ctx *t, const uint8_t *blob,
			    uint32_t size, size_t nr_masks)
{
	static const uint8_t masks[] = { 0xff, 0x01, 0x80 };
	int accepted = 0;

	for (uint32_t i = 0; i < size; i++) {
		for (size_t m = 0; m < min(nr_masks, ARRAY_SIZE(masks)); m++) {
			struct fdt f;
			uint8_t *copy = exact_copy(blob, size);

			if (!copy) {
				ktest_fail(t, __FILE__, __LINE__, "out of memory");
				return accepted;
			}
			copy[i] ^= masks[m];
			if (!fdt_init(&f, copy, size)) {
				accepted++;
				query_all(t, &f);
			}
			drop_copy(copy);
		}
	}
	return accepted;
}

KTEST(fdt, survives_every_single_byte_corruption)
{
	uint32_t size = build_sample(&sample);

	ASSERT_GT(t, size, 0);
	/* Flips in names and values still make valid blobs: queries ran. */
	EXPECT_GT(t, corruption_sweep(t, sample.buf, size, 3), 0);
}

/*
 * Only where AddressSanitizer watches the copies (the host's asan build):
 * ThreadSanitizer has nothing to check here and makes it ten times
 * slower, and under QEMU it would add seconds to every selftest run.
 */
#ifdef __SANITIZE_ADDRESS__
KTEST(fdt, survives_every_single_byte_corruption_of_qemu_blob)
{
	/* One mask: the blob is four times the sample's size. */
	EXPECT_GT(t, corruption_sweep(t, qemu_virt_dtb, sizeof(qemu_virt_dtb),
				      1), 0);
}
#endif
