"""Answers and published figures come in all or nothing, with the row and column named; the
command line reads and writes the issue's exact formats."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samtrygg.core.errors import DomainError
from samtrygg.surveys import items, queries, services
from samtrygg.surveys.models import PublishedFigure, Response, Wave
from tests.surveys.conftest import microdata

pytestmark = pytest.mark.django_db


def _import(actor: Any, data: bytes, **kw: Any) -> Any:
    options = {"survey": "Trygghetsundersökning", "year": 2025, "sample": "random"} | kw
    return services.import_responses(actor, data, "svar.csv", **options)


def test_a_file_is_read_with_areas_weights_and_empty_cells(
    orsa: Any, coordinator: Any, north: Any
) -> None:
    rows = [{"area": orsa.area.name, "T1": 3, "T2": "", "weight": "1,5"}] * 30 + [
        {"area": "norra orsa", "T1": 5, "T1b": 1, "kon": 2, "alder": "25–44", "weight": 2}
    ] * 31
    result = _import(coordinator, microdata(rows, weights=True))
    assert result.responses == 61
    assert result.areas == {orsa.area.name: 30, "Norra Orsa": 31}
    stored = Response.objects.filter(wave=result.wave)
    first = stored.filter(area=orsa.area).first()
    assert first is not None
    assert first.answers == {"T1": 3} and first.weight == 1.5  # an empty cell is no answer
    last = stored.filter(area=north).first()
    assert last is not None and last.age_band == 2 and last.gender == 2
    assert last.answers == {"T1": 5, "T1b": 1}


@pytest.mark.parametrize(
    ("row", "column", "line"),
    [
        ({"T1": 6}, "T1", 3),
        ({"P3": 5}, "P3", 3),
        ({"F3": 9}, "F3", 3),
        ({"T1": 2, "T1b": 1}, "T1b", 3),
        ({"area": "Atlantis"}, "area", 3),
        ({"kon": 7}, "kon", 3),
        ({"alder": "90–99"}, "alder", 3),
        ({"O2": "ja"}, "O2", 3),
    ],
)
def test_a_bad_cell_names_row_and_column_and_saves_nothing(
    orsa: Any, coordinator: Any, row: dict[str, Any], column: str, line: int
) -> None:
    rows = [{"T1": 1}, row, {"T1": 2}]
    with pytest.raises(DomainError) as refused:
        _import(coordinator, microdata(rows))
    assert f"Rad {line}, kolumn {column}" in refused.value.message
    assert not Wave.objects.exists() and not Response.objects.exists()


def test_a_header_that_is_not_exact_is_refused(coordinator: Any) -> None:
    header = ",".join(items.CSV_HEADER).replace("T1b", "T1B")
    with pytest.raises(DomainError) as refused:
        _import(coordinator, f"{header}\nr1,,1\n".encode())
    assert "kolumn 4" in refused.value.message and "T1b" in refused.value.message
    extra = ",".join([*items.CSV_HEADER, "vikt"])
    with pytest.raises(DomainError) as refused:
        _import(coordinator, f"{extra}\nr1,,1\n".encode())
    assert "weight" in refused.value.message


def test_weights_must_be_positive_and_respondents_unique(coordinator: Any) -> None:
    with pytest.raises(DomainError) as refused:
        _import(coordinator, microdata([{"T1": 1, "weight": 0}], weights=True))
    assert "Rad 2, kolumn weight" in refused.value.message
    with pytest.raises(DomainError) as refused:
        _import(coordinator, microdata([{"T1": 1, "respondent": "a"}, {"respondent": "a"}]))
    assert "Rad 3, kolumn respondent" in refused.value.message


def test_a_wave_with_answers_is_not_imported_twice(coordinator: Any) -> None:
    _import(coordinator, microdata([{"T1": 1}]))
    with pytest.raises(DomainError):
        _import(coordinator, microdata([{"T1": 2}]))
    with pytest.raises(DomainError):
        _import(coordinator, microdata([{"T1": 2}]), year=2025, sample="open")
    assert Response.objects.count() == 1


def test_xlsx_is_read_like_csv(coordinator: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(items.CSV_HEADER))
    for number in range(3):
        sheet.append([f"r{number}", None, 3.0, None, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_responses(
        coordinator, buffer.getvalue(), "svar.xlsx", survey="X", year=2024, sample="open"
    )
    assert result.responses == 3
    assert Response.objects.first().answers == {"T1": 3, "T2": 2}  # type: ignore[union-attr]


def test_a_reader_may_not_import(orsa: Any, actor_of: Any) -> None:
    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    with pytest.raises(DomainError):
        _import(reporter, microdata([{"T1": 1}]))


def test_command_line_import_and_export(orsa: Any, tmp_path: Any, north: Any) -> None:
    rows = [{"area": orsa.area.name, "T1": 3 if i < 12 else 1, "T2": 1} for i in range(40)]
    rows += [{"area": "Norra Orsa", "T1": 4} for _ in range(5)]
    path = tmp_path / "svar.csv"
    path.write_bytes(microdata(rows))
    out = io.StringIO()
    call_command(
        "import",
        "survey-responses",
        str(path),
        "--partnership",
        "2034",
        "--survey",
        "Orsa trygghet",
        "--year",
        "2025",
        "--sample",
        "random",
        stdout=out,
    )
    assert Response.objects.count() == 45
    out = io.StringIO()
    call_command(
        "export",
        "survey-indicators",
        "--partnership",
        "2034",
        "--survey",
        "Orsa trygghet",
        "--format",
        "csv",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "indicator,area,n,share,ci_low,ci_high,flag"
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    whole = next(r for r in records if r["indicator"] == "T1" and r["area"] == "Hela kommunen")
    # 17 positive (12 code 3 + 5 code 4) of 45
    assert whole["n"] == "45" and whole["share"] == f"{17 / 45:.4f}" and whole["flag"] == "osaker"
    low, high = (float(whole["ci_low"]), float(whole["ci_high"]))
    assert low < 17 / 45 < high and len(whole["ci_low"].split(".")[1]) == 4
    small = next(r for r in records if r["indicator"] == "T1" and r["area"] == "Norra Orsa")
    assert small["n"] == "5" and small["share"] == "" and small["flag"] == "undertryckt"
    assert {r["indicator"] for r in records} == set(items.INDICATOR_CODES)


def test_command_line_refuses_a_bad_file_with_exit_2(orsa: Any, tmp_path: Any) -> None:
    path = tmp_path / "svar.csv"
    path.write_bytes(microdata([{"T1": 1}, {"T1": 8}]))
    with pytest.raises(CommandError) as refused:
        call_command(
            "import",
            "survey-responses",
            str(path),
            "--partnership",
            "2034",
            "--survey",
            "S",
            "--year",
            "2025",
            "--sample",
            "random",
        )
    assert refused.value.returncode == 2
    assert "Rad 3, kolumn T1" in str(refused.value)
    assert not Response.objects.exists()


def test_published_figures_are_stored_as_published(coordinator: Any, orsa: Any) -> None:
    text = (
        "source,measure,region,area,year,value,publisher\n"
        f"polisens-index,Trygghetsindex,Orsa centrum,{orsa.area.name},2025,2.4,Polisen\n"
        "ntu,Andel otrygga,LPO Mora,,2025,0.17,Brå\n"
    )
    assert services.import_figures(coordinator, text.encode()) == 2
    index = PublishedFigure.objects.get(source="polisens-index")
    assert (
        index.value == 2.4
        and index.area == orsa.area
        and index.get_source_display() == ("Polisens index (0–6)")
    )
    # the same figure again replaces its value; nothing is recomputed
    services.import_figures(coordinator, text.replace("2.4", "2.6").encode())
    assert PublishedFigure.objects.get(source="polisens-index").value == 2.6
    assert PublishedFigure.objects.count() == 2


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("polisens-index,Index,Orsa,,2025,7", "value"),
        ("ntu,Andel,LPO,,2025,17", "value"),
        ("polisen,Index,Orsa,,2025,2", "source"),
        ("polisens-index,Index,Orsa,Atlantis,2025,2", "area"),
        ("polisens-index,Index,Orsa,,tjugo,2", "year"),
    ],
)
def test_a_bad_figure_names_row_and_column(coordinator: Any, line: str, column: str) -> None:
    text = f"source,measure,region,area,year,value\npolisens-index,Index,Orsa,,2024,2\n{line}\n"
    with pytest.raises(DomainError) as refused:
        services.import_figures(coordinator, text.encode())
    assert f"Rad 3, kolumn {column}" in refused.value.message
    assert not PublishedFigure.objects.exists()


def test_latest_indicators_read_the_latest_random_wave(
    orsa: Any, coordinator: Any, actor_of: Any
) -> None:
    _import(coordinator, microdata([{"T1": 3}] * 10 + [{"T1": 1}] * 30), year=2024)
    _import(coordinator, microdata([{"T1": 3}] * 20 + [{"T1": 1}] * 20), year=2025)
    _import(coordinator, microdata([{"T1": 4}] * 50), year=2026, sample="open", survey="Öppen")
    found = queries.latest_indicators(coordinator, ["T1", "T2", "nonsense"])
    assert [v.code for v in found] == ["T1", "T2"]
    t1 = found[0]
    assert t1.year == 2025 and t1.share == pytest.approx(0.5) and t1.n == 40
    assert t1.before["share"] == pytest.approx(0.25)
    assert t1.before["difference"] == pytest.approx(0.25)
    assert found[1].share is None and found[1].flag == "undertryckt"
    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    assert queries.latest_indicators(admin, ["T1"]) == []


def test_an_open_link_is_never_compared_with_a_random_sample(coordinator: Any) -> None:
    _import(coordinator, microdata([{"T1": 3}] * 40), year=2024, sample="random", survey="S")
    open_wave = services.import_responses(
        coordinator, microdata([{"T1": 1}] * 40), "x.csv", survey="S", year=2025, sample="open"
    ).wave
    assert open_wave.survey.waves.count() == 2
    assert queries.previous_wave(open_wave) is None
    rows = queries.indicator_table(open_wave, [])
    assert all(row.before is None and row.comparison is None for row in rows)
