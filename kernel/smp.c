// SPDX-License-Identifier: MIT
/*
 * CPUs: the registry the firmware fills, bring-up of secondaries, the one
 * kernel IPI and what it carries (function calls, wake-ups, stop), the
 * idle loop, and run_on_cpus().
 *
 * Each CPU has one IPI. What it means is in the target's ipi_pending bits,
 * set with an atomic OR before the IPI is sent and taken with an atomic
 * exchange by the handler; the OR's full ordering makes the request's
 * data (a call queued, a work slot filled) visible before the bit.
 */
#include <harness.h>
#include <smp.h>
#include <arch.h>
#include <atomic.h>
#include <kernel.h>
#include <spinlock.h>
#include <ktime.h>
#include <mm.h>
#include <cpu_watch.h>
#include <cmdline.h>

#define IPI_CALL	(1u << 0)	/* run queued smp_call_function requests */
#define IPI_WAKE	(1u << 1)	/* leave WFI and look at the work slot */
#define IPI_STOP	(1u << 2)	/* halt (panic) */

/*
 * How long a started CPU may take to come online (TCG on a loaded host
 * takes milliseconds; a real CPU microseconds), and how long cpu_up()
 * retries a start the firmware refuses while it finishes the CPU's last
 * power-off, every CPU_START_RETRY_US.
 */
#define CPU_ONLINE_TIMEOUT_MS	5000
#define CPU_START_RETRY_MS	1000
#define CPU_START_RETRY_US	50
/* smp_send_stop(): how long the other CPUs get to finish a line they print. */
#define CPU_STOP_GRACE_MS	10

struct call_request {
	struct call_request *next;
	smp_call_func_t fn;
	void *info;
	int done;			/* set (release) after fn returned */
	bool autofree;			/* nobody waits: the handler frees it */
};

struct cpu_smp {
	unsigned int ipi_pending;	/* IPI_* bits, atomic */
	spinlock_t call_lock;
	struct call_request *calls;	/* guarded by call_lock */
	/*
	 * run_on_cpus() work: set by the boot CPU, cleared by the owner once
	 * fn returned (a CPU that goes offline in the middle keeps it, and
	 * runs it again when it comes back).
	 */
	void (*work_fn)(void *);
	void *work_arg;
	bool want_offline;		/* cpu_down(): set by the caller, cleared by the owner */
};

static DEFINE_PER_CPU_ALIGNED(struct cpu_smp, cpu_smp);

unsigned int nr_cpu_ids;
static uint64_t hwids[NR_CPUS];
static unsigned long online_mask[BITS_TO_LONGS(NR_CPUS)];	/* atomic bit ops */
static atomic_t nr_online;
static atomic_t work_remaining;		/* run_on_cpus() CPUs still working */

int smp_add_cpu(uint64_t hwid)
{
	if (nr_cpu_ids == NR_CPUS)
		return -ENOSPC;
	hwids[nr_cpu_ids] = hwid;
	return (int)nr_cpu_ids++;
}

uint64_t cpu_hwid(unsigned int cpu) { return hwids[cpu]; }

int cpu_from_hwid(uint64_t hwid)
{
	for (unsigned int i = 0; i < nr_cpu_ids; i++)
		if (hwids[i] == hwid)
			return (int)i;
	return -ENOENT;
}

bool cpu_online(unsigned int cpu)
{
	return READ_ONCE(online_mask[cpu / BITS_PER_LONG]) & (1UL << (cpu % BITS_PER_LONG));
}

unsigned int num_online_cpus(void) { return (unsigned int)atomic_read(&nr_online); }

/*
 * The count changes before the bit: whoever waits for the bit and then
 * reads the count (the boot CPU bringing CPUs up) sees the change. The
 * other way round, the boot CPU once saw the last CPU's bit and printed
 * "3 of 4 CPUs online" before that CPU's increment landed.
 */
static void set_cpu_online(unsigned int cpu, bool online)
{
	if (online) {
		atomic_inc(&nr_online);
		/* Fully ordered: everything the CPU did to get here, the count
		 * included, precedes the bit; pairs with the smp_mb() after the
		 * waits for the bit. */
		__rmw_full(__atomic_fetch_or(&online_mask[cpu / BITS_PER_LONG], 1UL << (cpu % BITS_PER_LONG),
					     __ATOMIC_SEQ_CST));
	} else {
		atomic_dec(&nr_online);
		/* Fully ordered, as above. */
		__rmw_full(__atomic_fetch_and(&online_mask[cpu / BITS_PER_LONG], ~(1UL << (cpu % BITS_PER_LONG)),
					      __ATOMIC_SEQ_CST));
	}
}

static void send_ipi(unsigned int cpu, unsigned int what)
{
	struct cpu_smp *cs = per_cpu_ptr(&cpu_smp, cpu);

	/* Full barrier: pairs with the xchg in smp_ipi_handler(). */
	__rmw_full(__atomic_fetch_or(&cs->ipi_pending, what, __ATOMIC_SEQ_CST));
	arch_send_ipi(cpu);
}

static void run_calls(struct cpu_smp *cs)
{
	struct call_request *list, *next;

	spin_lock(&cs->call_lock);
	list = cs->calls;
	cs->calls = NULL;
	spin_unlock(&cs->call_lock);
	for (; list; list = next) {
		next = list->next;	/* read before done: the caller may reuse it */
		list->fn(list->info);
		if (list->autofree)
			kfree(list);
		else
			smp_store_release(&list->done, 1);	/* pairs with the waiter's acquire */
	}
}

void smp_ipi_handler(void)
{
	struct cpu_smp *cs = this_cpu_ptr(&cpu_smp);
	unsigned int what = xchg(&cs->ipi_pending, 0);

	if (what & IPI_STOP)
		arch_halt();
	/* Calls may use RCU: an idle CPU leaves its EQS meanwhile. */
	cpu_watcher->irq_enter();
	if (what & IPI_CALL)
		run_calls(cs);
	cpu_watcher->irq_exit();
	/* IPI_WAKE needs nothing here: the idle loop looks at its work slot. */
}

/* Queue r on cpu's list and send the IPI: 0, or -ENODEV if cpu is offline. */
static int queue_call(unsigned int cpu, struct call_request *r)
{
	struct cpu_smp *cs = per_cpu_ptr(&cpu_smp, cpu);
	unsigned long flags;

	spin_lock_irqsave(&cs->call_lock, flags);
	/* Hotplug: re-checked under the lock cpu_die() drains the queue with. */
	if (!cpu_online(cpu)) {
		spin_unlock_irqrestore(&cs->call_lock, flags);
		return -ENODEV;
	}
	r->next = cs->calls;
	cs->calls = r;
	spin_unlock_irqrestore(&cs->call_lock, flags);
	send_ipi(cpu, IPI_CALL);
	return 0;
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	struct call_request req = { .fn = fn, .info = info }, *r = &req;
	unsigned long flags;

	if (!cpu_online(cpu))
		return -ENODEV;
	if (cpu == smp_processor_id()) {
		flags = arch_irq_save();
		fn(info);
		arch_irq_restore(flags);
		return 0;
	}
	if (!wait) {
		/* Nobody waits: the request must outlive this frame. */
		r = kmalloc(sizeof(*r));
		if (!r)
			return -ENOMEM;
		*r = req;
		r->autofree = true;
	}
	if (queue_call(cpu, r)) {
		if (r != &req)
			kfree(r);
		return -ENODEV;
	}
	if (wait)
		while (!smp_load_acquire(&req.done))
			cpu_relax();
	return 0;
}

/*
 * smp_call_function(wait) sends every IPI before it waits for any: one
 * round trip for all CPUs, not one per CPU, which matters when vCPUs
 * outnumber host CPUs and each round trip waits for a descheduled vCPU
 * to run. One such call at a time uses the requests below.
 */
static DEFINE_SPINLOCK(call_many_lock);
static struct call_request call_many[NR_CPUS];	/* guarded by call_many_lock */

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
	unsigned int cpu, me = smp_processor_id();

	if (!wait) {
		for_each_online_cpu(cpu)
			if (cpu != me)
				smp_call_function_single(cpu, fn, info, false);
		return;
	}
	/* Interrupts stay on while we wait: another caller may need us. */
	spin_lock(&call_many_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct call_request *r = &call_many[cpu];

		*r = (struct call_request){ .fn = fn, .info = info };
		if (cpu == me || queue_call(cpu, r))
			r->done = 1;	/* not queued: nothing to wait for */
	}
	/* Acquire: pairs with run_calls()' release of done, so fn's effects
	 * on that CPU are seen, and the request may be reused. */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		while (!smp_load_acquire(&call_many[cpu].done))
			cpu_relax();
	spin_unlock(&call_many_lock);
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags;

	smp_call_function(fn, info, wait);
	flags = arch_irq_save();
	fn(info);
	arch_irq_restore(flags);
}

void smp_send_stop(void)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me)
			send_ipi(cpu, IPI_STOP);
	mdelay(CPU_STOP_GRACE_MS);
}

/* A quiescent point: CPU 0 waits here while the others work. */
__qs_point void run_on_cpus(unsigned int ncpus, void (*fn)(void *arg), void *arg)
{
	BUG_ON(ncpus == 0 || ncpus > nr_cpu_ids || smp_processor_id() != 0);
	atomic_set(&work_remaining, (int)ncpus - 1);
	for (unsigned int cpu = 1; cpu < ncpus; cpu++) {
		struct cpu_smp *cs = per_cpu_ptr(&cpu_smp, cpu);

		BUG_ON(!cpu_online(cpu));
		WRITE_ONCE(cs->work_arg, arg);
		/* Release: the idle loop's acquire of work_fn sees work_arg. */
		smp_store_release(&cs->work_fn, fn);
		send_ipi(cpu, IPI_WAKE);
	}
	fn(arg);
	while (atomic_read_acquire(&work_remaining)) {
		/* A CPU taken offline in the middle of its work comes back for it. */
		for (unsigned int cpu = 1; cpu < ncpus; cpu++)
			if (!cpu_online(cpu) && READ_ONCE(per_cpu_ptr(&cpu_smp, cpu)->work_fn) &&
			    cpu_up(cpu))
				panic("smp: CPU %u did not come back online to finish its work", cpu);
		cpu_relax();
	}
}

static __noreturn void cpu_die(void);

/*
 * nohz=0: idle CPUs keep their tick, as with Linux's nohz=off, to show
 * what stopping it saves (rcubench's idle_wakeups). Read once at boot.
 */
CMDLINE_KEY(nohz, "1 (idle CPUs stop their tick; the default) or 0 (they keep it)",
	    cmdline_check_bool);
static bool idle_stops_tick = true;

void cpu_idle_loop(void)
{
	struct cpu_smp *cs = this_cpu_ptr(&cpu_smp);

	for (;;) {
		void (*fn)(void *);

		arch_irq_disable();
		fn = smp_load_acquire(&cs->work_fn);
		if (fn) {
			void *arg = READ_ONCE(cs->work_arg);

			arch_irq_enable();
			fn(arg);
			/* Not before: cpu_offline_now() leaves it set. The boot
			 * CPU sets the next work only after the count below. */
			WRITE_ONCE(cs->work_fn, NULL);
			/* Release: the work's effects precede the count. */
			atomic_fetch_sub_release(1, &work_remaining);
			continue;
		}
		/* Acquire: pairs with cpu_down()'s release. */
		if (smp_load_acquire(&cs->want_offline))
			cpu_die();
		/*
		 * Nothing to do: sleep without a tick until an interrupt. A
		 * request that arrives after the check above leaves its IPI
		 * pending, so the wait returns at once. Idle is an extended
		 * quiescent state for RCU; the tick keeps running only while
		 * this CPU has RCU callbacks to push along.
		 */
		cpu_watcher->idle_enter();
		if (idle_stops_tick && cpu_watcher->tick_not_needed())
			tick_stop();
		watchdog_idle(true);
		arch_idle_wait();
		watchdog_idle(false);
		tick_start();
		cpu_watcher->idle_exit();
		arch_irq_enable();
	}
}

void secondary_start(unsigned int cpu)
{
	arch_cpu_init(cpu);
	cpu_watcher->cpu_starting(cpu);	/* RCU watches this CPU from now on */
	watchdog_idle(false);		/* not the heartbeat it stopped with */
	set_cpu_online(cpu, true);
	tick_start();
	arch_irq_enable();
	cpu_idle_loop();
}

/*
 * Wait up to CPU_ONLINE_TIMEOUT_MS for a started CPU to mark itself
 * online; true if it did.
 */
static bool cpu_wait_online(unsigned int cpu)
{
	uint64_t deadline = ktime_get_ns() + CPU_ONLINE_TIMEOUT_MS * NSEC_PER_MSEC;

	while (!cpu_online(cpu) && ktime_get_ns() < deadline)
		cpu_relax();
	/* Pairs with set_cpu_online()'s fully ordered bit: what the CPU
	 * did before it (and the online count) is seen after this. */
	smp_mb();
	return cpu_online(cpu);
}

void smp_boot_secondaries(void)
{
	uint64_t t0 = ktime_get_ns();

	idle_stops_tick = cmdline_get_ull("nohz", 1);
	set_cpu_online(0, true);
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		int err = arch_cpu_start(cpu);

		/* The firmware listed it, so the run asked for it: a CPU
		 * that does not come up fails the run, named on one line. */
		if (err) {
			printk("smp: CPU %u (hwid %#llx) failed to start: error %d\n",
			       cpu, (unsigned long long)hwids[cpu], err);
			harness_report(false);
			continue;
		}
		if (!cpu_wait_online(cpu)) {
			printk("smp: CPU %u (hwid %#llx) did not come online\n",
			       cpu, (unsigned long long)hwids[cpu]);
			harness_report(false);
		}
	}
	printk("smp: %u of %u CPUs online in %llu us\n", num_online_cpus(), nr_cpu_ids,
	       (unsigned long long)((ktime_get_ns() - t0) / 1000));
	/* Each CPU missing has its own line above and failed the run. */
}

/*
 * CPU hotplug. cpu_hotplug_lock serialises cpu_down()/cpu_up() with each
 * other and with cpus_read_lock() holders (rcu_barrier()), which thus see
 * every CPU either online or offline with its RCU callbacks migrated.
 * Thread context, interrupts on; holders may wait for grace periods but
 * not for another hotplug operation.
 *
 * A CPU leaves from its idle loop, or from run_on_cpus() work at the
 * work's next cpu_offline_now() (there is no scheduler to move the work
 * elsewhere): the same way in both cases.
 */
static DEFINE_SPINLOCK(cpu_hotplug_lock);
static bool hotplug_busted;	/* cpu_hotplug_set_busted() */

void cpus_read_lock(void) { spin_lock(&cpu_hotplug_lock); }
void cpus_read_unlock(void) { spin_unlock(&cpu_hotplug_lock); }

/* The dying CPU, from its idle loop or its work, interrupts off. */
static void cpu_die(void)
{
	unsigned int cpu = smp_processor_id();
	struct cpu_smp *cs = this_cpu_ptr(&cpu_smp);

	tick_stop();
	cpu_watcher->cpu_dying();	/* an extended quiescent state for good */
	WRITE_ONCE(cs->want_offline, false);
	set_cpu_online(cpu, false);	/* fully ordered after the above */
	/* Requests queued before the bit cleared still run; later ones
	 * fail with -ENODEV (smp_call_function_single() re-checks). */
	run_calls(cs);
	arch_cpu_stop_self();
	panic("smp: CPU %u: the firmware did not take it offline", cpu);
}

bool cpu_offline_pending(void)
{
	/* Acquire: pairs with cpu_down()'s release. */
	return smp_load_acquire(&this_cpu_ptr(&cpu_smp)->want_offline);
}

void cpu_offline_now(void)
{
	BUG_ON(!cpu_offline_pending());
	arch_irq_disable();
	/* work_fn stays set: the idle loop runs it again after cpu_up(). */
	cpu_die();
}

void cpu_hotplug_set_busted(bool busted)
{
	WRITE_ONCE(hotplug_busted, busted);
}

int cpu_down(unsigned int cpu)
{
	struct cpu_smp *cs;

	if (cpu == 0 || cpu >= nr_cpu_ids || cpu == smp_processor_id())
		return -EINVAL;
	if (!arch_cpu_can_stop())
		return -ENODEV;
	spin_lock(&cpu_hotplug_lock);
	if (!cpu_online(cpu)) {
		spin_unlock(&cpu_hotplug_lock);
		return -EINVAL;
	}
	cs = per_cpu_ptr(&cpu_smp, cpu);
	/* Release: pairs with the idle loop's acquire. The CPU goes when it
	 * is idle, or when its run_on_cpus() work calls cpu_offline_now(). */
	smp_store_release(&cs->want_offline, true);
	send_ipi(cpu, IPI_WAKE);
	/*
	 * The CPU may first have to finish a synchronize_rcu() of its role's
	 * work: we are no reader, so say so while we wait, or neither of us
	 * would finish (a release build's tick cannot tell this loop from a
	 * reader: it records no nesting).
	 */
	while (cpu_online(cpu)) {
		cpu_watcher->quiescent();
		cpu_relax();
	}
	/* Its last accesses precede ours (pairs with set_cpu_online()). */
	smp_mb();
	cpu_watcher->cpu_dead(cpu, READ_ONCE(hotplug_busted));
	kmalloc_cpu_dead(cpu);
	spin_unlock(&cpu_hotplug_lock);
	return 0;
}

int cpu_up(unsigned int cpu)
{
	uint64_t deadline;
	int err;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	spin_lock(&cpu_hotplug_lock);
	if (cpu_online(cpu)) {
		spin_unlock(&cpu_hotplug_lock);
		return -EINVAL;
	}
	/* The firmware may still be finishing the CPU's last power-off. */
	deadline = ktime_get_ns() + CPU_START_RETRY_MS * NSEC_PER_MSEC;
	while ((err = arch_cpu_start(cpu)) && ktime_get_ns() < deadline)
		udelay(CPU_START_RETRY_US);
	if (!err) {
		if (!cpu_wait_online(cpu))
			err = -ETIMEDOUT;
	}
	spin_unlock(&cpu_hotplug_lock);
	return err;
}
