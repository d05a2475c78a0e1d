"""``GET /p/{token}``: the patient's page (outside /api/v1), and its static files under
``/p-static/``.

The page itself carries no data: its script loads the conversation from
``/api/v1/p/{token}/conversation``. The server only checks whether the link is alive so
a dead one shows the friendly "link not valid" page at once (404, same page for unknown,
expired and revoked links).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from backend_server.context import ServerContext
from backend_server.errors import ProblemError
from backend_server.patient_links import service as patient_links

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/p-static"
MAX_TOKEN = 200

# No inline script or style, nothing from another origin, not framable, no referrer (the
# URL holds the token).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@cache
def _template() -> str:
    return (STATIC_DIR / "page.html").read_text(encoding="utf-8")


def render(state: str) -> str:
    return _template().replace("{{STATE}}", state)


async def _link_alive(ctx: ServerContext, token: str) -> bool:
    if not token or len(token) > MAX_TOKEN:
        return False
    async with ctx.db.session() as session:
        try:
            await patient_links.resolve(session, token, now=ctx.clock.now())
        except ProblemError:
            return False
    return True


async def patient_page(request: Request) -> HTMLResponse:
    ctx: ServerContext = request.app.state.ctx
    token = str(request.path_params["token"])
    alive = await _link_alive(ctx, token)
    return HTMLResponse(render("ready" if alive else "invalid"),
                        status_code=200 if alive else 404, headers=SECURITY_HEADERS)


def routes() -> list[Route]:
    return [Route("/p/{token}", patient_page, methods=["GET"], name="patient_page")]


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
