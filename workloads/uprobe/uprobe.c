// SPDX-License-Identifier: MIT
/*
 * uprobe (seed 004): breakpoints hit on every CPU while probes come and go.
 *
 * Registering a uprobe at (inode, offset) plants the architecture's
 * breakpoint instruction in a code object of the kernel's text; readers
 * call that code in a loop, every hit is a real breakpoint exception, and
 * handle_swbp() finds the uprobe by (inode, offset), runs its consumer,
 * emulates the displaced instruction and returns. The modes differ in how
 * handle_swbp() finds and pins the uprobe:
 *
 *  rwlock        rb-tree lookup under uprobes_treelock, then a reference
 *                (the "before": every hit on every CPU takes the lock);
 *  rcu-seqcount  lockless rb-tree lookup under rcu_read_lock(), validated
 *                by uprobes_seqcount (retry only when nothing was found
 *                and the tree changed), reference with
 *                refcount_inc_not_zero(); uprobes freed after a grace
 *                period (the "after");
 *  srcu          the same lookup inside an SRCU read-side section that
 *                lasts until the hit is finished, no reference at all;
 *                unregister waits in synchronize_srcu();
 *  rcu-churn     rcu-seqcount's lookup and reference, as a correctness
 *                test of them: the updaters unregister and re-register
 *                the sites the readers hit, continuously; on an op's
 *                first hit the handler lingers between lookup and
 *                reference (interrupts on, so an unregistration's IPI
 *                gets in) until the count drops to zero or
 *                CHURN_WINDOW_MS pass, and a hit that saw it drop holds
 *                its reference over a grace period and up to
 *                CHURN_HOLD_MS more, watching that the uprobe stays
 *                alive and the same. refcount_inc_not_zero() refuses
 *                such a uprobe; a plain increment resurrects it, and the
 *                hold sees it freed (poisoned) or reused;
 *  rcu-racy      the version from the review: a plain increment that can
 *                take the count from 0 back to 1 after the free was
 *                queued. The window is widened on purpose; the reader
 *                then uses a freed uprobe and the poisoning catches it.
 *
 * As in Linux, the breakpoint is handled with interrupts on when the
 * trapping code had them on: an interrupt or IPI (the text poke of an
 * unregistration) may come between the lookup and the reference.
 *
 * As in Linux, the reference taken at the breakpoint is held until the
 * displaced instruction has been dealt with: here the handler records
 * each hit as "active" and the reader finishes it (uses and releases the
 * uprobe) when the instrumented function returns.
 *
 * Lock order: uprobes_reg_lock, then uprobes_treelock.
 */
#include <arch.h>
#include <atomic.h>
#include <kernel.h>
#include <ktest.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <rbtree.h>
#include <rcupdate.h>
#include <refcount.h>
#include <rwlock.h>
#include <seqlock.h>
#include <smp.h>
#include <spinlock.h>
#include <srcu.h>
#include <traps.h>
#include <workload.h>
#include <asm/ptrace.h>
#include <asm/text_patch.h>
#include <asm/uprobe.h>
#include "../model.h"

/*
 * What each architecture supplies.
 *
 * <asm/uprobe.h>: uprobe_insn_t (the unit a breakpoint replaces);
 * uprobe_breakpoint_insn(); uprobe_trap_addr(regs) (where the trap hit);
 * uprobe_trap_is_ours(regs, imm); uprobe_insn_supported(first, addr) (can
 * the instruction at addr be emulated?); uprobe_emulate(regs, first, addr)
 * (execute it on regs and step past it). <asm/text_patch.h>:
 * TEXT_POKE_SIZE == sizeof(uprobe_insn_t).
 *
 * boot/<arch>/uprobe_targets.S: the instrumented code. UPROBE_NR_TARGETS
 * functions unsigned long f(unsigned long x) that return
 * x + UPROBE_TARGET_ADDS whether or not probes are planted, described by
 * uprobe_targets[] {function, size}, with UPROBE_SITES probe sites each
 * (NOP or ADD instructions) at uprobe_site_offsets[].
 */
#define UPROBE_NR_TARGETS	8
#define UPROBE_SITES		6
#define UPROBE_TARGET_ADDS	6

struct uprobe_target {
	unsigned long (*fn)(unsigned long x);
	uintptr_t size;
};
extern const struct uprobe_target uprobe_targets[UPROBE_NR_TARGETS];
extern const uint32_t uprobe_site_offsets[UPROBE_SITES];

_Static_assert(sizeof(uprobe_insn_t) == TEXT_POKE_SIZE,
	       "a breakpoint replaces one patchable unit");

#define UPROBE_MAGIC	0x7a5c0004u
#define MAX_ACTIVE	(UPROBE_TARGET_ADDS + 2)
#define RACY_WINDOW_US	50
#define RACY_HOLD_MS	50
#define RACY_WAIT_MS	50
#define QUARANTINE_MAX	4096
#define CHURN_WINDOW_MS	20
#define CHURN_HOLD_MS	20

enum uprobe_mode { UP_RWLOCK, UP_RCU_SEQCOUNT, UP_SRCU, UP_RCU_RACY, UP_RCU_CHURN };

struct uprobe_consumer {
	unsigned long hits;		/* bumped by the handler, per consumer */
};

struct uprobe {
	uint32_t magic;			/* UPROBE_MAGIC until freed */
	struct rb_node rb_node;		/* in uprobes_tree, under uprobes_treelock */
	refcount_t ref;
	int free_queued;		/* rcu-racy: set once the free is queued */
	struct rcu_head rcu;
	struct inode *inode;
	unsigned long offset;
	uprobe_insn_t insn;		/* the displaced instruction */
	struct uprobe_consumer *consumer;
};

/* A hit the handler started and the reader finishes (see above). */
struct active_hit {
	struct uprobe *uprobe;
	int srcu_idx;
	struct inode *inode;		/* what the hit found: the uprobe must stay it */
	unsigned long offset;
	bool raced;			/* rcu-churn: saw the count drop to zero */
};

struct uprobe_cpu {
	struct active_hit active[MAX_ACTIVE];
	unsigned int nr_active;
	/* rcu-racy: the resurrectable references this CPU holds, and since when. */
	struct uprobe *held[MAX_ACTIVE];
	unsigned int nr_held;
	uint64_t held_since;
	unsigned long hits, misses;
	unsigned long poisoned;		/* freed uprobes the handler met */
};

static struct inode target_inodes[UPROBE_NR_TARGETS];
static struct rb_root uprobes_tree = RB_ROOT;
static DEFINE_RWLOCK(uprobes_treelock);		/* guards uprobes_tree */
static seqcount_t uprobes_seqcount;		/* bumped by tree writers */
static DEFINE_SPINLOCK(uprobes_reg_lock);	/* one (un)registration at a time */
static struct srcu_struct uprobes_srcu;
static enum uprobe_mode uprobe_mode;
static bool handler_registered;
static DEFINE_PER_CPU(struct uprobe_cpu, uprobe_cpu);

/* rcu-racy only: freed uprobes stay here, poisoned, until teardown. */
static DEFINE_SPINLOCK(quarantine_lock);
static struct uprobe *quarantine[QUARANTINE_MAX];	/* guarded by quarantine_lock */
static unsigned int nr_quarantined;

/* ---- the tree ---- */

struct uprobe_key {
	const struct inode *inode;
	unsigned long offset;
};

static int uprobe_cmp(const struct inode *inode, unsigned long offset,
		      const struct uprobe *u)
{
	if (inode != u->inode)
		return inode < u->inode ? -1 : 1;
	if (offset != u->offset)
		return offset < u->offset ? -1 : 1;
	return 0;
}

static int uprobe_cmp_key(const void *key, const struct rb_node *n)
{
	const struct uprobe_key *k = key;

	return uprobe_cmp(k->inode, k->offset, rb_entry(n, struct uprobe, rb_node));
}

static int uprobe_cmp_node(struct rb_node *a, const struct rb_node *b)
{
	const struct uprobe *u = rb_entry(a, struct uprobe, rb_node);

	return uprobe_cmp(u->inode, u->offset, rb_entry(b, struct uprobe, rb_node));
}

/* Caller holds uprobes_treelock (or uprobes_reg_lock, which excludes writers). */
static struct uprobe *__find_uprobe(struct inode *inode, unsigned long offset)
{
	struct uprobe_key key = { inode, offset };

	return rb_entry_safe(rb_find(&key, &uprobes_tree, uprobe_cmp_key), struct uprobe, rb_node);
}

/* ---- lifetime ---- */

static void uprobe_free_rcu(struct rcu_head *head)
{
	struct uprobe *u = container_of(head, struct uprobe, rcu);

	if (uprobe_mode != UP_RCU_RACY) {
		kfree(u);
		return;
	}
	/* Poison like kfree does, but keep the memory: a resurrected
	 * reference must find poison, not someone else's object. */
	memset(u, POISON_FREE, sizeof(*u));
	spin_lock(&quarantine_lock);
	if (nr_quarantined < QUARANTINE_MAX)
		quarantine[nr_quarantined++] = u;
	spin_unlock(&quarantine_lock);
}

/* Drop a reference; returns false if the put found the uprobe already freed. */
static bool put_uprobe(struct uprobe *u)
{
	if (!refcount_dec_and_test(&u->ref))
		return true;
	/* Only a resurrected uprobe (rcu-racy) can get here twice. */
	if (xchg(&u->free_queued, 1))
		return false;
	call_rcu(&u->rcu, uprobe_free_rcu);
	return true;
}

/* The broken get from the review: a plain increment, 0 -> 1 possible. */
static void get_uprobe_racy(struct uprobe *u)
{
	refcount_set(&u->ref, refcount_read(&u->ref) + 1);
}

/* ---- registration (bad input gets an error code) ---- */

int uprobe_unregister(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc);

static struct inode *inode_of(const void *addr, unsigned long *offset)
{
	for (unsigned int i = 0; i < UPROBE_NR_TARGETS; i++) {
		uintptr_t start = (uintptr_t)target_inodes[i].code;

		if ((uintptr_t)addr >= start && (uintptr_t)addr < start + target_inodes[i].size) {
			*offset = (uintptr_t)addr - start;
			return &target_inodes[i];
		}
	}
	return NULL;
}

/*
 * Plant a uprobe at (inode, offset) with consumer. 0, or -EINVAL (offset
 * outside the code, misaligned, or an instruction that cannot be
 * emulated), -EEXIST (this consumer is already registered there), -EBUSY
 * (another consumer is), -ENOMEM. Thread context; may IPI.
 */
int uprobe_register(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc)
{
	uint8_t *addr = (uint8_t *)inode->code + offset;
	uprobe_insn_t brk = uprobe_breakpoint_insn(), insn;
	struct uprobe *u, *old;
	unsigned long flags;
	int err;

	if (offset >= inode->size || offset % TEXT_POKE_SIZE)
		return -EINVAL;
	memcpy(&insn, addr, sizeof(insn));
	u = kzalloc(sizeof(*u));
	if (!u)
		return -ENOMEM;
	spin_lock(&uprobes_reg_lock);
	old = __find_uprobe(inode, offset);
	if (old) {
		spin_unlock(&uprobes_reg_lock);
		kfree(u);
		return old->consumer == uc ? -EEXIST : -EBUSY;
	}
	if (!uprobe_insn_supported(insn, addr)) {
		spin_unlock(&uprobes_reg_lock);
		kfree(u);
		return -EINVAL;
	}
	u->magic = UPROBE_MAGIC;
	refcount_set(&u->ref, 1);	/* the tree's reference */
	u->inode = inode;
	u->offset = offset;
	u->insn = insn;
	u->consumer = uc;
	write_lock_irqsave(&uprobes_treelock, flags);
	write_seqcount_begin(&uprobes_seqcount);
	rb_find_add_rcu(&u->rb_node, &uprobes_tree, uprobe_cmp_node);	/* publishes u */
	write_seqcount_end(&uprobes_seqcount);
	write_unlock_irqrestore(&uprobes_treelock, flags);
	/* In the tree before the breakpoint exists: a hit always finds it. */
	err = arch_text_poke(addr, &brk, sizeof(brk));
	spin_unlock(&uprobes_reg_lock);
	if (err)
		uprobe_unregister(inode, offset, uc);
	return err;
}

/* Remove the uprobe at (inode, offset) registered by uc. 0 or -ENOENT. */
int uprobe_unregister(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc)
{
	struct uprobe *u;
	unsigned long flags;

	spin_lock(&uprobes_reg_lock);
	u = __find_uprobe(inode, offset);
	if (!u || u->consumer != uc) {
		spin_unlock(&uprobes_reg_lock);
		return -ENOENT;
	}
	/* Restore the instruction first; hits already trapping still find
	 * the uprobe, later ones never trap. */
	arch_text_poke((uint8_t *)inode->code + offset, &u->insn, sizeof(u->insn));
	write_lock_irqsave(&uprobes_treelock, flags);
	write_seqcount_begin(&uprobes_seqcount);
	rb_erase(&u->rb_node, &uprobes_tree);
	write_seqcount_end(&uprobes_seqcount);
	write_unlock_irqrestore(&uprobes_treelock, flags);
	spin_unlock(&uprobes_reg_lock);
	if (uprobe_mode == UP_SRCU) {
		/* Readers hold no reference: wait them out, then free. */
		synchronize_srcu(&uprobes_srcu);
		kfree(u);
		return 0;
	}
	put_uprobe(u);
	return 0;
}

/* ---- the breakpoint ---- */

/*
 * Lockless lookup: a miss is believed only if the tree did not change
 * meanwhile (a rotation can hide a node from a lockless walker; it can
 * never make it return a wrong one).
 */
static struct uprobe *find_uprobe_rcu(struct inode *inode, unsigned long offset)
{
	struct uprobe_key key = { inode, offset };
	struct rb_node *n;
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&uprobes_seqcount);
		n = rb_find_rcu(&key, &uprobes_tree, uprobe_cmp_key);
		if (n)
			return rb_entry(n, struct uprobe, rb_node);
	} while (read_seqcount_retry(&uprobes_seqcount, seq));
	return NULL;
}

/*
 * handle_swbp: interrupts off, on the CPU that hit the breakpoint. Find
 * and pin the uprobe, run its consumer, emulate the displaced instruction.
 * A breakpoint with no uprobe was just removed: return and re-execute.
 */
static bool handle_swbp(struct pt_regs *regs, uint32_t imm)
{
	struct uprobe_cpu *uc = this_cpu_ptr(&uprobe_cpu);
	uintptr_t addr = uprobe_trap_addr(regs);
	struct inode *inode;
	struct uprobe *u = NULL;
	unsigned long offset;
	int idx = 0;
	bool irqs, raced = false;

	if (!uprobe_trap_is_ours(regs, imm))
		return false;
	inode = inode_of((void *)addr, &offset);
	if (!inode)
		return false;
	/* Like Linux's handler: interrupts on if the trapping code had them. */
	irqs = uprobe_trap_irqs_on(regs);
	if (irqs)
		arch_irq_enable();

	switch (uprobe_mode) {
	case UP_RWLOCK:
		read_lock(&uprobes_treelock);
		u = __find_uprobe(inode, offset);
		if (u)
			refcount_inc(&u->ref);
		read_unlock(&uprobes_treelock);
		break;
	case UP_RCU_SEQCOUNT:
	case UP_RCU_CHURN:
		rcu_read_lock();
		u = find_uprobe_rcu(inode, offset);
		/* churn: let an unregistration drop the last reference here. */
		if (u && uprobe_mode == UP_RCU_CHURN && !uc->nr_active) {
			uint64_t until = ktime_get_ns() + CHURN_WINDOW_MS * NSEC_PER_MSEC;

			while (refcount_read(&u->ref) && ktime_get_ns() < until)
				cpu_relax();
			raced = !refcount_read(&u->ref);
		}
		if (u && !refcount_inc_not_zero(&u->ref))
			u = NULL;	/* being freed: as good as not found */
		rcu_read_unlock();
		break;
	case UP_SRCU:
		idx = srcu_read_lock(&uprobes_srcu);
		u = find_uprobe_rcu(inode, offset);
		if (!u)
			srcu_read_unlock(&uprobes_srcu, idx);
		break;
	case UP_RCU_RACY:
		/*
		 * The review's find_uprobe(): found under RCU, and the
		 * reference taken later with a plain increment. The read-side
		 * section stays open until finish_hits() takes that reference
		 * (on this CPU: rcu_read_lock() is a per-CPU count).
		 */
		rcu_read_lock();
		u = find_uprobe_rcu(inode, offset);
		if (!u)
			rcu_read_unlock();
		break;
	}

	if (u && READ_ONCE(u->magic) != UPROBE_MAGIC) {
		/* rcu-racy: the "reference" came too late, u is freed memory. */
		uc->poisoned++;
		u = NULL;
	}
	if (!u) {
		/*
		 * Unregistered meanwhile: the original instruction is back in
		 * memory, but this CPU trapped on the breakpoint it fetched
		 * before. Execute what is there now, by emulation (only NOP and
		 * ADD sites are ever probed); if the breakpoint is still there,
		 * return and take the trap again.
		 */
		uprobe_insn_t now;

		memcpy(&now, (const void *)addr, sizeof(now));
		if (now != uprobe_breakpoint_insn() && uprobe_insn_supported(now, (void *)addr))
			uprobe_emulate(regs, now, (void *)addr);
		uc->misses++;
		goto out;
	}
	u->consumer->hits++;	/* the consumer's handler (racy counter: statistics only) */
	uprobe_emulate(regs, u->insn, (void *)addr);
	if (uc->nr_active < MAX_ACTIVE)
		uc->active[uc->nr_active++] = (struct active_hit){ u, idx, inode, offset, raced };
	uc->hits++;
out:
	if (irqs)
		arch_irq_disable();
	return true;
}

/* ---- the workload ---- */

static const struct wl_mode uprobe_modes[] = {
	{ "rwlock", "before", false, 1 },
	{ "rcu-seqcount", "after", false, 1 },
	{ "srcu", "also", false, 1 },
	{ "rcu-racy", "also", true, 2 },	/* the race needs a second CPU */
	{ "rcu-churn", "also", false, 2 },	/* an updater beside the readers */
};

#define NR_SITES		(UPROBE_NR_TARGETS * UPROBE_SITES)

struct uprobe_state {
	struct uprobe_consumer consumer;
	bool registered[NR_SITES];	/* site i is owned by updater i % nr_owners */
	unsigned int nr_owners;
	unsigned long registrations;
};

static void site_of(unsigned int site, struct inode **inode, unsigned long *offset)
{
	*inode = &target_inodes[site / UPROBE_SITES];
	*offset = uprobe_site_offsets[site % UPROBE_SITES];
}

/*
 * rcu-racy: hold the resurrected-or-not references for a while, the way
 * a long single-step would, checking the uprobes are still alive; a free
 * queued before the plain increment completes meanwhile and poisons them.
 */
static void racy_check_held(struct wl_run *run, struct wl_cpu *c, struct uprobe_cpu *uc,
			    bool release)
{
	for (unsigned int i = 0; i < uc->nr_held; i++) {
		struct uprobe *u = uc->held[i];

		if (!u)
			continue;
		if (READ_ONCE(u->magic) != UPROBE_MAGIC) {
			wl_error(run, c, "uprobe used after it was freed (poison found)");
			uc->held[i] = NULL;	/* freed: nothing of ours left to drop */
		} else if (release) {
			if (!put_uprobe(u))
				wl_error(run, c, "uprobe resurrected after its free was queued");
			uc->held[i] = NULL;
		}
	}
	if (release)
		uc->nr_held = 0;
}

/*
 * rcu-churn: a hit that saw its uprobe's count drop to zero and still got
 * a reference holds it over a grace period and up to CHURN_HOLD_MS more,
 * checking that the uprobe stays alive and the one the hit found (a
 * reference keeps it from being freed, and so from being reused); a free
 * queued before the reference completes meanwhile. Other hits check once.
 * False if it was freed (poison) or reused.
 */
static bool churn_check(struct wl_run *run, struct wl_cpu *c, const struct active_hit *h)
{
	const struct uprobe *u = h->uprobe;

	if (READ_ONCE(u->magic) != UPROBE_MAGIC) {
		wl_error(run, c, "uprobe freed while a hit held a reference (poison found)");
		return false;
	}
	if (READ_ONCE(u->inode) != h->inode || READ_ONCE(u->offset) != h->offset) {
		wl_error(run, c, "uprobe reused while a hit held a reference");
		return false;
	}
	return true;
}

static bool churn_hold(struct wl_run *run, struct wl_cpu *c, const struct active_hit *h)
{
	uint64_t until;

	if (!h->raced)
		return churn_check(run, c, h);
	synchronize_rcu();
	until = ktime_get_ns() + CHURN_HOLD_MS * NSEC_PER_MSEC;
	do {
		if (!churn_check(run, c, h))
			return false;
		udelay(10);
	} while (ktime_get_ns() < until);
	return true;
}

/* Finish the hits the handler started: use each uprobe, then let go. */
static void finish_hits(struct wl_run *run, struct wl_cpu *c, struct uprobe_cpu *uc)
{
	for (; uc->poisoned; uc->poisoned--)
		wl_error(run, c, "breakpoint handler met a freed uprobe (poison found)");
	if (uprobe_mode == UP_RCU_RACY) {
		uint64_t now = ktime_get_ns();

		racy_check_held(run, c, uc, uc->nr_held &&
				now - uc->held_since > RACY_HOLD_MS * NSEC_PER_MSEC);
		for (unsigned int i = 0; i < uc->nr_active; i++) {
			struct uprobe *u = uc->active[i].uprobe;
			uint64_t until = ktime_get_ns() + RACY_WAIT_MS * NSEC_PER_MSEC;
			bool resurrected;

			/*
			 * Widen the window on purpose: for the first hit, wait (a
			 * bounded time) for an unregister to drop what it thinks
			 * is the last reference; then increment anyway.
			 */
			if (i == 0)
				while (refcount_read(&u->ref) && ktime_get_ns() < until)
					cpu_relax();
			else
				udelay(RACY_WINDOW_US);
			resurrected = !refcount_read(&u->ref);
			get_uprobe_racy(u);
			rcu_read_unlock();		/* opened by the handler */
			if (!resurrected) {
				put_uprobe(u);	/* the count was live: no harm done */
				continue;
			}
			/* Hold it like a long single-step would: the free that was
			 * already queued completes meanwhile (racy_check_held). */
			if (!uc->nr_held)
				uc->held_since = now;
			if (uc->nr_held < MAX_ACTIVE)
				uc->held[uc->nr_held++] = u;
			else if (!put_uprobe(u))
				wl_error(run, c, "uprobe resurrected after its free was queued");
		}
		uc->nr_active = 0;
		return;
	}
	for (unsigned int i = 0; i < uc->nr_active; i++) {
		struct uprobe *u = uc->active[i].uprobe;

		if (uprobe_mode == UP_RCU_CHURN && !churn_hold(run, c, &uc->active[i]))
			continue;	/* freed under us: nothing of ours to drop */
		if (uprobe_mode == UP_SRCU)
			srcu_read_unlock(&uprobes_srcu, uc->active[i].srcu_idx);
		else
			put_uprobe(u);
	}
	uc->nr_active = 0;
}

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct uprobe_cpu *uc = this_cpu_ptr(&uprobe_cpu);
	/* rcu-racy: everyone on one code object, so the race is frequent. */
	unsigned int t = uprobe_mode == UP_RCU_RACY || uprobe_mode == UP_RCU_CHURN ? 0 :
			 torture_random(&c->rnd) % UPROBE_NR_TARGETS;
	unsigned long x = torture_random(&c->rnd);

	if (uprobe_targets[t].fn(x) != x + UPROBE_TARGET_ADDS)
		wl_error(run, c, "displaced instruction emulated wrongly");
	finish_hits(run, c, uc);
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct uprobe_state *st = run->priv;
	unsigned int owner = c->updater ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	unsigned int site = torture_random(&c->rnd) % NR_SITES;
	struct inode *inode;
	unsigned long offset;
	int err;

	site -= site % st->nr_owners;
	site += owner;
	/* rcu-racy: toggle the first sites of target 0, the ones readers
	 * are waiting on (see finish_hits). */
	if (uprobe_mode == UP_RCU_RACY || uprobe_mode == UP_RCU_CHURN)
		site = owner % UPROBE_SITES;
	if (site >= NR_SITES)
		return;
	site_of(site, &inode, &offset);
	if (st->registered[site])
		err = uprobe_unregister(inode, offset, &st->consumer);
	else
		err = uprobe_register(inode, offset, &st->consumer);
	if (err == -ENOMEM) {
		c->misses++;	/* registration could not allocate: try again later */
		return;
	}
	if (err) {
		wl_error(run, c, "uprobe (un)registration failed");
		return;
	}
	st->registered[site] = !st->registered[site];
	st->registrations++;
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? 2 : 1;
}

static void init_inodes(void)
{
	for (unsigned int i = 0; i < UPROBE_NR_TARGETS; i++) {
		target_inodes[i].magic = INODE_MAGIC;
		target_inodes[i].i_ino = 100 + i;
		target_inodes[i].code = (const void *)uprobe_targets[i].fn;
		target_inodes[i].size = uprobe_targets[i].size;
		refcount_set(&target_inodes[i].i_count, 1);
	}
	if (!handler_registered) {
		register_breakpoint_handler(handle_swbp);
		handler_registered = true;
	}
}

static int setup(struct wl_run *run)
{
	struct uprobe_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	init_inodes();
	uprobe_mode = wl_mode_is(run, "rwlock") ? UP_RWLOCK :
		      wl_mode_is(run, "rcu-seqcount") ? UP_RCU_SEQCOUNT :
		      wl_mode_is(run, "srcu") ? UP_SRCU :
		      wl_mode_is(run, "rcu-churn") ? UP_RCU_CHURN : UP_RCU_RACY;
	seqcount_init(&uprobes_seqcount);
	err = init_srcu_struct(&uprobes_srcu);
	if (err)
		return err;
	st->nr_owners = max(run->nr_updaters, 1u);
	/* Start with every other site probed. */
	for (unsigned int s = 0; s < NR_SITES; s += 2) {
		struct inode *inode;
		unsigned long offset;

		site_of(s, &inode, &offset);
		err = uprobe_register(inode, offset, &st->consumer);
		if (err)
			return err;
		st->registered[s] = true;
	}
	return 0;
}

static void teardown(struct wl_run *run)
{
	struct uprobe_state *st = run->priv;
	unsigned long hits = 0, misses = 0;

	for (unsigned int cpu = 0; cpu < run->ncpus; cpu++) {
		struct uprobe_cpu *uc = per_cpu_ptr(&uprobe_cpu, cpu);

		hits += uc->hits;
		misses += uc->misses;
		uc->hits = uc->misses = 0;
	}
	snprintf(run->result_keys, sizeof(run->result_keys), " hits=%lu stale_traps=%lu",
		 hits, misses);

	/* References the rcu-racy readers still hold (their CPUs are idle now). */
	for (unsigned int cpu = 0; cpu < run->ncpus; cpu++) {
		struct uprobe_cpu *uc = per_cpu_ptr(&uprobe_cpu, cpu);

		for (unsigned int i = 0; i < uc->nr_held; i++)
			if (uc->held[i] && READ_ONCE(uc->held[i]->magic) == UPROBE_MAGIC)
				put_uprobe(uc->held[i]);
		uc->nr_held = 0;
	}

	if (st) {
		for (unsigned int s = 0; s < NR_SITES; s++) {
			struct inode *inode;
			unsigned long offset;

			if (!st->registered[s])
				continue;
			site_of(s, &inode, &offset);
			uprobe_unregister(inode, offset, &st->consumer);
		}
		kfree(st);
		run->priv = NULL;
	}
	rcu_barrier();
	cleanup_srcu_struct(&uprobes_srcu);
	for (unsigned int i = 0; i < nr_quarantined; i++)
		kfree(quarantine[i]);
	nr_quarantined = 0;
}

static const struct workload uprobe_wl = {
	.name = "uprobe",
	.seed = "004",
	.modes = uprobe_modes,
	.nr_modes = ARRAY_SIZE(uprobe_modes),
	.nr_updaters = nr_updaters,
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(uprobe_wl, "uprobe", "seed 004: breakpoint hits, rwlock vs RCU+seqcount lookup");

/* ---- bad input ---- */

KTEST(uprobe, register_refuses_bad_offsets_and_duplicates)
{
	struct uprobe_consumer a = { 0 }, b = { 0 };
	struct inode *inode;

	init_inodes();
	uprobe_mode = UP_RCU_SEQCOUNT;
	inode = &target_inodes[0];
	EXPECT_EQ(t, uprobe_register(inode, inode->size, &a), -EINVAL);
	EXPECT_EQ(t, uprobe_register(inode, inode->size + 4096, &a), -EINVAL);
	/* Misaligned where the ISA has alignment, else mid-instruction. */
	EXPECT_EQ(t, uprobe_register(inode, uprobe_site_offsets[1] + 2, &a), -EINVAL);
	/* The last instruction returns: it cannot be emulated. */
	EXPECT_EQ(t, uprobe_register(inode, inode->size - 1 - (inode->size - 1) % TEXT_POKE_SIZE, &a),
		  -EINVAL);
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offsets[0], &a), 0);
	EXPECT_EQ(t, uprobe_register(inode, uprobe_site_offsets[0], &a), -EEXIST);
	EXPECT_EQ(t, uprobe_register(inode, uprobe_site_offsets[0], &b), -EBUSY);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offsets[0], &b), -ENOENT);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offsets[0], &a), 0);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offsets[0], &a), -ENOENT);
	rcu_barrier();
}

KTEST(uprobe, breakpoint_hit_runs_consumer_and_emulates)
{
	struct uprobe_consumer a = { 0 };
	struct uprobe_cpu *uc;
	struct inode *inode;
	unsigned long flags;

	init_inodes();
	uprobe_mode = UP_RCU_SEQCOUNT;
	inode = &target_inodes[1];
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offsets[0], &a), 0);	/* NOP */
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offsets[1], &a), 0);	/* ADD #1 */
	flags = arch_irq_save();	/* stay on this CPU's hit list */
	EXPECT_EQ(t, uprobe_targets[1].fn(10), 10 + UPROBE_TARGET_ADDS);
	uc = this_cpu_ptr(&uprobe_cpu);
	EXPECT_EQ(t, uc->nr_active, 2);
	for (unsigned int i = 0; i < uc->nr_active; i++)
		put_uprobe(uc->active[i].uprobe);
	uc->nr_active = 0;
	uc->hits = 0;
	arch_irq_restore(flags);
	EXPECT_EQ(t, a.hits, 2);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offsets[0], &a), 0);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offsets[1], &a), 0);
	EXPECT_EQ(t, uprobe_targets[1].fn(10), 10 + UPROBE_TARGET_ADDS);
	EXPECT_EQ(t, a.hits, 2);
	rcu_barrier();
}
