"""Forms in the conversation view (issue 8): sending, the request lines, the form card, the
answers, the PDF and the seal. The screenshot test writes docs/screenshots/form-inquiry.png
with PRAXISDESK_WRITE_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import add_conversation, add_form_conversation, form_request, message
from tests.ui.test_translations import english_leftovers
from ui.inbox.conversation_view import ConversationView
from ui.qt import QMessageBox, QModelIndex, QStyleOptionViewItem, Qt, QUrl

REPO = Path(__file__).resolve().parents[3]


def open_form_conversation(harness: InboxHarness, qtbot: QtBot,
                           seal_ok: bool | None = True) -> ConversationView:
    add_form_conversation(harness.core, seal_ok=seal_ok)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-form")
    return harness.page.conversation


def painted(view: ConversationView, item_id: str) -> list[str]:
    return view.delegate.visible_texts(view.model.index(view.model.position_of(item_id), 0))


def test_send_menu_lists_the_active_forms_and_sends_the_chosen_one(
        harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_form_conversation(harness, qtbot)
    composer = view.composer
    assert composer.form_button.text() == "Formular senden…"
    composer.form_menu.aboutToShow.emit()
    # Active forms only, by title; the archived version is not offered.
    assert composer.form_titles() == ["Anamnesebogen Allgemeinmedizin",
                                      "Einwilligung Datenverarbeitung",
                                      "Einwilligung Videosprechstunde"]
    consent = next(a for a in composer.form_menu.actions()
                   if a.text() == "Einwilligung Videosprechstunde")
    consent.trigger()
    qtbot.waitUntil(lambda: harness.core.forms_sent == [("conv-form", "fd-video")],
                    timeout=2000)
    # The request shows in the thread at once, with "Zurückziehen".
    qtbot.waitUntil(lambda: view.model.items()[-1].kind == "form_request", timeout=2000)
    line = painted(view, view.model.items()[-1].id)
    assert len(line) >= 2, (line, view.model.items()[-1])
    assert line[-2].startswith("Formular „Einwilligung Videosprechstunde“ gesendet")
    assert line[-1] == "Zurückziehen"


def test_no_active_forms_says_so(harness: InboxHarness, qtbot: QtBot) -> None:
    add_conversation(harness.core, "conv-x", "Jana Roth", 1, [message("m-x", "Hallo")])
    harness.page.show()
    harness.page.activate()
    assert harness.page.open_conversation("conv-x")
    menu = harness.page.conversation.composer.form_menu
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == ["Keine aktiven Formulare"]
    assert not menu.actions()[0].isEnabled()


def test_sending_offline_tells_the_user(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_form_conversation(harness, qtbot)
    harness.core.form_error = "server_unreachable"
    view.send_form("fd-anam")
    qtbot.waitUntil(lambda: view.form_notice_text() != "", timeout=2000)
    assert view.form_notice_text().startswith("Keine Verbindung zum Server: Das Formular "
                                              "wurde nicht gesendet.")
    assert harness.core.forms_sent == []
    harness.core.form_error = None  # the seal check may run again without the fault


def test_request_lines_say_sent_completed_and_withdrawn(harness: InboxHarness,
                                                        qtbot: QtBot) -> None:
    add_conversation(harness.core, "conv-lines", "Karl Vogel", 1, [
        form_request("fr-sent", "Einwilligung Datenverarbeitung", minutes=-30),
        form_request("fr-done", "Anamnesebogen Allgemeinmedizin", status="submitted",
                     minutes=-20, submitted_minutes=-5),
        form_request("fr-gone", "Einwilligung Videosprechstunde", status="cancelled",
                     minutes=-10),
    ])
    harness.page.show()
    harness.page.activate()
    assert harness.page.open_conversation("conv-lines")
    view = harness.page.conversation
    sent, done, gone = (painted(view, i) for i in ("fr-sent", "fr-done", "fr-gone"))
    assert sent[-2] == "Formular „Einwilligung Datenverarbeitung“ gesendet  ·  09:00"
    assert sent[-1] == "Zurückziehen"
    # Completed: the time of submission; no action any more.
    assert done[-1] == "Formular „Anamnesebogen Allgemeinmedizin“ ausgefüllt  ·  09:25"
    assert gone[-1] == "Formular „Einwilligung Videosprechstunde“ zurückgezogen  ·  09:20"


def test_withdraw_asks_then_cancels_the_request(harness: InboxHarness, qtbot: QtBot) -> None:
    add_conversation(harness.core, "conv-w", "Karl Vogel", 1, [
        message("m-w", "Hallo", minutes=-40),
        form_request("fr-sent", "Einwilligung Datenverarbeitung", minutes=-30),
    ])
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-w")
    view = harness.page.conversation
    view.thread_view.doItemsLayout()
    index = view.model.index(view.model.position_of("fr-sent"), 0)
    view.thread_view.scrollTo(index)
    rect = view.thread_view.visualRect(index)
    item = view.model.item_at(index.row())
    assert item is not None
    layout = view.delegate._layout_at(index, item, _option(view, index))
    assert layout.retry is not None  # where "Zurückziehen" is painted
    click = layout.retry.center() + rect.topLeft()
    qtbot.mouseClick(view.thread_view.viewport(), Qt.MouseButton.LeftButton, pos=click)
    qtbot.waitUntil(lambda: view.withdraw_box is not None, timeout=2000)
    box = view.withdraw_box
    assert box is not None
    assert "„Einwilligung Datenverarbeitung“" in box.text()
    withdraw = next(b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    assert withdraw.text() == "Zurückziehen"
    withdraw.click()
    qtbot.waitUntil(lambda: harness.core.forms_cancelled == ["fr-sent"], timeout=2000)
    qtbot.waitUntil(lambda: painted(view, "fr-sent")[-1].startswith(
        "Formular „Einwilligung Datenverarbeitung“ zurückgezogen"), timeout=2000)


def _option(view: ConversationView, index: QModelIndex) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    view.delegate.initStyleOption(option, index)
    return option


def test_form_card_shows_badge_answers_and_valid_seal(harness: InboxHarness,
                                                      qtbot: QtBot) -> None:
    view = open_form_conversation(harness, qtbot)
    # The form inquiry is the one the header acts on; its seal is checked once. Its own
    # export button replaces the conversation's (one export, with the form's PDF).
    assert view.inquiry_caption.text() == ("Formular ausgefüllt · Anamnesebogen "
                                           "Allgemeinmedizin")
    qtbot.waitUntil(lambda: view.seal_status_text() == "Siegel gültig", timeout=2000)
    assert harness.core.seal_calls == ["att-form"]
    card = painted(view, "inq-form")
    assert card[0] == "Formular ausgefüllt"
    assert "Formular: Anamnesebogen Allgemeinmedizin" in card
    assert "Name: Helga Bauer" in card
    assert "… und 4 weitere Antworten" in card
    assert "Siegel gültig" in card
    assert view.answers_button.text() == "Antworten anzeigen"
    assert view.pdf_button.text() == "PDF öffnen"
    assert view.form_export_button.text() == "Export in die Patientenakte"
    assert view.form_export_button.isVisible()
    assert not view.export_button.isVisible()


def test_broken_seal_is_shown_and_unknown_shows_nothing(harness: InboxHarness,
                                                        qtbot: QtBot) -> None:
    view = open_form_conversation(harness, qtbot, seal_ok=False)
    qtbot.waitUntil(lambda: view.seal_status_text() != "", timeout=2000)
    assert view.seal_status_text() == "Siegel verletzt – Dokument wurde verändert"
    assert "Siegel verletzt – Dokument wurde verändert" in painted(view, "inq-form")
    assert view.seal_label.property("valid") == "false"
    # Unknown (the server could not be asked): no seal sentence at all, never "gültig".
    view._seals.clear()
    view.delegate.seal_texts.clear()
    view._seal_asked.clear()
    harness.core.form_error = "server_unreachable"
    view._update_form_row(view._inquiry_item())
    qtbot.waitUntil(lambda: harness.core.seal_calls.count("att-form") == 2, timeout=2000)
    harness.settle()
    assert view.seal_status_text() == ""
    assert not any(t.startswith("Siegel") for t in painted(view, "inq-form"))
    harness.core.form_error = None


def test_answers_dialog_shows_sections_and_answers_as_selectable_text(
        harness: InboxHarness, qtbot: QtBot, tmp_path: Path) -> None:
    view = open_form_conversation(harness, qtbot)
    view.answers_button.click()
    dialog = view.answers_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Antworten: Anamnesebogen Allgemeinmedizin"
    assert dialog.subtitle.text().startswith("Helga Bauer  ·  unterschrieben am 12.03.2026 um")
    text = dialog.plain_text()
    assert text.splitlines()[:3] == ["Angaben zur Person", "Name: Helga Bauer",
                                     "Gewicht (kg): 68"]
    # No colon after a question mark.
    assert "Vorerkrankungen und Allergien\nHaben Sie Allergien? Ja\n" \
           "Welche Allergien? Penicillin, Hausstaub" in text
    assert "Unterschrift: unterschrieben" in text
    flags = dialog.answers.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    # The label's rich text holds each answer (escaped), the headings as headings.
    assert "<h3>Lebensgewohnheiten</h3>" in dialog.answers.text()
    assert "Penicillin, Hausstaub" in dialog.answers.text()
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    assert dialog.grab().save(str(target / "form-answers.png"))
    dialog.close()
    qtbot.waitUntil(lambda: view.answers_dialog is None, timeout=2000)


def test_answers_are_escaped(harness: InboxHarness, qtbot: QtBot) -> None:
    from ui.inbox.form_answers import answers_html

    shown = answers_html({"rows": [{"section": "A", "label": "Frage",
                                    "answer": "<b>fett</b> & <img src=x>"}]})
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; &lt;img src=x&gt;" in shown
    assert "<img" not in shown


def test_open_pdf_goes_through_the_attachment_copy(harness: InboxHarness,
                                                   qtbot: QtBot) -> None:
    view = open_form_conversation(harness, qtbot)
    opened: list[QUrl] = []
    view.open_url = opened.append
    view.pdf_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=2000)
    assert opened[0].toLocalFile().endswith("att-form.pdf")


def test_export_from_the_form_row_exports_the_conversation(harness: InboxHarness,
                                                           qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    view = open_form_conversation(harness, qtbot)
    harness.core.settings.record_export_dir = str(tmp_path)
    view.form_export_button.click()
    qtbot.waitUntil(lambda: view.export_status_text() != "", timeout=2000)
    assert harness.core.record_exports == ["conv-form"]
    assert "Patientenakte" in view.export_status_text()


def test_form_inquiry_screenshot(harness: InboxHarness, qtbot: QtBot, tmp_path: Path) -> None:
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    view = open_form_conversation(harness, qtbot)
    harness.page.resize(1280, 860)
    qtbot.waitUntil(lambda: view.seal_status_text() == "Siegel gültig", timeout=2000)
    assert view.select_item("inq-form")
    qtbot.waitUntil(lambda: view.thread_view.verticalScrollBar().value()
                    == view.thread_view.verticalScrollBar().maximum(), timeout=2000)
    qtbot.wait(50)
    assert english_leftovers(harness.page) == []
    path = target / "form-inquiry.png"
    assert harness.page.grab().save(str(path))
    assert path.stat().st_size > 20_000
