"""Writes a GDT 3.0 record (Satzart 6310, "Daten einer Untersuchung übermitteln") that tells
the practice management system (PVS) about the exported PDF.

Line format: 3-digit line length + 4-digit field id + content + CR LF, where the length
counts every byte of the line including the length itself and the CR LF. Field 8100 holds
the byte length of the whole record (5 digits). The character set is declared in 9206 as
"3" (ISO 8859-15, which has umlauts, ß and €); what it cannot hold becomes "?".

Field 3000 (Patientennummer): Praxisdesk does not know the PVS's number, so it writes
``PD`` + the first 8 hex digits of its own patient id. That can never be a PVS number (those
are digits), so a PVS cannot file the record under the wrong patient by number: it matches
by name and date of birth (3101-3103) or asks. See docs/api-contract.md.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from app.record_export.document import RecordDocument, local, split_name

ENCODING = "iso-8859-15"
CHARSET_FIELD_VALUE = "3"  # 9206: ISO 8859-15
VERSION = "03.00"  # 9218
SENDER_ID = "PRAXDESK"  # 8316, at most 8 characters
TEXT_WIDTH = 60  # a 6220 line, as the GDT field tables allow
MAX_RECORD = 99_999  # 8100 has five digits
LENGTH_LINE = 3 + 4 + 5 + 2  # the 8100 line itself
TRUNCATED = "[gekürzt - vollständiger Verlauf im PDF]"


class GdtError(ValueError):
    """A field that cannot be written (a file path too long for one GDT line)."""


def patient_number(patient_id: str) -> str:
    return "PD" + patient_id.replace("-", "")[:8].upper()


def encode_line(field: str, content: str) -> bytes:
    """One line, CR and LF in the content replaced (they end a line in GDT)."""
    data = content.replace("\r", " ").replace("\n", " ").encode(ENCODING, errors="replace")
    length = 3 + 4 + len(data) + 2
    if length > 999:
        raise GdtError(f"field {field} too long for one GDT line")
    return f"{length:03d}{field}".encode("ascii") + data + b"\r\n"


def _text_lines(doc: RecordDocument) -> list[str]:
    count = len(doc.entries)
    lines = [f"{doc.title} aus Praxisdesk: {count} Eintrag" + ("" if count == 1 else "e")]
    if doc.entries:
        first, last = local(doc.entries[0].at), local(doc.entries[-1].at)
        lines.append(f"Zeitraum {first:%d.%m.%Y} bis {last:%d.%m.%Y}")
    for entry in doc.entries:
        head = f"{local(entry.at):%d.%m.%Y %H:%M} {entry.kind}, {entry.author}:"
        lines.extend(textwrap.wrap(head, TEXT_WIDTH) or [""])
        for paragraph in entry.text.splitlines():
            lines.extend(textwrap.wrap(paragraph, TEXT_WIDTH, break_long_words=True,
                                       break_on_hyphens=False))
        for name in entry.attachments:
            lines.extend(textwrap.wrap(f"Anhang: {name}", TEXT_WIDTH) or [""])
    return [line for line in lines if line.strip()]


def render_gdt(doc: RecordDocument, pdf_path: str, archive_id: str,
               attachments: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """The whole record as bytes (ISO 8859-15, CR LF), ``8100`` = its byte length.
    ``attachments``: further files of the export (path, archive id, description), each as
    its own 6302-6305 group after the conversation's PDF (the group repeats in 6310)."""
    exported = local(doc.exported_at)
    last, first = split_name(doc.patient.name)
    head: list[bytes] = [
        encode_line("8000", "6310"),
        # 8100 goes here, once the length is known.
        encode_line("8316", SENDER_ID),
        encode_line("9206", CHARSET_FIELD_VALUE),
        encode_line("9218", VERSION),
        encode_line("3000", patient_number(doc.patient.id)),
        encode_line("3101", last),
        encode_line("3102", first),
    ]
    if doc.patient.dob is not None:
        head.append(encode_line("3103", doc.patient.dob.strftime("%d%m%Y")))
    head += [encode_line("6200", exported.strftime("%d%m%Y")),
             encode_line("6201", exported.strftime("%H%M%S"))]
    tail = [encode_line("6302", archive_id),
            encode_line("6303", "PDF"),
            encode_line("6304", f"{doc.title} (Praxisdesk)"),
            encode_line("6305", pdf_path)]
    for path, ident, description in attachments:
        tail += [encode_line("6302", ident), encode_line("6303", "PDF"),
                 encode_line("6304", description), encode_line("6305", path)]
    budget = MAX_RECORD - LENGTH_LINE - _size(head) - _size(tail)
    text = _fit(_text_lines(doc), budget)
    body = [*head, *text, *tail]
    total = LENGTH_LINE + _size(body)
    length = encode_line("8100", f"{total:05d}")
    return b"".join([body[0], length, *body[1:]])


def _size(lines: Iterable[bytes]) -> int:
    return sum(len(line) for line in lines)


def _fit(lines: list[str], budget: int) -> list[bytes]:
    """The 6220 lines that fit the record; a last line says when the rest is only in the
    PDF (8100 has five digits, so a record holds at most 99,999 bytes)."""
    out: list[bytes] = []
    marker = encode_line("6220", TRUNCATED)
    used = 0
    for index, text in enumerate(lines):
        line = encode_line("6220", text)
        rest_needs = len(marker) if index < len(lines) - 1 else 0
        if used + len(line) + rest_needs > budget:
            out.append(marker)
            return out
        out.append(line)
        used += len(line)
    return out


def parse_gdt(data: bytes) -> list[tuple[str, str]]:
    """(field, content) per line, checking each line's length prefix (for tests and for
    reading a record back)."""
    fields: list[tuple[str, str]] = []
    for raw in data.split(b"\r\n")[:-1]:
        line = raw + b"\r\n"
        if int(line[:3]) != len(line):
            raise GdtError("line length prefix does not match")
        fields.append((line[3:7].decode("ascii"), raw[7:].decode(ENCODING)))
    if not data.endswith(b"\r\n"):
        raise GdtError("record does not end with CR LF")
    return fields
