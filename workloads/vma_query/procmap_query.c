// SPDX-License-Identifier: MIT
/*
 * PROCMAP_QUERY (see procmap_query.h), with the two ways of locking the
 * lookup the seed's thread discusses:
 *
 *  PROCMAP_MMAP_LOCK	mmap_read_lock() for the whole query, find_vma();
 *  PROCMAP_PER_VMA_RCU	find_and_lock_vma_rcu(): the VMA found under RCU
 *			and read-locked alone; if its lock cannot be taken,
 *			take mmap_lock, find the VMA, read-lock it (which
 *			cannot fail under mmap_lock: writers need mmap_lock
 *			for writing) and drop mmap_lock at once.
 *
 *  PROCMAP_PER_VMA_MMAP_NAME as PER_VMA_RCU, except that a query that
 *			asks for the VMA's name takes mmap_lock for all of it.
 *
 * Either way, everything read from the VMA - its range, flags and name -
 * is read while a lock that excludes its writers is held: mmap_lock, or
 * the VMA's own read lock. The review in the thread found the patch
 * reading the VMA name (anon_vma_name) under the VMA lock where Linux
 * then required mmap_lock. Here a name is normally changed only under
 * vma_start_write() (see model.h), which the VMA read lock excludes; the
 * workload's vma-lock-name mode renames under mmap_lock alone, as
 * Linux then did, to show the bug, and mmap-lock-name reads names
 * under mmap_lock, the review's answer. The name is formatted into a
 * kernel buffer before the lock is dropped, so the copy to the caller's
 * buffer never touches the VMA.
 */
#include "procmap_query.h"
#include "../model.h"
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>

struct query_ctx {
	struct proc_maps_private *priv;
	bool mmap_locked;	/* PROCMAP_MMAP_LOCK: held for the whole query */
	unsigned int nr_fallbacks;	/* per-VMA lock failed, mmap_lock taken */
};

static void query_vma_setup(struct query_ctx *q, bool wants_name)
{
	q->mmap_locked = q->priv->lock == PROCMAP_MMAP_LOCK ||
			 (q->priv->lock == PROCMAP_PER_VMA_MMAP_NAME && wants_name);
	if (q->mmap_locked)
		mmap_read_lock(q->priv->mm);
}

static void query_vma_teardown(struct query_ctx *q, struct vm_area_struct *vma)
{
	if (q->mmap_locked)
		mmap_read_unlock(q->priv->mm);
	else if (vma)
		vma_end_read(vma);
}

/* Drop a VMA we skip over (per-VMA mode holds its lock). */
static void query_vma_skip(struct query_ctx *q, struct vm_area_struct *vma)
{
	if (!q->mmap_locked)
		vma_end_read(vma);
}

/* The first VMA with vm_end > addr, locked as the mode requires, or NULL. */
static struct vm_area_struct *query_vma_find_by_addr(struct query_ctx *q, unsigned long addr)
{
	struct mm_struct *mm = q->priv->mm;
	struct vm_area_struct *vma;
	bool retry;

	if (q->mmap_locked)
		return find_vma(mm, addr);
	vma = find_and_lock_vma_rcu(mm, addr, &retry);
	if (vma || !retry)
		return vma;
	q->nr_fallbacks++;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && !down_read_trylock(&vma->vm_lock))
		BUG();	/* mmap_lock held: no writer can hold the VMA lock */
	mmap_read_unlock(mm);
	return vma;
}

static bool vma_matches(const struct vm_area_struct *vma, uint64_t flags)
{
	if ((flags & PROCMAP_QUERY_FILE_BACKED_VMA) && !vma->vm_ino)
		return false;
	if ((flags & PROCMAP_QUERY_VMA_READABLE) && !(vma->vm_flags & VM_READ))
		return false;
	if ((flags & PROCMAP_QUERY_VMA_WRITABLE) && !(vma->vm_flags & VM_WRITE))
		return false;
	if ((flags & PROCMAP_QUERY_VMA_EXECUTABLE) && !(vma->vm_flags & VM_EXEC))
		return false;
	if ((flags & PROCMAP_QUERY_VMA_SHARED) && !(vma->vm_flags & VM_SHARED))
		return false;
	return true;
}

/* The matching VMA, locked; or NULL (-ENOENT) with nothing locked. */
static struct vm_area_struct *query_matching_vma(struct query_ctx *q, unsigned long addr,
						 uint64_t flags)
{
	struct vm_area_struct *vma;

	for (;;) {
		vma = query_vma_find_by_addr(q, addr);
		if (!vma)
			return NULL;
		if (!(flags & PROCMAP_QUERY_COVERING_OR_NEXT_VMA) && addr < vma->vm_start)
			break;
		if (vma_matches(vma, flags))
			return vma;
		if (!(flags & PROCMAP_QUERY_COVERING_OR_NEXT_VMA))
			break;
		addr = vma->vm_end;
		query_vma_skip(q, vma);
	}
	query_vma_skip(q, vma);
	return NULL;
}

/* Bytes [from, to) of the caller's structure must be zero (Linux's copy_struct_from_user). */
static bool tail_is_zero(const uint8_t *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Format the VMA's name into buf; its length + 1, or 0 if it has none.
 * The caller holds a lock that keeps the name pointer stable; the
 * pointer is loaded once and checked again after the copy, so a rename
 * that broke that rule is counted in *races (READ_ONCE: only then do
 * the loads race with a store).
 */
static uint32_t vma_name(const struct vm_area_struct *vma, char *buf, unsigned long *races)
{
	const struct anon_vma_name *n = READ_ONCE(vma->anon_name);
	uint32_t len;

	if (!n)
		return 0;
	if (vma->vm_ino)
		len = (uint32_t)snprintf(buf, PROCMAP_NAME_MAX, "%s", n->name) + 1;
	else
		len = (uint32_t)snprintf(buf, PROCMAP_NAME_MAX, "[anon:%s]", n->name) + 1;
	if (READ_ONCE(vma->anon_name) != n)
		(*races)++;
	return len;
}

int do_procmap_query(struct proc_maps_private *priv, void *arg)
{
	struct procmap_query karg;
	struct vm_area_struct *vma;
	struct query_ctx q = { .priv = priv };
	char name[PROCMAP_NAME_MAX];
	uint32_t name_sz = 0;
	uint64_t usize;
	int err = 0;

	memcpy(&usize, arg, sizeof(usize));
	/*
	 * As Linux does: no version of the structure is that large, and a
	 * tail that long could run off the caller's memory. (FUZZ_BROKEN:
	 * the fuzzer's proof that it finds the read past the caller's page.)
	 */
#ifndef FUZZ_BROKEN
	if (usize > PAGE_SIZE)
		return -E2BIG;
#endif
	if (usize < PROCMAP_QUERY_MIN_SIZE)
		return -EINVAL;
	if (usize > sizeof(karg) && !tail_is_zero(arg, sizeof(karg), usize))
		return -E2BIG;
	memset(&karg, 0, sizeof(karg));
	memcpy(&karg, arg, min(usize, (uint64_t)sizeof(karg)));

	if (karg.query_flags & ~PROCMAP_QUERY_VALID_FLAGS)
		return -EINVAL;
	if (!!karg.vma_name_size != !!karg.vma_name_addr)
		return -EINVAL;
	if (!!karg.build_id_size != !!karg.build_id_addr)
		return -EINVAL;
	if (!priv->mm)
		return -ESRCH;

	query_vma_setup(&q, karg.vma_name_size);
	vma = query_matching_vma(&q, karg.query_addr, karg.query_flags);
	if (!vma) {
		query_vma_teardown(&q, NULL);
		priv->nr_fallbacks += q.nr_fallbacks;
		return -ENOENT;
	}
	/* Locked: every field below is stable. */
	karg.vma_start = vma->vm_start;
	karg.vma_end = vma->vm_end;
	karg.vma_flags = 0;
	if (vma->vm_flags & VM_READ)
		karg.vma_flags |= PROCMAP_QUERY_VMA_READABLE;
	if (vma->vm_flags & VM_WRITE)
		karg.vma_flags |= PROCMAP_QUERY_VMA_WRITABLE;
	if (vma->vm_flags & VM_EXEC)
		karg.vma_flags |= PROCMAP_QUERY_VMA_EXECUTABLE;
	if (vma->vm_flags & VM_SHARED)
		karg.vma_flags |= PROCMAP_QUERY_VMA_SHARED;
	karg.vma_page_size = PAGE_SIZE;
	karg.vma_offset = (uint64_t)vma->vm_pgoff << PAGE_SHIFT;
	karg.inode = vma->vm_ino;
	karg.dev_major = vma->vm_ino ? 8 : 0;
	karg.dev_minor = vma->vm_ino ? 1 : 0;
	if (karg.vma_name_size) {
		name_sz = vma_name(vma, name, &priv->nr_name_races);
		if (name_sz > karg.vma_name_size)
			err = -ENAMETOOLONG;
		else
			karg.vma_name_size = name_sz;
	}
	query_vma_teardown(&q, vma);
	priv->nr_fallbacks += q.nr_fallbacks;
	if (err)
		return err;

	/* The "copy_to_user"s: nothing of the VMA is touched any more. */
	if (name_sz)
		memcpy((void *)(uintptr_t)karg.vma_name_addr, name, name_sz);
	memcpy(arg, &karg, min(usize, (uint64_t)sizeof(karg)));
	return 0;
}

bool procmap_name_consistent(const char *buf)
{
	unsigned long a = 0, b = 0;
	bool anon = !strncmp(buf, "[anon:", 6);
	const char *p = anon ? buf + 6 : buf;

	if (*p != 'n')
		return false;
	for (p++; *p >= '0' && *p <= '9'; p++)
		a = a * 10 + (unsigned long)(*p - '0');
	if (*p++ != '-')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		b = b * 10 + (unsigned long)(*p - '0');
	return a == b && !strcmp(p, anon ? "]" : "");
}
