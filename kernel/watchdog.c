// SPDX-License-Identifier: MIT
/*
 * The hard-lockup watchdog. Every tick a CPU stamps its heartbeat and
 * looks at one other CPU, a different one each tick, so every CPU is
 * watched by every ticking CPU within nr_cpu_ids ticks at O(1) cost per
 * tick. A CPU that is online, not idle (idle CPUs stop their tick) and
 * silent for WATCHDOG_MS has its interrupts off, or its tick has stopped
 * coming (then it answers an IPI): the run panics naming it and which.
 */
#include <ktime.h>
#include <smp.h>
#include <kernel.h>
#include <lockdep.h>
#include <atomic.h>

/*
 * Silence that counts as a lockup: 5 s, plus 40 ms per CPU, because under
 * an emulator with more vCPUs than host cores a vCPU thread can simply
 * not be scheduled for a while, which looks the same from inside (2 s
 * was seen to fire falsely with two 3-4 vCPU guests on a 2-core host).
 */
#define WATCHDOG_MS	(5000 + 40 * nr_cpu_ids)

struct watchdog {
	uint64_t heartbeat_ns;	/* written by the owner, read by watchers */
	bool idle;		/* owner is in the idle loop, tick stopped */
	unsigned int next;	/* the owner's next CPU to check */
};
static DEFINE_PER_CPU_ALIGNED(struct watchdog, watchdog);
static bool watchdog_fired;	/* a watcher is reporting */

void watchdog_idle(bool idle)
{
	struct watchdog *w = this_cpu_ptr(&watchdog);

	WRITE_ONCE(w->heartbeat_ns, ktime_get_ns());
	WRITE_ONCE(w->idle, idle);
}

/*
 * Beside the CPU found stuck: how many other CPUs are silent too, and the
 * longest. One stuck CPU is a lockup; most of them silent means the host
 * is not running the vCPUs (or a tick does not come).
 */
static void watchdog_print_silent(uint64_t now, unsigned int stuck)
{
	unsigned int silent = 0, longest_cpu = 0;
	uint64_t longest = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct watchdog *w = per_cpu_ptr(&watchdog, cpu);
		uint64_t beat = READ_ONCE(w->heartbeat_ns);

		if (cpu == stuck || cpu == smp_processor_id() || !cpu_online(cpu) ||
		    !beat || READ_ONCE(w->idle) || now < beat)
			continue;
		if (now - beat > WATCHDOG_MS * NSEC_PER_MSEC / 2)
			silent++;
		if (now - beat > longest) {
			longest = now - beat;
			longest_cpu = cpu;
		}
	}
	printk("watchdog: %u other CPUs silent for over %u ms", silent, WATCHDOG_MS / 2);
	if (longest)
		printk("; the longest, CPU %u, for %llu ms", longest_cpu,
		       (unsigned long long)(longest / NSEC_PER_MSEC));
	printk("\n");
}

/*
 * A silent CPU whose interrupts are on has lost its tick, not hung: ask
 * it, by IPI, to print where it is. Waits up to WATCHDOG_ASK_MS (its vCPU
 * may be waiting for the host) and returns true if it answered.
 */
#define WATCHDOG_ASK_MS	2000
static bool watchdog_answered;

static void watchdog_answer(void *unused)
{
	printk("watchdog: CPU %u answers an IPI from here:\n", smp_processor_id());
	dump_stack();
	/* Release: the backtrace precedes the answer the panic follows. */
	smp_store_release(&watchdog_answered, true);
}

static bool watchdog_ask(unsigned int cpu)
{
	uint64_t until = ktime_get_ns() + WATCHDOG_ASK_MS * NSEC_PER_MSEC;

	if (smp_call_function_single(cpu, watchdog_answer, NULL, false))
		return false;
	while (!smp_load_acquire(&watchdog_answered) && ktime_get_ns() < until)
		cpu_relax();
	return smp_load_acquire(&watchdog_answered);
}

void watchdog_tick(void)
{
	struct watchdog *me = this_cpu_ptr(&watchdog), *w;
	uint64_t now = ktime_get_ns(), beat;
	unsigned int cpu;

	WRITE_ONCE(me->heartbeat_ns, now);
	cpu = me->next;
	me->next = (cpu + 1) % nr_cpu_ids;
	if (cpu == smp_processor_id() || !cpu_online(cpu))
		return;
	w = per_cpu_ptr(&watchdog, cpu);
	beat = READ_ONCE(w->heartbeat_ns);
	/* A stale stamp from before the CPU came online is not a lockup. */
	if (!beat || READ_ONCE(w->idle) || now < beat)
		return;
	if (now - beat <= WATCHDOG_MS * NSEC_PER_MSEC)
		return;
	/* One watcher reports: the locks the CPU holds and the one it may
	 * spin for (debug builds), then the panic. */
	if (__atomic_exchange_n(&watchdog_fired, true, __ATOMIC_RELAXED))
		return;
	watchdog_print_silent(now, cpu);
	lockdep_print_held(cpu);
	if (watchdog_ask(cpu))
		panic("watchdog: CPU %u has not ticked for %llu ms (hwid %#llx), "
		      "but answers IPIs: its timer interrupt does not come",
		      cpu, (unsigned long long)((now - beat) / NSEC_PER_MSEC),
		      (unsigned long long)cpu_hwid(cpu));
	panic("watchdog: CPU %u stuck with interrupts off for %llu ms (hwid %#llx)",
	      cpu, (unsigned long long)((now - beat) / NSEC_PER_MSEC),
	      (unsigned long long)cpu_hwid(cpu));
}
