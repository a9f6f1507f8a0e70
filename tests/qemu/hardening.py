"""Hardening: the stack protector on every board, the UBSan debug kernel
(make UBSAN=1), and the busted kernel (make BUSTED=1) on which the
hardening checks must fail.

W^X and the stack guard pages are checked on every board by the
write-text and stack-overflow crash cases of boot.py (qemu-virt-arm64,
pc-x86_64) and boards_arm.py (qemu-virt-arm, rpi3-arm64, rpi2-arm); the
busted cases below run the same crashes on a kernel whose text is
writable and whose stacks have no guard page, and show that the same
patterns are then missing."""
import os
import re

from quiesce import make
from quiesce.case import Case
from quiesce.checks import ktest_check
from . import boot  # the crash patterns the busted kernel must miss

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARM64, X86 = "qemu-virt-arm64", "pc-x86_64"

# Where each board's canary comes from: qemu-virt-arm64 runs as "-cpu max"
# here, whose RNDR the kernel must find; QEMU's x86 "max" has RDRAND
# (RDSEED on newer QEMUs); the other boards (armv7, the Pi 3's fixed
# Cortex-A53) have no such instruction: the counter alone. Every board
# mixes in the DTB or the boot loader's information.
RNG_INSN = {ARM64: "RNDR, ", X86: "RD(SEED|RAND), "}
CANARY_FROM = {board: RNG_INSN.get(board, "") + "the counter" for board in make.boards()}
CPU_MAX = {ARM64: ["-cpu", "max"]}

SMASH_PANIC = (r"^Kernel panic on CPU 0: stack-protector: kernel stack is corrupted in: "
               r"copy_name(\.\w+)*\+0x[0-9a-f]+$")

CASES = []

# One boot per board: the canary's sources (the selftest case), then a
# buffer overrun in a protected function, which must panic naming it.
for board, source in CANARY_FROM.items():
    CASES.append(Case(
        "hardening:%s:stack-protector" % board, board, 1,
        "run=selftest,crash test=stackprotector crash=stack-smash", expect="fail",
        qemu_extra=CPU_MAX.get(board, []),
        must_contain=[r"^stackprotector: canary from %s and the boot information$" % source,
                      r"^ok \d+ stackprotector\.canary_is_drawn_at_boot$",
                      SMASH_PANIC,
                      r"Call trace:\n(.*\n)*?  \[<[0-9a-f]+>\] copy_name(\.\w+)*\+"],
        timeout=60))


def overflow_line():
    """The line of kernel/crash.c whose signed overflow crash=ubsan commits."""
    with open(os.path.join(ROOT, "kernel/crash.c")) as f:
        lines = f.read().splitlines()
    start = next(i for i, l in enumerate(lines) if re.match(r"static __noinline int overflow_int\(", l))
    return next(i + 1 for i in range(start, len(lines)) if "return v + 1;" in lines[i])


UBSAN = {"UBSAN": "1"}
for board in (ARM64, X86):
    # The whole selftest under the sanitizer: no undefined behaviour anywhere it reaches.
    CASES.append(Case("hardening:%s:ubsan:selftest" % board, board, 2, "run=selftest",
                      make_vars=UBSAN, build="kernel", check=ktest_check(),
                      must_not_contain=[r"^UBSAN: .*"], timeout=300))
    # A real signed overflow: the report names the check, the operands,
    # file:line:column, and the run fails with a backtrace.
    CASES.append(Case("hardening:%s:ubsan:signed-overflow-fails-the-run" % board, board, 1,
                      "run=crash crash=ubsan", expect="fail", make_vars=UBSAN, build="kernel",
                      must_contain=[r"^UBSAN: signed integer overflow: 2147483647 \+ 1 cannot be "
                                    r"represented in type 'int'$",
                                    r"^Kernel panic on CPU 0: UBSAN: signed-integer-overflow in "
                                    r"kernel/crash\.c:%d:\d+$" % overflow_line(),
                                    r"Call trace:\n(.*\n)*?  \[<[0-9a-f]+>\] overflow_int(\.\w+)*\+"],
                      timeout=60))

# Without the sanitizer the same overflow goes unnoticed: the check above
# is what catches it.
CASES.append(Case("hardening:%s:no-ubsan:signed-overflow-unnoticed" % ARM64, ARM64, 1,
                  "run=crash crash=ubsan", expect="fail",
                  must_contain=[r"^crash: INT_MAX \+ 1 = -2147483648$",
                                r"^crash: ubsan did not crash the kernel$"],
                  must_not_contain=[r"^UBSAN: .*"], timeout=60))

# The busted kernel: the same crashes, and the diagnostics the real checks
# demand do not appear. Each run still fails loudly (a different fault, or
# "did not crash").
BUSTED = {"BUSTED": "1"}
for board in (ARM64, X86):
    for kind, extra in (("write-text", [r"^crash: write-text did not crash the kernel$"]),
                        ("stack-overflow", [r"^Kernel panic on CPU 0: Fatal exception"]),
                        ("stack-smash", [])):
        missing = SMASH_PANIC if kind == "stack-smash" else boot.CRASHES[kind][board]
        CASES.append(Case("hardening:%s:busted:%s-goes-undiagnosed" % (board, kind), board, 1,
                          "run=crash crash=%s" % kind, expect="fail", make_vars=BUSTED,
                          build="kernel", must_contain=extra, must_not_contain=[missing],
                          timeout=60))
