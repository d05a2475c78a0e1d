#!/usr/bin/env bash
# Screenshots of the inbox on the demo practice: real server (--demo), real client GUI on a
# virtual X screen, a private gnome-keyring on a private D-Bus. Writes
# docs/screenshots/inbox-demo.png and inbox-demo-conversation.png. Usage: run without arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
py="$PWD/.venv/bin/python"

if [ -z "${PRAXISDESK_SHOT_INNER:-}" ]; then
  state="$(mktemp -d)"
  export PRAXISDESK_SHOT_INNER=1 PRAXISDESK_SHOT_STATE="$state"
  export HOME="$state/home" XDG_DATA_HOME="$state/home/data" XDG_CONFIG_HOME="$state/home/config"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
  exec dbus-run-session -- bash -c \
    'echo -n praxisdesk-demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec bash "$0"' \
    "$0"
fi

state="$PRAXISDESK_SHOT_STATE"
port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
"$py" -m backend_server serve --demo --host 127.0.0.1 --port "$port" --data-dir "$state/server" \
  > "$state/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; rm -rf "$state"' EXIT
for _ in $(seq 1 150); do
  if "$py" -c "import httpx,sys; sys.exit(httpx.get('$url/api/v1/health', timeout=1).status_code != 200)" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$state/server.log" >&2; exit 1; }
  sleep 0.2
done

echo -n demo-empfang-2024 | "$py" -m app --profile "$state/client" login --server "$url" \
  --email empfang@demo.praxisdesk.de --password-stdin
QT_QPA_PLATFORM=xcb timeout 180 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$py" scripts/demo_screenshot.py "$state/client" "$url" \
  "$PWD/docs/screenshots/inbox-demo.png" "$PWD/docs/screenshots/inbox-demo-conversation.png"
