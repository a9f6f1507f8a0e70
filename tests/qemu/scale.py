"""Scale: 64 CPUs on qemu-virt-arm64 (GICv3) and pc-x86_64, and one
256-CPU (arm64) and 255-CPU (x86, the xAPIC limit) boot with rcutorture,
on a 2-core host. Above 8 CPUs the boards run QEMU's vCPUs round-robin
on one host thread (boards/*.mk), so these cases cost about one host
core each.

The idle cases pin down that idle CPUs sleep with their tick stopped and
that grace periods complete without waking them: rcubench on one CPU
while every other CPU idles counts the idle CPUs' wake-ups. nohz=0 (idle
CPUs keep their tick) is the broken variant the check must catch.
"""
from quiesce import console
from quiesce.case import Case
from .rcu import torture_check
from .workloads import checker as workload_check
from .workloads2 import result_checker

ARM64 = "qemu-virt-arm64"
X86 = "pc-x86_64"
IDLE_MODES = ("sync", "sync-expedited")


def idle_wakeups(out, idle_cpus):
    """{mode: (grace periods, wake-ups)} of rcubench's cpus=1 sync lines,
    and the problems with how they were printed."""
    seen, problems = {}, []
    for r in console.results(out):
        if r["workload"] != "rcubench" or r["mode"] not in IDLE_MODES or r["cpus"] != "1":
            continue
        seen[r["mode"]] = (r.int("ops"), r.int("idle_wakeups"))
        if r.int("idle_cpus") != idle_cpus:
            problems.append("mode=%s: idle_cpus=%s, expected %d" % (r["mode"], r["idle_cpus"], idle_cpus))
    for mode in IDLE_MODES:
        if mode not in seen:
            problems.append("no rcubench RESULT line for mode=%s cpus=1" % mode)
        elif seen[mode][0] == 0:
            problems.append("mode=%s: no grace period completed" % mode)
    return seen, problems


def idle_check(idle_cpus):
    """Grace periods left the idle CPUs asleep: at most one stray wake-up
    per idle CPU over the whole run. A grace period that needed them would
    wake each once per grace period; a tick left running, 250 times a
    second."""
    def check(out):
        seen, problems = idle_wakeups(out, idle_cpus)
        for mode, (gps, woke) in sorted(seen.items()):
            if woke > idle_cpus:
                problems.append("mode=%s: %d idle CPUs woke %d times during %d grace periods, "
                                "expected at most %d" % (mode, idle_cpus, woke, gps, idle_cpus))
        return problems
    return check


def idle_check_catches(idle_cpus):
    """The broken variant (nohz=0): idle_check must report the wake-ups."""
    def check(out):
        seen, problems = idle_wakeups(out, idle_cpus)
        if problems:
            return problems
        if not idle_check(idle_cpus)(out):
            return ["nohz=0 kept the idle CPUs' tick, yet the idle check saw nothing: %s"
                    % ", ".join("%s woke %d" % (m, w) for m, (_, w) in sorted(seen.items()))]
        return []
    return check


def online(n):
    return r"^smp: %d of %d CPUs online in \d+ us" % (n, n)


IDLE_CMD = "run=rcubench type=sync,sync-expedited cpus=1 ms=200"

CASES = [
    # The longest first: the suite runs two cases at a time, in order.
    Case("scale:%s:cpus=255:rcutorture" % X86, X86, 255, "run=rcutorture ms=1000",
         must_contain=[online(255), r"^rcu: tree of 17 nodes in 2 levels for 255 CPUs",
                       r"^SUMMARY passed=4 failed=0"],
         check=torture_check(255), timeout=300),
    Case("scale:%s:cpus=256:rcutorture" % ARM64, ARM64, 256, "run=rcutorture ms=1000",
         must_contain=[r"GICv3", online(256), r"^rcu: tree of 17 nodes in 2 levels for 256 CPUs",
                       r"^SUMMARY passed=4 failed=0"],
         check=torture_check(256), timeout=300),
    Case("scale:%s:cpus=64:selftest" % ARM64, ARM64, 64, "run=selftest",
         must_contain=[online(64), r"^SUMMARY passed=\d+ failed=0"], timeout=300),
    Case("scale:%s:cpus=64:selftest" % X86, X86, 64, "run=selftest",
         must_contain=[online(64), r"^SUMMARY passed=\d+ failed=0"], timeout=300),
    Case("scale:%s:cpus=64:rcutorture" % ARM64, ARM64, 64, "run=rcutorture ms=500",
         must_contain=[online(64), r"^SUMMARY passed=4 failed=0"],
         check=torture_check(64), timeout=240),
    Case("scale:%s:cpus=64:rcutorture,vma-query" % X86, X86, 64,
         "run=modes,rcutorture,vma-query ms=300",
         must_contain=[online(64), r"^SUMMARY passed=\d+ failed=0"],
         check=lambda out: torture_check(64)(out) +
         result_checker("vma-query", 64)(out), timeout=240),
    Case("scale:%s:cpus=64:proc-lookup" % ARM64, ARM64, 64, "run=modes,proc-lookup ms=200",
         must_contain=[online(64)], check=workload_check("proc-lookup", 64), timeout=240),
    Case("scale:%s:cpus=256:idle-cpus-sleep-through-grace-periods" % ARM64, ARM64, 256, IDLE_CMD,
         must_contain=[online(256)], check=idle_check(255), timeout=240),
    Case("scale:%s:cpus=64:idle-cpus-sleep-through-grace-periods" % X86, X86, 64, IDLE_CMD,
         must_contain=[online(64)], check=idle_check(63), timeout=240),
    Case("scale:%s:cpus=64:idle-check-catches-nohz=0" % ARM64, ARM64, 64, IDLE_CMD + " nohz=0",
         must_contain=[online(64)], check=idle_check_catches(63), timeout=240),
]
