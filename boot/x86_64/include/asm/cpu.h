/* SPDX-License-Identifier: MIT */
/* x86 CPU registers: CPUID, MSRs, control registers. */
#ifndef QUIESCE_ASM_CPU_H
#define QUIESCE_ASM_CPU_H

#define MSR_APIC_BASE		0x0000001b
#define MSR_EFER		0xc0000080
#define MSR_GS_BASE		0xc0000101

#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_X2APIC	(1ULL << 10)
#define APIC_BASE_ENABLE	(1ULL << 11)

#define EFER_LME		(1u << 8)
#define EFER_NXE		(1u << 11)

#define CR0_PE			(1u << 0)
#define CR0_ET			(1u << 4)
#define CR0_NE			(1u << 5)
#define CR0_WP			(1u << 16)
#define CR0_PG			(1u << 31)
#define CR4_PAE			(1u << 5)

/* CPUID feature bits the kernel looks at. */
#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_EDX_APIC		(1u << 9)
#define CPUID81_EDX_NX		(1u << 20)
#define CPUID81_EDX_LM		(1u << 29)
#define CPUID87_EDX_INVTSC	(1u << 8)
#define CPUID1_ECX_RDRAND	(1u << 30)
#define CPUID7_EBX_RDSEED	(1u << 18)

#ifndef __ASSEMBLER__
#include <compiler.h>

struct cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid r;

	__asm__ __volatile__("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)) : "memory");
}

/* MOV from control register n (0, 2, 3, 4). */
#define __read_cr(n) ({							\
	uint64_t __v;							\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(__v));		\
	__v;								\
})

static inline uint64_t read_cr0(void) { return __read_cr(0); }
static inline uint64_t read_cr2(void) { return __read_cr(2); }
static inline uint64_t read_cr3(void) { return __read_cr(3); }
static inline uint64_t read_cr4(void) { return __read_cr(4); }

static inline void write_cr3(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" :: "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}
#endif

#endif
