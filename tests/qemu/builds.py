"""The builds of one source (Makefile: BUILD=debug|release|stats|coherence|
debug-nostats): every combination of CONFIG_DEBUG and CONFIG_ATOMIC_STATS
compiles on each arch, and the release build (neither option, what make
bench times) passes the self-tests (the debug-only ones skipped),
rcutorture and every workload mode on one board per arch, printing "-"
for the atomics it does not count; the stats build counts them."""
import re

from quiesce import make
from quiesce.case import Case
from quiesce.checks import mode_results
from .rcu import torture_check

# One board per arch (the QEMU machines whose CPU count CPUS= sets).
ARCH_BOARDS = make.one_per_arch()
MS = 150

BUILDS = [(board, "kernel", {"BUILD": b}) for board in ARCH_BOARDS
          for b in ("release", "stats", "debug-nostats")]
BUILDS.append(("qemu-virt-arm64", "kernel", {"BUILD": "release", "UBSAN": "1"}))


def modes_check(counted):
    """Every mode run=modes lists printed a RESULT line with the errors it
    should have (0; > 0 for a mode that reproduces a bug), and
    atomics_per_op is a number iff the build counts atomics."""
    def check(out):
        problems = []
        pairs = mode_results(out)
        if len(pairs) < 10:
            problems.append("run=modes listed only %d modes" % len(pairs))
        for m, r in pairs:
            wl, mode, broken = m["workload"], m["mode"], m["broken"] == "1"
            if r is None:
                problems.append("no RESULT line for %s mode=%s" % (wl, mode))
                continue
            if broken != (r["errors"] != "0"):
                problems.append("%s/%s: errors=%s%s" % (wl, mode, r["errors"],
                                ", but it reproduces a bug" if broken else ""))
            apo = r["atomics_per_op"]
            if counted != bool(re.match(r"^\d+\.\d\d$", apo)) or (not counted and apo != "-"):
                problems.append("%s/%s: atomics_per_op=%s in a build that %s" % (
                    wl, mode, apo, "counts atomics" if counted else "does not count them"))
        return problems
    return check


def release_check(out):
    return torture_check(2)(out) + modes_check(False)(out)


CASES = []
for board in ARCH_BOARDS:
    # The self-tests boot on their own, as in the debug cases: after the
    # workloads, memory they still hold back (per-CPU caches, callbacks in
    # flight) made page_alloc's "RAM up to its top" test fail now and then.
    CASES.append(Case("build-release:%s:rcutorture,all" % board, board, 2,
                      "run=modes,rcutorture,all ms=%d" % MS, build="kernel",
                      make_vars={"BUILD": "release"}, timeout=300,
                      must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                      must_not_contain=[r"^not ok "], check=release_check))
    CASES.append(Case("build-release:%s:selftest" % board, board, 2, "run=selftest",
                      build="kernel", make_vars={"BUILD": "release"}, timeout=300,
                      must_contain=[r"^ok \d+ lockdep\.\S+ # SKIP needs CONFIG_DEBUG$",
                                    r"^SUMMARY passed=\d+ failed=0"],
                      must_not_contain=[r"^not ok "]))
# The stats build counts what the release build does not.
CASES.append(Case("build-stats:qemu-virt-arm64:all", "qemu-virt-arm64", 2,
                  "run=modes,all ms=%d" % MS, build="kernel", make_vars={"BUILD": "stats"},
                  timeout=240, must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                  check=modes_check(True)))
