"""Erasure reaches clients that are connected right now: the websocket pushes the
tombstones of the patient and of each conversation to every socket of the practice."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.events.conftest import events_server, http  # noqa: F401
from tests.server.events.support import EventSocket, staff_of
from tests.support.live_server import LiveServer


async def test_erasure_tombstones_reach_two_live_sockets(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:  # noqa: F811
    admin_user = await staff_of(events_server, http, role="admin")
    reception = await staff_of(events_server, http, admin_user.practice_id, role="staff")
    doctor = await staff_of(events_server, http, admin_user.practice_id, role="physician")
    conversation = await reception.conversation("Erika Mustermann")
    await reception.post_message(conversation, "Bitte Rückruf")
    patient_id = next(c["id"] for c in (await reception.changes())["changes"]
                      if c["kind"] == "patient")
    cursor = await reception.current_cursor()

    sockets = [await EventSocket.open(events_server, who.access_token, cursor)
               for who in (reception, doctor)]
    try:
        for socket in sockets:
            await socket.caught_up()
        erased = await http.post(f"/api/v1/patients/{patient_id}/erase",
                                 headers=admin_user.headers)
        assert erased.status_code == 200, erased.text

        def both_gone(changes: list[dict[str, Any]]) -> bool:
            deletes = {(c["kind"], c["id"]) for c in changes if c["op"] == "delete"}
            return {("patient", patient_id), ("conversation", conversation)} <= deletes

        for socket in sockets:
            changes = await socket.changes_until(both_gone, timeout=5.0)
            assert all(c["data"] is None for c in changes)
    finally:
        for socket in sockets:
            await socket.close()
