"""The patient's page in a real browser: reading, writing, language, no foreign requests,
and the friendly notice for a dead link."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.support.live_server import LiveServer

PRACTICE = "Hausarztpraxis Dr. Beispiel"
PASSWORD = "correct horse battery"
TIMEOUT_MS = 10_000


@dataclass
class Staff:
    live: LiveServer
    headers: dict[str, str]

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.live.url}/api/v1{path}", headers={
            **self.headers, **kw.pop("headers", {})}, timeout=10, **kw)

    def new_conversation(self) -> dict[str, Any]:
        patient = self.call("POST", "/patients", json={"name": "Erika Mustermann",
                                                       "dob": "1984-08-12"})
        assert patient.status_code == 201, patient.text
        conversation = self.call("POST", "/conversations",
                                 json={"patient_id": patient.json()["id"]})
        assert conversation.status_code == 201, conversation.text
        body: dict[str, Any] = conversation.json()
        return body

    def write(self, conversation_id: str, text: str) -> None:
        sent = self.call("POST", f"/conversations/{conversation_id}/messages",
                         json={"text": text}, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert sent.status_code == 201, sent.text

    def inquiries(self, conversation_id: str) -> list[dict[str, Any]]:
        listed = self.call("GET", "/inquiries", params={"limit": 500})
        assert listed.status_code == 200, listed.text
        return [i for i in listed.json()["items"] if i["conversation_id"] == conversation_id]

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        listed = self.call("GET", f"/conversations/{conversation_id}/messages")
        assert listed.status_code == 200, listed.text
        items: list[dict[str, Any]] = listed.json()["items"]
        return items


@pytest.fixture
def staff(live_server: LiveServer) -> Staff:
    practice = live_server.create_practice(PRACTICE)
    email = f"empfang-{uuid.uuid4().hex[:8]}@example.org"
    live_server.create_user(practice, email, "staff", PASSWORD)
    login = httpx.post(f"{live_server.url}/api/v1/auth/login",
                       json={"email": email, "password": PASSWORD}, timeout=10)
    assert login.status_code == 200, login.text
    return Staff(live_server, {"Authorization": f"Bearer {login.json()['access_token']}"})


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_patient_reads_writes_and_switches_language(staff: Staff, page: Page) -> None:
    conversation = staff.new_conversation()
    staff.write(conversation["id"], "Guten Tag, Ihre Laborwerte sind da.")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text)
            if msg.type == "error" else None)

    page.goto(conversation["patient_link"])
    expect(page.locator("h1")).to_have_text(PRACTICE)
    thread = page.locator("#thread")
    expect(thread).to_contain_text("Guten Tag, Ihre Laborwerte sind da.")
    expect(page.get_by_label("Ihre Nachricht")).to_be_visible()

    # Enter sends; Shift+Enter makes a new line inside the same message.
    box = page.get_by_label("Ihre Nachricht")
    box.fill("Vielen Dank!")
    box.press("Shift+Enter")
    box.type("Bis Donnerstag.")
    box.press("Enter")
    mine = thread.locator(".msg.mine")
    expect(mine).to_have_count(1)
    expect(mine.locator(".text")).to_have_text("Vielen Dank!\nBis Donnerstag.")
    expect(mine.locator(".ticks")).to_have_text("✓")  # delivered, not yet read
    expect(box).to_have_value("")
    # Let one more poll run: the message still shows once, and the practice has it once.
    # A poll with nothing new leaves the thread (an aria-live log) untouched, so a screen
    # reader does not read the conversation out again every 5 seconds.
    page.evaluate("""() => {
        window.threadMutations = 0;
        new MutationObserver((records) => { window.threadMutations += records.length; })
            .observe(document.getElementById("thread"), {childList: true, subtree: true});
    }""")
    with page.expect_response(lambda r: r.url.endswith("/conversation"),
                              timeout=TIMEOUT_MS):
        pass
    page.wait_for_timeout(200)  # the answer is rendered
    assert page.evaluate("window.threadMutations") == 0
    expect(mine).to_have_count(1)
    from_patient = [m for m in staff.messages(conversation["id"]) if m["author"] == "patient"]
    assert [m["text"] for m in from_patient] == ["Vielen Dank!\nBis Donnerstag."]

    # A file the practice cannot take is refused with a clear reason before any upload.
    page.get_by_label("Datei anhängen").set_input_files(
        {"name": "notizen.txt", "mimeType": "text/plain", "buffer": b"hallo"})
    expect(page.locator("#composer-status")).to_contain_text("Erlaubt sind PDF, JPEG, PNG")
    expect(page.locator("#file-name")).to_have_text("notizen.txt")
    page.get_by_role("button", name="Datei entfernen").click()
    expect(page.locator("#file-name")).to_have_text("Keine Datei ausgewählt")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Your message")).to_be_visible()
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()  # the choice is remembered
    expect(page.get_by_label("Your message")).to_be_visible()
    expect(thread).to_contain_text("Guten Tag, Ihre Laborwerte sind da.")

    assert requests
    foreign = [url for url in requests if not url.startswith(staff.live.url + "/")]
    assert foreign == []
    assert console_errors == []  # e.g. no CSP violation


def test_appointment_request(staff: Staff, page: Page) -> None:
    conversation = staff.new_conversation()
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/inquiries") else None)
    page.goto(conversation["patient_link"])
    expect(page.locator("h1")).to_have_text(PRACTICE)
    page.get_by_text("Anfrage stellen").click()
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.locator("#inquiry-status")).to_have_text(
        "Bitte geben Sie den Grund des Termins an.")
    page.get_by_label("Grund des Termins").fill("Kontrolle Blutdruck")
    page.get_by_label("Von").first.fill("2030-03-04T09:00")
    page.get_by_label("Bis").first.fill("2030-03-04T11:00")
    with page.expect_response(lambda r: r.url.endswith("/inquiries")):
        page.get_by_role("button", name="Anfrage senden").click()
    assert len(sent) >= 1
    body = sent[0].post_data_json
    assert body["type"] == "appointment"
    assert body["details"]["reason"] == "Kontrolle Blutdruck"
    [window] = body["details"]["preferred_windows"]
    assert window["start"] < window["end"]
    keys = {r.headers["idempotency-key"] for r in sent}
    assert len(keys) == 1  # retries of one request share one key
    expect(page.locator("#inquiry-status")).to_have_text("Ihre Anfrage wurde gesendet.")
    expect(page.locator("#thread .inquiry-item .who")).to_have_text("Anfrage: Termin (neu)")
    # The practice has exactly this one request, as the patient entered it.
    [inquiry] = staff.inquiries(conversation["id"])
    assert (inquiry["type"], inquiry["status"]) == ("appointment", "new")
    assert inquiry["details"]["reason"] == "Kontrolle Blutdruck"
    assert inquiry["details"]["preferred_windows"] == [
        {"start": window["start"].replace(".000Z", "Z"),
         "end": window["end"].replace(".000Z", "Z")}]
    # The form is ready for the next request, and a reload still shows this one once.
    page.reload()
    expect(page.locator("#thread .inquiry-item")).to_have_count(1)


def test_file_upload(staff: Staff, page: Page) -> None:
    conversation = staff.new_conversation()
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/upload") else None)
    page.goto(conversation["patient_link"])
    expect(page.locator("h1")).to_have_text(PRACTICE)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    page.get_by_label("Datei anhängen").set_input_files(
        {"name": "ausweis.png", "mimeType": "image/png", "buffer": png})
    page.get_by_label("Ihre Nachricht").fill("Mein Ausweis")
    with page.expect_response(lambda r: r.url.endswith("/upload")):
        page.get_by_role("button", name="Senden", exact=True).click()
    assert len(sent) >= 1
    assert sent[0].method == "POST"
    assert sent[0].headers["content-type"].startswith("multipart/form-data")
    assert sent[0].headers["idempotency-key"]
    expect(page.locator("#composer-status")).to_have_text("Gesendet.")
    link = page.locator("#thread .msg.mine a.attachment")
    expect(link).to_have_text("📎 ausweis.png")
    expect(page.locator("#thread .msg.mine .text")).to_have_text("Mein Ausweis")
    expect(page.locator("#file-name")).to_have_text("Keine Datei ausgewählt")
    # The practice received the file byte for byte, and the patient's own link opens it.
    [from_patient] = [m for m in staff.messages(conversation["id"])
                      if m["author"] == "patient"]
    assert from_patient["text"] == "Mein Ausweis"
    [attachment] = from_patient["attachments"]
    assert (attachment["filename"], attachment["content_type"]) == ("ausweis.png",
                                                                    "image/png")
    downloaded = staff.call("GET", f"/attachments/{attachment['id']}")
    assert downloaded.status_code == 200
    assert downloaded.content == png
    href = link.get_attribute("href")
    assert href is not None
    own = page.request.get(href if href.startswith("http") else staff.live.url + href)
    assert own.status == 200
    assert own.body() == png


def test_expired_link_shows_friendly_notice(staff: Staff, page: Page,
                                            tmp_path: Path) -> None:
    conversation = staff.new_conversation()
    staff.live.clock.advance(timedelta(days=31))
    response = page.goto(conversation["patient_link"])
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("Dieser Link ist ungültig oder abgelaufen.")).to_be_visible()
    expect(page.get_by_label("Ihre Nachricht")).to_be_hidden()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("This link is not valid or has expired.")).to_be_visible()
