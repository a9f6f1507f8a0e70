// SPDX-License-Identifier: MIT
/*
 * The host build's stand-ins for the kernel core: POSIX threads play CPUs,
 * printk writes to stdout, panic aborts. Only what the arch-neutral code
 * under test needs is here.
 */
#include <kernel.h>
#include <smp.h>
#include <arch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <execinfo.h>
#include <mm.h>
#include <irqchip.h>
#include <rcupdate.h>

__thread unsigned int host_cpu_id;
__thread intptr_t host_cpu_offset;	/* CPU 0's, the template's: 0 */
__thread unsigned long host_irq_flags;

unsigned int nr_cpu_ids = HOST_NR_CPUS;
intptr_t __per_cpu_offset[NR_CPUS];

extern char __start_percpu_data[], __stop_percpu_data[];
static char *percpu_copy[NR_CPUS];

int percpu_init(unsigned int nr_cpus)
{
	size_t size = (size_t)(__stop_percpu_data - __start_percpu_data);

	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
		char *copy = aligned_alloc(CACHELINE_SIZE,
					   ALIGN_UP(size, CACHELINE_SIZE) + CACHELINE_SIZE);
		if (!copy)
			return -ENOMEM;
		memset(copy, 0, size);
		percpu_copy[cpu] = copy;
		__per_cpu_offset[cpu] = copy - __start_percpu_data;
	}
	return 0;
}

void host_set_cpu(unsigned int cpu)
{
	host_cpu_id = cpu;
	host_cpu_offset = __per_cpu_offset[cpu];
}

uint64_t arch_counter_freq(void) { return 1000000000ull; }

bool cpu_online(unsigned int cpu) { return cpu < nr_cpu_ids; }
unsigned int num_online_cpus(void) { return nr_cpu_ids; }
/* Threads cannot go offline: hotplug= is refused, as on the Pis. */
bool arch_cpu_can_stop(void) { return false; }

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;

void vprintk(const char *fmt, va_list ap)
{
	pthread_mutex_lock(&console_lock);
	vprintf(fmt, ap);
	fflush(stdout);
	pthread_mutex_unlock(&console_lock);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void dump_stack(void)
{
	void *frames[32];
	int n = backtrace(frames, 32);

	backtrace_symbols_fd(frames, n, 1);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("Kernel panic on CPU %u: ", host_cpu_id);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	dump_stack();
	fflush(stdout);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	printk("WARNING: CPU %u at %s:%d: %s\n", host_cpu_id, file, line, cond);
}

struct host_cpu {
	pthread_t thread;
	unsigned int cpu;
	void (*fn)(void *);
	void *arg;
};

static void *host_cpu_main(void *p)
{
	struct host_cpu *hc = p;

	host_set_cpu(hc->cpu);
	hc->fn(hc->arg);
	return NULL;
}

void run_on_cpus(unsigned int ncpus, void (*fn)(void *arg), void *arg)
{
	struct host_cpu hc[NR_CPUS];

	BUG_ON(ncpus == 0 || ncpus > nr_cpu_ids);
	for (unsigned int i = 1; i < ncpus; i++) {
		hc[i] = (struct host_cpu){ .cpu = i, .fn = fn, .arg = arg };
		if (pthread_create(&hc[i].thread, NULL, host_cpu_main, &hc[i]))
			panic("pthread_create failed");
	}
	fn(arg);
	for (unsigned int i = 1; i < ncpus; i++)
		pthread_join(hc[i].thread, NULL);
}

/*
 * The allocator, for code under test that allocates: the C library's,
 * with the kernel's live-object count (ASan does the poisoning).
 */
static long host_live_objects;

void *kmalloc(size_t size)
{
	void *p = size ? malloc(size) : NULL;

	if (p)
		__atomic_fetch_add(&host_live_objects, 1, __ATOMIC_RELAXED);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *p)
{
	if (p) {
		__atomic_fetch_sub(&host_live_objects, 1, __ATOMIC_RELAXED);
		free((void *)p);
	}
}

long kmalloc_live_objects(void)
{
	return __atomic_load_n(&host_live_objects, __ATOMIC_RELAXED);
}

/* malloc() never runs short of pages: there is no reclaimer to call. */
void mm_set_reclaim(unsigned long (*reclaim)(unsigned long nr_pages))
{
}

/*
 * For RCU (rcu/): time, CPU hotplug exclusion and a stand-in for IPIs.
 * A thread cannot be interrupted, so smp_call_function_single() to
 * another "CPU" is refused (-ENOSYS); RCU then waits for that thread's
 * own next quiescent state, which host tests report explicitly.
 */
#include <ktime.h>

uint64_t ktime_get_ns(void) { return arch_counter_read(); }
uint64_t counter_to_ns(uint64_t ticks) { return ticks; }	/* the host counter counts ns */

void udelay(unsigned long us)
{
	uint64_t end = ktime_get_ns() + us * 1000;

	while (ktime_get_ns() < end)
		cpu_relax();
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags;

	if (cpu != host_cpu_id)
		return -ENOSYS;
	flags = arch_irq_save();
	fn(info);
	arch_irq_restore(flags);
	return 0;
}

/* Nothing interrupts a thread: it is never at a quiescent point by its PC
 * (its tick stand-in runs where the thread calls it). */
DEFINE_PER_CPU(uintptr_t, irq_pc);
bool rcu_pc_is_quiescent(uintptr_t pc) { return false; }

static pthread_mutex_t host_hotplug_lock = PTHREAD_MUTEX_INITIALIZER;

void cpus_read_lock(void) { pthread_mutex_lock(&host_hotplug_lock); }
void cpus_read_unlock(void) { pthread_mutex_unlock(&host_hotplug_lock); }
