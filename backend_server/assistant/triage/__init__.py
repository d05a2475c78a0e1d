"""Triage of a call transcript (pure, no database): ``analyze_text``.

1. ``rules``: the emergency rule layer (overrides everything; historic or negated mentions
   do not count) and a few urgent non-emergencies.
2. ``classifier``: a TF-IDF linear model trained on the project's own German examples.
3. ``extract``: caller name, date of birth, callback number, wished time frame.
4. ``llm``: optional refinement by a language model (off unless configured).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from backend_server.assistant.analysis import CallAnalysis, CallerInfo, Category
from backend_server.assistant.triage import classifier, extract, llm, rules
from backend_server.config import Settings

__all__ = ["CLASSIFIER_REASON", "analyze_text", "triage_only"]

BERLIN = ZoneInfo("Europe/Berlin")
# The classifier alone said "emergency" (no rule matched): still urgent, see the decisions
# in docs/api-contract.md.
CLASSIFIER_REASON = "classifier"
# The classifier's emergency counts only when its score is on the "is" side (targets were
# +1/-1); being merely the least negative class of a vague symptom call is not enough.
CLASSIFIER_EMERGENCY_MIN_SCORE = 0.0


def _category(transcript: str) -> tuple[Category, tuple[str, ...]]:
    found = rules.evaluate(transcript)
    predicted, scores = classifier.classify(transcript)
    reasons = list(found.reasons)
    if found.emergency:
        return "emergency", tuple(reasons)
    if predicted == "emergency":
        if found.suppressed_reasons or scores["emergency"] < CLASSIFIER_EMERGENCY_MIN_SCORE:
            # The caller spoke of an emergency topic that the rules judged past or negated
            # ("die Brustschmerzen von letztem Monat sind weg": the words that drew the
            # classifier to "emergency" are exactly those), or the model is unsure: take its
            # next best answer.
            predicted = max((c for c in scores if c != "emergency"), key=lambda c: scores[c])
        else:
            reasons.append(CLASSIFIER_REASON)
    return predicted, tuple(reasons)


def triage_only(transcript: str, caller_id: str | None = None, *,
                today: date | None = None) -> CallAnalysis:
    """Rules, classifier and extraction; never the language model."""
    today = today or datetime.now(BERLIN).date()
    category, reasons = _category(transcript)
    caller = CallerInfo(name=extract.extract_name(transcript),
                        dob=extract.extract_dob(transcript, today),
                        phone=extract.extract_phone(transcript, caller_id))
    return CallAnalysis(
        transcript=transcript, category=category, urgent=bool(reasons), caller=caller,
        urgent_reasons=reasons,
        wished_time=extract.extract_wished_time(transcript) if category == "appointment"
        else None)


def analyze_text(transcript: str, caller_id: str | None = None, *, today: date | None = None,
                 settings: Settings | None = None) -> CallAnalysis:
    """The analysis of one call transcript; ``caller_id`` is the number the call came from
    (the fallback callback number). The language model refines it when
    ``PRAXISDESK_ASSISTANT_LLM_URL`` is set (``settings`` default: from the environment)."""
    analysis = triage_only(transcript, caller_id, today=today)
    config = llm.config_from(settings if settings is not None else Settings())
    if config is None or not transcript.strip():
        return analysis
    refined = llm.refine(analysis, config)
    if refined.category == "appointment" and refined.wished_time is None:
        refined = replace(refined, wished_time=extract.extract_wished_time(transcript))
    return refined
