// SPDX-License-Identifier: MIT
/*
 * vma-query (seed 001): PROCMAP_QUERY loops on the reader CPUs while the
 * other CPUs take page faults and change the address spaces.
 *
 *  mmap-lock	the query holds mmap_read_lock() for its whole lookup (before);
 *  per-vma-rcu	the query finds and read-locks only its VMA under RCU,
 *		falling back to mmap_lock when the VMA lock fails (after).
 *
 * Page faults take the per-VMA lock in both modes, as Linux's do: the
 * question the thread asks is whether queries disturb them. So the
 * faults are also timed alone, with the readers idle, before the run,
 * and the RESULT line carries both rates.
 *
 * Updater CPUs: with one updater it both faults and writes (one write
 * per FAULTS_PER_WRITE faults); with more, every other updater is a pure
 * faulter. Writers mmap/munmap, mprotect, split, merge and rename VMAs;
 * every VMA name has the self-checking form "n<k>-<k>", and every VMA
 * keeps vm_pgoff == vm_start >> PAGE_SHIFT, so a reader detects a torn
 * or freed VMA or name.
 */
#include "procmap_query.h"
#include "../model.h"
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <workload.h>

#define NR_TASKS		4
#define NR_SLOTS		64	/* VMA slots per mm */
#define SLOT_PAGES		8	/* a slot holds a 4-page VMA, or its two halves */
#define VMA_PAGES		4
#define MAP_BASE		0x10000000ul
#define MAP_END			(MAP_BASE + NR_SLOTS * SLOT_PAGES * PAGE_SIZE)
#define FAULTS_PER_WRITE	16
#define ALONE_MS_DIV		4	/* the faults-alone phase: ms / 4 */

struct vq_cpu {
	unsigned long faults, fault_fallbacks, writes;
} ____cacheline_aligned;

struct vq_state {
	enum procmap_lock lock;
	struct task_struct *tasks[NR_TASKS];
	struct vq_cpu *stats;			/* one per CPU */
	struct proc_maps_private *maps;		/* one per CPU: its "open" maps files */
	unsigned long faults_alone;
	uint64_t alone_ns;
	uint64_t run_start_ns;			/* end of setup: the run starts */
};

static const struct wl_mode vq_modes[] = {
	{ "mmap-lock", "before", false, 1 },
	{ "per-vma-rcu", "after", false, 1 },
};

static unsigned long slot_addr(unsigned int slot)
{
	return MAP_BASE + (unsigned long)slot * SLOT_PAGES * PAGE_SIZE;
}

/* ---- readers: PROCMAP_QUERY ---- */

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct vq_state *st = run->priv;
	struct proc_maps_private *priv = &st->maps[c->cpu];
	uint32_t r = torture_random(&c->rnd);
	unsigned long addr = MAP_BASE + torture_random(&c->rnd) % (MAP_END - MAP_BASE + PAGE_SIZE);
	struct procmap_query q = {
		.size = sizeof(q),
		.query_addr = addr,
		.query_flags = (r & 1 ? PROCMAP_QUERY_COVERING_OR_NEXT_VMA : 0) |
			       (r & 2 ? PROCMAP_QUERY_VMA_WRITABLE : 0) |
			       (r & 4 ? PROCMAP_QUERY_VMA_READABLE : 0),
	};
	char name[VMA_NAME_MAX + 8];
	int err;

	priv->mm = st->tasks[(r >> 8) % NR_TASKS]->mm;
	q.vma_name_size = sizeof(name);
	q.vma_name_addr = (uintptr_t)name;
	err = do_procmap_query(priv, &q);
	if (err == -ENOENT) {
		c->misses++;
		return;
	}
	if (err) {
		wl_error(run, c, "PROCMAP_QUERY failed on a valid query");
		return;
	}
	if (q.vma_end <= addr || q.vma_start >= q.vma_end ||
	    (!(q.query_flags & PROCMAP_QUERY_COVERING_OR_NEXT_VMA) && q.vma_start > addr))
		wl_error(run, c, "PROCMAP_QUERY returned a VMA that does not match the address");
	if (q.vma_offset != q.vma_start)
		wl_error(run, c, "PROCMAP_QUERY returned a torn VMA (offset != start)");
	if (((q.query_flags & PROCMAP_QUERY_VMA_WRITABLE) &&
	     !(q.vma_flags & PROCMAP_QUERY_VMA_WRITABLE)))
		wl_error(run, c, "PROCMAP_QUERY ignored a permission filter");
	if (q.vma_name_size && !procmap_name_consistent(name))
		wl_error(run, c, "PROCMAP_QUERY returned a torn or freed VMA name");
}

/* ---- updaters: faults and writers ---- */

static void fault_op(struct vq_state *st, struct wl_cpu *c)
{
	struct vq_cpu *s = &st->stats[c->cpu];
	struct mm_struct *mm = st->tasks[torture_random(&c->rnd) % NR_TASKS]->mm;
	/* Somewhere a VMA normally is: faults on holes would be segfaults. */
	unsigned long addr = slot_addr(torture_random(&c->rnd) % NR_SLOTS) +
			     torture_random(&c->rnd) % (VMA_PAGES * PAGE_SIZE);
	bool fallback;

	handle_mm_fault(mm, addr, torture_random(&c->rnd) & 1, &fallback);
	s->faults++;
	s->fault_fallbacks += fallback;
}

static void name_of(char *buf, size_t len, unsigned long gen)
{
	snprintf(buf, len, "n%lu-%lu", gen, gen);
}

/* A fresh name generation, unique per writer CPU. */
static unsigned long next_gen(struct vq_state *st, struct wl_cpu *c)
{
	return (st->stats[c->cpu].writes << 9) | c->cpu;
}

static void write_op(struct wl_run *run, struct vq_state *st, struct wl_cpu *c)
{
	struct mm_struct *mm = st->tasks[torture_random(&c->rnd) % NR_TASKS]->mm;
	unsigned int slot = torture_random(&c->rnd) % NR_SLOTS;
	unsigned long addr = slot_addr(slot), half = addr + VMA_PAGES / 2 * PAGE_SIZE;
	char name[24];
	int err = 0;

	switch (torture_random(&c->rnd) % 5) {
	case 0:	/* remap the slot */
		do_munmap(mm, addr);
		do_munmap(mm, half);
		name_of(name, sizeof(name), next_gen(st, c));
		err = do_mmap(mm, addr, VMA_PAGES * PAGE_SIZE, VM_READ | VM_WRITE,
			      slot % 4 ? 0 : 100 + slot, slot % 2 ? name : NULL);
		break;
	case 1:
		err = do_mprotect(mm, addr, torture_random(&c->rnd) & 1 ? VM_READ :
				  VM_READ | VM_WRITE);
		break;
	case 2:
		err = split_vma(mm, half);
		break;
	case 3:
		err = merge_vma(mm, addr);
		break;
	default:
		name_of(name, sizeof(name), next_gen(st, c));
		err = vma_set_name(mm, torture_random(&c->rnd) & 1 ? addr : half, name);
		break;
	}
	/*
	 * -ENOENT/-EINVAL/-EEXIST: the slot was not in the needed shape.
	 * -ENOMEM (failslab): the mm was left as it was, a clean failure.
	 */
	if (err == -ENOMEM)
		c->misses++;
	st->stats[c->cpu].writes++;
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct vq_state *st = run->priv;
	unsigned int u = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	bool pure_faulter = run->nr_updaters > 1 && u % 2 == 0;

	for (unsigned int i = 0; i < FAULTS_PER_WRITE; i++)
		fault_op(st, c);
	if (!pure_faulter)
		write_op(run, st, c);
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? ncpus / 2 : 1;
}

/* ---- setup and teardown ---- */

static int map_task(struct mm_struct *mm)
{
	for (unsigned int slot = 0; slot < NR_SLOTS; slot++) {
		char name[24];
		int err;

		name_of(name, sizeof(name), slot);
		err = do_mmap(mm, slot_addr(slot), VMA_PAGES * PAGE_SIZE,
			      VM_READ | (slot % 3 ? VM_WRITE : 0) | (slot % 7 ? 0 : VM_EXEC),
			      slot % 4 ? 0 : 100 + slot, slot % 2 ? name : NULL);
		if (err)
			return err;
	}
	return 0;
}

static unsigned long sum_faults(struct wl_run *run)
{
	struct vq_state *st = run->priv;
	unsigned long n = 0;

	for (unsigned int i = 0; i < run->ncpus; i++)
		n += st->stats[i].faults;
	return n;
}

static int setup(struct wl_run *run)
{
	struct vq_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	st->lock = wl_mode_is(run, "mmap-lock") ? PROCMAP_MMAP_LOCK : PROCMAP_PER_VMA_RCU;
	st->stats = kzalloc(run->ncpus * sizeof(*st->stats));
	st->maps = kzalloc(run->ncpus * sizeof(*st->maps));
	if (!st->stats || !st->maps)
		return -ENOMEM;
	for (unsigned int i = 0; i < run->ncpus; i++)
		st->maps[i].lock = st->lock;
	err = pid_table_init(16);
	if (err)
		return err;
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = fork_task(2000, 2000 + 2 * NR_TASKS, "vq-task");

		if (!t)
			return -ENOMEM;
		st->tasks[i] = t;
		t->mm = mm_alloc(MAP_END + (1ul << 30));
		if (!t->mm)
			return -ENOMEM;
		err = map_task(t->mm);
		if (err)
			return err;
	}
	/* Page faults (and writers) with no query running: the baseline. */
	st->alone_ns = wl_run_updaters_alone(run, max(run->ms / ALONE_MS_DIV, (uint64_t)20),
					     NULL);
	st->faults_alone = sum_faults(run);
	memset(st->stats, 0, run->ncpus * sizeof(*st->stats));
	st->run_start_ns = ktime_get_ns();
	return 0;
}

static void make_result_keys(struct wl_run *run, struct vq_state *st)
{
	unsigned long faults = 0, fallbacks = 0, writes = 0, qfallbacks = 0;
	uint64_t us = max((ktime_get_ns() - st->run_start_ns) / 1000, (uint64_t)1);
	uint64_t alone_us = max(st->alone_ns / 1000, (uint64_t)1);

	for (unsigned int i = 0; i < run->ncpus; i++) {
		faults += st->stats[i].faults;
		fallbacks += st->stats[i].fault_fallbacks;
		writes += st->stats[i].writes;
		qfallbacks += st->maps[i].nr_fallbacks;
	}
	unsigned long long fps = faults * 1000000ull / us;
	unsigned long long alone = st->faults_alone * 1000000ull / alone_us;

	/* The console line is short: the two headline rates here, the rest below. */
	snprintf(run->result_keys, sizeof(run->result_keys), " faults_ps=%llu faults_alone_ps=%llu", fps, alone);
	printk("DETAIL workload=vma-query mode=%s cpus=%u faults_per_sec=%llu "
	       "faults_alone_per_sec=%llu fault_fallbacks=%lu vma_writes=%lu query_fallbacks=%lu\n",
	       run->mode->name, run->ncpus, fps, alone, fallbacks, writes, qfallbacks);
}

static void teardown(struct wl_run *run)
{
	struct vq_state *st = run->priv;

	if (!st)
		return;
	if (st->run_start_ns)
		make_result_keys(run, st);
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = st->tasks[i];

		if (!t)
			continue;
		mmput(t->mm);
		t->mm = NULL;
		exit_task(t);
		put_task_struct(t);
	}
	pid_table_destroy();
	kfree(st->stats);
	kfree(st->maps);
	kfree(st);
	run->priv = NULL;
}


static const struct workload vma_query = {
	.name = "vma-query",
	.seed = "001",
	.modes = vq_modes,
	.nr_modes = ARRAY_SIZE(vq_modes),
	.nr_updaters = nr_updaters,
	/* Seed 001 decides its pacing (the next issue); until then flat out. */
	.update_hz = WL_UNPACED,
	.update_what = "a burst of page faults plus one mmap, munmap, mprotect, split, merge or rename of the target, as fast as the updaters can (faults_ps against faults_alone_ps is the disturbance measured)",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(vma_query, "vma-query",
		"seed 001: PROCMAP_QUERY under mmap_lock vs per-VMA lock + RCU");
