// SPDX-License-Identifier: MIT
/*
 * run=rcubench [type=...|all] [ms=N]: RCU's costs, at 1, 2 and all CPUs.
 *
 *  read-empty	an empty loop (the baseline)
 *  read-lock	an empty rcu_read_lock()/rcu_read_unlock() section
 *  srcu-read-lock	the same for SRCU
 *  sync		synchronize_rcu() latency on CPU 0
 *  sync-expedited	synchronize_rcu_expedited() latency on CPU 0
 *  call-rcu	call_rcu() throughput on every CPU, up to rcu_barrier()
 *  kmalloc-kfree	the baseline for call-rcu: a kmalloc() and kfree() pair of
 *		the same object, on every CPU (call-rcu does both too)
 *
 * In sync and sync-expedited the other CPUs of the run run readers (a
 * quiescent state every 64 sections, as a long kernel loop would), so the
 * grace period has someone to wait for; p50_ns and p99_ns are the grace
 * period's latency. The CPUs outside the run (idle_cpus) sit idle, and
 * idle_wakeups counts how often they woke meanwhile: grace periods must
 * complete without waking them (tests/qemu/scale.py checks it at 64 and
 * 256 CPUs). reader_gap_ns is the longest the readers went between two
 * quiescent states: a vCPU the host did not run meanwhile shows here,
 * and a grace period cannot end faster. p50_net_ns is the grace
 * periods' p50 once each has lost the time it overlapped a reader's
 * stall (a gap of STALL_NS or more between two of its quiescent states,
 * the vCPU not running its loop), and the waiter's lag when that was
 * STALL_NS or more (from the last quiescent-state report to the wait's
 * return: CPU 0's vCPU not running): what the kernel spent, not what
 * the host's scheduling of vCPUs cost (exact with one reader CPU; with
 * more, a grace period's overlaps add up to its latency at most). ms= counts
 * from when every CPU of the run is ready. A
 * benchmark: numbers, not pass/fail; each line counts as a passed check
 * once it printed.
 *
 * In call-rcu, gps is the grace periods that ended in the run (with
 * its rcu_barrier()), cbs_peak the most callbacks queued and not yet
 * invoked (CPU 0 samples every 1024 of its calls: a backlog that grows
 * means callbacks wait for their invocation, not only for a grace
 * period) and drain_ns the closing rcu_barrier()'s time, included in
 * ns_per_op; other modes print 0.
 *
 * RESULT workload=rcubench mode=<m> cpus=<n> ms=<ms> ops=<n> ops_per_sec=<n>
 *	atomics_per_op=<x> ns_per_op=<x> p50_ns=<n> p99_ns=<n> errors=0
 *	idle_cpus=<n> idle_wakeups=<n> reader_gap_ns=<n> p50_net_ns=<n>
 *	gps=<n> cbs_peak=<n> drain_ns=<n>
 */
#include "tree.h"
#include <rcupdate.h>
#include <srcu.h>
#include <atomic.h>
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>

#define DEFAULT_MS	500
#define MAX_SAMPLES	4096
#define BATCH		1024
#define MAX_STALLS	1024	/* bounds net_p50() to MAX_SAMPLES x this */
/* A reader gap this long is a vCPU the host did not run: 64 empty
 * sections take about a microsecond, a tick's handler a few. */
#define STALL_NS	(50 * NSEC_PER_USEC)

const char *const rcubench_types[] = {
	"read-empty", "read-lock", "srcu-read-lock", "sync", "sync-expedited", "call-rcu",
	"kmalloc-kfree", NULL
};

enum mode { READ_EMPTY, READ_LOCK, SRCU_READ, SYNC, SYNC_EXP, CALL_RCU, KMALLOC_KFREE };

struct bench_cpu {
	unsigned long ops;
	struct cpu_counts n;	/* over the timed loop */
	uint64_t max_gap_ns;	/* background readers: longest gap between QSes */
	unsigned long cbs;	/* call-rcu: callbacks this CPU invoked */
	unsigned long queued;	/* call-rcu: call_rcu()s so far, published now and then */
} ____cacheline_aligned;

static struct bench_cpu bench_cpus[NR_CPUS];
static struct torture_barrier bench_barrier;
static enum mode bench_mode;
static unsigned int bench_n;
static unsigned long bench_ms;
static uint64_t bench_start_ns, bench_end_ns;	/* set by CPU 0 when all are ready */
static int bench_stop;
static uint64_t samples[MAX_SAMPLES];	/* grace-period latencies */
static uint64_t sample_start[MAX_SAMPLES];	/* ... and when each began */
static uint64_t sample_lag[MAX_SAMPLES];	/* ... the waiter's lag, if a stall */
static unsigned int nr_samples;
/* Readers' stalls, [start, end) in ktime_get_ns(); a slot is taken with
 * an RMW, rare (one per stall), and read after run_on_cpus() returns. */
static struct { uint64_t start, end; } stalls[MAX_STALLS];
static unsigned int nr_stalls;
static unsigned long cbs_peak;	/* call-rcu: most callbacks pending at a sample */
DEFINE_STATIC_SRCU(bench_srcu);

/* Interrupts off (every invoker): the CPU's own count needs no atomic. */
static void bench_cb(struct rcu_head *h)
{
	struct bench_cpu *bc = &bench_cpus[smp_processor_id()];

	WRITE_ONCE(bc->cbs, bc->cbs + 1);
	kfree(h);
}

/* Callbacks invoked so far by the first n CPUs (racy reads: a sample). */
static unsigned long cbs_invoked(unsigned int n)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < n; cpu++)
		sum += READ_ONCE(bench_cpus[cpu].cbs);
	return sum;
}

/* call-rcu, CPU 0: the callbacks queued and not yet invoked, now. */
static void sample_backlog(void)
{
	unsigned long queued = 0, done = cbs_invoked(bench_n);

	for (unsigned int cpu = 0; cpu < bench_n; cpu++)
		queued += READ_ONCE(bench_cpus[cpu].queued);
	if (queued > done && queued - done > cbs_peak)
		cbs_peak = queued - done;
}

/* Readers for the other CPUs while CPU 0 waits for grace periods. */
static void background_readers(struct bench_cpu *bc)
{
	uint64_t last = ktime_get_ns(), gap = 0;
	unsigned long n = 0;

	while (!smp_load_acquire(&bench_stop)) {
		rcu_read_lock();
		barrier();
		rcu_read_unlock();
		if ((++n & 63) == 0) {
			uint64_t now = ktime_get_ns();

			rcu_quiescent_state();
			gap = max(gap, now - last);
			if (now - last >= STALL_NS) {
				unsigned int i = __atomic_fetch_add(&nr_stalls, 1, __ATOMIC_RELAXED);

				if (i < MAX_STALLS) {
					stalls[i].start = last;
					stalls[i].end = now;
				}
			}
			last = now;
		}
	}
	bc->max_gap_ns = gap;
}

/*
 * A grace period from t0 ended by end: how long after the last
 * quiescent-state report of the run's CPUs (the GP's end, give or take
 * the reporter's few instructions) the waiter returned, if STALL_NS or
 * more; 0 otherwise.
 */
static uint64_t waiter_lag(uint64_t t0, uint64_t end)
{
	uint64_t last = t0;

	for (unsigned int cpu = 0; cpu < bench_n; cpu++)
		last = max(last, (uint64_t)__atomic_load_n(&per_cpu_ptr(&rcu_data, cpu)->last_qs_ns,
							   __ATOMIC_RELAXED));
	return end > last && end - last >= STALL_NS ? end - last : 0;
}

static void bench_role(void *arg)
{
	unsigned int cpu = smp_processor_id();
	struct bench_cpu *bc = &bench_cpus[cpu];
	unsigned long ops = 0;
	struct cpu_counts n0, n1;

	torture_barrier_wait(&bench_barrier, bench_n);
	if (cpu == 0) {
		bench_start_ns = ktime_get_ns();
		WRITE_ONCE(bench_end_ns, bench_start_ns + bench_ms * NSEC_PER_MSEC);
	}
	n0 = cpu_counts_read(cpu);
	switch (bench_mode) {
	case READ_EMPTY:
		while (ktime_get_ns() < READ_ONCE(bench_end_ns)) {
			for (int i = 0; i < BATCH; i++)
				barrier();
			ops += BATCH;
		}
		break;
	case READ_LOCK:
		while (ktime_get_ns() < READ_ONCE(bench_end_ns)) {
			for (int i = 0; i < BATCH; i++) {
				rcu_read_lock();
				rcu_read_unlock();
			}
			ops += BATCH;
		}
		break;
	case SRCU_READ:
		while (ktime_get_ns() < READ_ONCE(bench_end_ns)) {
			for (int i = 0; i < BATCH; i++)
				srcu_read_unlock(&bench_srcu, srcu_read_lock(&bench_srcu));
			ops += BATCH;
		}
		break;
	case SYNC:
	case SYNC_EXP:
		if (cpu) {
			background_readers(bc);
			break;
		}
		while (ktime_get_ns() < READ_ONCE(bench_end_ns) && nr_samples < MAX_SAMPLES) {
			uint64_t t0 = ktime_get_ns();

			if (bench_mode == SYNC)
				synchronize_rcu();
			else
				synchronize_rcu_expedited();
			sample_start[nr_samples] = t0;
			sample_lag[nr_samples] = waiter_lag(t0, ktime_get_ns());
			samples[nr_samples++] = ktime_get_ns() - t0;
			ops++;
		}
		smp_store_release(&bench_stop, 1);
		break;
	case CALL_RCU:
		while (ktime_get_ns() < READ_ONCE(bench_end_ns)) {
			struct rcu_head *h = kmalloc(sizeof(*h));

			if (!h)
				break;
			call_rcu(h, bench_cb);
			/* A long loop: tell RCU now and then (release builds'
			 * ticks report nothing here). */
			if ((++ops & 63) == 0)
				rcu_quiescent_state();
			if ((ops & 1023) == 0) {
				WRITE_ONCE(bc->queued, ops);
				if (cpu == 0)
					sample_backlog();
			}
		}
		break;
	case KMALLOC_KFREE:
		while (ktime_get_ns() < READ_ONCE(bench_end_ns)) {
			struct rcu_head *h = kmalloc(sizeof(*h));

			if (!h)
				break;
			/* Written, as call_rcu() writes its head. */
			WRITE_ONCE(h->func, bench_cb);
			kfree(h);
			ops++;
		}
		break;
	}
	n1 = cpu_counts_read(cpu);
	cpu_counts_add(&bc->n, &n1, &n0);
	bc->ops = ops;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_samples(uint64_t *v, unsigned int n)
{
	/* Insertion sort: a few thousand samples at most. */
	for (unsigned int i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned int j = i;

		while (j && cmp_u64(&v[j - 1], &x) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * The p50 of the grace periods' latencies less their overlap with the
 * readers' stalls; in place of sample_start (the latencies stay).
 */
static uint64_t net_p50(void)
{
	unsigned int ns = min(nr_stalls, (unsigned int)MAX_STALLS);

	for (unsigned int i = 0; i < nr_samples; i++) {
		uint64_t a = sample_start[i], b = a + samples[i], lost = sample_lag[i];

		b -= min(lost, samples[i]);	/* readers' stalls up to the end */
		for (unsigned int k = 0; k < ns; k++) {
			uint64_t s = max(a, stalls[k].start), e = min(b, stalls[k].end);

			if (e > s)
				lost += e - s;
		}
		sample_start[i] = samples[i] - min(lost, samples[i]);
	}
	sort_samples(sample_start, nr_samples);
	return sample_start[nr_samples / 2];
}

/* Wake-ups so far of the online CPUs outside the run (CPUs n and up). */
static unsigned long idle_wakeups(unsigned int n, unsigned int *idle_cpus)
{
	unsigned long sum = 0;

	*idle_cpus = 0;
	for (unsigned int cpu = n; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_online(cpu))
			continue;
		sum += rcu_idle_exits(cpu);
		(*idle_cpus)++;
	}
	return sum;
}

static void bench_one(enum mode m, const char *name, unsigned int n, unsigned long ms)
{
	unsigned long ops = 0, woke;
	char ns_per_op[24];
	struct cpu_counts sum = { 0 }, zero = { 0 };
	uint64_t elapsed, p50 = 0, p99 = 0, gap = 0, p50_net = 0, drain = 0;
	unsigned long gp0 = rcu_seq_load(&rcu_state.gp_seq), gps;
	unsigned int idle_cpus;
	bool ok;

	bench_mode = m;
	bench_n = n;
	bench_ms = ms;
	nr_samples = 0;
	nr_stalls = 0;
	cbs_peak = 0;
	WRITE_ONCE(bench_stop, 0);
	memset(bench_cpus, 0, sizeof(bench_cpus));
	torture_barrier_init(&bench_barrier);
	WRITE_ONCE(bench_end_ns, UINT64_MAX);	/* until CPU 0 starts the clock */
	woke = idle_wakeups(n, &idle_cpus);
	run_on_cpus(n, bench_role, NULL);
	if (m == CALL_RCU) {
		drain = ktime_get_ns();
		rcu_barrier();	/* throughput counts the invocations too */
	}
	elapsed = ktime_get_ns() - bench_start_ns;
	if (drain)
		drain = bench_start_ns + elapsed - drain;
	gps = (rcu_seq_load(&rcu_state.gp_seq) - gp0) >> RCU_SEQ_STATE_BITS;
	woke = idle_wakeups(n, &idle_cpus) - woke;
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		ops += bench_cpus[cpu].ops;
		cpu_counts_add(&sum, &bench_cpus[cpu].n, &zero);
		gap = max(gap, bench_cpus[cpu].max_gap_ns);
	}
	if (m == SYNC || m == SYNC_EXP) {
		sum = bench_cpus[0].n;
		if (nr_samples) {
			p50_net = net_p50();
			sort_samples(samples, nr_samples);
			p50 = samples[nr_samples / 2];
			p99 = samples[(nr_samples * 99) / 100];
		}
	}
	if (!ops)
		ops = 1;
	/* Per-CPU cost: elapsed time of each CPU over its own operations. */
	result_fixed(ns_per_op, sizeof(ns_per_op), m == SYNC || m == SYNC_EXP ? elapsed : elapsed * n,
		     ops, 2);
	ok = !(m == CALL_RCU && cbs_invoked(NR_CPUS) != ops);
	if (result_print(&(struct result_line){
			.workload = "rcubench", .mode = name, .cpus = n, .ms = ms, .ops = ops,
			.ops_per_sec = ops * 1000000000ULL / (elapsed ? elapsed : 1),
			.readers = { .ops = ops, .n = sum },
		     },
		     " ns_per_op=%s p50_ns=%llu p99_ns=%llu errors=%d idle_cpus=%u "
		     "idle_wakeups=%lu reader_gap_ns=%llu p50_net_ns=%llu gps=%lu "
		     "cbs_peak=%lu drain_ns=%llu",
		     ns_per_op, (unsigned long long)p50, (unsigned long long)p99,
		     ok ? 0 : 1, idle_cpus, woke, (unsigned long long)gap,
		     (unsigned long long)p50_net, gps, cbs_peak, (unsigned long long)drain))
		ok = false;	/* the race build: data races (RACE lines above) */
	harness_report(ok);
}

static void rcubench_run(void)
{
	unsigned long ms = (unsigned long)cmdline_get_ull("ms", DEFAULT_MS);
	unsigned int all = harness_cpus(), counts[3] = { 1, 2, all }, last = 0;

	for (unsigned int i = 0; i < 3; i++) {
		unsigned int n = counts[i];

		if (n > all || n == last)
			continue;
		last = n;
		for (int m = READ_EMPTY; m <= KMALLOC_KFREE; m++)
			if (torture_type_selected(rcubench_types[m]))
				bench_one((enum mode)m, rcubench_types[m], n, ms);
	}
}

static int rcubench_check(void)
{
	return torture_check_types("rcubench", rcubench_types);
}

COMMAND("rcubench", "RCU read-side cost, grace-period latency, call_rcu throughput (type=, ms=)",
	rcubench_check, rcubench_run);
