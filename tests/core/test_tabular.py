"""The one CSV/XLSX reading helper: encodings, delimiters and errors, and XLSX files that
would unpack to far more than they weigh (decompression bombs) refused before parsing."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from samtrygg.core import tabular
from samtrygg.core.errors import DomainError

MB = 1024 * 1024


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(unpacked: int = 300 * MB) -> bytes:
    """A real workbook whose first sheet is `unpacked` bytes of XML (mostly blanks)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["datum"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
                continue
            head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            tail = b"<sheetData/></worksheet>"
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
                handle.write(head)
                chunk = b" " * MB
                written = len(head) + len(tail)
                while written + len(chunk) <= unpacked:
                    handle.write(chunk)
                    written += len(chunk)
                handle.write(b" " * (unpacked - written))
                handle.write(tail)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb()


def test_a_decompression_bomb_is_refused_before_parsing(bomb: bytes, monkeypatch: Any) -> None:
    import openpyxl

    assert len(bomb) < 0.5 * MB  # about 0.3 MB on disk, 300 MB unpacked

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(DomainError) as refused:
        list(tabular.table_rows(bomb, "logg.xlsx"))
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "packas upp till 300 MB" in refused.value.message
    assert seconds < 1.0
    assert peak < 5 * MB, f"{peak / MB:.1f} MB"


def test_the_bomb_is_refused_by_the_import_service_and_page(bomb: bytes) -> None:
    from samtrygg.observations import importing

    with pytest.raises(DomainError, match="packas upp"):
        importing.read_file(bomb, "logg.xlsx")


def test_a_workbook_of_normal_size_is_read() -> None:
    rows = list(tabular.table_rows(_xlsx([["a", "b"], [1, "x"]]), "logg.xlsx"))
    assert rows == [(1, ["a", "b"]), (2, [1, "x"])]


@pytest.mark.parametrize(
    "data",
    [
        "kod;namn;antal\n0180;Stockholm;12\n".encode("utf-8-sig"),
        b"kod,namn,antal\n0180,Stockholm,12\n",
        "kod\tnamn\tantal\n0180\tStockholm\t12\n".encode("cp1252"),
    ],
)
def test_one_policy_for_delimiters_and_encodings(data: bytes) -> None:
    header, records = tabular.csv_records(data)
    assert header == ["kod", "namn", "antal"]
    assert list(records) == [(2, {"kod": "0180", "namn": "Stockholm", "antal": "12"})]


def test_windows_1252_is_read_when_the_file_is_not_utf8() -> None:
    rows = list(tabular.csv_rows("namn;ort\nÅsa;Örebro\n".encode("cp1252")))
    assert rows[1] == (2, ["Åsa", "Örebro"])
    # A byte Windows-1252 does not define is replaced, never a crash.
    assert list(tabular.csv_rows(b"a;b\n\x81;x\n"))[1][1][1] == "x"


def test_broken_csv_is_a_swedish_domain_error() -> None:
    import csv

    limit = csv.field_size_limit()
    data = b'a;b\n"' + b"x" * (limit + 10) + b'";1\n'
    with pytest.raises(DomainError, match="kan inte läsas som CSV"):
        list(tabular.csv_rows(data))


def test_every_csv_reader_uses_the_helper() -> None:
    from pathlib import Path

    import samtrygg

    root = Path(samtrygg.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "tabular.py"
        and any(
            call in path.read_text()
            for call in ("csv.reader(", "csv.DictReader(", "load_workbook(")
        )
    ]
    assert offenders == []
