"""Optional refinement of the triage by a language model behind an OpenAI-compatible
``/v1/chat/completions`` endpoint (llama.cpp's server, vLLM, Ollama, a hosted EU service).

Off unless ``PRAXISDESK_ASSISTANT_LLM_URL`` is set. The transcript leaves this process when it
is on: point it only at a service the practice may send health data to (ideally on the same
machine or in the practice's network).

What the model may do, and what not:

* it may change the category (``appointment`` -> ``results``, ...);
* it may raise urgency (reason ``llm``), never lower it: ``urgent`` stays true when the rules
  or the classifier said so, and a rule-found emergency keeps the category ``emergency``;
* anything that goes wrong (connection, timeout, HTTP error, unreadable answer, unknown
  category) leaves the rules' answer unchanged.

Logs carry only the failure kind, never the transcript or the model's answer.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from typing import Any, Final

import httpx

from backend_server.assistant.analysis import CATEGORIES, CallAnalysis, Category
from backend_server.assistant.triage.rules import EMERGENCY_IDS
from backend_server.config import Settings

log = logging.getLogger("backend_server.assistant.llm")

LLM_REASON: Final = "llm"
SYSTEM_PROMPT: Final = (
    "Du sortierst Anrufe bei einer deutschen Hausarztpraxis. Antworte nur mit einem "
    "JSON-Objekt {\"category\": ..., \"urgent\": true|false}. category ist genau eine von: "
    + ", ".join(CATEGORIES) + ". urgent ist true, wenn die Praxis sofort zurückrufen muss "
    "(Notfall oder akute Gefahr). Die Vorauswahl unten stammt von Regeln; korrigiere die "
    "Kategorie, wenn sie nicht passt.")


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    api_key: str
    timeout_seconds: float

    @property
    def endpoint(self) -> str:
        """The chat-completions URL: the setting may name the server, its ``/v1`` or the
        endpoint itself."""
        base = self.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if base.endswith("/v1"):
            return base + "/chat/completions"
        return base + "/v1/chat/completions"


def config_from(settings: Settings) -> LLMConfig | None:
    if not settings.assistant_llm_url.strip():
        return None
    return LLMConfig(url=settings.assistant_llm_url.strip(),
                     model=settings.assistant_llm_model,
                     api_key=settings.assistant_llm_api_key.get_secret_value(),
                     timeout_seconds=settings.assistant_llm_timeout_seconds)


def _request_body(analysis: CallAnalysis, config: LLMConfig) -> dict[str, Any]:
    draft = {"category": analysis.category, "urgent": analysis.urgent}
    return {
        "model": config.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Vorauswahl: {json.dumps(draft)}\n\n"
                                        f"Transkript:\n{analysis.transcript}"},
        ],
    }


def _parse_answer(payload: object) -> tuple[Category, bool | None]:
    """(category, urgent or None) from a chat-completions answer; ValueError if unusable."""
    if not isinstance(payload, dict):
        raise ValueError("answer is not an object")
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ValueError("no choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise ValueError("no message content")
    # Models like to wrap JSON in prose or ``` fences: take the first object.
    found = re.search(r"\{.*\}", content, re.DOTALL)
    if found is None:
        raise ValueError("no JSON object in the content")
    data = json.loads(found.group())
    if not isinstance(data, dict):
        raise ValueError("content is not an object")
    category = next((c for c in CATEGORIES if c == data.get("category")), None)
    if category is None:
        raise ValueError("unknown category")
    urgent = data.get("urgent")
    return category, urgent if isinstance(urgent, bool) else None


def merge(analysis: CallAnalysis, category: Category, urgent: bool | None) -> CallAnalysis:
    """Applies the model's answer within its limits (see the module docstring)."""
    rule_emergency = any(r in EMERGENCY_IDS for r in analysis.urgent_reasons)
    new_category: Category = analysis.category if rule_emergency else category
    raise_it = (urgent is True or new_category == "emergency") and not analysis.urgent
    reasons = (*analysis.urgent_reasons, LLM_REASON) if raise_it else analysis.urgent_reasons
    return replace(analysis, category=new_category, urgent=analysis.urgent or raise_it,
                   urgent_reasons=reasons,
                   wished_time=analysis.wished_time if new_category == "appointment" else None)


def refine(analysis: CallAnalysis, config: LLMConfig,
           *, transport: httpx.BaseTransport | None = None) -> CallAnalysis:
    """The analysis as the model would have it, or unchanged when anything fails."""
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    try:
        with httpx.Client(timeout=config.timeout_seconds, transport=transport) as client:
            response = client.post(config.endpoint, json=_request_body(analysis, config),
                                   headers=headers)
            response.raise_for_status()
            category, urgent = _parse_answer(response.json())
    except httpx.TimeoutException:
        log.warning("assistant LLM refinement timed out; the rules' answer stands")
        return analysis
    except (httpx.HTTPError, ValueError) as exc:
        # ValueError covers json.JSONDecodeError too. Only the kind of failure is logged.
        log.warning("assistant LLM refinement failed (%s); the rules' answer stands",
                    type(exc).__name__)
        return analysis
    return merge(analysis, category, urgent)
