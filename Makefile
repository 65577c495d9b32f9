# Convenience wrapper around CMake (as cmark's is).
#   make run    install missing build dependencies, build, render data/pubs.bib
#   make test   that install plus the test tools (pandoc), a sanitizer build, every test
BUILD ?= build
TEST_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test-deps build run test golden clean install bench timed

all: build

deps:
	@bash scripts/install-deps.sh

# The build dependencies plus what only the tests use (pandoc, python3).
test-deps:
	@bash scripts/install-deps.sh --test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/pubrender --standalone --highlight "Byungsoo Oh" -o $(BUILD)/pubs.html data/pubs.bib
	@echo "wrote $(BUILD)/pubs.html"

# The library, headers, program, man pages, CMake package and pubrender.pc
# (README: Installing and linking); PREFIX=... to install elsewhere than
# CMAKE_INSTALL_PREFIX (/usr/local), DESTDIR=... for a package.
install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

$(TEST_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPR_SANITIZE=ON

test: test-deps $(TEST_BUILD)/CMakeCache.txt
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

# Rewrite the expected files of the golden tests (review with git diff).
golden: deps $(TEST_BUILD)/CMakeCache.txt
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && PR_GOLDEN_UPDATE=1 ctest -R '^golden_' -j $(JOBS)

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

# ---- fuzzing and memcheck (tests/fuzz/README.md) ----------------------------
#   make fuzz       libFuzzer (clang) on every tests/fuzz/fuzz_*.c target, FUZZ_SECONDS each
#   make memcheck   every test under valgrind: zero errors, zero definite leaks
FUZZ_BUILD ?= build-fuzz
MEMCHECK_BUILD ?= build-memcheck
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: fuzz fuzz-deps memcheck memcheck-deps

fuzz-deps:
	@bash scripts/install-deps.sh --fuzz

$(FUZZ_BUILD)/CMakeCache.txt:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DPR_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS_DEBUG=-g -O1"

fuzz: fuzz-deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

memcheck-deps:
	@bash scripts/install-deps.sh --test
	@bash scripts/install-deps.sh --memcheck

$(MEMCHECK_BUILD)/CMakeCache.txt:
	cmake -S . -B $(MEMCHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPR_MEMCHECK=ON

# Each valgrind process writes $(MEMCHECK_BUILD)/memcheck/<pid>.log; a test
# fails on a valgrind error by its exit status, and this target also fails
# on any log whose ERROR SUMMARY is not 0 (a script that ignored the status).
memcheck: memcheck-deps $(MEMCHECK_BUILD)/CMakeCache.txt
	cmake --build $(MEMCHECK_BUILD) -j $(JOBS)
	rm -rf $(MEMCHECK_BUILD)/memcheck && mkdir -p $(MEMCHECK_BUILD)/memcheck
	cd $(MEMCHECK_BUILD) && ctest --output-on-failure -j $(JOBS); \
	status=$$?; \
	logs=$$(find memcheck -name '*.log' | wc -l); \
	bad=$$(grep -L 'ERROR SUMMARY: 0 errors' memcheck/*.log 2>/dev/null); \
	for f in $$bad; do echo "== $(MEMCHECK_BUILD)/$$f"; cat "$$f"; done; \
	echo "memcheck: $$logs programs run under valgrind, $$(echo $$bad | wc -w) with errors"; \
	[ $$status -eq 0 ] && [ -z "$$bad" ] && [ $$logs -gt 0 ]

# ---- timing checks ------------------------------------------------------------
#   make timed   the tests' CPU-time checks (linear-time ratios, bounds on
#                hostile input: CHECK_TIMED in tests/harness.h), on the Release
#                build; make test skips them (they measure the machine's load)
timed: build
	cd $(BUILD) && PR_TIMED=1 ctest --output-on-failure \
	  -R '^(limits|hostile_shared|hostile_static|hostile_btparse_first|unit_latex|unit_select|unit_mustache)$$'

# ---- CSL-JSON against pandoc and pybtex on ../shared/bench-corpus ----------
#   make diff-bench   both readers, a Release build: the figures; every difference in
#                     $(BUILD)/diff-bench.log
#   (README: Checked against two other readers). The ctest label `slow`.
.PHONY: diff-bench
diff-bench: test-deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && { ctest --output-on-failure -V -L slow -R '^csl_(pandoc|pybtex)_diff_bench$$' \
	  > diff-bench.log 2>&1; rc=$$?; \
	  grep -E '^[0-9]+: (using|note|SKIP|FAIL|agreement|core agreement)|tests passed' diff-bench.log; \
	  echo "every difference: $(BUILD)/diff-bench.log"; exit $$rc; }

# ---- benchmark (README: Performance) ------------------------------------------
#   make bench                        50 MB file, ours 5 runs, each peer once
#   make bench BENCH_ARGS=--huge      also the 200 MB file
#   make bench BENCH_ARGS="--no-peers --runs 9"
BENCH_ARGS ?=
bench:
	bash bench/bench.sh $(BENCH_ARGS)
