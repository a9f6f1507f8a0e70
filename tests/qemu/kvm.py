"""ACCEL=kvm: the board of the host's architecture under KVM, with the CPU
model the host's KVM accepts (tools/kvm_cpu.sh), when /dev/kvm is usable.
Short: this machine's KVM is nested and slow (a boot takes about 45 s)."""
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(__file__))
from case import Case  # noqa: E402

BOARD = {"x86_64": "pc-x86_64", "aarch64": "qemu-virt-arm64"}.get(platform.machine())
KVM_USABLE = os.access("/dev/kvm", os.R_OK | os.W_OK)

CASES = []
if BOARD and KVM_USABLE:
    CASES.append(Case("kvm:%s:selftest" % BOARD, BOARD, 2, "run=selftest test=kstrto",
                      make_vars={"ACCEL": "kvm"},
                      must_contain=[r"^smp: 2 of 2 CPUs online", r"^ktest: [1-9]\d* passed, 0 failed"],
                      timeout=300))
