// SPDX-License-Identifier: MIT
/*
 * hotplug=: CPU hotplug under load, for rcutorture and the workloads (see
 * include/torture.h). CPU 0 drives it from its own role loop; the other
 * CPUs of the run leave from theirs (cpu_offline_now()) and come back to
 * them. Apart from kernel/torture.c because the host build has neither a
 * command line nor CPU hotplug.
 */
#include <arch.h>
#include <torture.h>
#include <cmdline.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <smp.h>

/* How long CPU 0 waits between two hotplug operations: random in this range. */
#define HOTPLUG_MIN_MS	2
#define HOTPLUG_MAX_MS	30

static int check_hotplug(const char *value)
{
	if (strcmp(value, "busted") && cmdline_check_bool(value))
		return -EINVAL;
	if (strcmp(value, "0") && !arch_cpu_can_stop()) {
		printk("cmdline: hotplug=%s needs CPUs that can go offline, and this "
		       "machine has no way to (no PSCI CPU_OFF)\n", value);
		return -ENODEV;
	}
	return 0;
}
CMDLINE_KEY(hotplug, "0, 1 (rcutorture and workloads: CPUs go offline and come back "
	    "meanwhile) or busted (the same, losing the dead CPUs' RCU callbacks: must fail)",
	    check_hotplug);

enum torture_hotplug_mode torture_hotplug_mode(void)
{
	const char *v = cmdline_get("hotplug");

	if (!v || !strcmp(v, "0"))
		return TORTURE_HOTPLUG_OFF;
	return strcmp(v, "busted") ? TORTURE_HOTPLUG_ON : TORTURE_HOTPLUG_BUSTED;
}

static void schedule_next(struct torture_hotplug *h)
{
	uint32_t ms = HOTPLUG_MIN_MS + torture_random(&h->rnd) % (HOTPLUG_MAX_MS - HOTPLUG_MIN_MS + 1);

	h->next_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
}

bool torture_hotplug_init(struct torture_hotplug *h, unsigned int ncpus, uint64_t seed,
			  void (*before_down)(unsigned int cpu))
{
	enum torture_hotplug_mode mode = torture_hotplug_mode();

	*h = (struct torture_hotplug){ .ncpus = ncpus, .before_down = before_down };
	if (mode == TORTURE_HOTPLUG_OFF || ncpus < 2)
		return false;
	h->on = true;
	torture_random_init(&h->rnd, seed * 7177 + 1);
	cpu_hotplug_set_busted(mode == TORTURE_HOTPLUG_BUSTED);
	schedule_next(h);
	return true;
}

void torture_hotplug_step(struct torture_hotplug *h)
{
	unsigned int cpu;

	if (!h->on || ktime_get_ns() < h->next_ns)
		return;
	cpu = 1 + torture_random(&h->rnd) % (h->ncpus - 1);
	if (cpu_online(cpu)) {
		if (h->before_down)
			h->before_down(cpu);
		if (!cpu_down(cpu))
			h->offlines++;
	} else if (!cpu_up(cpu)) {
		h->cycles++;
	} else {
		printk("hotplug: CPU %u did not come back online\n", cpu);
		h->errors++;
	}
	schedule_next(h);
}

void torture_hotplug_finish(struct torture_hotplug *h)
{
	if (!h->on)
		return;
	for (unsigned int cpu = 1; cpu < h->ncpus; cpu++) {
		if (cpu_online(cpu))
			continue;
		if (cpu_up(cpu)) {
			printk("hotplug: CPU %u did not come back online\n", cpu);
			h->errors++;
		} else {
			h->cycles++;
		}
	}
	cpu_hotplug_set_busted(false);
	h->on = false;
}
