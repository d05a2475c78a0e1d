"""Filled sample answers for the shipped templates and signature strokes for tests."""

from __future__ import annotations

import math
from typing import Any


def signature(width: float = 600, height: float = 200) -> dict[str, Any]:
    """A plausible handwritten signature: a wavy name and an underline, in canvas units."""
    name = [[40 + i * 6.0, 110 + 35 * math.sin(i / 3.0) - i * 0.4, i * 16.0]
            for i in range(70)]
    loop = [[300 + 40 * math.cos(a / 5.0), 95 + 45 * math.sin(a / 5.0), 1200 + a * 12.0]
            for a in range(32)]
    underline = [[60 + i * 20.0, 170 - i * 0.8, 1700 + i * 10.0] for i in range(24)]
    return {"strokes": [name, loop, underline], "width": width, "height": height}


ANAMNESIS: dict[str, Any] = {
    "full_name": "Jürgen Größmann",
    "birth_date": "1961-08-12",
    "address": "Lindenstraße 7\n04109 Leipzig",
    "phone": "0341 1234567",
    "insurance_type": "Gesetzlich versichert",
    "insurer": "AOK Plus",
    "occupation": "Bäckermeister",
    "height_cm": 178,
    "weight_kg": "84,5",
    "reason": ("Seit drei Wochen Husten und Müdigkeit, nachts Schweißausbrüche. "
               "Außerdem möchte ich die Blutdruckwerte überprüfen lassen, die zuhause "
               "morgens oft über 150/95 liegen."),
    "since": "Seit einigen Wochen",
    "severity": 5,
    "conditions": ["Bluthochdruck", "Schilddrüsenerkrankung"],
    "other_conditions": "Blinddarm-OP 1998\nKnie-Arthroskopie links 2015",
    "takes_medication": True,
    "medication_list": "Ramipril 5 mg morgens\nL-Thyroxin 75 µg nüchtern",
    "blood_thinner": False,
    "has_allergies": True,
    "allergy_list": "Penicillin (Hautausschlag), Heuschnupfen im Frühjahr",
    "smoking": "Nicht mehr",
    "alcohol": "Selten (höchstens einmal pro Woche)",
    "confirm_truthful": True,
    "signature": signature(),
}

VIDEO_CONSENT: dict[str, Any] = {"consent": True, "signature": signature(320, 120)}

DATA_CONSENT: dict[str, Any] = {"consent": True, "email_notifications": False,
                                "signature": signature(900, 300)}

SAMPLES: dict[str, dict[str, Any]] = {
    "anamnese-allgemeinmedizin": ANAMNESIS,
    "einwilligung-videosprechstunde": VIDEO_CONSENT,
    "einwilligung-datenverarbeitung": DATA_CONSENT,
}
