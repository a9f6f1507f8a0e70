// SPDX-License-Identifier: MIT
/* refcount_t's slow path: saturation reports (see include/refcount.h). */
#include <refcount.h>
#include <kernel.h>

atomic_t refcount_saturations;

static const char *const saturation_what[REFCOUNT_NR_TYPES] = {
	[REFCOUNT_ADD_OVF] = "saturated; leaking memory",
	[REFCOUNT_ADD_UAF] = "addition on 0; use-after-free",
	[REFCOUNT_SUB_UAF] = "underflow; use-after-free",
	[REFCOUNT_DEC_LEAK] = "decrement hit 0; leaking memory",
};
static bool warned[REFCOUNT_NR_TYPES];

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	atomic_set(&r->refs, REFCOUNT_SATURATED);
	atomic_inc(&refcount_saturations);
	/* Once per kind: xchg so that racing CPUs print it only once. */
	if (!xchg_relaxed(&warned[t], true)) {
		printk("refcount_t: %s\n", saturation_what[t]);
		__warn(__FILE__, __LINE__, saturation_what[t]);
	}
}
