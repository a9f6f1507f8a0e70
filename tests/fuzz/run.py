#!/usr/bin/env python3
"""Run the libFuzzer fuzzers that tests/fuzz/fuzz.mk builds.

  run.py smoke NAME...              make fuzz-smoke: per fuzzer, a bounded run
                                    from the seed corpus, a replay of every
                                    regression input, and its broken variant,
                                    which must be caught; one line each
  run.py long --seconds S NAME...   make fuzz: S seconds in all, two fuzzers
                                    at a time, the grown corpus kept in
                                    build/fuzz/corpus/NAME; then the line
                                    coverage of the parsers over that corpus

Exit status 0 when every fuzzer passed (found nothing, caught its broken
variant). A crash input is kept in build/fuzz/crashes/NAME/; fix the
parser and keep the input in tests/fuzz/regressions/NAME/.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B = os.path.join(ROOT, "build/fuzz")

# runs: the smoke's bound (about ten seconds each on two busy cores);
# files: the parser code each one exists for (coverage is reported on it).
FUZZERS = {
    "fdt": dict(runs=8000, max_len=65536, files=["drivers/fdt.c"]),
    "acpi": dict(runs=30000, max_len=65536, files=["drivers/acpi.c"]),
    # Lines longer than the parser's limit need inputs that long from the start.
    "cmdline": dict(runs=150000, max_len=2048, flags=["-len_control=0"],
                    files=["kernel/cmdline.c"]),
    "procmap": dict(runs=15000, max_len=8192,
                    files=["workloads/vma_query/procmap_query.c", "workloads/model/mm.c"]),
}
SMOKE_SECONDS = 15      # cap on one smoke run, whatever its runs
BROKEN_RUNS = 30000     # the broken variants are caught within ~2000
BROKEN_SECONDS = 15
INPUT_TIMEOUT = 10      # seconds: an input taking longer is a hang

# A report that means the code under test is wrong, not the harness's budget.
FINDING = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|"
                     r"runtime error:|contract broken|ERROR: libFuzzer: (deadly signal|timeout)")


def env():
    # A smaller quarantine: two fuzzers at a time beside other work.
    return dict(os.environ, ASAN_OPTIONS="quarantine_size_mb=64:detect_leaks=1",
                UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")


def libfuzzer(binary, args, log, timeout):
    """Run one libFuzzer command; returns (exit status, output)."""
    cmd = [binary, "-timeout=%d" % INPUT_TIMEOUT, "-rss_limit_mb=2048",
           "-print_final_stats=1", "-close_fd_mask=1"] + args
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                           env=env(), timeout=timeout)
        rc, out = p.returncode, p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        rc, out = -1, (e.stdout or b"").decode(errors="replace") + "\n(killed after %d s)" % timeout
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    return rc, out


def stat(out, key):
    m = re.search(r"^stat::%s:\s*(\d+)" % key, out, re.M)
    return int(m.group(1)) if m else 0


def cov(out, which):
    """cov and ft of libFuzzer's INITED or DONE line (0, 0 if none)."""
    m = re.search(r"#\d+\s+%s\s+cov: (\d+) ft: (\d+)" % which, out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def finding(out):
    """The first lines of what the fuzzer found."""
    m = FINDING.search(out)
    lines = out[m.start():].splitlines() if m else out.splitlines()[-15:]
    return "\n    ".join(lines[:12])


def fuzz_args(name, corpus_out, crashes):
    f = FUZZERS[name]
    return ["-max_len=%d" % f["max_len"], "-artifact_prefix=%s/" % crashes] + \
        f.get("flags", []) + [corpus_out, os.path.join(ROOT, "tests/fuzz/corpus", name)]


def smoke(name):
    """One fuzzer's smoke: (ok, one-line summary, details)."""
    binary = os.path.join(B, name + "-fuzz")
    logs = fresh_dir(os.path.join(B, "logs", name))
    crashes = os.path.join(B, "crashes", name)
    os.makedirs(crashes, exist_ok=True)

    rc, out = libfuzzer(binary, ["-runs=%d" % FUZZERS[name]["runs"],
                                 "-max_total_time=%d" % SMOKE_SECONDS] +
                        fuzz_args(name, fresh_dir(os.path.join(B, "smoke", name)), crashes),
                        os.path.join(logs, "smoke.log"), SMOKE_SECONDS + 60)
    runs = stat(out, "number_of_executed_units")
    (c0, f0), (c1, f1) = cov(out, "INITED"), cov(out, "DONE")
    if rc != 0:
        return False, "found a bug in %d runs (input kept in %s)" % (runs, crashes), finding(out)
    if f1 <= f0:
        return False, "coverage did not grow in %d runs (cov %d, ft %d)" % (runs, c1, f1), ""
    summary = "%d runs, coverage %d -> %d edges" % (runs, c0, c1)

    inputs = sorted(glob.glob(os.path.join(ROOT, "tests/fuzz/regressions", name, "*")))
    if inputs:
        rc, out = libfuzzer(binary, inputs, os.path.join(logs, "regressions.log"), 120)
        if rc != 0:
            return False, "a regression input fails again", finding(out)
    summary += ", %d regression inputs pass" % len(inputs)

    rc, out = libfuzzer(binary + "-broken", ["-runs=%d" % BROKEN_RUNS,
                                              "-max_total_time=%d" % BROKEN_SECONDS] +
                        fuzz_args(name, fresh_dir(os.path.join(B, "smoke-broken", name)),
                                  fresh_dir(os.path.join(B, "broken-crashes", name))),
                        os.path.join(logs, "broken.log"), BROKEN_SECONDS + 60)
    if rc == 0 or not FINDING.search(out):
        return False, "the broken variant (-DFUZZ_BROKEN) was not caught in %d runs" % \
            stat(out, "number_of_executed_units"), out.splitlines()[-1] if out else ""
    summary += ", broken variant caught after %d runs" % stat(out, "number_of_executed_units")
    return True, summary, ""


TESTS_MARKER = re.compile(r"^/\* ---- tests")


def file_coverage(binary, profdata, path):
    """Line and function coverage of one source file. Host tests kept in
    the file after a "/* ---- tests" line are not the fuzzer's to run:
    their functions do not count."""
    with open(path) as f:
        marker = next((i + 1 for i, l in enumerate(f) if TESTS_MARKER.match(l)), None)
    starts = {}
    if marker:
        export = json.loads(subprocess.run(
            ["llvm-cov", "export", binary, "-instr-profile=" + profdata, path],
            check=True, stdout=subprocess.PIPE, text=True).stdout)
        starts = {fn["name"]: fn["regions"][0][0] for fn in export["data"][0]["functions"]
                  if fn["filenames"][0] == path}
    table = subprocess.run(["llvm-cov", "report", "-show-functions", binary,
                            "-instr-profile=" + profdata, path],
                           check=True, stdout=subprocess.PIPE, text=True).stdout
    lines = missed = funcs = ran = 0
    for row in table.splitlines():
        # Name Regions Miss Cover Lines Miss Cover Branches Miss Cover
        cols = row.split()
        if len(cols) != 10 or not cols[1].isdigit() or cols[0] == "TOTAL":
            continue
        if marker and starts.get(cols[0], 0) >= marker:
            continue
        lines += int(cols[4])
        missed += int(cols[5])
        funcs += 1
        ran += int(cols[2]) < int(cols[1])
    return "%s lines %d/%d (%.0f%%), functions %d/%d" % (
        os.path.relpath(path, ROOT), lines - missed, lines, 100.0 * (lines - missed) / max(lines, 1),
        ran, funcs)


def line_coverage(name, corpus_dirs):
    """Coverage of the fuzzer's parser files over its corpus, from a build
    with clang's source-based coverage (fuzz.mk's cov/ binaries)."""
    binary = os.path.join(B, "cov", name + "-fuzz")
    raw = os.path.join(B, "cov", name + ".profraw")
    data = os.path.join(B, "cov", name + ".profdata")
    subprocess.run([binary, "-runs=0", "-close_fd_mask=3"] + corpus_dirs, cwd=ROOT,
                   env=dict(os.environ, LLVM_PROFILE_FILE=raw), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    subprocess.run(["llvm-profdata", "merge", "-sparse", raw, "-o", data], check=True)
    return "; ".join(file_coverage(binary, data, os.path.join(ROOT, f))
                     for f in FUZZERS[name]["files"])


def long_run(name, seconds):
    binary = os.path.join(B, name + "-fuzz")
    corpus = os.path.join(B, "corpus", name)
    crashes = os.path.join(B, "crashes", name)
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    logs = os.path.join(B, "logs", name)
    os.makedirs(logs, exist_ok=True)
    rc, out = libfuzzer(binary, ["-max_total_time=%d" % seconds] +
                        fuzz_args(name, corpus, crashes),
                        os.path.join(logs, "long.log"), seconds + 120)
    runs = stat(out, "number_of_executed_units")
    (c0, f0), (c1, f1) = cov(out, "INITED"), cov(out, "DONE")
    summary = "%d runs in %d s (%d/s), coverage %d -> %d edges, features %d -> %d, corpus %d" % (
        runs, seconds, stat(out, "average_exec_per_sec"), c0, c1, f0, f1,
        len(os.listdir(corpus)))
    if rc != 0:
        return False, "found a bug after %d runs (input kept in %s)" % (runs, crashes), finding(out)
    return True, summary, ""


def report(label, name, ok, summary, details):
    print("%s: %s: %s: %s" % (label, name, "PASS" if ok else "FAIL", summary), flush=True)
    if details:
        print("    " + details, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["smoke", "long"])
    ap.add_argument("names", nargs="+", choices=sorted(FUZZERS))
    ap.add_argument("--seconds", type=int, default=600)
    a = ap.parse_args()
    t0 = time.monotonic()
    failed = False
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        if a.mode == "smoke":
            jobs = {n: ex.submit(smoke, n) for n in a.names}
        else:
            # Two at a time: each gets its share of the two slots.
            each = max(10, a.seconds * 2 // len(a.names)) if len(a.names) > 1 else a.seconds
            jobs = {n: ex.submit(long_run, n, each) for n in a.names}
        for name, job in jobs.items():
            ok, summary, details = job.result()
            report("fuzz-" + a.mode, name, ok, summary, details)
            failed |= not ok
    if a.mode == "long":
        for name in a.names:
            print("fuzz-coverage: %s: %s" % (name, line_coverage(
                name, [os.path.join(B, "corpus", name), os.path.join(ROOT, "tests/fuzz/corpus", name)])))
    print("fuzz-%s: %.0f s" % (a.mode, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
