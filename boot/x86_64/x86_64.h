/* SPDX-License-Identifier: MIT */
/* Private to boot/x86_64: what its files (C and assembly) share. */
#ifndef QUIESCE_BOOT_X86_64_H
#define QUIESCE_BOOT_X86_64_H

/* GDT selectors; the TSS of CPU n is the 16-byte descriptor at SEL_TSS(n). */
#define SEL_CODE32	0x08
#define SEL_CODE64	0x10
#define SEL_DATA	0x18
#define SEL_TSS(n)	(0x20 + 16 * (n))
#define GDT_SIZE(ncpus)	(0x20 + 16 * (ncpus))

/* How the boot CPU arrived (x86_boot_protocol). */
#define BOOT_PVH	1
#define BOOT_MULTIBOOT2	2
#define MB2_BOOT_MAGIC	0x36d76289

/* The AP trampoline's page below 1 MiB; the SIPI vector is its page number. */
#define TRAMPOLINE_PA	0x8000

/* IST slots in the TSS (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI		2

/* struct cpu_stack: thread, #DF and NMI stack tops, padded to 32 bytes. */
#define CPU_STACK_SHIFT	5

#ifndef __ASSEMBLER__
#include <compiler.h>

/*
 * Per-CPU stacks live in their own virtual window with unmapped guards:
 * slot n = [guard][thread stack][guard][#DF stack][guard][NMI stack][unused].
 * The #DF stack is where a thread-stack overflow is reported from.
 */
#define STACK_WINDOW		0x7000000000UL
#define STACK_SLOT		0x10000UL
#define THREAD_STACK_OFF	0x1000UL
#define THREAD_STACK_SIZE	0x4000UL
#define DF_STACK_OFF		0x6000UL
#define DF_STACK_SIZE		0x2000UL
#define NMI_STACK_OFF		0x9000UL
#define NMI_STACK_SIZE		0x2000UL

struct cpu_stack {
	uint64_t thread_top;
	uint64_t df_top;
	uint64_t nmi_top;
	uint64_t unused;
};
_Static_assert(sizeof(struct cpu_stack) == 1 << CPU_STACK_SHIFT, "cpu_stack size");
extern struct cpu_stack cpu_stacks[];

/* The 64-bit task-state segment: only the IST stack pointers matter here. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "tss size");

/* What GS base points at on each CPU. */
struct x86_cpu {
	unsigned int id;	/* first: arch_cpu_id() reads %gs:0 */
	struct tss tss;
} ____cacheline_aligned;
_Static_assert(__builtin_offsetof(struct x86_cpu, id) == 0, "x86_cpu.id");
extern struct x86_cpu x86_cpus[];

/* head.S */
extern unsigned int x86_boot_protocol;
extern uint32_t ap_boot_cr3;		/* page-table root an AP loads */
extern uint32_t ap_boot_efer;		/* EFER bits an AP sets */
extern int ap_boot_cpu;			/* logical index of the AP starting */
extern const char ap_trampoline[], ap_trampoline_end[];
extern char boot_stack_top[];
__noreturn void call_on_stack(void *arg, void (*fn)(void *), uintptr_t sp);

/* cpu.c: descriptor tables and per-CPU registers. */
void cpu_tables_init(void);		/* boot CPU, once: IDT gates */
void cpu_load_tables(unsigned int cpu);	/* every CPU: GDT, IDT, GS, TSS */
void cpu_set_tss(unsigned int cpu, uint64_t df_top, uint64_t nmi_top);

/* mmu.c */
void mmu_init(void);			/* build the kernel map and switch to it */
uint64_t mmu_root(void);
bool mmu_has_nx(void);

/* stacks.c */
int stacks_alloc(unsigned int cpu);
int stack_guard_owner(uintptr_t addr);
bool on_kernel_stack(uintptr_t addr);

/* bootinfo.c: what the boot loader handed over, copied early. */
#define E820_RAM	1
struct mem_region {
	uint64_t base, size;
	uint32_t type;
};
struct boot_info {
	const char *protocol;		/* "PVH", "multiboot2" */
	char cmdline[1024];
	struct mem_region mem[64];
	unsigned int nr_mem;
	uint64_t rsdp_pa;		/* 0 if the loader gave no address */
	uint8_t rsdp[36];		/* or a copy of the RSDP (multiboot2) */
	size_t rsdp_len;		/* bytes in rsdp[], 0 if none */
};
extern struct boot_info boot_info;
/* 0, or -EINVAL when the loader left nothing recognisable. */
int boot_info_parse(unsigned int protocol, uintptr_t info);

#endif
#endif
