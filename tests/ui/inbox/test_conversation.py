"""The open conversation: reading, replying, notes, inquiry handling, attachments, retries."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.inbox.types import InquiryStatus, InquiryType
from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import add_conversation, demo_practice, inquiry, message
from ui.inbox.conversation_view import ConversationView
from ui.inbox.thread_model import CHOSEN_INQUIRY_ROLE, PAGE_SIZE
from ui.qt import Qt, QUrl, QWidget


def open_bauer(harness: InboxHarness, qtbot: QtBot) -> ConversationView:
    demo_practice(harness.core)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-bauer")
    return harness.page.conversation


def painted(view: ConversationView, item_id: str) -> list[str]:
    return view.delegate.visible_texts(view.model.index(view.model.position_of(item_id), 0))


def test_opening_marks_read_and_shows_the_thread(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    qtbot.waitUntil(lambda: harness.core.read == ["conv-bauer"], timeout=2000)
    assert view.name_label.text() == "Helga Bauer"
    assert view.subtitle_label.text() == "1 offene Anfrage"
    kinds = [item.kind for item in view.model.items()]
    assert kinds == ["message", "inquiry", "message", "note", "message"]
    card = painted(view, "inq-bauer")
    assert "Rezept" in card
    assert "Medikamente: Ramipril 5 mg, 100 Stück, Amlodipin 5 mg" in card
    assert any("In Bearbeitung" in t and "Jonas Klein" in t for t in card)
    # The practice's reply was read by the patient: two ticks.
    assert painted(view, "m-staff-1")[-1].endswith("✓✓")


def test_internal_notes_are_marked(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    texts = painted(view, "note-bauer")
    assert texts[0] == "Interne Notiz — für Patient:innen nicht sichtbar"
    assert "Dr. Anna Weber" in texts[-1]
    # And a message is not marked.
    assert "Interne Notiz — für Patient:innen nicht sichtbar" not in painted(view, "m-bauer-1")


def test_enter_sends_and_shift_enter_makes_a_new_line(harness: InboxHarness,
                                                      qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    edit = view.composer.edit
    assert not view.composer.send_button.isEnabled()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert harness.core.sent == []
    qtbot.keyClicks(edit, "Guten Tag")
    assert view.composer.send_button.isEnabled()
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "Ihr Rezept ist fertig.")
    assert edit.toPlainText() == "Guten Tag\nIhr Rezept ist fertig."
    assert harness.core.sent == []
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: harness.core.sent == [
        ("conv-bauer", "Guten Tag\nIhr Rezept ist fertig.", None)], timeout=2000)
    assert edit.toPlainText() == ""
    qtbot.waitUntil(lambda: view.model.items()[-1].kind == "outbox", timeout=2000)
    assert painted(view, view.model.items()[-1].id)[-1] == "Wird gesendet…"


def test_template_menu_inserts_the_body(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    composer = view.composer
    assert composer.template_titles()[0] == "Rezept liegt bereit"
    qtbot.keyClicks(composer.edit, "Liebe Frau Bauer, ")
    actions = composer.template_menu.actions()
    assert [a.text() for a in actions][:2] == ["Rezept liegt bereit", "Überweisung liegt bereit"]
    actions[0].trigger()
    assert composer.edit.toPlainText() == (
        "Liebe Frau Bauer, Ihr Rezept liegt ab morgen 10 Uhr an der Anmeldung zur Abholung "
        "bereit.")


def test_failed_send_offers_send_again_which_retries(harness: InboxHarness,
                                                     qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    harness.core.fail_sends = True
    qtbot.keyClicks(view.composer.edit, "Bitte bringen Sie die Karte mit.")
    qtbot.keyClick(view.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.failed_banner.isVisible(), timeout=2000)
    assert view.failed_label.text() == "1 Nachricht konnte nicht gesendet werden."
    assert view.retry_button.text() == "Erneut senden"
    failed = view.failed_items()[0]
    texts = painted(view, failed.id)
    assert "Senden fehlgeschlagen" in texts
    assert "Erneut senden" in texts
    harness.core.fail_sends = False
    view.retry_button.click()
    qtbot.waitUntil(lambda: not view.failed_banner.isVisible(), timeout=2000)
    # The failed item itself went again (same outbox id = same Idempotency-Key).
    assert [s[1] for s in harness.core.sent] == ["Bitte bringen Sie die Karte mit."]
    assert harness.core.retried == [failed.id]
    assert view.model.items()[-1].outbox_state is not None
    assert view.model.items()[-1].outbox_state.value == "pending"


def test_note_action_adds_an_internal_note(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    assert not view.composer.note_button.isEnabled()
    view.composer.edit.setPlainText("Rückruf vereinbart")  # QTest types ASCII only
    view.composer.note_button.click()
    qtbot.waitUntil(lambda: harness.core.notes == [("conv-bauer", "Rückruf vereinbart",
                                                    "inq-bauer")], timeout=2000)
    assert harness.core.sent == []
    qtbot.waitUntil(lambda: view.model.items()[-1].kind == "note", timeout=2000)
    assert painted(view, view.model.items()[-1].id)[0].startswith("Interne Notiz")


def test_inquiry_status_and_assignee_are_updated(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    assert view.inquiry_caption.text() == "Rezept · Ramipril 5 mg, 100 Stück, Amlodipin 5 mg"
    assert view.status_combo.currentText() == "In Bearbeitung"
    assert view.assignee_combo.currentText() == "Jonas Klein"
    view.status_combo.setCurrentIndex(view.status_combo.findData(InquiryStatus.DONE.value))
    view.status_combo.activated.emit(view.status_combo.currentIndex())
    qtbot.waitUntil(lambda: len(harness.core.inquiry_updates) == 1, timeout=2000)
    assert harness.core.inquiry_updates[0] == ("inq-bauer", {
        "status": InquiryStatus.DONE, "assignee_user_id": None, "clear_assignee": False})
    view.assignee_combo.setCurrentIndex(view.assignee_combo.findText("Dr. Anna Weber"))
    view.assignee_combo.activated.emit(view.assignee_combo.currentIndex())
    qtbot.waitUntil(lambda: len(harness.core.inquiry_updates) == 2, timeout=2000)
    assert harness.core.inquiry_updates[1][1]["assignee_user_id"] == "u-weber"
    view.assignee_combo.setCurrentIndex(0)
    view.assignee_combo.activated.emit(0)
    qtbot.waitUntil(lambda: len(harness.core.inquiry_updates) == 3, timeout=2000)
    assert harness.core.inquiry_updates[2][1]["clear_assignee"] is True
    harness.settle()
    assert "Erledigt" in " ".join(painted(view, "inq-bauer"))


def test_attachment_download_with_progress_then_open_and_save(
        harness: InboxHarness, qtbot: QtBot, tmp_path: Path) -> None:
    view = open_bauer(harness, qtbot)
    opened: list[QUrl] = []
    view.open_url = opened.append
    assert view.attachment_bar.isHidden()
    assert view.select_item("m-bauer-2")
    assert view.attachment_bar.isVisible()
    assert view.attachment_combo.currentText() == "Befund_Kardiologie.pdf  ·  242 KB"
    assert view.download_button.text() == "Herunterladen"
    assert view.open_button.isHidden()
    harness.core.download_gate = harness.loop.loop.create_future()
    view.download_button.click()
    qtbot.waitUntil(lambda: view.progress.isVisible() and view.progress.value() == 500,
                    timeout=2000)
    harness.core.download_gate.set_result(None)
    qtbot.waitUntil(lambda: view.open_button.isVisible(), timeout=2000)
    assert view.progress.isHidden()
    assert view.download_button.isHidden()

    view.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=2000)
    assert opened[0].toLocalFile().endswith("att-1.pdf")

    view.save_button.click()
    dialog = view.save_dialog
    assert dialog is not None
    assert dialog.isVisible()  # open(), not exec(): the loop keeps running
    target = tmp_path / "Befund.pdf"
    dialog.fileSelected.emit(str(target))
    dialog.reject()
    qtbot.waitUntil(lambda: target.exists(), timeout=2000)
    assert harness.core.exported == [("att-1", str(target))]


def test_thread_loads_older_messages_only_when_scrolled_up(harness: InboxHarness,
                                                          qtbot: QtBot) -> None:
    add_conversation(harness.core, "conv-long", "Walter Lang", 1,
                     [message(f"m{n}", f"Nachricht {n}", minutes=n) for n in range(500)])
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    harness.page.open_conversation("conv-long")
    view = harness.page.conversation
    assert view.model.rowCount() == PAGE_SIZE
    assert view.model.items()[-1].text == "Nachricht 499"
    bar = view.thread_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and view.thread_view.fetch_enabled, timeout=2000)
    bar.setValue(bar.minimum())
    assert view.model.rowCount() == 2 * PAGE_SIZE
    assert view.model.items()[0].text == f"Nachricht {500 - 2 * PAGE_SIZE}"


def test_attach_file_is_sent_with_the_message(harness: InboxHarness, qtbot: QtBot,
                                              tmp_path: Path) -> None:
    view = open_bauer(harness, qtbot)
    composer = view.composer
    scan = tmp_path / "Ueberweisung.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    composer.attach_button.click()
    dialog = composer.file_dialog
    assert dialog is not None
    assert dialog.isVisible()  # open(), not exec()
    dialog.fileSelected.emit(str(scan))
    dialog.reject()
    assert composer.attachment_label.text() == "Ueberweisung.pdf"
    # A file alone may be sent; a note needs text.
    assert composer.send_button.isEnabled()
    assert not composer.note_button.isEnabled()
    composer.send_button.click()
    qtbot.waitUntil(lambda: harness.core.sent == [("conv-bauer", "", str(scan))], timeout=2000)
    assert composer.attachment is None
    assert composer.attachment_label.isHidden()


def test_new_patient_message_in_the_open_conversation_is_marked_read(
        harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    qtbot.waitUntil(lambda: harness.core.read == ["conv-bauer"], timeout=2000)
    harness.settle()
    conv = harness.core.inbox.conversations["conv-bauer"]
    conv.items.append(message("m-bauer-3", "Noch eine Frage: muss ich nüchtern kommen?",
                              minutes=1))
    conv.unread_count = 1
    harness.core.changed("conv-bauer")
    qtbot.waitUntil(lambda: harness.core.read == ["conv-bauer", "conv-bauer"], timeout=2000)
    assert view.model.items()[-1].id == "m-bauer-3"


def test_days_are_separated_in_the_thread(harness: InboxHarness, qtbot: QtBot) -> None:
    add_conversation(harness.core, "conv-days", "Walter Lang", 1, [
        message("d1", "Vorgestern", minutes=-2 * 24 * 60),
        message("d2", "Gestern früh", minutes=-24 * 60),
        message("d3", "Gestern später", minutes=-24 * 60 + 30),
        message("d4", "Heute", minutes=0),
    ])
    harness.page.activate()
    harness.page.open_conversation("conv-days")
    view = harness.page.conversation
    assert painted(view, "d1")[0] == "Di, 10.03.2026"
    assert painted(view, "d2")[0] == "Gestern"
    assert painted(view, "d3")[0] == "Gestern später"
    assert painted(view, "d4")[0] == "Heute"


def test_switching_to_english_changes_the_inbox_texts(harness: InboxHarness,
                                                      qtbot: QtBot) -> None:
    from ui.i18n import install_language
    from ui.qt import QCoreApplication, QEvent

    view = open_bauer(harness, qtbot)
    try:
        install_language("en")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        assert harness.page.title_label.text() == "Inbox"
        assert harness.page.type_combo.itemText(0) == "All request types"
        assert view.composer.send_button.text() == "Send"
        assert painted(view, "note-bauer")[0] == "Internal note — not visible to patients"
        assert view.status_combo.currentText() == "In progress"
    finally:
        install_language("de")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    assert harness.page.title_label.text() == "Posteingang"


def test_controls_keep_their_room_in_the_default_window_size(harness: InboxHarness,
                                                             qtbot: QtBot) -> None:
    """The main window opens at 1100 px, the navigation takes about 210 of them. There the
    inquiry controls must not overlap their captions and no button may be cut (the demo
    showed "Zuständig" over the status box and "s Notiz speiche")."""
    demo_practice(harness.core)
    add_two_inquiries(harness)
    # A busy row: a long type and status, a long name, two open inquiries, one unread.
    add_conversation(harness.core, "conv-vogel", "Karin Vogel", 3, [
        inquiry("inq-vogel-1", InquiryType.REFERRAL, {"specialty": "Kardiologie"},
                minutes=-20, status=InquiryStatus.IN_PROGRESS, assignee="u-weber"),
        inquiry("inq-vogel-2", InquiryType.REFERRAL, {"specialty": "Orthopädie"},
                minutes=-3, status=InquiryStatus.IN_PROGRESS, assignee="u-weber"),
    ], unread=1)
    harness.page.resize(890, 700)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-oezdemir")  # "AU-Bescheinigung", long
    view = harness.page.conversation
    harness.settle()
    assert not view.inquiry_panel.isHidden()
    assert view.inquiry_caption.text() == "AU-Bescheinigung · 11.03.–13.03."

    def box(widget: QWidget) -> tuple[int, int]:
        left = widget.mapTo(view, widget.rect().topLeft()).x()
        return left, left + widget.width()

    in_order = [view.status_caption, view.status_combo, view.assignee_caption,
                view.assignee_combo]
    edges = [box(w) for w in in_order]
    for (_, right), (left, _) in pairwise(edges):
        assert right <= left, edges
    assert edges[-1][1] <= view.width()
    for widget in [*in_order, view.inquiry_caption, view.composer.template_button,
                   view.composer.attach_button, view.composer.note_button,
                   view.composer.send_button]:
        assert widget.width() >= widget.minimumSizeHint().width(), widget.objectName()

    # With two open inquiries the title line also holds "1 von 2 offen" and the step
    # buttons; the title is shortened with "…" before anything overlaps.
    assert harness.page.open_conversation("conv-becker")
    harness.settle()
    view.previous_button.click()
    title = [view.inquiry_caption, view.step_label, view.previous_button, view.next_button]
    assert all(w.isVisible() for w in title)
    edges = [box(w) for w in title]
    for (_, right), (left, _) in pairwise(edges):
        assert right <= left, edges
    assert edges[-1][1] <= view.width()
    assert view.step_label.width() >= view.step_label.minimumSizeHint().width()

    # The inbox list beside it (about 330 px): type, status, assignee and the open count
    # are painted in full ("2 o…", "Dr. Jon…" before), without overlapping.
    list_view = harness.page.list_view
    width = list_view.viewport().width()
    assert width < 360
    model = harness.page.model
    rows = {model.index(r, 0).data(): model.index(r, 0) for r in range(model.rowCount())}
    seen = set()
    for name in ("Michael Fischer", "Aylin Özdemir", "Klaus Becker", "Karin Vogel"):
        pieces = harness.page.delegate.pieces(rows[name], width)
        facts = {p.kind: p for p in pieces if p.kind in ("type", "status", "assignee", "open")}
        for piece in facts.values():
            assert piece.text == piece.full, (name, piece.kind, piece.text)
            assert piece.rect.right() <= width, (name, piece.kind)
            seen.add(piece.full)
        for top in {p.rect.top() for p in pieces}:
            on_line = sorted((p.rect for p in pieces if p.rect.top() == top),
                             key=lambda r: r.left())
            for first, second in pairwise(on_line):
                assert first.right() < second.left(), name
    assert {"Überweisung", "In Bearbeitung", "Zuständig: Dr. Anna Weber", "2 offen",
            "Zuständig: Selin Yılmaz", "Nicht zugewiesen"} <= seen


def add_two_inquiries(harness: InboxHarness) -> None:
    """Klaus Becker asks for a sick note and then, separately, for a same-day visit."""
    add_conversation(harness.core, "conv-becker", "Klaus Becker", 2, [
        inquiry("inq-au", InquiryType.SICK_NOTE, {"from": "2026-03-11", "to": "2026-03-13"},
                "Fieber und Husten seit drei Tagen.", minutes=-30, assignee="u-weber"),
        message("m-becker", "Kann ich heute noch vorbeikommen?", minutes=-29),
        inquiry("inq-other", InquiryType.OTHER, {},
                "Kann ich heute noch ohne Termin vorbeikommen?", minutes=-2),
    ], unread=1)


def open_becker(harness: InboxHarness, qtbot: QtBot) -> ConversationView:
    add_two_inquiries(harness)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-becker")
    view = harness.page.conversation
    harness.settle()
    return view


def chosen_cards(view: ConversationView) -> list[str]:
    return [view.model.item_at(r).id for r in range(view.model.rowCount())  # type: ignore[union-attr]
            if view.model.index(r, 0).data(CHOSEN_INQUIRY_ROLE)]


def test_clicking_the_second_inquiry_card_makes_the_controls_act_on_it(
        harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_becker(harness, qtbot)
    assert view.subtitle_label.text() == "2 offene Anfragen"
    # By default the newest open inquiry.
    assert view.inquiry_caption.text() == (
        "Sonstiges · Kann ich heute noch ohne Termin vorbeikommen?")
    assert view.assignee_combo.currentText() == "Nicht zugewiesen"
    assert chosen_cards(view) == ["inq-other"]
    assert view.step_label.text() == "2 von 2 offen"

    card = view.thread_view.visualRect(view.model.index(view.model.position_of("inq-au"), 0))
    qtbot.mouseClick(view.thread_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=card.center())
    assert view.inquiry_caption.text() == "AU-Bescheinigung · 11.03.–13.03."
    assert view.status_combo.currentText() == "Neu"
    assert view.assignee_combo.currentText() == "Dr. Anna Weber"
    assert chosen_cards(view) == ["inq-au"]
    assert view.step_label.text() == "1 von 2 offen"

    view.status_combo.setCurrentIndex(view.status_combo.findData(
        InquiryStatus.IN_PROGRESS.value))
    view.status_combo.activated.emit(view.status_combo.currentIndex())
    qtbot.waitUntil(lambda: len(harness.core.inquiry_updates) == 1, timeout=2000)
    assert harness.core.inquiry_updates[0] == ("inq-au", {
        "status": InquiryStatus.IN_PROGRESS, "assignee_user_id": None,
        "clear_assignee": False})
    harness.settle()
    # After the change came back, the choice and the panel stay on that inquiry.
    assert view.inquiry_caption.text() == "AU-Bescheinigung · 11.03.–13.03."
    assert view.status_combo.currentText() == "In Bearbeitung"
    assert chosen_cards(view) == ["inq-au"]
    assert "In Bearbeitung" in " ".join(painted(view, "inq-au"))
    assert "Neu" in " ".join(painted(view, "inq-other"))


def test_the_panel_follows_keyboard_selection_and_steps_between_open_inquiries(
        harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_becker(harness, qtbot)
    # The step buttons: back to the older open inquiry, and forward again.
    assert view.previous_button.isEnabled()
    assert not view.next_button.isEnabled()
    view.previous_button.click()
    assert view.inquiry_caption.text() == "AU-Bescheinigung · 11.03.–13.03."
    assert chosen_cards(view) == ["inq-au"]
    assert view.thread_view.currentIndex().row() == view.model.position_of("inq-au")
    assert not view.previous_button.isEnabled()
    view.next_button.click()
    assert view.inquiry_caption.text().startswith("Sonstiges · ")
    # Keyboard: up from the newest card passes the message (the choice stays) and reaches
    # the sick note card.
    view.thread_view.setFocus()
    qtbot.keyClick(view.thread_view, Qt.Key.Key_Up)
    assert view.model.item_at(view.thread_view.currentIndex().row()).id == "m-becker"  # type: ignore[union-attr]
    assert chosen_cards(view) == ["inq-other"]
    qtbot.keyClick(view.thread_view, Qt.Key.Key_Up)
    assert view.inquiry_caption.text() == "AU-Bescheinigung · 11.03.–13.03."
    view.assignee_combo.setCurrentIndex(view.assignee_combo.findText("Jonas Klein"))
    view.assignee_combo.activated.emit(view.assignee_combo.currentIndex())
    qtbot.waitUntil(lambda: len(harness.core.inquiry_updates) == 1, timeout=2000)
    assert harness.core.inquiry_updates[0][0] == "inq-au"
    assert harness.core.inquiry_updates[0][1]["assignee_user_id"] == "u-klein"


def test_a_conversation_without_open_inquiries_shows_the_newest_one(
        harness: InboxHarness, qtbot: QtBot) -> None:
    demo_practice(harness.core)
    harness.page.activate()
    assert harness.page.open_conversation("conv-neumann")
    view = harness.page.conversation
    assert view.subtitle_label.text() == "Keine offenen Anfragen"
    assert not view.inquiry_panel.isHidden()
    assert view.inquiry_caption.text() == "Sonstiges · Frage zur Impfung vor der Reise"
    assert view.status_combo.currentText() == "Erledigt"
    assert view.previous_button.isHidden()
    assert view.next_button.isHidden()
