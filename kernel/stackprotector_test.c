// SPDX-License-Identifier: MIT
/* The stack protector's guard (kernel/stackprotector.c) is drawn at boot. */
#include <kernel.h>
#include <ktest.h>
#include "stackprotector_internal.h"

KTEST(stackprotector, canary_is_drawn_at_boot)
{
	const char *rng;
	size_t info_len;
	uintptr_t again = canary_draw(0, &rng, &info_len);

	printk("stackprotector: canary from %s%sthe counter%s\n",
	       canary_rng ? canary_rng : "", canary_rng ? ", " : "",
	       canary_boot_info ? " and the boot information" : "");
	EXPECT_NE(t, __stack_chk_guard, 0);
	EXPECT_EQ(t, __stack_chk_guard & 0xff, 0);
	/* A second draw (later counter, fresh random bits) gives another value. */
	EXPECT_NE(t, again, __stack_chk_guard);
	EXPECT_EQ(t, again & 0xff, 0);
	EXPECT_TRUE(t, rng == canary_rng);
	EXPECT_EQ(t, info_len, 0);
}
