from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend_server.forms.definition import FormDefinition
from backend_server.forms.pdf import render_form_pdf
from backend_server.forms.templates import load_templates
from tests.server.forms.samples import ANAMNESIS

# 20:14 UTC on 28 November is 21:14 in Berlin (CET).
SIGNED_AT = datetime(2026, 11, 28, 20, 14, 30, tzinfo=UTC)
PRACTICE = "Hausarztpraxis Dr. med. Weiß & Kollegen"
ADDRESS = "Karl-Liebknecht-Straße 12 · 04107 Leipzig · Tel. 0341 998877"


@pytest.fixture(scope="session")
def templates() -> dict[str, FormDefinition]:
    return load_templates()


def render(definition: FormDefinition, answers: dict[str, object]) -> bytes:
    return render_form_pdf(definition, answers, practice_name=PRACTICE,
                           practice_address=ADDRESS, patient_name="Jürgen Größmann",
                           patient_dob=date(1961, 8, 12), signed_at=SIGNED_AT)


@pytest.fixture(scope="session")
def anamnesis_pdf(templates: dict[str, FormDefinition]) -> bytes:
    return render(templates["anamnese-allgemeinmedizin"], ANAMNESIS)
