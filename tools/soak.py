#!/usr/bin/env python3
"""make soak: one long boot of run=soak, rounds of rcutorture and every
workload in turns while CPUs go offline and come back (hotplug=1), with
failed allocations injected every other round (failslab=), until the
time is up. Prints each round as it starts and, at the end, one SOAK
line with the totals over the whole run; exits non-zero if any check
failed.

Usage: soak.py [--board B] [--cpus N] [--minutes M] [--ms MS]
               [--failslab N] [--seed S]

The busted RCU flavour and the modes that reproduce a bug are left out
(type=, mode=clean): they must fail, and their own tests show that.
tests/qemu/faults.py runs a one-minute soak with soak_cmdline() and
soak_check().
"""
import argparse
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "qemu"))
from qemu_run import run_qemu, verdict  # noqa: E402

TYPES = "rcu,rcu-expedited,srcu"
TORTURE_RE = re.compile(r"^TORTURE type=(\S+) .*?\bgps=(\d+) pipe=([\d,]+) errors=(\d+) "
                        r"result=(SUCCESS|FAILURE)(.*)$", re.M)
RESULT_RE = re.compile(r"^RESULT workload=(\S+) mode=(\S+) .*?\bops=(\d+) .*?\berrors=(\d+) "
                       r"updates=(\d+)(.*)$", re.M)
SOAK_RE = re.compile(r"^SOAK rounds=(\d+) seconds=(\d+)$", re.M)
SUMMARY_RE = re.compile(r"^SUMMARY passed=(\d+) failed=(\d+)", re.M)
STALL_RE = re.compile(r"^rcu: INFO: grace period \d+ stalled.*$", re.M)
# Console lines worth showing while the soak runs: rounds and trouble.
PROGRESS_RE = re.compile(r"^soak: round|: error on CPU|leaked|callbacks queued|panic|did not|"
                         r"stalled")


def soak_cmdline(seconds, ms=500, failslab=20, seed=1):
    """The kernel command line of a soak of the given length."""
    return ("run=soak soak=%d ms=%d hotplug=1 failslab=%d type=%s mode=clean seed=%d"
            % (seconds, ms, failslab, TYPES, seed))


def key(rest, name):
    m = re.search(r"\b%s=(\d+)" % name, rest)
    return int(m.group(1)) if m else 0


def soak_totals(out):
    """Counts summed over every TORTURE and RESULT line of a soak's output."""
    t = dict(rounds=0, seconds=0, torture_runs=0, gps=0, reads=0, workload_runs=0, ops=0,
             updates=0, hotplug_cycles=0, failslab_hits=0, errors=0, failed_checks=0)
    for m in TORTURE_RE.finditer(out):
        t["torture_runs"] += 1
        t["gps"] += int(m.group(2))
        t["reads"] += sum(int(x) for x in m.group(3).split(","))
        t["errors"] += int(m.group(4))
        t["hotplug_cycles"] += key(m.group(6), "hotplug")
        t["failslab_hits"] += key(m.group(6), "failslab")
    for m in RESULT_RE.finditer(out):
        t["workload_runs"] += 1
        t["ops"] += int(m.group(3))
        t["errors"] += int(m.group(4))
        t["updates"] += int(m.group(5))
        t["hotplug_cycles"] += key(m.group(6), "hotplug")
        t["failslab_hits"] += key(m.group(6), "failslab")
    m = SOAK_RE.search(out)
    if m:
        t["rounds"], t["seconds"] = int(m.group(1)), int(m.group(2))
    m = None
    for m in SUMMARY_RE.finditer(out):
        pass
    if m:
        t["failed_checks"] = int(m.group(2))
    return t


def soak_check(out):
    """Problems with a soak's output (empty: it passed)."""
    t = soak_totals(out)
    problems = []
    if not SOAK_RE.search(out):
        problems.append("no SOAK line: the soak did not finish")
    if t["errors"]:
        problems.append("%d errors in TORTURE/RESULT lines" % t["errors"])
    if t["failed_checks"]:
        problems.append("%d checks failed" % t["failed_checks"])
    if not t["torture_runs"] or not t["workload_runs"]:
        problems.append("expected rcutorture and workload runs, got %d and %d"
                        % (t["torture_runs"], t["workload_runs"]))
    if not t["hotplug_cycles"]:
        problems.append("no CPU went offline and came back")
    if not t["failslab_hits"]:
        problems.append("no allocation failure was injected")
    if STALL_RE.search(out):
        problems.append("a grace period stalled: %s" % STALL_RE.search(out).group(0))
    return problems


def totals_line(t, board, cpus):
    return ("SOAK board=%s cpus=%d minutes=%.1f rounds=%d torture_runs=%d gps=%d reads=%d "
            "workload_runs=%d ops=%d updates=%d hotplug_cycles=%d failslab_hits=%d errors=%d"
            % (board, cpus, t["seconds"] / 60.0, t["rounds"], t["torture_runs"], t["gps"],
               t["reads"], t["workload_runs"], t["ops"], t["updates"], t["hotplug_cycles"],
               t["failslab_hits"], t["errors"]))


def follow(log, stop):
    """Print the round lines of the console log as they appear."""
    pos = 0
    while not stop.is_set():
        time.sleep(2)
        try:
            with open(log, "rb") as f:
                f.seek(pos)
                chunk = f.read()
        except OSError:
            continue
        end = chunk.rfind(b"\n") + 1
        pos += end
        for line in chunk[:end].decode("utf-8", "replace").splitlines():
            if PROGRESS_RE.search(line):
                print(line.strip(), flush=True)


def main():
    from testsuite import ROOT, qemu_command, qemu_keys, run_cpus  # noqa: E402
    from case import Case  # noqa: E402

    ap = argparse.ArgumentParser()
    ap.add_argument("--board", default="qemu-virt-arm64")
    ap.add_argument("--cpus", type=int, default=4)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--ms", type=int, default=500)
    ap.add_argument("--failslab", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.minutes <= 0 or a.cpus < 2 or a.ms <= 0 or a.failslab <= 0:
        print("soak: FAIL: --minutes, --ms and --failslab must be positive, --cpus at least 2")
        return 1
    seconds = max(1, int(a.minutes * 60))
    case = Case("soak", a.board, a.cpus, soak_cmdline(seconds, a.ms, a.failslab, a.seed))
    # The round under way when the time is up finishes: allow a few more.
    timeout = seconds * 2 + 600
    log = os.path.join(ROOT, "build", a.board, "soak.log")
    cmd = qemu_command(case) + ["-append", " ".join(filter(None, [qemu_keys(case), case.cmdline]))]
    print("soak: %s, %d CPUs, %d s: %s (log: %s)" % (a.board, a.cpus, seconds, case.cmdline,
                                                      os.path.relpath(log, ROOT)), flush=True)
    stop = threading.Event()
    threading.Thread(target=follow, args=(log, stop), daemon=True).start()
    try:
        out, status, timed_out, secs = run_qemu(cmd, timeout, log)
    except FileNotFoundError as e:
        print("soak: FAIL: cannot start QEMU: %s" % e)
        return 1
    finally:
        stop.set()
    ok, why = verdict(out, status, timed_out, timeout, case.board_exit, cpus=run_cpus(case))
    problems = ([] if ok else [why]) + soak_check(out)
    print(totals_line(soak_totals(out), a.board, a.cpus))
    print("soak: %s in %.0f s%s" % ("PASS" if not problems else "FAIL", secs,
                                     "" if not problems else ": " + "; ".join(problems)))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
