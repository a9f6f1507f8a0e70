"""The armv7 and Raspberry Pi boards: qemu-virt-arm (armv7-a on QEMU virt),
rpi3-arm64 (QEMU raspi3b) and rpi2-arm (QEMU raspi2b). Boot + selftest at
each CPU count, HYP entry, every crash kind, the torture commands that
exist, the semihost= key, and make image.

QEMU's raspi machines always have 4 cores, so a Raspberry Pi case with
cpus=N < 4 boots all 4 and runs its command on N: the board file turns
CPUS=N into the kernel key cpus=N (QEMU_KEYS, with semihost=1, which the
test suite adds to every run of the board)."""
import glob
import os

from quiesce import console, make
from quiesce.case import Case
from quiesce.checks import ktest_check
from . import boot

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIRT, RPI3, RPI2 = "qemu-virt-arm", "rpi3-arm64", "rpi2-arm"
# Every board boot.py leaves out (a board added to boards/ needs its
# banner and CPU counts here, or this file fails to load, as a test).
BOARDS = tuple(b for b in make.boards() if b not in boot.BOARDS)
# What the boot banner says about each board's interrupt controller and CPU start.
BANNER = {
    VIRT: r"^armv7: \d+ MiB RAM, GICv2, PSCI via hvc, timer \d+ Hz",
    RPI3: r"^arm64: \d+ MiB RAM, BCM2836 local, CPUs via spin-table, timer \d+ Hz",
    RPI2: r"^armv7: \d+ MiB RAM, BCM2836 local, CPUs via mailbox, timer \d+ Hz",
}
BOOT_CPUS = {VIRT: (1, 2, 3, 4, 8), RPI3: (1, 2, 4), RPI2: (1, 2, 4)}


def online(board, n):
    """QEMU virt has n CPUs; a raspi machine always brings 4 online."""
    return n if board == VIRT else 4


def has_command(name):
    """Whether some source file registers run=name (torture lands over time)."""
    for path in glob.glob(os.path.join(ROOT, "**/*.c"), recursive=True):
        if os.path.relpath(path, ROOT).startswith("build" + os.sep):
            continue
        with open(path, errors="replace") as f:
            if 'COMMAND("%s"' % name in f.read():
                return True
    return False


CASES = []
for board in BOARDS:
    for n in BOOT_CPUS[board]:
        m = online(board, n)
        CASES.append(Case("arm:%s:boot:selftest:cpus=%d" % (board, n), board, n, "run=selftest",
                          must_contain=[BANNER[board], r"^smp: %d of %d CPUs online" % (m, m)],
                          check=ktest_check()))

# Entered in HYP mode, as the Raspberry Pi 2 firmware does: PSCI by SMC then.
CASES.append(Case("arm:%s:boot:selftest:hyp" % VIRT, VIRT, 4, "run=selftest",
                  make_vars={"EL2": "1"},
                  must_contain=[r"^smp: 4 of 4 CPUs online", r"PSCI via smc"]))

# Every crash kind ends the run with a diagnostic, a backtrace and a failure
# status; armv7 prints 32-bit addresses.
A32_ADDR = r"[0-9a-f]{8}"
CRASHES = {
    "data-abort": {
        "a32": r"Unable to handle kernel read at virtual address 00000010 \(translation fault\)",
        "a64": r"Unable to handle kernel read at virtual address 0000000000000010 \(translation fault\)",
    },
    "undefined": r"Internal error on CPU 0: undefined instruction",
    "stack-overflow": r"kernel stack overflow: CPU 0 hit the guard page",
    "write-text": {
        "a32": r"Unable to handle kernel write at virtual address %s \(permission fault\)\n"
               r"(.*\n)*pc: \[<%s>\] crash_run\+" % (A32_ADDR, A32_ADDR),
        "a64": r"Unable to handle kernel write at virtual address .* \(permission fault\)",
    },
    "panic": r"Kernel panic on CPU 0: crash: deliberate panic",
    "bug-on": r"Kernel panic on CPU 0: BUG_ON\(kind != NULL\) at kernel/crash.c",
    "hang": r"watchdog: CPU 1 stuck with interrupts off",
    "lost-tick": r"^watchdog: CPU 1 answers an IPI from here:\n(.*\n)*"
                 r"Kernel panic on CPU 0: watchdog: CPU 1 has not ticked for \d+ ms "
                 r"\(hwid 0x[0-9a-f]+\), but answers IPIs",
}
for board in BOARDS:
    isa = "a64" if board == RPI3 else "a32"
    for kind, pattern in CRASHES.items():
        if isinstance(pattern, dict):
            pattern = pattern[isa]
        CASES.append(Case("arm:%s:crash:%s" % (board, kind), board, 2, "run=crash crash=%s" % kind,
                          expect="fail", must_contain=[pattern, r"Call trace:\n  \[<"],
                          timeout=60))

# A bad semihost= value is refused like any other key.
for board in BOARDS:
    CASES.append(Case("arm:%s:cmdline:bad-semihost" % board, board, 1, "semihost=yes",
                      expect="fail",
                      must_contain=[r"^cmdline: (bad value 'yes' for semihost=|semihost= given twice)",
                                    r"^SUMMARY passed=0 failed=1"],
                      must_not_contain=[r"^run: "], timeout=60))

# The torture commands, short, at 2 and 4 CPUs, once they exist.


def torture_check(cpus):
    def check(out):
        problems, seen = [], 0
        for t in console.tortures(out):
            seen += 1
            busted = t["type"] == "busted"
            if t.int("cpus") != cpus:
                problems.append("type=%s ran on %s CPUs, expected %d" % (t["type"], t["cpus"], cpus))
            if busted != (t["result"] == "FAILURE"):
                problems.append("type=%s: result=%s errors=%s" % (t["type"], t["result"], t["errors"]))
        if not seen:
            problems.append("no TORTURE line")
        return problems
    return check


for command in ("locktorture", "rcutorture"):
    if not has_command(command):
        continue
    for board in BOARDS:
        for n in (2, 4):
            CASES.append(Case("arm:%s:%s:cpus=%d" % (board, command, n), board, n,
                              "run=%s ms=300" % command, timeout=300, check=torture_check(n),
                              must_contain=[r"^SUMMARY passed=\d+ failed=0"]))


# make image: the SD-card files, then a boot of the same kernel.
def image_check(board, kernel):
    def check(out):
        d = os.path.join(ROOT, "images", board)
        problems = ["images/%s/%s missing" % (board, f) for f in (kernel, "config.txt", "quiesce-cmdline.txt")
                    if not os.path.exists(os.path.join(d, f))]
        if not problems:
            with open(os.path.join(d, "config.txt")) as f:
                cfg = f.read()
            for want in ["kernel=%s" % kernel, "enable_uart=1"] + (["arm_64bit=1"] if board == RPI3 else []):
                if want not in cfg.splitlines():
                    problems.append("config.txt lacks %r" % want)
        return problems
    return check


for board, kernel in ((RPI3, "kernel8.img"), (RPI2, "kernel7.img")):
    CASES.append(Case("arm:%s:image" % board, board, 4, "run=selftest", build="image",
                      check=image_check(board, kernel),
                      must_contain=[r"^SUMMARY passed=\d+ failed=0"]))

# The Pis have no firmware call that takes a CPU offline: hotplug= is
# refused with one line saying so, before anything runs.
for board in (RPI3, RPI2):
    CASES.append(Case("arm:%s:hotplug-refused" % board, board, 4, "run=rcutorture hotplug=1",
                      expect="fail",
                      must_contain=[r"^cmdline: hotplug=1 needs CPUs that can go offline"],
                      must_not_contain=[r"^Kernel panic", r"^TORTURE ", r"^cmdline: bad value"]))
