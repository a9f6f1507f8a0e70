// SPDX-License-Identifier: MIT
/*
 * uprobes (seed 004), the mechanism: see uprobe.h for what it offers and
 * uprobe_wl.c for the workload that drives it.
 *
 * Registering a uprobe at (inode, offset) plants the architecture's
 * breakpoint instruction in a code object of the kernel's text (the
 * targets of include/uprobe_targets.h); every hit on it is a real
 * breakpoint exception, and handle_swbp() finds the uprobe by (inode,
 * offset), runs its consumer, emulates the displaced instruction and
 * returns. The modes differ in how the hit path finds and pins the
 * uprobe:
 *
 *  rwlock        rb-tree lookup under uprobes_treelock, then a reference
 *                (the "before": every hit on every CPU takes the lock);
 *  rcu-seqcount  lockless rb-tree lookup under rcu_read_lock(), validated
 *                by uprobes_seqcount (retry only when nothing was found
 *                and the tree changed), reference with
 *                refcount_inc_not_zero(); uprobes freed after a grace
 *                period (patch 04/10 as the review corrected it);
 *  srcu          the same lookup inside an SRCU read-side section that
 *                lasts until the hit is finished, no reference at all;
 *                unregister waits in synchronize_srcu() (patch 07/10);
 *  rcu-churn     rcu-seqcount's lookup and reference with the window
 *                between them widened: on a CPU's first hit of a call the
 *                hit path lingers (interrupts on, so an unregistration's
 *                IPI gets in) until the count drops to zero or
 *                UPROBE_CHURN_WINDOW_MS pass, and notes whether it did
 *                (the workload then checks the uprobe stays alive);
 *  rcu-racy      the review's version: found under RCU and referenced
 *                later by the caller with a plain increment
 *                (get_uprobe_racy()), which can take the count from 0
 *                back to 1 after the free was queued; freed uprobes are
 *                poisoned and kept so the use is caught.
 *
 * As in Linux, the breakpoint is handled with interrupts on when the
 * trapping code had them on (not on arm64: see its <asm/uprobe.h>): an
 * interrupt or IPI (the text poke of an unregistration) may come between
 * the lookup and the reference.
 *
 * What each architecture supplies. <asm/uprobe.h>: uprobe_insn_t (the
 * unit a breakpoint replaces); uprobe_breakpoint_insn();
 * uprobe_trap_addr(regs) (where the trap hit); uprobe_trap_is_ours(regs,
 * imm); uprobe_trap_irqs_on(regs); uprobe_insn_supported(first, addr)
 * (can the instruction at addr be emulated?); uprobe_emulate(regs, first,
 * addr) (execute it on regs and step past it). <asm/text_patch.h>:
 * TEXT_POKE_SIZE == sizeof(uprobe_insn_t). <asm/uprobe_target.h>: the
 * instructions workloads/uprobe/uprobe_targets.S builds the targets and
 * uprobe_site_offsets[] from.
 */
#include "uprobe.h"
#include <arch.h>
#include <atomic.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <races.h>
#include <rwlock.h>
#include <seqlock.h>
#include <smp.h>
#include <spinlock.h>
#include <srcu.h>
#include <traps.h>
#include <asm/ptrace.h>
#include <asm/text_patch.h>

_Static_assert(sizeof(uprobe_insn_t) == TEXT_POKE_SIZE,
	       "a breakpoint replaces one patchable unit");
/* A power-of-two kmalloc class, whose objects are aligned to their size:
 * the count's line is the object's second. */
_Static_assert(sizeof(struct uprobe) == 2 * CACHELINE_SIZE,
	       "struct uprobe is its read-mostly line and its count's line");

#define QUARANTINE_MAX	4096

/* ---- the targets: the one table of them ---- */

#define DECLARE_TARGET(n)						\
	unsigned long uprobe_target_##n(unsigned long x);		\
	extern const char uprobe_target_##n##_end[];
UPROBE_FOR_EACH_TARGET(DECLARE_TARGET)

static const struct uprobe_target {
	unsigned long (*fn)(unsigned long x);
	const char *end;
} uprobe_targets[UPROBE_NR_TARGETS] = {
#define TARGET_ENTRY(n)	{ uprobe_target_##n, uprobe_target_##n##_end },
	UPROBE_FOR_EACH_TARGET(TARGET_ENTRY)
};

extern const uint32_t uprobe_site_offsets[UPROBE_SITES];

static struct inode target_inodes[UPROBE_NR_TARGETS];

struct inode *uprobe_target_inode(unsigned int t)
{
	return &target_inodes[t];
}

unsigned long uprobe_target_call(unsigned int t, unsigned long x)
{
	return uprobe_targets[t].fn(x);
}

unsigned long uprobe_site_offset(unsigned int s)
{
	return uprobe_site_offsets[s];
}

/* ---- state ---- */

/*
 * The treelock on a line of its own: in rwlock mode every hit writes it,
 * and the c2c report should name it, not a read-mostly neighbour (the
 * tree's root, the seqcount and the mode are only read by hits).
 */
static rwlock_t uprobes_treelock ____cacheline_aligned =
	__RW_LOCK_UNLOCKED(uprobes_treelock);		/* guards uprobes_tree */
static struct rb_root uprobes_tree ____cacheline_aligned = RB_ROOT;
static seqcount_t uprobes_seqcount;		/* bumped by tree writers */
static DEFINE_SPINLOCK(uprobes_reg_lock);	/* one (un)registration at a time */
static struct srcu_struct uprobes_srcu ____cacheline_aligned;	/* not on the treelock's line */
static enum uprobe_mode uprobe_mode;
static bool handler_registered;
static bool srcu_live;			/* uprobes_srcu initialised, not cleaned up */
DEFINE_PER_CPU(struct uprobe_cpu, uprobe_cpu);

/* rcu-racy only: freed uprobes stay here, poisoned, until uprobes_exit(). */
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

/*
 * Lockless lookup: a miss is believed only if the tree did not change
 * meanwhile (a rotation can hide a node from a lockless walker; it can
 * never make it return a wrong one). The seqcount reads pair with the
 * write_seqcount_begin()/end() of uprobe_register()/unregister().
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

/* ---- lifetime ---- */

static void uprobe_free_rcu(struct rcu_head *head)
{
	struct uprobe *u = container_of(head, struct uprobe, rcu);

	ASSERT_EXCLUSIVE_END(u->ref);	/* put_uprobe()'s */
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

bool put_uprobe(struct uprobe *u)
{
	if (!refcount_dec_and_test(&u->ref))
		return true;
	/* At zero for good, until the free: a lookup may still read the count
	 * (and refuse u), nobody may write it (rcu-racy's late increment does). */
	ASSERT_EXCLUSIVE_WRITER_BEGIN_ZERO(u->ref);
	/* Only a resurrected uprobe (rcu-racy) can get here twice. */
	if (xchg(&u->free_queued, 1)) {
		ASSERT_EXCLUSIVE_END(u->ref);	/* its free is queued or done */
		return false;
	}
	call_rcu(&u->rcu, uprobe_free_rcu);
	return true;
}

void get_uprobe_racy(struct uprobe *u)
{
	refcount_set(&u->ref, refcount_read(&u->ref) + 1);
}

/* ---- registration ---- */

int uprobe_register(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc)
{
	uint8_t *addr = (uint8_t *)inode->code + offset;
	uprobe_insn_t brk = uprobe_breakpoint_insn(), insn;
	struct uprobe *u, *old;
	unsigned long flags;
	int err;

	if (offset >= inode->size || offset % TEXT_POKE_SIZE)
		return -EINVAL;
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
	/* Under uprobes_reg_lock, which every poke of a probe site holds:
	 * the instruction cannot change while it is saved. */
	insn = *(const uprobe_insn_t *)addr;
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

/* ---- the hit path ---- */

/*
 * Find and pin the uprobe at (inode, offset) as the mode does, run its
 * consumer and record the hit as active on this CPU. Interrupts as the
 * caller has them; no migration (no preemption here). NULL: no live
 * uprobe there (unregistered meanwhile, or freed memory met in rcu-racy).
 */
static struct uprobe *uprobe_hit(struct inode *inode, unsigned long offset)
{
	struct uprobe_cpu *uc = this_cpu_ptr(&uprobe_cpu);
	struct uprobe *u = NULL;
	bool raced = false;
	int idx = 0;

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
			uint64_t until = ktime_get_ns() + UPROBE_CHURN_WINDOW_MS * NSEC_PER_MSEC;

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
		 * reference taken later by the caller with a plain increment.
		 * The read-side section stays open until then (on this CPU:
		 * rcu_read_lock() is a per-CPU count).
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
		uc->misses++;
		return NULL;
	}
	u->consumer->handler(u->consumer);
	if (uc->nr_active < UPROBE_MAX_ACTIVE)
		uc->active[uc->nr_active++] = (struct active_hit){ u, idx, inode, offset, raced };
	return u;
}

void uprobe_hit_release(const struct active_hit *h)
{
	if (uprobe_mode == UP_SRCU)
		srcu_read_unlock(&uprobes_srcu, h->srcu_idx);
	else
		put_uprobe(h->uprobe);
}

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

bool uprobe_call_hit(const void *addr)
{
	unsigned long offset;
	struct inode *inode = inode_of(addr, &offset);

	/* What the CPU would fetch there: is there a breakpoint to hit? Probe
	 * sites are aligned units, which arch_text_poke() replaces whole. */
	if (!inode || offset % TEXT_POKE_SIZE ||
	    READ_ONCE(*(const uprobe_insn_t *)addr) != uprobe_breakpoint_insn())
		return false;
	return uprobe_hit(inode, offset) != NULL;
}

/*
 * handle_swbp: interrupts off, on the CPU that hit the breakpoint. The hit
 * path, then emulate the displaced instruction. A breakpoint with no
 * uprobe was just removed: execute what is there now.
 */
static bool handle_swbp(struct pt_regs *regs, uint32_t imm)
{
	uintptr_t addr = uprobe_trap_addr(regs);
	struct inode *inode;
	struct uprobe *u;
	unsigned long offset;
	bool irqs;

	if (!uprobe_trap_is_ours(regs, imm))
		return false;
	inode = inode_of((void *)addr, &offset);
	if (!inode)
		return false;
	/* Like Linux's handler: interrupts on if the trapping code had them. */
	irqs = uprobe_trap_irqs_on(regs);
	if (irqs)
		arch_irq_enable();
	u = uprobe_hit(inode, offset);
	if (u) {
		uprobe_emulate(regs, u->insn, (void *)addr);
	} else {
		/*
		 * Unregistered meanwhile: the original instruction is back in
		 * memory, but this CPU trapped on the breakpoint it fetched
		 * before. Execute what is there now, by emulation (only NOP and
		 * ADD sites are ever probed); if the breakpoint is still there,
		 * return and take the trap again.
		 */
		/* No lock: a poke may be replacing the unit now; it stores
		 * the aligned unit whole, so one load sees old or new. */
		uprobe_insn_t now = READ_ONCE(*(const uprobe_insn_t *)addr);

		if (now != uprobe_breakpoint_insn() && uprobe_insn_supported(now, (void *)addr))
			uprobe_emulate(regs, now, (void *)addr);
	}
	if (irqs)
		arch_irq_disable();
	return true;
}

/* ---- start and stop ---- */

int uprobes_init(enum uprobe_mode mode)
{
	for (unsigned int i = 0; i < UPROBE_NR_TARGETS; i++) {
		target_inodes[i].magic = INODE_MAGIC;
		target_inodes[i].i_ino = 100 + i;
		target_inodes[i].code = (const void *)uprobe_targets[i].fn;
		target_inodes[i].size = (uintptr_t)uprobe_targets[i].end -
					(uintptr_t)uprobe_targets[i].fn;
		refcount_set(&target_inodes[i].i_count, 1);
	}
	if (!handler_registered) {
		register_breakpoint_handler(handle_swbp);
		handler_registered = true;
	}
	uprobe_mode = mode;
	seqcount_init(&uprobes_seqcount);
	if (srcu_live)
		return 0;
	srcu_live = !init_srcu_struct(&uprobes_srcu);
	return srcu_live ? 0 : -ENOMEM;
}

void uprobes_exit(void)
{
	rcu_barrier();
	if (srcu_live)
		cleanup_srcu_struct(&uprobes_srcu);
	srcu_live = false;
	for (unsigned int i = 0; i < nr_quarantined; i++)
		kfree(quarantine[i]);
	nr_quarantined = 0;
}
