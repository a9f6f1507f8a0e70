"""make mutants: the planted bugs (tools/mutants.py applies each in a
scratch worktree and runs the selection that must catch it).

Each entry: (name, class, file, text to replace (must occur once), its
replacement, testsuite.py arguments). The classes are issue 15's: retry
(what an automatic retry used to hide), gp-short (a grace period one
short), lifetime (a lifetime race in a workload), ordering (a barrier a
"pairs with" comment claims), sanitizer (a sanitizer report under -k),
offline (a dead CPU's callbacks), plus core (RCU machinery broken
outright)."""

QEMU = ["--no-host"]

MUTANTS = [
    # retry: failures the old retry turned green.
    ("free-without-gp", "retry", "workloads/model/dcache.c",
     "call_rcu(&d->d_rcu, d_free_rcu);", "d_free_rcu(&d->d_rcu);",
     ["-k", "workload:qemu-virt-arm64:proc-lookup:cpus=4"] + QEMU),
    ("srcu-readers-not-waited", "retry", "rcu/srcu.c",
     "\tdefault:\n\t\t\tif (!srcu_readers_done(ssp, (unsigned int)(ssp->idx & 1) ^ 1))\n\t\t\t\treturn;",
     "\tdefault:",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=2"] + QEMU),
    ("rwsem-readers-ignore-writers", "retry", "include/rwsem.h",
     "\tif (lock_acquire(&s->dep_map))\n\t\traw_read_lock(&s->raw);",
     "\tlock_acquire(&s->dep_map);",
     ["-k", "locks:qemu-virt-arm64:locktorture:cpus=4"] + QEMU),
    ("exp-qs-inside-reader", "retry", "rcu/exp.c",
     "\tif (!__this_cpu_read(rcu_read_nesting))\n\t\trcu_report_qs_cpu(this_cpu_ptr(&rcu_data), false);",
     "\trcu_report_qs_cpu(this_cpu_ptr(&rcu_data), false);",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=4"] + QEMU),
    ("retry-everything", "retry", "tools/testsuite.py",
     "    if ok or not infra:\n        return case, ok, why, None",
     "    if ok:\n        return case, ok, why, None",
     ["-k", "suite:"] + QEMU),
    # gp-short: a grace period one short.
    ("callbacks-one-gp-early", "gp-short", "rcu/callback.c",
     "(rcu_broken_is(RCU_BROKEN_EARLY_CB) ? 1UL << RCU_SEQ_STATE_BITS : 0)",
     "(1UL << RCU_SEQ_STATE_BITS)",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=2"] + QEMU),
    ("tick-qs-inside-reader", "gp-short", "rcu/tree.c",
     "\telse if (!__this_cpu_read(rcu_read_nesting) || rcu_broken_is(RCU_BROKEN_TICK_QS))",
     "\telse",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=4"] + QEMU),
    ("srcu-skips-first-index", "gp-short", "rcu/srcu.c",
     "\tcase 1:\n\t\t\tif (!srcu_readers_done(ssp, (unsigned int)(ssp->idx & 1) ^ 1))\n\t\t\t\treturn;",
     "\tcase 1:",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=4"] + QEMU),
    ("sync-rcu-one-gp-short", "gp-short", "rcu/tree.c",
     "\tcookie = start_poll_synchronize_rcu();",
     "\tcookie = start_poll_synchronize_rcu() - (1UL << RCU_SEQ_STATE_BITS);",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=4"] + QEMU),
    # lifetime races.
    ("uprobe-plain-increment", "lifetime", "workloads/uprobe/uprobe.c",
     "\t\tif (u && !refcount_inc_not_zero(&u->ref))",
     "\t\tif (u && (get_uprobe_racy(u), false))",
     ["-k", "workload:pc-x86_64:uprobe:rcu-churn"] + QEMU),
    ("proc-lookup-no-dseq-recheck", "lifetime", "workloads/proc_lookup/proc_lookup.c",
     "\t\tif (read_seqcount_retry(&d->d_seq, seq))\n\t\t\tgoto changed;",
     "\t\tif (0)\n\t\t\tgoto changed;",
     ["-k", "workload:qemu-virt-arm64:proc-lookup:rename-churn:cpus=4"] + QEMU),
    # orderings the "pairs with" comments claim (host litmus tests).
    ("srcu-lock-no-barrier-b", "ordering", "include/srcu.h",
     "\t * it, and the section sees that GP's prior updates. */\n\tsmp_mb();",
     "\t * it, and the section sees that GP's prior updates. */",
     ["-k", "host-asan:litmus.srcu"]),
    ("seqcount-reader-never-retries", "ordering", "include/seqlock.h",
     "\treturn __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;\n}",
     "\treturn (void)start, false;\n}",
     ["-k", "host-asan:seqlock"]),
    # sanitizer reports under -k: named after the test that was running.
    ("kstrto-overflow", "sanitizer", "lib/kstrto_test.c",
     "KTEST(kstrto, parses_decimal_and_hex)\n{",
     "KTEST(kstrto, parses_decimal_and_hex)\n{\n\t{ volatile char b[4]; volatile int i = 4; b[i] = 1; (void)b[0]; }",
     ["-k", "host-asan:kstrto.parses"]),
    # a dead CPU's callbacks.
    ("offline-callbacks-unadopted", "offline", "rcu/tree.c",
     "\tif (rcu_broken_is(RCU_BROKEN_OFFLINE_CB))\n\t\treturn;\t\t/* tests: left for rcu_barrier() to find */",
     "\treturn;",
     ["-k", "rcutorture:qemu-virt-arm64:offline-callbacks-bounded"] + QEMU),
    ("offline-callbacks-lost", "offline", "rcu/callback.c",
     "\tn = rcu_cblist_take_all(&from->cbs, &first, &lastp);",
     "\tn = rcu_cblist_take_all(&from->cbs, &first, &lastp);\n\tn = 0;",
     ["-k", "rcutorture:qemu-virt-arm64:hotplug"] + QEMU),
    # core: RCU machinery broken outright.
    ("call-rcu-invokes-at-once", "core", "rcu/callback.c",
     "\thead->func = func;\n\tflags = arch_irq_save();",
     "\thead->func = func;\n\tif (func) { func(head); return; }\n\tflags = arch_irq_save();",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=2"] + QEMU),
    ("gp-end-without-reports", "core", "rcu/tree.c",
     "\t\t\tif (smp_load_acquire(&rcu_root()->qsmask))\n\t\t\t\treturn;\t\t/* still waiting for someone */",
     "",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=3"] + QEMU),
    ("rcu-barrier-does-not-wait", "core", "rcu/callback.c",
     "\twhile (atomic_read_acquire(&barrier_left)) {",
     "\twhile (0) {",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=2"] + QEMU),
    ("x86-gp-one-short", "gp-short", "rcu/tree.c",
     "\tcookie = start_poll_synchronize_rcu();",
     "\tcookie = start_poll_synchronize_rcu() - (1UL << RCU_SEQ_STATE_BITS);",
     ["-k", "rcutorture:pc-x86_64:one-gp-short-fails:cpus=4"] + QEMU),
    ("armv7-callbacks-early", "gp-short", "rcu/callback.c",
     "(rcu_broken_is(RCU_BROKEN_EARLY_CB) ? 1UL << RCU_SEQ_STATE_BITS : 0)",
     "(1UL << RCU_SEQ_STATE_BITS)",
     ["-k", "arm:qemu-virt-arm:rcutorture:cpus=2"] + QEMU),
    ("eqs-exit-not-counted", "core", "rcu/tree.c",
     "\tint v = atomic_inc_return(&rdp->eqs);\n\n\tWARN_ON_ONCE(!(v & 1));",
     "\tint v = atomic_read(&rdp->eqs) | 1;\n\n\tWARN_ON_ONCE(!(v & 1));",
     ["-k", "rcutorture:qemu-virt-arm64:cpus=4"] + QEMU),
]
