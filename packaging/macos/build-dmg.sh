#!/usr/bin/env bash
# Builds dist/praxisdesk-<version>-macos.dmg from dist/Praxisdesk.app (macOS only: dmgbuild
# drives hdiutil). Usage: packaging/macos/build-dmg.sh VERSION [APP] [OUT]
# Sign the .app before this (codesign), notarize the .dmg after it (notarytool + stapler):
# see .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/../.."

version="${1:?usage: build-dmg.sh VERSION [APP] [OUT]}"
app="${2:-dist/Praxisdesk.app}"
out="${3:-dist/praxisdesk-${version}-macos.dmg}"

if [[ "$(uname -s)" != "Darwin" ]]; then
  echo "build-dmg.sh: needs macOS (hdiutil); on Linux only the settings file is tested" >&2
  exit 2
fi
expected="$(python packaging/version.py)"
if [[ "$version" != "$expected" ]]; then
  echo "build-dmg.sh: version $version does not match app/__init__.py ($expected)" >&2
  exit 2
fi
if [[ ! -d "$app" ]]; then
  echo "build-dmg.sh: $app not found; run python packaging/build_bundle.py first" >&2
  exit 2
fi

python -m dmgbuild -s packaging/macos/dmg_settings.py -D app="$app" -D version="$version" \
  "Praxisdesk $version" "$out"
hdiutil verify "$out"
echo "built $out"
