"""The default vocabularies of EST reporting (docs/domain.md, Ordförråd).

* the default observation categories every partnership starts with (each partnership can add,
  rename and retire its own);
* the police event types of the polisen.se feed and their default mapping onto those
  categories (a coordinator can change it per partnership);
* the default time bands (morgon, dag, kväll, natt), configurable per partnership;
* the assessment scale and the sources of a report.

Plain data, no database access.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (slug, name) of the default categories, in the order they are offered.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("skadegorelse", "Skadegörelse"),
    ("klotter", "Klotter"),
    ("nedskrapning", "Nedskräpning"),
    ("brand", "Brand/anlagd brand"),
    ("stenkastning", "Stenkastning"),
    ("otrygg-plats", "Otrygg plats (mörk, ödslig, skymd)"),
    ("samling-av-personer", "Otrygghetsskapande samling av personer"),
    ("narkotika", "Misstänkt narkotikahantering"),
    ("berusning", "Berusning/missbruk i offentlig miljö"),
    ("hot-och-vald", "Hot och våld"),
    ("stold-och-inbrott", "Stöld och inbrott"),
    ("buskorning-trafik", "Buskörning/trafik"),
    ("incident-mot-personal", "Incident mot personal"),
    ("ryktesspridning", "Ryktesspridning i sociala medier"),
    ("evenemang", "Evenemang/arrangemang"),
    ("ovrigt", "Övrigt"),
)

# Every distinct ``type`` of the police events feed 2022–2026 (events_*.jsonl and the API
# snapshot), exactly as the feed writes it (one has a trailing space), with the slug of the
# default category it maps onto, or None: not a matter for the lägesbild of places (deaths,
# missing persons, mountain rescue, summaries, controls …). Unmapped types are kept and
# listed for the coordinator, never dropped; a type the feed starts to use later is added by
# ``services.note_police_types`` and flagged for review.
POLICE_TYPES: dict[str, str | None] = {
    "Alkohollagen": "berusning",
    "Anträffad död": None,
    "Anträffat gods": None,
    "Arbetsplatsolycka": None,
    "Bedrägeri": None,
    "Bombhot": "hot-och-vald",
    "Brand": "brand",
    "Brand automatlarm": None,
    "Bråk": "hot-och-vald",
    "Detonation": "hot-och-vald",
    "Djur": None,
    "Efterlyst person": None,
    "Ekobrott": None,
    "Explosion": "hot-och-vald",
    "Farligt föremål, misstänkt": "ovrigt",
    "Fjällräddning": None,
    "Fylleri": "berusning",
    "Fylleri/LOB": "berusning",
    "Förfalskningsbrott": None,
    "Försvunnen person": None,
    "Hemfridsbrott": "stold-och-inbrott",
    "Hets mot folkgrupp": "hot-och-vald",
    "Häleri": "stold-och-inbrott",
    "Inbrott": "stold-och-inbrott",
    "Inbrott, försök": "stold-och-inbrott",
    "Information": None,
    "Knivlagen": "hot-och-vald",
    "Kontroll": None,
    "Kontroll person/fordon": None,
    "Lagen om hundar och katter ": None,
    "Larm Inbrott": "stold-och-inbrott",
    "Larm Överfall": "hot-och-vald",
    "Luftfartslagen": None,
    "Miljöbrott": "nedskrapning",
    "Missbruk av urkund": None,
    "Misshandel": "hot-och-vald",
    "Misshandel, grov": "hot-och-vald",
    "Mord/dråp": "hot-och-vald",
    "Mord/dråp, försök": "hot-och-vald",
    "Mordbrand": "brand",
    "Motorfordon, anträffat stulet": "stold-och-inbrott",
    "Motorfordon, stöld": "stold-och-inbrott",
    "Narkotikabrott": "narkotika",
    "Ofredande/förargelse": "hot-och-vald",
    "Olaga frihetsberövande/människorov": "hot-och-vald",
    "Olaga hot": "hot-och-vald",
    "Olaga intrång": "stold-och-inbrott",
    "Olovlig körning": "buskorning-trafik",
    "Ordningslagen": "ovrigt",
    "Polisinsats/kommendering": None,
    "Rattfylleri": "buskorning-trafik",
    "Räddningsinsats": None,
    "Rån": "hot-och-vald",
    "Rån väpnat": "hot-och-vald",
    "Rån övrigt": "hot-och-vald",
    "Rån, försök": "hot-och-vald",
    "Sabotage mot blåljusverksamhet": "skadegorelse",
    "Sammanfattning dag": None,
    "Sammanfattning dygn": None,
    "Sammanfattning eftermiddag": None,
    "Sammanfattning kväll": None,
    "Sammanfattning kväll och natt": None,
    "Sammanfattning natt": None,
    "Sammanfattning vecka": None,
    "Sedlighetsbrott": "hot-och-vald",
    "Sexualbrott": "hot-och-vald",
    "Sjukdom/olycksfall": None,
    "Sjölagen": None,
    "Skadegörelse": "skadegorelse",
    "Skottlossning": "hot-och-vald",
    "Skottlossning, misstänkt": "hot-och-vald",
    "Skyddslagen": None,
    "Smällar": "ovrigt",
    "Spridning smitta/kemikalier": None,
    "Stöld": "stold-och-inbrott",
    "Stöld, försök": "stold-och-inbrott",
    "Stöld/inbrott": "stold-och-inbrott",
    "Trafikbrott": "buskorning-trafik",
    "Trafikhinder": None,
    "Trafikkontroll": None,
    "Trafikolycka": "buskorning-trafik",
    "Trafikolycka, personskada": "buskorning-trafik",
    "Trafikolycka, singel": "buskorning-trafik",
    "Trafikolycka, smitning från": "buskorning-trafik",
    "Trafikolycka, vilt": None,
    "Uppdatering": None,
    "Utlänningslagen": None,
    "Vapenlagen": "hot-och-vald",
    "Varningslarm/haveri": None,
    "Våld/hot mot tjänsteman": "incident-mot-personal",
    "Våldtäkt": "hot-och-vald",
    "Våldtäkt, försök": "hot-och-vald",
    "Vållande till kroppsskada": None,
    "Åldringsbrott": None,
    "Övrigt": "ovrigt",
}

# The default time bands: key, label, start, end ("HH:MM", local time). A band whose end is
# not after its start runs past midnight: natt on 20 November is 20 Nov 22:00 – 21 Nov 06:00.
DEFAULT_TIME_BANDS: tuple[dict[str, str], ...] = (
    {"key": "morgon", "label": "Morgon", "start": "06:00", "end": "10:00"},
    {"key": "dag", "label": "Dag", "start": "10:00", "end": "17:00"},
    {"key": "kvall", "label": "Kväll", "start": "17:00", "end": "22:00"},
    {"key": "natt", "label": "Natt", "start": "22:00", "end": "06:00"},
)

# The reporter's assessment of how much the incident affects safety.
ASSESSMENTS: tuple[tuple[int, object], ...] = (
    (1, _("1 – påverkar tryggheten lite")),
    (2, _("2 – påverkar tryggheten märkbart")),
    (3, _("3 – påverkar tryggheten mycket")),
    (4, _("4 – påverkar tryggheten allvarligt")),
)
