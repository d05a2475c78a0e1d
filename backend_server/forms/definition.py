"""Versioned form definitions: the questions of an anamnesis or consent form.

A definition is immutable data (frozen pydantic models). A definition that patients may
already have filled in is never edited in place: :func:`new_version` returns a changed copy
under the same id with ``version + 1``, so every stored answer set keeps pointing at the
exact questions it answered (id + version).

Structural rules checked on construction, each failing with a message that names the
offending id:
- ids (sections and fields share one namespace) are unique within the form;
- ``show_if`` refers to a field that comes *earlier* in the form (no cycles, and the page
  can decide visibility in one pass), never to a signature;
- the ``equals`` value fits the referenced field: a bool for yes/no, one of the choices for
  choice fields, a number within the field's kind for numbers, an ISO date for dates;
- choice fields have at least one choice (unique, non-empty); ``choices``, ``min``/``max``,
  ``max_length`` and ``must_accept`` appear only on the field types they belong to.
Sizes are capped so a definition stays something a patient can fill in on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

FieldType = Literal["text", "long_text", "number", "date", "yes_no", "single_choice",
                    "multiple_choice", "signature"]
CHOICE_TYPES: frozenset[str] = frozenset({"single_choice", "multiple_choice"})
TEXT_TYPES: frozenset[str] = frozenset({"text", "long_text"})

FORM_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$"
ITEM_ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

MAX_SECTIONS = 40
MAX_FIELDS = 300
MAX_CHOICES = 100
# Default caps on free text when a field names none; a field may set a smaller or larger
# limit up to TEXT_LIMIT_CEILING.
DEFAULT_MAX_LENGTH = {"text": 500, "long_text": 5000}
TEXT_LIMIT_CEILING = 20_000

ConditionValue = StrictBool | int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ShowIf(_Strict):
    """Show the field only when the earlier field ``field`` has the answer ``equals`` (for
    a multiple choice field: when ``equals`` is among the chosen answers)."""

    field: str = Field(pattern=ITEM_ID_PATTERN)
    equals: ConditionValue


class FormField(_Strict):
    id: str = Field(pattern=ITEM_ID_PATTERN)
    type: FieldType
    label: str = Field(min_length=1, max_length=1000)
    help: str = Field(default="", max_length=2000)
    required: bool = False
    # yes_no only: the answer must be "Ja" (a consent checkbox); implies required.
    must_accept: bool = False
    choices: tuple[str, ...] | None = Field(default=None, max_length=MAX_CHOICES)
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, ge=1, le=TEXT_LIMIT_CEILING)
    show_if: ShowIf | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> FormField:
        where = f"field '{self.id}'"
        if self.type in CHOICE_TYPES:
            if not self.choices:
                raise ValueError(f"{where}: a {self.type} field needs at least one choice")
            if any(not c for c in self.choices):
                raise ValueError(f"{where}: a choice must not be empty")
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"{where}: choices must be unique")
            if any(len(c) > 500 for c in self.choices):
                raise ValueError(f"{where}: a choice is longer than 500 characters")
        elif self.choices is not None:
            raise ValueError(f"{where}: only choice fields have choices, not {self.type}")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError(f"{where}: only number fields have min/max")
        for bound in (self.min, self.max):
            if bound is not None and not math.isfinite(bound):
                raise ValueError(f"{where}: min/max must be finite numbers")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{where}: min ({self.min:g}) is greater than max ({self.max:g})")
        if self.type not in TEXT_TYPES and self.max_length is not None:
            raise ValueError(f"{where}: only text fields have max_length")
        if self.must_accept and self.type != "yes_no":
            raise ValueError(f"{where}: only yes_no fields can be must_accept")
        return self

    @property
    def is_required(self) -> bool:
        return self.required or self.must_accept

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.type, DEFAULT_MAX_LENGTH["text"])


class Section(_Strict):
    id: str = Field(pattern=ITEM_ID_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    # Explanatory text shown above the fields (a consent form's wording); "\n" separates
    # paragraphs. It is printed in the PDF, so the signed document holds what was agreed to.
    text: str = Field(default="", max_length=TEXT_LIMIT_CEILING)
    fields: tuple[FormField, ...] = Field(min_length=1)


class FormDefinition(_Strict):
    id: str = Field(pattern=FORM_ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=TEXT_LIMIT_CEILING)
    sections: tuple[Section, ...] = Field(min_length=1, max_length=MAX_SECTIONS)

    @model_validator(mode="after")
    def _structure(self) -> FormDefinition:
        seen_ids: set[str] = set()
        earlier: dict[str, FormField] = {}
        count = 0
        for section in self.sections:
            if section.id in seen_ids:
                raise ValueError(f"id '{section.id}' is used more than once")
            seen_ids.add(section.id)
            for field in section.fields:
                count += 1
                if field.id in seen_ids:
                    raise ValueError(f"id '{field.id}' is used more than once")
                seen_ids.add(field.id)
                if field.show_if is not None:
                    _check_condition(field, field.show_if, earlier)
                earlier[field.id] = field
        if count > MAX_FIELDS:
            raise ValueError(f"a form has at most {MAX_FIELDS} fields, this one has {count}")
        return self

    def fields(self) -> Iterator[FormField]:
        """Every field in form order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FormField:
        for field in self.fields():
            if field.id == field_id:
                return field
        raise KeyError(field_id)

    @property
    def key(self) -> str:
        """``<id>@<version>``: names exactly one set of questions."""
        return f"{self.id}@{self.version}"


def _check_condition(field: FormField, cond: ShowIf, earlier: Mapping[str, FormField]) -> None:
    where = f"field '{field.id}'"
    target = earlier.get(cond.field)
    if target is None:
        raise ValueError(f"{where}: show_if refers to '{cond.field}', which is not an "
                         f"earlier field of the form")
    value = cond.equals
    kind = target.type
    if kind == "signature":
        raise ValueError(f"{where}: show_if cannot depend on the signature '{cond.field}'")
    if kind == "yes_no":
        ok = isinstance(value, bool)
        want = "true or false"
    elif kind in CHOICE_TYPES:
        ok = isinstance(value, str) and value in (target.choices or ())
        want = f"one of the choices of '{cond.field}'"
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value)
        want = "a number"
    elif kind == "date":
        ok = isinstance(value, str) and _is_iso_date(value)
        want = "an ISO date (YYYY-MM-DD)"
    else:
        ok = isinstance(value, str)
        want = "a text"
    if not ok:
        raise ValueError(f"{where}: show_if.equals {value!r} does not fit the {kind} field "
                         f"'{cond.field}' (expected {want})")


def _is_iso_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def new_version(definition: FormDefinition, changes: Mapping[str, Any]) -> FormDefinition:
    """A new version of ``definition`` with ``changes`` applied to its top-level keys
    (``title``, ``description``, ``sections`` as plain data, e.g. from ``model_dump()``).

    The original is left untouched (answers given to it keep their meaning); the copy has
    the same id and ``version + 1`` and is validated like any definition. ``id`` and
    ``version`` cannot be changed this way: a different id is a different form.
    """
    forbidden = {"id", "version"} & set(changes)
    if forbidden:
        raise ValueError(f"new_version cannot change {', '.join(sorted(forbidden))}")
    data = definition.model_dump(mode="json")
    data.update(changes)
    data["version"] = definition.version + 1
    return FormDefinition.model_validate(data)
