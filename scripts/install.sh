#!/usr/bin/env bash
# make install / make uninstall: the files of an installed incident-wizard, in one list for both.
# Usage: install.sh install DESTDIR PREFIX SYSCONFDIR BINARY MANPAGE | install.sh uninstall DESTDIR PREFIX SYSCONFDIR
set -euo pipefail
action=$1 destdir=$2 prefix=$3 sysconfdir=$4
root="$destdir$prefix"
cd "$(dirname "$0")/.."

# A PREFIX the launcher and the desktop entry cannot name safely is refused before anything is
# written: it must be absolute, without line breaks or other control characters.
refuse() {
  echo "install.sh: $1; nothing was installed" >&2
  exit 2
}
case "$prefix" in
  /*) ;;
  *) refuse "PREFIX must be an absolute path (starting with /), not '$prefix'" ;;
esac
if [[ "$prefix$destdir$sysconfdir" == *[[:cntrl:]]* ]]; then
  refuse "PREFIX, DESTDIR and SYSCONFDIR must not contain line breaks or other control characters"
fi

# A word for sh: in single quotes, a ' as '\''.
sh_quote() {
  local quote="'\\''"
  printf "'%s'" "${1//\'/$quote}"
}

# The desktop entry's Exec= argument (Desktop Entry Specification, "The Exec key"): in double
# quotes, with \ " ` $ escaped by a backslash, then every backslash doubled again (Exec is a
# string value, whose own escape is \\), and % written %% (a field code otherwise).
exec_quote() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//\`/\\\`}
  s=${s//\$/\\\$}
  s=${s//\\/\\\\}
  s=${s//%/%%}
  printf '"%s"' "$s"
}

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
# The launcher and the desktop entry name the installed paths, quoted for what reads them (no
# sed: a PREFIX with '|' or '&' is a path like any other). The replacements are quoted, so bash
# takes a '&' in them literally.
launcher=$(<packaging/incident-wizard-launcher)
printf '%s\n' "${launcher//@BINDIR@/"$(sh_quote "$prefix/bin")"}" > "$staging/launcher"
desktop=$(<packaging/incident-wizard.desktop)
printf '%s\n' "${desktop//@LAUNCHER@/"$(exec_quote "$prefix/libexec/incident-wizard/launcher")"}" > "$staging/desktop"

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
# All or nothing: a file that cannot be installed takes back the ones installed before it.
installed=()
for entry in "${files[@]}"; do
  destination=${entry% *} mode=${entry##* }
  if ! install -D -m "$mode" "$(source_of "$destination")" "$destination"; then
    rm -f "${installed[@]}"
    echo "install.sh: could not install $destination; the files installed before it were removed" >&2
    exit 1
  fi
  installed+=("$destination")
done
# The administrator's settings file: a commented default, never over an existing one.
config="$destdir$sysconfdir/incident-wizard/config"
[ -e "$config" ] || install -D -m 644 packaging/config "$config"
echo "installed incident-wizard under $root"
