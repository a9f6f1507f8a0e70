"""The coherence build (BUILD=coherence): it compiles on every board; its
directory passes its own check (a shared line moves once per op, a
private one never, false sharing like the shared line) on arm64, x86_64
and armv7, and the check fails with a directory that counts nothing
(coherence_busted=1); every workload runs with c2c=1 on arm64 and x86_64,
printing transfers per op and the lines that moved, and proc-lookup shows
seed 000's point: the walks that take the /proc dentry's lockref move a
line shared by every reader at each lookup, the RCU walk none."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

BOARDS = ["qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm", "rpi3-arm64", "rpi2-arm"]
COH = {"BUILD": "coherence"}
MODE_RE = re.compile(r"^MODE workload=(\S+) mode=(\S+) kind=\S+ broken=(\d)", re.M)
RESULT_RE = re.compile(r"^RESULT workload=(\S+) mode=(\S+) cpus=2 .*?\bhitm_per_op=(\S+) "
                       r"inval_per_op=(\S+) ", re.M)
C2C_RE = re.compile(r"^C2C workload=(\S+) mode=(\S+) rank=(\d) addr=0x[0-9a-f]+ sym=\S+ "
                    r"object=\S+ hitm=\d+ inval=\d+ per_op=(\d+\.\d\d) cpus=\d+ funcs=\S+$", re.M)

BUILDS = [(board, "kernel", COH) for board in BOARDS]


def c2c_check(out):
    problems = []
    modes = [(m.group(1), m.group(2)) for m in MODE_RE.finditer(out) if m.group(3) == "0"]
    seen = {(m.group(1), m.group(2)): m for m in RESULT_RE.finditer(out)}
    tops = {(m.group(1), m.group(2)): float(m.group(4)) for m in C2C_RE.finditer(out)
            if m.group(3) == "1"}
    if len(modes) < 10:
        problems.append("run=modes listed only %d modes" % len(modes))
    for key in modes:
        m = seen.get(key)
        if not m:
            problems.append("no RESULT line for %s/%s" % key)
        elif not re.match(r"^\d+\.\d\d$", m.group(3)) or not re.match(r"^\d+\.\d\d$", m.group(4)):
            problems.append("%s/%s: hitm_per_op=%s inval_per_op=%s, expected numbers"
                            % (key + (m.group(3), m.group(4))))
    for mode in ("ref-walk", "rcu-walk-bail"):
        m = seen.get(("proc-lookup", mode))
        if m and m.group(3) != "-" and float(m.group(3)) < 1.0:
            problems.append("proc-lookup/%s: hitm_per_op=%s, expected >= 1 (the /proc "
                            "dentry's lockref)" % (mode, m.group(3)))
        if tops.get(("proc-lookup", mode), 0.0) < 1.0:
            problems.append("proc-lookup/%s: no c2c line with >= 1 transfer per op" % mode)
    m = seen.get(("proc-lookup", "rcu-walk"))
    if m and m.group(3) != "0.00":
        problems.append("proc-lookup/rcu-walk: hitm_per_op=%s, expected 0.00" % m.group(3))
    return problems


CASES = []
for board in ("qemu-virt-arm64", "pc-x86_64", "qemu-virt-arm"):
    CASES.append(Case("coherence:%s:directory-check" % board, board, 2,
                      "run=selftest test=coherence", build="kernel", make_vars=COH, timeout=120,
                      must_contain=[r"^ok   coherence\.shared_line_moves_per_op_private_lines_never$",
                                    r"^SUMMARY passed=1 failed=0"]))
# The broken variant: a directory that keeps no line counts nothing.
CASES.append(Case("coherence:qemu-virt-arm64:busted-directory-fails", "qemu-virt-arm64", 2,
                  "run=selftest test=coherence coherence_busted=1", expect="fail", build="kernel",
                  make_vars=COH, timeout=120,
                  must_contain=[r"^FAIL coherence\.shared_line_moves_per_op_private_lines_never$"]))
for board in ("qemu-virt-arm64", "pc-x86_64"):
    CASES.append(Case("coherence:%s:all:c2c" % board, board, 2,
                      "run=modes,all c2c=1 readonly=1 ms=100", build="kernel", make_vars=COH,
                      timeout=240, must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                      check=c2c_check))
