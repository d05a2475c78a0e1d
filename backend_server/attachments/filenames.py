"""File names as the uploader sent them, made safe to store and to offer for download.

Names that try to name a path (separators, ``..``) or hide something (control characters)
are refused rather than repaired, so nobody is surprised by a silently changed name. Others
are only tidied: NFC, no leading dots, no characters Windows cannot save, at most 120
characters with the extension kept.
"""

from __future__ import annotations

import re
import unicodedata

from backend_server.errors import ProblemError

MAX_FILENAME = 120
_MAX_EXTENSION = 16
# HTML forms (and httpx) send '"', CR, LF and other control characters percent-encoded in
# the multipart file name; decoding them lets the control-character rule see them.
_FORM_ESCAPE = re.compile(r"%(0[0-9A-Fa-f]|1[0-9A-Fa-f]|22|7[Ff])")
# Characters Windows refuses in file names; the desktop client saves under this name.
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
# Bidirectional overrides can make "rechnung\u202efdp.exe" look like "rechnungexe.pdf".
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def invalid_filename(detail: str) -> ProblemError:
    return ProblemError(422, "invalid_filename", detail)


def decode_form_filename(raw: bytes) -> str:
    """The name inside a multipart ``filename="..."`` parameter (UTF-8, HTML form escapes)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_filename("The file name is not valid UTF-8.") from None
    return _FORM_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def sanitize_filename(name: str) -> str:
    """The stored name, or 422 ``invalid_filename``."""
    if "/" in name or "\\" in name:
        raise invalid_filename("The file name must not contain a path.")
    if ".." in name:
        raise invalid_filename("The file name must not contain '..'.")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise invalid_filename("The file name must not contain control characters.")
    name = unicodedata.normalize("NFC", name)
    name = _BIDI_CONTROLS.sub("", name)
    name = _WINDOWS_RESERVED.sub("_", name)
    name = name.strip().lstrip(".").strip()
    if not name:
        raise invalid_filename("The file name is empty.")
    return _shorten(name)


def _shorten(name: str) -> str:
    if len(name) <= MAX_FILENAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > _MAX_EXTENSION or " " in extension:
        return name[:MAX_FILENAME].rstrip(" .")
    keep = MAX_FILENAME - len(extension) - 1
    return stem[:keep].rstrip(" .") + "." + extension
