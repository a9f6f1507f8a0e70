#!/usr/bin/env python3
"""make bench: every workload x mode x CPU count on one board, several runs
per point, one QEMU at a time; then urcu-bench (Quiesce's host RCU against
liburcu). Writes results/<board>-<date>/: results.csv (every RESULT field
of every run), urcu.csv, one throughput and one atomics_per_op chart per
workload (gnuplot PNG), and summary.md.

A benchmark reports numbers, it does not pass or fail: a point that fails
(crash, hang, errors, no RESULT) is reported in the progress, the CSV and
summary.md, and the bench carries on. Exit status 1 if any point failed,
2 on bad arguments.

Usage: bench.py --board B [--cpus 1,2,4,8] [--runs N] [--ms MS] [--quick]
                [--readers 1,2,4] [--urcu-bench PATH] [--out DIR]
"""
import argparse
import csv
import glob
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

from quiesce import console, make
from quiesce.console import BadLine
from quiesce.make import ROOT
from quiesce.qemu import run_qemu, verdict

# (ms per run, runs per point) of a full and of a QUICK bench.
FULL = (1000, 5)
QUICK = (200, 3)
# The defaults of --cpus and --readers (bench/bench.mk's BENCH_CPUS and
# BENCH_READERS): the summary's command names only what differs.
DEFAULT_CPUS = [1, 2, 4, 8]
DEFAULT_READERS = [1, 2, 4]
# The keys every workload's RESULT line has (docs/console.md), in CSV
# order; the keys a workload adds follow them.
RESULT_KEYS = console.WORKLOAD_RESULT_KEYS
C2C_KEYS = console.C2C_KEYS
# Which kernel measures what (Makefile BUILD=): time on the release build
# (no debug checks, no counters), atomics on the stats build, cache-line
# transfers on the coherence build, all of the same source.
TIME_BUILD, ATOMICS_BUILD, XFER_BUILD = "release", "stats", "coherence"
# The scaling model: CPU counts it predicts, the default cost of one
# cache-line transfer (ns; the seeds' 2-socket machines), and the CPU count
# of the coherence runs that classify the lines (a line all of them
# touched is a line all N CPUs would touch).
MODEL_CPUS = (8, 32, 128)
XFER_NS = 100.0
CLASSIFY_CPUS = 4
MODE_KEYS = console.MODE_KEYS
URCU_KEYS = ("contender", "test", "readers", "ms", "ops", "ops_per_sec", "ns_per_op",
             "p50_ns", "p99_ns", "errors")
CONTENDERS = ("urcu-qsbr", "urcu-memb", "quiesce", "rwlock")
HOST_CORES = os.cpu_count() or 1
READONLY = "-readonly"


def parse_lines(out, tag, required):
    """Every '<tag> k=v ...' line of out (console.lines(): BadLine if one
    lacks a key or has a malformed pair)."""
    return console.lines(out, tag, required)


def write_csv(path, rows, first_keys):
    """rows (dicts) as CSV: first_keys, then any other key in order of appearance."""
    keys = list(first_keys)
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys, restval="")
        w.writeheader()
        w.writerows(rows)


def int_list(text, what):
    try:
        vals = [int(x) for x in text.split(",")]
    except ValueError:
        vals = []
    if not vals or min(vals) < 1:
        raise argparse.ArgumentTypeError("%s must be a comma list of positive numbers, got %r"
                                         % (what, text))
    return vals


def fmt_secs(s):
    s = int(round(s))
    return "%dm%02ds" % (s // 60, s % 60) if s >= 60 else "%ds" % s


def fmt_rate(x):
    return "%.0f" % x if x < 100 else "{:,}".format(int(round(x)))


def ratio(x, base):
    return "%.2fx" % (x / base) if base else "-"


# ---- the kernel side ------------------------------------------------------


class Kernel:
    """One board's QEMU command, with the kernel copied aside first: other
    builds in the same tree must not change the kernel between points."""

    def __init__(self, board, build):
        self.board = board
        self.build = build
        self.snap = os.path.join(ROOT, "build/bench/kernel-%s-%s" % (board, build))
        self.base = {}
        self.copied = set()
        self.pin = False
        p = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "-j2", "kernel",
                            "BOARD=" + board, "BUILD=" + build], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            raise SystemExit("bench: cannot build the %s kernel:\n%s" % (build, p.stdout[-2000:]))

    def command(self, cpus, cmdline):
        if cpus not in self.base:
            cmd = make.qemu_command(self.board, cpus, {"BUILD": self.build})
            for i, arg in enumerate(cmd):
                path = os.path.join(ROOT, arg)
                if arg.startswith("build/") and os.path.isfile(path):
                    copy = os.path.join(self.snap, os.path.basename(arg))
                    if copy not in self.copied:
                        os.makedirs(self.snap, exist_ok=True)
                        shutil.copy2(path, copy)
                        self.copied.add(copy)
                    cmd[i] = copy
            self.base[cpus] = cmd
        return self.base[cpus] + make.append(self.board, cpus, cmdline)

    def boot(self, cpus, cmdline, log_name, timeout):
        """(output, None) or (output, one-line reason it failed)."""
        try:
            cmd = self.command(cpus, cmdline)
            online, board_exit = make.run_cpus(self.board, cpus), make.board_exit(self.board)
        except RuntimeError as e:
            return "", " ".join(str(e).split())
        log = os.path.join(ROOT, "build/bench-logs", self.board, self.build, log_name + ".log")
        out, status, timed_out, _ = run_qemu(cmd, timeout, log, pin=self.pin)
        ok, why = verdict(out, status, timed_out, timeout, board_exit, cpus=online)
        return out, None if ok else "%s (log: %s)" % (why, os.path.relpath(log, ROOT))


def discover_modes(kernel):
    out, why = kernel.boot(1, "run=modes", "modes", 60)
    if why:
        raise SystemExit("bench: cannot list the workload modes: " + why)
    modes = parse_lines(out, "MODE", MODE_KEYS)
    if not modes:
        raise SystemExit("bench: run=modes printed no MODE line")
    # Each workload once more as "<workload>-readonly": the same modes
    # booted with readonly=1, every CPU a reader and none an updater, so
    # its CPU counts show how the read paths scale. The racy modes need
    # updaters and are left out of it.
    ro = [dict(m, workload=m["workload"] + READONLY) for m in modes if m["broken"] == "0"]
    return modes + ro


def split_workload(name):
    """(the kernel's workload name, the extra command-line keys)."""
    if name.endswith(READONLY):
        return name[:-len(READONLY)], " readonly=1"
    return name, ""


class Progress:
    """Point n of N, and the time left: each point's last duration, or the
    mean of the runs done at its CPU count, or of all runs done."""

    def __init__(self, plan):
        self.plan = plan
        self.done = 0
        self.start = time.monotonic()
        self.last = {}
        self.by_cpus = {}

    def estimate(self, point):
        if point in self.last:
            return self.last[point]
        same = self.by_cpus.get(point[2])
        if same:
            return statistics.mean(same)
        every = [s for v in self.by_cpus.values() for s in v]
        return statistics.mean(every) if every else 2.0

    def step(self, point, secs, text):
        self.done += 1
        self.last[point] = secs
        self.by_cpus.setdefault(point[2], []).append(secs)
        left = sum(self.estimate(p) for p, _ in self.plan[self.done:])
        width = len(str(len(self.plan)))
        print("bench: [%*d/%d] %s (%.1f s; elapsed %s, ETA %s)" % (
            width, self.done, len(self.plan), text, secs,
            fmt_secs(time.monotonic() - self.start), fmt_secs(left)), flush=True)


def run_points(kernel, modes, cpus_list, runs, ms, csv_path):
    """Every run of every point, the runs of a point spread over the bench
    (run 1 of every point, then run 2 ...): slow drifts of the host's load
    hit every point alike. Returns every row, failures included."""
    points = [(m["workload"], m["mode"], n) for n in cpus_list for m in modes
              if m["broken"] == "0" and n >= int(m["min_cpus"])]
    kinds = {(m["workload"], m["mode"]): m["kind"] for m in modes}
    plan = [(p, r) for r in range(1, runs + 1) for p in points]
    print("bench: %d points (%d modes x CPU counts %s) x %d runs = %d boots of %d ms, one at a time"
          % (len(points), len({p[:2] for p in points}), ",".join(map(str, cpus_list)), runs,
             len(plan), ms), flush=True)
    prog = Progress(plan)
    rows = []
    timeout = 120 + ms * 20 // 1000
    for (wl, mode, n), run in plan:
        t0 = time.monotonic()
        kwl, keys = split_workload(wl)
        out, why = kernel.boot(n, "run=%s mode=%s ms=%d%s" % (kwl, mode, ms, keys),
                               "%s-%s-cpus%d-run%d" % (wl, mode, n, run), timeout)
        try:
            results = [r for r in parse_lines(out, "RESULT", RESULT_KEYS)
                       if r["workload"] == kwl and r["mode"] == mode]
        except BadLine as e:
            results, why = [], why or str(e)
        if not results and not why:
            why = "no RESULT line for %s/%s" % (wl, mode)
        elif results and results[-1]["cpus"] != str(n) and not why:
            why = "ran on %s CPUs, not %d (all the board has?)" % (results[-1]["cpus"], n)
        row = {"board": kernel.board, "run": run, "status": "ok" if not why else "FAIL",
               "cpus_asked": n, "kind": kinds[(wl, mode)], "workload": wl, "mode": mode,
               "cpus": n}
        if results:
            row.update(results[-1])
            row["workload"] = wl  # "-readonly" kept: a series of its own
        if why:
            row["why"] = why
        rows.append(row)
        write_csv(csv_path, rows, ("board", "run", "status", "cpus_asked", "kind") + RESULT_KEYS)
        text = "%s/%s cpus=%d run %d/%d: " % (wl, mode, n, run, runs)
        if why:
            text += "FAIL: " + why
        else:
            head = row.get("headline")
            if head and head != "ops_per_sec" and head in row:
                text += "%s=%s, " % (head, row[head])
            text += "%s reads/s" % row["ops_per_sec"]
        prog.step((wl, mode, n), time.monotonic() - t0, text)
    return rows


class Point:
    """The runs of one point that succeeded: medians and spread."""

    def __init__(self, rows):
        self.rows = rows
        rates = [float(r["ops_per_sec"]) for r in rows]
        self.n = len(rows)
        self.rate = statistics.median(rates)
        self.lo, self.hi = min(rates), max(rates)
        self.spread = (self.hi - self.lo) / self.rate * 100 if self.rate else 0.0
        # Filled from the counting builds' runs (add_counts): None if none.
        self.apo = self.hitm = self.inval = None
        self.p50 = statistics.median(int(r["p50_ns"]) for r in rows)
        self.p99 = statistics.median(int(r["p99_ns"]) for r in rows)
        # CPUs that read (the others update); older kernels do not say.
        self.readers = int(rows[0].get("readers", 0)) or None
        # The seed's headline measure (RESULT headline=<key>), its median;
        # and whether every run held its update rate (rate_ok=1).
        self.headline = rows[0].get("headline")
        vals = [num(r.get(self.headline)) for r in rows if self.headline]
        vals = [v for v in vals if v is not None]
        self.head = statistics.median(vals) if vals else None
        self.rate_ok = all(r.get("rate_ok", "1") == "1" for r in rows)

    def head_cell(self):
        """The headline's median ("-" if the kernel did not print one), with
        a * when some run missed its update rate by more than 10%."""
        if self.head is None:
            return "-"
        small = "%.1f" if self.head >= 10 else "%.2f"  # a ratio (vma-query's faults_rel)
        return "%s%s" % (fmt_rate(self.head) if self.head >= 100 else small % self.head,
                         "" if self.rate_ok else "*")


def summarize(rows):
    """{(workload, mode, cpus): Point} over the successful runs."""
    pts = {}
    for r in rows:
        if r["status"] == "ok":
            pts.setdefault((r["workload"], r["mode"], int(r["cpus"])), []).append(r)
    return {k: Point(v) for k, v in pts.items()}


def num(v):
    """A per-op key's value, None for "-" (a build that does not count it)."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def count_points(kernels, modes, cpus_list, ms, csv_path):
    """The counting runs: each workload (and its -readonly series) booted
    once per CPU count on the stats build (atomics) and on the coherence
    build (transfers, with c2c=1), all its clean modes in one boot; and
    the coherence build once more at CLASSIFY_CPUS CPUs, read-only, to
    tell lines all CPUs touch from the others. Returns ({(build, workload,
    mode, cpus): RESULT dict}, {(workload, mode, cpus): [C2C dicts]},
    failures)."""
    counts, c2c, fails, rows = {}, {}, [], []
    wls = list(dict.fromkeys(m["workload"] for m in modes))
    plan = [(k, wl, n) for k in kernels for wl in wls for n in cpus_list if n <= 2]
    plan += [(kernels[-1], wl, CLASSIFY_CPUS) for wl in wls if wl.endswith(READONLY)]
    print("bench: %d counting boots (%s builds, CPU counts 1, 2; %d CPUs for the line "
          "classification)" % (len(plan), "/".join(k.build for k in kernels), CLASSIFY_CPUS),
          flush=True)
    for kernel, wl, n in plan:
        kwl, keys = split_workload(wl)
        extra = " c2c=1" if kernel.build == XFER_BUILD else ""
        out, why = kernel.boot(n, "run=%s mode=clean ms=%d%s%s" % (kwl, ms, keys, extra),
                               "%s-cpus%d" % (wl, n), 300 + ms * 40 // 1000)
        try:
            res = parse_lines(out, "RESULT", RESULT_KEYS)
            lines = parse_lines(out, "C2C", C2C_KEYS)
        except BadLine as e:
            res, lines, why = [], [], why or str(e)
        if why:
            fails.append("%s build, %s at %d CPUs: %s" % (kernel.build, wl, n, why))
        for r in res:
            counts[(kernel.build, wl, r["mode"], n)] = r
            rows.append(dict(r, build=kernel.build, workload=wl))
        for c in lines:
            c2c.setdefault((wl, c["mode"], n), []).append(c)
        print("bench: counted %s/%s at %d CPUs: %s" % (kernel.build, wl, n, why or
              "%d modes" % len(res)), flush=True)
    write_csv(csv_path, rows, ("build",) + RESULT_KEYS)
    return counts, c2c, fails


def add_counts(pts, counts):
    """Each timed point gets the counts of the same mode and CPU count
    (the 2-CPU counts for larger CPU counts: the transfers per op of a
    line every reader touches do not grow with them)."""
    for (wl, mode, n), p in pts.items():
        k = min(n, 2)
        st = counts.get((ATOMICS_BUILD, wl, mode, k))
        co = counts.get((XFER_BUILD, wl, mode, k))
        p.apo = num(st["atomics_per_op"]) if st else None
        p.hitm = num(co["hitm_per_op"]) if co else None
        p.inval = num(co["inval_per_op"]) if co else None


# ---- the scaling model -------------------------------------------------------


def model_rate(t1_ns, x_all, x_part, xfer_ns, n, eff=1.0):
    """Predicted total ops/s at n CPUs: each op costs its 1-CPU time plus
    xfer_ns per transfer; a line all n CPUs write moves one CPU at a time,
    so the x_all transfers per op on such lines cap the total at
    1 / (x_all * xfer_ns). eff: the share of n CPUs' work the machine
    gives CPUs that share nothing (1 on a core per CPU; this host's 2
    vCPUs, measured: host_efficiency())."""
    if n == 1:
        return 1e9 / t1_ns
    per_cpu = 1e9 / (t1_ns + (x_all + x_part) * xfer_ns)
    cap = 1e9 / (x_all * xfer_ns) if x_all > 0 else float("inf")
    return min(n * per_cpu * eff, cap)


def host_efficiency(lb):
    """What 2 vCPUs that share no line get done here, over twice one:
    lockbench percpu-counter (the release build), at most 1. QEMU's own
    threads and the host's other work share the 2 cores."""
    one, two = lb.get((TIME_BUILD, "percpu-counter", 1)), lb.get((TIME_BUILD, "percpu-counter", 2))
    if not one or not two:
        return 1.0
    return min(1.0, float(two["ops_per_sec"]) / (2 * float(one["ops_per_sec"])))


def calibrate(t1_ns, rate2, x_all, eff=1.0):
    """XFER_NS such that the model's 2-CPU prediction for a case with
    x_all transfers per op on a line both CPUs write equals rate2 (the
    prediction falls as XFER_NS grows: bisection)."""
    lo, hi = 0.0, 1e7
    for _ in range(100):
        mid = (lo + hi) / 2
        if model_rate(t1_ns, x_all, 0.0, mid, 2, eff) > rate2:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def classify(c2c_lines, hitm, inval, n):
    """(transfers per op on lines all n CPUs touched, the others), from
    the c2c lines of a run at n CPUs and its RESULT totals; transfers
    outside the c2c report's top lines count as the others'."""
    total = (hitm or 0.0) + (inval or 0.0)
    x_all = sum(float(c["per_op"]) for c in c2c_lines if int(c["cpus"]) >= n)
    x_all = min(x_all, total)
    return x_all, total - x_all


def lockbench_points(kernels, ms, runs):
    """shared-counter, percpu-counter and false-sharing (lockbench) at 1
    and 2 CPUs on the release build (time, runs boots: the run with the
    median ops/s of each point, as every timed point) and the coherence
    build (transfers, one boot: counts do not vary): {(build, mode, cpus):
    RESULT dict}, and the failures."""
    seen, fails = {}, []
    for kernel in kernels:
        for run in range(runs if kernel.build == TIME_BUILD else 1):
            out, why = kernel.boot(2, "run=lockbench type=shared-counter,percpu-counter,"
                                   "false-sharing ms=%d seed=%d" % (ms, run + 1),
                                   "lockbench-counters-%d" % (run + 1), 120 + ms * 20 // 1000)
            if why:
                fails.append("%s build, lockbench counters: %s" % (kernel.build, why))
            try:
                for r in parse_lines(out, "RESULT", console.RESULT_KEYS):  # no latency keys
                    seen.setdefault((kernel.build, r["mode"], int(r["cpus"])), []).append(r)
            except BadLine as e:
                fails.append(str(e))
    got = {}
    for key, rs in seen.items():
        rs.sort(key=lambda r: float(r["ops_per_sec"]))
        got[key] = rs[len(rs) // 2]
    return got, fails


def model_section(pts, modes, counts, c2c, lb):
    """The model's predictions next to the measures, its calibration and
    validation, as summary.md lines; and the data for the chart."""
    L = ["## Scaling model", "",
         "Each read costs its 1-CPU time (release build, 1 CPU) plus `XFER_NS` per cache-line "
         "transfer (coherence build: HITM + invalidations per read, read-only); the transfers "
         "on lines that all CPUs touch (seen by all %d CPUs of a read-only coherence run) "
         "serialise, so they cap the total at 1 / (transfers per op x `XFER_NS`); the other "
         "transfers only slow each CPU down. Predicted reads/s at N CPUs = min(N / (t1 + "
         "X x XFER_NS), 1 / (X_all x XFER_NS)), X = all transfers per read, X_all = those on "
         "all-CPU lines." % CLASSIFY_CPUS, ""]
    xfer, cal = XFER_NS, "no calibration (lockbench shared-counter runs missing)"
    eff = host_efficiency(lb)
    t = lb.get((TIME_BUILD, "shared-counter", 1)), lb.get((TIME_BUILD, "shared-counter", 2))
    co = lb.get((XFER_BUILD, "shared-counter", 2))
    if t[0] and t[1] and co and num(co["hitm_per_op"]):
        x = num(co["hitm_per_op"]) + (num(co["inval_per_op"]) or 0)
        t1 = 1e9 / float(t[0]["ops_per_sec"])
        xfer = calibrate(t1, float(t[1]["ops_per_sec"]), x, eff)
        cal = ("calibrated on this host from lockbench shared-counter: %.1f ns/op at 1 CPU, "
               "%s ops/s at 2 vCPUs (release build), %.2f transfers/op (coherence build): "
               "**XFER_NS = %.0f ns** (default %.0f; on a bigger machine, calibrate there)"
               % (t1, fmt_rate(float(t[1]["ops_per_sec"])), x, xfer, XFER_NS))
    L += ["- " + cal,
          "- this host's 2-vCPU efficiency, from lockbench percpu-counter (no line shared): "
          "**%.2f** of twice one vCPU's ops/s; the 2-vCPU predictions below include it, the "
          "8- to 128-CPU ones assume a core per CPU (1.00)" % eff, ""]
    # Validation: 2-CPU predictions from the 1-CPU runs.
    L += ["Validation at 2 vCPUs (one host core each; the host was shared with other jobs):", "",
          "| case | 1-CPU reads/s | transfers/op (all-CPU lines) | predicted @2 | measured @2 "
          "| error |", "|---|---:|---:|---:|---:|---:|"]
    checks = [("lockbench/false-sharing", lb.get((TIME_BUILD, "false-sharing", 1)),
               lb.get((TIME_BUILD, "false-sharing", 2)), lb.get((XFER_BUILD, "false-sharing", 2)),
               None)]
    for mode in ("rcu-walk-bail", "rcu-walk", "rcu-walk-ideal"):
        wl = "proc-lookup" + READONLY
        p1, p2 = pts.get((wl, mode, 1)), pts.get((wl, mode, 2))
        checks.append(("%s/%s" % (wl, mode), p1 and {"ops_per_sec": p1.rate},
                       p2 and {"ops_per_sec": p2.rate}, counts.get((XFER_BUILD, wl, mode, 2)),
                       c2c.get((wl, mode, 2), [])))
    for name, r1, r2, co, lines in checks:
        if not (r1 and r2 and co):
            L.append("| %s | - | - | - | - | missing runs |" % name)
            continue
        h, i = num(co["hitm_per_op"]) or 0, num(co["inval_per_op"]) or 0
        x_all, x_part = (h + i, 0.0) if lines is None else classify(lines, h, i, 2)
        pred = model_rate(1e9 / float(r1["ops_per_sec"]), x_all, x_part, xfer, 2, eff)
        meas = float(r2["ops_per_sec"])
        L.append("| %s | %s | %.2f (%.2f) | %s | %s | %+.0f%% |" % (
            name, fmt_rate(float(r1["ops_per_sec"])), h + i, x_all, fmt_rate(pred),
            fmt_rate(meas), (pred - meas) / meas * 100))
    L.append("")
    # Predictions for every read-only mode.
    L += ["Predicted reads/s (read-only series; t1 from the release build at 1 CPU; transfers "
          "from the coherence build; lines classified at %d CPUs; XFER_NS = %.0f):" % (
              CLASSIFY_CPUS, xfer), "",
          "| workload | mode | kind | hitm/op @2 | xfer/op | on all-CPU lines | measured @1 | "
          "measured @2 | predicted @2 | " + " | ".join("predicted @%d" % n for n in MODEL_CPUS)
          + " | @128 vs before |", "|---|---|---|---:|---:|---:|---:|---:|---:|"
          + "---:|" * len(MODEL_CPUS) + "---:|"]
    curves = {}
    for m in modes:
        wl, mode = m["workload"], m["mode"]
        if not wl.endswith(READONLY) or m["broken"] != "0":
            continue
        p1, p2 = pts.get((wl, mode, 1)), pts.get((wl, mode, 2))
        co = counts.get((XFER_BUILD, wl, mode, CLASSIFY_CPUS)) or \
            counts.get((XFER_BUILD, wl, mode, 2))
        if not p1 or not co:
            continue
        h, i = num(co["hitm_per_op"]) or 0, num(co["inval_per_op"]) or 0
        n_cls = int(co["cpus"])
        x_all, x_part = classify(c2c.get((wl, mode, n_cls), []), h, i, n_cls)
        t1 = 1e9 / p1.rate
        pred = {n: model_rate(t1, x_all, x_part, xfer, n, eff if n == 2 else 1.0)
                for n in (1, 2) + MODEL_CPUS}
        curves[(wl, mode)] = (pred, p1, p2)
        co2 = counts.get((XFER_BUILD, wl, mode, 2))
        L.append("| %s | %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s | %%s |" % (
            wl, mode, m["kind"], co2["hitm_per_op"] if co2 else "-", h + i, x_all,
            fmt_rate(p1.rate), fmt_rate(p2.rate) if p2 else "-", fmt_rate(pred[2]),
            " | ".join(fmt_rate(pred[n]) for n in MODEL_CPUS)))
    # The 128-CPU ratio to the workload's before mode.
    for idx, line in enumerate(L):
        if "%s |" not in line or not line.startswith("| "):
            continue
        wl, mode = line.split(" | ")[0][2:], line.split(" | ")[1]
        b = before_mode(modes, wl)
        mine, base = curves.get((wl, mode)), curves.get((wl, b))
        L[idx] = line % (ratio(mine[0][128], base[0][128]) if mine and base else "-")
    L.append("")
    return L, curves, xfer


def model_chart(out_dir, board, curves):
    """Per read-only workload: the model's predicted reads/s against CPUs,
    one line per mode, with the measured 1- and 2-CPU points."""
    if not shutil.which("gnuplot") or not curves:
        return []
    work = os.path.join(ROOT, "build/bench/plot")
    os.makedirs(work, exist_ok=True)
    pngs = []
    for wl in dict.fromkeys(w for w, _ in curves):
        plots = []
        for (w, mode), (pred, p1, p2) in curves.items():
            if w != wl:
                continue
            dp, dm = (os.path.join(work, "model-%s-%s.%s" % (wl, mode, x)) for x in ("pred", "meas"))
            with open(dp, "w") as f:
                f.writelines("%d %f\n" % (n, pred[n]) for n in sorted(pred))
            with open(dm, "w") as f:
                f.writelines("%d %f\n" % (n, p.rate) for n, p in ((1, p1), (2, p2)) if p)
            plots += ["'%s' using 1:2 with lines lw 2 title '%s predicted'" % (dp, mode),
                      "'%s' using 1:2 with points pt 7 ps 1.5 title '%s measured'" % (dm, mode)]
        png = "%s-model.png" % wl
        if plot_png(out_dir, png, [
                'set title "%s on %s: predicted reads/s (model) and measured"' % (wl, board),
                'set xlabel "CPUs"', 'set ylabel "reads/s"', "set logscale xy 2",
                "set xtics (1, 2, 8, 32, 128)", "set grid", "set key below",
                "plot " + ", ".join(plots)]):
            pngs.append(png)
    return pngs


def plot_png(out_dir, png, script):
    """Draw out_dir/png (800x480) with the gnuplot commands in script;
    False, with one line saying why, when gnuplot fails."""
    lines = ['set terminal pngcairo size 800,480 font "sans,10" noenhanced',
             "set output '%s'" % os.path.join(out_dir, png)] + script
    p = subprocess.run(["gnuplot"], input="\n".join(lines) + "\n", text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        print("bench: gnuplot failed for %s: %s" % (png, p.stdout.strip()), flush=True)
        return False
    return True


def before_mode(modes, wl):
    """What a mode is compared with: the workload's last "before" mode
    (the code the seed's patch replaced), as the kernel's table does."""
    before = [m["mode"] for m in modes if m["workload"] == wl and m["kind"] == "before"]
    return before[-1] if before else None


# ---- charts ------------------------------------------------------------------


def gnuplot_charts(out_dir, board, modes, cpus_list, pts):
    """Per workload: reads/s (log scale, bars min..max) and atomics_per_op
    against the CPU count, one line per mode. Returns the PNG names."""
    if not shutil.which("gnuplot"):
        print("bench: no gnuplot (make bench installs gnuplot-nox): no charts", flush=True)
        return []
    work = os.path.join(ROOT, "build/bench/plot")
    os.makedirs(work, exist_ok=True)
    pngs = []
    for wl in dict.fromkeys(m["workload"] for m in modes):
        wl_modes = [m for m in modes if m["workload"] == wl and m["broken"] == "0"]
        seed = wl_modes[0]["seed"] if wl_modes else "?"
        series = []
        for m in wl_modes:
            dat = os.path.join(work, "%s-%s.dat" % (wl, m["mode"]))
            with open(dat, "w") as f:
                for n in cpus_list:
                    p = pts.get((wl, m["mode"], n))
                    if p:
                        f.write("%d %f %f %f %f\n" % (n, p.rate, p.lo, p.hi,
                                                     p.apo if p.apo is not None else float("nan")))
            if os.path.getsize(dat):
                series.append((dat, "%s (%s)" % (m["mode"], m["kind"])))
        if not series:
            continue
        for what, ylabel, using, extra in (
                ("throughput", "reads/s (median; bars: min to max)", "1:2:3:4 with yerrorlines",
                 "set logscale y\n"),
                ("atomics", "atomics_per_op (median; the reader's)", "1:5 with linespoints",
                 "set yrange [0:*]\n")):
            png = "%s-%s.png" % (wl, what)
            script = [
                'set title "%s (seed %s) on %s: %s vs CPUs"' % (
                    wl, seed, board, "reads/s" if what == "throughput" else "atomics_per_op"),
                'set xlabel "CPUs (vCPUs; the host has %d cores)"' % HOST_CORES,
                'set ylabel "%s"' % ylabel,
                "set logscale x 2",
                "set xtics (%s)" % ", ".join(str(n) for n in cpus_list),
                "set xrange [%f:%f]" % (min(cpus_list) / 1.3, max(cpus_list) * 1.3),
                "set grid",
                "set key below",
                extra,
            ]
            if max(cpus_list) > HOST_CORES:
                script.append("set arrow from %d, graph 0 to %d, graph 1 nohead dt 2"
                              % (HOST_CORES, HOST_CORES))
                script.append('set label "host cores" at %d, graph 0.95 offset 0.5,0'
                              % HOST_CORES)
            script.append("plot " + ", ".join("'%s' using %s lw 2 pt 7 title '%s'"
                                              % (dat, using, title) for dat, title in series))
            if plot_png(out_dir, png, script):
                pngs.append(png)
    return pngs


# ---- liburcu ---------------------------------------------------------------


def run_urcu(binary, runs, ms, readers, csv_path):
    """urcu-bench `runs` times; every URCU line, with its run index."""
    rows = []
    if not binary or not os.path.exists(binary):
        print("bench: urcu-bench not built (%s): no liburcu comparison" % binary, flush=True)
        return rows, "urcu-bench was not built"
    total = runs * len(CONTENDERS) * 3 * len(readers)
    print("bench: urcu-bench: %d runs x %d measurements of %d ms (host threads, not QEMU)"
          % (runs, total // runs, ms), flush=True)
    start, problems = time.monotonic(), []
    for run in range(1, runs + 1):
        cmd = [binary, "-m", str(ms), "-r", ",".join(map(str, readers))]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stdout:
            try:
                got = parse_lines(line, "URCU", URCU_KEYS)
            except BadLine as e:
                problems.append(str(e))
                continue
            for r in got:
                rows.append(dict({"run": run}, **r))
                done = len(rows)
                el = time.monotonic() - start
                print("bench: [urcu %d/%d] %s %s readers=%s: %s ops/s (elapsed %s, ETA %s)" % (
                    done, total, r["contender"], r["test"], r["readers"], r["ops_per_sec"],
                    fmt_secs(el), fmt_secs(el / done * (total - done))), flush=True)
        err = p.stderr.read().strip()
        if p.wait():
            problems.append("urcu-bench run %d exited with %d: %s" % (run, p.returncode, err))
            print("bench: FAIL " + problems[-1], flush=True)
        write_csv(csv_path, rows, ("run",) + URCU_KEYS)
    return rows, "; ".join(problems)


def urcu_points(rows):
    pts = {}
    for r in rows:
        pts.setdefault((r["test"], int(r["readers"]), r["contender"]), []).append(r)
    return pts


def med(rows, key):
    return statistics.median(float(r[key]) for r in rows)


# The measure each test's goal is stated in, and which way is better.
RATIO_TESTS = (("read", "ops_per_sec", "higher", "reads/s"),
               ("sync", "p50_ns", "lower", "p50"),
               ("call", "ops_per_sec", "higher", "objects/s"))


def urcu_ratios(pts, readers):
    """[(test, readers, ratio, best flavour, better_if, unit)]: Quiesce's
    median over the better liburcu flavour's, per test and reader count
    (urcu-bench prints the same table for one run)."""
    out = []
    for test, key, better, unit in RATIO_TESTS:
        for n in readers:
            q = pts.get((test, n, "quiesce"))
            libs = [(med(pts[(test, n, c)], key), c) for c in ("urcu-qsbr", "urcu-memb")
                    if (test, n, c) in pts]
            if not q or not libs:
                continue
            bv, best = (min if better == "lower" else max)(libs)
            out.append((test, n, med(q, key) / bv if bv else 0.0, best, better, unit))
    return out


def urcu_ratio_chart(out_dir, ratios):
    """One bar per test and reader count: Quiesce / best liburcu, with the
    parity line. Returns the PNG name, or None."""
    if not ratios or not shutil.which("gnuplot"):
        return None
    work = os.path.join(ROOT, "build/bench/plot")
    os.makedirs(work, exist_ok=True)
    dat = os.path.join(work, "urcu-ratios.dat")
    with open(dat, "w") as f:
        for i, (test, n, ratio, best, better, _) in enumerate(ratios):
            f.write('%d %f "%s r=%d (%s is better)"\n' % (i, ratio, test, n, better))
    png = "urcu-ratios.png"
    script = [
        'set title "Quiesce / best liburcu flavour, per test and reader count (medians)"',
        'set ylabel "ratio (log scale; 1 = parity)"',
        "set logscale y", "set grid y", "set style fill solid 0.6", "set boxwidth 0.6",
        "set xtics rotate by -30", "set xrange [-0.7:%f]" % (len(ratios) - 0.3),
        "set key off",
        "plot '%s' using 1:2:xtic(3) with boxes, 1 with lines lw 2 dt 2" % dat,
    ]
    return png if plot_png(out_dir, png, script) else None


def urcu_section(rows, problem, readers, ms, runs, binary, out_dir):
    lines = ["## Quiesce's RCU against liburcu (host)", ""]
    if not rows:
        return lines + ["Not measured: %s." % (problem or "no output"), ""]
    pts = urcu_points(rows)
    lib = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "liburcu-dev"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    lines += [
        "`%s -m %d -r %s`, %d runs, medians. liburcu %s (Debian's liburcu-dev), its fast paths "
        "inlined (`_LGPL_SOURCE`); Quiesce's RCU is the host build of `rcu/` (threads play "
        "CPUs) without `CONFIG_DEBUG`; both at `-O2`. The same workload for every contender: "
        "readers load a shared object and check it; one updater replaces it and frees the old "
        "one after a grace period (`bench/urcu_bench.h`). QSBR-style readers (urcu-qsbr, "
        "quiesce) announce a quiescent state every 64 reads. The host has %d cores: with 2 "
        "readers the updater (and liburcu's call_rcu thread) share them with the readers. "
        "Waiters of both spin briefly, then sleep on a futex that the last quiescent-state "
        "report wakes (Quiesce: `rcu_wait_until()`); with more reader threads than cores, "
        "a grace period waits for the host to run every reader, in both."
        % (os.path.relpath(binary, ROOT), ms, ",".join(map(str, readers)), runs,
           lib or "?", HOST_CORES),
        ""]
    head = "| contender | " + " | ".join("%d reader%s" % (n, "s" if n > 1 else "")
                                         for n in readers) + " |"
    sep = "|---|" + "---:|" * len(readers)
    tests = (("read", "Read-side throughput: reads/s, all readers together (ns per read "
              "per reader)", lambda p: "%s (%.2f ns)" % (fmt_rate(med(p, "ops_per_sec")),
                                                       med(p, "ns_per_op"))),
             ("sync", "synchronize_rcu() latency: p50 / p99 / mean, µs (rwlock: the write "
              "lock's wait)", lambda p: "%.1f / %.1f / %.1f" % (
                  med(p, "p50_ns") / 1e3, med(p, "p99_ns") / 1e3, med(p, "ns_per_op") / 1e3)),
             ("call", "call_rcu() throughput: objects freed per second, up to rcu_barrier() "
              "(rwlock: freed at once)", lambda p: fmt_rate(med(p, "ops_per_sec"))))
    for test, title, cell in tests:
        lines += ["### " + title, "", head, sep]
        for c in CONTENDERS:
            lines.append("| %s | %s |" % (c, " | ".join(
                cell(pts[(test, n, c)]) if (test, n, c) in pts else "-" for n in readers)))
        lines.append("")
    ratios = urcu_ratios(pts, readers)
    if ratios:
        lines += ["### Quiesce / best liburcu flavour (medians)", "",
                  "| test | " + " | ".join("%d reader%s" % (n, "s" if n > 1 else "")
                                         for n in readers) + " |",
                  "|---|" + "---:|" * len(readers)]
        for test, _, better, unit in RATIO_TESTS:
            cells = {n: "%.2f (%s)" % (r, best) for t, n, r, best, _, _ in ratios if t == test}
            if cells:
                lines.append("| %s (%s, %s is better) | %s |" % (
                    test, unit, better, " | ".join(cells.get(n, "-") for n in readers)))
        lines.append("")
        png = urcu_ratio_chart(out_dir, ratios)
        if png:
            lines += ["![Quiesce / best liburcu](%s)" % png, ""]
    lines += ["### Where Quiesce is behind liburcu", ""]
    behind = []
    for n in readers:
        for test, better, name in (("read", "higher", "reads/s"), ("sync", "lower", "p50 µs"),
                                   ("call", "higher", "objects/s")):
            q = pts.get((test, n, "quiesce"))
            if not q:
                continue
            key = "p50_ns" if test == "sync" else "ops_per_sec"
            for c in ("urcu-qsbr", "urcu-memb"):
                o = pts.get((test, n, c))
                if not o:
                    continue
                qv, ov = med(q, key), med(o, key)
                worse = qv < ov if better == "higher" else qv > ov
                if worse:
                    show = (lambda v: "%.1f" % (v / 1e3)) if test == "sync" else fmt_rate
                    behind.append("- %s, %d reader%s: quiesce %s %s vs %s %s (%.2fx)" % (
                        test, n, "s" if n > 1 else "", show(qv), name, c, show(ov),
                        qv / ov if ov else 0))
    lines += behind or ["- nowhere in this run."]
    errs = sum(int(r["errors"]) for r in rows)
    lines += ["", "Reader errors (a freed or torn object seen): %d." % errs]
    if problem:
        lines += ["", "Problems: " + problem]
    return lines + [""]


# ---- summary.md -------------------------------------------------------------


def host_sockets():
    """Physical packages (sockets) of this host, from sysfs; 0 if unknown."""
    ids = set()
    for path in glob.glob("/sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id"):
        try:
            with open(path) as f:
                ids.add(f.read().strip())
        except OSError:
            pass
    return len(ids)


def accel_line(kernel, qemu):
    """How QEMU runs the vCPUs: its -accel and -cpu, and whether pinned."""
    try:
        cmd = kernel.command(1, "")[1]
    except RuntimeError:
        cmd = []
    opt = {cmd[i]: cmd[i + 1] for i in range(len(cmd) - 1) if cmd[i] in ("-accel", "-cpu")}
    if opt.get("-accel", "").startswith("kvm"):
        return "- %s, KVM: one host thread per vCPU, -cpu %s%s" % (
            qemu, opt.get("-cpu", "?"), ", each pinned to a host CPU of its own" if kernel.pin else "")
    return "- %s, TCG (no KVM)" % qemu


def machine_lines(kernel, load0):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    qemu = "?"
    try:
        qemu = subprocess.run([kernel.command(1, "")[1][0], "--version"], stdout=subprocess.PIPE,
                              text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        pass
    git = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    sockets = host_sockets()
    return ["- Host: %s, %d cores%s, Linux %s (%s)" % (
                cpu, HOST_CORES, ", %d socket%s" % (sockets, "s" if sockets != 1 else "") if sockets
                else "", platform.release(), platform.machine()),
            accel_line(kernel, qemu),
            "- Quiesce: commit %s" % (git or "?"),
            "- Host load average: %.1f at the start, %.1f at the end (other jobs share the host)"
            % (load0, os.getloadavg()[0])]


def line_name(c):
    """A C2C line's name, the same in every mode of a boot: its symbol,
    else its heap object's type and offset, else who touched it."""
    if c["sym"] != "-":
        return c["sym"]
    if c["object"] != "-":
        return c["object"]
    return "heap line of " + c["funcs"]


def shared_lines(c2c, wl, mode):
    """{name: transfers per read} of the lines both readers touched, the
    top line first."""
    got = {}
    for c in c2c.get((wl, mode, 2), []):
        if int(c["cpus"]) >= 2:
            got[line_name(c)] = got.get(line_name(c), 0.0) + float(c["per_op"])
    return dict(sorted(got.items(), key=lambda kv: -kv[1]))


def seed_line_checks(wl, before, bp, c2c, afters):
    """The expectation lines of one workload: its before mode's transfers
    and the lines both readers wrote at 0.5/read or more; for each after
    mode, which of those it no longer moves (the seed's fix must remove
    at least one), and what it still moves."""
    moved = bp.hitm + (bp.inval or 0)
    blines = shared_lines(c2c, wl, before)
    hot = [(n, x) for n, x in blines.items() if x >= 0.5]
    L = ["- %s/%s (before): %.2f transfers/read (hitm %.2f): %s; lines both readers wrote: %s" % (
        wl, before, moved, bp.hitm, ">= 1 as expected" if moved >= 1 else "**below 1**",
        ", ".join("`%s` %.2f" % kv for kv in hot) or "none at 0.5/read or more")]
    for after in afters:
        if not c2c.get((wl, after, 2)):
            L.append("  - %s (after): no c2c lines" % after)
            continue
        alines = shared_lines(c2c, wl, after)
        gone = [n for n, x in hot if alines.get(n, 0.0) < 0.005]
        kept = ", ".join("`%s` %.2f" % kv for kv in alines.items() if kv[1] >= 0.005) or "none"
        if not hot:
            verdict = "no before line to remove"
        elif gone:
            verdict = "removed %s, as the seed's fix does" % ", ".join("`%s`" % n for n in gone)
        else:
            verdict = "**removed none of them**"
        L.append("  - %s (after): %s; still moving on lines both readers touched (per read): "
                 "%s" % (after, verdict, kept))
    return L


def per_op_range(vals):
    """One value, or the range if they differ; "-" if none was counted."""
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    return "%.2f" % vals[0] if max(vals) - min(vals) < 0.005 else "%.2f–%.2f" % (min(vals), max(vals))


def write_summary(path, a, command, kernel, modes, rows, pts, pngs, urcu, load0, model, fails2):
    cpus_list = a.cpus
    ok_modes = [m for m in modes if m["broken"] == "0"]
    quick = " (QUICK: %d ms per run instead of %d, %d runs per point instead of %d)" % (
        a.ms, FULL[0], a.runs, FULL[1]) if a.quick else ""
    L = ["# Quiesce benchmark: %s, %s" % (a.board, a.date), "",
         "Produced by `%s`%s: every workload mode at %s CPUs, %d runs of %d ms per point, one "
         "QEMU at a time, medians of the runs. `results.csv` has every run." % (
             command, quick, ", ".join(map(str, cpus_list)), a.runs, a.ms), ""]
    L += machine_lines(kernel, load0)
    if "KVM" in accel_line(kernel, ""):
        L += ["", "**KVM.** Each vCPU is a host thread running the guest natively: the numbers "
              "are the host's. They mean something only on a real host with a core per vCPU "
              "(a 64- or 128-core machine for the seeds' counts); a nested or shared KVM, "
              "like a cloud VM's, exits slowly and time-slices the vCPUs."]
    L += ["",
          "**Read this first.** QEMU emulates each vCPU with a host thread (TCG). This host has "
          "%d cores, so at more than %d vCPUs the vCPUs are time-sliced by QEMU and the host "
          "scheduler: throughput at 4 and 8 CPUs says how a read path behaves when its CPUs "
          "are overcommitted, not how it scales on 4 or 8 real cores. `atomics_per_op` (atomic "
          "read-modify-writes and full barriers per read) and `hitm_per_op` (cache-line "
          "transfers: loads of a line another CPU holds modified, per read) are counted by the "
          "kernel and do not depend on the host; the transfers are what the scaling model "
          "below predicts from. Throughput is noisy: other jobs ran on the host during the "
          "bench." % (HOST_CORES, HOST_CORES), "",
          "Which build each column comes from (one source, `make kernel BUILD=...`): reads/s, "
          "p50/p99 and every ratio from the **%s** build (no debug checks, no counters); "
          "atomics/op from the **%s** build (`CONFIG_ATOMIC_STATS`); hitm/op and inval/op "
          "from the **%s** build (`CONFIG_COHERENCE`, readers in lockstep; the counts at 2 "
          "CPUs stand for every CPU count above)." % (TIME_BUILD, ATOMICS_BUILD, XFER_BUILD), ""]
    # The summary table.
    L += ["## Summary", "",
          "First the seed's own headline measure (the RESULT line's `headline=` key, median) "
          "at each CPU count (`*`: some run's updates missed their `update_hz=` target by "
          "more than 10%); then reads/s at 1 CPU, each mode's throughput relative to its seed's \"before\" mode at "
          "each CPU count, the scaling from 1 to 2 CPUs, `atomics_per_op` (at 1 and 2 CPUs; "
          "the range if they differ) and `hitm_per_op` at 2 CPUs (at 1 CPU nothing moves).", ""]
    L += ["| seed | workload | mode | kind | headline | "
          + " | ".join("@%d" % n for n in cpus_list) + " | atomics/op | hitm/op @2 | reads/s @1 | "
          + " | ".join("vs before @%d" % n for n in cpus_list) + " | 1→2 CPUs |",
          "|---|---|---|---|---|" + "---:|" * len(cpus_list) + "---:|---:|---:|"
          + "---:|" * len(cpus_list) + "---:|"]
    for m in ok_modes:
        wl, mode = m["workload"], m["mode"]
        b = before_mode(modes, wl)
        mine = [pts.get((wl, mode, n)) for n in cpus_list]
        apo = per_op_range([p.apo for p in mine if p])
        hpo = per_op_range([pts[(wl, mode, 2)].hitm] if (wl, mode, 2) in pts else [])
        cells = []
        for n, p in zip(cpus_list, mine):
            bp = pts.get((wl, b, n))
            cells.append(ratio(p.rate, bp.rate) if p and bp else "-")
        p1, p2 = pts.get((wl, mode, 1)), pts.get((wl, mode, 2))
        head = next((p.headline for p in mine if p and p.headline), None) or \
            m.get("headline", "-")
        heads = [p.head_cell() if p else "-" for p in mine]
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            m["seed"], wl, mode, m["kind"], head, " | ".join(heads), apo, hpo,
            fmt_rate(p1.rate) if p1 else "-",
            " | ".join(cells), ratio(p2.rate, p1.rate) if p1 and p2 else "-"))
    L.append("")
    same = sorted({wl for (wl, mode, n), p in pts.items() if n == 2 and p.readers and
                   getattr(pts.get((wl, mode, 1)), "readers", None) == p.readers})
    L += ["Each `<workload>-readonly` row is the same mode booted with `readonly=1`: every "
          "CPU reads and none updates, so its 1→2 column is reader scaling (the modes that "
          "reproduce a race need updaters and have no such row).", ""]
    if same:
        L += ["The workloads give CPUs beyond the first to updaters: %s have as many readers "
              "at 2 CPUs as at 1 (the `readers` column below), so their 1→2 column compares "
              "one reader doing its own updates with one reader beside a dedicated updater; "
              "it is not reader scaling." % ", ".join(same), ""]
    # The expectations, checked against the numbers (read-only, 2 CPUs,
    # coherence build): a before mode moves at least one line per read;
    # the seed's fix removes the line both readers wrote most in its
    # before mode, and what the after mode still moves is listed, line
    # by line, for the reader to hold against the seed's "what stays".
    model_lines, curves, c2c = model
    L += ["## Expectations, checked", "",
          "Read-only, 2 CPUs (coherence build, `c2c=1`: the 5 lines with the most transfers "
          "per mode). A before mode moves at least one cache line per read, on lines both "
          "readers write; the seed's fix removes at least one of those (the after mode no "
          "longer moves it). What the after mode still moves on lines both readers touched is "
          "listed: the seeds keep per-object writes (seeds/README.md, \"Who shares what\"). "
          "A line is named by its symbol, or its heap object type and offset, or (neither "
          "known) by the functions that touched it.", ""]
    for wl in dict.fromkeys(m["workload"] for m in ok_modes):
        if not wl.endswith(READONLY):
            continue
        b = before_mode(modes, wl)
        bp = pts.get((wl, b, 2))
        if not b or not bp or bp.hitm is None:
            L.append("- %s: no coherence count of its before mode" % wl)
            continue
        L += seed_line_checks(wl, b, bp, c2c, [m["mode"] for m in ok_modes
                                               if m["workload"] == wl and m["kind"] == "after"])
    L.append("")
    L += model_lines
    if fails2:
        L += ["Counting runs that failed:", ""] + ["- " + f for f in fails2] + [""]
    # Per seed: the detail and the charts.
    L += ["## Per seed", ""]
    for wl in dict.fromkeys(m["workload"] for m in ok_modes):
        wl_modes = [m for m in ok_modes if m["workload"] == wl]
        b = before_mode(modes, wl)
        L += ["### Seed %s: %s" % (wl_modes[0]["seed"], wl), ""]
        L += ["![%s %s](%s)" % (wl, png.rsplit("-", 1)[1][:-4], png) for png in pngs
              if png.rsplit("-", 1)[0] == wl]
        L += ["", "| mode | kind | CPUs | readers | runs | headline | reads/s | min–max | spread | "
              "atomics/op | hitm/op | p50 ns | p99 ns | vs before |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for m in wl_modes:
            for n in cpus_list:
                p = pts.get((wl, m["mode"], n))
                if not p:
                    L.append("| %s | %s | %d | | 0 | | failed | | | | | | | |" % (
                        m["mode"], m["kind"], n))
                    continue
                bp = pts.get((wl, b, n))
                L.append("| %s | %s | %d | %s | %d | %s | %s | %s–%s | %.0f%% | %s | %s | %d | %d | %s |" % (
                    m["mode"], m["kind"], n, p.readers or "?", p.n,
                    "%s=%s" % (p.headline, p.head_cell()) if p.headline else "-",
                    fmt_rate(p.rate), fmt_rate(p.lo),
                    fmt_rate(p.hi), p.spread, per_op_range([p.apo]), per_op_range([p.hitm]),
                    p.p50, p.p99,
                    ratio(p.rate, bp.rate) if bp else "-"))
        L.append("")
    fails = [r for r in rows if r["status"] != "ok"]
    L += ["## Failed runs", ""]
    L += ["- %s/%s at %s CPUs, run %s: %s" % (r["workload"], r["mode"], r["cpus_asked"],
                                               r["run"], r.get("why", "")) for r in fails] \
        or ["None."]
    L.append("")
    L += urcu
    with open(path, "w") as f:
        f.write("\n".join(L))


class Args(argparse.ArgumentParser):
    def error(self, message):
        """Bad input: one line that names it."""
        self.exit(2, "bench: bad arguments: %s\n" % message)


def main():
    ap = Args(description=__doc__.splitlines()[0])
    ap.add_argument("--board", required=True)
    ap.add_argument("--cpus", type=lambda s: int_list(s, "--cpus"), default=DEFAULT_CPUS)
    ap.add_argument("--readers", type=lambda s: int_list(s, "--readers"), default=DEFAULT_READERS)
    ap.add_argument("--runs", type=int)
    ap.add_argument("--ms", type=int)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--urcu-bench", default="")
    ap.add_argument("--out")
    ap.add_argument("--pin", action="store_true")
    a = ap.parse_args()
    ms, runs = QUICK if a.quick else FULL
    a.ms = ms if a.ms is None else a.ms
    a.runs = runs if a.runs is None else a.runs
    if a.ms < 1 or a.runs < 1:
        ap.error("--ms and --runs must be positive")
    a.date = datetime.date.today().isoformat()
    out_dir = a.out or os.path.join(ROOT, "results", "%s-%s" % (a.board, a.date))
    command = "make bench BOARD=%s%s" % (a.board, " QUICK=1" if a.quick else "")
    for name, val, default in (("BENCH_CPUS", a.cpus, DEFAULT_CPUS),
                               ("BENCH_READERS", a.readers, DEFAULT_READERS)):
        if val != default:
            command += " %s=%s" % (name, ",".join(map(str, val)))
    if a.runs != runs:
        command += " BENCH_RUNS=%d" % a.runs
    if a.ms != ms:
        command += " BENCH_MS=%d" % a.ms
    load0 = os.getloadavg()[0]
    t0 = time.monotonic()
    kernel = Kernel(a.board, TIME_BUILD)
    kernel.pin = a.pin
    counters = [Kernel(a.board, ATOMICS_BUILD), Kernel(a.board, XFER_BUILD)]
    modes = discover_modes(kernel)
    os.makedirs(out_dir, exist_ok=True)
    rows = run_points(kernel, modes, a.cpus, a.runs, a.ms, os.path.join(out_dir, "results.csv"))
    pts = summarize(rows)
    counts, c2c, fails2 = count_points(counters, modes, a.cpus, a.ms,
                                       os.path.join(out_dir, "counts.csv"))
    add_counts(pts, counts)
    lb, lb_fails = lockbench_points([kernel, counters[1]], a.ms, a.runs)
    fails2 += lb_fails
    model_lines, curves, _ = model_section(pts, modes, counts, c2c, lb)
    pngs = gnuplot_charts(out_dir, a.board, modes, a.cpus, pts)
    pngs += model_chart(out_dir, a.board, curves)
    urows, problem = run_urcu(a.urcu_bench, a.runs, a.ms, a.readers,
                              os.path.join(out_dir, "urcu.csv"))
    urcu = urcu_section(urows, problem, a.readers, a.ms, a.runs, a.urcu_bench, out_dir)
    summary = os.path.join(out_dir, "summary.md")
    write_summary(summary, a, command, kernel, modes, rows, pts, pngs, urcu, load0,
                  (model_lines, curves, c2c), fails2)

    with open(summary) as f:
        text = f.read()
    table = text[text.index("## Summary"):text.index("## Expectations")]
    print("\n" + table.strip() + "\n")
    model = text[text.index("## Scaling model"):text.index("## Per seed")]
    print(model.strip() + "\n")
    fails = sum(r["status"] != "ok" for r in rows)
    print("bench: %s in %s: %d runs, %d failed; %d charts; %s" % (
        "done" if not fails and not problem else "done with failures",
        fmt_secs(time.monotonic() - t0), len(rows), fails, len(pngs),
        os.path.relpath(summary, ROOT)))
    return 1 if fails or problem else 0


if __name__ == "__main__":
    sys.exit(main())
