"""Several live links per conversation: notification mails add links, staff re-issuing
revokes all older ones, revoking kills all, each link expires on its own."""

from __future__ import annotations

from datetime import timedelta

from tests.server.harness import Harness
from tests.server.inbox.helpers import API, new_conversation, new_patient, staff_send, token_of
from tests.server.notifications.conftest import Inbox
from tests.server.notifications.helpers import settle, tokens_in


async def _status(server: Harness, token: str) -> int:
    return (await server.client.get(f"{API}/p/{token}/conversation")).status_code


async def test_links_live_side_by_side_until_reissue_or_revoke(
        mailing: Harness, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    practice = await mailing.practice()
    staff = await mailing.logged_in(practice)
    patient = await new_patient(mailing, staff, email="p@example.de")
    conversation = await new_conversation(mailing, staff, patient["id"])
    cid = conversation["id"]
    issued = token_of(conversation)
    [mailed] = tokens_in((await inbox.wait_for(1))[0])
    assert await _status(mailing, issued) == 200
    assert await _status(mailing, mailed) == 200

    # Staff issue a new link: every older one, mailed or not, stops working.
    reissued = await mailing.client.post(f"{API}/conversations/{cid}/link",
                                         headers=staff.headers)
    assert reissued.status_code == 200
    fresh = token_of(reissued.json())
    assert [await _status(mailing, t) for t in (issued, mailed, fresh)] == [404, 404, 200]

    # A later notification adds a link and keeps the staff-issued one.
    mailing.clock.advance(timedelta(minutes=20))
    await mailing.login(staff)
    assert (await staff_send(mailing, staff, cid, "Neuigkeiten")).status_code == 201
    [mailed_again] = tokens_in((await inbox.wait_for(2))[1])
    assert [await _status(mailing, t) for t in (fresh, mailed_again)] == [200, 200]

    revoked = await mailing.client.post(f"{API}/conversations/{cid}/link/revoke",
                                        headers=staff.headers)
    assert revoked.json()["link_active"] is False
    assert revoked.json()["link_expires_at"] is None
    assert [await _status(mailing, t) for t in (fresh, mailed_again)] == [404, 404]
    # The patient page tells a revoked link apart from nothing: same friendly 404 page.
    page = await mailing.client.get(f"/p/{fresh}")
    assert page.status_code == 404
    assert 'data-state="invalid"' in page.text


async def test_each_link_expires_on_its_own(mailing: Harness, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    practice = await mailing.practice()
    staff = await mailing.logged_in(practice)
    patient = await new_patient(mailing, staff, email="p@example.de")
    conversation = await new_conversation(mailing, staff, patient["id"])
    cid = conversation["id"]
    first = token_of(conversation)
    await inbox.wait_for(1)

    mailing.clock.advance(timedelta(days=20))
    await mailing.login(staff)
    assert (await staff_send(mailing, staff, cid, "Ihr Termin")).status_code == 201
    [later] = tokens_in((await inbox.wait_for(2))[1])
    shown = (await mailing.client.get(f"{API}/conversations/{cid}",
                                      headers=staff.headers)).json()
    opened = (await mailing.client.get(f"{API}/p/{later}/conversation")).json()
    # The conversation shows the newest live link's expiry: the mailed one's.
    assert shown["link_expires_at"] == opened["link_expires_at"]

    mailing.clock.advance(timedelta(days=11))  # day 31: the first link is over
    assert await _status(mailing, first) == 404
    assert await _status(mailing, later) == 200
    page = await mailing.client.get(f"/p/{later}")
    assert page.status_code == 200
    assert 'data-state="ready"' in page.text
    mailing.clock.advance(timedelta(days=20))  # day 51: so is the mailed one
    assert await _status(mailing, later) == 404
    await mailing.login(staff)
    shown = (await mailing.client.get(f"{API}/conversations/{cid}",
                                      headers=staff.headers)).json()
    assert shown["link_active"] is False
    await settle(mailing)
