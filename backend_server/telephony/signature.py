"""Twilio's ``X-Twilio-Signature``: base64(HMAC-SHA1(auth token, URL + the POST parameters
sorted by name, each name followed by its value)).

The URL is the one Twilio called, as configured there: behind a proxy that is the public
URL, not what the server sees. Twilio itself sometimes signs the URL with and sometimes
without the scheme's default port, so both spellings are accepted (as its own validator
does). Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def compute_signature(token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The signature of a form POST to ``url``; repeated names count with every value."""
    by_name: dict[str, set[str]] = {}
    for name, value in params:
        by_name.setdefault(name, set()).add(value)
    payload = url + "".join(name + value for name in sorted(by_name)
                            for value in sorted(by_name[name]))
    digest = hmac.new(token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """``url`` as given, plus with the default port removed or added."""
    parts = urlsplit(url)
    default = _DEFAULT_PORTS.get(parts.scheme)
    variants = [url]
    if default is None or parts.hostname is None:
        return variants
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    if parts.port is None:
        variants.append(urlunsplit(parts._replace(netloc=f"{prefix}{host}:{default}")))
    elif parts.port == default:
        variants.append(urlunsplit(parts._replace(netloc=f"{prefix}{host}")))
    return variants


def signature_valid(token: str, url: str, params: Iterable[tuple[str, str]],
                    signature: str | None) -> bool:
    if not signature or not token:
        return False
    items = list(params)
    given = signature.encode("utf-8")
    ok = False
    for candidate in url_variants(url):
        expected = compute_signature(token, candidate, items).encode("ascii")
        # Every variant is checked (no early exit), each in constant time.
        ok |= hmac.compare_digest(expected, given)
    return ok
