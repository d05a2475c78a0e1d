"""The in-process signalling hub: one room per appointment, at most one physician and one
patient socket in it. The server only relays SDP and ICE (it never sees media) and keeps
the order of each side's frames: every socket's frames are handled one after the other by
its reader, and each peer has one outbox drained by one writer.

Frames for a peer who is not (yet) connected while the call is admitted wait in a bounded
queue (the physician may admit before opening the socket, the patient may be the
offerer). Nothing here logs SDP, tokens, codes or names: ids and frame types only.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from backend_server.context import ServerContext
from backend_server.video import service

log = logging.getLogger("backend_server.video")

MAX_FRAME_BYTES = 64 * 1024
PENDING_FRAMES = 256
RELAYED = frozenset({"offer", "answer", "ice", "hangup"})

CLOSE_NORMAL = 1000
CLOSE_UNSUPPORTED = 1003
CLOSE_TOO_BIG = 1009
CLOSE_BAD_REQUEST = 4400
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_REPLACED = 4409


@dataclass(frozen=True)
class Close:
    code: int


@dataclass(eq=False)
class Peer:
    role: str  # "physician" | "patient"
    outbox: asyncio.Queue[str | Close] = field(default_factory=asyncio.Queue)
    closed: bool = False

    def send(self, frame: dict[str, Any] | str) -> None:
        if not self.closed:
            self.outbox.put_nowait(frame if isinstance(frame, str) else json.dumps(frame))

    def close(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.outbox.put_nowait(Close(code))


@dataclass(eq=False)
class Room:
    appointment_id: str
    practice_id: str
    physician: Peer | None = None
    patient: Peer | None = None
    offerer: str | None = None  # set while admitted
    call_id: str | None = None
    last_call_id: str | None = None
    pending: dict[str, deque[str]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def admitted(self) -> bool:
        return self.offerer is not None

    def peer(self, role: str) -> Peer | None:
        return self.physician if role == "physician" else self.patient

    def other(self, role: str) -> str:
        return "patient" if role == "physician" else "physician"

    def deliver(self, role: str, frame: dict[str, Any] | str) -> None:
        """To ``role``'s socket, or into its bounded queue while it is away."""
        peer = self.peer(role)
        if peer is not None and not peer.closed:
            peer.send(frame)
            return
        queue = self.pending.setdefault(role, deque(maxlen=PENDING_FRAMES))
        queue.append(frame if isinstance(frame, str) else json.dumps(frame))

    def empty(self) -> bool:
        return self.physician is None and self.patient is None and not self.admitted


class SignalHub:
    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self._rooms: dict[str, Room] = {}

    def room(self, appointment_id: str, practice_id: str) -> Room:
        room = self._rooms.get(appointment_id)
        if room is None:
            room = Room(appointment_id, practice_id)
            self._rooms[appointment_id] = room
        return room

    def _forget_if_empty(self, room: Room) -> None:
        if room.empty() and self._rooms.get(room.appointment_id) is room:
            del self._rooms[room.appointment_id]

    def patient_connected(self, appointment_id: str) -> bool:
        room = self._rooms.get(appointment_id)
        return room is not None and room.patient is not None and not room.patient.closed

    # --- joining -------------------------------------------------------------------------

    async def join_patient(self, room: Room, peer: Peer, name: str) -> bool:
        """A second patient socket replaces the first (a reload, another device): the old
        one is closed with 4409 and a running call ends (the physician gets ``peer-left``);
        the newcomer waits to be admitted again."""
        async with room.lock:
            old = room.patient
            if old is not None:
                old.close(CLOSE_REPLACED)
                room.patient = None
                await self._end_running_call(room, notify="physician")
            if not await service.mark_waiting(self.ctx, room.practice_id,
                                              room.appointment_id, name):
                return False
            room.patient = peer
            peer.send({"type": "waiting"})
            log.info("video %s: patient waiting", room.appointment_id)
            return True

    async def join_physician(self, room: Room, peer: Peer) -> None:
        """A second physician socket (another window) replaces the first."""
        async with room.lock:
            old = room.physician
            if old is not None:
                old.close(CLOSE_REPLACED)
            room.physician = peer
            if room.admitted:
                peer.send({"type": "admitted", "offerer": room.offerer})
            for frame in room.pending.pop("physician", ()):
                peer.send(frame)

    # --- the call ------------------------------------------------------------------------

    def admitted(self, appointment_id: str, practice_id: str, offerer: str,
                 call_id: str) -> None:
        """After the admit's transaction committed (synchronous: only queues frames)."""
        room = self.room(appointment_id, practice_id)
        room.offerer = offerer
        room.call_id = room.last_call_id = call_id
        room.pending.clear()
        frame = {"type": "admitted", "offerer": offerer}
        if room.patient is not None:
            room.patient.send(frame)
        if room.physician is not None:
            room.physician.send(frame)
        log.info("video %s: admitted (call %s, offerer %s)", appointment_id, call_id, offerer)

    async def _end_running_call(self, room: Room, *, notify: str | None) -> None:
        """Peer-left handling: the metadata row gets its end; ``notify`` gets peer-left."""
        call_id, room.call_id, room.offerer = room.call_id, None, None
        room.pending.clear()
        if call_id is None:
            return
        await service.end_call(self.ctx, room.practice_id, call_id)
        if notify is not None:
            peer = room.peer(notify)
            if peer is not None:
                peer.send({"type": "peer-left"})
        log.info("video %s: call %s ended (peer left)", room.appointment_id, call_id)

    async def hangup(self, room: Room, role: str, raw: str) -> None:
        async with room.lock:
            if not room.admitted:
                return
            room.deliver(room.other(role), raw)
            call_id, room.call_id, room.offerer = room.call_id, None, None
            room.pending.clear()
            if call_id is not None:
                await service.end_call(self.ctx, room.practice_id, call_id)
            await service.set_status(self.ctx, room.practice_id, room.appointment_id, "ended")
            await self._finish(room)
            log.info("video %s: call %s ended (hang-up by %s)", room.appointment_id, call_id,
                     role)

    async def _finish(self, room: Room) -> None:
        """``ended`` to both; the patient's link is dead now, so its socket closes."""
        for peer in (room.physician, room.patient):
            if peer is not None:
                peer.send({"type": "ended"})
        if room.patient is not None:
            room.patient.close(CLOSE_NORMAL)
            room.patient = None

    async def cancelled(self, appointment_id: str) -> None:
        """Staff cancelled: a running call ends, the patient is told and let go."""
        room = self._rooms.get(appointment_id)
        if room is None:
            return
        async with room.lock:
            call_id, room.call_id, room.offerer = room.call_id, None, None
            room.pending.clear()
            if call_id is not None:
                await service.end_call(self.ctx, room.practice_id, call_id)
            await self._finish(room)
        self._forget_if_empty(room)

    def drop_patient(self, appointment_id: str) -> None:
        """A resend made a new link; a socket opened with the old one is closed (its
        leave handling ends a running call)."""
        room = self._rooms.get(appointment_id)
        if room is not None and room.patient is not None:
            room.patient.close(CLOSE_NOT_FOUND)

    async def relay(self, room: Room, role: str, kind: str, raw: str) -> None:
        if kind == "hangup":
            await self.hangup(room, role, raw)
        elif room.admitted and room.peer(role) is not None:
            room.deliver(room.other(role), raw)  # verbatim, in arrival order

    async def quality(self, room: Room, frame: dict[str, Any]) -> None:
        call_id = room.call_id or room.last_call_id
        summary = service.quality_summary(frame)
        if call_id is not None and summary:
            await service.store_quality(self.ctx, room.practice_id, call_id, summary)

    async def leave(self, room: Room, peer: Peer) -> None:
        async with room.lock:
            if peer.role == "patient" and room.patient is peer:
                room.patient = None
                was_in_call = room.admitted
                await self._end_running_call(room, notify="physician")
                await service.set_status(self.ctx, room.practice_id, room.appointment_id,
                                         "scheduled")
                log.info("video %s: patient left%s", room.appointment_id,
                         " the call" if was_in_call else "")
            elif peer.role == "physician" and room.physician is peer:
                room.physician = None
                if room.admitted:
                    await self._end_running_call(room, notify="patient")
                    # Back to the waiting room (another admit starts a new call), or, if the
                    # patient left meanwhile, back to scheduled.
                    await service.set_status(
                        self.ctx, room.practice_id, room.appointment_id,
                        "waiting" if room.patient is not None else "scheduled")
        self._forget_if_empty(room)

    async def close_all(self) -> None:
        for room in list(self._rooms.values()):
            for peer in (room.physician, room.patient):
                if peer is not None:
                    peer.close(1012)
