/* SPDX-License-Identifier: MIT */
/*
 * CPUs: which exist, which are online, and how to make another CPU run
 * something.
 *
 * Two ways to run code on another CPU:
 *  - smp_call_function*(): fn runs in that CPU's IPI handler, interrupts
 *    off; it must be short and must not wait for other CPUs.
 *  - run_on_cpus(): fn runs in thread context on each CPU (the boot CPU
 *    included), interrupts on, for as long as it likes; this is how
 *    tests, torture and workloads put a role on every CPU.
 */
#ifndef QUIESCE_SMP_H
#define QUIESCE_SMP_H

#include <compiler.h>
#include <percpu.h>

/* Number of CPUs the firmware described (possible CPUs). */
extern unsigned int nr_cpu_ids;

/* Register a CPU found by firmware enumeration; returns its index or -ENOSPC. */
int smp_add_cpu(uint64_t hwid);
/* Firmware id of cpu (MPIDR affinity, local APIC id). */
uint64_t cpu_hwid(unsigned int cpu);
/* Logical index of the CPU with firmware id hwid, or -ENOENT. */
int cpu_from_hwid(uint64_t hwid);

bool cpu_online(unsigned int cpu);
unsigned int num_online_cpus(void);

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++) if (cpu_online(cpu))

typedef void (*smp_call_func_t)(void *info);

/*
 * Run fn(info) on cpu in IPI context; with wait, return after it ran.
 * Any context with interrupts on (waiting with them off could deadlock
 * against a CPU doing the same). Returns 0, or -ENODEV for an offline CPU.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn,
			     void *info, bool wait);
/* The same on every other online CPU. */
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
/* The same on every online CPU, the caller included. */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

/*
 * Run fn(arg) in thread context on CPUs 0..ncpus-1 at once (all must be
 * online; the caller, CPU 0, is one of them) and return when all have
 * returned. fn may spin, wait for grace periods and take any lock.
 * A CPU that fn takes offline with cpu_offline_now() runs fn again from
 * the start when cpu_up() brings it back; CPUs still offline when the
 * caller's own fn returns are brought back for that. Caller: the boot
 * CPU's main thread.
 */
void run_on_cpus(unsigned int ncpus, void (*fn)(void *arg), void *arg);

/* Stop every other CPU (panic): they halt with interrupts off. */
void smp_send_stop(void);

/* Boot CPU: start every possible CPU and wait for each to come online. */
void smp_boot_secondaries(void);

/* Called by the arch IPI handler when the kernel IPI arrives. */
void smp_ipi_handler(void);

/*
 * CPU hotplug: take cpu offline (PSCI CPU_OFF, x86 INIT) once it is idle,
 * migrating its RCU callbacks to the caller, or bring it back. Thread
 * context, not on cpu itself; cpu 0 stays. 0, -EINVAL (already in that
 * state, or not allowed), or an error from the firmware / -ETIMEDOUT.
 */
int cpu_down(unsigned int cpu);
int cpu_up(unsigned int cpu);
/*
 * A CPU running run_on_cpus() work has no scheduler to move its work away
 * when cpu_down() wants it: the work polls cpu_offline_pending() where it
 * holds no lock and is outside every RCU and SRCU read-side section,
 * keeps what it needs outside its stack, and calls cpu_offline_now().
 * The CPU goes offline from there the way an idle CPU does (RCU
 * quiescent for good, its callbacks adopted by the cpu_down() caller,
 * its kmalloc caches drained); after cpu_up() the work function starts
 * again from the beginning on a fresh stack.
 */
bool cpu_offline_pending(void);
__noreturn void cpu_offline_now(void);
/*
 * Tests only (hotplug=busted): cpu_down() loses the dead CPU's RCU
 * callbacks instead of adopting them, the bug hotplug torture must catch.
 */
void cpu_hotplug_set_busted(bool busted);
/* Hold off cpu_down()/cpu_up() (not recursive). Thread context. */
void cpus_read_lock(void);
void cpus_read_unlock(void);

/* Where a started CPU enters generic code (arch entry, stack set). */
__noreturn void secondary_start(unsigned int cpu);

/* The loop an online CPU runs when it has nothing to do. */
__noreturn void cpu_idle_loop(void);

#endif
