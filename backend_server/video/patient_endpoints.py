"""The patient's side under ``/v``: terms of use, join by code, the call page, its data
and its signalling socket. No account: the link token (or a code that yields one) is the
only key, valid from 30 minutes before to 2 hours after the appointment. Every dead link
(unknown, another practice's, expired, not yet valid, cancelled, ended) gets the same
answer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, WebSocket
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from backend_server.context import ServerContext
from backend_server.deps import Context, DbSession
from backend_server.errors import ProblemError
from backend_server.practices.service import get_practice
from backend_server.video import connection, service
from backend_server.video.endpoints import hub_of
from backend_server.video.hub import CLOSE_BAD_REQUEST, CLOSE_NOT_FOUND, Peer
from backend_server.video.ice import ice_servers
from backend_server.video.schemas import PatientVideoInfo

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/v-static"

# As on /p/: nothing from another origin, no inline code, not framable, no referrer (the
# URL holds the token). Camera and microphone for this origin only.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"),
    "Permissions-Policy": "camera=(self), microphone=(self), display-capture=()",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

router = APIRouter(tags=["video patient page"])


@cache
def _file(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def _page(state: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_file("call.html").replace("{{STATE}}", state), status_code=status,
                        headers=SECURITY_HEADERS)


# The HTML pages are plain routes (outside the API schema, like /p/{token}).
async def terms(_request: Request) -> HTMLResponse:
    return HTMLResponse(_file("terms.html"), headers=SECURITY_HEADERS)


async def join_form(_request: Request) -> HTMLResponse:
    return _page("join")


async def join_by_code(request: Request) -> Response:
    ctx: ServerContext = request.app.state.ctx
    form = await request.form(max_files=0, max_fields=5)
    code = form.get("code")
    token = None
    if isinstance(code, str) and len(code) <= 40:
        async with ctx.db.session() as session:
            token = await service.token_for_code(session, code, ctx.clock.now())
            await session.commit()
    if token is None:
        return _page("badcode", 404)
    # 303: the browser follows with GET; relative, so it works behind any proxy.
    return RedirectResponse(f"/v/{token}", status_code=303, headers=SECURITY_HEADERS)


async def call_page(request: Request) -> HTMLResponse:
    ctx: ServerContext = request.app.state.ctx
    async with ctx.db.session() as session:
        try:
            await service.resolve_token(session, str(request.path_params["token"]),
                                        ctx.clock.now())
        except ProblemError:
            return _page("invalid", 404)
    return _page("ready")


def routes() -> list[Route]:
    return [Route("/v", join_form, methods=["GET"]),
            Route("/v/terms", terms, methods=["GET"]),
            Route("/v/code", join_by_code, methods=["POST"]),
            Route("/v/{token}", call_page, methods=["GET"])]


@router.get("/v/{video_token}/info")
async def call_info(video_token: str, ctx: Context, session: DbSession) -> PatientVideoInfo:
    now = ctx.clock.now()
    appointment = await service.resolve_token(session, video_token, now)
    practice = await get_practice(session, appointment.practice_id)
    return PatientVideoInfo(practice_name=practice.name,
                            scheduled_at=appointment.scheduled_at,
                            valid_until=appointment.valid_until, status=appointment.status,
                            ice_servers=ice_servers(ctx.settings, now))


@router.websocket("/v/{token}/signal")
async def patient_signal(websocket: WebSocket, token: str) -> None:
    ctx: ServerContext = websocket.app.state.ctx
    hub = hub_of(websocket)
    await websocket.accept()
    hello = await connection.read_hello(websocket, ctx.settings.video_hello_timeout_seconds)
    if hello is None:
        return
    async with ctx.db.session() as session:
        try:
            appointment = await service.resolve_token(session, token, ctx.clock.now())
        except ProblemError:
            appointment = None
    if appointment is None:
        await connection.close(websocket, CLOSE_NOT_FOUND)
        return
    name = service.clean_name(hello.get("name"))
    if name is None:
        await connection.close(websocket, CLOSE_BAD_REQUEST)
        return
    room = hub.room(appointment.id, appointment.practice_id)
    peer = Peer("patient")
    if not await hub.join_patient(room, peer, name):
        await connection.close(websocket, CLOSE_NOT_FOUND)
        return
    await connection.run(websocket, hub, room, peer)


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
