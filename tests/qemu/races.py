"""The race build (BUILD=races, the data-race detector of kernel/races.c):
it compiles on arm64, x86_64 and armv7, and its self-test passes on arm64
and x86_64: the deliberate race (a plain write racing a plain read) is
reported naming both functions, its marked twin (WRITE_ONCE/READ_ONCE, an
atomic) and its twin in data_race() are not; message passing without
release/acquire is reported under the weak-memory model, with them it is
not. A detector that never looks its watchpoints up (races_busted=1)
fails both reporting tests and names no other site (a changed value can
still show, with an unknown origin). rcutorture plus every clean workload
mode run with races=0 on every line, having watched accesses (a detector
that watched nothing would pass that too, so the count must be above
zero)."""
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
    return problems


SELFTEST = [r"^ok \d+ races\.plain_write_race_reported_with_both_sites$",
            r"^ok \d+ races\.marked_accesses_are_not_races$", DELIBERATE,
            r"^ok \d+ races\.weak_message_passing_without_barriers_reported$",
            r"^ok \d+ races\.weak_message_passing_with_release_acquire_is_not_a_race$",
            r"^RACE addr=\S+ object=mp_data\+0x0 .*site=races_test_mp_(writer|reader)\+.*"
            r"other_site=races_test_mp_(writer|reader)\+",
            r"^ok \d+ races\.data_race_annotated_is_not_reported$",
            r"^SUMMARY passed=5 failed=0"]

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
                       r"^not ok \d+ races\.weak_message_passing_without_barriers_reported$"],
         must_not_contain=[r"^RACE .* other_site=races_test_"]),
    Case("races:qemu-virt-arm64:rcutorture+all-clean", "qemu-virt-arm64", 2,
         "run=rcutorture,all mode=clean ms=500 races_sample=100 races_weak=1", build="kernel",
         make_vars=RACES, timeout=240,
         must_contain=[r"^SUMMARY passed=\d+ failed=0"], check=clean_check),
]
