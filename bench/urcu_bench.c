// SPDX-License-Identifier: MIT
/*
 * urcu-bench: runs every selected contender through every selected test
 * at every reader count and prints one URCU line per measurement (see
 * bench/urcu_bench.h). A benchmark: numbers, not pass/fail; it fails
 * only on bad arguments (exit 2) or when a reader saw a freed object
 * (exit 1; expected of -c busted only).
 *
 * After the measurements, one table of ratios, Quiesce / the better
 * liburcu flavour per test and reader count, on the measure where each
 * goal is stated (read: reads/s per reader, sync: p50 latency, call:
 * objects/s), one RATIO line per cell:
 *   RATIO test=<t> readers=<n> metric=<m> quiesce=<v> best=<flavour>
 *	best_value=<v> ratio=<x> better_if=<higher|lower> ahead=<yes|no>
 *	qsbr_ratio=<x>
 * qsbr_ratio is Quiesce / urcu-qsbr alone: the flavour whose readers,
 * like Quiesce's, mark nothing (0 when urcu-qsbr was not run).
 *
 * Usage: urcu-bench [-c contenders] [-t tests] [-r readers] [-m ms] [-q qs_every]
 *   -c  comma list of urcu-qsbr, urcu-memb, quiesce, rwlock, busted, all
 *       (default all: every one but busted)
 *   -t  comma list of read, sync, call (default all three)
 *   -r  comma list of reader-thread counts, 1..32 (default 1,2,4: 4 is
 *       more readers than a 2-core machine has cores)
 *   -m  milliseconds per measurement (default 1000)
 *   -q  reads between quiescent states, and updates between the
 *       updater's (default 64)
 */
#include "urcu_bench.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct contender *const contenders[] = {
	&contender_urcu_qsbr, &contender_urcu_memb, &contender_quiesce, &contender_rwlock,
	&contender_busted,
};
#define NR_CONTENDERS	(sizeof(contenders) / sizeof(contenders[0]))
#define DEFAULT_CONTENDERS	4	/* all but busted */

static const char *const test_names[] = { "read", "sync", "call" };
#define NR_TESTS	3

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_set_flag(int *flag)
{
	/* Release: what the setter did before (its counts) precedes the flag. */
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
}

static __attribute__((noreturn)) void bad_arg(const char *what, const char *value, const char *valid)
{
	fprintf(stderr, "urcu-bench: bad %s '%s' (valid: %s)\n", what, value, valid);
	exit(2);
}

static unsigned long parse_num(const char *what, const char *s, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		char range[64];

		snprintf(range, sizeof(range), "a number from %lu to %lu", lo, hi);
		bad_arg(what, s, range);
	}
	return v;
}

/* Split a comma list into a NULL-terminated array (in place). */
static unsigned int split(char *list, char **out, unsigned int max, const char *what)
{
	unsigned int n = 0;

	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (n == max)
			bad_arg(what, tok, "fewer items");
		out[n++] = tok;
	}
	if (!n)
		bad_arg(what, "", "a non-empty comma list");
	return n;
}

struct thread_arg {
	const struct contender *c;
	struct bench_run *run;
	unsigned int id;
};

static uint64_t cpu_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	if (a->id)
		a->c->reader(a->run, a->id);
	else
		a->c->updater(a->run);
	/* A new thread: its CPU time is this measurement's. */
	a->run->thread[a->id].cpu_ns = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* What the ratio table needs of each measurement. */
struct measured {
	const struct contender *c;
	enum bench_test test;
	unsigned int readers;
	double per_reader_ops_per_sec;	/* read */
	double p50_ns;			/* sync */
	double ops_per_sec;		/* call */
};
#define MAX_MEASURED	(NR_TESTS * BENCH_MAX_READERS * 8)
static struct measured measured[MAX_MEASURED];
static unsigned int nr_measured;

/* The measure each test's goal is stated in, and which way is better. */
static double goal_value(const struct measured *m)
{
	return m->test == TEST_READ ? m->per_reader_ops_per_sec :
	       m->test == TEST_SYNC ? m->p50_ns : m->ops_per_sec;
}

static const char *const goal_metric[] = { "reads_per_sec_per_reader", "p50_ns", "ops_per_sec" };

static const struct measured *find_measured(const char *name, enum bench_test test,
					    unsigned int readers)
{
	for (unsigned int i = 0; i < nr_measured; i++)
		if (measured[i].test == test && measured[i].readers == readers &&
		    !strcmp(measured[i].c->name, name))
			return &measured[i];
	return NULL;
}

/* Quiesce / the better liburcu flavour, for every test and reader count
 * measured: the table, or (lines) its RATIO lines. */
static void print_ratios(const unsigned int *tests, unsigned int ntests,
			 const unsigned int *readers, unsigned int nreaders, bool lines)
{
	bool header = false;

	for (unsigned int t = 0; t < ntests; t++) {
		enum bench_test test = (enum bench_test)tests[t];
		bool lower = test == TEST_SYNC;

		for (unsigned int r = 0; r < nreaders; r++) {
			const struct measured *q = find_measured("quiesce", test, readers[r]);
			const struct measured *a = find_measured("urcu-qsbr", test, readers[r]);
			const struct measured *b = find_measured("urcu-memb", test, readers[r]);
			const struct measured *best;
			double qv, bv, ratio, qsbr_ratio;

			if (!q || (!a && !b))
				continue;
			if (a && b)
				best = lower == (goal_value(a) < goal_value(b)) ? a : b;
			else
				best = a ? a : b;
			qv = goal_value(q);
			bv = goal_value(best);
			ratio = bv ? qv / bv : 0;
			/* QSBR is Quiesce's own design: its readers mark nothing. */
			qsbr_ratio = a && goal_value(a) ? qv / goal_value(a) : 0;
			if (lines) {
				printf("RATIO test=%s readers=%u metric=%s quiesce=%.1f best=%s "
				       "best_value=%.1f ratio=%.3f better_if=%s ahead=%s qsbr_ratio=%.3f\n",
				       test_names[test], readers[r], goal_metric[test], qv,
				       best->c->name, bv, ratio, lower ? "lower" : "higher",
				       (lower ? qv <= bv : qv >= bv) ? "yes" : "no", qsbr_ratio);
				continue;
			}
			if (!header) {
				printf("\nQuiesce / best liburcu (read, call: higher is better; "
				       "sync p50: lower is better)\n");
				printf("%-5s %7s  %-24s %14s %14s  %-10s %7s %9s\n", "test", "readers",
				       "metric", "quiesce", "best liburcu", "(flavour)", "ratio",
				       "vs qsbr");
				header = true;
			}
			printf("%-5s %7u  %-24s %14.1f %14.1f  %-10s %7.2f %9.2f\n", test_names[test],
			       readers[r], goal_metric[test], qv, bv, best->c->name, ratio,
			       qsbr_ratio);
		}
	}
	fflush(stdout);
}

/* One measurement; prints its URCU line, returns the readers' errors. */
static unsigned long measure(const struct contender *c, enum bench_test test,
			     unsigned int readers, unsigned int ms, unsigned int qs_every,
			     uint64_t *samples)
{
	static struct bench_run run;
	struct thread_arg args[BENCH_MAX_READERS + 1];
	pthread_t threads[BENCH_MAX_READERS + 1];
	bool updater = test != TEST_READ;
	unsigned int first = updater ? 0 : 1;
	unsigned long reads = 0, errors = 0, ops;
	uint64_t elapsed, p50 = 0, p99 = 0, cpu0, upd_cpu;
	char upd_cpu_s[32] = "-";
	struct timespec nap = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	memset(&run, 0, sizeof(run));
	run.test = test;
	run.readers = readers;
	run.qs_every = qs_every;
	run.samples = samples;
	pthread_barrier_init(&run.start, NULL, readers + updater + 1);
	cpu0 = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (unsigned int id = first; id <= readers; id++) {
		args[id] = (struct thread_arg){ .c = c, .run = &run, .id = id };
		if (pthread_create(&threads[id], NULL, thread_main, &args[id])) {
			fprintf(stderr, "urcu-bench: cannot create thread %u\n", id);
			exit(1);
		}
	}
	pthread_barrier_wait(&run.start);
	run.start_ns = bench_now_ns();
	while (nanosleep(&nap, &nap))
		;
	run.stop_ns = bench_now_ns();
	bench_set_flag(&run.stop);
	if (!updater)
		bench_set_flag(&run.readers_stop);
	for (unsigned int id = first; id <= readers; id++)
		pthread_join(threads[id], NULL);
	pthread_barrier_destroy(&run.start);
	/* Everything but the readers: the updater, liburcu's helper
	 * threads, and this thread's wait (a few microseconds). */
	upd_cpu = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

	for (unsigned int id = 1; id <= readers; id++) {
		reads += run.thread[id].ops;
		errors += run.thread[id].errors;
		upd_cpu -= run.thread[id].cpu_ns;
	}
	if (updater) {
		/* Up to the end of the updater's last wait (call: rcu_barrier()). */
		elapsed = run.end_ns - run.start_ns;
		ops = run.updates;
		if (ops)
			snprintf(upd_cpu_s, sizeof(upd_cpu_s), "%.1f", (double)upd_cpu / (double)ops);
	} else {
		elapsed = run.stop_ns - run.start_ns;
		ops = reads;
	}
	if (run.nr_samples) {
		qsort(samples, run.nr_samples, sizeof(*samples), cmp_u64);
		p50 = samples[run.nr_samples / 2];
		p99 = samples[(uint64_t)run.nr_samples * 99 / 100];
	}
	printf("URCU contender=%s test=%s readers=%u ms=%llu ops=%lu ops_per_sec=%.0f "
	       "ns_per_op=%.2f p50_ns=%llu p99_ns=%llu errors=%lu upd_cpu_ns_per_op=%s\n",
	       c->name, test_names[test], readers, (unsigned long long)(elapsed / 1000000), ops,
	       ops ? ops * 1e9 / (double)elapsed : 0.0,
	       /* read: per reader thread; update tests: per update */
	       ops ? (double)elapsed * (updater ? 1 : readers) / (double)ops : 0.0,
	       (unsigned long long)p50, (unsigned long long)p99, errors, upd_cpu_s);
	fflush(stdout);
	if (nr_measured < MAX_MEASURED)
		measured[nr_measured++] = (struct measured){
			.c = c, .test = test, .readers = readers,
			.per_reader_ops_per_sec = ops ? ops * 1e9 / (double)elapsed / readers : 0,
			.p50_ns = (double)p50,
			.ops_per_sec = ops ? ops * 1e9 / (double)elapsed : 0,
		};
	return errors;
}

int main(int argc, char **argv)
{
	char *clist[NR_CONTENDERS + 1], *tlist[NR_TESTS + 1], *rlist[BENCH_MAX_READERS];
	char cdef[] = "all", tdef[] = "read,sync,call", rdef[] = "1,2,4";
	char *copt = cdef, *topt = tdef, *ropt = rdef;
	const struct contender *sel[NR_CONTENDERS];
	unsigned int nsel = 0, ncont, tests[NR_TESTS], ntests, readers[BENCH_MAX_READERS], nreaders;
	bool chosen[NR_CONTENDERS] = { false };
	unsigned int ms = 1000, qs_every = 64, max_readers = 0;
	unsigned long errors = 0;
	uint64_t *samples;
	int opt;

	while ((opt = getopt(argc, argv, "c:t:r:m:q:")) != -1) {
		switch (opt) {
		case 'c': copt = optarg; break;
		case 't': topt = optarg; break;
		case 'r': ropt = optarg; break;
		case 'm': ms = (unsigned int)parse_num("-m (ms)", optarg, 1, 3600000); break;
		case 'q': qs_every = (unsigned int)parse_num("-q (qs_every)", optarg, 1, 1u << 20); break;
		default:
			fprintf(stderr, "usage: urcu-bench [-c contenders] [-t tests] [-r readers] "
				"[-m ms] [-q qs_every]\n");
			return 2;
		}
	}
	if (optind < argc)
		bad_arg("argument", argv[optind], "only the options -c -t -r -m -q");

	ncont = split(copt, clist, NR_CONTENDERS + 1, "-c (contender)");
	for (unsigned int i = 0; i < ncont; i++) {
		unsigned int k;

		if (!strcmp(clist[i], "all")) {
			for (k = 0; k < DEFAULT_CONTENDERS; k++)
				chosen[k] = true;
			continue;
		}
		for (k = 0; k < NR_CONTENDERS && strcmp(clist[i], contenders[k]->name); k++)
			;
		if (k == NR_CONTENDERS)
			bad_arg("-c (contender)", clist[i],
				"urcu-qsbr, urcu-memb, quiesce, rwlock, busted, all");
		chosen[k] = true;
	}
	for (unsigned int k = 0; k < NR_CONTENDERS; k++)
		if (chosen[k])
			sel[nsel++] = contenders[k];
	ntests = split(topt, tlist, NR_TESTS, "-t (test)");
	for (unsigned int i = 0; i < ntests; i++) {
		unsigned int k;

		for (k = 0; k < NR_TESTS && strcmp(tlist[i], test_names[k]); k++)
			;
		if (k == NR_TESTS)
			bad_arg("-t (test)", tlist[i], "read, sync, call");
		tests[i] = k;
	}
	nreaders = split(ropt, rlist, BENCH_MAX_READERS, "-r (readers)");
	for (unsigned int i = 0; i < nreaders; i++) {
		readers[i] = (unsigned int)parse_num("-r (readers)", rlist[i], 1, BENCH_MAX_READERS);
		if (readers[i] > max_readers)
			max_readers = readers[i];
	}

	samples = malloc(BENCH_MAX_SAMPLES * sizeof(*samples));
	if (!samples) {
		fprintf(stderr, "urcu-bench: out of memory\n");
		return 1;
	}
	for (unsigned int i = 0; i < nsel; i++)
		sel[i]->init(max_readers + 1);
	for (unsigned int t = 0; t < ntests; t++)
		for (unsigned int r = 0; r < nreaders; r++)
			for (unsigned int i = 0; i < nsel; i++)
				errors += measure(sel[i], (enum bench_test)tests[t], readers[r],
						  ms, qs_every, samples);
	free(samples);
	print_ratios(tests, ntests, readers, nreaders, false);
	print_ratios(tests, ntests, readers, nreaders, true);
	if (errors) {
		fprintf(stderr, "urcu-bench: readers saw %lu freed or torn objects\n", errors);
		return 1;
	}
	return 0;
}
