"""Export one conversation into the patient record folder: ``<stem>.pdf`` and ``<stem>.gdt``.

The stem is ``<YYYYMMDD-HHMM>_<first 8 characters of the conversation id>`` (local time of
the export; no patient name, since file names end up in directory listings and backups of
the PVS server). An existing file is never overwritten: the next free ``_2``, ``_3``... is
taken. Both files are written under temporary names (mode 0600), synced, then linked into
place PDF first, GDT last (a PVS watching the folder may import the GDT at once, and its PDF
must already be there). On any error nothing of the export is left in the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.inbox.types import InboxQueries, InquiryType, ThreadItem
from app.record_export.document import (
    RecordDocument,
    RecordEntry,
    RecordPatient,
    local,
    parse_utc,
)
from app.record_export.gdt import render_gdt
from app.record_export.pdf import render_pdf

PAGE = 500
MAX_TRIES = 100

INQUIRY_LABELS = {
    InquiryType.APPOINTMENT: "Terminanfrage",
    InquiryType.PRESCRIPTION: "Rezeptanfrage",
    InquiryType.REFERRAL: "Überweisungsanfrage",
    InquiryType.SICK_NOTE: "AU-Anfrage",
    InquiryType.RESULTS: "Befundanfrage",
    InquiryType.OTHER: "Anfrage",
    InquiryType.FORM: "Formular ausgefüllt",
}
DETAIL_LABELS = {
    "reason": "Anlass", "preferred_windows": "Wunschzeiten", "medications": "Medikamente",
    "specialty": "Fachrichtung", "from": "Von", "to": "Bis", "subject": "Betreff",
}


class RecordExportError(Exception):
    """Why an export failed, as a code the UI turns into a sentence:
    ``not_configured`` (no folder chosen), ``folder_missing``, ``not_writable``,
    ``disk_full``, ``not_found`` (conversation not in the cache), ``failed``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FormFile:
    """A submitted form's sealed PDF, copied unchanged next to the conversation's PDF (its
    seal stays verifiable there). ``form_id`` is the form's slug: file names carry no
    patient data."""

    form_id: str
    title: str
    data: bytes


@dataclass(frozen=True)
class ExportResult:
    pdf_path: Path
    gdt_path: Path
    form_paths: tuple[Path, ...] = ()

    @property
    def paths(self) -> list[str]:
        return [str(self.pdf_path), str(self.gdt_path), *(str(p) for p in self.form_paths)]


# --- building the document -----------------------------------------------------------------

def _details_text(details: Mapping[str, object]) -> list[str]:
    lines: list[str] = []
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            shown = ", ".join(_detail_value(v) for v in value)
        else:
            shown = _detail_value(value)
        lines.append(f"{DETAIL_LABELS.get(key, key)}: {shown}")
    return lines


def _detail_value(value: object) -> str:
    if isinstance(value, Mapping):
        start, end = value.get("start"), value.get("end")
        if isinstance(start, str) and isinstance(end, str):
            with contextlib.suppress(ValueError):
                a, b = local(parse_utc(start)), local(parse_utc(end))
                return f"{a:%d.%m.%Y %H:%M}–{b:%H:%M}"
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)


def conversation_entries(items: list[ThreadItem], patient_name: str,
                         staff_names: Mapping[str, str]) -> list[RecordEntry]:
    """Messages, inquiries and notes. Outbox items (sends not yet confirmed by the server)
    are left out: the record holds what was actually exchanged."""

    def staff(user_id: str | None) -> str:
        name = staff_names.get(user_id or "", "") or "Praxisteam"
        return f"{name} (Praxis)"

    entries: list[RecordEntry] = []
    for item in items:
        at = parse_utc(item.created_at)
        if item.kind == "message":
            author = patient_name if item.author == "patient" else staff(item.author_user_id)
            entries.append(RecordEntry(at, "Nachricht", author, item.text,
                                       tuple(a.filename for a in item.attachments)))
        elif item.kind == "inquiry" and item.inquiry_type == InquiryType.FORM:
            entries.append(RecordEntry(at, INQUIRY_LABELS[InquiryType.FORM], patient_name,
                                       form_text(item.inquiry_details)))
        elif item.kind == "inquiry":
            label = INQUIRY_LABELS.get(item.inquiry_type or InquiryType.OTHER, "Anfrage")
            text = "\n".join([*_details_text(item.inquiry_details), item.text]).strip()
            entries.append(RecordEntry(at, label, patient_name, text))
        elif item.kind == "note":
            entries.append(RecordEntry(at, "Interne Notiz", staff(item.author_user_id),
                                       item.text))
    return entries


def form_text(details: Mapping[str, object]) -> str:
    """A form's answers as the record reads them: the title, then per section its heading
    and "Frage: Antwort" lines (the same rows the sealed PDF prints)."""
    lines = [f"Formular: {details.get('title') or ''}".strip()]
    section: object = None
    rows = details.get("rows")
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping):
            continue
        if row.get("section") and row.get("section") != section:
            section = row.get("section")
            lines.append(f"[{section}]")
        label, answer = str(row.get("label") or "").strip(), str(row.get("answer") or "")
        lines.append(f"{label} {answer}" if label.endswith(("?", ":")) else f"{label}: {answer}")
    return "\n".join(lines)


def all_thread_items(queries: InboxQueries, conversation_id: str) -> list[ThreadItem]:
    items: list[ThreadItem] = []
    offset = 0
    while True:
        page = queries.thread_items(conversation_id, offset, PAGE)
        items.extend(page)
        if len(page) < PAGE:
            return items
        offset += PAGE


def conversation_document(queries: InboxQueries, conversation_id: str, *,
                          patient: RecordPatient, practice_name: str,
                          staff_names: Mapping[str, str], exported_by: str,
                          now: datetime) -> RecordDocument:
    items = all_thread_items(queries, conversation_id)
    return RecordDocument(
        title="Patientenkommunikation", source_id=conversation_id,
        practice_name=practice_name, patient=patient, exported_at=now,
        exported_by=exported_by,
        entries=tuple(conversation_entries(items, patient.name, staff_names)))


# --- writing -------------------------------------------------------------------------------

def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "disk_full"
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return "folder_missing"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS, errno.EACCES,
                                                         errno.EPERM):
        return "not_writable"
    return "failed"


def _write_temp(folder: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".praxisdesk-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name == "posix":
            os.chmod(path, 0o600)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _place(temp: Path, target: Path) -> bool:
    """Move a finished temp file to its name, never replacing a file: False if the name is
    taken. A hard link is atomic and refuses existing names; file systems without links
    (some network shares) get a checked rename instead."""
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        if target.exists():
            return False
        os.rename(temp, target)
        return True
    temp.unlink(missing_ok=True)
    return True


def _sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def file_stem(conversation_id: str, now: datetime) -> str:
    return f"{local(now):%Y%m%d-%H%M}_{conversation_id.replace('-', '')[:8]}"


def _form_names(name: str, forms: Sequence[FormFile]) -> list[str]:
    """``<stem>_formular_<form id>.pdf`` (``_2``... when one form was filled twice)."""
    names: list[str] = []
    for form in forms:
        slug = "".join(c for c in form.form_id if c.isalnum() or c in "-_")[:40] or "formular"
        base = f"{name}_formular_{slug}"
        candidate, number_ = base, 1
        while f"{candidate}.pdf" in names:
            number_ += 1
            candidate = f"{base}_{number_}"
        names.append(f"{candidate}.pdf")
    return names


def write_record(doc: RecordDocument, folder: Path, stem: str,
                 write_temp: Callable[[Path, bytes], Path] | None = None,
                 forms: Sequence[FormFile] = ()) -> ExportResult:
    """Render and place ``<stem>.pdf`` (and the forms' PDFs), then ``<stem>.gdt`` last, so a
    PVS importing the GDT finds every file it names; raises RecordExportError."""
    write_temp = write_temp or _write_temp  # looked up per call: tests replace it
    if not folder.is_dir():
        raise RecordExportError("folder_missing")
    pdf_bytes = render_pdf(doc)
    temps: list[Path] = []
    placed: list[Path] = []
    try:
        for attempt in range(1, MAX_TRIES + 1):
            name = stem if attempt == 1 else f"{stem}_{attempt}"
            pdf_path, gdt_path = folder / f"{name}.pdf", folder / f"{name}.gdt"
            form_paths = [folder / n for n in _form_names(name, forms)]
            if any(p.exists() for p in (pdf_path, gdt_path, *form_paths)):
                continue
            files = [(pdf_path, pdf_bytes), *((p, f.data) for p, f in zip(form_paths, forms,
                                                                            strict=True))]
            gdt_bytes = render_gdt(doc, str(pdf_path.resolve()), name, attachments=[
                (str(p.resolve()), p.stem, f"{f.title} (Formular, Praxisdesk)")
                for p, f in zip(form_paths, forms, strict=True)])
            taken = False
            for path, data in [*files, (gdt_path, gdt_bytes)]:
                temp = write_temp(folder, data)
                temps.append(temp)
                if not _place(temp, path):
                    taken = True  # someone else took a name meanwhile: the next stem
                    break
                placed.append(path)
            if taken:
                for path in placed:
                    path.unlink(missing_ok=True)
                placed.clear()
                continue
            _sync_dir(folder)
            return ExportResult(pdf_path, gdt_path, tuple(form_paths))
        raise RecordExportError("failed")
    except OSError as exc:
        for path in placed:
            path.unlink(missing_ok=True)
        raise RecordExportError(_reason(exc)) from exc
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def export_conversation(queries: InboxQueries, conversation_id: str, folder: Path, *,
                        patient: RecordPatient, practice_name: str,
                        staff_names: Mapping[str, str], exported_by: str,
                        now: datetime | None = None,
                        forms: Sequence[FormFile] = ()) -> ExportResult:
    moment = now or datetime.now(UTC)
    doc = conversation_document(queries, conversation_id, patient=patient,
                                practice_name=practice_name, staff_names=staff_names,
                                exported_by=exported_by, now=moment)
    return write_record(doc, folder, file_stem(conversation_id, moment), forms=forms)
