"""Renders a :class:`RecordDocument` as a PDF (fpdf2, pure Python) for the patient record.

The bundled DejaVu Sans (resources/fonts, Bitstream Vera licence) covers umlauts, ß, € and
most scripts patients write in; characters it lacks are replaced by "?" rather than dropped.
The document is German: it goes into a German practice's record, whatever the UI language.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.record_export.document import RecordDocument, RecordEntry, local

FONT = "DejaVu"
FOOTER = "Exportiert aus Praxisdesk"
# fpdf2 logs missing glyphs together with the characters themselves: message content must
# never reach a log, so only its errors pass.
logging.getLogger("fpdf").setLevel(logging.ERROR)


def font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(resources.files("resources") / "fonts" / name))


def date_de(moment: Any) -> str:
    return str(moment.strftime("%d.%m.%Y"))


def time_de(moment: Any) -> str:
    return str(moment.strftime("%d.%m.%Y %H:%M"))


class _RecordPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.add_font(FONT, "", str(font_path()))
        self.add_font(FONT, "B", str(font_path(bold=True)))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self._glyphs: set[int] | None = None

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self._footer_text} · Seite {self.page_no()}/{{nb}}",
                  align="C")

    def clean(self, text: str) -> str:
        """Text the font can show: tabs as spaces, other control characters and glyphs the
        font lacks as "?", so nothing is silently lost from a record."""
        if self._glyphs is None:
            font = self.fonts[FONT.lower()]
            self._glyphs = set(font.cmap) if hasattr(font, "cmap") else set()
        out = []
        for char in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "):
            code = ord(char)
            if char == "\n" or (code >= 32 and (not self._glyphs or code in self._glyphs)):
                out.append(char)
            else:
                out.append("?")
        return "".join(out)


def _line(pdf: _RecordPdf, text: str, size: float, bold: bool = False, gap: float = 0.0,
          colour: tuple[int, int, int] = (20, 20, 20)) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, pdf.clean(text), align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    if gap:
        pdf.ln(gap)


def _entry(pdf: _RecordPdf, entry: RecordEntry) -> None:
    heading = f"{time_de(local(entry.at))} · {entry.kind} · {entry.author}"
    _line(pdf, heading, 9, bold=True, gap=0.8, colour=(60, 60, 60))
    if entry.text.strip():
        _line(pdf, entry.text, 10.5)
    for name in entry.attachments:
        _line(pdf, f"Anhang: {name}", 9, colour=(60, 60, 60))
    pdf.ln(3.5)


def render_pdf(doc: RecordDocument) -> bytes:
    exported = local(doc.exported_at)
    pdf = _RecordPdf(f"{FOOTER} am {time_de(exported)}")
    pdf.set_title(pdf.clean(f"{doc.title} – {doc.patient.name}"))
    pdf.set_creator("Praxisdesk")
    pdf.set_creation_date(doc.exported_at)
    pdf.add_page()
    if doc.practice_name:
        _line(pdf, doc.practice_name, 15, bold=True, gap=1)
    _line(pdf, doc.title, 12, bold=True, gap=3, colour=(47, 111, 191))
    dob = date_de(doc.patient.dob) if doc.patient.dob is not None else "unbekannt"
    _line(pdf, f"Patient/in: {doc.patient.name}", 11, bold=True)
    _line(pdf, f"Geburtsdatum: {dob}", 10.5, gap=1)
    _line(pdf, f"Exportiert am {time_de(exported)} von {doc.exported_by}", 9,
          colour=(90, 90, 90))
    _line(pdf, f"Vorgang: {doc.source_id}", 9, colour=(90, 90, 90), gap=2)
    y = pdf.get_y()
    pdf.set_draw_color(200, 200, 200)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(4)
    if not doc.entries:
        _line(pdf, "Keine Einträge.", 10.5)
    for entry in doc.entries:
        _entry(pdf, entry)
    return bytes(pdf.output())
