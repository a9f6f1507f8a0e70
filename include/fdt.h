/* SPDX-License-Identifier: MIT */
/*
 * A read-only flattened device tree (DTB) parser, bounded and validating.
 *
 * fdt_init() checks the header and walks the whole structure block once;
 * a blob it accepts is well formed. Every later call still bounds-checks
 * each token it decodes, so no call ever reads outside [blob, blob +
 * totalsize), whatever the node offset it is handed. Offsets returned by
 * this API are always valid; any other offset gets -EINVAL when it does
 * not point at a node token, and a meaningless but in-bounds answer when
 * it happens to.
 *
 * Node offsets are byte offsets into the structure block (the root is
 * usually 0). Errors are returned negated: -EINVAL for malformed data or
 * a bad argument, -ENOENT when a node or property does not exist.
 *
 * Context: nothing here allocates, sleeps or takes a lock; a struct fdt
 * is never written after fdt_init(), so any CPU may query it at any time
 * (also before the MMU is on: the blob is read a byte at a time, so it
 * needs no alignment). Stack use is bounded by FDT_MAX_DEPTH ints.
 */
#ifndef QUIESCE_FDT_H
#define QUIESCE_FDT_H

#include <compiler.h>

#define FDT_MAGIC	0xd00dfeed

/* The blob's format (devicetree specification, chapter 5). Tokens: */
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

/* Header fields: big-endian u32s at these byte offsets. */
#define HDR_MAGIC		0
#define HDR_TOTALSIZE		4
#define HDR_OFF_STRUCT		8
#define HDR_OFF_STRINGS		12
#define HDR_OFF_RSVMAP		16
#define HDR_VERSION		20
#define HDR_LAST_COMP		24
#define HDR_SIZE_STRINGS	32
#define HDR_SIZE_STRUCT		36	/* version 17 and later */
#define HDR_SIZE_V16		36
#define HDR_SIZE_V17		40

/*
 * A big-endian u32 read byte by byte: a blob's fields need no alignment,
 * and with the MMU off (early boot) unaligned loads fault.
 */
static inline uint32_t fdt_be32(const void *at)
{
	const uint8_t *p = at;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The n (0, 1 or 2) big-endian cells at p as one number. */
static inline uint64_t fdt_read_cells(const void *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt_be32((const uint8_t *)p + 4 * i);
	return v;
}
/* Deeper nesting is rejected by fdt_init(); real trees stay below 10. */
#define FDT_MAX_DEPTH	32
/* The largest #address-cells / #size-cells value fdt_*_cells() accept. */
#define FDT_MAX_CELLS	4

/* A validated blob; filled by fdt_init(), read-only afterwards. */
struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t struct_off;	/* structure block: where, and how long */
	uint32_t struct_size;
	uint32_t strings_off;	/* strings block */
	uint32_t strings_size;
	uint32_t rsv_off;	/* memory-reservation block */
	int nr_rsv;		/* its entries, not counting the terminator */
	int root;		/* offset of the root node */
};

/*
 * Validates the blob at blob, of which at most max_size bytes may be
 * read, and fills *fdt. Returns 0, or -EINVAL (and a *fdt on which every
 * query fails with -EINVAL) for: bad magic, version < 16 or
 * last_comp_version > 17, totalsize > max_size or > INT32_MAX, a block
 * outside totalsize or misaligned, a memory-reservation block without
 * its terminator, and a structure block that is not exactly one root
 * node with balanced BEGIN_NODE/END_NODE (at most FDT_MAX_DEPTH deep),
 * NUL-terminated names, properties inside the block with names inside
 * the strings block, properties before subnodes, and a final FDT_END.
 */
int fdt_init(struct fdt *fdt, const void *blob, size_t max_size);

/* The blob's size from its header. */
uint32_t fdt_totalsize(const struct fdt *fdt);

/* Number of memory-reservation entries (the terminator not counted). */
int fdt_num_mem_rsv(const struct fdt *fdt);
/* Reads reservation entry index: 0, or -ENOENT past the last one. */
int fdt_get_mem_rsv(const struct fdt *fdt, int index, uint64_t *addr,
		    uint64_t *size);

/*
 * Tree walking. Each returns a node offset, -ENOENT when there is no
 * such node, or -EINVAL for a bad node offset.
 *
 * fdt_next_node() goes in document (depth-first) order; node -1 gives
 * the root. fdt_parent_offset() rescans from the root, so it costs a walk
 * of the tree up to node; the root's parent is -ENOENT.
 */
int fdt_next_node(const struct fdt *fdt, int node);
int fdt_first_subnode(const struct fdt *fdt, int node);
int fdt_next_subnode(const struct fdt *fdt, int node);
int fdt_parent_offset(const struct fdt *fdt, int node);

#define fdt_for_each_subnode(node, fdt, parent)			\
	for (node = fdt_first_subnode(fdt, parent); node >= 0;	\
	     node = fdt_next_subnode(fdt, node))

/* The node's name ("" for the root) and, if len, its length; NULL if bad. */
const char *fdt_get_name(const struct fdt *fdt, int node, int *len);

/*
 * Looks a child of parent up by name. The rule for unit addresses: a name
 * with an '@' matches only a node of exactly that name ("cpu@0"); a name
 * without one matches a node of exactly that name if there is one, and
 * otherwise the first node whose name before its '@' equals it, so
 * "memory" finds "memory@40000000" and "psci" finds "psci".
 */
int fdt_subnode_offset(const struct fdt *fdt, int parent, const char *name);

/*
 * Resolves a path: "/" components from the root, each matched as in
 * fdt_subnode_offset() ("/cpus/cpu@0", "/pl011@9000000", "/memory").
 * A path that does not start with '/' starts with an alias from /aliases
 * ("serial0" or "serial0/child"), whose value must be an absolute path.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);

/*
 * Finds property name of node. Returns its value, NULL if there is none;
 * *len (if len) gets the value's length, or -ENOENT/-EINVAL on failure.
 * The value is inside the blob and has no alignment guarantee.
 */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *len);

/*
 * Typed property readers: 0, -ENOENT if absent, -EINVAL if the value is
 * not exactly one big-endian u32 (4 bytes) or u64 (8 bytes).
 */
int fdt_read_u32(const struct fdt *fdt, int node, const char *name,
		 uint32_t *v);
int fdt_read_u64(const struct fdt *fdt, int node, const char *name,
		 uint64_t *v);
/*
 * The property's first string, or NULL if it is absent or has no NUL
 * inside the value (so the string is always safe to read).
 */
const char *fdt_read_string(const struct fdt *fdt, int node,
			    const char *name);
/*
 * Whether the NUL-separated list of len bytes contains str; a last
 * string without its NUL is ignored.
 */
bool fdt_stringlist_contains(const char *list, int len, const char *str);

/* 0 if node's "compatible" lists compat, else -ENOENT (or -EINVAL). */
int fdt_node_check_compatible(const struct fdt *fdt, int node,
			      const char *compat);
/*
 * The first node after start (in document order; -1 to include the root)
 * compatible with compat, or -ENOENT. Feed the result back in to get the
 * next one.
 */
int fdt_node_offset_by_compatible(const struct fdt *fdt, int start,
				  const char *compat);
/* The node whose "phandle" (or "linux,phandle") is phandle, or -ENOENT. */
int fdt_node_offset_by_phandle(const struct fdt *fdt, uint32_t phandle);
/* True if node's "status" is absent, "okay" or "ok", as in Linux. */
bool fdt_node_is_available(const struct fdt *fdt, int node);

/*
 * node's #address-cells / #size-cells (which describe its children's
 * "reg"), 2 and 1 when absent; -EINVAL if not a u32 <= FDT_MAX_CELLS.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

/*
 * Decodes entry index of node's "reg" with its parent's cell counts:
 * 1 or 2 address cells, 0 (CPU nodes; *size = 0), 1 or 2 size cells,
 * anything else -EINVAL, as is a "reg" that is not whole entries.
 * Returns 0, or -ENOENT if there is no "reg" or no such entry. size may
 * be NULL. Walks from the root to find the parent.
 */
int fdt_get_reg(const struct fdt *fdt, int node, int index, uint64_t *addr,
		uint64_t *size);

/*
 * Boot helpers. Each returns 0 (or a count), -ENOENT when the tree does
 * not describe the thing, -EINVAL when it describes it badly.
 */

/* /chosen/bootargs, NUL-terminated. */
int fdt_chosen_bootargs(const struct fdt *fdt, const char **args);
/*
 * The console node named by /chosen/stdout-path (or linux,stdout-path):
 * an absolute path or an alias, with any ":options" suffix ignored.
 */
int fdt_stdout_path(const struct fdt *fdt, int *node);
/*
 * Region index of RAM: counts every "reg" entry of each available root
 * child with device_type "memory", in document order, skipping entries
 * of size 0.
 */
int fdt_memory_region(const struct fdt *fdt, int index, uint64_t *base,
		      uint64_t *size);
/*
 * CPUs are the available children of /cpus with device_type "cpu", in
 * document order (so index 0 is the first cpu@ node, not necessarily
 * the boot CPU). fdt_cpu_count() returns 0 when there is no /cpus.
 */
int fdt_cpu_count(const struct fdt *fdt);
/* The CPU's hardware id: its first "reg" entry (the MPIDR on ARM). */
int fdt_cpu_reg(const struct fdt *fdt, int index, uint64_t *hwid);
/* The CPU's "enable-method" ("psci", "spin-table", ...), its own or
 * else inherited from /cpus; NULL if neither has one. */
const char *fdt_cpu_enable_method(const struct fdt *fdt, int index);
/* The CPU's "cpu-release-addr" (a u64) for spin-table. */
int fdt_cpu_release_addr(const struct fdt *fdt, int index, uint64_t *addr);
/*
 * The PSCI conduit, "hvc" or "smc", from the first available node
 * compatible with "arm,psci-1.0", "arm,psci-0.2" or "arm,psci"; -EINVAL
 * for any other method.
 */
int fdt_psci_method(const struct fdt *fdt, const char **method);

#endif
