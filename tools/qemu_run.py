"""Run a kernel under QEMU and judge the run.

A run passes only when the kernel printed a SUMMARY line with failed=0,
QEMU's exit status agrees, and (when the caller says how many CPUs the
run asked for) the boot's "smp: N of M CPUs online" line has N = M = that
count. A run without SUMMARY fails with one line that says why: a timeout
(hang), or QEMU ending on its own (crash, reset).
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

SUMMARY_RE = re.compile(r"^SUMMARY passed=(\d+) failed=(\d+)", re.M)
SMP_RE = re.compile(r"^smp: (\d+) of (\d+) CPUs online", re.M)
# The kernel's own line for each CPU that did not come up.
CPU_DOWN_RE = re.compile(r"^smp: CPU \d+ .*(?:failed to start|did not come online).*$", re.M)


def cpus_problem(out, cpus):
    """Why the run did not bring the cpus it asked for online, or None."""
    m = SMP_RE.search(out)
    if not m:
        return "no 'smp: N of M CPUs online' line (asked for %d CPUs)" % cpus
    online, listed = int(m.group(1)), int(m.group(2))
    if online == listed == cpus:
        return None
    down = CPU_DOWN_RE.search(out)
    if listed != cpus:
        why = "asked for %d CPUs, the firmware listed %d" % (cpus, listed)
    else:
        why = "asked for %d CPUs, %d online" % (cpus, online)
    return why + (" (%s)" % down.group(0) if down else "")


def kernel_status(board_exit, qemu_status):
    """The kernel's exit status from QEMU's, per the board's exit method."""
    if board_exit == "isa-debug":
        # isa-debug-exit makes QEMU exit with (value << 1) | 1.
        if qemu_status % 2 == 1:
            return (qemu_status - 1) // 2
        return None  # QEMU ended some other way
    return qemu_status


def run_qemu(cmd, timeout, log_path, stream=False):
    """Run cmd; return (output, qemu_status or None, timed_out, seconds)."""
    start = time.monotonic()
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    chunks = []
    timed_out = False

    def reader():
        with open(log_path, "wb") as log:
            for line in iter(proc.stdout.readline, b""):
                chunks.append(line)
                log.write(line)
                log.flush()
                if stream:
                    sys.stdout.write(line.decode("utf-8", "replace"))
                    sys.stdout.flush()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    t.join(timeout=5)
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
    return out, (None if timed_out else proc.returncode), timed_out, time.monotonic() - start


def verdict(out, qemu_status, timed_out, timeout, board_exit, cpus=None):
    """(passed, one-line reason) for a run that was meant to pass; cpus:
    how many CPUs it asked for, all of which must come online."""
    m = None
    for m in SUMMARY_RE.finditer(out):
        pass
    if timed_out:
        if m:
            return False, "the kernel printed SUMMARY but QEMU did not exit (timeout after %d s)" % timeout
        return False, "no SUMMARY line: the kernel hung (timeout after %d s)" % timeout
    status = kernel_status(board_exit, qemu_status)
    if not m:
        return False, "no SUMMARY line: QEMU exited with status %s (crash or reset)" % qemu_status
    passed, failed = int(m.group(1)), int(m.group(2))
    summary = "SUMMARY passed=%d failed=%d, kernel exit status %s" % (passed, failed, status)
    if failed == 0 and status == 0:
        problem = cpus_problem(out, cpus) if cpus else None
        if problem:
            return False, summary + ", but " + problem
        return True, summary
    down = CPU_DOWN_RE.search(out)
    if down:
        summary += " (%s)" % down.group(0)
    if failed == 0:
        return False, summary + ": SUMMARY says passed but the status disagrees"
    return False, summary
