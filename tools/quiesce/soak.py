"""The soak's reading of its run (tools/soak.py, and the one-minute soak
case of tests/qemu/faults.py): the command line of a soak of a given
length, the totals over its TORTURE and RESULT lines, and what is wrong
with it."""
import re

from quiesce import console

TYPES = "rcu,rcu-expedited,srcu"
STALL_RE = re.compile(r"^rcu: INFO: grace period \d+ stalled.*$", re.M)


def soak_cmdline(seconds, ms=500, failslab=20, seed=1):
    """The kernel command line of a soak of the given length."""
    return ("run=soak soak=%d ms=%d hotplug=1 failslab=%d type=%s mode=clean seed=%d"
            % (seconds, ms, failslab, TYPES, seed))


def soak_totals(out):
    """Counts summed over every TORTURE and RESULT line of a soak's output
    (console.BadLine if one lacks a key the totals need)."""
    t = dict(rounds=0, seconds=0, torture_runs=0, gps=0, reads=0, workload_runs=0, ops=0,
             updates=0, hotplug_cycles=0, failslab_hits=0, errors=0, failed_checks=0)
    for line in console.tortures(out, console.RCU_TORTURE_KEYS):
        t["torture_runs"] += 1
        t["gps"] += line.int("gps")
        t["reads"] += sum(int(x) for x in line["pipe"].split(","))
        t["errors"] += line.int("errors")
        t["hotplug_cycles"] += line.int("hotplug", 0)
        t["failslab_hits"] += line.int("failslab", 0)
    for line in console.results(out, console.RESULT_KEYS + ("updates",)):
        t["workload_runs"] += 1
        t["ops"] += line.int("ops")
        t["errors"] += line.int("errors")
        t["updates"] += line.int("updates")
        t["hotplug_cycles"] += line.int("hotplug", 0)
        t["failslab_hits"] += line.int("failslab", 0)
    soak = console.lines(out, "SOAK", console.SOAK_KEYS)
    if soak:
        t["rounds"], t["seconds"] = soak[0].int("rounds"), soak[0].int("seconds")
    summary = console.summary(out)
    if summary:
        t["failed_checks"] = summary.int("failed")
    return t


def soak_check(out):
    """Problems with a soak's output (empty: it passed)."""
    try:
        t = soak_totals(out)
    except console.BadLine as e:
        return [str(e)]
    problems = []
    if not console.lines(out, "SOAK"):
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
