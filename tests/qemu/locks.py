"""Locks: locktorture for every type at 2 and 4 CPUs (busted must fail,
every other type succeed), the lockdep and primitive self-tests, a
lockbench smoke run, and bad type= values."""
from quiesce.case import Case
from quiesce.checks import torture_lines
from quiesce.console import LOCK_TORTURE_KEYS

ARM64 = "qemu-virt-arm64"
TYPES = ["ticket", "mcs", "rwlock", "rwsem", "seqlock", "lockref", "refcount"]
CASES = []


def torture_check(cpus):
    def check(out):
        problems = []
        for t, m in torture_lines(out, TYPES + ["busted"], cpus, problems,
                                  LOCK_TORTURE_KEYS).items():
            if m.int("acquisitions") == 0:
                problems.append("type=%s made no acquisitions" % t)
            errors, result = m.int("errors"), m["result"]
            if t == "busted":
                if result != "FAILURE" or errors == 0:
                    problems.append("busted must fail with errors > 0, got errors=%d result=%s"
                                    % (errors, result))
            elif result != "SUCCESS" or errors:
                problems.append("type=%s expected SUCCESS with errors=0, got errors=%d result=%s"
                                % (t, errors, result))
        return problems
    return check


for n in (2, 4):
    CASES.append(Case("locks:%s:locktorture:cpus=%d" % (ARM64, n), ARM64, n,
                      "run=locktorture ms=400", timeout=240, check=torture_check(n),
                      must_contain=[r"^SUMMARY passed=8 failed=0"]))

# The lockdep checks and the primitives' tests (suites of kernel/locking/*_test.c).
for n in (2, 4):
    CASES.append(Case("locks:%s:selftest:cpus=%d" % (ARM64, n), ARM64, n,
                      "run=selftest test=lock", timeout=180,
                      must_contain=[r"^ok \d+ lockdep\.reports_recursive_spin_lock_and_keeps_running",
                                    r"^ok \d+ lockdep\.reports_unlock_by_a_cpu_that_does_not_hold_the_lock",
                                    r"^ok \d+ lockdep\.reports_ab_ba_inversion_with_both_names_and_sites",
                                    r"\(expected\) lockdep: lock order inversion on CPU 0: "
                                    r"&l\.outer_first taken at ktest_fn_\w+\+0x[0-9a-f]+ while holding "
                                    r"&l\.inner_first taken at ktest_fn_\w+\+0x[0-9a-f]+; earlier",
                                    r"^ok \d+ lockref\.counts_exactly_after_concurrent_get_and_put"],
                      must_not_contain=[r"^not ok "]))

# A benchmark, not a test: it runs and prints a RESULT line per mode.
CASES.append(Case("locks:%s:lockbench-smoke" % ARM64, ARM64, 2,
                  "run=lockbench ms=50 type=ticket,mcs,seqlock-read,refcount", timeout=180,
                  must_contain=[r"^RESULT workload=lockbench mode=%s cpus=2 ms=50 ops=\d+ "
                                r"ops_per_sec=\d+ atomics_per_op=\d+\.\d\d hitm_per_op=- inval_per_op=- "
                                r"upd_hitm_per_op=- upd_inval_per_op=- uncontended_ns=\d+ errors=0 races=-$" % m
                                for m in ("ticket", "mcs", "seqlock-read", "refcount")]))

BAD = {
    "locktorture-bad-type": ("run=locktorture type=ticket,nosuch",
                             r"^cmdline: bad value 'ticket,nosuch' for type= \(valid: all .*ticket.*busted"),
    "locktorture-bench-type": ("run=locktorture type=rwlock-read",
                               r"^locktorture: unknown type 'rwlock-read' \(valid: all ticket mcs .*busted\)$"),
}
for name, (line, pattern) in BAD.items():
    CASES.append(Case("locks:%s:%s" % (ARM64, name), ARM64, 1, line, expect="fail",
                      must_contain=[pattern, r"^SUMMARY passed=0 failed=1"],
                      must_not_contain=[r"^TORTURE "], timeout=60))
