"""Checking a patient's answers against a form definition, on the server.

The patient page validates too, but the server never trusts it: every answer is checked for
its type and limits here, required fields are enforced only while they are visible (their
``show_if`` condition holds), and answers to hidden or unknown fields are dropped, so a
stale draft or a hostile page cannot slip text into the sealed document.

Answer shapes (JSON): text/long_text str, number int/float (or a numeric string, "," as
decimal separator allowed), date "YYYY-MM-DD", yes_no bool, single_choice one choice (str),
multiple_choice a list of choices, signature ``{"strokes": [[[x, y, t?], ...], ...],
"width": w, "height": h}`` in canvas units, t in milliseconds (optional).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeGuard

from backend_server.forms.definition import CHOICE_TYPES, FormDefinition, FormField

# A hostile page must not make the server walk or store huge paths.
MAX_STROKES = 100
MAX_POINTS = 5000
MAX_CANVAS = 10_000.0
# A signature's drawn path must be at least this long (canvas units; also relative to the
# canvas so a high-resolution canvas cannot pass a dot), and its points must spread over more
# than a few units: a tap, a dot or a tiny scribble is not a signature.
MIN_PATH_LENGTH = 40.0
MIN_PATH_RATIO = 0.08
MIN_EXTENT = 10.0
MIN_EXTENT_RATIO = 0.03

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")

Clean = Any  # a JSON value


@dataclass(frozen=True)
class FieldError:
    field_id: str
    code: str
    message_de: str


class InvalidAnswers(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(f"{e.field_id}: {e.code}" for e in errors))
        self.errors = errors


def validate_answers(definition: FormDefinition, answers: Mapping[str, Any]) -> list[FieldError]:
    """Every problem with ``answers``, in form order; empty when they can be submitted."""
    return _check(definition, answers)[1]


def clean_answers(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Clean]:
    """The answers of the visible fields, normalised (numbers as numbers, text with unified
    line breaks, clamped signature points); unanswered optional fields are left out.
    Raises :class:`InvalidAnswers` if :func:`validate_answers` finds anything."""
    cleaned, errors, _ = _check(definition, answers)
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def visible_field_ids(definition: FormDefinition, answers: Mapping[str, Any]) -> list[str]:
    """Ids of the fields shown for these answers, in form order."""
    shown = _check(definition, answers)[2]
    return [f.id for f in definition.fields() if f.id in shown]


def _visible(field: FormField, cleaned: Mapping[str, Clean], shown: set[str]) -> bool:
    cond = field.show_if
    if cond is None:
        return True
    # A condition on a hidden or invalid answer is false: nothing cascades from it.
    if cond.field not in shown or cond.field not in cleaned:
        return False
    value = cleaned[cond.field]
    if isinstance(value, list):
        return cond.equals in value
    if isinstance(value, bool) or isinstance(cond.equals, bool):
        return value is cond.equals
    return bool(value == cond.equals)


def _check(definition: FormDefinition,
           answers: Mapping[str, Any]
           ) -> tuple[dict[str, Clean], list[FieldError], set[str]]:
    cleaned: dict[str, Clean] = {}
    errors: list[FieldError] = []
    shown: set[str] = set()
    for field in definition.fields():
        if not _visible(field, cleaned, shown):
            continue
        shown.add(field.id)
        value, error = _clean_value(field, answers.get(field.id))
        if error is not None:
            errors.append(FieldError(field.id, error[0], error[1]))
        elif value is None:
            if field.is_required:
                errors.append(FieldError(field.id, "required", _required_message(field)))
        elif field.must_accept and value is not True:
            errors.append(FieldError(field.id, "must_accept",
                                     "Bitte bestätigen Sie diese Erklärung mit „Ja“, "
                                     "um das Formular abzusenden."))
        else:
            cleaned[field.id] = value
    return cleaned, errors, shown


def _required_message(field: FormField) -> str:
    if field.type == "signature":
        return "Bitte unterschreiben Sie im Unterschriftsfeld."
    if field.type in CHOICE_TYPES or field.type == "yes_no":
        return "Bitte wählen Sie eine Antwort aus."
    return "Bitte füllen Sie dieses Feld aus."


Problem = tuple[str, str]


def _clean_value(field: FormField, raw: Any) -> tuple[Clean | None, Problem | None]:
    """``(value, None)``, ``(None, None)`` for "not answered" or ``(None, problem)``."""
    if raw is None:
        return None, None
    kind = field.type
    if kind in ("text", "long_text"):
        return _clean_text(field, raw)
    if kind == "number":
        return _clean_number(field, raw)
    if kind == "date":
        return _clean_date(raw)
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw, None
        return None, ("type", "Bitte wählen Sie „Ja“ oder „Nein“.")
    if kind == "single_choice":
        if raw == "":
            return None, None
        if isinstance(raw, str) and raw in (field.choices or ()):
            return raw, None
        return None, ("invalid_choice", "Bitte wählen Sie eine der angebotenen Antworten.")
    if kind == "multiple_choice":
        return _clean_choices(field, raw)
    return _clean_signature(raw)


def _clean_text(field: FormField, raw: Any) -> tuple[Clean | None, Problem | None]:
    if not isinstance(raw, str):
        return None, ("type", "Bitte geben Sie einen Text ein.")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None, None
    control = _CONTROL if field.type == "long_text" else _CONTROL_SINGLE_LINE
    if control.search(text):
        if field.type == "text" and "\n" in text:
            text = " ".join(text.split())
        if control.search(text):
            return None, ("invalid_text", "Der Text enthält unzulässige Steuerzeichen.")
    if len(text) > field.text_limit:
        return None, ("too_long", f"Bitte kürzen Sie den Text auf höchstens "
                                  f"{field.text_limit} Zeichen.")
    return text, None


def _clean_number(field: FormField, raw: Any) -> tuple[Clean | None, Problem | None]:
    value: float
    if isinstance(raw, bool):
        return None, ("type", "Bitte geben Sie eine Zahl ein.")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None, None
        if len(text) > 40 or not _NUMBER.match(text):
            return None, ("type", "Bitte geben Sie eine Zahl ein.")
        value = float(text.replace(",", "."))
    else:
        return None, ("type", "Bitte geben Sie eine Zahl ein.")
    if not math.isfinite(value):
        return None, ("type", "Bitte geben Sie eine Zahl ein.")
    if field.min is not None and value < field.min:
        return None, ("too_small", f"Bitte geben Sie mindestens {_num_de(field.min)} ein.")
    if field.max is not None and value > field.max:
        return None, ("too_large", f"Bitte geben Sie höchstens {_num_de(field.max)} ein.")
    return (int(value) if value.is_integer() and abs(value) < 2**53 else value), None


def _num_de(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _clean_date(raw: Any) -> tuple[Clean | None, Problem | None]:
    if raw == "":
        return None, None
    problem = ("invalid_date", "Bitte geben Sie ein gültiges Datum ein.")
    if not isinstance(raw, str) or len(raw) != 10:
        return None, problem
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        return None, problem
    if parsed.year < 1900:
        return None, problem
    return parsed.isoformat(), None


def _clean_choices(field: FormField, raw: Any) -> tuple[Clean | None, Problem | None]:
    problem = ("invalid_choice", "Bitte wählen Sie nur angebotene Antworten.")
    choices = field.choices or ()
    if not isinstance(raw, list) or len(raw) > len(choices):
        return None, problem
    if not raw:
        return None, None
    if any(not isinstance(c, str) or c not in choices for c in raw) or \
            len(set(raw)) != len(raw):
        return None, problem
    # Stored in the definition's order, whatever order they were ticked in.
    return [c for c in choices if c in raw], None


def _finite(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def _clean_signature(raw: Any) -> tuple[Clean | None, Problem | None]:
    invalid = ("signature_invalid", "Die Unterschrift konnte nicht gelesen werden. "
                                    "Bitte unterschreiben Sie erneut.")
    if not isinstance(raw, dict):
        return None, invalid
    strokes = raw.get("strokes")
    raw_width, raw_height = raw.get("width"), raw.get("height")
    if not isinstance(strokes, list) or not _finite(raw_width) or not _finite(raw_height):
        return None, invalid
    width, height = float(raw_width), float(raw_height)
    if not (0 < width <= MAX_CANVAS and 0 < height <= MAX_CANVAS):
        return None, invalid
    # Sizes first, with len() only: cheap whatever the payload.
    if len(strokes) > MAX_STROKES or \
            any(not isinstance(s, list) for s in strokes) or \
            sum(len(s) for s in strokes) > MAX_POINTS:
        return None, ("signature_too_large", "Die Unterschrift ist zu umfangreich. "
                                             "Bitte löschen Sie sie und unterschreiben Sie "
                                             "erneut.")
    clean_strokes: list[list[list[float]]] = []
    path = 0.0
    xs: list[float] = []
    ys: list[float] = []
    for stroke in strokes:
        points: list[list[float]] = []
        for point in stroke:
            if not isinstance(point, list) or len(point) not in (2, 3) or \
                    not all(_finite(v) for v in point):
                return None, invalid
            x = min(max(float(point[0]), 0.0), width)
            y = min(max(float(point[1]), 0.0), height)
            clean = [round(x, 2), round(y, 2)]
            if len(point) == 3:
                clean.append(round(float(point[2]), 1))
            if points:
                path += math.hypot(x - points[-1][0], y - points[-1][1])
            points.append(clean)
            xs.append(x)
            ys.append(y)
        if points:
            clean_strokes.append(points)
    if not clean_strokes:
        return None, None  # nothing drawn: "required" decides
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    canvas = max(width, height)
    if path < max(MIN_PATH_LENGTH, MIN_PATH_RATIO * canvas) or \
            extent < max(MIN_EXTENT, MIN_EXTENT_RATIO * canvas):
        return None, ("signature_too_small", "Die Unterschrift ist zu kurz. Bitte "
                                             "unterschreiben Sie mit Ihrem Namen.")
    return {"strokes": clean_strokes, "width": raw_width, "height": raw_height}, None
