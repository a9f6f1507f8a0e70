"""The builds of one source (Makefile: BUILD=debug|release|stats|coherence|
debug-nostats): every combination of CONFIG_DEBUG and CONFIG_ATOMIC_STATS
compiles on each arch, and the release build (neither option, what make
bench times) passes the self-tests (the debug-only ones skipped),
rcutorture and every workload mode on one board per arch, printing "-"
for the atomics it does not count; the stats build counts them."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402
from rcu import torture_check  # noqa: E402

ARCH_BOARDS = ["qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm"]
MS = 150

BUILDS = [(board, "kernel", {"BUILD": b}) for board in ARCH_BOARDS
          for b in ("release", "stats", "debug-nostats")]
BUILDS.append(("qemu-virt-arm64", "kernel", {"BUILD": "release", "UBSAN": "1"}))

MODE_RE = re.compile(r"^MODE workload=(\S+) mode=(\S+) kind=\S+ broken=(\d)", re.M)
RESULT_RE = re.compile(r"^RESULT workload=(\S+) mode=(\S+) cpus=\d+ .*?\batomics_per_op=(\S+) "
                       r".*?\berrors=(\d+)\b", re.M)


def modes_check(counted):
    """Every mode run=modes lists printed a RESULT line with the errors it
    should have (0; > 0 for a mode that reproduces a bug), and
    atomics_per_op is a number iff the build counts atomics."""
    def check(out):
        problems = []
        modes = [(m.group(1), m.group(2), m.group(3) == "1") for m in MODE_RE.finditer(out)]
        if len(modes) < 10:
            problems.append("run=modes listed only %d modes" % len(modes))
        seen = {(m.group(1), m.group(2)): m for m in RESULT_RE.finditer(out)}
        for wl, mode, broken in modes:
            m = seen.get((wl, mode))
            if not m:
                problems.append("no RESULT line for %s mode=%s" % (wl, mode))
                continue
            if broken != (m.group(4) != "0"):
                problems.append("%s/%s: errors=%s%s" % (wl, mode, m.group(4),
                                ", but it reproduces a bug" if broken else ""))
            if counted != bool(re.match(r"^\d+\.\d\d$", m.group(3))) or \
               (not counted and m.group(3) != "-"):
                problems.append("%s/%s: atomics_per_op=%s in a build that %s" % (
                    wl, mode, m.group(3), "counts atomics" if counted else "does not count them"))
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
                      must_not_contain=[r"^FAIL "], check=release_check))
    CASES.append(Case("build-release:%s:selftest" % board, board, 2, "run=selftest",
                      build="kernel", make_vars={"BUILD": "release"}, timeout=300,
                      must_contain=[r"^skip lockdep\.\S+ \(needs CONFIG_DEBUG\)$",
                                    r"^SUMMARY passed=\d+ failed=0"],
                      must_not_contain=[r"^FAIL "]))
# The stats build counts what the release build does not.
CASES.append(Case("build-stats:qemu-virt-arm64:all", "qemu-virt-arm64", 2,
                  "run=modes,all ms=%d" % MS, build="kernel", make_vars={"BUILD": "stats"},
                  timeout=240, must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                  check=modes_check(True)))
