"""Extraction: caller name, date of birth (numeric and spoken German forms), callback number
(E.164, spoken digits, caller id fallback) and the wished time frame."""

from __future__ import annotations

from datetime import date

import pytest

from backend_server.assistant.triage import extract
from backend_server.assistant.triage.numwords import cardinal, ordinal

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("text", "iso"), [
    ("geboren am 12. März 1958", "1958-03-12"),
    ("Geburtsdatum 12.3.58", "1958-03-12"),
    ("geboren am 30.06.1975", "1975-06-30"),
    ("geboren zwölfter März achtundfünfzig", "1958-03-12"),
    ("Geburtsdatum zweiter November neunzehnhundertneunundvierzig", "1949-11-02"),
    ("am zwölften März neunzehnhundert achtundfünfzig geboren", "1958-03-12"),
    ("geboren neunzehnter Mai neunzehn sechsundsiebzig", "1976-05-19"),
    ("ich bin am dritten Januar zweitausendeins geboren", "2001-01-03"),
    ("zwölfter dritter achtundfünfzig", "1958-03-12"),
    ("geboren 12. 3. 1958", "1958-03-12"),
    # Two-digit years: this century unless that would be in the future.
    ("geboren 5.5.05", "2005-05-05"),
    ("geboren 1.12.26", "1926-12-01"),
    ("geboren 1.11.26", "2026-11-01"),
    # A later appointment date is not the birthday.
    ("Mein Termin ist am 12.12.2026, ich bin geboren am 1.2.1960", "1960-02-01"),
    ("meine Tochter ist am 11. April 2015 geboren", "2015-04-11"),
])
def test_date_of_birth_forms(text: str, iso: str) -> None:
    assert extract.extract_dob(text, TODAY) == iso


def test_no_date_of_birth() -> None:
    assert extract.extract_dob("Ich habe am Donnerstag einen Termin.", TODAY) is None


def test_number_words() -> None:
    assert cardinal("neunzehnhundertneunundvierzig") == 1949
    assert cardinal("zweitausendfünfzehn") == 2015
    assert cardinal("dreißig") == 30
    assert ordinal("siebenundzwanzigster") == 27
    assert ordinal("einunddreißigsten") == 31
    assert ordinal("achten") == 8
    assert ordinal("Haus") is None


@pytest.mark.parametrize(("text", "e164"), [
    ("Sie erreichen mich unter 07531 123456.", "+497531123456"),
    ("Rückruf bitte unter 0171 5550123.", "+491715550123"),
    ("Meine Nummer ist +49 171 5550123.", "+491715550123"),
    ("Telefon 0171/555 01 23", "+491715550123"),
    ("unter 0049 30 1234567", "+49301234567"),
    ("Meine Nummer ist null sieben fünf drei eins eins zwei drei vier fünf sechs.",
     "+497531123456"),
    ("Rückruf unter null eins sieben eins, fünf fünf fünf, null eins zwei drei.",
     "+491715550123"),
    ("Erreichbar unter null sieben fünf drei eins, zwölf vierunddreißig sechsundfünfzig.",
     "+497531123456"),
    ("Meine Nummer ist null sieben fünf drei eins "
     "einhundertdreiundzwanzigtausendvierhundertsechsundfünfzig.", "+497531123456"),
    ("Sie erreichen mich unter +49 (0)171 5550123.", "+491715550123"),
    # The date of birth's digits are not a phone number.
    ("geboren 12.3.58, meine Nummer 0171-555 01 23", "+491715550123"),
])
def test_callback_number_forms(text: str, e164: str) -> None:
    assert extract.extract_phone(text, caller_id="+4930999888") == e164


def test_caller_id_is_the_fallback() -> None:
    text = "Bitte rufen Sie mich auf der Nummer zurück, von der ich anrufe."
    assert extract.extract_phone(text, caller_id="0711 123456") == "+49711123456"
    assert extract.extract_phone(text, caller_id="anonymous") is None
    assert extract.extract_phone(text) is None


def test_phone_comparison_uses_normalised_forms() -> None:
    assert extract.phones_equal("07531 123456", "+497531123456")
    assert extract.phones_equal("0049 7531 123456", "+49 7531 123456")
    assert not extract.phones_equal("07531 123456", "07531 123457")


@pytest.mark.parametrize(("text", "name"), [
    ("Guten Tag, hier ist Greta Hansen, ich brauche ...", "Greta Hansen"),
    ("Ja hallo, Peters hier, Ole Peters, ich brauche ...", "Ole Peters"),
    ("Hallo, mein Name ist Ines Berg.", "Ines Berg"),
    ("Guten Morgen, Jonas Albers hier.", "Jonas Albers"),
    ("Roth, Felix, geboren 4.4.1980.", "Felix Roth"),
    ("Guten Tag, Emre Aydin, geboren am 19.07.1984.", "Emre Aydin"),
    ("Hallo, hier ist die Tochter von Hanna Vogt.", "Hanna Vogt"),
    ("Hallo, hier ist Leyla Karas Mutter.", "Leyla Kara"),
    ("Guten Tag, hier spricht Dr. Hans-Peter Müller-Lüdenscheidt.",
     "Hans-Peter Müller-Lüdenscheidt"),
    ("Guten Tag, hier ist Anna von Bergen, geboren am 3.3.1970.", "Anna von Bergen"),
    ("Ja hallo, hier ist Frau Krause.", "Krause"),
    ("Ja, Müller, guten Tag, ich brauche ein Rezept.", "Müller"),
    ("Guten Tag, mein Name ist Schulze, Petra Schulze.", "Petra Schulze"),
    ("Ich rufe an wegen meiner Mutter, Erna Weber, geboren am 3.4.1931.", "Erna Weber"),
    # Speech-to-text without capitals.
    ("hallo hier ist greta hansen geboren am dritten mai", "Greta Hansen"),
])
def test_names(text: str, name: str) -> None:
    assert extract.extract_name(text) == name


def test_no_name() -> None:
    assert extract.extract_name("Guten Tag, ich hätte gern einen Termin.") is None


def test_name_comparison_ignores_case_and_spacing() -> None:
    assert extract.names_equal("maria  schneider", "Maria Schneider")
    assert not extract.names_equal("Maria", "Maria Schneider")


@pytest.mark.parametrize(("text", "wished"), [
    ("Ich hätte gerne einen Termin, am liebsten nächste Woche vormittags.",
     "nächste woche vormittags"),
    ("Ich habe am Donnerstag um zehn Uhr einen Termin, kann den aber nicht wahrnehmen. "
     "Können wir den auf nächste Woche verschieben?", "nächste woche"),
    ("Ich möchte meinen Termin am Montag absagen. Ich bräuchte einen neuen Termin im "
     "November.", "im november"),
    ("Wann hätten Sie einen Termin frei? Am besten nachmittags.", "nachmittags"),
    ("Ich hätte gern einen Termin.", None),
])
def test_wished_time_frame(text: str, wished: str | None) -> None:
    assert extract.extract_wished_time(text) == wished
