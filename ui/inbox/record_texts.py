"""What the conversation view says after "Export to patient record"."""

from __future__ import annotations

from pathlib import Path

from app.record_export.service import RecordExportError
from ui.qt import QCoreApplication

translate = QCoreApplication.translate


def export_success_message(paths: list[str]) -> str:
    folder = str(Path(paths[0]).parent) if paths else ""
    names = ", ".join(Path(p).name for p in paths)
    return translate("RecordExport", "Saved to the patient record folder %1: %2").replace(
        "%1", folder).replace("%2", names)


def export_error_message(exc: BaseException, folder: str) -> str | None:
    """The sentence for a failed export, or None for a programming error."""
    if not isinstance(exc, RecordExportError):
        return None
    messages = {
        "not_configured": translate(
            "RecordExport", "No folder for the patient record is set yet. Please choose one "
            "in Settings under “Export to the patient record”."),
        "folder_missing": translate(
            "RecordExport", "The folder %1 does not exist or cannot be reached. Please check "
            "it in Settings. Nothing was saved."),
        "not_writable": translate(
            "RecordExport", "Praxisdesk may not write into the folder %1. Please choose "
            "another folder in Settings or ask your IT. Nothing was saved."),
        "disk_full": translate(
            "RecordExport", "There is not enough space in the folder %1. Nothing was saved."),
        "form_pdf_unavailable": translate(
            "RecordExport", "A form's PDF could not be downloaded (no connection to the "
            "server?). Please try again when online. Nothing was saved."),
        "not_found": translate(
            "RecordExport", "This conversation is no longer on this computer (it may have "
            "been deleted). Nothing was saved."),
    }
    text = messages.get(exc.reason) or translate(
        "RecordExport", "The export into %1 failed. Nothing was saved.")
    return text.replace("%1", folder)
