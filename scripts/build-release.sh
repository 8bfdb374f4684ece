#!/usr/bin/env bash
# The wizard's release build, for `make build` and bench/run (extra arguments are passed on to
# swift build, e.g. --scratch-path). SWIFT overrides the swift command.
#
# --static-swift-stdlib: the Swift runtime and Foundation linked in: the package brings the
#   runtime it was built and tested with, and the PC needs no Swift installed. The Debian
#   libraries it links (ncursesw, libzip, libqrencode, libstdc++, libc) are in its NEEDED
#   entries, and so in the package's Depends (dpkg-shlibdeps, scripts/build-deb.sh).
# --disable-local-rpath: no RUNPATH ($ORIGIN) in the binary: it needs no library beside it, and a
#   packaged binary must not look for libraries relative to where it lies.
set -euo pipefail
read -r -a swift <<< "${SWIFT:-swift}"  # e.g. SWIFT="xcrun swift"
exec "${swift[@]}" build -c release --static-swift-stdlib --disable-local-rpath --product incident-wizard "$@"
