"""Workloads II (seeds 001-003): vma-query, shrinker and nsproxy, every
mode at 1, 2 and 4 CPUs with short runs, and the PROCMAP_QUERY, VMA tree
and nsproxy test cases in the kernel. One boot per workload and CPU count
runs all of its modes."""
from quiesce.case import Case
from quiesce.checks import errors_problems, mode_results

ARM64 = "qemu-virt-arm64"
MS = 300

# The workloads of this file; their modes (and which reproduce a bug, and
# on how few CPUs each runs) come from the MODE lines run=modes prints in
# the same boot, so a mode added to a workload is tested without a change
# here.
WORKLOADS = ("vma-query", "shrinker", "nsproxy")

# Extra keys per workload and CPU count: the shrinker's reclaim storm has
# no mounts by default (the seed's); at 1 and 2 CPUs the test adds them so
# walks meet shrinker_free(), at 4 it runs the default (every CPU reclaims).
EXTRA = {("shrinker", 1): " update_hz=2000", ("shrinker", 2): " update_hz=2000"}


def result_checker(workload, cpus):
    """Every mode run=modes lists for the workload (that runs on this many
    CPUs) printed one RESULT line at that CPU count; clean modes have
    errors=0, broken ones errors>0 (the proof the check can fail)."""
    def check(out):
        pairs = mode_results(out, [workload], cpus, match_cpus=True)
        if not pairs:
            return ["run=modes listed no mode of %s" % workload]
        return errors_problems(pairs, cpus)
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
