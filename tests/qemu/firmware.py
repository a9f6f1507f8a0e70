"""What the boards' real firmware hands over: the Raspberry Pis booted with
the device trees of Debian's kernel packages (make upstream-dtbs; the
trees the upstream kernel ships), a CPU that cannot start (make
test-dtbs: the board's own tree broken on purpose), and x86 memory above
4 GiB (MEM=) on x86 and arm64."""
import re

from quiesce.case import Case

RPI2, RPI3, X86, ARM64 = "rpi2-arm", "rpi3-arm64", "pc-x86_64", "qemu-virt-arm64"
UPSTREAM = "build/fw/upstream/%s.dtb"
# A short torture on all 4 CPUs: each must be up and take part.
TORTURE = "run=rcutorture type=rcu ms=200"
TORTURE_OK = r"^TORTURE type=rcu cpus=4 .*result=SUCCESS"

CASES = []
# Upstream trees: the Pi 2's enable-method sits on /cpus only; the Pi 3's
# stdout-path names the mini UART, which has no driver here.
for board, dtb, extra in ((RPI2, "bcm2836-rpi-2-b", [r"CPUs via mailbox"]),
                          (RPI3, "bcm2837-rpi-3-b", [r"^console: stdout-path names serial@7e215040 "
                                                     r"\(brcm,bcm2835-aux-uart\)", r"CPUs via spin-table"]),
                          (RPI3, "bcm2837-rpi-3-b-plus", [r"CPUs via spin-table"])):
    CASES.append(Case("fw:%s:upstream-dtb:%s" % (board, dtb), board, 4, TORTURE,
                      build="upstream-dtbs", make_vars={"DTB": UPSTREAM % dtb},
                      must_contain=[r"^smp: 4 of 4 CPUs online", TORTURE_OK] + extra,
                      timeout=120))

# A cpu node whose enable-method no kernel knows: the CPU does not start,
# its line names it, and the kernel's own SUMMARY fails the run.
for board, hwid in ((RPI2, "0xf01"), (RPI3, "0x1")):
    CASES.append(Case("fw:%s:cpu-cannot-start" % board, board, 4, "run=selftest test=fdt",
                      expect="fail", build="test-dtbs",
                      make_vars={"DTB": "build/%s/test-dtbs/cpu1-bad-method.dtb" % board},
                      must_contain=[r"^smp: CPU 1: enable-method 'nosuch-method' is not supported",
                                    r"^smp: CPU 1 \(hwid %s\) failed to start: error -19" % hwid,
                                    r"^smp: 3 of 4 CPUs online",
                                    r"^SUMMARY passed=\d+ failed=[1-9]"],
                      timeout=60))
# The firmware lists 3 of the machine's 4 CPUs: the kernel, seeing 3 of 3,
# passes; the host's verdict refuses the run, as make run's would.
CASES.append(Case("fw:%s:cpu-not-listed" % RPI2, RPI2, 4, "run=selftest test=fdt",
                  expect="refused", build="test-dtbs",
                  make_vars={"DTB": "build/%s/test-dtbs/cpu3-disabled.dtb" % RPI2},
                  must_contain=[r"^smp: 3 of 3 CPUs online",
                                r"^verdict: .*asked for 4 CPUs, the firmware listed 3$"],
                  timeout=60))

# RAM above 4 GiB: q35 puts 2 GiB below its PCI hole, pc 3 GiB; the rest
# lies above 4 GiB. The page allocator must count it and hand it out (the
# page_alloc selftest takes 2 MiB runs until none is left and says how high
# they reached).
HANDED_RE = re.compile(r"^page_alloc: handed out RAM up to (0x[0-9a-f]+) of (0x[0-9a-f]+)$", re.M)
RAM_RE = re.compile(r"^(?:x86_64|arm64): (\d+) MiB RAM", re.M)


def high_memory_check(mib):
    def check(out):
        ram, handed = RAM_RE.search(out), HANDED_RE.search(out)
        if not ram or not handed:
            return ["no RAM line or no page_alloc line"]
        problems = []
        if int(ram.group(1)) < mib - 64:
            problems.append("the kernel counts %s MiB of MEM=%dM" % (ram.group(1), mib))
        if int(handed.group(1), 16) <= 1 << 32:
            problems.append("page_alloc reached only %s, not above 4 GiB" % handed.group(1))
        return problems
    return check


for machine, mem, mib in (("q35", "4G", 4096), ("pc", "6G", 6144)):
    CASES.append(Case("fw:%s:machine=%s:mem=%s" % (X86, machine, mem), X86, 2,
                      "run=selftest test=page_alloc",
                      make_vars={"MACHINE": machine, "MEM": mem},
                      check=high_memory_check(mib),
                      must_not_contain=[r"^mm: ignoring"], timeout=120))
# QEMU virt's RAM starts at 1 GiB: with 6 GiB, the DTB's /memory ends at 7 GiB.
CASES.append(Case("fw:%s:mem=6G" % ARM64, ARM64, 2, "run=selftest test=page_alloc",
                  make_vars={"MEM": "6G"}, check=high_memory_check(6144),
                  must_not_contain=[r"^mm: ignoring"], timeout=120))
# q35 with RAM above its PCI hole: rcutorture's readers once spun for all
# of ms= on the lock of the kmalloc() that built its 40 MiB page table in
# the middle of the run (4 of 12 runs with no reads at all at ms=300).
CASES.append(Case("fw:%s:machine=q35:mem=4G:rcutorture" % X86, X86, 4,
                  "run=rcutorture type=rcu,srcu ms=300",
                  make_vars={"MACHINE": "q35", "MEM": "4G"},
                  must_contain=[r"^TORTURE type=rcu cpus=4 ms=300 gps=\d+ pipe=[1-9]\d*,.*result=SUCCESS",
                                r"^TORTURE type=srcu cpus=4 ms=300 gps=\d+ pipe=[1-9]\d*,.*result=SUCCESS"],
                  timeout=120))
