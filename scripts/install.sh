#!/usr/bin/env bash
# make install / make uninstall: the files of an installed incident-wizard, in one list for both.
# Usage: install.sh install DESTDIR PREFIX SYSCONFDIR BINARY MANPAGE | install.sh uninstall DESTDIR PREFIX SYSCONFDIR
set -euo pipefail
action=$1 destdir=$2 prefix=$3 sysconfdir=$4
root="$destdir$prefix"
cd "$(dirname "$0")/.."

# Each installed file: destination (under DESTDIR), mode.
files=(
  "$root/bin/incident-wizard 755"
  "$root/libexec/incident-wizard/launcher 755"
  "$root/share/man/man1/incident-wizard.1 644"
  "$root/share/bash-completion/completions/incident-wizard 644"
  "$root/share/zsh/vendor-completions/_incident-wizard 644"
  "$root/share/fish/vendor_completions.d/incident-wizard.fish 644"
  "$root/share/applications/incident-wizard.desktop 644"
  "$root/share/icons/hicolor/scalable/apps/incident-wizard.svg 644"
)
for playbook in playbooks/*.yaml; do files+=("$root/share/incident-wizard/playbooks/$(basename "$playbook") 644"); done

if [ "$action" = uninstall ]; then
  for entry in "${files[@]}"; do rm -f "${entry% *}"; done
  rmdir "$root/share/incident-wizard/playbooks" "$root/share/incident-wizard" "$root/libexec/incident-wizard" 2>/dev/null || true
  # The administrator's settings are theirs: kept, as dpkg keeps a changed conffile.
  echo "kept $destdir$sysconfdir/incident-wizard/config (the administrator's settings), if any"
  exit 0
fi

binary=$5 manpage=$6
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# The bash completion is sourced, not run: no #! line.
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$staging/bash"
"$binary" --generate-completion-script zsh > "$staging/zsh"
"$binary" --generate-completion-script fish > "$staging/fish"
# The launcher and the desktop entry name the installed paths.
sed "s|@BINDIR@|$prefix/bin|g" packaging/incident-wizard-launcher > "$staging/launcher"
sed "s|@LAUNCHER@|$prefix/libexec/incident-wizard/launcher|g" packaging/incident-wizard.desktop > "$staging/desktop"

source_of() {
  case "$1" in
    */bin/incident-wizard) echo "$binary" ;;
    */incident-wizard/launcher) echo "$staging/launcher" ;;
    */man1/incident-wizard.1) echo "$manpage" ;;
    */completions/incident-wizard) echo "$staging/bash" ;;
    */_incident-wizard) echo "$staging/zsh" ;;
    */incident-wizard.fish) echo "$staging/fish" ;;
    */incident-wizard.desktop) echo "$staging/desktop" ;;
    */incident-wizard.svg) echo packaging/incident-wizard.svg ;;
    */playbooks/*) echo "playbooks/$(basename "$1")" ;;
  esac
}
for entry in "${files[@]}"; do
  destination=${entry% *} mode=${entry##* }
  install -D -m "$mode" "$(source_of "$destination")" "$destination"
done
# The administrator's settings file: a commented default, never over an existing one.
config="$destdir$sysconfdir/incident-wizard/config"
[ -e "$config" ] || install -D -m 644 packaging/config "$config"
echo "installed incident-wizard under $root"
