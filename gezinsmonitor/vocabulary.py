"""Map labels, help requests and support types as organisations write them onto the taxonomy.

Pure functions, no I/O. Every answer says how it was obtained (`herkomst`), how sure it is
(`confidence`, 0..1) and why (`reason`, a short Dutch explanation shown to the user). Anything
below `AUTO_CONFIDENCE` gets herkomst `te beoordelen`: a person decides, nothing is guessed.

Order of evidence for a help request (`classify_request`):
  1. a person's earlier decision (`learned`, keyed by `learned_key`), always wins;
  2. the whole text is a known label: leefgebied or categorie name, a taxonomy synonym, a ZRM
     domain, a cluster of the municipal pilot, a leefgebied of the social teams;
  3. vague texts ("zie dossier", "?") and negations ("geen schulden") go to review;
  4. key-word rules (`REQUEST_RULES`, data, not code), with conflict detection;
  5. typos: a fuzzy match of the whole text on the labels, or of single words on the rules' words.

The taxonomy passed in (an administrator may have edited it) decides which leefgebieden and
categories can be returned: built-in vocabularies and rules pointing elsewhere are ignored.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from . import taxonomy as tx

AUTO_CONFIDENCE = 0.8
# Fuzzy matching (rapidfuzz `fuzz.ratio`, 0..100). One typo in a word of six letters or more scores
# >= 90; distinct real words rarely do ("scheiden"/"schelden" 87.5, "werken"/"werker" 83).
FUZZY_AUTO_SCORE = 90.0  # from here a fuzzy match counts automatically
FUZZY_MIN_SCORE = 80.0  # from here it is offered as a suggestion (review)
FUZZY_MIN_LENGTH = 5  # shorter words and abbreviations are never matched fuzzily
# Two leefgebieden in one text: when the runner-up weighs at least this share of the winner, the
# text is ambiguous and goes to review.
CONFLICT_RATIO = 0.75

Learned = Mapping[str, tuple[str, "str | None"]]


@dataclass(frozen=True)
class Match:
    leefgebied: str | None  # best leefgebied; also filled when uncertain (it is the suggestion)
    categorie: str | None  # a categorie of that leefgebied, or None
    herkomst: str  # tx.HERKOMST_*; HERKOMST_TE_BEOORDELEN when uncertain or nothing matched
    confidence: float  # 0..1
    reason: str  # short Dutch explanation for the user

    @property
    def certain(self) -> bool:
        return (self.leefgebied is not None and self.herkomst != tx.HERKOMST_TE_BEOORDELEN
                and self.confidence >= AUTO_CONFIDENCE)


def _match(leefgebied: str | None, categorie: str | None, herkomst: str, confidence: float,
           reason: str) -> Match:
    """A Match whose herkomst is `te beoordelen` whenever it is not certain."""
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    if leefgebied is None or confidence < AUTO_CONFIDENCE:
        herkomst = tx.HERKOMST_TE_BEOORDELEN
    return Match(leefgebied, categorie if leefgebied else None, herkomst, confidence, reason)


# -- normalisation -----------------------------------------------------------------------------
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """normalise_label, '&' as 'en', every run of punctuation as one blank."""
    s = tx.normalise_label(text).replace("&", " en ")
    return _NON_WORD.sub(" ", s).strip()


def learned_key(text: object) -> str:
    """The key under which a person's decision about `text` is remembered.

    Case, accents, punctuation and spacing do not matter: "Schulden!", " schulden " and
    "SCHULDEN" share one key.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _key(str(text))


def _fold(text: str) -> str:
    """Lower-case without accents, one character for one character (positions stay valid)."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFKD", ch)
        base = next((c for c in decomposed if not unicodedata.combining(c)), ch)
        out.append(base.lower()[:1] or ch)
    return "".join(out)


# -- built-in vocabularies (DOMAIN.md §3.1) ------------------------------------------------------
FIN, GEZ, WON, SOC, PAR, OVE = "Financiën", "Gezondheid", "Wonen", "Sociaal", "Participatie", "Overig"
ADL = "Algemene dagelijkse levensvaardigheden (ADL)"

# Each entry: label as written -> (leefgebied, categorie or None, confidence).
ZRM_DOMAINS: dict[str, tuple[str, str | None, float]] = {
    "Financiën": (FIN, None, 1.0),
    "Geldzaken": (FIN, None, 1.0),
    "Financiën/Geldzaken": (FIN, None, 1.0),
    "Werk & opleiding": (PAR, None, 1.0),
    "Werk en opleiding": (PAR, None, 1.0),
    "Dagbesteding": (PAR, None, 1.0),  # older ZRM versions
    "Tijdsbesteding": (PAR, "Daginvulling ouder", 1.0),
    "Huisvesting": (WON, None, 1.0),
    "Woning": (WON, None, 1.0),
    "Huisvesting/Woning": (WON, None, 1.0),
    "Huiselijke relaties": (SOC, "Huiselijke relaties", 1.0),
    "Geestelijke gezondheid": (GEZ, "Psychisch", 1.0),
    "Lichamelijke gezondheid": (GEZ, "Lichamelijk", 1.0),
    "Fysieke gezondheid": (GEZ, "Lichamelijk", 1.0),
    "Verslaving": (GEZ, "Verslaving", 1.0),
    "Middelengebruik": (GEZ, "Verslaving", 1.0),
    "Verslaving/Middelengebruik": (GEZ, "Verslaving", 1.0),
    "ADL": (PAR, ADL, 1.0),
    "ADL-vaardigheden": (PAR, ADL, 1.0),
    "Basale ADL": (PAR, ADL, 1.0),
    "Instrumentele ADL": (PAR, ADL, 1.0),
    "Basale/Instrumentele ADL": (PAR, ADL, 1.0),
    "Zelfzorg": (PAR, ADL, 1.0),
    # "daily activities" is ADL in one translation and daytime activities in another: both Participatie
    "Dagelijkse activiteiten": (PAR, None, 0.9),
    "Sociaal netwerk": (SOC, "Sociaal netwerk", 1.0),
    "Maatschappelijke participatie": (PAR, None, 1.0),
    "Inzet voor de maatschappij": (PAR, None, 1.0),
    "Justitie": (OVE, "Juridisch", 1.0),
}
PILOT_CLUSTERS: dict[str, tuple[str, str | None, float]] = {
    "Financiën": (FIN, None, 1.0),
    "Gezondheid": (GEZ, None, 1.0),
    "Meedoen": (PAR, None, 1.0),
    "Sociale omgeving": (SOC, None, 1.0),
    "Wonen": (WON, None, 1.0),
}
SOCIAL_TEAM_LEEFGEBIEDEN: dict[str, tuple[str, str | None, float]] = {
    "Werk, inkomen en schulden": (FIN, None, 1.0),  # as the default taxonomy's synonym
    # children's development, school and leisure: Opleiding / Daginvulling kind
    "Ontwikkelingskansen, onderwijs en kinderen": (PAR, None, 0.9),
    "Huishouden op orde": (WON, None, 1.0),  # as the default taxonomy's synonym
    # two of its three parts are health (psychological problems, addiction)
    "Sociaal-psychologische vraagstukken, verslaving, huiselijk geweld": (GEZ, None, 0.85),
    "Politie en justitie": (OVE, "Juridisch", 1.0),
}
VOCABULARIES: tuple[tuple[str, dict[str, tuple[str, str | None, float]]], ...] = (
    ("ZRM", ZRM_DOMAINS),
    ("gemeentelijke pilot", PILOT_CLUSTERS),
    ("sociaal team", SOCIAL_TEAM_LEEFGEBIEDEN),
)

# -- key-word rules for free text ---------------------------------------------------------------
# (pattern, leefgebied, categorie, weight). A pattern is a regular expression matched on the
# normalised text (lower case, no accents, punctuation as blanks) at the start of a word; the end
# is free ("schuld" also finds "schuldhulp"), `\w*` in front also finds compounds ("gokverslaving").
# Weight: 1.0 unambiguous, 0.9 clear, 0.8 enough on its own, <= 0.7 a hint that needs support.
# leefgebied None: a context phrase ("door scheiding", "na de verhuizing") that only describes the
# situation; it swallows its words so they do not count. A match inside a longer match of another
# rule does not count either (the more specific phrase wins).
# categorie SUBJECT: Daginvulling kind or ouder, decided by who the text is about (a child named
# in the text wins: "sportclub voor zoon"; neither named: no categorie).
# Scoring: the hits of one leefgebied add up as 1 - prod(1 - weight), so two hints make a clear
# case. The leefgebied with the highest score wins; its categorie comes from its strongest hit that
# names one. A runner-up with at least CONFLICT_RATIO of the winner's score is a conflict (review).
SUBJECT = "<daginvulling: kind of ouder>"
_CONTEXT = r"(door|na|sinds|vanwege|ivm|i v m|wegens|tijdens) (de |het |een |haar |zijn |hun )?"
_KID = r"(kind|kinderen|kids|zoon|zoontje|zonen|zn|dochter|dochters|dochtertje|dr|peuter|kleuter|baby|tiener|puber|jongere|jongeren|jeugd)"
_PARENT = r"(moeder|vader|ouder|ouders|mw|mevr|mevrouw|dhr|meneer|mama|papa|mam|pap|vrouw)"

REQUEST_RULES: list[tuple[str, str | None, str | None, float]] = [
    # context: the cause or occasion, not the request
    (_CONTEXT + r"(scheiding|echtscheiding|verhuizing|verhuizen|ziekte|ziek zijn|overlijden|vlucht|bevalling|zwangerschap|ontslag|detentie|opname)", None, None, 0.0),
    (r"(kind|kinderen|zoon|dochter) met (autisme|adhd|add|een beperking|een handicap|lvb)", None, None, 0.0),
    (r"naast (de |het |een |haar |zijn )?(bijstand|uitkering|school|studie|opleiding|werk|baan|zorg voor de kinderen)", None, None, 0.0),

    # Financiën / Schulden
    (r"schulden|schuldhulpverlening|schuldhulp|schuldsanering|schuldeisers?|\w*schuld(?!ig|gevoel)", FIN, "Schulden", 1.0),
    (r"(shv|wsnp|msnp|bkr|gkb)\b|kredietbank|deurwaarder\w*|incasso\w*|\w*aanmaning\w*|wanbetal\w*", FIN, "Schulden", 1.0),
    # the creditor after "schulden bij", "achterstand bij" is part of the phrase, not a second domain
    (r"(betalings|huur|energie|gas|premie|zorgpremie|belasting)achterstand\w*|(schulden|schuld|achterstand|achterstanden|openstaande rekeningen?) (bij|aan|met|van) (de |het |een )?\w+", FIN, "Schulden", 1.0),
    (r"achterstand(en)?\b", FIN, "Schulden", 0.6),
    (r"betalingsregeling|afbetal\w*|openstaande (rekening|rekeningen|facturen|factuur|bedragen)", FIN, "Schulden", 1.0),
    (r"\w*beslag(legging)?\b|boetes?\b|cjib", FIN, "Schulden", 0.9),
    (r"(rekeningen|rekening|huur|vaste lasten)( \w+)? (niet )?(kunnen |kan )?(niet )?(meer )?betalen|betalingsproblemen", FIN, "Schulden", 0.9),
    # Financiën / Geen overzicht/administratie
    (r"administratie|\w*administratie|administratief|adm\b|papierwerk|papieren|thuisadministratie", FIN, "Geen overzicht/administratie", 1.0),
    (r"(de )?post (openen|sorteren|lezen|bijhouden|ordenen|wegwerken|uitzoeken)|ongeopende post|post (blijft|ligt|stapelt)", FIN, "Geen overzicht/administratie", 1.0),
    (r"budgetbeheer|budgetcoach\w*|budgettraining|budgetteren|budgetplan|huishoudboek\w*|kasboek|bewindvoer\w*|beschermingsbewind|inkomensbeheer", FIN, "Geen overzicht/administratie", 1.0),
    (r"belastingdienst|belastingaangifte|belastingbrie\w*|aangifte (inkomsten)?belasting|belastingen", FIN, "Geen overzicht/administratie", 0.9),
    (r"toeslagen aanvragen|toeslag aanvragen|aanvragen (van )?toeslagen", FIN, "Geen overzicht/administratie", 1.0),
    (r"brieven|brief|\w*brieven|formulieren|formulier|\w*formulier\w*|digid", FIN, "Geen overzicht/administratie", 0.8),
    (r"(geen |weinig )?(overzicht|grip) (op|over|van)|overzicht\b", FIN, "Geen overzicht/administratie", 0.8),
    # Financiën / Acute nood
    (r"lege koelkast|koelkast (is )?leeg|(geen|zonder|niets te|niks te|weinig) eten|honger", FIN, "Acute nood", 1.0),
    (r"geen geld (meer )?(voor )?(eten|boodschappen|voedsel)", FIN, "Acute nood", 1.0),
    (r"voedselbank|voedselpakket\w*|voedselbon\w*|noodpakket|noodfonds|noodhulp|noodgeld|noodsituatie", FIN, "Acute nood", 1.0),
    (r"afsluiting|afgesloten|afsluiten|\w*afsluiting", FIN, "Acute nood", 0.9),
    (r"acuut|acute", FIN, "Acute nood", 0.6),
    (r"boodschappen", FIN, "Acute nood", 0.6),
    # Financiën / Materiële tekorten
    (r"\w*bed\b|bedden|matras\w*|ledikant|wieg", FIN, "Materiële tekorten", 0.9),
    (r"\w*fiets\b|fietsen voor", FIN, "Materiële tekorten", 0.9),
    (r"laptop|computer|tablet|pc\b", FIN, "Materiële tekorten", 0.9),
    (r"meubels|meubilair|meubel\w*|\w*kast\b|stoelen|tafel|koelkast|wasmachine|fornuis|kookplaat|vriezer|stofzuiger|witgoed|gordijn\w*|vloerbedekking|inrichting", FIN, "Materiële tekorten", 0.9),
    (r"kleding|kleren|\w*jassen|\w*jas\b|schoenen|\w*schoenen|schooltas|schoolspullen|babyspullen|kinderwagen|spullen|\w*spullen", FIN, "Materiële tekorten", 0.9),
    (r"materiele|materieel|tekort aan|sinterklaas\w*|cadeau\w*|leergeld", FIN, "Materiële tekorten", 0.9),
    # Financiën, no categorie: income, benefits, allowances
    (r"financien|financieel|financiele|financ\w*|geldzaken|geldproblemen|geldzorgen|\w*geld(?!ig|t\b)", FIN, None, 0.9),
    (r"inkomen|inkomsten|\w*inkomen|uitkering|\w*uitkering|bijstand|bijzondere bijstand|participatiewet", FIN, None, 0.9),
    (r"toeslagen|\w*toeslag\w*|kinderbijslag|kindgebonden budget|(kot|kgb)\b|kwijtschelding|terugvordering|terugbetal\w*", FIN, None, 0.9),
    (r"zorgverzekering|zorgverzekeraar|zorgpremie|armoede|rondkomen|minima", FIN, None, 0.9),
    (r"rekeningen|rekening", FIN, None, 0.7),
    (r"uwv\b", FIN, None, 0.5),  # benefits as often as work: a hint only

    # Gezondheid / Psychisch
    (r"ggz|psychische|psychisch|psych\w*|psycholo\w*|psychiat\w*", GEZ, "Psychisch", 1.0),
    (r"depressie|depressief|depressieve|depress\w*|somber\w*|angstig|angst\w*|paniek\w*|trauma\w*|ptss|burn out|burnout|overspannen\w*", GEZ, "Psychisch", 1.0),
    (r"stress\w*|gestrest|gestresst|suicid\w*|zelfmoord\w*|eetstoornis|anorexia|boulimia|psychose\w*|bipolair|borderline|zelfbeschadiging|piekeren|\w*verwerking", GEZ, "Psychisch", 0.9),
    (r"adhd|add\b|autisme|autistisch|lvb|verstandelijke beperking", GEZ, "Psychisch", 0.8),
    # Gezondheid / Verslaving
    (r"verslaving|verslaafd|\w*verslav\w*|alcohol\w*|drank\w*|drinkt|drinken|drugs\w*|blowt|blowen|\w*wiet|cannabis|cocaine|coke|heroine|gokken|gokt|middelengebruik|drugsgebruik|alcoholgebruik", GEZ, "Verslaving", 1.0),
    (r"roken|rookt|stoppen met roken", GEZ, "Verslaving", 0.9),
    # Gezondheid / Lichamelijk
    (r"lichamelijk\w*|fysiek\w*|fysio\w*|(rug|nek|buik|hoofd|been|knie|schouder|gewrichts|hart|long|huid)(klachten|pijn)|pijn\w*", GEZ, "Lichamelijk", 1.0),
    (r"tandarts\w*|diabet\w*|suikerziekte|astma|kanker|zwanger\w*|verloskundige|overgewicht|obesitas|rolstoel|operatie|revalid\w*|chronisch\w*|ziekenhuis\w*|handicap|lichamelijke beperking", GEZ, "Lichamelijk", 1.0),
    # Gezondheid, no categorie
    (r"gezondheid|gezondheids\w*|ziek\b|ziekte\w*|zieke|huisarts\w*|dokter|arts\b|medicatie|medicijnen|medisch\w*|slaap\w*|klachten|wmo\b|consultatiebureau", GEZ, None, 0.9),
    (r"gezond\b|gezonde|gezonder|zorg\b", GEZ, None, 0.6),  # "zorg" alone may be care for the children

    # Wonen
    (r"wonen|woning|woningen|\w*woning\w*|woonruimte|\w*woonruimte|woonplek|woonurgentie|huisvesting|huisvest\w*|woon\w*", WON, None, 1.0),
    (r"urgentie\w*|dakloos\w*|thuisloos\w*|daklozen\w*|maatschappelijke opvang|nachtopvang|vrouwenopvang|opvang\b|zwerf\w*|bankslaper|op de bank", WON, None, 1.0),
    (r"huisuitzetting|uitzetting|ontruiming|\w*ontruiming", WON, None, 1.0),
    (r"(groter|grotere|ander|andere|eigen|nieuw|nieuwe|passend|passende|kleiner|kleinere|betaalbaar|betaalbare) (huis|woning|woonruimte)", WON, None, 1.0),
    (r"te klein|klein behuisd|krap behuisd|overbewoning|op (een|1) kamer", WON, None, 0.9),
    (r"schimmel\w*|vocht\w*|lekkage|lekt|ongedierte|muizen|kakkerlak\w*|bedwants\w*|warm water|verwarming|cv ketel|kachel|tocht|onderhoud|vervuild|vervuiling|verloedering", WON, None, 0.9),
    (r"verhuiz\w*|verhuurder|huisbaas|\w*overlast|buren|woningcorporatie|corporatie|woningbouw\w*|huurcontract|huurwoning|woonnet|woningnet|inschrijfduur", WON, None, 0.9),
    (r"huur\b|huis\b", WON, None, 0.6),

    # Sociaal / Huiselijke relaties
    (r"relatie\w*|\w*scheiding|scheiden|gescheiden|ex\b|ex partner|expartner|partner\w*|omgang(sregeling)?\b|ouderschapsplan|huiselijk\w*|\w*geweld|veilig thuis|mishandel\w*|slaat|echtgeno\w*|huwelijk\w*", SOC, "Huiselijke relaties", 1.0),
    (r"spanning(en)? (in het gezin|thuis|tussen)|ruzie\w*", SOC, "Huiselijke relaties", 0.9),
    (r"conflict\w*|spanning\w*|mantelzorg\w*", SOC, "Huiselijke relaties", 0.7),
    # Sociaal / Opvoeding
    (r"opvoeding|opvoeden|opvoed\w*|pedagog\w*|grenzen stellen|grenzen|luistert niet|\w*gedrag\w*|driftbui\w*|hechting", SOC, "Opvoeding", 1.0),
    (r"cjg|jeugdhulp|jeugdzorg|jeugdbescherming|kinderbescherming|ots\b|ondertoezichtstelling|gezinsvoogd\w*|uithuisplaatsing|wijkteam jeugd|schermtijd|gamen|gamet", SOC, "Opvoeding", 1.0),
    (r"pubers?|puberteit|tieners?", SOC, "Opvoeding", 0.8),
    # Sociaal / Sociaal netwerk
    (r"eenzaam|eenzaamheid|eenza\w*|isolement|geisoleerd|isol\w*|\w*netwerk|(voelt zich|staat er|helemaal|erg) alleen", SOC, "Sociaal netwerk", 1.0),
    (r"kent niemand|niemand (om|die)|(op )?terug (te )?vallen", SOC, "Sociaal netwerk", 0.9),
    (r"sociale contacten|contacten|contact met (andere|lotgenoten|mensen|buren|vrienden|moeders|vaders)|vrienden|vriendinnen|vriend\w*|lotgeno\w*|(nieuwe )?mensen (leren )?kennen|maatje|buddy", SOC, "Sociaal netwerk", 0.9),
    (r"(weinig|geen) steun|steun (uit|van|in) (de )?(omgeving|familie)|omgeving|familie\w*", SOC, "Sociaal netwerk", 0.8),
    (r"sociaal|sociale", SOC, None, 0.7),

    # Participatie / ADL
    (r"adl\b|huishouden|huishouding|huishoudelijk\w*|schoonmaken|schoonmaak\w*|opruimen|opruimt|koken|kookles|dagritme|zelfredzaam\w*|zelfredzaamheid|hygiene|zelfzorg", PAR, ADL, 1.0),
    (r"leren fietsen|fietsen leren|fietsles\w*", PAR, ADL, 1.0),
    (r"structuur|plannen|planning|afspraken nakomen|afspraken|digitale vaardigheden|computerles|computercursus|leren omgaan met( de| het)? \w+|vaardigheden", PAR, ADL, 0.8),
    # Participatie / Nederlandse taal
    (r"taal\w*|nederlands\w*|nt2|inburger\w*|laaggeletterd\w*|lezen en schrijven|alfabetiser\w*|leesles", PAR, "Nederlandse taal", 1.0),
    # Participatie / Werk
    (r"werk\b|werkzoekend\w*|werkloos\w*|baan\b|baantje|banen|sollicit\w*|cv\b|curriculum|re integratie|reintegratie|werkervaring\w*|werkplek|werkgever|vacature\w*|uitzend\w*|arbeid\w*|participatiebaan|aan het werk|betaald werk", PAR, "Werk", 1.0),
    (r"werken|werkt\b", PAR, "Werk", 0.6),
    (r"rijbewijs|rijles\w*", PAR, None, 0.9),
    # Participatie / Opleiding
    (r"opleiding\w*|\w*opleiding|studie\w*|studeren|student|scholing|diploma\w*|mbo|hbo|vmbo|havo|vwo|roc|universiteit|hogeschool|onderwijs|stage\w*|leerwerk\w*|bijles|huiswerk\w*|cursus\w*|training", PAR, "Opleiding", 0.9),
    (r"schoolverzuim|verzuim|spijbel\w*|thuiszit\w*|leerplicht\w*|zonder school|(gestopt|stopt) met school", PAR, "Opleiding", 0.9),
    (r"school\w*|les\b|lessen", PAR, "Opleiding", 0.6),
    # Participatie / Daginvulling kind
    (r"kinderopvang|bso\b|tso\b|naschoolse opvang|buitenschoolse opvang|peuteropvang|peuterspeelzaal|voorschool|vve\b|kinderdagverblijf|kdv\b|gastouder\w*|opvang voor (de )?kinderen", PAR, "Daginvulling kind", 1.0),
    (r"jeugdfonds\w*|jeugdsportfonds|jeugdcultuurfonds|scouting|speeltuin|kinderclub|zomerkamp|\w*kamp\b|kinderactiviteit\w*", PAR, "Daginvulling kind", 0.9),
    (r"(zwem|muziek|dans|piano|gitaar|teken|voetbal|judo|turn|sport)les\w*|sport\w*|\w*sportclub|\w*vereniging|voetbal\w*|zwemmen|dansen|turnen|judo|karate|boksen|kickboks\w*|hobby\w*|vrije tijd|vrijetijd\w*", PAR, SUBJECT, 0.9),
    (r"vervelen|verveelt|verveling|vakantie\w*|spelen|club\b", PAR, SUBJECT, 0.7),
    # Participatie / Daginvulling ouder
    (r"(daginvulling|dagbesteding|tijdsbesteding|vrije tijd) (van |voor )?(de |het |een )?" + _KID, PAR, "Daginvulling kind", 1.0),
    (r"iets (te )?doen overdag|overdag (iets|niets) (te )?doen", PAR, "Daginvulling ouder", 0.9),
    (r"vrijwilligerswerk( (doen|zoeken|vinden))?( (bij|in) (de |het |een )?\w+)?|vrijwilligers(plek|baan|functie)|dagbesteding|daginvulling|tijdsbesteding|zinvolle dag\w*", PAR, "Daginvulling ouder", 1.0),
    (r"zit (veel |de hele dag |alleen )?thuis|zitten (veel |de hele dag )?thuis", PAR, SUBJECT, 0.9),
    (r"moedergroep|vrouwengroep|oudergroep|vadergroep|koffieochtend\w*|inloop\w*|buurthuis|wijkcentrum|buurtcentrum|(iets )?(doen|meedoen|actief) in de (wijk|buurt)", PAR, "Daginvulling ouder", 0.9),
    (r"meedoen|mee doen", PAR, None, 0.9),  # the pilot cluster's word for Participatie: no categorie of its own
    (r"activiteit\w*|\w*activiteiten", PAR, SUBJECT, 0.8),
    (r"participatie|participeren", PAR, None, 0.9),

    # Overig / Verblijfsstatus
    (r"verblijfsvergunning|verblijfsstatus|verblijf\w*|\w*status\b|statushouder\w*|ind\b|asiel\w*|vluchteling\w*|naturalisatie|nationaliteit|gezinshereniging|gezinsmigratie|ongedocumenteerd\w*|illegaal|mvv\b|vreemdeling\w*|azc\b|coa\b", OVE, "Verblijfsstatus", 1.0),
    # Overig / Juridisch
    (r"juridisch\w*|jurist|advocaat|advocat\w*|rechtszaak|rechtbank|rechter\w*|rechtshulp|rechtsbijstand|juridisch loket|politie|justitie|detentie|gevangenis|gedetineerd\w*|reclassering|taakstraf|werkstraf|\w*straf\b|strafblad|halt\b|vog\b", OVE, "Juridisch", 1.0),
    (r"aangifte", OVE, "Juridisch", 0.6),
    # Overig / Zingeving
    (r"zingeving|zin (in|van) het leven|levensvragen|geloof\w*|kerk\w*|moskee|religi\w*|spiritu\w*|bidden|gebed|houvast|rouw\w*", OVE, "Zingeving", 0.9),
]

# Whole texts that carry no request (matched on the normalised text, fully).
VAGUE_WHOLE = re.compile(
    r"(div|divers|diversen|diverse( vragen| zaken| hulpvragen)?|onbekend|nog onbekend|nvt|n v t|nb|n b|"
    r"niet van toepassing|volgt|volgt nog|volgt later|ntb|n t b|nader te bepalen|x+|idem|zie boven|"
    r"alles|hulp|ondersteuning|begeleiding|algemeen|algemene (ondersteuning|hulp|vragen)|hulpvraag|"
    r"hulpvragen|vraag|vragen|meerdere|meerdere (vragen|hulpvragen)|weet (ik |het |ze |zij |hij )?niet|"
    r"geen|nee|ja|ok|oke|\d*)"
)
# Phrases that make a text vague wherever they occur.
VAGUE_PHRASES = re.compile(
    r"\b(zie (dossier|verslag|verslagen|notitie|notities|rapportage|plan|plan van aanpak|boven|onder|"
    r"bijlage|intake|eerder|map|mail|logboek)|weet (het |ik |ze |zij |hij |moeder |vader )?nog niet|"
    r"nog (in kaart|uitzoeken|onduidelijk|niet duidelijk|niet bekend|te bepalen|bespreken|onbekend)|"
    r"in kaart brengen|eerst kennismaken|kennismak\w*|nader te bepalen|"
    r"(alles|het) gaat (goed|prima)|gaat (het )?(goed|prima)|goed gaat|niets aan de hand|"
    r"geen (concrete |duidelijke )?hulpvra\w*|geen (concrete )?vra(ag|gen)|heeft (nog )?geen vraag)\b"
)
# Negations of a problem: "geen schulden", "geen problemen met geld", "niet meer nodig".
NEGATIONS = re.compile(
    r"\b((geen|niet|nooit) (meer )?(sprake van |last van |zorgen over )?(schulden|problemen|problematiek|"
    r"zorgen|klachten|hulp nodig|ondersteuning nodig|behoefte)|niet (meer )?nodig|geen behoefte|"
    r"is opgelost|zijn opgelost|opgelost|"
    # a problem that stopped, or is denied: "drinkt niet meer", "is niet eenzaam"
    r"(drinkt|drinken|gebruikt|gebruiken|rookt|roken|blowt|blowen|gokt|gokken) (\w+ )?niet meer|"
    r"(is|zijn|voelt zich|voelen zich) (niet|nooit|niet meer) (\w+ )?(eenzaam|verslaafd|depressief|somber|"
    r"ziek|dakloos|gestrest|angstig))\b"
)


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern
    leefgebied: str | None
    categorie: str | None
    weight: float


def _compile(pattern: str) -> re.Pattern:
    return re.compile(r"\b(?:" + pattern + r")")


_RULES: tuple[_Rule, ...] = tuple(_Rule(_compile(p), lg, cat, w) for p, lg, cat, w in REQUEST_RULES)
_KID_RE = re.compile(r"\b" + _KID)
_PARENT_RE = re.compile(r"\b" + _PARENT)


def _literal_words(patterns) -> tuple[str, ...]:
    """The plain words among the patterns' alternatives: the vocabulary for typo matching."""
    words: set[str] = set()
    for pattern in patterns:
        depth, start, parts = 0, 0, []
        for i, ch in enumerate(pattern):  # split on top-level '|'
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "|" and depth == 0:
                parts.append(pattern[start:i])
                start = i + 1
        parts.append(pattern[start:])
        for part in parts:
            part = part.removeprefix(r"\w*")
            literal = re.match(r"[a-z]+( [a-z]+)*", part)
            if not literal or len(literal.group(0)) < FUZZY_MIN_LENGTH + 1:
                continue
            rest = part[literal.end():]  # the word must be complete: end, \b, "( more words)?", (?!...)
            if rest == "" or rest.startswith(("\\b", "( ", "(?!")):
                words.add(literal.group(0))
    return tuple(sorted(words))


_RULE_WORDS: tuple[str, ...] = _literal_words(p for p, lg, _c, _w in REQUEST_RULES if lg is not None)
# Everyday words of help requests that are close to a key word but are no typo of it
# ("leren" ~ "kleren", "problemen" ~ "geldproblemen"): never corrected.
COMMON_WORDS: frozenset[str] = frozenset("""
    leren lezen geven nemen komen maken halen gaan doen zoeken vinden willen wilde graag hebben heeft
    problemen probleem moeite vragen vraagt hulp helpen ondersteuning begeleiding zorgen zorg regelen
    moeder vader ouder ouders kinderen kind zoon dochter gezin familie mevrouw meneer partner
    samen alleen thuis weinig veel beter goede graag eigen nieuwe andere omdat zodat zonder tijdens
    contact kunnen moeten mogen weten zitten staan lopen wonen werken spelen
""".split())


_WORD_END = re.compile(r"\w*")


@lru_cache(maxsize=65536)
def _rule_hits(key: str) -> tuple[tuple[int, str], ...]:
    """(rule index, matched text) of the rules that match, without matches inside longer ones."""
    spans = []
    for i, rule in enumerate(_RULES):
        for m in rule.regex.finditer(key):
            if m.end() > m.start():
                end = _WORD_END.match(key, m.end()).end()  # show whole words in reasons
                spans.append((m.start(), m.end(), i, key[m.start():end].strip()))
    kept = []
    for s, e, i, text in spans:
        dominated = False
        for s2, e2, j, _t in spans:
            if j == i and (s2, e2) == (s, e):
                continue
            inside = s2 <= s and e <= e2
            if inside and (e2 - s2 > e - s or _RULES[j].weight > _RULES[i].weight
                           or (_RULES[j].weight == _RULES[i].weight and j < i)):
                dominated = True
                break
        if not dominated:
            kept.append((s, i, text))
    kept.sort()
    seen: set[tuple[int, str]] = set()
    out = []
    for _s, i, text in kept:
        if (i, text) not in seen:  # a word repeated counts once; two words of one rule count twice
            seen.add((i, text))
            out.append((i, text))
    return tuple(out)


def _noisy_or(weights) -> float:
    p = 1.0
    for w in weights:
        p *= 1.0 - w
    return 1.0 - p


def _quote(words) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _resolve_subject(key: str, cats: tuple[str, ...]) -> str | None:
    kid, parent = bool(_KID_RE.search(key)), bool(_PARENT_RE.search(key))
    if kid:
        cat = "Daginvulling kind"
    elif parent:
        cat = "Daginvulling ouder"
    else:
        return None
    return cat if cat in cats else None


def _apply_rules(key: str, taxonomy: tx.Taxonomy) -> Match | None:
    """The key-word rules' verdict on a normalised text, or None when no rule matched."""
    by_lg: dict[str, list[tuple[float, str | None, str]]] = {}
    for i, text in _rule_hits(key):
        rule = _RULES[i]
        if rule.leefgebied is None or rule.leefgebied not in taxonomy.leefgebieden:
            continue
        by_lg.setdefault(rule.leefgebied, []).append((rule.weight, rule.categorie, text))
    if not by_lg:
        return None
    scored = sorted(((_noisy_or(w for w, _c, _t in hits), lg) for lg, hits in by_lg.items()),
                    key=lambda t: -t[0])
    s1, lg = scored[0]
    hits = by_lg[lg]
    cats = taxonomy.leefgebieden[lg]
    categorie = None
    for _w, cat, _t in sorted(hits, key=lambda h: -h[0]):  # stable: earlier hit wins a tie
        if cat == SUBJECT:
            cat = _resolve_subject(key, cats)
        if cat in cats:
            categorie = cat
            break
    words = [t for _w, _c, t in hits]
    if len(scored) > 1:
        s2, lg2 = scored[1]
        ratio = s2 / s1
        others = [t for _w, _c, t in by_lg[lg2]]
        if ratio >= CONFLICT_RATIO:
            reason = f"tegenstrijdige trefwoorden: {_quote(words)} ({lg}) en {_quote(others)} ({lg2})"
            return _match(lg, categorie, tx.HERKOMST_TE_BEOORDELEN, s1 * (1 - ratio / 2), reason)
        confidence = s1 * (1 - 0.12 * ratio)
        reason = f"trefwoord{'en' if len(words) > 1 else ''} {_quote(words)} (weegt zwaarder dan {_quote(others)})"
    else:
        confidence = s1
        reason = f"trefwoord{'en' if len(words) > 1 else ''} {_quote(words)}"
    if confidence < AUTO_CONFIDENCE and len(scored) == 1:
        reason = "zwak " + reason
    return _match(lg, categorie, tx.HERKOMST_TEKSTREGEL, confidence, reason)


# -- labels: per-taxonomy index ----------------------------------------------------------------
@dataclass(frozen=True)
class _Label:
    leefgebied: str
    categorie: str | None
    kind: str  # "leefgebied", "categorie", "synoniem"
    display: str  # as shown in a reason
    source: str  # vocabulary name for synonyms ("ZRM", "woordenlijst", ...)
    confidence: float = 1.0


class _LabelIndex:
    def __init__(self, taxonomy: tx.Taxonomy):
        self.taxonomy = taxonomy
        self.labels: dict[str, _Label] = {}
        lgs = taxonomy.leefgebieden

        def valid_cat(lg: str, cat: str | None) -> str | None:
            return cat if cat in lgs.get(lg, ()) else None

        for lg in lgs:
            self._add(lg, _Label(lg, None, "leefgebied", lg, ""))
        for lg, cats in lgs.items():
            for cat in cats:
                label = _Label(lg, cat, "categorie", cat, "")
                self._add(cat, label)
                short = re.fullmatch(r"(.+?)\s*\((.+)\)", cat)  # "Algemene ... (ADL)"
                if short:
                    self._add(short.group(1), label)
                    self._add(short.group(2), label)
                for part in cat.split("/") if "/" in cat else ():  # "Geen overzicht/administratie"
                    self._add(part, label)
        vocab_of: dict[str, tuple[str, tuple[str, str | None, float]]] = {}
        for name, vocab in VOCABULARIES:
            for text, value in vocab.items():
                vocab_of.setdefault(_key(text), (name, value))
        for syn, (lg, cat) in taxonomy.synonyms.items():
            if lg not in lgs:
                continue
            source, value = vocab_of.get(_key(syn), ("woordenlijst", None))
            if cat is None and value is not None and value[0] == lg:
                cat = value[1]  # the built-in vocabulary knows the categorie too
            self._add(syn, _Label(lg, valid_cat(lg, cat), "synoniem", syn, source))
        for name, vocab in VOCABULARIES:
            for text, (lg, cat, conf) in vocab.items():
                if lg in lgs:
                    self._add(text, _Label(lg, valid_cat(lg, cat), "synoniem", text, name, conf))
        self.choices = [k for k in self.labels if len(k) >= FUZZY_MIN_LENGTH - 1]
        # multi-word labels that contain a separator: never split inside them
        protected = {lab.display for lab in self.labels.values()}
        protected |= {text for _n, vocab in VOCABULARIES for text in vocab}
        protected = sorted((p for p in protected if _SEPARATOR_IN_LABEL.search(p)), key=len, reverse=True)
        self.protect = re.compile("|".join(_label_regex(p) for p in protected)) if protected else None

    def _add(self, text: str, label: _Label) -> None:
        key = _key(text)
        if key and key not in self.labels:
            self.labels[key] = label

    def exact(self, text: str) -> Match | None:
        label = self.labels.get(_key(text))
        if label is None:
            return None
        if label.kind == "synoniem":
            return _match(label.leefgebied, label.categorie, tx.HERKOMST_WOORDENLIJST, label.confidence,
                          f"synoniem '{label.display}' ({label.source})")
        herkomst = tx.HERKOMST_FORMAT if text.strip() == label.display else tx.HERKOMST_WOORDENLIJST
        what = "leefgebied" if label.kind == "leefgebied" else "categorie"
        return _match(label.leefgebied, label.categorie, herkomst, 1.0, f"{what} '{label.display}'")

    def fuzzy(self, text: str) -> Match | None:
        key = _key(text)
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        found = process.extractOne(key, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if found is None:
            return None
        choice, score, _ = found
        label = self.labels[choice]
        return _match(label.leefgebied, label.categorie, tx.HERKOMST_FUZZY, _fuzzy_confidence(score),
                      f"lijkt op '{label.display}' ({score:.0f}%)")


_SEPARATOR_IN_LABEL = re.compile(r",|;| / | \+ |•")


def _label_regex(label: str) -> str:
    """A label as a pattern on folded text: any blanks between words, optional ones around ',' etc."""
    parts = []
    for token in re.findall(r"\s*[,;/+&-]\s*|\s+|[^\s,;/+&-]+", tx.normalise_label(label)):
        if not token.strip():
            parts.append(r"\s+")
        elif token.strip() in ",;/+&-":
            parts.append(r"\s*" + re.escape(token.strip()) + r"\s*")
        else:
            parts.append(re.escape(token))
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def _fuzzy_confidence(score: float) -> float:
    """Similarity as confidence; below FUZZY_AUTO_SCORE always under AUTO_CONFIDENCE."""
    confidence = score / 100
    return confidence if score >= FUZZY_AUTO_SCORE else min(confidence, AUTO_CONFIDENCE - 0.05)


_INDEXES: dict[int, _LabelIndex] = {}


def _index(taxonomy: tx.Taxonomy) -> _LabelIndex:
    found = _INDEXES.get(id(taxonomy))
    if found is None or found.taxonomy is not taxonomy:
        if len(_INDEXES) > 32:
            _INDEXES.clear()
        found = _INDEXES[id(taxonomy)] = _LabelIndex(taxonomy)
    return found


def _learned(text: str, taxonomy: tx.Taxonomy, learned: Learned | None) -> Match | None:
    if not learned:
        return None
    found = learned.get(learned_key(text))
    if not found:
        return None
    lg, cat = found
    if lg not in taxonomy.leefgebieden:
        return None  # the leefgebied no longer exists: decide again
    return _match(lg, cat if cat in taxonomy.leefgebieden[lg] else None, tx.HERKOMST_PERSOON, 1.0,
                  "door een persoon bevestigd")


def _as_text(text: object) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text)


def _vague(key: str) -> str | None:
    """The Dutch reason when a normalised text carries no request, else None."""
    if not key:
        return "geen tekst herkend"
    if VAGUE_WHOLE.fullmatch(key):
        return f"vage omschrijving ('{key}')"
    m = VAGUE_PHRASES.search(key)
    if m:
        return f"vage omschrijving ('{m.group(0)}')"
    m = NEGATIONS.search(key)
    if m:
        return f"ontkenning ('{m.group(0)}')"
    return None


def _review(suggestion: Match | None, reason: str) -> Match:
    if suggestion is None:
        return _match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, reason)
    return _match(suggestion.leefgebied, suggestion.categorie, tx.HERKOMST_TE_BEOORDELEN,
                  min(suggestion.confidence, 0.3), f"{reason}; suggestie: {suggestion.reason}")


# -- public API -------------------------------------------------------------------------------
def classify_label(text: object, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY,
                   learned: Learned | None = None) -> Match:
    """A value from a leefgebied or categorie column: known labels of every vocabulary, then typos."""
    raw = _as_text(text)
    if not raw.strip():
        return _match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, "lege waarde")
    found = _learned(raw, taxonomy, learned)
    if found:
        return found
    index = _index(taxonomy)
    found = index.exact(raw)
    if found:
        return found
    vague = _vague(_key(raw))
    if vague:
        return _review(None, vague)
    return index.fuzzy(raw) or _match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, "onbekend label")


def classify_request(text: object, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY,
                     learned: Learned | None = None) -> Match:
    """A help request in free text: learned, known label, key-word rules, then typos."""
    raw = _as_text(text)
    if not raw.strip():
        return _match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, "lege waarde")
    found = _learned(raw, taxonomy, learned)
    if found:
        return found
    index = _index(taxonomy)
    found = index.exact(raw)
    if found:
        return found
    key = _key(raw)
    ruled = _apply_rules(key, taxonomy)
    vague = _vague(key)
    if vague:
        return _review(ruled, vague)
    if ruled is not None and ruled.certain:
        return ruled
    best = ruled
    for candidate in (index.fuzzy(raw), _fuzzy_words(key, taxonomy)):
        if candidate is not None and (best is None or candidate.confidence > best.confidence):
            best = candidate
    return best or _match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, "geen trefwoord herkend")


def _fuzzy_words(key: str, taxonomy: tx.Taxonomy) -> Match | None:
    """Correct words that look like a rule's word (typos), then apply the rules again."""
    hit_words = {w for _i, text in _rule_hits(key) for w in text.split()}
    words = key.split()
    corrected, notes, scores = list(words), [], []
    for n, word in enumerate(words):
        if len(word) < FUZZY_MIN_LENGTH or word in hit_words or word in COMMON_WORDS:
            continue
        found = process.extractOne(word, _RULE_WORDS, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if found is None or found[0] == word:
            continue
        corrected[n] = found[0]
        notes.append(f"'{word}' lijkt op '{found[0]}' ({found[1]:.0f}%)")
        scores.append(found[1])
    if not notes:
        return None
    ruled = _apply_rules(" ".join(corrected), taxonomy)
    if ruled is None:
        return None
    confidence = min(ruled.confidence, _fuzzy_confidence(min(scores)))
    return _match(ruled.leefgebied, ruled.categorie, tx.HERKOMST_FUZZY, confidence,
                  f"{'; '.join(notes)}: {ruled.reason}")


_ZRM_BY_KEY: dict[str, tuple[str, tuple[str, str | None, float]]] = {}
for _name, _value in ZRM_DOMAINS.items():
    _ZRM_BY_KEY.setdefault(_key(_name), (_name, _value))


def classify_zrm_domain(text: object, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> Match:
    """A ZRM domain name (any version, with or without 'ZRM'/'domein'/number) -> leefgebied."""
    raw = _as_text(text)
    key = re.sub(r"^(zrm )?(domein )?(\d+ )?|( zrm)$", "", _key(raw)).strip()
    zrm = _ZRM_BY_KEY
    if key in zrm:
        name, (lg, cat, conf) = zrm[key]
        if lg in taxonomy.leefgebieden:
            cat = cat if cat in taxonomy.leefgebieden[lg] else None
            return _match(lg, cat, tx.HERKOMST_WOORDENLIJST, conf, f"ZRM-domein '{name}'")
    if len(key) >= FUZZY_MIN_LENGTH:
        found = process.extractOne(key, list(zrm), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if found is not None:
            name, (lg, cat, conf) = zrm[found[0]]
            if lg in taxonomy.leefgebieden:
                cat = cat if cat in taxonomy.leefgebieden[lg] else None
                return _match(lg, cat, tx.HERKOMST_FUZZY, min(conf, _fuzzy_confidence(found[1])),
                              f"lijkt op ZRM-domein '{name}' ({found[1]:.0f}%)")
    return classify_label(key or raw, taxonomy)


# -- several values in one cell ------------------------------------------------------------------
_LINE_SPLIT = re.compile(r"[\n\r\u2028\u2029]+|[•·▪◦●■►]")
_LINE_MARK = re.compile(r"^\s*(?:[-*–—]\s+|\d{1,2}[.)]\s+)")
_PART_SPLIT = re.compile(r";|(?<!\d),|,(?!\d)| / | \+ ")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def split_values(text: object, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> list[str]:
    """Several values in one cell, in order: split on line breaks, ';', ',', ' / ', ' + ' and
    bullets, never inside a known label that itself contains such a separator
    ("Werk, inkomen en schulden")."""
    raw = _as_text(text)
    if not raw.strip():
        return []
    index = _index(taxonomy)
    kept: list[str] = []
    if index.protect is not None:
        folded = _fold(raw)
        pieces, last = [], 0
        for m in index.protect.finditer(folded):
            pieces.append(raw[last:m.start()])
            pieces.append(f"\x00{len(kept)}\x00")
            kept.append(raw[m.start():m.end()])
            last = m.end()
        pieces.append(raw[last:])
        raw = "".join(pieces)
    out = []
    for line in _LINE_SPLIT.split(raw):
        line = _LINE_MARK.sub("", line)
        for part in _PART_SPLIT.split(line):
            part = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], part).strip()
            if part:
                out.append(part)
    return out


# -- support types (hours columns, contact logs) ---------------------------------------------------
GESPREK, REGEL, PRAKTISCH, MAATJE = "Gesprekken met gezin", "Regelzaken", "Praktische steun", "Ondersteuning door maatje"
GROEP_OUDER, GROEP_KIND, VRIJWILLIG = "Groepsactiviteit ouder", "Groepsactiviteit kind", "Vrijwilligerswerk ouder"
GROEP = "<groepsactiviteit: kind of ouder>"  # decided by who takes part

# Whole labels (after dropping units and moments such as "uren", "per week", "rond aanmelding").
# A phone call or app with the family is a talk; "bellen" and "mail" on their own are the calls
# and mail of Regelzaken (DOMAIN.md §3.4), as is calling an agency.
SUPPORT_SYNONYMS: dict[str, tuple[str, float]] = {
    "gesprek": (GESPREK, 1.0), "gesprekken": (GESPREK, 1.0), "gesprekken met gezin": (GESPREK, 1.0),
    "gesprekken met het gezin": (GESPREK, 1.0), "huisbezoek": (GESPREK, 1.0), "huisbezoeken": (GESPREK, 1.0),
    "telefonisch": (GESPREK, 0.9), "telefoon": (GESPREK, 0.85), "telefonisch contact": (GESPREK, 0.9),
    "whatsapp": (GESPREK, 0.85), "app": (GESPREK, 0.85), "beeldbellen": (GESPREK, 0.9),
    "bellen": (REGEL, 0.8), "mail": (REGEL, 0.9), "e mail": (REGEL, 0.9), "email": (REGEL, 0.9),
    "mailen": (REGEL, 0.9), "bellen en mailen": (REGEL, 1.0), "regelzaken": (REGEL, 1.0),
    "administratie": (REGEL, 1.0), "praktisch": (PRAKTISCH, 1.0), "praktische steun": (PRAKTISCH, 1.0),
    "praktische hulp": (PRAKTISCH, 1.0), "klussen": (PRAKTISCH, 1.0), "vervoer": (PRAKTISCH, 1.0),
    "maatje": (MAATJE, 1.0), "buddy": (MAATJE, 1.0), "maatje buddy": (MAATJE, 1.0),
    "vrijwilliger": (MAATJE, 0.85), "vrijwilligers": (MAATJE, 0.85),
}
SUPPORT_RULES: list[tuple[str, str, float]] = [
    (r"(bellen|gebeld|telefo\w*|mail\w*|gesprek\w*|contact|overleg\w*) (met |naar )?(de |het |een )?(instantie\w*|gemeente|uwv|belastingdienst|school|huisarts|schuldeiser\w*|woningcorporatie|corporatie|hulpverlen\w*|netwerk\w*)", REGEL, 1.0),
    (r"(gesprek\w*|contact|bellen|gebeld|telefo\w*|overleg|spreken|app\w*) (met |aan )?(het |de )?(gezin|moeder|vader|ouders?|client\w*|kind\w*|jongere\w*|deelnemer\w*)", GESPREK, 1.0),
    (r"gesprek\w*|\w*gesprek\w*|huisbezoek\w*|face to face|f2f|beeldbel\w*|videobel\w*|coaching|coachen|intake|spreekuur|belafspraak|whatsapp", GESPREK, 1.0),
    (r"bezoek\w*|contactmoment\w*|contact\b", GESPREK, 0.7),
    (r"telefo\w*", GESPREK, 0.6),
    (r"regelzaken|regelen|regelwerk|administrati\w*|adm\b|e ?mail\w*|mail\w*|brie(f|ven)|post\b|formulier\w*|aanvra\w*|instantie\w*|\w*overleg|doorverwijz\w*|verwijzing|mee (naar|met)|meegaan|meegegaan|begeleid\w* naar|financ\w*|geldzaken|budget\w*|uitzoeken|sorteren|ordenen|bellen", REGEL, 1.0),
    (r"prakti\w*|klus\w*|vervoer\w*|rijden|gereden|verhuiz\w*|opknap\w*|schilder\w*|behang\w*|schoonma\w*|opruim\w*|inricht\w*|meubel\w*|boodschappen|tuin\w*|ophalen|wegbrengen|brengen|sjouwen|repar\w*", PRAKTISCH, 1.0),
    (r"vrijwilligerswerk", VRIJWILLIG, 1.0),
    (r"maatje\w*|buddy\w*|steunfiguur|mentor\w*|maatjes|vrijwilliger\b|vrijwilligers\b", MAATJE, 1.0),
    (r"groepsactiviteit\w*|\w*groep\b|activiteit\w*|\w*activiteiten|cursus\w*|\w*club|inloop\w*|koffieochtend\w*|deelname", GROEP, 0.9),
]
_SUPPORT_RULES = tuple((_compile(p), name, w) for p, name, w in SUPPORT_RULES)
_SUPPORT_NOISE = re.compile(
    r"\b(aantal|gemiddeld\w*|totaal|uren|uur|u|min|minuten|tijd|per week|p w|pw|week|in|rond (de )?aanmelding|"
    r"aanmelding|peildatum|later|nu|t\d|soort|type|vorm|van|(het )?contact)\b")
_SUPPORT_BY_KEY = {_key(n): n for n in tx.SUPPORT_TYPE_NAMES}


def _groep(key: str) -> str | None:
    kid, parent = bool(_KID_RE.search(key)), bool(_PARENT_RE.search(key))
    if kid and not parent:
        return GROEP_KIND
    if parent and not kid:
        return GROEP_OUDER
    return None


def classify_support_type(text: object) -> tuple[str | None, str, float]:
    """(support type from tx.SUPPORT_TYPE_NAMES, herkomst, confidence) for an hours column header
    or a contact-log type. Below AUTO_CONFIDENCE the type is a suggestion with herkomst
    `te beoordelen`; (None, `te beoordelen`, 0.0) when nothing is recognised."""
    raw = _as_text(text)
    key = _key(raw)
    if not key:
        return None, tx.HERKOMST_TE_BEOORDELEN, 0.0
    if key in _SUPPORT_BY_KEY:
        name = _SUPPORT_BY_KEY[key]
        return name, (tx.HERKOMST_FORMAT if raw.strip() == name else tx.HERKOMST_WOORDENLIJST), 1.0
    bare = re.sub(r"\s+", " ", _SUPPORT_NOISE.sub(" ", key)).strip()
    for candidate in (bare, key):
        if candidate in _SUPPORT_BY_KEY:
            return _SUPPORT_BY_KEY[candidate], tx.HERKOMST_WOORDENLIJST, 1.0
        if candidate in SUPPORT_SYNONYMS:
            name, conf = SUPPORT_SYNONYMS[candidate]
            return name, _support_herkomst(tx.HERKOMST_WOORDENLIJST, conf), conf
    spans = []
    for i, (regex, _name, _w) in enumerate(_SUPPORT_RULES):
        for m in regex.finditer(key):
            spans.append((m.start(), m.end(), i))
    scores: dict[str, list[float]] = {}
    for s, e, i in spans:
        if any(s2 <= s and e <= e2 and (e2 - s2 > e - s or j < i) for s2, e2, j in spans if (s2, e2, j) != (s, e, i)):
            continue
        _r, name, weight = _SUPPORT_RULES[i]
        if name == GROEP:
            name = _groep(key)
            if name is None:
                name, weight = GROEP_OUDER, min(weight, 0.5)  # whose activity is unclear
        scores.setdefault(name, []).append(weight)
    if scores:
        ranked = sorted(((_noisy_or(ws), n) for n, ws in scores.items()), key=lambda t: -t[0])
        s1, name = ranked[0]
        confidence = s1
        if len(ranked) > 1:
            ratio = ranked[1][0] / s1
            confidence = s1 * (1 - ratio / 2) if ratio >= CONFLICT_RATIO else s1 * (1 - 0.12 * ratio)
        confidence = round(confidence, 3)
        return name, _support_herkomst(tx.HERKOMST_TEKSTREGEL, confidence), confidence
    choices = list(_SUPPORT_BY_KEY) + list(SUPPORT_SYNONYMS)
    found = process.extractOne(bare or key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE) \
        if len(bare or key) >= FUZZY_MIN_LENGTH else None
    if found is not None:
        name = _SUPPORT_BY_KEY.get(found[0]) or SUPPORT_SYNONYMS[found[0]][0]
        confidence = round(_fuzzy_confidence(found[1]), 3)
        return name, _support_herkomst(tx.HERKOMST_FUZZY, confidence), confidence
    return None, tx.HERKOMST_TE_BEOORDELEN, 0.0


def _support_herkomst(herkomst: str, confidence: float) -> str:
    return herkomst if confidence >= AUTO_CONFIDENCE else tx.HERKOMST_TE_BEOORDELEN
