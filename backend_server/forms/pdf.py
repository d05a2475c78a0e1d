"""The PDF of a filled form (fpdf2, pure Python): what the patient answered and signed.

Printed: the practice header, the form's title and version, the patient, every *visible*
question with its answer (hidden ones and unknown keys never reach the paper, because the
answers go through :func:`clean_answers` first), section texts (a consent form's wording is
part of what was signed), each signature as vector strokes in a box and the time of signing
in Europe/Berlin. The document is German whatever the UI language: it goes into a German
practice's record. The font is the DejaVu Sans bundled in the shared ``resources`` package
(umlauts, ß, most scripts patients write in); characters it lacks print as "?" rather than
vanish.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import StrokeCapStyle, StrokeJoinStyle, XPos, YPos

from backend_server.forms.answers import clean_answers, visible_field_ids
from backend_server.forms.definition import FormDefinition, FormField, Section

BERLIN = ZoneInfo("Europe/Berlin")
FONT = "DejaVu"
INK = (20, 20, 20)
MUTED = (95, 95, 95)
ACCENT = (47, 111, 191)
SIGNATURE_INK = (10, 35, 110)
SIGNATURE_BOX_MM = (90.0, 34.0)
# fpdf2 logs missing glyphs together with the characters: patient text must never reach a
# log, so only its errors pass.
logging.getLogger("fpdf").setLevel(logging.ERROR)


def font_path(bold: bool = False) -> Path:
    """The bundled DejaVu Sans (shared ``resources`` package, also used by the client)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(resources.files("resources") / "fonts" / name))


def berlin_time(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("signed_at needs a time zone (UTC)")
    return moment.astimezone(BERLIN)


def signed_line(signed_at: datetime) -> str:
    local = berlin_time(signed_at)
    return f"Unterschrieben am {local:%d.%m.%Y} um {local:%H:%M} Uhr"


class _FormPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.add_font(FONT, "", str(font_path()))
        self.add_font(FONT, "B", str(font_path(bold=True)))
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 16, 20)
        self._glyphs: set[int] | None = None

    def footer(self) -> None:
        self.set_y(-15)
        self.set_draw_color(210, 210, 210)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.clean(self._footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Seite {self.page_no()}/{{nb}}", align="R")

    def clean(self, text: str) -> str:
        """Text the font can show: tabs as spaces, other control characters and missing
        glyphs as "?", so nothing a patient wrote is silently lost."""
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

    def text_block(self, text: str, size: float, *, bold: bool = False,
                   colour: tuple[int, int, int] = INK, gap: float = 0.0,
                   indent: float = 0.0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * 0.46, self.clean(text), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            self.ln(gap)

    def lines(self, text: str, width: float, size: float, *, bold: bool = False) -> int:
        """How many lines ``text`` takes in a column of ``width`` mm."""
        self.set_font(FONT, "B" if bold else "", size)
        result = self.multi_cell(width, size * 0.46, self.clean(text), dry_run=True,
                                 output="LINES")
        assert isinstance(result, list)
        return max(1, len(result))

    def room_left(self) -> float:
        return float(self.page_break_trigger - self.get_y())

    def keep_space(self, height: float) -> None:
        if self.room_left() < height:
            self.add_page()


def _number_de(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value)}"
    return f"{value}".replace(".", ",")


def answer_text(field: FormField, value: Any, *, bullets: bool = True) -> str:
    """The answer as the practice reads it (German). The PDF prints it; the ``form``
    inquiry's rows carry the same text, with the choices on one line (``bullets=False``)."""
    if value is None:
        return "keine Angabe"
    if field.type == "signature":
        return "unterschrieben"
    if field.type == "yes_no":
        return "Ja" if value else "Nein"
    if field.type == "number":
        return _number_de(value)
    if field.type == "date":
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    if field.type == "multiple_choice":
        return "\n".join(f"• {choice}" for choice in value) if bullets else ", ".join(value)
    return str(value)


def _signature(pdf: _FormPdf, value: Mapping[str, Any] | None, signed_at: datetime) -> None:
    box_w, box_h = SIGNATURE_BOX_MM
    x0, y0 = pdf.l_margin, pdf.get_y() + 1
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.rect(x0, y0, box_w, box_h)
    if value is not None:
        pad = 2.5
        width, height = float(value["width"]), float(value["height"])
        scale = min((box_w - 2 * pad) / width, (box_h - 2 * pad) / height)
        # Centred in the box, aspect ratio kept.
        ox = x0 + (box_w - width * scale) / 2
        oy = y0 + (box_h - height * scale) / 2
        pdf.set_draw_color(*SIGNATURE_INK)
        pdf.set_fill_color(*SIGNATURE_INK)
        with pdf.local_context(stroke_cap_style=StrokeCapStyle.ROUND,
                               stroke_join_style=StrokeJoinStyle.ROUND, line_width=0.45):
            for stroke in value["strokes"]:
                points = [(ox + p[0] * scale, oy + p[1] * scale) for p in stroke]
                if len(points) == 1:
                    px, py = points[0]
                    pdf.circle(px, py, 0.25, style="F")
                else:
                    pdf.polyline(points, style="D")
    else:
        pdf.set_xy(x0, y0 + box_h / 2 - 2)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(box_w, 4, "nicht unterschrieben", align="C")
    pdf.set_xy(pdf.l_margin, y0 + box_h + 1.2)
    pdf.text_block(signed_line(signed_at), 8.5, colour=MUTED, gap=3)


def _section(pdf: _FormPdf, section: Section, answers: Mapping[str, Any],
             shown: set[str], signed_at: datetime) -> None:
    visible = [f for f in section.fields if f.id in shown]
    if not visible and not section.text:
        return
    pdf.keep_space(24)
    pdf.ln(1)
    pdf.set_fill_color(234, 240, 248)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 7, pdf.clean(section.title), fill=True, new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    pdf.ln(2)
    if section.text:
        for paragraph in section.text.split("\n"):
            bullet = paragraph.startswith("• ")
            if bullet:
                # Hanging indent: the bullet outside, the wrapped lines aligned.
                y = pdf.get_y()
                pdf.set_font(FONT, "", 9)
                pdf.set_text_color(*INK)
                pdf.set_xy(pdf.l_margin + 1, y)
                pdf.cell(3, 9 * 0.46, "•")
                pdf.set_xy(pdf.l_margin, y)
                pdf.text_block(paragraph[2:], 9, indent=4.5, gap=0.8)
            else:
                pdf.text_block(paragraph, 9, gap=1.2)
        pdf.ln(1.5)
    for field in visible:
        value = answers.get(field.id)
        if field.type == "signature":
            label_h = pdf.lines(field.label, pdf.epw, LABEL_SIZE, bold=True) * LABEL_SIZE * 0.46
            pdf.keep_space(label_h + SIGNATURE_BOX_MM[1] + 12)
            pdf.text_block(field.label, LABEL_SIZE, bold=True, colour=MUTED, gap=0.6)
            if field.help:
                pdf.text_block(field.help, 7.5, colour=MUTED, gap=0.4)
            _signature(pdf, value, signed_at)
            continue
        # A number's help carries its scale or unit ("0 = keine, 10 = stärkste"), without
        # which the answer cannot be read; other help texts only guided the filling in.
        note = field.help if field.type == "number" else ""
        _row(pdf, field.label, note, answer_text(field, value), answered=value is not None)
    pdf.ln(1.5)


LABEL_SIZE = 8.5
NOTE_SIZE = 7.5
ANSWER_SIZE = 10.0
LABEL_COLUMN_MM = 70.0
COLUMN_GAP_MM = 4.0


def _row(pdf: _FormPdf, label: str, note: str, answer: str, *, answered: bool) -> None:
    """Question (and ``note`` below it) on the left, answer on the right; rows are kept whole
    on a page. An answer too long for one page falls back to label above, answer below
    (page breaks inside)."""
    answer_w = pdf.epw - LABEL_COLUMN_MM - COLUMN_GAP_MM
    label_only_h = pdf.lines(label, LABEL_COLUMN_MM, LABEL_SIZE, bold=True) * LABEL_SIZE * 0.46
    note_h = pdf.lines(note, LABEL_COLUMN_MM, NOTE_SIZE) * NOTE_SIZE * 0.46 if note else 0.0
    label_h = label_only_h + note_h
    answer_h = pdf.lines(answer, answer_w, ANSWER_SIZE) * ANSWER_SIZE * 0.46
    height = max(label_h + 0.6, answer_h)
    colour = INK if answered else (150, 150, 150)
    if height > pdf.page_break_trigger - pdf.t_margin - 10:
        pdf.keep_space(label_h + 12)
        pdf.text_block(label, LABEL_SIZE, bold=True, colour=MUTED, gap=0.6)
        if note:
            pdf.text_block(note, NOTE_SIZE, colour=MUTED, gap=0.6)
        pdf.text_block(answer, ANSWER_SIZE, colour=colour, indent=3, gap=1.2)
        _separator(pdf, pdf.get_y())
        pdf.ln(2.4)
        return
    pdf.keep_space(height + 2.4)
    y = pdf.get_y()
    pdf.set_auto_page_break(auto=False)
    try:
        pdf.set_xy(pdf.l_margin, y + 0.3)  # label baseline level with the answer's
        pdf.set_font(FONT, "B", LABEL_SIZE)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(LABEL_COLUMN_MM, LABEL_SIZE * 0.46, pdf.clean(label), align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if note:
            pdf.set_font(FONT, "", NOTE_SIZE)
            pdf.multi_cell(LABEL_COLUMN_MM, NOTE_SIZE * 0.46, pdf.clean(note), align="L")
        pdf.set_xy(pdf.l_margin + LABEL_COLUMN_MM + COLUMN_GAP_MM, y)
        pdf.set_font(FONT, "", ANSWER_SIZE)
        pdf.set_text_color(*colour)
        pdf.multi_cell(answer_w, ANSWER_SIZE * 0.46, pdf.clean(answer), align="L")
    finally:
        pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_xy(pdf.l_margin, y + height)
    _separator(pdf, y + height + 1.2)
    pdf.ln(2.4)


def _separator(pdf: _FormPdf, y: float) -> None:
    pdf.set_draw_color(232, 232, 232)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)


def render_form_pdf(definition: FormDefinition, answers: Mapping[str, Any], *,
                    practice_name: str, practice_address: str = "", patient_name: str,
                    patient_dob: date | None, signed_at: datetime) -> bytes:
    """The filled form as PDF bytes. ``answers`` are checked first (raises
    :class:`~backend_server.forms.answers.InvalidAnswers`), so only what a patient could
    validly submit is printed; ``signed_at`` must be timezone-aware."""
    cleaned = clean_answers(definition, answers)
    shown = set(visible_field_ids(definition, answers))
    local = berlin_time(signed_at)
    pdf = _FormPdf(f"Formular {definition.id}, Version {definition.version}")
    pdf.set_title(pdf.clean(f"{definition.title} – {patient_name}"))
    pdf.set_creator("Praxisdesk")
    pdf.set_creation_date(signed_at)
    pdf.add_page()
    pdf.text_block(practice_name, 14, bold=True, gap=0.5)
    if practice_address.strip():
        pdf.text_block(practice_address.strip(), 9, colour=MUTED)
    pdf.ln(2)
    y = pdf.get_y()
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(4)
    pdf.text_block(definition.title, 16, bold=True, colour=ACCENT, gap=0.5)
    pdf.text_block(f"Version {definition.version} · ausgefüllt am {local:%d.%m.%Y} um "
                   f"{local:%H:%M} Uhr", 8.5, colour=MUTED, gap=3)
    dob = f"{patient_dob:%d.%m.%Y}" if patient_dob is not None else "unbekannt"
    pdf.text_block(f"Patient/in: {patient_name}", 11, bold=True)
    pdf.text_block(f"Geburtsdatum: {dob}", 10, gap=3)
    if definition.description:
        pdf.text_block(definition.description, 9, colour=MUTED, gap=2)
    for section in definition.sections:
        _section(pdf, section, cleaned, shown, signed_at)
    if not any(f.type == "signature" for f in definition.fields()):
        pdf.ln(2)
        pdf.text_block(f"Abgeschickt am {local:%d.%m.%Y} um {local:%H:%M} Uhr", 8.5,
                       colour=MUTED)
    return bytes(pdf.output())
