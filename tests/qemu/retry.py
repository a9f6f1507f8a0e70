"""The suite's retry policy (tools/testsuite.py run_case, tools/quiesce/
qemu.py infra_failure), on the log of a real panic: a run that shows a
correctness signal is never retried, even when QEMU then died by a host
signal; only a host failure (QEMU killed by a signal, no output at all) is
retried, the retry is named, and a case that needs it twice fails. And the
cause a failure report names (console.cause) is the panic or the failed
mode, not a bug mode's expected errors before it."""

from quiesce import console, qemu as qr
from quiesce.case import Case
from quiesce import make


def load_testsuite():
    """A copy of tools/testsuite.py of its own, whose run_case_once the
    check replaces."""
    return make.load_file("tools/testsuite.py", "quiesce_testsuite")


def check(out):
    ts = load_testsuite()
    problems = []
    if not console.correctness_signals(out):
        problems.append("a panic log shows no correctness signal")
    if qr.infra_failure(out, -9, False) is not None:
        problems.append("a panic log with QEMU killed by SIGKILL was taken as a host failure")
    if qr.infra_failure("", 1, True, 90) is None:
        problems.append("a run with no output at all was not taken as a host failure")
    if qr.infra_failure("Quiesce: 2 CPUs\n", -9, False) is None:
        problems.append("QEMU killed by a host signal was not taken as a host failure")
    for sig in ("TORTURE type=rcu cpus=2 ms=5 gps=1 pipe=1,0 errors=0 result=FAILURE",
                "RESULT workload=uprobe errors=3", "lockdep: lock order inversion on CPU 1",
                "rcu: INFO: grace period 5 stalled for 21000 ms; no quiescent state from:",
                "WARNING: ThreadSanitizer: data race (pid=1)", "not ok 3 rcu.sync_waits"):
        if qr.infra_failure(sig + "\n", -9, False) is not None:
            problems.append("%r with a host kill was taken as a host failure" % sig)
    if qr.infra_failure("lockdep: x taken (expected)\n", -9, False) is None:
        problems.append("an expected lockdep report counted as a signal")
    # Why the run failed: the panic, not the errors that a mode which
    # reproduces a bug printed before it (those count and pass).
    expected = ("nsproxy/tagged-ptr: error on CPU 3: the task's own read of its nsproxy saw "
                "a remote reader's tag bit\nRESULT workload=nsproxy mode=tagged-ptr errors=5\n")
    why = console.cause(expected + out)
    if "Kernel panic" not in why or "RESULT" in why:
        problems.append("the cause of a panic after a bug mode's errors reads %r" % why)
    why = console.cause(expected + "nsproxy/rcu: FAIL: errors detected (errors= above)\n")
    if "nsproxy/rcu: FAIL" not in why or "RESULT" in why:
        problems.append("the cause of a failed mode after a bug mode's errors reads %r" % why)

    # The policy, on scripted runs: (ok, why, infra) per attempt.
    def scripted(runs):
        calls = []

        def once(case, suffix):
            calls.append(suffix)
            ok, why, infra = runs[len(calls) - 1]
            return case, ok, why, infra
        ts.run_case_once = once
        return calls
    calls = scripted([(False, "kernel panic", None), (True, "passed", None)])
    _, ok, _, retried = ts.run_case("c")
    if ok or retried or calls != [""]:
        problems.append("a correctness failure was retried (%s, ok=%s)" % (calls, ok))
    calls = scripted([(False, "killed", "QEMU killed by signal 9 from the host"), (True, "passed", None)])
    _, ok, _, retried = ts.run_case("c")
    if not ok or not retried or calls != ["", ".retry"]:
        problems.append("a host failure was not retried once and named (%s)" % calls)
    calls = scripted([(False, "killed", "no output at all"), (False, "killed", "no output at all")])
    _, ok, _, _ = ts.run_case("c")
    if ok or calls != ["", ".retry"]:
        problems.append("a case that needed the retry twice passed (%s)" % calls)
    return problems


CASES = [Case("suite:no-retry-hides-a-panic", "qemu-virt-arm64", 1, "run=crash crash=panic",
              expect="fail", must_contain=[r"Kernel panic"], check=check, timeout=60)]
