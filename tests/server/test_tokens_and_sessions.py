"""Access-token expiry, refresh rotation with reuse detection, and the session list."""

from __future__ import annotations

from datetime import timedelta

from tests.server.harness import Harness, assert_problem

REFRESH = "/api/v1/auth/refresh"


async def test_login_answers_the_contract_shape(server: Harness) -> None:
    practice = await server.practice()
    user = await server.user(practice, "physician", display_name="Dr. Eva Braun")
    response = await server.client.post("/api/v1/auth/login", json={
        "email": user.email, "password": user.password, "device_name": "Empfang 1"})
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["user"]["id"] == user.user_id
    assert body["user"]["role"] == "physician"
    assert body["user"]["totp_enabled"] is False
    assert set(body["user"]) == {"id", "email", "display_name", "role", "active",
                                 "totp_enabled", "practice_id", "created_at", "updated_at"}
    me = await server.client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["practice"]["id"] == practice
    assert me.json()["display_name"] == "Dr. Eva Braun"


async def test_access_token_expires_after_15_minutes(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice)
    server.clock.advance(timedelta(minutes=14, seconds=50))
    assert (await server.client.get("/api/v1/me", headers=user.headers)).status_code == 200
    server.clock.advance(timedelta(seconds=11))
    assert_problem(await server.client.get("/api/v1/me", headers=user.headers),
                   401, "not_authenticated")
    refreshed = await server.client.post(REFRESH, json={"refresh_token": user.refresh_token})
    assert refreshed.status_code == 200
    headers = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert (await server.client.get("/api/v1/me", headers=headers)).status_code == 200


async def test_refresh_rotates_and_reuse_kills_the_whole_session(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice)
    first = user.refresh_token
    response = await server.client.post(REFRESH, json={"refresh_token": first})
    assert response.status_code == 200
    second = response.json()["refresh_token"]
    assert second != first
    assert response.json()["session_id"] == user.session_id

    # Someone replays the old token (stolen copy): the session dies for everybody.
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": first}),
                   401, "refresh_token_reused")
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": second}),
                   401, "session_revoked")
    new_access = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert_problem(await server.client.get("/api/v1/me", headers=new_access),
                   401, "session_revoked")

    async with server.ctx.db.session(system=True) as session:
        from sqlalchemy import select

        from backend_server.models.audit_entry import AuditEntry
        actions = list((await session.execute(
            select(AuditEntry.action).where(AuditEntry.object_id == user.session_id)
        )).scalars())
    assert "auth.refresh.reused" in actions


async def test_unknown_and_expired_refresh_tokens(server: Harness) -> None:
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": "made-up"}),
                   401, "invalid_refresh_token")
    practice = await server.practice()
    user = await server.logged_in(practice)
    server.clock.advance(timedelta(days=30, seconds=1))
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": user.refresh_token}),
                   401, "invalid_refresh_token")


async def test_sessions_list_and_revoke_other_device(server: Harness) -> None:
    practice = await server.practice()
    account = await server.user(practice)
    laptop = await server.login(account, device_name="Laptop")
    laptop_access, laptop_refresh, laptop_sid = (laptop.access_token, laptop.refresh_token,
                                                 laptop.session_id)
    desk = await server.login(account, device_name="Empfang")

    listing = await server.client.get("/api/v1/auth/sessions", headers=desk.headers)
    sessions = {s["id"]: s for s in listing.json()}
    assert set(sessions) == {laptop_sid, desk.session_id}
    assert sessions[desk.session_id]["current"] is True
    assert sessions[laptop_sid]["current"] is False
    assert sessions[laptop_sid]["device_name"] == "Laptop"

    response = await server.client.delete(f"/api/v1/auth/sessions/{laptop_sid}",
                                          headers=desk.headers)
    assert response.status_code == 204
    laptop_headers = {"Authorization": f"Bearer {laptop_access}"}
    assert_problem(await server.client.get("/api/v1/me", headers=laptop_headers),
                   401, "session_revoked")
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": laptop_refresh}),
                   401, "session_revoked")
    listing = await server.client.get("/api/v1/auth/sessions", headers=desk.headers)
    assert [s["id"] for s in listing.json()] == [desk.session_id]


async def test_cannot_revoke_a_colleagues_session(server: Harness) -> None:
    practice = await server.practice()
    me = await server.logged_in(practice, "admin")
    colleague = await server.logged_in(practice)
    response = await server.client.delete(f"/api/v1/auth/sessions/{colleague.session_id}",
                                          headers=me.headers)
    assert_problem(response, 404, "not_found")
    assert (await server.client.get("/api/v1/me", headers=colleague.headers)).status_code == 200


async def test_logout_ends_the_current_session(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice)
    response = await server.client.post("/api/v1/auth/logout", headers=user.headers)
    assert response.status_code == 204
    assert_problem(await server.client.get("/api/v1/me", headers=user.headers),
                   401, "session_revoked")
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": user.refresh_token}),
                   401, "session_revoked")


async def test_deactivated_user_refresh_answers_session_revoked(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    response = await server.client.patch(f"/api/v1/users/{staff.user_id}",
                                         headers=admin.headers, json={"active": False})
    assert response.status_code == 200
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": staff.refresh_token}),
                   401, "session_revoked")


async def test_expired_refresh_token_of_a_live_session_stays_invalid(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice)
    server.clock.advance(timedelta(days=30, seconds=1))
    assert_problem(await server.client.post(REFRESH, json={"refresh_token": user.refresh_token}),
                   401, "invalid_refresh_token")
