"""The QEMU test cases: every tests/qemu/*.py, loaded as a module of the
package qemu_cases (so that a case file imports another relatively),
with its CASES and BUILDS."""
import functools
import glob
import importlib
import importlib.util
import os
import sys

from quiesce.make import ROOT

CASE_DIR = os.path.join(ROOT, "tests", "qemu")
PACKAGE = "qemu_cases"


def _package():
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            PACKAGE, os.path.join(CASE_DIR, "__init__.py"), submodule_search_locations=[CASE_DIR])
        pkg = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = pkg
        spec.loader.exec_module(pkg)
    return sys.modules[PACKAGE]


def module(name):
    """tests/qemu/<name>.py, loaded once."""
    _package()
    return importlib.import_module("%s.%s" % (PACKAGE, name))


@functools.lru_cache(maxsize=None)
def _load():
    """(the case modules, {file: why it could not be loaded})."""
    mods, errors = [], {}
    for path in sorted(glob.glob(os.path.join(CASE_DIR, "*.py"))):
        name = os.path.basename(path)[:-3]
        if name == "__init__":
            continue
        try:
            mods.append(module(name))
        except Exception as e:  # one broken file fails as a test, not the suite
            errors["tests/qemu/%s.py" % name] = "%s: %s" % (type(e).__name__, e)
    return tuple(mods), errors


def modules():
    return _load()[0]


def load_errors():
    """{tests/qemu/<file>.py: why} of the case files that failed to load
    (an import another file's change broke, say): the suite fails each."""
    return dict(_load()[1])


def load_cases():
    return [c for mod in modules() for c in getattr(mod, "CASES", [])]


def load_builds():
    """Builds a tests/qemu/*.py lists in BUILDS, as (board, target, make
    vars): each is made and reported as a test, whether or not a case
    boots it (a build that only has to compile)."""
    return [b for mod in modules() for b in getattr(mod, "BUILDS", [])]
