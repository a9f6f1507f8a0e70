"""Faults the kernel survives, and faults it reports.

- hotplug=1: CPUs go offline and come back at random while every
  workload mode and rcutorture run; each run must show hotplug cycles
  and no error (modes that reproduce a bug still must report theirs).
  hotplug=busted loses the dead CPUs' callbacks: the counts must say so.
- failslab=N: one allocation in N fails, on one board per architecture,
  during rcutorture and every workload mode: no error, no leak.
- A CPU spinning with interrupts off is named by the watchdog, with its
  firmware id; a CPU that never leaves its read-side section is named by
  the RCU stall warning, and reports itself with its backtrace.
- A one-minute soak (tools/soak.py): rcutorture and every workload in
  turns under hotplug, with failslab every other round.
"""
from quiesce import console
from quiesce.case import Case
from quiesce.checks import errors_problems, mode_results
from quiesce.soak import soak_check, soak_cmdline
from .rcu import torture_check

ARM64 = "qemu-virt-arm64"
ARM = "qemu-virt-arm"
X86 = "pc-x86_64"
CLEAN_TYPES = ("rcu", "rcu-expedited", "srcu")

# No grace period may stall while CPUs come and go or allocations fail.
NO_STALL = [r"^rcu: INFO: grace period \d+ stalled"]


def workloads_check(fault, cpus, broken_too=True):
    """Every workload mode run=modes lists printed a RESULT line that
    carries the fault's count (hotplug=<cycles> at least 1, or
    failslab=<hits>); clean modes have errors=0, modes that reproduce a
    bug errors>0. With failslab, at least one failure must have been
    injected over the run."""
    def check(out):
        pairs = mode_results(out, cpus=cpus, broken_too=broken_too)
        problems, total = errors_problems(pairs), 0
        for m, r in pairs:
            if r is None:
                continue
            count = r.int(fault)
            if count is None or (fault == "hotplug" and count == 0):
                problems.append("%s mode=%s: expected %s=<n>%s, got %s"
                                % (m["workload"], m["mode"], fault,
                                   " >= 1" if fault == "hotplug" else "", count))
            total += count or 0
        if fault == "failslab" and not total:
            problems.append("failslab injected no failure in any workload")
        return problems
    return check


def torture_fault_check(cpus, fault, types):
    """rcutorture's checks, plus the fault's count on each TORTURE line."""
    base = torture_check(cpus, types)

    def check(out):
        problems = base(out)
        seen = {t["type"]: t for t in console.tortures(out)}
        for t in types:
            count = seen[t].int(fault) if t in seen else None
            if count is None:
                problems.append("type=%s: no %s= count on its TORTURE line" % (t, fault))
            elif fault == "hotplug" and count == 0:
                problems.append("type=%s: hotplug=0, no CPU went offline and came back" % t)
        return problems
    return check


def both(*checks):
    return lambda out: [p for c in checks for p in c(out)]


CASES = []

# Hotplug under load: every workload mode, 3 and 4 CPUs on arm64, 4 on x86.
for board, cpus in ((ARM64, 3), (ARM64, 4), (X86, 4)):
    CASES.append(Case("hotplug:%s:workloads:cpus=%d" % (board, cpus), board, cpus,
                      "run=modes,all ms=200 hotplug=1", timeout=300,
                      must_contain=[r"^SUMMARY passed=\d+ failed=0"], must_not_contain=NO_STALL,
                      check=workloads_check("hotplug", cpus)))
# Hotplug in the release build, whose tick cannot tell a CPU's wait in
# cpu_down() from a reader: the CPU going offline first finishes a
# synchronize_rcu() (nsproxy's rcu-sync setns), which needs the waiter's
# quiescent state (it stalled for good before cpu_down() reported it).
for cpus in (2, 4):
    CASES.append(Case("hotplug:%s:release:nsproxy-rcu-sync:cpus=%d" % (ARM64, cpus), ARM64, cpus,
                      "run=nsproxy mode=rcu-sync ms=1000 hotplug=1 seed=2", build="kernel",
                      make_vars={"BUILD": "release"}, timeout=180,
                      must_contain=[r"^RESULT workload=nsproxy mode=rcu-sync .* errors=0 .*"
                                    r"hotplug=[1-9]", r"^SUMMARY passed=1 failed=0"],
                      must_not_contain=NO_STALL))
# rcutorture with hotplug on x86 (rcu.py has the arm64 case).
CASES.append(Case("hotplug:%s:rcutorture:cpus=4" % X86, X86, 4,
                  "run=rcutorture ms=1000 hotplug=1",
                  must_contain=[r"^SUMMARY passed=4 failed=0"], must_not_contain=NO_STALL,
                  check=torture_fault_check(4, "hotplug", ("rcu", "rcu-expedited", "srcu", "busted")),
                  timeout=180))
# The broken variant: a hotplug path that loses the dead CPU's callbacks.
CASES.append(Case("hotplug:%s:busted-loses-callbacks" % ARM64, ARM64, 4,
                  "run=rcutorture,proc-lookup type=rcu mode=rcu-walk ms=500 hotplug=busted",
                  expect="fail", timeout=180,
                  must_contain=[r"^rcutorture: rcu: (\d+) callbacks queued, (?!\1\b)\d+ invoked$",
                                r"^TORTURE type=rcu .* result=FAILURE hotplug=[1-9]",
                                r"^proc-lookup/rcu-walk: (\d+) callbacks queued by CPUs going "
                                r"offline, (?!\1\b)\d+ invoked$",
                                r"^proc-lookup/rcu-walk: [1-9]\d* objects leaked",
                                r"^SUMMARY passed=0 failed=2"]))

# Allocation failures on one board per architecture: rcutorture and every
# mode that must pass (the busted flavour and the bug-reproducing modes
# have their own tests; a failed allocation only makes their race rarer).
for board in (ARM64, ARM, X86):
    CASES.append(Case("failslab:%s:cpus=4" % board, board, 4,
                      "run=modes,rcutorture,all ms=200 failslab=20 type=%s mode=clean"
                      % ",".join(CLEAN_TYPES), timeout=300,
                      must_contain=[r"^SUMMARY passed=\d+ failed=0"],
                      must_not_contain=[r"leaked", r"callbacks queued"] + NO_STALL,
                      check=both(torture_fault_check(4, "failslab", CLEAN_TYPES),
                                 workloads_check("failslab", 4, broken_too=False))))

# Who is stuck: the last CPU of a 4-CPU run, named with its firmware id by
# the watchdog (interrupts off) and by the RCU stall warning (a reader
# that never ends), where it also prints its own backtrace.
for board in (ARM64, X86):
    CASES.append(Case("watchdog:%s:names-cpu-3" % board, board, 4, "run=crash crash=hang",
                      expect="fail", timeout=90,
                      must_contain=[r"^crash: CPU 3 spins with interrupts off for a lock "
                                    r"CPU 2 holds$",
                                    r"^watchdog: 0 other CPUs silent for over \d+ ms",
                                    r"^lockdep: CPU 3 holds 1 lock, oldest first:\n"
                                    r"lockdep:   crash_hang_lock taken at "
                                    r"hang_on_this_cpu\+0x[0-9a-f]+, waiting: held by CPU 2$",
                                    r"watchdog: CPU 3 stuck with interrupts off for \d+ ms "
                                    r"\(hwid 0x3\)"]))
    CASES.append(Case("rcustall:%s:names-cpu-3" % board, board, 4, "run=rcustall", timeout=90,
                      must_contain=[r"^rcustall: CPU 3 holds a read-side section$",
                                    r"^rcu: INFO: grace period \d+ stalled for \d+ ms; "
                                    r"no quiescent state from:\n(rcu:   CPU [0-2] .*\n)*"
                                    r"rcu:   CPU 3 \(online, read-side nesting 1, "
                                    r"last quiescent state \d+ ms ago\)$",
                                    r"^rcu: CPU 3 is here \(read-side nesting 1\):\nCall trace:",
                                    r"^SUMMARY passed=1 failed=0"],
                      # A vCPU the host has not run lately may be listed too,
                      # but only CPU 3 is inside a reader.
                      must_not_contain=[r"^rcu:   CPU [0-2] \(online, read-side nesting [1-9]"]))

# The soak, for one minute: one QEMU, 4 CPUs.
CASES.append(Case("soak:%s:1min" % ARM64, ARM64, 4, soak_cmdline(60, ms=300), timeout=420,
                  check=soak_check))
