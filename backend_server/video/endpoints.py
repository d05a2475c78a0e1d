"""Staff side of video consultations (``/api/v1/video/...``) and the physician's
signalling socket."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.context import ServerContext
from backend_server.conversations.endpoints import public_base_url
from backend_server.db.after_commit import after_commit
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.events.service import authenticate_socket
from backend_server.models.video import VideoAppointment
from backend_server.notifications import smtp
from backend_server.notifications.service import notifier_of
from backend_server.patients.repository import PatientRepository
from backend_server.practices.service import get_practice
from backend_server.video import connection, service
from backend_server.video.hub import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_AUTHENTICATED,
    CLOSE_NOT_FOUND,
    Peer,
    SignalHub,
)
from backend_server.video.ice import ice_servers
from backend_server.video.invite_mail import compose_invite, video_link
from backend_server.video.repository import VideoRepository
from backend_server.video.schemas import (
    AdmitIn,
    AdmitOut,
    IceServerOut,
    VideoAppointmentCreate,
    VideoAppointmentOut,
    VideoAppointmentWithLink,
    VideoCallOut,
)

router = APIRouter(prefix="/video", tags=["video"])
patient_calls_router = APIRouter(prefix="/patients", tags=["video"])

SIGNAL_PATH = "/api/v1/video/appointments/{id}/signal"
_background: set[asyncio.Task[None]] = set()


def hub_of(request: Request | WebSocket) -> SignalHub:
    hub: SignalHub = request.app.state.video_hub
    return hub


def _with_link(appointment: VideoAppointment, link: str) -> VideoAppointmentWithLink:
    return VideoAppointmentWithLink(
        **VideoAppointmentOut.model_validate(appointment).model_dump(), link=link)


async def _mail_invite(request: Request, session: AsyncSession, ctx: ServerContext,
                       issued: service.Issued, base_url: str) -> None:
    """The invitation e-mail, sent once the appointment is committed (no address: none)."""
    notifier = notifier_of(request)
    if notifier is None or not notifier.enabled:
        return
    appointment = issued.appointment
    patient = await PatientRepository(session).get(appointment.patient_id)
    if patient is None or not patient.email:
        return
    practice = await get_practice(session, appointment.practice_id)
    message = compose_invite(
        practice_name=practice.name, base_url=base_url, token=issued.token,
        code=appointment.code, scheduled_at=appointment.scheduled_at,
        sender=smtp.sender_address(ctx.settings), recipient=patient.email,
        now=ctx.clock.now())
    label = f"video-{appointment.id}"
    after_commit(session, lambda: notifier.send_later(label, message))


@router.post("/appointments", status_code=201)
async def create_appointment(body: VideoAppointmentCreate, request: Request, ctx: Context,
                             session: DbSession, caller: CurrentCaller
                             ) -> VideoAppointmentWithLink:
    base_url = public_base_url(ctx, request)
    issued = await service.create_appointment(
        session, ctx, caller, patient_id=body.patient_id, scheduled_at=body.scheduled_at,
        conversation_id=body.conversation_id, physician_user_id=body.physician_user_id,
        base_url=base_url)
    await _mail_invite(request, session, ctx, issued, base_url)
    return _with_link(issued.appointment, video_link(base_url, issued.token))


@router.get("/appointments")
async def list_appointments(session: DbSession, caller: CurrentCaller,
                            day: Annotated[date, Query()]) -> list[VideoAppointmentOut]:
    rows = await service.list_day(session, day)
    return [VideoAppointmentOut.model_validate(r) for r in rows]


@router.get("/appointments/{appointment_id}")
async def get_appointment(appointment_id: str, session: DbSession,
                          caller: CurrentCaller) -> VideoAppointmentOut:
    return VideoAppointmentOut.model_validate(
        await service.get_appointment(session, appointment_id))


@router.post("/appointments/{appointment_id}/cancel")
async def cancel_appointment(appointment_id: str, request: Request, ctx: Context,
                             session: DbSession, caller: CurrentCaller) -> VideoAppointmentOut:
    appointment = await service.cancel(session, caller, appointment_id, ctx.clock.now())
    hub = hub_of(request)

    def tell_hub() -> None:
        # The commit hook is synchronous; the hub's cleanup writes call metadata.
        task = asyncio.get_running_loop().create_task(hub.cancelled(appointment.id))
        _background.add(task)
        task.add_done_callback(_background.discard)

    after_commit(session, tell_hub)
    return VideoAppointmentOut.model_validate(appointment)


@router.post("/appointments/{appointment_id}/resend")
async def resend_invitation(appointment_id: str, request: Request, ctx: Context,
                            session: DbSession, caller: CurrentCaller
                            ) -> VideoAppointmentWithLink:
    base_url = public_base_url(ctx, request)
    issued = await service.resend(session, ctx, caller, appointment_id, base_url=base_url)
    await _mail_invite(request, session, ctx, issued, base_url)
    hub = hub_of(request)
    after_commit(session, lambda: hub.drop_patient(issued.appointment.id))
    return _with_link(issued.appointment, video_link(base_url, issued.token))


def _signal_url(base_url: str, appointment_id: str) -> str:
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://"):]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://"):]
    return base + SIGNAL_PATH.format(id=appointment_id)


@router.post("/appointments/{appointment_id}/admit")
async def admit(appointment_id: str, body: AdmitIn, request: Request, ctx: Context,
                session: DbSession, caller: CurrentCaller) -> AdmitOut:
    hub = hub_of(request)
    call = await service.admit(session, caller, appointment_id,
                               patient_connected=hub.patient_connected(appointment_id),
                               now=ctx.clock.now())
    practice_id, call_id = caller.practice_id, call.id
    after_commit(session, lambda: hub.admitted(appointment_id, practice_id, body.offerer,
                                               call_id))
    return AdmitOut(ice_servers=ice_servers(ctx.settings, ctx.clock.now()),
                    signal_url=_signal_url(public_base_url(ctx, request), appointment_id))


@router.get("/ice-servers", response_model_exclude_none=True)
async def get_ice_servers(ctx: Context, caller: CurrentCaller) -> list[IceServerOut]:
    return [IceServerOut(**s) for s in ice_servers(ctx.settings, ctx.clock.now())]


@patient_calls_router.get("/{patient_id}/video-calls")
async def patient_video_calls(patient_id: str, session: DbSession,
                              caller: CurrentCaller) -> list[VideoCallOut]:
    return [VideoCallOut.model_validate(c)
            for c in await service.calls_of_patient(session, patient_id)]


@router.websocket("/appointments/{appointment_id}/signal")
async def physician_signal(websocket: WebSocket, appointment_id: str) -> None:
    ctx: ServerContext = websocket.app.state.ctx
    hub = hub_of(websocket)
    await websocket.accept()
    hello = await connection.read_hello(websocket, ctx.settings.video_hello_timeout_seconds)
    if hello is None:
        return
    token = hello.get("access_token")
    who = await authenticate_socket(ctx, token) if isinstance(token, str) else None
    if who is None:
        await connection.close(websocket, CLOSE_NOT_AUTHENTICATED)
        return
    if who.caller.user.role != service.PHYSICIAN:
        await connection.close(websocket, CLOSE_FORBIDDEN)
        return
    practice_id = who.caller.practice_id
    async with ctx.db.session(practice_id=practice_id) as session:
        appointment = await VideoRepository(session).appointment(appointment_id)
    if appointment is None:
        await connection.close(websocket, CLOSE_NOT_FOUND)
        return
    room = hub.room(appointment_id, practice_id)
    peer = Peer("physician")
    await hub.join_physician(room, peer)
    await connection.run(websocket, hub, room, peer)
