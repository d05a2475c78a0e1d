"""Reply templates: the admin maintains them, the whole team reads them, clients mirror them
(a deleted one disappears through a sync tombstone)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.harness import Account, Harness, assert_problem
from tests.server.inbox.helpers import API
from tests.server.inquiries.helpers import changes_after, keyed, of_kind, sync_cursor

REZEPT = {"title": "Ihr Rezept liegt zur Abholung bereit",
          "body": "Guten Tag, Ihr Rezept liegt an der Anmeldung bereit."}


async def _create(server: Harness, who: Account, body: dict[str, Any],
                  key: str | None = None) -> httpx.Response:
    return await server.client.post(f"{API}/templates", headers=keyed(who, key), json=body)


async def _titles(server: Harness, who: Account) -> list[str]:
    response = await server.client.get(f"{API}/templates", headers=who.headers)
    assert response.status_code == 200, response.text
    return [t["title"] for t in response.json()]


async def test_admin_writes_everyone_reads(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice)
    doctor = await server.logged_in(practice, "physician")

    made = await _create(server, admin, REZEPT, key="t-1")
    assert made.status_code == 201, made.text
    template = made.json()
    assert set(template) == {"id", "practice_id", "title", "body", "created_at", "updated_at"}
    assert template["practice_id"] == practice
    await _create(server, admin, {"title": "AU ausgestellt", "body": "Gute Besserung!"})
    await _create(server, admin, {"title": "Befund unauffällig", "body": "Alles gut."})
    for reader in (admin, staff, doctor):
        assert await _titles(server, reader) == [
            "AU ausgestellt", "Befund unauffällig", "Ihr Rezept liegt zur Abholung bereit"]

    path = f"{API}/templates/{template['id']}"
    for outsider in (staff, doctor):
        assert_problem(await _create(server, outsider, REZEPT), 403, "forbidden")
        assert_problem(await server.client.patch(path, headers=keyed(outsider),
                                                 json={"title": "Gekapert"}),
                       403, "forbidden")
        assert_problem(await server.client.delete(path, headers=keyed(outsider)),
                       403, "forbidden")
    assert len(await _titles(server, staff)) == 3

    changed = await server.client.patch(path, headers=keyed(admin),
                                        json={"body": "Bitte Karte mitbringen."})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == REZEPT["title"]
    assert changed.json()["body"] == "Bitte Karte mitbringen."
    gone = await server.client.delete(path, headers=keyed(admin))
    assert gone.status_code == 204
    assert_problem(await server.client.patch(path, headers=keyed(admin), json={"title": "X"}),
                   404, "not_found")
    assert await _titles(server, staff) == ["AU ausgestellt", "Befund unauffällig"]

    entries = (await server.client.get(f"{API}/audit", headers=admin.headers)).json()
    mine = [e["action"] for e in entries if e["object_id"] == template["id"]]
    assert sorted(mine) == ["template.create", "template.delete", "template.update"]


async def test_validation_and_retries(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    for bad in ({"title": "", "body": "x"}, {"title": "x" * 101, "body": "x"},
                {"title": "x", "body": ""}, {"title": "x", "body": "x" * 5001},
                {"title": "  ", "body": "x"}, {"title": "x"},
                {"title": "x", "body": "y", "practice_id": practice}):
        assert_problem(await _create(server, admin, bad), 422, "validation_error")
    no_key = await server.client.post(f"{API}/templates", headers=admin.headers, json=REZEPT)
    assert_problem(no_key, 422, "validation_error")

    first = await _create(server, admin, REZEPT, key="same")
    retry = await _create(server, admin, REZEPT, key="same")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert_problem(await _create(server, admin, {**REZEPT, "body": "anders"}, key="same"),
                   409, "conflict")
    assert len(await _titles(server, admin)) == 1

    path = f"{API}/templates/{first.json()['id']}"
    assert_problem(await server.client.patch(path, headers=keyed(admin), json={"title": None}),
                   422, "validation_error")
    one = await server.client.patch(path, headers=keyed(admin, "p-1"), json={"title": "Neu"})
    two = await server.client.patch(path, headers=keyed(admin, "p-2"), json={"title": "Neuer"})
    late = await server.client.patch(path, headers=keyed(admin, "p-1"), json={"title": "Neu"})
    assert (one.status_code, two.status_code, late.status_code) == (200, 200, 200)
    assert late.json()["title"] == "Neuer"  # the retry did not undo the later change
    assert_problem(await server.client.patch(path, headers=keyed(admin, "p-1"),
                                             json={"title": "Anders"}), 409, "conflict")

    deleted = await server.client.delete(path, headers=keyed(admin, "d-1"))
    again = await server.client.delete(path, headers=keyed(admin, "d-1"))
    assert (deleted.status_code, again.status_code) == (204, 204)
    assert_problem(await server.client.delete(path, headers=keyed(admin, "d-2")),
                   404, "not_found")
    no_key_delete = await server.client.delete(path, headers=admin.headers)
    assert_problem(no_key_delete, 422, "validation_error")


async def test_sync_upserts_and_tombstones(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice)
    start = await sync_cursor(server, staff)
    template = (await _create(server, admin, REZEPT)).json()
    [upsert] = of_kind(await changes_after(server, staff, start), "template")
    assert (upsert["op"], upsert["id"], upsert["data"]) == ("upsert", template["id"], template)

    middle = await sync_cursor(server, staff)
    assert (await server.client.delete(f"{API}/templates/{template['id']}",
                                       headers=keyed(admin))).status_code == 204
    [tombstone] = of_kind(await changes_after(server, staff, middle), "template")
    assert tombstone == {"kind": "template", "op": "delete", "id": template["id"],
                         "data": None}
    # A client syncing from scratch gets the tombstone too and knows to drop its copy.
    everything = await changes_after(server, staff, "")
    assert of_kind(everything, "template")[0]["op"] == "delete"
