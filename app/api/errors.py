"""What can go wrong talking to the server, one type per case the user must tell apart."""

from __future__ import annotations


class ApiError(Exception):
    """Base of all server-call failures. ``code`` is the server's problem code."""

    code = "api_error"

    def __init__(self, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.status = status


class InvalidCredentials(ApiError):
    code = "invalid_credentials"


class TotpRequired(ApiError):
    code = "totp_required"


class InvalidTotp(ApiError):
    code = "invalid_totp"


class AccountLocked(ApiError):
    code = "account_locked"

    def __init__(self, detail: str = "", *, status: int | None = None,
                 retry_after: int = 0) -> None:
        super().__init__(detail, status=status)
        self.retry_after = retry_after


class NotAuthenticated(ApiError):
    code = "not_authenticated"


class RefreshTokenInvalid(ApiError):
    """The refresh token is unknown, expired, revoked or was reused: log in again."""

    code = "invalid_refresh_token"


class SessionRevoked(ApiError):
    """This device's login was ended (by the user elsewhere or an admin) or the user was
    deactivated: the client wipes its local data and asks for a login."""

    code = "session_revoked"


class Forbidden(ApiError):
    code = "forbidden"


class NotFound(ApiError):
    code = "not_found"


class Conflict(ApiError):
    code = "conflict"


class ValidationFailed(ApiError):
    code = "validation_error"


class RateLimited(ApiError):
    code = "rate_limited"


class ServerError(ApiError):
    code = "internal_error"


class ServerUnreachable(ApiError):
    """No connection (refused, DNS, timeout, connection dropped)."""

    code = "server_unreachable"


class CertificateError(ApiError):
    """The server's TLS certificate is not trusted (self-signed, unknown CA, wrong host)."""

    code = "certificate_error"


class InsecureTransport(ApiError):
    """Plain http to a server that is not on this machine."""

    code = "insecure_transport"


class ProtocolError(ApiError):
    """The answer is not what a Praxisdesk server sends."""

    code = "protocol_error"


BY_CODE: dict[str, type[ApiError]] = {
    cls.code: cls
    for cls in (InvalidCredentials, TotpRequired, InvalidTotp, AccountLocked, NotAuthenticated,
                RefreshTokenInvalid, SessionRevoked, Forbidden, NotFound, Conflict,
                ValidationFailed, RateLimited, ServerError)
}
BY_CODE["refresh_token_reused"] = RefreshTokenInvalid
