#!/usr/bin/env python3
"""make test: the whole suite. Host unit tests (TSan, ASan+UBSan), then
every QEMU case from tests/qemu/*.py, two at a time. Prints one line per
test and ends with 'N passed, N failed'.

Options: -k SUBSTRING runs only the tests whose name contains it;
-j N runs N QEMU cases at once (default 2); --no-host leaves out the host
tests and the fuzzers; --list prints the name of every test the options
select, one a line, and runs nothing; --rerun-failed runs only the tests
that failed in the last run (their names are kept in FAILED_FILE);
--junit-xml FILE also writes the results as JUnit XML.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from quiesce import cases as qcases, console
from quiesce.make import ROOT, make, qemu_command, qemu_keys, run_cpus
from quiesce.qemu import run_qemu, verdict, kernel_status, infra_failure

# The names of the tests that failed in the last run (--rerun-failed).
FAILED_FILE = os.path.join(ROOT, "build", "testsuite-failed.txt")
HOST_VARIANTS = ("tsan", "asan")


class Result:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.retried = []	# (name, why the first run did not count)
        self.tests = []		# (name, ok, why, seconds or None), for --junit-xml

    def report(self, name, ok, why="", retried=None, secs=None):
        self.tests.append((name, ok, why, secs))
        if retried:
            self.retried.append((name, retried))
        if ok:
            self.passed += 1
            print("PASS %s%s" % (name, (": " + why) if why else ""), flush=True)
        else:
            self.failed.append(name)
            print("FAIL %s: %s" % (name, why), flush=True)


class Selection:
    """Which tests run: the name contains -k's SUBSTRING and, with
    --rerun-failed, is one of the last run's failures (rerun)."""

    def __init__(self, substring="", rerun=None):
        self.substring = substring
        self.rerun = rerun

    def __call__(self, name):
        return self.substring in name and (self.rerun is None or name in self.rerun)

    @property
    def narrowed(self):
        return bool(self.substring) or self.rerun is not None

    def case(self, case):
        """A QEMU case runs when its name is selected, or on a rerun when
        the build it needs failed last time."""
        if self(case.name):
            return True
        return self.rerun is not None and self.substring in case.name and \
            bool({"build:%s" % case.board, build_name(case)} & self.rerun)


def host_binary(variant):
    return os.path.join(ROOT, "build/host-%s/quiesce-host-tests" % variant)


def host_names(variant):
    """The host tests the variant's binary runs (its --list)."""
    p = subprocess.run([host_binary(variant), "--list"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    if p.returncode:
        raise RuntimeError("%s --list failed: %s" % (host_binary(variant), p.stdout))
    return ["host-%s:%s" % (variant, n) for n in p.stdout.split()]


def host_tests(res, sel):
    """Both host binaries, each read as KTAP (console.ktap()): a result
    per case; a KTAP document that is cut short or malformed, a non-zero
    exit status or no case at all fails the variant's process test."""
    if sel.rerun is not None and not any(n.startswith("host") for n in sel.rerun):
        return
    rc, out = make("-j2", "host-tests")
    if rc:
        res.report("host:build", False, "host build failed:\n" + out[-3000:])
        return
    for variant in HOST_VARIANTS:
        binary = host_binary(variant)
        env = dict(os.environ, TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1",
                   ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1")
        try:
            p = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=600, env=env, cwd=ROOT)
            out, rc = p.stdout, p.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
        seen = 0
        docs = console.ktap(out)
        for r in (r for d in docs for r in d.results if not r.skipped):
            name = "host-%s:%s" % (variant, r.name)
            if not sel(name):
                continue
            seen += 1
            why = "" if r.ok else "see build/host-%s.log:\n%s" % (variant, "\n".join(
                d for d in r.diagnostics if not d.startswith("# run ")))
            res.report(name, r.ok, why)
        # The case started and not ended: where a report struck.
        running = docs[-1].running if docs else None
        form = [p for d in docs for p in d.problems] if docs else ["no KTAP output"]
        with open(os.path.join(ROOT, "build/host-%s.log" % variant), "w") as f:
            f.write(out)
        if rc != 0 and running:
            # A sanitizer report (or crash) inside a case ends the process:
            # it fails that case, whatever the filter.
            tail = "\n".join(out.splitlines()[-25:])
            res.report("host-%s:%s" % (variant, running), False,
                       "the process died in this case, exit status %d (sanitizer report or "
                       "crash; see build/host-%s.log):\n%s" % (rc, variant, tail))
        elif rc != 0:
            tail = "\n".join(out.splitlines()[-25:])
            res.report("host-%s:process" % variant, False,
                       "exit status %d (sanitizer report or crash):\n%s" % (rc, tail))
        elif form:
            res.report("host-%s:process" % variant, False, "KTAP: " + "; ".join(form))
        elif seen == 0 and not sel.narrowed:
            res.report("host-%s:process" % variant, False, "ran no test case")


def fuzz_names():
    return ["fuzz:" + os.path.basename(p)[:-len("_fuzz.c")]
            for p in sorted(glob.glob(os.path.join(ROOT, "tests/fuzz/*_fuzz.c")))]


def fuzz_smoke(res, sel):
    """make fuzz-smoke (tests/fuzz/run.py): one line per fuzzer of tests/fuzz/."""
    if not any(sel(n) for n in fuzz_names()):
        return
    rc, out = make("-j2", "fuzz-smoke")
    seen = 0
    for m in re.finditer(r"^fuzz-smoke: (\S+): (PASS|FAIL): (.*(?:\n    .*)*)", out, re.M):
        name = "fuzz:" + m.group(1)
        if not sel(name):
            continue
        seen += 1
        res.report(name, m.group(2) == "PASS", m.group(3))
    if seen == 0:
        res.report("fuzz:smoke", False, "make fuzz-smoke reported no fuzzer (exit status "
                   "%d):\n%s" % (rc, out[-3000:]))


BENCH_SMOKE = "bench:urcu-bench"


def bench_smoke(res, sel):
    """make bench's host side (bench/bench.mk): urcu-bench links the host
    build of Quiesce's RCU with liburcu; one short run of each test must
    end with its RATIO line (no number is judged: that is make bench's)."""
    if not sel(BENCH_SMOKE):
        return
    rc, out = make("-j2", "urcu-bench")
    if rc:
        res.report(BENCH_SMOKE, False, "make urcu-bench failed:\n" + out[-3000:])
        return
    p = subprocess.run([os.path.join(ROOT, "build/bench/urcu-bench"), "-m", "20", "-r", "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120, cwd=ROOT)
    tests = set(re.findall(r"^RATIO test=(\S+) ", p.stdout, re.M))
    missing = sorted({"read", "sync", "call"} - tests)
    ok = p.returncode == 0 and not missing
    res.report(BENCH_SMOKE, ok, "" if ok else "exit status %d, no RATIO line for %s:\n%s" % (
        p.returncode, ", ".join(missing) or "-", p.stdout[-2000:]))


load_cases = qcases.load_cases
load_builds = qcases.load_builds


def build_name(case):
    """The build: test of the image a case boots instead of the kernel, or None."""
    if not case.build:
        return None
    return "build:%s:%s" % (case.board, ":".join([case.build] + ["%s=%s" % kv for kv in
                                                               sorted(case.make_vars.items())]))


# A case that printed nothing at all for this long is taken as starved by
# the host (a kernel prints its first line within milliseconds).
SILENT_S = 90


def run_case(case):
    """Run a case. A failed run is run again only when it failed through
    the host's fault (infra_failure(): QEMU killed by a host signal, or no
    output at all) and shows no correctness signal; the retry is listed
    at the end with its reason, and a case that needs it twice fails.
    A panic, a poison hit, errors>0, a sanitizer or lockdep report, a
    torture FAILURE or a stall fails the case whatever a rerun shows."""
    case, ok, why, infra = run_case_once(case, "")
    if ok or not infra:
        return case, ok, why, None
    case, ok2, why2, infra2 = run_case_once(case, ".retry")
    if infra2:
        return case, False, "%s; the retry failed through the host again: %s" % (why, why2), infra
    return case, ok2, why2, infra


def run_case_once(case, suffix):
    try:
        cmd = qemu_command(case.board, case.cpus, case.make_vars) + case.qemu_extra
        if case.cmdline is not None:
            cmd += ["-append", " ".join(filter(None, [qemu_keys(case.board, case.cpus),
                                                      case.cmdline]))]
        cpus = run_cpus(case.board, case.cpus)
    except RuntimeError as e:
        # A run option the board refuses (make test MEM=6G on a Pi): the
        # Makefile's one line, as the case's failure.
        return case, False, " ".join(str(e).split()), None
    log = os.path.join(ROOT, "build/test-logs/%s%s.log" % (re.sub(r"[^\w.-]+", "_", case.name), suffix))
    silent = min(SILENT_S, case.timeout)
    out, status, timed_out, secs = run_qemu(cmd, case.timeout, log, silent_timeout=silent)
    ok, why = verdict(out, status, timed_out, case.timeout, case.board_exit, cpus=cpus)
    infra = infra_failure(out, status, timed_out, silent)
    # The verdict's reason is matched too, as the line make run prints.
    out += "\nverdict: %s\n" % why
    if case.expect == "pass":
        problems = [] if ok else [why]
        # Self-tests that ran printed whole KTAP documents.
        problems += ["KTAP: " + p for d in console.ktap(out) for p in d.problems]
    elif case.expect == "refused":
        problems = [] if not ok else ["expected the verdict to refuse the run, got: " + why]
    else:
        problems = []
        if ok:
            problems.append("expected a failing run, got: " + why)
        if timed_out:
            problems.append("timed out after %d s instead of failing loudly" % case.timeout)
        try:
            if console.summary(out) is None:
                problems.append("no SUMMARY line")
        except console.BadLine as e:
            problems.append(str(e))
        kstatus = None if status is None else kernel_status(case.board_exit, status)
        if kstatus == 0:
            problems.append("exit status 0")
    for pat in case.must_contain:
        if not re.search(pat, out, re.M):
            problems.append("expected /%s/ in the output" % pat)
    for pat in case.must_not_contain:
        m = re.search(pat, out, re.M)
        if m:
            problems.append("unexpected %r in the output" % m.group(0))
    if case.check:
        try:
            problems += case.check(out)
        except Exception as e:  # a broken check fails its case, not the suite
            problems.append("the case's check raised %s: %s" % (type(e).__name__, e))
    why = "; ".join(problems) if problems else "%.1f s" % secs
    if problems:
        why += console.cause(out) + " (log: %s)" % os.path.relpath(log, ROOT)
    return case, not problems, why, (infra if problems else None)


def timed(case):
    """run_case(), and how long it took, retry included."""
    t0 = time.monotonic()
    return run_case(case) + (time.monotonic() - t0,)


def plan(sel, host):
    """What the options select, in the order a run reports it: host test
    names (host: None, or make host-tests first), fuzzer names, then
    (boards whose kernel is built, {(board, target, vars): cases that need
    it}, the QEMU cases)."""
    names = []
    if host:
        rc, out = make("-j2", "host-tests")
        if rc:
            raise RuntimeError("host build failed:\n" + out[-3000:])
        names += [n for v in HOST_VARIANTS for n in host_names(v) if sel(n)]
    if host is not None:
        names += [n for n in fuzz_names() if sel(n)]
        names += [BENCH_SMOKE] if sel(BENCH_SMOKE) else []
    cases = [c for c in load_cases() if sel.case(c)]
    boards = sorted({c.board for c in cases})
    # Images some cases boot instead of the kernel (an ISO), once each;
    # and builds that only have to compile.
    builds = {}
    for board, target, vars_ in load_builds():
        name = "build:%s:%s" % (board, ":".join([target] + ["%s=%s" % kv for kv in sorted(vars_.items())]))
        if sel(name):
            builds.setdefault((board, target, tuple(sorted(vars_.items()))), [])
    for c in cases:
        if c.build:
            builds.setdefault((c.board, c.build, tuple(sorted(c.make_vars.items()))), []).append(c)
    return names, boards, builds, cases


WARNING_RE = re.compile(r"^.*\bwarning:.*$", re.M)


def build_failure(rc, out):
    """Why a build failed, or None: a non-zero status, or a warning line
    (the compilers' are errors already; this is the linker's, the
    assembler's and make's, which -Werror does not reach)."""
    if rc:
        return "failed:\n" + out[-3000:]
    m = WARNING_RE.search(out)
    return "warned: " + m.group(0).strip() if m else None


def build_key_name(board, target, vars_):
    return "build:%s:%s" % (board, ":".join([target] + ["%s=%s" % kv for kv in vars_]))


def list_tests(sel, no_host):
    """--list: every test name the options select, one a line."""
    try:
        names, boards, builds, cases = plan(sel, None if no_host else True)
    except RuntimeError as e:
        print("testsuite: cannot list the host tests: %s" % e)
        return 1
    names += ["cases:%s" % f for f in sorted(qcases.load_errors()) if sel("cases:%s" % f)]
    names += ["build:%s" % b for b in boards]
    names += [build_key_name(*key) for key in sorted(builds)]
    names += [c.name for c in cases]
    print("\n".join(names))
    return 0


def write_junit(path, res, secs):
    """The results as JUnit XML: one testsuite, a testcase per test (its
    class the name's first field), a failure element with the reason, a
    property "retried" naming why a case was run twice (infrastructure)."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="quiesce", tests=str(len(res.tests)),
                          failures=str(len(res.failed)), errors="0", skipped="0",
                          time="%.1f" % secs)
    retried = dict(res.retried)
    for name, ok, why, t in res.tests:
        tc = ET.SubElement(suite, "testcase", name=name, classname=name.split(":")[0],
                           time="%.1f" % (t or 0.0))
        if name in retried:
            props = ET.SubElement(tc, "properties")
            ET.SubElement(props, "property", name="retried", value=retried[name])
        if not ok:
            f = ET.SubElement(tc, "failure", message=why.splitlines()[0][:500] if why else "failed")
            f.text = why
        elif why:
            ET.SubElement(tc, "system-out").text = why
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def last_failures():
    """The names FAILED_FILE keeps, or None when there is no last run."""
    try:
        with open(FAILED_FILE) as f:
            return {ln.strip() for ln in f if ln.strip()}
    except FileNotFoundError:
        return None


def main():
    ap = argparse.ArgumentParser(description="Quiesce's test suite (make test).")
    ap.add_argument("-k", dest="filter", default="", metavar="SUBSTRING",
                    help="only the tests whose name contains SUBSTRING")
    ap.add_argument("-j", dest="jobs", type=int, default=2, help="QEMU cases at once (default 2)")
    ap.add_argument("--no-host", action="store_true", help="leave out the host tests and fuzzers")
    ap.add_argument("--list", action="store_true",
                    help="print the selected tests' names, one a line; run nothing")
    ap.add_argument("--rerun-failed", action="store_true",
                    help="only the tests that failed in the last run (%s)"
                    % os.path.relpath(FAILED_FILE, ROOT))
    ap.add_argument("--junit-xml", metavar="FILE", help="also write the results as JUnit XML")
    a = ap.parse_args()
    if a.jobs < 1:
        ap.error("-j must be at least 1")
    rerun = None
    if a.rerun_failed:
        rerun = last_failures()
        if rerun is None:
            print("testsuite: --rerun-failed: no last run recorded (%s)"
                  % os.path.relpath(FAILED_FILE, ROOT))
            return 2
    sel = Selection(a.filter, rerun)
    if a.list:
        return list_tests(sel, a.no_host)
    t0 = time.monotonic()
    res = Result()
    if rerun is not None:
        print("testsuite: rerunning the %d tests that failed last time%s" % (
            len(rerun), ": " + " ".join(sorted(rerun)) if rerun else ""), flush=True)
    if not a.no_host:
        host_tests(res, sel)
        fuzz_smoke(res, sel)
        bench_smoke(res, sel)
    _, boards, builds, cases = plan(sel, None)
    for f, why in sorted(qcases.load_errors().items()):
        if sel("cases:%s" % f):
            res.report("cases:%s" % f, False, "cannot load its cases: " + why)
    for board in boards:
        rc, out = make("-j2", "kernel", "BOARD=%s" % board)
        why = build_failure(rc, out)
        res.report("build:%s" % board, why is None, "kernel build " + why if why else "")
        if rc:
            cases = [c for c in cases if c.board != board]
    for (board, target, vars_), users in sorted(builds.items()):
        rc, out = make("-j2", target, "BOARD=%s" % board, *["%s=%s" % kv for kv in vars_])
        why = build_failure(rc, out)
        res.report(build_key_name(board, target, vars_), why is None, why or "")
        if rc:
            cases = [c for c in cases if c not in users]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for case, ok, why, retried, secs in ex.map(timed, cases):
            res.report(case.name, ok, why, retried, secs)
    secs = time.monotonic() - t0
    print("make test: %.0f s" % secs)
    for name, why in res.retried:
        print("retried (infrastructure): %s: %s" % (name, why))
    if res.failed:
        print("failed: " + " ".join(res.failed))
    os.makedirs(os.path.dirname(FAILED_FILE), exist_ok=True)
    with open(FAILED_FILE, "w") as f:
        f.write("".join(n + "\n" for n in res.failed))
    if a.junit_xml:
        write_junit(a.junit_xml, res, secs)
    print("%d passed, %d failed" % (res.passed, len(res.failed)))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
