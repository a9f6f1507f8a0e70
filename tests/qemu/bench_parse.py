"""make bench's reading of the kernel (tools/bench.py), on real output:
run=modes lists every workload with its modes and kinds, a RESULT line
goes through the parser and into the CSV with every field unchanged, and
a RESULT line that lacks a key is refused. One short boot."""
import csv
import os
import re
import tempfile

from quiesce import console
from quiesce.case import Case
from quiesce import make
from . import workloads, workloads2, workloads_uprobe

# run=modes must list the workloads the test files cover, and no other.
WORKLOADS = set(workloads.WORKLOADS) | set(workloads2.WORKLOADS) | set(workloads_uprobe.WORKLOADS)


def load_bench():
    return make.load_file("tools/bench.py", "quiesce_bench")


def check(out):
    bench = load_bench()
    problems = []
    modes = console.modes(out)
    seen = {m["workload"] for m in modes}
    if seen != WORKLOADS:
        problems.append("MODE lines: expected workloads %s, saw %s" % (sorted(WORKLOADS), sorted(seen)))
    for kind in ("before", "after"):
        missing = WORKLOADS - {m["workload"] for m in modes if m["kind"] == kind}
        if missing:
            problems.append("MODE lines: no %s mode for %s" % (kind, sorted(missing)))
    if not any(m["broken"] == "1" for m in modes):
        problems.append("MODE lines: no mode marked broken=1 (nsproxy/tagged-ptr is)")

    lines = re.findall(r"^RESULT (.*)$", out, re.M)
    results = console.results(out, bench.RESULT_KEYS)
    if len(lines) != 1 or len(results) != 1:
        return problems + ["expected one RESULT line, saw %d (parsed %d)" % (len(lines), len(results))]
    expected = dict(pair.split("=", 1) for pair in lines[0].split())
    expected["run"] = "1"
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "results.csv")
        bench.write_csv(path, [dict({"run": 1}, **results[0])], ("run",) + bench.RESULT_KEYS)
        with open(path, newline="") as f:
            back = list(csv.DictReader(f))
    if back != [expected]:
        problems.append("CSV round trip: expected %r, saw %r" % ([expected], back))

    # The scaling model: a line both CPUs write caps them at one transfer
    # at a time; calibration inverts the prediction; lines are classified
    # by the CPUs that moved them.
    if abs(bench.model_rate(100.0, 1.0, 0.0, 100.0, 2) - 1e7) > 1:
        problems.append("model: 2 CPUs at 100 ns/op, 1 transfer of 100 ns: expected 1e7 ops/s, "
                        "got %r" % bench.model_rate(100.0, 1.0, 0.0, 100.0, 2))
    if bench.model_rate(100.0, 1.0, 0.0, 100.0, 128) > 1e7 + 1:
        problems.append("model: an all-CPU line does not cap the total")
    if abs(bench.model_rate(100.0, 0.0, 1.0, 100.0, 128) - 128 * 5e6) > 1:
        problems.append("model: transfers on other lines should only slow each CPU")
    for x in (20.0, 100.0, 900.0):
        got = bench.calibrate(300.0, bench.model_rate(300.0, 1.0, 0.0, x, 2), 1.0)
        if abs(got - x) > 0.01:
            problems.append("calibrate: expected XFER_NS %.1f back, got %.3f" % (x, got))
    lines = [{"per_op": "1.50", "cpus": "4"}, {"per_op": "0.40", "cpus": "2"}]
    if bench.classify(lines, 2.0, 0.5, 4) != (1.5, 1.0):
        problems.append("classify: expected (1.5, 1.0), got %r" % (bench.classify(lines, 2.0, 0.5, 4),))

    try:
        console.results("RESULT workload=nsproxy mode=rcu cpus=1 ms=5\n", bench.RESULT_KEYS)
        problems.append("a RESULT line without ops= etc. was accepted")
    except console.BadLine as e:
        if "ops" not in str(e):
            problems.append("the refusal does not name the missing key: %s" % e)
    return problems


CASES = [Case("bench:modes-and-result-to-csv", "qemu-virt-arm64", 1,
              "run=modes,nsproxy mode=task-lock ms=20", check=check, timeout=60)]
