# The two commands of the README. Both install what is missing first (as root) or print the
# exact apt-get command (as another user).
SWIFT ?= swift
BIN = .build/release/incident-wizard
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
MAN = .build/man/incident-wizard.1

.PHONY: run test test-release build bench fuzz deps-run deps-test validate clean man install uninstall deb test-package

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
## Foundation linked statically, no RUNPATH.
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

## The man page, generated from the command line's own definitions by swift-argument-parser's
## generate-manual plugin (never hand-written).
man: $(MAN)
$(MAN): build
	@mkdir -p .build/man
	$(SWIFT) package --allow-writing-to-directory .build/man generate-manual --configuration debug \
	    --output-directory .build/man --authors "the incident-wizard authors" \
	    --section 1 --date "$$(date -u +%Y-%m-%d)"
	@# mdoc needs no blank lines (groff warns about each one).
	sed -i '/^$$/d' $(MAN)
	@test -s $(MAN)

## Install the release binary, the launcher, the packaged playbooks, the man page, completions,
## the desktop launcher and its icon (PREFIX, default /usr/local; DESTDIR for staging).
install: build man
	scripts/install.sh install "$(DESTDIR)" "$(PREFIX)" "$(SYSCONFDIR)" "$(BIN)" "$(MAN)"

uninstall:
	scripts/install.sh uninstall "$(DESTDIR)" "$(PREFIX)" "$(SYSCONFDIR)"

## The Debian package, built with the Debian tools into dist/ (scripts/build-deb.sh).
deb: build man
	scripts/build-deb.sh "$(BIN)" "$(MAN)"

## The package as an administrator gets it: installed on this machine (as root), checked as a
## user, then every end-to-end test against the installed binary.
test-package: deb
	scripts/test-package.sh

clean:
	rm -rf .build dist
