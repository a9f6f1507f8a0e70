# make mutants [MUTANTS_K=substring]: plant each bug of tests/mutants/list.py
# in a scratch worktree under build/mutants/, run the test selection that
# must catch it, print the kill table and the kill rate (tools/mutants.py).
# Not part of make test.
MUTANTS_K ?=
.PHONY: mutants
mutants: | $(DEPS_STAMP)
	@python3 tools/mutants.py $(if $(MUTANTS_K),-k $(MUTANTS_K))
