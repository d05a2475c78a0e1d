"""The client's form definition model: it reads and writes the server's JSON unchanged, and
refuses exactly what the server library refuses, with codes the editor can translate."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pydantic
import pytest

from app.forms.conditions import visible_field_ids
from app.forms.definition import (
    DefinitionFormatError,
    FormDefinition,
    definition_to_json,
    form_id_from_title,
    new_item_id,
    parse_definition,
    validate_definition,
)
from backend_server.forms.definition import FormDefinition as ServerDefinition

TEMPLATES = Path(__file__).resolve().parents[2] / "backend_server" / "forms" / "templates"


def _template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", ["anamnese-allgemeinmedizin", "einwilligung-datenverarbeitung",
                                  "einwilligung-videosprechstunde"])
def test_shipped_templates_round_trip_unchanged(name: str) -> None:
    data = _template(name)
    definition = parse_definition(data)
    assert validate_definition(definition) == []
    assert definition_to_json(definition) == data
    # What the server would dump (every key, defaults included) reads the same.
    dumped = ServerDefinition.model_validate(data).model_dump(mode="json")
    assert parse_definition(dumped) == definition


def test_the_anamnesis_keeps_its_condition_and_consent() -> None:
    definition = parse_definition(_template("anamnese-allgemeinmedizin"))
    medication = definition.field("medication_list")
    assert medication is not None
    assert medication.show_if is not None
    assert (medication.show_if.field, medication.show_if.equals) == ("takes_medication", True)
    confirm = definition.field("confirm_truthful")
    assert confirm is not None
    assert confirm.must_accept
    assert confirm.is_required
    assert definition.key == "anamnese-allgemeinmedizin@1"


def _small() -> dict[str, Any]:
    return {"id": "impfung", "version": 1, "title": "Impfaufklärung", "sections": [
        {"id": "fragen", "title": "Fragen", "fields": [
            {"id": "fieber", "type": "yes_no", "label": "Haben Sie Fieber?", "required": True},
            {"id": "seit", "type": "long_text", "label": "Seit wann?",
             "show_if": {"field": "fieber", "equals": True}},
            {"id": "impfstoff", "type": "single_choice", "label": "Impfstoff",
             "choices": ["A", "B"]},
            {"id": "alter", "type": "number", "label": "Alter", "min": 0, "max": 120},
            {"id": "unterschrift", "type": "signature", "label": "Unterschrift"}]}]}


def _codes(data: dict[str, Any]) -> list[str]:
    return [p.code for p in validate_definition(parse_definition(data))]


def _fields(data: dict[str, Any]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = data["sections"][0]["fields"]
    return fields


def _break(change: str) -> dict[str, Any]:
    data = copy.deepcopy(_small())
    fields = _fields(data)
    if change == "duplicate_id":
        fields[1]["id"] = "fieber"
    elif change == "section_id_reused":
        fields[0]["id"] = "fragen"
        fields[1]["show_if"] = {"field": "fragen", "equals": True}
    elif change == "condition_on_later_field":
        fields[0]["show_if"] = {"field": "seit", "equals": "x"}
    elif change == "condition_on_unknown_field":
        fields[1]["show_if"] = {"field": "gibt_es_nicht", "equals": True}
    elif change == "condition_on_signature":
        fields.append({"id": "danach", "type": "text", "label": "Danach",
                       "show_if": {"field": "unterschrift", "equals": "x"}})
    elif change == "yes_no_equals_text":
        fields[1]["show_if"] = {"field": "fieber", "equals": "Ja"}
    elif change == "choice_equals_unknown":
        fields[3]["show_if"] = {"field": "impfstoff", "equals": "C"}
    elif change == "number_equals_text":
        fields[4]["show_if"] = {"field": "alter", "equals": "zehn"}
    elif change == "no_choices":
        fields[2]["choices"] = []
    elif change == "empty_choice":
        fields[2]["choices"] = ["A", " "]
    elif change == "duplicate_choice":
        fields[2]["choices"] = ["A", "A"]
    elif change == "choices_on_text":
        fields[1]["choices"] = ["A"]
    elif change == "min_above_max":
        fields[3]["min"] = 130
    elif change == "min_on_text":
        fields[1]["min"] = 1
    elif change == "max_length_on_number":
        fields[3]["max_length"] = 10
    elif change == "must_accept_on_text":
        fields[1]["must_accept"] = True
    elif change == "empty_label":
        fields[1]["label"] = "   "
    elif change == "empty_section":
        data["sections"].append({"id": "leer", "title": "Leer", "fields": []})
    elif change == "empty_title":
        data["title"] = ""
    elif change == "bad_form_id":
        data["id"] = "Impfung!"
    elif change == "unknown_type":
        fields[1]["type"] = "email"
    return data


BROKEN = {
    "duplicate_id": "id_duplicate",
    "section_id_reused": "id_duplicate",
    "condition_on_later_field": "condition_not_earlier",
    "condition_on_unknown_field": "condition_not_earlier",
    "condition_on_signature": "condition_on_signature",
    "yes_no_equals_text": "condition_value_mismatch",
    "choice_equals_unknown": "condition_value_mismatch",
    "number_equals_text": "condition_value_mismatch",
    "no_choices": "choices_missing",
    "empty_choice": "choice_empty",
    "duplicate_choice": "choice_duplicate",
    "choices_on_text": "choices_not_allowed",
    "min_above_max": "min_above_max",
    "min_on_text": "min_max_not_allowed",
    "max_length_on_number": "max_length_not_allowed",
    "must_accept_on_text": "must_accept_not_allowed",
    "empty_label": "label_missing",
    "empty_section": "section_empty",
    "empty_title": "title_missing",
    "bad_form_id": "form_id_invalid",
    "unknown_type": "type_unknown",
}


def test_the_small_form_is_valid_for_both() -> None:
    assert _codes(_small()) == []
    ServerDefinition.model_validate(_small())


@pytest.mark.parametrize("change", sorted(BROKEN))
def test_structural_problems_match_the_server_library(change: str) -> None:
    data = _break(change)
    assert BROKEN[change] in _codes(data)
    with pytest.raises(pydantic.ValidationError):
        ServerDefinition.model_validate(data)


def test_problems_name_the_field_for_the_message() -> None:
    data = _break("yes_no_equals_text")
    problem = next(p for p in validate_definition(parse_definition(data))
                   if p.code == "condition_value_mismatch")
    assert problem.item_id == "seit"
    assert problem.params["name"] == "Seit wann?"
    assert problem.params["other"] == "Haben Sie Fieber?"
    assert problem.params["section"] == "Fragen"


def test_every_problem_is_reported_at_once() -> None:
    data = _break("no_choices")
    _fields(data)[3]["min"] = 500
    _fields(data)[0]["label"] = ""
    assert _codes(data) == ["label_missing", "choices_missing", "min_above_max"]


@pytest.mark.parametrize("bad", [
    [], {"id": "x"}, {"id": 1, "version": 1, "title": "T", "sections": []},
    {"id": "ab", "version": 1, "title": "T", "sections": [{"id": "s", "title": "S",
                                                          "fields": [{"id": "f"}]}]},
    {"id": "ab", "version": True, "title": "T", "sections": []},
])
def test_a_malformed_document_is_refused(bad: Any) -> None:
    with pytest.raises(DefinitionFormatError):
        parse_definition(bad)


def test_ids_for_new_forms_and_items() -> None:
    assert form_id_from_title("Einwilligung Röntgen (Kinder)") == "einwilligung-roentgen-kinder"
    assert form_id_from_title("Größe", {"groesse"}) == "groesse-2"
    assert form_id_from_title("!!") == "formular"
    assert new_item_id("field", {"field_1", "field_2"}) == "field_3"
    definition = FormDefinition(id=form_id_from_title("Ärztlicher Bogen"), version=1,
                                title="Ärztlicher Bogen")
    assert definition.id == "aerztlicher-bogen"


def test_conditional_fields_follow_the_answers() -> None:
    definition = parse_definition(_template("anamnese-allgemeinmedizin"))
    hidden = {"medication_list", "blood_thinner", "allergy_list", "cigarettes_per_day",
              "pregnancy_week"}
    assert hidden.isdisjoint(visible_field_ids(definition, {}))
    shown = visible_field_ids(definition, {"takes_medication": True, "smoking": "Ja",
                                           "has_allergies": False})
    assert {"medication_list", "blood_thinner", "cigarettes_per_day"} <= set(shown)
    assert "allergy_list" not in shown
    assert "medication_list" not in visible_field_ids(definition, {"takes_medication": False})
