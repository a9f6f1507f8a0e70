"""The race build (BUILD=races, the data-race detector of kernel/races.c):
it compiles on arm64, x86_64 and armv7, and its self-test passes on arm64
and x86_64: the deliberate race (a plain write racing a plain read) is
reported naming both functions, its marked twin (WRITE_ONCE/READ_ONCE, an
atomic) and its twin in data_race() are not; message passing without
release/acquire is reported under the weak-memory model, with them it is
not. A detector that never looks its watchpoints up (races_busted=1)
fails both reporting tests and names no other site (a changed value can
still show, with an unknown origin). rcutorture plus every clean workload
mode run with races=0 on every line, having watched accesses and checked
assertions (a detector that watched nothing would pass that too, so the
counts must be above zero).

The bug modes whose bug is one of atomicity, with marked accesses on both
sides, are reported through the assertions of include/races.h, naming
both sites: uprobe rcu-racy (the late increment writes a count that
reached zero: put_uprobe()'s held ASSERT_EXCLUSIVE_WRITER_BEGIN, met by
get_uprobe_racy() or the resurrected uprobe's own put_uprobe()), nsproxy
tagged-ptr (a remote reader's xchg writes the pointer only its task may
write: switch_task_namespaces()'s ASSERT_EXCLUSIVE_WRITER). The ordering
assertions (ASSERT_STORE_ORDERED) at grace-period start and in call_rcu()
run in rcutorture's normal and expedited flavours with races=0; make
mutants drops each barrier and this case must then fail."""
import re

from quiesce import console
from quiesce.case import Case

RACES = {"BUILD": "races"}
BUILDS = [(board, "kernel", RACES) for board in ("pc-x86_64", "qemu-virt-arm")]

# The deliberate race, either side watched.
DELIBERATE = (r"^RACE addr=0x[0-9a-f]+ object=racy_var\+0x0 cpu=\d site=races_test_(writer|reader)"
              r"\+0x[0-9a-f]+ access=(read|write) size=\d+ other_cpu=\d "
              r"other_site=races_test_(?!\1)(writer|reader)\+0x[0-9a-f]+ "
              r"other_access=(read|write) other_size=\d+$")
WATCHED_RE = re.compile(r"^races: (\d+) accesses watched, (\d+) race\(s\) found in this run$", re.M)
ASSERTED_RE = re.compile(r"^races: (\d+) exclusive and (\d+) ordering assertions checked$", re.M)


def asserted_check(out, exclusive=True):
    """The assertions ran (a detector that checked none passes too)."""
    m = ASSERTED_RE.search(out)
    if not m:
        return ["no 'races: N exclusive and N ordering assertions checked' line"]
    if int(m.group(2)) == 0 or (exclusive and int(m.group(1)) == 0):
        return ["too few assertions checked: %s" % m.group(0)]
    return []


def clean_check(out):
    problems = []
    torture = console.lines(out, "TORTURE")
    results = console.lines(out, "RESULT")
    if len(torture) < 3 or len(results) < 10:
        problems.append("only %d TORTURE and %d RESULT lines" % (len(torture), len(results)))
    for ln in torture + results:
        busted = ln.get("type", "").startswith("busted")
        if "races" not in ln:
            problems.append("no races= key in: %s" % ln.text[:80])
        elif ln["races"] != "0" and not busted:
            problems.append("races=%s in: %s" % (ln["races"], ln.text[:80]))
    m = WATCHED_RE.search(out)
    if not m:
        problems.append("no 'races: N accesses watched' line")
    elif int(m.group(1)) == 0:
        problems.append("the detector watched no access")
    return problems + asserted_check(out)


def ordering_check(out):
    problems = asserted_check(out, exclusive=False)
    for ln in console.lines(out, "TORTURE"):
        if ln.get("races") != "0":
            problems.append("races=%s in: %s" % (ln.get("races"), ln.text[:80]))
    return problems


# A RACE line whose two sites are named (function+offset, the access kinds).
def race_line(site, kind, other_sites, other_kind):
    return (r"^RACE addr=0x[0-9a-f]+ object=\S+ cpu=\d+ site=%s\+0x[0-9a-f]+ access=%s "
            r"size=\d+ other_cpu=\d+ other_site=(%s)\+0x[0-9a-f]+ other_access=%s "
            r"other_size=\d+$" % (site, kind, "|".join(other_sites), other_kind))


SELFTEST = [r"^ok \d+ races\.plain_write_race_reported_with_both_sites$",
            r"^ok \d+ races\.marked_accesses_are_not_races$", DELIBERATE,
            r"^ok \d+ races\.weak_message_passing_without_barriers_reported$",
            r"^ok \d+ races\.weak_message_passing_with_release_acquire_is_not_a_race$",
            r"^RACE addr=\S+ object=mp_data\+0x0 .*site=races_test_mp_(writer|reader)\+.*"
            r"other_site=races_test_mp_(writer|reader)\+",
            r"^ok \d+ races\.data_race_annotated_is_not_reported$",
            r"^ok \d+ races\.store_not_followed_by_a_full_barrier_reported$",
            r"^RACE addr=\S+ object=ordered_var\+0x0 .*site=races_test_unordered\+\S+ "
            r"access=unordered-store .*other_site=races_test_unordered\+\S+ "
            r"other_access=assert-ordered",
            r"^ok \d+ races\.held_exclusive_writer_met_by_a_marked_write$",
            r"^RACE addr=\S+ object=held_var\+0x0 .*site=races_test_held_asserter\+\S+ "
            r"access=assert-writer .*other_site=races_test_held_writer\+\S+ "
            r"other_access=marked-write",
            r"^SUMMARY passed=7 failed=0"]

CASES = [
    # timeout: unbarriered message passing runs up to 5000 ping-pong rounds
    # until its first report, and the busted detector all of them: each
    # round waits for the other vCPU, a host time slice apiece under load
    # (70 s for 20000 rounds at load 14).
    Case("races:%s:deliberate-race-reported" % board, board, 2, "run=selftest test=races",
         build="kernel", make_vars=RACES, timeout=300, must_contain=SELFTEST)
    for board in ("qemu-virt-arm64", "pc-x86_64")
] + [
    # The broken variant: watchpoints nobody looks up find nothing.
    Case("races:qemu-virt-arm64:busted-detector-fails", "qemu-virt-arm64", 2,
         "run=selftest test=races races_busted=1", expect="fail", build="kernel",
         make_vars=RACES, timeout=300,
         must_contain=[r"^not ok \d+ races\.plain_write_race_reported_with_both_sites$",
                       r"^not ok \d+ races\.weak_message_passing_without_barriers_reported$",
                       r"^not ok \d+ races\.store_not_followed_by_a_full_barrier_reported$",
                       r"^not ok \d+ races\.held_exclusive_writer_met_by_a_marked_write$"],
         must_not_contain=[r"^RACE .* other_site=races_test_"]),
    # The atomicity bugs, reported by both sites (and their runs still
    # show the bug by their own checks: errors > 0).
    Case("races:qemu-virt-arm64:uprobe-rcu-racy-reported", "qemu-virt-arm64", 2,
         "run=uprobe mode=rcu-racy ms=1000", build="kernel", make_vars=RACES, timeout=120,
         must_contain=[race_line("put_uprobe", "assert-writer", ("get_uprobe_racy", "put_uprobe"),
                                 "marked-write"),
                       r"^RESULT workload=uprobe mode=rcu-racy .* errors=[1-9].* races=[1-9]",
                       r"^SUMMARY passed=1 failed=0"]),
    Case("races:qemu-virt-arm64:nsproxy-tagged-ptr-reported", "qemu-virt-arm64", 2,
         "run=nsproxy mode=tagged-ptr ms=1000", build="kernel", make_vars=RACES, timeout=120,
         must_contain=[race_line("switch_task_namespaces", "assert-writer",
                                 ("task_get_ns", "task_get_ns_tagged"), "marked-write"),
                       r"^RESULT workload=nsproxy mode=tagged-ptr .* errors=[1-9].* races=[1-9]",
                       r"^SUMMARY passed=1 failed=0"]),
    # uprobe's lifetime test (x86: the breakpoint is handled with
    # interrupts on, so an unregistration gets between lookup and
    # reference): clean, with its count's held assertion checked. With a
    # plain increment for refcount_inc_not_zero() (make mutants) the
    # assertion reports it at once, where the mode's own checks rarely do.
    Case("races:pc-x86_64:uprobe-rcu-churn-clean", "pc-x86_64", 2,
         "run=uprobe mode=rcu-churn ms=1000", build="kernel", make_vars=RACES, timeout=120,
         must_contain=[r"^RESULT workload=uprobe mode=rcu-churn .* errors=0 .* races=0$",
                       r"^SUMMARY passed=1 failed=0"], check=asserted_check),
    # The barriers at grace-period start and in call_rcu(), normal and
    # expedited: every ASSERT_STORE_ORDERED holds (make mutants: without
    # one of the barriers, this fails at once).
    Case("races:qemu-virt-arm64:rcutorture-orderings", "qemu-virt-arm64", 2,
         "run=rcutorture type=rcu,rcu-expedited ms=300", build="kernel", make_vars=RACES,
         timeout=120, must_contain=[r"^SUMMARY passed=2 failed=0"], check=ordering_check),
    # hotplug=busted loses the dead CPUs' callbacks: a leak, not a race
    # (nobody touches them again). The race build fails it by its counts
    # and reports no race.
    Case("races:qemu-virt-arm64:busted-hotplug-fails-by-counts-not-races", "qemu-virt-arm64", 4,
         "run=rcutorture type=rcu ms=500 hotplug=busted", expect="fail", build="kernel",
         make_vars=RACES, timeout=120,
         must_contain=[r"^rcutorture: rcu: (\d+) callbacks queued, (?!\1\b)\d+ invoked$",
                       r"^TORTURE type=rcu .* result=FAILURE hotplug=[1-9]\d* races=0$"],
         must_not_contain=[r"^RACE "]),
    Case("races:qemu-virt-arm64:rcutorture+all-clean", "qemu-virt-arm64", 2,
         "run=rcutorture,all mode=clean ms=500 races_sample=100 races_weak=1", build="kernel",
         make_vars=RACES, timeout=240,
         must_contain=[r"^SUMMARY passed=\d+ failed=0"], check=clean_check),
]
