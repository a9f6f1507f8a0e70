// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for PROCMAP_QUERY's argument checking
 * (workloads/vma_query/procmap_query.c) and the address-space calls that
 * shape what it finds (workloads/model/mm.c).
 *
 * The input:
 *
 *   byte 0	bit 0: the lookup's locking (0 mmap_lock, 1 per-VMA + RCU);
 *		bit 1: the mm is gone (the query must say -ESRCH)
 *   byte 1	how many 16-byte operations follow, each
 *		{ u8 op, u8 flags, u8 name, u8 ino, u32 len, u64 addr }
 *		(mmap, munmap, mprotect, split, merge, rename, fault, query),
 *		arguments taken as they come, good or bad
 *   the rest	the caller's struct procmap_query, as it lies at the start
 *		of a page of user memory (zeros after it)
 *
 * The page is a heap buffer of exactly PAGE_SIZE bytes and a name buffer
 * is exactly vma_name_size bytes, so reading or writing past what the
 * caller said is there is an ASan report. Checked: every call returns
 * one of its documented errors; a refused query writes nothing back; an
 * accepted one returns a VMA that matches the query, with a terminated
 * name that fits; the address space stays sorted and disjoint; and
 * nothing leaks once the mm is put and RCU callbacks have run.
 */
#include "fuzz.h"
#include "../../workloads/model.h"
#include "../../workloads/vma_query/procmap_query.h"
#include <kerrno.h>
#include <libc.h>
#include <mm.h>
#include <rcupdate.h>
#include <stdlib.h>

#define TASK_SIZE	(1ul << 40)
#define OP_SIZE		16
#define MAX_VMAS	255	/* each operation adds at most one */

enum op { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_SPLIT, OP_MERGE, OP_RENAME,
	  OP_FAULT, OP_QUERY, NR_OPS };

struct op_args {
	uint8_t op, flags, name, ino;
	uint32_t len;
	uint64_t addr;
};

long kmalloc_live_objects(void);

/* Name byte: 0 no name, else a name of (byte & 0x7f) characters. */
static const char *make_name(uint8_t b, char *buf)
{
	size_t len = b & 0x7f;

	if (!b)
		return NULL;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (b + i) % 26);
	buf[len] = '\0';
	return buf;
}

static struct procmap_query covering(unsigned long addr, uint64_t flags)
{
	return (struct procmap_query){ .size = sizeof(struct procmap_query),
				       .query_flags = flags, .query_addr = addr };
}

/* Every VMA, through the queries: sorted, disjoint, inside the task. */
static void check_address_space(struct proc_maps_private *priv)
{
	unsigned long addr = 0, prev_end = 0;
	unsigned int n = 0;
	struct procmap_query q;
	int err;

	for (;;) {
		q = covering(addr, PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
		err = do_procmap_query(priv, &q);
		if (err)
			break;
		FUZZ_CHECK(q.vma_start >= prev_end && q.vma_start < q.vma_end &&
			   q.vma_end <= TASK_SIZE && q.vma_end > addr &&
			   q.vma_offset == q.vma_start,
			   "VMA [%#llx, %#llx) offset %#llx after %#lx", (unsigned long long)q.vma_start,
			   (unsigned long long)q.vma_end, (unsigned long long)q.vma_offset, prev_end);
		FUZZ_CHECK(++n <= MAX_VMAS, "more VMAs than operations made");
		prev_end = addr = q.vma_end;
	}
	FUZZ_CHECK(err == -ENOENT, "the walk ends with %d", err);
	FUZZ_CHECK(n == mm_nr_vmas(priv->mm), "%u VMAs found, %u in the mm", n,
		   mm_nr_vmas(priv->mm));
}

/* A plain query for the VMA covering addr. */
static int query_at(struct proc_maps_private *priv, unsigned long addr,
		    struct procmap_query *q)
{
	*q = covering(addr, 0);
	return do_procmap_query(priv, q);
}

static void run_op(struct proc_maps_private *priv, const struct op_args *o)
{
	struct mm_struct *mm = priv->mm;
	char name_buf[128];
	const char *name = make_name(o->name, name_buf);
	struct procmap_query q;
	bool fallback;
	int err;

	switch (o->op % NR_OPS) {
	case OP_MMAP:
		err = do_mmap(mm, o->addr, o->len, o->flags, o->ino, name);
		FUZZ_CHECK(!err || err == -EINVAL || err == -EEXIST, "mmap: %d", err);
		FUZZ_CHECK(err || (!query_at(priv, o->addr, &q) && q.vma_start == o->addr &&
				   q.vma_end == o->addr + o->len), "mmap at %#llx not found",
			   (unsigned long long)o->addr);
		if (name && strlen(name) >= VMA_NAME_MAX)
			FUZZ_CHECK(err == -EINVAL, "mmap with a %zu-byte name: %d",
				   strlen(name), err);
		break;
	case OP_MUNMAP:
		err = do_munmap(mm, o->addr);
		FUZZ_CHECK(!err || err == -ENOENT, "munmap: %d", err);
		FUZZ_CHECK(err || query_at(priv, o->addr, &q) == -ENOENT,
			   "%#llx mapped after munmap", (unsigned long long)o->addr);
		break;
	case OP_MPROTECT:
		err = do_mprotect(mm, o->addr, o->flags);
		FUZZ_CHECK(!err || err == -ENOENT || err == -EINVAL, "mprotect: %d", err);
		break;
	case OP_SPLIT:
		err = split_vma(mm, o->addr);
		FUZZ_CHECK(!err || err == -ENOENT || err == -EINVAL, "split: %d", err);
		FUZZ_CHECK(err || (!query_at(priv, o->addr, &q) && q.vma_start == o->addr),
			   "no VMA starts at the split %#llx", (unsigned long long)o->addr);
		break;
	case OP_MERGE:
		err = merge_vma(mm, o->addr);
		FUZZ_CHECK(!err || err == -ENOENT || err == -EINVAL, "merge: %d", err);
		break;
	case OP_RENAME:
		err = vma_set_name(mm, o->addr, name);
		FUZZ_CHECK(!err || err == -ENOENT || err == -EINVAL, "rename: %d", err);
		if (name && strlen(name) >= VMA_NAME_MAX)
			FUZZ_CHECK(err == -EINVAL, "rename to a %zu-byte name: %d",
				   strlen(name), err);
		break;
	case OP_FAULT:
		err = handle_mm_fault(mm, o->addr, o->flags & 1, &fallback);
		FUZZ_CHECK(!err || err == -EFAULT, "fault: %d", err);
		break;
	case OP_QUERY:
		q = covering(o->addr, o->flags & PROCMAP_QUERY_VALID_FLAGS);
		err = do_procmap_query(priv, &q);
		FUZZ_CHECK(!err || err == -ENOENT, "query: %d", err);
		if (!err)
			FUZZ_CHECK(q.vma_end > o->addr && ((q.query_flags & PROCMAP_QUERY_COVERING_OR_NEXT_VMA) ||
							   q.vma_start <= o->addr) &&
				   (q.vma_flags & q.query_flags & 0xf) == (q.query_flags & 0xf),
				   "query %#llx flags %#llx gave [%#llx, %#llx) flags %#llx",
				   (unsigned long long)o->addr, (unsigned long long)q.query_flags,
				   (unsigned long long)q.vma_start, (unsigned long long)q.vma_end,
				   (unsigned long long)q.vma_flags);
		break;
	}
	check_address_space(priv);
}

/*
 * The raw query from user memory. The page and the name buffer are
 * exact-size heap buffers; the query's name address is made to point at
 * the latter, as a caller's would.
 */
static void raw_query(struct proc_maps_private *priv, const uint8_t *arg, size_t len)
{
	uint8_t *page = calloc(1, PAGE_SIZE), *before = malloc(PAGE_SIZE);
	struct procmap_query in, out, seen;
	char *name = NULL;
	uint64_t usize;
	int err;

	FUZZ_CHECK(page && before, "out of memory");
	memcpy(page, arg, len < PAGE_SIZE ? len : PAGE_SIZE);
	memcpy(&in, page, sizeof(in));
	if (in.vma_name_addr) {
		name = malloc(in.vma_name_size < PAGE_SIZE ? in.vma_name_size : PAGE_SIZE);
		FUZZ_CHECK(name, "out of memory");
		in.vma_name_addr = (uintptr_t)name;
		memcpy(page + offsetof(struct procmap_query, vma_name_addr), &in.vma_name_addr,
		       sizeof(in.vma_name_addr));
	}
	memcpy(before, page, PAGE_SIZE);
	usize = in.size;

	err = do_procmap_query(priv, page);
	FUZZ_CHECK(!err || err == -EINVAL || err == -E2BIG || err == -ENOENT ||
		   err == -ENAMETOOLONG || err == -ESRCH, "query error %d", err);
	if (usize < PROCMAP_QUERY_MIN_SIZE)
		FUZZ_CHECK(err == -EINVAL, "size %llu: %d", (unsigned long long)usize, err);
	if (usize > PAGE_SIZE)
		FUZZ_CHECK(err == -E2BIG, "size %llu: %d", (unsigned long long)usize, err);
	/* The fields as the kernel sees them: the first usize bytes, zeros after. */
	memset(&seen, 0, sizeof(seen));
	memcpy(&seen, page, usize < sizeof(seen) ? usize : sizeof(seen));
	if (!priv->mm && usize >= PROCMAP_QUERY_MIN_SIZE && usize <= sizeof(in) &&
	    !(seen.query_flags & ~PROCMAP_QUERY_VALID_FLAGS) &&
	    !seen.vma_name_size == !seen.vma_name_addr && !seen.build_id_size == !seen.build_id_addr)
		FUZZ_CHECK(err == -ESRCH, "a query without an mm: %d", err);
	if (err) {
		FUZZ_CHECK(!memcmp(page, before, PAGE_SIZE), "a refused query (%d) wrote back", err);
		goto out;
	}
	/* Written back: only the size the caller knows. */
	FUZZ_CHECK(usize >= PAGE_SIZE || !memcmp(page + usize, before + usize, PAGE_SIZE - usize),
		   "a query of size %llu wrote past it", (unsigned long long)usize);
	if (usize < sizeof(out))
		goto out;
	memcpy(&out, page, sizeof(out));
	FUZZ_CHECK(out.vma_start < out.vma_end && out.vma_end > in.query_addr &&
		   ((in.query_flags & PROCMAP_QUERY_COVERING_OR_NEXT_VMA) ||
		    out.vma_start <= in.query_addr) &&
		   (out.vma_flags & in.query_flags & 0xf) == (in.query_flags & 0xf) &&
		   (!(in.query_flags & PROCMAP_QUERY_FILE_BACKED_VMA) || out.inode),
		   "query %#llx flags %#llx gave [%#llx, %#llx) flags %#llx",
		   (unsigned long long)in.query_addr, (unsigned long long)in.query_flags,
		   (unsigned long long)out.vma_start, (unsigned long long)out.vma_end,
		   (unsigned long long)out.vma_flags);
	if (in.vma_name_size) {
		FUZZ_CHECK(out.vma_name_size <= in.vma_name_size, "name of %u bytes in %u",
			   out.vma_name_size, in.vma_name_size);
		FUZZ_CHECK(!out.vma_name_size ||
			   strnlen(name, out.vma_name_size) == out.vma_name_size - 1,
			   "name size %u, name not terminated there", out.vma_name_size);
	}
out:
	free(name);
	free(before);
	free(page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct proc_maps_private priv;
	uint8_t ctl, nr_ops;
	long live;

	fuzz_init_kernel();
	live = kmalloc_live_objects();
	ctl = fuzz_u8(&in);
	nr_ops = fuzz_u8(&in);
	priv = (struct proc_maps_private){
		.mm = mm_alloc(TASK_SIZE),
		.lock = ctl & 1 ? PROCMAP_PER_VMA_RCU : PROCMAP_MMAP_LOCK,
	};
	FUZZ_CHECK(priv.mm, "out of memory for an mm");
	for (unsigned int i = 0; i < nr_ops && in.left >= OP_SIZE; i++) {
		struct op_args o;

		o.op = fuzz_u8(&in);
		o.flags = fuzz_u8(&in);
		o.name = fuzz_u8(&in);
		o.ino = fuzz_u8(&in);
		o.len = fuzz_u32(&in);
		o.addr = fuzz_u64(&in);
		run_op(&priv, &o);
	}
	if (ctl & 2) {
		mmput(priv.mm);
		priv.mm = NULL;
		raw_query(&priv, in.p, in.left);
	} else {
		raw_query(&priv, in.p, in.left);
		mmput(priv.mm);
	}
	rcu_barrier();
	FUZZ_CHECK(kmalloc_live_objects() == live, "%ld objects leaked",
		   kmalloc_live_objects() - live);
	return 0;
}
