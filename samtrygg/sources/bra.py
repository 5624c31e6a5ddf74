"""Reading Brå's reported-crime files per kommun (``samtrygg import bra-crime FILE``).

No database here: the reader turns a file into rows, or refuses it with every problem listed
(a person's file is all or nothing). Three shapes are recognised from the header:

* **Brå's open-data CSV** "Anmälda brott i kommunerna": ``name;numCrimes;crimesRelative`` (or
  Swedish headers ``Kommun;Antal;Per 100 000 invånare``): the kommun by name, the total
  number of reported crimes and the rate Brå computed. The file names no year: give
  ``--year``. The count is kept (category "Anmälda brott totalt") and, beside it, the rate
  Brå published (unit ``per_100000``): where Brå publishes a rate, that rate is shown.
* **The same with kommunkod and year** (``kommunkod,…,ar,antal_anmalda_brott,…``).
* **A statistics-database export in long form**: ``kommunkod`` (or a kommun name), ``ar``,
  ``brottstyp``, ``enhet``, ``varde``: one value per kommun, year and crime category, as a
  count (``antal``) or per 100 000 inhabitants (``/100 000 inv``). A rate that Brå publishes
  without its count is kept as published (unit ``per_100000``).

Quirks handled: a byte order mark, ``;`` or ``,`` separators, genitive kommun names
(``Arjeplogs kommun``, ``Falun kommun``, ``Stockholm``), any dash (``Malung–Sälens kommun``),
trailing spaces, ``..`` (and ``-``, empty) for "uppgift saknas", Swedish number formats
(``1 204``, ``12,5``), and a kommun block that occurs twice (Heby in SOL exports): a missing
value never replaces a number; two different numbers for the same kommun, year and category
refuse the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.utils.translation import gettext as _

from samtrygg.core import tabular
from samtrygg.core.errors import DomainError
from samtrygg.sources.police_feed import KommunResolver

TOTAL_CATEGORY: Final = "Anmälda brott totalt"
UNIT_COUNT: Final = "antal"
UNIT_PER_100K: Final = "per_100000"
MISSING: Final = frozenset({"..", "-", "–", ""})
MAX_REPORTED_ERRORS: Final = 50

_NAME_COLUMNS = ("name", "kommun", "kommunnamn", "kommun_namn", "kommun_namn_i_kallan")
_CODE_COLUMNS = ("kommunkod", "kommun_kod", "kod")
_YEAR_COLUMNS = ("ar", "år", "year")
_COUNT_COLUMNS = ("numcrimes", "antal_anmalda_brott", "antal", "anmälda brott")
_CATEGORY_COLUMNS = ("brottstyp", "brottskategori", "kategori")
_UNIT_COLUMNS = ("enhet", "unit")
_VALUE_COLUMNS = ("varde", "värde", "value")
_RATE_COLUMNS = ("crimesrelative", "anmalda_brott_per_100000_inv", "per 100 000 invånare")


@dataclass(frozen=True)
class CrimeRow:
    """One value of a Brå file: a kommun, year, crime category and unit."""

    kommunkod: str
    year: int
    category: str
    unit: str
    value: float | None
    line: int


def _pick(columns: dict[str, int], names: Iterable[str]) -> int | None:
    return next((columns[name] for name in names if name in columns), None)


def _number(text: str) -> float | None:
    """A Swedish or plain number; ``None`` for "uppgift saknas"; ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if cleaned in MISSING:
        return None
    value = float(cleaned.replace(",", "."))
    if not value >= 0 or value == float("inf"):
        raise ValueError(text)
    return value


def _unit(text: str) -> str | None:
    key = " ".join(text.lower().split())
    if "100 000" in key or "100000" in key:
        return UNIT_PER_100K
    if key in ("antal", "st", "antal brott", "number", ""):
        return UNIT_COUNT
    return None


class _Kommuner:
    """Kommun by code or by Brå's name (genitive, ``… kommun``, any casing or dash)."""

    def __init__(self, resolver: KommunResolver) -> None:
        self.resolver = resolver
        self.codes = set(resolver.reference.kommuner)

    def by_code(self, text: str) -> str | None:
        code = text.strip()[:4]
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)
        return code if code in self.codes else None

    def by_name(self, text: str) -> str | None:
        name = " ".join(text.split())
        found = self.resolver.kommun(name)
        if found is None and name.lower().endswith(" kommun"):
            found = self.resolver.kommun(name[: -len(" kommun")])
        return found[0] if found else None


@dataclass(frozen=True)
class _Layout:
    """Which column holds what, read from the header; ``long_form`` when each row is one
    category's value (brottstyp + varde) rather than a kommun's total count."""

    names: list[str]
    code: int | None
    name: int | None
    year: int | None
    count: int | None
    category: int | None
    unit: int | None
    value: int | None
    rate: int | None = None

    @property
    def long_form(self) -> bool:
        return self.category is not None and self.value is not None


def _layout(header: list[str], year: int | None, prefix: str) -> _Layout:
    """The file's columns, or DomainError when the header cannot be a Brå file."""
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    layout = _Layout(
        names=[name.strip() for name in header],
        code=_pick(columns, _CODE_COLUMNS),
        name=_pick(columns, _NAME_COLUMNS),
        year=_pick(columns, _YEAR_COLUMNS),
        count=_pick(columns, _COUNT_COLUMNS),
        category=_pick(columns, _CATEGORY_COLUMNS),
        unit=_pick(columns, _UNIT_COLUMNS),
        value=_pick(columns, _VALUE_COLUMNS),
        rate=_pick(columns, _RATE_COLUMNS),
    )
    if layout.code is None and layout.name is None:
        raise DomainError(
            prefix + _("Kolumnen med kommun saknas (kommunkod eller kommunnamn, t.ex. name).")
        )
    if not layout.long_form and layout.count is None:
        raise DomainError(
            prefix
            + _(
                "Okänt format: filen behöver antingen en kolumn med antal anmälda brott "
                "(t.ex. numCrimes) eller kolumnerna brottstyp och varde."
            )
        )
    if layout.year is None and year is None:
        raise DomainError(
            prefix + _("Filen anger inget år. Ange året som statistiken avser med --year ÅR.")
        )
    if year is not None and not 1950 <= year <= 2100:
        raise DomainError(_("Orimligt år: %(y)d.") % {"y": year})
    return layout


class _Problems:
    """Every problem of a file, each with its line and column, in the order met."""

    def __init__(self, prefix: str, layout: _Layout) -> None:
        self.prefix, self.layout = prefix, layout
        self.items: list[str] = []

    def add(self, line: int, column: int | None, message: str) -> None:
        where = _("rad %(r)d") % {"r": line}
        if column is not None and column < len(self.layout.names):
            where += ", " + _("kolumn %(c)s") % {"c": self.layout.names[column]}
        self.items.append(f"{self.prefix}{where}: {message}")

    def refusal(self) -> DomainError:
        shown = self.items[:MAX_REPORTED_ERRORS]
        if len(self.items) > len(shown):
            shown.append(_("… och %(n)d fel till.") % {"n": len(self.items) - len(shown)})
        return DomainError(_("Inget har sparats.") + "\n" + "\n".join(shown))


def _kommun(
    cells: list[str], line: int, layout: _Layout, kommuner: _Kommuner, problems: _Problems
) -> str | None:
    if layout.code is not None and cells[layout.code].strip():
        found = kommuner.by_code(cells[layout.code])
        if found is None:
            problems.add(
                line, layout.code, _("okänd kommunkod ”%(v)s”.") % {"v": cells[layout.code]}
            )
        return found
    if layout.name is not None:
        found = kommuner.by_name(cells[layout.name])
        if found is None:
            problems.add(line, layout.name, _("okänd kommun ”%(v)s”.") % {"v": cells[layout.name]})
        return found
    problems.add(line, layout.code, _("kommunkoden saknas."))
    return None


def _row_year(
    cells: list[str], line: int, layout: _Layout, year: int | None, problems: _Problems
) -> int | None:
    if layout.year is None:
        return year
    raw_year = cells[layout.year].strip()
    if not (raw_year.isdigit() and 1950 <= int(raw_year) <= 2100):
        problems.add(line, layout.year, _("”%(v)s” är inget år.") % {"v": raw_year})
        return None
    if year is not None and int(raw_year) != year:
        problems.add(
            line,
            layout.year,
            _("året %(v)s stämmer inte med --year %(y)d.") % {"v": raw_year, "y": year},
        )
        return None
    return int(raw_year)


@dataclass(frozen=True)
class _Measure:
    """What a row measures (category and unit) and the cell holding its value."""

    category: str
    unit: str
    raw_value: str
    column: int


def _measures(cells: list[str], line: int, layout: _Layout, problems: _Problems) -> list[_Measure]:
    """What a row holds: a long-form row one value; a kommun's total its count and, when the
    file has it, the rate Brå published."""
    if not layout.long_form:
        assert layout.count is not None
        measures = [_Measure(TOTAL_CATEGORY, UNIT_COUNT, cells[layout.count], layout.count)]
        if layout.rate is not None:
            measures.append(
                _Measure(TOTAL_CATEGORY, UNIT_PER_100K, cells[layout.rate], layout.rate)
            )
        return measures
    measure = _measure(cells, line, layout, problems)
    return [] if measure is None else [measure]


def _measure(cells: list[str], line: int, layout: _Layout, problems: _Problems) -> _Measure | None:
    assert layout.category is not None and layout.value is not None
    category = " ".join(cells[layout.category].split())
    if not category:
        problems.add(line, layout.category, _("brottstypen saknas."))
        return None
    unit = _unit(cells[layout.unit]) if layout.unit is not None else UNIT_COUNT
    if unit is None:
        problems.add(
            line,
            layout.unit,
            _("okänd enhet ”%(v)s” (antal eller /100 000 inv).")
            % {"v": cells[layout.unit] if layout.unit is not None else ""},
        )
        return None
    return _Measure(category, unit, cells[layout.value], layout.value)


def _value(measure: _Measure, line: int, problems: _Problems) -> tuple[bool, float | None]:
    """(readable, value): a number, None for "uppgift saknas", or a problem noted."""
    try:
        value = _number(measure.raw_value)
    except ValueError:
        problems.add(
            line,
            measure.column,
            _("”%(v)s” är inget tal (”..” betyder att uppgift saknas).")
            % {"v": measure.raw_value.strip()},
        )
        return False, None
    if measure.unit == UNIT_COUNT and value is not None and value != int(value):
        problems.add(
            line,
            measure.column,
            _("ett antal ska vara ett heltal: %(v)s.") % {"v": measure.raw_value},
        )
        return False, None
    return True, value


def _keep(
    rows: dict[tuple[str, int, str, str], CrimeRow], row: CrimeRow, column: int, problems: _Problems
) -> None:
    """Keep a row; a missing value never replaces a number, and two numbers conflict."""
    key = (row.kommunkod, row.year, row.category, row.unit)
    earlier = rows.get(key)
    if earlier is None or earlier.value is None:
        rows[key] = row
    elif row.value is not None and row.value != earlier.value:
        problems.add(
            row.line,
            column,
            _(
                "kommunen %(k)s har redan värdet %(a)s för %(c)s %(y)d (rad %(r)d); "
                "två olika värden går inte att läsa in."
            )
            % {
                "k": row.kommunkod,
                "a": _format(earlier.value),
                "c": row.category,
                "y": row.year,
                "r": earlier.line,
            },
        )


def read_bra_text(
    text: str,
    *,
    year: int | None = None,
    filename: str = "",
    resolver: KommunResolver | None = None,
) -> list[CrimeRow]:
    """The rows of a Brå file, or DomainError listing every problem (nothing is kept)."""
    prefix = f"{filename}: " if filename else ""
    reader = (cells for _number, cells in tabular.csv_rows(text, name=filename))
    header = next(reader, None)
    if not header:
        raise DomainError(prefix + _("Filen är tom."))
    layout = _layout(header, year, prefix)
    kommuner = _Kommuner(resolver if resolver is not None else KommunResolver())
    problems = _Problems(prefix, layout)
    rows: dict[tuple[str, int, str, str], CrimeRow] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = record + [""] * (len(header) - len(record))
        kommunkod = _kommun(cells, line, layout, kommuner, problems)
        if kommunkod is None:
            continue
        row_year = _row_year(cells, line, layout, year, problems)
        if row_year is None:
            continue
        for measure in _measures(cells, line, layout, problems):
            readable, value = _value(measure, line, problems)
            if readable:
                row = CrimeRow(
                    kommunkod, row_year, measure.category[:200], measure.unit, value, line
                )
                _keep(rows, row, measure.column, problems)
    if problems.items:
        raise problems.refusal()
    if not rows:
        raise DomainError(prefix + _("Filen innehåller inga rader med statistik."))
    return list(rows.values())


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def read_bra_file(
    path: str | Path, *, year: int | None = None, resolver: KommunResolver | None = None
) -> list[CrimeRow]:
    """Read a Brå file from disk (encodings as `core.tabular`: UTF-8 or Windows-1252)."""
    text = tabular.decode_text(Path(path).read_bytes())
    return read_bra_text(text, year=year, filename=Path(path).name, resolver=resolver)
