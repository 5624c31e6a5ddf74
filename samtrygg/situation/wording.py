"""The lägesbild in words, in the active language (Swedish first, English by the language switch).

The analysis engine (:mod:`samtrygg.analysis`) has no Django and no words: it gives codes and
numbers. The snapshot stores them (:mod:`samtrygg.situation.schema`), and an adopted snapshot
is never changed. Everything shown in words is made here at display time from the stored codes
and numbers, through gettext: period labels, levels, verdicts, hot-spot patterns, days, the
sentence per delområde and the notes about the computation. :func:`localize` gives a display
copy of a whole snapshot; snapshots of versions 1 and 2, which stored some of these as Swedish
text, are worded the same way (in Swedish they show what they always showed).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from samtrygg.analysis.binning import Unit, period_label, period_label_sv
from samtrygg.analysis.change import Verdict
from samtrygg.analysis.emerging import Pattern
from samtrygg.analysis.levels import TREND_SYMBOL, Level, LevelRule, Trend
from samtrygg.analysis.picture import NoteCode, Period
from samtrygg.situation.schema import AreaRow, HotSpot, Note, Snapshot

LEVEL_TEXT = {
    Level.GREEN: _("grön"),
    Level.YELLOW: _("gul"),
    Level.ORANGE: _("orange"),
    Level.RED: _("röd"),
}
LEVEL_MEANING = {
    Level.GREEN: _("lugnt"),
    Level.YELLOW: _("förhöjt"),
    Level.ORANGE: _("oroligt"),
    Level.RED: _("allvarligt"),
}
VERDICT_TEXT = {
    Verdict.LESS: _("mindre än vanligt"),
    Verdict.USUAL: _("som vanligt"),
    Verdict.MORE: _("mer än vanligt"),
    Verdict.NOT_ASSESSED: _("kan inte bedömas"),
}
PATTERN_TEXT = {
    Pattern.NO_PATTERN: _("inget mönster"),
    Pattern.NEW_HOT: _("ny het punkt"),
    Pattern.CONSECUTIVE_HOT: _("sammanhängande het punkt"),
    Pattern.INTENSIFYING_HOT: _("förstärkt het punkt"),
    Pattern.PERSISTENT_HOT: _("ihållande het punkt"),
    Pattern.DIMINISHING_HOT: _("avtagande het punkt"),
    Pattern.SPORADIC_HOT: _("sporadisk het punkt"),
    Pattern.OSCILLATING_HOT: _("växlande het punkt"),
    Pattern.HISTORICAL_HOT: _("tidigare het punkt"),
    Pattern.NEW_COLD: _("ny kall punkt"),
    Pattern.CONSECUTIVE_COLD: _("sammanhängande kall punkt"),
    Pattern.INTENSIFYING_COLD: _("förstärkt kall punkt"),
    Pattern.PERSISTENT_COLD: _("ihållande kall punkt"),
    Pattern.DIMINISHING_COLD: _("avtagande kall punkt"),
    Pattern.SPORADIC_COLD: _("sporadisk kall punkt"),
    Pattern.OSCILLATING_COLD: _("växlande kall punkt"),
    Pattern.HISTORICAL_COLD: _("tidigare kall punkt"),
}
MONTHS = (
    _("januari"),
    _("februari"),
    _("mars"),
    _("april"),
    _("maj"),
    _("juni"),
    _("juli"),
    _("augusti"),
    _("september"),
    _("oktober"),
    _("november"),
    _("december"),
)
MONTHS_SHORT = (
    pgettext_lazy("short month", "jan"),
    pgettext_lazy("short month", "feb"),
    pgettext_lazy("short month", "mar"),
    pgettext_lazy("short month", "apr"),
    pgettext_lazy("short month", "maj"),
    pgettext_lazy("short month", "jun"),
    pgettext_lazy("short month", "jul"),
    pgettext_lazy("short month", "aug"),
    pgettext_lazy("short month", "sep"),
    pgettext_lazy("short month", "okt"),
    pgettext_lazy("short month", "nov"),
    pgettext_lazy("short month", "dec"),
)
DAYS = (_("måndag"), _("tisdag"), _("onsdag"), _("torsdag"), _("fredag"), _("lördag"), _("söndag"))
DAYS_SHORT = (_("mån"), _("tis"), _("ons"), _("tor"), _("fre"), _("lör"), _("sön"))
# The Swedish words as snapshots of versions 1 and 2 store them (version 3 stores codes).
_DAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_LEVEL_OF_SV = {"grön": Level.GREEN, "gul": Level.YELLOW, "orange": Level.ORANGE, "röd": Level.RED}


def number_sv(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (with ``decimals=1``): a decimal comma and a space between
    thousands; NaN → ``"–"``."""
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace("-", "−")


def swedish() -> bool:
    """True when the active language is Swedish (or none is active)."""
    return (get_language() or "sv").split("-")[0] == "sv"


def number(value: Any, decimals: int = 0) -> str:
    """A number as the active language writes it: ``1 234,5`` in Swedish, ``1,234.5`` in
    English; ``–`` when there is none."""
    if value is None:
        return "–"
    number_ = float(value)
    if swedish() or math.isnan(number_) or math.isinf(number_):
        return number_sv(number_, decimals)
    return f"{number_:,.{decimals}f}".replace("-", "−")


def events(count: int) -> str:
    """``1 händelse``, ``7 händelser`` (``1 event``, ``7 events``)."""
    return ngettext("%(n)s händelse", "%(n)s händelser", int(count)) % {"n": number(count)}


# --- periods -----------------------------------------------------------------------------


def period_text(unit: Unit, index: int) -> str:
    """``vecka 47 2025``, ``november 2025``, ``tertial 3 2025`` or ``2025`` (in English
    ``week 47 2025``, ``November 2025``, ``T3 2025``)."""
    label = period_label(int(index), unit)
    if unit == "week":
        iso_year, week = label.split("-W")
        return gettext("vecka %(week)d %(year)d") % {"week": int(week), "year": int(iso_year)}
    if unit == "month":
        return f"{MONTHS[int(index) % 12]} {int(index) // 12}"
    if unit == "tertial":
        year, tertial = divmod(int(index), 3)
        return gettext("tertial %(n)d %(year)d") % {"n": tertial + 1, "year": year}
    return label


def month_short(index: int) -> str:
    """A month (period index) in few letters: ``nov 2025`` (``Nov 2025``)."""
    return f"{MONTHS_SHORT[int(index) % 12]} {int(index) // 12}"


def label_text(label: str) -> str:
    """The words of a machine period label; the label itself when it is not one."""
    return _label_text(label, get_language() or "")


@functools.lru_cache(maxsize=4096)
def _label_text(label: str, language: str) -> str:
    """:func:`label_text` in ``language`` (the active one: its words depend on it)."""
    from samtrygg.situation.compute import parse_period

    if not label.strip():
        return label
    try:
        period = parse_period(label)
    except ValueError:
        return label
    return period_text(period.unit, period.index)


def _sv_labels() -> dict[str, tuple[Unit, int]]:
    return {period_label_sv(m, "month").split()[0]: ("month", m) for m in range(12)}


def _period_of_sv(text: str) -> str:
    """``vecka 47 2024`` (the engine's Swedish label) in the active language."""
    parts = text.split()
    try:
        if len(parts) == 3 and parts[0] == "vecka":
            return period_text("week", Period.week(int(parts[2]), int(parts[1])).index)
        if len(parts) == 3 and parts[0] == "tertial":
            return period_text("tertial", Period.tertial(int(parts[2]), int(parts[1])).index)
        months = _sv_labels()
        if len(parts) == 2 and parts[0] in months:
            month = months[parts[0]][1]
            return period_text("month", Period.month(int(parts[1]), month + 1).index)
    except ValueError:
        return text
    return text


# --- codes to words --------------------------------------------------------------------------


def level_text(level: Any) -> str:
    return str(LEVEL_TEXT[Level(int(level))])


def level_meaning(level: Any) -> str:
    return str(LEVEL_MEANING[Level(int(level))])


def verdict_text(verdict: Any) -> str:
    return str(VERDICT_TEXT[Verdict(int(verdict))])


def pattern_text(pattern: Any) -> str:
    return str(PATTERN_TEXT[Pattern(int(pattern))])


def day_text(day: int, short: bool = False) -> str:
    return str((DAYS_SHORT if short else DAYS)[int(day) % 7])


def _level_label(stored: int | str) -> str:
    """A level as the snapshot stores it (a code; ``gul`` in version 1–2) as a table names it
    in the active language, with what it means: ``Gul (förhöjt)``."""
    level = stored if isinstance(stored, int) else _LEVEL_OF_SV.get(stored)
    if level is None:
        return str(stored)
    word = level_text(level)
    return f"{word[:1].upper()}{word[1:]} ({level_meaning(level)})"


def _day_word(stored: int | str) -> str:
    """A day as the snapshot stores it (0 = Monday; ``måndag`` in version 1–2)."""
    if isinstance(stored, int):
        return day_text(stored)
    return day_text(_DAYS_SV.index(stored)) if stored in _DAYS_SV else stored


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return gettext("%(first)s och %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def area_sentence(area: AreaRow) -> str:
    """The sentence of a delområde (``Orange (oroligt) ↑: 22 händelser mot normalt 12,0 (mer
    än vanligt) och 2 heta punkter.``) from its stored numbers, as the engine words it.

    The numbers and codes are the stored ones (an adopted picture never changes); the words
    are made now, and end with what the arrow rests on, so that the level, the arrow and the
    numbers beside them never seem to disagree. Two things only the stored sentence tells:
    whether there were cells at all (``inga heta punkter``) and the threshold of small
    numbers (``färre än 5``).
    """
    return _rebuilt_sentence(area)


def _rebuilt_sentence(area: AreaRow) -> str:
    """The sentence from the numbers, in the active language (in Swedish: the engine's)."""
    stored = str(area.get("sentence") or "")
    count = int(area.get("count") or 0)
    verdict = Verdict(int(area.get("verdict", Verdict.NOT_ASSESSED)))
    if verdict == Verdict.NOT_ASSESSED:
        parts = [
            ngettext(
                "%(n)s händelse, ingen jämförelseperiod",
                "%(n)s händelser, ingen jämförelseperiod",
                count,
            )
            % {"n": number(count)}
        ]
    else:
        parts = [
            ngettext(
                "%(n)s händelse mot normalt %(e)s (%(v)s)",
                "%(n)s händelser mot normalt %(e)s (%(v)s)",
                count,
            )
            % {"n": number(count), "e": number(area.get("expected"), 1), "v": verdict_text(verdict)}
        ]
    hot = int(area.get("hot_cells") or 0)
    growing = int(area.get("growing_cells") or 0)
    if hot:
        parts.append(ngettext("%(n)d het punkt", "%(n)d heta punkter", hot) % {"n": hot})
    if growing:
        parts.append(
            ngettext(
                "%(n)d ny eller växande het punkt", "%(n)d nya eller växande heta punkter", growing
            )
            % {"n": growing}
        )
    # Version 2 stores whether cells were analysed and the rule's threshold; version 1 only
    # said so in its sentence.
    cells_analysed = area.get("cells_analysed", "inga heta punkter" in stored)
    if not hot and not growing and cells_analysed:
        parts.append(gettext("inga heta punkter"))
    if "small_numbers" in (area.get("reason_keys") or []):
        found = re.search(r"färre än (\d+)", stored)
        threshold = area.get("min_count") or (int(found.group(1)) if found else None)
        parts.append(
            gettext("för få händelser för en säker bedömning (färre än %(n)d)")
            % {"n": threshold or LevelRule().min_count}
        )
    suggested = area.get("suggested") or {}
    level = int(suggested.get("level", 0))
    trend = Trend(int(suggested.get("trend", 0)))
    sentence = gettext("%(level)s (%(meaning)s) %(trend)s: %(reasons)s.") % {
        "level": capfirst(level_text(level)),
        "meaning": level_meaning(level),
        "trend": TREND_SYMBOL[trend],
        "reasons": _join(parts),
    }
    return f"{sentence} {_arrow_reason(trend, verdict)}"


def _arrow_reason(trend: Trend, verdict: Verdict) -> str:
    """Why the arrow points the way it does (the rule of :mod:`samtrygg.analysis.levels`)."""
    if trend == Trend.UP and verdict == Verdict.MORE:
        return gettext("↑: fler händelser än vanligt.")
    if trend == Trend.UP:
        return gettext("↑: nya eller växande heta punkter, fast antalet är %(v)s.") % {
            "v": verdict_text(verdict)
        }
    if trend == Trend.DOWN:
        return gettext("↓: färre händelser än vanligt.")
    return gettext("→: ingen tydlig förändring.")


# --- the engine's notes ------------------------------------------------------------------


def _counted(text: Any) -> Callable[[re.Match[str]], str]:
    """A note with a count: ``text`` is an ``ngettext_lazy(singular, plural, "n")``."""

    def word(match: re.Match[str]) -> str:
        return str(text % {"n": int(match.group("n"))})

    return word


def _left_out(match: re.Match[str]) -> str:
    labels = ", ".join(_period_of_sv(label) for label in match.group("labels").split(", "))
    return gettext("Jämförelseperioder före datastart är utelämnade: %(labels)s.") % {
        "labels": labels
    }


_NOTES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^Jämförelseperioder före datastart är utelämnade: (?P<labels>.+)\.$"), _left_out),
    (
        re.compile(
            r"^(?P<n>\d+) händelser? låg utanför alla områden och räknas inte per område\.$"
        ),
        _counted(
            ngettext_lazy(
                "%(n)d händelse låg utanför alla områden och räknas inte per område.",
                "%(n)d händelser låg utanför alla områden och räknas inte per område.",
                "n",
            )
        ),
    ),
    (
        re.compile(
            r"^(?P<n>\d+) händelser? saknar en plats inom kommunen \(t\.ex\. polisens händelser, "
            r"som bara anger kommunen\) och ingår i antal och jämförelser men inte i heta "
            r"punkter\.$"
        ),
        _counted(
            ngettext_lazy(
                "%(n)d händelse saknar en plats inom kommunen (t.ex. polisens händelser, som bara "
                "anger kommunen) och ingår i antal och jämförelser men inte i heta punkter.",
                "%(n)d händelser saknar en plats inom kommunen (t.ex. polisens händelser, som bara "
                "anger kommunen) och ingår i antal och jämförelser men inte i heta punkter.",
                "n",
            )
        ),
    ),
    (
        re.compile(r"^(?P<n>\d+) händelser? låg i celler utanför analysområdet\.$"),
        _counted(
            ngettext_lazy(
                "%(n)d händelse låg i celler utanför analysområdet.",
                "%(n)d händelser låg i celler utanför analysområdet.",
                "n",
            )
        ),
    ),
)
_FIXED_NOTES = {
    "Ingen jämförelseperiod med data: förändringen kan inte bedömas.": _(
        "Ingen jämförelseperiod med data: förändringen kan inte bedömas."
    ),
    "Tidssteg före datastart är utelämnade ur framväxande heta punkter och heta tider.": _(
        "Tidssteg före datastart är utelämnade ur framväxande heta punkter och heta tider."
    ),
    "Färre än tio tidssteg: trenden för heta punkter är osäker.": _(
        "Färre än tio tidssteg: trenden för heta punkter är osäker."
    ),
}


def _note_of_code(note: Note) -> str:
    """A note of a version 2 snapshot (a code and its parameters) in the active language."""
    code, params = str(note.get("code", "")), dict(note.get("params") or {})
    n = int(params.get("n") or 0)
    if code == NoteCode.BASELINE_BEFORE_DATA_START:
        unit = params.get("unit", "week")
        labels = ", ".join(period_text(unit, int(i)) for i in params.get("periods") or [])
        return gettext("Jämförelseperioder före datastart är utelämnade: %(labels)s.") % {
            "labels": labels
        }
    if code == NoteCode.OUTSIDE_AREAS:
        return ngettext(
            "%(n)d händelse låg utanför alla områden och räknas inte per område.",
            "%(n)d händelser låg utanför alla områden och räknas inte per område.",
            n,
        ) % {"n": n}
    if code == NoteCode.NO_POINT:
        return ngettext(
            "%(n)d händelse saknar en plats inom kommunen (t.ex. polisens händelser, som bara "
            "anger kommunen) och ingår i antal och jämförelser men inte i heta punkter.",
            "%(n)d händelser saknar en plats inom kommunen (t.ex. polisens händelser, som bara "
            "anger kommunen) och ingår i antal och jämförelser men inte i heta punkter.",
            n,
        ) % {"n": n}
    if code == NoteCode.OUTSIDE_STUDY_AREA:
        return ngettext(
            "%(n)d händelse låg i celler utanför analysområdet.",
            "%(n)d händelser låg i celler utanför analysområdet.",
            n,
        ) % {"n": n}
    if code == NoteCode.NO_BASELINE:
        return gettext("Ingen jämförelseperiod med data: förändringen kan inte bedömas.")
    if code == NoteCode.STEPS_BEFORE_DATA_START:
        return gettext(
            "Tidssteg före datastart är utelämnade ur framväxande heta punkter och heta tider."
        )
    if code == NoteCode.FEW_STEPS:
        return gettext("Färre än tio tidssteg: trenden för heta punkter är osäker.")
    return code


def note_text(note: str | Note) -> str:
    """A note about the computation in the active language: a code with parameters (snapshot
    version 2), or a Swedish sentence of a version 1 snapshot (read back by the patterns
    below); an unknown note as it is."""
    if isinstance(note, dict):
        return _note_of_code(note)
    if note in _FIXED_NOTES:
        return str(_FIXED_NOTES[note])
    for pattern, word in _NOTES:
        match = pattern.match(note)
        if match is not None:
            return word(match)
    return note


# --- a whole snapshot --------------------------------------------------------------------


def _shown_rate(area: AreaRow, unit: str) -> dict[str, Any] | None:
    """The area's rate per 100 000 inhabitants, only where it means something: for a whole
    year (no week or month blown up to a year), with the population it is a rate of."""
    rate = area.get("rate")
    if unit != "year" or not rate or rate.get("rate") is None or not area.get("population"):
        return None
    return {**rate, "population": area["population"]}


def localize_area(area: AreaRow, unit: str = "") -> dict[str, Any]:
    out = {**area, "sentence": area_sentence(area), "rate_shown": _shown_rate(area, unit)}
    if "verdict" in area:
        out["verdict_text"] = verdict_text(area["verdict"])
    suggested = area.get("suggested")
    if suggested and "level" in suggested:
        out["suggested"] = {
            **suggested,
            "level_text": level_text(suggested["level"]),
            "level_meaning": level_meaning(suggested["level"]),
        }
    return out


def _spot(spot: HotSpot) -> dict[str, Any]:
    return {**spot, "pattern_text": pattern_text(spot["pattern"])} if "pattern" in spot else spot


def _chart_levels(data: Snapshot) -> dict[str, str]:
    """The level key per area that coloured the stored area chart (else the suggestions)."""
    stored = (data.get("charts") or {}).get("areas", {}).get("spec", {})
    values = (stored.get("data") or {}).get("values") or []
    levels = {v["area"]: v["level"] for v in values if "area" in v and "level" in v}
    return levels or {
        a["name"]: a["suggested"]["level_key"]
        for a in data.get("areas", [])
        if "level_key" in (a.get("suggested") or {})
    }


def localize(data: Snapshot) -> dict[str, Any]:
    """A display copy of a snapshot in the active language; the snapshot is not changed.

    Adds ``period.label_text`` (the period in words), and words again the areas' sentences,
    verdicts and levels, the hot spots' patterns, the table of changes, the hot times' days,
    the notes and the charts' titles, tables and specifications (unless they were made in
    the active language). A chart's stored SVG (an adopted picture's frozen drawing) is kept
    as it is.
    """
    from samtrygg.situation import charts

    out = dict(data)
    period = data.get("period") or {}
    if "unit" in period and "index" in period:
        out["period"] = {**period, "label_text": period_text(period["unit"], period["index"])}
    out["areas"] = [localize_area(a, str(period.get("unit", ""))) for a in data.get("areas", [])]
    for key in ("hotspots", "new_hotspots"):
        if key in data:
            out[key] = [_spot(s) for s in data[key]]
    if "changes" in data:
        out["changes"] = [
            {
                **c,
                "level_before": _level_label(c.get("level_before", "")),
                "level_after": _level_label(c.get("level_after", "")),
            }
            for c in data["changes"]
        ]
    hot_times = data.get("hot_times")
    if hot_times and "top" in hot_times:
        out["hot_times"] = {
            **hot_times,
            "top": [{**h, "day": _day_word(h["day"])} for h in hot_times["top"]],
        }
    if "notes" in data:
        out["notes"] = [note_text(n) for n in data["notes"]]
    stored_title = ((data.get("charts") or {}).get("areas") or {}).get("title")
    current = stored_title == gettext("Händelser per delområde mot normalt")
    if data.get("charts") and not current and "series" in data and "hot_times" in data:
        made = charts.all_charts(data, _chart_levels(data))
        for key, chart in made.items():
            svg = (data["charts"].get(key) or {}).get("svg")
            if svg:
                chart["svg"] = svg
        out["charts"] = made
    return out
