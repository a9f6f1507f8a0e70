// SPDX-License-Identifier: MIT
/*
 * PROCMAP_QUERY (procmap_query.c) and the VMA tree under it
 * (workloads/model/mm.c): Linux's argument checks and lookup rules, then
 * lookups and queries against every writer, in each locking mode.
 */
#include "procmap_query.h"
#include "../model.h"
#include <kernel.h>
#include <ktest.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>

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
		char buf[PROCMAP_NAME_MAX];
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
