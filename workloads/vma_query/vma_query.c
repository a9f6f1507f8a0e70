// SPDX-License-Identifier: MIT
/*
 * vma-query (seed 001): a profiler's PROCMAP_QUERY loops beside a process
 * that takes page faults and maps and unmaps memory. The seed's question
 * is whether the queries disturb that process.
 *
 * The roles, one target mm:
 *  - the target's threads (the harness's updaters: 1, or ncpus / 4 from
 *    8 CPUs on) fault flat out on its many VMAs (idle_op) and, paced at
 *    update_hz= (default VQ_WRITE_HZ, over all of them together), mmap,
 *    munmap, mprotect, split, merge or rename one (update_op);
 *  - the readers (every other CPU) loop on PROCMAP_QUERY of that mm,
 *    half of them asking for the VMA's name, half at an address
 *    in one of the arenas the target renames.
 * Setup first runs the target alone (the readers idle) for ms / 4 with
 * the same pacing, after a thrown-away warm-up: the baseline. The
 * headline is the target's fault rate with the queries relative to that
 * (faults_rel), then the 99th percentile of its wait per write section
 * (for mmap_lock and to write-lock VMAs) relative to the same alone
 * (wait_rel), the median time of a fault, and the queries' own rate.
 * The coherence build steps the target with the readers
 * (lockstep_updaters): the seed's line is the one they share.
 *
 * Modes (how the query locks, and the rule renames keep):
 *  mmap-lock		the query holds mmap_read_lock() throughout (before);
 *  per-vma-rcu		the VMA found under RCU and read-locked alone, names
 *			read under that lock; renames write-lock the VMA (after);
 *  vma-lock-name	the same query, with renames under mmap_write_lock
 *			alone, Linux's rule for anon_vma_name() when the seed
 *			was reviewed: the review's bug, reported as names that
 *			change (or are freed) under the query's VMA lock;
 *  mmap-lock-name	the same renames, and a query that asks for a name
 *			takes mmap_lock for all of it (the review's answer:
 *			"start simple" with mmap_lock): no errors.
 *
 * Every VMA name has the self-checking form "n<k>-<k>", and every VMA
 * keeps vm_pgoff == vm_start >> PAGE_SHIFT, so a reader detects a torn
 * or freed VMA or name.
 */
#include "procmap_query.h"
#include "../model.h"
#include <arch.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <workload.h>

#define NR_SLOTS		128	/* VMA slots of the target */
#define SLOT_PAGES		8	/* a slot holds a 4-page VMA, or its two halves */
#define VMA_PAGES		4
#define NR_ARENAS		4	/* named anonymous slots the target renames */
#define MAP_BASE		0x10000000ul
#define MAP_END			(MAP_BASE + NR_SLOTS * SLOT_PAGES * PAGE_SIZE)
#define FAULT_BURST		8	/* faults per idle_op */
#define ALONE_MS_DIV		4	/* the target-alone phase: ms / 4 */
#define VQ_WRITE_HZ		1000	/* update_hz= default */
#define WARMUP_MS		20

struct vq_cpu {
	unsigned long faults, fault_fallbacks, writes;
	struct proc_maps_private maps;	/* a reader's open maps file */
} ____cacheline_aligned;		/* written by its CPU only: no false sharing */

/* What each mode changes: the query's locking and the renames' rule. */
struct vq_mode {
	enum procmap_lock lock;
	bool mmap_locked_renames;
};

struct vq_state {
	const struct vq_mode *vm;
	struct task_struct *task;	/* the target */
	struct mm_struct *mm;
	struct vq_cpu *cpu;		/* one per CPU */
	/* The target alone: its faults, writes and write sections (mmap_write_lock). */
	unsigned long faults_alone, writes_alone, sections_alone;
	uint64_t alone_ns, wait_alone;	/* wait: arch counter ticks */
	/* The wait of each write section, alone and with the queries (ns). */
	uint32_t hist_alone[WL_HIST_BUCKETS], hist[WL_HIST_BUCKETS];
	/* The first target thread's bursts of faults (ns), alone and not. */
	uint32_t *burst_hist, burst_alone[WL_HIST_BUCKETS], burst[WL_HIST_BUCKETS];
};

enum vq_mode_id { VQ_MMAP_LOCK, VQ_PER_VMA_RCU, VQ_VMA_LOCK_NAME, VQ_MMAP_LOCK_NAME };

static const struct wl_mode vq_modes[] = {
	{ "mmap-lock", "before", false, 1, VQ_MMAP_LOCK },
	{ "per-vma-rcu", "after", false, 1, VQ_PER_VMA_RCU },
	{ "vma-lock-name", "also", true, 2, VQ_VMA_LOCK_NAME },
	{ "mmap-lock-name", "also", false, 1, VQ_MMAP_LOCK_NAME },
};

static const struct vq_mode vq_mode_rules[] = {
	[VQ_MMAP_LOCK] = { PROCMAP_MMAP_LOCK, false },
	[VQ_PER_VMA_RCU] = { PROCMAP_PER_VMA_RCU, false },
	[VQ_VMA_LOCK_NAME] = { PROCMAP_PER_VMA_RCU, true },
	[VQ_MMAP_LOCK_NAME] = { PROCMAP_PER_VMA_MMAP_NAME, true },
};

static unsigned long slot_addr(unsigned int slot)
{
	return MAP_BASE + (unsigned long)slot * SLOT_PAGES * PAGE_SIZE;
}

/* Arena k: the k-th odd slot, anonymous (slot % 4 != 0) and named. */
static unsigned int arena_slot(unsigned int k)
{
	return 2 * (k % NR_ARENAS) + 1;
}

/* ---- readers: PROCMAP_QUERY ---- */

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct vq_state *st = run->priv;
	struct proc_maps_private *priv = &st->cpu[c->cpu].maps;
	uint32_t r = torture_random(&c->rnd);
	unsigned long addr = (r >> 4) & 1 ?
		slot_addr(arena_slot(torture_random(&c->rnd))) +
			torture_random(&c->rnd) % (VMA_PAGES * PAGE_SIZE) :
		MAP_BASE + torture_random(&c->rnd) % (MAP_END - MAP_BASE + PAGE_SIZE);
	struct procmap_query q = {
		.size = sizeof(q),
		.query_addr = addr,
		.query_flags = (r & 1 ? PROCMAP_QUERY_COVERING_OR_NEXT_VMA : 0) |
			       (r & 2 ? PROCMAP_QUERY_VMA_WRITABLE : 0) |
			       (r & 4 ? PROCMAP_QUERY_VMA_READABLE : 0),
	};
	char name[PROCMAP_NAME_MAX];
	unsigned long races = priv->nr_name_races;
	int err;

	if (r & 8) {
		q.vma_name_size = sizeof(name);
		q.vma_name_addr = (uintptr_t)name;
	}
	err = do_procmap_query(priv, &q);
	if (priv->nr_name_races != races)
		wl_error(run, c, "a VMA name changed while the query held the lock meant to keep it");
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

/* ---- the target: faults and writes ---- */

static void fault_op(struct vq_state *st, struct wl_cpu *c)
{
	struct vq_cpu *s = &st->cpu[c->cpu];
	/* Somewhere a VMA normally is: faults on holes would be segfaults. */
	unsigned long addr = slot_addr(torture_random(&c->rnd) % NR_SLOTS) +
			     torture_random(&c->rnd) % (VMA_PAGES * PAGE_SIZE);
	bool fallback;

	handle_mm_fault(st->mm, addr, torture_random(&c->rnd) & 1, &fallback);
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
	return (st->cpu[c->cpu].writes << 9) | c->cpu;
}

static void write_op(struct vq_state *st, struct wl_cpu *c)
{
	struct mm_struct *mm = st->mm;
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
	default:	/* rename an arena, as an allocator labels the one it reuses */
		addr = slot_addr(arena_slot(torture_random(&c->rnd)));
		if (torture_random(&c->rnd) & 1)
			addr += VMA_PAGES / 2 * PAGE_SIZE;
		name_of(name, sizeof(name), next_gen(st, c));
		err = st->vm->mmap_locked_renames ? vma_set_anon_name_mmap_locked(mm, addr, name) :
						    vma_set_name(mm, addr, name);
		break;
	}
	/*
	 * -ENOENT/-EINVAL/-EEXIST: the slot was not in the needed shape.
	 * -ENOMEM (failslab): the mm was left as it was, a clean failure.
	 */
	if (err == -ENOMEM)
		c->misses++;
	st->cpu[c->cpu].writes++;
}

/*
 * A burst of faults; the first target thread times its bursts (only its
 * CPU writes burst_hist): their median, unlike the rate, is not the
 * host's when the host runs the vCPU less often.
 */
static void idle_op(struct wl_run *run, struct wl_cpu *c)
{
	struct vq_state *st = run->priv;
	uint64_t t0 = arch_counter_read();

	for (unsigned int i = 0; i < FAULT_BURST; i++)
		fault_op(st, c);
	if (c->updater && c->cpu == run->ncpus - run->nr_updaters && st->burst_hist)
		st->burst_hist[wl_hist_bucket(counter_to_ns(arch_counter_read() - t0))]++;
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	write_op(run->priv, c);
	/* update_hz=max: no time between writes, so the faults go here. */
	if (run->update_hz == WL_UNPACED && c->updater)
		idle_op(run, c);
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 8 ? ncpus / 4 : 1;
}

/* ---- setup and teardown ---- */

static int map_target(struct mm_struct *mm)
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

static void sum_target(struct wl_run *run, unsigned long *faults, unsigned long *writes)
{
	struct vq_state *st = run->priv;

	*faults = *writes = 0;
	for (unsigned int i = 0; i < run->ncpus; i++) {
		*faults += st->cpu[i].faults;
		*writes += st->cpu[i].writes;
	}
}

/* mm->section_hook: one write section's wait into the phase's histogram (under mmap_lock). */
static void count_section(void *arg, uint64_t wait)
{
	uint32_t *hist = arg;

	hist[wl_hist_bucket(counter_to_ns(wait))]++;
}

/* Zero the target's counts: a phase of its own starts. */
static void reset_target(struct wl_run *run)
{
	struct vq_state *st = run->priv;

	for (unsigned int i = 0; i < run->ncpus; i++)
		st->cpu[i].faults = st->cpu[i].fault_fallbacks = st->cpu[i].writes = 0;
	st->mm->write_wait = st->mm->vma_write_wait = 0;
	st->mm->write_locks = 0;
}

static int setup(struct wl_run *run)
{
	struct vq_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	st->vm = &vq_mode_rules[run->mode->id];
	st->cpu = kzalloc(run->ncpus * sizeof(*st->cpu));
	if (!st->cpu)
		return -ENOMEM;
	err = pid_table_init(16);
	if (err)
		return err;
	st->task = fork_task(2000, 2010, "vq-target");
	if (!st->task)
		return -ENOMEM;
	st->mm = st->task->mm = mm_alloc(MAP_END + (1ul << 30));
	if (!st->mm)
		return -ENOMEM;
	err = map_target(st->mm);
	if (err)
		return err;
	reset_target(run);
	for (unsigned int i = 0; i < run->ncpus; i++)
		st->cpu[i].maps = (struct proc_maps_private){ .mm = st->mm, .lock = st->vm->lock };
	/*
	 * The target's threads with no query running: the baseline, after
	 * a warm-up pass that is thrown away (the first pass of a boot runs
	 * code QEMU has not translated yet: its waits were 20-40x longer).
	 */
	if (run->nr_updaters) {
		wl_run_updaters_alone(run, WARMUP_MS, NULL);
		reset_target(run);
		st->mm->section_hook = count_section;
		st->mm->section_arg = st->hist_alone;
		st->burst_hist = st->burst_alone;
		st->alone_ns = wl_run_updaters_alone(run, max(run->ms / ALONE_MS_DIV, (uint64_t)50),
						     NULL);
		sum_target(run, &st->faults_alone, &st->writes_alone);
		st->wait_alone = st->mm->write_wait;
		st->sections_alone = st->mm->write_locks;
		reset_target(run);
	}
	st->mm->section_hook = count_section;
	st->mm->section_arg = st->hist;
	st->burst_hist = st->burst;
	return 0;
}

static uint64_t hist_total(const uint32_t *hist)
{
	uint64_t n = 0;

	for (unsigned int b = 0; b < WL_HIST_BUCKETS; b++)
		n += hist[b];
	return n;
}

/* a / b as "x.xx", or "-" when b is 0. */
static const char *ratio(char *buf, size_t size, unsigned long long a, unsigned long long b)
{
	return result_per_op(buf, size, b != 0, a, b);
}

static void make_result_keys(struct wl_run *run, struct vq_state *st)
{
	unsigned long faults, writes, fallbacks = 0, qfallbacks = 0, races = 0;
	unsigned long long queries = 0;
	uint64_t us = max((run->stop_ns - run->start_ns) / 1000, (uint64_t)1);
	uint64_t alone_us = max(st->alone_ns / 1000, (uint64_t)1);
	unsigned long long fps, alone_fps, wait_ns = 0, wait_alone_ns = 0, vma_wait_ns = 0;
	unsigned long long p50, p99, alone_p99, fault_ns, fault_alone_ns;
	char b1[24], b2[24];
	const char *r1, *r2;

	sum_target(run, &faults, &writes);
	for (unsigned int i = 0; i < run->ncpus; i++) {
		fallbacks += st->cpu[i].fault_fallbacks;
		qfallbacks += st->cpu[i].maps.nr_fallbacks;
		races += st->cpu[i].maps.nr_name_races;
		if (!run->cpus[i].updater)
			queries += run->cpus[i].ops;
	}
	fps = faults * 1000000ull / us;
	alone_fps = st->faults_alone * 1000000ull / alone_us;
	if (st->mm->write_locks) {
		wait_ns = counter_to_ns(st->mm->write_wait) / st->mm->write_locks;
		vma_wait_ns = counter_to_ns(st->mm->vma_write_wait) / st->mm->write_locks;
	}
	if (st->sections_alone)
		wait_alone_ns = counter_to_ns(st->wait_alone) / st->sections_alone;
	/*
	 * The wait's percentiles, not its mean: on an overcommitted host a
	 * lock holder's vCPU is now and then descheduled for milliseconds,
	 * and those few waits make the mean (kept below) the host's. Most
	 * sections wait for nobody (the median); a query in the way shows
	 * in the 99th percentile, which wait_rel compares.
	 */
	r1 = ratio(b1, sizeof(b1), fps, alone_fps);
	p50 = wl_hist_percentile(st->hist, hist_total(st->hist), 50);
	p99 = wl_hist_percentile(st->hist, hist_total(st->hist), 99);
	alone_p99 = wl_hist_percentile(st->hist_alone, hist_total(st->hist_alone), 99);
	r2 = ratio(b2, sizeof(b2), p99, alone_p99);
	fault_ns = wl_hist_percentile(st->burst, hist_total(st->burst), 50) / FAULT_BURST;
	fault_alone_ns = wl_hist_percentile(st->burst_alone, hist_total(st->burst_alone), 50) /
			 FAULT_BURST;
	snprintf(run->headline_keys, sizeof(run->headline_keys),
		 " faults_rel=%s faults_ps=%llu faults_alone_ps=%llu wait_rel=%s wait_p99_ns=%llu "
		 "wait_alone_p99_ns=%llu fault_ns=%llu fault_alone_ns=%llu queries_ps=%llu",
		 r1, fps, alone_fps, r2, p99, alone_p99, fault_ns, fault_alone_ns,
		 queries * 1000000ull / us);
	snprintf(run->result_keys, sizeof(run->result_keys),
		 " write_wait_ns=%llu write_wait_alone_ns=%llu vma_wait_ns=%llu fault_fallbacks=%lu "
		 "vma_writes=%lu query_fallbacks=%lu name_races=%lu", wait_ns, wait_alone_ns,
		 vma_wait_ns, fallbacks, writes, qfallbacks, races);
	/* Two lines: one printk() formats at most 255 bytes. */
	printk("%s/%s: seed 001: the target faulted at %s of its rate without queries (%llu/s, "
	       "%llu/s alone; %llu ns a fault, median, %llu ns alone); %llu queries/s\n",
	       run->wl->name, run->mode->name, r1, fps, alone_fps, fault_ns, fault_alone_ns,
	       queries * 1000000ull / us);
	printk("%s/%s: seed 001: its write sections waited %llu ns at p99 (%llu ns alone), "
	       "median %llu ns, mean %llu ns (%llu ns of it for VMA locks)\n", run->wl->name,
	       run->mode->name, p99, alone_p99, p50, wait_ns, vma_wait_ns);
}

static void teardown(struct wl_run *run)
{
	struct vq_state *st = run->priv;

	if (!st)
		return;
	if (st->mm && run->stop_ns)
		make_result_keys(run, st);
	if (st->task) {
		mmput(st->mm);
		st->task->mm = NULL;
		exit_task(st->task);
		put_task_struct(st->task);
	}
	pid_table_destroy();
	kfree(st->cpu);
	kfree(st);
	run->priv = NULL;
}

static const struct workload vma_query = {
	.name = "vma-query",
	.seed = "001",
	.modes = vq_modes,
	.nr_modes = ARRAY_SIZE(vq_modes),
	.nr_updaters = nr_updaters,
	.update_hz = VQ_WRITE_HZ,
	.update_what = "one mmap, munmap, mprotect, split, merge or rename by the target, whose "
		       "threads fault flat out in between; 1000/s: a process that maps and "
		       "unmaps as an allocator does (the seed gives no rate)",
	.headline = "faults_rel",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.idle_op = idle_op,
	/* The seed's line is the one the queries share with the target. */
	.lockstep_updaters = true,
	.teardown = teardown,
};
DEFINE_WORKLOAD(vma_query, "vma-query",
		"seed 001: PROCMAP_QUERY beside a faulting process: mmap_lock vs per-VMA lock");
