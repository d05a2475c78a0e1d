"""Export in die Patientenakte through the real application: settings folder chosen in the
Settings page, the action in the conversation view, both files in the folder."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from app.record_export.gdt import parse_gdt
from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in

API = "/api/v1"


def seed(accounts: PracticeAccounts) -> str:
    """A patient with a conversation and a message with umlauts, written by the team."""
    with httpx.Client(base_url=accounts.url + API, timeout=10) as http:
        body = http.post("/auth/login", json={"email": accounts.admin_email,
                                              "password": accounts.password}).json()
        http.headers["Authorization"] = f"Bearer {body['access_token']}"
        patient = http.post("/patients", json={"name": "Käthe Groß", "dob": "1949-12-24"})
        assert patient.status_code == 201, patient.text
        conversation = http.post("/conversations", json={"patient_id": patient.json()["id"]})
        assert conversation.status_code == 201, conversation.text
        cid = str(conversation.json()["id"])
        sent = http.post(f"/conversations/{cid}/messages",
                         json={"text": "Ihre Überweisung zum Orthopäden liegt bereit."},
                         headers={"Idempotency-Key": str(uuid.uuid4())})
        assert sent.status_code == 201, sent.text
        return cid


def test_export_into_the_folder_chosen_in_settings(
        qt_loop: QtLoop, make_controller: ControllerFactory, practice: PracticeAccounts,
        tmp_path: Path) -> None:
    cid = seed(practice)
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    window = controller.main_window
    inbox = window.inbox_page
    qt_loop.wait_until(lambda: inbox.open_conversation(cid), timeout=20)
    view = inbox.conversation

    # No folder yet: the view says where to choose one, and nothing is written anywhere.
    view.export_button.click()
    qt_loop.wait_until(lambda: view.export_status_text() != "")
    assert "Einstellungen" in view.export_status_text()

    # Settings → Export in die Patientenakte → Ordner wählen…
    window.show_page("settings")
    section = window.settings_page.record_export
    assert section.isVisible()
    assert section.title() == "Export in die Patientenakte"
    assert section.folder_value.text() == "Noch kein Ordner gewählt"
    folder = tmp_path / "Patientenakte"
    folder.mkdir()
    dialog = section.choose_folder()
    assert dialog is not None
    dialog.fileSelected.emit(str(folder))  # what the dialog sends when the user picks it
    dialog.reject()
    assert section.folder_value.text() == str(folder)
    saved = json.loads(controller.core.profile.settings_path.read_text(encoding="utf-8"))
    assert saved["record_export_dir"] == str(folder)

    window.show_page("inbox")
    view.export_button.click()
    qt_loop.wait_until(lambda: len(list(folder.iterdir())) == 2
                       and view.export_status_text().startswith("In den Ordner"), timeout=20)
    names = sorted(p.name for p in folder.iterdir())
    assert [Path(n).suffix for n in names] == [".gdt", ".pdf"]
    assert all("Käthe" not in n and "Groß" not in n for n in names)
    assert str(folder) in view.export_status_text()
    gdt = next(folder.glob("*.gdt")).read_bytes()
    fields = dict(parse_gdt(gdt))
    assert int(fields["8100"]) == len(gdt)
    assert (fields["3101"], fields["3102"], fields["3103"]) == ("Groß", "Käthe", "24121949")
    assert Path(fields["6305"]) == next(folder.glob("*.pdf")).resolve()
