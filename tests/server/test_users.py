"""The staff directory: admins manage users of their own practice."""

from __future__ import annotations

from tests.server.harness import Harness, assert_problem


async def test_admin_creates_and_updates_a_user(server: Harness) -> None:
    practice = await server.practice("Hausarztpraxis Nord")
    admin = await server.logged_in(practice, "admin")
    created = await server.client.post("/api/v1/users", headers=admin.headers, json={
        "email": "Empfang@Praxis-Nord.de", "password": "sicheres passwort",
        "role": "staff", "display_name": "Jana Krüger"})
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["email"] == "empfang@praxis-nord.de"
    assert user["practice_id"] == practice
    assert user["active"] is True

    login = await server.client.post("/api/v1/auth/login", json={
        "email": "empfang@praxis-nord.de", "password": "sicheres passwort"})
    assert login.status_code == 200

    patched = await server.client.patch(f"/api/v1/users/{user['id']}", headers=admin.headers,
                                        json={"role": "physician", "display_name": "Dr. Jana"})
    assert patched.status_code == 200
    assert patched.json()["role"] == "physician"
    assert patched.json()["updated_at"] >= user["updated_at"]
    fetched = await server.client.get(f"/api/v1/users/{user['id']}", headers=admin.headers)
    assert fetched.json()["display_name"] == "Dr. Jana"
    practice_info = await server.client.get("/api/v1/practices/current", headers=admin.headers)
    assert practice_info.json()["name"] == "Hausarztpraxis Nord"


async def test_email_in_use_anywhere_is_a_conflict(server: Harness) -> None:
    practice_a, practice_b = await server.practice(), await server.practice()
    taken = await server.user(practice_a, email="doppelt@example.org")
    admin_b = await server.logged_in(practice_b, "admin")
    response = await server.client.post("/api/v1/users", headers=admin_b.headers, json={
        "email": taken.email.upper(), "password": "long enough", "role": "staff",
        "display_name": "X"})
    assert_problem(response, 409, "conflict")


async def test_bad_user_input_is_refused_and_nothing_is_created(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    for body in (
        {"email": "no-at-sign", "password": "long enough", "role": "staff", "display_name": "X"},
        {"email": "a@b.de", "password": "short", "role": "staff", "display_name": "X"},
        {"email": "a@b.de", "password": "long enough", "role": "boss", "display_name": "X"},
    ):
        response = await server.client.post("/api/v1/users", headers=admin.headers, json=body)
        assert_problem(response, 422, "validation_error")
    users = (await server.client.get("/api/v1/users", headers=admin.headers)).json()
    assert [u["id"] for u in users] == [admin.user_id]


async def test_staff_and_physicians_cannot_change_users(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice, "staff")
    physician = await server.logged_in(practice, "physician")
    for caller in (staff, physician):
        response = await server.client.patch(f"/api/v1/users/{caller.user_id}",
                                             headers=caller.headers, json={"role": "admin"})
        assert_problem(response, 403, "forbidden")
    me = await server.client.get("/api/v1/me", headers=staff.headers)
    assert me.json()["role"] == "staff"
    audit = await server.client.get("/api/v1/audit", headers=staff.headers)
    assert_problem(audit, 403, "forbidden")


async def test_last_admin_cannot_be_removed(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    response = await server.client.patch(f"/api/v1/users/{admin.user_id}",
                                         headers=admin.headers, json={"role": "staff"})
    assert_problem(response, 409, "conflict")
    assert (await server.client.get("/api/v1/me", headers=admin.headers)).json()["role"] == \
        "admin"


async def test_racing_creates_of_one_email_give_one_user_and_a_conflict(
    server: Harness,
) -> None:
    import asyncio

    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")

    async def create() -> int:
        response = await server.client.post("/api/v1/users", headers=admin.headers, json={
            "email": "race@example.org", "password": "long enough", "role": "staff",
            "display_name": "Race"})
        return response.status_code

    statuses = sorted(await asyncio.gather(create(), create(), create()))
    assert statuses[0] == 201
    assert statuses[1:] == [409, 409]
    users = (await server.client.get("/api/v1/users", headers=admin.headers)).json()
    assert sorted(u["email"] for u in users) == sorted([admin.email, "race@example.org"])
