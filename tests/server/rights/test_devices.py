"""Admin device management: every live session of the practice, and revoking one."""

from __future__ import annotations

from sqlalchemy import select

from backend_server.models.audit_entry import AuditEntry
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API


async def test_admin_lists_and_revokes_another_users_session(server: Harness) -> None:
    practice, other = await server.practice(), await server.practice()
    admin_user = await server.logged_in(practice, "admin", display_name="Dr. Chefin")
    staff = await server.user(practice, "staff", display_name="Tom Empfang")
    await server.login(staff, device_name="Empfang links")
    first_session = staff.session_id
    await server.login(staff, device_name="Laptop")  # the same user on a second device
    second_session = staff.session_id
    foreign = await server.logged_in(other, "staff")

    listed = await server.client.get(f"{API}/practice/sessions", headers=admin_user.headers)
    assert listed.status_code == 200, listed.text
    rows = listed.json()
    assert {r["id"] for r in rows} == {admin_user.session_id, first_session, second_session}
    assert foreign.session_id not in {r["id"] for r in rows}
    mine = next(r for r in rows if r["id"] == admin_user.session_id)
    assert mine["current"] is True
    assert mine["user_display_name"] == "Dr. Chefin"
    tom = next(r for r in rows if r["id"] == second_session)
    assert tom == {**tom, "user_id": staff.user_id, "user_email": staff.email,
                   "user_display_name": "Tom Empfang", "device_name": "Laptop",
                   "current": False}
    assert {"created_at", "last_used_at"} <= tom.keys()
    assert (await server.client.get(f"{API}/me", headers=staff.headers)).status_code == 200

    revoked = await server.client.delete(f"{API}/practice/sessions/{second_session}",
                                         headers=admin_user.headers)
    assert revoked.status_code == 204, revoked.text
    # The device learns it was logged out (and so wipes its local data), not just "expired".
    assert_problem(await server.client.get(f"{API}/me", headers=staff.headers), 401,
                   "session_revoked")
    assert_problem(await server.client.post(f"{API}/auth/refresh",
                                            json={"refresh_token": staff.refresh_token}),
                   401, "session_revoked")
    after = await server.client.get(f"{API}/practice/sessions", headers=admin_user.headers)
    assert {r["id"] for r in after.json()} == {admin_user.session_id, first_session}
    # Revoking again is harmless; another practice's session is not found.
    again = await server.client.delete(f"{API}/practice/sessions/{second_session}",
                                       headers=admin_user.headers)
    assert again.status_code == 204
    assert_problem(await server.client.delete(f"{API}/practice/sessions/{foreign.session_id}",
                                              headers=admin_user.headers), 404, "not_found")
    assert (await server.client.get(f"{API}/me", headers=foreign.headers)).status_code == 200

    async with server.ctx.db.session(system=True) as session:
        audited = list((await session.execute(select(AuditEntry).where(
            AuditEntry.action == "auth.session.revoke_admin"))).scalars())
    assert [(a.object_id, a.actor_user_id) for a in audited] == [
        (second_session, admin_user.user_id), (second_session, admin_user.user_id)]


async def test_only_admins_see_or_revoke_practice_sessions(server: Harness) -> None:
    practice = await server.practice()
    admin_user = await server.logged_in(practice, "admin")
    for role in ("staff", "physician"):
        who = await server.logged_in(practice, role)
        assert_problem(await server.client.get(f"{API}/practice/sessions",
                                               headers=who.headers), 403, "forbidden")
        assert_problem(await server.client.delete(
            f"{API}/practice/sessions/{admin_user.session_id}", headers=who.headers),
            403, "forbidden")
    assert (await server.client.get(f"{API}/me", headers=admin_user.headers)).status_code == 200
