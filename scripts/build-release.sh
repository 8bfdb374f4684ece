#!/usr/bin/env bash
# The wizard's release build, for `make build` and bench/run (extra arguments are passed on to
# swift build, e.g. --scratch-path). SWIFT overrides the swift command.
#
# --static-swift-stdlib: the Swift runtime and Foundation linked in, not 18 shared libraries to
#   load and bind at every start.
# -disable-concrete-type-metadata-mangled-name-accessors: the compiled code asks for the metadata of
#   a concrete generic type (`[String: String]`, `Set<Diagnostic>`, …) through its accessor, with
#   the conformances it needs passed in, instead of by mangled name, which the runtime demangles
#   and whose conformances it looks up by scanning every conformance record in the binary: half of
#   the wizard's own work before its first screen. The binary grows by about 0.1 %.
# --disable-local-rpath: no RUNPATH ($ORIGIN) in the binary: it needs no library beside it, and a
#   packaged binary must not look for libraries relative to where it lies.
# Figures for the first two: bench/README.md.
set -euo pipefail
read -r -a swift <<< "${SWIFT:-swift}"  # e.g. SWIFT="xcrun swift"
exec "${swift[@]}" build -c release --static-swift-stdlib --disable-local-rpath --product incident-wizard \
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors "$@"
