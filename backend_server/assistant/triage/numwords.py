"""German number words as transcripts spell them: "achtundfünfzig", "neunzehnhundertneunundvierzig",
"zweitausendeins", ordinals ("zwölfter", "siebenundzwanzigsten") and spoken digits."""

from __future__ import annotations

from typing import Final

_UNITS: Final = {"null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "zwei": 2, "zwo": 2,
                 "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_TEENS: Final = {"zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
                 "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18,
                 "neunzehn": 19}
_TENS: Final = {"zwanzig": 20, "dreissig": 30, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
                "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90}
_ORDINAL_STEMS: Final = {"erst": 1, "dritt": 3, "siebt": 7, "siebent": 7, "acht": 8}
_ORDINAL_ENDINGS: Final = ("en", "er", "em", "es", "e")
# Digits read one by one in a phone number ("null sieben fünf ...").
DIGIT_WORDS: Final = {"null": "0", "eins": "1", "ein": "1", "zwei": "2", "zwo": "2",
                      "drei": "3", "vier": "4", "fünf": "5", "sechs": "6", "sieben": "7",
                      "acht": "8", "neun": "9"}


def cardinal(word: str) -> int | None:
    """The value of one German cardinal written as one word, or None."""
    word = word.lower().replace("ß", "ss").strip()
    if not word:
        return None
    for table in (_UNITS, _TEENS, _TENS):
        if word in table:
            return table[word]
    for unit_word, factor in (("tausend", 1000), ("hundert", 100)):
        # Checked before "und": "hundert" itself contains "und".
        if unit_word in word:
            left, _, right = word.partition(unit_word)
            multiplier = 1 if left in ("", "ein", "eins") else cardinal(left)
            rest = 0 if right == "" else cardinal(right.removeprefix("und"))
            if multiplier is None or rest is None or rest >= factor:
                return None
            return multiplier * factor + rest
    if "und" in word:
        unit, _, tens = word.partition("und")
        if unit in _UNITS and tens in _TENS and _UNITS[unit] > 0:
            return _UNITS[unit] + _TENS[tens]
    return None


def ordinal(word: str) -> int | None:
    """"zwölfter" -> 12, "ersten" -> 1, "einunddreißigsten" -> 31; None if not an ordinal."""
    word = word.lower().replace("ß", "ss").strip().rstrip(".")
    stem = word
    for ending in _ORDINAL_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[:-len(ending)]
            break
    else:
        return None
    if stem in _ORDINAL_STEMS:
        return _ORDINAL_STEMS[stem]
    if stem.endswith("st"):
        value = cardinal(stem[:-2])
        if value is not None and value >= 20:
            return value
    if stem.endswith("t"):
        value = cardinal(stem[:-1])
        if value is not None and 2 <= value < 20:
            return value
    return None


def number_value(words: list[str]) -> int | None:
    """A number said in one or more words: "neunzehnhundert achtundfünfzig", "neunzehn
    achtundfünfzig" (= 1958), "zweitausend fünf"; None when the words are not one number."""
    if not words:
        return None
    joined = cardinal("".join(words))
    if joined is not None:
        return joined
    if len(words) == 2:
        first, second = cardinal(words[0]), cardinal(words[1])
        # "neunzehn achtundfünfzig": century and year said apart.
        if first in (19, 20) and second is not None and 0 <= second < 100:
            return first * 100 + second
    return None
