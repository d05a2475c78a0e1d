"""Translated words for forms: field types, statuses, and the editor's problem sentences.

``app.forms.definition`` reports problems as codes with parameters; the sentences live here
(context "FormTexts", literal strings so lupdate finds them).
"""

from __future__ import annotations

from collections.abc import Callable

from app.forms.definition import Problem
from app.forms.versions import ACTIVE, ARCHIVED
from ui.inbox.texts import fill
from ui.qt import QCoreApplication

translate = QCoreApplication.translate


def type_labels() -> dict[str, str]:
    """Every field type with its name, in the order the editor offers them."""
    return {
        "text": translate("FormTexts", "Short text"),
        "long_text": translate("FormTexts", "Long text"),
        "number": translate("FormTexts", "Number"),
        "date": translate("FormTexts", "Date"),
        "yes_no": translate("FormTexts", "Yes / no"),
        "single_choice": translate("FormTexts", "Single choice"),
        "multiple_choice": translate("FormTexts", "Multiple choice"),
        "signature": translate("FormTexts", "Signature"),
    }


def status_label(status: str) -> str:
    if status == ACTIVE:
        return translate("FormTexts", "Active")
    if status == ARCHIVED:
        return translate("FormTexts", "Archived")
    return status


def yes_no_label(value: bool) -> str:
    return translate("FormTexts", "Yes") if value else translate("FormTexts", "No")


def _sentences() -> dict[str, Callable[[], str]]:
    # %1 is the section's or field's name; %2 a second value (another field, a limit).
    return {
        "form_id_invalid": lambda: translate(
            "FormTexts", "The form's internal name “%1” is not valid."),
        "version_invalid": lambda: translate("FormTexts", "The version number is not valid."),
        "title_missing": lambda: translate("FormTexts", "Please enter a title for the form."),
        "title_too_long": lambda: translate(
            "FormTexts", "The form's title is too long (at most %2 characters)."),
        "description_too_long": lambda: translate(
            "FormTexts", "The description is too long (at most %2 characters)."),
        "no_sections": lambda: translate("FormTexts", "The form needs at least one section."),
        "too_many_sections": lambda: translate(
            "FormTexts", "A form can have at most %2 sections."),
        "too_many_fields": lambda: translate("FormTexts", "A form can have at most %2 fields."),
        "id_invalid": lambda: translate("FormTexts", "“%1” has an invalid internal name."),
        "id_duplicate": lambda: translate(
            "FormTexts", "“%1” uses an internal name that is already taken."),
        "section_title_missing": lambda: translate(
            "FormTexts", "A section has no title. Please enter one."),
        "section_title_too_long": lambda: translate(
            "FormTexts", "Section “%1”: the title is too long (at most %2 characters)."),
        "section_text_too_long": lambda: translate(
            "FormTexts", "Section “%1”: the text is too long (at most %2 characters)."),
        "section_empty": lambda: translate(
            "FormTexts", "Section “%1” has no fields. Add a field or remove the section."),
        "label_missing": lambda: translate(
            "FormTexts", "A field in section “%3” has no question. Please enter one."),
        "label_too_long": lambda: translate(
            "FormTexts", "“%1”: the question is too long (at most %2 characters)."),
        "help_too_long": lambda: translate(
            "FormTexts", "“%1”: the help text is too long (at most %2 characters)."),
        "type_unknown": lambda: translate("FormTexts", "“%1” has an unknown field type."),
        "choices_missing": lambda: translate(
            "FormTexts", "“%1” needs at least one answer option."),
        "choice_empty": lambda: translate("FormTexts", "“%1” has an empty answer option."),
        "choice_duplicate": lambda: translate(
            "FormTexts", "“%1” lists the answer option “%2” twice."),
        "choice_too_long": lambda: translate(
            "FormTexts", "“%1”: an answer option is too long (at most %2 characters)."),
        "too_many_choices": lambda: translate(
            "FormTexts", "“%1” has too many answer options (at most %2)."),
        "choices_not_allowed": lambda: translate(
            "FormTexts", "“%1”: only choice fields have answer options."),
        "min_max_not_allowed": lambda: translate(
            "FormTexts", "“%1”: only number fields have a smallest and largest value."),
        "bound_not_finite": lambda: translate(
            "FormTexts", "“%1”: the smallest and largest value must be numbers."),
        "min_above_max": lambda: translate(
            "FormTexts", "“%1”: the smallest value is greater than the largest value."),
        "max_length_not_allowed": lambda: translate(
            "FormTexts", "“%1”: only text fields have a maximum length."),
        "max_length_out_of_range": lambda: translate(
            "FormTexts", "“%1”: the maximum length must be between 1 and %2 characters."),
        "must_accept_not_allowed": lambda: translate(
            "FormTexts", "“%1”: only yes/no fields can require the answer “Yes”."),
        "condition_not_earlier": lambda: translate(
            "FormTexts", "“%1” is shown depending on a field that does not come before it."),
        "condition_on_signature": lambda: translate(
            "FormTexts", "“%1” cannot be shown depending on the signature “%2”."),
        "condition_value_mismatch": lambda: translate(
            "FormTexts", "“%1”: the value of the condition does not fit the field “%2”."),
    }


# Which parameter fills %2 for each problem (%1 is always the name, %3 the section).
_SECOND = {"choice_duplicate": "choice", "condition_on_signature": "other",
           "condition_value_mismatch": "other"}


def problem_message(problem: Problem) -> str:
    sentence = _sentences().get(problem.code)
    if sentence is None:
        return translate("FormTexts", "The form has a problem (%1).").replace("%1", problem.code)
    params = problem.params
    second = params.get(_SECOND.get(problem.code, "max"), "")
    section = params.get("section") or fill(translate("FormTexts", "Section %1"),
                                            params.get("section_position", ""))
    name = params.get("name") or params.get("id", "")
    if not name and "section_position" in params:
        name = fill(translate("FormTexts", "Question %1 in section %2"), params.get("position", ""),
                    section)
    elif not name and "position" in params:
        name = fill(translate("FormTexts", "Section %1"), params["position"])
    return fill(sentence(), name, second, section)
