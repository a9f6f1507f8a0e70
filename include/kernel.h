/* SPDX-License-Identifier: MIT */
/*
 * The two failure channels. panic()/BUG_ON() are for broken internal
 * invariants: they stop every CPU and end the run with a failure status.
 * Anything a caller or a user can get wrong returns an error code instead
 * (include/kerrno.h) and never reaches these.
 */
#ifndef QUIESCE_KERNEL_H
#define QUIESCE_KERNEL_H

#include <compiler.h>
#include <kerrno.h>
#include <printk.h>

__noreturn __printf(1, 2) void panic(const char *fmt, ...);

#define BUG()	panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

/* Reports a recoverable oddity with a backtrace; evaluates to cond. */
void __warn(const char *file, int line, const char *cond);
#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #cond);			\
	__c;								\
})
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c) && !__warned) {				\
		__warned = true;					\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	__c;								\
})

/*
 * might_sleep(): the caller is about to wait for something another CPU
 * must do (a grace period, a completion). Debug builds report doing so
 * with interrupts off or inside an RCU read-side section.
 */
void __might_sleep(const char *file, int line);
#ifdef CONFIG_DEBUG
#define might_sleep()	__might_sleep(__FILE__, __LINE__)
#else
#define might_sleep()	do { } while (0)
#endif

/* Parse an unsigned decimal (or 0x hex) number; 0 or -EINVAL/-ERANGE. */
int kstrtoull(const char *s, unsigned long long *res);

/* Print the call chain starting at frame pointer fp. */
void dump_backtrace(uintptr_t fp, uintptr_t pc);
void dump_stack(void);

#endif
