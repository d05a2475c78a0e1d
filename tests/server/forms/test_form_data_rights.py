"""Form requests and drafts follow the retention rule, erasure, export and practice end."""

from __future__ import annotations

import io
import json
import zipfile

from backend_server.forms.seal import seal_path
from backend_server.models.form import FormRequest
from backend_server.retention.practice_end import delete_practice
from tests.server.forms.helpers import sent_request, submit
from tests.server.forms.samples import VIDEO_CONSENT
from tests.server.harness import Harness
from tests.server.inbox.helpers import API, staff_send
from tests.server.retention.conftest import rserver  # noqa: F401  (the fixture)
from tests.server.retention.helpers import DAY, T0, count_rows, purge, travel


async def _requests_of(server: Harness, who_headers: dict[str, str],
                       conversation_id: str) -> list[dict[str, object]] | int:
    response = await server.client.get(f"{API}/form-requests",
                                       params={"conversation_id": conversation_id},
                                       headers=who_headers)
    if response.status_code != 200:
        return response.status_code
    body: list[dict[str, object]] = response.json()
    return body


async def test_purge_removes_old_requests_and_drafts(rserver: Harness) -> None:  # noqa: F811
    server = rserver
    staff = await server.logged_in(await server.practice())
    # A: submitted at T0, nothing since: goes with its conversation.
    conv_a, token_a, req_a = await sent_request(server, staff)
    assert (await submit(server, token_a, req_a["id"], VIDEO_CONSENT)).status_code == 201
    # B: a draft last touched at T0 in a conversation that stays active.
    conv_b, token_b, old = await sent_request(server, staff)
    await server.client.put(f"{API}/p/{token_b}/forms/{old['id']}/draft",
                            json={"answers": {"consent": True}})
    await travel(server, T0 + 50 * DAY, staff)
    assert (await staff_send(server, staff, conv_b["id"], "Bis bald")).status_code == 201
    fresh = await server.client.post(
        f"{API}/conversations/{conv_b['id']}/form-requests",
        headers={**staff.headers, "Idempotency-Key": "fresh"},
        json={"form_definition_id": old["form_definition_id"]})
    assert fresh.status_code == 201

    await travel(server, T0 + 105 * DAY, staff)
    dry = await purge(server, dry_run=True)
    assert dry.counts["form_request"] == 0
    await travel(server, T0 + 106 * DAY, staff)
    assert (await purge(server, dry_run=True)).counts["form_request"] == 2
    report = await purge(server)
    assert report.counts["form_request"] == 2
    assert report.counts["conversation"] == 1
    assert await _requests_of(server, staff.headers, conv_a["id"]) == 404
    left = await _requests_of(server, staff.headers, conv_b["id"])
    assert isinstance(left, list)
    assert [r["id"] for r in left] == [fresh.json()["id"]]
    assert await count_rows(server, FormRequest) == 1
    # The purged requests leave no trace in the sync feed.
    changes = (await server.client.get(f"{API}/sync/changes", headers=staff.headers)).json()
    synced = {c["id"] for c in changes["changes"] if c["kind"] == "form_request"}
    assert synced == {fresh.json()["id"]}


async def test_erasure_export_and_practice_end(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice)
    conversation, token, done = await sent_request(server, staff)
    submitted = await submit(server, token, done["id"], VIDEO_CONSENT)
    assert submitted.status_code == 201
    open_request = (await server.client.post(
        f"{API}/conversations/{conversation['id']}/form-requests",
        headers={**staff.headers, "Idempotency-Key": "second"},
        json={"form_definition_id": done["form_definition_id"]})).json()
    await server.client.put(f"{API}/p/{token}/forms/{open_request['id']}/draft",
                            json={"answers": {"consent": True}})
    patient_id = conversation["patient_id"]

    exported = await server.client.get(f"{API}/patients/{patient_id}/export",
                                       headers=admin.headers)
    assert exported.status_code == 200, exported.text
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    body = json.loads(archive.read(f"conversations/{conversation['id']}.json"))
    by_id = {r["id"]: r for r in body["form_requests"]}
    assert by_id[done["id"]]["status"] == "submitted"
    assert by_id[open_request["id"]]["draft_answers"] == {"consent": True}
    pdf_member = [n for n in archive.namelist()
                  if n.startswith(f"attachments/{submitted.json()['attachment_id']}/")]
    assert archive.read(pdf_member[0]).startswith(b"%PDF")

    erased = await server.client.post(f"{API}/patients/{patient_id}/erase",
                                      headers=admin.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["counts"]["form_request"] == 2
    assert await count_rows(server, FormRequest) == 0
    assert (await server.client.get(f"{API}/p/{token}/forms")).status_code == 404

    # The practice's end also takes its seal certificate and key.
    seal_file = seal_path(server.settings.effective_keys_dir, practice)
    assert seal_file.exists()
    await delete_practice(server.ctx, practice)
    assert not seal_file.exists()
