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
#include <ktest.h>
#include <torture.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>

#define NAME_BUF	(VMA_NAME_MAX + 8)	/* "[anon:" + name + "]" */

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
		len = (uint32_t)snprintf(buf, NAME_BUF, "%s", n->name) + 1;
	else
		len = (uint32_t)snprintf(buf, NAME_BUF, "[anon:%s]", n->name) + 1;
	if (READ_ONCE(vma->anon_name) != n)
		(*races)++;
	return len;
}

int do_procmap_query(struct proc_maps_private *priv, void *arg)
{
	struct procmap_query karg;
	struct vm_area_struct *vma;
	struct query_ctx q = { .priv = priv };
	char name[NAME_BUF];
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

/* ---- tests: Linux's argument checks and lookup rules ---- */

/* The test address spaces end here: 1 TiB, or 2 GiB where longs are 32 bits. */
#define TEST_TASK_SIZE	(1ul << (BITS_PER_LONG == 64 ? 40 : 31))
#define T_BASE		0x400000ul
#define T_PAGE		PAGE_SIZE

/*
 * A small mm: [BASE, +2p) r-x file "libc.so", [BASE+4p, +1p) rw- anon
 * named "heap", [BASE+6p, +2p) r-- anon unnamed.
 */
static struct mm_struct *test_mm(void)
{
	struct mm_struct *mm = mm_alloc(TEST_TASK_SIZE);

	if (!mm)
		return NULL;
	if (do_mmap(mm, T_BASE, 2 * T_PAGE, VM_READ | VM_EXEC, 42, "libc.so") ||
	    do_mmap(mm, T_BASE + 4 * T_PAGE, T_PAGE, VM_READ | VM_WRITE, 0, "heap") ||
	    do_mmap(mm, T_BASE + 6 * T_PAGE, 2 * T_PAGE, VM_READ, 0, NULL)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

static struct procmap_query query_at(unsigned long addr, uint64_t flags)
{
	return (struct procmap_query){ .size = sizeof(struct procmap_query),
				       .query_flags = flags, .query_addr = addr };
}

static void bad_arguments(struct ktest_ctx *t, enum procmap_lock lock)
{
	struct proc_maps_private priv = { .mm = test_mm(), .lock = lock };
	struct { struct procmap_query q; uint64_t extra[2]; } big;
	struct procmap_query q;
	char buf[8];

	ASSERT_NOT_NULL(t, priv.mm);
	q = query_at(T_BASE, 0);
	q.size = 0;
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);
	q.size = PROCMAP_QUERY_MIN_SIZE - 1;
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);
	q.size = PROCMAP_QUERY_MIN_SIZE;	/* an old caller: accepted */
	EXPECT_EQ(t, do_procmap_query(&priv, &q), 0);
	q.size = PAGE_SIZE + 1;			/* refused before reading past q */
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -E2BIG);

	memset(&big, 0, sizeof(big));
	big.q = query_at(T_BASE, 0);
	big.q.size = sizeof(big);
	EXPECT_EQ(t, do_procmap_query(&priv, &big), 0);	/* zero tail: fine */
	big.extra[1] = 1;
	EXPECT_EQ(t, do_procmap_query(&priv, &big), -E2BIG);

	q = query_at(T_BASE, 0x40);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);
	q = query_at(T_BASE, 1ull << 63);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);

	q = query_at(T_BASE, 0);
	q.vma_name_size = sizeof(buf);		/* size without a buffer */
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);
	q = query_at(T_BASE, 0);
	q.vma_name_addr = (uintptr_t)buf;	/* buffer without a size */
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);
	q = query_at(T_BASE, 0);
	q.build_id_size = 20;
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -EINVAL);

	/* "libc.so" needs 8 bytes: 7 is too small, 8 is enough. */
	q = query_at(T_BASE, 0);
	q.vma_name_size = 7;
	q.vma_name_addr = (uintptr_t)buf;
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENAMETOOLONG);
	q.vma_name_size = 8;
	EXPECT_EQ(t, do_procmap_query(&priv, &q), 0);
	EXPECT_EQ(t, q.vma_name_size, 8);
	EXPECT_STREQ(t, buf, "libc.so");

	mmput(priv.mm);
	priv.mm = NULL;
	q = query_at(T_BASE, 0);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ESRCH);
	rcu_barrier();
}

KTEST(procmap_query, bad_arguments_fail_cleanly_mmap_lock)
{
	bad_arguments(t, PROCMAP_MMAP_LOCK);
}

KTEST(procmap_query, bad_arguments_fail_cleanly_per_vma_rcu)
{
	bad_arguments(t, PROCMAP_PER_VMA_RCU);
}

static void lookup_rules(struct ktest_ctx *t, enum procmap_lock lock)
{
	struct proc_maps_private priv = { .mm = test_mm(), .lock = lock };
	struct procmap_query q;
	char buf[32];

	ASSERT_NOT_NULL(t, priv.mm);
	/* Covering: the file VMA, all fields. */
	q = query_at(T_BASE + T_PAGE + 5, 0);
	ASSERT_EQ(t, do_procmap_query(&priv, &q), 0);
	EXPECT_EQ(t, q.vma_start, T_BASE);
	EXPECT_EQ(t, q.vma_end, T_BASE + 2 * T_PAGE);
	EXPECT_EQ(t, q.vma_flags, PROCMAP_QUERY_VMA_READABLE | PROCMAP_QUERY_VMA_EXECUTABLE);
	EXPECT_EQ(t, q.vma_offset, T_BASE);
	EXPECT_EQ(t, q.inode, 42);
	EXPECT_EQ(t, q.vma_page_size, PAGE_SIZE);

	/* A hole: covering fails, covering-or-next finds the heap. */
	q = query_at(T_BASE + 3 * T_PAGE, 0);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);
	q = query_at(T_BASE + 3 * T_PAGE, PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	q.vma_name_size = sizeof(buf);
	q.vma_name_addr = (uintptr_t)buf;
	ASSERT_EQ(t, do_procmap_query(&priv, &q), 0);
	EXPECT_EQ(t, q.vma_start, T_BASE + 4 * T_PAGE);
	EXPECT_STREQ(t, buf, "[anon:heap]");
	EXPECT_EQ(t, q.vma_name_size, sizeof("[anon:heap]"));

	/* Filters skip non-matching VMAs only in covering-or-next mode. */
	q = query_at(T_BASE, PROCMAP_QUERY_VMA_WRITABLE);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);
	q = query_at(T_BASE, PROCMAP_QUERY_VMA_WRITABLE | PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	ASSERT_EQ(t, do_procmap_query(&priv, &q), 0);
	EXPECT_EQ(t, q.vma_start, T_BASE + 4 * T_PAGE);
	q = query_at(T_BASE + 4 * T_PAGE,
		     PROCMAP_QUERY_FILE_BACKED_VMA | PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);
	q = query_at(0, PROCMAP_QUERY_VMA_SHARED | PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);

	/* An unnamed VMA reports name size 0. */
	q = query_at(T_BASE + 6 * T_PAGE, 0);
	q.vma_name_size = sizeof(buf);
	q.vma_name_addr = (uintptr_t)buf;
	ASSERT_EQ(t, do_procmap_query(&priv, &q), 0);
	EXPECT_EQ(t, q.vma_name_size, 0);

	/* Past the last VMA, and at the very top of the address space. */
	q = query_at(T_BASE + 8 * T_PAGE, PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);
	q = query_at(~0ul, PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
	EXPECT_EQ(t, do_procmap_query(&priv, &q), -ENOENT);

	mmput(priv.mm);
	rcu_barrier();
}

KTEST(procmap_query, lookup_rules_mmap_lock)
{
	lookup_rules(t, PROCMAP_MMAP_LOCK);
}

KTEST(procmap_query, lookup_rules_per_vma_rcu)
{
	lookup_rules(t, PROCMAP_PER_VMA_RCU);
}

KTEST(procmap_query, lookup_rules_per_vma_mmap_name)
{
	lookup_rules(t, PROCMAP_PER_VMA_MMAP_NAME);
}

#define TOO_LONG_NAME	"a-name-that-is-far-too-long-for-the-vma-name-buffer-of-sixty-four-bytes"

KTEST(vma_tree, writers_keep_ranges_sorted_and_refuse_bad_input)
{
	struct mm_struct *mm = test_mm();
	struct vm_area_struct *vma;
	bool fallback;

	ASSERT_NOT_NULL(t, mm);
	EXPECT_EQ(t, do_mmap(mm, T_BASE + T_PAGE, T_PAGE, VM_READ, 0, NULL), -EEXIST);
	EXPECT_EQ(t, do_mmap(mm, T_BASE + 1, T_PAGE, VM_READ, 0, NULL), -EINVAL);
	EXPECT_EQ(t, do_mmap(mm, T_BASE, 0, VM_READ, 0, NULL), -EINVAL);
	EXPECT_EQ(t, do_munmap(mm, T_BASE + 3 * T_PAGE), -ENOENT);
	EXPECT_EQ(t, split_vma(mm, T_BASE), -EINVAL);		/* at its start */
	EXPECT_EQ(t, split_vma(mm, T_BASE + T_PAGE), 0);
	EXPECT_EQ(t, mm_nr_vmas(mm), 4);
	EXPECT_EQ(t, merge_vma(mm, T_BASE), 0);
	EXPECT_EQ(t, mm_nr_vmas(mm), 3);
	EXPECT_EQ(t, merge_vma(mm, T_BASE), -EINVAL);		/* not adjacent */
	EXPECT_EQ(t, do_mprotect(mm, T_BASE + 4 * T_PAGE, VM_READ), 0);
	EXPECT_EQ(t, handle_mm_fault(mm, T_BASE + 4 * T_PAGE, true, &fallback), -EFAULT);
	EXPECT_EQ(t, handle_mm_fault(mm, T_BASE + 4 * T_PAGE, false, &fallback), 0);
	EXPECT_FALSE(t, fallback);
	EXPECT_EQ(t, handle_mm_fault(mm, T_BASE + 3 * T_PAGE, false, &fallback), -EFAULT);

	/* A write-locked VMA refuses the per-VMA lock until mmap_write_unlock. */
	mmap_write_lock(mm);
	vma = find_vma(mm, T_BASE);
	vma_start_write(vma);
	mmap_write_unlock(mm);	/* (lookups below run without mmap_lock) */
	vma = lock_vma_under_rcu(mm, T_BASE);
	ASSERT_NOT_NULL(t, vma);
	vma_end_read(vma);
	mmap_write_lock(mm);
	vma_start_write(find_vma(mm, T_BASE));
	rcu_read_lock();
	EXPECT_FALSE(t, vma_start_read(vma));
	rcu_read_unlock();
	mmap_write_unlock(mm);

	EXPECT_EQ(t, vma_set_name(mm, T_BASE, TOO_LONG_NAME), -EINVAL);
	/* The mmap_lock-only rename: anonymous VMAs only (T_BASE maps a file). */
	EXPECT_EQ(t, vma_set_anon_name_mmap_locked(mm, T_BASE, "n1-1"), -EINVAL);
	EXPECT_EQ(t, vma_set_anon_name_mmap_locked(mm, T_BASE + 3 * T_PAGE, "n1-1"), -ENOENT);
	EXPECT_EQ(t, vma_set_anon_name_mmap_locked(mm, T_BASE + 4 * T_PAGE, "n1-1"), 0);
	mmap_read_lock(mm);
	EXPECT_STREQ(t, find_vma(mm, T_BASE + 4 * T_PAGE)->anon_name->name, "n1-1");
	mmap_read_unlock(mm);
	EXPECT_EQ(t, do_mmap(mm, T_BASE + 16 * T_PAGE, T_PAGE, VM_READ, 0, TOO_LONG_NAME), -EINVAL);
	EXPECT_EQ(t, do_munmap(mm, T_BASE + T_PAGE), 0);
	EXPECT_EQ(t, mm_nr_vmas(mm), 2);
	mmput(mm);
	rcu_barrier();
}

/* ---- concurrent: lookups and queries against every writer ---- */

#define C_VMAS		16
#define C_ITERS		4000

struct vma_stress {
	struct mm_struct *mm;
	enum procmap_lock lock;
	bool mmap_locked_names;	/* renames by vma_set_anon_name_mmap_locked() */
	atomic_t done;		/* writers finished */
	atomic_t errors;
};

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

static void stress_cpu(void *arg)
{
	struct vma_stress *s = arg;
	unsigned int me = smp_processor_id();
	struct torture_random rnd;
	struct proc_maps_private priv = { .mm = s->mm, .lock = s->lock };

	torture_random_init(&rnd, me + 1);
	if (me == 1) {
		/* The writer: every kind of change, names renamed constantly. */
		for (unsigned int i = 0; i < C_ITERS; i++) {
			unsigned long addr = T_BASE + (torture_random(&rnd) % (2 * C_VMAS)) * 4 * T_PAGE;
			char name[24];

			switch (torture_random(&rnd) % 6) {
			case 0:
				do_munmap(s->mm, addr);
				do_mmap(s->mm, addr, 2 * T_PAGE, VM_READ | VM_WRITE, 0, NULL);
				break;
			case 1:
				do_mprotect(s->mm, addr, torture_random(&rnd) & 1 ? VM_READ :
					    VM_READ | VM_WRITE);
				break;
			case 2:
				split_vma(s->mm, addr + T_PAGE);
				break;
			case 3:
				merge_vma(s->mm, addr);
				break;
			default:
				snprintf(name, sizeof(name), "n%u-%u", i, i);
				if (s->mmap_locked_names)
					vma_set_anon_name_mmap_locked(s->mm, addr, name);
				else
					vma_set_name(s->mm, addr, name);
				break;
			}
		}
		atomic_inc(&s->done);
		return;
	}
	while (!atomic_read(&s->done)) {
		unsigned long addr = T_BASE + torture_random(&rnd) % (8 * C_VMAS * T_PAGE);
		struct procmap_query q = query_at(addr, PROCMAP_QUERY_COVERING_OR_NEXT_VMA);
		char buf[NAME_BUF];
		bool fallback;
		int err;

		q.vma_name_size = sizeof(buf);
		q.vma_name_addr = (uintptr_t)buf;
		err = do_procmap_query(&priv, &q);
		if (err && err != -ENOENT)
			atomic_inc(&s->errors);
		if (!err && (q.vma_end <= addr || q.vma_end <= q.vma_start ||
			     q.vma_offset != q.vma_start ||
			     (q.vma_name_size && !procmap_name_consistent(buf))))
			atomic_inc(&s->errors);
		err = handle_mm_fault(s->mm, addr, false, &fallback);
		if (err && err != -EFAULT)
			atomic_inc(&s->errors);
		rcu_quiescent_state();
	}
	atomic_add((int)priv.nr_name_races, &s->errors);
}

static void concurrent_queries(struct ktest_ctx *t, enum procmap_lock lock, bool mmap_locked_names)
{
	struct vma_stress s = { .lock = lock, .mmap_locked_names = mmap_locked_names };
	unsigned int ncpus = min(num_online_cpus(), 4u);

	s.mm = mm_alloc(TEST_TASK_SIZE);
	ASSERT_NOT_NULL(t, s.mm);
	for (unsigned int i = 0; i < 2 * C_VMAS; i += 2)
		ASSERT_EQ(t, do_mmap(s.mm, T_BASE + i * 4 * T_PAGE, 2 * T_PAGE,
				     VM_READ | VM_WRITE, 0, "n0-0"), 0);
	run_on_cpus(ncpus, stress_cpu, &s);
	EXPECT_EQ(t, atomic_read(&s.errors), 0);
	mmput(s.mm);
	rcu_barrier();
}

KTEST_SMP(vma_tree, concurrent_queries_faults_and_renames_mmap_lock, 2)
{
	concurrent_queries(t, PROCMAP_MMAP_LOCK, false);
}

KTEST_SMP(vma_tree, concurrent_queries_faults_and_renames_per_vma_rcu, 2)
{
	concurrent_queries(t, PROCMAP_PER_VMA_RCU, false);
}

/* The review's answer: names under mmap_lock stay right with renames under mmap_lock alone. */
KTEST_SMP(vma_tree, concurrent_queries_and_mmap_locked_renames_per_vma_mmap_name, 2)
{
	concurrent_queries(t, PROCMAP_PER_VMA_MMAP_NAME, true);
}
