# The two commands of the README. Both install what is missing first (as root) or print the
# exact apt-get command (as another user).
SWIFT ?= swift
BIN = .build/release/incident-wizard

.PHONY: run test test-release build bench fuzz deps-run deps-test validate clean

## Run the wizard on the shipped default playbook (Emotet).
run: deps-run build
	@# Exit 3 means the employee chose to stop (the answers are kept): not a make error.
	@$(BIN) run emotet --playbooks playbooks; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 3 ]

## Run the whole test suite: unit, engine, validator and end-to-end tests of the real binary.
test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test

## The end-to-end tests (every test that starts the binary) again, against the release build:
## its flags are part of what ships, and it has hidden a bug the debug build did not have.
test-release: deps-test build
	$(SWIFT) build --build-tests
	INCIDENT_WIZARD_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --skip-build --filter IncidentWizardCLITests

## The release build (scripts/build-release.sh says why its flags): the Swift runtime and
## Foundation linked statically, generic metadata reached without demangling (bench/README.md).
build:
	SWIFT="$(SWIFT)" scripts/build-release.sh

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
