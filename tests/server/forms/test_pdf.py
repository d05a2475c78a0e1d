"""The filled form's PDF: the answers (with umlauts) as text, hidden answers absent, the
signature drawn as vector strokes inside its box, the time of signing in Berlin time."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from backend_server.forms.answers import InvalidAnswers
from backend_server.forms.definition import FormDefinition
from backend_server.forms.pdf import SIGNATURE_INK, render_form_pdf
from tests.server.forms.conftest import PRACTICE, render
from tests.server.forms.samples import ANAMNESIS, VIDEO_CONSENT


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_holds_every_visible_answer(anamnesis_pdf: bytes) -> None:
    assert anamnesis_pdf.startswith(b"%PDF-")
    text = flat(text_of(anamnesis_pdf))
    for expected in (PRACTICE, "Anamnesebogen Allgemeinmedizin", "Version 1",
                     "Patient/in: Jürgen Größmann", "Geburtsdatum: 12.08.1961",
                     "Lindenstraße 7", "Bäckermeister", "84,5", "Gesetzlich versichert",
                     "Schweißausbrüche", "Nehmen Sie regelmäßig Medikamente ein? Ja",
                     "Ramipril 5 mg morgens", "L-Thyroxin 75 µg nüchtern",
                     "• Bluthochdruck", "• Schilddrüsenerkrankung",
                     "Penicillin (Hautausschlag)", "Nicht mehr",
                     "Ich bestätige die Richtigkeit meiner Angaben. Ja",
                     "Unterschrieben am 28.11.2026 um 21:14 Uhr",
                     "Formular anamnese-allgemeinmedizin, Version 1"):
        assert expected in text, expected
    # Unanswered optional questions are printed as such, hidden ones not at all.
    assert "E-Mail-Adresse keine Angabe" in text
    assert "Wie viele Zigaretten" not in text
    assert "Schwangerschaftswoche" not in text
    assert re.search(r"Seite 1/2", text)


def test_hidden_answers_and_unknown_keys_never_reach_the_paper(
        templates: dict[str, FormDefinition]) -> None:
    sent = ANAMNESIS | {"takes_medication": False, "medication_list": "GEHEIM-Tabletten",
                        "unknown": "EINGESCHLEUST"}
    text = flat(text_of(render(templates["anamnese-allgemeinmedizin"], sent)))
    assert "Nehmen Sie regelmäßig Medikamente ein? Nein" in text
    assert "GEHEIM" not in text
    assert "EINGESCHLEUST" not in text
    assert "Welche Medikamente?" not in text


def test_invalid_answers_are_not_rendered(templates: dict[str, FormDefinition]) -> None:
    with pytest.raises(InvalidAnswers):
        render(templates["anamnese-allgemeinmedizin"], ANAMNESIS | {"signature": None})
    with pytest.raises(ValueError, match="time zone"):
        render_form_pdf(templates["einwilligung-videosprechstunde"], VIDEO_CONSENT,
                        practice_name=PRACTICE, patient_name="A", patient_dob=None,
                        signed_at=datetime(2026, 11, 28, 20, 14))


def test_summer_time_and_missing_glyphs(templates: dict[str, FormDefinition]) -> None:
    pdf = render_form_pdf(templates["einwilligung-videosprechstunde"], VIDEO_CONSENT,
                          practice_name="Praxis 診療所", patient_name="Ana Müller",
                          patient_dob=date(2001, 2, 3),
                          signed_at=datetime(2026, 7, 1, 6, 5, tzinfo=UTC))
    text = flat(text_of(pdf))
    assert "Unterschrieben am 01.07.2026 um 08:05 Uhr" in text  # CEST
    assert "Praxis ???" in text  # not silently dropped
    assert "Ende-zu-Ende verschlüsselt" in text  # the consent wording itself is printed


def _ink_pixels(png: Path) -> list[tuple[int, int]]:
    image = Image.open(png).convert("RGB")
    r0, g0, b0 = SIGNATURE_INK
    out = []
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    for y in range(height):
        for x in range(width):
            r, g, b = pixels[x, y]
            if abs(r - r0) < 40 and abs(g - g0) < 40 and abs(b - b0) < 40:
                out.append((x, y))
    return out


def test_the_signature_is_drawn_as_strokes_in_its_box(
        templates: dict[str, FormDefinition], tmp_path: Path) -> None:
    pdf = render(templates["einwilligung-videosprechstunde"], VIDEO_CONSENT)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    content = page.get_contents()
    assert content is not None
    ops = content.get_data().decode("latin-1")
    # Three strokes: paths of many "l" (line-to) operators in the page's content stream.
    assert len(re.findall(r"\bl\n", ops)) > 100
    (tmp_path / "form.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1",
                    str(tmp_path / "form.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    [png] = list(tmp_path.glob("page*.png"))
    ink = _ink_pixels(png)
    assert len(ink) > 150
    # 72 dpi: 1 mm = 2.835 px. The box starts at the left margin (20 mm) and is 90 mm wide.
    xs = [x for x, _ in ink]
    assert min(xs) > 20 * 2.835
    assert max(xs) < (20 + 90) * 2.835
    ys = [y for _, y in ink]
    assert max(ys) - min(ys) > 15  # spread over the box, not a dot


def test_a_very_long_answer_flows_over_pages_without_losing_text(
        templates: dict[str, FormDefinition]) -> None:
    words = " ".join(f"Wort{i}" for i in range(700))  # ~5000 characters, the cap
    long_reason = (words[:4990] + " ENDE").strip()
    pdf = render(templates["anamnese-allgemeinmedizin"], ANAMNESIS | {"reason": long_reason})
    text = flat(text_of(pdf))
    assert "Wort0 Wort1" in text
    assert "ENDE" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3
