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


VCPU_THREAD_RE = re.compile(r"^CPU (\d+)/(KVM|TCG)$")


def pin_vcpus(pid, wait=10.0):
    """Pin each vCPU thread of QEMU process pid ("CPU n/KVM", "CPU n/TCG")
    to host CPU n modulo the CPUs this process may use; returns the
    {vcpu: host_cpu} map, once the threads exist (at most wait seconds)."""
    host_cpus = sorted(os.sched_getaffinity(0))
    deadline = time.monotonic() + wait
    pinned = {}
    while time.monotonic() < deadline:
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except OSError:
            return pinned
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                    m = VCPU_THREAD_RE.match(f.read().strip())
            except OSError:
                continue
            if m and int(m.group(1)) not in pinned:
                cpu = host_cpus[int(m.group(1)) % len(host_cpus)]
                try:
                    os.sched_setaffinity(int(tid), {cpu})
                except OSError:
                    continue
                pinned[int(m.group(1))] = cpu
        # QEMU makes every vCPU thread before the guest runs far.
        if pinned and time.monotonic() > deadline - wait + 1.0:
            return pinned
        time.sleep(0.05)
    return pinned


def run_qemu(cmd, timeout, log_path, stream=False, silent_timeout=None, pin=False):
    """Run cmd; return (output, qemu_status or None, timed_out, seconds).
    silent_timeout: kill QEMU early (as a timeout) when it has printed
    nothing at all after that many seconds. pin: pin each vCPU thread to
    a host CPU of its own (pin_vcpus()), with one line saying so at the
    head of the output."""
    start = time.monotonic()
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    chunks = []
    timed_out = False
    own = 0  # lines of ours at the head of chunks, not QEMU's output
    if pin:
        pinned = pin_vcpus(proc.pid)
        line = ("pin: %d vCPU threads pinned: %s\n" % (len(pinned), ", ".join(
            "vCPU %d -> host CPU %d" % kv for kv in sorted(pinned.items())))).encode()
        chunks.append(line)
        own = 1
        if stream:
            sys.stdout.write(line.decode())

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
    deadline = start + timeout
    while True:
        now = time.monotonic()
        step = deadline - now
        silent = len(chunks) <= own
        if silent_timeout is not None and silent:
            step = min(step, max(0.0, start + silent_timeout - now))
        try:
            proc.wait(timeout=max(0.01, min(step, 1.0)))
            break
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if now >= deadline or (silent_timeout is not None and len(chunks) <= own
                                   and now >= start + silent_timeout):
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
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


# What a log shows of the kernel being wrong, whatever a rerun would show:
# a panic, a poisoned (freed) object met, a run that counted errors, a
# sanitizer or lockdep report (selftests provoke some lockdep reports on
# purpose and mark them "(expected)"), a torture FAILURE, an RCU stall, a
# failed self-test, a data race (the race build's RACE lines). A run that
# shows one is never retried.
SIGNAL_RE = re.compile(r"^(?:.*Kernel panic.*|.*written after free.*|.*errors=[1-9].*|RACE .*|"
                       r"UBSAN: .*|.*ThreadSanitizer.*|.*AddressSanitizer.*|"
                       r".*runtime error: .*|lockdep: (?!.*\(expected\)).*|"
                       r".*result=FAILURE.*|rcu: INFO: .*stall.*|FAIL \S+.*)$", re.M)


def correctness_signals(out):
    """The lines of out that show the kernel misbehaving (SIGNAL_RE)."""
    return [m.group(0) for m in SIGNAL_RE.finditer(out)]


def infra_failure(out, qemu_status, timed_out, silent_timeout=None):
    """Why a failed run was the host's fault, or None: QEMU killed by a
    signal the host sent (not our timeout), or no output at all. A run
    that shows a correctness signal is never the host's fault."""
    if correctness_signals(out):
        return None
    if not timed_out and qemu_status is not None and qemu_status < 0:
        return "QEMU killed by signal %d from the host" % -qemu_status
    if not out.strip():
        return "no output at all%s" % (" in %d s" % silent_timeout if silent_timeout else "")
    return None
