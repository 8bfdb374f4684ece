#!/usr/bin/env bash
# make deb: the Debian package of the release build, with Debian's own tools, into dist/.
# Usage: build-deb.sh BINARY MANPAGE. Installs dpkg-dev and lintian when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$1 manpage=$2
need=()
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v lintian >/dev/null || need+=(lintian)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing packages. Run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

version=$("$binary" --version)
# Who the package says maintains it: set DEB_MAINTAINER to your own name and address.
maintainer=${DEB_MAINTAINER:-incident-wizard maintainers <incident-wizard@example.org>}
architecture=$(dpkg --print-architecture)
stage=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$stage" "$work"' EXIT
scripts/install.sh install "$stage" /usr /etc "$binary" "$manpage" >/dev/null
desktop-file-validate "$stage/usr/share/applications/incident-wizard.desktop"

# What Debian policy asks of the files: a stripped binary, compressed man page, documentation.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/incident-wizard"
if readelf -d "$stage/usr/bin/incident-wizard" | grep -qE 'RUNPATH|RPATH'; then
  echo "error: the binary has a RUNPATH or RPATH:" >&2
  readelf -d "$stage/usr/bin/incident-wizard" | grep -E 'RUNPATH|RPATH' >&2
  exit 1
fi
gzip -9n "$stage/usr/share/man/man1/incident-wizard.1"
doc="$stage/usr/share/doc/incident-wizard"
install -D -m 644 packaging/debian/copyright "$doc/copyright"
{
  echo "incident-wizard ($version) unstable; urgency=medium"
  echo
  echo "  * Built from the incident-wizard source tree."
  echo
  echo " -- $maintainer  $(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
install -D -m 644 packaging/debian/lintian-overrides "$stage/usr/share/lintian/overrides/incident-wizard"

# Depends from the binary's own shared libraries (dpkg-shlibdeps), each with the version its
# symbols need: ncursesw, libzip, libqrencode, libstdc++ (the static Swift runtime's) and libc
# (terminfo for the usual terminals, ncurses-base, is essential).
mkdir -p "$work/debian"
printf 'Source: incident-wizard\n\nPackage: incident-wizard\nArchitecture: any\n' > "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O "$stage/usr/bin/incident-wizard" | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "error: dpkg-shlibdeps gave no Depends" >&2; exit 1; }
mkdir -p "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: incident-wizard
Version: $version
Architecture: $architecture
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $shlibs
Recommends: clamav
Suggests: clamav-daemon
Section: utils
Priority: optional
Description: calm step-by-step guide after opening a suspicious e-mail
 incident-wizard walks a non-technical employee through the first minutes
 after opening a bad e-mail (the model case is Emotet): stay calm, keep the
 PC on, disconnect the network, photograph the mail, call the administrator
 while the virus check runs (through the ClamAV daemon when it answers).
 YAML playbooks that the administrator edits drive every
 step; every answer goes into a tamper-evident report folder.
CONTROL
echo "/etc/incident-wizard/config" > "$stage/DEBIAN/conffiles"
find "$stage" -type d -exec chmod 755 {} +
mkdir -p dist
package="dist/incident-wizard_${version}_${architecture}.deb"
rm -f "$package"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "built $package"
lintian --info --display-info --fail-on error,warning "$package"
