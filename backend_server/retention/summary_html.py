"""``summary.html`` of a patient export: the records in German, readable by a layperson.

Self-contained on purpose: inline style only, no script, no image, no link to anything
outside the file, and a Content-Security-Policy that forbids loading anything, so opening
it offline shows everything and leaks nothing. Every value is escaped: names and texts
come from patients and may contain markup.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html import escape
from typing import Any

_TYPES = {"appointment": "Terminanfrage", "prescription": "Rezeptanfrage",
          "referral": "Überweisung", "sick_note": "Arbeitsunfähigkeitsbescheinigung",
          "results": "Befundanfrage", "other": "Sonstige Anfrage"}
_STATUSES = {"new": "neu", "in_progress": "in Bearbeitung", "done": "erledigt"}
_AUTHORS = {"patient": "Patient/in", "staff": "Praxis"}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:50em;
color:#1b1b1b;line-height:1.45;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
h3{font-size:1em;margin-top:1.5em}
table{border-collapse:collapse}td,th{text-align:left;padding:.2em .8em .2em 0;vertical-align:top}
.msg{border-left:3px solid #9ab;padding:.3em .8em;margin:.6em 0;white-space:pre-wrap}
.meta{color:#555;font-size:.9em}.empty{color:#777;font-style:italic}
"""


def _text(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _when(value: str | None) -> str:
    if not value:
        return "–"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%d.%m.%Y %H:%M UTC")


def _day(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y") if value else "–"


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{_text(k)}</th><td>{v}</td></tr>"
                               for k, v in pairs) + "</table>"


def _details(details: dict[str, Any]) -> str:
    if not details:
        return ""
    return f'<div class="meta">Angaben: {_text(json.dumps(details, ensure_ascii=False))}</div>'


def _conversation(conv: dict[str, Any]) -> str:
    parts = [f"<h2>Unterhaltung vom {_text(_when(conv['created_at']))}</h2>",
             f'<p class="meta">Kennung {_text(conv["id"])}</p>', "<h3>Nachrichten</h3>"]
    if not conv["messages"]:
        parts.append('<p class="empty">Keine Nachrichten.</p>')
    for message in conv["messages"]:
        author = _AUTHORS.get(message["author"], message["author"])
        parts.append(f'<div class="msg"><div class="meta">{_text(author)}, '
                     f"{_text(_when(message['created_at']))}</div>{_text(message['text'])}")
        for item in message["attachments"]:
            where = (f"Datei im Archiv: {_text(item['file'])}" if item.get("file")
                     else "Datei nicht mehr lesbar")
            parts.append(f'<div class="meta">Anhang: {_text(item["filename"])} '
                         f"({_text(item['size'])} Bytes) – {where}</div>")
        parts.append("</div>")
    parts.append("<h3>Anfragen</h3>")
    if not conv["inquiries"]:
        parts.append('<p class="empty">Keine Anfragen.</p>')
    for inquiry in conv["inquiries"]:
        kind = _TYPES.get(inquiry["type"], inquiry["type"])
        status = _STATUSES.get(inquiry["status"], inquiry["status"])
        parts.append(f'<div class="msg"><div class="meta">{_text(kind)}, '
                     f"{_text(_when(inquiry['created_at']))}, Status: {_text(status)}</div>"
                     f"{_text(inquiry['text'])}{_details(inquiry['details'])}</div>")
    parts.append("<h3>Interne Notizen der Praxis</h3>")
    if not conv["notes"]:
        parts.append('<p class="empty">Keine Notizen.</p>')
    for note in conv["notes"]:
        parts.append(f'<div class="msg"><div class="meta">{_text(_when(note["created_at"]))}'
                     f"</div>{_text(note['text'])}</div>")
    parts.append("<h3>Zugangslinks zur Patientenseite</h3>")
    if not conv["links"]:
        parts.append('<p class="empty">Keine Links.</p>')
    else:
        parts.append("<ul>" + "".join(
            f"<li>erstellt {_text(_when(link['created_at']))}, gültig bis "
            f"{_text(_when(link['expires_at']))}"
            + (f", widerrufen {_text(_when(link['revoked_at']))}" if link["revoked_at"] else "")
            + "</li>" for link in conv["links"]) + "</ul>")
    return "".join(parts)


def render_summary(patient: dict[str, Any], conversations: list[dict[str, Any]],
                   exported_at: datetime) -> str:
    master = _rows([
        ("Name", _text(patient["name"])),
        ("Geburtsdatum", _text(_day(patient["dob"]))),
        ("E-Mail", _text(patient["email"] or "–")),
        ("Telefon", _text(patient["phone"] or "–")),
        ("Angelegt am", _text(_when(patient["created_at"]))),
        ("Kennung", _text(patient["id"])),
    ])
    body = "".join(_conversation(c) for c in conversations) or \
        '<p class="empty">Keine Unterhaltungen gespeichert.</p>'
    stamp = exported_at.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>Datenauskunft {_text(patient['name'])}</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>Auskunft über gespeicherte Daten (Art. 15 und 20 DSGVO)</h1>"
        f"<p class=\"meta\">Erstellt am {_text(stamp)}. Dieses Archiv enthält dieselben "
        "Daten maschinenlesbar (JSON) sowie alle Anhänge. Nachrichten und Anfragen werden "
        "105 Tage nach ihrem Eingang automatisch gelöscht.</p>"
        f"<h2>Stammdaten</h2>{master}{body}</body></html>\n"
    )
