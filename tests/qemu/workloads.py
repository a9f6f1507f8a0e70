"""Workloads I: proc-lookup (seed 000), every mode, on every board, at 1, 2,
3 and 4 CPUs, with short durations (uprobe, seed 004: workloads_uprobe.py).

A mode passes with errors=0; a mode that reproduces a bug must
report errors > 0, and races need two CPUs, so at one CPU it is skipped.
The modes, which are broken and how few CPUs each needs come from the
MODE lines run=modes prints in the same boot (MODES below is the same
list for faults.py and for runs without run=modes).
The hardware-independent part of seed 000's result is checked too: the
reference-free RCU walk takes no atomic operation, the walk that bails
takes at least 2, and the walk that ends as Linux's (references on the
final dentry and the task) some, but fewer than the one that bails; the
seed's headline (ps sweeps/s per CPU) comes first.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

BOARDS = ["qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm", "rpi3-arm64", "rpi2-arm"]
MODES = {
    "proc-lookup": ["ref-walk", "rcu-walk-bail", "rcu-walk", "rcu-walk-ideal", "rename-churn"],
}
BROKEN = {"rcu-racy"}
NEEDS_2 = {"rcu-racy", "rcu-churn"}
MODE_RE = re.compile(r"^MODE workload=(\S+) mode=(\S+) kind=\S+ broken=(\d) min_cpus=(\d+)", re.M)
RESULT_RE = re.compile(r"^RESULT workload=(\S+) mode=(\S+) (.*?)atomics_per_op=(\d+\.\d+) "
                       r".*?errors=(\d+)", re.M)
HEADLINE = {"proc-lookup": "headline=ps_sweeps_ps_per_cpu ps_sweeps_ps_per_cpu=\\d+ "
                           "proc_lockref_pct=\\d+\\.\\d "}


def listed_modes(out, workload, cpus):
    """[(mode, broken)] from run=modes' MODE lines, or from MODES without them."""
    listed = [(m.group(2), m.group(3) == "1") for m in MODE_RE.finditer(out)
              if m.group(1) == workload and int(m.group(4)) <= cpus]
    if listed or MODE_RE.search(out):
        return listed
    return [(m, m in BROKEN) for m in MODES[workload] if cpus >= 2 or m not in NEEDS_2]


def checker(workload, cpus):
    def check(out):
        problems = []
        seen = {}
        for m in RESULT_RE.finditer(out):
            if m.group(1) == workload:
                seen[m.group(2)] = (m.group(3), float(m.group(4)), int(m.group(5)))
        modes = listed_modes(out, workload, cpus)
        if not modes:
            return ["no mode of %s listed" % workload]
        for mode, broken in modes:
            if mode not in seen:
                problems.append("no RESULT for mode %s" % mode)
                continue
            head, apo, errors = seen[mode]
            if broken and errors == 0:
                problems.append("%s reported no error: the bug went undetected" % mode)
            if not broken and errors:
                problems.append("%s reported errors=%d" % (mode, errors))
            if workload in HEADLINE and not re.search(r"cpus=\d+ " + HEADLINE[workload], head):
                problems.append("%s: the headline does not come first: %s" % (mode, head[:100]))
        if workload == "proc-lookup":
            apo = {mode: seen[mode][1] for mode in seen}
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
for board in BOARDS:
    for workload in MODES:
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
    results = re.findall(r"^RESULT .*$", out, re.M)
    if len(results) < 10:
        problems.append("only %d RESULT lines" % len(results))
    for line in results:
        if " updates=0 " not in line or " readonly=1" not in line or " readers=2 " not in line:
            problems.append("not a read-only run on 2 readers: %s" % line[:120])
    for mode in ("nsproxy/tagged-ptr", "uprobe/rcu-racy"):
        if not re.search(r"^%s: skipped: it reproduces a race" % re.escape(mode), out, re.M):
            problems.append("%s was not skipped" % mode)
    return problems


# Reader scaling (make bench's read-only series): two CPUs, both readers.
CASES.append(Case("workload:qemu-virt-arm64:all:readonly:cpus=2", "qemu-virt-arm64", 2,
                  "run=all readonly=1 ms=100", check=readonly_check,
                  must_contain=[r"^SUMMARY passed=\d+ failed=0"]))
