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
 * A grace period one short: ordinary readers last microseconds against a
 * 4 ms tick, so a GP that ends one early rarely meets one. Like Linux's,
 * each reader CPU therefore runs rare long readers (a few per second in
 * all, over 3-10 ticks: several grace periods if RCU let them end; see
 * long_reader()). A long reader keeps fetching the current object and holds up to
 * LONG_HOLD of them; an object removed after a reader fetched it cannot
 * move down the pipe before that reader ends (the GP that moves it starts
 * after the removal, so must wait for the reader), so every held object
 * must stay at the stage it had when fetched, checked all along. The
 * callbacks are checked the same way: each carries the cookie of the GP
 * it needs (get_state_synchronize_rcu()) and must find it expired when
 * invoked. busted-early-cb and busted-tick-qs (named in type= only, not
 * in all) run real RCU with one of include/rcu_broken.h's bugs switched
 * on, and must fail like busted.
 *
 * hotplug=1: the writer also takes random readers offline and brings them
 * back at random intervals (kernel/torture_hotplug.c), queueing callbacks
 * on each (by IPI) just before, so they must survive migration; a reader
 * leaves between two reads and resumes reading when it is back. busted:
 * the dead CPUs' callbacks are lost, and the counts must show it. The
 * callbacks queued just before a CPU went down must also run, while it is
 * still down, within DEAD_BOUND_GPS grace periods of its going and DEAD_TICKS
 * ticks of CPU 0 (the adopter, which invokes them in its tick) after that
 * (call_rcu() flavours; see dead_check()): a dead CPU's callbacks left
 * unadopted wait until it comes back or the final rcu_barrier().
 * busted-offline-cb (named in type= only) leaves them so, and must fail.
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
#include <races.h>
#include <smp.h>
#include <torture.h>
#include <rcu_broken.h>

#define DEFAULT_MS	1000
#define RCU_PIPE_LEN	11
#define OBJ_MAGIC	0x5eed0bec7ULL

struct torture_obj {
	uint64_t magic;			/* OBJ_MAGIC while alive */
	unsigned long pipe_count;	/* grace periods since removal */
	unsigned long cookie;		/* callback pipe: the GP it waits for */
	struct torture_obj *next;	/* writer's retire list */
	struct rcu_head rh;
};

struct torture_cb {
	struct rcu_head rh;
	unsigned long cookie;		/* the GP it waits for */
	int batch;			/* queued on a CPU going down, or -1 */
};

/*
 * Callbacks queued on a CPU just before it goes down, one batch per
 * offline: how many were queued and have run, the CPU, and the GP count
 * when cpu_down() returned (the CPU dead, its callbacks adopted). CPU 0
 * alone reads the verdict fields.
 */
#define DEAD_BATCHES	256
#define DEAD_BOUND_GPS	4
#define DEAD_TICKS	8		/* of CPU 0, after the bound */
struct dead_batch {
	atomic_long_t queued, invoked;
	unsigned int cpu;
	bool down, decided;
	unsigned long down_gp;
	unsigned long bound_tick;	/* CPU 0's tick count when the bound passed */
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
	/* A cookie for the GP a callback queued now must wait for, and
	 * whether it has ended (NULL: the flavour has no such state). */
	unsigned long (*gp_cookie)(void);
	bool (*gp_done)(unsigned long cookie);
	unsigned long (*cb_completed)(void);	/* GPs its callbacks wait for */
	int broken;			/* rcu_broken mode while it runs */
	bool named_only;		/* run only when type= names it */
};

struct torture_cpu {
	struct torture_random rnd;
	unsigned long pipe[RCU_PIPE_LEN];
	unsigned long poisoned;		/* objects seen poisoned */
	unsigned long reads;
	unsigned long long_reads;	/* long readers run */
	unsigned long moved;		/* held objects that moved down the pipe */
	uint64_t next_long_ns;		/* when the next long reader starts */
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
static atomic_long_t cbs_early;			/* callbacks invoked before their GP */
static atomic_long_t long_done;			/* long readers finished, all CPUs */
static struct dead_batch dead_batches[DEAD_BATCHES];
static int dead_next, dead_pending = -1;	/* CPU 0 only */
static unsigned long dead_ontime, dead_late, dead_max_gps;	/* CPU 0 only */
static unsigned long busted_gps;
static unsigned long syncs_short;		/* writer only: see retire_step() */

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

#define RCU_OPS(_sync, _completed)						\
	.readlock = rcu_torture_lock, .readunlock = rcu_torture_unlock,		\
	.sync = _sync, .call = call_rcu, .cb_barrier = rcu_barrier,		\
	.completed = _completed, .gp_cookie = get_state_synchronize_rcu,	\
	.gp_done = poll_state_synchronize_rcu, .cb_completed = rcu_gp_completed

static const struct torture_ops all_ops[] = {
	{ .name = "rcu", RCU_OPS(synchronize_rcu, rcu_gp_completed) },
	{ .name = "rcu-expedited", RCU_OPS(synchronize_rcu_expedited, rcu_exp_completed) },
	{ .name = "srcu", .readlock = srcu_torture_lock, .readunlock = srcu_torture_unlock,
	  .sync = srcu_torture_sync, .call = srcu_torture_call,
	  .cb_barrier = srcu_torture_barrier, .completed = srcu_torture_completed },
	{ .name = "busted", .readlock = busted_lock, .readunlock = busted_unlock,
	  .sync = busted_sync, .call = busted_call, .cb_barrier = busted_barrier,
	  .completed = busted_completed, .busted = true },
	/* Real RCU with a bug switched on (include/rcu_broken.h). */
	{ .name = "busted-early-cb", RCU_OPS(synchronize_rcu, rcu_gp_completed),
	  .busted = true, .broken = RCU_BROKEN_EARLY_CB, .named_only = true },
	{ .name = "busted-tick-qs", RCU_OPS(synchronize_rcu, rcu_gp_completed),
	  .busted = true, .broken = RCU_BROKEN_TICK_QS, .named_only = true },
	{ .name = "busted-offline-cb", RCU_OPS(synchronize_rcu, rcu_gp_completed),
	  .busted = true, .broken = RCU_BROKEN_OFFLINE_CB, .named_only = true },
};

const char *const rcutorture_types[] = { "rcu", "rcu-expedited", "srcu", "busted",
					 "busted-early-cb", "busted-tick-qs", "busted-offline-cb", NULL };

/* ---- the pipe ------------------------------------------------------------ */

/* Queue a callback, noting the GP it needs (checked when it runs). */
static void torture_call(struct rcu_head *rh, unsigned long *cookie, rcu_callback_t f)
{
	if (ops->gp_cookie)
		*cookie = ops->gp_cookie();
	ops->call(rh, f);
}

/* At a callback's invocation: its GP must have ended. */
static void check_cookie(unsigned long cookie)
{
	if (ops->gp_done && !ops->gp_done(cookie))
		atomic_long_inc(&cbs_early);
}

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

	check_cookie(p->cookie);
	WRITE_ONCE(p->pipe_count, n);
	if (n < RCU_PIPE_LEN - 1) {
		torture_call(&p->rh, &p->cookie, pipe_cb);
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
	torture_call(&old->rh, &old->cookie, pipe_cb);
}

/*
 * Wait for a grace period and move the retired objects one stage on.
 * synchronize_rcu() waits for a full grace period begun after the call,
 * so a cookie taken before it has expired when it returns: checked on
 * every call, not only when a reader happens to hold a retired object
 * (expedited grace periods need not end the cookie's normal one).
 */
static void retire_step(void)
{
	bool check = ops->gp_done && ops->sync == synchronize_rcu;
	unsigned long cookie = check ? ops->gp_cookie() : 0;
	struct torture_obj **pp;

	ops->sync();
	if (check && !ops->gp_done(cookie))
		syncs_short++;
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
	struct torture_cb *cb = container_of(rh, struct torture_cb, rh);

	check_cookie(cb->cookie);
	if (cb->batch >= 0)
		atomic_long_inc(&dead_batches[cb->batch].invoked);
	atomic_long_inc(&cbs_invoked);
	kfree(cb);
}

static void queue_counted_cb_batch(int batch)
{
	struct torture_cb *cb = kmalloc(sizeof(*cb));

	if (!cb)
		return;
	cb->batch = batch;
	if (batch >= 0)
		atomic_long_inc(&dead_batches[batch].queued);
	atomic_long_inc(&cbs_queued);
	torture_call(&cb->rh, &cb->cookie, count_cb);
}

static void queue_counted_cb(void)
{
	queue_counted_cb_batch(-1);
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

#define LONG_HOLD	8		/* objects a long reader holds */
#define LONG_GAP_MS	300		/* per reader CPU, 4 of them; scaled */

/* When this CPU's next long reader starts: a few per second in all (the
 * first one anywhere in the first gap, so many CPUs have some at once). */
static void next_long_reader(struct torture_cpu *tc, bool first)
{
	uint64_t gap = (uint64_t)LONG_GAP_MS * max(1u, nr_roles / 4) * NSEC_PER_MSEC;

	tc->next_long_ns = ktime_get_ns() + (first ? 0 : gap / 2) + torture_random(&tc->rnd) % gap;
}

/* Held objects must stay at the stage they were fetched at. */
static void check_held(struct torture_cpu *tc, struct torture_obj **held,
		       unsigned long *stage, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned long now = READ_ONCE(held[i]->pipe_count);

		if (READ_ONCE(held[i]->magic) != OBJ_MAGIC)
			tc->poisoned++;
		if (now != stage[i]) {
			tc->moved++;
			stage[i] = now;		/* count each move once */
		}
	}
}

/*
 * One long reader: one read-side section over several of its CPU's ticks,
 * fetching and holding the current object as it changes. Bounded by work,
 * not time (a loaded host delivers few ticks): it lasts LONG_TICKS_MIN to
 * LONG_TICKS_MAX ticks, ending after the minimum once the writer has gone
 * round LONG_ROUNDS times since it began. A correct RCU does not let that
 * happen (the writer's next synchronize_*() waits for this reader), so it
 * runs the maximum; a GP one short lets it happen, and the objects it
 * holds move down the pipe meanwhile.
 */
#define LONG_TICKS_MIN	3
#define LONG_TICKS_MAX	(LONG_TICKS_MIN + 7)
#define LONG_ROUNDS	4
#define LONG_MAX_MS	200

static unsigned long writer_rounds;		/* CPU 0's loop count */

static void long_reader(struct torture_cpu *tc, bool also_writer)
{
	struct torture_obj *held[LONG_HOLD], *p;
	unsigned long stage[LONG_HOLD], rounds0, ticks, ticks0, want;
	uint64_t end;
	unsigned int cpu = smp_processor_id(), n = 0;
	int idx;

	want = LONG_TICKS_MIN + torture_random(&tc->rnd) % (LONG_TICKS_MAX - LONG_TICKS_MIN + 1);
	/* A ceiling in time too, for a CPU whose ticks the host holds back. */
	end = ktime_get_ns() + LONG_MAX_MS * NSEC_PER_MSEC;
	idx = ops->readlock();
	rounds0 = READ_ONCE(writer_rounds);
	ticks0 = tick_count(cpu);
	do {
		p = rcu_dereference_check(torture_current, ops->readlock != rcu_torture_lock);
		if (p && n < LONG_HOLD && (!n || held[n - 1] != p)) {
			held[n] = p;
			stage[n++] = READ_ONCE(p->pipe_count);
		}
		/* One CPU: the removals happen here, inside the reader. */
		if (also_writer && (torture_random(&tc->rnd) & 3) == 0) {
			writer_async();
			WRITE_ONCE(writer_rounds, writer_rounds + 1);
		}
		udelay(100 + (torture_random(&tc->rnd) & 0xff));
		check_held(tc, held, stage, n);
		ticks = tick_count(cpu) - ticks0;
	} while ((ticks < LONG_TICKS_MIN ||
		  (ticks < want && READ_ONCE(writer_rounds) - rounds0 < LONG_ROUNDS)) &&
		 ktime_get_ns() < end);
	ops->readunlock(idx);
	if (n) {
		tc->pipe[min(stage[0], (unsigned long)RCU_PIPE_LEN - 1)]++;
		tc->reads++;
	}
	tc->long_reads++;
	atomic_long_inc(&long_done);
	next_long_reader(tc, false);
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

static void queue_cbs_ipi(void *batch)
{
	for (int i = 0; i < 8; i++)
		queue_counted_cb_batch((int)(intptr_t)batch);
}

/* Callbacks of its own, so that going offline must migrate them; a batch
 * of their own when the flavour can time them (see dead_down()). */
static void queue_cbs_on(unsigned int cpu)
{
	dead_pending = -1;
	if (ops->cb_completed && dead_next < DEAD_BATCHES) {
		dead_pending = dead_next++;
		memset(&dead_batches[dead_pending], 0, sizeof(dead_batches[0]));
		dead_batches[dead_pending].cpu = cpu;
	}
	smp_call_function_single(cpu, queue_cbs_ipi, (void *)(intptr_t)dead_pending, true);
}

/* After a hotplug step of CPU 0's: if it took a CPU down, its batch's
 * callbacks are timed from now. */
static void dead_down(unsigned long offlines_before)
{
	if (hotplug.offlines != offlines_before && dead_pending >= 0) {
		struct dead_batch *b = &dead_batches[dead_pending];

		b->down_gp = ops->cb_completed();
		b->down = true;
		/* All run before the CPU died: nothing was left to adopt. */
		b->decided = atomic_long_read(&b->invoked) == atomic_long_read(&b->queued);
	}
	dead_pending = -1;
}

/*
 * CPU 0, between writer steps: judge the batches of CPUs taken down. On
 * time: all of a batch ran. Late: DEAD_BOUND_GPS GPs after the CPU went,
 * it is still down and, DEAD_TICKS of CPU 0's ticks after the bound, some
 * have not run (adopted callbacks are ready two GPs after adoption, and
 * the adopter's tick invokes them). Returns whether a batch awaits its
 * verdict (its CPU is kept down meanwhile).
 */
static bool dead_check(void)
{
	unsigned long gp, ticks = tick_count(0);
	bool undecided = false;

	if (!dead_next)
		return false;
	gp = ops->cb_completed();
	for (int i = 0; i < dead_next; i++) {
		struct dead_batch *b = &dead_batches[i];

		if (!b->down || b->decided)
			continue;
		/* Acquire: the callbacks' work precedes our verdict. */
		if (atomic_long_read_acquire(&b->invoked) == atomic_long_read(&b->queued)) {
			b->decided = true;
			dead_ontime++;
			dead_max_gps = max(dead_max_gps, gp - b->down_gp);
		} else if (cpu_online(b->cpu)) {
			b->decided = true;	/* back before a verdict (cannot happen) */
		} else if (gp - b->down_gp >= DEAD_BOUND_GPS) {
			if (!b->bound_tick) {
				b->bound_tick = ticks + 1;
			} else if (ticks >= b->bound_tick + DEAD_TICKS) {
				b->decided = true;
				dead_late++;
				printk("rcutorture: %s: CPU %u down for %lu grace periods, %ld of its "
				       "%ld callbacks not run\n", ops->name, b->cpu, gp - b->down_gp,
				       atomic_long_read(&b->queued) - atomic_long_read(&b->invoked),
				       atomic_long_read(&b->queued));
			}
		}
		undecided |= !b->decided;
	}
	return undecided;
}

/*
 * Bounded by work as well as time: with hotplug on, CPU 0 goes on past
 * ms= (up to DEAD_EXTEND times it, the readers done) until DEAD_MIN
 * batches had a verdict, so that a loaded host, which slows grace periods
 * and hotplug alike, still judges some.
 */
#define DEAD_MIN	3
#define DEAD_EXTEND	5

static uint64_t hard_end_ns;

static bool dead_more(void)
{
	return hotplug.on && ops->cb_completed && dead_ontime + dead_late < DEAD_MIN &&
	       ktime_get_ns() < hard_end_ns;
}

/*
 * Every CPU goes on past ms= (up to DEAD_EXTEND times it) until the run
 * did its minimum of work: MIN_GPS grace periods and MIN_LONG long
 * readers, which a loaded host (few ticks, slow grace periods) may not
 * give it in ms=.
 */
#define MIN_GPS		10
#define MIN_LONG	4

static unsigned long run_gp0;

static bool work_more(void)
{
	/* The busted-* flavours show their bug through long readers: more. */
	return (atomic_long_read(&long_done) < (ops->named_only ? 4 * MIN_LONG : MIN_LONG) ||
		ops->completed() - run_gp0 < MIN_GPS) && ktime_get_ns() < hard_end_ns;
}

/* Every CPU of the run; a CPU back from offline starts it again. */
static void torture_role(void *arg)
{
	unsigned int cpu = smp_processor_id();
	struct torture_cpu *tc = &torture_cpus[cpu];
	unsigned long n = 0, offlines;

	if (!tc->started) {
		tc->started = true;
		torture_barrier_wait(&start_barrier, nr_roles);
		/* ms= counts from when every CPU is here: waking hundreds of
		 * vCPUs on a few host cores can take longer than ms= itself. */
		if (cpu == 0) {
			uint64_t now = ktime_get_ns();

			hard_end_ns = now + DEAD_EXTEND * run_ms * NSEC_PER_MSEC;
			/* Release: hard_end_ns precedes the end a CPU acts on. */
			smp_store_release(&end_ns, now + run_ms * NSEC_PER_MSEC);
		}
		next_long_reader(tc, true);
	}
	/* Acquire: pairs with the release of end_ns (hard_end_ns). */
	while (ktime_get_ns() < smp_load_acquire(&end_ns) || work_more() ||
	       (cpu == 0 && dead_more())) {
		if (cpu == 0) {
			WRITE_ONCE(writer_rounds, writer_rounds + 1);
			if ((torture_random(&tc->rnd) & 3) == 0)
				writer_async();
			else
				writer_sync();
			/* A CPU taken down stays down until its batch's verdict. */
			if (!dead_check()) {
				offlines = hotplug.offlines;
				torture_hotplug_step(&hotplug);
				dead_down(offlines);
			}
			/* With one reader CPU the writer reads too. */
			for (int i = 0; nr_roles == 1 && i < 16; i++)
				reader_step(tc, true);
			if (nr_roles == 1 && ktime_get_ns() >= tc->next_long_ns)
				long_reader(tc, true);
		} else if (ktime_get_ns() >= tc->next_long_ns) {
			long_reader(tc, false);
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
	unsigned long moved = 0, long_reads = 0, early;
	long live0 = kmalloc_live_objects(), leaked, lost;
	unsigned long gp0, failslab_hits;
	struct torture_obj *last;
	bool failed, failslab, hotplugging;
	unsigned long races;
	char buf[160];
	int len = 0;

	ops = o;
	nr_roles = ncpus;
	atomic_long_set(&cbs_queued, 0);
	atomic_long_set(&cbs_invoked, 0);
	atomic_set(&chains_live, 0);
	atomic_long_set(&cbs_early, 0);
	syncs_short = 0;
	atomic_long_set(&long_done, 0);
	run_gp0 = o->completed();
	dead_ontime = dead_late = dead_max_gps = 0;
	dead_next = 0;
	dead_pending = -1;
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
	hard_end_ns = UINT64_MAX;
	rcu_broken_set(o->broken);
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
	rcu_broken_set(RCU_BROKEN_NONE);
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
		moved += torture_cpus[cpu].moved;
		long_reads += torture_cpus[cpu].long_reads;
	}
	if (moved) {
		printk("rcutorture: %s: %lu objects moved down the pipe while a reader held them "
		       "(%lu long readers)\n", o->name, moved, long_reads);
		errors += moved;
	}
	if (dead_ontime + dead_late) {
		printk("rcutorture: %s: callbacks of CPUs taken down: %lu batches on time (within "
		       "%lu grace periods), %lu late (bound %d)\n", o->name, dead_ontime,
		       dead_max_gps, dead_late, DEAD_BOUND_GPS);
		errors += dead_late;
	}
	if (syncs_short) {
		printk("rcutorture: %s: %lu synchronize calls returned before a grace period "
		       "begun after the call ended\n", o->name, syncs_short);
		errors += syncs_short;
	}
	early = (unsigned long)atomic_long_read(&cbs_early);
	if (early) {
		printk("rcutorture: %s: %lu callbacks invoked before their grace period ended\n",
		       o->name, early);
		errors += early;
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
	races = races_flush();	/* the race build: RACE lines before the TORTURE line */
	/* A data race fails a flavour, unless it is busted on purpose. */
	failed = errors != 0 || !reads || (races && !o->busted);
	printk("TORTURE type=%s cpus=%u ms=%lu gps=%lu pipe=%s errors=%lu result=%s",
	       o->name, ncpus, ms, gps, buf, errors, failed ? "FAILURE" : "SUCCESS");
	if (hotplugging)
		printk(" hotplug=%lu", hotplug.cycles);
	if (failslab)
		printk(" failslab=%lu", failslab_hits);
	if (RACES_ENABLED)
		printk(" races=%lu", races);
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

		if (o->named_only ? !list_contains(cmdline_get("type") ?: "", o->name)
				  : !torture_type_selected(o->name))
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
