"""Reading Brå's reported-crime files per kommun (``samtrygg import bra-crime FILE``).

No database here: the reader turns a file into rows, or refuses it with every problem listed
(a person's file is all or nothing). Three shapes are recognised from the header:

* **Brå's open-data CSV** "Anmälda brott i kommunerna": ``name;numCrimes;crimesRelative`` (or
  Swedish headers ``Kommun;Antal;Per 100 000 invånare``): the kommun by name, the total
  number of reported crimes and the rate Brå computed. The file names no year: give
  ``--year``. Only the count is kept (category "Anmälda brott totalt"); the rate is computed
  from the count and SCB's population when shown, never stored beside the count.
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

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.utils.translation import gettext as _

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


def read_bra_text(
    text: str,
    *,
    year: int | None = None,
    filename: str = "",
    resolver: KommunResolver | None = None,
) -> list[CrimeRow]:
    """The rows of a Brå file, or DomainError listing every problem (nothing is kept)."""
    prefix = f"{filename}: " if filename else ""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise DomainError(prefix + _("Filen är tom."))
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    code_col = _pick(columns, _CODE_COLUMNS)
    name_col = _pick(columns, _NAME_COLUMNS)
    year_col = _pick(columns, _YEAR_COLUMNS)
    count_col = _pick(columns, _COUNT_COLUMNS)
    category_col = _pick(columns, _CATEGORY_COLUMNS)
    unit_col = _pick(columns, _UNIT_COLUMNS)
    value_col = _pick(columns, _VALUE_COLUMNS)
    long_form = category_col is not None and value_col is not None
    if code_col is None and name_col is None:
        raise DomainError(
            prefix + _("Kolumnen med kommun saknas (kommunkod eller kommunnamn, t.ex. name).")
        )
    if not long_form and count_col is None:
        raise DomainError(
            prefix
            + _(
                "Okänt format: filen behöver antingen en kolumn med antal anmälda brott "
                "(t.ex. numCrimes) eller kolumnerna brottstyp och varde."
            )
        )
    if year_col is None and year is None:
        raise DomainError(
            prefix + _("Filen anger inget år. Ange året som statistiken avser med --year ÅR.")
        )
    if year is not None and not 1950 <= year <= 2100:
        raise DomainError(_("Orimligt år: %(y)d.") % {"y": year})

    kommuner = _Kommuner(resolver if resolver is not None else KommunResolver())
    header_names = [name.strip() for name in header]
    errors: list[str] = []
    rows: dict[tuple[str, int, str, str], CrimeRow] = {}

    def problem(line: int, column: int | None, message: str) -> None:
        where = _("rad %(r)d") % {"r": line}
        if column is not None and column < len(header_names):
            where += ", " + _("kolumn %(c)s") % {"c": header_names[column]}
        errors.append(f"{prefix}{where}: {message}")

    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = record + [""] * (len(header) - len(record))

        kommunkod = None
        if code_col is not None and cells[code_col].strip():
            kommunkod = kommuner.by_code(cells[code_col])
            if kommunkod is None:
                problem(line, code_col, _("okänd kommunkod ”%(v)s”.") % {"v": cells[code_col]})
                continue
        elif name_col is not None:
            kommunkod = kommuner.by_name(cells[name_col])
            if kommunkod is None:
                problem(line, name_col, _("okänd kommun ”%(v)s”.") % {"v": cells[name_col]})
                continue
        else:
            problem(line, code_col, _("kommunkoden saknas."))
            continue

        row_year = year
        if year_col is not None:
            raw_year = cells[year_col].strip()
            if not (raw_year.isdigit() and 1950 <= int(raw_year) <= 2100):
                problem(line, year_col, _("”%(v)s” är inget år.") % {"v": raw_year})
                continue
            if year is not None and int(raw_year) != year:
                problem(
                    line,
                    year_col,
                    _("året %(v)s stämmer inte med --year %(y)d.") % {"v": raw_year, "y": year},
                )
                continue
            row_year = int(raw_year)
        assert row_year is not None

        if long_form:
            assert category_col is not None and value_col is not None
            category = " ".join(cells[category_col].split())
            if not category:
                problem(line, category_col, _("brottstypen saknas."))
                continue
            unit = _unit(cells[unit_col]) if unit_col is not None else UNIT_COUNT
            if unit is None:
                problem(
                    line,
                    unit_col,
                    _("okänd enhet ”%(v)s” (antal eller /100 000 inv).")
                    % {"v": cells[unit_col] if unit_col is not None else ""},
                )
                continue
            raw_value, value_index = cells[value_col], value_col
        else:
            assert count_col is not None
            category, unit = TOTAL_CATEGORY, UNIT_COUNT
            raw_value, value_index = cells[count_col], count_col
        try:
            value = _number(raw_value)
        except ValueError:
            problem(
                line,
                value_index,
                _("”%(v)s” är inget tal (”..” betyder att uppgift saknas).")
                % {"v": raw_value.strip()},
            )
            continue
        if unit == UNIT_COUNT and value is not None and value != int(value):
            problem(
                line, value_index, _("ett antal ska vara ett heltal: %(v)s.") % {"v": raw_value}
            )
            continue

        key = (kommunkod, row_year, category[:200], unit)
        row = CrimeRow(kommunkod, row_year, category[:200], unit, value, line)
        earlier = rows.get(key)
        if earlier is None or earlier.value is None:
            rows[key] = row
        elif value is not None and value != earlier.value:
            problem(
                line,
                value_index,
                _(
                    "kommunen %(k)s har redan värdet %(a)s för %(c)s %(y)d (rad %(r)d); "
                    "två olika värden går inte att läsa in."
                )
                % {
                    "k": kommunkod,
                    "a": _format(earlier.value),
                    "c": category,
                    "y": row_year,
                    "r": earlier.line,
                },
            )
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            shown.append(_("… och %(n)d fel till.") % {"n": len(errors) - len(shown)})
        raise DomainError(_("Inget har sparats.") + "\n" + "\n".join(shown))
    if not rows:
        raise DomainError(prefix + _("Filen innehåller inga rader med statistik."))
    return list(rows.values())


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def read_bra_file(
    path: str | Path, *, year: int | None = None, resolver: KommunResolver | None = None
) -> list[CrimeRow]:
    """Read a Brå file from disk (UTF-8 with or without BOM; Latin-1 as a fallback)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return read_bra_text(text, year=year, filename=Path(path).name, resolver=resolver)
