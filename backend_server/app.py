"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

import backend_server.conversations.demo  # adds demo conversations
import backend_server.conversations.sync  # conversation + message sync kinds
import backend_server.patients.sync  # registers the "patient" sync kind
import backend_server.users.sync  # noqa: F401  (registers the "user" sync kind)
from backend_server import __version__
from backend_server.audit.endpoints import router as audit_router
from backend_server.auth.endpoints import router as auth_router
from backend_server.clock import Clock, SystemClock
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.conversations.endpoints import router as conversations_router
from backend_server.conversations.patient_endpoints import router as patient_link_router
from backend_server.errors import install_problem_handlers
from backend_server.events.endpoints import router as events_router
from backend_server.events.hub import EventHub
from backend_server.health.endpoints import router as health_router
from backend_server.patients.endpoints import router as patients_router
from backend_server.practices.endpoints import router as practices_router
from backend_server.sync.endpoints import router as sync_router
from backend_server.users.endpoints import router as users_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """Builds the app; the database is migrated to the newest schema when it starts."""
    settings.ensure_data_dir()
    ctx = ServerContext.create(settings, clock or SystemClock())
    hub = EventHub(ctx)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await ctx.db.prepare()
        hub.start()
        try:
            yield
        finally:
            await hub.stop()
            await ctx.db.dispose()

    app = FastAPI(
        title="Praxisdesk server",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.event_hub = hub
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for router in (health_router, auth_router, users_router, practices_router, audit_router,
                   sync_router, patients_router, conversations_router, patient_link_router,
                   events_router):
        api.include_router(router)
    app.include_router(api)
    return app
