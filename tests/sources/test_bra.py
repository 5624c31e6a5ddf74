"""Brå's crime statistics: the real file shapes, all-or-nothing refusals, and rates per 100 000
as Brå published them, else computed from counts and SCB's population of the same year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sources.conftest import FIXTURES, run_command

pytestmark = pytest.mark.django_db
RAW_2021 = FIXTURES / "anmalda_brott_kommuner_2021.csv"
WITH_CODES = FIXTURES / "anmalda_brott_kommuner_2021_with_kommunkod.csv"
LONG_FORM = FIXTURES / "brott_mot_liv_och_halsa_per100k_kommuner_2021.csv"
TOTAL = "Anmälda brott totalt"


def _import(*args: str | Path) -> tuple[int, str, str]:
    return run_command("import", "bra-crime", *map(str, args))


def test_bra_open_data_file_with_all_its_quirks() -> None:
    from samtrygg.sources.models import CrimeStatistic, SourceRun

    code, _out, err = _import(RAW_2021)
    assert code == 2 and "--year" in err  # the file names no year
    assert not CrimeStatistic.objects.exists()

    code, out, err = _import(RAW_2021, "--year", "2021")
    assert code == 0, err
    assert out.startswith("580 nya, 0 uppdaterade, 0 oförändrade")
    stats = CrimeStatistic.objects.filter(year=2021, category=TOTAL, unit="antal")
    assert stats.count() == 290
    assert sum(s.value for s in stats) == 1_204_896  # shared/data/README.md
    values = {s.municipality_id: s.value for s in stats}
    assert values["1440"] == 2717  # "Ale kommun"
    assert values["2023"] == 763  # "Malung–Sälens kommun" (en dash)
    assert values["0687"] == 1745  # "Tranås kommun " (trailing space)
    assert values["2080"] == 4626  # "Falun kommun"
    assert values["0180"] == 207_861  # "Stockholm"
    # The rate Brå published is kept beside the count (Orsa 2021: 493 crimes, 7 147).
    published = CrimeStatistic.objects.filter(year=2021, category=TOTAL, unit="per_100000")
    assert published.count() == 290
    assert published.get(municipality_id="2034").value == 7147
    assert values["2034"] == 493
    assert SourceRun.objects.get(source="bra-crime").created == 580

    code, out, _err = _import(RAW_2021, "--year", "2021")
    assert out.startswith("0 nya, 0 uppdaterade, 580 oförändrade")


def test_the_same_values_with_kommunkod_and_year_are_the_same_rows() -> None:
    from samtrygg.sources.models import CrimeStatistic

    _import(RAW_2021, "--year", "2021")
    code, out, err = _import(WITH_CODES)
    assert code == 0, err
    assert out.startswith("0 nya, 0 uppdaterade, 580 oförändrade")
    assert CrimeStatistic.objects.count() == 580


def test_long_form_export_with_missing_values_and_a_duplicated_block() -> None:
    from samtrygg.sources.models import CrimeStatistic

    code, out, err = _import(LONG_FORM)
    assert code == 0, err
    assert out.startswith("580 nya")  # 582 rows, Heby's two categories given twice
    rates = CrimeStatistic.objects.filter(unit="per_100000", year=2021)
    person = rates.filter(category="3-7 kap. Brott mot person")
    assert person.count() == 290 and not person.exclude(value=None).exists()  # all ".."
    life = rates.filter(category="3 kap. Brott mot liv och hälsa")
    assert life.count() == 290
    assert life.get(municipality_id="0331").value == 564  # Heby: the numeric block is kept
    assert life.get(municipality_id="1440").value == 454


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name;numCrimes;crimesRelative\nAle kommun;2717;8555\nAtlantis kommun;12;3\n", "rad 3"),
        ("name;numCrimes;crimesRelative\nAle kommun;många;8555\n", "”många” är inget tal"),
        ("name;numCrimes;crimesRelative\nAle kommun;12.5;8555\n", "heltal"),
        ("name;numCrimes\nAle kommun;10\nAle kommun;11\n", "två olika värden"),
        ("kommunkod,ar,brottstyp,enhet,varde\n9999,2021,Rån,antal,3\n", "okänd kommunkod"),
        ("kommunkod,ar,brottstyp,enhet,varde\n1440,2021,Rån,procent,3\n", "okänd enhet"),
        ("kommunkod,ar,brottstyp,enhet,varde\n1440,tjugo,Rån,antal,3\n", "är inget år"),
        ("hej;hopp\n1;2\n", "Kolumnen med kommun saknas"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(tmp_path: Path, content: str, message: str) -> None:
    from samtrygg.sources.models import CrimeStatistic

    path = tmp_path / "bra.csv"
    path.write_text("\ufeff" + content, encoding="utf-8")
    code, _out, err = _import(path, "--year", "2021")
    assert code == 2
    assert message in err
    assert not CrimeStatistic.objects.exists()


def test_missing_values_and_swedish_numbers(tmp_path: Path) -> None:
    from samtrygg.sources.models import CrimeStatistic

    path = tmp_path / "sol.csv"
    path.write_text(
        "Kommun;År;Brottstyp;Enhet;Värde\n"
        "Ale kommun;2022;Rån;antal;1 204\n"
        "Orsa kommun;2022;Rån;antal;..\n"
        "Orsa kommun;2022;Misshandel;/100 000 inv;12,5\n",
        encoding="utf-8",
    )
    code, _out, err = _import(path)
    assert code == 0, err
    assert CrimeStatistic.objects.get(municipality_id="1440", category="Rån").value == 1204
    assert CrimeStatistic.objects.get(municipality_id="2034", category="Rån").value is None
    assert CrimeStatistic.objects.get(category="Misshandel").value == 12.5


def test_a_revised_figure_updates_the_stored_one(tmp_path: Path) -> None:
    from samtrygg.sources.models import CrimeStatistic

    path = tmp_path / "bra.csv"
    path.write_text("name;numCrimes;crimesRelative\nAle kommun;2731;8547\n", encoding="utf-8")
    _import(RAW_2021, "--year", "2021")
    _code, out, _err = _import(path, "--year", "2021")
    assert out.startswith("0 nya, 2 uppdaterade")
    assert CrimeStatistic.objects.get(municipality_id="1440", unit="antal").value == 2731
    assert CrimeStatistic.objects.get(municipality_id="1440", unit="per_100000").value == 8547


def test_rates_are_bras_published_ones_and_never_use_another_years_population(
    orsa: Any, actor_of: Any, tmp_path: Path
) -> None:
    from samtrygg.core.models import Municipality
    from samtrygg.sources import queries
    from samtrygg.sources.models import CrimeStatistic

    _import(RAW_2021, "--year", "2021")
    _import(LONG_FORM)
    actor = actor_of(orsa.user("styrgrupp"), orsa.partnership)
    rates = {(r.category, r.year): r for r in queries.crime_rates(actor)}
    total = rates[(TOTAL, 2021)]
    # Orsa 2021: Brå publishes 7 147 per 100 000 (493 crimes); 493 over the 2024 population
    # would be 7 180,3, a rate of no year.
    assert (total.count, total.rate, total.published_rate) == (493, 7147, True)
    dalarna = list(Municipality.objects.filter(county_id="20").values_list("code", flat=True))
    counts = dict(
        CrimeStatistic.objects.filter(
            municipality_id__in=dalarna, category=TOTAL, year=2021, unit="antal"
        ).values_list("municipality_id", "value")
    )
    published = dict(
        CrimeStatistic.objects.filter(
            municipality_id__in=dalarna, category=TOTAL, year=2021, unit="per_100000"
        ).values_list("municipality_id", "value")
    )
    brå_people = sum(counts[c] * 100_000 / published[c] for c in counts)
    assert total.lan_rate == pytest.approx(sum(counts.values()) * 100_000 / brå_people)
    assert 8_300 < total.lan_rate < 8_500  # Dalarna 2021 by Brå's own figures
    assert (total.lan_kommuner, total.lan_total) == (15, 15)
    # A category Brå publishes only as a rate is shown as published.
    life = rates[("3 kap. Brott mot liv och hälsa", 2021)]
    assert life.published_rate and life.count is None
    assert (
        life.rate
        == CrimeStatistic.objects.get(municipality_id="2034", category=life.category).value
    )
    person = rates[("3-7 kap. Brott mot person", 2021)]
    assert person.rate is None and person.lan_rate is None

    # A count without a published rate, and no population of its year: no rate at all.
    path = tmp_path / "bra_2022.csv"
    path.write_text("name;numCrimes\nOrsa kommun;500\n", encoding="utf-8")
    _import(path, "--year", "2022")
    latest = queries.crime_rates(actor)[0]
    assert (latest.year, latest.count, latest.rate, latest.published_rate) == (
        2022,
        500,
        None,
        False,
    )


def test_a_count_takes_the_population_of_its_own_year(
    orsa: Any, actor_of: Any, tmp_path: Path
) -> None:
    """``samtrygg import population`` for the year gives a count without Brå's rate its rate."""
    from samtrygg.core.models import Municipality
    from samtrygg.sources import queries

    bra = tmp_path / "bra_2021.csv"
    bra.write_text("name;numCrimes\nOrsa kommun;493\nFalun kommun;4626\n", encoding="utf-8")
    _import(bra, "--year", "2021")
    path = tmp_path / "folkmangd_2021.csv"
    rows = ["kommun_kod,kommun_namn,population"] + [
        f"{m.code},{m.name},{10_000 + index}"
        for index, m in enumerate(Municipality.objects.order_by("code"))
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _out, err = run_command("import", "population", str(path), "--year", "2021")
    assert code == 0, err
    actor = actor_of(orsa.user("analytiker"), orsa.partnership)
    total = next(r for r in queries.crime_rates(actor) if r.category == TOTAL)
    assert (total.population_year, total.population_year_differs) == (2021, False)
    assert total.lan_population_years == (2021,)
    assert not total.published_rate
    assert total.rate == pytest.approx(total.count * 100_000 / total.population)
    assert total.lan_kommuner == 2


def test_scb_population_file_fits_the_population_import() -> None:
    """SCB's file as shipped (kommun_kod,kommun_namn,population) is what the reference data
    already holds for 2024: importing it again changes nothing."""
    from tests.sources.conftest import REFERENCE

    code, out, err = run_command(
        "import", "population", str(REFERENCE / "population_2024.csv"), "--year", "2024"
    )
    assert code == 0, err
    assert out.startswith("0 nya, 0 uppdaterade, 290 oförändrade")
