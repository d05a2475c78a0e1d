"""GET /sync/changes: the latest state of each changed object after a cursor."""

from __future__ import annotations

from tests.server.harness import Account, Harness, assert_problem

CHANGES = "/api/v1/sync/changes"


async def _changes(server: Harness, who: Account, cursor: str = "",
                   limit: int | None = None) -> dict:  # type: ignore[type-arg]
    params: dict[str, str | int] = {"cursor": cursor}
    if limit is not None:
        params["limit"] = limit
    response = await server.client.get(CHANGES, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_delta_since_cursor_holds_latest_state_once(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    first = await _changes(server, admin)
    assert [c["id"] for c in first["changes"]] == [admin.user_id]
    assert first["changes"][0]["op"] == "upsert"
    assert first["changes"][0]["data"]["email"] == admin.email
    assert "password_hash" not in first["changes"][0]["data"]
    assert first["has_more"] is False
    assert first["remaining"] == 0

    nothing = await _changes(server, admin, first["cursor"])
    assert nothing["changes"] == []
    assert nothing["cursor"] == first["cursor"]

    staff = await server.user(practice)
    for name in ("Erst", "Zweit"):
        await server.client.patch(f"/api/v1/users/{staff.user_id}", headers=admin.headers,
                                  json={"display_name": name})
    delta = await _changes(server, admin, first["cursor"])
    assert [c["id"] for c in delta["changes"]] == [staff.user_id]
    assert delta["changes"][0]["data"]["display_name"] == "Zweit"


async def test_pages_and_practice_scope(server: Harness) -> None:
    practice_a, practice_b = await server.practice(), await server.practice()
    reader = await server.logged_in(practice_a, "staff")
    others = [await server.user(practice_a) for _ in range(3)]
    await server.user(practice_b)

    seen: list[str] = []
    cursor = ""
    pages = 0
    remaining: list[int] = []
    while True:
        page = await _changes(server, reader, cursor, limit=2)
        seen += [c["id"] for c in page["changes"]]
        cursor = page["cursor"]
        remaining.append(page["remaining"])
        pages += 1
        if not page["has_more"]:
            break
    assert pages == 2
    # Progress counts only this practice's objects: 4 in all, 2 per page.
    assert remaining == [2, 0]
    assert sorted(seen) == sorted([reader.user_id] + [o.user_id for o in others])


async def test_bad_cursor_is_a_validation_error(server: Harness) -> None:
    practice = await server.practice()
    reader = await server.logged_in(practice)
    response = await server.client.get(CHANGES, headers=reader.headers,
                                       params={"cursor": "not-a-cursor"})
    assert_problem(response, 422, "validation_error")


async def test_deleted_object_arrives_as_delete(server: Harness) -> None:
    practice = await server.practice()
    reader = await server.logged_in(practice, "admin")
    doomed = await server.user(practice)
    cursor = (await _changes(server, reader))["cursor"]

    from backend_server.users.repository import UserRepository

    async with server.ctx.db.session(practice_id=practice) as session:
        user = await UserRepository(session).get(doomed.user_id)
        assert user is not None
        await session.delete(user)
        await session.commit()
    delta = await _changes(server, reader, cursor)
    assert delta["changes"] == [{"kind": "user", "op": "delete", "id": doomed.user_id,
                                 "data": None}]


async def test_remaining_counts_objects_not_log_rows(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = [await server.user(practice) for _ in range(3)]
    for name in ("Eins", "Zwei", "Drei"):  # three log rows, still one object to fetch
        response = await server.client.patch(f"/api/v1/users/{staff[0].user_id}",
                                             headers=admin.headers, json={"display_name": name})
        assert response.status_code == 200
    first = await _changes(server, admin, limit=1)
    assert first["has_more"] is True
    assert len(first["changes"]) + first["remaining"] == 4
    rest = await _changes(server, admin, first["cursor"], limit=10)
    assert len(rest["changes"]) == first["remaining"]
    assert rest["remaining"] == 0
