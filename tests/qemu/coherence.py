"""The coherence build (BUILD=coherence): it compiles on every board; its
directory passes its own check (a shared line moves once per op, a
private one never, false sharing like the shared line) on arm64, x86_64
and armv7, and the check fails with a directory that counts nothing
(coherence_busted=1); every workload runs with c2c=1 on arm64 and x86_64,
printing transfers per op and the lines that moved, and proc-lookup shows
seed 000's point: the walks that take the /proc dentry's lockref move a
line shared by every reader at each lookup, the RCU walk none."""

from quiesce import console, make
from quiesce.case import Case
from quiesce.checks import mode_results

COH = {"BUILD": "coherence"}

BUILDS = [(board, "kernel", COH) for board in make.boards()]


def c2c_check(out):
    problems = []
    pairs = mode_results(out, broken_too=False, cpus=2, match_cpus=True)
    seen = {(m["workload"], m["mode"]): r for m, r in pairs if r is not None}
    tops = {(c["workload"], c["mode"]): float(c["per_op"])
            for c in console.lines(out, "C2C", console.C2C_KEYS) if c["rank"] == "1"}
    if len(pairs) < 10:
        problems.append("run=modes listed only %d modes" % len(pairs))
    for m, r in pairs:
        key = (m["workload"], m["mode"])
        if r is None:
            problems.append("no RESULT line for %s/%s" % key)
        elif r["hitm_per_op"] == "-" or r["inval_per_op"] == "-":
            problems.append("%s/%s: hitm_per_op=%s inval_per_op=%s, expected numbers"
                            % (key + (r["hitm_per_op"], r["inval_per_op"])))
    for mode in ("ref-walk", "rcu-walk-bail"):
        r = seen.get(("proc-lookup", mode))
        if r and r["hitm_per_op"] != "-" and float(r["hitm_per_op"]) < 1.0:
            problems.append("proc-lookup/%s: hitm_per_op=%s, expected >= 1 (the /proc "
                            "dentry's lockref)" % (mode, r["hitm_per_op"]))
        if tops.get(("proc-lookup", mode), 0.0) < 1.0:
            problems.append("proc-lookup/%s: no c2c line with >= 1 transfer per op" % mode)
    r = seen.get(("proc-lookup", "rcu-walk"))
    if r and r["hitm_per_op"] != "0.00":
        problems.append("proc-lookup/rcu-walk: hitm_per_op=%s, expected 0.00" % r["hitm_per_op"])
    return problems


CASES = []
for board in make.one_per_arch():
    CASES.append(Case("coherence:%s:directory-check" % board, board, 2,
                      "run=selftest test=coherence", build="kernel", make_vars=COH, timeout=120,
                      must_contain=[r"^ok \d+ coherence\.shared_line_moves_per_op_private_lines_never$",
                                    r"^SUMMARY passed=1 failed=0"]))
# The broken variant: a directory that keeps no line counts nothing.
CASES.append(Case("coherence:qemu-virt-arm64:busted-directory-fails", "qemu-virt-arm64", 2,
                  "run=selftest test=coherence coherence_busted=1", expect="fail", build="kernel",
                  make_vars=COH, timeout=120,
                  must_contain=[r"^not ok \d+ coherence\.shared_line_moves_per_op_private_lines_never$"]))
for board in ("qemu-virt-arm64", "pc-x86_64"):
    CASES.append(Case("coherence:%s:all:c2c" % board, board, 2,
                      "run=modes,all c2c=1 readonly=1 ms=100", build="kernel", make_vars=COH,
                      timeout=240, must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                      check=c2c_check))
