"""Settings → "Formulare" in the real application against the real server: an admin starts a
form from a shipped template, saves it, edits it into version 2 and archives it; a
receptionist sees the same list read only."""

from __future__ import annotations

from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in
from ui.app_controller import AppController
from ui.forms.settings_section import FormsSection


def _open_forms(qt_loop: QtLoop, controller: AppController) -> FormsSection:
    section = controller.main_window.settings_page.forms
    controller.main_window.show_page("settings")
    qt_loop.wait_until(lambda: section.isVisible() and not section.busy)
    assert section.error_text() == ""
    return section


def _rows(section: FormsSection) -> list[tuple[str, str, str]]:
    model = section.model
    return [tuple(str(model.index(r, c).data()) for c in range(3))  # type: ignore[misc]
            for r in range(model.rowCount())]


def test_admin_makes_a_form_from_a_template(qt_loop: QtLoop,
                                            make_controller: ControllerFactory,
                                            practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice, email=practice.admin_email)
    section = _open_forms(qt_loop, controller)
    before = _rows(section)
    qt_loop.wait_until(lambda: len(section.template_menu.actions()) == 3)
    consent = next(a for a in section.template_menu.actions()
                   if a.text() == "Einwilligung Datenverarbeitung")
    consent.trigger()
    editor = section.editor
    assert editor is not None
    editor.title_edit.setText("Einwilligung Datenschutz (Praxis)")
    editor.save_button.click()
    qt_loop.wait_until(lambda: section.editor is None and not section.busy, timeout=20)
    assert section.error_text() == ""
    assert ("Einwilligung Datenschutz (Praxis)", "1", "Aktiv") in _rows(section)
    assert len(_rows(section)) == len(before) + 1

    editor = section.open_edit()
    assert editor is not None
    editor.title_edit.setText("Einwilligung Datenschutz")
    editor.save_button.click()
    qt_loop.wait_until(lambda: section.editor is None and not section.busy, timeout=20)
    rows = _rows(section)
    assert ("Einwilligung Datenschutz", "2", "Aktiv") in rows
    assert ("Einwilligung Datenschutz (Praxis)", "1", "Archiviert") in rows

    chosen = section.selected()
    assert chosen is not None
    assert chosen.version == 2
    section.status_button.click()
    qt_loop.wait_until(lambda: not section.busy, timeout=20)
    assert ("Einwilligung Datenschutz", "2", "Archiviert") in _rows(section)

    staff = make_controller("staff-profile")
    sign_in(qt_loop, staff, practice)
    read_only = _open_forms(qt_loop, staff)
    assert _rows(read_only) == _rows(section)
    assert read_only.readonly_hint.isVisible()
    assert read_only.new_button.isHidden()
