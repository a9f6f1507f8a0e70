#!/usr/bin/env python3
"""Regenerate the fuzzers' seed corpus, tests/fuzz/corpus/<name>/.

The seeds are real inputs:
  fdt      the DTBs QEMU gives each ARM board (-M ...,dumpdtb=) at several
           CPU counts, and the DTBs the build makes for the Raspberry Pis
  acpi     the ACPI tables QEMU's x86 machines give the pc-x86_64 board
           (read out of guest memory over QMP once the firmware has laid
           them out), relocated next to their RSDP as acpi_fuzz.c lays
           memory out, once for each way of finding the RSDP
  cmdline  every command line of the QEMU test cases, and the longest
           line the parser accepts
  procmap  the PROCMAP_QUERY calls of the host tests in procmap_query.c,
           as procmap_fuzz.c reads them

Needs QEMU and the board builds (make kernel BOARD=...); run from
anywhere: python3 tools/make_corpus.py [name ...]
"""
import hashlib
import json
import os
import shlex
import socket
import struct
import subprocess
import sys
import tempfile
import time

from quiesce.cases import load_cases
from quiesce.make import ROOT

CORPUS = os.path.join(ROOT, "tests/fuzz/corpus")


def make_s(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + list(args),
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


def qemu_argv(board, cpus, kernel):
    """The board's QEMU command (make print-qemu), with or without the kernel."""
    argv = shlex.split(make_s("print-qemu", "BOARD=" + board, "CPUS=%d" % cpus))
    i = argv.index("-kernel")
    if kernel:
        make_s("kernel", "BOARD=" + board)
        return argv
    return argv[:i] + argv[i + 2:]


def write_seeds(name, seeds):
    """seeds: {label: bytes}. Replaces the folder's files."""
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    for label, data in sorted(seeds.items()):
        with open(os.path.join(d, label), "wb") as f:
            f.write(data)
    print("%s: %d seeds, %d bytes" % (name, len(seeds), sum(map(len, seeds.values()))))


# ---- fdt ------------------------------------------------------------------

def pack_dtb(blob):
    """QEMU pads its DTB to 1 MiB: cut it after its last block."""
    (magic, total, off_struct, off_strings, off_rsv, version, _, _, size_strings,
     size_struct) = struct.unpack(">10I", blob[:40])
    assert magic == 0xD00DFEED and version >= 17
    end = max(off_struct + size_struct, off_strings + size_strings, off_rsv + 16)
    return blob[:4] + struct.pack(">I", end) + blob[8:end]


def fdt_seeds():
    seeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for board, cpus in (("qemu-virt-arm64", 1), ("qemu-virt-arm64", 4),
                            ("qemu-virt-arm64", 64), ("qemu-virt-arm", 4)):
            argv = qemu_argv(board, cpus, kernel=True)  # -append needs one
            out = os.path.join(tmp, "dtb")
            i = argv.index("-M")
            argv[i + 1] += ",dumpdtb=" + out
            subprocess.run(argv + ["-append", "run=selftest ms=100"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(out, "rb") as f:
                seeds["%s-%dcpu.dtb" % (board, cpus)] = pack_dtb(f.read())
    for board in ("rpi3-arm64", "rpi2-arm"):
        make_s("BOARD=" + board, "build/%s/board.dtb" % board)
        with open(os.path.join(ROOT, "build/%s/board.dtb" % board), "rb") as f:
            seeds["board-%s.dtb" % board] = f.read()
    return seeds


# ---- acpi -----------------------------------------------------------------

BIOS_AREA = 0xE0000
EBDA_BASE = 0x9FC00


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        for _ in range(100):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.f = self.sock.makefile("rw")
        self.f.readline()
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "return" in reply or "error" in reply:
                return reply


def find_rsdp(area):
    for off in range(0, len(area) - 20, 16):
        if area[off:off + 8] == b"RSD PTR " and sum(area[off:off + 20]) % 256 == 0:
            return off
    return None


def dump_acpi(board, cpus, machine=None):
    """The RSDP and every table its RSDT/XSDT lists, from a booted guest."""
    argv = qemu_argv(board, cpus, kernel=False)  # the firmware's view, no more
    if machine:
        argv[argv.index("-machine") + 1] = machine
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "qmp")
        p = subprocess.Popen(argv + ["-qmp", "unix:%s,server=on,wait=off" % sock],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            q = Qmp(sock)

            def read(pa, n):
                path = os.path.join(tmp, "mem")
                q.cmd("pmemsave", val=pa, size=n, filename=path)
                with open(path, "rb") as f:
                    return f.read()
            for _ in range(200):
                area = read(BIOS_AREA, 0x20000)
                off = find_rsdp(area)
                if off is not None:
                    break
                time.sleep(0.2)
            rsdp = area[off:off + 36]
            tables = []
            for is_xsdt in (False, True):
                pa = struct.unpack_from("<Q" if is_xsdt else "<I", rsdp, 24 if is_xsdt else 16)[0]
                if not pa or (is_xsdt and rsdp[15] < 2):
                    continue
                root = read(pa, struct.unpack("<I", read(pa + 4, 4))[0])
                width = 8 if is_xsdt else 4
                for i in range(36, len(root), width):
                    entry = struct.unpack_from("<Q" if is_xsdt else "<I", root, i)[0]
                    tables.append((is_xsdt, read(entry, struct.unpack("<I", read(entry + 4, 4))[0])))
                tables.append((is_xsdt, root))
            return rsdp, tables
        finally:
            p.kill()
            p.wait()


def checksum(b, off, length=None):
    """Set b[off] so that the first length bytes of b (all of b) sum to 0."""
    b[off] = 0
    b[off] = (-sum(b[:length])) % 256


def acpi_memory(rsdp, tables, rsdp_off, base, xsdt=False):
    """Memory from base: the RSDP at rsdp_off, then the tables, pointers fixed.

    xsdt: present them as ACPI 2.0 firmware does, through an XSDT (with
    the RSDT's header) and a revision 2 RSDP, as QEMU's own are not."""
    rsdp = bytearray(rsdp[:20])
    roots = {x: t for x, t in tables if t[:4] in (b"RSDT", b"XSDT")}
    if xsdt and True not in roots:
        roots[True] = b"XSDT" + roots[False][4:]
    if xsdt:
        rsdp[15] = 2
        rsdp += struct.pack("<IQ4x", 36, 0)
    mem = bytearray(rsdp_off + len(rsdp))
    placed = {}
    for is_xsdt, t in tables:
        if t[:4] in (b"RSDT", b"XSDT") or t[:4] in placed:
            continue
        placed[t[:4]] = base + len(mem)
        mem += t + bytes(-len(t) % 16)
    for is_xsdt, root in roots.items():
        root = bytearray(root[:36])
        for sig, pa in placed.items():
            root += struct.pack("<Q" if is_xsdt else "<I", pa)
        struct.pack_into("<I", root, 4, len(root))
        checksum(root, 9)
        if is_xsdt:
            struct.pack_into("<Q", rsdp, 24, base + len(mem))
        else:
            struct.pack_into("<I", rsdp, 16, base + len(mem))
        mem += root + bytes(-len(root) % 16)
    checksum(rsdp, 8, 20)
    if rsdp[15] >= 2:
        checksum(rsdp, 32, 36)  # covers the first checksum too
    mem[rsdp_off:rsdp_off + len(rsdp)] = rsdp
    return bytes(mem)


def with_x2apic_entries(tables):
    """The tables with two x2APIC CPUs (ids 256, 257) and a local APIC
    address override added to the MADT: QEMU's TCG machines cannot have
    APIC ids past 254, which is when firmware uses these entries."""
    out = []
    for is_xsdt, t in tables:
        if t[:4] == b"APIC":
            t = bytearray(t)
            for apic_id in (256, 257):
                t += struct.pack("<BBHIII", 9, 16, 0, apic_id, 1, apic_id)
            t += struct.pack("<BBHQ", 5, 12, 0, 0xFEE00000)
            struct.pack_into("<I", t, 4, len(t))
            checksum(t, 9)
            t = bytes(t)
        out.append((is_xsdt, t))
    return out


def acpi_seeds():
    """The first byte: how the RSDP is found (0 a copy of it, 1 its address,
    2 the BIOS area, 3 the EBDA), + 4 to seal tables (see acpi_fuzz.c)."""
    seeds = {}
    for board, cpus, machine in (("pc-x86_64", 1, None), ("pc-x86_64", 4, None),
                                 ("pc-x86_64", 4, "pc"), ("pc-x86_64", 255, None)):
        rsdp, tables = dump_acpi(board, cpus, machine)
        label = "qemu-%s-%dcpu" % (machine or "q35", cpus)
        seeds[label + "-copy"] = b"\0" + acpi_memory(rsdp, tables, 0, BIOS_AREA)
        seeds[label + "-address"] = b"\1" + acpi_memory(rsdp, tables, 0, BIOS_AREA)
        seeds[label + "-scan"] = b"\2" + acpi_memory(rsdp, tables, 0x1a30, BIOS_AREA)
        seeds[label + "-ebda"] = b"\3" + acpi_memory(rsdp, tables, 0, EBDA_BASE)
        seeds[label + "-xsdt-copy-sealed"] = b"\4" + acpi_memory(rsdp, tables, 0, BIOS_AREA, True)
        seeds[label + "-xsdt-address-sealed"] = b"\5" + acpi_memory(rsdp, tables, 0, BIOS_AREA,
                                                                     True)
        if cpus == 4 and not machine:
            seeds[label + "-x2apic-address"] = b"\1" + acpi_memory(
                rsdp, with_x2apic_entries(tables), 0, BIOS_AREA)
    return seeds


# ---- cmdline ----------------------------------------------------------------

def cmdline_seeds():
    # Not the test case of a line too long: a seed beyond the limit would
    # catch the broken variant (no length check) before any fuzzing.
    lines = {c.cmdline for c in load_cases() if c.cmdline and len(c.cmdline) < 1024}
    lines |= {"", "run=selftest", "run=proc-lookup,uprobe ms=300",
              "run=vma-query,shrinker,nsproxy ms=300", "run=rcutorture ms=5000"}
    seeds = {"case-" + hashlib.sha1(l.encode()).hexdigest()[:12]: l.encode() for l in lines}
    # Lines of the longest length accepted, 1023 bytes (CMDLINE_MAX in
    # kernel/cmdline.c): a long value, a long list, blanks.
    seeds["longest-value"] = ("run=selftest test=" + "x" * 1005).encode()
    runs = "run=selftest" + ",selftest" * 112
    seeds["longest-list"] = (runs + " " * (1023 - len(runs))).encode()
    seeds["longest-blanks"] = ("ms=1" + " \t" * 503 + " run=selftest").encode()
    assert all(len(seeds[k]) == 1023 for k in ("longest-value", "longest-list", "longest-blanks"))
    return seeds


# ---- procmap ----------------------------------------------------------------

PAGE = 4096
T_BASE = 0x400000
OPS = dict(mmap=0, munmap=1, mprotect=2, split=3, merge=4, rename=5, fault=6, query=7)
VM_READ, VM_WRITE, VM_EXEC = 1, 2, 4
WRITABLE, COVERING_OR_NEXT, FILE_BACKED = 0x02, 0x10, 0x20
QUERY_SIZE = 104


def op(kind, addr, length=0, flags=0, name=0, ino=0):
    return struct.pack("<BBBBIQ", OPS[kind], flags, name, ino, length, addr)


def query(size=QUERY_SIZE, flags=0, addr=0, name_size=0, name_addr=0, build_id_size=0,
          tail=b""):
    q = struct.pack("<QQQ", size, flags, addr) + bytes(48) + \
        struct.pack("<IIQQ", name_size, build_id_size, name_addr, 0)
    return q + tail


def procmap_seeds():
    # procmap_query.c's test_mm(): libc.so (file, r-x), a named heap, an anonymous r--.
    mm = [op("mmap", T_BASE, 2 * PAGE, VM_READ | VM_EXEC, name=7, ino=42),
          op("mmap", T_BASE + 4 * PAGE, PAGE, VM_READ | VM_WRITE, name=4),
          op("mmap", T_BASE + 6 * PAGE, 2 * PAGE, VM_READ)]
    changes = [op("split", T_BASE + PAGE), op("merge", T_BASE),
               op("mprotect", T_BASE + 4 * PAGE, VM_READ), op("fault", T_BASE + 4 * PAGE),
               op("rename", T_BASE + 6 * PAGE, name=12), op("query", T_BASE + 3 * PAGE,
                                                              flags=COVERING_OR_NEXT),
               op("munmap", T_BASE + PAGE)]
    queries = {
        "covering": query(addr=T_BASE + PAGE + 5),
        "hole": query(addr=T_BASE + 3 * PAGE),
        "next-named": query(addr=T_BASE + 3 * PAGE, flags=COVERING_OR_NEXT, name_size=32,
                            name_addr=1),
        "name-too-small": query(addr=T_BASE, name_size=7, name_addr=1),
        "writable-next": query(addr=T_BASE, flags=WRITABLE | COVERING_OR_NEXT),
        "file-backed": query(addr=0, flags=FILE_BACKED | COVERING_OR_NEXT),
        "old-caller": query(size=24, addr=T_BASE),
        "zero-tail": query(size=QUERY_SIZE + 16, addr=T_BASE, tail=bytes(16)),
        "nonzero-tail": query(size=QUERY_SIZE + 16, addr=T_BASE, tail=bytes(15) + b"\1"),
        "bad-flags": query(flags=0x40, addr=T_BASE),
        "size-no-buffer": query(addr=T_BASE, name_size=8),
        "top": query(addr=(1 << 64) - 1, flags=COVERING_OR_NEXT),
    }
    seeds = {}
    for label, q in queries.items():
        for lock in (0, 1):
            seeds["%s-lock%d" % (label, lock)] = bytes([lock, len(mm)]) + b"".join(mm) + q
    seeds["changes"] = bytes([1, len(mm + changes)]) + b"".join(mm + changes) + \
        query(addr=T_BASE, flags=COVERING_OR_NEXT, name_size=64, name_addr=1)
    seeds["mm-gone"] = bytes([2, len(mm)]) + b"".join(mm) + query(addr=T_BASE)
    return seeds


GENERATORS = dict(fdt=fdt_seeds, acpi=acpi_seeds, cmdline=cmdline_seeds, procmap=procmap_seeds)


def main():
    for name in sys.argv[1:] or GENERATORS:
        write_seeds(name, GENERATORS[name]())


if __name__ == "__main__":
    main()
