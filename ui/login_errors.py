"""One clear, translated sentence for each way a login can fail."""

from __future__ import annotations

import math

from app.api.errors import (
    AccountLocked,
    ApiError,
    CertificateError,
    InsecureTransport,
    InvalidCredentials,
    InvalidTotp,
    ProtocolError,
    ServerUnreachable,
    TotpRequired,
)
from app.secrets import KeyringUnavailable
from ui.qt import QCoreApplication

translate = QCoreApplication.translate


def lockout_minutes(exc: AccountLocked) -> int:
    seconds = getattr(exc, "retry_after", None)
    if seconds is None:
        return 15
    return max(1, math.ceil(float(seconds) / 60))


def login_error_message(exc: BaseException) -> str | None:
    """The message for a failed login, or None if the error is not a login problem."""
    # Checked in this order: specific errors first, the ApiError catch-all last.
    if isinstance(exc, InvalidCredentials):
        return translate(
            "LoginErrors",
            "The e-mail address or the password is wrong. Please check both and try again.")
    if isinstance(exc, TotpRequired):
        return translate(
            "LoginErrors",
            "Your account is protected with a second factor. Please enter the 6-digit "
            "security code from your authenticator app.")
    if isinstance(exc, InvalidTotp):
        return translate(
            "LoginErrors",
            "The security code is wrong or has expired. Please enter the current code "
            "from your authenticator app.")
    if isinstance(exc, AccountLocked):
        return translate(
            "LoginErrors",
            "Too many failed sign-in attempts. The account is locked for %n more minute(s).",
            None, lockout_minutes(exc))
    if isinstance(exc, ServerUnreachable):
        return translate(
            "LoginErrors",
            "The server cannot be reached. Please check the server address and the "
            "network connection.")
    if isinstance(exc, CertificateError):
        return translate(
            "LoginErrors",
            "The server's certificate is invalid or not trusted, so no connection was "
            "made. Please contact your IT support.")
    if isinstance(exc, InsecureTransport):
        return translate(
            "LoginErrors",
            "Unencrypted connections (http://) are only allowed to this computer. Please "
            "use an https:// address.")
    if isinstance(exc, KeyringUnavailable):
        return translate(
            "LoginErrors",
            "The system keyring is not available, so the login cannot be stored securely. "
            "Please unlock or set up the keyring and try again.")
    if isinstance(exc, ProtocolError):
        return translate(
            "LoginErrors",
            "The server gave an unexpected answer. Please check that the address belongs "
            "to a Praxisdesk server.")
    if isinstance(exc, ApiError):
        return translate(
            "LoginErrors",
            "Sign-in failed because of a server error. Please try again later.")
    return None
