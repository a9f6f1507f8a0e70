"""Boot matrix and the crash path: every board QEMU models, several CPU
counts, every crash kind, bad command lines."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

ARM64 = "qemu-virt-arm64"
CASES = []

for n in (1, 2, 3, 4, 8, 16):
    CASES.append(Case("boot:%s:selftest:cpus=%d" % (ARM64, n), ARM64, n, "run=selftest",
                      must_contain=[r"^smp: %d of %d CPUs online" % (n, n),
                                    r"GICv%d" % (3 if n > 8 else 2)]))
CASES.append(Case("boot:%s:selftest:el2" % ARM64, ARM64, 4, "run=selftest",
                  make_vars={"EL2": "1"},
                  must_contain=[r"^smp: 4 of 4 CPUs online", r"PSCI via smc"]))

CRASHES = {
    "data-abort": r"Unable to handle kernel read at virtual address 0000000000000010 \(translation fault\)",
    "undefined": r"Internal error on CPU 0: undefined instruction",
    "stack-overflow": r"kernel stack overflow: CPU 0 hit the guard page",
    "write-text": r"Unable to handle kernel write at virtual address .* \(permission fault\)",
    "panic": r"Kernel panic on CPU 0: crash: deliberate panic",
    "bug-on": r"Kernel panic on CPU 0: BUG_ON\(kind != NULL\) at kernel/crash.c",
    "hang": r"watchdog: CPU 1 stuck with interrupts off",
}
for kind, pattern in CRASHES.items():
    CASES.append(Case("crash:%s:%s" % (ARM64, kind), ARM64, 2, "run=crash crash=%s" % kind,
                      expect="fail", must_contain=[pattern, r"Call trace:"], timeout=60))

BAD_CMDLINES = {
    "unknown-key": ("bogus=1", r"^cmdline: unknown key 'bogus' \(valid keys: .*run=.*\)$"),
    "bad-ms": ("run=selftest ms=abc", r"^cmdline: bad value 'abc' for ms= \(valid: a duration in milliseconds\)$"),
    "bad-run": ("run=nosuch", r"^cmdline: bad value 'nosuch' for run= \(valid: .*selftest.*\)$"),
    "not-key-value": ("selftest", r"^cmdline: 'selftest' is not key=value"),
    "bad-cpus": ("cpus=0", r"^cmdline: bad value '0' for cpus="),
    "crash-without-kind": ("run=crash", r"^crash: crash= is required"),
}
for name, (line, pattern) in BAD_CMDLINES.items():
    CASES.append(Case("cmdline:%s:%s" % (ARM64, name), ARM64, 1, line, expect="fail",
                      must_contain=[pattern, r"^SUMMARY passed=0 failed=1"],
                      must_not_contain=[r"^run: "], timeout=60))
