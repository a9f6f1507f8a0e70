// SPDX-License-Identifier: MIT
/*
 * run=rcutorture [type=rcu,rcu-expedited,srcu,busted|all] [ms=N] [cpus=N]
 * [hotplug=0|1|busted] [failslab=N]: torture each RCU flavour the way
 * Linux's rcutorture does.
 *
 * One writer (CPU 0) keeps replacing a protected object. A removed object
 * goes down a pipe: each grace period that completes after its removal
 * moves it one stage on, and after RCU_PIPE_LEN - 1 stages it is poisoned
 * and freed. Two ways down the pipe, alternating: the writer waits for
 * grace periods itself (synchronize_*()), or a callback re-queues itself
 * once per grace period (call_rcu() / call_srcu()).
 *
 * Readers (every CPU) take the read lock, fetch the object, linger, and
 * record the stage they find it at on the way out: the Reader Pipe
 * histogram. A correct RCU never lets a reader see stage 2 or later (one
 * stage may pass while the reader fetches), and never lets it see a
 * poisoned object. Readers also queue counted callbacks, checked against
 * the invocations after the flavour's barrier; the run must leak nothing.
 * With one CPU the reader queues the writer's callback from inside its
 * read-side section, so a broken flavour fails there too.
 *
 * hotplug=1: the writer also takes random readers offline and brings them
 * back at random intervals (kernel/torture_hotplug.c), queueing callbacks
 * on each (by IPI) just before, so they must survive migration; a reader
 * leaves between two reads and resumes reading when it is back. busted:
 * the dead CPUs' callbacks are lost, and the counts must show it.
 *
 * failslab=N: one allocation in N fails meanwhile; the writer skips that
 * round, a reader that count, and nothing may leak.
 *
 * One line per type (DESIGN.md section 8), with hotplug=<cycles> and
 * failslab=<failures injected> added when they are on:
 * TORTURE type=<t> cpus=<n> ms=<ms> gps=<n> pipe=<11 buckets> errors=<n>
 *	result=SUCCESS|FAILURE
 * busted (grace periods that end at once) must fail: that counts as a
 * passed check toward SUMMARY.
 */
#include <rcupdate.h>
#include <srcu.h>
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>

#define DEFAULT_MS	1000
#define RCU_PIPE_LEN	11
#define OBJ_MAGIC	0x5eed0bec7ULL

struct torture_obj {
	uint64_t magic;			/* OBJ_MAGIC while alive */
	unsigned long pipe_count;	/* grace periods since removal */
	struct torture_obj *next;	/* writer's retire list */
	struct rcu_head rh;
};

struct torture_cb {
	struct rcu_head rh;
};

struct torture_ops {
	const char *name;
	int (*readlock)(void);
	void (*readunlock)(int idx);
	void (*sync)(void);
	void (*call)(struct rcu_head *head, rcu_callback_t func);
	void (*cb_barrier)(void);
	unsigned long (*completed)(void);
	bool busted;
};

struct torture_cpu {
	struct torture_random rnd;
	unsigned long pipe[RCU_PIPE_LEN];
	unsigned long poisoned;		/* objects seen poisoned */
	unsigned long reads;
	bool started;			/* past the start barrier (hotplug: resumes) */
} ____cacheline_aligned;

static const struct torture_ops *ops;
static struct torture_obj *torture_current;	/* the protected pointer */
static struct torture_obj *retire_list;		/* writer only */
static struct torture_cpu torture_cpus[NR_CPUS];
static struct torture_barrier start_barrier;
static uint64_t end_ns;				/* set by CPU 0 once all are here */
static unsigned long run_ms;
static unsigned int nr_roles;
static struct torture_hotplug hotplug;		/* CPU 0's */
static atomic_long_t cbs_queued, cbs_invoked;
static atomic_t chains_live;			/* objects on the callback pipe */
static unsigned long busted_gps;

/* ---- the flavours -------------------------------------------------------- */

static int rcu_torture_lock(void) { rcu_read_lock(); return 0; }
static void rcu_torture_unlock(int idx) { rcu_read_unlock(); }

DEFINE_STATIC_SRCU(torture_srcu);
static int srcu_torture_lock(void) { return srcu_read_lock(&torture_srcu); }
static void srcu_torture_unlock(int idx) { srcu_read_unlock(&torture_srcu, idx); }
static void srcu_torture_sync(void) { synchronize_srcu(&torture_srcu); }
static void srcu_torture_call(struct rcu_head *h, rcu_callback_t f) { call_srcu(&torture_srcu, h, f); }
static void srcu_torture_barrier(void) { srcu_barrier(&torture_srcu); }
static unsigned long srcu_torture_completed(void) { return srcu_batches_completed(&torture_srcu); }

/* busted: no reader protection, grace periods that end at once. */
static int busted_lock(void) { return 0; }
static void busted_unlock(int idx) { }
static void busted_sync(void) { __atomic_add_fetch(&busted_gps, 1, __ATOMIC_RELAXED); }
static void busted_call(struct rcu_head *h, rcu_callback_t f) { busted_sync(); f(h); }
static void busted_barrier(void) { }
static unsigned long busted_completed(void) { return __atomic_load_n(&busted_gps, __ATOMIC_RELAXED); }

static const struct torture_ops all_ops[] = {
	{ "rcu", rcu_torture_lock, rcu_torture_unlock, synchronize_rcu, call_rcu,
	  rcu_barrier, rcu_gp_completed, false },
	{ "rcu-expedited", rcu_torture_lock, rcu_torture_unlock, synchronize_rcu_expedited,
	  call_rcu, rcu_barrier, rcu_exp_completed, false },
	{ "srcu", srcu_torture_lock, srcu_torture_unlock, srcu_torture_sync, srcu_torture_call,
	  srcu_torture_barrier, srcu_torture_completed, false },
	{ "busted", busted_lock, busted_unlock, busted_sync, busted_call, busted_barrier,
	  busted_completed, true },
};

const char *const rcutorture_types[] = { "rcu", "rcu-expedited", "srcu", "busted", NULL };

/* ---- the pipe ------------------------------------------------------------ */

static void obj_free(struct torture_obj *p)
{
	/* Poison explicitly (kfree's debug poison may be reused at once). */
	WRITE_ONCE(p->magic, POISON_FREE64);
	WRITE_ONCE(p->pipe_count, ~0UL);
	kfree(p);
}

/* A callback-driven object: one stage per grace period, then freed. */
static void pipe_cb(struct rcu_head *rh)
{
	struct torture_obj *p = container_of(rh, struct torture_obj, rh);
	unsigned long n = p->pipe_count + 1;

	WRITE_ONCE(p->pipe_count, n);
	if (n < RCU_PIPE_LEN - 1) {
		ops->call(&p->rh, pipe_cb);
		return;
	}
	obj_free(p);
	/* Release: the free precedes the count the end of the run waits on. */
	atomic_fetch_sub_release(1, &chains_live);
}

/* Replace the object; returns the old one (NULL if there was none). */
static struct torture_obj *replace_current(void)
{
	struct torture_obj *p = kmalloc(sizeof(*p)), *old;

	if (!p)
		return NULL;	/* allocation failure: skip this round */
	p->magic = OBJ_MAGIC;
	p->pipe_count = 0;
	p->next = NULL;
	/* Writer only (CPU 0): the pointer is stable under us. */
	old = rcu_dereference_protected(torture_current, smp_processor_id() == 0);
	rcu_assign_pointer(torture_current, p);
	return old;
}

/* Replace the object and send the old one down the callback pipe.
 * Never waits: legal inside a read-side section. */
static void writer_async(void)
{
	struct torture_obj *old = replace_current();

	if (!old)
		return;
	atomic_inc(&chains_live);
	ops->call(&old->rh, pipe_cb);
}

/* Wait for a grace period and move the retired objects one stage on. */
static void retire_step(void)
{
	struct torture_obj **pp;

	ops->sync();
	for (pp = &retire_list; *pp;) {
		struct torture_obj *p = *pp;

		WRITE_ONCE(p->pipe_count, p->pipe_count + 1);
		if (p->pipe_count >= RCU_PIPE_LEN - 1) {
			*pp = p->next;
			obj_free(p);
		} else {
			pp = &p->next;
		}
	}
}

/* Replace the object and retire the old one. */
static void writer_sync(void)
{
	struct torture_obj *old = replace_current();

	if (old) {
		old->next = retire_list;
		retire_list = old;
	}
	retire_step();
}

/* ---- readers and counted callbacks --------------------------------------- */

static void count_cb(struct rcu_head *rh)
{
	atomic_long_inc(&cbs_invoked);
	kfree(container_of(rh, struct torture_cb, rh));
}

static void queue_counted_cb(void)
{
	struct torture_cb *cb = kmalloc(sizeof(*cb));

	if (!cb)
		return;
	atomic_long_inc(&cbs_queued);
	ops->call(&cb->rh, count_cb);
}

static void linger(struct torture_cpu *tc)
{
	uint32_t r = torture_random(&tc->rnd);

	if ((r & 0x3ff) == 0)
		udelay(50 + (r >> 24));		/* now and then a long reader */
	else if ((r & 0xf) == 0)
		udelay((r >> 20) & 0xf);
	else
		for (volatile unsigned int i = 0; i < ((r >> 8) & 0x3f); i++)
			;
}

static void reader_step(struct torture_cpu *tc, bool also_writer)
{
	struct torture_obj *p;
	unsigned long stage;
	int idx;

	idx = ops->readlock();
	/* rcu flavours: a real reader, so the dereference check passes. */
	p = rcu_dereference_check(torture_current, ops->readlock != rcu_torture_lock);
	if (!p) {
		ops->readunlock(idx);
		return;
	}
	if (READ_ONCE(p->magic) != OBJ_MAGIC)
		tc->poisoned++;
	linger(tc);
	/* One CPU: replace the object we hold and queue it for freeing. */
	if (also_writer && (torture_random(&tc->rnd) & 7) == 0)
		writer_async();
	stage = READ_ONCE(p->pipe_count);
	if (READ_ONCE(p->magic) != OBJ_MAGIC)
		tc->poisoned++;
	ops->readunlock(idx);
	tc->pipe[min(stage, (unsigned long)RCU_PIPE_LEN - 1)]++;
	tc->reads++;
}

static void queue_cbs_ipi(void *unused)
{
	for (int i = 0; i < 8; i++)
		queue_counted_cb();
}

/* Callbacks of its own, so that going offline must migrate them. */
static void queue_cbs_on(unsigned int cpu)
{
	smp_call_function_single(cpu, queue_cbs_ipi, NULL, true);
}

/* Every CPU of the run; a CPU back from offline starts it again. */
static void torture_role(void *arg)
{
	unsigned int cpu = smp_processor_id();
	struct torture_cpu *tc = &torture_cpus[cpu];
	unsigned long n = 0;

	if (!tc->started) {
		tc->started = true;
		torture_barrier_wait(&start_barrier, nr_roles);
		/* ms= counts from when every CPU is here: waking hundreds of
		 * vCPUs on a few host cores can take longer than ms= itself. */
		if (cpu == 0)
			WRITE_ONCE(end_ns, ktime_get_ns() + run_ms * NSEC_PER_MSEC);
	}
	while (ktime_get_ns() < READ_ONCE(end_ns)) {
		if (cpu == 0) {
			if ((torture_random(&tc->rnd) & 3) == 0)
				writer_async();
			else
				writer_sync();
			torture_hotplug_step(&hotplug);
			/* With one reader CPU the writer reads too. */
			for (int i = 0; nr_roles == 1 && i < 16; i++)
				reader_step(tc, true);
		} else {
			reader_step(tc, false);
		}
		/* Like Linux's readers between reads (cond_resched()). */
		rcu_quiescent_state();
		if ((++n & 63) == 0)
			queue_counted_cb();
		/* Between two reads: no reader, no lock. */
		if (cpu_offline_pending())
			cpu_offline_now();
	}
	if (cpu == 0)
		torture_hotplug_finish(&hotplug);
}

/* ---- one flavour --------------------------------------------------------- */

static bool torture_one(const struct torture_ops *o, unsigned int ncpus, unsigned long ms)
{
	unsigned long pipe[RCU_PIPE_LEN] = { 0 }, poisoned = 0, errors = 0, gps, reads = 0;
	long live0 = kmalloc_live_objects(), leaked, lost;
	unsigned long gp0, failslab_hits;
	struct torture_obj *last;
	bool failed, failslab, hotplugging;
	char buf[160];
	int len = 0;

	ops = o;
	nr_roles = ncpus;
	atomic_long_set(&cbs_queued, 0);
	atomic_long_set(&cbs_invoked, 0);
	atomic_set(&chains_live, 0);
	memset(torture_cpus, 0, sizeof(torture_cpus));
	for (unsigned int cpu = 0; cpu < ncpus; cpu++)
		torture_random_init(&torture_cpus[cpu].rnd,
				    cmdline_get_ull("seed", 1) * 1000 + cpu);
	torture_barrier_init(&start_barrier);
	hotplugging = torture_hotplug_init(&hotplug, ncpus, cmdline_get_ull("seed", 1), queue_cbs_on);
	failslab = failslab_start();
	gp0 = o->completed();
	run_ms = ms;
	WRITE_ONCE(end_ns, UINT64_MAX);	/* until CPU 0 starts the clock */
	run_on_cpus(nr_roles, torture_role, NULL);
	gps = o->completed() - gp0;

	/* Retire the last object and drain both pipes. */
	last = rcu_dereference_protected(torture_current, 1);
	RCU_INIT_POINTER(torture_current, NULL);
	if (last) {
		last->next = retire_list;
		retire_list = last;
	}
	while (retire_list)
		retire_step();
	/* Each barrier moves every object on the callback pipe a stage on. */
	for (int i = 0; i < 2 * RCU_PIPE_LEN && atomic_read_acquire(&chains_live); i++)
		o->cb_barrier();
	o->cb_barrier();
	failslab_hits = failslab_stop();
	lost = atomic_read_acquire(&chains_live);
	if (lost) {
		printk("rcutorture: %s: %ld objects never came out of the callback pipe\n",
		       o->name, lost);
		errors++;
	}
	errors += hotplug.errors;

	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		for (int i = 0; i < RCU_PIPE_LEN; i++)
			pipe[i] += torture_cpus[cpu].pipe[i];
		poisoned += torture_cpus[cpu].poisoned;
		reads += torture_cpus[cpu].reads;
	}
	for (int i = 2; i < RCU_PIPE_LEN; i++)
		errors += pipe[i];
	errors += poisoned;
	if (atomic_long_read(&cbs_queued) != atomic_long_read(&cbs_invoked)) {
		printk("rcutorture: %s: %ld callbacks queued, %ld invoked\n", o->name,
		       atomic_long_read(&cbs_queued), atomic_long_read(&cbs_invoked));
		errors++;
	}
	if (!o->busted) {
		rcu_barrier();	/* kfree_rcu() and call_rcu() users beside us */
		leaked = kmalloc_live_objects() - live0;
		if (leaked) {
			printk("rcutorture: %s: %ld objects leaked\n", o->name, leaked);
			errors++;
		}
	}
	if (poisoned)
		printk("rcutorture: %s: readers saw %lu freed objects\n", o->name, poisoned);
	for (int i = 0; i < RCU_PIPE_LEN; i++)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%s%lu", i ? "," : "", pipe[i]);
	failed = errors != 0 || !reads;
	printk("TORTURE type=%s cpus=%u ms=%lu gps=%lu pipe=%s errors=%lu result=%s",
	       o->name, ncpus, ms, gps, buf, errors, failed ? "FAILURE" : "SUCCESS");
	if (hotplugging)
		printk(" hotplug=%lu", hotplug.cycles);
	if (failslab)
		printk(" failslab=%lu", failslab_hits);
	printk("\n");
	return failed;
}

void rcutorture_run(void)
{
	unsigned long ms = (unsigned long)cmdline_get_ull("ms", DEFAULT_MS);
	unsigned int ncpus = harness_cpus();

	if (torture_hotplug_mode() != TORTURE_HOTPLUG_OFF && ncpus < 2)
		printk("rcutorture: hotplug= needs 2 CPUs; running without\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(all_ops); i++) {
		const struct torture_ops *o = &all_ops[i];
		bool failed;

		if (!torture_type_selected(o->name))
			continue;
		failed = torture_one(o, ncpus, ms);
		/* busted must fail: that is the proof the test can. */
		harness_report(o->busted ? failed : !failed);
	}
}

static int rcutorture_check(void)
{
	return torture_check_types("rcutorture", rcutorture_types);
}

COMMAND("rcutorture", "torture RCU, expedited RCU, SRCU and busted (type=, ms=, hotplug=)",
	rcutorture_check, rcutorture_run);

/*
 * run=rcustall: the last CPU of the run (cpus=) stays inside a read-side
 * section, never reporting a quiescent state, while CPU 0 waits for a
 * grace period, with the stall timeout cut to STALL_TEST_MS. Passes when
 * the stall warning was printed and the grace period then completed; the
 * test reads the warning for the CPU it names (and the CPU's own report,
 * with its backtrace).
 */
#define STALL_TEST_MS	300

static int stall_reader_in, stall_gp_done;
static unsigned int stall_cpu;
static unsigned long stall_warnings_before;

static void stall_role(void *arg)
{
	if (smp_processor_id() == stall_cpu) {
		uint64_t deadline = ktime_get_ns() + 5 * STALL_TEST_MS * NSEC_PER_MSEC;

		rcu_read_lock();
		smp_store_release(&stall_reader_in, 1);
		while (rcu_stall_warnings() == stall_warnings_before && ktime_get_ns() < deadline)
			cpu_relax();
		mdelay(10);	/* let the report finish */
		rcu_read_unlock();
	} else if (smp_processor_id() == 0) {
		while (!smp_load_acquire(&stall_reader_in))
			cpu_relax();
		synchronize_rcu();
		WRITE_ONCE(stall_gp_done, 1);
	}
}

static void rcustall_run(void)
{
	unsigned long old;
	bool ok;

	if (harness_cpus() < 2) {
		printk("rcustall: needs 2 CPUs; skipped\n");
		harness_report(true);
		return;
	}
	stall_cpu = harness_cpus() - 1;
	printk("rcustall: CPU %u holds a read-side section\n", stall_cpu);
	stall_warnings_before = rcu_stall_warnings();
	old = rcu_set_stall_timeout_ms(STALL_TEST_MS);
	run_on_cpus(stall_cpu + 1, stall_role, NULL);
	rcu_set_stall_timeout_ms(old);
	ok = rcu_stall_warnings() > stall_warnings_before && READ_ONCE(stall_gp_done);
	printk("rcustall: %s\n", ok ? "stall reported, grace period completed" :
	       "no stall report");
	harness_report(ok);
}

COMMAND("rcustall", "hold up a grace period on the last CPU and expect a stall warning",
	NULL, rcustall_run);
