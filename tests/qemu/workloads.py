"""Workloads I: proc-lookup (seed 000), every mode, on every board, at 1, 2,
3 and 4 CPUs, with short durations (uprobe, seed 004: workloads_uprobe.py).

A mode passes with errors=0; a mode that reproduces a bug must report
errors > 0, and races need two CPUs, so at one CPU it is skipped. The
modes, which are broken and how few CPUs each needs come from the MODE
lines run=modes prints in the same boot. The hardware-independent part of
seed 000's result is checked too: the reference-free RCU walk takes no
atomic operation, the walk that bails takes at least 2, and the walk that
ends as Linux's (references on the final dentry and the task) some, but
fewer than the one that bails; the seed's headline (ps sweeps/s per CPU)
comes first.
"""
import re

from quiesce import console, make
from quiesce.case import Case
from quiesce.checks import errors_problems, mode_results

# The workloads of this file (tests/qemu/workloads2.py and
# workloads_uprobe.py have the others).
WORKLOADS = ("proc-lookup",)
# Each workload's headline, right after cpus=.
HEADLINE = {"proc-lookup": r"cpus=\d+ headline=ps_sweeps_ps_per_cpu ps_sweeps_ps_per_cpu=\d+ "
                           r"proc_lockref_pct=\d+\.\d "}


def checker(workload, cpus):
    """Every mode of the workload that runs on cpus printed a RESULT line
    with the errors it should have and the seed's headline first; and
    seed 000's atomics (see the module's comment)."""
    def check(out):
        pairs = mode_results(out, [workload], cpus)
        problems = errors_problems(pairs)
        got = {m["mode"]: r for m, r in pairs if r is not None}
        for mode, r in got.items():
            if workload in HEADLINE and not re.search(HEADLINE[workload], r.text):
                problems.append("%s: the headline does not come first: %s" % (mode, r.text[:120]))
        if workload == "proc-lookup":
            for mode in ("rcu-walk", "rcu-walk-bail", "rcu-walk-ideal"):
                if not any(m["mode"] == mode for m, _ in pairs):
                    problems.append("run=modes lists no proc-lookup mode %s" % mode)
            apo = {mode: float(r["atomics_per_op"]) for mode, r in got.items()}
            if apo.get("rcu-walk-ideal", 0.0) != 0.0:
                problems.append("rcu-walk-ideal readers took atomics_per_op=%.2f, expected 0.00"
                                % apo["rcu-walk-ideal"])
            if apo.get("rcu-walk-bail", 2.0) < 2.0:
                problems.append("rcu-walk-bail took atomics_per_op=%.2f, expected >= 2"
                                % apo["rcu-walk-bail"])
            if "rcu-walk" in apo and not 0.0 < apo["rcu-walk"] < apo.get("rcu-walk-bail", 1e9):
                problems.append("rcu-walk took atomics_per_op=%.2f, expected above 0 (the open's "
                                "references) and below rcu-walk-bail's" % apo["rcu-walk"])
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

# proc-lookup/rename-churn, longer: directories renamed and freed under
# RCU walkers (and by each walker inside its own walk, between a
# directory's lookup and its file's), so that a walk that skips a d_seq
# check returns one pid's file for another's path (make mutants plants it).
CASES.append(Case("workload:qemu-virt-arm64:proc-lookup:rename-churn:cpus=4", "qemu-virt-arm64",
                  4, "run=proc-lookup mode=rename-churn ms=1000", timeout=240,
                  must_contain=[r"^RESULT workload=proc-lookup mode=rename-churn .* errors=0 .*"
                                r"renames=[1-9]\d* removes=[1-9]\d*",
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
