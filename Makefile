# Convenience wrapper around CMake (as cmark's is).
#   make run    install missing build dependencies, build, render data/pubs.bib
#   make test   the same install, a sanitizer build, and every test through ctest
BUILD ?= build
TEST_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build run test golden clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/pubrender --standalone --highlight "Byungsoo Oh" -o $(BUILD)/pubs.html data/pubs.bib
	@echo "wrote $(BUILD)/pubs.html"

$(TEST_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPR_SANITIZE=ON

test: deps $(TEST_BUILD)/CMakeCache.txt
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

# Rewrite the expected files of the golden tests (review with git diff).
golden: deps $(TEST_BUILD)/CMakeCache.txt
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && PR_GOLDEN_UPDATE=1 ctest -R '^golden_' -j $(JOBS)

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
