"""Settings → "Formulare" and the form editor, driven as an admin (and a receptionist) would,
against a fake core that records what would go to the server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.api.errors import ApiError, Forbidden
from tests.ui.conftest import QtLoop
from tests.ui.forms.fake_core import FakeFormsCore
from tests.ui.test_translations import english_leftovers
from ui.error_reporter import ErrorReporter
from ui.forms.editor_dialog import FormEditorDialog
from ui.forms.settings_section import FormsSection
from ui.i18n import install_language
from ui.qt import QApplication, QLineEdit
from ui.resources import style_sheet
from ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def reporter() -> ErrorReporter:
    return ErrorReporter()


@pytest.fixture
def make_section(qt_loop: QtLoop, reporter: ErrorReporter, qapp: QApplication,
                 qtbot: QtBot) -> Any:
    qapp.setStyleSheet(style_sheet())
    install_language("de")

    def factory(role: str = "admin") -> tuple[FormsSection, FakeFormsCore]:
        core = FakeFormsCore(role)
        section = FormsSection()
        qtbot.addWidget(section)
        section.attach(core, TaskRunner(reporter))
        section.resize(900, 420)
        section.show()
        qt_loop.wait_until(lambda: section.model.rowCount() == 2 and not section.busy)
        return section, core

    return factory


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Replace the text as a user would: select all and type (QTest types ASCII only; the
    rest is pasted in as the keyboard would insert it)."""
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)
    assert edit.text() == text


def _choose_type(editor: FormEditorDialog, kind: str) -> None:
    combo = editor.field_editor.type_combo
    combo.setCurrentIndex(combo.findData(kind))


def _build_vaccination_form(qtbot: QtBot, editor: FormEditorDialog) -> None:
    _type(qtbot, editor.title_edit, "Impfaufklärung")
    assert editor.outline.selected() == ("section", "section_1")
    _type(qtbot, editor.section_editor.title_edit, "Vor der Impfung")
    editor.add_field_button.click()
    assert editor.outline.selected() == ("field", "field_1")
    _choose_type(editor, "yes_no")
    _type(qtbot, editor.field_editor.label_edit, "Haben Sie Fieber?")
    editor.field_editor.required_box.click()
    editor.add_field_button.click()
    assert editor.outline.selected() == ("field", "field_2")
    _choose_type(editor, "long_text")
    _type(qtbot, editor.field_editor.label_edit, "Seit wann?")
    fields = editor.field_editor
    assert not fields.condition_field_combo.isEnabled()
    fields.condition_box.click()
    assert fields.condition_field_combo.currentText() == "Haben Sie Fieber?"
    assert fields.condition_value_combo.currentText() == "Ja"
    assert fields.condition_value_edit.isHidden()


VACCINATION = {
    "id": "impfaufklaerung", "version": 1, "title": "Impfaufklärung",
    "sections": [{"id": "section_1", "title": "Vor der Impfung", "fields": [
        {"id": "field_1", "type": "yes_no", "label": "Haben Sie Fieber?", "required": True},
        {"id": "field_2", "type": "long_text", "label": "Seit wann?",
         "show_if": {"field": "field_1", "equals": True}}]}]}


def test_admin_builds_a_conditional_form_and_saves_it(qt_loop: QtLoop, qtbot: QtBot,
                                                      make_section: Any,
                                                      reporter: ErrorReporter) -> None:
    section, core = make_section()
    assert section.title() == "Formulare"
    assert section.readonly_hint.isHidden()
    assert section.new_button.text() == "Neues Formular"
    editor = section.open_new()
    assert editor is not None
    assert editor.windowTitle() == "Neues Formular"
    _build_vaccination_form(qtbot, editor)
    outline = [item.text(0) for item in editor.outline.items()]
    assert outline == ["Vor der Impfung", "Haben Sie Fieber? *", "↳ Seit wann?"]

    # The preview shows the long text only once "Ja" is chosen.
    preview = editor.open_preview().preview
    assert not preview.is_shown("field_2")
    yes, no = preview.inputs["field_1"].buttons()
    assert (yes.text(), no.text()) == ("Ja", "Nein")
    yes.click()
    assert preview.is_shown("field_2")
    no.click()
    assert not preview.is_shown("field_2")
    assert editor.preview_dialog is not None
    editor.preview_dialog.close()

    editor.save_button.click()
    qt_loop.wait_until(lambda: not section.busy and section.editor is None)
    assert [c for c in core.calls if c[0] != "list"] == [("create", VACCINATION)]
    assert section.status_label.text() == "„Impfaufklärung“ wurde als Version 1 gespeichert."
    assert section.selected() is not None
    assert section.selected().title == "Impfaufklärung"
    assert reporter.open_boxes() == []


def test_structural_errors_are_shown_in_german_and_nothing_is_sent(
        qt_loop: QtLoop, qtbot: QtBot, make_section: Any) -> None:
    section, core = make_section()
    editor = section.open_new()
    assert editor is not None
    editor.save_button.click()
    text = editor.error_text()
    assert "Das Formular kann noch nicht gespeichert werden" in text
    assert "Bitte geben Sie einen Titel für das Formular ein." in text
    assert "Der Abschnitt „Fragen“ hat noch keine Fragen." in text

    _build_vaccination_form(qtbot, editor)
    editor.add_field_button.click()
    _choose_type(editor, "single_choice")
    _type(qtbot, editor.field_editor.label_edit, "Welcher Impfstoff?")
    editor.save_button.click()
    assert "„Welcher Impfstoff?“ braucht mindestens eine Antwortmöglichkeit." \
        in editor.error_text()
    assert editor.outline.selected() == ("field", "field_3")
    editor.field_editor.choices_edit.setPlainText("Impfstoff A\nImpfstoff B\n")

    # The conditional question moved above the one it depends on.
    assert editor.outline.select_id("field_2")
    editor.up_button.click()
    editor.save_button.click()
    assert ("„Seit wann?“ hängt von einem Feld ab, das nicht vor ihm steht."
            in editor.error_text())
    assert editor.outline.selected() == ("field", "field_2")
    editor.down_button.click()
    editor.save_button.click()
    qt_loop.wait_until(lambda: not section.busy and section.editor is None)
    created = [c for c in core.calls if c[0] == "create"]
    assert len(created) == 1
    fields = created[0][1]["sections"][0]["fields"]
    assert [f["id"] for f in fields] == ["field_1", "field_2", "field_3"]
    assert fields[2]["choices"] == ["Impfstoff A", "Impfstoff B"]


def test_editing_posts_a_new_version_and_keeps_the_old(qt_loop: QtLoop, qtbot: QtBot,
                                                       make_section: Any) -> None:
    section, core = make_section()
    assert section.select("def-1")  # Anamnesebogen, version 1
    assert section.edit_button.isEnabled()
    editor = section.open_edit()
    assert editor is not None
    assert "Version 2" in editor.heading.text()
    assert editor.outline.select_id("weight_kg")
    assert editor.field_editor.min_edit.text() == "2"
    _type(qtbot, editor.field_editor.max_edit, "300")
    _type(qtbot, editor.title_edit, "Anamnesebogen (neu)")
    editor.save_button.click()
    qt_loop.wait_until(lambda: not section.busy and section.editor is None)
    call = next(c for c in core.calls if c[0] == "version")
    assert call[1] == "def-1"
    sent = call[2]
    assert sent["id"] == "anamnese-allgemeinmedizin"
    assert sent["title"] == "Anamnesebogen (neu)"
    weight = next(f for s in sent["sections"] for f in s["fields"] if f["id"] == "weight_kg")
    assert (weight["min"], weight["max"]) == (2, 300)
    # The list shows both versions; the old one archived, the new one chosen.
    rows = [(section.model.index(r, 0).data(), section.model.index(r, 1).data(),
             section.model.index(r, 2).data()) for r in range(section.model.rowCount())]
    assert ("Anamnesebogen (neu)", "2", "Aktiv") in rows
    assert ("Anamnesebogen Allgemeinmedizin", "1", "Archiviert") in rows
    assert section.selected() is not None
    assert section.selected().version == 2
    # The definition the old version holds was not touched by the editor.
    old = next(v for v in core.versions if v.id == "def-1")
    assert old.title == "Anamnesebogen Allgemeinmedizin"
    assert old.definition.field("weight_kg").max == 350


def test_new_from_template_gets_a_free_name(qt_loop: QtLoop, qtbot: QtBot,
                                            make_section: Any) -> None:
    section, core = make_section()
    assert section.template_button.text() == "Neu aus Vorlage…"
    actions = section.template_menu.actions()
    assert [a.text() for a in actions] == ["Anamnesebogen Allgemeinmedizin",
                                           "Einwilligung Datenverarbeitung",
                                           "Einwilligung Videosprechstunde"]
    actions[0].trigger()
    editor = section.editor
    assert editor is not None
    assert editor.title_edit.text() == "Anamnesebogen Allgemeinmedizin"
    editor.save_button.click()
    qt_loop.wait_until(lambda: not section.busy and section.editor is None)
    created = next(c for c in core.calls if c[0] == "create")[1]
    # The practice already has the anamnesis as a form: the copy gets its own id.
    assert created["id"] == "anamnese-allgemeinmedizin-2"


def test_archive_and_activate(qt_loop: QtLoop, make_section: Any) -> None:
    section, core = make_section()
    assert section.select("def-2")
    assert section.status_button.text() == "Archivieren"
    section.status_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert ("status", "def-2", "archived") in core.calls
    assert section.selected() is not None
    assert section.model.index(section.model.row_of("def-2"), 2).data() == "Archiviert"
    assert section.status_button.text() == "Aktivieren"
    assert "archiviert" in section.status_label.text()
    section.status_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert ("status", "def-2", "active") in core.calls
    assert section.status_button.text() == "Archivieren"


def test_server_refusals_are_shown(qt_loop: QtLoop, qtbot: QtBot, make_section: Any) -> None:
    section, core = make_section()
    refusal = ApiError("field 'x': bad", status=422)
    refusal.code = "invalid_form"
    core.refuse = refusal
    editor = section.open_new()
    assert editor is not None
    _build_vaccination_form(qtbot, editor)
    editor.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert section.editor is editor  # stays open with the admin's work
    assert "Der Server hat das Formular nicht angenommen" in editor.error_text()
    assert editor.save_button.isEnabled()
    # Cancelling asks before throwing the work away.
    editor.reject()
    box = editor.discard_box
    assert box is not None
    assert box.text() == "Ihre Änderungen an diesem Formular verwerfen?"
    keep = next(b for b in box.buttons() if b.text() == "Weiter bearbeiten")
    keep.click()
    assert editor.isVisible()
    editor.reject()
    box = editor.discard_box
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Verwerfen").click()
    qt_loop.wait_until(lambda: section.editor is None)

    core.refuse = Forbidden("no", status=403)
    assert section.select("def-1")
    section.status_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert section.error_text() == "Nur Administratoren können Formulare ändern."


def test_staff_see_the_forms_read_only(qt_loop: QtLoop, make_section: Any) -> None:
    section, core = make_section("staff")
    assert section.readonly_hint.isVisible()
    for button in (section.template_button, section.new_button, section.edit_button,
                   section.status_button):
        assert button.isHidden()
    assert section.select("def-1")
    assert section.preview_button.isEnabled()
    assert section.open_edit() is None
    section.toggle_status()
    assert not [c for c in core.calls if c[0] != "list"]
    dialog = section.open_preview()
    assert dialog is not None
    preview = dialog.preview
    assert not preview.is_shown("medication_list")
    preview.inputs["takes_medication"].buttons()[0].click()
    assert preview.is_shown("medication_list")
    assert preview.is_shown("blood_thinner")
    dialog.close()


def test_editor_and_preview_screenshot(qt_loop: QtLoop, qtbot: QtBot, make_section: Any,
                                       tmp_path: Path) -> None:
    """Written to docs/screenshots/form-editor.png with PRAXISDESK_WRITE_SCREENSHOTS=1."""
    target = (REPO / "docs" / "screenshots"
              if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS") == "1" else tmp_path)
    section, _core = make_section()
    assert section.select("def-1")
    editor = section.open_edit()
    assert editor is not None
    editor.resize(1100, 760)
    assert editor.outline.select_id("medication_list")
    qtbot.waitExposed(editor)
    assert english_leftovers(editor) == []
    preview = editor.open_preview()
    preview.preview.inputs["takes_medication"].buttons()[0].click()
    preview.resize(620, 760)
    qtbot.waitExposed(preview)
    preview.scroll_to("blood_thinner")
    assert preview.preview.is_shown("medication_list")
    assert english_leftovers(preview) == []
    editor_shot = editor.grab()
    preview_shot = preview.grab()
    from ui.qt import QPainter, QPixmap

    canvas = QPixmap(editor_shot.width() + preview_shot.width() + 24,
                     max(editor_shot.height(), preview_shot.height()))
    canvas.fill()
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, editor_shot)
    painter.drawPixmap(editor_shot.width() + 24, 0, preview_shot)
    painter.end()
    target.mkdir(parents=True, exist_ok=True)
    path = target / "form-editor.png"
    assert canvas.save(str(path))
    assert path.stat().st_size > 20_000
    preview.close()
    editor.reject()


def test_a_question_without_text_is_named_by_its_place(qt_loop: QtLoop,
                                                       make_section: Any) -> None:
    section, core = make_section()
    editor = section.open_new()
    assert editor is not None
    editor.add_field_button.click()
    _choose_type(editor, "multiple_choice")
    editor.save_button.click()
    text = editor.error_text()
    assert "Eine Frage im Abschnitt „Fragen“ hat noch keinen Fragetext." in text
    assert "„Frage 1 im Abschnitt Fragen“ braucht mindestens eine Antwortmöglichkeit." in text
    assert english_leftovers(editor) == []
    assert not [c for c in core.calls if c[0] == "create"]
