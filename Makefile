# evloop-kata — the short commands. `make help` lists them.
#   make            install what is missing, build your exercises, show your progress
#   make test       build the reference solutions + harness self-tests and run everything
SHELL := /bin/bash
.DEFAULT_GOAL := progress
JOBS ?= 2
LEARNER := build/learner
KATA := python3 tools/kata.py

.PHONY: progress deps learner test grade hint list bench lab-cluster asan clean help
.PHONY: fuzz-native tsan
.PHONY: chapter1 chapter2 chapter3 chapter4

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## make                  build your exercises (chapters/) and show progress + the next hint
progress: learner
	@$(KATA) progress --build $(LEARNER) --build-log $(LEARNER)/build.log

deps:
	@bash scripts/install-deps.sh

# Keeps going past an exercise that does not compile (-k 0): the others still
# get graded, and the progress view shows the compiler's first error.
learner: deps
	@mkdir -p build
	@cmake --preset learner >$(LEARNER).configure.log 2>&1 || { cat $(LEARNER).configure.log; exit 1; }
	@echo "building your exercises (log: $(LEARNER)/build.log) ..."
	@set -o pipefail; cmake --build --preset learner -j $(JOBS) -- -k 0 2>&1 | tee $(LEARNER)/build.log \
	  | grep --line-buffered -E '^(FAILED:|.*error:)' | head -20 || true

## make test             reference solutions + harness self-tests (what CI runs)
test: deps
	cmake --preset solutions
	cmake --build --preset solutions -j $(JOBS)
	ctest --preset solutions --timeout 60

## make chapter1..4      build and run one chapter of your exercises (ctest -L chapterN)
chapter1 chapter2 chapter3 chapter4: learner
	@ctest --test-dir $(LEARNER) -L '^$@$$' --output-on-failure -j $(JOBS); \
	  $(KATA) progress --build $(LEARNER) --no-run --chapter $(subst chapter,,$@) || true

## make hint             the next unfinished exercise and its hint (EX=ch3.ex02 for another)
hint:
	@$(KATA) hint $(EX)

## make list             every exercise with its goal
list:
	@$(KATA) list

## make grade            JUnit XML + per-chapter score table (Markdown, JSON) in build/learner/grade
grade: learner
	@$(KATA) grade --build $(LEARNER) --out $(LEARNER)/grade

## make asan             reference solutions under AddressSanitizer + UBSan
asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan --timeout 120

## make tsan             reference chapter 3-4 tests under ThreadSanitizer
# Kernels with a high vm.mmap_rnd_bits put mappings where TSan's shadow memory
# must go ("FATAL: ThreadSanitizer: unexpected memory mapping"). setarch -R
# turns address randomization off for the build (gtest discovery runs the
# test binaries) and the run; children inherit it. Used whenever it works.
TSAN_NORAND := $(shell setarch $$(uname -m) -R true >/dev/null 2>&1 && echo "setarch $$(uname -m) -R")
TSAN_TARGETS = $(shell python3 -c 'import json; [print("ch%d_%s" % (n, e["id"])) for n in (3, 4) for e in json.load(open("manifest/chapter%d.json" % n))["exercises"]]')
tsan: deps
	cmake --preset tsan
	$(TSAN_NORAND) cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TARGETS)
	$(TSAN_NORAND) ctest --preset tsan -L 'chapter3|chapter4' --timeout 300

## make fuzz-native      libFuzzer on the IPC and HTTP parsers (clang); FUZZ_SECONDS=600 per target, FUZZ_TARGETS=...
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= json_lines fd_passing http_parser
fuzz-native:
	@bash scripts/install-deps.sh --fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" JOBS=$(JOBS) bash fuzz/run.sh

## make bench            benchmarks: event loop vs libuv vs node; spawn/IPC vs node
bench:
	@bash scripts/install-deps.sh --bench
	@bash scripts/bench.sh

## make lab-cluster      the seed's cluster claim, measured with ab/wrk/nginx
lab-cluster:
	@bash scripts/install-deps.sh --lab
	@bash scripts/lab-cluster.sh

## make clean            remove build/
clean:
	rm -rf build
