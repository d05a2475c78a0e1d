"""Forms end to end, nothing faked: staff send the shipped anamnesis form through the staff
API of a live server, the patient fills it in headless Chromium on the page behind the link
(conditional field, reload with the draft restored, a signature drawn with pointer events),
and the practice gets a sealed PDF plus a "form" inquiry holding the answers."""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect
from pypdf import PdfReader

from tests.support.live_server import LiveServer

PRACTICE = "Hausarztpraxis Dr. Formular"
PASSWORD = "correct horse battery"
PATIENT = "Erika Mustermann"
TIMEOUT_MS = 10_000
ANAMNESIS = "anamnese-allgemeinmedizin"
VIDEO_CONSENT = "einwilligung-videosprechstunde"
MEDICATION = "Ramipril 5 mg morgens, Metformin 500 mg abends"
# PRAXISDESK_E2E_SCREENSHOTS=docs/screenshots keeps the phone screenshot for the docs.
SCREENSHOT_DIR = os.environ.get("PRAXISDESK_E2E_SCREENSHOTS", "")


@dataclass
class Staff:
    live: LiveServer
    headers: dict[str, str]

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        if method != "GET":
            headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        return httpx.request(method, f"{self.live.url}/api/v1{path}", headers=headers,
                             timeout=30, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        response = self.call(method, path, **kw)
        assert response.status_code == status, response.text
        return response.json()

    def new_conversation(self) -> dict[str, Any]:
        patient = self.ok("POST", "/patients", 201, json={"name": PATIENT, "dob": "1984-08-12"})
        conversation: dict[str, Any] = self.ok("POST", "/conversations", 201,
                                               json={"patient_id": patient["id"]})
        return conversation

    def form_definition(self, form_id: str) -> str:
        """The id of the practice's active version of a shipped template (made from the
        shipped template if the practice does not have it yet)."""
        active = self.ok("GET", "/forms", params={"status": "active"})
        for form in active:
            if form["form_id"] == form_id:
                return str(form["id"])
        template = next(t for t in self.ok("GET", "/forms/templates") if t["form_id"] == form_id)
        created = self.ok("POST", "/forms", 201, json={"definition": template["definition"]})
        return str(created["id"])

    def send_form(self, conversation_id: str, form_id: str) -> dict[str, Any]:
        request: dict[str, Any] = self.ok(
            "POST", f"/conversations/{conversation_id}/form-requests", 201,
            json={"form_definition_id": self.form_definition(form_id)})
        return request

    def form_request(self, conversation_id: str, request_id: str) -> dict[str, Any]:
        listed = self.ok("GET", "/form-requests", params={"conversation_id": conversation_id})
        return next(r for r in listed if r["id"] == request_id)


@pytest.fixture
def staff(live_server: LiveServer) -> Staff:
    practice = live_server.create_practice(PRACTICE)
    email = f"chefin-{uuid.uuid4().hex[:8]}@example.org"
    live_server.create_user(practice, email, "admin", PASSWORD)
    login = httpx.post(f"{live_server.url}/api/v1/auth/login",
                       json={"email": email, "password": PASSWORD}, timeout=10)
    assert login.status_code == 200, login.text
    return Staff(live_server, {"Authorization": f"Bearer {login.json()['access_token']}"})


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # A phone: the page is mostly used on one.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                  device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign(page: Page, canvas_selector: str) -> None:
    """Draws a name-like scribble with the mouse: pointerdown, many pointermoves, pointerup
    (Chromium turns these into pointer events with pointerType "mouse")."""
    canvas = page.locator(canvas_selector)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] > 200, box
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    strokes = [
        [(0.10, 0.70), (0.15, 0.30), (0.22, 0.65), (0.30, 0.35), (0.36, 0.70)],
        [(0.45, 0.60), (0.55, 0.40), (0.65, 0.62), (0.75, 0.38), (0.88, 0.60)],
    ]
    for stroke in strokes:
        page.mouse.move(left + stroke[0][0] * width, top + stroke[0][1] * height)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(left + x * width, top + y * height, steps=6)
        page.mouse.up()


def sign_by_touch(page: Page, canvas_selector: str) -> None:
    """The same with a finger: PointerEvents of pointerType "touch" dispatched on the canvas."""
    page.locator(canvas_selector).scroll_into_view_if_needed()
    page.locator(canvas_selector).evaluate("""(canvas) => {
        const box = canvas.getBoundingClientRect();
        const send = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type, {
            pointerId: 11, pointerType: "touch", isPrimary: true, bubbles: true,
            cancelable: true, clientX: box.left + x * box.width,
            clientY: box.top + y * box.height}));
        send("pointerdown", 0.1, 0.6);
        for (let i = 1; i <= 24; i++) send("pointermove", 0.1 + i * 0.03, i % 2 ? 0.35 : 0.65);
        send("pointerup", 0.82, 0.6);
    }""")


def wait_for_draft(patient_link: str, request_id: str, field_id: str, value: str) -> None:
    """Until the server holds ``value`` in the draft (a keepalive request sent while a page
    unloads arrives a little later); the patient's own view of the form, as the page reads it."""
    base, token = patient_link.rsplit("/p/", 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        form = httpx.get(f"{base}/api/v1/p/{token}/forms/{request_id}", timeout=10)
        assert form.status_code == 200, form.text
        if form.json()["draft_answers"].get(field_id) == value:
            return
        time.sleep(0.1)
    raise AssertionError(f"the draft never held {field_id}")


def field(page: Page, field_id: str) -> Any:
    return page.locator(f"#field-{field_id}")


def test_patient_fills_signs_and_submits_the_anamnesis(staff: Staff, page: Page,
                                                       tmp_path: Path) -> None:
    conversation = staff.new_conversation()
    request = staff.send_form(conversation["id"], ANAMNESIS)
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r))
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text)
            if msg.type == "error" else None)

    page.goto(conversation["patient_link"])
    forms = page.locator("#forms")
    expect(forms.get_by_role("heading", name="Formulare")).to_be_visible()
    item = forms.locator(".form-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Anamnesebogen Allgemeinmedizin")
    expect(item).to_contain_text("Offen – bitte ausfüllen")
    # The practice's note about the form is in the conversation too.
    expect(page.locator("#thread")).to_contain_text("Formulare")
    item.get_by_role("button", name="Ausfüllen").click()

    expect(page.get_by_role("heading", name="Anamnesebogen Allgemeinmedizin")).to_be_visible()
    expect(page.locator("#thread")).to_be_hidden()
    page.get_by_label("Vor- und Nachname").fill(PATIENT)
    page.get_by_label("Geburtsdatum").fill("1984-08-12")
    page.get_by_label("Anschrift").fill("Musterstraße 1\n12345 Musterstadt")
    field(page, "insurance_type").get_by_label("Gesetzlich versichert").check()
    page.get_by_label("Was führt Sie zu uns?").fill("Seit einer Woche Husten und Fieber.")
    page.get_by_label("Körpergewicht in kg").fill("72,5")

    # The conditional question appears only after "Ja" to the medication question.
    medication = page.get_by_label("Welche Medikamente?")
    expect(medication).to_be_hidden()
    field(page, "takes_medication").get_by_label("Ja").check()
    expect(medication).to_be_visible()
    medication.fill(MEDICATION)
    medication.blur()  # leaving a field saves the draft at once
    wait_for_draft(conversation["patient_link"], request["id"], "medication_list", MEDICATION)

    # A reload mid-way loses nothing: the form opens again with the saved draft.
    page.reload()
    expect(page.get_by_label("Vor- und Nachname")).to_have_value(PATIENT)
    expect(field(page, "takes_medication").get_by_label("Ja")).to_be_checked()
    expect(medication).to_be_visible()
    expect(medication).to_have_value(MEDICATION)
    expect(page.get_by_label("Körpergewicht in kg")).to_have_value("72,5")
    # Typed and gone at once (no pause, no blur): the page saves on its way out (pagehide,
    # fetch keepalive), and the patient finds it when they come back.
    page.get_by_label("Beruf").fill("Lehrerin")
    form_link = page.url
    page.goto("about:blank")
    wait_for_draft(conversation["patient_link"], request["id"], "occupation", "Lehrerin")
    page.goto(form_link)
    expect(page.get_by_label("Beruf")).to_have_value("Lehrerin")
    expect(medication).to_have_value(MEDICATION)

    field(page, "has_allergies").get_by_label("Nein").check()
    expect(page.get_by_label("Welche Allergien oder Unverträglichkeiten?")).to_be_hidden()
    field(page, "smoking").get_by_label("Nein, noch nie").check()
    page.get_by_label("Ich bestätige die Richtigkeit meiner Angaben.").check()
    sign(page, "#fi-signature")

    # The phone number (required) is still empty: the page refuses, says why, sends nothing.
    page.get_by_role("button", name="Formular absenden").click()
    expect(page.locator("#err-phone")).to_have_text("Bitte füllen Sie dieses Feld aus.")
    expect(page.locator("#form-summary")).to_contain_text("Bitte prüfen Sie die markierten")
    expect(page.get_by_label("Telefonnummer für Rückfragen")).to_be_focused()
    assert not [r for r in sent if r.url.endswith("/submit")]
    assert staff.form_request(conversation["id"], request["id"])["status"] == "sent"
    page.get_by_label("Telefonnummer für Rückfragen").fill("0170 1234567")
    expect(page.locator("#err-phone")).to_have_text("")

    page.locator("#fi-signature").scroll_into_view_if_needed()
    shot = (Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path) / "patient-form.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))

    with page.expect_response(lambda r: r.url.endswith("/submit")) as submitted:
        page.get_by_role("button", name="Formular absenden").click()
    assert submitted.value.status == 201
    assert submitted.value.request.header_value("Idempotency-Key")
    expect(page.locator("#form-done")).to_have_text(
        "Vielen Dank – das Formular wurde übermittelt.")
    expect(page.get_by_label("Vor- und Nachname")).not_to_be_editable()
    expect(page.get_by_role("button", name="Formular absenden")).to_have_count(0)
    page.get_by_role("button", name="← Zurück zur Übersicht").click()
    expect(item).to_contain_text("Übermittelt am")
    # The answer only ever held what was visible: no hidden allergy list, no draft left.
    body = submitted.value.request.post_data_json
    assert "allergy_list" not in body["answers"]
    assert body["answers"]["medication_list"] == MEDICATION
    assert body["answers"]["signature"]["strokes"]

    # The practice's side.
    done = staff.form_request(conversation["id"], request["id"])
    assert done["status"] == "submitted"
    assert done["inquiry_id"]
    assert done["attachment_id"]
    inquiry = staff.ok("GET", f"/inquiries/{done['inquiry_id']}")
    assert inquiry["type"] == "form"
    rows = {row["field_id"]: row for row in inquiry["details"]["rows"]}
    assert rows["takes_medication"]["answer"] == "Ja"
    assert rows["medication_list"]["answer"] == MEDICATION
    assert rows["signature"]["answer"] == "unterschrieben"
    assert "allergy_list" not in rows
    pdf = staff.call("GET", f"/attachments/{done['attachment_id']}")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ramipril" in text
    assert "Anamnesebogen" in text
    seal = staff.ok("GET", f"/attachments/{done['attachment_id']}/seal")
    assert seal["sealed"] is True
    assert seal["ok"] is True
    assert seal["intact"] is True

    # Nothing went anywhere but the practice's server, and the strict CSP held.
    assert all(r.url.startswith(staff.live.url) for r in sent)
    assert not console_errors, console_errors


def test_a_missing_answer_is_refused_by_the_server_and_shown_at_its_field(
        staff: Staff, page: Page) -> None:
    conversation = staff.new_conversation()
    request = staff.send_form(conversation["id"], VIDEO_CONSENT)
    token = conversation["patient_link"].rsplit("/p/", 1)[1]
    submit_url = f"{staff.live.url}/api/v1/p/{token}/forms/{request['id']}/submit"

    # Straight to the server, past any page: the required consent is missing.
    refused = httpx.post(submit_url, json={"answers": {}}, timeout=30,
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "form_invalid"
    codes = {e["field_id"]: e["code"] for e in problem["errors"]}
    assert codes == {"consent": "required", "signature": "required"}
    assert staff.form_request(conversation["id"], request["id"])["status"] == "sent"

    # The page shows the server's message at the field: here the consent tick is taken out
    # of the request on its way (the page itself would not send it so).
    def drop_consent(route: Any) -> None:
        answers = route.request.post_data_json["answers"]
        answers.pop("consent")
        route.continue_(post_data=json.dumps({"answers": answers}))

    page.route("**/submit", drop_consent)
    page.goto(f"{conversation['patient_link']}#formular-{request['id']}")
    expect(page.get_by_role("heading", name="Einwilligung Videosprechstunde")).to_be_visible()
    expect(page.locator(".section-text")).to_contain_text("Ende-zu-Ende verschlüsselt")
    page.get_by_label("Ich habe die Informationen gelesen").check()
    sign_by_touch(page, "#fi-signature")
    with page.expect_response(lambda r: r.url.endswith("/submit")) as answer:
        page.get_by_role("button", name="Formular absenden").click()
    assert answer.value.status == 422
    strokes = answer.value.request.post_data_json["answers"]["signature"]["strokes"]
    assert len(strokes) == 1
    assert len(strokes[0]) == 25  # the touch-down point and every move
    expect(page.locator("#err-consent")).to_have_text(
        next(e["message_de"] for e in problem["errors"] if e["field_id"] == "consent"))
    expect(page.locator("#form-done")).to_be_hidden()
    assert staff.form_request(conversation["id"], request["id"])["status"] == "sent"
