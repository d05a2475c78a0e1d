"""Link tokens never reach a log line: uvicorn's access log shows /p/<redacted>."""

from __future__ import annotations

import logging

import pytest

from backend_server.log_redaction import install, redact_path

TOKEN = "Zk3xYq-secret_token_value_1234567890abcdefgh"


def test_access_log_lines_hide_the_token(caplog: pytest.LogCaptureFixture) -> None:
    install()
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    access = logging.getLogger("uvicorn.access")
    # uvicorn's own format and arguments
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                f"/api/v1/p/{TOKEN}/conversation?x=1", "1.1", 200)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/p/{TOKEN}", "1.1", 200)
    assert TOKEN not in caplog.text
    assert "/api/v1/p/<redacted>/conversation?x=1" in caplog.text
    assert '"GET /p/<redacted> HTTP/1.1" 200' in caplog.text


def test_redact_path_leaves_other_paths_alone() -> None:
    assert redact_path("/api/v1/conversations/abc/messages") == \
        "/api/v1/conversations/abc/messages"
    assert redact_path(f"/p-static/app.js /p/{TOKEN}") == "/p-static/app.js /p/<redacted>"
