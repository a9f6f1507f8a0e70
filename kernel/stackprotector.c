// SPDX-License-Identifier: MIT
/*
 * The stack protector. With -fstack-protector-strong (the Makefile) every
 * function that has a local array, or a local whose address escapes,
 * copies __stack_chk_guard into its frame on entry, between its locals
 * and its saved registers, and compares the copy before it returns: an
 * overrun of a local buffer that reaches the saved registers and the
 * return address overwrites the copy on its way, and the function calls
 * __stack_chk_fail() instead of returning into the damage.
 *
 * The guard is one global (-mstack-protector-guard=global), the same on
 * every CPU, drawn afresh on every boot, so an attacker cannot write the
 * value back. Its lowest byte is zero: an overrun by a string copy stops
 * at the NUL and cannot reproduce the guard.
 *
 * A protected function compares against the value it stored, so the
 * guard may only change while no protected function is on any stack:
 * head.S calls stack_protector_init() on the boot CPU before any other C
 * function (on ARM with the MMU and caches still off), and the guard
 * never changes again.
 */
#include <arch.h>
#include <kernel.h>
#include <ksyms.h>
#include "stackprotector_internal.h"

#define __no_stack_protector	__attribute__((no_stack_protector))

/* At most this much of the boot information is mixed in. */
#define BOOT_INFO_MAX		(64u << 10)
/* 2^64 / golden ratio: an odd multiplier whose product spreads every bit. */
#define MIX_MULT		0x9e3779b97f4a7c15ULL

uintptr_t __stack_chk_guard;

/* What this boot's guard was drawn from (for the selftest to show). */
const char *canary_rng;		/* the CPU instruction, or NULL */
size_t canary_boot_info;	/* bytes of boot information mixed in */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * MIX_MULT;
	return h ^ (h >> 32);
}

/*
 * One draw: the CPU's random generator where there is one, the free-running
 * counter (its value at this point of boot differs from boot to boot on
 * real hardware and under QEMU alike), and the boot information, whose DTB
 * carries a random /chosen/rng-seed and kaslr-seed on QEMU's virt machine
 * and from the Raspberry Pi firmware. Any context; boot_info 0 for none.
 */
uintptr_t canary_draw(uintptr_t boot_info, const char **rng, size_t *info_len)
{
	const uint8_t *p = (const uint8_t *)boot_info;
	size_t len = boot_info ? min(arch_boot_info_size(boot_info), (size_t)BOOT_INFO_MAX) : 0;
	uint64_t h = mix(0, arch_counter_read()), word = 0;
	unsigned long r = 0;

	*rng = arch_get_random_long(&r);
	h = mix(h, r);
	/* Byte loads only: ARM may run this with the MMU off (no unaligned access). */
	for (size_t i = 0; i < len; i++) {
		word = word << 8 | p[i];
		if (i % 8 == 7)
			h = mix(h, word);
	}
	h = mix(mix(h, word), arch_counter_read());
	*info_len = len;
	/* Fold the high half in for a 32-bit guard; clear the lowest byte. */
	h ^= h >> 32;
	return ((uintptr_t)h & ~(uintptr_t)0xff) ?: (uintptr_t)MIX_MULT << 8;
}

/*
 * head.S, boot CPU, interrupts off, before any other C function; on ARM
 * the MMU is off. Not itself protected: it changes the value it would
 * compare with.
 */
void stack_protector_init(uintptr_t boot_info);
__no_stack_protector void stack_protector_init(uintptr_t boot_info)
{
	__stack_chk_guard = canary_draw(boot_info, &canary_rng, &canary_boot_info);
}

/*
 * Called by a protected function whose copy of the guard no longer
 * matches: its own frame is corrupt, so it must not return. The return
 * address points just past the call; the call itself (ret - 1) is in that
 * function even when it is the function's last instruction.
 */
__noreturn void __stack_chk_fail(void);
__noreturn __no_stack_protector void __stack_chk_fail(void)
{
	uintptr_t ret = (uintptr_t)__builtin_return_address(0), off = 0;
	const char *fn = ksym_lookup(ret - 1, &off);

	panic("stack-protector: kernel stack is corrupted in: %s+0x%lx",
	      fn ? fn : "?", (unsigned long)off + 1);
}
