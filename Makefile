# The two commands README starts with. Both install missing system packages first.
DATA ?= ./data
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: deps run test build bench

deps:
	@tools/install-deps.sh

## run: build in release mode and run the server on $(DATA)
run: deps
	swift run -c release leadledger serve --data $(DATA) --host $(HOST) --port $(PORT)

## test: the contract checks (generated files current, OpenAPI valid), a short fuzz of the untrusted-input
## parsers, then every test (Swift Testing, real LMDB in temp directories). The tests that drive the built
## binary under load (servers killed mid-append, rebuilds beside a server) run after the others, not beside
## them: their fsyncs would slow every other test's disk and trip its timeouts.
test: deps
	python3 tools/openapi/generate.py --check
	python3 -m openapi_spec_validator schemas/openapi.yaml
	tools/fuzz/run.sh --smoke
	swift build --build-tests
	swift test --skip-build --skip CLITests
	swift test --skip-build --filter CLITests

build: deps
	swift build

## bench: event log benchmarks, JSON on stdout
bench: deps
	swift run -c release leadledger bench log
