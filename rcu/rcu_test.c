// SPDX-License-Identifier: MIT
/*
 * RCU and SRCU test cases: in the kernel (run=selftest test=rcu) and on
 * the host under ThreadSanitizer, where threads play CPUs and report
 * their quiescent states explicitly (rcu_quiescent_state(), test_tick()).
 */
#include "tree.h"
#include <srcu.h>
#include <ktest.h>
#include <kernel.h>
#include <ktime.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>
#include <libc.h>
#include <rculist.h>

#define TEST_CPUS	4

/* What the tick does, called from thread context (host threads never tick). */
static void test_tick(void)
{
	unsigned long flags = arch_irq_save();

	rcu_tick();
	arch_irq_restore(flags);
}

static unsigned int test_cpus(void)
{
	return min(num_online_cpus(), (unsigned int)TEST_CPUS);
}

struct role {
	void (*fn)(unsigned int cpu, void *arg);
	void *arg;
	struct torture_barrier barrier;
	unsigned int n;
};

/*
 * Run fn on CPUs 0..n-1. A host thread playing a CPU starts in an
 * extended quiescent state (like a CPU not yet booted): RCU watches it
 * while it runs the role, and it goes back when done.
 */
static void role_main(void *p)
{
	struct role *r = p;
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);
	bool was_eqs = !(atomic_read(&rdp->eqs) & 1);

	if (was_eqs)
		rcu_idle_exit();
	torture_barrier_wait(&r->barrier, r->n);
	r->fn(smp_processor_id(), r->arg);
	/* CPU 0 then waits for the others in run_on_cpus(); on the host it
	 * never ticks there, so it waits in an EQS (run_role() leaves it).
	 * Interrupts off, as for the idle loop: a tick between the EQS entry
	 * and its report would report again under the leaf lock it holds. */
	if (was_eqs || smp_processor_id() == 0) {
		unsigned long flags = arch_irq_save();

		rcu_idle_enter();
		arch_irq_restore(flags);
	}
}

static void run_role(unsigned int n, void (*fn)(unsigned int cpu, void *arg), void *arg)
{
	struct role r = { .fn = fn, .arg = arg, .n = n };

	torture_barrier_init(&r.barrier);
	run_on_cpus(n, role_main, &r);
	rcu_idle_exit();
}

struct rl_item {
	int v;
	struct list_head node;
};

KTEST(rcu, list_add_rcu_links_at_the_head_and_add_tail_at_the_end)
{
	struct rl_item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 }, *it;
	LIST_HEAD(head);
	int seen[4], n = 0;

	list_add_rcu(&a.node, &head);
	list_add_rcu(&b.node, &head);
	list_add_tail_rcu(&c.node, &head);
	rcu_read_lock();
	list_for_each_entry_rcu(it, &head, node)
		if (n < 4)
			seen[n++] = it->v;
	rcu_read_unlock();
	EXPECT_EQ(t, n, 3);
	EXPECT_EQ(t, seen[0], 2);
	EXPECT_EQ(t, seen[1], 1);
	EXPECT_EQ(t, seen[2], 3);
	/* The writers' back links agree with the readers' forward ones. */
	EXPECT_TRUE(t, head.prev == &c.node && c.node.prev == &a.node);
	EXPECT_TRUE(t, a.node.prev == &b.node && b.node.prev == &head);
}

KTEST(rcu, sequence_numbers_compare_across_the_wrap)
{
	unsigned long s = RCU_SEQ_INIT, end;

	/* A full grace period after an idle value is the end of the next one. */
	EXPECT_EQ(t, rcu_seq_snap_of(s), s + 4);
	/* A running one may predate the caller: the one after it. */
	EXPECT_EQ(t, rcu_seq_snap_of(s + 1), s + 8);
	end = s;
	for (int i = 0; i < 400; i++)	/* crosses zero */
		end = (end | RCU_SEQ_STATE_MASK) + 1;
	EXPECT_TRUE(t, end < s);
	EXPECT_TRUE(t, ULONG_CMP_GE(end, s));
	EXPECT_TRUE(t, ULONG_CMP_LT(s, end));
	EXPECT_EQ(t, (end - s) >> RCU_SEQ_STATE_BITS, 400);
}

static int cb_count;	/* count_cb()'s calls (one thread) */
static void count_cb(struct rcu_head *h) { cb_count++; }

KTEST(rcu, cblist_keeps_order_and_waits_for_each_tag)
{
	struct rcu_cblist l;
	struct rcu_head h[6];
	struct rcu_head *done, **last;
	unsigned long g = RCU_SEQ_INIT;

	for (int i = 0; i < 6; i++)
		h[i].func = count_cb;
	rcu_cblist_init(&l);
	rcu_cblist_enqueue(&l, g, &h[0], &h[0].next, 1);	/* needs g+4 */
	rcu_cblist_enqueue(&l, g + 1, &h[1], &h[1].next, 1);	/* needs g+8 */
	rcu_cblist_enqueue(&l, g + 1, &h[2], &h[2].next, 1);	/* needs g+8 */
	EXPECT_EQ(t, l.len, 3);
	rcu_cblist_advance(&l, g + 3);
	EXPECT_NULL(t, rcu_cblist_take_done(&l, &last));
	rcu_cblist_advance(&l, g + 4);
	done = rcu_cblist_take_done(&l, &last);
	EXPECT_PTR_EQ(t, done, &h[0]);
	EXPECT_PTR_EQ(t, last, &h[0].next);
	EXPECT_NULL(t, done->next);
	/* A new tag after the first is done: goes behind the waiting ones. */
	rcu_cblist_enqueue(&l, g + 5, &h[3], &h[3].next, 1);	/* needs g+12 */
	rcu_cblist_advance(&l, g + 8);
	done = rcu_cblist_take_done(&l, &last);
	EXPECT_PTR_EQ(t, done, &h[1]);
	EXPECT_PTR_EQ(t, done->next, &h[2]);
	EXPECT_NULL(t, h[2].next);
	/* A batch invoked in part: the rest goes back ahead of what was
	 * queued meanwhile, in order, and is taken again as ready. */
	cb_count = 0;
	EXPECT_EQ(t, rcu_invoke_list(&done, 1), 1);
	EXPECT_EQ(t, cb_count, 1);
	EXPECT_PTR_EQ(t, done, &h[2]);
	rcu_cblist_enqueue(&l, g + 9, &h[4], &h[4].next, 1);	/* needs g+16 */
	rcu_cblist_return_done(&l, done, last);
	EXPECT_PTR_EQ(t, l.head, &h[2]);
	EXPECT_PTR_EQ(t, h[2].next, &h[3]);
	done = rcu_cblist_take_done(&l, &last);
	EXPECT_PTR_EQ(t, done, &h[2]);
	EXPECT_NULL(t, h[2].next);
	EXPECT_EQ(t, rcu_invoke_list(&done, 100), 1);
	EXPECT_NULL(t, done);
	rcu_cblist_advance(&l, g + 12);
	EXPECT_PTR_EQ(t, rcu_cblist_take_done(&l, &last), &h[3]);
	EXPECT_PTR_EQ(t, l.head, &h[4]);
	/* Given back into an empty list: the tail follows it. */
	done = &h[3];
	rcu_cblist_return_done(&l, done, last);
	rcu_cblist_advance(&l, g + 16);
	done = rcu_cblist_take_done(&l, &last);
	EXPECT_PTR_EQ(t, done, &h[3]);
	EXPECT_PTR_EQ(t, h[3].next, &h[4]);
	EXPECT_PTR_EQ(t, last, &h[4].next);
	EXPECT_TRUE(t, rcu_cblist_seg_empty(&l, RCU_WAIT));
	EXPECT_TRUE(t, rcu_cblist_seg_empty(&l, RCU_NEXT));
	rcu_cblist_enqueue(&l, g + 16, &h[5], &h[5].next, 1);	/* needs g+20 */
	EXPECT_PTR_EQ(t, l.head, &h[5]);
}

/* ---- publish / subscribe and grace periods -------------------------------- */

struct obj {
	uint64_t a, b;		/* a == b == OBJ_OK while live */
	struct rcu_head rh;
};
#define OBJ_OK	0x600dULL

static struct obj *gp_obj;
static int test_stop;
static atomic_long_t bad_reads, good_reads;
static unsigned int reader_hold_us;	/* readers hold each section this long */

static struct obj *obj_new(uint64_t v)
{
	struct obj *o = kmalloc(sizeof(*o));

	if (o)
		o->a = o->b = v;
	return o;
}

static void obj_kill(struct obj *o)
{
	/* What a use after free would see (debug kfree also poisons). */
	WRITE_ONCE(o->a, POISON_FREE64);
	WRITE_ONCE(o->b, POISON_FREE64);
	kfree(o);
}

static void reader_loop(void)
{
	unsigned long n = 0;

	while (!smp_load_acquire(&test_stop)) {
		struct obj *o;

		rcu_read_lock();
		o = rcu_dereference(gp_obj);
		if (o) {
			/* Plain reads: TSan sees the publisher's release. */
			if (o->a != OBJ_OK || o->b != OBJ_OK)
				atomic_long_inc(&bad_reads);
			else
				atomic_long_inc(&good_reads);
		}
		if (reader_hold_us)
			udelay(reader_hold_us);
		rcu_read_unlock();
		rcu_quiescent_state();
		if ((++n & 15) == 0)
			test_tick();
	}
}

enum { WAIT_SYNC, WAIT_EXP, WAIT_CALL };
struct updater_arg {
	int how;
	int rounds;
};

static void free_cb(struct rcu_head *h)
{
	obj_kill(container_of(h, struct obj, rh));
}

static void updater_role(unsigned int cpu, void *p)
{
	struct updater_arg *u = p;

	if (cpu) {
		reader_loop();
		return;
	}
	for (int i = 0; i < u->rounds; i++) {
		struct obj *n = obj_new(OBJ_OK), *old;

		if (!n)
			continue;
		old = rcu_dereference_protected(gp_obj, true);
		rcu_assign_pointer(gp_obj, n);
		if (!old)
			continue;
		if (u->how == WAIT_SYNC) {
			synchronize_rcu();
			obj_kill(old);
		} else if (u->how == WAIT_EXP) {
			synchronize_rcu_expedited();
			obj_kill(old);
		} else {
			call_rcu(&old->rh, free_cb);
			test_tick();
		}
	}
	rcu_barrier();
	smp_store_release(&test_stop, 1);
}

static void replace_and_free(struct ktest_ctx *t, int how, unsigned int hold_us)
{
	struct updater_arg u = { .how = how, .rounds = hold_us ? 50 : 200 };
	long live = kmalloc_live_objects();
	struct obj *last;

	WRITE_ONCE(test_stop, 0);
	atomic_long_set(&bad_reads, 0);
	atomic_long_set(&good_reads, 0);
	reader_hold_us = hold_us;
	run_role(test_cpus(), updater_role, &u);
	reader_hold_us = 0;
	last = rcu_dereference_protected(gp_obj, true);
	RCU_INIT_POINTER(gp_obj, NULL);
	synchronize_rcu();
	kfree(last);
	EXPECT_EQ(t, atomic_long_read(&bad_reads), 0);
	if (test_cpus() > 1)
		EXPECT_GT(t, atomic_long_read(&good_reads), 0);
	EXPECT_EQ(t, kmalloc_live_objects(), live);
}

KTEST(rcu, synchronize_rcu_keeps_objects_alive_for_readers)
{
	replace_and_free(t, WAIT_SYNC, 0);
}

KTEST(rcu, expedited_grace_periods_keep_objects_alive_for_readers)
{
	replace_and_free(t, WAIT_EXP, 0);
}

/*
 * Readers that hold each section for 30 us: the waiter cannot spin the
 * grace period out. Where waiters sleep (the host), they do, and the
 * last quiescent-state report (or the expedited root's) must wake them,
 * never before the readers are done.
 */
KTEST(rcu, waiters_sleep_until_the_last_report_wakes_them)
{
	unsigned long sleeps = rcu_wait_sleeps();

	replace_and_free(t, WAIT_SYNC, 30);
	replace_and_free(t, WAIT_EXP, 30);
#ifdef ARCH_HAS_FUTEX
	if (test_cpus() > 1)
		EXPECT_GT(t, rcu_wait_sleeps() - sleeps, 0);
#else
	EXPECT_EQ(t, rcu_wait_sleeps(), sleeps);
#endif
}

KTEST(rcu, call_rcu_frees_only_after_readers_finished)
{
	replace_and_free(t, WAIT_CALL, 0);
}

/* ---- callbacks: order, counts, barrier ------------------------------------ */

struct seq_cb {
	struct rcu_head rh;
	unsigned int cpu, seq;
};
static unsigned int last_seq[NR_CPUS];
static atomic_t cb_out_of_order, cb_invoked;

static void seq_cb_fn(struct rcu_head *h)
{
	struct seq_cb *c = container_of(h, struct seq_cb, rh);

	/* One invoker at a time per CPU list: plain accesses suffice. */
	if (c->seq != last_seq[c->cpu] + 1)
		atomic_inc(&cb_out_of_order);
	last_seq[c->cpu] = c->seq;
	atomic_inc(&cb_invoked);
	kfree(c);
}

static void call_role(unsigned int cpu, void *p)
{
	int *per_cpu = p;

	for (int i = 1; i <= *per_cpu; i++) {
		struct seq_cb *c = kmalloc(sizeof(*c));

		if (!c)
			continue;
		c->cpu = cpu;
		c->seq = (unsigned int)i;
		call_rcu(&c->rh, seq_cb_fn);
		rcu_quiescent_state();
		if ((i & 7) == 0)
			test_tick();
	}
	rcu_barrier();
}

KTEST(rcu, call_rcu_runs_each_cpus_callbacks_in_order_and_barrier_waits)
{
	int per_cpu = 300;
	long live = kmalloc_live_objects();

	memset(last_seq, 0, sizeof(last_seq));
	atomic_set(&cb_out_of_order, 0);
	atomic_set(&cb_invoked, 0);
	run_role(test_cpus(), call_role, &per_cpu);
	rcu_barrier();
	EXPECT_EQ(t, atomic_read(&cb_invoked), per_cpu * (int)test_cpus());
	EXPECT_EQ(t, atomic_read(&cb_out_of_order), 0);
	EXPECT_EQ(t, kmalloc_live_objects(), live);
}

KTEST(rcu, kfree_rcu_frees_everything_by_rcu_barrier)
{
	long live = kmalloc_live_objects();

	for (int i = 0; i < 100; i++) {
		struct obj *o = obj_new(OBJ_OK);

		if (o)
			kfree_rcu(o, rh);
	}
	rcu_barrier();
	EXPECT_EQ(t, kmalloc_live_objects(), live);
}

KTEST(rcu, polled_cookie_expires_after_a_full_grace_period)
{
	unsigned long cookie;

	/*
	 * Our own reader, begun before the cookie was taken, holds back the
	 * grace period the cookie needs (taken the other way round, a tick
	 * between the two could complete that grace period first).
	 */
	rcu_read_lock();
	cookie = start_poll_synchronize_rcu();
	EXPECT_FALSE(t, poll_state_synchronize_rcu(cookie));
	rcu_read_unlock();
	synchronize_rcu();
	EXPECT_TRUE(t, poll_state_synchronize_rcu(cookie));
	cond_synchronize_rcu(cookie);	/* must not wait */
}

/*
 * synchronize_rcu() waits for a full grace period that began after the
 * call: every cookie taken before the call has expired when it returns.
 * One short, it would return at the end of the grace period the call
 * found running (or the last one), which need not wait for a reader that
 * began meanwhile; rcutorture meets that only when such a reader holds
 * an object the writer removes before that grace period ends. On the
 * host nothing else steps grace periods: the check is exact.
 */
KTEST(rcu, synchronize_rcu_expires_every_cookie_taken_before)
{
	for (int i = 0; i < 4; i++) {
		unsigned long cookie;

		if (i & 1)
			start_poll_synchronize_rcu();	/* a grace period running at the call */
		cookie = get_state_synchronize_rcu();
		synchronize_rcu();
		EXPECT_TRUE(t, poll_state_synchronize_rcu(cookie));
	}
}

KTEST_DEBUG(rcu, debug_checks_catch_waiting_and_dereferencing_outside_a_reader)
{
	unsigned long before;
	struct obj *o;

	before = rcu_debug_warnings();
	printk("    (two warnings expected)\n");
	rcu_read_lock();
	might_sleep();		/* waiting inside a reader */
	rcu_read_unlock();
	EXPECT_EQ(t, rcu_debug_warnings(), before + 1);
	o = rcu_dereference(gp_obj);	/* outside any reader */
	(void)o;
	EXPECT_EQ(t, rcu_debug_warnings(), before + 2);
	rcu_read_lock();
	o = rcu_dereference(gp_obj);	/* fine */
	rcu_read_unlock();
	EXPECT_EQ(t, rcu_debug_warnings(), before + 2);
}

KTEST_DEBUG(rcu, seq_start_and_end_warn_when_out_of_state)
{
	unsigned long seq = RCU_SEQ_INIT, before = rcu_debug_warnings();

	printk("    (two warnings expected)\n");
	rcu_seq_start(&seq);
	EXPECT_EQ(t, rcu_seq_state(seq), 1);
	rcu_seq_end(&seq);
	EXPECT_EQ(t, rcu_seq_state(seq), 0);
	EXPECT_EQ(t, rcu_seq_ctr(seq), rcu_seq_ctr(RCU_SEQ_INIT) + 1);
	EXPECT_EQ(t, rcu_debug_warnings(), before);
	rcu_seq_end(&seq);		/* idle: nothing to end */
	EXPECT_EQ(t, rcu_debug_warnings(), before + 1);
	rcu_seq_start(&seq);
	rcu_seq_start(&seq);		/* already in progress */
	EXPECT_EQ(t, rcu_debug_warnings(), before + 2);
}

/*
 * Only where no CPU runs RCU's work behind the test's back: a kernel's
 * CPUs take ticks and may be mid-GP while a case rebuilds the tree.
 */
#ifdef ARCH_CPUS_RUN_ONLY_TESTS
KTEST(rcu, deep_trees_report_through_every_level)
{
	unsigned long root_before;

	rcu_barrier();
	synchronize_rcu();
	rcu_init_geometry(2, 2);	/* 8 CPUs: 4 leaves, 2, 1: 3 levels */
	EXPECT_EQ(t, rcu_tree_levels(), 3);
	EXPECT_EQ(t, rcu_tree_nodes(), 7);
	root_before = rcu_report_locks(0);
	replace_and_free(t, WAIT_SYNC, 0);
	replace_and_free(t, WAIT_EXP, 0);
	/* The root saw reports, and at most one per child per GP. */
	EXPECT_GT(t, rcu_report_locks(0), root_before);
	rcu_barrier();
	synchronize_rcu();
	rcu_init_geometry(RCU_FANOUT_LEAF, RCU_FANOUT);
	EXPECT_EQ(t, rcu_tree_levels(), 1);
}
#endif

/* ---- SRCU ------------------------------------------------------------------ */

DEFINE_STATIC_SRCU(test_srcu);
static int srcu_reader_in, srcu_writer_done, srcu_order_bad;

static void srcu_role(unsigned int cpu, void *p)
{
	if (cpu == 1) {
		int idx = srcu_read_lock(&test_srcu);

		smp_store_release(&srcu_reader_in, 1);
		/* A long reader: spans quiescent states of normal RCU. */
		for (int i = 0; i < 2000; i++) {
			rcu_quiescent_state();
			cpu_relax();
		}
		if (smp_load_acquire(&srcu_writer_done))
			WRITE_ONCE(srcu_order_bad, 1);
		srcu_read_unlock(&test_srcu, idx);
	} else if (cpu == 0) {
		while (!smp_load_acquire(&srcu_reader_in))
			cpu_relax();
		synchronize_srcu(&test_srcu);
		smp_store_release(&srcu_writer_done, 1);
	}
}

KTEST_SMP(srcu, synchronize_srcu_waits_for_a_reader_that_began_before, 2)
{
	srcu_reader_in = srcu_writer_done = srcu_order_bad = 0;
	run_role(2, srcu_role, NULL);
	EXPECT_EQ(t, READ_ONCE(srcu_order_bad), 0);
	EXPECT_EQ(t, READ_ONCE(srcu_writer_done), 1);
}

static atomic_t srcu_cbs;

static void srcu_count_cb(struct rcu_head *h)
{
	atomic_inc(&srcu_cbs);
	kfree(h);
}

static void srcu_call_role(unsigned int cpu, void *p)
{
	struct srcu_struct *ssp = p;

	for (int i = 0; i < 100; i++) {
		struct rcu_head *h = kmalloc(sizeof(*h));
		int idx = srcu_read_lock(ssp);

		srcu_read_unlock(ssp, idx);
		if (h)
			call_srcu(ssp, h, srcu_count_cb);
		else
			atomic_inc(&srcu_cbs);
		if ((i & 7) == 0)
			test_tick();
	}
	srcu_barrier(ssp);
}

KTEST(srcu, call_srcu_callbacks_all_run_by_srcu_barrier)
{
	struct srcu_struct ss;
	long live = kmalloc_live_objects();

	ASSERT_EQ(t, init_srcu_struct(&ss), 0);
	atomic_set(&srcu_cbs, 0);
	run_role(test_cpus(), srcu_call_role, &ss);
	srcu_barrier(&ss);
	EXPECT_EQ(t, atomic_read(&srcu_cbs), 100 * (int)test_cpus());
	EXPECT_GT(t, srcu_batches_completed(&ss), 0);
	cleanup_srcu_struct(&ss);
	EXPECT_EQ(t, kmalloc_live_objects(), live);
}

/* ---- the seqcount-validated rbtree lookup (seed 004) ------------------------ */

#include <rbtree.h>
#include <seqlock.h>
#include <spinlock.h>

#define RB_KEYS		256	/* even keys stay; odd keys come and go */
#define RB_MAGIC	0xfeedULL

struct rb_item {
	struct rb_node node;
	unsigned long key;
	uint64_t magic;
	struct rcu_head rh;
};

static struct rb_root rb_tree = RB_ROOT;
static DEFINE_SPINLOCK(rb_lock);
static seqcount_t rb_seq;
static atomic_long_t rb_misses, rb_wrong, rb_hits, rb_retries;

RB_DEFINE_ULONG_KEY(rb_item, struct rb_item, node, key)

static void rb_item_free(struct rcu_head *h)
{
	struct rb_item *it = container_of(h, struct rb_item, rh);

	WRITE_ONCE(it->magic, POISON_FREE64);
	kfree(it);
}

static bool rb_insert_key(unsigned long key)
{
	struct rb_item *it = kmalloc(sizeof(*it));
	unsigned long flags;
	struct rb_node *dup;

	if (!it)
		return false;
	it->key = key;
	it->magic = RB_MAGIC;
	spin_lock_irqsave(&rb_lock, flags);
	write_seqcount_begin(&rb_seq);
	dup = rb_find_add_rcu(&it->node, &rb_tree, rb_item_cmp);
	write_seqcount_end(&rb_seq);
	spin_unlock_irqrestore(&rb_lock, flags);
	if (dup)
		kfree(it);
	return !dup;
}

static void rb_erase_key(unsigned long key)
{
	unsigned long flags;
	struct rb_node *n;

	spin_lock_irqsave(&rb_lock, flags);
	n = rb_find(&key, &rb_tree, rb_item_key_cmp);
	if (n) {
		write_seqcount_begin(&rb_seq);
		rb_erase(n, &rb_tree);
		write_seqcount_end(&rb_seq);
	}
	spin_unlock_irqrestore(&rb_lock, flags);
	if (n)
		call_rcu(&rb_entry(n, struct rb_item, node)->rh, rb_item_free);
}

static void rb_role(unsigned int cpu, void *p)
{
	struct torture_random r;

	torture_random_init(&r, cpu + 1);
	if (cpu == 0) {
		/* Bounded by work: on at least until the readers got 64 hits (a
		 * loaded host may not run them during the first 4000). */
		for (int i = 0; i < 4000 || (atomic_long_read(&rb_hits) < 64 && i < 4000000 &&
					   test_cpus() > 1); i++) {
			unsigned long key = 2 * (torture_random(&r) % (RB_KEYS / 2)) + 1;

			if (!rb_insert_key(key))
				rb_erase_key(key);
			rcu_quiescent_state();
			if ((i & 15) == 0)
				test_tick();
		}
		smp_store_release(&test_stop, 1);
		return;
	}
	while (!smp_load_acquire(&test_stop)) {
		unsigned long key = torture_random(&r) % RB_KEYS;
		struct rb_node *n;
		unsigned int seq;

		rcu_read_lock();
		for (;;) {
			seq = read_seqcount_begin(&rb_seq);
			n = rb_find_rcu(&key, &rb_tree, rb_item_key_cmp);
			if (n || !read_seqcount_retry(&rb_seq, seq))
				break;
			atomic_long_inc(&rb_retries);
		}
		if (n) {
			struct rb_item *it = rb_entry(n, struct rb_item, node);

			/* A hit is always the right, live node. */
			if (it->key != key || READ_ONCE(it->magic) != RB_MAGIC)
				atomic_long_inc(&rb_wrong);
			else
				atomic_long_inc(&rb_hits);
		} else if (!(key & 1)) {
			atomic_long_inc(&rb_misses);	/* a permanent key missed */
		}
		rcu_read_unlock();
		rcu_quiescent_state();
	}
}

KTEST(rbtree, lockless_lookups_never_return_a_wrong_node_during_inserts_and_erases)
{
	long live = kmalloc_live_objects();
	struct rb_node *n;

	seqcount_init(&rb_seq);
	rb_tree = RB_ROOT;
	for (unsigned long k = 0; k < RB_KEYS; k += 2)
		ASSERT_TRUE(t, rb_insert_key(k));
	WRITE_ONCE(test_stop, 0);
	atomic_long_set(&rb_misses, 0);
	atomic_long_set(&rb_wrong, 0);
	atomic_long_set(&rb_hits, 0);
	atomic_long_set(&rb_retries, 0);
	run_role(test_cpus(), rb_role, NULL);
	EXPECT_EQ(t, atomic_long_read(&rb_wrong), 0);
	EXPECT_EQ(t, atomic_long_read(&rb_misses), 0);
	if (test_cpus() > 1)
		EXPECT_GT(t, atomic_long_read(&rb_hits), 0);
	while ((n = rb_first(&rb_tree))) {
		rb_erase(n, &rb_tree);
		call_rcu(&rb_entry(n, struct rb_item, node)->rh, rb_item_free);
	}
	rcu_barrier();
	EXPECT_EQ(t, kmalloc_live_objects(), live);
}
