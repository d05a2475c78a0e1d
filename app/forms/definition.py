"""A form definition on the client: plain dataclasses read from and written to the server's
JSON (the shape of ``backend_server/forms/definition.py``, which the client never imports).

The editor changes these objects freely (they are mutable, the editor works on a copy) and
calls :func:`validate_definition` before saving: it applies the server library's structural
rules, so the server's 422 is the exception, not the way an admin learns about a mistake.
Problems come back as codes with parameters; the UI turns them into translated sentences
(``app`` has no Qt and no texts of its own).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

FIELD_TYPES: tuple[str, ...] = ("text", "long_text", "number", "date", "yes_no",
                                "single_choice", "multiple_choice", "signature")
CHOICE_TYPES: frozenset[str] = frozenset({"single_choice", "multiple_choice"})
TEXT_TYPES: frozenset[str] = frozenset({"text", "long_text"})

FORM_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")
ITEM_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# The server library's limits (backend_server/forms/definition.py).
MAX_SECTIONS = 40
MAX_FIELDS = 300
MAX_CHOICES = 100
CHOICE_MAX = 500
TITLE_MAX = 300
LABEL_MAX = 1000
HELP_MAX = 2000
TEXT_LIMIT_CEILING = 20_000
DEFAULT_MAX_LENGTH = {"text": 500, "long_text": 5000}

ConditionValue = bool | int | float | str


class DefinitionFormatError(ValueError):
    """The JSON is not a form definition at all (wrong shape or types): nothing to edit."""


@dataclass
class ShowIf:
    """Show the field only when the earlier field ``field`` has the answer ``equals`` (for
    a multiple choice field: when ``equals`` is among the ticked choices)."""

    field: str
    equals: ConditionValue


@dataclass
class FormField:
    id: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    must_accept: bool = False  # yes_no only: the answer must be "Ja" (a consent)
    choices: list[str] | None = None
    min: int | float | None = None
    max: int | float | None = None
    max_length: int | None = None
    show_if: ShowIf | None = None

    @property
    def is_required(self) -> bool:
        return self.required or self.must_accept

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.type, DEFAULT_MAX_LENGTH["text"])


@dataclass
class Section:
    id: str
    title: str
    text: str = ""  # explanatory text above the fields (printed in the PDF)
    fields: list[FormField] = dc_field(default_factory=list)


@dataclass
class FormDefinition:
    id: str
    version: int
    title: str
    description: str = ""
    sections: list[Section] = dc_field(default_factory=list)

    def fields(self) -> Iterator[FormField]:
        """Every field in form order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.fields() if f.id == field_id), None)

    def item_ids(self) -> set[str]:
        """Section and field ids (one namespace)."""
        return {s.id for s in self.sections} | {f.id for f in self.fields()}

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class Problem:
    """One structural problem. ``item_id`` is the section or field it belongs to (None for
    the form itself); ``params`` fill the translated sentence (names, numbers)."""

    code: str
    item_id: str | None = None
    params: Mapping[str, str] = dc_field(default_factory=dict)


# -- reading and writing JSON ---------------------------------------------------------------

def parse_definition(data: Any) -> FormDefinition:
    """The definition in ``data`` (decoded JSON). Raises :class:`DefinitionFormatError` when
    the shape or a type is wrong; structural rules are :func:`validate_definition`'s job."""
    obj = _object(data, "definition")
    sections = _list(obj.get("sections"), "sections")
    return FormDefinition(
        id=_str(obj.get("id"), "id"),
        version=_int(obj.get("version", 1), "version"),
        title=_str(obj.get("title"), "title"),
        description=_str(obj.get("description") or "", "description"),
        sections=[_parse_section(s) for s in sections])


def _parse_section(data: Any) -> Section:
    obj = _object(data, "section")
    return Section(id=_str(obj.get("id"), "section.id"),
                   title=_str(obj.get("title"), "section.title"),
                   text=_str(obj.get("text") or "", "section.text"),
                   fields=[_parse_field(f) for f in _list(obj.get("fields"), "fields")])


def _parse_field(data: Any) -> FormField:
    obj = _object(data, "field")
    choices = obj.get("choices")
    show_if = obj.get("show_if")
    return FormField(
        id=_str(obj.get("id"), "field.id"),
        type=_str(obj.get("type"), "field.type"),
        label=_str(obj.get("label"), "field.label"),
        help=_str(obj.get("help") or "", "field.help"),
        required=_bool(obj.get("required", False), "required"),
        must_accept=_bool(obj.get("must_accept", False), "must_accept"),
        choices=None if choices is None else [_str(c, "choice")
                                              for c in _list(choices, "choices")],
        min=_number_or_none(obj.get("min"), "min"),
        max=_number_or_none(obj.get("max"), "max"),
        max_length=None if obj.get("max_length") is None
        else _int(obj.get("max_length"), "max_length"),
        show_if=None if show_if is None else _parse_condition(show_if))


def _parse_condition(data: Any) -> ShowIf:
    obj = _object(data, "show_if")
    equals = obj.get("equals")
    if not isinstance(equals, bool | int | float | str):
        raise DefinitionFormatError("show_if.equals must be a bool, number or text")
    return ShowIf(field=_str(obj.get("field"), "show_if.field"), equals=equals)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DefinitionFormatError(f"{what} must be an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise DefinitionFormatError(f"{what} must be a list")
    return list(value)


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise DefinitionFormatError(f"{what} must be a text")
    return value


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise DefinitionFormatError(f"{what} must be true or false")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionFormatError(f"{what} must be a whole number")
    return value


def _number_or_none(value: Any, what: str) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DefinitionFormatError(f"{what} must be a number")
    return value


def definition_to_json(definition: FormDefinition) -> dict[str, Any]:
    """The JSON the server takes. Keys holding their default are left out, as in the
    shipped templates, so a template read and written again is the same document."""
    out: dict[str, Any] = {"id": definition.id, "version": definition.version,
                           "title": definition.title}
    if definition.description:
        out["description"] = definition.description
    out["sections"] = [_section_json(s) for s in definition.sections]
    return out


def _section_json(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"id": section.id, "title": section.title}
    if section.text:
        out["text"] = section.text
    out["fields"] = [_field_json(f) for f in section.fields]
    return out


def _field_json(item: FormField) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "type": item.type, "label": item.label}
    if item.help:
        out["help"] = item.help
    if item.required:
        out["required"] = True
    if item.must_accept:
        out["must_accept"] = True
    if item.choices is not None:
        out["choices"] = list(item.choices)
    for key in ("min", "max", "max_length"):
        if getattr(item, key) is not None:
            out[key] = getattr(item, key)
    if item.show_if is not None:
        out["show_if"] = {"field": item.show_if.field, "equals": item.show_if.equals}
    return out


# -- structural rules (the same as the server library's) -------------------------------------

def validate_definition(definition: FormDefinition) -> list[Problem]:
    """Every structural problem, in form order; empty when the server will take it."""
    problems: list[Problem] = []
    if not FORM_ID_RE.match(definition.id):
        problems.append(Problem("form_id_invalid", None, {"id": definition.id}))
    if definition.version < 1:
        problems.append(Problem("version_invalid"))
    problems += _text_problems(None, definition.title, "title", TITLE_MAX, {})
    if len(definition.description) > TEXT_LIMIT_CEILING:
        problems.append(Problem("description_too_long", None,
                                {"max": str(TEXT_LIMIT_CEILING)}))
    if not definition.sections:
        problems.append(Problem("no_sections"))
    elif len(definition.sections) > MAX_SECTIONS:
        problems.append(Problem("too_many_sections", None, {"max": str(MAX_SECTIONS)}))
    seen: set[str] = set()
    earlier: dict[str, FormField] = {}
    count = 0
    for section_number, section in enumerate(definition.sections, start=1):
        problems += _section_problems(section, section_number, seen)
        for number, item in enumerate(section.fields, start=1):
            count += 1
            # "name" is empty for an item without text: the UI then names it by position.
            name = {"name": _name(item.label), "position": str(number),
                    "section": _name(section.title),
                    "section_position": str(section_number)}
            problems += _item_id_problems(item.id, name, seen)
            problems += _field_problems(item, name)
            if item.show_if is not None:
                problems += _condition_problems(item, item.show_if, earlier, name)
            earlier[item.id] = item
    if count > MAX_FIELDS:
        problems.append(Problem("too_many_fields", None,
                                {"max": str(MAX_FIELDS), "count": str(count)}))
    return problems


def _name(text: str) -> str:
    text = " ".join(text.split())
    return text[:60] + "…" if len(text) > 60 else text


def _text_problems(item_id: str | None, text: str, what: str, limit: int,
                   name: Mapping[str, str]) -> list[Problem]:
    # The server strips surrounding blanks before checking, so "  " counts as missing.
    if not text.strip():
        return [Problem(f"{what}_missing", item_id, dict(name))]
    if len(text.strip()) > limit:
        return [Problem(f"{what}_too_long", item_id, {**name, "max": str(limit)})]
    return []


def _item_id_problems(item_id: str, name: Mapping[str, str], seen: set[str]) -> list[Problem]:
    problems = []
    if not ITEM_ID_RE.match(item_id):
        problems.append(Problem("id_invalid", item_id, {**name, "id": item_id}))
    if item_id in seen:
        problems.append(Problem("id_duplicate", item_id, {**name, "id": item_id}))
    seen.add(item_id)
    return problems


def _section_problems(section: Section, number: int, seen: set[str]) -> list[Problem]:
    name = {"name": _name(section.title), "position": str(number)}
    problems = _item_id_problems(section.id, name, seen)
    problems += _text_problems(section.id, section.title, "section_title", TITLE_MAX, name)
    if len(section.text) > TEXT_LIMIT_CEILING:
        problems.append(Problem("section_text_too_long", section.id,
                                {**name, "max": str(TEXT_LIMIT_CEILING)}))
    if not section.fields:
        problems.append(Problem("section_empty", section.id, name))
    return problems


def _field_problems(item: FormField, name: Mapping[str, str]) -> list[Problem]:
    problems = _text_problems(item.id, item.label, "label", LABEL_MAX, name)
    if len(item.help.strip()) > HELP_MAX:
        problems.append(Problem("help_too_long", item.id, {**name, "max": str(HELP_MAX)}))
    if item.type not in FIELD_TYPES:
        problems.append(Problem("type_unknown", item.id, {**name, "type": item.type}))
        return problems
    problems += _choice_problems(item, name)
    if item.type != "number" and (item.min is not None or item.max is not None):
        problems.append(Problem("min_max_not_allowed", item.id, dict(name)))
    bounds = [b for b in (item.min, item.max) if b is not None]
    if any(not math.isfinite(b) for b in bounds):
        problems.append(Problem("bound_not_finite", item.id, dict(name)))
    elif item.min is not None and item.max is not None and item.min > item.max:
        problems.append(Problem("min_above_max", item.id,
                                {**name, "min": f"{item.min:g}", "max": f"{item.max:g}"}))
    if item.max_length is not None:
        if item.type not in TEXT_TYPES:
            problems.append(Problem("max_length_not_allowed", item.id, dict(name)))
        elif not 1 <= item.max_length <= TEXT_LIMIT_CEILING:
            problems.append(Problem("max_length_out_of_range", item.id,
                                    {**name, "max": str(TEXT_LIMIT_CEILING)}))
    if item.must_accept and item.type != "yes_no":
        problems.append(Problem("must_accept_not_allowed", item.id, dict(name)))
    return problems


def _choice_problems(item: FormField, name: Mapping[str, str]) -> list[Problem]:
    if item.type not in CHOICE_TYPES:
        return [] if item.choices is None else [Problem("choices_not_allowed", item.id,
                                                        dict(name))]
    choices = [c.strip() for c in item.choices or []]
    if not choices:
        return [Problem("choices_missing", item.id, dict(name))]
    problems = []
    if len(choices) > MAX_CHOICES:
        problems.append(Problem("too_many_choices", item.id, {**name, "max": str(MAX_CHOICES)}))
    if any(not c for c in choices):
        problems.append(Problem("choice_empty", item.id, dict(name)))
    duplicates = sorted({c for c in choices if c and choices.count(c) > 1})
    if duplicates:
        problems.append(Problem("choice_duplicate", item.id, {**name, "choice": duplicates[0]}))
    if any(len(c) > CHOICE_MAX for c in choices):
        problems.append(Problem("choice_too_long", item.id, {**name, "max": str(CHOICE_MAX)}))
    return problems


def _condition_problems(item: FormField, cond: ShowIf, earlier: Mapping[str, FormField],
                        name: Mapping[str, str]) -> list[Problem]:
    target = earlier.get(cond.field)
    if target is None:
        return [Problem("condition_not_earlier", item.id, {**name, "other": cond.field})]
    params = {**name, "other": _name(target.label) or target.id}
    if target.type == "signature":
        return [Problem("condition_on_signature", item.id, params)]
    if not condition_value_fits(target, cond.equals):
        return [Problem("condition_value_mismatch", item.id, params)]
    return []


def condition_value_fits(target: FormField, value: ConditionValue) -> bool:
    """Whether ``value`` is something the field ``target`` can be answered with."""
    kind = target.type
    if kind == "yes_no":
        return isinstance(value, bool)
    if kind in CHOICE_TYPES:
        return isinstance(value, str) and value.strip() in [c.strip() for c in
                                                            target.choices or ()]
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value)
    if kind == "date":
        return isinstance(value, str) and is_iso_date(value)
    if kind == "signature":
        return False
    return isinstance(value, str)


def is_iso_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# -- ids for new forms, sections and fields ----------------------------------------------------

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def form_id_from_title(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A form id (slug) for a title, e.g. "Einwilligung Röntgen" → "einwilligung-roentgen",
    with "-2", "-3"... appended while it is in ``taken``."""
    text = unicodedata.normalize("NFKD", title.lower().translate(_UMLAUTS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:50].strip("-")
    if len(slug) < 2:
        slug = "formular"
    return unique_form_id(slug, taken)


def unique_form_id(base: str, taken: set[str] | frozenset[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base[:58]}-{number}" in taken:
        number += 1
    return f"{base[:58]}-{number}"


def new_item_id(prefix: str, taken: set[str]) -> str:
    """The next free id such as ``field_3`` (``prefix`` must be a valid id start)."""
    number = 1
    while f"{prefix}_{number}" in taken:
        number += 1
    return f"{prefix}_{number}"
