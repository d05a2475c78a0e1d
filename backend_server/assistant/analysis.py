"""The result of analysing one call, shared by the triage, the pipeline, the CLI and the API.

Every field except ``category``/``urgent``/``urgent_reasons`` is communication content: it
never reaches a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

Category = Literal["appointment", "prescription", "referral", "sick_note", "results",
                   "emergency", "other"]
CATEGORIES: Final[tuple[Category, ...]] = (
    "appointment", "prescription", "referral", "sick_note", "results", "emergency", "other")


@dataclass(frozen=True)
class CallerInfo:
    name: str | None = None
    # ISO YYYY-MM-DD
    dob: str | None = None
    # E.164 (+49...) when it could be normalised, else as heard
    phone: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "dob": self.dob, "phone": self.phone}


@dataclass(frozen=True)
class CallAnalysis:
    transcript: str
    category: Category
    urgent: bool
    caller: CallerInfo = field(default_factory=CallerInfo)
    # Rule ids that raised urgency ("chest_pain", ...): safe to log, they hold no content.
    urgent_reasons: tuple[str, ...] = ()
    # For appointments: the wished time frame as the caller said it, normalised lightly.
    wished_time: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "category": self.category,
            "urgent": self.urgent,
            "caller": self.caller.to_json(),
            "urgent_reasons": list(self.urgent_reasons),
            "wished_time": self.wished_time,
        }
