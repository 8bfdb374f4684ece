#!/usr/bin/env bash
# Builds the libFuzzer target of fuzz/ (playbook loader + validator + contacts loader) and runs it
# for a bounded time. Exits non-zero when it finds a crash, a hang or excessive memory use, and
# prints the reproducer and how to keep it as a regression fixture.
#
# Usage: scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]     (default 60 seconds)
# Environment:
#   FUZZ_CORPUS=DIR  keep the corpus in DIR across runs (default: a temporary folder, seeded anew)
#   FUZZ_KEEP=1      keep the temporary work folder even when nothing was found
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-60}"
[ $# -gt 0 ] && shift
case "$duration" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS] [libFuzzer flags...]" >&2; exit 2 ;;
esac

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift toolchain is not on PATH; install it from swift.org first." >&2
  exit 2
fi

# libFuzzer and AddressSanitizer ship with the swift.org toolchain (its clang resource folder);
# Debian's libclang-rt packages belong to Debian's clang and are not used.
resource="$(swiftc -print-target-info | sed -n 's/.*"runtimeResourcePath": "\(.*\)".*/\1/p' | head -n1)"
libfuzzer="$resource/clang/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
if [ ! -f "$libfuzzer" ]; then
  echo "error: this Swift toolchain has no libFuzzer ($libfuzzer); use a swift.org toolchain for Linux." >&2
  exit 2
fi
# swiftc links with gold on Linux (binutils on Debian 12, binutils-gold on later releases).
if ! command -v ld.gold >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends binutils-gold >/dev/null 2>&1 \
      || apt-get install -y -qq --no-install-recommends binutils >/dev/null
  else
    echo "error: ld.gold is missing. Run: sudo apt-get install -y binutils-gold (or binutils)" >&2
    exit 2
  fi
fi

echo "== building the fuzzer (release, -sanitize=fuzzer,address) in fuzz/.build"
build_start=$(date +%s)
swift build -c release --package-path "$root/fuzz" --product PlaybookFuzzer \
  -Xswiftc -sanitize=fuzzer,address
bindir="$(swift build -c release --package-path "$root/fuzz" --show-bin-path)"
fuzzer="$bindir/PlaybookFuzzer"
echo "== build took $(( $(date +%s) - build_start )) s"

work="$(mktemp -d "${TMPDIR:-/tmp}/playbook-fuzz.XXXXXX")"
corpus="${FUZZ_CORPUS:-$work/corpus}"
artifacts="$work/artifacts"
mkdir -p "$corpus" "$artifacts"
# Seeds: the malformed fixtures and the shipped playbooks (copied, never committed).
cp "$root"/Tests/IncidentCoreTests/Fixtures/malformed/*.yaml "$root"/playbooks/*.yaml "$corpus"/
if [ -d "$root/Tests/IncidentCoreTests/Fixtures/fuzz-regressions" ]; then
  cp "$root"/Tests/IncidentCoreTests/Fixtures/fuzz-regressions/* "$corpus"/ 2>/dev/null || true
fi

symbolizer="$(dirname "$(command -v swift)")/llvm-symbolizer"
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:symbolize=1}"
# Swift's own crash backtracer would run first on a trap, trip AddressSanitizer while reading the
# crashed process and then hang; libFuzzer's handler prints the stack and writes the artifact.
export SWIFT_BACKTRACE=enable=no

log="$work/fuzz.log"
echo "== fuzzing for $duration s; corpus $corpus, artifacts $artifacts"
set +e
"$fuzzer" \
  -max_total_time="$duration" \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -dict="$root/fuzz/playbook.dict" \
  -artifact_prefix="$artifacts/" \
  -print_final_stats=1 \
  "$@" \
  "$corpus" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

found=$(find "$artifacts" -type f | sort)
if [ "$status" -eq 0 ] && [ -z "$found" ]; then
  grep -E '^#[0-9]+ +DONE' "$log" | tail -n1 || true
  echo "== no crash, hang or memory blow-up in $duration s"
  [ "${FUZZ_KEEP:-0}" = 1 ] || [ -n "${FUZZ_CORPUS:-}" ] || rm -rf "$work"
  exit 0
fi

# A readable stack: Swift symbols demangled.
if command -v swift-demangle >/dev/null 2>&1; then
  swift-demangle --simplified < "$log" > "$work/fuzz-demangled.log" || true
  log="$work/fuzz-demangled.log"
fi
echo
echo "== FUZZING FOUND A PROBLEM (libFuzzer exit $status). Log: $log"
grep -aE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|Fatal error|ALARM|out-of-memory|SUMMARY' "$log" | head -n 6 || true
# The first frames of the first stack (libFuzzer's and the sanitizers' own frames left out).
grep -aE '^ +#[0-9]+ 0x' "$log" | grep -avE 'libFuzzer|compiler-rt|fuzzer::|__sanitizer|__asan' | head -n 12 || true
while IFS= read -r artifact; do
  echo "   reproducer: $artifact"
done <<< "$found"
cat <<EOF

To reproduce:   SWIFT_BACKTRACE=enable=no $fuzzer ARTIFACT
To shrink it:   $fuzzer -minimize_crash=1 -max_total_time=60 -exact_artifact_path=ARTIFACT.min ARTIFACT
To keep it as a regression test:
   mkdir -p Tests/IncidentCoreTests/Fixtures/fuzz-regressions
   cp ARTIFACT Tests/IncidentCoreTests/Fixtures/fuzz-regressions/SHORT-NAME.yaml
   and have a test load every file of that folder with PlaybookLoader.load and, when it yields a
   playbook, PlaybookValidator.validate (expecting no crash, in bounded time). scripts/fuzz.sh also
   seeds every later run with that folder. See fuzz/README.md.
EOF
exit 1
