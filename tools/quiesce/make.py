"""What the Makefile knows, asked of make: the boards (boards/*.mk), each
board's facts (arch, QEMU binary, exit method, CPU limits), a run's QEMU
command, the kernel keys every run of a board needs, and how many CPUs a
run must bring online. Nothing here is written down a second time."""
import functools
import importlib.util
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_file(relpath, name):
    """A fresh module object of the repository's file relpath (a tool
    that is a script, not a package), under the module name name: each
    call gets its own copy, so a test may replace its functions."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relpath))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make(*args):
    """(status, output) of make in the source tree."""
    cmd = ["make", "--no-print-directory", "-C", ROOT] + list(args)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def ask(what, *args):
    """make -s print-<what> args...: its output, or RuntimeError with the
    Makefile's own line (a run option the board refuses, say)."""
    rc, out = make("-s", "print-" + what, *args)
    if rc:
        raise RuntimeError("cannot get %s from make: %s" % (what, out))
    return out.strip()


@functools.lru_cache(maxsize=None)
def boards():
    """Every board, as the Makefile lists them (make print-boards)."""
    return tuple(sorted(ask("boards").split()))


@functools.lru_cache(maxsize=None)
def facts(board):
    """A board's facts from its boards/<board>.mk (make print-board):
    board, arch, qemu, exit (semihost | isa-debug), max_cpus, fixed_cpus
    (the machine's own CPU count, '' where CPUS= sets it)."""
    out = ask("board", "BOARD=" + board)
    return dict(pair.partition("=")[::2] for pair in out.split())


def board_exit(board):
    return facts(board)["exit"]


def one_per_arch():
    """One board per architecture: the QEMU machine whose CPU count CPUS=
    sets (the Raspberry Pis have a fixed count)."""
    pick = {}
    for b in boards():
        f = facts(b)
        if not f.get("fixed_cpus"):
            pick.setdefault(f["arch"], b)
    return [pick[a] for a in sorted(pick)]


def _run_vars(board, cpus, make_vars):
    return ["BOARD=%s" % board, "CPUS=%d" % cpus] + \
        ["%s=%s" % kv for kv in sorted((make_vars or {}).items())]


def qemu_command(board, cpus, make_vars=None):
    """The QEMU command of a run, without its command line (print-qemu)."""
    return ask("qemu", *_run_vars(board, cpus, make_vars)).split()


@functools.lru_cache(maxsize=None)
def qemu_keys(board, cpus):
    """Kernel keys every QEMU run of the board needs (print-qemu-keys)."""
    return ask("qemu-keys", "BOARD=%s" % board, "CPUS=%d" % cpus)


@functools.lru_cache(maxsize=None)
def run_cpus(board, cpus):
    """How many CPUs a run must bring online: CPUS=, or the machine's
    fixed count (print-run-cpus)."""
    return int(ask("run-cpus", "BOARD=%s" % board, "CPUS=%d" % cpus))


def append(board, cpus, cmdline):
    """QEMU's -append for a kernel command line, with the board's keys."""
    return ["-append", " ".join(filter(None, [qemu_keys(board, cpus), cmdline]))]
