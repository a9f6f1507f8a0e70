// SPDX-License-Identifier: MIT
/*
 * The flattened device tree parser (include/fdt.h).
 *
 * Everything goes through next_token(), which decodes one structure-block
 * token and checks that it and its payload lie inside the block. fdt_init()
 * is a walk over those tokens plus the nesting rules; the queries are
 * walks too, and never trust that fdt_init() ran on the same bytes: that
 * is what keeps a forged node offset from reading outside the blob.
 */
#include <fdt.h>
#include <kerrno.h>
#include <libc.h>

#define RSV_ENTRY_SIZE		16

static const uint8_t *struct_base(const struct fdt *f)
{
	return f->blob + f->struct_off;
}

/* The property name at nameoff, NULL unless NUL-terminated in the block. */
static const char *prop_name(const struct fdt *f, uint32_t nameoff)
{
	const char *s = (const char *)f->blob + f->strings_off;

#ifndef FUZZ_BROKEN	/* the fuzzer's proof that it finds a read past the blob */
	if (nameoff >= f->strings_size)
		return NULL;
#endif
	if (strnlen(s + nameoff, f->strings_size - nameoff) == f->strings_size - nameoff)
		return NULL;
	return s + nameoff;
}

/*
 * Whether the property name at nameoff is name[0..namelen), reading only
 * inside the strings block and no further than namelen + 1 bytes.
 */
static bool prop_name_is(const struct fdt *f, uint32_t nameoff,
			 const char *name, size_t namelen)
{
	const char *s;

	if (nameoff >= f->strings_size || f->strings_size - nameoff <= namelen)
		return false;
	s = (const char *)f->blob + f->strings_off + nameoff;
	return !memcmp(s, name, namelen) && !s[namelen];
}

/*
 * Decodes the token at structure-block offset off: returns its tag and
 * sets *next to the offset of the token after it, or returns -EINVAL if
 * the token, a node's name, a property's value, or the padding leaves
 * the block, or if it is not a token at all. A property's name is left
 * to prop_name() and prop_name_is(), so walks that skip properties need
 * not scan it. Every
 * offset handled here is <= struct_size <= INT32_MAX, so the u32 sums
 * below cannot wrap.
 */
static int next_token(const struct fdt *f, int off, int *next)
{
	const uint8_t *s = struct_base(f);
	uint32_t size = f->struct_size, pos = (uint32_t)off, tag, len;

	if (off < 0 || !IS_ALIGNED(pos, 4) || pos > size || size - pos < 4)
		return -EINVAL;
	tag = fdt_be32(s + pos);
	pos += 4;
	switch (tag) {
	case FDT_BEGIN_NODE:
		len = strnlen((const char *)s + pos, size - pos);
		if (len == size - pos)
			return -EINVAL;
		pos += len + 1;
		break;
	case FDT_PROP:
		if (size - pos < 8)
			return -EINVAL;
		len = fdt_be32(s + pos);
		pos += 8;
		if (len > size - pos)
			return -EINVAL;
		pos += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -EINVAL;
	}
	pos = ALIGN_UP(pos, 4);
	if (pos > size)
		return -EINVAL;
	*next = (int)pos;
	return (int)tag;
}

/* Whether [off, off + size) lies in [min_off, total), without wrapping. */
static bool block_fits(uint32_t off, uint32_t size, uint32_t min_off,
		       uint32_t total)
{
	return off >= min_off && off <= total && size <= total - off;
}

/* Counts the reservation entries before the (0, 0) terminator. */
static int count_mem_rsv(struct fdt *f)
{
	uint32_t pos = f->rsv_off;
	int n = 0;

	while (f->totalsize - pos >= RSV_ENTRY_SIZE) {
		const uint8_t *e = f->blob + pos;

		if (!fdt_read_cells(e, 2) && !fdt_read_cells(e + 8, 2)) {
			f->nr_rsv = n;
			return 0;
		}
		pos += RSV_ENTRY_SIZE;
		n++;
	}
	return -EINVAL;
}

/*
 * Walks the structure block once, enforcing what next_token() cannot see
 * on its own: one root node, balanced nesting no deeper than
 * FDT_MAX_DEPTH, properties only inside a node and before its subnodes,
 * and FDT_END right after the root (NOPs aside). Records the root.
 */
static int check_structure(struct fdt *f)
{
	int off = 0, next, tag, depth = 0;
	bool root_done = false, after_child = false;

	f->root = -1;
	for (;; off = next) {
		tag = next_token(f, off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (root_done || depth == FDT_MAX_DEPTH)
				return -EINVAL;
			if (f->root < 0)
				f->root = off;
			depth++;
			after_child = false;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -EINVAL;
			if (--depth == 0)
				root_done = true;
			after_child = true;
			break;
		case FDT_PROP:
			if (depth == 0 || after_child ||
			    !prop_name(f, fdt_be32(struct_base(f) + off + 8)))
				return -EINVAL;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return root_done ? 0 : -EINVAL;
		default:
			return -EINVAL;
		}
	}
}

int fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
	const uint8_t *b = blob;
	struct fdt f = { .blob = b, .root = -1 };
	uint32_t version, hdr_size;

	memset(fdt, 0, sizeof(*fdt));
	fdt->root = -1;
	if (!b || max_size < HDR_SIZE_V17 || fdt_be32(b + HDR_MAGIC) != FDT_MAGIC)
		return -EINVAL;
	f.totalsize = fdt_be32(b + HDR_TOTALSIZE);
	if (f.totalsize > max_size || f.totalsize > INT32_MAX ||
	    f.totalsize < HDR_SIZE_V17)
		return -EINVAL;

	version = fdt_be32(b + HDR_VERSION);
	if (version < 16 || fdt_be32(b + HDR_LAST_COMP) > 17)
		return -EINVAL;
	hdr_size = version >= 17 ? HDR_SIZE_V17 : HDR_SIZE_V16;

	f.struct_off = fdt_be32(b + HDR_OFF_STRUCT);
	if (version >= 17)
		f.struct_size = fdt_be32(b + HDR_SIZE_STRUCT);
	else if (f.struct_off <= f.totalsize)
		f.struct_size = f.totalsize - f.struct_off;
	f.strings_off = fdt_be32(b + HDR_OFF_STRINGS);
	f.strings_size = fdt_be32(b + HDR_SIZE_STRINGS);
	f.rsv_off = fdt_be32(b + HDR_OFF_RSVMAP);

	if (!block_fits(f.struct_off, f.struct_size, hdr_size, f.totalsize) ||
	    !IS_ALIGNED(f.struct_off, 4) ||
	    !block_fits(f.strings_off, f.strings_size, hdr_size, f.totalsize) ||
	    !block_fits(f.rsv_off, 0, hdr_size, f.totalsize) ||
	    !IS_ALIGNED(f.rsv_off, 8))
		return -EINVAL;
	if (count_mem_rsv(&f) || check_structure(&f))
		return -EINVAL;
	*fdt = f;
	return 0;
}

uint32_t fdt_totalsize(const struct fdt *fdt)
{
	return fdt->totalsize;
}

int fdt_num_mem_rsv(const struct fdt *fdt)
{
	return fdt->nr_rsv;
}

int fdt_get_mem_rsv(const struct fdt *fdt, int index, uint64_t *addr,
		    uint64_t *size)
{
	const uint8_t *e;

	if (index < 0 || index >= fdt->nr_rsv)
		return -ENOENT;
	e = fdt->blob + fdt->rsv_off + (uint32_t)index * RSV_ENTRY_SIZE;
	*addr = fdt_read_cells(e, 2);
	*size = fdt_read_cells(e + 8, 2);
	return 0;
}

/* The offset of node's first token after its name, or -EINVAL. */
static int node_body(const struct fdt *f, int node)
{
	int next;

	if (next_token(f, node, &next) != FDT_BEGIN_NODE)
		return -EINVAL;
	return next;
}

/*
 * The next token from *off that changes the nesting depth: steps *off
 * over properties and NOPs to a BEGIN_NODE or END_NODE, returns that tag
 * and sets *next just past it; -EINVAL on anything else (FDT_END too).
 */
static int nesting_token(const struct fdt *f, int *off, int *next)
{
	int tag;

	for (;; *off = *next) {
		tag = next_token(f, *off, next);
		if (tag == FDT_BEGIN_NODE || tag == FDT_END_NODE)
			return tag;
		if (tag != FDT_PROP && tag != FDT_NOP)
			return -EINVAL;
	}
}

/* The offset just past node's END_NODE, or -EINVAL. */
static int node_end(const struct fdt *f, int node)
{
	int off = node_body(f, node), next, depth = 1;

	for (; off >= 0; off = next) {
		switch (nesting_token(f, &off, &next)) {
		case FDT_BEGIN_NODE:
			depth++;
			break;
		case FDT_END_NODE:
			if (--depth == 0)
				return next;
			break;
		default:
			return -EINVAL;
		}
	}
	return off;
}

int fdt_next_node(const struct fdt *fdt, int node)
{
	int off, next, tag;

	if (node == -1)
		return fdt->root >= 0 ? fdt->root : -EINVAL;
	for (off = node_body(fdt, node); off >= 0; off = next) {
		tag = next_token(fdt, off, &next);
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag == FDT_END)
			return -ENOENT;
		if (tag < 0)
			return tag;
	}
	return off;
}

/*
 * Skips NOPs (and, if skip_props, properties) from off; returns the
 * offset of the node that starts there, -ENOENT if a node or the tree
 * ends there instead, -EINVAL on anything else.
 */
static int node_at(const struct fdt *f, int off, bool skip_props)
{
	int next, tag;

	for (; off >= 0; off = next) {
		tag = next_token(f, off, &next);
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag == FDT_END_NODE || tag == FDT_END)
			return -ENOENT;
		if (tag == FDT_NOP || (tag == FDT_PROP && skip_props))
			continue;
		return -EINVAL;
	}
	return off;
}

int fdt_first_subnode(const struct fdt *fdt, int node)
{
	return node_at(fdt, node_body(fdt, node), true);
}

int fdt_next_subnode(const struct fdt *fdt, int node)
{
	return node_at(fdt, node_end(fdt, node), false);
}

int fdt_parent_offset(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int off, next, depth = 0;

	if (node_body(fdt, node) < 0)
		return -EINVAL;
	/* A node offset the walk steps over is not a real node. */
	for (off = fdt->root; off >= 0 && off <= node; off = next) {
		switch (nesting_token(fdt, &off, &next)) {
		case FDT_BEGIN_NODE:
			if (off == node)
				return depth ? stack[depth - 1] : -ENOENT;
			if (depth == FDT_MAX_DEPTH)
				return -EINVAL;
			stack[depth++] = off;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -EINVAL;
			depth--;
			break;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}

const char *fdt_get_name(const struct fdt *fdt, int node, int *len)
{
	const char *name;

	if (node_body(fdt, node) < 0) {
		if (len)
			*len = -EINVAL;
		return NULL;
	}
	name = (const char *)struct_base(fdt) + node + 4;
	if (len)
		*len = (int)strlen(name);
	return name;
}

/*
 * The property of node named name[0..namelen), as in fdt_getprop(); the
 * name needs no NUL, so path and alias lookups need not copy it.
 */
static const uint8_t *find_prop(const struct fdt *f, int node,
				const char *name, size_t namelen, int *lenp)
{
	const uint8_t *s = struct_base(f);
	int off = node_body(f, node), next, tag = -EINVAL;

	for (; off >= 0; off = next) {
		tag = next_token(f, off, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			break;
		if (prop_name_is(f, fdt_be32(s + off + 8), name, namelen)) {
			*lenp = (int)fdt_be32(s + off + 4);
			return s + off + 12;
		}
	}
	*lenp = off < 0 || tag < 0 ? -EINVAL : -ENOENT;
	return NULL;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *len)
{
	int l;
	const void *val = find_prop(fdt, node, name, strlen(name), &l);

	if (len)
		*len = l;
	return val;
}

/* A property of exactly cells 32-bit cells, as one number. */
static int read_cells_prop(const struct fdt *fdt, int node, const char *name,
			   int cells, uint64_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len;
	if (len != 4 * cells)
		return -EINVAL;
	*v = fdt_read_cells(p, cells);
	return 0;
}

int fdt_read_u32(const struct fdt *fdt, int node, const char *name,
		 uint32_t *v)
{
	uint64_t v64 = 0;
	int err = read_cells_prop(fdt, node, name, 1, &v64);

	if (!err)
		*v = (uint32_t)v64;
	return err;
}

int fdt_read_u64(const struct fdt *fdt, int node, const char *name,
		 uint64_t *v)
{
	return read_cells_prop(fdt, node, name, 2, v);
}

/* Whether the len bytes at s hold a NUL, i.e. s is a safe C string. */
static bool terminated(const char *s, int len)
{
	return len > 0 && strnlen(s, (size_t)len) < (size_t)len;
}

const char *fdt_read_string(const struct fdt *fdt, int node,
			    const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && terminated(s, len) ? s : NULL;
}

bool fdt_stringlist_contains(const char *list, int len, const char *str)
{
	size_t want = strlen(str), left = len > 0 ? (size_t)len : 0;

	while (left) {
		size_t n = strnlen(list, left);

		if (n == left)
			return false;
		if (n == want && !memcmp(list, str, n))
			return true;
		list += n + 1;
		left -= n + 1;
	}
	return false;
}

int fdt_node_check_compatible(const struct fdt *fdt, int node,
			      const char *compat)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	if (!list)
		return len;
	return fdt_stringlist_contains(list, len, compat) ? 0 : -ENOENT;
}

int fdt_node_offset_by_compatible(const struct fdt *fdt, int start,
				  const char *compat)
{
	int node;

	for (node = fdt_next_node(fdt, start); node >= 0;
	     node = fdt_next_node(fdt, node))
		if (!fdt_node_check_compatible(fdt, node, compat))
			return node;
	return node;
}

int fdt_node_offset_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int node;

	/* 0 and ~0 are never phandles: ~0 marks an unresolved reference. */
	if (phandle == 0 || phandle == ~0u)
		return -EINVAL;
	for (node = fdt_next_node(fdt, -1); node >= 0;
	     node = fdt_next_node(fdt, node)) {
		uint32_t v;

		if ((!fdt_read_u32(fdt, node, "phandle", &v) ||
		     !fdt_read_u32(fdt, node, "linux,phandle", &v)) &&
		    v == phandle)
			return node;
	}
	return node;
}

bool fdt_node_is_available(const struct fdt *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);

	if (!status)
		return len == -ENOENT;
	return terminated(status, len) &&
	       (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

static int cells(const struct fdt *f, int node, const char *name, int dflt)
{
	uint32_t v;
	int ret = fdt_read_u32(f, node, name, &v);

	if (ret == -ENOENT)
		return dflt;
	if (ret)
		return ret;
	return v <= FDT_MAX_CELLS ? (int)v : -EINVAL;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
	return cells(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return cells(fdt, node, "#size-cells", 1);
}

/* fdt_get_reg() for a caller that already knows node's parent. */
static int reg_entry(const struct fdt *f, int node, int parent, int index,
		     uint64_t *addr, uint64_t *size)
{
	int ac = fdt_address_cells(f, parent), sc = fdt_size_cells(f, parent);
	int len, stride;
	const uint8_t *reg;

	if (ac < 0)
		return ac;
	if (sc < 0)
		return sc;
	if (ac < 1 || ac > 2 || sc > 2)
		return -EINVAL;
	reg = fdt_getprop(f, node, "reg", &len);
	if (!reg)
		return len;
	stride = 4 * (ac + sc);
	if (len % stride)
		return -EINVAL;
	if (index < 0 || index >= len / stride)
		return -ENOENT;
	reg += index * stride;
	*addr = fdt_read_cells(reg, ac);
	if (size)
		*size = fdt_read_cells(reg + 4 * ac, sc);
	return 0;
}

int fdt_get_reg(const struct fdt *fdt, int node, int index, uint64_t *addr,
		uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);

	if (parent < 0)
		return parent;
	return reg_entry(fdt, node, parent, index, addr, size);
}

/* fdt_subnode_offset() for a name of namelen bytes, not NUL-terminated. */
static int subnode_len(const struct fdt *f, int parent, const char *name,
		       size_t namelen)
{
	int node, base_match = -ENOENT;
	bool has_unit = false;

	for (size_t i = 0; i < namelen; i++)
		has_unit |= name[i] == '@';
	fdt_for_each_subnode(node, f, parent) {
		const char *n = (const char *)struct_base(f) + node + 4;

		/* strncmp() stops at n's NUL, so n[namelen] is inside n. */
		if (strncmp(n, name, namelen))
			continue;
		if (!n[namelen])
			return node;
		if (!has_unit && n[namelen] == '@' && base_match < 0)
			base_match = node;
	}
	return node == -ENOENT ? base_match : node;
}

int fdt_subnode_offset(const struct fdt *fdt, int parent, const char *name)
{
	return subnode_len(fdt, parent, name, strlen(name));
}

static int path_len(const struct fdt *f, const char *path, size_t len);

/* The node named by alias name[0..namelen) in /aliases. */
static int alias_node(const struct fdt *f, const char *name, size_t namelen)
{
	int aliases = fdt_path_offset(f, "/aliases"), len;
	const char *target;

	if (aliases < 0)
		return aliases;
	target = (const char *)find_prop(f, aliases, name, namelen, &len);
	if (!target)
		return len;
	/* Absolute only, so resolving it cannot recurse into an alias. */
	if (!terminated(target, len) || target[0] != '/')
		return -EINVAL;
	return path_len(f, target, strlen(target));
}

/* fdt_path_offset() for a path of len bytes, not NUL-terminated. */
static int path_len(const struct fdt *f, const char *path, size_t len)
{
	const char *p = path, *end = path + len, *q;
	int node;

	if (!len)
		return -EINVAL;
	if (*p == '/') {
		node = fdt_next_node(f, -1);
	} else {
		for (q = p; q < end && *q != '/'; q++)
			;
		node = alias_node(f, p, (size_t)(q - p));
		p = q;
	}
	while (node >= 0 && p < end) {
		if (*p == '/') {
			p++;
			continue;
		}
		for (q = p; q < end && *q != '/'; q++)
			;
		node = subnode_len(f, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	return path ? path_len(fdt, path, strlen(path)) : -EINVAL;
}

/* Whether node is available and its device_type is type. */
static bool has_device_type(const struct fdt *f, int node, const char *type)
{
	const char *t = fdt_read_string(f, node, "device_type");

	return t && !strcmp(t, type) && fdt_node_is_available(f, node);
}

int fdt_chosen_bootargs(const struct fdt *fdt, const char **args)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *s;

	if (chosen < 0)
		return chosen;
	s = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!s)
		return len;
	if (!terminated(s, len))
		return -EINVAL;
	*args = s;
	return 0;
}

int fdt_stdout_path(const struct fdt *fdt, int *node)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len, ret;
	const char *s, *colon;

	if (chosen < 0)
		return chosen;
	s = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!s)
		s = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!s)
		return len;
	if (!terminated(s, len))
		return -EINVAL;
	/* Node names cannot hold ':', so the first one starts the options. */
	colon = strchr(s, ':');
	ret = path_len(fdt, s, colon ? (size_t)(colon - s) : strlen(s));
	if (ret < 0)
		return ret;
	*node = ret;
	return 0;
}

int fdt_memory_region(const struct fdt *fdt, int index, uint64_t *base,
		      uint64_t *size)
{
	int root = fdt_next_node(fdt, -1), node, ret;

	if (root < 0)
		return root;
	if (index < 0)
		return -ENOENT;
	fdt_for_each_subnode(node, fdt, root) {
		uint64_t b, s;

		if (!has_device_type(fdt, node, "memory"))
			continue;
		for (int i = 0; !(ret = reg_entry(fdt, node, root, i, &b, &s));
		     i++) {
			/* An empty bank is no bank: it takes no index. */
			if (!s || index-- > 0)
				continue;
			*base = b;
			*size = s;
			return 0;
		}
		if (ret != -ENOENT)
			return ret;
	}
	return node;
}

/*
 * The index-th CPU node (see fdt_cpu_count()), with /cpus in *cpus, or
 * -ENOENT past the last one.
 */
static int cpu_node(const struct fdt *f, int index, int *cpus)
{
	int node;

	*cpus = fdt_path_offset(f, "/cpus");
	if (*cpus < 0)
		return *cpus;
	fdt_for_each_subnode(node, f, *cpus)
		if (has_device_type(f, node, "cpu") && index-- == 0)
			return node;
	return node;
}

int fdt_cpu_count(const struct fdt *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, n = 0;

	if (cpus < 0)
		return cpus == -ENOENT ? 0 : cpus;
	fdt_for_each_subnode(node, fdt, cpus)
		if (has_device_type(fdt, node, "cpu"))
			n++;
	return node == -ENOENT ? n : node;
}

int fdt_cpu_reg(const struct fdt *fdt, int index, uint64_t *hwid)
{
	int cpus, node = cpu_node(fdt, index, &cpus);

	if (node < 0)
		return node;
	return reg_entry(fdt, node, cpus, 0, hwid, NULL);
}

/*
 * The cpu node's own enable-method, else the one on /cpus, which the
 * devicetree spec allows for all CPUs at once: the upstream Raspberry
 * Pi 2 tree puts "brcm,bcm2836-smp" there only; the Pi 3's arm64 tree
 * has it there too, but each cpu node's "spin-table" wins.
 */
const char *fdt_cpu_enable_method(const struct fdt *fdt, int index)
{
	int cpus, node = cpu_node(fdt, index, &cpus);
	const char *m;

	if (node < 0)
		return NULL;
	m = fdt_read_string(fdt, node, "enable-method");
	return m ? m : fdt_read_string(fdt, cpus, "enable-method");
}

int fdt_cpu_release_addr(const struct fdt *fdt, int index, uint64_t *addr)
{
	int cpus, node = cpu_node(fdt, index, &cpus);

	if (node < 0)
		return node;
	return fdt_read_u64(fdt, node, "cpu-release-addr", addr);
}

int fdt_psci_method(const struct fdt *fdt, const char **method)
{
	static const char *const compats[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
	};
	int node;

	for (node = fdt_next_node(fdt, -1); node >= 0;
	     node = fdt_next_node(fdt, node)) {
		const char *m;
		bool psci = false;

		for (size_t i = 0; i < ARRAY_SIZE(compats); i++)
			psci |= !fdt_node_check_compatible(fdt, node, compats[i]);
		if (!psci || !fdt_node_is_available(fdt, node))
			continue;
		m = fdt_read_string(fdt, node, "method");
		if (!m || (strcmp(m, "hvc") && strcmp(m, "smc")))
			return -EINVAL;
		*method = m;
		return 0;
	}
	return node;
}
