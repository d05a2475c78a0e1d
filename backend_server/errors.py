"""RFC 9457 problem+json for every error the server answers with."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend_server.log_redaction import redact_path

log = logging.getLogger("backend_server.errors")

PROBLEM_BASE = "https://praxisdesk.de/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


class ProblemError(Exception):
    """Raised anywhere in the server to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def not_found(detail: str = "No such object.") -> ProblemError:
    return ProblemError(404, "not_found", detail)


def forbidden(detail: str = "Your role does not allow this.") -> ProblemError:
    return ProblemError(403, "forbidden", detail)


def not_authenticated(detail: str = "Log in again.") -> ProblemError:
    return ProblemError(401, "not_authenticated", detail,
                        headers={"WWW-Authenticate": "Bearer"})


def conflict(detail: str) -> ProblemError:
    return ProblemError(409, "conflict", detail)


def problem_response(
    status: int,
    code: str,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        "code": code,
    }
    body.update(extensions)
    return JSONResponse(body, status_code=status, headers=headers,
                        media_type=PROBLEM_MEDIA_TYPE)


async def _problem_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.code, exc.detail, headers=exc.headers,
                            **exc.extensions)


async def _http_exception(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_FOR_STATUS.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(exc.status_code, code, detail,
                            headers=dict(exc.headers) if exc.headers else None)


def _loc(loc: Any) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only location and message: pydantic's "input" would echo the request body back.
    errors = [{"loc": _loc(err.get("loc", ())), "msg": str(err.get("msg", ""))}
              for err in exc.errors()]
    return problem_response(422, "validation_error", "The request is not valid.",
                            errors=errors)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Two requests raced for the same unique value (e.g. an e-mail address); the loser gets
    # what it would have got a moment later.
    log.warning("constraint conflict on %s %s", request.method,
                redact_path(request.url.path))
    return problem_response(409, "conflict", "This conflicts with existing data.")


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    # Method and path carry ids at most; the body may hold health data and is never logged.
    log.error("unhandled error on %s %s", request.method, redact_path(request.url.path),
              exc_info=(type(exc), exc, exc.__traceback__))
    return problem_response(500, "internal_error", "Something went wrong on the server.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(Exception, _unhandled)
