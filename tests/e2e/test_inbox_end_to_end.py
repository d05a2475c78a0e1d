"""The inbox end to end, with nothing faked: the desktop client (real ``ClientCore`` with its
SQLCipher cache, signed in through the login dialog, the Qt inbox it shows), a live server
on 127.0.0.1 that mails the patient's link through a real SMTP server, and the patient in
headless Chromium on the page behind that link.

Chromium is driven through Playwright's sync API in a thread of its own: the test thread
runs the client's qasync loop, so the client keeps syncing (websocket and outbox) while the
patient types, and no event loop is nested in another.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from app.core import ClientCore
from app.inbox.types import InboxRow, InquiryStatus, InquiryType, OutboxState, ThreadItem
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.server.notifications.conftest import Inbox as MailInbox
from tests.server.notifications.conftest import free_port
from tests.support.live_server import LiveServer, start_live_server
from tests.ui.conftest import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    ControllerFactory,
    PracticeAccounts,
    QtLoop,
    make_controller,
    qt_loop,
    sign_in,
)
from ui.app_controller import AppController
from ui.inbox.inbox_page import InboxPage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

T = TypeVar("T")

PRACTICE = "Hausarztpraxis Dr. Weber"
PASSWORD = "Sprechstunde-2024!"
PATIENT = "Erika Mustermann"
PATIENT_EMAIL = "erika.mustermann@example.org"
# The page polls every 5 s; one poll plus rendering fits easily in 12 s.
POLL_MS = 12_000
TIMEOUT_MS = 10_000

# A small but real PDF (one empty page), as a scanner would produce one.
PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
       b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
       b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
       b"trailer <</Root 1 0 R>>\n%%EOF\n")


# -- Chromium in its own thread ------------------------------------------------------------

class PatientBrowser:
    """Headless Chromium owned by one worker thread (Playwright's sync objects must stay in
    the thread that made them); the qasync loop awaits its calls without blocking."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self.page: Page | None = None

    def _start(self) -> None:
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)

    def _new_page(self) -> None:
        assert self._browser is not None
        if self.page is not None:
            self.page.context.close()
        context = self._browser.new_context(viewport={"width": 390, "height": 844},
                                            locale="de-DE")
        context.set_default_timeout(TIMEOUT_MS)
        self.page = context.new_page()

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def start(self) -> None:
        self._pool.submit(self._start).result(timeout=60)

    def stop(self) -> None:
        try:
            self._pool.submit(self._stop).result(timeout=30)
        finally:
            self._pool.shutdown(wait=True)

    async def do(self, action: Callable[[Page], T]) -> T:
        """Runs ``action(page)`` in the browser thread while the client's loop goes on."""
        def run() -> T:
            if self.page is None:
                self._new_page()
            assert self.page is not None
            return action(self.page)

        return await asyncio.wrap_future(self._pool.submit(run))

    async def fresh_page(self) -> None:
        await asyncio.wrap_future(self._pool.submit(self._new_page))


@pytest.fixture(scope="module")
def chromium() -> Iterator[PatientBrowser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt install chromium)")
    browser = PatientBrowser()
    browser.start()
    try:
        yield browser
    finally:
        browser.stop()


@pytest.fixture
def patient(chromium: PatientBrowser, qt_loop: QtLoop) -> PatientBrowser:  # noqa: F811
    qt_loop.run(chromium.fresh_page())
    return chromium


# -- the server, its mail, the practice ---------------------------------------------------

@pytest.fixture
def mail() -> Iterator[tuple[MailInbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = MailInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def server(tmp_path: Path, mail: tuple[MailInbox, int]) -> Iterator[LiveServer]:
    live = start_live_server(tmp_path, smtp_host="127.0.0.1", smtp_port=mail[1],
                             smtp_starttls=False, smtp_from="praxis@example.org")
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def accounts(server: LiveServer) -> PracticeAccounts:
    practice_id = server.create_practice(PRACTICE)
    server.create_user(practice_id, "weber@praxis.example", "admin", PASSWORD,
                       display_name="Dr. Anna Weber")
    server.create_user(practice_id, "klein@praxis.example", "staff", PASSWORD,
                       display_name="Jonas Klein")
    return PracticeAccounts(server, practice_id, "weber@praxis.example",
                            "klein@praxis.example", PASSWORD)


@dataclass
class Desk:
    """The staff member's desktop client, signed in and showing the inbox."""

    controller: AppController
    loop: QtLoop

    @property
    def core(self) -> ClientCore:
        core = self.controller.core
        assert isinstance(core, ClientCore)
        return core

    @property
    def inbox(self) -> InboxPage:
        page = self.controller.main_window.inbox_page
        assert isinstance(page, InboxPage)
        return page

    def row(self, conversation_id: str) -> InboxRow | None:
        """The conversation's line as the inbox list model holds it (None: not listed)."""
        model = self.inbox.model
        position = model.position_of(conversation_id)
        return model.row_at(position) if position >= 0 else None

    def wait_for_row(self, conversation_id: str, check: Callable[[InboxRow], bool],
                     timeout: float = 10.0) -> InboxRow:
        def ok() -> bool:
            row = self.row(conversation_id)
            return row is not None and check(row)

        self.loop.wait_until(ok, timeout)
        row = self.row(conversation_id)
        assert row is not None
        return row

    def thread(self) -> list[ThreadItem]:
        """What the open conversation view shows, oldest first."""
        return self.inbox.conversation.model.items()

    def wait_for_outbox(self, conversation_id: str, timeout: float = 10.0) -> None:
        """Until everything queued for the conversation is confirmed by the server."""
        def delivered() -> bool:
            items = self.core.inbox.outbox_items(conversation_id)
            assert all(i.state is not OutboxState.FAILED for i in items), items
            return all(i.state is OutboxState.SENT for i in items)

        self.loop.wait_until(delivered, timeout)


@pytest.fixture
def desk(make_controller: ControllerFactory, qt_loop: QtLoop,  # noqa: F811
         accounts: PracticeAccounts) -> Iterator[Desk]:
    controller = make_controller()
    sign_in(qt_loop, controller, accounts)  # the staff member, through the login dialog
    desk = Desk(controller, qt_loop)
    qt_loop.wait_until(lambda: desk.core.cache is not None and desk.inbox.isVisible())
    yield desk
    # pytest keeps fixture values until after the last teardown; without this the window
    # would outlive gc_on_gui_thread's collection and be freed by some other thread later.
    del desk.controller


def start_conversation_and_get_link(desk: Desk, mail: MailInbox) -> tuple[str, str]:
    """Staff start a conversation from the client; the patient gets the link by e-mail."""
    conversation_id = desk.loop.run(desk.core.start_conversation(
        PATIENT, "1984-08-12", PATIENT_EMAIL))
    [message] = desk.loop.run(mail.wait_for(1))
    assert isinstance(message, EmailMessage)
    assert mail.recipients == [[PATIENT_EMAIL]]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert PATIENT not in text  # the mail carries the link only
    links = re.findall(r"http://127\.0\.0\.1:\d+/p/[A-Za-z0-9_\-]+", text)
    assert links, "no patient link in the notification mail"
    return conversation_id, links[0]


# -- the tests -----------------------------------------------------------------------------

def test_patient_message_and_pdf_reach_the_inbox_and_the_reply_reaches_the_patient(
        desk: Desk, patient: PatientBrowser, mail: tuple[MailInbox, int],
        tmp_path: Path) -> None:
    conversation_id, link = start_conversation_and_get_link(desk, mail[0])
    desk.wait_for_row(conversation_id, lambda r: r.patient_name == PATIENT)
    pdf = tmp_path / "befund.pdf"
    pdf.write_bytes(PDF)

    def write_and_upload(page: Page) -> None:
        page.goto(link)
        expect(page.locator("h1")).to_have_text(PRACTICE)
        box = page.get_by_label("Ihre Nachricht")
        box.fill("Ich habe seit Montag Fieber.")
        box.press("Enter")
        mine = page.locator("#thread .msg.mine")
        expect(mine).to_have_count(1)
        expect(mine.locator(".ticks")).to_have_text("✓")
        page.get_by_label("Datei anhängen").set_input_files(str(pdf))
        expect(page.locator("#file-name")).to_have_text("befund.pdf")
        box.fill("Hier der Befund vom Labor.")
        page.get_by_role("button", name="Senden", exact=True).click()
        expect(page.locator("#composer-status")).to_have_text("Gesendet.")
        expect(mine).to_have_count(2)
        expect(mine.nth(1).locator("a.attachment")).to_have_text("📎 befund.pdf")
        expect(mine.locator(".ticks")).to_have_text([" ✓", " ✓"])

    desk.loop.run(patient.do(write_and_upload))

    # The staff member's inbox: the conversation with two unread messages, no inquiry.
    row = desk.wait_for_row(conversation_id, lambda r: r.unread_count == 2)
    assert (row.patient_name, row.open_inquiries, row.inquiry_id) == (PATIENT, 0, None)
    assert desk.inbox.model.position_of(conversation_id) == 0  # newest activity first
    assert desk.controller.tray.tooltip() == "Praxisdesk – 1 ungelesene Unterhaltung"

    # Opening it (as a click does) shows both messages and marks them read.
    assert desk.inbox.open_conversation(conversation_id)
    desk.loop.wait_until(lambda: len(desk.thread()) == 2)
    first, second = desk.thread()
    assert (first.kind, first.author, first.text) == ("message", "patient",
                                                      "Ich habe seit Montag Fieber.")
    assert (second.kind, second.author, second.text) == ("message", "patient",
                                                         "Hier der Befund vom Labor.")
    assert first.attachments == ()
    [attachment] = second.attachments
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "befund.pdf", "application/pdf", len(PDF))
    assert not attachment.cached
    desk.wait_for_row(conversation_id, lambda r: r.unread_count == 0)
    desk.wait_for_outbox(conversation_id)  # the read mark reached the server

    # The patient sees that the practice has read both messages.
    desk.loop.run(patient.do(lambda page: expect(page.locator("#thread .msg.mine .ticks"))
                             .to_have_text([" ✓✓", " ✓✓"], timeout=POLL_MS)))

    # The client downloads the PDF into its cache; saving it gives the patient's bytes.
    progress: list[tuple[int, int]] = []
    desk.loop.run(desk.core.fetch_attachment(attachment.id, lambda r, t: progress.append((r, t))))
    assert progress
    assert progress[-1] == (len(PDF), len(PDF))
    desk.loop.wait_until(lambda: desk.thread()[1].attachments[0].cached)
    saved = desk.loop.run(desk.core.export_attachment(attachment.id, str(tmp_path / "out.pdf")))
    assert Path(saved).read_bytes() == PDF

    # The staff member answers through the outbox; the patient's page shows it on its own.
    reply = "Gute Besserung! Bitte kommen Sie morgen um 9 Uhr vorbei."
    desk.loop.run(desk.core.send_message(conversation_id, reply))
    desk.wait_for_outbox(conversation_id)
    desk.loop.wait_until(lambda: any(i.kind == "message" and i.author == "staff"
                                     and i.text == reply for i in desk.thread()))

    def reply_arrives(page: Page) -> None:
        theirs = page.locator("#thread .msg.theirs")
        expect(theirs).to_have_count(1, timeout=POLL_MS)
        expect(theirs.locator(".text")).to_have_text(reply)
        expect(theirs.locator(".who")).to_have_text(PRACTICE)
        # Newest last, below the patient's own messages.
        expect(page.locator("#thread .msg").last).to_contain_text(reply)

    desk.loop.run(patient.do(reply_arrives))
    row = desk.wait_for_row(conversation_id, lambda r: r.unread_count == 0)
    assert row.preview == reply


def test_prescription_inquiry_from_the_page_is_handled_in_the_client(
        desk: Desk, patient: PatientBrowser, mail: tuple[MailInbox, int]) -> None:
    conversation_id, link = start_conversation_and_get_link(desk, mail[0])
    desk.wait_for_row(conversation_id, lambda r: r.patient_name == PATIENT)
    new_inquiries: list[object] = []
    desk.core.events.subscribe("new_inquiry", lambda *a: new_inquiries.append(a))

    def ask_for_prescription(page: Page) -> None:
        page.goto(link)
        expect(page.locator("h1")).to_have_text(PRACTICE)
        page.get_by_text("Anfrage stellen").click()
        page.get_by_label("Art der Anfrage").select_option("prescription")
        page.get_by_label("Medikamente (eines pro Zeile)").fill(
            "Ramipril 5 mg\nMetformin 1000 mg\n")
        page.get_by_label("Weitere Angaben (freiwillig)").fill("Die Packungen sind bald leer.")
        page.get_by_role("button", name="Anfrage senden").click()
        expect(page.locator("#inquiry-status")).to_have_text("Ihre Anfrage wurde gesendet.")
        expect(page.locator("#thread .inquiry-item .who")).to_have_text("Anfrage: Rezept (neu)")

    desk.loop.run(patient.do(ask_for_prescription))

    row = desk.wait_for_row(conversation_id, lambda r: r.open_inquiries == 1)
    assert (row.inquiry_type, row.inquiry_status) == (InquiryType.PRESCRIPTION,
                                                      InquiryStatus.NEW)
    assert row.unanswered
    desk.loop.wait_until(lambda: bool(new_inquiries))  # the tray's "Neue Anfrage"

    assert desk.inbox.open_conversation(conversation_id)
    desk.loop.wait_until(lambda: len(desk.thread()) == 1)
    [card] = desk.thread()
    assert (card.kind, card.author, card.inquiry_type, card.inquiry_status) == (
        "inquiry", "patient", InquiryType.PRESCRIPTION, InquiryStatus.NEW)
    assert card.inquiry_details == {"medications": ["Ramipril 5 mg", "Metformin 1000 mg"]}
    assert card.text == "Die Packungen sind bald leer."
    assert row.inquiry_id == card.id

    desk.loop.run(desk.core.update_inquiry(card.id, status=InquiryStatus.DONE))
    done = desk.wait_for_row(conversation_id, lambda r: r.open_inquiries == 0)
    assert (done.inquiry_id, done.inquiry_status) == (None, None)
    desk.wait_for_outbox(conversation_id)
    desk.loop.wait_until(lambda: desk.thread()[0].inquiry_status is InquiryStatus.DONE)

    desk.loop.run(patient.do(lambda page: expect(page.locator("#thread .inquiry-item .who"))
                             .to_have_text("Anfrage: Rezept (erledigt)", timeout=POLL_MS)))
    # What the server holds agrees (the next sync must not bring "new" back).
    desk.loop.run(desk.core.sync_once())
    assert desk.row(conversation_id) is not None
    assert desk.thread()[0].inquiry_status is InquiryStatus.DONE
