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

WORKLOADS = {
    # workload: (modes that must have errors=0, modes that must report errors)
    "vma-query": (("mmap-lock", "per-vma-rcu"), ()),
    "shrinker": (("rwsem", "srcu", "refcount-rcu"), ()),
    "nsproxy": (("task-lock", "rcu"), ("tagged-ptr",)),
}


def result_checker(workload, cpus, clean, broken):
    """Every mode printed one RESULT line for this CPU count; clean modes
    have errors=0, broken ones errors>0 (the proof the check can fail)."""
    def check(out):
        problems = []
        for mode in clean + broken:
            m = re.search(r"^RESULT workload=%s mode=%s cpus=%d .*\berrors=(\d+)\b"
                          % (re.escape(workload), re.escape(mode), cpus), out, re.M)
            if not m:
                problems.append("no RESULT line for %s mode=%s cpus=%d" % (workload, mode, cpus))
            elif mode in clean and m.group(1) != "0":
                problems.append("%s mode=%s: errors=%s, expected 0" % (workload, mode, m.group(1)))
            elif mode in broken and m.group(1) == "0":
                problems.append("%s mode=%s reproduces a bug but reported errors=0"
                                % (workload, mode))
        return problems
    return check


# Extra keys per workload: the shrinker's reclaim storm has no mounts by
# default (the seed's); the test adds them so walks meet shrinker_free().
EXTRA = {"shrinker": " update_hz=2000"}

CASES = []
for wl, (clean, broken) in WORKLOADS.items():
    for n in (1, 2, 4):
        CASES.append(Case("workload:%s:%s:cpus=%d" % (ARM64, wl, n), ARM64, n,
                          "run=%s mode=all ms=%d%s" % (wl, MS, EXTRA.get(wl, "")),
                          must_contain=[r"^SUMMARY passed=%d failed=0" % (len(clean) + len(broken))],
                          check=result_checker(wl, n, clean, broken), timeout=120))

# PROCMAP_QUERY bad arguments and lookup rules, the VMA tree and nsproxy
# under concurrency, in the kernel.
for filt in ("procmap_query", "vma_tree", "nsproxy"):
    CASES.append(Case("ktest:%s:%s" % (ARM64, filt), ARM64, 4, "run=selftest test=%s" % filt,
                      must_contain=[r"^SUMMARY passed=[1-9]\d* failed=0"], timeout=120))
