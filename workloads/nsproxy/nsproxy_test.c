// SPDX-License-Identifier: MIT
/* setns and remote namespace reads (workloads/nsproxy/nsproxy.c), in each mode. */
#include "../model.h"
#include <kernel.h>
#include <ktest.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>

static struct task_struct *test_task(struct nsproxy *nsp)
{
	struct task_struct *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->magic = TASK_MAGIC;
	spin_lock_init(&t->alloc_lock);
	switch_task_namespaces(t, nsp);
	return t;
}

static struct nsproxy *test_nsproxy(unsigned int inum)
{
	struct nsproxy *nsp = create_nsproxy(NULL, NS_NR_KINDS, NULL);

	if (!nsp)
		return NULL;
	for (unsigned int k = 0; k < NS_NR_KINDS; k++)
		if (!(nsp->ns[k] = ns_alloc(k, inum + k))) {
			put_nsproxy(nsp);
			return NULL;
		}
	return nsp;
}

KTEST(nsproxy, setns_replaces_one_namespace_and_frees_the_old_set)
{
	struct task_struct *task;
	struct nsproxy *nsp, *next;
	struct ns_common *net, *got;

	nsproxy_set_mode(NSPROXY_RCU);
	nsp = test_nsproxy(100);
	net = ns_alloc(NS_NET, 500);
	ASSERT_NOT_NULL(t, nsp);
	ASSERT_NOT_NULL(t, net);
	task = test_task(nsp);
	ASSERT_NOT_NULL(t, task);
	got = task_get_ns(task, NS_NET);
	EXPECT_EQ(t, got->inum, 100 + NS_NET);
	put_ns(got);
	next = create_nsproxy(nsp, NS_NET, net);
	ASSERT_NOT_NULL(t, next);
	put_ns(net);			/* next holds it now */
	switch_task_namespaces(task, next);
	got = task_get_ns(task, NS_NET);
	EXPECT_EQ(t, got->inum, 500);
	EXPECT_EQ(t, refcount_read(&got->count), 2);
	put_ns(got);
	got = task_get_ns(task, NS_UTS);
	EXPECT_EQ(t, got->inum, 100 + NS_UTS);	/* the others are shared */
	put_ns(got);
	switch_task_namespaces(task, NULL);	/* exit */
	EXPECT_NULL(t, task_get_ns(task, NS_NET));
	kfree(task);
	rcu_barrier();
}

#define SW_ITERS	500

struct ns_stress {
	struct task_struct *task;
	struct ns_common *pool[4];
	bool tagged;		/* tagged-ptr: what readers and the task see is not checked */
	atomic_t done, errors;
};

/* The task's own unlocked read: a live nsproxy, unless tagged-ptr broke it. */
static bool own_read_ok(struct task_struct *task)
{
	struct ns_common *ns;
	bool ok;

	rcu_read_lock();
	ok = task_own_ns(task, NS_NET, &ns) == OWN_NS_OK;
	rcu_read_unlock();
	return ok;
}

static void ns_stress_cpu(void *arg)
{
	struct ns_stress *s = arg;
	unsigned int me = smp_processor_id();
	struct torture_random rnd;

	torture_random_init(&rnd, me + 7);
	if (me == 0) {
		/* The task itself: setns, and unlocked reads of its own pointer. */
		for (unsigned int i = 0; i < SW_ITERS; i++) {
			struct nsproxy *next;

			if (!own_read_ok(s->task) && !s->tagged)
				atomic_inc(&s->errors);
			next = create_nsproxy(s->task->nsproxy_owned, NS_NET,
					      s->pool[torture_random(&rnd) % 4]);
			if (next)
				switch_task_namespaces(s->task, next);
			rcu_quiescent_state();
		}
		atomic_inc(&s->done);
		return;
	}
	while (!atomic_read(&s->done)) {
		struct ns_common *ns = task_get_ns(s->task, torture_random(&rnd) % NS_NR_KINDS);

		if (ns && READ_ONCE(ns->magic) == NS_MAGIC)
			put_ns(ns);
		else if (!s->tagged)
			atomic_inc(&s->errors);
		rcu_quiescent_state();
	}
}

/*
 * Tagged-ptr: the readers' tags and the pointers their xchg puts back
 * are seen (counted as anomalies), but nothing crashes, and every
 * nsproxy and namespace is freed exactly once: the live-object count
 * comes back once the quarantine is emptied.
 */
static void concurrent_setns(struct ktest_ctx *t, enum nsproxy_mode mode)
{
	struct ns_stress s = { .tagged = mode == NSPROXY_TAGGED_PTR };
	long live0;

	rcu_barrier();
	nsproxy_release_quarantine();
	live0 = kmalloc_live_objects();
	nsproxy_set_mode(mode);
	s.task = test_task(test_nsproxy(1));
	ASSERT_NOT_NULL(t, s.task);
	ASSERT_NOT_NULL(t, s.task->nsproxy);
	for (unsigned int i = 0; i < 4; i++) {
		s.pool[i] = ns_alloc(NS_NET, 1000 + i);
		ASSERT_NOT_NULL(t, s.pool[i]);
	}
	rcu_run_on_cpus(min(num_online_cpus(), 4u), ns_stress_cpu, &s);
	EXPECT_EQ(t, atomic_read(&s.errors), 0);
	switch_task_namespaces(s.task, NULL);
	for (unsigned int i = 0; i < 4; i++)
		put_ns(s.pool[i]);
	kfree(s.task);
	rcu_barrier();
	nsproxy_release_quarantine();
	EXPECT_EQ(t, kmalloc_live_objects(), live0);
}

KTEST_SMP(nsproxy, concurrent_setns_and_remote_reads_task_lock, 2)
{
	concurrent_setns(t, NSPROXY_TASK_LOCK);
}

KTEST_SMP(nsproxy, concurrent_setns_and_remote_reads_rcu, 2)
{
	concurrent_setns(t, NSPROXY_RCU);
}

KTEST_SMP(nsproxy, concurrent_setns_and_remote_reads_tagged_ptr_frees_each_once, 2)
{
	concurrent_setns(t, NSPROXY_TAGGED_PTR);
}
