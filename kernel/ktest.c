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
	printk("# %s:%d: %s\n", file, line, msg);
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

/* Why k does not run here, or NULL. */
static const char *ktest_skip_reason(const struct ktest *k, unsigned int nr_cpus,
				     char *buf, size_t size)
{
#ifndef CONFIG_DEBUG
	if (k->needs_debug)
		return "needs CONFIG_DEBUG";
#endif
	if (nr_cpus < k->min_cpus) {
		snprintf(buf, size, "needs %u CPUs", k->min_cpus);
		return buf;
	}
	return NULL;
}

void ktest_list(const char *filter, unsigned int nr_cpus)
{
	char why[32];

	for (const struct ktest *const *kp = __start_ktests; kp < __stop_ktests; kp++)
		if (ktest_matches(*kp, filter) && !ktest_skip_reason(*kp, nr_cpus, why, sizeof(why)))
			printk("%s.%s\n", (*kp)->suite, (*kp)->name);
}

/*
 * KTAP version 1 (the format of Linux's Documentation/dev-tools/ktap.rst):
 * the version line, the plan 1..N, then per case "ok <n> <suite.name>",
 * "not ok <n> <suite.name>" or "ok <n> <suite.name> # SKIP <why>". The
 * lines starting "# " are diagnostics: "# run <suite.name>" before each
 * case (a crash or a sanitizer report inside it is named after it), a
 * failed expectation's "# file:line: message" before its result, and the
 * totals at the end.
 */
int ktest_run_all(const char *filter, unsigned int nr_cpus, int *passed)
{
	int failed = 0, ok = 0, skipped = 0;
	unsigned int planned = 0, n = 0;
	char why[32];

	for (const struct ktest *const *kp = __start_ktests; kp < __stop_ktests; kp++)
		planned += ktest_matches(*kp, filter);
	printk("KTAP version 1\n1..%u\n", planned);
	for (const struct ktest *const *kp = __start_ktests; kp < __stop_ktests; kp++) {
		const struct ktest *k = *kp;
		struct ktest_ctx t = { .test = k };
		const char *skip;

		if (!ktest_matches(k, filter))
			continue;
		n++;
		skip = ktest_skip_reason(k, nr_cpus, why, sizeof(why));
		if (skip) {
			printk("ok %u %s.%s # SKIP %s\n", n, k->suite, k->name, skip);
			skipped++;
			continue;
		}
		printk("# run %s.%s\n", k->suite, k->name);
		k->fn(&t);
		printk("%s %u %s.%s\n", t.failures ? "not ok" : "ok", n, k->suite, k->name);
		if (t.failures)
			failed++;
		else
			ok++;
	}
	printk("# ktest: %d passed, %d failed, %d skipped\n", ok, failed, skipped);
	*passed = ok;
	return failed;
}
