"""The emergency rule layer: every family fires on broad, colloquial phrasings (first and
third person), and past or negated mentions do not raise an alarm."""

from __future__ import annotations

import pytest

from backend_server.assistant.triage import rules

EMERGENCIES: list[tuple[str, str]] = [
    # chest pain / pressure
    ("chest_pain", "Ich habe seit einer Stunde Brustschmerzen."),
    ("chest_pain", "Mein Mann hat so einen Druck auf der Brust und schwitzt."),
    ("chest_pain", "Da ist ein Engegefühl, ich weiß nicht, was das ist."),
    ("chest_pain", "Der Schmerz strahlt in den linken Arm und in den Kiefer aus."),
    ("chest_pain", "Es sticht in der Brust, wenn ich atme."),
    ("chest_pain", "Meine Frau sagt, ihr tut das Herz weh."),
    # breathing
    ("breathing", "Ich kriege schlecht Luft."),
    ("breathing", "Mein Vater bekommt keine Luft mehr."),
    ("breathing", "Sie hat starke Atemnot."),
    ("breathing", "Mein Sohn atmet ganz komisch und pfeifend."),
    ("breathing", "Die Lippen von meiner Oma sind ganz blau."),
    ("breathing", "Ich habe das Gefühl, ich ersticke."),
    ("breathing", "Mein Vater bekommt keine Luft mehr."),
    ("breathing", "Das Baby atmet ganz schnell und hechelnd."),
    # stroke signs
    ("stroke", "Bei meiner Mutter hängt plötzlich der Mundwinkel."),
    ("stroke", "Er spricht ganz verwaschen."),
    ("stroke", "Mein Mann lallt seit heute Mittag."),
    ("stroke", "Die rechte Seite ist auf einmal ganz taub."),
    ("stroke", "Meine Frau kann den linken Arm nicht mehr heben."),
    ("stroke", "Ich glaube, mein Vater hat einen Schlaganfall."),
    ("stroke", "Ich sehe seit einer Stunde alles doppelt."),
    # unconsciousness
    ("unconscious", "Mein Opa ist umgekippt und wacht nicht auf."),
    ("unconscious", "Sie ist nicht ansprechbar."),
    ("unconscious", "Mein Kollege ist bewusstlos."),
    ("unconscious", "Er reagiert gar nicht mehr, wenn ich ihn rufe."),
    ("unconscious", "Meine Frau ist in der Küche zusammengebrochen."),
    ("unconscious", "Bitte schnell, meine Frau liegt am Boden und rührt sich nicht."),
    ("unconscious", "Mein Mann ist gestürzt und kommt nicht mehr hoch."),
    # heavy bleeding
    ("bleeding", "Ich habe mich geschnitten und es blutet sehr stark."),
    ("bleeding", "Die Wunde hört nicht auf zu bluten."),
    ("bleeding", "Mein Mann hat Blut erbrochen."),
    ("bleeding", "Das Nasenbluten hört seit einer Stunde nicht auf."),
    # anaphylaxis
    ("anaphylaxis", "Meine Zunge schwillt an."),
    ("anaphylaxis", "Nach dem Wespenstich kriegt sie kaum Luft."),
    ("anaphylaxis", "Der Hals schwillt zu, ich habe eine Nuss gegessen."),
    ("anaphylaxis", "Ihr Gesicht ist ganz dick geschwollen."),
    # poisoning / overdose
    ("poisoning", "Mein Kind hat Tabletten geschluckt."),
    ("poisoning", "Meine Tochter hat Reiniger getrunken."),
    ("poisoning", "Der Kleine hat eine Knopfbatterie verschluckt."),
    ("poisoning", "Mein Vater hat eine ganze Packung Schlaftabletten genommen."),
    ("poisoning", "Sie hat Tabletten mit Alkohol genommen."),
    # suicidality
    ("suicidality", "Ich will nicht mehr leben."),
    ("suicidality", "Ich habe Angst, dass ich mir etwas antue."),
    ("suicidality", "Mein Sohn hat gesagt, er will sich umbringen."),
    ("suicidality", "Ich will einfach nur noch sterben."),
    # seizures incl. infant fever with seizure
    ("seizure", "Mein Baby hat Fieber und hatte gerade einen Fieberkrampf."),
    ("seizure", "Unsere Tochter krampft und verdreht die Augen."),
    ("seizure", "Er zuckt am ganzen Körper."),
    # more families
    ("meningitis", "Meine Tochter hat hohes Fieber und einen ganz steifen Nacken."),
    ("acute_abdomen", "Ich habe unerträgliche Bauchschmerzen."),
    ("pregnancy", "Ich bin in der zwanzigsten Woche schwanger und blute."),
    ("hypoglycemia", "Mein Mann ist Diabetiker und hat einen Unterzucker."),
    ("burn", "Mein Kind hat sich mit Tee verbrüht."),
    ("severe_injury", "Mein Nachbar ist von der Leiter gestürzt, der Knochen schaut raus."),
    ("cardiac", "Ich habe Herzrasen und mir wird schwarz vor Augen."),
    ("caller_says_emergency", "Soll ich den Notarzt rufen?"),
]

NOT_ALARMING: list[str] = [
    "Die Brustschmerzen von letztem Monat sind weg, ich brauche ein Rezept.",
    "Ich habe keine Atemnot, nur Schnupfen.",
    "Ich hatte letztes Jahr einen Schlaganfall, jetzt brauche ich ein Rezept.",
    "Ich brauche die Reha-Unterlagen nach meinem Herzinfarkt.",
    "Atemnot habe ich keine, aber Husten.",
    "Vor zwei Jahren hatte ich einen Krampfanfall, ich brauche das Rezept für Levetiracetam.",
    "Der Druck auf der Brust ist zum Glück wieder weg.",
    "Die Überweisung zum Kardiologen bitte, der Herzinfarkt ist schon drei Jahre her.",
    "Er war nicht bewusstlos, er hat sich nur das Knie gestoßen.",
    "Ich will mir nichts antun, ich brauche nur eine Krankmeldung.",
    "Rufen Sie mich bitte unter 0171 1123344 zurück.",
    "Ich habe Halsschmerzen und Schnupfen und brauche eine Krankmeldung.",
    "Mein Knie ist geschwollen, ich brauche eine Überweisung zum Orthopäden.",
    "Ich habe Wadenkrämpfe in der Nacht, kann ich Magnesium bekommen?",
    "Ich hätte gern einen Termin für die Krebsvorsorge.",
    "Ich nehme die Tabletten seit Jahren und brauche ein neues Rezept.",
    "Mein Kind hat sich verschluckt, hustet jetzt aber und ist wieder fit; wann ist die U8?",
    "Ich habe Nackenschmerzen, die in den rechten Arm ausstrahlen, bitte eine Überweisung.",
    "Ich habe Zahnschmerzen, die in den Kiefer ausstrahlen.",
    "Ich bin schwanger und komme morgen zur Blutabnahme.",
    "Mein Vater hatte einen Schlaganfall und liegt im Krankenhaus, wir brauchen Unterlagen.",
    "Ich habe halbseitige Kopfschmerzen wie immer bei meiner Migräne.",
    "Mein Mann ist seit Jahren querschnittsgelähmt und braucht neue Katheter.",
    "Ich habe seit Jahren Atemnot beim Treppensteigen, bitte das Rezept für mein Spray.",
    "Wir waren gestern in der Notaufnahme, jetzt brauche ich eine Krankmeldung.",
    "Ich bin gestern umgeknickt, der Knöchel ist dick und blau.",
]


@pytest.mark.parametrize(("reason", "text"), EMERGENCIES)
def test_each_emergency_family_fires(reason: str, text: str) -> None:
    result = rules.evaluate(text)
    assert result.emergency, text
    assert reason in result.emergency_reasons, (text, result.emergency_reasons)


@pytest.mark.parametrize("text", NOT_ALARMING)
def test_past_negated_and_everyday_mentions_do_not_alarm(text: str) -> None:
    result = rules.evaluate(text)
    assert not result.emergency, (text, result.emergency_reasons)
    assert not result.urgent_reasons, (text, result.urgent_reasons)


@pytest.mark.parametrize("text", [
    "Ich hatte letzte Woche Brustschmerzen und seit heute Morgen sind sie wieder da.",
    "Die Brustschmerzen von letzter Woche sind seit heute wieder da.",
    "Ich hatte vor drei Jahren einen Herzinfarkt und habe seit einer Stunde wieder Druck auf "
    "der Brust.",
])
def test_a_past_symptom_that_is_back_alarms(text: str) -> None:
    assert "chest_pain" in rules.evaluate(text).emergency_reasons


def test_suppressed_mentions_are_reported_as_such() -> None:
    result = rules.evaluate("Die Brustschmerzen von letztem Monat sind weg.")
    assert result.suppressed_reasons == ("chest_pain",)


@pytest.mark.parametrize(("reason", "text"), [
    ("high_fever_vulnerable", "Meine Mutter ist 88, lebt im Pflegeheim und hat hohes Fieber."),
    ("high_fever_vulnerable", "Mein Mann bekommt Chemo und hat seit heute 39,5 Grad."),
    ("infant_fever", "Unser Baby ist sechs Wochen alt und hat Fieber."),
    ("critical_medication", "Mein Insulin ist heute alle, ich brauche schnell ein Rezept."),
])
def test_urgent_non_emergencies(reason: str, text: str) -> None:
    result = rules.evaluate(text)
    assert not result.emergency
    assert result.urgent_reasons == (reason,)
