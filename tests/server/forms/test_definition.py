"""Form definitions: bad structure is refused with a message naming the problem; a new
version is a validated copy and never touches the original."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from backend_server.forms.definition import FormDefinition, new_version


def form(*fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "test-form", "version": 1, "title": "Testformular",
            "sections": [{"id": "main", "title": "Fragen", "fields": list(fields)}], **extra}


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        FormDefinition.model_validate(data)
    return str(info.value)


YES_NO = {"id": "smoker", "type": "yes_no", "label": "Rauchen Sie?"}


def test_a_valid_definition_with_a_condition_loads() -> None:
    definition = FormDefinition.model_validate(form(
        YES_NO, {"id": "amount", "type": "number", "label": "Wie viele?", "min": 1,
                 "max": 80, "show_if": {"field": "smoker", "equals": True}}))
    assert [f.id for f in definition.fields()] == ["smoker", "amount"]
    assert definition.key == "test-form@1"


def test_duplicate_ids_are_refused_across_sections() -> None:
    data = form(YES_NO)
    data["sections"].append({"id": "more", "title": "Mehr", "fields": [dict(YES_NO)]})
    assert "id 'smoker' is used more than once" in refused(data)
    data = form({"id": "main", "type": "text", "label": "x"})
    assert "id 'main' is used more than once" in refused(data)


def test_a_condition_must_refer_to_an_earlier_field() -> None:
    later = form({"id": "amount", "type": "number", "label": "Wie viele?",
                  "show_if": {"field": "smoker", "equals": True}}, YES_NO)
    assert "show_if refers to 'smoker', which is not an earlier field" in refused(later)
    missing = form({"id": "amount", "type": "number", "label": "x",
                    "show_if": {"field": "nowhere", "equals": True}})
    assert "'nowhere', which is not an earlier field" in refused(missing)
    itself = form({"id": "amount", "type": "yes_no", "label": "x",
                   "show_if": {"field": "amount", "equals": True}})
    assert "not an earlier field" in refused(itself)


def test_the_condition_value_must_fit_the_referenced_field() -> None:
    assert "does not fit the yes_no field 'smoker'" in refused(form(
        YES_NO, {"id": "a", "type": "text", "label": "x",
                 "show_if": {"field": "smoker", "equals": "ja"}}))
    choice = {"id": "kind", "type": "single_choice", "label": "Art", "choices": ["A", "B"]}
    assert "expected one of the choices of 'kind'" in refused(form(
        choice, {"id": "a", "type": "text", "label": "x",
                 "show_if": {"field": "kind", "equals": "C"}}))
    assert "does not fit the number field" in refused(form(
        {"id": "n", "type": "number", "label": "Zahl"},
        {"id": "a", "type": "text", "label": "x", "show_if": {"field": "n", "equals": True}}))
    assert "ISO date" in refused(form(
        {"id": "d", "type": "date", "label": "Datum"},
        {"id": "a", "type": "text", "label": "x",
         "show_if": {"field": "d", "equals": "1.2.2020"}}))
    assert "cannot depend on the signature" in refused(form(
        {"id": "sig", "type": "signature", "label": "Unterschrift"},
        {"id": "a", "type": "text", "label": "x", "show_if": {"field": "sig", "equals": "x"}}))
    # Fitting values are accepted, including a choice of a multiple choice field.
    FormDefinition.model_validate(form(
        {"id": "k", "type": "multiple_choice", "label": "Art", "choices": ["A", "B"]},
        {"id": "a", "type": "text", "label": "x", "show_if": {"field": "k", "equals": "B"}}))


def test_choice_fields_need_unique_non_empty_choices() -> None:
    assert "needs at least one choice" in refused(form(
        {"id": "k", "type": "single_choice", "label": "Art", "choices": []}))
    assert "needs at least one choice" in refused(form(
        {"id": "k", "type": "multiple_choice", "label": "Art"}))
    assert "choices must be unique" in refused(form(
        {"id": "k", "type": "single_choice", "label": "Art", "choices": ["A", "A"]}))
    assert "only choice fields have choices" in refused(form(
        {"id": "k", "type": "text", "label": "Art", "choices": ["A"]}))


def test_options_belong_to_their_field_types() -> None:
    assert "min (10) is greater than max (5)" in refused(form(
        {"id": "n", "type": "number", "label": "Zahl", "min": 10, "max": 5}))
    assert "only number fields have min/max" in refused(form(
        {"id": "t", "type": "text", "label": "Text", "min": 1}))
    assert "only text fields have max_length" in refused(form(
        {"id": "n", "type": "number", "label": "Zahl", "max_length": 3}))
    assert "only yes_no fields can be must_accept" in refused(form(
        {"id": "t", "type": "text", "label": "Text", "must_accept": True}))


def test_bad_ids_types_and_unknown_keys_are_refused() -> None:
    assert "id" in refused(form(YES_NO) | {"id": "Not A Slug"})
    assert "version" in refused(form(YES_NO) | {"version": 0})
    assert "type" in refused(form({"id": "x", "type": "slider", "label": "x"}))
    assert "colour" in refused(form({"id": "x", "type": "text", "label": "x",
                                     "colour": "red"}))
    assert "sections" in refused(form() | {"sections": []})


def test_new_version_is_a_validated_copy_and_leaves_the_original_alone() -> None:
    original = FormDefinition.model_validate(form(YES_NO))
    data = original.model_dump(mode="json")
    data["sections"][0]["fields"].append({"id": "note", "type": "long_text",
                                          "label": "Anmerkungen"})
    changed = new_version(original, {"title": "Testformular (neu)",
                                     "sections": data["sections"]})
    assert (changed.id, changed.version, changed.title) == ("test-form", 2, "Testformular (neu)")
    assert [f.id for f in changed.fields()] == ["smoker", "note"]
    assert (original.version, original.title) == (1, "Testformular")
    assert [f.id for f in original.fields()] == ["smoker"]
    with pytest.raises(ValidationError):
        original.title = "in place"  # type: ignore[misc]
    with pytest.raises(ValueError, match="cannot change id"):
        new_version(original, {"id": "other"})
    broken = original.model_dump(mode="json")["sections"]
    broken[0]["fields"].append(dict(YES_NO))
    with pytest.raises(ValidationError, match="used more than once"):
        new_version(original, {"sections": broken})
