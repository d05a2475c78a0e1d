"""The server's REST API over httpx, with typed errors and transparent token refresh."""

from __future__ import annotations

import ipaddress
import logging
import ssl
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.api.errors import (
    BY_CODE,
    AccountLocked,
    ApiError,
    CertificateError,
    InsecureTransport,
    NotAuthenticated,
    ProtocolError,
    ServerUnreachable,
    SessionRevoked,
)
from app.server_compat import Compatibility, check_server, unknown

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    user: dict[str, Any]


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_server_url(url: str) -> str:
    """Check the URL before anything is sent: only https, or http to this machine."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProtocolError(f"not a server address: {url!r}")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureTransport(
            "Plain http is only allowed for a server on this computer; use https."
        )
    return url


def _is_certificate_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def problem_to_error(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "code" not in body:
        return ProtocolError(f"unexpected answer (HTTP {response.status_code})",
                             status=response.status_code)
    code = str(body["code"])
    detail = str(body.get("detail") or body.get("title") or code)
    cls = BY_CODE.get(code, ApiError)
    if cls is AccountLocked:
        retry = body.get("retry_after") or response.headers.get("Retry-After") or 0
        return AccountLocked(detail, status=response.status_code, retry_after=int(retry))
    err = cls(detail, status=response.status_code)
    if cls is ApiError:
        err.code = code
    return err


TokenRefresher = Callable[[], Awaitable[str | None]]


class ApiClient:
    """One server. ``access_token`` is kept in memory only."""

    def __init__(self, base_url: str, *, ca_file: str | None = None,
                 timeout: float = 10.0, refresher: TokenRefresher | None = None) -> None:
        self.base_url = normalize_server_url(base_url)
        verify: ssl.SSLContext | bool = True
        if ca_file:
            verify = ssl.create_default_context(cafile=ca_file)
        self._http = httpx.AsyncClient(base_url=self.base_url + API_PREFIX, verify=verify,
                                       timeout=timeout, follow_redirects=False)
        self.access_token: str | None = None
        self.refresher = refresher
        # Called (synchronously, before the error is raised) whenever the server says this
        # login was revoked, whichever call learnt it: the owner wipes local data.
        self.on_session_revoked: Callable[[], None] | None = None

    def _error(self, response: httpx.Response) -> ApiError:
        err = problem_to_error(response)
        if isinstance(err, SessionRevoked):
            self.access_token = None
            if self.on_session_revoked is not None:
                self.on_session_revoked()
        return err

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, method: str, path: str, *, auth: bool,
                    json: Any = None, params: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None,
                    files: dict[str, Any] | None = None,
                    data: dict[str, Any] | None = None) -> httpx.Response:
        headers = dict(headers or {})
        if auth and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        try:
            return await self._http.request(method, path, json=json, params=params,
                                            headers=headers, files=files, data=data)
        except httpx.TransportError as exc:
            if _is_certificate_failure(exc):
                raise CertificateError(
                    "The server's certificate is not trusted.") from exc
            raise ServerUnreachable(f"{type(exc).__name__}") from exc

    async def request(self, method: str, path: str, *, auth: bool = True, json: Any = None,
                      params: dict[str, Any] | None = None,
                      headers: dict[str, str] | None = None,
                      files: dict[str, Any] | None = None,
                      data: dict[str, Any] | None = None) -> Any:
        """Send, refresh the access token once on ``not_authenticated``, decode JSON."""
        response = await self._send(method, path, auth=auth, json=json, params=params,
                                    headers=headers, files=files, data=data)
        if (response.status_code == 401 and auth and self.refresher is not None):
            err = problem_to_error(response)
            if isinstance(err, NotAuthenticated):
                token = await self.refresher()
                if token:
                    self.access_token = token
                    response = await self._send(method, path, auth=auth, json=json,
                                                params=params, headers=headers,
                                                files=files, data=data)
        if response.status_code >= 400:
            raise self._error(response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ProtocolError("the server's answer is not JSON") from exc

    @staticmethod
    def _tokens(body: Any) -> TokenPair:
        try:
            return TokenPair(str(body["access_token"]), str(body["refresh_token"]),
                             int(body.get("expires_in", 900)), str(body.get("session_id", "")),
                             dict(body.get("user") or {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError("the server's login answer is incomplete") from exc

    async def health(self) -> dict[str, Any]:
        body = await self.request("GET", "/health", auth=False)
        if not isinstance(body, dict) or body.get("status") != "ok":
            raise ProtocolError("this does not look like a Praxisdesk server")
        return body

    async def compatibility(self) -> Compatibility:
        """The server's release judged against this client's (app.server_compat). Failing to
        reach the server raises as any call would; an unreadable answer (an old or foreign
        server, a proxy's error page) is the verdict "unknown"."""
        try:
            body = await self.request("GET", "/health", auth=False)
        except (ServerUnreachable, CertificateError):
            raise
        except ApiError:
            return unknown()
        return check_server(body)

    async def login(self, email: str, password: str, totp: str | None = None,
                    device_name: str = "Praxisdesk") -> TokenPair:
        payload: dict[str, Any] = {"email": email, "password": password,
                                   "device_name": device_name}
        if totp:
            payload["totp"] = totp
        tokens = self._tokens(await self.request("POST", "/auth/login", auth=False,
                                                 json=payload))
        self.access_token = tokens.access_token
        return tokens

    async def refresh(self, refresh_token: str) -> TokenPair:
        tokens = self._tokens(await self.request("POST", "/auth/refresh", auth=False,
                                                 json={"refresh_token": refresh_token}))
        self.access_token = tokens.access_token
        return tokens

    async def logout(self) -> None:
        await self.request("POST", "/auth/logout")
        self.access_token = None

    async def me(self) -> dict[str, Any]:
        return dict(await self.request("GET", "/me"))

    async def sync_changes(self, cursor: str, limit: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        body = await self.request("GET", "/sync/changes", params=params)
        if not isinstance(body, dict) or "changes" not in body or "cursor" not in body:
            raise ProtocolError("malformed sync answer")
        return body

    async def download(self, path: str, sink: Callable[[bytes, int, int | None], None],
                       *, max_bytes: int, timeout: float | None = None) -> dict[str, str]:
        """Stream ``GET path`` into ``sink(chunk, received, total)``; returns the headers.
        Refreshes the access token once, like :meth:`request`. ``timeout`` replaces the
        client's for this call (answers the server prepares at length, like exports)."""
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.access_token}"} \
                if self.access_token else {}
            try:
                async with self._http.stream("GET", path, headers=headers,
                                             **extra) as response:
                    if response.status_code == 401 and attempt == 0 and self.refresher:
                        await response.aread()
                        if isinstance(problem_to_error(response), NotAuthenticated):
                            token = await self.refresher()
                            if token:
                                self.access_token = token
                                continue
                    if response.status_code >= 400:
                        await response.aread()
                        raise self._error(response)
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                    if total is not None and total > max_bytes:
                        raise ProtocolError("the attachment is larger than allowed")
                    received = 0
                    async for chunk in response.aiter_bytes(256 * 1024):
                        received += len(chunk)
                        if received > max_bytes:
                            raise ProtocolError("the attachment is larger than allowed")
                        sink(chunk, received, total)
                    return dict(response.headers)
            except httpx.TransportError as exc:
                if _is_certificate_failure(exc):
                    raise CertificateError("The server's certificate is not trusted.") from exc
                raise ServerUnreachable(f"{type(exc).__name__}") from exc
        raise NotAuthenticated("login required")

    async def list_sessions(self) -> list[dict[str, Any]]:
        return list(await self.request("GET", "/auth/sessions"))

    async def revoke_session(self, session_id: str) -> None:
        await self.request("DELETE", f"/auth/sessions/{session_id}")

    async def totp_enroll(self) -> dict[str, Any]:
        return dict(await self.request("POST", "/auth/totp/enroll"))

    async def totp_confirm(self, code: str) -> None:
        await self.request("POST", "/auth/totp/confirm", json={"code": code})

    async def totp_disable(self, code: str) -> None:
        await self.request("DELETE", "/auth/totp", json={"code": code})

    # --- data rights and device management (admins) ------------------------------------------

    async def export_patient(self, patient_id: str,
                             sink: Callable[[bytes, int, int | None], None], *,
                             max_bytes: int, timeout: float) -> dict[str, str]:
        """The patient's export ZIP, streamed into ``sink``; returns the headers."""
        return await self.download(f"/patients/{patient_id}/export", sink,
                                   max_bytes=max_bytes, timeout=timeout)

    async def erase_patient(self, patient_id: str) -> dict[str, int]:
        body = await self.request("POST", f"/patients/{patient_id}/erase")
        counts = body.get("counts") if isinstance(body, dict) else None
        if not isinstance(counts, dict):
            raise ProtocolError("malformed erasure answer")
        return {str(kind): int(n) for kind, n in counts.items()}

    async def list_practice_sessions(self) -> list[dict[str, Any]]:
        body = await self.request("GET", "/practice/sessions")
        if not isinstance(body, list):
            raise ProtocolError("malformed session list")
        return [dict(row) for row in body]

    async def revoke_practice_session(self, session_id: str) -> None:
        await self.request("DELETE", f"/practice/sessions/{session_id}")

    # --- forms (issue 8) -------------------------------------------------------------------

    async def send_form(self, conversation_id: str, definition_id: str,
                        idempotency_key: str) -> dict[str, Any]:
        body = await self.request("POST", f"/conversations/{conversation_id}/form-requests",
                                  json={"form_definition_id": definition_id},
                                  headers={"Idempotency-Key": idempotency_key})
        if not isinstance(body, dict) or "id" not in body:
            raise ProtocolError("malformed form request answer")
        return body

    async def cancel_form_request(self, request_id: str,
                                  idempotency_key: str) -> dict[str, Any]:
        body = await self.request("POST", f"/form-requests/{request_id}/cancel",
                                  headers={"Idempotency-Key": idempotency_key})
        if not isinstance(body, dict) or "id" not in body:
            raise ProtocolError("malformed form request answer")
        return body

    async def seal_status(self, attachment_id: str) -> dict[str, Any]:
        body = await self.request("GET", f"/attachments/{attachment_id}/seal")
        if not isinstance(body, dict) or "sealed" not in body:
            raise ProtocolError("malformed seal answer")
        return body
    # --- forms: the practice's definitions (writes: admins) ----------------------------------

    async def list_forms(self, status: str) -> list[dict[str, Any]]:
        body = await self.request("GET", "/forms", params={"status": status})
        if not isinstance(body, list):
            raise ProtocolError("malformed form list")
        return [dict(row) for row in body]

    async def form_templates(self) -> list[dict[str, Any]]:
        body = await self.request("GET", "/forms/templates")
        if not isinstance(body, list):
            raise ProtocolError("malformed template list")
        return [dict(row) for row in body]

    async def _form_write(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.request(method, path, json=body,
                                    headers={"Idempotency-Key": str(uuid.uuid4())})
        if not isinstance(answer, dict):
            raise ProtocolError("malformed form definition answer")
        return answer

    async def create_form(self, definition: dict[str, Any]) -> dict[str, Any]:
        return await self._form_write("POST", "/forms", {"definition": definition})

    async def new_form_version(self, definition_id: str,
                               definition: dict[str, Any]) -> dict[str, Any]:
        return await self._form_write("POST", f"/forms/{definition_id}/versions",
                                      {"definition": definition})

    async def set_form_status(self, definition_id: str, status: str) -> dict[str, Any]:
        return await self._form_write("PATCH", f"/forms/{definition_id}", {"status": status})
