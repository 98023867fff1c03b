# Outpost command hub. The two commands a new user needs: `make run` and `make test`.
# Every target installs what is missing first (Debian 12: apt, then npm into tools/).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Each preset builds in a folder of its own, side by side under build/ (CMakePresets.json):
# default (make build/run/test), ci (CI=true: warnings are errors), release (benchmarks),
# debug, asan. So CI=true on a machine with a default build still builds with -Werror.
PRESET ?= $(if $(filter true,$(CI)),ci,default)
BUILD_DIR ?= build/$(PRESET)
RELEASE_DIR := build/release
JOBS ?= $(shell nproc)
SERVER := $(BUILD_DIR)/bin/outpost-server
SERVE_ARGS ?=

# Everything the build, the tests, the benchmarks and lint need, by Debian package name.
APT_PACKAGES := \
	build-essential cmake ninja-build pkg-config git \
	qt6-base-dev qt6-httpserver-dev qt6-websockets-dev \
	libqt6sql6-sqlite libqt6sql6-psql postgresql qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	libhttp-parser-dev libexpected-dev libssl-dev libcrypt-dev libsqlite3-dev \
	clang-format clang-tidy wrk nginx-light procps curl \
	libyaml-cpp-dev \
	qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qtkeychain-qt6-dev qt6-qpa-plugins \
	xvfb xauth fonts-dejavu-core dbus-daemon gnome-keyring

# What `make package`, `make release` and the install tests (CTest label `packaging`) need on
# top of APT_PACKAGES: Debian and RPM tooling, the linters, signing and repository tools.
PACKAGING_APT_PACKAGES := \
	debhelper dpkg-dev fakeroot lintian man-db rpm rpmlint createrepo-c \
	debsigs debsig-verify gnupg gpgv apt-utils appstream desktop-file-utils systemd xz-utils

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help deps apt-deps npm-deps configure build serve run screenshots test lint format bench clean
.PHONY: packaging-deps package release reproducible-check

help:
	@echo "make run     build and start the Outpost desktop app (installs what is missing)"
	@echo "make screenshots  docs/screenshots/*.png of every view (xvfb-run)"
	@echo "make serve   build and start the headless server (outpost-server serve)"
	@echo "make test    build and run every test with CTest"
	@echo "make bench   Release build, then wrk against /healthz next to nginx"
	@echo "make bench-posts    Release build, then wrk against the posts API (bench/posts.sh)"
	@echo "make bench-pg       the posts workload on PostgreSQL, 1 and 2 replicas behind nginx"
	@echo "make bench-files    Release build, then file throughput and 1 GiB peak RSS (bench/files.sh)"
	@echo "make bench-compare  the posts benchmark next to the FastAPI anchor (bench/compare.sh)"
	@echo "make lint    clang-format check + clang-tidy on changed files + layering test"
	@echo "make format  clang-format every C++ file"
	@echo "make package .deb, .rpm and tarball in $(PACKAGES_DIR), with lintian, rpmlint & co."
	@echo "make release make package, then sign everything into $(DIST_DIR)/ with apt and yum repos"
	@echo "make reproducible-check  build the packages twice and compare them byte for byte"
	@echo "make fuzz    build the libFuzzer targets and run each FUZZ_SECONDS (default 20)"
	@echo "make test-asan  the server and its suites with ASan + UBSan (build/asan)"
	@echo "make test-tsan  the server's API suites with ThreadSanitizer (build/tsan)"
	@echo "make deps    install the Debian and npm packages the build needs"
	@echo "make clean   remove build/ (every preset's folder)"

deps: apt-deps npm-deps

apt-deps:
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(APT_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" { print $$1 }' | sort > /tmp/outpost-installed.$$$$; \
		for p in $(APT_PACKAGES); do grep -qx "$$p" /tmp/outpost-installed.$$$$ || echo "$$p"; done; \
		rm -f /tmp/outpost-installed.$$$$); \
	if ! command -v npm >/dev/null 2>&1; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

packaging-deps: apt-deps
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(PACKAGING_APT_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" { print $$1 }' | sort > /tmp/outpost-installed.$$$$; \
		for p in $(PACKAGING_APT_PACKAGES); do grep -qx "$$p" /tmp/outpost-installed.$$$$ || echo "$$p"; done; \
		rm -f /tmp/outpost-installed.$$$$); \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Swagger UI (embedded in the binary) and the OpenAPI validator, pinned by tools/package-lock.json.
npm-deps: tools/node_modules/.outpost-stamp

tools/node_modules/.outpost-stamp: tools/package.json tools/package-lock.json | apt-deps
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	@touch $@

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then cmake --preset $(PRESET); fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

serve: build
	$(SERVER) serve $(SERVE_ARGS)

# The desktop app. With no display (no DISPLAY or WAYLAND_DISPLAY) it serves headless instead.
APP := $(BUILD_DIR)/bin/outpost
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then exec $(APP); \
	else echo "No display: starting outpost --headless (Ctrl+C stops it)."; \
		exec $(APP) --headless $(SERVE_ARGS); fi

# Screenshots of every view with real data, under xvfb-run (docs/screenshots/).
screenshots: build
	bash docs/screenshots/take.sh $(APP)

test: build packaging-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2 --timeout 600

# Packages (packaging/): one Release compilation makes the .debs, .rpms and the tarball, checked
# by lintian, rpmlint, desktop-file-validate, appstreamcli and systemd-analyze. `make release`
# signs them with the key in OUTPOST_SIGNING_KEY_FILE (OUTPOST_SIGNING_KEY_PASSPHRASE_FILE if it
# has one), or with a throwaway key it makes when none is given, and lays out DIST_DIR.
PACKAGING_DIR ?= build/packaging
PACKAGES_DIR ?= $(PACKAGING_DIR)/packages
DIST_DIR ?= dist

package: deps packaging-deps
	PACKAGING_JOBS=$(JOBS) bash packaging/scripts/build-packages.sh $(PACKAGES_DIR) $(PACKAGING_DIR)/work

release: package
	bash packaging/scripts/sign-release.sh $(PACKAGES_DIR) $(DIST_DIR)

# Two package builds of the same commit (ccache off) must give byte-identical files.
reproducible-check: deps packaging-deps
	PACKAGING_JOBS=$(JOBS) bash packaging/scripts/reproducible-check.sh $(PACKAGING_DIR)/reproducible

LINT_BASE ?= $(shell git rev-parse -q --verify origin/main 2>/dev/null || git rev-parse -q --verify HEAD~1 2>/dev/null || echo HEAD)
CXX_FILES = $(shell git ls-files '*.cpp' '*.h')
CHANGED_CPP = $(shell git diff --name-only --diff-filter=d $(LINT_BASE) -- '*.cpp'; git ls-files --others --exclude-standard '*.cpp')

lint: build
	@echo "clang-format check"; clang-format --dry-run --Werror $(CXX_FILES)
	@echo "clang-tidy on changed files"; \
	files="$(sort $(CHANGED_CPP))"; \
	if [ -n "$$files" ]; then \
		clang-tidy -p $(BUILD_DIR) --quiet $$files 2>&1 | tee $(BUILD_DIR)/clang-tidy.log; \
		if grep -q "Error parsing" $(BUILD_DIR)/clang-tidy.log; then echo "clang-tidy config error"; exit 1; fi; \
		if grep -qE "(warning|error):" $(BUILD_DIR)/clang-tidy.log; then exit 1; fi; \
	fi
	@echo "layering"; ctest --test-dir $(BUILD_DIR) -R "tst_layering|^layering_" --output-on-failure

format:
	clang-format -i $(CXX_FILES)

bench: deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/run.sh
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts-pg.sh
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/files.sh

# The posts workload on PostgreSQL, one replica and two behind nginx (bench/posts-pg.sh).
bench-pg: deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts-pg.sh

# Files: upload/download throughput and peak RSS for a 1 GiB file, local and S3 (bench/files.sh).
bench-files: deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/files.sh

# The posts API with 10,000 seeded posts under wrk (bench/posts.sh; see bench/README.md).
bench-posts: deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts.sh

# What the FastAPI anchor (the folder FASTAPI_ANCHOR names) needs to run with Debian's python3.
BENCH_COMPARE_APT_PACKAGES := \
	python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-sqlalchemy \
	python3-jose python3-passlib python3-bcrypt python3-multipart python3-email-validator

.PHONY: bench-posts bench-pg bench-compare bench-compare-deps bench-files

bench-compare-deps: apt-deps
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(BENCH_COMPARE_APT_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" { print $$1 }' | sort > /tmp/outpost-installed.$$$$; \
		for p in $(BENCH_COMPARE_APT_PACKAGES); do grep -qx "$$p" /tmp/outpost-installed.$$$$ || echo "$$p"; done; \
		rm -f /tmp/outpost-installed.$$$$); \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Outpost's posts benchmark next to the FastAPI anchor's, in one run (bench/compare.sh).
bench-compare: deps bench-compare-deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/compare.sh

clean:
	rm -rf build

# --- Fuzzing and sanitizers (tests/fuzz, tests/sanitizers; README "How Outpost is tested") ---
# libFuzzer needs clang and its runtimes; the sanitizer builds use the default compiler (GCC).
FUZZ_APT_PACKAGES := clang libclang-rt-14-dev
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 20
ASAN_DIR := build/asan
TSAN_DIR := build/tsan
# Every suite but the package and container tests (they build and install packages, not the
# server's code) and the layering probes (they only compile); ASAN_TESTS narrows it (-R regex).
SANITIZER_CTEST_ARGS := -LE 'packaging|container' -E '^layering_' -j 2 --timeout 1200
ASAN_TESTS ?=
# The server's API suites, for the one ThreadSanitizer run.
TSAN_TESTS ?= ^tst_[a-z]+api$$|^tst_hardening$$|^tst_tokenpruning$$|^tst_localrunner$$

# What CI runs under ASan + UBSan (.ci/run; the choice and its timings: README "How Outpost is
# tested"): the suites of the code that reads outside input, on SQLite only.
ASAN_CI_SUITES := tst_requestframer tst_router tst_jwt tst_crypto tst_models tst_postmodels \
	tst_filemodels tst_coreformat tst_config tst_sigv4 tst_databaseurl tst_migrations \
	tst_repositories tst_postrepository tst_writebatcher tst_pipelinemapping \
	tst_hardening tst_postsapi tst_authapi tst_filesapi tst_webhooksapi
empty :=
space := $(empty) $(empty)

.PHONY: fuzz fuzz-deps test-asan test-asan-ci test-tsan

fuzz-deps: apt-deps
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(FUZZ_APT_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" { print $$1 }' | sort > /tmp/outpost-installed.$$$$; \
		for p in $(FUZZ_APT_PACKAGES); do grep -qx "$$p" /tmp/outpost-installed.$$$$ || echo "$$p"; done; \
		rm -f /tmp/outpost-installed.$$$$); \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Builds every libFuzzer target and runs each for FUZZ_SECONDS from its seed corpus; fails on
# any crash, sanitizer report, timeout or out-of-memory (the inputs land in build/fuzz/artifacts).
fuzz: fuzz-deps npm-deps
	@if [ ! -f $(FUZZ_DIR)/build.ninja ]; then cmake --preset fuzz; fi
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target outpost_fuzzers
	bash tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# The server and its suites with AddressSanitizer + UndefinedBehaviorSanitizer (the asan
# preset): every suite must run clean, leaks included (tests/sanitizers/lsan.supp).
test-asan: deps
	@if [ ! -f $(ASAN_DIR)/build.ninja ]; then cmake --preset asan; fi
	cmake --build $(ASAN_DIR) -j $(JOBS)
	bash tests/sanitizers/run-ctest.sh asan $(ASAN_DIR) $(SANITIZER_CTEST_ARGS) \
		$(if $(ASAN_TESTS),-R '$(ASAN_TESTS)')

# CI's share of test-asan: only ASAN_CI_SUITES are built and run.
test-asan-ci: deps
	@if [ ! -f $(ASAN_DIR)/build.ninja ]; then cmake --preset asan; fi
	cmake --build $(ASAN_DIR) -j $(JOBS) --target outpost-server $(ASAN_CI_SUITES)
	bash tests/sanitizers/run-ctest.sh asan $(ASAN_DIR) $(SANITIZER_CTEST_ARGS) \
		-R '^($(subst $(space),|,$(ASAN_CI_SUITES)))$$'

# The server's API suites with ThreadSanitizer (the tsan preset). Not part of CI: run it
# after changing threads, locks or what crosses between them.
test-tsan: deps
	@if [ ! -f $(TSAN_DIR)/build.ninja ]; then cmake --preset tsan; fi
	cmake --build $(TSAN_DIR) -j $(JOBS)
	bash tests/sanitizers/run-ctest.sh tsan $(TSAN_DIR) $(SANITIZER_CTEST_ARGS) -R '$(TSAN_TESTS)'
