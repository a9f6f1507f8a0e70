"""Workloads I: proc-lookup (seed 000) and uprobe (seed 004), every mode,
on every board, at 1, 2, 3 and 4 CPUs, with short durations.

A mode passes with errors=0; a mode that reproduces a bug (rcu-racy) must
report errors > 0, and races need two CPUs, so at one CPU it is skipped.
The hardware-independent part of seed 000's result is checked too: the
RCU walk takes no atomic operation, the walk that bails takes at least 2.
"""
import re

from quiesce import console, make
from quiesce.case import Case
from quiesce.checks import errors_problems, mode_results

# The workloads of this file (seeds 000 and 004); their modes, which of
# them reproduce a bug and how many CPUs each needs come from the MODE
# lines run=modes prints in the same boot (tests/qemu/workloads2.py
# has the others).
WORKLOADS = ("proc-lookup", "uprobe")


def checker(workload, cpus):
    """Every mode of the workload that runs on cpus printed a RESULT line
    with the errors it should have; and seed 000's point: the RCU walk
    takes no atomic operation, the walk that bails takes at least 2."""
    def check(out):
        pairs = mode_results(out, [workload], cpus)
        problems = errors_problems(pairs)
        got = {m["mode"]: r for m, r in pairs if r is not None}
        if workload == "proc-lookup":
            for mode in ("rcu-walk", "rcu-walk-bail"):
                if not any(m["mode"] == mode for m, _ in pairs):
                    problems.append("run=modes lists no proc-lookup mode %s" % mode)
            if "rcu-walk" in got and float(got["rcu-walk"]["atomics_per_op"]) != 0.0:
                problems.append("rcu-walk readers took atomics_per_op=%s, expected 0.00"
                                % got["rcu-walk"]["atomics_per_op"])
            if "rcu-walk-bail" in got and float(got["rcu-walk-bail"]["atomics_per_op"]) < 2.0:
                problems.append("rcu-walk-bail took atomics_per_op=%s, expected >= 2"
                                % got["rcu-walk-bail"]["atomics_per_op"])
        return problems
    return check


CASES = []
for board in make.boards():
    for workload in WORKLOADS:
        for cpus in (1, 2, 3, 4):
            # QEMU's raspi machines always have 4 cores: the board adds cpus=.
            CASES.append(Case("workload:%s:%s:cpus=%d" % (board, workload, cpus), board, cpus,
                              "run=modes,%s ms=200" % workload, timeout=240,
                              check=checker(workload, cpus)))

# uprobe/rcu-churn, longer: (un)registrations under hits with the handler's
# interrupts on (x86; arm64 keeps them off, see its asm/uprobe.h), so that
# a plain increment instead of refcount_inc_not_zero() is caught (make
# mutants plants it).
for cpus in (2, 4):
    CASES.append(Case("workload:pc-x86_64:uprobe:rcu-churn:cpus=%d" % cpus, "pc-x86_64", cpus,
                      "run=uprobe mode=rcu-churn ms=1000", timeout=240,
                      must_contain=[r"^RESULT workload=uprobe mode=rcu-churn .* errors=0 ",
                                    r"^SUMMARY passed=1 failed=0"]))


def readonly_check(out):
    """readonly=1: every CPU reads, nothing updates, the racy modes skip."""
    problems = []
    results = console.results(out)
    if len(results) < 10:
        problems.append("only %d RESULT lines" % len(results))
    for line in results:
        if line.get("updates") != "0" or line.get("readonly") != "1" or line.get("readers") != "2":
            problems.append("not a read-only run on 2 readers: %s" % line.text[:120])
    for mode in ("nsproxy/tagged-ptr", "uprobe/rcu-racy"):
        if not re.search(r"^%s: skipped: it reproduces a race" % re.escape(mode), out, re.M):
            problems.append("%s was not skipped" % mode)
    return problems


# Reader scaling (make bench's read-only series): two CPUs, both readers.
CASES.append(Case("workload:qemu-virt-arm64:all:readonly:cpus=2", "qemu-virt-arm64", 2,
                  "run=all readonly=1 ms=100", check=readonly_check,
                  must_contain=[r"^SUMMARY passed=\d+ failed=0"]))
