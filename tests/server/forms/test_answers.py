"""Server-side answer checks: types and limits, required only while visible, hidden answers
dropped, signatures that are empty, a dot or a tiny scribble refused, sizes capped."""

from __future__ import annotations

import time
from typing import Any

import pytest

from backend_server.forms.answers import (
    MAX_POINTS,
    MAX_STROKES,
    InvalidAnswers,
    clean_answers,
    validate_answers,
    visible_field_ids,
)
from backend_server.forms.definition import FormDefinition
from tests.server.forms.samples import signature

FORM = FormDefinition.model_validate({
    "id": "probe", "version": 1, "title": "Probe",
    "sections": [
        {"id": "s1", "title": "Eins", "fields": [
            {"id": "name", "type": "text", "label": "Name", "required": True,
             "max_length": 20},
            {"id": "story", "type": "long_text", "label": "Geschichte"},
            {"id": "age", "type": "number", "label": "Alter", "min": 0, "max": 130},
            {"id": "born", "type": "date", "label": "Geboren"},
            {"id": "meds", "type": "yes_no", "label": "Medikamente?", "required": True},
            {"id": "which", "type": "long_text", "label": "Welche?", "required": True,
             "show_if": {"field": "meds", "equals": True}},
            {"id": "dose", "type": "text", "label": "Dosis", "required": True,
             "show_if": {"field": "which", "equals": "Ramipril"}},
            {"id": "smoke", "type": "single_choice", "label": "Rauchen",
             "choices": ["Nein", "Ja"]},
            {"id": "per_day", "type": "number", "label": "Pro Tag", "required": True,
             "show_if": {"field": "smoke", "equals": "Ja"}},
            {"id": "ill", "type": "multiple_choice", "label": "Erkrankungen",
             "choices": ["Asthma", "Diabetes", "Gicht"]},
            {"id": "diab_since", "type": "date", "label": "Diabetes seit", "required": True,
             "show_if": {"field": "ill", "equals": "Diabetes"}},
        ]},
        {"id": "s2", "title": "Zwei", "fields": [
            {"id": "ok", "type": "yes_no", "label": "Einverstanden", "must_accept": True},
            {"id": "sig", "type": "signature", "label": "Unterschrift", "required": True},
        ]},
    ],
})

BASE: dict[str, Any] = {"name": "Anna", "meds": False, "ok": True, "sig": signature()}


def codes(answers: dict[str, Any]) -> dict[str, str]:
    return {e.field_id: e.code for e in validate_answers(FORM, answers)}


def test_a_complete_answer_set_passes_and_is_normalised() -> None:
    cleaned = clean_answers(FORM, BASE | {
        "story": "Zeile 1\r\nZeile 2  ", "age": "42,5", "born": "1983-04-01",
        "smoke": "Nein", "ill": ["Gicht", "Asthma"]})
    assert cleaned["story"] == "Zeile 1\nZeile 2"
    assert cleaned["age"] == 42.5
    assert cleaned["ill"] == ["Asthma", "Gicht"]  # definition order
    assert clean_answers(FORM, BASE | {"age": 42.0})["age"] == 42
    assert set(cleaned) == {"name", "story", "age", "born", "meds", "smoke", "ill", "ok", "sig"}


def test_required_counts_only_while_the_field_is_visible() -> None:
    assert codes(BASE) == {}
    assert codes(BASE | {"meds": True}) == {"which": "required"}
    assert codes(BASE | {"meds": True, "which": "Ramipril"}) == {"dose": "required"}
    assert codes(BASE | {"smoke": "Ja"}) == {"per_day": "required"}
    assert codes(BASE | {"ill": ["Asthma", "Diabetes"]}) == {"diab_since": "required"}
    missing = {k: v for k, v in BASE.items() if k not in ("name", "meds")}
    assert codes(missing | {"name": "   "}) == {"name": "required", "meds": "required"}
    errors = validate_answers(FORM, missing)
    assert {e.message_de for e in errors} == {"Bitte füllen Sie dieses Feld aus.",
                                              "Bitte wählen Sie eine Antwort aus."}


def test_answers_to_hidden_and_unknown_fields_are_dropped() -> None:
    sent = BASE | {"which": "Ramipril", "dose": "5 mg", "per_day": 99999,
                   "diab_since": "kaputt", "injected": "<script>"}
    assert codes(sent) == {}  # hidden answers are not even checked
    cleaned = clean_answers(FORM, sent)
    assert not {"which", "dose", "per_day", "diab_since", "injected"} & set(cleaned)
    # A chain: "dose" depends on "which", which is hidden again once meds is "Nein".
    assert "dose" not in visible_field_ids(FORM, sent)
    shown = visible_field_ids(FORM, sent | {"meds": True})
    assert {"which", "dose"} <= set(shown)


def test_types_and_limits() -> None:
    assert codes(BASE | {"name": 5}) == {"name": "type"}
    assert codes(BASE | {"name": "x" * 21}) == {"name": "too_long"}
    assert codes(BASE | {"name": "Anna\x00"}) == {"name": "invalid_text"}
    assert codes(BASE | {"story": "x" * 5001}) == {"story": "too_long"}
    assert codes(BASE | {"age": 131}) == {"age": "too_large"}
    assert codes(BASE | {"age": -1}) == {"age": "too_small"}
    assert codes(BASE | {"age": True}) == {"age": "type"}
    assert codes(BASE | {"age": "1e400"}) == {"age": "type"}
    assert codes(BASE | {"age": float("nan")}) == {"age": "type"}
    assert codes(BASE | {"born": "2020-02-30"}) == {"born": "invalid_date"}
    assert codes(BASE | {"born": "01.02.2020"}) == {"born": "invalid_date"}
    assert codes(BASE | {"meds": "ja"}) == {"meds": "type"}
    assert codes(BASE | {"smoke": "Vielleicht"}) == {"smoke": "invalid_choice"}
    assert codes(BASE | {"ill": ["Asthma", "Asthma"]}) == {"ill": "invalid_choice"}
    assert codes(BASE | {"ill": "Asthma"}) == {"ill": "invalid_choice"}
    msg = validate_answers(FORM, BASE | {"age": 200})[0].message_de
    assert msg == "Bitte geben Sie höchstens 130 ein."


def test_a_consent_must_be_accepted() -> None:
    assert codes(BASE | {"ok": False}) == {"ok": "must_accept"}
    assert codes({k: v for k, v in BASE.items() if k != "ok"}) == {"ok": "required"}


def test_empty_dot_and_tiny_signatures_are_refused() -> None:
    box = {"width": 600, "height": 200}
    assert codes(BASE | {"sig": None}) == {"sig": "required"}
    assert codes(BASE | {"sig": {"strokes": [], **box}}) == {"sig": "required"}
    assert codes(BASE | {"sig": {"strokes": [[]], **box}}) == {"sig": "required"}
    dot = {"strokes": [[[300, 100, 0]]], **box}
    assert codes(BASE | {"sig": dot}) == {"sig": "signature_too_small"}
    # Many points, all within a few pixels: a scribble in one spot.
    jitter = [[300 + (i % 3), 100 + (i % 4), i] for i in range(400)]
    assert codes(BASE | {"sig": {"strokes": [jitter], **box}}) == \
        {"sig": "signature_too_small"}
    short = {"strokes": [[[300, 100], [315, 100]]], **box}
    assert codes(BASE | {"sig": short}) == {"sig": "signature_too_small"}
    [error] = validate_answers(FORM, BASE | {"sig": dot})
    assert "zu kurz" in error.message_de


def test_malformed_signatures_are_refused() -> None:
    good = signature()
    for bad in ("strich", [good["strokes"]], {"strokes": good["strokes"]},
                good | {"width": 0}, good | {"width": "600"}, good | {"height": 1e9},
                good | {"strokes": [[[1, "2"]]]}, good | {"strokes": [[[1, 2, 3, 4]]]},
                good | {"strokes": [[[float("inf"), 2]]]}):
        assert codes(BASE | {"sig": bad}) == {"sig": "signature_invalid"}, bad


def test_points_outside_the_canvas_are_clamped() -> None:
    sig = signature()
    sig["strokes"].append([[-50, 100], [700, 250]])
    cleaned = clean_answers(FORM, BASE | {"sig": sig})["sig"]
    assert cleaned["strokes"][-1] == [[0.0, 100.0], [600.0, 200.0]]


def test_hostile_sizes_are_refused_quickly() -> None:
    box = {"width": 600, "height": 200}
    many_strokes = {"strokes": [[[10, 10], [100, 100]]] * (MAX_STROKES + 1), **box}
    assert codes(BASE | {"sig": many_strokes}) == {"sig": "signature_too_large"}
    line = [[i % 600, (i * 7) % 200] for i in range(MAX_POINTS + 1)]
    assert codes(BASE | {"sig": {"strokes": [line], **box}}) == \
        {"sig": "signature_too_large"}
    # A huge payload is turned away by counting, before any point is looked at.
    huge = {"strokes": [[[1, 1]] * 1_000_000], **box}
    started = time.perf_counter()
    assert codes(BASE | {"sig": huge}) == {"sig": "signature_too_large"}
    assert time.perf_counter() - started < 0.5
    # Exactly at the caps is still accepted.
    at_cap = [[[10 + (i * 37) % 580, 10 + (i * 13) % 180] for i in range(50)]
              for _ in range(MAX_STROKES)]
    assert codes(BASE | {"sig": {"strokes": at_cap, **box}}) == {}


def test_clean_answers_raises_with_every_error() -> None:
    with pytest.raises(InvalidAnswers) as info:
        clean_answers(FORM, {"age": 500})
    assert [e.field_id for e in info.value.errors] == ["name", "age", "meds", "ok", "sig"]
