"""Time-based one-time passwords (RFC 6238) with enrolment QR codes."""

from __future__ import annotations

import io
from datetime import datetime

import pyotp
import segno

ISSUER = "Praxisdesk"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def matching_step(secret: str, code: str, *, now: datetime) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift), else None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)
