#!/usr/bin/env python3
"""make run: boot a board in QEMU, stream its console, exit with its verdict.

Usage: run.py --board B --exit semihost|isa-debug --timeout S --log F
              [--cpus N] [--pin] -- qemu args...
--cpus N: the run passes only with N CPUs online; --pin: each vCPU thread
on a host CPU of its own.
"""
import argparse
import sys

from quiesce import console
from quiesce.qemu import run_qemu, verdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--exit", default="semihost", choices=["semihost", "isa-debug"])
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--log", required=True)
    ap.add_argument("--cpus", type=int, default=None)
    ap.add_argument("--pin", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no QEMU command given")
    try:
        out, status, timed_out, secs = run_qemu(cmd, a.timeout, a.log, stream=True, pin=a.pin)
    except FileNotFoundError as e:
        print("run: FAIL: cannot start QEMU: %s" % e)
        return 1
    ok, why = verdict(out, status, timed_out, a.timeout, a.exit, cpus=a.cpus)
    if not ok:
        why += console.cause(out)
    print("run: %s on %s in %.1f s: %s (log: %s)" % ("PASS" if ok else "FAIL", a.board, secs, why, a.log))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
