"""The privacy screen as it was before issue 26 (its detection only, without the refusal
message), kept only as the reference for
``benchmarks/bench_privacy.py`` (same corpus, same police events, same machine, same run).

Nothing in the application imports this module; ``samtrygg.core.privacy`` is the screen.
It catches personnummer, phone numbers, e-mail addresses, upper-case registration numbers and
names after a cue word, on the text as written (no normalisation).
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "EMAIL",
    "KINDS",
    "NAME",
    "PERSONNUMMER",
    "PHONE",
    "REGISTRATION_NUMBER",
    "SAMORDNINGSNUMMER",
    "Finding",
    "screen",
]

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "phone"
EMAIL = "email"
REGISTRATION_NUMBER = "registration_number"
NAME = "name"

KINDS: tuple[str, ...] = (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    PHONE,
    EMAIL,
    REGISTRATION_NUMBER,
    NAME,
)

# When two findings overlap, the one with the stronger evidence is kept: an e-mail address
# swallows the digits or letters inside it, a checksum-valid personnummer beats the phone
# pattern that any ten digits starting with 0 also fit.
_PRIORITY = {
    EMAIL: 0,
    PERSONNUMMER: 1,
    SAMORDNINGSNUMMER: 1,
    PHONE: 2,
    REGISTRATION_NUMBER: 3,
    NAME: 4,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text: its kind and where (``text[start:end]``)."""

    kind: str
    start: int
    end: int


def _words(spec: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(spec.split())


# --- personnummer and samordningsnummer -------------------------------------------------------

# Digits are ASCII digits. Each pattern starts with the characters it needs (not with a
# look-behind) so that the regex engine can skip quickly to places worth trying.
_PNR_RE = re.compile(
    r"""
    [0-9](?<![0-9].)[0-9]                               # the start of a number
    (?:
        [0-9]{4}[-+\u2013\x20\u00a0]?[0-9]{4}             # 850312-1234, 850312 1234, …
      | [0-9]{6}[-+\u2013]?[0-9]{4}                      # 19850312-1234, 198503121234
      | (?:[0-9]{2})?-[0-9]{2}-[0-9]{2}[-+\u2013][0-9]{4}  # 1985-03-12-1234, 85-03-12-1234
    )
    (?![0-9])(?![-\u2013][0-9])
    """,
    re.VERBOSE,
)
_NON_DIGITS_RE = re.compile(r"[^0-9]+")
_CENTURIES = ("18", "19", "20")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _identity_kind(century: str | None, digits: str) -> str | None:
    """``personnummer``/``samordningsnummer`` when the ten digits make a valid number."""
    if not _luhn_ok(digits):
        return None
    yy, month, day = digits[:2], int(digits[2:4]), int(digits[4:6])
    if not 1 <= month <= 12:
        return None
    kind = PERSONNUMMER
    if day > 60:
        day -= 60
        kind = SAMORDNINGSNUMMER
    if century is not None:
        year = int(century + yy)
        if year > datetime.date.today().year:
            return None
    else:
        # Without the century, 29 February is possible in every year divisible by four
        # (00 included: 2000 was a leap year).
        year = 2000 + int(yy)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return kind


def _identity_numbers(text: str, lowered: str) -> Iterator[Finding]:
    for match in _PNR_RE.finditer(text):
        digits = _NON_DIGITS_RE.sub("", match.group())
        century = None
        if len(digits) == 12:
            century, digits = digits[:2], digits[2:]
            if century not in _CENTURIES:
                continue
        kind = _identity_kind(century, digits)
        if kind is not None:
            yield Finding(kind, match.start(), match.end())


# --- phone numbers ----------------------------------------------------------------------------

_SPACE = r"[ \u00a0\u202f]"
# Between two digit groups: a space, or one of - – / with optional spaces around it.
_SEP = rf"(?:{_SPACE}?[-\u2013/]{_SPACE}?|{_SPACE})"
# A phone number starts with 0, + or a bracket, and does not continue a number, a date
# (2024-05-12) or a time (12.08); it is not followed by more digits.
_PHONE_RE = re.compile(
    r"[0+(](?<![\w+].)(?<![0-9][-\u2013/.:].)"
    + r"(?:"
    # Swedish, international form: +46 70 123 45 67, 0046701234567, +46 (0)8-123 456 78.
    + r"(?P<se>(?:(?<=\+)|(?<=0)0)"
    + rf"{_SPACE}?46{_SEP}?(?:\(0\){_SPACE}?|0{_SEP}?)?[1-9](?:{_SEP}?[0-9]){{6,8}})"
    # Other countries, only with a plus: +47 22 12 34 56.
    + rf"|(?P<intl>(?<=\+)[1-9][0-9]{{0,2}}(?:{_SEP}?[0-9]){{6,12}})"
    # Swedish, national form: 070-123 45 67, 08-123 456 78, 0250-55 20 00, 08/12345678.
    + rf"|(?P<national>(?<=0)[1-9](?:{_SEP}?[0-9]){{6,8}})"
    # National form with the area code in brackets: (08) 123 456 78.
    + rf"|(?P<bracketed>(?<=\()0[0-9]{{1,3}}\){_SPACE}?[0-9](?:{_SEP}?[0-9]){{4,7}})"
    + r")"
    + r"(?![0-9])(?![.:][0-9])"
)


_DATE_IN_NUMBER_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{1,2}[-/][0-9]{1,2}[-/](?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2})"
    r"(?![0-9])"
)
_TIME_RANGE_RE = re.compile(
    r"([01][0-9]|2[0-4])[0-5][0-9]\s?[-\u2013]\s?([01][0-9]|2[0-4])[0-5][0-9](?![0-9])"
)
_CLOCK_BEFORE_RE = re.compile(r"kl\.?\s?$", re.IGNORECASE)


def _is_date_or_time(text: str, match: re.Match[str]) -> bool:
    """A national-looking number that is a date, a clock time or a range of clock times.

    09/05/2024 or 09-05-2024 (also inside a longer run), 0800-1700, and "kl 0830 …".
    """
    number = match.group()
    if _DATE_IN_NUMBER_RE.search(number) or _TIME_RANGE_RE.match(number):
        return True
    return _CLOCK_BEFORE_RE.search(text, max(0, match.start() - 4), match.start()) is not None


def _phone_numbers(text: str, lowered: str) -> Iterator[Finding]:
    for match in _PHONE_RE.finditer(text):
        number = match.group()
        digits = len(_NON_DIGITS_RE.sub("", number))
        if match.group("intl") is not None:
            if digits < 9:  # "+20 000 000" is an amount, not a number to call
                continue
        elif match.group("bracketed") is not None:
            if not 8 <= digits <= 10:
                continue
        elif match.group("national") is not None and _is_date_or_time(text, match):
            continue
        yield Finding(PHONE, match.start(), match.end())


# --- e-mail addresses -------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"""
    (?<![\w.+-])
    [\w!#$%&'*+/=?^`{|}~-]{1,64}(?:\.[\w!#$%&'*+/=?^`{|}~-]{1,64}){0,8}
    (?:@|\x20?[(\[]\x20?(?:at|snabel-?a)\x20?[)\]]\x20?)
    (?:[^\W_](?:[\w-]{0,61}[^\W_])?(?:\.|\x20?[(\[](?:dot|punkt)[)\]]\x20?)){1,8}
    [^\W\d_]{2,24}
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)


_AT_WORD_RE = re.compile(r"[(\[]\x20?(?:at|snabel)")


def _email_addresses(text: str, lowered: str) -> Iterator[Finding]:
    if "@" not in text and not (
        ("(" in text or "[" in text) and _AT_WORD_RE.search(lowered) is not None
    ):
        return
    for match in _EMAIL_RE.finditer(text):
        yield Finding(EMAIL, match.start(), match.end())


# --- vehicle registration numbers -------------------------------------------------------------

# Swedish plates use A–Z without I, Q, V (and never Å, Ä, Ö): three letters, then three digits
# or two digits and a letter.
_PLATE_LETTERS = "A-HJ-PR-UW-Z"
_PLATE_RE = re.compile(
    rf"(?P<letters>[{_PLATE_LETTERS}](?<!\w.)[{_PLATE_LETTERS}]{{2}})"
    rf"[ \u00a0-]?[0-9]{{2}}[0-9{_PLATE_LETTERS}]\b"
)
_CUED_PLATE_RE = re.compile(
    r"""
    (?<!\w)
    (?:
        reg(?:istrerings)?\.?\x20?(?:nr|nummer|numret|nummret|skylt|skylten)\.?
      | registreringsnumm?ret | registreringsnummer | regnr | reg
      | nummerplåt(?:en)? | skylt(?:en)?
    )
    [\s.:]+
    (?P<plate>[a-hj-pr-uw-z]{3}[\x20\u00a0-]?[0-9]{2}[0-9a-hj-pr-uw-z])
    (?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Upper-case abbreviations that reporters write before a number and that are not plates:
# laws and authorities (LSS 9 §, SOS 112), currencies (SEK 500), vehicle makes and models
# that a report may rightly describe (BMW 320, KTM 125, MAN 440).
_NOT_PLATES = _words(
    """
    LSS SOS SOL BBR PBL OSL SFS SKR SCB MSB NTU EST LPO KSO BUP UMA ABF HLR LGH SEK EUR
    USD NOK DKK GBP KWH MHZ GHZ UTC CET BMW KTM MAN DAF CBR EXC AMG GTS ATV EPA MTB SAS
    GPS SMS MMS
    """
)


_PLATE_CUES = ("reg", "skylt", "plåt")


def _registration_numbers(text: str, lowered: str) -> Iterator[Finding]:
    for match in _PLATE_RE.finditer(text):
        if match.group("letters") not in _NOT_PLATES:
            yield Finding(REGISTRATION_NUMBER, match.start(), match.end())
    if not any(cue in lowered for cue in _PLATE_CUES):
        return
    for match in _CUED_PLATE_RE.finditer(text):
        yield Finding(REGISTRATION_NUMBER, match.start("plate"), match.end("plate"))


# --- names after a cue ------------------------------------------------------------------------

_NAME_CUE_RE = re.compile(
    r"""
    (?<!\w)
    (?:
        (?:
            (?P<relative>
                som\s+(?:heter|hette|kallas|kallades|kallar\s+sig|kallade\s+sig)
              | vid\s+namn(?:et)? | med\s+namn(?:et)? | går\s+under\s+namnet
              | (?:även\s+|också\s+)?kallad(?:e)? | alias
            )
          | (?P<verb>heter | hette | kallas | kallades | kallar\s+sig | kallade\s+sig)
        )
        (?:\s+(?:för|även|också|bara|egentligen|tydligen|visst|enligt\s+uppgift)){0,2}
        (?!\w)
      | (?P<label>(?:för|efter)?namn(?:et)?\s*:)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NAME_WORD_RE = re.compile(r"[\"'”“»«‘’]?(?P<word>[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*)")
_NAME_JOIN_RE = re.compile(
    r"\s*,\s*(?:(?:och|eller|samt)\s+)?|\s*&\s*|\s+(?:och|eller|samt)\s+", re.IGNORECASE
)
_CUE_GAP_RE = re.compile(r"[\s:]*")
_SPACES_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[^\W\d_]+")
_CLAUSE_END_RE = re.compile(r"[.!?;:()\n]")
_LOWER_WORD_RE = re.compile(r"(?P<word>[^\W\d_]+)\s+")

# Capitalised words after a cue that are not a person's name.
_NOT_NAMES = _words(
    """
    polisen polis räddningstjänsten kommunen socialtjänsten socialjouren ambulansen
    ambulans väktare väktarna väktaren securitas avarn fältarna fältgruppen
    nattvandrarna larmcentralen bostadsbolaget hyresvärden skolan sos okänt okänd oklart
    ej inget ingen uppgift saknas nn han hon hen den det de dom vi jag man någon en ett
    """
)
# Endings of place names: "heter Stortorget" is a place, not a person.
_PLACE_ENDINGS = tuple(
    sorted(
        _words(
            """
            gatan gata vägen väg torget torg parken skolan planen gården backen stigen
            leden platsen hallen badet stranden kyrkan centrum området huset gränd gränden
            allén kajen hamnen stationen skogen banan arenan stadion kvarteret terminalen bron
            """
        )
    )
)
# Words that, just before a cue, show that a place or a thing is being named.
_THING_WORDS = _words(
    """
    plats platsen park parken gata gatan väg vägen torg torget område området
    bostadsområde bostadsområdet stadsdel stadsdelen kvarter kvarteret centrum skola
    skolan gymnasiet förskola förskolan butik butiken affär affären restaurang
    restaurangen pizzeria pizzerian kiosk kiosken café caféet kafé kaféet bar baren krog
    krogen förening föreningen klubb klubben gård gården hus huset fastighet fastigheten
    byggnad byggnaden hållplats hållplatsen station stationen bad badet hall hallen
    arena arenan lekplats lekplatsen ställe stället företag företaget bolag bolaget app
    appen sida sidan konto kontot tunnel tunneln bro bron gränd gränden backe backen by
    byn ort orten sjö sjön skog skogen strand stranden hund hunden katt katten häst
    hästen båt båten projekt projektet insats insatsen evenemang evenemanget det
    festival festivalen marknad marknaden metod metoden modell modellen möte mötet program
    programmet kampanj kampanjen plan planen turnering turneringen
    """
)
# Words that, near a cue, show that a person is being named.
_PERSON_WORDS = _words(
    """
    han hon hen jag du dom de någon kille killen killar killarna tjej tjejen tjejer
    tjejerna man mannen män männen kvinna kvinnan kvinnor kvinnorna pojke pojken pojkar
    pojkarna flicka flickan flickor flickorna person personen personer personerna ungdom
    ungdomen ungdomar ungdomarna elev eleven elever eleverna grabb grabben snubbe
    snubben typ typen ägare ägaren mamma mamman pappa pappan förälder föräldern bror
    brodern brorsan syster systern syrran son sonen dotter dottern barn barnet vakt
    vakten väktaren chef chefen hyresgäst hyresgästen granne grannen kompis kompisen vän
    vännen förare föraren passagerare passageraren gärningsman gärningsmannen misstänkt
    misstänkte besökare besökaren kund kunden anställd anställde ledare ledaren tränare
    tränaren lärare läraren rektor rektorn langare langaren individ individen vuxen
    vuxna äldre yngre brukare brukaren boende
    """
)
# How many words before the cue are read: a relative cue ("parken som heter") names the word
# just before it; a verb ("Killen på pizzerian heter") names the subject further back.
_RELATIVE_WINDOW = 3
_VERB_WINDOW = 6


def _is_name_word(word: str, capitals: bool) -> bool:
    """Capitalised and not a known non-name; all in capitals only when ``capitals`` allows."""
    if not word[0].isupper() or word.lower() in _NOT_NAMES:
        return False
    return capitals or len(word) == 1 or not word.isupper()


def _is_place_name(word: str) -> bool:
    lower = word.lower()
    return lower.endswith(_PLACE_ENDINGS)


def _is_one_of(word: str, words: frozenset[str]) -> bool:
    """``word`` is in ``words`` or ends in one of four letters or more (busshållplatsen)."""
    if word in words:
        return True
    return any(word[index:] in words for index in range(1, len(word) - 3))


def _subject(text: str, cue_start: int, window: int) -> str | None:
    """What the words before a cue speak of: ``"person"``, ``"thing"`` or None (unknown).

    A person word wins over a thing word ("killen på pizzerian heter …").
    """
    before = text[max(0, cue_start - 120) : cue_start]
    clause_ends = list(_CLAUSE_END_RE.finditer(before))
    if clause_ends:
        before = before[clause_ends[-1].end() :]
    words = [word.lower() for word in _WORD_RE.findall(before)]
    if words and words[-1] == "som":
        words.pop()
    words = words[-window:]
    if any(_is_one_of(word, _PERSON_WORDS) for word in words):
        return "person"
    if any(_is_one_of(word, _THING_WORDS) for word in words):
        return "thing"
    return None


def _name_at(text: str, pos: int, capitals: bool) -> tuple[int, int] | None:
    """The span of a capitalised name (one to three words) starting at ``pos``, if any."""
    match = _NAME_WORD_RE.match(text, pos)
    if match is None:
        return None
    word = match.group("word")
    if not _is_name_word(word, capitals) or _is_place_name(word):
        return None
    start, end = match.start("word"), match.end("word")
    for _ in range(2):
        gap = _SPACES_RE.match(text, end)
        if gap is None or "\n" in gap.group():
            break
        following = _NAME_WORD_RE.match(text, gap.end())
        if following is None or following.start() != following.start("word"):
            break
        word = following.group("word")
        if not _is_name_word(word, capitals) or _is_place_name(word):
            break
        end = following.end("word")
    return start, end


def _name_after_subject(text: str, pos: int, capitals: bool) -> tuple[int, int] | None:
    """The name in "heter [den äldre] killen Marcus": after the words for the person."""
    for _ in range(3):
        match = _LOWER_WORD_RE.match(text, pos)
        if match is None or not match.group("word").islower():
            return None
        pos = match.end()
        if _is_one_of(match.group("word"), _PERSON_WORDS):
            span = _name_at(text, pos, capitals)
            if span is not None:
                return span
    return None


# Every cue holds one of these words. They are looked for first (a plain search for literal
# words is fast); the full cue pattern is then tried only at the words just before each hit.
_NAME_CUE_WORDS = ("heter", "hette", "kalla", "namn", "alias")
_NAME_HINT_RE = re.compile(
    "|".join(form for word in _NAME_CUE_WORDS for form in (word, word.capitalize(), word.upper()))
)
_WORD_START_RE = re.compile(r"\w+")
_QUOTES = "\"'”“»«‘’"


def _name_cues(text: str) -> Iterator[re.Match[str]]:
    """The name cues in ``text``, in order, without overlaps."""
    last_end = 0
    for hint in _NAME_HINT_RE.finditer(text):
        if hint.start() < last_end:
            continue
        low = max(last_end, hint.start() - 40)
        starts = [word.start() for word in _WORD_START_RE.finditer(text, low, hint.start())]
        for start in [*starts[-3:], hint.start()]:
            cue = _NAME_CUE_RE.match(text, start)
            if cue is not None and cue.end() > hint.start():
                last_end = cue.end()
                yield cue
                break


def _names(text: str, lowered: str) -> Iterator[Finding]:
    for cue in _name_cues(text):
        subject = None
        if cue.group("label") is None:
            window = _RELATIVE_WINDOW if cue.group("relative") is not None else _VERB_WINDOW
            subject = _subject(text, cue.start(), window)
            if subject == "thing":
                continue
        # An all-capital word is an acronym (EST, LSS) unless a person is spoken of, the cue
        # is a label ("Namn: KALLE") or the writer uses capitals throughout ("HAN HETER KALLE").
        capitals = subject == "person" or cue.group("label") is not None or cue.group().isupper()
        gap = _CUE_GAP_RE.match(text, cue.end())
        pos = gap.end() if gap is not None else cue.end()
        span = _name_at(text, pos, capitals)
        if span is None and cue.group("verb") is not None:
            span = _name_after_subject(text, pos, capitals)
        while span is not None:
            yield Finding(NAME, span[0], span[1])
            quote_end = span[1]
            while quote_end < len(text) and text[quote_end] in _QUOTES:
                quote_end += 1
            joiner = _NAME_JOIN_RE.match(text, quote_end)
            if joiner is None:
                break
            span = _name_at(text, joiner.end(), capitals)


# --- the screen -------------------------------------------------------------------------------

_DETECTORS = (
    _email_addresses,
    _identity_numbers,
    _phone_numbers,
    _registration_numbers,
    _names,
)


def screen(text: str) -> list[Finding]:
    """The identifiers found in ``text``, ordered by position; empty when the text is clean."""
    if not text:
        return []
    lowered = text.lower()  # only to look for cue words, never for offsets
    candidates = [finding for detect in _DETECTORS for finding in detect(text, lowered)]
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], f.start, -f.end))
    # Keep the strongest of overlapping findings; ``kept`` stays ordered and without overlaps.
    kept: list[Finding] = []
    starts: list[int] = []
    for candidate in candidates:
        index = bisect.bisect_right(starts, candidate.start)
        if index > 0 and kept[index - 1].end > candidate.start:
            continue
        if index < len(kept) and kept[index].start < candidate.end:
            continue
        kept.insert(index, candidate)
        starts.insert(index, candidate.start)
    return kept
