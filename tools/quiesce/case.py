"""The shape of a QEMU test case; every tests/qemu/*.py lists its CASES."""
from quiesce import make


class Case:
    """One boot of one board: what to run and what must come out.

    expect="pass": the run must pass (SUMMARY failed=0, status 0).
    expect="fail": the run must fail loudly: a SUMMARY line, a non-zero
    status, no timeout. expect="refused": the kernel's run passes but the
    host's verdict must refuse it (fewer CPUs online than the run asked
    for); the verdict's reason is the output's last line, "verdict: ...".
    must_contain / must_not_contain are regexes (multiline) over the
    console output; check(out) may return a list of further problems.
    cmdline=None passes no -append (the command line is inside the
    image); build names a make target (with make_vars) the suite builds
    before running the case, e.g. "image". The board's exit method comes
    from its board file (make print-board).
    """

    def __init__(self, name, board, cpus, cmdline, expect="pass", must_contain=(),
                 must_not_contain=(), make_vars=None, qemu_extra=(), timeout=240,
                 check=None, build=None):
        self.name = name
        self.board = board
        self.cpus = cpus
        self.cmdline = cmdline
        self.expect = expect
        self.must_contain = list(must_contain)
        self.must_not_contain = list(must_not_contain)
        self.make_vars = dict(make_vars or {})
        self.qemu_extra = list(qemu_extra)
        self.timeout = timeout
        self.check = check
        self.build = build

    @property
    def board_exit(self):
        return make.board_exit(self.board)
