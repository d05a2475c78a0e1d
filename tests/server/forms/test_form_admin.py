"""Admins define forms as versions; everyone reads them and sends the active ones."""

from __future__ import annotations

import copy
from typing import Any

from tests.server.forms.helpers import VIDEO, forms_of, key, send
from tests.server.harness import Harness
from tests.server.inbox.helpers import API, new_conversation


def _own_form(title: str = "Rückenschmerz-Fragebogen") -> dict[str, Any]:
    return {"id": "ruecken", "version": 7, "title": title, "sections": [{
        "id": "s1", "title": "Beschwerden", "fields": [
            {"id": "pain", "type": "number", "label": "Schmerz (0–10)", "min": 0, "max": 10,
             "required": True},
            {"id": "since", "type": "date", "label": "Seit wann?"}]}]}


async def test_new_practice_starts_with_the_shipped_templates(server: Harness) -> None:
    staff = await server.logged_in(await server.practice())
    forms = await forms_of(server, staff)
    assert sorted(f["form_id"] for f in forms) == [
        "anamnese-allgemeinmedizin", "einwilligung-datenverarbeitung", VIDEO]
    assert all(f["version"] == 1 and f["status"] == "active" for f in forms)
    assert [f["title"] for f in forms] == sorted(f["title"] for f in forms)
    shipped = (await server.client.get(f"{API}/forms/templates", headers=staff.headers)).json()
    assert {t["form_id"] for t in shipped} == {f["form_id"] for f in forms}
    assert all(t["definition"]["sections"] for t in shipped)


async def test_admin_creates_versions_and_archives_a_form(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "physician")
    # Other roles read but do not define forms.
    refused = await server.client.post(f"{API}/forms", headers={**staff.headers, **key()},
                                       json={"definition": _own_form()})
    assert refused.status_code == 403

    idem = key()
    created = await server.client.post(f"{API}/forms", headers={**admin.headers, **idem},
                                       json={"definition": _own_form()})
    assert created.status_code == 201, created.text
    v1 = created.json()
    # The stored version is the row's, whatever the JSON said.
    assert (v1["form_id"], v1["version"], v1["definition"]["version"]) == ("ruecken", 1, 1)
    assert v1["created_by_user_id"] == admin.user_id
    retry = await server.client.post(f"{API}/forms", headers={**admin.headers, **idem},
                                     json={"definition": _own_form()})
    assert retry.status_code == 200
    assert retry.json()["id"] == v1["id"]
    twice = await server.client.post(f"{API}/forms", headers={**admin.headers, **key()},
                                     json={"definition": _own_form()})
    assert twice.status_code == 409
    assert twice.json()["code"] == "form_exists"
    broken = _own_form()
    broken["sections"][0]["fields"][1]["show_if"] = {"field": "nowhere", "equals": "x"}
    invalid = await server.client.post(f"{API}/forms", headers={**admin.headers, **key()},
                                       json={"definition": broken})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid_form"
    assert any("nowhere" in e for e in invalid.json()["errors"])

    changed = _own_form("Rückenschmerz-Fragebogen (neu)")
    v2 = await server.client.post(f"{API}/forms/{v1['id']}/versions",
                                  headers={**admin.headers, **key()},
                                  json={"definition": changed})
    assert v2.status_code == 201, v2.text
    assert (v2.json()["version"], v2.json()["title"]) == (2, "Rückenschmerz-Fragebogen (neu)")
    other_id = copy.deepcopy(changed)
    other_id["id"] = "anders"
    mismatch = await server.client.post(f"{API}/forms/{v1['id']}/versions",
                                        headers={**admin.headers, **key()},
                                        json={"definition": other_id})
    assert mismatch.status_code == 422
    assert mismatch.json()["code"] == "invalid_form"
    staff_version = await server.client.post(f"{API}/forms/{v1['id']}/versions",
                                             headers={**staff.headers, **key()},
                                             json={"definition": changed})
    assert staff_version.status_code == 403

    versions = {f["version"]: f for f in await forms_of(server, staff)
                if f["form_id"] == "ruecken"}
    assert versions[1]["status"] == "archived"
    assert versions[2]["status"] == "active"
    assert [f["form_id"] for f in await forms_of(server, staff, "archived")] == ["ruecken"]
    # An archived version cannot be sent; the active one can.
    conversation = await new_conversation(server, staff)
    old = await send(server, staff, conversation["id"], v1["id"])
    assert old.status_code == 422
    assert old.json()["code"] == "form_archived"
    assert (await send(server, staff, conversation["id"], v2.json()["id"])).status_code == 201

    # Re-activating version 1 archives version 2; a staff member may not.
    assert (await server.client.patch(f"{API}/forms/{v1['id']}",
                                      headers={**staff.headers, **key()},
                                      json={"status": "active"})).status_code == 403
    back = await server.client.patch(f"{API}/forms/{v1['id']}",
                                     headers={**admin.headers, **key()},
                                     json={"status": "active"})
    assert back.status_code == 200
    assert back.json()["status"] == "active"
    versions = {f["version"]: f["status"] for f in await forms_of(server, staff)
                if f["form_id"] == "ruecken"}
    assert versions == {1: "active", 2: "archived"}
    not_patchable = await server.client.patch(f"{API}/forms/{v1['id']}",
                                              headers={**admin.headers, **key()},
                                              json={"title": "Neu"})
    assert not_patchable.status_code == 422

    admin_audit = (await server.client.get(f"{API}/audit", headers=admin.headers)).json()
    actions = [e["action"] for e in admin_audit]
    assert {"form.create", "form.version", "form.status", "form.request"} <= set(actions)
