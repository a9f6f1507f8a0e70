"""RCU: rcutorture for every flavour at several CPU counts (busted must
fail, the others succeed with grace periods completed), with CPU hotplug,
with a deep node tree, a stall report, bad input, and rcubench running."""
import re

from quiesce.case import Case
from quiesce.checks import torture_lines
from quiesce.console import RCU_TORTURE_KEYS

ARM64 = "qemu-virt-arm64"
TYPES = ("rcu", "rcu-expedited", "srcu", "busted")


def torture_check(cpus, types=TYPES):
    """Every flavour's TORTURE line as expected, and no kernel WARNING
    (a torture run provokes none on purpose: one is a broken invariant,
    such as an EQS count out of step, that the pipe may not show)."""
    def check(out):
        problems = ["kernel warning: " + w for w in re.findall(r"^WARNING: .*$", out, re.M)]
        for t, m in torture_lines(out, types, cpus, problems, RCU_TORTURE_KEYS).items():
            pipe = [int(x) for x in m["pipe"].split(",")]
            if t == "busted":
                if m["result"] != "FAILURE":
                    problems.append("busted: expected result=FAILURE, got %s" % m["result"])
                continue
            if m["result"] != "SUCCESS":
                problems.append("type=%s: expected SUCCESS, got %s (errors=%s)"
                                % (t, m["result"], m["errors"]))
            if m.int("gps") == 0:
                problems.append("type=%s: expected gps > 0, got 0" % t)
            if sum(pipe[2:]):
                problems.append("type=%s: readers saw stage >= 2: pipe=%s" % (t, m["pipe"]))
        return problems
    return check


# More vCPUs than host cores: with one host thread per vCPU (MTTCG) the
# host deschedules lock holders and the CPU whose ticket is next, so
# spinning CPUs look stuck with interrupts off for seconds. Single-threaded
# TCG runs the vCPUs round-robin instead; the 1-4 CPU cases keep MTTCG's
# true parallelism.
MANY = ["-accel", "tcg,thread=single"]

CASES = []
for n in (1, 2, 3, 4, 16):
    CASES.append(Case("rcutorture:%s:cpus=%d" % (ARM64, n), ARM64, n,
                      "run=rcutorture ms=%d" % (500 if n < 16 else 1000),
                      must_contain=[r"^SUMMARY passed=4 failed=0"],
                      qemu_extra=MANY if n > 4 else [],
                      check=torture_check(n), timeout=240 if n == 16 else 120))

# hotplug=1: the last CPU cycles offline/online meanwhile.
CASES.append(Case("rcutorture:%s:hotplug" % ARM64, ARM64, 4,
                  "run=rcutorture ms=1000 hotplug=1",
                  must_contain=[r"^TORTURE type=rcu .* hotplug=[1-9]\d*$",
                                r"^SUMMARY passed=4 failed=0"],
                  check=torture_check(4), timeout=120))

# A node tree four levels deep (8 leaves of 2 CPUs, 4, 2, root).
CASES.append(Case("rcutorture:%s:fanout=2" % ARM64, ARM64, 16,
                  "run=rcutorture ms=1000 type=rcu,rcu-expedited rcu_fanout=2", qemu_extra=MANY,
                  must_contain=[r"^rcu: tree of 15 nodes in 4 levels for 16 CPUs",
                                r"^SUMMARY passed=2 failed=0"],
                  check=torture_check(16, ("rcu", "rcu-expedited")), timeout=240))

# A reader that holds up a grace period for too long is named.
CASES.append(Case("rcustall:%s" % ARM64, ARM64, 2, "run=rcustall",
                  must_contain=[r"^rcu: INFO: grace period \d+ stalled for \d+ ms",
                                r"^rcu:   CPU 1 \(online, read-side nesting 1,",
                                r"^SUMMARY passed=1 failed=0"], timeout=60))

CASES.append(Case("rcutorture:%s:bad-type" % ARM64, ARM64, 1, "run=rcutorture type=bogus",
                  expect="fail", must_contain=[r"bogus", r"^SUMMARY passed=0 failed=1"],
                  must_not_contain=[r"^TORTURE "], timeout=60))

CASES.append(Case("rcutorture:%s:bad-hotplug" % ARM64, ARM64, 1,
                  "run=rcutorture hotplug=2", expect="fail",
                  must_contain=[r"^cmdline: bad value '2' for hotplug="], timeout=60))

# rcubench: numbers only, no timed assertion; it must run and print them.
CASES.append(Case("rcubench:%s" % ARM64, ARM64, 2, "run=rcubench ms=100",
                  must_contain=[r"^RESULT workload=rcubench mode=read-lock cpus=2 ",
                                r"^RESULT workload=rcubench mode=sync cpus=2 ",
                                r"^RESULT workload=rcubench mode=sync-expedited cpus=2 ",
                                r"^RESULT workload=rcubench mode=call-rcu cpus=2 ",
                                r"^SUMMARY passed=\d+ failed=0"], timeout=120))

# A grace period one short: real RCU with one bug switched on
# (include/rcu_broken.h) must fail rcutorture on every arch, through the
# long readers' held objects (busted-tick-qs) and the callbacks' cookies
# (busted-early-cb). SUMMARY counts a busted flavour that failed as passed.
BROKEN = ("busted-early-cb", "busted-tick-qs")
BROKEN_WHY = {"busted-early-cb": r"^rcutorture: busted-early-cb: \d+ callbacks invoked before",
              "busted-tick-qs": r"^rcutorture: busted-tick-qs: \d+ objects moved down the pipe"}


def broken_check(cpus):
    def check(out):
        problems = []
        for t, m in torture_lines(out, BROKEN, cpus, problems, RCU_TORTURE_KEYS).items():
            if m["result"] != "FAILURE":
                problems.append("%s: expected result=FAILURE, got %s" % (t, m["result"]))
        return problems
    return check


for board, counts in ((ARM64, (1, 2, 4)), ("pc-x86_64", (2, 4)), ("qemu-virt-arm", (2, 4))):
    for n in counts:
        CASES.append(Case("rcutorture:%s:one-gp-short-fails:cpus=%d" % (board, n), board, n,
                          "run=rcutorture type=%s ms=2000" % ",".join(BROKEN),
                          must_contain=[r"^SUMMARY passed=2 failed=0"] + list(BROKEN_WHY.values()),
                          check=broken_check(n), timeout=120))

# A dead CPU's callbacks run within a bounded number of grace periods
# (rcutorture's dead_check()): the hotplug runs say so, and leaving them
# unadopted (busted-offline-cb) fails.
DEAD_OK = r"^rcutorture: %s: callbacks of CPUs taken down: [1-9]\d* batches on time .* 0 late"
for board in (ARM64, "pc-x86_64"):
    CASES.append(Case("rcutorture:%s:offline-callbacks-bounded" % board, board, 4,
                      "run=rcutorture type=rcu,rcu-expedited ms=1000 hotplug=1",
                      must_contain=[DEAD_OK % "rcu", DEAD_OK % "rcu-expedited",
                                    r"^SUMMARY passed=2 failed=0"],
                      check=torture_check(4, ("rcu", "rcu-expedited")), timeout=120))
    CASES.append(Case("rcutorture:%s:offline-callbacks-unadopted-fails" % board, board, 4,
                      "run=rcutorture type=busted-offline-cb ms=1000 hotplug=1",
                      must_contain=[r"^rcutorture: busted-offline-cb: CPU \d+ down for \d+ grace "
                                    r"periods, \d+ of its \d+ callbacks not run",
                                    r"^TORTURE type=busted-offline-cb .*result=FAILURE",
                                    r"^SUMMARY passed=1 failed=0"], timeout=120))
