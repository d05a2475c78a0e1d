"""The TwiML documents the Twilio webhooks answer with (German, ``<Say language="de-DE">``)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

LANG = 'language="de-DE"'
RECORDING_NOTICE = ("Dieser Anruf wird aufgezeichnet und automatisch verschriftlicht, damit "
                    "das Praxisteam Ihr Anliegen bearbeiten kann.")
# Verbatim from issue 5: never shortened or reworded.
EMERGENCY_NOTICE = ("Bei lebensbedrohlichen Notfällen legen Sie bitte auf und wählen Sie 112; "
                    "den ärztlichen Bereitschaftsdienst erreichen Sie unter 116117")
FORWARD_OFFER = "Um direkt mit der Praxis verbunden zu werden, drücken Sie jetzt die 1."
RECORD_PROMPT = ("Bitte nennen Sie nach dem Signalton Ihren Namen, Ihr Geburtsdatum, eine "
                 "Rückrufnummer und Ihr Anliegen.")
GOODBYE = "Vielen Dank für Ihre Nachricht. Auf Wiederhören."
CONNECTING = "Sie werden verbunden."


def _say(text: str) -> str:
    return f"<Say {LANG}>{escape(text)}</Say>"


def _doc(*verbs: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


def _record(*, max_length: int, action_url: str, status_url: str) -> str:
    return (f'<Record maxLength="{int(max_length)}" playBeep="true" timeout="5" '
            f"action={quoteattr(action_url)} method=\"POST\" "
            f"recordingStatusCallback={quoteattr(status_url)} "
            'recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"/>')


def voice(*, greeting: str, gather_url: str | None, max_length: int, action_url: str,
          status_url: str) -> str:
    """Greeting, recording notice, the emergency sentence, optionally the DTMF choice
    (no key pressed: Twilio goes on with the next verb), then the recording."""
    verbs = [_say(greeting), _say(RECORDING_NOTICE), _say(EMERGENCY_NOTICE)]
    if gather_url is not None:
        verbs.append(f'<Gather numDigits="1" timeout="4" action={quoteattr(gather_url)} '
                     f'method="POST">{_say(FORWARD_OFFER)}</Gather>')
    verbs += [_say(RECORD_PROMPT),
              _record(max_length=max_length, action_url=action_url, status_url=status_url)]
    return _doc(*verbs)


def dial(number: str) -> str:
    return _doc(_say(CONNECTING), f"<Dial>{escape(number)}</Dial>")


def record_only(*, max_length: int, action_url: str, status_url: str) -> str:
    return _doc(_say(RECORD_PROMPT),
                _record(max_length=max_length, action_url=action_url, status_url=status_url))


def goodbye() -> str:
    return _doc(_say(GOODBYE), "<Hangup/>")
