"""Which fields a patient sees for given answers: the ``show_if`` rule of the server
(``backend_server/forms/answers.py``) for previews and answer views on the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.forms.definition import FormDefinition, FormField


def visible_field_ids(definition: FormDefinition, answers: Mapping[str, Any]) -> list[str]:
    """Ids of the fields shown for ``answers`` (already typed: bool for yes/no, str for a
    single choice, a list for multiple choice, a number for numbers), in form order."""
    shown: list[str] = []
    for item in definition.fields():
        if _visible(item, answers, shown):
            shown.append(item.id)
    return shown


def _visible(item: FormField, answers: Mapping[str, Any], shown: list[str]) -> bool:
    cond = item.show_if
    if cond is None:
        return True
    # A condition on a hidden or unanswered field is false: nothing cascades from it.
    value = answers.get(cond.field)
    if cond.field not in shown or value is None or value == "" or value == []:
        return False
    if isinstance(value, list):
        return cond.equals in value
    if isinstance(value, bool) or isinstance(cond.equals, bool):
        return value is cond.equals
    return bool(value == cond.equals)
