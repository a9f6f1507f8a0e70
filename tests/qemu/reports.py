"""The suite's reports (tools/testsuite.py), on the KTAP of a real boot:
the self-tests' KTAP reads as one complete document, and the same output
cut short or renumbered is caught (the broken variants); the JUnit XML
carries every result, failures with their reason; --rerun-failed's
selection takes exactly the recorded failures."""
import os
import tempfile
import xml.etree.ElementTree as ET

from quiesce import console
from quiesce.case import Case
from quiesce.checks import ktest_check
from quiesce import make


def load_testsuite():
    return make.load_file("tools/testsuite.py", "quiesce_testsuite_reports")


def check(out):
    problems = ktest_check(min_passed=2)(out)
    docs = console.ktap(out)
    if len(docs) != 1 or len(docs[0].results) < 2:
        return problems + ["expected one KTAP document of at least 2 results, got %d" % len(docs)]
    last = docs[0].results[-1]
    # Broken variants: the last result lost (a run cut short inside its
    # case), and a result numbered twice.
    text = "\n".join(l for l in out.splitlines() if not l.startswith("ok %d " % last.number))
    cut = console.ktap(text)[0]
    if not cut.problems or cut.running != last.name:
        problems.append("KTAP cut before its last result not caught (problems %s, running %s)"
                        % (cut.problems, cut.running))
    twice = console.ktap(out.replace("ok %d " % last.number, "ok %d " % (last.number - 1)))[0]
    if not twice.problems:
        problems.append("a KTAP result numbered out of order was not caught")

    ts = load_testsuite()
    # A Result filled in as report() would, without its progress lines.
    res = ts.Result()
    res.tests = [("a:pass", True, "1.0 s", 1.0), ("a:fail", False, "expected /x/ in the output\nmore", 2.0),
                 ("b:retried", True, "", None)]
    res.passed, res.failed = 2, ["a:fail"]
    res.retried = [("b:retried", "QEMU killed by signal 9 from the host")]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.xml")
        ts.write_junit(path, res, 3.0)
        suite = ET.parse(path).getroot().find("testsuite")
    cases = {tc.get("name"): tc for tc in suite.iter("testcase")}
    if suite.get("tests") != "3" or suite.get("failures") != "1" or len(cases) != 3:
        problems.append("JUnit: tests=%s failures=%s for 3 tests, 1 failed"
                        % (suite.get("tests"), suite.get("failures")))
    fail = cases.get("a:fail")
    if fail is None or fail.find("failure") is None or \
            fail.find("failure").get("message") != "expected /x/ in the output":
        problems.append("JUnit: a:fail has no failure with its reason")
    if cases.get("a:pass") is not None and cases["a:pass"].find("failure") is not None:
        problems.append("JUnit: a passed test has a failure")
    if not any(p.get("name") == "retried" for p in suite.iter("property")):
        problems.append("JUnit: the retried case has no 'retried' property")

    sel = ts.Selection("", {"a:fail", "build:qemu-virt-arm"})
    case = Case("x:y", "qemu-virt-arm", 1, "")
    if not sel("a:fail") or sel("a:pass") or not sel.case(case) or \
            sel.case(Case("x:z", "qemu-virt-arm64", 1, "")):
        problems.append("--rerun-failed selects other tests than the recorded failures")
    return problems


CASES = [Case("suite:reports-ktap-junit-rerun", "qemu-virt-arm64", 2,
              "run=selftest test=kstrto", check=check, timeout=60)]
