"""Malformed uploads and bodies are refused with a clear Swedish message, never a server error:
GeoJSON area files of the wrong shape, absurd populations, deeply nested JSON, damaged XLSX,
API bodies over the documented limit (413) and multipart bodies without a boundary (400)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from samtrygg.core.errors import DomainError
from samtrygg.core.models import Area

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/2034"
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.71, 61.15], [14.71, 61.155], [14.70, 61.155], [14.70, 61.15]]
    ],
}
DEEP = "[" * 5000 + "]" * 5000


def _areas(tenant: Any) -> list[tuple[str, Any]]:
    return sorted(
        Area.objects.filter(partnership=tenant.partnership).values_list("name", "population")
    )


def _collection(**feature: Any) -> str:
    base = {"type": "Feature", "properties": {"name": "Torget"}, "geometry": SQUARE}
    return json.dumps({"type": "FeatureCollection", "features": [{**base, **feature}]})


BAD_COLLECTIONS = {
    "features an object": json.dumps({"type": "FeatureCollection", "features": {"a": 1}}),
    "features a string": json.dumps({"type": "FeatureCollection", "features": "Torget"}),
    "features nested lists": json.dumps({"type": "FeatureCollection", "features": [[[1, 2]]]}),
    "feature a string": json.dumps({"type": "FeatureCollection", "features": ["Torget"]}),
    "properties a list": _collection(properties=["Torget"]),
    "geometry a list": _collection(geometry=[[14.7, 61.15]]),
    "population text": _collection(properties={"name": "Torget", "population": "många"}),
    "population 1e400": _collection(properties={"name": "Torget", "population": 1e400}),
    "population a list": _collection(properties={"name": "Torget", "population": [1, 2]}),
    "population negative": _collection(properties={"name": "Torget", "population": -5}),
    "population 2^63": _collection(properties={"name": "Torget", "population": 2**63}),
    "population 1.5": _collection(properties={"name": "Torget", "population": 1.5}),
    "nested 5000 deep": '{"type": "FeatureCollection", "features": ' + DEEP + "}",
    "coordinates nested 5000 deep": _collection(
        geometry={"type": "Polygon", "coordinates": "X"}
    ).replace('"X"', DEEP),
    "bare nesting": DEEP,
}


@pytest.mark.parametrize("name", list(BAD_COLLECTIONS))
def test_a_malformed_area_file_is_refused_on_the_page(orsa: Any, login: Any, name: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    before = _areas(orsa)
    upload = SimpleUploadedFile("omraden.geojson", BAD_COLLECTIONS[name].encode())
    response = client.post(reverse("area-list"), {"geojson": upload})
    assert response.status_code in (200, 400)
    assert "Inget har sparats" in response.content.decode() or "GeoJSON" in (
        response.content.decode()
    )
    assert _areas(orsa) == before


@pytest.mark.parametrize("name", list(BAD_COLLECTIONS))
def test_a_malformed_area_file_exits_2_from_the_command_line(
    orsa: Any, tmp_path: Any, name: str
) -> None:
    path = tmp_path / "omraden.geojson"
    path.write_text(BAD_COLLECTIONS[name])
    before = _areas(orsa)
    with pytest.raises(CommandError) as refused:
        call_command("import", "areas", str(path), "--partnership", "2034")
    assert refused.value.returncode == 2
    assert any(ch in str(refused.value) for ch in "åäö") or "GeoJSON" in str(refused.value)
    assert _areas(orsa) == before


def test_an_area_file_in_another_encoding_exits_2(orsa: Any, tmp_path: Any) -> None:
    path = tmp_path / "omraden.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": [\xff\xfe]}')
    with pytest.raises(CommandError) as refused:
        call_command("import", "areas", str(path), "--partnership", "2034")
    assert refused.value.returncode == 2


def test_a_good_population_is_kept(orsa: Any, actor_of: Any) -> None:
    from samtrygg.core import services

    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    text = _collection(properties={"name": "Torget", "population": "1 250"})
    (area,) = services.import_areas(actor, text)
    assert area.population == 1250


@pytest.mark.parametrize("population", [-1, 2**63, 10_000_001])
def test_an_absurd_population_through_the_api_is_refused(
    orsa: Any, login: Any, population: int
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    before = _areas(orsa)
    body = {"name": "Nytt", "geometry": SQUARE, "population": population}
    response = client.post(f"{BASE}/areas", body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert _areas(orsa) == before


@pytest.mark.parametrize("population", ["-1", "9223372036854775808", "många"])
def test_an_absurd_population_on_the_page_is_refused(
    orsa: Any, login: Any, population: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    before = _areas(orsa)
    body = {"name": "Nytt", "geometry": json.dumps(SQUARE), "population": population}
    response = client.post(reverse("area-list"), body)
    assert response.status_code in (200, 400)
    assert "Folkmängden" in response.content.decode()
    assert _areas(orsa) == before


def test_json_nested_5000_deep_in_an_api_body_is_refused(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    body = '{"name": "Nytt", "geometry": ' + DEEP + "}"
    response = client.post(f"{BASE}/areas", body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]


# --- XLSX with damaged sheet XML -------------------------------------------------------------


def _damaged_xlsx() -> bytes:
    from openpyxl import Workbook

    from samtrygg.observations.importing import template_csv

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Händelser"
    sheet.append(template_csv().decode("utf-8-sig").strip().split(","))
    sheet.append(["2025-11-20", "22:00"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<c r=<<not xml"
            target.writestr(item, data)
    return out.getvalue()


def test_a_damaged_xlsx_is_refused_on_the_import_page(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    upload = SimpleUploadedFile("logg.xlsx", _damaged_xlsx())
    response = client.post(reverse("observation-import"), {"file": upload})
    assert response.status_code == 400
    assert "kan inte läsas som Excel-fil" in response.content.decode()


def test_a_damaged_xlsx_is_refused_by_the_api(orsa: Any, login: Any) -> None:
    import base64

    client = login(orsa.user("rapportor"), orsa.partnership)
    body = {"filename": "logg.xlsx", "content_base64": base64.b64encode(_damaged_xlsx()).decode()}
    response = client.post(f"{BASE}/observation-imports", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "kan inte läsas som Excel-fil" in response.json()["detail"]


def test_a_damaged_xlsx_is_a_domain_error_for_every_reader() -> None:
    from samtrygg.observations import importing

    with pytest.raises(DomainError):
        importing.read_file(_damaged_xlsx(), "logg.xlsx")
    with pytest.raises(DomainError):
        importing.read_file(b"PK\x03\x04 not a zip at all", "logg.xlsx")


# --- Body size and multipart boundaries ------------------------------------------------------


def test_an_api_body_over_the_limit_is_413_in_swedish(orsa: Any, login: Any, settings: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    content = "datum,tid\n" + "2025-11-20,22:00\n" * 160_000  # about 2.7 MB
    body = json.dumps({"filename": "logg.csv", "content": content})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(f"{BASE}/observation-imports", body, content_type="application/json")
    assert response.status_code == 413
    assert "högst 2,5 MB" in response.json()["detail"]
    assert response["Cache-Control"] == "no-store"


def test_the_body_limit_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    assert "2,5 MB" in docs and "413" in docs


def _write_operations() -> list[tuple[str, str]]:
    from samtrygg.api.urls import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in ("post", "put", "patch", "delete"):
                concrete = path.replace("{code}", "2034").replace("{pk}", "1")
                operations.append((method.upper(), concrete))
    return operations


def test_multipart_without_a_boundary_is_400_on_every_api_write(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    operations = _write_operations()
    assert len(operations) >= 13
    for method, path in operations:
        response = client.generic(method, path, b"--x\r\n", content_type="multipart/form-data")
        assert response.status_code == 400, (method, path, response.status_code)
        assert "boundary" in response.json()["detail"]


@pytest.mark.parametrize(
    "name", ["report-create", "observation-import", "area-list", "category-list", "login"]
)
def test_multipart_without_a_boundary_is_400_on_pages(orsa: Any, login: Any, name: str) -> None:
    from django.test import Client

    client = login(orsa.user("samordnare"), orsa.partnership)
    for each in (client, Client(enforce_csrf_checks=True)):
        for content_type in ("multipart/form-data", 'multipart/form-data; boundary=""'):
            response = each.generic("POST", reverse(name), b"--x\r\n", content_type=content_type)
            assert response.status_code == 400, (name, content_type, response.status_code)
