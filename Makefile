# The two commands of the README. Both install what is missing first (as root) or print the
# exact apt-get command (as another user).
SWIFT ?= swift
BIN = .build/release/incident-wizard

.PHONY: run test build bench fuzz deps-run deps-test validate clean

## Run the wizard on the shipped default playbook (Emotet).
run: deps-run build
	@# Exit 3 means the employee chose to stop (the answers are kept): not a make error.
	@$(BIN) run emotet --playbooks playbooks; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 3 ]

## Run the whole test suite: unit, engine, validator and end-to-end tests of the real binary.
test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test

## The Swift runtime and Foundation are linked statically: the wizard starts in a third of the
## time and with less memory (bench/README.md).
build:
	$(SWIFT) build -c release --static-swift-stdlib --product incident-wizard

deps-run:
	@scripts/ensure-deps.sh run

deps-test:
	@scripts/ensure-deps.sh test

## Benchmarks side by side with dialog (bench/README.md); not part of `test` (timings are noisy).
bench: build
	WIZARD=$(CURDIR)/$(BIN) bench/run

## Fuzz the playbook loader and validator for SECONDS (default 60; fuzz/README.md).
fuzz:
	scripts/fuzz.sh $(or $(SECONDS),60)

## Check the shipped playbooks as an administrator would.
validate: build
	$(BIN) validate playbooks/*.yaml

clean:
	rm -rf .build
