# Symbiont: `make demo` runs the ecosystem locally, `make test` runs every test.
# Both install (npm ci) and build (make tools) what they need on a fresh clone.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Go may live outside PATH on a fresh machine (its standard install folder).
export PATH := $(PATH):/usr/local/go/bin
NODE_MODULES := node_modules/.package-lock.json
# TypeScript run directly; workspace packages resolve to their sources (docs/module-contract.md).
TSX := node --conditions=symbiont-source --import tsx

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(NODE_MODULES): package.json package-lock.json operator/package.json $(wildcard packages/*/package.json services/*/package.json)
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: $(NODE_MODULES) ## install the npm workspace (npm ci)

.PHONY: tools
tools: ## build the pinned real components into the per-user cache (tools/versions.env)
	tools/build.sh

.PHONY: generate
generate: $(NODE_MODULES) ## regenerate what derives from crds/, samples/ and the operator (TS types, components/, chart templates)
	$(TSX) scripts/generate-types.ts
	$(TSX) scripts/generate-components.ts
	$(TSX) hack/chart-sync.ts

.PHONY: typecheck
typecheck: $(NODE_MODULES)
	node_modules/.bin/tsc -p tsconfig.json

.PHONY: lint
lint: $(NODE_MODULES) ## eslint, prettier and the TypeScript compiler (side by side, each one's output whole)
	$(MAKE) --no-print-directory -j3 --output-sync=target eslint prettier-check typecheck

.PHONY: eslint prettier-check
eslint: $(NODE_MODULES)
	node_modules/.bin/eslint .

prettier-check: $(NODE_MODULES)
	node_modules/.bin/prettier --check .

.PHONY: test-unit
test-unit: $(NODE_MODULES) ## unit tests (no cluster needed)
	node_modules/.bin/vitest run --project unit

.PHONY: chromium
chromium: ## install Debian's chromium for the browser tests when it is missing (apt-get)
	hack/install-chromium.sh >/dev/null

.PHONY: test-integration
test-integration: $(NODE_MODULES) tools chromium ## integration tests on the real control plane (and in a browser)
	node_modules/.bin/vitest run --project integration

.PHONY: test
test: lint test-unit test-integration ## everything CI runs: lint, unit and integration tests

.PHONY: build
build: $(NODE_MODULES) ## compile the operator and services to dist/
	npm run build --workspaces --if-present

.PHONY: demo
demo: $(NODE_MODULES) tools ## start the local ecosystem and show it with kubectl
	$(TSX) dev/demo.ts

.PHONY: cluster
cluster: $(NODE_MODULES) tools ## start a clean control plane with Dapr's CRDs in the background and print its exports (CRDS=all|dapr|none, KEEP=1 keeps the last one's data)
	@SYMBIONT_CLUSTER_CRDS="$(CRDS)" SYMBIONT_CLUSTER_KEEP="$(KEEP)" $(TSX) dev/harness/cli.ts up

.PHONY: cluster-down
cluster-down: $(NODE_MODULES) ## stop the control plane of `make cluster`
	@$(TSX) dev/harness/cli.ts down

.PHONY: cluster-clean
cluster-clean: cluster-down ## stop the control plane of `make cluster` and delete its data
	rm -rf "$${SYMBIONT_CLUSTER_DIR:-$${SYMBIONT_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/symbiont}/cluster}"

.PHONY: run
run: $(NODE_MODULES) ## run the operator against the current KUBECONFIG
	$(TSX) operator/src/main.ts

.PHONY: bench
bench: $(NODE_MODULES) tools ## run the benchmarks under bench/ (prints figures; see BENCHMARKS.md)
	@for b in bench/*/run.ts; do [ -e "$$b" ] || continue; echo "== $$b"; $(TSX) "$$b"; done

.PHONY: chaos
chaos: $(NODE_MODULES) tools ## the fault suite, long version: one line per scenario, report written into RELIABILITY.md
	$(TSX) dev/chaos/chaos-report.ts

.PHONY: chart
chart: $(NODE_MODULES) ## regenerate the chart's CRD and RBAC templates (from crds/ and operator/src/rbac)
	$(TSX) hack/chart-sync.ts

.PHONY: images
images: ## build the operator and service images (needs a Docker engine)
	hack/images.sh

.PHONY: e2e-kind
e2e-kind: ## with Docker: kind cluster, Dapr, images, helm install, samples, smoke check
	@hack/require-docker.sh "make e2e-kind"
	tools/build.sh kubernetes helm
	test/e2e-kind/run.sh

.PHONY: clean
clean: ## remove build output (the tools cache is kept)
	rm -rf dist operator/dist services/*/dist coverage
