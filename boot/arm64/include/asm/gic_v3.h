/* SPDX-License-Identifier: MIT */
/* GICv3 CPU-interface system registers, as drivers/irq/gicv3.c uses them. */
#ifndef QUIESCE_ASM_GIC_V3_H
#define QUIESCE_ASM_GIC_V3_H

#include <compiler.h>

#define __sysreg_read(name) ({ uint64_t __v;				\
	__asm__ __volatile__("mrs %0, " name : "=r"(__v) :: "memory"); __v; })
#define __sysreg_write(name, v)						\
	__asm__ __volatile__("msr " name ", %0" :: "r"((uint64_t)(v)) : "memory")

static inline uint64_t icc_sre_read(void) { return __sysreg_read("S3_0_C12_C12_5"); }
static inline void icc_sre_write(uint64_t v) { __sysreg_write("S3_0_C12_C12_5", v); __asm__ __volatile__("isb"); }
static inline void icc_pmr_write(uint64_t v) { __sysreg_write("S3_0_C4_C6_0", v); }
static inline void icc_igrpen1_write(uint64_t v) { __sysreg_write("S3_0_C12_C12_7", v); __asm__ __volatile__("isb"); }
static inline uint32_t icc_iar1_read(void) { return (uint32_t)__sysreg_read("S3_0_C12_C12_0"); }
static inline void icc_eoir1_write(uint32_t v) { __sysreg_write("S3_0_C12_C12_1", v); __asm__ __volatile__("isb"); }
/* The DSB orders the caller's normal-memory stores before the SGI. */
static inline void icc_sgi1r_write(uint64_t v)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
	__sysreg_write("S3_0_C12_C11_5", v);
	__asm__ __volatile__("isb");
}

/* Affinity fields of this CPU's MPIDR, packed Aff3.Aff2.Aff1.Aff0. */
static inline uint64_t gic_cpu_affinity(void)
{
	uint64_t m = __sysreg_read("mpidr_el1");

	return ((m >> 32) & 0xff) << 24 | (m & 0xffffff);
}

/* Affinity of a firmware CPU id (the DTB's MPIDR value), same packing. */
static inline uint64_t gic_hwid_affinity(uint64_t hwid)
{
	return ((hwid >> 32) & 0xff) << 24 | (hwid & 0xffffff);
}

#endif
