// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the DTB parser (drivers/fdt.c).
 *
 * The input is a DTB. libFuzzer hands it over in a heap buffer of exactly
 * its size, so the parser reading one byte past it is an ASan report.
 * The harness asks what the kernel asks at boot (boot/arm-common/setup.c
 * and the interrupt-controller, timer, PSCI and CPU-start drivers), then
 * walks every node with every query, checking include/fdt.h's contract:
 *
 *  - fdt_init() refused the blob: every query says -EINVAL;
 *  - it accepted it: the blob is well formed, so no walk ever says
 *    -EINVAL, every pointer returned lies inside totalsize and every
 *    string returned is terminated inside its property;
 *  - answers agree: a node is its parent's child, a child is found by
 *    its name and by its path, a phandle leads back to its node;
 *  - any node offset, also forged ones, gives an in-bounds answer.
 */
#include "fuzz.h"
#include <fdt.h>
#include <kerrno.h>
#include <libc.h>

/* Bounds on the harness's own loops; a real DTB stays far below them. */
#define MAX_NODES	4096
#define MAX_REGS	64
#define MAX_RSV		1024
#define DEEP_NODES	8	/* nodes per input that check_node() examines */

static const char *const prop_names[] = {
	"compatible", "reg", "status", "device_type", "phandle", "ranges",
	"interrupts", "#address-cells", "#size-cells", "bootargs",
	"stdout-path", "enable-method", "method", "cpu-release-addr",
};

static const char *const compats[] = {
	"arm,pl011", "arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400",
	"brcm,bcm2836-l1-intc", "arm,armv8-timer", "arm,armv7-timer",
	"arm,psci-0.2",
};

static bool in_blob(const struct fdt *f, const void *p, size_t len)
{
	const uint8_t *b = f->blob, *q = p;

	return q >= b && q <= b + f->totalsize && len <= (size_t)(b + f->totalsize - q);
}

/* s is a string that ends inside the blob. */
static bool string_in_blob(const struct fdt *f, const char *s)
{
	const uint8_t *end = f->blob + f->totalsize;

	return in_blob(f, s, 0) && strnlen(s, (size_t)(end - (const uint8_t *)s)) <
				   (size_t)(end - (const uint8_t *)s);
}

/* The property contract: a value inside the blob, or a clean error. */
static const char *checked_prop(const struct fdt *f, int node, const char *name,
				int *lenp, bool valid_node)
{
	int len;
	const char *p = fdt_getprop(f, node, name, &len);

	if (p)
		FUZZ_CHECK(len >= 0 && in_blob(f, p, (size_t)len),
			   "%s of node %d: %d bytes outside the blob", name, node, len);
	else
		FUZZ_CHECK(len == -ENOENT || (!valid_node && len == -EINVAL),
			   "%s of node %d: error %d", name, node, len);
	*lenp = len;
	return p;
}

/* The name and properties at an offset: in bounds, or a clean error. */
static void name_and_props(const struct fdt *f, int node, bool valid_node)
{
	int len;
	const char *name = fdt_get_name(f, node, &len);

	if (name)
		FUZZ_CHECK(string_in_blob(f, name) && (int)strlen(name) == len,
			   "name of offset %d", node);
	else
		FUZZ_CHECK(!valid_node, "node %d has no name", node);
	for (size_t i = 0; i < ARRAY_SIZE(prop_names); i++)
		checked_prop(f, node, prop_names[i], &len, valid_node);
}

/* Queries that must stay in bounds whatever the offset; answers not checked. */
static void query_any_offset(const struct fdt *f, int node)
{
	uint64_t a, s;

	name_and_props(f, node, false);
	fdt_next_node(f, node);
	fdt_first_subnode(f, node);
	fdt_next_subnode(f, node);
	fdt_parent_offset(f, node);
	fdt_address_cells(f, node);
	fdt_size_cells(f, node);
	fdt_get_reg(f, node, 0, &a, &s);
	fdt_subnode_offset(f, node, "cpus");
	fdt_node_is_available(f, node);
	fdt_node_check_compatible(f, node, "arm,pl011");
	fdt_read_string(f, node, "device_type");
}

/*
 * The path of node from the root, if its names make one that leads to
 * it; false if not: a name a path cannot spell, or a node that an
 * earlier sibling of the same name hides (a lookup takes the first).
 */
static bool node_path(const struct fdt *f, int node, char *buf, size_t size)
{
	int stack[FDT_MAX_DEPTH + 1], depth = 0;
	size_t used = 0;

	for (int n = node; n >= 0 && depth <= FDT_MAX_DEPTH; n = fdt_parent_offset(f, n))
		stack[depth++] = n;
	if (depth > FDT_MAX_DEPTH)
		return false;
	if (depth == 1) {
		snprintf(buf, size, "/");
		return true;
	}
	/* stack[depth - 1] is the root, whose name is not in a path. */
	for (int i = depth - 2; i >= 0; i--) {
		const char *name = fdt_get_name(f, stack[i], NULL);
		int n;

		if (!name || !*name || strchr(name, '/') || strchr(name, ':') ||
		    fdt_subnode_offset(f, stack[i + 1], name) != stack[i])
			return false;
		n = snprintf(buf + used, size - used, "/%s", name);
		if (n < 0 || (size_t)n >= size - used)
			return false;
		used += (size_t)n;
	}
	return true;
}

/* Every query on a node of an accepted blob, answers cross-checked. */
static void check_node(const struct fdt *f, int node)
{
	int len, parent, child, n, ac, sc;
	const char *name = fdt_get_name(f, node, &len), *s;
	char path[512];
	uint64_t a, sz;
	uint32_t ph;

	FUZZ_CHECK(name && string_in_blob(f, name) && (int)strlen(name) == len,
		   "node %d has no name", node);
	parent = fdt_parent_offset(f, node);
	if (node == fdt_next_node(f, -1)) {
		FUZZ_CHECK(parent == -ENOENT, "the root's parent is %d", parent);
	} else {
		FUZZ_CHECK(parent >= 0 && parent < node, "node %d: parent %d", node, parent);
		n = 0;
		fdt_for_each_subnode(child, f, parent) {
			FUZZ_CHECK(++n <= MAX_NODES, "node %d: endless siblings", node);
			if (child == node)
				break;
		}
		FUZZ_CHECK(child == node, "node %d is not a child of its parent %d (%d)",
			   node, parent, child);
		child = fdt_subnode_offset(f, parent, name);
		FUZZ_CHECK(child >= 0 && !strcmp(fdt_get_name(f, child, NULL), name),
			   "child '%s' of %d not found by name (%d)", name, parent, child);
	}
	fdt_for_each_subnode(child, f, node)
		;
	FUZZ_CHECK(child == -ENOENT, "node %d: subnode walk ends with %d", node, child);

	if (node_path(f, node, path, sizeof(path))) {
		n = fdt_path_offset(f, path);
		FUZZ_CHECK(n == node, "path '%s' gives %d, not %d", path, n, node);
	}

	ac = fdt_address_cells(f, node);
	sc = fdt_size_cells(f, node);
	FUZZ_CHECK((ac >= 0 && ac <= FDT_MAX_CELLS) || ac == -EINVAL, "#address-cells %d", ac);
	FUZZ_CHECK((sc >= 0 && sc <= FDT_MAX_CELLS) || sc == -EINVAL, "#size-cells %d", sc);
	for (int i = 0; i < MAX_REGS && !fdt_get_reg(f, node, i, &a, &sz); i++)
		;

	for (size_t i = 0; i < ARRAY_SIZE(prop_names); i++) {
		const char *p = checked_prop(f, node, prop_names[i], &len, true);

		s = fdt_read_string(f, node, prop_names[i]);
		FUZZ_CHECK(!s || (s == p && strnlen(s, (size_t)len) < (size_t)len),
			   "%s of node %d: string not terminated in its value", prop_names[i], node);
	}
	/* The first compatible string, if any, is one the node is compatible with. */
	s = checked_prop(f, node, "compatible", &len, true);
	if (s && len > 0 && strnlen(s, (size_t)len) < (size_t)len)
		FUZZ_CHECK(!fdt_node_check_compatible(f, node, s),
			   "node %d is not compatible with its own '%s'", node, s);
	fdt_node_is_available(f, node);

	if (!fdt_read_u32(f, node, "phandle", &ph) && ph && ph != ~0u) {
		uint32_t back = 0;

		n = fdt_node_offset_by_phandle(f, ph);
		FUZZ_CHECK(n >= 0 && n <= node && (!fdt_read_u32(f, n, "phandle", &back) ||
						   !fdt_read_u32(f, n, "linux,phandle", &back)) &&
			   back == ph, "phandle %#x of node %d leads to %d", ph, node, n);
	}
}

/* What the kernel asks at boot. */
static void boot_queries(const struct fdt *f, size_t size, uint32_t pick)
{
	uint64_t a, s, prev;
	const char *str;
	int n, node;

	FUZZ_CHECK(fdt_totalsize(f) <= size, "totalsize %u of %zu bytes", fdt_totalsize(f), size);
	n = fdt_num_mem_rsv(f);
	FUZZ_CHECK(n >= 0 && (size_t)n * 16 < size, "%d reservations in %zu bytes", n, size);
	for (int i = 0; i < n && i < MAX_RSV; i++)
		FUZZ_CHECK(!fdt_get_mem_rsv(f, i, &a, &s), "reservation %d of %d", i, n);
	FUZZ_CHECK(fdt_get_mem_rsv(f, n, &a, &s) == -ENOENT, "reservation past the last");

	if (!fdt_chosen_bootargs(f, &str))
		FUZZ_CHECK(string_in_blob(f, str), "bootargs outside the blob");
	if (!fdt_stdout_path(f, &node))
		FUZZ_CHECK(fdt_get_name(f, node, NULL), "stdout-path node %d", node);

	for (int i = 0; i < MAX_REGS && !fdt_memory_region(f, i, &a, &s); i++)
		FUZZ_CHECK(s, "memory bank %d is empty", i);

	/* The kernel asks about every CPU; each costs a walk of /cpus, and
	 * every CPU node takes the same path, so: the first two, the last,
	 * and one picked by the input. */
	n = fdt_cpu_count(f);
	for (int k = 0; k < 4 && n > 0; k++) {
		int i = k < 2 ? k : k == 2 ? n - 1 : (int)(pick % (unsigned int)n);

		fdt_cpu_reg(f, i, &a);
		str = fdt_cpu_enable_method(f, i);
		FUZZ_CHECK(!str || string_in_blob(f, str), "enable-method of CPU %d", i);
		fdt_cpu_release_addr(f, i, &a);
	}
	if (n >= 0)
		FUZZ_CHECK(fdt_cpu_reg(f, n, &a) == -ENOENT, "CPU %d of %d", n, n);
	if (!fdt_psci_method(f, &str))
		FUZZ_CHECK(!strcmp(str, "hvc") || !strcmp(str, "smc"), "PSCI method '%s'", str);

	for (size_t i = 0; i < ARRAY_SIZE(compats); i++) {
		prev = 0;
		n = 0;
		for (node = fdt_node_offset_by_compatible(f, -1, compats[i]);
		     node >= 0 && n < MAX_NODES;
		     node = fdt_node_offset_by_compatible(f, node, compats[i]), n++) {
			FUZZ_CHECK((uint64_t)node >= prev && !fdt_node_check_compatible(f, node, compats[i]),
				   "node %d found as %s", node, compats[i]);
			prev = (uint64_t)node + 1;
			fdt_get_reg(f, node, 0, &a, &s);
			fdt_get_reg(f, node, 1, &a, &s);
		}
	}
}

/* A blob fdt_init() refused: every query fails. */
static void check_refused(const struct fdt *f)
{
	uint64_t a, s;
	const char *str;
	int node;

	FUZZ_CHECK(fdt_next_node(f, -1) == -EINVAL, "walk of a refused blob");
	FUZZ_CHECK(fdt_path_offset(f, "/") == -EINVAL, "path in a refused blob");
	FUZZ_CHECK(fdt_cpu_count(f) == -EINVAL, "CPUs of a refused blob");
	FUZZ_CHECK(fdt_memory_region(f, 0, &a, &s) == -EINVAL, "memory of a refused blob");
	FUZZ_CHECK(fdt_chosen_bootargs(f, &str) == -EINVAL, "bootargs of a refused blob");
	FUZZ_CHECK(fdt_stdout_path(f, &node) == -EINVAL, "stdout of a refused blob");
	FUZZ_CHECK(fdt_num_mem_rsv(f) == 0, "reservations of a refused blob");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt f;
	uint32_t hash = 2166136261u;
	int node, n = 0, i;

	fuzz_init_kernel();
	if (fdt_init(&f, data, size)) {
		check_refused(&f);
		return 0;
	}
	/* Accepted with a byte less to read only if totalsize allows it. */
	if (size) {
		struct fdt g;

		FUZZ_CHECK(fdt_init(&g, data, size - 1) == (f.totalsize <= size - 1 ? 0 : -EINVAL),
			   "max_size %zu with totalsize %u", size - 1, f.totalsize);
	}
	for (size_t k = 0; k < size; k++)
		hash = (hash ^ data[k]) * 16777619u;
	boot_queries(&f, size, hash);
	for (node = fdt_next_node(&f, -1); node >= 0 && n < MAX_NODES;
	     node = fdt_next_node(&f, node), n++)
		name_and_props(&f, node, true);
	FUZZ_CHECK(node == -ENOENT || n == MAX_NODES, "the walk ends with %d", node);

	/*
	 * check_node() costs walks of the tree, so it runs on DEEP_NODES of
	 * the nodes only, picked by a hash of the input: each mutation moves
	 * the pick, so all nodes get their turn.
	 */
	for (node = fdt_next_node(&f, -1), i = 0; node >= 0 && i < n;
	     node = fdt_next_node(&f, node), i++)
		if (n <= DEEP_NODES || (i + hash) % ((unsigned int)n / DEEP_NODES) == 0)
			check_node(&f, node);

	/* Forged offsets: edges of the structure block, and some from the input. */
	query_any_offset(&f, -2);
	query_any_offset(&f, (int)f.struct_size - 4);
	query_any_offset(&f, (int)f.struct_size);
	query_any_offset(&f, 0x7ffffffc);
	for (i = 0; i < 8; i++) {
		hash = hash * 1103515245u + 12345u;
		query_any_offset(&f, (int)(hash % (f.struct_size + 8)));
	}
	return 0;
}
