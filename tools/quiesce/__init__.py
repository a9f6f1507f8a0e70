"""Quiesce's host side, in one package: running QEMU and judging the run
(qemu), what the Makefile knows about boards and runs (make), the one
reader of the console's lines and KTAP (console), the test case and the
checks several case files share (case, checks), and the loader of the
case files under tests/qemu/ (cases).

The scripts in tools/ import it as `quiesce` (Python puts a script's own
folder first on its path); the case files under tests/qemu/ are loaded by
quiesce.cases as the package `qemu_cases`, and import each other
relatively (`from .rcu import torture_check`).
"""
