/* SPDX-License-Identifier: MIT */
/*
 * Private to the ARM boot code: what boot/arm-common (shared by arm64 and
 * armv7) and the ISA folders boot/arm64 and boot/arm ask of each other.
 *
 * The ISA folder supplies <asm/cpu.h> with the constants and inline
 * instructions the shared code needs (stack window, TLS layout, MMU
 * control), <asm/arm_isa.h> with its spelling of the registers and
 * instructions the primitives here and in boot/arm-common/include/asm/
 * are written with, and the assembly entry points declared here.
 */
#ifndef QUIESCE_BOOT_ARM_COMMON_H
#define QUIESCE_BOOT_ARM_COMMON_H

#include <compiler.h>
#include <asm/arm_isa.h>
#include <asm/cpu.h>

/* ARM TLS variant 1: the thread pointer register points at the TCB. */
static inline void tls_set_pointer(void *tp)
{
	__asm__ __volatile__(SYSREG_WRITE(SR_TLS) :: "r"(tp));
}

/* The affinity fields of this CPU's MPIDR: what the DTB's cpu reg holds. */
static inline uint64_t read_mpidr(void)
{
	unsigned long m;

	__asm__(SYSREG_READ(SR_MPIDR) : "=r"(m));
	return m & MPIDR_AFF_MASK;
}

#define DCACHE_LINE		64
/* Clean the line holding a to the point of coherency. */
static inline void dcache_clean_line(uintptr_t a)
{
	__asm__ __volatile__(DC_CLEAN_POC :: "r"(a) : "memory");
}

/*
 * Per-CPU stacks live in their own virtual window with unmapped guards:
 * slot n = [guard][thread stack]([guard][exception stack]) x NR_EXC_STACKS.
 * arm64 has one exception stack (SP_EL1); armv7 one each for IRQ, abort
 * and undefined mode, so a fault inside an interrupt handler still has a
 * stack to report on.
 */
#define STACK_SLOT		0x10000UL
#define THREAD_STACK_OFF	0x1000UL
#define EXC_STACK_OFF(i)	(THREAD_STACK_OFF + THREAD_STACK_SIZE + 0x1000UL + \
				 (i) * (EXC_STACK_SIZE + 0x1000UL))
_Static_assert(EXC_STACK_OFF(NR_EXC_STACKS) <= STACK_SLOT, "stack slot too small");

/* One page below the stack window: a temporary mapping (spin-table writes). */
#define FIXMAP_VA		(STACK_WINDOW - 0x1000UL)

/* Layout shared with head.S: {thread top, exception tops...}, 16 bytes. */
struct cpu_stack {
	uintptr_t thread_top;
	uintptr_t exception_top[NR_EXC_STACKS];
};
_Static_assert(sizeof(struct cpu_stack) == 16, "head.S indexes cpu_stacks by << 4");
extern struct cpu_stack cpu_stacks[];

/* The boot CPU's stacks in head.S: [boot_stack_bottom, boot_stacks_end). */
extern char boot_stack_bottom[], boot_stacks_end[];

/* head.S */
void mmu_enable(void);
__noreturn void call_on_stack(void *arg, void (*fn)(void *), uintptr_t sp);
/* Point this CPU's exception-mode stack pointers at s->exception_top[]. */
void set_exception_stacks(const struct cpu_stack *s);
/* Where started CPUs enter: with their index in x0/r0 (PSCI context), or
 * without (spin-table, mailbox), reading it from secondary_boot_cpu. */
void secondary_entry(void);
void secondary_entry_noarg(void);
extern uintptr_t secondary_boot_cpu;

/* mmu.c: boot CPU, MMU off: identity-map the image and the DTB. */
void mmu_init_boot(uintptr_t dtb);
/* mmu.c, from head.S: mmu_init_boot(), mmu_enable(), kernel_main(). */
__noreturn void arm_boot_start(uintptr_t dtb);

/* stacks.c: map cpu's stacks; 0 or -ENOMEM. */
int stacks_alloc(unsigned int cpu);
/* Is addr in a guard page of some CPU's stacks? Which CPU's (or -1). */
int stack_guard_owner(uintptr_t addr);
/* Is [addr, addr + sizeof(uintptr_t)) inside a stack the kernel runs on? */
bool on_kernel_stack(uintptr_t addr);

/* Clean a range to the point of coherency, for readers with caches off. */
void dcache_clean_range(const void *start, size_t size);

struct fdt;
/* setup.c: entry index of node's "reg", translated through bus "ranges". */
int dt_reg(const struct fdt *f, int node, int index, uint64_t *addr, uint64_t *size);

/* cpu_start.c: start cpu (already given stacks) by its DTB enable-method. */
int cpu_start(const struct fdt *fdt, int dt_index, unsigned int cpu);
/* How CPUs are started, for the boot banner ("PSCI via hvc", "spin-table"). */
const char *cpu_start_method_name(const struct fdt *fdt);

/* What arch_exit() does when exit=auto: the board file's BOARD_EXIT_DEFAULT. */
#define EXIT_HALT	0
#define EXIT_SEMIHOST	1

#endif
