"""The lägesbild PDF is readable on paper: every table fits the page, so no cell is broken
into one character per line, and the PDF renderer is given only CSS it understands."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from samtrygg.analysis.picture import Period
from samtrygg.situation import documents, services
from tests.situation.data import add_observations, week_monday

pytestmark = pytest.mark.django_db

_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _year_of_reports(tenant: Any, year: int) -> None:
    """Reports in every week of ``year`` and the year before (so week tables are 53 wide)."""
    moments = []
    for back in range(0, 60):
        monday = week_monday(year, 50) - dt.timedelta(weeks=back)
        moments += [monday + dt.timedelta(hours=h) for h in (2, 20, 45 + back % 5)]
    add_observations(tenant, moments, seed=5)


def _adopted(tenant: Any, actor_of: Any, period: Period) -> Any:
    actor = actor_of(tenant.user("samordnare"), tenant.partnership)
    picture = services.draft(actor, period)
    services.set_assessment(actor, picture, "Bedömning för tryck.")
    return actor, services.adopt(actor, picture)


def _cell_words(page: str) -> Counter[str]:
    words: Counter[str] = Counter()
    for cell in _CELL.findall(page):
        words.update(html.unescape(_TAG.sub(" ", cell)).split())
    return words


@pytest.mark.parametrize("period", [Period.year(2025), Period.week(2025, 50)], ids=str)
def test_every_table_cell_comes_out_whole(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any, period: Period, caplog: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    _year_of_reports(orsa, 2025)
    actor, picture = _adopted(orsa, actor_of, period)
    page = documents.picture_html(actor, picture)
    wanted = _cell_words(page)
    assert wanted, "the PDF has tables"

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = documents.picture_pdf(actor, picture)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    printed = Counter(text.split())
    missing = wanted - printed
    assert not missing, f"table cells broken in print: {sorted(missing)[:20]}"
    # The PDF renderer gets CSS it understands: no warnings about the page's screen styles.
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []


def test_weeks_are_summed_per_month_in_print_and_kept_whole_in_the_xlsx(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = str(tmp_path)
    _year_of_reports(orsa, 2025)
    actor, picture = _adopted(orsa, actor_of, Period.week(2025, 50))
    page = documents.picture_html(actor, picture)
    assert "Per månad (en vecka räknas till den månad där dess torsdag ligger)" in page
    assert '<th scope="col">vecka' not in page
    by_category = picture.snapshot["charts"]["by_category"]
    weekly_total = sum(sum(row[1:]) for row in by_category["rows"])
    printed = documents.charts.print_tables("by_category", by_category, picture.snapshot)
    assert all(len(t["columns"]) <= 14 for t in printed["tables"])
    assert sum(sum(row[1:]) for t in printed["tables"] for row in t["rows"]) == weekly_total

    book = load_workbook(io.BytesIO(documents.picture_xlsx(picture)))
    sheet = book[by_category["title"][:31]]
    assert sheet.max_column == len(by_category["columns"]) > 50


def test_the_charts_print_in_their_measured_font_with_solid_colour_scales(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    _year_of_reports(orsa, 2025)
    actor, picture = _adopted(orsa, actor_of, Period.week(2025, 50))
    assert 'fill="url(#' in picture.snapshot["charts"]["hot_times"]["svg"]  # as kept
    page = documents.picture_html(actor, picture)
    blocks = re.findall(r'<section class="chart-block".*?</section>', page, re.DOTALL)
    assert len(blocks) >= 4
    for block in blocks:
        assert 'fill="url(#' not in block
        assert 'font-family="sans-serif"' not in block
        assert 'font-family="Liberation Sans, sans-serif"' in block


def test_each_number_column_has_its_heading_over_its_numbers(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    """A column of numbers (right-aligned) has a right-aligned heading: the chart tables by
    the stylesheet (every column after the first), the other tables by the heading's class."""
    from django.contrib.staticfiles import finders

    stylesheet = Path(str(finders.find("samtrygg/document.css"))).read_text(encoding="utf-8")
    assert re.search(r"table\.chart-table thead th \+ th \{ text-align:right; \}", stylesheet)
    assert re.search(r"th\.numbers \{ text-align:right; \}", stylesheet)

    from tests.sources.conftest import run_command

    shipped = Path(documents.__file__).parents[1] / "sources" / "demo"
    code, _out, err = run_command(
        "import", "bra-crime", str(shipped / "anmalda_brott_kommuner_2021_with_kommunkod.csv")
    )
    assert code == 0, err
    settings.MEDIA_ROOT = str(tmp_path)
    _year_of_reports(orsa, 2025)
    actor, picture = _adopted(orsa, actor_of, Period.week(2025, 50))
    page = documents.picture_html(actor, picture)
    checked = 0
    for table in re.findall(r"<table[^>]*>.*?</table>", page, re.DOTALL):
        if 'class="chart-table"' in table or "<thead>" not in table:
            continue
        headings = re.findall(r"<th scope=\"col\"([^>]*)>", table)
        first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.DOTALL)
        assert first_row, table[:200]
        cells = re.findall(r"<t([hd])([^>]*)>", first_row[1])
        for heading, (_kind, cell) in zip(headings, cells, strict=True):
            assert ('class="numbers"' in cell) == ('class="numbers"' in heading), table[:300]
            checked += 'class="numbers"' in cell
    assert checked >= 2, [t[:120] for t in re.findall(r"<table[^>]*>", page)]


def test_the_rates_print_as_whole_numbers_as_on_the_page(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    from tests.sources.conftest import run_command

    shipped = Path(documents.__file__).parents[1] / "sources" / "demo"
    code, _out, err = run_command(
        "import", "bra-crime", str(shipped / "anmalda_brott_kommuner_2021_with_kommunkod.csv")
    )
    assert code == 0, err
    settings.MEDIA_ROOT = str(tmp_path)
    actor, picture = _adopted(orsa, actor_of, Period.week(2025, 50))
    page = documents.picture_html(actor, picture)
    chart = page[page.index('data-chart-table="crime"') :]
    chart = chart[: chart.index("</table>")]
    brå = page[page.index('<table id="crime"') :]
    brå = brå[: brå.index("</table>")]
    rate = picture.snapshot["crime"]["rows"][0]["rate"]
    written = f"{round(rate):,}".replace(",", "\u00a0")
    assert rate >= 1000 and f'<td class="numbers">{written}</td>' in chart
    assert f'<td class="numbers">{written}</td>' in brå
    assert not re.search(r'<td class="numbers">\d+,\d</td>', chart)


def test_the_heading_names_the_status_once(
    orsa: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    from django.utils import timezone

    settings.MEDIA_ROOT = str(tmp_path)
    actor, picture = _adopted(orsa, actor_of, Period.week(2025, 50))
    assert picture.status == "antagen"
    page = documents.picture_html(actor, picture)
    line = re.search(r'id="picture-status">(.*?)</p>', page, re.DOTALL)
    assert line
    text = " ".join(html.unescape(_TAG.sub(" ", line[1])).split())
    adopted = timezone.localtime(picture.adopted_at).strftime("%Y-%m-%d %H:%M")
    assert f"Version 1 · Antagen {adopted}" in text
    assert text.lower().count("antagen") == 1
