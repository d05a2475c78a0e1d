"""Serves ``video_physician.html`` (the physician's side of a call, in Chromium) from
127.0.0.1, and the Chromium flags a WebRTC call on a loopback-only host needs.

Used by tests/e2e/test_video_patient_page.py and by ``python -m bench.video`` for the
Chromium-to-Chromium baseline. ``getUserMedia`` needs a secure context, hence a real
http://127.0.0.1 origin rather than about:blank.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGE = Path(__file__).with_name("video_physician.html")

# Playwright passes its own --disable-features; Chromium honours only the last one, so its
# default is dropped (ignore_default_args) and merged into ours.
# Playwright 1.5x's own list (driver coreBundle.js, ``disabledFeatures``); ignore_default_args
# matches the whole argument, so it must be this exact string.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,"
    "ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,"
    "TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
    "PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion")
WEBRTC_ARGS = [
    "--no-sandbox",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-features=WebRtcHideLocalIpsWithMdns," + PLAYWRIGHT_DISABLED_FEATURES,
]


def chromium_webrtc_launch_args(executable: str = "/usr/bin/chromium") -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    return {"executable_path": executable, "headless": True, "args": WEBRTC_ARGS,
            "ignore_default_args": ["--disable-features=" + PLAYWRIGHT_DISABLED_FEATURES]}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] not in ("/", "/physician.html"):
            self.send_error(404)
            return
        body = PAGE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the URL carries nothing secret, but tests need no noise


@contextmanager
def physician_page() -> Iterator[str]:
    """The page's URL (http://127.0.0.1:<port>/) while the context is open."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, name="video-physician-page",
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
