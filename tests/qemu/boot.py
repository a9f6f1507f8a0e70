"""Boot matrix and the crash path: every board QEMU models, several CPU
counts, every crash kind, bad command lines."""

from quiesce.case import Case

ARM64 = "qemu-virt-arm64"
X86 = "pc-x86_64"
BOARDS = (ARM64, X86)

# CPU counts each board boots with, and what else its boot line must say.
BOOT_CPUS = {ARM64: (1, 2, 3, 4, 8, 16), X86: (1, 2, 3, 4, 8)}


def boot_extra(board, n):
    if board == ARM64:
        return [r"GICv%d" % (3 if n > 8 else 2)]
    return [r"^x86_64: .* booted via PVH, local APIC", r"^Quiesce: %d CPUs, command line 'run=selftest'" % n]


CASES = []
for board in BOARDS:
    for n in BOOT_CPUS[board]:
        CASES.append(Case("boot:%s:selftest:cpus=%d" % (board, n), board, n, "run=selftest",
                          must_contain=[r"^smp: %d of %d CPUs online" % (n, n)] + boot_extra(board, n)))
CASES.append(Case("boot:%s:selftest:el2" % ARM64, ARM64, 4, "run=selftest",
                  make_vars={"EL2": "1"},
                  must_contain=[r"^smp: 4 of 4 CPUs online", r"PSCI via smc"]))

# The diagnostic each crash kind must produce; one pattern for every board,
# or one per board where the architecture names the fault differently.
CRASHES = {
    "data-abort": {
        ARM64: r"Unable to handle kernel read at virtual address 0000000000000010 \(translation fault\)",
        X86: r"Unable to handle kernel read at virtual address 0000000000000010 \(not-present page\)",
    },
    "undefined": {
        ARM64: r"Internal error on CPU 0: undefined instruction",
        X86: r"Internal error on CPU 0: invalid opcode \(#UD\)",
    },
    "stack-overflow": {
        ARM64: r"kernel stack overflow: CPU 0 hit the guard page",
        # The #PF cannot be pushed onto the full stack: #DF, on its IST stack.
        X86: r"Internal error on CPU 0: double fault \(#DF\)\nkernel stack overflow: CPU 0 hit the guard page",
    },
    "write-text": {
        ARM64: r"Unable to handle kernel write at virtual address .* \(permission fault\)",
        X86: r"Unable to handle kernel write at virtual address .* \(protection violation\)\n"
             r"(.*\n)*RIP: .*crash_run\+",
    },
    "panic": r"Kernel panic on CPU 0: crash: deliberate panic",
    "bug-on": r"Kernel panic on CPU 0: BUG_ON\(kind != NULL\) at kernel/crash.c",
    "hang": r"watchdog: CPU 1 stuck with interrupts off",
    "lost-tick": r"^watchdog: CPU 1 answers an IPI from here:\n(.*\n)*"
                 r"Kernel panic on CPU 0: watchdog: CPU 1 has not ticked for \d+ ms "
                 r"\(hwid 0x[0-9a-f]+\), but answers IPIs",
}
for board in BOARDS:
    for kind, pattern in CRASHES.items():
        if isinstance(pattern, dict):
            pattern = pattern[board]
        CASES.append(Case("crash:%s:%s" % (board, kind), board, 2, "run=crash crash=%s" % kind,
                          expect="fail", must_contain=[pattern, r"Call trace:"], timeout=60))

BAD_CMDLINES = {
    "unknown-key": ("bogus=1", r"^cmdline: unknown key 'bogus' \(valid keys: .*run=.*\)$"),
    "bad-ms": ("run=selftest ms=abc", r"^cmdline: bad value 'abc' for ms= \(valid: a duration in milliseconds\)$"),
    "bad-run": ("run=nosuch", r"^cmdline: bad value 'nosuch' for run= \(valid: .*selftest.*\)$"),
    "not-key-value": ("selftest", r"^cmdline: 'selftest' is not key=value"),
    "bad-cpus": ("cpus=0", r"^cmdline: bad value '0' for cpus="),
    "crash-without-kind": ("run=crash", r"^crash: crash= is required"),
    "control-byte": ("run=selftest\x0bms=1", r"^cmdline: byte 0xb at offset 12 is not text$"),
    "too-long": ("run=selftest test=" + "x" * 1100, r"command line longer than 1023 bytes"),
}
for board in BOARDS:
    for name, (line, pattern) in BAD_CMDLINES.items():
        CASES.append(Case("cmdline:%s:%s" % (board, name), board, 1, line, expect="fail",
                          must_contain=[pattern, r"^SUMMARY passed=0 failed=1"],
                          must_not_contain=[r"^run: "], timeout=60))

# A run that asked for something that could not happen fails, saying what
# (DESIGN: a run passes only when everything it asked for happened).
NOTHING_RAN = {
    "test-names-no-case": ("run=selftest test=nosuchcase",
                           r"^run: nothing it asked for ran \(no check passed or failed\): the run fails$"),
    "mode-needs-more-cpus": ("run=nsproxy mode=rcu-nogp ms=50",
                             r"^nsproxy/rcu-nogp: FAIL: mode= names it, and it needs 2 CPUs \(the run has 1\)$"),
    "mode-not-of-workload": ("run=proc-lookup mode=tagged-ptr ms=50",
                             r"^proc-lookup: no mode of this workload is in mode=; skipped\n"
                             r"(?:.*\n)*run: nothing it asked for ran"),
}
for name, (line, pattern) in NOTHING_RAN.items():
    CASES.append(Case("cmdline:%s:%s" % (ARM64, name), ARM64, 1, line, expect="fail",
                      must_contain=[pattern, r"^SUMMARY passed=0 failed=1"], timeout=60))
