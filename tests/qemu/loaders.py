"""Boot loaders, as on the boards: U-Boot's booti (arm64) and bootz (armv7)
running boot.scr from a disk image (make image BOOT=uboot), and the x86
ISO's GRUB through the BIOS (SeaBIOS) and UEFI (OVMF) on q35 and pc, whose
timers must come out calibrated as under PVH."""
import platform
import re

from quiesce.case import Case

ARM64, ARM, X86 = "qemu-virt-arm64", "qemu-virt-arm", "pc-x86_64"
# Every ISO case boots the same image: one command line for all of them
# (x86.py's iso-bios case too), since make image writes one ISO per board.
ISO_CMDLINE = "run=selftest test=acpi seed=7"

CASES = []
for board, cmd, banner in ((ARM64, "booti", r"^arm64: \d+ MiB RAM, GICv2, PSCI via hvc"),
                           (ARM, "bootz", r"^armv7: \d+ MiB RAM, GICv2, PSCI via hvc")):
    CASES.append(Case("loader:%s:uboot-%s" % (board, cmd), board, 2, None, build="image",
                      make_vars={"BOOT": "uboot", "CMDLINE": "run=selftest test=fdt"},
                      must_contain=[r"^U-Boot 20\d\d", r"^Found U-Boot script /boot.scr",
                                    r"^Starting kernel", banner,
                                    r"^Quiesce: 2 CPUs, command line 'run=selftest test=fdt'$",
                                    r"^smp: 2 of 2 CPUs online"],
                      must_not_contain=[r"Bad magic"], timeout=180))

TIMERS_RE = re.compile(r"^x86_64: .* booted via multiboot2, .* TSC (\d+) kHz.*, APIC timer (\d+) kHz", re.M)
# QEMU's local APIC timer counts at 1 GHz / 16 (the divider the kernel sets)
# whatever the host; under TCG the guest's TSC is the host's.
APIC_KHZ = 62500


def host_tsc_khz():
    if platform.machine() != "x86_64":
        return None
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^cpu MHz\s*:\s*([\d.]+)", f.read(), re.M)
    except OSError:
        return None
    return float(m.group(1)) * 1000 if m else None


def timers_check(out):
    m = TIMERS_RE.search(out)
    if not m:
        return ["no 'booted via multiboot2 ... TSC ... APIC timer' line"]
    tsc, apic = int(m.group(1)), int(m.group(2))
    problems = []
    if abs(apic - APIC_KHZ) > APIC_KHZ * 0.05:
        problems.append("APIC timer %d kHz, not within 5%% of QEMU's %d kHz" % (apic, APIC_KHZ))
    host = host_tsc_khz()
    if host and abs(tsc - host) > host * 0.05:
        problems.append("TSC %d kHz, not within 5%% of the host's %.0f kHz (as under PVH)" % (tsc, host))
    return problems


for firmware in ("bios", "uefi"):
    for machine in ("q35", "pc"):
        CASES.append(Case("loader:%s:iso-%s:machine=%s" % (X86, firmware, machine), X86, 2, None,
                          build="image",
                          make_vars={"BOOT": "iso", "FIRMWARE": firmware, "MACHINE": machine,
                                     "CMDLINE": ISO_CMDLINE},
                          must_contain=[r"^Quiesce: 2 CPUs, command line '%s'$" % ISO_CMDLINE,
                                        r"^smp: 2 of 2 CPUs online"],
                          check=timers_check, timeout=240))
