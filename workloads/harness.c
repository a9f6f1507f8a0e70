// SPDX-License-Identifier: MIT
/*
 * The workload harness (see include/workload.h): roles, start and stop,
 * counting, latency, the leak check, RESULT lines and the final table.
 *
 * Everything here runs on the boot CPU except wl_cpu_main(), which runs
 * on every CPU of the run; the CPUs share only run->stop (written by CPU
 * 0, polled by all) and their own struct wl_cpu, read by CPU 0 after the
 * closing barrier.
 *
 * Faults the run must survive:
 *  - hotplug=1: CPU 0 takes random other CPUs offline and brings them
 *    back at random intervals (kernel/torture_hotplug.c). A CPU leaves
 *    between two of its operations, after queueing callbacks of its own
 *    that must be migrated (counted: none may be lost), and resumes its
 *    role when it is back; CPU 0 brings every CPU back before the stop.
 *  - failslab=N: one kmalloc() in N fails, from setup to the leak check.
 *    An operation that cannot allocate gives up cleanly; a setup that
 *    cannot is torn down (and must leak nothing) and runs once more
 *    without injection, so the mode still runs.
 */
#include <workload.h>
#include <arch.h>
#include <atomic.h>
#include <cmdline.h>
#include <coherence.h>
#include <harness.h>
#include <kernel.h>
#include <ksyms.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <races.h>
#include <rcupdate.h>
#include <smp.h>

#define DEFAULT_MS		1000
#define LATENCY_SAMPLE		8	/* time one read op in this many */
#define SOLO_UPDATE_EVERY	64	/* unpaced, 1 CPU: an update after this many reads */
#define SOLO_CHECK_EVERY	8	/* paced readers look at the clock this often */
#define RATE_TOLERANCE_PCT	10	/* an achieved update rate further off is reported */
#define MAX_ERRORS_PRINTED	5
#define MAX_ROWS		64
#define OFFLINE_CBS		8	/* callbacks a CPU queues before it goes offline */

extern const struct workload *const __start_workloads[] __weak;
extern const struct workload *const __stop_workloads[] __weak;

#define for_each_workload(w) \
	for (const struct workload *const *w = __start_workloads; w < __stop_workloads; w++)

/* One RESULT, kept for the table at the end of the run. */
struct wl_row {
	const struct workload *wl;
	const struct wl_mode *mode;
	unsigned int cpus;
	unsigned long long ops_per_sec;
	struct result_cost readers;	/* for the per-op columns */
	unsigned long errors;
	char headline[40];		/* the headline's first key=value */
};
static struct wl_row rows[MAX_ROWS];
static unsigned int nr_rows;

static struct torture_barrier start_barrier, stop_barrier;
static unsigned int errors_printed;

/* ---- mode= ---- */

static bool mode_known(const char *name, size_t len)
{
	for_each_workload(w)
		for (unsigned int i = 0; i < (*w)->nr_modes; i++)
			if (strlen((*w)->modes[i].name) == len &&
			    !strncmp((*w)->modes[i].name, name, len))
				return true;
	return (len == 3 && !strncmp(name, "all", 3)) || (len == 5 && !strncmp(name, "clean", 5));
}

static int check_mode(const char *value)
{
	return cmdline_check_list(value, mode_known);
}

static void print_modes(void)
{
	printk("all, clean (every mode but those that reproduce a bug)");
	for_each_workload(w) {
		printk(", %s:", (*w)->name);
		for (unsigned int i = 0; i < (*w)->nr_modes; i++)
			printk(" %s", (*w)->modes[i].name);
	}
}
CMDLINE_KEY_LIST(mode, print_modes, check_mode);

static bool mode_selected(const struct wl_mode *m)
{
	const char *sel = cmdline_get("mode");

	return !sel || list_contains(sel, "all") || list_contains(sel, m->name) ||
	       (list_contains(sel, "clean") && !m->broken);
}

bool wl_mode_is(const struct wl_run *run, const char *name)
{
	return !strcmp(run->mode->name, name);
}

void wl_error(struct wl_run *run, struct wl_cpu *c, const char *what)
{
	c->errors++;
	/* A racy counter is fine: it only limits how much is printed. */
	if (READ_ONCE(errors_printed) < MAX_ERRORS_PRINTED) {
		WRITE_ONCE(errors_printed, errors_printed + 1);
		printk("%s/%s: error on CPU %u: %s\n", run->wl->name, run->mode->name,
		       c->cpu, what);
	}
}

/* ---- hotplug ---- */

/* A callback a CPU queues just before it goes offline: it must run. */
struct offline_cb {
	struct rcu_head rh;
	struct wl_run *run;
};

static void offline_cb_done(struct rcu_head *rh)
{
	struct offline_cb *cb = container_of(rh, struct offline_cb, rh);

	atomic_long_inc(&cb->run->cbs_invoked);
	kfree(cb);
}

/*
 * The CPU's role asked to leave (between two operations): queue call_rcu()
 * and kfree_rcu() work on this CPU that the hotplug path must hand to a
 * survivor, then go. The role starts over when the CPU is back.
 */
static __noreturn void wl_go_offline(struct wl_run *run)
{
	for (unsigned int i = 0; i < OFFLINE_CBS; i++) {
		struct offline_cb *cb = kmalloc(sizeof(*cb));

		if (!cb)
			continue;	/* failslab: fewer to check */
		cb->run = run;
		if (i & 1) {
			kfree_rcu(cb, rh);	/* the leak check counts these */
		} else {
			atomic_long_inc(&run->cbs_queued);
			call_rcu(&cb->rh, offline_cb_done);
		}
	}
	cpu_offline_now();
}

/* ---- latency ---- */

static unsigned int hist_bucket(uint64_t ns)
{
	unsigned int log = 0;

	if (ns < 8)
		return (unsigned int)ns;
	while ((ns >> log) >= 16)
		log++;
	/* ns in [8 << log, 16 << log): 8 sub-buckets by the next 3 bits. */
	return min(8 * (log + 1) + (unsigned int)((ns >> log) & 7), WL_HIST_BUCKETS - 1u);
}

/* Lower edge of a bucket in ns. */
static uint64_t hist_value(unsigned int b)
{
	unsigned int log;

	if (b < 8)
		return b;
	log = b / 8 - 1;
	return (uint64_t)(8 + b % 8) << log;
}

static uint64_t hist_percentile(const uint32_t *hist, uint64_t total, unsigned int pct)
{
	uint64_t want = (total * pct + 99) / 100, seen = 0;

	for (unsigned int b = 0; b < WL_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= want && want)
			return hist_value(b);
	}
	return 0;
}

/* ---- paced updates (update_hz=) ---- */

/*
 * The updaters hold the workload's update rate (update_hz=, default the
 * seed's situation) with the clock: each updating CPU owns an equal share
 * of the rate and does its next update when it is due, not before. An
 * updater that falls behind catches up as fast as it can (the next slot
 * moves by one period per update), so a rate it cannot hold shows as an
 * achieved rate below the target, reported on the RESULT line.
 */
static int check_update_hz(const char *value)
{
	return strcmp(value, "max") ? cmdline_check_uint(value) : 0;
}
CMDLINE_KEY(update_hz, "updates per second over all updaters of a workload (0: none, "
	    "max: as fast as they can); default: the seed's situation (run=modes)",
	    check_update_hz);

/* The rate a mode runs at by default: its own, else its workload's. */
static unsigned long mode_update_hz(const struct workload *wl, const struct wl_mode *mode)
{
	unsigned long hz = wl->mode_update_hz ? wl->mode_update_hz(mode) : 0;

	return hz ?: wl->update_hz;
}

static unsigned long run_update_hz(const struct workload *wl, const struct wl_mode *mode)
{
	const char *v = cmdline_get("update_hz");

	if (!v)
		return mode_update_hz(wl, mode);
	return strcmp(v, "max") ? (unsigned long)cmdline_get_ull("update_hz", 0) : WL_UNPACED;
}

static bool paced(const struct wl_run *run)
{
	return run->update_hz && run->update_hz != WL_UNPACED;
}

/* The CPUs that update: the dedicated updaters, or else every reader. */
static unsigned int updating_cpus(const struct wl_run *run)
{
	return run->nr_updaters ?: run->ncpus;
}

/*
 * CPU c's first slot, its share of the rate staggered among the updaters.
 * The slots of all updaters together fall in the middle of each 1/rate
 * interval, so a run of T seconds holds round(T * rate) updates: at a low
 * rate (uprobe's 1/s) a first update at the start would make a 1 s run
 * hold 2 as often as 1.
 */
static void pacing_init(struct wl_run *run, struct wl_cpu *c)
{
	unsigned int n = updating_cpus(run);
	unsigned int idx = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : c->cpu;

	c->update_period_ns = paced(run) ? (uint64_t)n * 1000 * NSEC_PER_MSEC / run->update_hz : 0;
	c->next_update_ns = ktime_get_ns() + c->update_period_ns * (2 * idx + 1) / (2 * n);
}

/* Is this CPU's next update due? Takes the slot if so. */
static bool update_due(struct wl_cpu *c)
{
	if (!c->update_period_ns)
		return true;
	if (ktime_get_ns() < c->next_update_ns)
		return false;
	c->next_update_ns += c->update_period_ns;
	return true;
}

/* Does a reader CPU do an update after this read? */
static bool solo_update_now(const struct wl_run *run, struct wl_cpu *c)
{
	if (run->nr_updaters || run->readonly || !run->update_hz)
		return false;
	if (!paced(run))
		return c->ops % SOLO_UPDATE_EVERY == 0;
	return c->ops % SOLO_CHECK_EVERY == 0 && update_due(c);
}

/* The same pacing for a workload's own phases (workloads/model/alone.c). */
void wl_pacing_init(struct wl_run *run, struct wl_cpu *c)
{
	pacing_init(run, c);
}

bool wl_update_due(struct wl_cpu *c)
{
	return update_due(c);
}

/* For workloads that time an operation of their own (the seed's headline). */
unsigned int wl_hist_bucket(uint64_t ns)
{
	return hist_bucket(ns);
}

uint64_t wl_hist_percentile(const uint32_t *hist, uint64_t total, unsigned int pct)
{
	return hist_percentile(hist, total, pct);
}

/* ---- the run ---- */

/*
 * A mode that reproduces a race runs on past ms= (up to BROKEN_MAX_TIMES
 * times as long) until some CPU has seen the bug: how soon a race shows
 * depends on how the host schedules the vCPUs. The counters are other
 * CPUs', read racily: a late look only extends the run a little.
 */
#define BROKEN_MAX_TIMES	25

static bool broken_mode_needs_longer(struct wl_run *run, uint64_t deadline)
{
	unsigned long errors = 0;

	if (!run->mode->broken ||
	    ktime_get_ns() >= deadline + (BROKEN_MAX_TIMES - 1) * run->ms * NSEC_PER_MSEC)
		return false;
	for (unsigned int i = 0; i < run->ncpus; i++)
		errors += READ_ONCE(run->cpus[i].errors);
	return errors == 0;
}

static void wl_cpu_main(void *arg)
{
	struct wl_run *run = arg;
	unsigned int me = smp_processor_id();
	struct wl_cpu *c = &run->cpus[me];
	const struct workload *wl = run->wl;
	struct cpu_counts t0, t1, t2;
	static uint64_t deadline;	/* CPU 0's */
	int err = 0;

	/* A CPU back from offline resumes its role here. */
	if (!c->started) {
		c->started = true;
		c->cpu = me;
		c->updater = me >= run->ncpus - run->nr_updaters;
		torture_random_init(&c->rnd, run->seed * 1000003 + me);
		if (wl->cpu_setup)
			err = wl->cpu_setup(run, c);
		if (err) {
			wl_error(run, c, "per-CPU setup failed");
			WRITE_ONCE(run->stop, true);
		}
		torture_barrier_wait(&start_barrier, run->ncpus);
		pacing_init(run, c);
		if (me == 0) {
			run->start_ns = ktime_get_ns();
			deadline = run->start_ns + run->ms * NSEC_PER_MSEC;
		}
	}

	while (!err && !wl_should_stop(run)) {
		if (!c->updater || wl->lockstep_updaters)
			coherence_step(me, &run->stop);	/* the coherence build only */
		t0 = cpu_counts_read(me);
		if (c->updater) {
			if (update_due(c)) {
				wl->update_op(run, c);
				c->updates++;
			} else if (wl->idle_op) {
				wl->idle_op(run, c);	/* paced: its own work meanwhile */
			} else {
				cpu_relax();	/* paced: not yet */
			}
		} else if (c->ops % LATENCY_SAMPLE == 0) {
			uint64_t tc = arch_counter_read();

			wl->read_op(run, c);
			c->hist[hist_bucket(counter_to_ns(arch_counter_read() - tc))]++;
			c->ops++;
		} else {
			wl->read_op(run, c);
			c->ops++;
		}
		t1 = cpu_counts_read(me);
		cpu_counts_add(c->updater ? &c->up : &c->rd, &t1, &t0);
		/*
		 * What the reader CPU does besides reading is not the read
		 * path: the solo updates count as updates, the quiescent-state
		 * report and the rest count nowhere.
		 */
		if (!c->updater && solo_update_now(run, c)) {
			wl->update_op(run, c);
			c->updates++;
			t2 = cpu_counts_read(me);
			cpu_counts_add(&c->up, &t2, &t1);
		}
		/* A long-running loop: tell RCU this CPU holds no references. */
		rcu_quiescent_state();
		if (me == 0 && (c->ops & 15) == 0 && ktime_get_ns() >= deadline &&
		    !broken_mode_needs_longer(run, deadline)) {
			run->stop_ns = ktime_get_ns();
			WRITE_ONCE(run->stop, true);
		}
		/* CPU 0 alone sets stop: no cpu_down() is left waiting for a
		 * CPU that is already past its last operation. */
		if (me == 0 && !run->stop)
			torture_hotplug_step(&run->hotplug);
		if (cpu_offline_pending()) {
			coherence_step_leave(me);
			wl_go_offline(run);
		}
	}
	coherence_step_leave(me);
	if (me == 0)
		torture_hotplug_finish(&run->hotplug);	/* every CPU to the barrier */
	torture_barrier_wait(&stop_barrier, run->ncpus);
}

/*
 * ---- RESULT keys of the seeds' situations (issue 17) ----
 * The headline (right after cpus=: the seed's own measure first), and
 * the roles and the update rate (at the end of the line).
 */
static void format_headline(char *buf, size_t size, const struct wl_run *run)
{
	snprintf(buf, size, " headline=%s%s", run->wl->headline ?: "ops_per_sec",
		 run->headline_keys);
}

/*
 * The role and rate keys into buf; returns whether the achieved rate,
 * updates in us microseconds, is within RATE_TOLERANCE_PCT of the target
 * (compared unrounded: at a few updates per second, a whole number of
 * updates per second is too coarse).
 */
static bool format_rate_keys(char *buf, size_t size, const struct wl_run *run,
			     unsigned long long updates, uint64_t us)
{
	unsigned long long target = run->update_hz, off;
	unsigned long long achieved = updates * 1000000, wanted = target * us;
	bool ok;

	if (!paced(run)) {
		snprintf(buf, size, " updaters=%u update_hz=%s rate_ok=1", run->nr_updaters,
			 run->update_hz ? "max" : "0");
		return true;
	}
	off = achieved > wanted ? achieved - wanted : wanted - achieved;
	ok = off * 100 <= wanted * RATE_TOLERANCE_PCT;
	snprintf(buf, size, " updaters=%u update_hz=%llu rate_ok=%d", run->nr_updaters, target, ok);
	return ok;
}

static void print_rate_miss(const struct wl_run *run, unsigned long long updates_per_sec)
{
	printk("%s/%s: updates ran at %llu/s, target update_hz=%lu: more than %d%% off, so this "
	       "point does not measure the seed's situation\n", run->wl->name, run->mode->name,
	       updates_per_sec, run->update_hz, RATE_TOLERANCE_PCT);
}

/* The first " key=value" of s, for the table. */
static void first_pair(char *dst, size_t size, const char *s)
{
	size_t n = 0;

	while (*s == ' ')
		s++;
	while (s[n] && s[n] != ' ' && n + 1 < size) {
		dst[n] = s[n];
		n++;
	}
	dst[n] = 0;
}

/* ---- RESULT lines ---- */

struct cpu_counts cpu_counts_read(unsigned int cpu)
{
	struct coh_counts coh;

	coherence_read(cpu, &coh);
	return (struct cpu_counts){
		.atomics = atomic_stats_read(cpu), .hitm = coh.hitm, .inval = coh.inval,
	};
}

void cpu_counts_add(struct cpu_counts *sum, const struct cpu_counts *now,
		    const struct cpu_counts *then)
{
	sum->atomics += now->atomics - then->atomics;
	sum->hitm += now->hitm - then->hitm;
	sum->inval += now->inval - then->inval;
}

const char *result_fixed(char *buf, size_t size, unsigned long long num,
			 unsigned long long den, unsigned int places)
{
	unsigned long long scale = 1, v;

	places = min(places, 4u);
	for (unsigned int i = 0; i < places; i++)
		scale *= 10;
	v = den ? (num * scale + den / 2) / den : 0;
	if (places)
		snprintf(buf, size, "%llu.%0*llu", v / scale, (int)places, v % scale);
	else
		snprintf(buf, size, "%llu", v);
	return buf;
}

/* count/ops as x.xx (rounded), or "-" when the build does not count it. */
const char *result_per_op(char *buf, size_t size, bool counted, unsigned long long count,
			  unsigned long long ops)
{
	return counted ? result_fixed(buf, size, count, ops, 2) : "-";
}

unsigned long result_print(const struct result_line *r, const char *fmt, ...)
{
	const struct result_cost *rd = &r->readers, *up = &r->updaters;
	unsigned long races = races_flush();	/* the RACE lines go before */
	char b[5][24];
	va_list ap;

	/*
	 * One printk() formats at most 255 bytes: the line goes out in
	 * pieces that each fit (the console joins them: no newline between).
	 */
	printk("RESULT workload=%s mode=%s cpus=%u", r->workload, r->mode, r->cpus);
	if (r->headline)
		printk("%s", r->headline);
	printk(" ms=%llu ops=%llu ops_per_sec=%llu "
	       "atomics_per_op=%s hitm_per_op=%s inval_per_op=%s upd_hitm_per_op=%s "
	       "upd_inval_per_op=%s",
	       r->ms, r->ops, r->ops_per_sec,
	       result_per_op(b[0], sizeof(b[0]), ATOMIC_STATS_ENABLED, rd->n.atomics, rd->ops),
	       result_per_op(b[1], sizeof(b[1]), COHERENCE_ENABLED, rd->n.hitm, rd->ops),
	       result_per_op(b[2], sizeof(b[2]), COHERENCE_ENABLED, rd->n.inval, rd->ops),
	       result_per_op(b[3], sizeof(b[3]), COHERENCE_ENABLED && up->ops, up->n.hitm, up->ops),
	       result_per_op(b[4], sizeof(b[4]), COHERENCE_ENABLED && up->ops, up->n.inval,
			     up->ops));
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	if (r->tail)
		printk("%s", r->tail);
	if (RACES_ENABLED)
		printk(" races=%lu\n", races);
	else
		printk(" races=-\n");
	return races;
}

/* The read operations of a run's readers. */
static unsigned long long print_result_ops(const struct wl_run *run)
{
	unsigned long long ops = 0;

	for (unsigned int i = 0; i < run->ncpus; i++)
		if (!run->cpus[i].updater)
			ops += run->cpus[i].ops;
	return ops;
}

static void print_result(struct wl_run *run, uint64_t elapsed_ns, long leaked)
{
	unsigned long long ops = 0, updates = 0, errors = 0, misses = 0, samples = 0;
	struct cpu_counts rd = { 0 }, up = { 0 }, zero = { 0 };
	static uint32_t hist[WL_HIST_BUCKETS];
	unsigned long long ops_per_sec, updates_per_sec;
	char tail[144], headline[sizeof(run->headline_keys) + 40], rate[80];
	uint64_t us = max(elapsed_ns / 1000, (uint64_t)1);
	unsigned long races;
	const char *why;
	bool rate_ok;

	memset(hist, 0, sizeof(hist));
	errors = run->errors;
	for (unsigned int i = 0; i < run->ncpus; i++) {
		struct wl_cpu *c = &run->cpus[i];

		updates += c->updates;
		errors += c->errors;
		misses += c->misses;
		cpu_counts_add(&up, &c->up, &zero);
		if (c->updater)
			continue;
		ops += c->ops;
		cpu_counts_add(&rd, &c->rd, &zero);
		for (unsigned int b = 0; b < WL_HIST_BUCKETS; b++) {
			hist[b] += c->hist[b];
			samples += c->hist[b];
		}
	}
	if (leaked) {
		printk("%s/%s: %ld objects leaked (allocated during the run, never freed)\n",
		       run->wl->name, run->mode->name, leaked);
		errors++;
	}
	ops_per_sec = ops * 1000000 / us;
	updates_per_sec = (updates * 1000000 + us / 2) / us;
	tail[0] = 0;
	if (run->readonly)
		snprintf(tail, sizeof(tail), " readonly=1");
	if (run->hotplugging)
		snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), " hotplug=%lu",
			 run->hotplug.cycles);
	if (run->failslab)
		snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), " failslab=%lu",
			 run->failslab_hits);
	format_headline(headline, sizeof(headline), run);
	rate_ok = format_rate_keys(rate, sizeof(rate), run, updates, us);
	snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "%s", rate);
	races = result_print(&(struct result_line){
			.workload = run->wl->name, .mode = run->mode->name, .cpus = run->ncpus,
			.headline = headline, .tail = tail,
			.ms = elapsed_ns / NSEC_PER_MSEC, .ops = ops, .ops_per_sec = ops_per_sec,
			.readers = { .ops = ops, .n = rd },
			.updaters = { .ops = updates, .n = up },
		     },
		     " p50_ns=%llu p99_ns=%llu errors=%llu updates=%llu updates_per_sec=%llu "
		     "misses=%llu readers=%u%s",
		     (unsigned long long)hist_percentile(hist, samples, 50),
		     (unsigned long long)hist_percentile(hist, samples, 99),
		     errors, updates, updates_per_sec, misses, run->ncpus - run->nr_updaters,
		     run->result_keys);
	if (!rate_ok)
		print_rate_miss(run, updates_per_sec);
	/* A failed mode says why in one line: "<workload>/<mode>: FAIL: <why>". */
	why = NULL;
	if (!ops)
		why = "no read operation ran";
	else if (run->mode->broken && !errors)
		why = "this mode reproduces a bug but no error was detected";
	else if (!run->mode->broken && errors)
		why = "errors detected (errors= above)";
	/* The race build: a race fails a mode, unless the mode shows a bug. */
	else if (races && !run->mode->broken)
		why = "data races detected (RACE lines above)";
	if (why)
		printk("%s/%s: FAIL: %s\n", run->wl->name, run->mode->name, why);
	harness_report(!why);
	if (nr_rows < MAX_ROWS) {
		rows[nr_rows] = (struct wl_row){
			.wl = run->wl, .mode = run->mode, .cpus = run->ncpus,
			.ops_per_sec = ops_per_sec, .readers = { .ops = ops, .n = rd },
			.errors = (unsigned long)errors,
		};
		first_pair(rows[nr_rows].headline, sizeof(rows[0].headline), run->headline_keys);
		nr_rows++;
	}
}

/*
 * c2c=1 (the coherence build): after a mode's RESULT, the C2C_LINES lines
 * with the most transfers (HITM + invalidations, by every CPU of the run,
 * readers and updaters, from coherence_reset() before the start to the
 * run's end; the teardown's are not counted, as RESULT's are not):
 *   C2C workload= mode= rank= addr= sym= object= hitm= inval= per_op= cpus= funcs=
 * sym: the kernel variable at the address the line's first transfer
 * accessed (symbol+offset), or "-"; object: the kmalloc cache of that
 * address, with its offset in the object, or "-" (named before the
 * teardown frees it: a freed run of pages has no cache); per_op: its
 * transfers per read operation; cpus: how many CPUs took part in its
 * transfers; funcs: the functions (up to COH_LINE_FUNCS) whose accesses
 * moved it.
 */
#define C2C_LINES	5

struct c2c_report {
	unsigned int n;
	unsigned long evicted;
	struct coh_line_report top[C2C_LINES];
	const char *obj[C2C_LINES];
	uintptr_t obj_off[C2C_LINES];
};

static bool c2c_wanted(void)
{
	return COHERENCE_ENABLED && cmdline_get_ull("c2c", 0);
}

/* The run's top lines, at its end: before the teardown frees objects. */
static void c2c_take(struct c2c_report *r)
{
	r->n = c2c_wanted() ? coherence_top_lines(r->top, C2C_LINES) : 0;
	r->evicted = coherence_evictions();
	for (unsigned int i = 0; i < r->n; i++)
		r->obj[i] = kmalloc_object((const void *)r->top[i].first, &r->obj_off[i]);
}

static void c2c_print(const struct c2c_report *r, const char *workload, const char *mode,
		      unsigned long long ops)
{
	if (!c2c_wanted())
		return;
	printk("c2c: %s/%s: %u line(s) with transfers shown, %lu evicted from a full set\n",
	       workload, mode, r->n, r->evicted);
	for (unsigned int i = 0; i < r->n; i++) {
		const struct coh_line_report *l = &r->top[i];
		uintptr_t off = 0;
		const char *sym = ksym_lookup_data(l->first, &off);
		char per[24];

		printk("C2C workload=%s mode=%s rank=%u addr=0x%lx sym=", workload, mode, i + 1,
		       (unsigned long)l->addr);
		if (sym)
			printk("%s+0x%lx", sym, (unsigned long)off);
		else
			printk("-");
		if (r->obj[i])
			printk(" object=%s+0x%lx", r->obj[i], (unsigned long)r->obj_off[i]);
		else
			printk(" object=-");
		printk(" hitm=%lu inval=%lu per_op=%s cpus=%u funcs=", l->hitm, l->inval,
		       result_per_op(per, sizeof(per), true, l->hitm + l->inval, ops), l->cpus);
		for (unsigned int f = 0; f < COH_LINE_FUNCS && l->funcs[f]; f++) {
			uintptr_t fo;
			const char *fn = ksym_lookup(l->funcs[f], &fo);

			printk("%s%s", f ? "," : "", fn ? fn : "?");
		}
		printk("\n");
	}
}
CMDLINE_KEY(c2c, "0 or 1 (coherence build: after each workload mode, the 5 cache lines "
	    "with the most transfers, their symbol or kmalloc cache and the functions "
	    "that moved them)", cmdline_check_bool);

/*
 * Wait until every RCU callback has run, including callbacks queued by
 * callbacks: rcu_barrier() waits only for those queued before it. A
 * task's pid-table reference drops in one callback (freeing nothing),
 * the task is freed in the next, its credentials in a third; so keep on
 * until several barriers in a row have freed nothing.
 */
#define BARRIERS_QUIET	3
#define BARRIERS_MAX	16

static void wl_rcu_barrier_all(void)
{
	long live = kmalloc_live_objects(), prev;
	int quiet = 0;

	for (int i = 0; i < BARRIERS_MAX && quiet < BARRIERS_QUIET; i++) {
		rcu_barrier();
		prev = live;
		live = kmalloc_live_objects();
		quiet = live == prev ? quiet + 1 : 0;
	}
}

static void run_mode(const struct workload *wl, const struct wl_mode *mode)
{
	static struct wl_run run;
	static struct c2c_report c2c;
	long live0, leaked;
	int err;

	run = (struct wl_run){
		.wl = wl, .mode = mode,
		.ncpus = harness_cpus(),
		.ms = cmdline_get_ull("ms", DEFAULT_MS),
		.seed = cmdline_get_ull("seed", 1),
		.readonly = cmdline_get_ull("readonly", 0),
	};
	run.update_hz = run.readonly ? 0 : run_update_hz(wl, mode);
	/* A race with updaters cannot show without them. */
	if (run.readonly && mode->broken) {
		printk("%s/%s: skipped: it reproduces a race with updates, and readonly=1\n",
		       wl->name, mode->name);
		return;
	}
	/*
	 * The coherence build steps its CPUs in lockstep on one host thread,
	 * an operation at a time: a race between two CPUs' operations may
	 * never happen there, so a bug mode proves nothing (it counts lines).
	 */
	if (COHERENCE_BUILD && mode->broken) {
		printk("%s/%s: skipped: it reproduces a race, and the coherence build runs "
		       "CPUs in lockstep\n", wl->name, mode->name);
		return;
	}
	if (run.update_hz && run.ncpus > 1 && wl->nr_updaters)
		run.nr_updaters = wl->nr_updaters(run.ncpus);
	BUG_ON(run.nr_updaters >= run.ncpus && run.ncpus > 1);
	run.cpus = kzalloc(run.ncpus * sizeof(*run.cpus));
	if (!run.cpus) {
		printk("%s/%s: FAIL: no memory for %u CPUs\n", wl->name, mode->name, run.ncpus);
		harness_report(false);
		return;
	}
	errors_printed = 0;
	rcu_barrier();
	live0 = kmalloc_live_objects();
	run.failslab = failslab_start();
	err = wl->setup(&run);
	if (err == -ENOMEM && run.failslab) {
		/* An injected failure: its error path must have undone it all. */
		run.failslab_hits += failslab_stop();
		wl->teardown(&run);
		wl_rcu_barrier_all();
		leaked = kmalloc_live_objects() - live0;
		if (leaked) {
			printk("%s/%s: setup failed under failslab and leaked %ld objects\n",
			       wl->name, mode->name, leaked);
			run.errors++;
			live0 += leaked;
		}
		err = wl->setup(&run);
		failslab_start();
	}
	if (err) {
		printk("%s/%s: FAIL: setup failed: error %d\n", wl->name, mode->name, err);
		wl->teardown(&run);
		wl_rcu_barrier_all();
		failslab_stop();
		harness_report(false);
		kfree(run.cpus);
		return;
	}
	torture_barrier_init(&start_barrier);
	torture_barrier_init(&stop_barrier);
	run.hotplugging = torture_hotplug_init(&run.hotplug, run.ncpus, run.seed, NULL);
	coherence_reset();	/* c2c=1 reports this run's lines only */
	/* The readers (and the updaters, if the workload asks): CPUs 0.. */
	coherence_lockstep_start(run.ncpus - (wl->lockstep_updaters ? 0 : run.nr_updaters));
	run_on_cpus(run.ncpus, wl_cpu_main, &run);
	if (!run.stop_ns)	/* stopped early by a failed per-CPU setup */
		run.stop_ns = max(run.start_ns, ktime_get_ns());
	c2c_take(&c2c);
	wl->teardown(&run);
	wl_rcu_barrier_all();
	if (run.failslab)
		run.failslab_hits += failslab_stop();
	leaked = kmalloc_live_objects() - live0;
	run.errors += run.hotplug.errors;
	if (atomic_long_read(&run.cbs_queued) != atomic_long_read(&run.cbs_invoked)) {
		printk("%s/%s: %ld callbacks queued by CPUs going offline, %ld invoked\n",
		       wl->name, mode->name, atomic_long_read(&run.cbs_queued),
		       atomic_long_read(&run.cbs_invoked));
		run.errors++;
	}
	print_result(&run, run.stop_ns - run.start_ns, leaked);
	c2c_print(&c2c, wl->name, mode->name, print_result_ops(&run));
	kfree(run.cpus);
}

/*
 * A mode that needs more CPUs than the run has: skipped, unless mode=
 * names it, when the run fails (it did not do what it was asked).
 */
static void mode_too_big(const struct workload *w, const struct wl_mode *m)
{
	const char *sel = cmdline_get("mode");

	if (sel && list_contains(sel, m->name)) {
		printk("%s/%s: FAIL: mode= names it, and it needs %u CPUs (the run has %u)\n",
		       w->name, m->name, m->min_cpus, harness_cpus());
		harness_report(false);
		return;
	}
	printk("%s: mode %s needs %u CPUs; skipped\n", w->name, m->name, m->min_cpus);
}

void workloads_run(const char *name)
{
	unsigned int ran = 0;

	for_each_workload(w) {
		if (strcmp((*w)->name, name))
			continue;
		for (unsigned int i = 0; i < (*w)->nr_modes; i++) {
			if (!mode_selected(&(*w)->modes[i]))
				continue;
			if (harness_cpus() < (*w)->modes[i].min_cpus) {
				mode_too_big(*w, &(*w)->modes[i]);
				continue;
			}
			printk("%s: mode %s (%s), %u CPUs, seed %s\n", name,
			       (*w)->modes[i].name, (*w)->modes[i].kind, harness_cpus(),
			       (*w)->seed);
			run_mode(*w, &(*w)->modes[i]);
			ran++;
		}
	}
	if (!ran)
		printk("%s: no mode of this workload is in mode=; skipped\n", name);
}

/* ---- the table ---- */

/*
 * The row a mode is compared with: the workload's last "before" mode at
 * the same CPU count (the code the seed's patch replaced).
 */
static const struct wl_row *before_row(const struct wl_row *r)
{
	const struct wl_row *b = NULL;

	for (unsigned int i = 0; i < nr_rows; i++)
		if (rows[i].wl == r->wl && rows[i].cpus == r->cpus &&
		    !strcmp(rows[i].mode->kind, "before"))
			b = &rows[i];
	return b;
}

void workloads_print_table(void)
{
	if (!nr_rows)
		return;
	printk("\n%-12s %-14s %-6s %4s %-26s %12s %10s %8s %6s %9s\n", "workload", "mode", "kind",
	       "cpus", "headline", "reads/s", "atomics/op", "hitm/op", "errors", "vs before");
	for (unsigned int i = 0; i < nr_rows; i++) {
		const struct wl_row *r = &rows[i], *b = before_row(r);
		char ratio[16] = "-", x[16], apo[24], hpo[24];

		if (b && b->ops_per_sec)
			snprintf(ratio, sizeof(ratio), "%sx",
				 result_fixed(x, sizeof(x), r->ops_per_sec, b->ops_per_sec, 2));
		printk("%-12s %-14s %-6s %4u %-26s %12llu %10s %8s %6lu %9s%s\n", r->wl->name,
		       r->mode->name, r->mode->kind, r->cpus, r->headline[0] ? r->headline : "-",
		       r->ops_per_sec,
		       result_per_op(apo, sizeof(apo), ATOMIC_STATS_ENABLED, r->readers.n.atomics,
				     r->readers.ops),
		       result_per_op(hpo, sizeof(hpo), COHERENCE_ENABLED, r->readers.n.hitm,
				     r->readers.ops),
		       r->errors, ratio, r->mode->broken ? "  (reproduces the bug)" : "");
	}
	printk("\n");
}
RUN_END_HOOK(workloads_print_table);

/* run=all (the default): every workload, every selected mode. */
static void run_all_workloads(void)
{
	for_each_workload(w)
		workloads_run((*w)->name);
}
COMMAND("all", "every workload in every mode= selected (the default)", NULL,
	run_all_workloads);

/*
 * run=soak soak=<seconds>: rounds of rcutorture and every workload, each
 * with hotplug= as given, until the time is up (the round under way
 * finishes). failslab= applies to odd rounds only, the first included:
 * even rounds show the same runs pass without injected failures. The
 * TORTURE and RESULT lines carry the counts; the last line is
 * SOAK rounds=<n> seconds=<s>.
 */
#define SOAK_DEFAULT_S	600

static void soak_run(void)
{
	uint64_t t0 = ktime_get_ns();
	uint64_t end = t0 + cmdline_get_ull("soak", SOAK_DEFAULT_S) * 1000 * NSEC_PER_MSEC;
	unsigned int rounds = 0;

	do {
		bool failslab = rounds % 2 == 0 && cmdline_get("failslab");

		rounds++;
		printk("soak: round %u%s\n", rounds, failslab ? " with failslab" : "");
		failslab_pause(!failslab);
		rcutorture_run();
		run_all_workloads();
	} while (ktime_get_ns() < end);
	failslab_pause(false);
	printk("SOAK rounds=%u seconds=%llu\n", rounds,
	       (unsigned long long)((ktime_get_ns() - t0) / (1000 * NSEC_PER_MSEC)));
}
CMDLINE_KEY(readonly, "0 or 1 (workloads: every CPU reads and none updates, "
	    "to measure how the read paths scale; modes that reproduce a race are skipped)",
	    cmdline_check_bool);
CMDLINE_KEY(soak, "seconds run=soak goes on for", cmdline_check_uint);
COMMAND("soak", "rcutorture and every workload in turns for soak= seconds "
	"(hotplug=, failslab= on odd rounds)", NULL, soak_run);

/* run=modes: one machine-readable MODE line per workload mode (make bench reads them). */
static void list_modes(void)
{
	for_each_workload(w) {
		if ((*w)->update_what)
			printk("modes: %s: an update is %s\n", (*w)->name, (*w)->update_what);
		for (unsigned int i = 0; i < (*w)->nr_modes; i++) {
			const struct wl_mode *m = &(*w)->modes[i];

			printk("MODE workload=%s mode=%s kind=%s broken=%d min_cpus=%u seed=%s",
			       (*w)->name, m->name, m->kind, m->broken, max(m->min_cpus, 1u),
			       (*w)->seed);
			/* issue 17: the headline and the default update rate */
			printk(" headline=%s", (*w)->headline ?: "ops_per_sec");
			if (mode_update_hz(*w, m) == WL_UNPACED)
				printk(" update_hz=max\n");
			else
				printk(" update_hz=%lu\n", mode_update_hz(*w, m));
		}
	}
	harness_report(true);	/* the listing is its check: a run with none fails */
}
COMMAND("modes", "list every workload's modes (MODE lines), run nothing", NULL, list_modes);
