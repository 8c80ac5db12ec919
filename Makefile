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
.PHONY: chapter1 chapter2 chapter3 chapter4 watch all reset compare configure

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## make                  build the exercises you touched + the next one, show progress + the next hint
# Untouched exercises (files = the committed stubs) are "not started" without a
# build; results are kept per exercise until its binary changes (tools/README.md).
progress: $(LEARNER)/.deps-ok configure
	@$(KATA) progress --build $(LEARNER) --make

## make watch            one screen for the current exercise: rebuilt and retested on every save
watch: $(LEARNER)/.deps-ok configure
	@$(KATA) watch --build $(LEARNER) $(EX)

## make all              build and run every exercise, untouched ones too
all: $(LEARNER)/.deps-ok configure
	@$(KATA) progress --build $(LEARNER) --make --all

deps:
	@bash scripts/install-deps.sh

# install-deps once per checkout (again when the script changes): `make` stays quick.
$(LEARNER)/.deps-ok: scripts/install-deps.sh
	@bash scripts/install-deps.sh
	@mkdir -p $(LEARNER) && touch $@

# cmake --preset learner, only when build/learner is not configured yet (ninja
# re-runs CMake by itself when a CMakeLists.txt or a manifest changes).
configure:
	@test -f $(LEARNER)/build.ninja || { mkdir -p $(LEARNER); echo "configuring $(LEARNER) (cmake --preset learner) ..."; \
	  cmake --preset learner >$(LEARNER).configure.log 2>&1 || { cat $(LEARNER).configure.log; exit 1; }; }

# Everything (make grade needs every binary). Keeps going past an exercise that
# does not compile (-k 0): the others still get graded.
learner: deps
	@mkdir -p build
	@cmake --preset learner >$(LEARNER).configure.log 2>&1 || { cat $(LEARNER).configure.log; exit 1; }
	@echo "building your exercises (log: $(LEARNER)/build.log) ..."
	@set -o pipefail; cmake --build --preset learner -j $(JOBS) -- -k 0 2>&1 | tee $(LEARNER)/build.log \
	  | grep --line-buffered -E '^(FAILED:|.*error:)' | head -20 || true

## make test             reference solutions + harness self-tests (what CI runs)
test:
	@bash scripts/install-deps.sh --test   # + tmux, bubblewrap, PyYAML: the harness self-tests drive them
	cmake --preset solutions
	cmake --build --preset solutions -j $(JOBS)
	ctest --preset solutions --timeout 60

## make chapter1..4      build and run one chapter of your exercises (ctest -L chapterN)
chapter1 chapter2 chapter3 chapter4: $(LEARNER)/.deps-ok configure
	@set -o pipefail; cmake --build $(LEARNER) -j $(JOBS) --target $$($(KATA) targets --chapter $(subst chapter,,$@)) \
	  -- -k 0 2>&1 | tee $(LEARNER)/build.log | grep --line-buffered -E '^(FAILED:|.*error:)' | head -20 || true
	@ctest --test-dir $(LEARNER) -L '^$@$$' --output-on-failure -j $(JOBS); \
	  $(KATA) progress --build $(LEARNER) --no-run --build-log $(LEARNER)/build.log --chapter $(subst chapter,,$@) || true

## make hint             the next unfinished exercise and its hint (EX=ch3.ex02 for another)
hint:
	@$(KATA) hint $(EX)

## make list             every exercise with its goal
list:
	@$(KATA) list

## make reset EX=ch1.ex01    put that exercise's stubs back (asks; your files are backed up first)
reset:
	@$(KATA) reset --build $(LEARNER) $(EX)

## make compare EX=ch1.ex01  your files vs the reference, once the exercise passes
compare:
	@$(KATA) compare --build $(LEARNER) $(EX)

## make check EX=ch3.ex02    the hidden checks: generated programs, your code vs the reference (SEED=N to repeat)
.PHONY: check
check: $(LEARNER)/.deps-ok configure
	@test -n "$(EX)" || { echo "usage: make check EX=ch3.ex02 [SEED=N]"; exit 2; }
	@$(KATA) check --build $(LEARNER) $(EX) $(if $(filter command line environment,$(origin SEED)),--seed $(SEED))

## make grade            JUnit XML + per-chapter score table (Markdown, JSON) in build/learner/grade
grade: learner
	@$(KATA) grade --build $(LEARNER) --out $(LEARNER)/grade

## make grade-submission SUBMISSION=PATH_OR_GIT_URL [REF=commit]  pristine grade in a sandbox (docs/grading.md)
.PHONY: grade-submission
grade-submission:
	@test -n "$(SUBMISSION)" || { echo "usage: make grade-submission SUBMISSION=path-or-git-url [REF=commit]"; exit 2; }
	@bash scripts/install-deps.sh --grade
	@$(KATA) grade --submission "$(SUBMISSION)" --out build/grade-submission $(if $(REF),--ref $(REF))

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

# ---- the JavaScript playground (playground/README.md) ------------------------
.PHONY: js fuzz-order
N ?= 2000
SEED ?= 1
LOOP ?= reference
## make js FILE=x.js     run x.js on node and on a C++ loop side by side (LOOP=yours: your chapter 3)
js:
	@test -n "$(FILE)" || { echo "usage: make js FILE=program.js [LOOP=yours] [ARGS='--trace --html out.html']"; exit 2; }
	@$(KATA) js "$(FILE)" --loop $(LOOP) $(ARGS); test $$? -le 1   # 1 = the outputs differ: not make's error

## make fuzz-order N=2000 SEED=1   random programs: node vs the reference loop (mismatches in build/fuzz-order/)
fuzz-order:
	@mkdir -p build/fuzz-order && driver=$$(python3 tools/katalib/playground.py reference) && \
	  $$driver -- node --expose-internals playground/js/fuzz.js \
	  --n $(N) --seed $(SEED) --jobs $(JOBS) --out build/fuzz-order
