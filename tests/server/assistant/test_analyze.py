"""``analyze_text`` end to end: the rules override the classifier, past mentions fall back to
the classifier's next answer, urgent non-emergencies keep their category, extraction fills
the caller, the wished time is kept only for appointments."""

from __future__ import annotations

from datetime import date

from backend_server.assistant.triage import analyze_text
from backend_server.config import Settings

TODAY = date(2026, 11, 28)
NO_LLM = Settings(assistant_llm_url="")


def test_emergency_rule_overrides_a_prescription_request() -> None:
    # The classifier reads "Rezept" and "Packung"; the rule reads a child who swallowed them.
    result = analyze_text(
        "Hallo, ich wollte eigentlich ein Rezept holen, aber mein Kind hat gerade Tabletten "
        "aus der Packung geschluckt.", today=TODAY, settings=NO_LLM)
    assert result.category == "emergency"
    assert result.urgent
    assert result.urgent_reasons == ("poisoning",)


def test_past_chest_pain_is_a_prescription_call() -> None:
    result = analyze_text(
        "Guten Tag, hier ist Greta Hansen. Die Brustschmerzen von letztem Monat sind weg, "
        "ich brauche nur ein neues Rezept für mein Spray.", today=TODAY, settings=NO_LLM)
    assert result.category == "prescription"
    assert not result.urgent
    assert result.urgent_reasons == ()


def test_old_stroke_and_a_prescription() -> None:
    result = analyze_text("Ich hatte letztes Jahr einen Schlaganfall, jetzt brauche ich ein "
                          "Rezept für meine Blutverdünner.", today=TODAY, settings=NO_LLM)
    assert result.category == "prescription"
    assert not result.urgent


def test_frail_patient_with_high_fever_is_urgent_but_not_an_emergency() -> None:
    result = analyze_text(
        "Hallo, meine Mutter ist 91 und im Pflegeheim, sie hat seit heute hohes Fieber, kann "
        "der Doktor einen Hausbesuch machen?", today=TODAY, settings=NO_LLM)
    assert result.category != "emergency"
    assert result.urgent
    assert result.urgent_reasons == ("high_fever_vulnerable",)


def test_appointment_call_fills_caller_and_wished_time() -> None:
    result = analyze_text(
        "Guten Tag, hier ist Ole Peters, geboren zwölfter März achtundfünfzig. Ich hätte gern "
        "einen Termin, am liebsten nächste Woche vormittags.", caller_id="+49 711 2233445",
        today=TODAY, settings=NO_LLM)
    assert result.category == "appointment"
    assert not result.urgent
    assert result.caller.name == "Ole Peters"
    assert result.caller.dob == "1958-03-12"
    assert result.caller.phone == "+497112233445"  # the caller id: no number was said
    assert result.wished_time == "nächste woche vormittags"
    assert result.to_json()["caller"] == {"name": "Ole Peters", "dob": "1958-03-12",
                                          "phone": "+497112233445"}


def test_wished_time_only_for_appointments() -> None:
    result = analyze_text("Ich brauche eine Überweisung zum Augenarzt, am liebsten nächste "
                          "Woche.", today=TODAY, settings=NO_LLM)
    assert result.category == "referral"
    assert result.wished_time is None


def test_empty_transcript() -> None:
    result = analyze_text("", today=TODAY, settings=NO_LLM)
    assert result.category == "other"
    assert not result.urgent
    assert result.caller.name is None


def test_a_vague_symptom_call_is_not_an_emergency() -> None:
    # No rule fires; the classifier alone must be sure before a call counts as an emergency.
    for text in ("Mein Hund hat mich gebissen, die Wunde ist klein, brauche ich eine "
                 "Tetanusimpfung?", "Ich habe Schwindel beim Aufstehen seit ein paar Tagen."):
        result = analyze_text(text, today=TODAY, settings=NO_LLM)
        assert not result.urgent, text
        assert result.category != "emergency", text
