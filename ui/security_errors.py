"""One clear, translated sentence for each way an account-security action can fail."""

from __future__ import annotations

from app.api.errors import (
    ApiError,
    CertificateError,
    Conflict,
    InvalidTotp,
    NotAuthenticated,
    NotFound,
    RateLimited,
    RefreshTokenInvalid,
    ServerUnreachable,
)
from app.core import NotLoggedIn
from app.secrets import KeyringUnavailable
from ui.qt import QCoreApplication

translate = QCoreApplication.translate


def security_error_message(exc: BaseException) -> str | None:
    """The inline message for a failed security action, or None for a programming error."""
    # Specific errors first, the ApiError catch-all last.
    if isinstance(exc, InvalidTotp):
        return translate(
            "SecurityErrors",
            "The security code is wrong or has expired. Please enter the current code "
            "from your authenticator app.")
    if isinstance(exc, ServerUnreachable):
        return translate(
            "SecurityErrors",
            "The server cannot be reached. Please check the network connection and try "
            "again.")
    if isinstance(exc, NotAuthenticated | RefreshTokenInvalid | NotLoggedIn):
        return translate(
            "SecurityErrors",
            "You are no longer signed in. Please sign in again and then try once more.")
    if isinstance(exc, NotFound):
        return translate(
            "SecurityErrors",
            "This device is already logged out. The list has been updated.")
    if isinstance(exc, Conflict):
        return translate(
            "SecurityErrors",
            "The account was changed in the meantime. The display has been updated; "
            "please try again.")
    if isinstance(exc, RateLimited):
        return translate(
            "SecurityErrors",
            "Too many attempts. Please wait a minute and try again.")
    if isinstance(exc, CertificateError):
        return translate(
            "SecurityErrors",
            "The server's certificate is invalid or not trusted, so no connection was "
            "made. Please contact your IT support.")
    if isinstance(exc, KeyringUnavailable):
        return translate(
            "SecurityErrors",
            "The system keyring is not available. Please unlock it and try again.")
    if isinstance(exc, ApiError):
        return translate(
            "SecurityErrors",
            "The server could not carry out the request. Please try again later.")
    return None
