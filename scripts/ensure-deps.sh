#!/usr/bin/env bash
# Installs the Debian packages the wizard and its tests need, or, when not root, prints the
# exact command to run. Usage: scripts/ensure-deps.sh run|test
set -euo pipefail

# What the build links (ncursesw, libqrencode, libzip): the -dev packages, which bring the runtime
# libraries the binary then runs with.
runtime=(libncurses-dev ncurses-base libqrencode-dev libzip-dev)
testing=(tmux graphviz iproute2 clamav clamav-daemon clamdscan locales time zbar-tools dosfstools)
# The zip-onto-a-FAT-stick test boots Debian's kernel in qemu (scripts/in-vm.sh): amd64 only.
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
  testing+=(qemu-system-x86 linux-image-amd64 busybox-static cpio kmod)
fi

case "${1:-run}" in
  run) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${testing[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift toolchain (6.0 or later) is not on PATH; install it from swift.org first." >&2
  exit 1
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
python_missing=0
# The report schema test uses jsonschema; the export tests the ecosystem's own checkers.
python_packages=(jsonschema stix2 stix2-validator pymisp thehive4py typeguard pyzipper)
if [ "${1:-run}" = test ] && ! python3 -c 'import jsonschema, stix2, stix2validator, pymisp, thehive4py, typeguard, pyzipper' >/dev/null 2>&1; then
  python_missing=1
fi
[ ${#missing[@]} -eq 0 ] && [ $python_missing -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The report schema test validates report.json with Python's jsonschema.
  [ $python_missing -eq 0 ] || python3 -m pip install -q "${python_packages[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${python_packages[@]}"
else
  echo "Missing packages. Run:" >&2
  [ ${#missing[@]} -eq 0 ] || echo "  sudo apt-get install -y ${missing[*]}" >&2
  [ $python_missing -eq 0 ] || echo "  python3 -m pip install --user ${python_packages[*]}" >&2
  exit 1
fi
