"""pc-x86_64 only: the other QEMU machine, the GRUB ISO booted through the
BIOS as on a real PC, and firmware CPU lists with disabled entries."""

from quiesce.case import Case

X86 = "pc-x86_64"

CASES = [
    # i440FX instead of q35: a different chipset and ACPI tables.
    Case("x86:%s:machine=pc:selftest" % X86, X86, 4, "run=selftest",
         make_vars={"MACHINE": "pc"},
         must_contain=[r"^smp: 4 of 4 CPUs online", r"booted via PVH"]),
    # GRUB from an ISO through SeaBIOS: multiboot2 entry, its memory map,
    # ACPI tags and command line (baked into grub.cfg by make image).
    # (The command line is loaders.py's ISO_CMDLINE: one ISO for all cases.)
    Case("x86:%s:iso-bios:selftest" % X86, X86, 4, None, build="image",
         make_vars={"BOOT": "iso", "CMDLINE": "run=selftest test=acpi seed=7"},
         must_contain=[r"^x86_64: .* booted via multiboot2",
                       r"^Quiesce: 4 CPUs, command line 'run=selftest test=acpi seed=7'$",
                       r"^smp: 4 of 4 CPUs online"],
         timeout=180),
    # The MADT lists 8 CPUs, 4 of them disabled (hot-pluggable): only the
    # enabled ones are started.
    Case("x86:%s:madt-disabled-cpus:selftest" % X86, X86, 4, "run=selftest",
         qemu_extra=["-smp", "4,maxcpus=8"],
         must_contain=[r"^Quiesce: 4 CPUs,", r"^smp: 4 of 4 CPUs online"]),
]
