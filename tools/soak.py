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
soak_check() (tools/quiesce/soak.py).
"""
import argparse
import os
import re
import sys
import threading
import time

from quiesce import console, make
from quiesce.qemu import run_qemu, verdict
from quiesce.soak import soak_check, soak_cmdline, soak_totals

# Console lines worth showing while the soak runs: rounds and trouble.
PROGRESS_RE = re.compile(r"^soak: round|: error on CPU|leaked|callbacks queued|panic|did not|"
                         r"stalled")


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
    cmdline = soak_cmdline(seconds, a.ms, a.failslab, a.seed)
    # The round under way when the time is up finishes: allow a few more.
    timeout = seconds * 2 + 600
    log = os.path.join(make.ROOT, "build", a.board, "soak.log")
    try:
        cmd = make.qemu_command(a.board, a.cpus) + make.append(a.board, a.cpus, cmdline)
        cpus, board_exit = make.run_cpus(a.board, a.cpus), make.board_exit(a.board)
    except RuntimeError as e:
        print("soak: FAIL: %s" % " ".join(str(e).split()))
        return 1
    print("soak: %s, %d CPUs, %d s: %s (log: %s)" % (a.board, a.cpus, seconds, cmdline,
                                                      os.path.relpath(log, make.ROOT)), flush=True)
    stop = threading.Event()
    threading.Thread(target=follow, args=(log, stop), daemon=True).start()
    try:
        out, status, timed_out, secs = run_qemu(cmd, timeout, log)
    except FileNotFoundError as e:
        print("soak: FAIL: cannot start QEMU: %s" % e)
        return 1
    finally:
        stop.set()
    ok, why = verdict(out, status, timed_out, timeout, board_exit, cpus=cpus)
    problems = ([] if ok else [why]) + soak_check(out)
    try:
        print(totals_line(soak_totals(out), a.board, a.cpus))
    except console.BadLine:
        pass	# soak_check() named the line
    print("soak: %s in %.0f s%s" % ("PASS" if not problems else "FAIL", secs,
                                     "" if not problems else ": " + "; ".join(problems)))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
