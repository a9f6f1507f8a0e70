"""Workload uprobe (seed 004): every mode run=modes lists, on every board, at
1, 2, 3 and 4 CPUs with short runs; the trap-free control (hit=call) and
disjoint probes; and the rcu-churn lifetime test on x86, where the
breakpoint handler runs with interrupts on (the uprobe self-tests run in
every board's boot:selftest).

A clean mode passes with errors=0 and one hit per read operation in the
shared-probe modes; a mode that reproduces a bug (rcu-racy) must report
errors > 0. Each case's modes come from the MODE lines run=modes prints in
the same boot, so a mode added to the workload is tested without a change
here.
"""
import re

from quiesce import make
from quiesce.case import Case
from quiesce.checks import errors_problems, mode_results

# The workload of this file (workloads.py and workloads2.py have the others).
WORKLOADS = ("uprobe",)
UPROBE_RE = re.compile(r"^RESULT workload=uprobe mode=\S+ cpus=\d+ headline=hits_ps hits_ps=\d+ ")


def checker(cpus, hit, probe):
    def check(out):
        pairs = mode_results(out, ["uprobe"], cpus)
        problems = errors_problems(pairs, cpus)
        for m, r in pairs:
            if r is None:
                continue
            mode, hz = m["mode"], m.get("update_hz")
            if not UPROBE_RE.match(r.text):
                problems.append("%s: the headline hits_ps does not come first: %s"
                                % (mode, r.text[:120]))
            if r.int("cpus") != cpus:
                problems.append("%s ran on cpus=%s, expected %d" % (mode, r["cpus"], cpus))
            if hz != "max" and r.get("hit") != hit:
                problems.append("%s ran hit=%s, asked hit=%s" % (mode, r.get("hit"), hit))
            if hz != "max" and r.get("probe") != probe:
                problems.append("%s ran probe=%s, asked probe=%s" % (mode, r.get("probe"), probe))
            # The paced modes (registrations of cold probes only): every read
            # operation is exactly one hit, on its reader's probe.
            hits, ops = r.int("hits", 0), r.int("ops")
            if hz != "max" and not (0 < hits == ops):
                problems.append("%s: hits=%d for ops=%d, expected one hit per operation"
                                % (mode, hits, ops))
        return problems
    return check


CASES = []
for board in make.boards():
    for cpus in (1, 2, 3, 4):
        # QEMU's raspi machines always have 4 cores: the board adds cpus=.
        CASES.append(Case("workload:%s:uprobe:cpus=%d" % (board, cpus), board, cpus,
                          "run=modes,uprobe ms=200", timeout=240,
                          check=checker(cpus, "trap", "shared")))

# The trap-free control and disjoint probes, every mode (the scaling ones
# with registrations paced at the default 1/s).
for hit, probe in (("call", "shared"), ("trap", "disjoint"), ("call", "disjoint")):
    for board, cpus in (("qemu-virt-arm64", 4), ("pc-x86_64", 2)):
        CASES.append(Case("workload:%s:uprobe:hit=%s:probe=%s:cpus=%d" % (board, hit, probe, cpus),
                          board, cpus, "run=modes,uprobe hit=%s probe=%s ms=200"
                          % (hit, probe), timeout=240,
                          must_contain=[r"^SUMMARY passed=[1-9]\d* failed=0"],
                          check=checker(cpus, hit, probe)))

# uprobe/rcu-churn, longer: (un)registrations under hits with the handler's
# interrupts on (x86; arm64 keeps them off, see its asm/uprobe.h), so that
# a plain increment instead of refcount_inc_not_zero() is caught (make
# mutants plants it).
for cpus in (2, 4):
    CASES.append(Case("workload:pc-x86_64:uprobe:rcu-churn:cpus=%d" % cpus, "pc-x86_64", cpus,
                      "run=uprobe mode=rcu-churn ms=1000", timeout=240,
                      must_contain=[r"^RESULT workload=uprobe mode=rcu-churn .* errors=0 ",
                                    r"^SUMMARY passed=1 failed=0"]))
