"""The whole way of a form: sent by staff, filled in and signed by the patient, arriving as
a message with a sealed PDF plus a `form` inquiry, mirrored to the clients."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest

from backend_server.audit import service as audit
from backend_server.demo import seed_demo
from backend_server.forms.seal import PracticeSealer, verify_seal
from tests.server.attachments.helpers import blob_files
from tests.server.forms.helpers import VIDEO, key, send, sent_request, submit
from tests.server.forms.samples import VIDEO_CONSENT, signature
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API


async def test_patient_fills_in_and_submits_a_sent_form(server: Harness) -> None:
    practice = await server.practice("Hausarztpraxis Weiß")
    staff = await server.logged_in(practice)
    conversation, token, request = await sent_request(server, staff)
    assert request["status"] == "sent"
    assert request["form_id"] == VIDEO
    assert "draft_answers" not in request
    # The patient gets a staff message pointing to the form.
    page = (await server.client.get(f"{API}/p/{token}/conversation")).json()
    assert "Formulare" in page["messages"][-1]["text"]
    assert request["title"] in page["messages"][-1]["text"]

    listed = (await server.client.get(f"{API}/p/{token}/forms")).json()
    assert [(f["id"], f["status"]) for f in listed] == [(request["id"], "sent")]
    opened = (await server.client.get(f"{API}/p/{token}/forms/{request['id']}")).json()
    assert opened["definition"]["id"] == VIDEO
    assert opened["draft_answers"] == {}

    # A draft survives a reload; unknown ids are dropped.
    draft = await server.client.put(f"{API}/p/{token}/forms/{request['id']}/draft",
                                    json={"answers": {"consent": True, "bogus": 1}})
    assert draft.status_code == 204, draft.text
    reloaded = (await server.client.get(f"{API}/p/{token}/forms/{request['id']}")).json()
    assert reloaded["draft_answers"] == {"consent": True}

    idem = "submit-1"
    response = await submit(server, token, request["id"], VIDEO_CONSENT, idem)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["status"] == "submitted"
    assert result["attachment_id"]
    # A retry with the same key answers the same result, without a second document.
    retry = await submit(server, token, request["id"], VIDEO_CONSENT, idem)
    assert retry.status_code == 200
    assert retry.json() == result
    again = await submit(server, token, request["id"], VIDEO_CONSENT)
    assert again.status_code == 409
    assert again.json()["code"] == "form_submitted"
    late_draft = await server.client.put(f"{API}/p/{token}/forms/{request['id']}/draft",
                                         json={"answers": {}})
    assert late_draft.status_code == 409

    # Staff see a patient message with the PDF, whose bytes carry an intact seal.
    messages = (await server.client.get(
        f"{API}/conversations/{conversation['id']}/messages", headers=staff.headers)).json()
    last = messages["items"][-1]
    assert last["author"] == "patient"
    assert last["text"] == ""
    [attachment] = last["attachments"]
    assert attachment["id"] == result["attachment_id"]
    assert attachment["content_type"] == "application/pdf"
    assert attachment["filename"] == f"{request['title']}.pdf"
    pdf = (await server.client.get(f"{API}/attachments/{attachment['id']}",
                                   headers=staff.headers)).content
    assert pdf.startswith(b"%PDF")
    digest = hashlib.sha256(pdf).hexdigest()
    seal = (await server.client.get(f"{API}/attachments/{attachment['id']}/seal",
                                    headers=staff.headers)).json()
    assert seal["sealed"]
    assert seal["ok"]
    assert seal["intact"]
    assert seal["trusted"]
    assert seal["sha256"] == digest
    assert "Hausarztpraxis Weiß" in seal["signer"]
    sealer = PracticeSealer.for_practice(server.settings.effective_keys_dir, practice,
                                         "Hausarztpraxis Weiß", now=server.clock.now())
    # pyHanko runs its own event loop: from async code only in a thread.
    assert (await asyncio.to_thread(verify_seal, pdf, sealer.certificate)).ok
    # The patient can download the same document from their page.
    mine = await server.client.get(f"{API}/p/{token}/attachments/{attachment['id']}")
    assert mine.content == pdf

    # The inquiry carries the answers as readable rows.
    inquiries = (await server.client.get(f"{API}/inquiries", params={"type": "form"},
                                         headers=staff.headers)).json()["items"]
    [inquiry] = inquiries
    details = inquiry["details"]
    assert inquiry["text"] == ""
    assert details["form_request_id"] == request["id"]
    assert details["pdf_sha256"] == digest
    assert details["attachment_id"] == attachment["id"]
    assert [(r["field_id"], r["answer"]) for r in details["rows"]] == [
        ("consent", "Ja"), ("signature", "unterschrieben")]

    # The request as staff see it, and through sync.
    [listed_request] = (await server.client.get(
        f"{API}/form-requests", params={"conversation_id": conversation["id"]},
        headers=staff.headers)).json()
    assert listed_request["status"] == "submitted"
    assert listed_request["inquiry_id"] == inquiry["id"]
    assert listed_request["attachment_id"] == attachment["id"]
    changes = (await server.client.get(f"{API}/sync/changes", headers=staff.headers)).json()
    by_kind = {(c["kind"], c["id"]): c for c in changes["changes"]}
    synced = by_kind[("form_request", request["id"])]["data"]
    assert synced["status"] == "submitted"
    assert "draft_answers" not in synced
    assert ("inquiry", inquiry["id"]) in by_kind
    assert by_kind[("form_definition", request["form_definition_id"])]["data"]["form_id"] \
        == VIDEO
    # The patient's list shows it as submitted, read only.
    listed = (await server.client.get(f"{API}/p/{token}/forms")).json()
    assert listed[0]["status"] == "submitted"
    assert listed[0]["submitted_at"]

    # Audit: the submission with the document's hash.
    admin = await server.logged_in(practice, "admin")
    entries = (await server.client.get(f"{API}/audit", headers=admin.headers)).json()
    [entry] = [e for e in entries if e["action"] == "form.submit"]
    assert entry["object_id"] == request["id"]
    assert entry["detail_hash"] == digest


async def test_invalid_answers_are_refused_field_by_field(server: Harness) -> None:
    staff = await server.logged_in(await server.practice())
    conversation, token, request = await sent_request(server, staff)
    missing = await submit(server, token, request["id"], {"consent": True})
    assert missing.status_code == 422
    assert missing.json()["code"] == "form_invalid"
    assert missing.json()["errors"] == [{
        "field_id": "signature", "code": "required",
        "message_de": "Bitte unterschreiben Sie im Unterschriftsfeld."}]
    dot = {"strokes": [[[100, 100], [101, 100]]], "width": 600, "height": 200}
    response = await submit(server, token, request["id"], {"consent": True, "signature": dot})
    assert response.status_code == 422
    assert [(e["field_id"], e["code"]) for e in response.json()["errors"]] == [
        ("signature", "signature_too_small")]
    # Nothing was stored: no message, no inquiry, no file; the form is still open.
    messages = (await server.client.get(
        f"{API}/conversations/{conversation['id']}/messages", headers=staff.headers)).json()
    assert all(m["author"] == "staff" for m in messages["items"])
    assert blob_files(server) == []
    listed = (await server.client.get(f"{API}/p/{token}/forms")).json()
    assert listed[0]["status"] == "sent"
    ok = await submit(server, token, request["id"],
                      {"consent": True, "signature": signature(320, 120)})
    assert ok.status_code == 201


async def test_draft_larger_than_256_kib_is_refused(server: Harness) -> None:
    staff = await server.logged_in(await server.practice())
    _, token, request = await sent_request(server, staff, "anamnese-allgemeinmedizin")
    url = f"{API}/p/{token}/forms/{request['id']}/draft"
    big = await server.client.put(url, json={"answers": {"reason": "x" * 270_000}})
    assert big.status_code == 413
    assert big.json()["code"] == "draft_too_large"
    fits = await server.client.put(url, json={"answers": {"reason": "x" * 200_000}})
    assert fits.status_code == 204
    reloaded = (await server.client.get(f"{API}/p/{token}/forms/{request['id']}")).json()
    assert len(reloaded["draft_answers"]["reason"]) == 200_000


async def test_cancelled_request_is_gone_for_the_patient(server: Harness) -> None:
    staff = await server.logged_in(await server.practice())
    conversation, token, request = await sent_request(server, staff)
    await server.client.put(f"{API}/p/{token}/forms/{request['id']}/draft",
                            json={"answers": {"consent": True}})
    cancelled = await server.client.post(f"{API}/form-requests/{request['id']}/cancel",
                                         headers={**staff.headers, **key()})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert (await server.client.get(f"{API}/p/{token}/forms")).json() == []
    for response in (
        await server.client.get(f"{API}/p/{token}/forms/{request['id']}"),
        await submit(server, token, request["id"], VIDEO_CONSENT),
        await server.client.put(f"{API}/p/{token}/forms/{request['id']}/draft",
                                json={"answers": {}}),
    ):
        assert response.status_code == 404, response.text
    # A submitted request cannot be withdrawn.
    _, token2, request2 = await sent_request(server, staff)
    assert (await submit(server, token2, request2["id"], VIDEO_CONSENT)).status_code == 201
    refused = await server.client.post(f"{API}/form-requests/{request2['id']}/cancel",
                                       headers={**staff.headers, **key()})
    assert refused.status_code == 409
    assert refused.json()["code"] == "form_submitted"
    del conversation
    assert (await send(server, staff, "no-such-conversation", "x")).status_code == 404


async def test_nobody_creates_form_inquiries_by_hand(server: Harness) -> None:
    staff = await server.logged_in(await server.practice())
    conversation, token, _ = await sent_request(server, staff)
    body = {"type": "form", "details": {"form_request_id": "x", "rows": []}}
    for response in (
        await server.client.post(f"{API}/conversations/{conversation['id']}/inquiries",
                                 headers={**staff.headers, **key()}, json=body),
        await server.client.post(f"{API}/p/{token}/inquiries", headers=key(), json=body),
    ):
        assert response.status_code == 422, response.text
    listed = await server.client.get(f"{API}/inquiries", headers=staff.headers)
    assert listed.json()["items"] == []


async def test_a_failing_submission_leaves_no_file_and_no_row(
        server: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    staff = await server.logged_in(await server.practice())
    conversation, token, request = await sent_request(server, staff)
    real_record = audit.record

    async def failing(session: Any, action: str, **kw: Any) -> Any:
        if action == "form.submit":  # the last step of the pipeline
            raise RuntimeError("disk full")
        return await real_record(session, action, **kw)

    monkeypatch.setattr(audit, "record", failing)
    response = await submit(server, token, request["id"], VIDEO_CONSENT)
    assert response.status_code == 500
    monkeypatch.setattr(audit, "record", real_record)
    assert blob_files(server) == []
    messages = (await server.client.get(
        f"{API}/conversations/{conversation['id']}/messages", headers=staff.headers)).json()
    assert [m["author"] for m in messages["items"]] == ["staff"]
    inquiries = await server.client.get(f"{API}/inquiries", headers=staff.headers)
    assert inquiries.json()["items"] == []
    listed = (await server.client.get(f"{API}/p/{token}/forms")).json()
    assert listed[0]["status"] == "sent"
    # Once the trouble is over, the patient can send the form.
    again = await submit(server, token, request["id"], VIDEO_CONSENT)
    assert again.status_code == 201
    assert len(blob_files(server)) == 1


async def test_the_demo_practice_has_the_shipped_forms(server: Harness) -> None:
    practice_id, logins = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # runs on every start: nothing doubles
    login = next(item for item in logins if item.role == "staff")
    account = await server.login(Account(user_id="", practice_id=practice_id,
                                         email=login.email, password=login.password,
                                         role="staff"))
    forms = (await server.client.get(f"{API}/forms", headers=account.headers)).json()
    assert len(forms) == 3
    assert {f["version"] for f in forms} == {1}
