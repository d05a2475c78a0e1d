#!/usr/bin/env bash
# Starts the bundled server with a demo practice and opens the desktop client pointed at it.
# All demo state lives in .demo/ (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PRAXISDESK_DEMO_PORT:-8765}"
url="http://127.0.0.1:${port}"
state="$PWD/.demo"
mkdir -p "$state/server" "$state/client"
py=.venv/bin/python

# Without a desktop session there is no Secret Service for the client's keys. The demo then
# brings its own gnome-keyring on a private D-Bus, unlocked with a throwaway password; it is
# never a plaintext file.
if [ -z "${PRAXISDESK_DEMO_KEYRING_READY:-}" ] && ! "$py" - <<'PY' 2>/dev/null
import sys, keyring
from keyring.backends import SecretService
sys.exit(0 if isinstance(keyring.get_keyring(), SecretService.Keyring)
         and keyring.get_keyring().get_preferred_collection() is not None else 1)
PY
then
  echo "demo: no unlocked desktop keyring found; starting a private gnome-keyring for the demo"
  export HOME="$state/keyring-home" XDG_DATA_HOME="$state/keyring-home/data"
  mkdir -p "$XDG_DATA_HOME"
  export PRAXISDESK_DEMO_KEYRING_READY=1
  exec dbus-run-session -- bash -c \
    'echo -n praxisdesk-demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec bash "$0" "$@"' \
    "$0" "$@"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "demo: no screen found; the client runs on a virtual screen (xvfb-run)"
  gui=(xvfb-run -a -s "-screen 0 1280x800x24")
else
  gui=()
fi

"$py" -m backend_server serve --demo --host 127.0.0.1 --port "$port" --data-dir "$state/server" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 100); do
  if "$py" -c "import httpx,sys; sys.exit(httpx.get('$url/api/v1/health', timeout=1).status_code != 200)" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "demo: the server did not start" >&2; exit 1; }
  sleep 0.2
done

echo "demo: server at $url — log in with one of the demo accounts printed above"
"${gui[@]}" "$py" -m app --profile "$state/client" --server "$url" "$@"
