"""Debian's firefox-esr driven through WebDriver BiDi, its built-in remote protocol (JSON over
a websocket). Playwright cannot drive a stock Firefox (its Juggler protocol needs a patched
build, and its BiDi channel sends commands this ESR does not know), so the few commands the
video e2e test needs are spoken here directly. Every wait is bounded; the profile turns on fake
media without prompts and keeps Firefox off the network (everything stays on 127.0.0.1)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

FIREFOX = Path("/usr/bin/firefox-esr")
START_TIMEOUT_S = 30.0
COMMAND_TIMEOUT_S = 15.0

# Fake camera and microphone without a permission prompt, ICE over loopback with plain
# addresses; and every start-up network access (updates, telemetry, portals, lists) switched off.
PREFS: dict[str, bool | int | str] = {
    "media.navigator.streams.fake": True,
    "media.navigator.permission.disabled": True,
    "media.peerconnection.ice.loopback": True,
    "media.peerconnection.ice.obfuscate_host_addresses": False,
    "media.peerconnection.ice.default_address_only": False,
    "media.autoplay.default": 0,
    "intl.accept_languages": "de-DE, de",
    "media.autoplay.blocking_policy": 0,
    "app.update.auto": False,
    "app.update.enabled": False,
    "app.update.checkInstallTime": False,
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "app.shield.optoutstudies.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.telemetry": False,
    "browser.newtabpage.activity-stream.telemetry": False,
    "browser.newtabpage.activity-stream.feeds.section.topstories": False,
    "browser.newtabpage.activity-stream.feeds.snippets": False,
    "browser.ping-centre.telemetry": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.safebrowsing.provider.google.updateURL": "",
    "browser.safebrowsing.provider.google4.updateURL": "",
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.search.update": False,
    "browser.search.geoip.url": "",
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "browser.topsites.contile.enabled": False,
    "browser.aboutHomeSnippets.updateUrl": "",
    "browser.discovery.enabled": False,
    "captivedetect.canonicalURL": "",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.archive.enabled": False,
    "toolkit.telemetry.server": "",
    "toolkit.coverage.opt-out": True,
    "services.settings.server": "http://127.0.0.1:9/remote-settings",
    "dom.push.enabled": False,
    "dom.push.connection.enabled": False,
    "dom.push.serverURL": "",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "extensions.systemAddon.update.enabled": False,
    "geo.provider.network.url": "",
    "identity.fxaccounts.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "network.trr.mode": 5,
    "security.OCSP.enabled": 0,
    "security.remote_settings.crlite_filters.enabled": False,
    "security.remote_settings.intermediates.enabled": False,
    "remote.prefs.recommended": True,
}


class BidiError(RuntimeError):
    """A BiDi command answered with an error."""


def _user_js(prefs: dict[str, bool | int | str]) -> str:
    return "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())


class FirefoxBidi:
    """One headless Firefox and its BiDi session; synchronous (the test thread owns it)."""

    def __init__(self, process: subprocess.Popen[bytes], ws: ClientConnection) -> None:
        self.process = process
        self.ws = ws
        self._next_id = 0

    def command(self, method: str, params: dict[str, Any],
                timeout: float = COMMAND_TIMEOUT_S) -> dict[str, Any]:
        self._next_id += 1
        command_id = self._next_id
        self.ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{method}: no answer within {timeout} s")
            message = json.loads(self.ws.recv(timeout=remaining))
            if message.get("id") != command_id:
                continue  # an event; none are subscribed, but ignore any that arrive
            if message.get("type") == "error":
                raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
            result: dict[str, Any] = message["result"]
            return result

    def new_tab(self) -> str:
        created = self.command("browsingContext.create", {"type": "tab"})
        return str(created["context"])

    def navigate(self, context: str, url: str) -> None:
        self.command("browsingContext.navigate",
                     {"context": context, "url": url, "wait": "complete"})

    def evaluate(self, context: str, expression: str) -> Any:
        """Evaluates in the page (awaiting promises) and returns the value as plain JSON-ish
        Python; BiDi evaluation is not page eval(), so the page's CSP does not stop it."""
        result = self.command("script.evaluate", {
            "expression": expression, "target": {"context": context},
            "awaitPromise": True, "resultOwnership": "none"})
        return self._result(result)

    def call(self, context: str, function: str, *args: str) -> Any:
        result = self.command("script.callFunction", {
            "functionDeclaration": function, "target": {"context": context},
            "arguments": [{"type": "string", "value": a} for a in args],
            "awaitPromise": True, "resultOwnership": "none"})
        return self._result(result)

    def wait_for(self, context: str, expression: str, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(context, expression)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"not true within {timeout} s: {expression}")
            time.sleep(0.05)

    def _result(self, result: dict[str, Any]) -> Any:
        if result.get("type") == "exception":
            details = result.get("exceptionDetails", {})
            raise BidiError(f"script threw: {details.get('text')}")
        return _deserialize(result["result"])


def _deserialize(value: dict[str, Any]) -> Any:
    kind = value.get("type")
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return value["value"]
    if kind == "number":
        number = value["value"]
        return float("nan") if isinstance(number, str) else number
    if kind == "array":
        return [_deserialize(v) for v in value.get("value", [])]
    if kind == "object":
        return {str(k if isinstance(k, str) else _deserialize(k)): _deserialize(v)
                for k, v in value.get("value", [])}
    return value  # nodes, functions and the like: the raw remote value


def _read_endpoint(process: subprocess.Popen[bytes], timeout: float) -> str:
    """Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:PORT" on stderr."""
    found: list[str] = []
    ready = threading.Event()
    assert process.stderr is not None
    stderr = process.stderr

    def reader() -> None:
        for raw in iter(stderr.readline, b""):
            line = raw.decode("utf-8", "replace")
            match = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()  # stderr closed: Firefox ended

    threading.Thread(target=reader, name="firefox-stderr", daemon=True).start()
    if not ready.wait(timeout) or not found:
        raise RuntimeError("firefox-esr did not start its WebDriver BiDi server")
    return found[0]


@contextmanager
def firefox_bidi(executable: Path = FIREFOX) -> Iterator[FirefoxBidi]:
    profile = Path(tempfile.mkdtemp(prefix="praxisdesk-firefox-"))
    (profile / "user.js").write_text(_user_js(PREFS), encoding="utf-8")
    process = subprocess.Popen(
        [str(executable), "--headless", "--no-remote", "--profile", str(profile),
         "--remote-debugging-port", "0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        endpoint = _read_endpoint(process, START_TIMEOUT_S)
        with connect(f"{endpoint}/session", open_timeout=10, max_size=None) as ws:
            browser = FirefoxBidi(process, ws)
            browser.command("session.new", {"capabilities": {"alwaysMatch": {
                "acceptInsecureCerts": False,
                "unhandledPromptBehavior": {"default": "dismiss"}}}})
            yield browser
            # Closing may drop the socket before the answer arrives.
            with suppress(ConnectionClosed, TimeoutError, BidiError):
                browser.command("browser.close", {}, timeout=5)
    finally:
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(profile, ignore_errors=True)
