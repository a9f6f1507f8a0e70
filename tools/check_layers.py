#!/usr/bin/env python3
"""The include graph goes one way: a file may include only files of its
own layer or of a lower one (docs/architecture.md, "Layers").

    boot/, boards/   6   entry, vectors, MMU, CPU start; board files
    drivers/         5   UARTs, interrupt controllers, timers, FDT, ACPI
    workloads/       4   the workloads, their object model, the harness
    rcu/             3   tree RCU, SRCU, callbacks, torture, bench
    kernel/          2   SMP, per-CPU, IRQ, time, allocators, locks
    lib/             1   rbtree, parsing, the C library subset
    include/         0   headers, with each arch's <asm/...> below it

tools/, tests/ and bench/ sit above all of them and may include anything.

Every #include of every .c, .h and .S file that git tracks (or, outside a
git tree, that the walk finds) is resolved as the compiler would: a quoted
name first beside the including file, then along the include path; an
angle-bracket name along the include path only (-Iinclude, then each
arch's include folder: boot/<arch>/include, tests/host/include). An
<asm/...> header is the arch's half of include/arch.h's contract, so the
arch include folders belong to layer 0 with include/. A name found nowhere
in the tree is the compiler's own (<stdint.h>) and is skipped.

Prints each offending include as file:line and exits 1; --self-test
checks that the checker itself flags a planted upward include and passes
a clean tree.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Layer of a path, by its first matching prefix (longest prefixes first).
LAYERS = [
    ("boot/arm/include/", 0, "include"),
    ("boot/arm64/include/", 0, "include"),
    ("boot/arm-common/include/", 0, "include"),
    ("boot/x86_64/include/", 0, "include"),
    ("tests/host/include/", 0, "include"),
    ("include/", 0, "include"),
    ("lib/", 1, "lib"),
    ("kernel/", 2, "kernel"),
    ("rcu/", 3, "rcu"),
    ("workloads/", 4, "workloads"),
    ("drivers/", 5, "drivers"),
    ("boot/", 6, "boot"),
    ("boards/", 6, "boot"),
    ("linker/", 6, "boot"),
    ("tests/", 7, "tests"),
    ("tools/", 7, "tools"),
    ("bench/", 7, "tests"),
]

# A header under include/ belongs to the layer that implements what it
# declares: <rcupdate.h> is rcu's even though every layer may find it.
# Headers not named here are the bottom layer's: definitions every layer
# shares (compiler.h, list.h, atomic.h, errno values), the per-CPU access
# primitives (percpu.h), the two reporting channels (kernel.h: BUG_ON,
# WARN_ON, panic; printk.h), rcu_pointer.h (publication order only), and arch.h, the contract the arch supplies from below.
HEADER_OWNERS = {
    "lib": "rbtree.h libc.h",
    "kernel": "cmdline.h coherence.h completion.h cpu_watch.h harness.h irqchip.h "
              "ksyms.h ktest.h ktime.h lockdep.h lockref.h mm.h pgtable.h "
              "refcount.h rwlock.h rwsem.h seqlock.h smp.h "
              "spinlock.h torture.h traps.h",
    "rcu": "rcupdate.h rcu_broken.h rculist.h srcu.h",
    "workloads": "workload.h shrinker.h",
    "drivers": "acpi.h drivers.h fdt.h",
}

# Upward includes known and owned elsewhere, each with its reason. An
# entry that no longer occurs fails the check too, so the list only
# shrinks.
KNOWN = {}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXTS = (".c", ".h", ".S")


def rank_of(name):
    for prefix, rank, lname in LAYERS:
        if lname == name:
            return rank
    raise KeyError(name)


def layer_of(rel):
    """(rank, name) of a tree path; tests beside their code are tests."""
    base = os.path.basename(rel)
    if re.search(r"_test(_blob)?\.[ch]$", base):
        return rank_of("tests"), "tests"
    if rel.startswith("include/"):
        for owner, names in HEADER_OWNERS.items():
            if base in names.split():
                return rank_of(owner), owner
    for prefix, rank, name in LAYERS:
        if rel.startswith(prefix):
            return rank, name
    return None


def include_dirs(root):
    """The compiler's -I folders, in the Makefile's order."""
    dirs = ["include"]
    for d in sorted(os.listdir(os.path.join(root, "boot"))):
        if os.path.isdir(os.path.join(root, "boot", d, "include")):
            dirs.append("boot/%s/include" % d)
    for d in ("tests/host/include", "include/asm-generic"):
        if os.path.isdir(os.path.join(root, d)):
            dirs.append(d)
    return dirs


def source_files(root):
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others",
                              "--exclude-standard"], cwd=root,
                             capture_output=True, text=True, check=True).stdout
        files = out.split()
    except (OSError, subprocess.CalledProcessError):
        files = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames
                           if not d.startswith(".") and d != "build"]
            for f in filenames:
                files.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(f for f in files if f.endswith(SOURCE_EXTS)
                  and os.path.isfile(os.path.join(root, f)))


def resolve(root, dirs, including, kind, name):
    """Every tree file the include may name (one per arch for <asm/...>)."""
    if kind == '"':
        here = os.path.normpath(os.path.join(os.path.dirname(including), name))
        if os.path.isfile(os.path.join(root, here)):
            return [here]
    # Each arch's build sees its own folder only: every candidate counts.
    return [os.path.normpath(os.path.join(d, name)) for d in dirs
            if os.path.isfile(os.path.join(root, d, name))]


def check(root, known=None):
    """The offending includes, as "file:line: message" strings; the known
    ones that occurred are added to known (a set) if given."""
    dirs = include_dirs(root)
    errors = []
    for rel in source_files(root):
        src = layer_of(rel)
        if src is None:
            errors.append("%s:1: no layer for this path (tools/check_layers.py LAYERS)" % rel)
            continue
        with open(os.path.join(root, rel), errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                for target in resolve(root, dirs, rel, m.group(1), m.group(2)):
                    dst = layer_of(target)
                    if dst is None or dst[0] <= src[0]:
                        continue
                    if (rel, target) in KNOWN and known is not None:
                        known.add((rel, target))
                        continue
                    errors.append("%s:%d: %s (%s) includes %s (%s), a higher layer"
                                      % (rel, lineno, rel, src[1], target, dst[1]))
    return errors


def self_test():
    """A clean tree passes; one upward include fails, named by file:line."""
    with tempfile.TemporaryDirectory() as t:
        for d in ("include", "kernel", "rcu", "boot/arm64/include/asm"):
            os.makedirs(os.path.join(t, d))
        files = {
            "include/spinlock.h": "#include <compiler.h>\n",
            "include/compiler.h": "#include <stdint.h>\n",
            "include/arch.h": "#include <asm/arch.h>\n",
            "boot/arm64/include/asm/arch.h": "#include <compiler.h>\n",
            "rcu/tree.h": "#include <spinlock.h>\n",
            "rcu/tree.c": '#include "tree.h"\n#include <arch.h>\n',
            "kernel/smp.c": "#include <spinlock.h>\n",
        }
        for name, text in files.items():
            with open(os.path.join(t, name), "w") as f:
                f.write(text)
        clean = check(t)
        if clean:
            return "a clean tree failed: %s" % clean
        with open(os.path.join(t, "kernel/smp.c"), "a") as f:
            f.write('#include "../rcu/tree.h"\n')
        with open(os.path.join(t, "boot/arm64/include/asm/arch.h"), "a") as f:
            f.write('#include "../../../../kernel/smp.c"\n')
        bad = check(t)
        want = ["kernel/smp.c:2:", "boot/arm64/include/asm/arch.h:2:"]
        if sorted(e.split(" ")[0] for e in bad) != sorted(want):
            return "expected exactly %s, saw %s" % (want, bad)
    return None


def main(argv):
    if argv[1:] == ["--self-test"]:
        why = self_test()
        if why:
            print("check_layers: self-test failed: %s" % why)
            return 1
        print("check_layers: self-test passed")
        return 0
    if argv[1:]:
        print("usage: check_layers.py [--self-test]")
        return 2
    seen = set()
    errors = check(ROOT, seen)
    for rel, target in sorted(set(KNOWN) - seen):
        errors.append("%s:1: no longer includes %s: drop it from KNOWN" % (rel, target))
    for e in errors:
        print(e)
    for rel, target in sorted(seen):
        print("known: %s -> %s: %s" % (rel, target, KNOWN[(rel, target)]))
    print("check_layers: %d upward include%s in %d files"
          % (len(errors), "" if len(errors) == 1 else "s", len(source_files(ROOT))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
