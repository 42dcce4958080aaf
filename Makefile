# Porchlight: `make run` serves the app, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Build outside the checkout so fresh clones (CI) reuse earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/porchlight-target
# cargo-leptos builds the debug server with this flag; tests and clippy use it
# too so that they share one build cache.
SERVER_RUSTFLAGS := --cfg erase_components
TIMED = scripts/timed.sh

.PHONY: run test tools fmt-check clippy wasm-deps test-sqlite test-postgres build e2e release bench

run: tools
	cargo leptos serve --split

release: tools
	cargo leptos build --release --split

test: tools
	@scripts/ensure-tools.sh --test
	@$(TIMED) "format" $(MAKE) -s fmt-check
	@$(TIMED) "clippy (ssr, hydrate)" $(MAKE) -s clippy
	@$(TIMED) "wasm build has no server crates" $(MAKE) -s wasm-deps
	@$(TIMED) "no pool use inside an open transaction" scripts/check-no-pool-in-transaction.sh
	@$(TIMED) "every write waits its turn" scripts/check-writes-take-turns.sh
	@$(TIMED) "all SQL is in src/server/db" scripts/check-sql-in-db.sh
	@$(TIMED) "no SQL folds case" scripts/check-no-sql-case-folding.sh
	@$(TIMED) "the catalogs hold the same keys" scripts/check-catalogs.py
	@$(TIMED) "rust tests on SQLite" $(MAKE) -s test-sqlite
	@$(TIMED) "rust tests on PostgreSQL" $(MAKE) -s test-postgres
	@$(TIMED) "build the site" $(MAKE) -s build
	@$(TIMED) "browser tests (Playwright, Chromium)" $(MAKE) -s e2e

tools:
	@scripts/ensure-tools.sh

fmt-check:
	cargo fmt --all -- --check

clippy:
	RUSTFLAGS="$(SERVER_RUSTFLAGS)" cargo clippy --all-targets --features ssr -- -D warnings
	cargo clippy --all-targets --features hydrate -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings

wasm-deps:
	scripts/check-wasm-deps.sh

test-sqlite:
	env -u PORCHLIGHT_TEST_POSTGRES_URL RUSTFLAGS="$(SERVER_RUSTFLAGS)" cargo test --features ssr

test-postgres:
	@if [ -z "$${PORCHLIGHT_TEST_POSTGRES_URL:-}" ]; then \
	  echo "PORCHLIGHT_TEST_POSTGRES_URL is not set: PostgreSQL tests not run"; \
	else \
	  RUSTFLAGS="$(SERVER_RUSTFLAGS)" cargo test --features ssr --test integration -- --include-ignored; \
	fi

build:
	cargo leptos build --split

e2e:
	npx playwright test --config end2end/playwright.config.ts

# Benchmarks, not part of `make test`; both also run on PostgreSQL when
# PORCHLIGHT_TEST_POSTGRES_URL is set. client_list: the list's first page with
# BENCH_CLIENTS clients (default 100000). bulk_invite: a bulk invitation of
# BENCH_EMAILS (default 10000) until a local SMTP server accepted them all.
bench:
	@scripts/ensure-tools.sh --bench
	cargo bench --features ssr --bench client_list
	cargo bench --features ssr --bench client_export
	cargo bench --features ssr --bench client_import
	cargo bench --features ssr --bench bulk_invite
	cargo bench --features ssr --bench pages
	cargo bench --features ssr --bench activations
