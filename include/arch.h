/* SPDX-License-Identifier: MIT */
/*
 * The architecture interface: everything generic code may ask of a CPU.
 *
 * Each architecture supplies <asm/arch.h> (boot/<arch>/include/asm/, and
 * tests/host/include/asm/ for the host build, where POSIX threads are the
 * CPUs) with the inline primitives below, and implements the out-of-line
 * hooks declared at the end of this file. Generic code calls nothing else
 * that is architecture specific and never tests __aarch64__ and friends.
 *
 * Inline primitives from <asm/arch.h>:
 *
 *   unsigned int arch_cpu_id(void)
 *	Logical index of the calling CPU (0 = boot CPU). Any context.
 *   unsigned long arch_irq_save(void), void arch_irq_restore(unsigned long)
 *   void arch_irq_enable(void), void arch_irq_disable(void)
 *   bool arch_irqs_disabled(void)
 *	Local interrupt mask of the calling CPU; save/restore nest.
 *   void cpu_relax(void)
 *	Busy-wait hint for one iteration of a spin loop (YIELD, PAUSE).
 *   void arch_wait_event(void), void arch_send_event(void)
 *	Low-power wait in a spin loop and the wake-up for it (WFE/SEV on
 *	ARM; PAUSE and nothing on x86). A waiter must re-check its condition:
 *	arch_wait_event() may return at any time.
 *   void arch_idle_wait(void)
 *	Called with interrupts disabled: wait until an interrupt is pending
 *	(WFI; STI+HLT), let it be taken, return with interrupts disabled.
 *   u64 arch_counter_read(void)
 *	Free-running monotonic counter, same rate on every CPU.
 *   __smp_mb(), __smp_rmb(), __smp_wmb(), __smp_mb_after_rmw()
 *	Full / load-load / store-store ordering between CPUs; <atomic.h>
 *	wraps them as smp_mb() and friends.
 *   void arch_undefined_instruction(void)
 *	Execute an undefined instruction (the crash tests).
 *
 * Optional, where a waiting CPU can give its processor away (the host
 * build, whose CPUs are threads): ARCH_HAS_FUTEX defined, and
 *   void arch_futex_wait(u32 *w, u32 v), void arch_futex_wake(u32 *w)
 *	Sleep while *w == v (may return spuriously); wake every sleeper.
 *   void arch_spin_pause(void)
 *	One iteration of the short spin before such a sleep.
 *
 * Optional, where CPUs run nothing in the background (the host build:
 * no tick, no idle loop, no IPI): ARCH_CPUS_RUN_ONLY_TESTS defined. Tests
 * that rebuild what every CPU's tick reads need it.
 */
#ifndef QUIESCE_ARCH_H
#define QUIESCE_ARCH_H

#include <compiler.h>
#include <asm/arch.h>

/* Frequency of arch_counter_read() in Hz; valid once arch_early_init() ran. */
uint64_t arch_counter_freq(void);

/*
 * Boot CPU, interrupts off, MMU on, stack set: discover the machine from
 * the firmware (DTB, ACPI), bring up console, interrupt controller and
 * timer, and register every CPU with smp_add_cpu(). boot_info is the
 * pointer the boot loader handed over (DTB, PVH start info, multiboot2).
 */
void arch_early_init(uintptr_t boot_info);

/* What the entry code calls, boot_info as above (boot/init.c). */
__noreturn void kernel_main(uintptr_t boot_info);

/*
 * Boot CPU, after arch_early_init(): move onto the guarded per-CPU stacks
 * (thread and exception) that CPU 0 was given and call fn there.
 */
__noreturn void arch_boot_switch_stack(void (*fn)(void));

/* The command line the boot loader passed ("" if none). */
const char *arch_cmdline(void);

/* Per-CPU interrupt controller and timer setup; runs on each CPU. */
void arch_cpu_init(unsigned int cpu);

/* Start secondary CPU cpu at the generic secondary_start(). 0 or -errno. */
int arch_cpu_start(unsigned int cpu);

/* Take the calling CPU offline; returns only if the firmware refused. */
void arch_cpu_stop_self(void);
/* Whether this machine can take a CPU offline at all (CPU hotplug). */
bool arch_cpu_can_stop(void);

/* Send the one kernel IPI to cpu (see kernel/smp.c for the kinds). */
void arch_send_ipi(unsigned int cpu);

/* Program the calling CPU's timer to fire once, delta_ns from now. */
void arch_timer_set_oneshot(uint64_t delta_ns);
/* Stop the calling CPU's timer. */
void arch_timer_stop(void);

/* Write one byte to the console, polling; safe in any context. */
void arch_console_putc(char c);

/* End the run: report status to the host (QEMU) or halt (real board). */
__noreturn void arch_exit(int status);

/*
 * Replace the len-byte instruction at addr in kernel text with insn (the
 * uprobes breakpoint or the instruction it displaced). The write goes
 * through a writable alias (text stays read-only), caches are made
 * coherent, and every online CPU has passed a context-synchronising event
 * before it returns. Thread context with interrupts on (it IPIs). 0,
 * -EINVAL for an address outside the text or a size the ISA can't patch
 * atomically, -ENOMEM when the alias cannot be mapped.
 */
int arch_text_poke(void *addr, const void *insn, size_t len);

/* Print the interrupted register state of an exception frame. */
struct pt_regs;
void arch_show_regs(const struct pt_regs *regs);

/*
 * Per-boot entropy for the stack protector's canary (kernel/stackprotector.c),
 * asked on the boot CPU before any other C code runs: ARM with the MMU
 * and caches still off, so both only read registers and boot_info.
 *
 * arch_get_random_long(): random bits from the CPU's own generator (RNDR,
 * RDSEED, RDRAND) when it has one; returns the instruction's name, or
 * NULL when there is none or it failed.
 * arch_boot_info_size(): how many bytes the boot loader handed over at
 * boot_info (the DTB, the PVH start info, the multiboot2 information),
 * after checking its magic or size; 0 if it is none of those.
 */
const char *arch_get_random_long(unsigned long *v);
size_t arch_boot_info_size(uintptr_t boot_info);

/* Stop the calling CPU for good, interrupts off. */
__noreturn void arch_halt(void);

/*
 * Frame-pointer unwinding: from a frame pointer, step to the caller's
 * frame and return address. Returns false at the end of the chain or on
 * an implausible frame (one not on a kernel stack).
 */
bool arch_unwind_frame(uintptr_t *fp, uintptr_t *pc);

/*
 * arch_unwind_frame() for the ISAs whose frame record is {previous frame
 * pointer, return address} at the frame pointer (arm64, x86_64): on_stack
 * says whether an address lies on a kernel stack.
 */
bool unwind_frame_record(uintptr_t *fp, uintptr_t *pc, bool (*on_stack)(uintptr_t addr));

/*
 * Counter ticks of an empty timed region (two back-to-back
 * arch_counter_read()s): the least of many tries, so that a vCPU the host
 * preempted during one try does not inflate it. Code that sums timed
 * regions takes this out of each.
 */
static inline uint64_t counter_empty_region(void)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < 256; i++) {
		uint64_t t0 = arch_counter_read();
		uint64_t d = arch_counter_read() - t0;

		if (d < best)
			best = d;
	}
	return best;
}

#endif
