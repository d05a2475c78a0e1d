"""Extraction from a German caller transcript: name, date of birth, callback number, and the
wished time frame of an appointment.

Everything here is communication content: it is returned, never logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

from backend_server.assistant.triage.numwords import DIGIT_WORDS, cardinal, number_value, ordinal

# ---------------------------------------------------------------- dates of birth

MONTHS: Final = {"januar": 1, "jänner": 1, "februar": 2, "feber": 2, "märz": 3, "maerz": 3,
                 "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8, "september": 9,
                 "oktober": 10, "november": 11, "dezember": 12}
_MONTH_RX = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORD = r"[a-zäöüß]+"
# Up to three words after the month: the year, in digits or words.
_YEAR_TAIL = r"((?:\d{4}|\d{2})\b|" + _WORD + r"(?:[ -]" + _WORD + r"){0,2})"
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d])")
_DAY_MONTH_NAME = re.compile(
    r"(?<![\d.])(\d{1,2})\.?\s+(" + _MONTH_RX + r")\s*,?\s+" + _YEAR_TAIL)
_WORD_DAY_MONTH_NAME = re.compile(
    r"\b(" + _WORD + r")\s+(" + _MONTH_RX + r")\s*,?\s+" + _YEAR_TAIL)
_WORD_DAY_WORD_MONTH = re.compile(
    r"\b(" + _WORD + r")\s+(" + _WORD + r")\s*,?\s+" + _YEAR_TAIL)
_BIRTH_CUE_BEFORE = re.compile(
    r"(?:geboren|geb\.|geburtsdatum|geburtstag|jahrgang|geburt)\W*(?:\w+\W+){0,6}$")
_BIRTH_CUE_AFTER = re.compile(r"geboren|zur welt")


@dataclass(frozen=True)
class _DateHit:
    start: int
    value: date


@dataclass(frozen=True)
class _Year:
    value: int
    # Said with two digits ("58"): the century is a guess that may be moved back.
    short: bool


def _expand_year(year: int, digits: int, today: date) -> _Year:
    if digits > 2:
        return _Year(year, False)
    # Two digits: this century if that is not in the future, else the last one.
    return _Year(2000 + year if 2000 + year <= today.year else 1900 + year, True)


def _year_from(tail: str, today: date) -> _Year | None:
    tail = tail.strip()
    if tail.isdigit():
        return _expand_year(int(tail), len(tail), today)
    words = re.split(r"[ -]", tail)
    # Longest reading first: "neunzehnhundert achtundfünfzig" before "neunzehnhundert".
    for n in range(len(words), 0, -1):
        value = number_value(words[:n])
        if value is None:
            continue
        if 1000 <= value <= today.year:
            return _Year(value, False)
        if 0 <= value < 100:
            return _expand_year(value, 2, today)
    return None


def _make_date(year: _Year | None, month: int | None, day: int | None,
               today: date) -> date | None:
    if year is None or month is None or day is None:
        return None
    try:
        value = date(year.value, month, day)
    except ValueError:
        return None
    if value > today and year.short and year.value >= 2000:
        # "5.12.26" said in November 2026 is a 1926 birthday, not a future one.
        try:
            value = date(year.value - 100, month, day)
        except ValueError:
            return None
    if value > today or value.year < today.year - 125:
        return None
    return value


def _date_hits(text: str, today: date) -> Iterator[_DateHit]:
    for m in _NUMERIC_DATE.finditer(text):
        year = _expand_year(int(m.group(3)), len(m.group(3)), today)
        value = _make_date(year, int(m.group(2)), int(m.group(1)), today)
        if value:
            yield _DateHit(m.start(), value)
    for m in _DAY_MONTH_NAME.finditer(text):
        value = _make_date(_year_from(m.group(3), today), MONTHS[m.group(2)],
                           int(m.group(1)), today)
        if value:
            yield _DateHit(m.start(), value)
    for m in _WORD_DAY_MONTH_NAME.finditer(text):
        value = _make_date(_year_from(m.group(3), today), MONTHS[m.group(2)],
                           ordinal(m.group(1)), today)
        if value:
            yield _DateHit(m.start(), value)
    for m in _WORD_DAY_WORD_MONTH.finditer(text):
        # "zwölfter dritter achtundfünfzig": both day and month as ordinals.
        month = ordinal(m.group(2))
        if month is not None and month <= 12:
            value = _make_date(_year_from(m.group(3), today), month, ordinal(m.group(1)), today)
            if value:
                yield _DateHit(m.start(), value)


def extract_dob(transcript: str, today: date) -> str | None:
    """The date of birth as ISO ``YYYY-MM-DD``: the date next to "geboren"/"Geburtsdatum",
    else the first full past date in the call."""
    text = transcript.lower()
    hits = sorted(_date_hits(text, today), key=lambda h: h.start)
    if not hits:
        return None
    for hit in hits:
        before = text[max(0, hit.start - 60):hit.start]
        # "meine Tochter ist am 11. April 2015 geboren": the cue may follow the date.
        after = text[hit.start:hit.start + 45]
        if _BIRTH_CUE_BEFORE.search(before) or _BIRTH_CUE_AFTER.search(after):
            return hit.value.isoformat()
    return hits[0].value.isoformat()


# ---------------------------------------------------------------- callback number

_PHONE_CUE = re.compile(
    r"(?:erreich|nummer|telefon|rückruf|zurückruf|anruf|handy|mobil|festnetz|unter|tel\.)")
_TOKEN = re.compile(r"\+|\d+|[a-zäöüß]+")
_JOINER = re.compile(r"^[\s,/()\-–]*$")


def to_e164(raw: str) -> str | None:
    """A German number as E.164 (``+49...``) when it can be; other digits as heard; None
    when nothing like a number is left."""
    plus = raw.strip().startswith("+")
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 3:
        return None
    if plus:
        e164 = "+" + digits
    elif digits.startswith("00"):
        e164 = "+" + digits[2:]
    elif digits.startswith("0"):
        e164 = "+49" + digits[1:]
    else:
        return digits
    # "+49 (0)171 ...": the national trunk 0 written after the country code.
    return "+49" + e164[4:] if e164.startswith("+490") else e164


@dataclass(frozen=True)
class _PhoneHit:
    start: int
    raw: str


def _phone_hits(text: str) -> Iterator[_PhoneHit]:
    run: list[str] = []
    run_start = 0
    last_end = 0

    def flush() -> Iterator[_PhoneHit]:
        digits = "".join(run)
        if len(digits.lstrip("+")) >= 6:
            yield _PhoneHit(run_start, digits)

    for m in _TOKEN.finditer(text):
        token = m.group()
        piece: str | None
        if token.isdigit():
            piece = token
        elif token in DIGIT_WORDS:
            piece = DIGIT_WORDS[token]
        elif token in ("+", "plus") and not run:
            piece = "+"
        else:
            value = cardinal(token)
            # Pairs are read as words too: "null sieben fünf drei eins, zwölf vierunddreißig";
            # larger groups ("einhundertdreiundzwanzig") only continue a number begun with
            # "null" or "plus", never start one (they are years and amounts elsewhere).
            if value is not None and 10 <= value < 100:
                piece = str(value)
            elif value is not None and value >= 100 and run and run[0] in ("0", "+"):
                piece = str(value)
            else:
                piece = None
        joined = bool(run) and _JOINER.match(text[last_end:m.start()]) is not None
        if piece is not None and (joined or not run):
            if not run:
                run_start = m.start()
            run.append(piece)
        else:
            yield from flush()
            run = [piece] if piece is not None else []
            run_start = m.start()
        last_end = m.end()
    yield from flush()


def extract_phone(transcript: str, caller_id: str | None = None) -> str | None:
    """The callback number the caller says (E.164 when German), else the caller id."""
    text = transcript.lower()
    hits = [h for h in _phone_hits(text) if 6 <= len(h.raw.lstrip("+")) <= 15]
    best: _PhoneHit | None = None
    if hits:
        def score(hit: _PhoneHit) -> tuple[int, int, int]:
            cue = _PHONE_CUE.search(text[max(0, hit.start - 40):hit.start]) is not None
            national = hit.raw.startswith(("0", "+"))
            return (int(national), int(cue), hit.start)
        best = max(hits, key=score)
    if best is not None:
        return to_e164(best.raw)
    if caller_id and re.search(r"\d{4}", caller_id) and not re.search(r"[a-zA-Z]", caller_id):
        return to_e164(caller_id)
    return None


def phones_equal(a: str | None, b: str | None) -> bool:
    """Compares two numbers by their normalised forms ("0171 5550123" == "+491715550123")."""
    if a is None or b is None:
        return a is b
    return to_e164(a) == to_e164(b)


# ---------------------------------------------------------------- name

_CAP = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
_NOT_NAMES: Final = frozenset(w.lower() for w in (
    "Guten", "Gute", "Tag", "Hallo", "Hi", "Hey", "Morgen", "Abend", "Grüß", "Gott", "Moin",
    "Servus", "Schönen", "Ja", "Nein", "Hier", "Ich", "Mein", "Meine", "Name", "Herr", "Herrn",
    "Frau", "Doktor", "Dr", "Praxis", "Sie", "Geburtsdatum", "Geboren", "Also", "Und", "Bitte",
    "Danke", "Entschuldigung", "Tochter", "Sohn", "Mutter", "Vater", "Mann", "Ehemann",
    "Ehefrau", "Termin", "Rezept", "Heiligabend", "Telefon", "Nummer", "Jahrgang", "Wir",
    "Es", "Das", "Die", "Der", "Am", "Im", "Mir", "Mich", "Wie", "Was", "Wann", "Oma", "Opa",
    "Enkel", "Enkelin", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
    "Sonntag", "Team", "Zusammen", "Liebe", "Lieber", "Sehr", "Geehrte", "Schwester", "Bruder",
    *MONTHS))
_RELATION = (r"(?:Tochter|Sohn|Mutter|Vater|Mann|Frau|Ehemann|Ehefrau|Partner\w*|Enkel\w*|"
             r"Nachbar\w*|Pfleger\w*|Betreuer\w*|Schwester|Bruder|Schwieger\w+|Lebensgefährt\w*)")
_FULL = rf"({_CAP}(?:\s+(?:von|van|de|zu)\s+{_CAP}|\s+{_CAP}){{1,2}})"
_INTRO = (r"(?:mein name ist|ich heiße|ich heisse|hier ist|hier spricht|ich bin|es spricht|"
          r"am apparat ist)")
_NAME_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Someone calls for a patient: the patient's name is what the practice needs.
    (re.compile(rf"{_RELATION}\s+(?:von|vom)\s+(?:Herrn\s+|Frau\s+|Herr\s+)?{_FULL}"), "full"),
    (re.compile(rf"({_CAP})\s+({_CAP})s\s+{_RELATION}\b"), "genitive"),
    # "Becker hier, Klaus Becker" / "Schulz, Ingrid Schulz" / "Braun mein Name, Werner Braun"
    (re.compile(rf"\b({_CAP})(?:\s+hier|\s+mein\s+Name|\s+am\s+Apparat)?\s*,?\s+({_CAP})\s+\1\b"),
     "repeat"),
    (re.compile(rf"(?i:{_INTRO})\s+(?:Herr\s+|Frau\s+|Dr\.?\s+)?{_FULL}"), "full"),
    (re.compile(rf"{_FULL}\s+(?:hier|am Apparat|mein Name|spricht)\b"), "full"),
    # "Schmitt, Daniel, geboren ..." / "Huber, Karl, 30.10.1950": surname first.
    (re.compile(rf"\b({_CAP}),\s+({_CAP}),?\s+(?=geb|Geb|\d|[a-zäöü]+ter\b|[a-zäöü]+ten\b)"),
     "inverted"),
    # "Guten Tag, Murat Yilmaz, geboren ..." / "Hallo, Sandra Köhler, 16. März 1981"
    (re.compile(rf"{_FULL}\s*,?\s+(?=geb|Geb|\d|[a-zäöü]+ter\b|[a-zäöü]+ten\b)"), "full"),
    # Only a surname: "hier ist Schulz", "Krause hier".
    (re.compile(rf"(?i:{_INTRO})\s+(?:Herr\s+|Frau\s+)?({_CAP})\b"), "single"),
    (re.compile(rf"\b({_CAP})\s+(?:hier|am Apparat|mein Name)\b"), "single"),
    # "Ja, Müller, guten Tag": the surname said before the greeting.
    (re.compile(rf"^\W*(?:[Jj]a\W+)?({_CAP})\s*,\s*(?i:guten|hallo|grüß|schönen)"), "single"),
)
# A transcript in lower case (some speech-to-text set-ups): two words after an introduction.
_LOWER_INTRO = re.compile(rf"{_INTRO}\s+(?:herr\s+|frau\s+)?([a-zäöüß-]+)\s+([a-zäöüß-]+)")
_NOT_NAMES_LOWER: Final = frozenset({
    "die", "der", "das", "ich", "und", "mit", "von", "vom", "am", "im", "wegen", "geboren",
    "also", "noch", "mal", "hier", "wieder", "nur", "eine", "ein", "einen", "meine", "mein",
    "wollte", "möchte", "brauche", "bräuchte", "hätte", "habe", "bin", "ist", "rufe", "an",
    "bitte", "gerne", "gern", "ja", "nein", "schon", "jetzt", "heute", "morgen"})


def _clean_name(words: list[str]) -> str | None:
    kept = [w for w in words if w.lower() not in _NOT_NAMES or w in ("von", "van", "de", "zu")]
    if len(kept) != len(words) or not kept:
        return None
    return " ".join(kept)


def extract_name(transcript: str) -> str | None:
    """The caller's (or, when someone calls for them, the patient's) full name."""
    text = re.sub(r"\s+", " ", transcript)
    for pattern, kind in _NAME_PATTERNS:
        for m in pattern.finditer(text):
            if kind == "genitive":
                surname = m.group(2)
                words = [m.group(1), surname]
            elif kind == "repeat":
                words = [m.group(2), m.group(1)]
            elif kind == "inverted":
                words = [m.group(2), m.group(1)]
            else:
                words = m.group(1).split()
            name = _clean_name(words)
            if name is not None:
                return name
    lower = _LOWER_INTRO.search(text.lower())
    if lower and not {lower.group(1), lower.group(2)} & (_NOT_NAMES_LOWER | _NOT_NAMES):
        return " ".join(w.capitalize() for w in lower.groups())
    return None


def names_equal(a: str | None, b: str | None) -> bool:
    """Case- and whitespace-insensitive comparison of full names."""
    if a is None or b is None:
        return a is b
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


# ---------------------------------------------------------------- wished time frame

_WEEKDAYS = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
_TIME_PHRASES = re.compile(r"\b(?:" + "|".join((
    r"(?:so )?bald wie möglich", r"möglichst (?:bald|schnell|früh)", r"zeitnah",
    r"(?:heute|morgen|übermorgen)(?: (?:früh|vormittag|nachmittag|abend))?",
    r"(?:in )?(?:dieser|diese|nächster|nächste|übernächster|übernächste|kommender|kommende)"
    r" woche",
    r"(?:anfang|mitte|ende) (?:der |des |nächster |nächsten |kommender )?"
    r"(?:woche|monats|monat|" + _MONTH_RX + r")",
    r"(?:im|ab|bis|vor|nach) (?:" + _MONTH_RX + r")", r"(?:am |ab |bis )?" + _WEEKDAYS
    + r"(?:vormittag|nachmittag|abend|morgen)?s?",
    r"in (?:den )?(?:nächsten )?(?:zwei|drei|vier|\d+) wochen", r"in (?:zwei|drei|\d+) tagen",
    r"(?:ab|nach|vor|gegen|um|bis) (?:\d{1,2}|" + _WORD + r") uhr",
    r"vormittags?", r"nachmittags?", r"abends", r"morgens", r"mittags", r"frühmorgens",
    r"(?:am )?(?:vormittag|nachmittag|abend)",
)) + r")\b")
_WISH_CUE = re.compile(r"liebsten|gerne?\b|am besten|verschieben|verlegen|hätten sie|haben sie|"
                       r"wäre|passt|ginge|geht|neuen termin|termin (?:im|am|für|in)|möchte|"
                       r"hätte|bräuchte|brauche|wann")
_CANCEL_CUE = re.compile(r"absagen|nicht wahrnehmen|nicht kommen|verhindert|ausfallen|"
                         r"habe (?:am|um) .* (?:einen )?termin")


def extract_wished_time(transcript: str) -> str | None:
    """The time frame an appointment caller wishes for, lightly normalised (lower case,
    phrases in the order said): "nächste woche vormittags"."""
    text = re.sub(r"\s+", " ", transcript.lower())
    sentences = [s for s in re.split(r"(?<!\d)[.!?]+", text) if s.strip()]

    def phrases(sentence: str) -> list[str]:
        found: list[str] = []
        for m in _TIME_PHRASES.finditer(sentence):
            phrase = m.group().strip()
            # A weekday named as the date of an appointment to cancel is not a wish.
            if phrase and phrase not in found:
                found.append(phrase)
        return found

    wished: list[str] = []
    for sentence in sentences:
        if _WISH_CUE.search(sentence) and not _CANCEL_CUE.search(sentence):
            wished.extend(p for p in phrases(sentence) if p not in wished)
    if not wished:
        for sentence in sentences:
            for clause in re.split(r",| und | aber ", sentence):
                if not _CANCEL_CUE.search(clause):
                    wished.extend(p for p in phrases(clause) if p not in wished)
    return " ".join(wished) if wished else None
