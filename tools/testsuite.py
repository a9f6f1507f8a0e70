#!/usr/bin/env python3
"""make test: the whole suite. Host unit tests (TSan, ASan+UBSan), then
every QEMU case from tests/qemu/*.py, two at a time. Prints one line per
test and ends with 'N passed, N failed'.

Options: -k SUBSTRING runs only the tests whose name contains it;
-j N runs N QEMU cases at once (default 2).
"""
import argparse
import concurrent.futures
import glob
import importlib.util
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_run import run_qemu, verdict, kernel_status, infra_failure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Result:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.retried = []	# (name, why the first run did not count)

    def report(self, name, ok, why="", retried=None):
        if retried:
            self.retried.append((name, retried))
        if ok:
            self.passed += 1
            print("PASS %s%s" % (name, (": " + why) if why else ""), flush=True)
        else:
            self.failed.append(name)
            print("FAIL %s: %s" % (name, why), flush=True)


def make(*args, quiet=True):
    cmd = ["make", "--no-print-directory", "-C", ROOT] + list(args)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def host_tests(res, filt):
    rc, out = make("-j2", "host-tests")
    if rc:
        res.report("host:build", False, "host build failed:\n" + out[-3000:])
        return
    for variant in ("tsan", "asan"):
        binary = os.path.join(ROOT, "build/host-%s/quiesce-host-tests" % variant)
        env = dict(os.environ, TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1",
                   ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1")
        try:
            p = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=600, env=env, cwd=ROOT)
            out, rc = p.stdout, p.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
        seen = 0
        running = None	# the case started and not ended: where a report struck
        for m in re.finditer(r"^(run |ok  |FAIL) (\S+)", out, re.M):
            if m.group(1) == "run ":
                running = m.group(2)
                continue
            running = None
            name = "host-%s:%s" % (variant, m.group(2))
            if filt and filt not in name:
                continue
            seen += 1
            res.report(name, m.group(1).startswith("ok"), "" if m.group(1).startswith("ok")
                       else "see build/host-%s.log" % variant)
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
        elif seen == 0 and not filt:
            res.report("host-%s:process" % variant, False, "ran no test case")


def fuzz_smoke(res, filt):
    """make fuzz-smoke (tests/fuzz/run.py): one line per fuzzer of tests/fuzz/."""
    names = ["fuzz:" + os.path.basename(p)[:-len("_fuzz.c")]
             for p in sorted(glob.glob(os.path.join(ROOT, "tests/fuzz/*_fuzz.c")))]
    if filt and not any(filt in n for n in names):
        return
    rc, out = make("-j2", "fuzz-smoke")
    seen = 0
    for m in re.finditer(r"^fuzz-smoke: (\S+): (PASS|FAIL): (.*(?:\n    .*)*)", out, re.M):
        name = "fuzz:" + m.group(1)
        if filt and filt not in name:
            continue
        seen += 1
        res.report(name, m.group(2) == "PASS", m.group(3))
    if seen == 0:
        res.report("fuzz:smoke", False, "make fuzz-smoke reported no fuzzer (exit status "
                   "%d):\n%s" % (rc, out[-3000:]))


def case_modules():
    mods = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/qemu/*.py"))):
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mods.append(mod)
    return mods


def load_cases():
    return [c for mod in case_modules() for c in getattr(mod, "CASES", [])]


def load_builds():
    """Builds a tests/qemu/*.py lists in BUILDS, as (board, target, make
    vars): each is made and reported as a test, whether or not a case
    boots it (a build that only has to compile)."""
    return [b for mod in case_modules() for b in getattr(mod, "BUILDS", [])]


def qemu_command(case):
    vars_ = ["BOARD=%s" % case.board, "CPUS=%d" % case.cpus] + \
        ["%s=%s" % kv for kv in case.make_vars.items()]
    rc, out = make("-s", "print-qemu", *vars_)
    if rc:
        raise RuntimeError("cannot get the QEMU command: " + out)
    return out.split()


_RUN_CPUS = {}


def run_cpus(case):
    """How many CPUs a QEMU run of the case must bring online: its CPUS=,
    or the machine's fixed count (make print-run-cpus; cached per board)."""
    key = (case.board, case.cpus)
    if key not in _RUN_CPUS:
        rc, out = make("-s", "print-run-cpus", "BOARD=%s" % case.board, "CPUS=%d" % case.cpus)
        if rc:
            raise RuntimeError("cannot get the board's CPU count: " + out)
        _RUN_CPUS[key] = int(out.strip())
    return _RUN_CPUS[key]


def qemu_keys(case):
    """Kernel keys every QEMU run of the board needs (make print-qemu-keys)."""
    rc, out = make("-s", "print-qemu-keys", "BOARD=%s" % case.board, "CPUS=%d" % case.cpus)
    if rc:
        raise RuntimeError("cannot get the board's QEMU keys: " + out)
    return out.strip()


# Lines of a failed run's log that say why, most telling first: a failed
# self-test, a panic, a torture or workload line that counted errors;
# warnings (selftests provoke some on purpose) only when there is nothing else.
CAUSES = [re.compile(r"^(?:FAIL \S+|Kernel panic.*|TORTURE .*result=FAILURE.*|"
                     r"RESULT .*errors=[1-9].*|RACE .*|rcu: .*stall.*|lockdep: (?!.*\(expected\)).*)$", re.M),
          re.compile(r"^WARNING:.*$", re.M)]


def cause(out):
    for pat in CAUSES:
        lines = pat.findall(out)
        if lines:
            return " [" + " | ".join(lines[:3]) + "]"
    return ""


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
        cmd = qemu_command(case) + case.qemu_extra
        if case.cmdline is not None:
            cmd += ["-append", " ".join(filter(None, [qemu_keys(case), case.cmdline]))]
        cpus = run_cpus(case)
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
    elif case.expect == "refused":
        problems = [] if not ok else ["expected the verdict to refuse the run, got: " + why]
    else:
        problems = []
        if ok:
            problems.append("expected a failing run, got: " + why)
        if timed_out:
            problems.append("timed out after %d s instead of failing loudly" % case.timeout)
        if not re.search(r"^SUMMARY ", out, re.M):
            problems.append("no SUMMARY line")
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
        why += cause(out) + " (log: %s)" % os.path.relpath(log, ROOT)
    return case, not problems, why, (infra if problems else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", dest="filter", default="")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--no-host", action="store_true")
    a = ap.parse_args()
    t0 = time.monotonic()
    res = Result()
    if not a.no_host:
        host_tests(res, a.filter)
        fuzz_smoke(res, a.filter)
    cases = [c for c in load_cases() if a.filter in c.name]
    for board in sorted({c.board for c in cases}):
        rc, out = make("-j2", "kernel", "BOARD=%s" % board)
        if rc:
            res.report("build:%s" % board, False, "kernel build failed:\n" + out[-3000:])
            cases = [c for c in cases if c.board != board]
        else:
            res.report("build:%s" % board, True)
    # Images some cases boot instead of the kernel (an ISO), once each.
    builds = {}
    for board, target, vars_ in load_builds():
        name = "build:%s:%s" % (board, ":".join([target] + ["%s=%s" % kv for kv in sorted(vars_.items())]))
        if a.filter in name:
            builds.setdefault((board, target, tuple(sorted(vars_.items()))), [])
    for c in cases:
        if c.build:
            builds.setdefault((c.board, c.build, tuple(sorted(c.make_vars.items()))), []).append(c)
    for (board, target, vars_), users in sorted(builds.items()):
        rc, out = make("-j2", target, "BOARD=%s" % board, *["%s=%s" % kv for kv in vars_])
        name = "build:%s:%s" % (board, ":".join([target] + ["%s=%s" % kv for kv in vars_]))
        res.report(name, rc == 0, "" if rc == 0 else "failed:\n" + out[-3000:])
        if rc:
            cases = [c for c in cases if c not in users]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for case, ok, why, retried in ex.map(run_case, cases):
            res.report(case.name, ok, why, retried)
    print("make test: %.0f s" % (time.monotonic() - t0))
    for name, why in res.retried:
        print("retried (infrastructure): %s: %s" % (name, why))
    if res.failed:
        print("failed: " + " ".join(res.failed))
    print("%d passed, %d failed" % (res.passed, len(res.failed)))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
