# jspkg: `make demo` and `make test` are all a fresh machine needs.
# Every target installs what it is missing (Debian packages, npm and PyPI
# tools into .jspkg-tools/), so nothing has to be installed by hand.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
# One profile for the demo, the tests and the benchmarks: wasmtime compiles
# engines far faster when optimized, and the tree is built once.
PROFILE := release
JSPKG := target/$(PROFILE)/jspkg
TOOLS_ENV := .jspkg-tools/env.sh

.PHONY: demo test toolchain engine engine-checked cli tools registry-tools lint lint-only clean help soak fuzz levers

help:
	@echo "make demo    build the engine and the CLI, build examples/hello-ts and run it, serve examples/http/echo.js"
	@echo "make test    the same set-up, then every test"
	@echo "make bench   the benchmarks (start-up, new app, memory, throughput, registry, HTTP load); figures for BENCHMARKS.md"
	@echo "make lint    cargo fmt --check and cargo clippy -D warnings"
	@echo "make levers  the engine's interpreter levers one by one: throughput kernels side by side (benches/engine-levers.sh)"
	@echo "make soak    jspkg serve under 100,000 mixed requests at concurrency 64 (benches/soak.sh)"
	@echo "make fuzz    fuzz campaign: 1,000,000 executions of each fuzz target, the app loader included (fuzz/campaign.sh)"

# The Rust toolchains the rust-toolchain.toml files name (rustup installs
# them when missing).
toolchain:
	scripts/setup-rust.sh

engine: toolchain
	engine-component/build.sh

# The engine, then a second build from scratch, of a copy of the sources at
# another path, that must give the same bytes.
# build.sh is not a no-op when nothing changed (the two worlds' features
# alternate on one crate, so cargo relinks it: ~100 s), so `make test` runs
# it once, here, and not again through `engine`.
engine-checked: toolchain
	engine-component/build.sh --check-reproducible

# Every binary of the workspace at once (jspkg, jspkg-bench): with `-p` cargo
# resolves each package's features apart (hashbrown, futures-util, tracing
# differ), and each such set compiles wasmtime again (~8 min here). Built
# workspace-wide, `make demo`, `make test` and `make bench` share one build.
cli: engine
	$(CARGO) build --$(PROFILE) --locked --workspace --bins

tools:
	scripts/setup-tools.sh

registry-tools:
	scripts/setup-registry.sh

demo: cli
	@mkdir -p target/demo
	$(JSPKG) build examples/hello-ts/hello.ts -o target/demo/hello.wasm
	$(JSPKG) run target/demo/hello.wasm -- WebAssembly
	scripts/demo-http.sh $(JSPKG)

test: engine-checked tools registry-tools
	source $(TOOLS_ENV) && $(CARGO) test --$(PROFILE) --locked --workspace
	$(MAKE) lint-only
	fuzz/smoke.sh 5

lint: engine
	$(MAKE) lint-only

# Lint without building the engine first (clippy needs target/engine/*.wasm,
# which `make test` has just built).
lint-only: toolchain
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path engine-component/Cargo.toml -- --check
	$(CARGO) clippy --$(PROFILE) --locked --workspace --all-targets -- -D warnings

bench: cli tools registry-tools
	source $(TOOLS_ENV) && target/$(PROFILE)/jspkg-bench
	source $(TOOLS_ENV) && benches/cli-slice.sh
	source $(TOOLS_ENV) && benches/split-compose.sh
	source $(TOOLS_ENV) && benches/registry.sh
	source $(TOOLS_ENV) && benches/rebuild.sh
	source $(TOOLS_ENV) && benches/http-load.sh

clean:
	$(CARGO) clean
	rm -rf engine-component/target

soak: engine tools
	benches/soak.sh

levers: cli tools
	benches/engine-levers.sh

fuzz: cli
	fuzz/campaign.sh
