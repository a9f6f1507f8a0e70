// SPDX-License-Identifier: MIT
/*
 * x86 descriptor tables and per-CPU registers: one GDT (flat segments and
 * a TSS descriptor per CPU, head.S), one IDT shared by every CPU, and per
 * CPU a TSS whose IST slots hold the #DF and NMI stacks, and GS base
 * pointing at the CPU's struct x86_cpu.
 */
#include <arch.h>
#include <kernel.h>
#include <smp.h>
#include <asm/cpu.h>
#include "x86_64.h"

#define IDT_ENTRIES	256
#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define TSS_AVAILABLE	0x89	/* present, DPL 0, available 64-bit TSS */
#define VECTOR_NMI	2
#define VECTOR_DF	8

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "idt gate size");

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

struct x86_cpu x86_cpus[NR_CPUS];
static struct idt_gate idt[IDT_ENTRIES] __aligned(16);

extern uint64_t gdt_table[];
extern const struct desc_ptr gdt_ptr;
extern const char vector_stubs[];	/* entry.S: 16 bytes per vector */

void cpu_tables_init(void)
{
	for (unsigned int v = 0; v < IDT_ENTRIES; v++) {
		uint64_t addr = (uintptr_t)&vector_stubs[16 * v];

		idt[v] = (struct idt_gate){
			.offset_low = (uint16_t)addr,
			.selector = SEL_CODE64,
			.ist = v == VECTOR_DF ? IST_DOUBLE_FAULT :
			       v == VECTOR_NMI ? IST_NMI : 0,
			.type = GATE_INTERRUPT,
			.offset_mid = (uint16_t)(addr >> 16),
			.offset_high = (uint32_t)(addr >> 32),
		};
	}
}

/*
 * Point cpu's TSS at its IST stacks and (re)write its GDT descriptor as
 * available: LTR marks it busy, and a CPU started again after going
 * offline loads it again. The boot CPU calls this for a CPU that is not
 * running, or for itself before it reloads TR.
 */
void cpu_set_tss(unsigned int cpu, uint64_t df_top, uint64_t nmi_top)
{
	struct tss *tss = &x86_cpus[cpu].tss;
	uint64_t base = (uintptr_t)tss, limit = sizeof(*tss) - 1;
	uint64_t *desc = &gdt_table[SEL_TSS(cpu) / 8];

	tss->ist[IST_DOUBLE_FAULT - 1] = df_top;
	tss->ist[IST_NMI - 1] = nmi_top;
	tss->iomap_base = sizeof(*tss);	/* no I/O bitmap */
	desc[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		  (uint64_t)TSS_AVAILABLE << 40 | ((limit >> 16) & 0xf) << 48 |
		  ((base >> 24) & 0xff) << 56;
	desc[1] = base >> 32;
}

/* Runs on cpu itself, interrupts off: load everything it needs from here on. */
void cpu_load_tables(unsigned int cpu)
{
	struct desc_ptr idt_ptr = { sizeof(idt) - 1, (uintptr_t)idt };

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"			/* reload CS */
		"1:\tmovl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"		/* GS base is set below, after this */
		"lidt %3"
		:: "m"(gdt_ptr), "i"(SEL_CODE64), "i"(SEL_DATA), "m"(idt_ptr)
		: "rax", "memory");
	wrmsr(MSR_GS_BASE, (uintptr_t)&x86_cpus[cpu]);
	__asm__ __volatile__("ltr %w0" :: "r"(SEL_TSS(cpu)) : "memory");
}

/*
 * RDSEED (straight from the entropy source) if CPUID has it, else RDRAND
 * (from a generator it reseeds). Either may fail transiently (CF=0):
 * retried a few times.
 */
const char *arch_get_random_long(unsigned long *v)
{
	uint32_t max_leaf = cpuid(0, 0).eax;
	bool rdseed = max_leaf >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_RDSEED);
	bool rdrand = cpuid(1, 0).ecx & CPUID1_ECX_RDRAND;

	for (int tries = 0; tries < 16; tries++) {
		unsigned long val;
		bool ok;

		if (rdseed)
			__asm__ __volatile__("rdseed %0" : "=r"(val), "=@ccc"(ok));
		else if (rdrand)
			__asm__ __volatile__("rdrand %0" : "=r"(val), "=@ccc"(ok));
		else
			return NULL;
		if (ok) {
			*v = val;
			return rdseed ? "RDSEED" : "RDRAND";
		}
	}
	return NULL;
}
