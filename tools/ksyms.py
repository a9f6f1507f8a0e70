#!/usr/bin/env python3
"""Turn `nm -n -S` output of a kernel ELF into the C symbol table kernel/ksyms.c reads:
the functions (for backtraces) and the data objects with their sizes (for
the coherence build's c2c report).

Usage: ksyms.py < nm-output > ksyms.c   (empty input gives an empty table)
"""
import sys

TEXT = ("t", "T")
DATA = ("d", "D", "b", "B", "r", "R")


def main():
    text, data = [], []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 3 and parts[1] in TEXT:
            addr, size, kind, name = parts[0], "0", parts[1], parts[2]
        elif len(parts) == 4:
            addr, size, kind, name = parts
        else:
            continue
        if name.startswith("$") or name.startswith(".L"):
            continue
        if kind in TEXT:
            text.append((int(addr, 16), name))
        elif kind in DATA and int(size, 16) > 0 and not name.startswith("ksym_"):
            data.append((int(addr, 16), int(size, 16), name))
    text.sort()
    data.sort()
    out = ['#include <compiler.h>', '#define KSYMS __section(".ksyms") __used']
    names, offs, pos = [], {}, 0
    for n in [n for _, n in text] + [n for _, _, n in data]:
        if n not in offs:
            offs[n] = pos
            names.append(n)
            pos += len(n) + 1
    out.append("KSYMS const uint32_t ksym_count = %d;" % len(text))
    out.append("KSYMS const uintptr_t ksym_addrs[] = {")
    out += ["\t0x%x," % a for a, _ in text] or ["\t0"]
    out.append("};")
    out.append("KSYMS const uint32_t ksym_name_offs[] = {")
    out += ["\t%d," % offs[n] for _, n in text] or ["\t0"]
    out.append("};")
    out.append("KSYMS const uint32_t ksym_data_count = %d;" % len(data))
    out.append("KSYMS const uintptr_t ksym_data_addrs[] = {")
    out += ["\t0x%x," % a for a, _, _ in data] or ["\t0"]
    out.append("};")
    out.append("KSYMS const uint32_t ksym_data_sizes[] = {")
    out += ["\t%d," % s for _, s, _ in data] or ["\t0"]
    out.append("};")
    out.append("KSYMS const uint32_t ksym_data_name_offs[] = {")
    out += ["\t%d," % offs[n] for _, _, n in data] or ["\t0"]
    out.append("};")
    out.append("KSYMS const char ksym_names[] =")
    out += ['\t"%s\\0"' % n for n in names] or ['\t""']
    out.append(";")
    print("\n".join(out))


if __name__ == "__main__":
    main()
