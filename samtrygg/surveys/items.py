"""The item library: the fixed questions of a safety survey, their codes and answer codes.

The codes (T1, T1b, T2, O1–O5, U1–U5, P1–P12, F1–F3) and the answer codes are fixed: a
supplier's microdata, the web survey and the indicators all use them. The partnership may
add its own questions (:class:`samtrygg.surveys.models.OwnQuestion`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    code: str
    text: str | Promise
    answers: tuple[tuple[int, str | Promise], ...]
    group: str
    # The answer code shown apart ("ingen uppfattning", "vet ej"): left out of the share.
    no_opinion: int | None = None

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(code for code, _label in self.answers)


WORRY = (
    (1, _("Aldrig")),
    (2, _("Någon enstaka gång")),
    (3, _("Ganska ofta")),
    (4, _("Mycket ofta")),
)
VICTIM = ((1, _("Nej")), (2, _("Ja, en gång")), (3, _("Ja, flera gånger")))
PROBLEM = (
    (1, _("Inget problem alls")),
    (2, _("Ganska litet problem")),
    (3, _("Ganska stort problem")),
    (4, _("Mycket stort problem")),
    (9, _("Ingen uppfattning")),
)
AGREE = (
    (1, _("Stämmer helt")),
    (2, _("Stämmer ganska bra")),
    (3, _("Stämmer ganska dåligt")),
    (4, _("Stämmer inte alls")),
    (9, _("Vet ej")),
)

_WORRY_TEXTS = (
    _("Hur ofta har du de senaste 12 månaderna oroat dig för att utsättas för misshandel?"),
    _("Hur ofta har du de senaste 12 månaderna oroat dig för att utsättas för personrån?"),
    _("Hur ofta har du de senaste 12 månaderna oroat dig för att utsättas för inbrott i bostaden?"),
    _("Hur ofta har du de senaste 12 månaderna oroat dig för att utsättas för sexualbrott?"),
)
_VICTIM_TEXTS = (
    _("Har du de senaste 12 månaderna utsatts för fysiskt våld?"),
    _("Har du de senaste 12 månaderna utsatts för hot?"),
    _("Har du de senaste 12 månaderna utsatts för stöld?"),
    _("Har du de senaste 12 månaderna utsatts för skadegörelse?"),
    _("Har du de senaste 12 månaderna utsatts för bedrägeri?"),
)
PROBLEM_TOPICS = (
    _("Nedskräpning"),
    _("Klotter och skadegörelse"),
    _("Dålig belysning"),
    _("Buskage som skymmer sikten"),
    _("Bilar som körs för fort eller vårdslöst"),
    _("Buskörning med moped eller A-traktor"),
    _("Grupper av ungdomar som stör"),
    _("Berusade eller påverkade personer utomhus"),
    _("Narkotikaförsäljning"),
    _("Bostadsinbrott"),
    _("Bråk och våld på allmän plats"),
    _("Otrygga platser"),
)
PROBLEM_QUESTION = _(
    "I vilken utsträckning upplever du följande som ett problem i ditt bostadsområde?"
)

ITEMS: tuple[Item, ...] = (
    Item(
        "T1",
        _(
            "Hur trygg eller otrygg känner du dig när du går ut ensam sent en kväll i ditt "
            "eget bostadsområde?"
        ),
        (
            (1, _("Mycket trygg")),
            (2, _("Ganska trygg")),
            (3, _("Ganska otrygg")),
            (4, _("Mycket otrygg")),
            (5, _("Går aldrig ut ensam sent på kvällen")),
        ),
        "T",
    ),
    Item(
        "T1b",
        _("Beror det på att du känner dig otrygg eller oroar dig för brott?"),
        ((1, _("Ja")), (2, _("Nej"))),
        "T",
    ),
    Item(
        "T2",
        _(
            "Händer det att du avstår från att gå ut ensam av rädsla att bli överfallen, rånad "
            "eller på annat sätt ofredad?"
        ),
        ((1, _("Nej")), (2, _("Ja, ibland")), (3, _("Ja, ofta"))),
        "T",
    ),
    *(Item(f"O{i}", text, WORRY, "O") for i, text in enumerate(_WORRY_TEXTS, start=1)),
    Item(
        "O5",
        _("I vilken utsträckning oroar du dig för brottsligheten i samhället?"),
        (
            (1, _("Inte alls")),
            (2, _("I ganska liten utsträckning")),
            (3, _("I ganska stor utsträckning")),
            (4, _("I mycket stor utsträckning")),
        ),
        "O",
    ),
    *(Item(f"U{i}", text, VICTIM, "U") for i, text in enumerate(_VICTIM_TEXTS, start=1)),
    *(
        Item(f"P{i}", topic, PROBLEM, "P", no_opinion=9)
        for i, topic in enumerate(PROBLEM_TOPICS, start=1)
    ),
    Item("F1", _("Polisen bryr sig om de lokala problemen där jag bor."), AGREE, "F", 9),
    Item("F2", _("Kommunen bryr sig om de lokala problemen där jag bor."), AGREE, "F", 9),
    Item(
        "F3",
        _("Hur stort förtroende har du för polisens arbete där du bor?"),
        (
            (1, _("Mycket stort")),
            (2, _("Ganska stort")),
            (3, _("Varken stort eller litet")),
            (4, _("Ganska litet")),
            (5, _("Mycket litet")),
        ),
        "F",
    ),
)

ITEM_BY_CODE = {item.code: item for item in ITEMS}
# The items with an indicator, in order (T1b is part of T1's).
INDICATOR_CODES = tuple(item.code for item in ITEMS if item.code != "T1b")

GROUPS = {
    "T": _("Trygghet"),
    "O": _("Oro för brott"),
    "U": _("Utsatthet"),
    "P": _("Problem i bostadsområdet"),
    "F": _("Förtroende"),
}

# What each indicator's share means (the "positive" answers).
INDICATOR_MEANING = {
    "T1": _("Andel otrygga ute ensam sent en kväll"),
    "T2": _("Andel som avstår från att gå ut av rädsla"),
    **{f"O{i}": _("Andel som oroat sig ganska eller mycket ofta") for i in range(1, 5)},
    "O5": _("Andel som oroar sig i ganska eller mycket stor utsträckning"),
    **{f"U{i}": _("Andel utsatta") for i in range(1, 6)},
    **{f"P{i}": _("Andel som ser ett ganska eller mycket stort problem") for i in range(1, 13)},
    "F1": _("Andel som instämmer"),
    "F2": _("Andel som instämmer"),
    "F3": _("Andel med stort förtroende"),
}

GENDERS = ((1, _("Kvinna")), (2, _("Man")), (3, _("Annat eller vill inte svara")))
AGE_BANDS = ((1, "16–24"), (2, "25–44"), (3, "45–64"), (4, "65–84"))
AGE_LABELS = {label: code for code, label in AGE_BANDS} | {
    label.replace("–", "-"): code for code, label in AGE_BANDS
}

# The microdata file's header, exactly (an optional last column ``weight``).
CSV_HEADER = (
    "respondent",
    "area",
    "T1",
    "T1b",
    "T2",
    *(f"O{i}" for i in range(1, 6)),
    *(f"U{i}" for i in range(1, 6)),
    *(f"P{i}" for i in range(1, 13)),
    "F1",
    "F2",
    "F3",
    "kon",
    "alder",
)
ANSWER_CODES = tuple(item.code for item in ITEMS)


def item_text(code: str) -> str:
    item = ITEM_BY_CODE[code]
    if item.group == "P":
        return f"{PROBLEM_QUESTION} {item.text}"
    return str(item.text)


def short_text(code: str) -> str:
    """The item's words, short: the problem's name for P items."""
    return str(ITEM_BY_CODE[code].text)
