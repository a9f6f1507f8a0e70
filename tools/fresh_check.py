#!/usr/bin/env python3
"""make fresh-check: the README's commands, run as a new user would, in a
brand-new minimal Debian root.

The root is made by mmdebstrap (--variant=apt plus git, make, python3 and
ca-certificates; the apt sources are this machine's own, from
/etc/apt/sources.list.d/), cached as a tarball under build/fresh/, and
unpacked anew for every check. HEAD is cloned into it, and each command
runs there in a chroot inside a private mount namespace (/proc, /sys and
/dev mounted), with a clean environment: whatever the project needs, its
own Makefile must install.

The commands are every `make ...` line of the fenced code blocks of
README.md and docs/*.md, in order, plus `make run BOARD=<b>` and
`make image BOARD=<b>` for every board, `make debug` (started, attached
by the gdb command it prints, stopped) and `make test`. A command whose
full run is long gets a variable that shortens it (SHORTEN below): the
same target, less time. One line per command:

    ok     52 s  make run BOARD=rpi3-arm64
    FAIL  0.2 s  make run: <its first error line>  (log: build/fresh/logs/03.log)

and a non-zero status if any failed. A root that cannot be built (the
package archive unreachable) is a failure with one line saying so.
"""
import argparse
import glob
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRESH = os.path.join(ROOT, "build/fresh")
SUITE = "bookworm"
PACKAGES = "git,make,python3,ca-certificates"
# Inside the root: the clone, and the environment of a login shell.
REPO_IN_ROOT = "/root/quiesce"
ENV = ["HOME=/root", "USER=root", "LANG=C.UTF-8", "TERM=dumb",
       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]

# Make variables that shorten a long command (the same target, less time).
SHORTEN = {
    "bench": ["QUICK=1", "BENCH_CPUS=1,2", "BENCH_RUNS=1"],
    "soak": ["SOAK_MINUTES=1"],
}


def die(msg):
    print("fresh-check: error: " + msg, flush=True)
    sys.exit(1)


def make_s(*args):
    p = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode:
        die("make %s: %s" % (" ".join(args), p.stdout.strip().splitlines()[-1:]))
    return p.stdout.split()


def doc_commands():
    """Every `make ...` line in the fenced code blocks of the README and docs/."""
    cmds = []
    for path in [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs/*.md"))):
        fenced = False
        with open(path) as f:
            for line in f:
                if line.startswith("```"):
                    fenced = not fenced
                    continue
                line = re.sub(r"^\$\s+", "", line.strip())  # a shell prompt
                if fenced and re.match(r"make(\s|$)", line):
                    # A trailing "# comment" is prose, not part of the command.
                    words = shlex.split(line, comments=True)
                    cmds.append(shlex.join(words))
    return cmds


def commands():
    """The commands to run, shortened, each once, in order."""
    boards = make_s("print-boards")
    cmds = []
    for c in ["make run"] + ["make run BOARD=%s" % b for b in boards] + \
             ["make image BOARD=%s" % b for b in boards] + doc_commands():
        c = shortened(c)
        if c not in cmds and c not in ("make test", "make fresh-check", "make debug"):
            cmds.append(c)
    return cmds + ["make debug", "make test"]


def shortened(cmd):
    words = shlex.split(cmd)
    target = words[1] if len(words) > 1 and "=" not in words[1] else "run"
    given = {w.split("=", 1)[0] for w in words if "=" in w}
    return shlex.join(words + [v for v in SHORTEN.get(target, []) if v.split("=", 1)[0] not in given])


def sources():
    """This machine's apt sources, as mmdebstrap MIRROR arguments (files)."""
    files = sorted(glob.glob("/etc/apt/sources.list.d/*.sources") +
                   glob.glob("/etc/apt/sources.list.d/*.list"))
    if os.path.exists("/etc/apt/sources.list") and os.path.getsize("/etc/apt/sources.list"):
        files.insert(0, "/etc/apt/sources.list")
    if not files:
        die("this machine has no apt sources in /etc/apt/sources.list.d/")
    return files


def root_tarball():
    """The cached minimal root, made once per set of apt sources."""
    srcs = sources()
    key = hashlib.sha256("".join(open(f).read() for f in srcs).encode() +
                         (SUITE + PACKAGES).encode()).hexdigest()[:12]
    tar = os.path.join(FRESH, "debian-%s-%s.tar" % (SUITE, key))
    if os.path.exists(tar):
        return tar
    subprocess.run([os.path.join(ROOT, "tools/deps.sh"), "mmdebstrap"], check=True)
    os.makedirs(FRESH, exist_ok=True)
    log = os.path.join(FRESH, "mmdebstrap.log")
    t0 = time.monotonic()
    with open(log, "w") as f:
        p = subprocess.run(["mmdebstrap", "--variant=apt", "--format=tar", "--include=" + PACKAGES,
                            '--aptopt=Acquire::Check-Valid-Until "false"',
                            SUITE, tar + ".part"] + srcs,
                           stdout=f, stderr=subprocess.STDOUT)
    if p.returncode:
        text = open(log).read()
        why = re.findall(r"^E: .*$", text, re.M) or text.strip().splitlines()[-1:]
        if re.search(r"Failed to fetch|Temporary failure resolving|Could not connect|"
                     r"Unable to connect|Network is unreachable", text):
            die("cannot reach the Debian package archive to build the root: %s (log: %s)"
                % (why[0], os.path.relpath(log, ROOT)))
        die("mmdebstrap failed: %s (log: %s)" % (why[0] if why else "?", os.path.relpath(log, ROOT)))
    os.rename(tar + ".part", tar)
    print("fresh-check: built a minimal Debian %s root in %.0f s" % (SUITE, time.monotonic() - t0),
          flush=True)
    return tar


def unpack(tar):
    root = os.path.join(FRESH, "root")
    # The mounts live in each command's own namespace: none outlive it.
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    subprocess.run(["tar", "-C", root, "-xf", tar], check=True)
    shutil.copy("/etc/resolv.conf", os.path.join(root, "etc/resolv.conf"))
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                          text=True, check=True).stdout.strip()
    dest = root + REPO_IN_ROOT
    subprocess.run(["git", "clone", "-q", "--no-checkout", ROOT, dest], check=True)
    subprocess.run(["git", "-C", dest, "checkout", "-q", head], check=True)
    return root, head


def in_root(root, script):
    """argv running the shell script in the root: chroot, private mounts."""
    mounts = ("mount -t proc proc {r}/proc && mount -t sysfs sys {r}/sys && "
              "mount --rbind /dev {r}/dev && mount --make-rslave {r}/dev").format(r=shlex.quote(root))
    inner = "cd %s && %s" % (REPO_IN_ROOT, script)
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
            "%s && exec chroot %s env -i %s sh -c %s" % (
                mounts, shlex.quote(root), " ".join(ENV), shlex.quote(inner))]


def first_error(out):
    """Why a command failed: make run's verdict line "run: FAIL ..."
    (which names the cause) if it has one, else the first line naming an
    error or a failure, else its last line."""
    lines = [l for l in out.splitlines() if l.strip()]
    for l in lines:
        if l.startswith("run: FAIL"):
            return l.strip()
    for l in lines:
        if re.search(r"\berror\b|^FAIL|: FAIL|Kernel panic|No such file|not found", l, re.I):
            return l.strip()
    return lines[-1].strip() if lines else "no output"


def run(root, cmd, log, timeout):
    t0 = time.monotonic()
    with open(log, "w") as f:
        p = subprocess.Popen(in_root(root, cmd + " </dev/null"), stdout=f,
                             stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
        # Whatever the command left running (a QEMU in the background) ends with it.
        try:
            os.killpg(p.pid, 9)
        except ProcessLookupError:
            pass
        p.wait()
    out = open(log, errors="replace").read()
    secs = time.monotonic() - t0
    if rc is None:
        return False, secs, "timed out after %d s; last line: %s" % (timeout, first_error(out))
    if rc:
        return False, secs, first_error(out)
    return True, secs, ""


def debug_check(root, log, timeout):
    """make debug: QEMU halted with a gdb stub; attach with the printed
    command, read the PC, then stop QEMU."""
    script = ("(make debug > /tmp/debug.out 2>&1 &) ; "
              "for i in $(seq 1 %d); do grep -q \"target remote\" /tmp/debug.out && break; sleep 1; done; "
              "cat /tmp/debug.out; "
              "cmd=$(grep -o \"gdb-multiarch .*target remote [0-9.:]*'\" /tmp/debug.out) || "
              "{ echo 'error: make debug printed no gdb command'; exit 1; }; "
              "eval \"$cmd -batch -ex 'info registers pc' -ex kill\" 2>&1 | tee /tmp/gdb.out; "
              "grep -q '^pc' /tmp/gdb.out || { echo 'error: gdb could not read the PC'; exit 1; }"
              % (timeout - 30))
    return run(root, script, log, timeout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print the commands, run nothing")
    ap.add_argument("--timeout", type=int, default=3000, help="seconds per command")
    a = ap.parse_args()
    cmds = commands()
    if a.list:
        for c in cmds:
            print(c)
        return 0
    if os.geteuid() != 0:
        die("needs root (chroot and mounts); run it as root")
    t0 = time.monotonic()
    tar = root_tarball()
    root, head = unpack(tar)
    print("fresh-check: HEAD %s in a fresh Debian %s root, %d commands" % (head[:12], SUITE, len(cmds)),
          flush=True)
    logs = os.path.join(FRESH, "logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    failed = 0
    for i, cmd in enumerate(cmds):
        log = os.path.join(logs, "%02d.log" % i)
        if cmd == "make debug":
            ok, secs, why = debug_check(root, log, 300)
        else:
            cmd = shortened(cmd)
            ok, secs, why = run(root, cmd, log, a.timeout)
        if ok:
            print("ok   %5.0f s  %s" % (secs, cmd), flush=True)
        else:
            failed += 1
            print("FAIL %5.0f s  %s: %s  (log: %s)" % (secs, cmd, why, os.path.relpath(log, ROOT)),
                  flush=True)
    print("fresh-check: %d of %d commands ok in %.0f s" % (len(cmds) - failed, len(cmds),
                                                          time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
