"""Workloads I: proc-lookup (seed 000), every mode, on every board, at 1, 2,
3 and 4 CPUs, with short durations (uprobe, seed 004: workloads_uprobe.py).

A mode passes with errors=0; a mode that reproduces a bug must report
errors > 0, and races need two CPUs, so at one CPU it is skipped.
The hardware-independent part of seed 000's result is checked too: the
RCU walk takes no atomic operation, the walk that bails takes at least 2.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

BOARDS = ["qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm", "rpi3-arm64", "rpi2-arm"]
MODES = {
    "proc-lookup": ["ref-walk", "rcu-walk-bail", "rcu-walk"],
}
BROKEN = {"rcu-racy"}
NEEDS_2 = {"rcu-racy", "rcu-churn"}
RESULT_RE = re.compile(r"^RESULT workload=(\S+) mode=(\S+) .*?atomics_per_op=(\d+\.\d+) .*?errors=(\d+)", re.M)


def checker(workload, cpus):
    def check(out):
        problems = []
        seen = {}
        for m in RESULT_RE.finditer(out):
            if m.group(1) == workload:
                seen[m.group(2)] = (float(m.group(3)), int(m.group(4)))
        for mode in MODES[workload]:
            if mode in NEEDS_2 and cpus < 2:
                continue
            if mode not in seen:
                problems.append("no RESULT for mode %s" % mode)
                continue
            apo, errors = seen[mode]
            if mode in BROKEN and errors == 0:
                problems.append("%s reported no error: the bug went undetected" % mode)
            if mode not in BROKEN and errors:
                problems.append("%s reported errors=%d" % (mode, errors))
            if mode == "rcu-walk" and apo != 0.0:
                problems.append("rcu-walk readers took atomics_per_op=%.2f, expected 0.00" % apo)
            if mode == "rcu-walk-bail" and apo < 2.0:
                problems.append("rcu-walk-bail took atomics_per_op=%.2f, expected >= 2" % apo)
        return problems
    return check


CASES = []
for board in BOARDS:
    for workload in MODES:
        for cpus in (1, 2, 3, 4):
            # QEMU's raspi machines always have 4 cores: the board adds cpus=.
            CASES.append(Case("workload:%s:%s:cpus=%d" % (board, workload, cpus), board, cpus,
                              "run=%s ms=200" % workload, timeout=240,
                              check=checker(workload, cpus)))

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
