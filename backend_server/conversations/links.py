"""Patient link tokens: long, random, and kept by the server only as their sha256."""

from __future__ import annotations

import hashlib
import secrets

PATIENT_PAGE_PATH = "/p/"


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def patient_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + PATIENT_PAGE_PATH + token
