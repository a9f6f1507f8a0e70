#!/usr/bin/env python3
"""make mutants: apply each planted bug of tests/mutants/list.py in a
scratch worktree (git worktree add under build/), run the test selection
that must catch it (tools/testsuite.py with the mutant's arguments), and
print a kill table and the kill rate. A mutant is killed when the
selection fails; every selection is first run once on the unmutated tree
and must pass there (else the kill would prove nothing). Not part of make
test.

Usage: mutants.py [-k SUBSTRING] (only the mutants whose name contains it)
"""
import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from quiesce import make

ROOT = make.ROOT
SCRATCH = os.path.join(ROOT, "build", "mutants")


def load_list():
    return make.load_file("tests/mutants/list.py", "quiesce_mutants").MUTANTS


def git(*args, cwd=ROOT, check=True):
    return subprocess.run(["git"] + list(args), cwd=cwd, check=check, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout


def make_worktree():
    """A detached worktree of HEAD at build/mutants/tree, reused and reset."""
    tree = os.path.join(SCRATCH, "tree")
    head = git("rev-parse", "HEAD").strip()
    if os.path.isdir(tree):
        git("checkout", "-q", "--detach", head, cwd=tree)
        git("checkout", "-q", "--", ".", cwd=tree)
    else:
        os.makedirs(SCRATCH, exist_ok=True)
        git("worktree", "prune")
        git("worktree", "add", "-q", "--detach", tree, head)
    return tree, head


def run_selection(tree, args, log):
    """Run tools/testsuite.py args in tree; its verdicts are read from the
    JUnit XML it writes (--junit-xml), not from its progress lines."""
    t0 = time.monotonic()
    xml = log[:-len(".log")] + ".xml"
    if os.path.exists(xml):
        os.remove(xml)
    p = subprocess.run([sys.executable, "tools/testsuite.py", "--junit-xml", xml] + args,
                       cwd=tree, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(log, "w") as f:
        f.write(p.stdout)
    lines = p.stdout.strip().splitlines()
    fails, retried, ran = [], [], []
    try:
        tests = ET.parse(xml).getroot().iter("testcase")
    except (OSError, ET.ParseError):
        tests = []
    for tc in tests:
        name = tc.get("name")
        failure = tc.find("failure")
        if failure is not None:
            fails.append("FAIL %s: %s" % (name, failure.get("message", "")))
        if any(pr.get("name") == "retried" for pr in tc.iter("property")):
            retried.append(name)
        if not name.startswith("build:"):
            ran.append(name)
    return p.returncode, (lines[-1] if lines else "no output"), fails, retried, ran, \
        time.monotonic() - t0


def check(mutants):
    """Without running anything: each planted bug's text occurs exactly
    once in its file, and its selection (-k) matches a case of the suite.
    A list that no longer fits the tree fails here (make host-tests runs
    it), not silently in make mutants."""
    p = subprocess.run([sys.executable, "tools/testsuite.py", "--list"], cwd=ROOT, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        print("mutants: testsuite.py --list failed:\n" + p.stdout)
        return 1
    cases = p.stdout.split()
    bad = []
    for name, _cls, path, old, _new, args in mutants:
        with open(os.path.join(ROOT, path)) as f:
            n = f.read().count(old)
        if n != 1:
            bad.append("%s: the text to replace occurs %d times in %s" % (name, n, path))
        sel = args[args.index("-k") + 1] if "-k" in args else ""
        if not any(sel in c for c in cases):
            bad.append("%s: its selection -k %s matches no case" % (name, sel))
    for b in bad:
        print("mutants: " + b)
    print("mutants: %d planted bugs, %d do not fit the tree" % (len(mutants), len(bad)))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", dest="filter", default="")
    ap.add_argument("--check", action="store_true",
                    help="only check that every planted bug applies and its selection exists")
    a = ap.parse_args()
    mutants = [m for m in load_list() if a.filter in m[0]]
    if not mutants:
        print("mutants: no mutant matches '%s'" % a.filter)
        return 1
    if a.check:
        return check(mutants)
    tree, head = make_worktree()
    print("mutants: %d planted bugs, scratch worktree %s at %s" %
          (len(mutants), os.path.relpath(tree, ROOT), head[:12]), flush=True)
    # The unmutated tree must pass every selection used.
    baseline = {}
    for args in sorted({tuple(m[5]) for m in mutants}):
        log = os.path.join(SCRATCH, "baseline-%d.log" % len(baseline))
        rc, last, fails, retried, ran, secs = run_selection(tree, list(args), log)
        baseline[args] = rc == 0 and not retried and bool(ran)
        if not ran:
            last = "ran no test"
        print("baseline %-55s %s (%.0f s)" % (" ".join(args), "pass" if baseline[args] else
              "FAILS: " + last, secs), flush=True)
    rows = []
    for name, cls, path, old, new, args in mutants:
        git("checkout", "-q", "--", ".", cwd=tree)
        target = os.path.join(tree, path)
        with open(target) as f:
            text = f.read()
        if text.count(old) != 1:
            rows.append((name, cls, " ".join(args), "BAD", "the text to replace occurs %d times in %s"
                         % (text.count(old), path), 0.0))
            continue
        with open(target, "w") as f:
            f.write(text.replace(old, new))
        log = os.path.join(SCRATCH, "%s.log" % name)
        rc, last, fails, retried, ran, secs = run_selection(tree, list(args), log)
        if not baseline[tuple(args)]:
            verdict = "NO-BASELINE"
        elif retried:
            verdict = "RETRIED"
        elif fails and all(f.startswith("FAIL build:") or f.startswith("FAIL host:build")
                           for f in fails):
            verdict = "BUILD-FAILED"	# a mutant that does not build proves nothing
        else:
            verdict = "killed" if rc else "SURVIVED"
        why = fails[0][5:] if fails else last
        rows.append((name, cls, " ".join(args), verdict, why, secs))
        print("%-30s %-9s %-8s %.0f s" % (name, cls, verdict, secs), flush=True)
    git("checkout", "-q", "--", ".", cwd=tree)

    print("\n| mutant | class | selection | result | caught by |")
    print("|---|---|---|---|---|")
    for name, cls, sel, verdict, why, secs in rows:
        print("| %s | %s | `%s` | %s | %s |" % (name, cls, sel, verdict, why[:110].replace("|", "/")))
    killed = sum(1 for r in rows if r[3] == "killed")
    print("\nmutants: %d of %d killed (%.0f%%)" % (killed, len(rows), 100.0 * killed / len(rows)))
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
