#!/usr/bin/env python3
"""Turn `nm -n` output of a kernel ELF into the C symbol table kernel/ksyms.c reads.

Usage: ksyms.py < nm-output > ksyms.c   (empty input gives an empty table)
"""
import sys


def main():
    syms = []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in ("t", "T"):
            continue
        addr, name = int(parts[0], 16), parts[2]
        if name.startswith("$") or name.startswith(".L"):
            continue
        syms.append((addr, name))
    syms.sort()
    out = ['#include <compiler.h>', '#define KSYMS __section(".ksyms") __used']
    out.append("KSYMS const uint32_t ksym_count = %d;" % len(syms))
    out.append("KSYMS const uintptr_t ksym_addrs[] = {")
    out += ["\t0x%x," % a for a, _ in syms] or ["\t0"]
    out.append("};")
    offs, names, pos = [], [], 0
    for _, n in syms:
        offs.append(pos)
        names.append(n)
        pos += len(n) + 1
    out.append("KSYMS const uint32_t ksym_name_offs[] = {")
    out += ["\t%d," % o for o in offs] or ["\t0"]
    out.append("};")
    out.append("KSYMS const char ksym_names[] =")
    out += ['\t"%s\\0"' % n for n in names] or ['\t""']
    out.append(";")
    print("\n".join(out))


if __name__ == "__main__":
    main()
