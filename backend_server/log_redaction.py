"""Keeps patient link tokens out of logs: ``/p/<token>`` becomes ``/p/<redacted>``, and the
video link ``/v/<token>`` becomes ``/v/<redacted>``.

The token is the patient's only credential, so a log line with it would open the
conversation to whoever reads the log. uvicorn's access and error loggers get a filter;
our own code logs paths through :func:`redact_path`.
"""

from __future__ import annotations

import logging
import re

_TOKEN_IN_PATH = re.compile(r"/p/[^/?#\s\"']+")
REDACTED = "/p/<redacted>"
# The video page's link (issue 4): /v/<token>, but not its fixed pages /v/terms, /v/code.
_VIDEO_TOKEN_IN_PATH = re.compile(r"/v/(?!(?:terms|code)(?:[/?#\s\"']|$))[^/?#\s\"']+")
VIDEO_REDACTED = "/v/<redacted>"


def redact_path(text: str) -> str:
    return _VIDEO_TOKEN_IN_PATH.sub(VIDEO_REDACTED, _TOKEN_IN_PATH.sub(REDACTED, text))


class TokenRedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_path(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_path(a) if isinstance(a, str) else a
                                for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_path(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True


def install(logger_names: tuple[str, ...] = ("uvicorn.access", "uvicorn.error")) -> None:
    """Idempotent: each logger gets one filter."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokenRedactingFilter) for f in logger.filters):
            logger.addFilter(TokenRedactingFilter())
