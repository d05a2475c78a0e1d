"""Staff re-issue and revoke a patient's link from the client, against the real server."""

from __future__ import annotations

import httpx

from app.core import ClientCore
from app.events import EventBus
from app.settings import Profile
from tests.app.conftest import Practice, logged_in_core
from tests.app.inbox_helpers import API, Staff


def patient_page(practice: Practice, link: str) -> int:
    """Status of the patient's view behind ``link`` (``<public_url>/p/<token>``)."""
    token = link.rstrip("/").rsplit("/", 1)[-1]
    return httpx.get(f"{practice.server.url}{API}/p/{token}/conversation",
                     timeout=10).status_code


async def test_reissue_gives_a_working_link_and_the_old_one_stops(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    conversation = staff.conversation(staff.patient("Helga Bauer")["id"])
    first = str(conversation["patient_link"])
    cid = str(conversation["id"])
    core: ClientCore = await logged_in_core(profile, bus, practice)
    changed: list[list[str]] = []
    bus.subscribe("inbox_changed", changed.append)
    try:
        await core.sync_once()
        assert patient_page(practice, first) == 200

        link = await core.reissue_patient_link(cid)

        assert link != first
        assert patient_page(practice, link) == 200
        assert patient_page(practice, first) == 404
        row = core.inbox.inbox_rows([cid])[cid]
        assert row.link_active is True
        assert row.link_expires_at is not None
        assert [cid] in changed
        # The link is shown once and never written into the cache.
        token = link.rsplit("/", 1)[-1]
        assert core.cache is not None
        dump = await core.cache.run(lambda conn: "\n".join(
            str(r) for r in conn.execute("SELECT * FROM conversations").fetchall()))
        assert token not in dump
    finally:
        await core.close()
        staff.close()


async def test_revoke_stops_every_link_and_the_row_says_inactive(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    core: ClientCore = await logged_in_core(profile, bus, practice)
    try:
        cid = await core.start_conversation("Thomas Schmidt", "1968-11-02", None)
        assert core.inbox.inbox_rows([cid])[cid].link_active is True
        link = await core.reissue_patient_link(cid)
        assert patient_page(practice, link) == 200

        await core.revoke_patient_link(cid)

        assert patient_page(practice, link) == 404
        row = core.inbox.inbox_rows([cid])[cid]
        assert row.link_active is False
        assert row.link_expires_at is None
        # A sync afterwards keeps saying so.
        await core.sync_once()
        assert core.inbox.inbox_rows([cid])[cid].link_active is False
        assert staff.http.get(f"/conversations/{cid}").json()["link_active"] is False
    finally:
        await core.close()
        staff.close()
