"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

import backend_server.attachments.demo  # adds demo files (after the conversations exist)
import backend_server.calls.demo  # demo calls (espeak-ng speech, analysed by the queue)
import backend_server.calls.sync  # "call" sync kind
import backend_server.conversations.demo  # adds demo conversations
import backend_server.conversations.sync  # conversation + message sync kinds
import backend_server.forms.demo  # the shipped form templates for the demo practice
import backend_server.forms.sync  # form_definition + form_request sync kinds
import backend_server.inquiries.demo  # demo inquiries, notes, templates
import backend_server.inquiries.sync  # "inquiry" sync kind
import backend_server.notes.sync  # "note" sync kind
import backend_server.patients.sync  # registers the "patient" sync kind
import backend_server.retention.policy  # "retention_policy" sync kind
import backend_server.templates.sync  # "template" sync kind
import backend_server.users.sync  # noqa: F401  (registers the "user" sync kind)
from backend_server import __version__, log_redaction
from backend_server.attachments.endpoints import patient_router as patient_files_router
from backend_server.attachments.endpoints import router as attachments_router
from backend_server.attachments.key_migration import move_keys_to_keystore
from backend_server.audit.endpoints import router as audit_router
from backend_server.auth.endpoints import router as auth_router
from backend_server.backup_schedule import BackupScheduler
from backend_server.calls.endpoints import router as calls_router
from backend_server.calls.jobs import CallWorker
from backend_server.clock import Clock, SystemClock
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.conversations.endpoints import router as conversations_router
from backend_server.conversations.patient_endpoints import router as patient_link_router
from backend_server.devices.endpoints import router as devices_router
from backend_server.errors import install_problem_handlers
from backend_server.events.endpoints import router as events_router
from backend_server.events.hub import EventHub
from backend_server.forms.endpoints import router as forms_router
from backend_server.forms.patient_endpoints import router as patient_forms_router
from backend_server.health.endpoints import router as health_router
from backend_server.inquiries.endpoints import router as inquiries_router
from backend_server.inquiries.patient_endpoints import router as patient_inquiries_router
from backend_server.notes.endpoints import router as notes_router
from backend_server.notifications.service import Notifier
from backend_server.patient_page import endpoints as patient_page
from backend_server.patients.endpoints import router as patients_router
from backend_server.practices.endpoints import router as practices_router
from backend_server.ratelimit import PatientRateLimitMiddleware, RateLimiter
from backend_server.read_state.endpoints import router as read_state_router
from backend_server.retention.endpoints import router as retention_router
from backend_server.retention.erasure import reapply_erasures
from backend_server.retention.rights_endpoints import router as rights_router
from backend_server.retention.scheduler import PurgeScheduler
from backend_server.sync.endpoints import router as sync_router
from backend_server.telephony.endpoints import router as telephony_router
from backend_server.templates.endpoints import router as templates_router
from backend_server.users.endpoints import router as users_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings, clock: Clock | None = None, *,
               version: str = __version__) -> FastAPI:
    """Builds the app; the database is migrated to the newest schema when it starts.
    ``version`` is what health reports (tests pose as another release with it)."""
    settings.ensure_data_dir()
    ctx = ServerContext.create(settings, clock or SystemClock())
    notifier = Notifier(ctx)
    log_redaction.install()
    hub = EventHub(ctx)
    backups = BackupScheduler(ctx)
    purge_scheduler = PurgeScheduler(ctx)
    call_worker = CallWorker(ctx)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await ctx.db.prepare()
        await move_keys_to_keystore(ctx)  # keys older versions kept in the database
        # A restored backup older than an erasure must not serve that patient for a moment.
        await reapply_erasures(ctx)
        hub.start()
        backups.start()
        purge_scheduler.start()  # in the background: the first run never delays requests
        call_worker.start()  # the phone assistant's job queue (jobs of a crash resume)
        try:
            yield
        finally:
            await call_worker.stop()
            await purge_scheduler.stop()
            await backups.stop()
            await notifier.aclose()  # notification e-mails still being sent
            await hub.stop()
            await ctx.db.dispose()
            ctx.close_keystore()

    app = FastAPI(
        title="Praxisdesk server",
        version=version,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.server_version = version
    app.state.notifier = notifier
    app.state.patient_rate_limiter = RateLimiter(
        max_buckets=settings.rate_limit_max_buckets,
        now=lambda: ctx.clock.now().timestamp())
    app.add_middleware(PatientRateLimitMiddleware, limiter=app.state.patient_rate_limiter,
                       settings=settings)
    app.state.event_hub = hub
    app.state.backup_scheduler = backups
    app.state.purge_scheduler = purge_scheduler
    app.state.call_worker = call_worker
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for router in (health_router, auth_router, users_router, practices_router, audit_router,
                   sync_router, patients_router, conversations_router, patient_link_router,
                   attachments_router, patient_files_router,
                   inquiries_router, patient_inquiries_router, notes_router, templates_router,
                   read_state_router, events_router, rights_router, devices_router,
                   retention_router, forms_router, patient_forms_router, calls_router,
                   telephony_router):
        api.include_router(router)
    app.include_router(api)
    # The patient's web page lives outside /api/v1 (its URL is the link in the e-mail).
    app.router.routes.extend(patient_page.routes())
    app.mount(patient_page.STATIC_PREFIX, patient_page.static_files(), name="patient_static")
    return app
