#!/usr/bin/env bash
# make test-package (CI, as root): the Debian package as an administrator gets it. Installs
# dist/*.deb with apt-get, checks it as an ordinary user from a directory without playbooks, checks
# make install / uninstall into a staging folder, then runs every end-to-end test against the
# installed binary. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then echo "test-package installs the package: run it as root (CI does)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
package=$(ls -t dist/incident-wizard_*.deb | head -1)
# --reinstall: the same version may be installed already (a machine kept from an earlier run).
apt-get install --reinstall -y -qq --no-install-recommends "./$package" man-db bash-completion desktop-file-utils util-linux >/dev/null || exit 1

user=iw-package-test
id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)
empty=$(mktemp -d) && chmod 755 "$empty"
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
# As the user, in DIRECTORY, with no network (a drill then takes the disconnected path), no
# playbooks from the environment.
as_user_in() {
  local directory=$1; shift
  unshare --net runuser -u "$user" -- env -i HOME="$home" USER="$user" LANG=C.UTF-8 PATH=/usr/bin:/bin \
    sh -c 'cd "$1" && shift && exec "$@"' sh "$directory" "$@"
}
as_user() { as_user_in "$empty" "$@"; }

# The installed binary links libzip and libqrencode, and every library it links (its NEEDED
# entries) comes from a package it depends on (dpkg-shlibdeps, scripts/build-deb.sh).
needed=$(readelf -d /usr/bin/incident-wizard | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
links_zip_and_qrencode() {
  grep -q '^libzip\.so' <<<"$needed" && grep -q '^libqrencode\.so' <<<"$needed" || { echo "NEEDED:" $needed; return 1; }
}
depends_cover_needed() {
  local depends soname owners package missing=""
  depends=$(dpkg-query -W -f='${Depends}' incident-wizard | sed 's/([^)]*)//g; s/[,|]/ /g')
  for soname in $needed; do
    # `package:arch[, package:arch]: /path/soname`, a line for each path.
    owners=$(dpkg -S "*/$soname" 2>/dev/null | sed 's/: .*//; s/:[a-z0-9]*//g; s/,/ /g')
    for package in $owners; do
      [[ " $depends " == *" $package "* ]] && continue 2
    done
    missing+=" $soname (${owners:-no package})"
  done
  [ -z "$missing" ] || { echo "Depends: $(dpkg-query -W -f='${Depends}' incident-wizard); not covered:$missing"; return 1; }
}
check "the binary links libzip and libqrencode" links_zip_and_qrencode
check "Depends names the package of every library the binary links" depends_cover_needed

listed=$(as_user incident-wizard list)
check "list shows the packaged playbooks" grep -q "/usr/share/incident-wizard/playbooks/emotet.yaml" <<<"$listed"
check "man incident-wizard renders" sh -c 'man -P cat incident-wizard 2>/dev/null | grep -q "incident-wizard"'
# bash-completion loads a command's script on demand (_completion_loader returns 124: "loaded, retry").
completion=$(as_user bash -c '. /usr/share/bash-completion/bash_completion; _completion_loader incident-wizard; complete -p incident-wizard' 2>&1)
check "bash-completion finds the completion script" grep -q "incident-wizard" <<<"$completion"
check "the desktop launcher validates" desktop-file-validate /usr/share/applications/incident-wizard.desktop
check "the launcher and icon are installed" test -x /usr/libexec/incident-wizard/launcher -a -f /usr/share/icons/hicolor/scalable/apps/incident-wizard.svg

# A plain-mode drill of the Emotet playbook, walked to its end.
# (The scan runs in the background from the network step on: the call, then its result.)
keys=$'\n2\n\n\n\n\n\ny\n\n\nSuzuki <suzuki@example.com>\ninvoice\n9:00\nopened invoice.doc\n\n1\nTanaka\n\n\n\n'
drill=$(printf '%s' "$keys" | as_user incident-wizard run emotet --drill --plain --lang en; echo "status=$?")
check "a plain drill walk of emotet ends with exit 0" grep -q "^status=0$" <<<"$drill" || echo "$drill" | tail -20

# The administrator's /etc wins over the packaged playbooks.
mkdir -p /etc/incident-wizard/playbooks
printf 'playbook: 1\nid: from-etc\ntitle: From etc\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: End}\n' \
  > /etc/incident-wizard/playbooks/from-etc.yaml
listed=$(as_user incident-wizard list)
check "an /etc playbooks directory overrides the packaged one" test "${listed/from-etc/}" != "$listed" -a "${listed/emotet.yaml/}" = "$listed"
rm -rf /etc/incident-wizard/playbooks

# A playbooks/ folder in the current directory is ignored.
downloads=$(mktemp -d) && chmod 755 "$downloads" && mkdir "$downloads/playbooks"
printf 'playbook: 1\nid: from-cwd\ntitle: From cwd\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: End}\n' \
  > "$downloads/playbooks/from-cwd.yaml"
chmod -R a+rX "$downloads"
listed=$(as_user_in "$downloads" incident-wizard list)
check "a playbooks/ folder in the current directory is ignored" test "${listed/from-cwd/}" = "$listed" -a "${listed/emotet.yaml/}" != "$listed"

# make install into a staging folder lays out every file; make uninstall removes them.
stage=$(mktemp -d)
make -s install DESTDIR="$stage" PREFIX=/usr >/dev/null
expected="usr/bin/incident-wizard
usr/libexec/incident-wizard/launcher
usr/share/applications/incident-wizard.desktop
usr/share/bash-completion/completions/incident-wizard
usr/share/fish/vendor_completions.d/incident-wizard.fish
usr/share/icons/hicolor/scalable/apps/incident-wizard.svg
usr/share/incident-wizard/playbooks/contacts.yaml
usr/share/incident-wizard/playbooks/emotet.yaml
usr/share/incident-wizard/playbooks/readiness.yaml
usr/share/incident-wizard/playbooks/spoofed-mail.yaml
usr/share/man/man1/incident-wizard.1
usr/share/zsh/vendor-completions/_incident-wizard
etc/incident-wizard/config"
actual=$(cd "$stage" && find . -type f | sed 's|^\./||' | sort)
check "make install lays out the files" test "$(sort <<<"$expected")" = "$actual" || diff <(sort <<<"$expected") <(echo "$actual")
make -s uninstall DESTDIR="$stage" PREFIX=/usr >/dev/null
left=$(cd "$stage" && find . -type f | sed 's|^\./||')
check "make uninstall removes them (the settings file stays)" test "$left" = "etc/incident-wizard/config"
rm -rf "$stage" "$downloads" "$empty"

# Every end-to-end test, against the installed binary (the test bundle brought up to date first).
${SWIFT:-swift} build --build-tests >/dev/null || exit 1
if INCIDENT_WIZARD_BIN=/usr/bin/incident-wizard ${SWIFT:-swift} test --skip-build --filter IncidentWizardCLITests; then
  passed=$((passed + 1)); echo "ok: the end-to-end tests against the installed binary"
else
  failed=$((failed + 1)); echo "FAIL: the end-to-end tests against the installed binary"
fi
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
