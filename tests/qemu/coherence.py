"""The coherence build (BUILD=coherence): it compiles on every board; its
directory passes its own check (a shared line moves once per op, a
private one never, false sharing like the shared line) on arm64, x86_64
and armv7, and the check fails with a directory that counts nothing
(coherence_busted=1); every workload runs with c2c=1 on arm64 and x86_64,
printing transfers per op and the lines that moved, and proc-lookup shows
seed 000's point: the walks that take the /proc dentry's lockref move
that line, shared by every reader, at each file they open; the RCU walk
moves it no more (only the per-pid dentries and tasks it pins), and the
reference-free walk moves nothing; and
vma-query shows seed 001's: under mmap_lock the target's mmap_lock line is
the top line, with the per-VMA lock the query no longer moves it (the
check fails if per-vma-rcu's query takes mmap_lock: tried by hand)."""
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
C2C_RE = re.compile(r"^C2C workload=(\S+) mode=(\S+) rank=(\d) addr=0x([0-9a-f]+) sym=\S+ "
                    r"object=\S+ hitm=\d+ inval=\d+ per_op=(\d+\.\d\d) cpus=\d+ funcs=\S+$", re.M)
PROC_LINE_RE = re.compile(r"^proc-lookup/(\S+): the /proc dentry's lockref is on line 0x([0-9a-f]+)$",
                          re.M)

BUILDS = [(board, "kernel", COH) for board in BOARDS]


def c2c_check(out):
    problems = []
    modes = [(m.group(1), m.group(2)) for m in MODE_RE.finditer(out) if m.group(3) == "0"]
    seen = {(m.group(1), m.group(2)): m for m in RESULT_RE.finditer(out)}
    if len(modes) < 10:
        problems.append("run=modes listed only %d modes" % len(modes))
    for key in modes:
        m = seen.get(key)
        if not m:
            problems.append("no RESULT line for %s/%s" % key)
        elif not re.match(r"^\d+\.\d\d$", m.group(3)) or not re.match(r"^\d+\.\d\d$", m.group(4)):
            problems.append("%s/%s: hitm_per_op=%s inval_per_op=%s, expected numbers"
                            % (key + (m.group(3), m.group(4))))
    # Seed 000: the /proc dentry's lockref line is the top line (ref-walk:
    # with the root's) of the walks that pin it and gone from the RCU
    # walk's, whose per-pid references still move lines; the
    # reference-free walk moves none.
    proc_line = {m.group(1): int(m.group(2), 16) for m in PROC_LINE_RE.finditer(out)}
    c2c = {}
    for m in C2C_RE.finditer(out):
        c2c.setdefault((m.group(1), m.group(2)), []).append((int(m.group(4), 16), float(m.group(5))))
    for mode, top in (("ref-walk", 2), ("rcu-walk-bail", 1), ("rcu-walk", 0)):
        m = seen.get(("proc-lookup", mode))
        lines = c2c.get(("proc-lookup", mode), [])
        if mode not in proc_line:
            problems.append("proc-lookup/%s: no line naming the /proc dentry's lockref" % mode)
            continue
        ranks = [i + 1 for i, (addr, _) in enumerate(lines) if addr == proc_line[mode]]
        per_op = [p for addr, p in lines if addr == proc_line[mode]]
        if top and (not ranks or ranks[0] > top or per_op[0] < 1.0):
            problems.append("proc-lookup/%s: the /proc dentry's lockref line is not among the "
                            "top %d c2c lines with >= 1 transfer per op" % (mode, top))
        if not top and per_op and per_op[0] >= 0.1:
            problems.append("proc-lookup/rcu-walk: the /proc dentry's lockref line still moves "
                            "%.2f times per op" % per_op[0])
        if not top and m and (m.group(3) == "-" or float(m.group(3)) < 0.1):
            problems.append("proc-lookup/rcu-walk: hitm_per_op=%s, expected > 0.1 (the per-pid "
                            "references of the open)" % m.group(3))
    m = seen.get(("proc-lookup", "rcu-walk-ideal"))
    if m and m.group(3) != "0.00":
        problems.append("proc-lookup/rcu-walk-ideal: hitm_per_op=%s, expected 0.00" % m.group(3))
    return problems


C2C_FUNCS_RE = re.compile(r"^C2C workload=vma-query mode=(\S+) rank=(\d) .*? per_op=(\d+\.\d\d) "
                          r"cpus=\d+ funcs=(\S+)$", re.M)


def vma_query_check(out):
    """Seed 001's line: with the query under mmap_lock, the target's
    mmap_lock line is the top line, moved by mmap_read_lock at least once
    per query; with the per-VMA lock no line moved by mmap_read_lock comes
    near that (what is left of the mm's line is the writer's)."""
    lines = [(m.group(1), int(m.group(2)), float(m.group(3)), m.group(4).split(","))
             for m in C2C_FUNCS_RE.finditer(out)]
    top = [l for l in lines if l[0] == "mmap-lock" and l[1] == 1]
    if not top or "mmap_read_lock" not in top[0][3] or top[0][2] < 1.0:
        return ["vma-query/mmap-lock: the top line is not the mmap_lock line moved by "
                "mmap_read_lock at >= 1 transfer per query: %s" % (top,)]
    near = [l for l in lines if l[0] == "per-vma-rcu" and "mmap_read_lock" in l[3]
            and l[2] >= top[0][2] / 2]
    if near:
        return ["vma-query/per-vma-rcu: a line moved by mmap_read_lock at %.2f per query "
                "(mmap-lock: %.2f)" % (near[0][2], top[0][2])]
    if not any(l[0] == "per-vma-rcu" for l in lines):
        return ["vma-query/per-vma-rcu: no C2C lines"]
    return []


CASES = []
# Seed 001 in the coherence build: the target steps with the queries.
CASES.append(Case("coherence:qemu-virt-arm64:vma-query:mmap_lock-line", "qemu-virt-arm64", 2,
                  "run=vma-query mode=mmap-lock,per-vma-rcu c2c=1 ms=300", build="kernel",
                  make_vars=COH, timeout=120, must_contain=[r"^SUMMARY passed=2 failed=0"],
                  check=vma_query_check))
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
