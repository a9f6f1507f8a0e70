// SPDX-License-Identifier: MIT
/*
 * printk. Each CPU formats into its own line buffer and writes complete
 * lines to the console under console_owner, so lines never interleave.
 *
 * console_owner is a hand-rolled owner lock rather than a spinlock_t
 * because of the two cases a spinlock cannot handle: a CPU that faults
 * inside printk re-enters it (the owner is itself: it writes without
 * waiting), and during a panic the owner may be a CPU that will never
 * run again (the panicking CPU takes over after a bounded wait).
 */
#include <printk.h>
#include <arch.h>
#include <atomic.h>
#include <percpu.h>
#include <libc.h>
#include "panic.h"

#define LINE_MAX	256

struct printk_buf {
	char line[LINE_MAX];
	unsigned int len;
};
static DEFINE_PER_CPU(struct printk_buf, printk_buf);

static int console_owner = -1;	/* CPU writing to the console, or -1 */

static void console_write(const char *s, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

/* Returns true if this call took the console (and must release it). */
static bool console_lock(void)
{
	int me = (int)arch_cpu_id();
	unsigned long spins = 0;

	if (READ_ONCE(console_owner) == me)
		return false;	/* re-entered from an exception: just write */
	for (;;) {
		int free = -1;

		/* Acquire: pairs with the release in console_unlock(). */
		if (try_cmpxchg_acquire(&console_owner, &free, me))
			return true;
		if (panic_in_progress() && ++spins > 100000000UL) {
			WRITE_ONCE(console_owner, me);
			return true;
		}
		cpu_relax();
	}
}

static void console_unlock(void)
{
	smp_store_release(&console_owner, -1);
}

static void flush_lines(struct printk_buf *b, bool all)
{
	unsigned int end = 0;

	for (unsigned int i = 0; i < b->len; i++)
		if (b->line[i] == '\n')
			end = i + 1;
	if (all || b->len == LINE_MAX - 1)
		end = b->len;	/* a full buffer goes out as a line of its own */
	if (!end)
		return;
	bool took = console_lock();
	console_write(b->line, end);
	if (took)
		console_unlock();
	memmove(b->line, b->line + end, b->len - end);
	b->len -= end;
}

void vprintk(const char *fmt, va_list ap)
{
	unsigned long flags = arch_irq_save();
	struct printk_buf *b = this_cpu_ptr(&printk_buf);
	char tmp[LINE_MAX];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	if (n < 0)
		n = 0;
	if (n >= (int)sizeof(tmp))
		n = sizeof(tmp) - 1;
	for (int i = 0; i < n; i++) {
		b->line[b->len++] = tmp[i];
		if (tmp[i] == '\n' || b->len == LINE_MAX - 1)
			flush_lines(b, false);
	}
	arch_irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Write out whatever this CPU still buffers (panic path). */
void printk_flush(void)
{
	unsigned long flags = arch_irq_save();

	flush_lines(this_cpu_ptr(&printk_buf), true);
	arch_irq_restore(flags);
}
