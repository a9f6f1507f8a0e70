// SPDX-License-Identifier: MIT
/*
 * x86_64 exception and interrupt dispatch: device vectors go to the
 * generic irq_handle(), breakpoints to whoever registered for them, and
 * every other exception is fatal, reported with the CPU, the vector, the
 * error code, CR2, every register and a backtrace.
 */
#include <arch.h>
#include <irqchip.h>
#include <kernel.h>
#include <ksyms.h>
#include <traps.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/ptrace.h>
#include "x86_64.h"

#define VECTOR_BP	3
#define VECTOR_DF	8
#define VECTOR_PF	14
#define NR_EXCEPTIONS	32

/* Page-fault error code bits. */
#define PF_PRESENT	(1u << 0)
#define PF_WRITE	(1u << 1)
#define PF_RSVD		(1u << 3)
#define PF_INSTR	(1u << 4)

static const char *const exception_names[NR_EXCEPTIONS] = {
	[0] = "divide error (#DE)",
	[1] = "debug exception (#DB)",
	[2] = "NMI",
	[3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)",
	[5] = "bound range exceeded (#BR)",
	[6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)",
	[8] = "double fault (#DF)",
	[10] = "invalid TSS (#TS)",
	[11] = "segment not present (#NP)",
	[12] = "stack-segment fault (#SS)",
	[13] = "general protection fault (#GP)",
	[14] = "page fault (#PF)",
	[16] = "x87 floating-point error (#MF)",
	[17] = "alignment check (#AC)",
	[18] = "machine check (#MC)",
	[19] = "SIMD floating-point exception (#XM)",
	[20] = "virtualization exception (#VE)",
	[21] = "control protection exception (#CP)",
};

static const char *sym(uint64_t addr, uintptr_t *off)
{
	const char *name = ksym_lookup(addr, off);

	if (!name)
		*off = 0;
	return name ? name : "?";
}

/* The general registers as arch_show_regs() prints them, three a line. */
static const struct {
	char name[4];
	unsigned short off;
} gprs[] = {
	{ "RAX", offsetof(struct pt_regs, rax) }, { "RBX", offsetof(struct pt_regs, rbx) },
	{ "RCX", offsetof(struct pt_regs, rcx) }, { "RDX", offsetof(struct pt_regs, rdx) },
	{ "RSI", offsetof(struct pt_regs, rsi) }, { "RDI", offsetof(struct pt_regs, rdi) },
	{ "RBP", offsetof(struct pt_regs, rbp) }, { "R08", offsetof(struct pt_regs, r8) },
	{ "R09", offsetof(struct pt_regs, r9) }, { "R10", offsetof(struct pt_regs, r10) },
	{ "R11", offsetof(struct pt_regs, r11) }, { "R12", offsetof(struct pt_regs, r12) },
	{ "R13", offsetof(struct pt_regs, r13) }, { "R14", offsetof(struct pt_regs, r14) },
	{ "R15", offsetof(struct pt_regs, r15) },
};
_Static_assert(ARRAY_SIZE(gprs) % 3 == 0, "three registers a line");

static uint64_t gpr(const struct pt_regs *regs, unsigned int i)
{
	return *(const uint64_t *)((const char *)regs + gprs[i].off);
}

void arch_show_regs(const struct pt_regs *regs)
{
	uintptr_t off;
	const char *name = sym(regs->rip, &off);

	printk("RIP: %04llx:[<%016llx>] %s+0x%lx\n", (unsigned long long)regs->cs,
	       (unsigned long long)regs->rip, name, (unsigned long)off);
	printk("RSP: %04llx:%016llx RFLAGS: %08llx\n", (unsigned long long)regs->ss,
	       (unsigned long long)regs->rsp, (unsigned long long)regs->rflags);
	for (unsigned int i = 0; i < ARRAY_SIZE(gprs); i += 3)
		printk("%s: %016llx %s: %016llx %s: %016llx\n",
		       gprs[i].name, (unsigned long long)gpr(regs, i),
		       gprs[i + 1].name, (unsigned long long)gpr(regs, i + 1),
		       gprs[i + 2].name, (unsigned long long)gpr(regs, i + 2));
	printk("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

static const char *pf_access(uint64_t err)
{
	if (err & PF_INSTR)
		return "instruction fetch";
	return err & PF_WRITE ? "write" : "read";
}

static const char *pf_reason(uint64_t err)
{
	if (err & PF_RSVD)
		return "reserved bit set";
	return err & PF_PRESENT ? "protection violation" : "not-present page";
}

/*
 * A thread-stack overflow faults on the guard page; the CPU cannot push
 * the #PF frame there either and raises #DF on its IST stack, with CR2
 * still naming the guard address. (A #DF's saved RIP is architecturally
 * undefined; the registers are the faulting context's.)
 */
static __noreturn void die(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;
	const char *what = v < NR_EXCEPTIONS && exception_names[v] ?
			   exception_names[v] : "reserved exception";
	uint64_t cr2 = read_cr2();
	int guard = stack_guard_owner(cr2);

	arch_irq_disable();
	printk("Internal error on CPU %u: %s\n", arch_cpu_id(), what);
	if ((v == VECTOR_PF || v == VECTOR_DF) && guard >= 0)
		printk("kernel stack overflow: CPU %d hit the guard page at %016llx\n",
		       guard, (unsigned long long)cr2);
	else if (v == VECTOR_PF)
		printk("Unable to handle kernel %s at virtual address %016llx (%s)\n",
		       pf_access(regs->error_code), (unsigned long long)cr2,
		       pf_reason(regs->error_code));
	printk("vector: %u error code: %#llx CR2: %016llx RIP: %016llx\n", v,
	       (unsigned long long)regs->error_code, (unsigned long long)cr2,
	       (unsigned long long)regs->rip);
	arch_show_regs(regs);
	dump_backtrace(regs->rbp, regs->rip);
	panic("Fatal exception: %s", what);
}

/* entry.S: every vector, interrupts off (all gates are interrupt gates). */
void x86_trap(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;

	if (v >= NR_EXCEPTIONS) {
		/* A spurious APIC interrupt is not in service: no EOI. */
		if (v == SPURIOUS_VECTOR)
			return;
		lapic_set_vector(v);
		irq_handle(regs_pc(regs));
		return;
	}
	if (v == VECTOR_BP && trap_breakpoint(regs, 0))
		return;
	die(regs);
}

/* A frame record is {previous rbp, return address}, on a kernel stack. */
bool arch_unwind_frame(uintptr_t *fp, uintptr_t *pc)
{
	return unwind_frame_record(fp, pc, on_kernel_stack);
}
