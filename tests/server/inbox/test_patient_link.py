"""Patient links: expire after 30 days, can be revoked and re-issued; dead links all look
the same (404)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.audit_entry import AuditEntry
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, patient_send, token_of


async def test_link_expires_after_thirty_days(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    token = token_of(conversation)

    server.clock.advance(timedelta(days=29))
    assert (await server.client.get(f"{API}/p/{token}/conversation")).status_code == 200
    server.clock.advance(timedelta(days=2))
    expired = assert_problem(await server.client.get(f"{API}/p/{token}/conversation"),
                             404, "not_found")
    assert_problem(await patient_send(server, token, "Hallo?"), 404, "not_found")
    unknown = assert_problem(await server.client.get(f"{API}/p/{'x' * 43}/conversation"),
                             404, "not_found")
    assert expired == unknown  # a guesser cannot tell an expired link from a made-up one

    await server.login(staff)  # the access token expired meanwhile as well
    shown = (await server.client.get(f"{API}/conversations/{conversation['id']}",
                                     headers=staff.headers)).json()
    assert shown["link_active"] is False


async def test_revoke_and_reissue(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    old_token = token_of(conversation)
    cid = conversation["id"]

    revoked = await server.client.post(f"{API}/conversations/{cid}/link/revoke",
                                       headers=staff.headers)
    assert revoked.status_code == 200
    assert revoked.json()["link_active"] is False
    assert revoked.json()["link_expires_at"] is None
    revoked_answer = assert_problem(
        await server.client.get(f"{API}/p/{old_token}/conversation"), 404, "not_found")
    assert_problem(await patient_send(server, old_token, "Hallo?"), 404, "not_found")

    reissued = await server.client.post(f"{API}/conversations/{cid}/link",
                                        headers=staff.headers)
    assert reissued.status_code == 200
    new_token = token_of(reissued.json())
    assert new_token != old_token
    assert reissued.json()["link_active"] is True
    assert (await server.client.get(f"{API}/p/{new_token}/conversation")).status_code == 200
    again = await server.client.post(f"{API}/conversations/{cid}/link", headers=staff.headers)
    # Issuing another link kills the one before.
    assert (await server.client.get(f"{API}/p/{new_token}/conversation")).status_code == 404
    assert (await server.client.get(
        f"{API}/p/{token_of(again.json())}/conversation")).status_code == 200
    assert revoked_answer["detail"]

    async with server.ctx.db.session(system=True) as session:
        entries = list((await session.execute(
            select(AuditEntry).where(AuditEntry.object_id == cid)
            .order_by(AuditEntry.seq).execution_options(**ALL_PRACTICES))).scalars())
    assert [e.action for e in entries] == [
        "conversation.create", "conversation.link.issue", "conversation.link.revoke",
        "conversation.link.issue", "conversation.link.issue"]
    assert all(e.actor_user_id == staff.user_id for e in entries)


async def test_public_url_setting_names_the_link_host(server: Harness) -> None:
    server.settings.public_url = "https://praxis.example.de/"
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    assert conversation["patient_link"].startswith("https://praxis.example.de/p/")
