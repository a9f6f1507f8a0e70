"""The coherence build (BUILD=coherence): it compiles on every board; its
directory passes its own check (a shared line moves once per op, a
private one never, false sharing like the shared line) on arm64, x86_64
and armv7, and the check fails with a directory that counts nothing
(coherence_busted=1); every workload runs with c2c=1 on arm64 and x86_64,
printing transfers per op and the lines that moved, and proc-lookup shows
seed 000's point: the walks that take the /proc dentry's lockref move
that line, shared by every reader, at each file they open; the RCU walk
moves it no more (only the per-pid dentries and tasks it pins), and the
reference-free walk moves nothing; and vma-query shows seed 001's: under
mmap_lock the target's mmap_lock line is the top line, with the per-VMA
lock the query no longer moves it (the check fails if per-vma-rcu's query
takes mmap_lock: tried by hand)."""
import re

from quiesce import console, make
from quiesce.case import Case
from quiesce.checks import mode_results

COH = {"BUILD": "coherence"}
PROC_LINE_RE = re.compile(r"^proc-lookup/(\S+): the /proc dentry's lockref is on line 0x([0-9a-f]+)$",
                          re.M)

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
    # Seed 000: the /proc dentry's lockref line is the top line (ref-walk:
    # with the root's) of the walks that pin it and gone from the RCU
    # walk's, whose per-pid references still move lines; the
    # reference-free walk moves none.
    proc_line = {m.group(1): int(m.group(2), 16) for m in PROC_LINE_RE.finditer(out)}
    c2c = {}
    for c in console.lines(out, "C2C", console.C2C_KEYS):
        c2c.setdefault((c["workload"], c["mode"]), []).append((int(c["addr"], 16),
                                                               float(c["per_op"])))
    for mode, top in (("ref-walk", 2), ("rcu-walk-bail", 1), ("rcu-walk", 0)):
        r = seen.get(("proc-lookup", mode))
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
        if not top and r and (r["hitm_per_op"] == "-" or float(r["hitm_per_op"]) < 0.1):
            problems.append("proc-lookup/rcu-walk: hitm_per_op=%s, expected > 0.1 (the per-pid "
                            "references of the open)" % r["hitm_per_op"])
    r = seen.get(("proc-lookup", "rcu-walk-ideal"))
    if r and r["hitm_per_op"] != "0.00":
        problems.append("proc-lookup/rcu-walk-ideal: hitm_per_op=%s, expected 0.00"
                        % r["hitm_per_op"])
    return problems


def vma_query_check(out):
    """Seed 001's line: with the query under mmap_lock, the target's
    mmap_lock line is the top line, moved by mmap_read_lock at least once
    per query; with the per-VMA lock no line moved by mmap_read_lock comes
    near that (what is left of the mm's line is the writer's)."""
    lines = [(c["mode"], c.int("rank"), float(c["per_op"]), c["funcs"].split(","))
             for c in console.lines(out, "C2C", console.C2C_KEYS) if c["workload"] == "vma-query"]
    top = [ln for ln in lines if ln[0] == "mmap-lock" and ln[1] == 1]
    if not top or "mmap_read_lock" not in top[0][3] or top[0][2] < 1.0:
        return ["vma-query/mmap-lock: the top line is not the mmap_lock line moved by "
                "mmap_read_lock at >= 1 transfer per query: %s" % (top,)]
    near = [ln for ln in lines if ln[0] == "per-vma-rcu" and "mmap_read_lock" in ln[3]
            and ln[2] >= top[0][2] / 2]
    if near:
        return ["vma-query/per-vma-rcu: a line moved by mmap_read_lock at %.2f per query "
                "(mmap-lock: %.2f)" % (near[0][2], top[0][2])]
    if not any(ln[0] == "per-vma-rcu" for ln in lines):
        return ["vma-query/per-vma-rcu: no C2C lines"]
    return []


CASES = []
# Seed 001 in the coherence build: the target steps with the queries.
CASES.append(Case("coherence:qemu-virt-arm64:vma-query:mmap_lock-line", "qemu-virt-arm64", 2,
                  "run=vma-query mode=mmap-lock,per-vma-rcu c2c=1 ms=300", build="kernel",
                  make_vars=COH, timeout=120, must_contain=[r"^SUMMARY passed=2 failed=0"],
                  check=vma_query_check))
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
