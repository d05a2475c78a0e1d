#!/bin/sh
# Regenerate the German and English catalogs from the UI sources, then compile them.
# Existing translations are kept; new strings appear as unfinished until translated.
set -eu
cd "$(dirname "$0")/.."
BIN="${PYSIDE6_BIN:-.venv/bin}"
SOURCES=$(find ui -name '*.py' | sort)
for lang in de en; do
    # shellcheck disable=SC2086
    "$BIN/pyside6-lupdate" -no-obsolete -locations none -target-language "$lang" \
        $SOURCES -ts "resources/translations/praxisdesk_$lang.ts"
    "$BIN/pyside6-lrelease" "resources/translations/praxisdesk_$lang.ts" \
        -qm "resources/translations/praxisdesk_$lang.qm"
done
