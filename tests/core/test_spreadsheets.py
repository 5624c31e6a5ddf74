"""Every XLSX the product makes is written by `core.spreadsheets`: text that starts like a
formula (=, +, -, @, tab, CR) is stored as a text cell, never as a live formula."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samtrygg.core.spreadsheets import Spreadsheet, csv_text

FORMULA = '=HYPERLINK("http://example.org/x","Klicka")'


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text_cell(data: bytes, text: str) -> None:
    found = [cell for cell in _cells(data) if cell.value == text]
    assert found, f"{text!r} not in the workbook"
    for cell in found:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert not [cell for cell in _cells(data) if cell.data_type == "f"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_is_written_as_text(start: str) -> None:
    book = Spreadsheet()
    sheet = book.sheet("Blad")
    sheet.append(["rubrik"], bold=True)
    sheet.append([start + "1+1", 12, None, "vanlig text"])
    sheet_read = load_workbook(io.BytesIO(book.to_bytes())).worksheets[0]
    cell = sheet_read["A2"]
    # The standard library's XML parser reads a carriage return back as a line feed, lxml
    # (when installed) keeps it; the text is otherwise unchanged.
    assert cell.value in {start + "1+1", start.replace("\r", "\n") + "1+1"}
    assert cell.data_type == "s" and cell.quotePrefix
    by_value = {cell.value: cell for row in sheet_read.iter_rows() for cell in row}
    assert by_value[12].data_type == "n"
    assert not by_value["vanlig text"].quotePrefix
    assert csv_text(start + "1+1") == "'" + start + "1+1"


def test_control_characters_are_dropped_rather_than_failing_the_file() -> None:
    book = Spreadsheet()
    book.sheet("a/b:c*d?[e]" * 4).append(["före\x00\x07efter"])
    book_read = load_workbook(io.BytesIO(book.to_bytes()))
    assert book_read.worksheets[0]["A1"].value == "föreefter"
    assert len(book_read.sheetnames[0]) <= 31


@pytest.mark.django_db
def test_the_report_export_keeps_a_formula_as_text(orsa: Any, login: Any) -> None:
    from samtrygg.core.permissions import actor_for
    from samtrygg.observations import services
    from tests.observations.conftest import incident

    services.submit_report(
        actor_for(orsa.user("rapportor"), orsa.partnership), [incident(orsa, description=FORMULA)]
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    data = client.get(reverse("observation-export"), {"format": "xlsx"}).content
    _assert_text_cell(data, FORMULA)


@pytest.mark.django_db
def test_the_lagesbild_xlsx_keeps_an_assessment_formula_as_text(orsa: Any, actor_of: Any) -> None:
    from samtrygg.situation import documents
    from tests.situation.data import adopted_picture

    picture = adopted_picture(orsa, actor_of, 2025, 20, FORMULA)
    _assert_text_cell(documents.picture_xlsx(picture), FORMULA)


@pytest.mark.django_db
def test_the_minutes_xlsx_keeps_notes_and_decisions_as_text(orsa: Any, actor_of: Any) -> None:
    from samtrygg.actions import minutes, services

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    meeting = services.create_meeting(
        coordinator, held_on=dt.date.today(), title="+46 möte", location="@torget"
    )
    services.update_notes(coordinator, meeting, FORMULA)
    today = dt.date.today()
    services.add_decision(
        coordinator,
        meeting,
        text="-" + FORMULA,
        actions=[
            services.ActionSpec(
                title="=1+1",
                type="vuxennarvaro",
                owner=orsa.organisation.pk,
                start_date=today,
                end_date=today,
            )
        ],
    )
    data = minutes.minutes_xlsx(meeting)
    for text in (FORMULA, "-" + FORMULA, "+46 möte", "@torget", "=1+1"):
        _assert_text_cell(data, text)


@pytest.mark.django_db
def test_the_import_template_is_written_by_the_same_helper(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("import-template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Händelser", "Val", "Förklaring"]
    sheet = book["Händelser"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:2] == ["datum", "tid"]
    assert sheet.data_validations.dataValidation


def test_no_module_writes_an_xlsx_without_the_helper() -> None:
    from pathlib import Path

    import samtrygg

    root = Path(samtrygg.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheets.py"
        and ("Workbook(" in (text := path.read_text()) or "import Workbook" in text)
    ]
    assert offenders == []
