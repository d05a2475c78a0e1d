"""Admin actions on the open conversation's patient: export (Art. 15/20), erase (Art. 17)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import demo_practice
from ui.inbox.conversation_view import ConversationView
from ui.inbox.patient_rights import EraseConfirmDialog


def open_bauer(harness: InboxHarness, qtbot: QtBot) -> ConversationView:
    demo_practice(harness.core)
    view = harness.page.conversation
    view.patient_rights.attach(harness.core, harness.runner)  # as AppController does
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-bauer")
    return view


def test_only_admins_see_the_patient_data_menu(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    rights = view.patient_rights
    assert rights.isVisible()
    assert rights.button.text() == "Patientendaten"
    assert [a.text() for a in rights.menu.actions()] == [
        "Alle Daten exportieren (Art. 15/20 DSGVO)…", "Patient löschen (Art. 17 DSGVO)…"]
    harness.core.user = {"id": "u-klein", "role": "staff"}
    rights.update_role()
    assert not rights.isVisible()


def test_export_writes_the_chosen_file_and_says_where(harness: InboxHarness, qtbot: QtBot,
                                                      tmp_path: Path) -> None:
    view = open_bauer(harness, qtbot)
    rights = view.patient_rights
    rights.export_action.trigger()
    dialog = rights.save_dialog
    assert dialog is not None
    assert dialog.isVisible()
    target = tmp_path / "bauer.zip"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    qtbot.waitUntil(lambda: rights.result_box is not None, timeout=3000)
    assert harness.core.patients_exported == [("pat-conv-bauer", str(target))]
    assert target.is_file()
    box = rights.result_box
    assert box is not None
    assert str(target) in box.text()
    assert "nicht verschlüsselt" in box.text()
    box.close()


def test_erase_needs_the_typed_name_and_removes_the_conversation(
        harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    rights = view.patient_rights
    rights.erase_action.trigger()
    dialog = rights.erase_dialog
    assert isinstance(dialog, EraseConfirmDialog)
    assert dialog.isVisible()
    assert "Helga Bauer" in dialog.warning_label.text()
    assert "nicht rückgängig" in dialog.warning_label.text()
    assert not dialog.erase_button.isEnabled()
    dialog.name_edit.setText("Helga Baue")
    assert not dialog.erase_button.isEnabled()
    dialog.accept()  # Enter with a wrong name does nothing
    assert dialog.isVisible()
    assert harness.core.patients_erased == []
    dialog.name_edit.setText("  helga   bauer ")
    assert dialog.erase_button.isEnabled()
    dialog.erase_button.click()
    qtbot.waitUntil(lambda: harness.core.patients_erased == ["pat-conv-bauer"], timeout=3000)
    qtbot.waitUntil(lambda: rights.result_box is not None, timeout=3000)
    assert harness.core.sync_requests == 1
    assert "conv-bauer" not in harness.core.inbox.conversations
    box = rights.result_box
    assert box is not None
    assert "Helga Bauer" in box.text()
    box.close()


def test_cancelled_erasure_deletes_nothing(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    rights = view.patient_rights
    rights.erase_action.trigger()
    dialog = rights.erase_dialog
    assert dialog is not None
    dialog.name_edit.setText("Helga Bauer")
    dialog.reject()
    harness.settle()
    assert harness.core.patients_erased == []
    assert "conv-bauer" in harness.core.inbox.conversations
