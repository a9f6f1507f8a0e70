"""ACCEL=kvm: the board of the host's architecture under KVM, with the CPU
model the host's KVM accepts (tools/kvm_cpu.sh), when /dev/kvm is usable.
Short: this machine's KVM is nested and slow (a boot takes about 45 s)."""
import os
import platform

from quiesce.case import Case
from quiesce.checks import ktest_check

BOARD = {"x86_64": "pc-x86_64", "aarch64": "qemu-virt-arm64"}.get(platform.machine())
KVM_USABLE = os.access("/dev/kvm", os.R_OK | os.W_OK)

CASES = []
if BOARD and KVM_USABLE:
    CASES.append(Case("kvm:%s:selftest" % BOARD, BOARD, 2, "run=selftest test=kstrto",
                      make_vars={"ACCEL": "kvm"},
                      must_contain=[r"^smp: 2 of 2 CPUs online"], check=ktest_check(1),
                      timeout=300))
