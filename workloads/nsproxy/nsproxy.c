// SPDX-License-Identifier: MIT
/*
 * Namespaces and nsproxy (see workloads/model.h), with the three ways of
 * letting another task read task->nsproxy that the seed's thread weighs:
 *
 *  task-lock   remote readers and the switch take task_lock(), the lock
 *		the task shares with unrelated users (Linux since 728dba3a39c);
 *  tagged-ptr  the RFC: a remote reader sets bit 0 of task->nsproxy to
 *		announce itself (xchg) and takes task_lock; the switch
 *		cmpxchg's the untagged pointer and falls back to task_lock
 *		when a reader is present. NACKed because the task's own
 *		unlocked reads of its nsproxy pointer then see the tag (and
 *		the load-then-xchg that sets it can undo a switch). We keep
 *		the protocol as proposed and only make it survivable:
 *		everything freed is poisoned and quarantined instead of
 *		reused, readers check magic numbers around loading a
 *		pointer, and each anomaly is counted;
 *  rcu		the safe lock-free design: nsproxy and namespaces are freed
 *		after a grace period, remote readers rcu_dereference() the
 *		pointer and take the namespace with refcount_inc_not_zero(),
 *		the switch is a plain rcu_assign_pointer() - no lock shared
 *		with anyone;
 *  rcu-sync	the design 728dba3a39c replaced: the same readers, but the
 *		switch waits in synchronize_rcu() and then frees at once -
 *		the "1+jiffy delay" of the NACK, in every setns;
 *  rcu-nogp	a bug on purpose (the lifetime-race test): the same readers,
 *		but the old nsproxy is freed - poisoned and quarantined, so a
 *		reader reads poison rather than reused memory - at once, with
 *		no grace period. The readers' magic checks must catch it.
 *
 * In every mode only the task writes task->nsproxy (single writer).
 */
#include "../model.h"
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <percpu.h>
#include <races.h>
#include <smp.h>

#define NSPROXY_READER	1ul	/* tagged-ptr: a remote reader is present */

static enum nsproxy_mode ns_mode = NSPROXY_RCU;
static void (*reader_window)(struct task_struct *t);
static DEFINE_PER_CPU(unsigned long, ns_anomalies);
static DEFINE_SPINLOCK(quarantine_lock);
/* guarded by quarantine_lock: poisoned objects, linked by quarantine_next */
static struct ns_common *ns_quarantine;
static struct nsproxy *nsproxy_quarantine;

void nsproxy_set_mode(enum nsproxy_mode mode)
{
	WRITE_ONCE(ns_mode, mode);
}

void nsproxy_set_reader_window(void (*fn)(struct task_struct *t))
{
	WRITE_ONCE(reader_window, fn);
}

static void anomaly(void)
{
	this_cpu_ptr(&ns_anomalies)[0]++;
}

unsigned long nsproxy_cpu_anomalies(void)
{
	return *this_cpu_ptr(&ns_anomalies);
}

unsigned long nsproxy_anomalies(void)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		n += *per_cpu_ptr(&ns_anomalies, cpu);
	return n;
}

/* ---- freeing: at once, after a grace period, or into quarantine ---- */

/*
 * Tagged-ptr mode: poison the object but keep the memory, so a use after
 * free reads poison instead of another object. Runs after a grace
 * period, like a real free would.
 */
static void ns_quarantine_rcu(struct rcu_head *head)
{
	struct ns_common *ns = container_of(head, struct ns_common, rcu);

	memset(ns, POISON_FREE, offsetof(struct ns_common, quarantine_next));
	spin_lock(&quarantine_lock);
	ns->quarantine_next = ns_quarantine;
	ns_quarantine = ns;
	spin_unlock(&quarantine_lock);
}

/*
 * An nsproxy's poison: its magic first, then the rest (smp_wmb), so that
 * a reader that loaded ns[] and then still finds the magic valid
 * (nsproxy_ns_checked()'s smp_rmb, which this pairs with) loaded a real
 * namespace pointer, never poison. Tagged-ptr's readers and owners can
 * reach an nsproxy the tick poisons under them: a reader's xchg puts a
 * dropped pointer back into the task after its grace period began.
 */
static void nsproxy_quarantine_rcu(struct rcu_head *head)
{
	struct nsproxy *nsp = container_of(head, struct nsproxy, rcu);
	unsigned long flags;

	WRITE_ONCE(nsp->magic, 0);
	smp_wmb();
	memset(nsp, POISON_FREE, offsetof(struct nsproxy, quarantine_next));
	/* irqsave: rcu-nogp calls this from thread context too. */
	spin_lock_irqsave(&quarantine_lock, flags);
	nsp->quarantine_next = nsproxy_quarantine;
	nsproxy_quarantine = nsp;
	spin_unlock_irqrestore(&quarantine_lock, flags);
}

/*
 * The RCU callbacks above run from the tick, in interrupt context: the
 * lists are taken with interrupts masked, and freed outside the lock.
 */
void nsproxy_release_quarantine(void)
{
	struct ns_common *ns;
	struct nsproxy *nsp;
	unsigned long flags;

	spin_lock_irqsave(&quarantine_lock, flags);
	ns = ns_quarantine;
	nsp = nsproxy_quarantine;
	ns_quarantine = NULL;
	nsproxy_quarantine = NULL;
	spin_unlock_irqrestore(&quarantine_lock, flags);
	while (ns) {
		struct ns_common *next = ns->quarantine_next;

		kfree(ns);
		ns = next;
	}
	while (nsp) {
		struct nsproxy *next = nsp->quarantine_next;

		kfree(nsp);
		nsp = next;
	}
}

/* ---- namespaces ---- */

struct ns_common *ns_alloc(enum ns_kind kind, unsigned int inum)
{
	struct ns_common *ns = kzalloc(sizeof(*ns));

	if (!ns)
		return NULL;
	ns->magic = NS_MAGIC;
	ns->kind = kind;
	ns->inum = inum;
	refcount_set(&ns->count, 1);
	return ns;
}

void get_ns(struct ns_common *ns)
{
	refcount_inc(&ns->count);
}

void put_ns(struct ns_common *ns)
{
	if (!refcount_dec_and_test(&ns->count))
		return;
	switch (READ_ONCE(ns_mode)) {
	case NSPROXY_TASK_LOCK:
		kfree(ns);	/* readers hold a reference or task_lock */
		break;
	case NSPROXY_TAGGED_PTR:
		call_rcu(&ns->rcu, ns_quarantine_rcu);
		break;
	case NSPROXY_RCU:
	case NSPROXY_RCU_NOGP:	/* namespaces are not what rcu-nogp gets wrong */
		/* RCU readers may still be about to try refcount_inc_not_zero(). */
		kfree_rcu(ns, rcu);
		break;
	case NSPROXY_RCU_SYNC:
		/* The nsproxy that held it was freed after synchronize_rcu(). */
		kfree(ns);
		break;
	}
}

/* ---- nsproxy ---- */

struct nsproxy *create_nsproxy(const struct nsproxy *from, enum ns_kind kind,
			       struct ns_common *ns)
{
	struct nsproxy *nsp = kzalloc(sizeof(*nsp));

	if (!nsp)
		return NULL;
	nsp->magic = NSPROXY_MAGIC;
	refcount_set(&nsp->count, 1);
	for (unsigned int k = 0; k < NS_NR_KINDS; k++) {
		nsp->ns[k] = k == kind && ns ? ns : from ? from->ns[k] : NULL;
		if (nsp->ns[k])
			get_ns(nsp->ns[k]);
	}
	return nsp;
}

static void nsproxy_rcu_free(struct rcu_head *head)
{
	kfree(container_of(head, struct nsproxy, rcu));
}

void put_nsproxy(struct nsproxy *nsp)
{
	if (!nsp || !refcount_dec_and_test(&nsp->count))
		return;
	for (unsigned int k = 0; k < NS_NR_KINDS; k++)
		if (nsp->ns[k])
			put_ns(nsp->ns[k]);
	switch (READ_ONCE(ns_mode)) {
	case NSPROXY_TASK_LOCK:
		kfree(nsp);	/* remote readers only look under task_lock */
		break;
	case NSPROXY_TAGGED_PTR:
		call_rcu(&nsp->rcu, nsproxy_quarantine_rcu);
		break;
	case NSPROXY_RCU:
		/* A remote reader may hold it under rcu_read_lock(). */
		call_rcu(&nsp->rcu, nsproxy_rcu_free);
		break;
	case NSPROXY_RCU_SYNC:
		/* switch_task_namespaces() waited for a grace period already. */
		kfree(nsp);
		break;
	case NSPROXY_RCU_NOGP:
		/* The bug: no grace period. */
		nsproxy_quarantine_rcu(&nsp->rcu);
		break;
	}
}

/*
 * nsp's namespace of kind, read from an nsproxy that may be being freed
 * (tagged-ptr, rcu-nogp): NULL unless nsp was unpoisoned both before and
 * after the load, so what it returns is never poison. Caller in an RCU
 * read-side section (the poison waits for a grace period, or quarantine
 * keeps the memory).
 */
static struct ns_common *nsproxy_ns_checked(const struct nsproxy *nsp, enum ns_kind kind)
{
	struct ns_common *ns;

	if (READ_ONCE(nsp->magic) != NSPROXY_MAGIC)
		return NULL;
	ns = READ_ONCE(nsp->ns[kind]);
	/* ns[] before the magic again: pairs with nsproxy_quarantine_rcu()'s smp_wmb. */
	smp_rmb();
	return READ_ONCE(nsp->magic) == NSPROXY_MAGIC ? ns : NULL;
}

static struct nsproxy *untag(struct nsproxy *p)
{
	return (struct nsproxy *)((uintptr_t)p & ~NSPROXY_READER);
}

static bool tagged(struct nsproxy *p)
{
	return (uintptr_t)p & NSPROXY_READER;
}

enum own_ns task_own_ns(struct task_struct *t, enum ns_kind kind, struct ns_common **ns)
{
	struct nsproxy *nsp = READ_ONCE(t->nsproxy);	/* only t itself stores it untagged */

	if (tagged(nsp))
		return OWN_NS_TAGGED;
	*ns = nsproxy_ns_checked(nsp, kind);
	return *ns ? OWN_NS_OK : OWN_NS_FREED;
}

/* ---- the switch (setns) ---- */

void switch_task_namespaces(struct task_struct *t, struct nsproxy *new)
{
	struct nsproxy *old, *cur, *seen;

	/* The single writer (tagged-ptr's readers break it with their xchg). */
	ASSERT_EXCLUSIVE_WRITER(t->nsproxy);
	switch (READ_ONCE(ns_mode)) {
	case NSPROXY_TASK_LOCK:
		task_lock(t);
		old = t->nsproxy;
		/* The owner reads its pointer unlocked: a single, untorn store. */
		WRITE_ONCE(t->nsproxy, new);
		task_unlock(t);
		break;
	case NSPROXY_TAGGED_PTR:
		/*
		 * The RFC's fast path: succeeds only while no reader's tag is
		 * set. Full barrier (cmpxchg) pairs with the readers' xchg.
		 */
		cur = untag(READ_ONCE(t->nsproxy));
		seen = cmpxchg(&t->nsproxy, cur, new);
		if (seen != cur) {
			task_lock(t);
			seen = READ_ONCE(t->nsproxy);
			WRITE_ONCE(t->nsproxy, new);
			task_unlock(t);
		}
		/* The RFC would put the tagged pointer; we survive it. */
		if (tagged(seen))
			anomaly();
		/*
		 * A reader's load-then-xchg put back one we had replaced and
		 * dropped: the RFC would drop it again (a shared one, such as
		 * every task's first, would then be freed under its other
		 * users). We drop the one we hold.
		 */
		if (untag(seen) != t->nsproxy_owned)
			anomaly();
		old = t->nsproxy_owned;
		break;
	default:
		old = rcu_dereference_protected(t->nsproxy, 1);	/* only we write it */
		/* Release: the new nsproxy is initialised before it is seen;
		 * pairs with rcu_dereference() in task_get_ns(). */
		rcu_assign_pointer(t->nsproxy, new);
		/* rcu-sync: every reader that may have seen old is gone after this. */
		if (old && READ_ONCE(ns_mode) == NSPROXY_RCU_SYNC)
			synchronize_rcu();
		break;
	}
	t->nsproxy_owned = new;
	put_nsproxy(old);
}

/* ---- remote readers ---- */

/*
 * Tagged-ptr mode's reader, as proposed, plus the checks that keep a
 * test kernel alive when it reads what the protocol let be freed.
 */
static struct ns_common *task_get_ns_tagged(struct task_struct *t, enum ns_kind kind)
{
	struct ns_common *ns = NULL;
	struct nsproxy *nsp;

	/* set_reader_nsproxy(): load, then xchg - not one atomic step. */
	(void)xchg(&t->nsproxy, (struct nsproxy *)((uintptr_t)READ_ONCE(t->nsproxy) |
						   NSPROXY_READER));
	task_lock(t);
	rcu_read_lock();	/* ours, not the RFC's: keeps quarantine poison readable */
	/*
	 * Pairs with the switch's cmpxchg (a full barrier) or its store
	 * under task_lock: the nsproxy is initialised before we look in it.
	 */
	nsp = untag(rcu_dereference(t->nsproxy));
	if (nsp) {
		ns = nsproxy_ns_checked(nsp, kind);
		if (!ns) {
			anomaly();	/* the xchg above resurrected a freed nsproxy */
		} else if (READ_ONCE(ns->magic) != NS_MAGIC || !refcount_inc_not_zero(&ns->count)) {
			anomaly();
			ns = NULL;
		}
	}
	rcu_read_unlock();
	task_unlock(t);
	if (READ_ONCE(reader_window))
		reader_window(t);	/* the task runs now (tests; see model.h) */
	/* clear_reader_nsproxy(): the same load-then-xchg. */
	(void)xchg(&t->nsproxy, untag(READ_ONCE(t->nsproxy)));
	return ns;
}

struct ns_common *task_get_ns(struct task_struct *t, enum ns_kind kind)
{
	struct ns_common *ns = NULL;
	struct nsproxy *nsp;

	switch (READ_ONCE(ns_mode)) {
	case NSPROXY_TASK_LOCK:
		task_lock(t);
		nsp = t->nsproxy;
		if (nsp) {
			/* The task's reference on nsp keeps ns alive while we hold the lock. */
			ns = nsp->ns[kind];
			get_ns(ns);
		}
		task_unlock(t);
		return ns;
	case NSPROXY_TAGGED_PTR:
		return task_get_ns_tagged(t, kind);
	default:
		for (;;) {
			rcu_read_lock();
			/* Pairs with rcu_assign_pointer() in switch_task_namespaces(). */
			nsp = rcu_dereference(t->nsproxy);
			if (!nsp) {
				rcu_read_unlock();
				return NULL;
			}
			/*
			 * nsp and its namespaces are freed only after a grace
			 * period: safe to look at. A count of 0 means nsp was
			 * switched away and dropped meanwhile: load it again.
			 * The magic checks never fire unless the free skipped
			 * the grace period (rcu-nogp).
			 */
			ns = nsproxy_ns_checked(nsp, kind);
			if (!ns) {
				anomaly();
				rcu_read_unlock();
				return NULL;
			}
			if (refcount_inc_not_zero(&ns->count)) {
				/* Still unpoisoned at the end: nsp lived through our read. */
				if (READ_ONCE(nsp->magic) != NSPROXY_MAGIC)
					anomaly();
				rcu_read_unlock();
				return ns;
			}
			rcu_read_unlock();
		}
	}
}
