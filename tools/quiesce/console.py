"""The one reader of the kernel's console (docs/console.md): the tagged
key=value lines (RESULT, TORTURE, MODE, C2C, SOAK, SUMMARY), the smp
line, KTAP documents (the KTEST runner's output, in the kernel and on the
host), and the lines that show the kernel misbehaving.

Every consumer (tools/testsuite.py, tests/qemu/*.py, tools/bench.py,
tools/soak.py, tools/run.py) reads the console through this module; none
keeps a regex of these lines of its own.
"""
import re

# The keys every RESULT line has, in the order result_print() (include/
# harness.h) prints them; a workload's lines add the latencies before
# errors (workloads/harness.c).
RESULT_KEYS = ("workload", "mode", "cpus", "ms", "ops", "ops_per_sec", "atomics_per_op",
               "hitm_per_op", "inval_per_op", "upd_hitm_per_op", "upd_inval_per_op", "errors")
WORKLOAD_RESULT_KEYS = RESULT_KEYS[:-1] + ("p50_ns", "p99_ns", "errors")
TORTURE_KEYS = ("type", "cpus", "ms", "errors", "result")
RCU_TORTURE_KEYS = ("type", "cpus", "ms", "gps", "pipe", "errors", "result")
LOCK_TORTURE_KEYS = ("type", "cpus", "ms", "acquisitions", "max", "min", "errors", "result")
MODE_KEYS = ("workload", "mode", "kind", "broken", "min_cpus", "seed")
C2C_KEYS = ("workload", "mode", "rank", "addr", "sym", "object", "hitm", "inval", "per_op",
            "cpus", "funcs")
SOAK_KEYS = ("rounds", "seconds")
SUMMARY_KEYS = ("passed", "failed")

COUNT = r"\d+"
PER_OP = r"\d+\.\d\d|-"
# What a value of a key must look like, wherever the key appears: a line
# that breaks it is refused (BadLine), as a line that lacks a key is.
FORMATS = {
    "cpus": COUNT, "ms": COUNT, "ops": COUNT, "ops_per_sec": COUNT, "errors": COUNT,
    "atomics_per_op": PER_OP, "hitm_per_op": PER_OP, "inval_per_op": PER_OP,
    "upd_hitm_per_op": PER_OP, "upd_inval_per_op": PER_OP,
    "gps": COUNT, "pipe": r"(?:\d+,){10}\d+", "result": r"SUCCESS|FAILURE",
    "acquisitions": COUNT, "max": COUNT, "min": COUNT,
    "broken": r"[01]", "min_cpus": COUNT,
    "rank": COUNT, "addr": r"0x[0-9a-f]+", "hitm": COUNT, "inval": COUNT,
    "per_op": r"\d+\.\d\d",
    "rounds": COUNT, "seconds": COUNT, "passed": COUNT, "failed": COUNT,
    "hotplug": COUNT, "failslab": COUNT, "updates": COUNT, "races": r"\d+|-",
}


class BadLine(ValueError):
    """A machine-readable line that lacks a key or has a malformed pair."""


class Line(dict):
    """One tagged line: its key=value pairs (strings), its tag and text."""

    def __init__(self, tag, text, pairs):
        super().__init__(pairs)
        self.tag = tag
        self.text = text

    def int(self, key, default=None):
        """The value of key as a number; default if the line lacks it."""
        return int(self[key]) if key in self else default


def lines(out, tag, required=()):
    """Every '<tag> k=v ...' line of out as a Line, in order. BadLine if a
    line has a pair that is not key=value, lacks a key of required, or
    has a value that breaks FORMATS."""
    found = []
    for m in re.finditer(r"^%s (.*)$" % re.escape(tag), out, re.M):
        pairs = []
        for pair in m.group(1).split():
            k, sep, v = pair.partition("=")
            if not sep or not k:
                raise BadLine("%s line has a malformed pair %r: %s" % (tag, pair, m.group(0)))
            if k in FORMATS and not re.fullmatch(FORMATS[k], v):
                raise BadLine("%s line has %s=%s, expected /%s/: %s"
                              % (tag, k, v, FORMATS[k], m.group(0)))
            pairs.append((k, v))
        line = Line(tag, m.group(0), pairs)
        missing = [k for k in required if k not in line]
        if missing:
            raise BadLine("%s line lacks %s: %s" % (tag, ", ".join(missing), m.group(0)))
        found.append(line)
    return found


def results(out, required=RESULT_KEYS):
    return lines(out, "RESULT", required)


def tortures(out, required=TORTURE_KEYS):
    return lines(out, "TORTURE", required)


def modes(out):
    """run=modes' MODE lines."""
    return lines(out, "MODE", MODE_KEYS)


def summary(out):
    """The last SUMMARY line (a run prints one; a panic after it another),
    or None."""
    found = lines(out, "SUMMARY", SUMMARY_KEYS)
    return found[-1] if found else None


SMP_RE = re.compile(r"^smp: (\d+) of (\d+) CPUs online", re.M)
# The kernel's own line for each CPU that did not come up.
CPU_DOWN_RE = re.compile(r"^smp: CPU \d+ .*(?:failed to start|did not come online).*$", re.M)


def smp(out):
    """(online, listed) from the boot's 'smp: N of M CPUs online', or None."""
    m = SMP_RE.search(out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def cpu_down(out):
    """The first line naming a CPU that did not come up, or None."""
    m = CPU_DOWN_RE.search(out)
    return m.group(0) if m else None


# ---- KTAP (Documentation/dev-tools/ktap.rst) ---------------------------------
# kernel/ktest.c prints one document per run of the KTEST runner:
#   KTAP version 1
#   1..N
#   # run <suite.case>            (before each case: names a crash inside it)
#   # <file>:<line>: <message>    (a failed expectation of the next result)
#   ok <n> <suite.case> [# SKIP <reason>] | not ok <n> <suite.case>
#   # ktest: P passed, F failed, S skipped
# Other console lines may come between them.

KTAP_VERSION_RE = re.compile(r"^KTAP version (\d+)$")
KTAP_PLAN_RE = re.compile(r"^1\.\.(\d+)$")
KTAP_RESULT_RE = re.compile(r"^(ok|not ok) (\d+)(?: ([^#]*?))?(?: # (\w+)(?: (.*))?)?$")
KTAP_RUN_RE = re.compile(r"^# run (\S+)$")


class KtapResult:
    def __init__(self, number, ok, name, directive, reason, diagnostics):
        self.number = number
        self.ok = ok
        self.name = name
        self.directive = (directive or "").upper()
        self.reason = reason or ""
        self.diagnostics = diagnostics	# the '# ' lines since the previous result

    @property
    def skipped(self):
        return self.ok and self.directive == "SKIP"


class Ktap:
    """One KTAP document: its plan, its results, the case that was running
    when the output ended without its result (None if none), and what is
    wrong with its form (problems: empty when it is complete)."""

    def __init__(self, version):
        self.version = version
        self.plan = None
        self.results = []
        self.running = None
        self.problems = []

    def named(self, name):
        return [r for r in self.results if r.name == name]


def ktap(out):
    """Every KTAP document of out, in order."""
    docs, doc, diags = [], None, []
    for text in out.splitlines():
        m = KTAP_VERSION_RE.match(text)
        if m:
            doc = Ktap(int(m.group(1)))
            docs.append(doc)
            diags = []
            continue
        if doc is None:
            continue
        m = KTAP_PLAN_RE.match(text)
        if m and doc.plan is None and not doc.results:
            doc.plan = int(m.group(1))
            continue
        m = KTAP_RUN_RE.match(text)
        if m:
            doc.running = m.group(1)
            diags.append(text)
            continue
        if text.startswith("# "):
            diags.append(text)
            continue
        m = KTAP_RESULT_RE.match(text)
        if m:
            r = KtapResult(int(m.group(2)), m.group(1) == "ok", (m.group(3) or "").strip(),
                           m.group(4), m.group(5), diags)
            if r.number != len(doc.results) + 1:
                doc.problems.append("result %d where %d was due: %s"
                                    % (r.number, len(doc.results) + 1, text))
            doc.results.append(r)
            doc.running = None
            diags = []
    for doc in docs:
        if doc.version != 1:
            doc.problems.append("KTAP version %d, expected 1" % doc.version)
        if doc.plan is None:
            doc.problems.append("no plan line (1..N) after 'KTAP version'")
        elif doc.plan != len(doc.results):
            doc.problems.append("plan 1..%d but %d results%s" % (
                doc.plan, len(doc.results),
                " (it ended inside %s)" % doc.running if doc.running else ""))
    return docs


# ---- correctness signals -----------------------------------------------------

# What a log shows of the kernel being wrong, whatever a rerun would show:
# a panic, a poisoned (freed) object met, a run that counted errors, a
# sanitizer or lockdep report (selftests provoke some lockdep reports on
# purpose and mark them "(expected)"), a torture FAILURE, an RCU stall, a
# failed self-test.
SIGNAL_RE = re.compile(r"^(?:.*Kernel panic.*|.*written after free.*|.*errors=[1-9].*|RACE .*|\S+/\S+: FAIL: .*|"
                       r"UBSAN: .*|.*ThreadSanitizer.*|.*AddressSanitizer.*|"
                       r".*runtime error: .*|lockdep: (?!.*\(expected\)).*|"
                       r".*result=FAILURE.*|rcu: INFO: .*stall.*|not ok \d+ .*)$", re.M)


def correctness_signals(out):
    """The lines of out that show the kernel misbehaving (SIGNAL_RE)."""
    return [m.group(0) for m in SIGNAL_RE.finditer(out)]


# The lines of a failed run's log that say why, most telling first: a
# failed self-test, a panic, a failed torture run or workload mode
# ("<workload>/<mode>: FAIL: <why>"); then a RESULT line that counted
# errors (a mode that reproduces a bug counts them and passes, so only
# when nothing above says more); warnings (selftests provoke some on
# purpose) only when there is nothing else.
CAUSES = [re.compile(r"^(?:not ok \d+ \S+|Kernel panic.*|TORTURE .*result=FAILURE.*|\S+/\S+: FAIL: .*|"
                     r"RACE .*|rcu: .*stall.*|lockdep: (?!.*\(expected\)).*|\w+: .*: the run fails)$", re.M),
          re.compile(r"^RESULT .*errors=[1-9].*$", re.M),
          re.compile(r"^WARNING:.*$", re.M)]


def cause(out):
    """' [line | line | line]': why a failed run failed, or ''."""
    for pat in CAUSES:
        found = pat.findall(out)
        if found:
            return " [" + " | ".join(found[:3]) + "]"
    return ""
