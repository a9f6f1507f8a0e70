"""Workloads II (seeds 001-003): vma-query, shrinker and nsproxy, every
mode at 1, 2 and 4 CPUs with short runs, and the PROCMAP_QUERY, VMA tree
and nsproxy test cases in the kernel. One boot per workload and CPU count
runs all of its modes."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

ARM64 = "qemu-virt-arm64"
MS = 300

# The workloads; their modes (and which reproduce a bug, and on how few
# CPUs each runs) come from the MODE lines run=modes prints in the same
# boot, so a mode added to a workload is tested without a change here.
# faults.py reads this table (workload: (clean modes, modes that must
# report errors)); the cases below check the modes run=modes lists.
WORKLOADS = {
    "vma-query": (("mmap-lock", "per-vma-rcu", "mmap-lock-name"), ("vma-lock-name",)),
    "shrinker": (("rwsem", "srcu", "refcount-rcu"), ()),
    "nsproxy": (("task-lock", "rcu-sync", "rcu"), ("tagged-ptr", "rcu-nogp")),
}
MODE_RE = re.compile(r"^MODE workload=(\S+) mode=(\S+) kind=\S+ broken=(\d) min_cpus=(\d+)", re.M)

# Extra keys per workload and CPU count: the shrinker's reclaim storm has
# no mounts by default (the seed's); at 1 and 2 CPUs the test adds them so
# walks meet shrinker_free(), at 4 it runs the default (every CPU reclaims).
EXTRA = {("shrinker", 1): " update_hz=2000", ("shrinker", 2): " update_hz=2000"}


def result_checker(workload, cpus):
    """Every mode run=modes lists for the workload (that runs on this many
    CPUs) printed one RESULT line; clean modes have errors=0, broken ones
    errors>0 (the proof the check can fail)."""
    def check(out):
        problems = []
        modes = [(m.group(2), m.group(3) == "1") for m in MODE_RE.finditer(out)
                 if m.group(1) == workload and int(m.group(4)) <= cpus]
        if not modes:
            return ["run=modes listed no mode of %s" % workload]
        for mode, broken in modes:
            m = re.search(r"^RESULT workload=%s mode=%s cpus=%d .*\berrors=(\d+)\b"
                          % (re.escape(workload), re.escape(mode), cpus), out, re.M)
            if not m:
                problems.append("no RESULT line for %s mode=%s cpus=%d" % (workload, mode, cpus))
            elif not broken and m.group(1) != "0":
                problems.append("%s mode=%s: errors=%s, expected 0" % (workload, mode, m.group(1)))
            elif broken and m.group(1) == "0":
                problems.append("%s mode=%s reproduces a bug but reported errors=0"
                                % (workload, mode))
        return problems
    return check


CASES = []
for wl in WORKLOADS:
    for n in (1, 2, 4):
        CASES.append(Case("workload:%s:%s:cpus=%d" % (ARM64, wl, n), ARM64, n,
                          "run=modes,%s mode=all ms=%d%s" % (wl, MS, EXTRA.get((wl, n), "")),
                          must_contain=[r"^SUMMARY passed=[1-9]\d* failed=0"],
                          check=result_checker(wl, n), timeout=120))

# PROCMAP_QUERY bad arguments and lookup rules, the VMA tree and nsproxy
# under concurrency, in the kernel.
for filt in ("procmap_query", "vma_tree", "nsproxy"):
    CASES.append(Case("ktest:%s:%s" % (ARM64, filt), ARM64, 4, "run=selftest test=%s" % filt,
                      must_contain=[r"^SUMMARY passed=[1-9]\d* failed=0"], timeout=120))
