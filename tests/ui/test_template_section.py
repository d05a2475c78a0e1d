"""The "Textvorlagen" group of the Settings page, against a fake core that records calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester

from app.inbox.templates import TemplateEditForbidden
from app.inbox.types import TemplateInfo
from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in
from ui.error_reporter import ErrorReporter
from ui.i18n import install_language
from ui.qt import QMessageBox
from ui.tasks import TaskRunner
from ui.templates_model import TEMPLATE_ID_ROLE, TemplatesModel
from ui.templates_section import TemplatesSection


class FakeInbox:
    def __init__(self, rows: list[TemplateInfo]) -> None:
        self.rows = rows

    def templates(self) -> list[TemplateInfo]:
        return sorted(self.rows, key=lambda t: (t.title.lower(), t.id))


class FakeCore:
    def __init__(self, role: str) -> None:
        self.user: dict[str, Any] = {"id": "u1", "role": role}
        self.inbox = FakeInbox([
            TemplateInfo("t1", "Rezept abholbereit", "Ihr Rezept liegt bereit."),
            TemplateInfo("t2", "Befund da", "Ihr Befund ist da.")])
        self.calls: list[tuple[Any, ...]] = []
        self.refuse = False

    async def create_template(self, title: str, body: str) -> str:
        self.calls.append(("create", title, body))
        if self.refuse:
            raise TemplateEditForbidden()
        self.inbox.rows.append(TemplateInfo("t3", title, body))
        return "t3"

    async def update_template(self, template_id: str, title: str, body: str) -> None:
        self.calls.append(("update", template_id, title, body))
        if self.refuse:
            raise TemplateEditForbidden()
        self.inbox.rows = [TemplateInfo(template_id, title, body) if t.id == template_id else t
                           for t in self.inbox.rows]

    async def delete_template(self, template_id: str) -> None:
        self.calls.append(("delete", template_id))
        self.inbox.rows = [t for t in self.inbox.rows if t.id != template_id]


@pytest.fixture
def reporter() -> ErrorReporter:
    return ErrorReporter()


@pytest.fixture
def make_section(qt_loop: QtLoop, reporter: ErrorReporter) -> Iterator[Any]:
    install_language("de")
    made: list[TemplatesSection] = []

    def factory(role: str) -> tuple[TemplatesSection, FakeCore]:
        core = FakeCore(role)
        section = TemplatesSection()
        section.attach(core, TaskRunner(reporter))
        section.resize(700, 400)
        section.show()
        made.append(section)
        return section, core

    yield factory
    for section in made:
        section.close()
        section.deleteLater()


def select(section: TemplatesSection, template_id: str) -> None:
    section.list_view.setCurrentIndex(section.model.index(section.model.row_of(template_id), 0))


def titles(section: TemplatesSection) -> list[str]:
    return [section.model.index(r, 0).data() for r in range(section.model.rowCount())]


def test_admin_edits_and_creates(qt_loop: QtLoop, make_section: Any,
                                 reporter: ErrorReporter) -> None:
    section, core = make_section("admin")
    assert section.title() == "Textvorlagen"
    assert titles(section) == ["Befund da", "Rezept abholbereit"]
    assert section.readonly_hint.isHidden()
    assert section.delete_button.text() == "Löschen…"
    assert not section.delete_button.isEnabled()  # nothing chosen yet

    select(section, "t1")
    assert section.title_edit.text() == "Rezept abholbereit"
    assert section.body_edit.toPlainText() == "Ihr Rezept liegt bereit."
    section.title_edit.setText("  Rezept   fertig ")
    section.body_edit.setPlainText("Ihr Rezept ist fertig.\nViele Grüße")
    section.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert core.calls == [("update", "t1", "Rezept fertig", "Ihr Rezept ist fertig.\nViele Grüße")]
    assert section.status_label.text() == "Vorlage gespeichert."
    assert titles(section) == ["Befund da", "Rezept fertig"]
    assert section.list_view.currentIndex().data(TEMPLATE_ID_ROLE) == "t1"

    section.new_button.click()
    assert section.title_edit.text() == ""
    assert section.body_edit.toPlainText() == ""
    assert section.editing_id is None
    section.title_edit.setText("Impftermin")
    section.body_edit.setPlainText("Bitte Impfpass mitbringen.")
    section.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert core.calls[-1] == ("create", "Impftermin", "Bitte Impfpass mitbringen.")
    assert titles(section) == ["Befund da", "Impftermin", "Rezept fertig"]
    assert section.editing_id == "t3"
    assert section.list_view.currentIndex().data(TEMPLATE_ID_ROLE) == "t3"
    assert reporter.reported == []


def test_validation_messages_and_limits(qt_loop: QtLoop, make_section: Any) -> None:
    section, core = make_section("admin")
    section.new_button.click()
    section.title_edit.setText("   ")
    section.body_edit.setPlainText("  \n ")
    section.save_button.click()
    assert section.title_error.text() == "Bitte geben Sie einen Titel ein."
    assert section.body_error.text() == "Bitte geben Sie den Text der Vorlage ein."
    assert not section.title_error.isHidden()
    assert not section.body_error.isHidden()
    assert core.calls == []

    section.title_edit.setText("T" * 101)
    section.body_edit.setPlainText("B" * 5001)
    section.save_button.click()
    assert section.title_error.text() == "Der Titel ist zu lang: 101 von höchstens 100 Zeichen."
    assert section.body_error.text() == "Der Text ist zu lang: 5001 von höchstens 5000 Zeichen."
    assert core.calls == []

    section.body_edit.setPlainText("B" * 5000)  # typing clears the message at once
    assert section.body_error.isHidden()
    section.title_edit.setText("T" * 100)
    section.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert core.calls == [("create", "T" * 100, "B" * 5000)]
    assert section.title_error.isHidden()
    assert section.body_error.isHidden()


def test_delete_asks_first(qt_loop: QtLoop, make_section: Any) -> None:
    section, core = make_section("admin")
    select(section, "t2")
    section.delete_button.click()
    box = section.confirm_box
    assert box is not None
    assert box.isVisible()
    assert "„Befund da“" in box.text()
    assert core.calls == []  # nothing happens before the answer

    cancel = next(b for b in box.buttons() if b.text() == "Abbrechen")
    cancel.click()
    qt_loop.wait_until(lambda: section.confirm_box is None)
    assert core.calls == []
    assert titles(section) == ["Befund da", "Rezept abholbereit"]

    section.delete_button.click()
    box = section.confirm_box
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "Löschen").click()
    qt_loop.wait_until(lambda: core.calls != [] and not section.busy)
    assert core.calls == [("delete", "t2")]
    assert titles(section) == ["Rezept abholbereit"]
    assert section.title_edit.text() == ""
    assert section.editing_id is None
    assert section.status_label.text() == "Vorlage gelöscht."


def test_non_admin_reads_only(qt_loop: QtLoop, make_section: Any) -> None:
    section, core = make_section("staff")
    assert not section.readonly_hint.isHidden()
    assert section.readonly_hint.text() == "Nur Administrator:innen können Vorlagen bearbeiten."
    assert titles(section) == ["Befund da", "Rezept abholbereit"]
    for button in (section.new_button, section.save_button, section.delete_button):
        assert button.isHidden()
    select(section, "t1")
    assert section.body_edit.toPlainText() == "Ihr Rezept liegt bereit."  # readable
    assert section.title_edit.isReadOnly()
    assert section.body_edit.isReadOnly()
    section.save()
    assert section.ask_delete() is None
    assert core.calls == []


def test_server_refusal_is_shown_inline(qt_loop: QtLoop, make_section: Any,
                                        reporter: ErrorReporter) -> None:
    # The role known to the client can be stale (demoted on another PC): the server decides.
    section, core = make_section("admin")
    core.refuse = True
    select(section, "t1")
    section.title_edit.setText("Anders")
    section.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert section.error_text() == "Nur Administrator:innen können Vorlagen bearbeiten."
    assert titles(section) == ["Befund da", "Rezept abholbereit"]
    assert section.title_edit.text() == "Anders"  # the user's typing is not thrown away
    assert reporter.reported == []


def test_english_texts(qt_loop: QtLoop, make_section: Any) -> None:
    section, _core = make_section("staff")
    install_language("en")
    try:
        qt_loop.wait_until(lambda: section.title() == "Reply templates")
        assert section.readonly_hint.text() == "Only administrators can edit templates."
    finally:
        install_language("de")
    qt_loop.wait_until(lambda: section.title() == "Textvorlagen")


def test_list_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = TemplatesModel()
    model.set_templates([TemplateInfo("a", "A", "x" * 400), TemplateInfo("b", "B", "y")])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(TEMPLATE_ID_ROLE) == "a"
    model.set_templates([])
    qtmodeltester.check(model)


def test_admin_saves_in_settings_and_the_composer_menu_has_it(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    """The real application: the section is wired to the core, and the inbox hears of it."""
    controller = make_controller()
    sign_in(qt_loop, controller, practice, email=practice.admin_email)
    controller.main_window.show_page("settings")
    section = controller.main_window.settings_page.templates
    qt_loop.wait_until(lambda: section.can_edit)
    section.new_button.click()
    section.title_edit.setText("Rezept abholbereit")
    section.body_edit.setPlainText("Ihr Rezept liegt zur Abholung bereit.")
    section.save_button.click()
    qt_loop.wait_until(lambda: not section.busy)
    assert section.error_text() == ""
    assert titles(section) == ["Rezept abholbereit"]
    composer = controller.main_window.inbox_page.conversation.composer
    qt_loop.wait_until(lambda: composer.template_titles() == ["Rezept abholbereit"])
    assert controller.reporter.reported == []
