"""The QEMU test cases of tools/testsuite.py, loaded by tools/quiesce/
cases.py as the package qemu_cases: each module lists its CASES (and the
BUILDS it needs made)."""
