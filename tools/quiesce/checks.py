"""Checks several case files share, over console.py's reading of a run."""
from quiesce import console


def torture_lines(out, types, cpus, problems, required=console.TORTURE_KEYS):
    """The TORTURE line of each of types (the last one of a type, with the
    keys required). A missing line or a wrong CPU count goes to problems;
    returns {type: Line} of the lines found, in types' order."""
    seen = {t["type"]: t for t in console.tortures(out)}
    found = {}
    for t in types:
        line = seen.get(t)
        if not line:
            problems.append("no TORTURE line for type=%s" % t)
            continue
        missing = [k for k in required if k not in line]
        if missing:
            problems.append("type=%s: its TORTURE line lacks %s: %s"
                            % (t, ", ".join(missing), line.text))
            continue
        if line.int("cpus") != cpus:
            problems.append("type=%s ran on %s CPUs, expected %d" % (t, line["cpus"], cpus))
        found[t] = line
    return found


def ktest_check(min_passed=0):
    """The KTEST runner's KTAP: at least one document, each complete (its
    plan's count of results, numbered in order), no 'not ok', and at least
    min_passed cases passed (skips not counted)."""
    def check(out):
        docs = console.ktap(out)
        if not docs:
            return ["no KTAP output ('KTAP version 1') from the self-tests"]
        problems = [p for d in docs for p in d.problems]
        results = [r for d in docs for r in d.results]
        problems += ["not ok: %s" % r.name for r in results if not r.ok]
        passed = sum(1 for r in results if r.ok and not r.skipped)
        if passed < min_passed:
            problems.append("%d self-tests passed, expected at least %d" % (passed, min_passed))
        return problems
    return check


def mode_results(out, workloads=None, cpus=None, broken_too=True, match_cpus=False,
                 required=console.RESULT_KEYS):
    """[(MODE line, its RESULT line or None)] for every mode run=modes
    listed in the same boot: of workloads (None: all), runnable on cpus
    (min_cpus; None: all), the modes that reproduce a bug only with
    broken_too. A mode's RESULT line is its last one (with cpus=cpus when
    match_cpus)."""
    res = {}
    for r in console.results(out, required):
        if not match_cpus or r.int("cpus") == cpus:
            res[(r["workload"], r["mode"])] = r
    return [(m, res.get((m["workload"], m["mode"]))) for m in console.modes(out)
            if (workloads is None or m["workload"] in workloads)
            and (cpus is None or m.int("min_cpus") <= cpus)
            and (broken_too or m["broken"] == "0")]


def errors_problems(pairs, cpus=None):
    """Every listed mode printed a RESULT line; a clean mode errors=0, a
    mode that reproduces a bug errors > 0 (the proof its check can fail)."""
    problems = []
    if not pairs:
        return ["run=modes listed no mode (is run=modes in the command line?)"]
    for m, r in pairs:
        what = "%s mode=%s" % (m["workload"], m["mode"])
        if r is None:
            problems.append("no RESULT line for %s%s" % (what, "" if cpus is None else
                                                            " cpus=%d" % cpus))
        elif m["broken"] == "0" and r.int("errors"):
            problems.append("%s: errors=%s, expected 0" % (what, r["errors"]))
        elif m["broken"] == "1" and not r.int("errors"):
            problems.append("%s reproduces a bug but reported errors=0" % what)
    return problems
