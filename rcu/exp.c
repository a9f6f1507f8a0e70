// SPDX-License-Identifier: MIT
/*
 * Expedited grace periods: instead of waiting for ticks, IPI every CPU
 * that RCU is watching; the IPI handler reports a quiescent state on the
 * spot when it interrupted code outside any read-side section. A CPU
 * found inside a reader reports at its next tick, idle entry or
 * rcu_quiescent_state(); CPUs in an extended quiescent state (idle,
 * offline) are never interrupted. Reports climb the same node tree as
 * normal grace periods, in the nodes' expmask.
 *
 * One expedited GP runs at a time (exp_lock). Callers that arrive while
 * one runs wait for the sequence to reach their snapshot, so a burst of
 * callers shares grace periods.
 */
#include "tree.h"
#include <kernel.h>
#include <smp.h>
#include <ktime.h>

/* How long busy CPUs get to report before they are sent IPIs. */
#define RCU_EXP_IPI_DELAY_NS	20000

void rcu_exp_handler(void *unused)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);

	/*
	 * Fully ordered: the clear precedes the look at expmask below, and
	 * pairs with the smp_mb() before the sender's look at the flag in
	 * rcu_exp_run(): either it sees the flag clear and sends another
	 * IPI, or this handler sees the mask it set.
	 */
	atomic_xchg(&rdp->exp_ipi_pending, 0);
	/* The IPI interrupted code whose nesting count this is. A busy leaf
	 * lock or a reader: the CPU's next QS reports instead. */
	if (rcu_interrupted_quiescent())
		rcu_report_qs_cpu(rdp, false);
}

static bool rcu_exp_root_done(unsigned long unused)
{
	return !smp_load_acquire(&rcu_root()->expmask);
}

/* rcu_wait_until() condition: the root is empty, or it is time to IPI. */
static bool rcu_exp_done_or_late(unsigned long deadline)
{
	return rcu_exp_root_done(0) || ktime_get_ns() >= deadline;
}

/* exp_lock held, interrupts on, not inside a reader. */
static void rcu_exp_run(void)
{
	struct rcu_state *rsp = &rcu_state;
	unsigned int me = smp_processor_id();
	unsigned long flags;

	flags = arch_irq_save();
	rcu_seq_start(&rsp->exp_seq);
	/* As in rcu_gp_init(): the caller's removal precedes every bit. */
	smp_mb();
	rcu_arm_masks(true, me);	/* the caller itself is quiescent */
	arch_irq_restore(flags);

	/*
	 * Busy CPUs report on their own within microseconds (loops call
	 * rcu_quiescent_state(), readers end): give them that long before
	 * any IPI. Under an emulator an IPI is costly on both sides (the
	 * interrupt controller's registers are emulated under QEMU's one
	 * device lock, and the target vCPU takes it only when the host
	 * runs it): when the host was loaded, IPIs made a busy expedited
	 * GP take milliseconds while a normal one took microseconds.
	 */
	rcu_wait_until(rcu_exp_done_or_late, ktime_get_ns() + RCU_EXP_IPI_DELAY_NS);
	/* The masks set above precede the looks at exp_ipi_pending (see
	 * rcu_exp_handler()). */
	smp_mb();
	for (unsigned int i = rsp->first_leaf; i < rsp->nr_nodes; i++) {
		struct rcu_node *np = &rsp->node[i];
		unsigned long mask = smp_load_acquire(&np->expmask);

		for (unsigned int cpu = np->grplo; mask && cpu <= np->grphi; cpu++) {
			struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);

			if (!(mask & rdp->leafmask))
				continue;
			/*
			 * One IPI in flight per CPU: one still pending from an
			 * earlier expedited GP serves this one too (its handler
			 * has not looked at expmask yet). No wait: the IPIs run
			 * in parallel. An offline CPU (-ENODEV) reported when it
			 * died; where IPIs are not possible (the host) or memory
			 * is short, the CPU's own next QS reports it.
			 */
			if (atomic_xchg(&rdp->exp_ipi_pending, 1))
				continue;
			if (smp_call_function_single(cpu, rcu_exp_handler, NULL, false))
				atomic_set(&rdp->exp_ipi_pending, 0);
		}
	}
	/* Acquire: every report, and the readers before it, precede the end. */
	rcu_wait_until(rcu_exp_root_done, 0);
	smp_mb();
	rcu_seq_end(&rsp->exp_seq);
}

void synchronize_rcu_expedited(void)
{
	unsigned long snap;

	might_sleep();
	snap = rcu_seq_snap(&rcu_state.exp_seq);
	for (;;) {
		if (rcu_seq_done(&rcu_state.exp_seq, snap))
			goto out;
		if (spin_trylock(&rcu_state.exp_lock))
			break;
		/* The running expedited GP may need our quiescent state. */
		rcu_wait_help();
	}
	if (!rcu_seq_done(&rcu_state.exp_seq, snap))
		rcu_exp_run();
	spin_unlock(&rcu_state.exp_lock);
out:
	/* The GP's end precedes what the caller does next. */
	smp_mb();
}

unsigned long rcu_exp_completed(void)
{
	return rcu_seq_completed(&rcu_state.exp_seq);
}
