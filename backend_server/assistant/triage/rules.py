"""The emergency rule layer: deliberately broad German patterns that override the classifier.

Missing an emergency is the worst failure of the phone assistant, so the patterns are wide
(third person, colloquial phrasings, "kriege schlecht Luft", "umgekippt und wacht nicht auf")
and a false alarm is accepted as the lesser evil. Two things keep them from firing on
mentions that are not about now:

* **negation** right before a noun-like symptom ("keine Atemnot", "ohne Brustschmerzen") or
  right after it ("Atemnot habe ich keine");
* **history** in the same clause ("die Brustschmerzen von letztem Monat sind weg", "hatte
  letztes Jahr einen Schlaganfall", "Reha nach meinem Herzinfarkt"), unless the clause also
  says it is happening now ("seit heute wieder") or the sentence says it came back.

Besides emergencies there are a few *urgent* non-emergencies (``URGENT_IDS``): the practice
should call back first, but the call keeps its category (see docs/api-contract.md,
"Decisions (triage)").

Every rule reports a reason id (``chest_pain``, ...): ids carry no content and may be logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

# Emergency families, in the order reasons are reported.
EMERGENCY_IDS: Final = (
    "chest_pain", "cardiac", "breathing", "stroke", "unconscious", "bleeding", "anaphylaxis",
    "poisoning", "suicidality", "seizure", "meningitis", "acute_abdomen", "pregnancy",
    "hypoglycemia", "burn", "severe_injury", "caller_says_emergency")
# Urgent but not an emergency: the category stays what the classifier says.
URGENT_IDS: Final = ("infant_fever", "high_fever_vulnerable", "critical_medication")

_W = r"(?:\w+\s+)"  # one word and its space, for "up to n words between" gaps


@dataclass(frozen=True)
class _Rule:
    reason: str
    pattern: re.Pattern[str]
    # Noun-like symptoms can be negated ("keine Atemnot"); verb phrases that contain their
    # own negation ("wacht nicht auf", "will nicht mehr leben") cannot.
    negatable: bool = True
    # Another pattern that must occur in the same sentence (combinations like "Fieber" +
    # "steifer Nacken").
    requires: re.Pattern[str] | None = None
    # Extra markers that make a mention past for this rule only ("gestern" for "Notarzt").
    extra_past: re.Pattern[str] | None = None
    # A sentence that matches this (and says nothing of chest or heart) explains the symptom
    # harmlessly ("Nackenschmerzen, die in den Arm ausstrahlen").
    unless: re.Pattern[str] | None = None


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_FEVER = _rx(r"fieber", r"\b(?:39|40|41)(?:[,.]\d)?\s*grad", r"neununddreissig", r"vierzig grad")
_SYMPTOMS_WITH_PALPITATIONS = _rx(
    r"schwindel", r"schwarz vor", r"ohnmacht", r"ohnmächtig", r"brust", r"luft", r"atem",
    r"umgekippt", r"bewusst", r"seit\s+" + _W + r"?(?:stunde|stunden|minuten)")
_CHEST = re.compile(r"brust|herz")
_PREGNANCY_TROUBLE = _rx(r"\bblut(?:e|et|en|ung|ungen)?\b", r"fruchtwasser", r"wehen", r"krampf",
                         r"bewegt sich nicht mehr", r"starke\w*\s+(?:bauch)?schmerz")
_ALLERGEN = _rx(r"wespe", r"biene", r"hornisse", r"stich", r"gestochen", r"nuss", r"nüsse",
                r"allergi", r"kontrastmittel", r"penicillin", r"antibiotik")

_RULES: Final[tuple[_Rule, ...]] = (
    # --- chest pain / pressure, heart attack
    _Rule("chest_pain", _rx(
        # Compounds also split ("Brust Schmerzen"), as speech-to-text sometimes writes them.
        r"brust[\s-]?\w*schmerz", r"herz[\s-]?schmerz", r"herz[\s-]?infarkt", r"\binfarkt",
        r"angina pectoris",
        r"brust[\s-]?enge", r"enge[\s-]?gefühl",
        r"schmerz\w*\s+" + _W + r"{0,3}(?:in|auf|an|hinter|im)\s+(?:der\s+|die\s+|dem\s+|"
        r"meiner\s+|seiner\s+|ihrer\s+)?(?:linken\s+|rechten\s+)?(?:brust|herz)",
        r"(?:druck|enge|stechen|sticht|drückt|brennen|brennt|ziehen|zieht|beklemmung|schmerz)\w*\s+"
        + _W
        + r"{0,2}(?:auf|in|an|hinter|im)\s+(?:der\s+|die\s+|dem\s+)?(?:brust|herz)",
        r"(?:brust|herz)\w*\s+" + _W + r"{0,3}(?:tut|tun|schmerzt|sticht|drückt)",
        r"(?:tut|tun|schmerzt|sticht|drückt)\s+" + _W + r"{0,3}(?:brust|herz)\w*\b",
    )),
    # Pain radiating into arm or jaw: cardiac until the sentence names a joint, the spine or
    # a tooth as its source (and no chest).
    _Rule("chest_pain", _rx(
        r"(?:ausstrahl|strahl)\w*\s+" + _W + r"{0,4}(?:arm|kiefer|schulter|hals|rücken)",
        r"(?:arm|kiefer|schulter|hals|rücken)\s+" + _W + r"{0,2}ausstrahl",
    ), unless=_rx(r"nacken", r"rücken\w*schmerz", r"\bhws\b", r"\blws\b", r"bandscheibe",
                  r"wirbel", r"ischias", r"tennisarm", r"ellenbogen", r"handgelenk", r"knie",
                  r"hüfte", r"zahn", r"zähne", r"weisheitszahn", r"schulterschmerz")),
    _Rule("cardiac", _rx(
        r"herz[\s-]?rasen", r"herz[\s-]?stolpern",
        r"herz\s+" + _W + r"{0,2}(?:rast|stolpert|setzt aus)",
        r"puls\s+" + _W + r"{0,2}(?:über|bei|von)\s+(?:1[4-9]\d|2\d\d)",
    ), requires=_SYMPTOMS_WITH_PALPITATIONS),
    # --- breathing
    _Rule("breathing", _rx(
        r"atem[\s-]?not", r"luft[\s-]?not", r"atem[\s-]?stillstand", r"erstick", r"ringt\s+" + _W
        + r"?nach\s+luft", r"japst", r"asthmaanfall", r"kurzatmig\w*\s+" + _W
        + r"{0,3}(?:plötzlich|stark|schlimm)",
        r"(?:keine|kaum|schlecht|schwer|wenig|nicht genug|nicht richtig|nicht mehr)\s+luft",
        r"luft\s+" + _W + r"{0,2}(?:bleibt weg|wegbleibt|wird knapp|abgeschnürt)",
        r"atmet\s+" + _W + r"{0,2}(?:schwer|schlecht|flach|komisch|röchelnd|pfeifend|nicht|kaum|"
        r"sehr schnell|ganz schnell|hechelnd)",
        r"kann\s+" + _W + r"{0,2}(?:kaum|nicht|schlecht)\s+(?:mehr\s+)?(?:richtig\s+)?atmen",
        r"(?:kaum|nicht|schlecht)\s+(?:mehr\s+)?atmen",
        r"blau\s+(?:angelaufen|anlaufen|anläuft)", r"lippen\s+" + _W + r"{0,5}blau",
        r"kann\s+" + _W + r"{0,2}kaum\s+(?:noch\s+)?sprechen",
    )),
    # --- stroke signs
    _Rule("stroke", _rx(
        r"schlag[\s-]?anfall", r"hirn[\s-]?infarkt", r"hirnblutung", r"apoplex",
        r"mundwinkel\w*\s+" + _W + r"{0,2}(?:hängt|hängen|hängend|herunter|schief)",
        r"hängende\w*\s+(?:mundwinkel|gesicht|gesichtshälfte|augenlid)",
        r"hängt\s+" + _W + r"{0,3}(?:mundwinkel|gesicht|gesichtshälfte|augenlid)",
        r"(?:gesicht|gesichtshälfte)\s+" + _W + r"{0,2}(?:hängt|schief|verzogen|gelähmt|taub)",
        r"(?:spricht|redet|sprache|spreche)\s+" + _W
        + r"{0,2}(?:verwaschen|undeutlich|lallend|durcheinander|wirr|komisch)",
        r"\blallt", r"sprachstörung", r"wortfindung", r"findet\s+" + _W
        + r"{0,2}(?:worte|wörter)\s+nicht", r"keine worte mehr",
        r"kann\s+" + _W + r"{0,2}(?:plötzlich\s+)?(?:nicht mehr|nicht)\s+(?:richtig\s+)?sprechen",
        r"lähmung", r"gelähmt",
        r"halbseitig\w*\s+" + _W + r"?(?:gelähmt|taub|lähmung|schwach|gefühllos|lahm)",
        r"(?:eine|die linke|die rechte|eine ganze)\s+"
        r"(?:körper)?seite\s+" + _W + r"{0,5}(?:taub|gelähmt|schwach|schlaff|gefühllos)",
        r"körperhälfte",
        r"(?:arm|bein|hand|fuss|seite)\s+" + _W
        + r"{0,3}(?:nicht mehr|nicht|kaum)\s+(?:mehr\s+)?" + _W
        + r"?(?:bewegen|heben|spüren|fühlen)",
        r"plötzlich\s+" + _W + r"{0,3}(?:verwirrt|desorientiert|doppelt|doppelbilder|blind|"
        r"nichts mehr sehen)",
        r"(?:sieht|sehe|sehen)\s+" + _W + r"{0,5}doppelt",
    ), negatable=True),
    # --- unconsciousness, collapse
    _Rule("unconscious", _rx(
        r"bewusst[\s-]?los", r"ohnmächtig", r"ohnmacht", r"bewusstsein verloren",
        r"(?:nicht|kaum|schwer)\s+(?:mehr\s+|noch\s+)?(?:richtig\s+|wirklich\s+)?(?:an)?sprechbar",
        r"reagiert\s+" + _W + r"{0,2}(?:nicht mehr|kaum|gar nicht|überhaupt nicht)",
        r"reagiert\s+nicht\s+(?:auf|wenn)",
        r"wacht\s+" + _W + r"{0,2}nicht\s+(?:mehr\s+)?auf", r"nicht\s+(?:mehr\s+)?wach\s+zu",
        r"kaum\s+(?:noch\s+)?wach", r"umgekippt", r"rührt\s+sich\s+(?:nicht|kaum)",
        r"(?:steht|kommt)\s+" + _W + r"?nicht\s+mehr\s+(?:auf|hoch)",
        r"zusammengebrochen", r"zusammengesackt",
        r"kollabiert", r"atmet nicht\b", r"kein puls", r"leblos", r"weggetreten",
    ), negatable=True),
    # --- heavy bleeding, blood vomited or coughed up
    _Rule("bleeding", _rx(
        r"blut(?:e|et|en|ete)\s+" + _W + r"{0,3}(?:stark|heftig|sehr|viel|ununterbrochen|"
        r"ohne aufzuhören|wie verrückt)",
        r"(?:starke|heftige|massive|schwere|unstillbare|starken|heftigen)\s+blutung",
        r"blutung\w*\s+" + _W + r"{0,3}(?:hört|lässt sich|geht|will)\s+" + _W + r"{0,4}nicht",
        r"hört\s+" + _W + r"{0,2}nicht\s+(?:mehr\s+)?auf\s+zu\s+bluten",
        r"(?:viel|literweise|eine menge|so viel)\s+blut",
        r"blut\s+" + _W + r"{0,2}(?:erbrochen|erbricht|gespuckt|spuckt|gehustet|hustet)",
        r"(?:erbricht|spuckt|hustet|kotzt|erbreche|spucke|huste)\s+" + _W + r"{0,2}blut",
        r"bluterbrechen", r"teerstuhl", r"schwarzen?\s+stuhl", r"stark blutend",
        r"blutüberströmt", r"blut spritzt", r"spritzt\s+" + _W + r"{0,2}blut",
        r"nasenbluten\w*\s+" + _W + r"{0,4}(?:hört|geht|lässt)\s+" + _W + r"{0,4}nicht",
    ), negatable=True),
    # --- anaphylaxis
    _Rule("anaphylaxis", _rx(
        r"(?:zunge|rachen|gesicht|lippe|lippen|augenlider|kehle)\s+" + _W
        + r"{0,3}(?:schwillt|schwellen|geschwollen|angeschwollen|anschwellen|dick)",
        r"(?:schwillt|schwellen|geschwollen)\s+" + _W
        + r"{0,3}(?:zunge|rachen|gesicht|lippe|lippen|augenlider|kehle|hals)\b",
        r"hals\s+" + _W + r"{0,3}(?:schwillt zu|schwillt an|zugeschwollen|zuschwellen|"
        r"schnürt sich zu)",
        r"anaphylakti", r"allergische\w*\s+schock", r"quincke", r"angioödem",
        r"(?:adrenalin|notfall)\w*\s*-?\s*(?:pen|spritze|set)\s+" + _W
        + r"{0,3}(?:benutzt|gespritzt|gegeben)",
    ), negatable=True),
    # --- poisoning, overdose, swallowed objects
    _Rule("poisoning", _rx(
        r"(?:tabletten|tablette|pillen|medikamente|schlaftabletten|kapseln|tropfen)\s+" + _W
        + r"{0,4}(?:geschluckt|verschluckt|erwischt|gegessen|ausgetrunken)",
        r"(?:zu viele|alle|eine ganze\w*\s+(?:packung|schachtel|dose|flasche|blister)|"
        r"mehrere packungen|die ganze packung)\s+" + _W
        + r"{0,3}(?:genommen|geschluckt|eingenommen|gegessen|getrunken)",
        r"überdosis", r"überdosiert", r"überdosierung", r"vergiftet", r"vergiftung",
        r"giftnotruf", r"tabletten\s+" + _W + r"{0,3}(?:mit|und)\s+alkohol",
        r"alkohol\s+(?:und|mit)\s+" + _W + r"?tabletten",
        r"(?:reiniger|putzmittel|spülmittel|waschmittel|bleiche|chlor|entkalker|lampenöl|"
        r"grillanzünder|benzin|terpentin|frostschutz|rattengift|gift|pflanzenschutz|pilze|"
        r"tollkirsche|spülmaschinentab|waschmittelkapsel|batterie|knopfzelle|magnet|"
        r"nagellackentferner|e-zigarette|liquid|nikotin)\w*\s+" + _W
        + r"{0,4}(?:getrunken|geschluckt|verschluckt|gegessen|erwischt|im mund|in den mund|"
        r"abgebissen|angebissen|gelutscht|probiert)",
        r"(?<!sich )verschluckt",
    ), negatable=True),
    # --- suicidality (no negation: "ich will mir nichts antun" is not matched anyway)
    _Rule("suicidality", _rx(
        r"(?:will|möchte|mag|kann|wollen)\s+" + _W + r"{0,2}nicht\s+mehr\s+leben",
        r"(?:mir|mich|sich|ihm|ihr|uns)\s+" + _W + r"{0,3}(?:etwas|was)\s+an(?:zu)?tu(?:n|e|t)\b",
        r"umbringen", r"das leben nehmen", r"leben\s+" + _W + r"?beenden",
        r"(?:meinem|seinem|ihrem)\s+leben\s+ein\s+ende", r"lebensmüde",
        r"nicht mehr aufwachen", r"(?:will|möchte)\s+" + _W + r"{0,4}sterben",
        r"sterben\s+(?:will|möchte)", r"keinen sinn mehr", r"abschiedsbrief",
        r"von\s+(?:der|einer)\s+brücke", r"vor\s+(?:den|einen)\s+zug", r"pulsadern",
        r"selbstmord(?!gedanken)", r"suizid(?!gedanken)",
    ), negatable=False),
    _Rule("suicidality", _rx(r"suizidgedanken", r"selbstmordgedanken", r"suizidal"),
          negatable=True),
    # --- seizures, incl. febrile seizures of small children
    _Rule("seizure", _rx(
        r"fieber[\s-]?krampf", r"krampf[\s-]?anfall", r"\bkrampft", r"\bkrampfen\b",
        r"epilepti\w*\s+anfall", r"anfall\s+" + _W + r"{0,3}(?:zuck|krampf)",
        r"zuckt\s+" + _W + r"{0,3}(?:ganzen körper|am ganzen|mit armen|mit den armen)",
        r"verdreht\s+" + _W + r"{0,2}augen", r"augen\s+" + _W + r"{0,2}verdreht",
    ), negatable=True),
    # --- meningitis signs (fever + stiff neck or non-blanching spots)
    _Rule("meningitis", _rx(
        r"nacken\w*\s+" + _W + r"{0,2}steif", r"steife\w*\s+nacken", r"nackensteif",
        r"(?:flecken|pünktchen|punkte)\s+" + _W
        + r"{0,5}(?:nicht\s+weg|glas|verschwinden\s+nicht)",
    ), requires=_FEVER),
    _Rule("acute_abdomen", _rx(
        r"(?:unerträglich|stärkste|extreme|heftigste|wahnsinnige|höllische)\w*\s+"
        r"bauchschmerz",
        r"bauch\s+" + _W + r"{0,2}(?:bretthart|hart wie ein brett)",
        r"bauchschmerz\w*\s+" + _W + r"{0,3}(?:unerträglich|nicht auszuhalten)",
    )),
    _Rule("pregnancy", re.compile(r"schwanger"), requires=_PREGNANCY_TROUBLE),
    _Rule("hypoglycemia", _rx(
        r"unter[\s-]?zucker", r"zucker\s+" + _W + r"{0,2}(?:bei|auf|von)\s+(?:[1-3]\d|4\d)\b",
    )),
    _Rule("burn", _rx(
        r"verbrüht", r"verätz", r"grossflächig\w*\s+verbrannt",
        r"(?:schwere|grosse|starke)\w*\s+verbrennung",
        r"verbrennung\w*\s+" + _W + r"{0,3}(?:gesicht|grossflächig)",
    )),
    _Rule("severe_injury", _rx(
        r"offene\w*\s+bruch", r"knochen\s+" + _W + r"{0,3}(?:raus|heraus)",
        r"schwer verletzt", r"schwere\w*\s+unfall", r"autounfall", r"verkehrsunfall",
        r"(?:aus dem fenster|vom dach|von der leiter|aus grosser höhe)\s+" + _W
        + r"?(?:gefallen|gestürzt)",
        r"kopf\s+" + _W + r"{0,3}aufgeschlagen", r"stichverletzung",
    )),
    _Rule("caller_says_emergency", _rx(
        r"\bnotarzt", r"rettungswagen", r"krankenwagen", r"\brtw\b",
        # 112 said as the emergency number, not inside a phone number.
        r"(?<!\d[ /-])\b112\b(?![ /-]?\d)",
        r"(?:es ist|das ist|ist)\s+(?:ein|ein echter|wirklich ein)\s+notfall",
    ), extra_past=re.compile(r"\b(?:gestern|war|waren|hatte|hatten|wurde)\b")),
    # --- urgent, not emergency
    _Rule("infant_fever", _rx(
        r"säugling", r"neugeboren", r"\bwochen alt", r"(?:ein|einen|zwei|drei|[123])\s+"
        r"monate?\s+alt",
    ), requires=_FEVER),
    _Rule("high_fever_vulnerable", _rx(
        r"pflegeheim", r"altenheim", r"über\s+(?:8\d|9\d|achtzig|neunzig)",
        r"\b(?:8\d|9\d)\s+jahre", r"\b(?:ist|wird|bin)\s+(?:8\d|9\d|achtzig|neunzig)\b",
        r"(?:achtzig|neunzig)\w*\s+jahre", r"chemo",
        r"immunsuppress", r"transplant", r"dialyse", r"dement", r"bettlägerig",
        r"pflegebedürftig", r"gebrechlich",
    ), requires=_rx(r"hohe\w*\s+fieber", r"fieber\s+" + _W + r"{0,3}(?:hoch|über)",
                    r"\b(?:39|40|41)(?:[,.]\d)?\s*grad", r"neununddreissig", r"vierzig")),
    _Rule("critical_medication", _rx(
        r"insulin", r"epilepsie", r"antiepilept", r"marcumar", r"phenprocoumon",
        r"blutverdünner", r"parkinson", r"hydrocortison",
    ), requires=_rx(r"(?:heute|morgen)\s+" + _W + r"?(?:leer|alle|aus)\b", r"ausgegangen",
                    r"aufgebraucht", r"letzte\w*\s+(?:tablette|spritze|ampulle|pen)",
                    r"keine\w*\s+" + _W + r"?mehr\b", r"nur noch bis (?:heute|morgen)"),
          negatable=False),
)

# --- negation and history
_NEGATION_BEFORE = re.compile(
    r"\b(?:kein|keine|keinen|keiner|keinem|ohne|nicht|nie|niemals|weder|noch nie)\s+"
    + _W + r"{0,2}$")
_NOT_ONLY = re.compile(r"nicht nur\s+" + _W + r"{0,2}$")
_NEGATION_AFTER = re.compile(
    r"^\s*(?:habe|hat|hatte|haben|hab)\s+(?:ich|er|sie|wir|es)\s+(?:keine|keinen|nicht|nie)\b")
_PAST = _rx(
    r"\b(?:letzte|letzten|letztem|letzter|letztes|vergangene\w*|vorige\w*)\s+"
    r"(?:woche|monat|jahr|winter|sommer|herbst|frühjahr|frühling|quartal)",
    r"\bvor\s+" + _W + r"?(?:jahren|jahr|monaten|monat|wochen)\b",
    r"\b(?:damals|früher|seinerzeit|als kind|in der vorgeschichte|zustand nach)\b",
    r"\b(?:jahre|jahr|monate|monat|wochen|lange|länger)\s+her\b",
    # Long-standing, or already being treated elsewhere: not a new emergency for the practice.
    r"\bseit\s+" + _W + r"?(?:jahren|jahrzehnten|monaten|geburt|langem|längerem)\b",
    r"\bchronisch", r"\bquerschnitt",
    r"\b(?:liegt|lag|ist|war|wurde)\s+" + _W + r"{0,2}(?:im krankenhaus|in der klinik|"
    r"in der reha|auf station|stationär)", r"\bentlassen\b", r"\bentlassung", r"\breha\b",
    r"\b(?:ist|sind|war|waren)\s+" + _W
    + r"{0,2}(?:weg|vorbei|verschwunden|abgeklungen|ausgeheilt|überstanden|besser)\b",
    r"\bwieder\s+(?:gut|besser|weg|in ordnung|verschwunden)\b",
    # "nicht mehr" alone is too common ("ist nicht mehr ansprechbar" elsewhere in the clause).
    r"\bnicht mehr\s+(?:da|vorhanden|aufgetreten|gekommen|gehabt|gespürt)\b",
    r"\b(?:habe|hat|hab|haben|hatte)\s+(?:ich|er|sie|wir)\s+(?:nicht|keine\w*)\s+mehr\b",
    r"\bnach\s+(?:meinem|seinem|ihrem|dem|einem|meiner|seiner|ihrer|der|einer)\s+" + _W
    + r"?(?:herzinfarkt|schlaganfall|infarkt|reanimation|vergiftung|suizidversuch|anfall|"
    r"krampfanfall|op|operation|unfall)",
    r"\b(?:hatte|hatten|war|wurde)\b.*\b(?:19|20)\d\d\b", r"\b(?:im jahr|anno)\s+\d{4}\b",
)
# Said about the present: outweighs a past marker in the same clause.
_NOW = _rx(r"\b(?:jetzt|gerade|eben|soeben|heute|vorhin|plötzlich|akut|momentan|aktuell|"
           r"im moment|wieder|erneut|immer noch|noch immer)\b",
           r"\bseit\s+(?:heute|gestern|vorhin|" + _W + r"?(?:minuten|stunden?))")
# A sentence that says it came back makes any mention in it current.
_RECURRED = _rx(r"\bwieder da\b", r"\bschon wieder\b", r"\berneut\b",
                r"\bwieder\s+(?:angefangen|schlimmer|stärker|aufgetreten|bekommen)\b",
                r"\bjetzt\s+(?:wieder|auch|plötzlich)\b", r"\bseit\s+(?:heute|vorhin)\b",
                r"\bseit\s+" + _W + r"?(?:minuten|stunden?)\b")
_SENTENCE_END = re.compile(r"(?<!\d)[.!?;]+|\n")
_CLAUSE_BREAK = re.compile(r",|\s(?:aber|doch|sondern|jedoch)\s")


def normalise(text: str) -> str:
    """Lower case, "ß" as "ss", single spaces: the form every pattern is written for."""
    return re.sub(r"\s+", " ", text.lower().replace("ß", "ss")).strip()


@dataclass(frozen=True)
class Finding:
    reason: str
    start: int
    end: int
    # Why a match does not count ("negated", "past"), None when it does.
    suppressed: str | None = None


@dataclass(frozen=True)
class RuleResult:
    emergency_reasons: tuple[str, ...]
    urgent_reasons: tuple[str, ...]
    # Emergency mentions that were negated or in the past: the caller talked about an
    # emergency topic, so the classifier's "emergency" must not count on its own.
    suppressed_reasons: tuple[str, ...]

    @property
    def emergency(self) -> bool:
        return bool(self.emergency_reasons)

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.emergency_reasons + self.urgent_reasons


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in pattern.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _around(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return 0, 0


def _without(text: str, start: int, end: int) -> str:
    # Blanked rather than cut, so that neighbouring words do not fuse into new ones.
    return text[:start] + " " + text[end:]


def _suppressed(rule: _Rule, text: str, m: re.Match[str],
                sentence: tuple[int, int]) -> str | None:
    sentence_text = text[sentence[0]:sentence[1]]
    rel_start, rel_end = m.start() - sentence[0], m.end() - sentence[0]
    clauses = _spans(sentence_text, _CLAUSE_BREAK)
    c_start, c_end = _around(clauses, rel_start)
    clause = sentence_text[c_start:c_end]
    before = clause[:rel_start - c_start]
    after = clause[rel_end - c_start:]
    if rule.negatable and _NEGATION_BEFORE.search(before) and not _NOT_ONLY.search(before):
        return "negated"
    if rule.negatable and _NEGATION_AFTER.search(after):
        return "negated"
    m_start, m_end = rel_start - c_start, rel_end - c_start
    # A past marker counts unless it starts inside the symptom itself ("wacht nicht mehr
    # auf", "keine Luft mehr"); it may enclose it ("nach meinem Herzinfarkt").
    markers = [p for p in (_PAST, rule.extra_past) if p is not None]
    past = [(pm.start(), pm.end()) for p in markers for pm in p.finditer(clause)
            if not m_start <= pm.start() < m_end]
    if not past:
        return None
    blanked = list(clause)
    for a, b in [*past, (m_start, m_end)]:
        blanked[a:b] = " " * (b - a)
    if _NOW.search("".join(blanked)):
        return None
    if _RECURRED.search(_without(sentence_text, rel_start, rel_end)):
        return None
    return "past"


def findings(transcript: str) -> Iterator[Finding]:
    text = normalise(transcript)
    sentences = _spans(text, _SENTENCE_END)
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            sentence = _around(sentences, m.start())
            if rule.requires is not None and not rule.requires.search(
                    text[sentence[0]:sentence[1]]):
                # Combinations may also span the whole call ("Fieber" said first).
                if not rule.requires.search(text):
                    continue
            sentence_text = text[sentence[0]:sentence[1]]
            if (rule.unless is not None and rule.unless.search(sentence_text)
                    and not _CHEST.search(sentence_text)):
                continue
            yield Finding(rule.reason, m.start(), m.end(), _suppressed(rule, text, m, sentence))


def evaluate(transcript: str) -> RuleResult:
    """All rules over one transcript: which emergency and urgent reasons hold."""
    found = list(findings(transcript))
    active = {f.reason for f in found if f.suppressed is None}
    text = normalise(transcript)
    # A sting or food allergen plus breathing trouble is anaphylaxis even without swelling.
    if "breathing" in active and _ALLERGEN.search(text):
        active.add("anaphylaxis")
    emergency = tuple(r for r in EMERGENCY_IDS if r in active)
    urgent = tuple(r for r in URGENT_IDS if r in active)
    suppressed = tuple(sorted({f.reason for f in found if f.suppressed is not None}
                              - active))
    return RuleResult(emergency, urgent, suppressed)
