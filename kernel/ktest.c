// SPDX-License-Identifier: MIT
/*
 * The in-kernel test framework. The same file runs the cases in the
 * kernel (run=selftest) and in the host build.
 */
#include <ktest.h>
#include <kernel.h>
#include <libc.h>

/* Weak: a build without any case still links. */
extern const struct ktest *const __start_ktests[] __weak;
extern const struct ktest *const __stop_ktests[] __weak;

int ktest_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b);
}

void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    %s:%d: %s\n", file, line, msg);
	t->failures++;
}

static bool ktest_matches(const struct ktest *k, const char *filter)
{
	char full[128];
	size_t flen;

	if (!filter || !*filter)
		return true;
	snprintf(full, sizeof(full), "%s.%s", k->suite, k->name);
	flen = strlen(filter);
	for (const char *p = full; *p; p++)
		if (!strncmp(p, filter, flen))
			return true;
	return false;
}

bool ktest_announce;

int ktest_run_all(const char *filter, unsigned int nr_cpus, int *passed)
{
	int failed = 0, ok = 0, skipped = 0;

	for (const struct ktest *const *kp = __start_ktests; kp < __stop_ktests; kp++) {
		const struct ktest *k = *kp;
		struct ktest_ctx t = { .test = k };

		if (!ktest_matches(k, filter))
			continue;
#ifndef CONFIG_DEBUG
		if (k->needs_debug) {
			printk("skip %s.%s (needs CONFIG_DEBUG)\n", k->suite, k->name);
			skipped++;
			continue;
		}
#endif
		if (nr_cpus < k->min_cpus) {
			printk("skip %s.%s (needs %u CPUs)\n", k->suite, k->name,
			       k->min_cpus);
			skipped++;
			continue;
		}
		if (ktest_announce)
			printk("run  %s.%s\n", k->suite, k->name);
		k->fn(&t);
		if (t.failures) {
			printk("FAIL %s.%s\n", k->suite, k->name);
			failed++;
		} else {
			printk("ok   %s.%s\n", k->suite, k->name);
			ok++;
		}
	}
	printk("ktest: %d passed, %d failed, %d skipped\n", ok, failed, skipped);
	*passed = ok;
	return failed;
}
