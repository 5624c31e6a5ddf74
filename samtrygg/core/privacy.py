"""The privacy screen: refuse free text that holds clear personal identifiers.

Every channel (forms, API, imports, the command line, tips, Open311, survey free text, dialogue
summaries) calls :func:`ensure_clean` on every free-text field before anything is stored. The
rules, their sources and their limits are described in Swedish in ``docs/privacy.md``; the
cases in ``tests/core/privacy_cases*.txt`` show them.

The text is first normalised on a copy used only for detection (Unicode NFKC, invisible
characters removed, look-alike letters folded, digits of every script read as digits, runs of
spaces collapsed); positions are always given in the user's own text. The screen looks for

* personnummer and samordningsnummer (10 or 12 digits with a separator or none before the last
  four; Luhn-checked, with a month 01–12 and a day that exists in that month; samordningsnummer
  = day + 60),
* phone numbers (Swedish national and international forms, other international numbers with
  ``+``), also with dots between the digit groups,
* e-mail addresses, also spelled ``namn(at)exempel.se``, ``namn @ exempel.se``,
  ``namn snabel-a exempel punkt se`` or ``namn at exempel dot se``,
* Swedish vehicle registration numbers (``ABC 123``, ``abc 12a``; lower case only when the three
  letters are no Swedish word or abbreviation),
* user names in social media (``@användare_05``, a user name beside a named app),
* four-digit lägenhetsnummer after ``lgh`` or ``lägenhet``,
* names after a cue (``heter``, ``som heter``, ``vid namn``, ``namnet är`` …) and person names
  without a cue: a first name and a surname from the name list in ``core/reference`` (open name
  statistics) or with a Swedish surname ending, initials, and names whose role or action gives
  them away (``fritidsledaren …``, ``… kastade sten``, ``…, 15 år,``). Street, place, building,
  event and business names built on a person's name pass (``Olof Palmes gata``).

Nothing of the text is kept: a :class:`Finding` holds only the kind and the character offsets,
and :func:`refusal_message` names kinds and positions, never the matched text.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from samtrygg.core.errors import DomainError

__all__ = [
    "APARTMENT",
    "EMAIL",
    "HANDLE",
    "KINDS",
    "NAME",
    "PERSONNUMMER",
    "PHONE",
    "REGISTRATION_NUMBER",
    "SAMORDNINGSNUMMER",
    "Finding",
    "PrivacyRefusal",
    "ensure_clean",
    "refusal_message",
    "screen",
]

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "phone"
EMAIL = "email"
REGISTRATION_NUMBER = "registration_number"
NAME = "name"
HANDLE = "handle"
APARTMENT = "apartment_number"

KINDS: tuple[str, ...] = (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    PHONE,
    EMAIL,
    REGISTRATION_NUMBER,
    NAME,
    HANDLE,
    APARTMENT,
)

# When two findings overlap, the one with the stronger evidence is kept: an e-mail address
# swallows the digits or letters inside it, a checksum-valid personnummer beats the phone
# pattern that any ten digits starting with 0 also fit.
_PRIORITY = {
    EMAIL: 0,
    PERSONNUMMER: 1,
    SAMORDNINGSNUMMER: 1,
    PHONE: 2,
    HANDLE: 3,
    REGISTRATION_NUMBER: 3,
    APARTMENT: 3,
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


# --- normalisation ----------------------------------------------------------------------------

# Characters that ordinary Swedish report text is written with; a text made only of these is
# its own detection copy (the common, fast case). Dashes (U+2010–U+2015, U+2212) are read by
# the patterns themselves.
_PLAIN = "\t\n\r\x20-\x7e\xa0-\xac\xae-\xff\u2010-\u2015\u2018-\u201e\u2026\u20ac\u2212"
_SUSPECT_RE = re.compile(f"[^{_PLAIN}]")
_SLOW_RE = re.compile(f"[^{_PLAIN}]|[\\t\\x20\\xa0]{{2,}}|\\t")
_DASHES = "\\-\u2010-\u2015\u2212"
_DASH = f"[{_DASHES}]"
# Invisible characters: soft hyphen, zero-width and joiners, direction marks, word joiner and
# invisible operators, variation selectors, byte order mark, Hangul fillers.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\u3164\uffa0"
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))
)
# Cyrillic and Greek letters that look like Latin ones (as in a plate "АВС 123").
_LOOK_ALIKES = {
    ord(char): latin
    for chars, latins in (
        ("АВЕКМНОРСТУХЅІЈԚԜ", "ABEKMHOPCTYXSIJQW"),
        ("аеорсухѕіјһԁԛԝӏ", "aeopcyxsijhdqwl"),
        ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),
        ("οκνρτυχ", "okvptux"),
    )
    for char, latin in zip(chars, latins, strict=True)
}


class _Offsets:
    """Maps positions in the detection copy back to positions in the user's text.

    The copy is made of pieces: runs of plain text (mapped one to one) and replacements of one
    suspect character or a run of spaces (mapped as a whole).
    """

    def __init__(self) -> None:
        self.copy_starts: list[int] = []
        self.text_starts: list[int] = []
        self.text_ends: list[int] = []
        self.linear: list[bool] = []

    def add(self, copy_start: int, text_start: int, text_end: int, linear: bool) -> None:
        self.copy_starts.append(copy_start)
        self.text_starts.append(text_start)
        self.text_ends.append(text_end)
        self.linear.append(linear)

    def start(self, position: int) -> int:
        index = bisect.bisect_right(self.copy_starts, position) - 1
        if self.linear[index]:
            return self.text_starts[index] + position - self.copy_starts[index]
        return self.text_starts[index]

    def end(self, position: int) -> int:
        last = position - 1
        index = bisect.bisect_right(self.copy_starts, last) - 1
        if self.linear[index]:
            return self.text_starts[index] + last - self.copy_starts[index] + 1
        return self.text_ends[index]


def _fold(chars: str) -> str:
    """The detection form of suspect characters: NFKC, invisibles out, look-alikes folded."""
    folded = unicodedata.normalize("NFKC", chars).translate(_LOOK_ALIKES)
    out = []
    for char in folded:
        if char in _INVISIBLE:
            continue
        if char.isdecimal() and not char.isascii():
            out.append(str(unicodedata.decimal(char)))
        elif char.isspace():
            out.append("\n" if char in "\n\r\u2028\u2029\x85" else " ")
        else:
            out.append(char)
    return "".join(out)


def _normalise(text: str) -> tuple[str, _Offsets | None]:
    """The copy of ``text`` that the detectors read, and how to map it back (None: the same)."""
    if _SUSPECT_RE.search(text) is None and "  " not in text and "\t" not in text:
        return text, None
    pieces: list[str] = []
    offsets = _Offsets()
    length = 0
    position = 0
    for match in _SLOW_RE.finditer(text):
        start, end = match.start(), match.end()
        chars = match.group()
        if unicodedata.combining(chars[0]) and start > position:
            start -= 1  # a combining mark joins the letter before it (a + U+030A = å)
            chars = text[start:end]
        if start > position:
            offsets.add(length, position, start, True)
            pieces.append(text[position:start])
            length += start - position
        if chars[0] in " \t\xa0":
            replacement = " "
        else:
            replacement = _fold(chars)
            if replacement and replacement.isspace() and pieces and pieces[-1].endswith(" "):
                replacement = ""
        if replacement:
            offsets.add(length, start, end, False)
            pieces.append(replacement)
            length += len(replacement)
        position = end
    if position < len(text):
        offsets.add(length, position, len(text), True)
        pieces.append(text[position:])
    return "".join(pieces), offsets


# --- personnummer and samordningsnummer -------------------------------------------------------

# Digits are ASCII digits (the detection copy has them so). Each pattern starts with the
# characters it needs (not with a look-behind) so that the regex engine can skip quickly to
# places worth trying. Before the last four digits: a dash of any kind or "+" (with or without
# spaces around it), ".", "/", a space or nothing.
_PNR_SEP = f"(?:[\x20\xa0]?[+{_DASHES}][\x20\xa0]?|[./])"
_PNR_RE = re.compile(
    rf"""
    [0-9](?<![0-9].)[0-9]                                  # the start of a number
    (?:
        [0-9]{{4}}(?:{_PNR_SEP}|[\x20\xa0])?[0-9]{{4}}       # 850312-1234, 850312 1234, …
      | [0-9]{{6}}(?:{_PNR_SEP}|(?P<spaced>[\x20\xa0]))?[0-9]{{4}}  # 19850312-1234, 198503121234
      | (?:[0-9]{{2}})?(?P<d>[{_DASHES}./])[0-9]{{2}}(?P=d)[0-9]{{2}}{_PNR_SEP}[0-9]{{4}}
                                                           # 1985-03-12-1234, 85.03.12-1234
    )
    (?![0-9])(?![{_DASHES}][0-9])
    """,
    re.VERBOSE,
)
# "20240512 2230" is a date and a clock time: twelve digits with a space before the last four
# are read as a personnummer only when the date is at least this many years back.
_SPACED_RECENT_YEARS = 5
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


def _identity_numbers(text: str, low: int, high: int) -> Iterator[Finding]:
    for match in _PNR_RE.finditer(text, low, high):
        digits = _NON_DIGITS_RE.sub("", match.group())
        century = None
        if len(digits) == 12:
            century, digits = digits[:2], digits[2:]
            if century not in _CENTURIES:
                continue
            recent = datetime.date.today().year - _SPACED_RECENT_YEARS
            if match.group("spaced") is not None and int(century + digits[:2]) >= recent:
                continue
        kind = _identity_kind(century, digits)
        if kind is not None:
            yield Finding(kind, match.start(), match.end())


# --- phone numbers ----------------------------------------------------------------------------

_SPACE = r"[ \u00a0\u202f]"
# Between two digit groups: a space, or a dash, "/" or "." with optional spaces around it.
_SEP = rf"(?:{_SPACE}?[{_DASHES}/.]{_SPACE}?|{_SPACE})"
# A phone number starts with 0, + or a bracket, and does not continue a number, a date
# (2024-05-12) or a time (12.08); it is not followed by more digits.
_PHONE_RE = re.compile(
    r"[0+(](?<![\w+].)"
    + f"(?<![0-9][{_DASHES}/.:].)"
    + r"(?:"
    # Swedish, international form: +46 70 123 45 67, 0046701234567, +46 (0)8-123 456 78.
    + r"(?P<se>(?:(?<=\+)|(?<=0)0)"
    + rf"{_SPACE}?46{_SEP}?(?:\(0\){_SPACE}?|0{_SEP}?)?[1-9](?:{_SEP}?[0-9]){{6,8}})"
    # Other countries, only with a plus: +47 22 12 34 56.
    + rf"|(?P<intl>(?<=\+)[1-9][0-9]{{0,2}}(?:{_SEP}?[0-9]){{6,12}})"
    # Swedish, national form: 070-123 45 67, 08-123 456 78, 0250-55 20 00, 08/12345678.
    + rf"|(?P<national>(?<=0){_SPACE}?[1-9](?:{_SEP}?[0-9]){{6,8}})"
    # National form with the area code in brackets: (08) 123 456 78.
    + rf"|(?P<bracketed>(?<=\()0[0-9]{{1,3}}\){_SPACE}?[0-9](?:{_SEP}?[0-9]){{4,7}})"
    + r")"
    + f"(?![0-9])(?![.:][0-9])(?![{_DASHES}][0-9])"
)


_DATE_IN_NUMBER_RE = re.compile(
    f"(?<![0-9])(?:[0-9]{{1,2}}[{_DASHES}/.][0-9]{{1,2}}[{_DASHES}/.](?:19|20)[0-9]{{2}}"
    f"|(?:19|20)[0-9]{{2}}[{_DASHES}.][0-9]{{2}}[{_DASHES}.][0-9]{{2}})(?![0-9])"
)
_TIME_RANGE_RE = re.compile(
    f"([01][0-9]|2[0-4])[0-5][0-9]\\s?[{_DASHES}]\\s?([01][0-9]|2[0-4])[0-5][0-9](?![0-9])"
)
# A clock time written with a dot or colon: 08.00–17.00, 08:30 10:45.
_DOTTED_TIME_RE = re.compile(r"(?:[01]?[0-9]|2[0-4])[.:][0-5][0-9](?![0-9])")
_CLOCK_BEFORE_RE = re.compile(r"kl\.?\s?$", re.IGNORECASE)


def _is_date_or_time(text: str, match: re.Match[str]) -> bool:
    """A national-looking number that is a date, a clock time or a range of clock times.

    09/05/2024 or 09-05-2024 (also inside a longer run), 0800-1700, and "kl 0830 …".
    """
    number = match.group()
    if _DATE_IN_NUMBER_RE.search(number) or _TIME_RANGE_RE.match(number):
        return True
    if _DOTTED_TIME_RE.match(number):
        return True
    return _CLOCK_BEFORE_RE.search(text, max(0, match.start() - 4), match.start()) is not None


def _phone_numbers(text: str, low: int, high: int) -> Iterator[Finding]:
    for match in _PHONE_RE.finditer(text, low, high):
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


# A run of at least seven digits with at most three other characters (no letters) between
# them: the only places where a personnummer or a phone number can be. The two patterns are
# tried only there, a little wider (for "+", "(" before and the look-aheads after).
_LONG_NUMBER_RE = re.compile(r"[0-9](?<![0-9].)(?:[^\w\n]{0,3}+[0-9]){6,}+")


def _numbers(text: str, lowered: str) -> Iterator[Finding]:
    for run in _LONG_NUMBER_RE.finditer(text):
        low, high = max(0, run.start() - 2), min(len(text), run.end() + 3)
        yield from _identity_numbers(text, low, high)
        yield from _phone_numbers(text, low, high)


# --- e-mail addresses -------------------------------------------------------------------------

_LOCAL = rf"[\w!#$%&'*+/=?^`{{|}}~{_DASHES}]{{1,64}}"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
# "@" (with or without spaces), or at/snabel-a in brackets; "." or dot/punkt in brackets.
_AT = rf"(?:\x20?@\x20?|\x20?{_OPEN}\x20?(?:at|snabel-?a)\x20?{_CLOSE}\x20?)"
_DOT = rf"(?:\.|\x20?{_OPEN}\x20?(?:dot|punkt)\x20?{_CLOSE}\x20?|\x20(?:dot|punkt)\x20)"
_EMAIL_RE = re.compile(
    rf"""
    (?<![\w.+-])
    {_LOCAL}(?:{_DOT}{_LOCAL}){{0,8}}
    {_AT}
    (?:[^\W_](?:[\w{_DASHES}]{{0,61}}[^\W_])?{_DOT}){{1,8}}
    [^\W\d_]{{2,24}}
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Spelled out without brackets: "kalle at exempel dot se", "kalle snabel-a exempel punkt se".
# Only with a top-level domain that addresses use, so that ordinary words are not taken.
_SPELLED_EMAIL_RE = re.compile(
    rf"""
    (?<![\w.+-])
    {_LOCAL}(?:(?:\.|\x20(?:dot|punkt)\x20){_LOCAL}){{0,3}}
    \x20(?:at|snabel-?a)\x20
    (?:[^\W_](?:[\w{_DASHES}]{{0,61}}[^\W_])?(?:\.|\x20(?:dot|punkt)\x20)){{1,4}}
    (?:se|nu|com|org|net|fi|no|dk|eu|io|me|info|de|uk|co|app)
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)


_AT_HINT_RE = re.compile(rf"{_OPEN}\x20?(?:at|snabel)")


def _email_addresses(text: str, lowered: str) -> Iterator[Finding]:
    bracketed = ("(" in text or "[" in text or "{" in text or "<" in text) and (
        _AT_HINT_RE.search(lowered) is not None
    )
    if "@" in text or "snabel" in lowered or bracketed:
        for match in _EMAIL_RE.finditer(text):
            yield Finding(EMAIL, match.start(), match.end())
    if " at " in lowered or "snabel" in lowered:
        for match in _SPELLED_EMAIL_RE.finditer(text):
            yield Finding(EMAIL, match.start(), match.end())


# --- vehicle registration numbers -------------------------------------------------------------

# Swedish plates use A–Z without I, Q, V (and never Å, Ä, Ö): three letters, then three digits
# or two digits and a letter. Upper case, lower case or mixed; not followed by more digits
# ("per 100 000").
_PLATE_LETTERS = "A-HJ-PR-UW-Z"
_PLATE_LOWER = "a-hj-pr-uw-z"
# The pattern starts at the digits (rare in text, so quick to skip to) and looks back for the
# letters; whether a word character comes before the letters is checked afterwards.
_PL = _PLATE_LETTERS + _PLATE_LOWER
_PLATE_RE = re.compile(
    rf"[0-9](?:(?<=[{_PL}]{{3}}[0-9])|(?<=[{_PL}]{{3}}[ \u00a0{_DASHES}][0-9]))"
    rf"[0-9][0-9{_PL}]\b(?![ \u00a0]?[0-9])"
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
    (?P<plate>[a-hj-pr-uw-z]{3}[\x20\u00a0\-\u2010-\u2015\u2212]?[0-9]{2}[0-9a-hj-pr-uw-z])
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
# Three-letter Swedish words and abbreviations (only plate letters) that come before a number
# in ordinary text: "rum 123", "sal 204", "ett 100-tal", "per 100". In lower or mixed case
# they are not plates; in capitals they are (unless in the list above).
_PLATE_WORDS = _words(
    """
    och med per mot rum sal hus lgh typ kap bil ort som den det har kan ska man men nya nej
    jag han hon hen dom oss era nog ned ner upp ute tre sex fem tio ett all alla bra dag kul
    tom ful ung gul tel fax sms mms gps app web url www pdf doc xls csv png jpg kod box fix del
    sid jfr ang bla osv etc ref dnr org tex kom lss sol pbl osl sfs bbr tid ord ena ens jan feb
    mar apr maj jun jul aug sep okt nov dec ons tor fre sek eur usd nok dkk gbp ton mil min
    kwh mhz ghz cet utc led usb bmw ktm daf amg gts atv epa mtb sas hos bak syd ost nord hem
    far mor son fru tpl hpl pkt nrs ggr gng fot dos ppm rpm kmh kcal the and for not are was
    you her his our new old big top pop hot set get got let out run sun per cal lpo est ntu
    """
)


def _registration_numbers(text: str, lowered: str) -> Iterator[Finding]:
    for match in _PLATE_RE.finditer(text):
        start = match.start() - (3 if text[match.start() - 1].isalpha() else 4)
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        letters = text[start : start + 3]
        if letters.isupper():
            if letters in _NOT_PLATES:
                continue
        elif letters.lower() in _PLATE_WORDS or letters.upper() in _NOT_PLATES:
            continue
        yield Finding(REGISTRATION_NUMBER, start, match.end())
    if "reg" not in lowered and "skylt" not in lowered and "plåt" not in lowered:
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
              | (?:hans\s+|hennes\s+|hens\s+|dennes\s+)?namn(?:et)?\s+(?:är|var)
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
    if not (
        "heter" in lowered
        or "hette" in lowered
        or "kalla" in lowered
        or "namn" in lowered
        or "alias" in lowered
    ):
        return
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


# --- person names without a cue ---------------------------------------------------------------

_NAMES_FILE = Path(__file__).resolve().parent / "reference" / "person_names.txt"


def _load_names() -> tuple[frozenset[str], frozenset[str]]:
    """First names and surnames from ``reference/person_names.txt`` (see docs/privacy.md)."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in _NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line)
    return frozenset(sections["förnamn"]), frozenset(sections["efternamn"])


FIRST_NAMES, SURNAMES = _load_names()

# Swedish surname endings (Andersson, Lindberg, Sjöström, Lindqvist, Ekelund, Lindgren,
# Melander, Sandell, Bohlin, Thorén …), read on words of five letters or more.
_SURNAME_ENDINGS = (
    "son",
    "berg",
    "ström",
    "qvist",
    "kvist",
    "quist",
    "lund",
    "gren",
    "ander",
    "ell",
    "blad",
    "blom",
    "dahl",
    "stedt",
    "lin",
    "din",
    "én",
    "ius",
)
# First names that are also ordinary words or months; alone they need a surname beside them.
_WORDLIKE_FIRST_NAMES = _words(
    """
    Sten Bo Per Dag Tor Love Liv My Lo Li Thi Del Rose Iris Mark Gun Siv Rut Vera Saga Juni
    Maj May Tom Frank Sam Ben Bill Jack Kim Viking Svea Vide Alba Nova Luna Stella Vega Ester
    Fred Bror Ture Uno Max Kaj Kai Ina Isa Idun Eira Lykke Junior Jean Alf Lage Dante Bella
    Hall Malva Tyra Signe Ebbe Mio Neo Noa Leo Ale Ville Milan Otto Ola Ian Berit Elma Asta
    """
)
# Words after which a capitalised word names a person (roles and titles).
_ROLE_WORDS = _words(
    """
    elev eleven eleverna ungdomen ungdomarna killen killarna tjejen tjejerna pojken pojkarna
    flickan flickorna mannen männen kvinnan kvinnorna grannen grannarna hyresgästen
    fritidsledaren fritidsledare fritidsledarna läraren lärare lärarna rektor rektorn
    vaktmästaren vaktmästare tränaren tränare föraren passageraren väktaren väktarna
    ordningsvakten ordningsvakt kuratorn kurator fältassistenten fältsekreteraren fältaren
    socialsekreteraren handläggaren mamman pappan mamma pappa brodern bror brorsan systern
    syster syrran sonen dottern kompisen kompisar kamraten vännen pojkvännen flickvännen sambon
    maken makan frun ägaren butiksägaren kioskägaren anställde anställda gärningsmannen
    misstänkte målsäganden anmälaren vittnet chefen kollegan bekanten fastighetsskötaren
    ungdomsledaren ledaren assistenten sjuksköterskan läkaren boende brukaren kunden eleverna
    herr fru fröken doktor dr pastor kusinen morbror farbror moster faster mormor farmor
    morfar farfar styvpappan styvmamman personen ungdomar killar tjejer pojkar flickor elever
    personer män kvinnor grannar vänner kompisarna bröder bröderna systrar systrarna syskon
    syskonen kamrater kamraterna
    """
)
# Verbs after a name that show that a person acts (kastade sten, hotade personal).
_ACTION_WORDS = _words(
    """
    kastade kastar hotade hotar slog slår sparkade sparkar knuffade knuffar knivhögg
    misshandlade rånade rånar stal stjäl snattade snattar klottrade klottrar sålde säljer
    langade langar skrek skriker bråkade bråkar sprang springer spottade filmade filmar tände
    rökte greps anhölls omhändertogs sa sade säger uppgav uppger berättade ringde bor bodde
    jobbar arbetar hängde hänger brukar körde kör åkte smet slängde krossade hade har var är
    sågs såg hörde gick går kom
    """
)
# Of those, the ones that are safe after a single first name (Kalle kastade sten).
_STRONG_ACTION_WORDS = _words(
    """
    kastade kastar hotade hotar slog sparkade knuffade knivhögg misshandlade rånade stal
    snattade klottrade sålde langade skrek bråkade sprang spottade filmade tände rökte greps
    anhölls omhändertogs uppgav berättade ringde bor smet slängde krossade
    """
)
# Nouns that follow a person's name in the name of a street, place, building, event or
# business: Olof Palmes gata, Gustav Adolfs torg, Astrid Lindgrens Värld, Kalle Svensson AB.
_PLACE_NOUNS = _words(
    """
    gata gatan väg vägen plats platsen torg torget park parken allé allén gränd gränden stig
    stigen backe backen kaj kajen hamn hamnen bro bron skola skolan gymnasium gymnasiet
    museum museet gård gården hus huset hall hallen kyrka kyrkan kapell kapellet sjukhus
    sjukhuset center centrum arena arenan stadion livs bageri bageriet pizzeria pizzerian
    café caféet kafé kaféet konditori konditoriet kiosk kiosken bar baren restaurang
    restaurangen salong salongen frisör bygg el måleri städ fastigheter fastighets bostäder
    bil bilar ab hb kb & co värld dagen loppet priset stipendiet minne minnesplats staty
    statyn stiftelse stiftelsen sällskap sällskapet förening föreningen fond fonden
    vårdcentral tandvård hem boende äldreboende förskola förskolan skolgård plan planen
    idrottsplats idrottsplatsen bad badet sjö sjön ö ön udde udden strand stranden väg,
    leden led ring ringen terrass trappa trappan höjd höjden berg berget hage hagen äng ängen
    teater teatern bibliotek biblioteket kulturhus kulturhuset stadsdel kvarter kvarteret
    åkeri vvs trafikskola blommor bilservice däck rör plåt mäklare redovisning handel järn
    färg sport optik foto mode bokhandel musik verkstad glas tak service söner son döttrar
    hälsa hårdesign design kebab grill sushi thai livsmedel tobak lanthandel marknad
    """
)
# Names of businesses, housing companies and historical persons that places are named after;
# they stand in reports as places, not as people someone points out.
_PUBLIC_NAMES = frozenset(
    {
        ("Clas", "Ohlson"),
        ("John", "Mattson"),
        ("Einar", "Mattsson"),
        ("Olov", "Lindgren"),
        ("Carl", "Larsson"),
        ("Anders", "Zorn"),
        ("Astrid", "Lindgren"),
        ("Selma", "Lagerlöf"),
        ("Olof", "Palme"),
        ("Dag", "Hammarskjöld"),
        ("Alfred", "Nobel"),
        ("August", "Strindberg"),
        ("Evert", "Taube"),
        ("Gustav", "Vasa"),
        ("Birger", "Jarl"),
        ("Carl", "Gustaf"),
        ("Karl", "Johan"),
        ("Gustav", "Adolf"),
    }
)
# Endings of a capitalised word that make it a place (Johansgatan, Brantingsplatsen).
_PLACE_SUFFIXES = (
    *_PLACE_ENDINGS,
    "gymnasiet",
    "skola",
    "museet",
    "museum",
    "leden",
    "plan",
    "bron",
    "dagen",
    "loppet",
    "hemmet",
    "hem",
    "vägen",
    "väg",
    "gata",
    "plats",
)
# Capitalised words that begin a sentence or a place and are no first name or surname.
_NOT_PERSON_WORDS = _words(
    """
    I På Vid Mot Från Till Under Efter Före Mellan Hos Med Utan Om Av För Genom Inom Utanför
    Bakom Runt Nära Längs Norr Söder Öster Väster Norra Södra Östra Västra Stora Lilla Nya
    Gamla Sankt Kung Kungliga Drottning Prins Prinsessan Den Det De En Ett Han Hon Hen Vi
    Ni Jag När Då Sedan Igår Idag Ikväll Inatt Polisen Och Men Eller Samt Som Så Nu Här Där
    """
)
# A capitalised word, a double name (Britt-Marie, Lind-Svensson) or an initial (K., K).
# Letters are those of Latin-1 and Latin Extended-A (Åsa, Zoë, Łukasz, Şahin); the explicit
# classes are quicker to match than Unicode categories.
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u017f"
_TOKEN = (
    rf"[{_UPPER}](?<![\w\-.].)"
    rf"(?>[{_LETTER}]++(?:[’'][{_LETTER}]++)?+(?:-[{_UPPER}][{_LETTER}]++)*+|\.?+)"
)
_CAPITALISED_RE = re.compile(rf"{_TOKEN}(?:[\x20\xa0](?=[{_UPPER}]))?")
_INITIALS_RE = re.compile(rf"[{_UPPER}](?<![\w.].)\.[\x20\xa0]?[{_UPPER}]\.(?!\w)")
_AFTER_RE = re.compile(r"[\x20\xa0]?(?P<dash>-)?(?P<word>[^\W\d_]+|&)?")
_WORD_AFTER_RE = re.compile(r",?[\x20\xa0]+(?P<word>[^\W\d_]+)")
_AGE_AFTER_RE = re.compile(
    r",?[\x20\xa0]*(?:\([\x20\xa0]?[1-9][0-9]?[\x20\xa0]?(?:år)?\)|[1-9][0-9]?[\x20\xa0]?år\b"
    r"|,[\x20\xa0]?[1-9][0-9]?[\x20\xa0]?,)"
)
_JOIN_RE = re.compile(r"[\x20\xa0]*(?:,|&|\+|,?[\x20\xa0]*(?:och|samt|eller))[\x20\xa0]*")

# What a capitalised word can be (bits): a first name, a surname, an initial; 0: none of them.
_FIRST, _SURNAME, _INITIAL = 1, 2, 4


def _name_key(word: str) -> str:
    """The spelling to look up: KALLE and KALLE-SVENSSON as Kalle and Kalle-Svensson."""
    if len(word) > 1 and word.isupper():
        return "-".join(part.capitalize() for part in word.split("-"))
    return word


def _is_surname(key: str) -> bool:
    if key in SURNAMES:
        return True
    lower = key.lower()
    return len(lower) >= 5 and lower.endswith(_SURNAME_ENDINGS) and lower not in _PLACE_NOUNS


@functools.lru_cache(maxsize=8192)
def _token_class(word: str) -> int:
    bare = word.rstrip(".")
    if len(bare) == 1:
        return _INITIAL if (word.endswith(".") or bare not in "IÅÖ") else 0
    key = _name_key(bare)
    if key in _NOT_PERSON_WORDS:
        return 0
    parts = key.split("-")
    if key.endswith("s") and len(parts) == 1 and key not in FIRST_NAMES:
        parts = [key[:-1]]  # genitive: Kalles, Svenssons
    kind = 0
    if all(part in FIRST_NAMES for part in parts):
        kind |= _FIRST
    if any(_is_surname(part) for part in parts):
        kind |= _SURNAME
    return kind


def _place_follows(text: str, end: int) -> bool:
    """The name is part of a place or business name: Olof Palmes gata, Larsson-gården."""
    after = _AFTER_RE.match(text, end)
    if after is None:
        return False
    word = after.group("word")
    if after.group("dash") is not None:
        return word is not None and word[0].islower()  # Carl Larsson-gården, Lindh-dagen
    return word is not None and word.lower() in _PLACE_NOUNS


def _role_before(text: str, start: int) -> bool:
    """A role or title is the word before (``eleven Kalle``, ``en elev, Kalle``)."""
    before = text[max(0, start - 30) : start].rstrip(" \xa0,").rsplit(maxsplit=1)
    return bool(before) and before[-1].lower() in _ROLE_WORDS


def _word_after(text: str, end: int) -> str:
    """The word after a name, also after a comma ("Ali och Omar, hotade")."""
    after = _WORD_AFTER_RE.match(text, end)
    return "" if after is None else after.group("word")


@dataclass(slots=True)
class _Chunk:
    """A run of capitalised words (and initials) and, once judged, the span of a name in it."""

    start: int
    end: int
    classes: list[int]
    spans: list[tuple[int, int]]
    words: list[str]
    name: tuple[int, int] | None = None


def _lone_first_name(chunk: _Chunk, index: int) -> bool:
    """The word at ``index`` is a first name that is no ordinary word (Kalle, not Sten)."""
    word = _name_key(chunk.words[index].rstrip("."))
    return bool(chunk.classes[index] & _FIRST) and word not in _WORDLIKE_FIRST_NAMES


def _judge(text: str, chunk: _Chunk) -> None:
    """Decide whether a run of capitalised words names a person; set ``chunk.name``."""
    classes, spans, words = chunk.classes, chunk.spans, chunk.words
    if not any(classes):
        # Words that are no known name are a name only after a role: "fritidsledaren Zeynep
        # Yilmaz". This is the common case (Östra Husby, ICA Nära), so it is decided first.
        if not 2 <= len(words) <= 3 or not _NOT_PERSON_WORDS.isdisjoint(words):
            return
        if not _role_before(text, chunk.start):
            return
    if _place_follows(text, chunk.end) or words[-1].lower().endswith(_PLACE_SUFFIXES):
        return
    if any(
        w.lower() in _PLACE_NOUNS and not c & _SURNAME for w, c in zip(words, classes, strict=True)
    ):
        return  # Café Petersson, Kalles Kiosk, Victoria Park, Nils Erikssons Bygg AB
    role = _role_before(text, chunk.start)
    after = _word_after(text, chunk.end)
    age = _AGE_AFTER_RE.match(text, chunk.end) is not None
    context = role or age or after in _ACTION_WORDS
    for index in range(len(classes) - 1):
        first, second = classes[index], classes[index + 1]
        strong = (first & _FIRST and second & (_FIRST | _SURNAME | _INITIAL)) or (
            first & _INITIAL and second & _SURNAME
        )
        if strong and (words[index], words[index + 1].rstrip("s")) in _PUBLIC_NAMES:
            continue
        weak = context and (
            (first & _FIRST and not second & _INITIAL)
            or (second & _SURNAME and words[index] not in _NOT_PERSON_WORDS)
            or (role and not (first | second) & _INITIAL)
            or (first == _INITIAL and second in (0, _INITIAL))
        )
        if strong or weak:
            low, high = index, index + 1
            while low > 0 and classes[low - 1] & (_FIRST | _INITIAL):
                low -= 1
            while high + 1 < len(classes) and classes[high + 1] & (_SURNAME | _INITIAL):
                high += 1
            chunk.name = (spans[low][0], spans[high][1])
            return
    # One first name alone: after a role ("eleven Kalle"), before an age ("Kalle, 15,") or
    # before an action ("Kalle kastade sten"), unless it is also an ordinary word.
    index = len(classes) - 1
    if not _lone_first_name(chunk, index) or (index > 0 and classes[index - 1]):
        return
    if (role and index == 0) or age or after in _STRONG_ACTION_WORDS:
        chunk.name = spans[index]


@functools.lru_cache(maxsize=4)
def _capitalised(text: str) -> tuple[str, ...]:
    """The capitalised words of ``text``, each with the space after it when another follows.

    Kept for the last few texts: the person and the user-name detectors both read it.
    """
    return tuple(_CAPITALISED_RE.findall(text))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is not part of a longer word (Per in Persson, Kalle in Karl-Kalle)."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-."):
        return False
    return end >= len(text) or not (text[end].isalnum() or text[end] == "_")


def _chunks(text: str) -> list[_Chunk]:
    """Runs of capitalised words; single words only when a first name stands alone.

    One pass finds the capitalised words, each with the space after it when another
    capitalised word follows; the runs worth judging are then found in the text.
    """
    pieces = _capitalised(text)
    joined = "|".join(pieces)
    if " " not in joined and "\xa0" not in joined and FIRST_NAMES.isdisjoint(pieces):
        return []  # no run of capitalised words and no first name alone: the common case
    wanted: list[str] = []
    run: list[str] = []
    for piece in pieces:
        run.append(piece)
        if piece[-1] in " \xa0":
            continue
        if (
            len(run) > 1
            or piece in FIRST_NAMES
            or (piece.isupper() and _name_key(piece) in FIRST_NAMES)
        ):
            wanted.append("".join(run))
        run = []
    chunks = []
    position = 0
    for wanted_run in wanted:
        start = text.find(wanted_run, position)
        while start >= 0 and not _stands_alone(text, start, start + len(wanted_run)):
            start = text.find(wanted_run, start + 1)
        if start < 0:
            continue
        position = start + len(wanted_run)
        classes: list[int] = []
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        offset = start
        for word in _SPACES_RE.split(wanted_run):
            if words or word.lower() not in _ROLE_WORDS:  # "Fritidsledaren Zeynep Yilmaz"
                classes.append(_token_class(word))
                spans.append((offset, offset + len(word)))
                words.append(word)
            offset += len(word) + 1
        if words:
            chunks.append(_Chunk(spans[0][0], position, classes, spans, words))
    return chunks


def _persons(text: str, lowered: str) -> Iterator[Finding]:
    chunks = _chunks(text)
    for chunk in chunks:
        _judge(text, chunk)
    # Two people joined: "Kalle och Lisa Svensson", "Lisa Svensson och Kalle".
    for left, right in itertools.pairwise(chunks):
        if (left.name is None) == (right.name is None):
            continue
        if _JOIN_RE.fullmatch(text, left.end, right.start) is None:
            continue
        lonely = right if left.name is not None else left
        index = 0 if lonely is right else len(lonely.classes) - 1
        if _lone_first_name(lonely, index):
            lonely.name = lonely.spans[index]
    for chunk in chunks:
        if chunk.name is not None:
            yield Finding(NAME, chunk.name[0], chunk.name[1])
    # Initials written together: "en elev, K.S., hotade", "fritidsledaren A.B. såg".
    if "." in text:
        for match in _INITIALS_RE.finditer(text):
            after = _word_after(text, match.end())
            age = _AGE_AFTER_RE.match(text, match.end()) is not None
            if _role_before(text, match.start()) or age or after in _ACTION_WORDS:
                yield Finding(NAME, match.start(), match.end())


# --- user names in social media ---------------------------------------------------------------

# "@användare_05": an at sign that does not end an e-mail's local part.
_AT_HANDLE_RE = re.compile(r"@(?<![\w@.]@)(?P<handle>[^\W_][\w.]{1,29})(?<!\.)")
_APPS = _words(
    """
    snapchat snap instagram insta tiktok facebook discord telegram whatsapp kik twitter
    youtube twitch roblox steam signal threads bereal messenger
    """
)
# Apps are looked for first among the capitalised words (Snapchat, TikTok), then as a few
# parts of words that reporters write in lower case or inside other words (instagramkontot).
_APP_NAMES = frozenset(
    form
    for app in _APPS
    for name in (app.capitalize(), {"tiktok": "TikTok", "youtube": "YouTube"}.get(app, app))
    for form in (name, name + " ")
)
# An app, alone or as the first part of a word about an account (instagramkontot).
_APP_RE = re.compile(
    rf"(?<!\w)(?:{'|'.join(sorted(_APPS))})"
    r"(?:-?(?:kontot|konto|namnet|namn|profilen|profil|gruppen|grupp|chatten|chatt|appen))?(?!\w)",
    re.IGNORECASE,
)
# A word that looks like a user name: letters with an underscore, a dot or digits in it.
_HANDLE_WORD_RE = re.compile(r"(?<![\w@.])(?P<handle>[^\W\d_][\w.]{2,29})(?<![._])(?![\w@])")
_USERNAME_CUE_RE = re.compile(
    r"(?<!\w)(?P<cue>användarnamn(?:et)?|(?:snap|insta|tiktok)-?namn(?:et)?|användaren|kontot"
    r"|profilen)[\x20\xa0]*(?P<sep>:|är|heter|var|hette)?[\x20\xa0]*"
    r"(?P<handle>[^\W_][\w.]{1,29})(?<!\.)",
    re.IGNORECASE,
)
# Words that follow such a cue without being a user name ("kontot är borttaget").
_NOT_HANDLES = _NOT_NAMES | _words(
    """
    borttaget raderat hemligt inte samma nytt annat falskt bytt privat låst stängt på i som
    och med till för av att har hade var är blev kan ska
    """
)
# Accounts of authorities and organisations ("@polisen_orsa") are no person's.
_PUBLIC_ACCOUNT_WORDS = (
    "polis",
    "kommun",
    "region",
    "räddning",
    "raddning",
    "länsstyrelse",
    "lansstyrelse",
    "trafikverket",
    "krisinformation",
    "brottsoffer",
    "nattvandr",
    "fältgrupp",
    "faltgrupp",
    "skola",
    "fritid",
    "bibliotek",
)
_APP_WINDOW = 40
# The end of a clause; a dot inside a word (sara.l.2008) is none.
_CLAUSE_BREAK_RE = re.compile(r"[.!?;](?=\s|$)|[()\n]")


def _public_account(handle: str) -> bool:
    lower = handle.lower()
    return any(word in lower for word in _PUBLIC_ACCOUNT_WORDS)


def _looks_like_handle(word: str) -> bool:
    """Letters with an underscore, a dot or digits: kalle_05, sara.l, mysan99 (not E45)."""
    if word.isupper():
        return False  # E45, K123456: roads and case numbers
    has_digit = any(char.isdigit() for char in word)
    return "_" in word or "." in word or has_digit


def _handles(text: str, lowered: str) -> Iterator[Finding]:
    apps = not _APP_NAMES.isdisjoint(_capitalised(text)) or (
        "snap" in lowered
        or "insta" in lowered
        or "tiktok" in lowered
        or "användar" in lowered
        or "discord" in lowered
    )
    if "@" in text:
        # "@användare_05" always; "@torget" (at the square) only when an app is named.
        for match in _AT_HANDLE_RE.finditer(text):
            handle = match.group("handle")
            if (apps or _looks_like_handle(handle)) and not _public_account(handle):
                yield Finding(HANDLE, match.start(), match.end())
    if not apps:
        return
    for match in _USERNAME_CUE_RE.finditer(text):
        handle, separator = match.group("handle"), (match.group("sep") or "").lower()
        if handle.lower() in _NOT_HANDLES or _public_account(handle):
            continue
        # A word that looks like a user name, or any word that a cue names outright:
        # "Användarnamnet är mysan", "Kontot: kalle", "profilen heter kalle".
        named = separator in (":", "heter", "hette") or (
            separator in ("är", "var") and match.group("cue").lower().startswith("användarnamn")
        )
        if named or _looks_like_handle(handle):
            yield Finding(HANDLE, match.start("handle"), match.end("handle"))
    for app in _APP_RE.finditer(text):
        low = max(0, app.start() - _APP_WINDOW)
        high = min(len(text), app.end() + _APP_WINDOW)
        before = _CLAUSE_BREAK_RE.split(text[low : app.start()])[-1]
        after = _CLAUSE_BREAK_RE.split(text[app.end() : high])[0]
        for word in _HANDLE_WORD_RE.finditer(
            text, app.start() - len(before), app.end() + len(after)
        ):
            handle = word.group("handle")
            if _looks_like_handle(handle) and not _public_account(handle):
                yield Finding(HANDLE, word.start(), word.end())


# --- lägenhetsnummer --------------------------------------------------------------------------

# The four-digit lägenhetsnummer (floor and door: 1204) after "lgh" or "lägenhet", and more
# numbers joined to it ("lgh 1102 och 1103"). After a bare "lägenhet" a year (2024) is a year.
_APARTMENT_RE = re.compile(
    r"(?<!\w)(?P<cue>lgh|lägenhet(?:en|snummer|snumret|snr)?|lägenhetsnr|lägh)\.?"
    r"[\x20\xa0]*(?P<nr>(?:nr|nummer)\.?[\x20\xa0]*)?:?[\x20\xa0]*(?:#[\x20\xa0]*)?"
    r"(?P<number>[0-9]{4})(?![0-9])",
    re.IGNORECASE,
)
_MORE_APARTMENTS_RE = re.compile(
    f"[\\x20\\xa0]*(?:,|/|&|{_DASH}|och|samt|eller)[\\x20\\xa0]*(?P<number>[0-9]{{4}})(?![0-9])"
)
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def _apartment_cues(text: str, lowered: str) -> Iterator[re.Match[str]]:
    """The apartment patterns that match, tried only where a cue word starts."""
    if len(lowered) != len(text):  # lower() changed a length: read the whole text
        yield from _APARTMENT_RE.finditer(text)
        return
    starts = sorted(
        position for cue in ("lgh", "lägenhet", "lägh") for position in _find_all(lowered, cue)
    )
    end = 0
    for start in starts:
        match = _APARTMENT_RE.match(text, start) if start >= end else None
        if match is not None:
            end = match.end()
            yield match


def _find_all(text: str, word: str) -> Iterator[int]:
    position = text.find(word)
    while position >= 0:
        yield position
        position = text.find(word, position + 1)


def _apartments(text: str, lowered: str) -> Iterator[Finding]:
    if "lgh" not in lowered and "lägenhet" not in lowered and "lägh" not in lowered:
        return
    for match in _apartment_cues(text, lowered):
        bare = match.group("cue").lower() in ("lägenhet", "lägenheten")
        if bare and match.group("nr") is None and _YEAR_RE.fullmatch(match.group("number")):
            continue
        yield Finding(APARTMENT, match.start(), match.end())
        more = _MORE_APARTMENTS_RE.match(text, match.end())
        while more is not None:
            yield Finding(APARTMENT, more.start("number"), more.end("number"))
            more = _MORE_APARTMENTS_RE.match(text, more.end())


# --- the screen -------------------------------------------------------------------------------

_DETECTORS = (
    _email_addresses,
    _numbers,
    _registration_numbers,
    _names,
    _persons,
    _handles,
    _apartments,
)


def screen(text: str) -> list[Finding]:
    """The identifiers found in ``text``, ordered by position; empty when the text is clean.

    Positions are those of ``text`` itself, whatever the normalisation did to find them.
    """
    if not text:
        return []
    copy, offsets = _normalise(text)
    lowered = copy.lower()  # only to look for cue words, never for offsets
    candidates = [finding for detect in _DETECTORS for finding in detect(copy, lowered)]
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
    if offsets is None:
        return kept
    return [Finding(f.kind, offsets.start(f.start), offsets.end(f.end)) for f in kept]


# --- the refusal ------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    labels = {
        PERSONNUMMER: gettext("personnummer"),
        SAMORDNINGSNUMMER: gettext("samordningsnummer"),
        PHONE: gettext("telefonnummer"),
        EMAIL: gettext("e-postadress"),
        REGISTRATION_NUMBER: gettext("registreringsnummer"),
        NAME: gettext("namn"),
        HANDLE: gettext("användarnamn i sociala medier"),
        APARTMENT: gettext("lägenhetsnummer"),
    }
    return labels[kind]


def _kind_advice(kind: str) -> str:
    advice = {
        PERSONNUMMER: gettext(
            "Ta bort personnumret; beskriv i stället personen i allmänna drag, "
            "till exempel ”en pojke i 15-årsåldern”."
        ),
        SAMORDNINGSNUMMER: gettext(
            "Ta bort samordningsnumret; beskriv i stället personen i allmänna drag, "
            "till exempel ”en kvinna i 40-årsåldern”."
        ),
        PHONE: gettext(
            "Ta bort telefonnumret; skriv vid behov ”ett telefonnummer har tagits bort”."
        ),
        EMAIL: gettext(
            "Ta bort e-postadressen; skriv vid behov ”en e-postadress har tagits bort”."
        ),
        REGISTRATION_NUMBER: gettext(
            "Skriv ”en bil”, ”en vit skåpbil” eller ”en moped” i stället för registreringsnumret."
        ),
        NAME: gettext(
            "Skriv ”en man i 30-årsåldern”, ”en ungdom” eller ”en anställd” i stället för namnet."
        ),
        HANDLE: gettext("Ta bort användarnamnet; skriv vid behov ”ett konto i sociala medier”."),
        APARTMENT: gettext(
            "Skriv ”en lägenhet i trappuppgång B” eller våningen i stället för lägenhetsnumret."
        ),
    }
    return advice[kind]


def _positions(findings: Sequence[Finding]) -> str:
    spans = [f"{finding.start + 1}–{finding.end}" for finding in findings]
    if len(spans) == 1:
        return spans[0]
    return gettext("%(first)s och %(last)s") % {"first": ", ".join(spans[:-1]), "last": spans[-1]}


def refusal_message(findings: list[Finding]) -> str:
    """A Swedish message saying what was found, where, and what to write instead.

    Positions are counted in characters from 1, both ends included ("tecken 14–26"). The
    message names kinds and positions only: it never repeats the refused text.
    """
    by_kind: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        by_kind.setdefault(finding.kind, []).append(finding)
    found = "; ".join(
        gettext("%(kind)s (tecken %(positions)s)")
        % {"kind": _kind_label(kind), "positions": _positions(group)}
        for kind, group in by_kind.items()
    )
    advice = " ".join(_kind_advice(kind) for kind in by_kind)
    return gettext(
        "Texten kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person: "
        "%(found)s. %(advice)s Beskriv platsen och vad som hände, inte vem det var."
    ) % {"found": found, "advice": advice}


class PrivacyRefusal(DomainError):
    """Free text refused by the privacy screen; ``findings`` says what was found and where."""

    def __init__(
        self,
        findings: Sequence[Finding],
        *,
        field: str | None = None,
        row: int | None = None,
    ) -> None:
        self.findings: list[Finding] = list(findings)
        super().__init__(refusal_message(self.findings), field=field, row=row)


def ensure_clean(text: str, *, field: str | None = None) -> None:
    """Raise :class:`PrivacyRefusal` (for ``field``) when ``text`` holds an identifier."""
    findings = screen(text)
    if findings:
        raise PrivacyRefusal(findings, field=field)
