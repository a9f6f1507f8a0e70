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
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

BOARDS = ["qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm", "rpi3-arm64", "rpi2-arm"]
# faults.py reads this table (workload: (clean modes, modes that must report
# errors)); the cases below check the modes run=modes lists.
WORKLOADS = {"uprobe": (("rwlock", "rcu-seqcount", "srcu", "rcu-churn"), ("rcu-racy",))}
MODE_RE = re.compile(r"^MODE workload=uprobe mode=(\S+) kind=\S+ broken=(\d) min_cpus=(\d+)"
                     r".* update_hz=(\S+)$", re.M)


def checker(cpus, hit, probe):
    def check(out):
        problems = []
        modes = [(m.group(1), m.group(2) == "1", m.group(4)) for m in MODE_RE.finditer(out)
                 if int(m.group(3)) <= cpus]
        if not modes:
            return ["run=modes listed no mode of uprobe"]
        for mode, broken, hz in modes:
            m = re.search(r"^RESULT workload=uprobe mode=%s cpus=%d headline=hits_ps "
                          r"hits_ps=(\d+) .*\bops=(\d+) .*\berrors=(\d+) .*\bhits=(\d+) "
                          r"stale_traps=\d+ hit=(\S+) probe=(\S+)"
                          % (re.escape(mode), cpus), out, re.M)
            if not m:
                problems.append("no RESULT line for uprobe mode=%s cpus=%d" % (mode, cpus))
                continue
            ops, errors, hits = int(m.group(2)), int(m.group(3)), int(m.group(4))
            if broken and errors == 0:
                problems.append("%s reported no error: the bug went undetected" % mode)
            if not broken and errors:
                problems.append("%s reported errors=%d" % (mode, errors))
            if hz != "max" and m.group(5) != hit:
                problems.append("%s ran hit=%s, asked hit=%s" % (mode, m.group(5), hit))
            if hz != "max" and m.group(6) != probe:
                problems.append("%s ran probe=%s, asked probe=%s" % (mode, m.group(6), probe))
            # The paced modes (registrations of cold probes only): every read
            # operation is exactly one hit, on its reader's probe.
            if hz != "max" and not (0 < hits == ops):
                problems.append("%s: hits=%d for ops=%d, expected one hit per operation"
                                % (mode, hits, ops))
        return problems
    return check


CASES = []
for board in BOARDS:
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
