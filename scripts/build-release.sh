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
# libstdc++ linked in too (Linux): the static Swift runtime needs it, and the shared libstdc++.so.6
#   cost 0.6-1.7 ms of every start (~1,700 symbol relocations at load, and its own loading and
#   initialisation). SwiftPM and the static runtime's link arguments ask for -lstdc++; a
#   directory searched first holds a linker script of that name that names Debian's libstdc++.a
#   (libstdc++-NN-dev, which the Swift toolchain needs anyway). Nothing else the wizard loads is
#   C++ (ncursesw, libqrencode, libzip are C), so there is never a second copy in the process.
# --no-export-dynamic: the binary exports no symbols. The static runtime's link arguments export
#   every symbol of the object files (10,606: swift-crypto's BoringSSL and our modules), and at each
#   start the runtime's dladdr() searched them one by one (0.19 ms of profile samples a start), besides the pages of .dynsym and
#   .dynstr. Nothing looks a symbol of the binary up by name (libzip's and libqrencode's are looked
#   up in their own libraries).
# -static-libgcc: GCC's unwinder (the runtime's and libstdc++'s) linked in from libgcc_eh.a, not
#   libgcc_s.so.1 loaded at every start.
# Figures: bench/README.md.
set -euo pipefail
read -r -a swift <<< "${SWIFT:-swift}"  # e.g. SWIFT="xcrun swift"
static_cxx=()
linux_link=()
if [ "$(uname -s)" = Linux ]; then
    linux_link=(-Xlinker --no-export-dynamic -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
    archive=""
    # The toolchain's own clang first: it links the binary, with its choice of GCC installation.
    toolchain_clang="$(dirname "$(command -v swiftc 2>/dev/null || echo /nonexistent/swiftc)")/clang"
    for cc in "$toolchain_clang" "${CC:-cc}" gcc clang; do
        found=$("$cc" -print-file-name=libstdc++.a 2>/dev/null) || continue
        if [ "${found#/}" != "$found" ] && [ -f "$found" ]; then archive=$found; break; fi
    done
    if [ -z "$archive" ]; then
        echo "build-release: libstdc++.a not found (install libstdc++-dev): linking the shared libstdc++" >&2
    else
        directory="$(CDPATH='' cd -- "$(dirname -- "$0")/.." >/dev/null && pwd)/.build/static-libstdc++"
        mkdir -p "$directory"
        script="INPUT(\"$archive\")"
        [ "$(cat "$directory/libstdc++.so" 2>/dev/null)" = "$script" ] || echo "$script" > "$directory/libstdc++.so"
        static_cxx=(-Xswiftc -L -Xswiftc "$directory")
    fi
fi
exec "${swift[@]}" build -c release --static-swift-stdlib --disable-local-rpath --product incident-wizard \
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors ${static_cxx[@]+"${static_cxx[@]}"} \
    ${linux_link[@]+"${linux_link[@]}"} "$@"
