"""Failed logins lock the account for 15 minutes, and unknown e-mails look the same."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend_server.models.audit_entry import AuditEntry
from tests.server.harness import Harness, assert_problem

LOGIN = "/api/v1/auth/login"


async def _audit_actions(server: Harness) -> list[str]:
    async with server.ctx.db.session(system=True) as session:
        result = await session.execute(select(AuditEntry.action).order_by(AuditEntry.seq))
        return list(result.scalars())


async def test_five_failures_lock_even_the_right_password_for_15_minutes(
    server: Harness,
) -> None:
    practice = await server.practice()
    user = await server.user(practice, "staff")
    for _ in range(5):
        response = await server.client.post(LOGIN, json={"email": user.email,
                                                         "password": "wrong password"})
        assert_problem(response, 401, "invalid_credentials")

    response = await server.client.post(LOGIN, json={"email": user.email,
                                                     "password": user.password})
    body = assert_problem(response, 429, "account_locked")
    assert 0 < body["retry_after"] <= 900
    assert response.headers["Retry-After"] == str(body["retry_after"])

    server.clock.advance(timedelta(minutes=14))
    response = await server.client.post(LOGIN, json={"email": user.email,
                                                     "password": user.password})
    body = assert_problem(response, 429, "account_locked")
    assert body["retry_after"] <= 60

    server.clock.advance(timedelta(minutes=1, seconds=1))
    response = await server.client.post(LOGIN, json={"email": user.email.upper(),
                                                     "password": user.password})
    assert response.status_code == 200, response.text

    actions = await _audit_actions(server)
    assert actions.count("auth.login.failed") == 5
    assert actions.count("auth.login.locked") == 1
    assert actions.count("auth.login.refused_locked") == 2
    assert actions[-1] == "auth.login.ok"


async def test_success_resets_the_failure_count(server: Harness) -> None:
    practice = await server.practice()
    user = await server.user(practice)
    for _ in range(4):
        await server.client.post(LOGIN, json={"email": user.email, "password": "nope nope"})
    await server.login(user)
    for _ in range(4):
        await server.client.post(LOGIN, json={"email": user.email, "password": "nope nope"})
    await server.login(user)  # would be locked if the earlier failures still counted


async def test_unknown_email_answers_like_a_wrong_password(server: Harness) -> None:
    practice = await server.practice()
    user = await server.user(practice)
    wrong = await server.client.post(LOGIN, json={"email": user.email, "password": "x" * 9})
    unknown = await server.client.post(LOGIN, json={"email": "ghost@example.org",
                                                    "password": "x" * 9})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    for _ in range(4):
        await server.client.post(LOGIN, json={"email": "ghost@example.org",
                                              "password": "x" * 9})
    locked = await server.client.post(LOGIN, json={"email": "ghost@example.org",
                                                   "password": "x" * 9})
    assert_problem(locked, 429, "account_locked")


async def test_deactivated_user_cannot_log_in(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    response = await server.client.patch(f"/api/v1/users/{staff.user_id}",
                                         headers=admin.headers, json={"active": False})
    assert response.status_code == 200
    assert_problem(await server.client.get("/api/v1/me", headers=staff.headers),
                   401, "session_revoked")
    response = await server.client.post(LOGIN, json={"email": staff.email,
                                                     "password": staff.password})
    assert_problem(response, 401, "invalid_credentials")


async def test_parallel_guessing_still_locks_after_five(server: Harness) -> None:
    import asyncio

    practice = await server.practice()
    user = await server.user(practice)

    async def guess(i: int) -> int:
        response = await server.client.post(LOGIN, json={"email": user.email,
                                                         "password": f"guess {i:04d}"})
        return response.status_code

    statuses = await asyncio.gather(*(guess(i) for i in range(8)))
    assert all(status in (401, 429) for status in statuses)
    response = await server.client.post(LOGIN, json={"email": user.email,
                                                     "password": user.password})
    assert_problem(response, 429, "account_locked")
