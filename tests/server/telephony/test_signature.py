"""The server's own X-Twilio-Signature code against the ``twilio`` package's
RequestValidator, the independent reference."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from backend_server.telephony.signature import compute_signature, signature_valid

TOKEN = "12345678901234567890123456789012"

CASES = [
    ("https://praxis.example.de/api/v1/telephony/twilio/abc/voice",
     {"CallSid": "CA123", "From": "+4917612345678", "To": "+4930555000"}),
    ("http://127.0.0.1:8765/api/v1/telephony/twilio/abc/recording-status?x=1&y=%C3%A4",
     {"RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
      "RecordingDuration": "17", "CallSid": "CA9"}),
    ("https://praxis.example.de:443/hook", {}),
    ("https://praxis.example.de/hook", {"Body": "Grüße aus Köln & Umgebung", "a": "", "B": "2"}),
]


@pytest.mark.parametrize(("url", "params"), CASES)
def test_same_signature_as_twilios_validator(url: str, params: dict[str, str]) -> None:
    reference = RequestValidator(TOKEN)
    expected = reference.compute_signature(url, params)
    assert compute_signature(TOKEN, url, params.items()) == expected
    assert reference.validate(url, params, expected)
    assert signature_valid(TOKEN, url, params.items(), expected)


def test_repeated_parameters_count_with_every_value() -> None:
    from starlette.datastructures import FormData  # has getall(), like Flask's MultiDict

    items = [("Digits", "1"), ("Digits", "2"), ("CallSid", "CA1")]
    url = "https://praxis.example.de/gather"
    expected = RequestValidator(TOKEN).compute_signature(url, FormData(items))
    assert compute_signature(TOKEN, url, items) == expected


def test_default_port_spelling_does_not_matter() -> None:
    params = {"CallSid": "CA1"}
    signed_without = RequestValidator(TOKEN).compute_signature("https://p.example/h", params)
    assert signature_valid(TOKEN, "https://p.example:443/h", params.items(), signed_without)
    signed_with = RequestValidator(TOKEN).compute_signature("https://p.example:443/h", params)
    assert signature_valid(TOKEN, "https://p.example/h", params.items(), signed_with)


def test_tampering_wrong_token_and_missing_signature_fail() -> None:
    url, params = CASES[0]
    good = RequestValidator(TOKEN).compute_signature(url, params)
    assert not signature_valid(TOKEN, url, {**params, "From": "+4900000"}.items(), good)
    assert not signature_valid(TOKEN, url + "x", params.items(), good)
    assert not signature_valid("another-token-entirely-000000000", url, params.items(), good)
    assert not signature_valid(TOKEN, url, params.items(), None)
    assert not signature_valid(TOKEN, url, params.items(), "")
    assert not signature_valid("", url, params.items(), good)
