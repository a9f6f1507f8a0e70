// SPDX-License-Identifier: MIT
/*
 * PSCI: CPU_ON, CPU_OFF, AFFINITY_INFO and SYSTEM_OFF through the conduit
 * (HVC or SMC) the DTB's psci node names.
 */
#include <drivers.h>
#include <fdt.h>
#include <kernel.h>
#include <libc.h>
#include <arch.h>
#include <asm/smccc.h>

#define PSCI_FN_VERSION		0x84000000
#define PSCI_FN_CPU_OFF		0x84000002
#define PSCI_FN_SYSTEM_OFF	0x84000008

static bool use_hvc;
static bool present;

static long psci_call(unsigned long fn, unsigned long a1, unsigned long a2,
		      unsigned long a3)
{
	return (long)(use_hvc ? smccc_hvc(fn, a1, a2, a3) : smccc_smc(fn, a1, a2, a3));
}

int psci_probe(const struct fdt *fdt)
{
	const char *method;

	if (fdt_psci_method(fdt, &method))
		return -ENODEV;
	if (!strcmp(method, "hvc"))
		use_hvc = true;
	else if (strcmp(method, "smc")) {
		printk("psci: unknown method '%s'\n", method);
		return -EINVAL;
	}
	present = true;
	return 0;
}

const char *psci_conduit_name(void)
{
	return present ? (use_hvc ? "hvc" : "smc") : "none";
}

/* PSCI errors (NOT_SUPPORTED -1, INVALID_PARAMETERS -2, DENIED -3,
 * ALREADY_ON -4, ...) come back as they are: negative. */
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uintptr_t context)
{
	if (!present)
		return -ENODEV;
	return (int)psci_call(PSCI_FN_CPU_ON, mpidr, entry, context);
}

void psci_cpu_off(void)
{
	if (present)
		psci_call(PSCI_FN_CPU_OFF, 0, 0, 0);
}

bool psci_can_cpu_off(void)
{
	return present;
}

int psci_affinity_info(uint64_t mpidr)
{
	if (!present)
		return -ENODEV;
	return (int)psci_call(PSCI_FN_AFFINITY_INFO, mpidr, 0, 0);
}

void psci_system_off(void)
{
	if (present)
		psci_call(PSCI_FN_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		arch_idle_wait();
}
