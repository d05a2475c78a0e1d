"""The shipped German templates load, are valid, and accept a filled sample."""

from __future__ import annotations

from backend_server.forms.answers import clean_answers, validate_answers
from backend_server.forms.definition import FormDefinition
from tests.server.forms.samples import ANAMNESIS, SAMPLES


def test_all_three_templates_load_and_accept_a_filled_sample(
        templates: dict[str, FormDefinition]) -> None:
    assert {d.title for d in templates.values()} == {
        "Anamnesebogen Allgemeinmedizin", "Einwilligung Videosprechstunde",
        "Einwilligung Datenverarbeitung"}
    for form_id, definition in templates.items():
        assert definition.version == 1
        assert validate_answers(definition, SAMPLES[form_id]) == [], form_id
        types = [f.type for f in definition.fields()]
        assert types[-1] == "signature", form_id


def test_the_anamnesis_asks_for_medication_only_when_the_patient_takes_some(
        templates: dict[str, FormDefinition]) -> None:
    anamnesis = templates["anamnese-allgemeinmedizin"]
    question = anamnesis.field("takes_medication")
    assert question.label == "Nehmen Sie regelmäßig Medikamente ein?"
    assert anamnesis.field("medication_list").show_if is not None
    without = ANAMNESIS | {"takes_medication": False}
    assert "medication_list" not in clean_answers(anamnesis, without)
    missing = {k: v for k, v in ANAMNESIS.items() if k != "medication_list"}
    assert [(e.field_id, e.code) for e in validate_answers(anamnesis, missing)] == \
        [("medication_list", "required")]
    no_allergies = ANAMNESIS | {"has_allergies": False, "allergy_list": ""}
    assert validate_answers(anamnesis, no_allergies) == []
    # Pregnancy questions are optional.
    assert not anamnesis.field("pregnant").is_required


def test_consents_need_a_yes_and_a_signature(templates: dict[str, FormDefinition]) -> None:
    for form_id in ("einwilligung-videosprechstunde", "einwilligung-datenverarbeitung"):
        definition = templates[form_id]
        errors = validate_answers(definition, {"consent": False})
        assert [(e.field_id, e.code) for e in errors] == \
            [("consent", "must_accept"), ("signature", "required")]
    video = templates["einwilligung-videosprechstunde"].sections[0].text
    for promise in ("Peer-to-Peer", "Ende-zu-Ende verschlüsselt", "aufgezeichnet",
                    "freiwillig", "widerrufen"):
        assert promise in video
    data = templates["einwilligung-datenverarbeitung"]
    assert "Art. 9" in data.description
    assert "widerrufen" in data.sections[0].text
