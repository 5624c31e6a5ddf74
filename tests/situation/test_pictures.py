"""Adopting a lägesbild: levels pre-filled, overrides with reasons, co-signing, a frozen
snapshot, corrections as versions; roles; PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.situation import queries, services
from samtrygg.situation.models import PictureStatus
from tests.situation.data import add_observations, busy_weeks, week_monday

pytestmark = pytest.mark.django_db
YEAR, WEEK = 2025, 20
PERIOD = Period.week(YEAR, WEEK)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _draft(orsa: Any, actor_of: Any) -> tuple[Any, Any]:
    busy_weeks(orsa, YEAR, WEEK)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    return actor, services.draft(actor, PERIOD)


def test_draft_prefills_levels_and_an_override_needs_a_reason(orsa: Any, actor_of: Any) -> None:
    actor, picture = _draft(orsa, actor_of)
    row = picture.levels.get()
    assert row.level == row.suggested_level == picture.snapshot["areas"][0]["suggested"]["level"]
    other = (row.suggested_level + 1) % 4
    with pytest.raises(DomainError) as err:
        services.set_level(actor, picture, row.area_name, level=other, reason="")
    assert err.value.field == "reason"
    services.set_level(actor, picture, row.area_name, level=other, reason="Polisens bedömning")
    row.refresh_from_db()
    assert row.level == other and row.overridden and row.reason == "Polisens bedömning"
    assert services.draft(actor, PERIOD) == picture  # one open draft per period


def test_adopted_picture_is_frozen_and_corrections_are_versions(orsa: Any, actor_of: Any) -> None:
    actor, picture = _draft(orsa, actor_of)
    with pytest.raises(DomainError):
        services.adopt(actor, picture)  # no assessment yet
    services.set_assessment(actor, picture, "Oroligt vid torget, lugnt i övrigt.")
    picture = services.adopt(actor, picture)
    assert picture.status == PictureStatus.ADOPTED
    frozen = dict(picture.snapshot)
    assert frozen["areas"][0]["count"] == 14
    assert "<svg" in frozen["map_svg"] and "<svg" in frozen["charts"]["areas"]["svg"]
    # Later data never change the adopted picture.
    add_observations(orsa, [week_monday(YEAR, WEEK)] * 5, seed=7)
    picture.refresh_from_db()
    assert picture.snapshot["areas"][0]["count"] == 14
    with pytest.raises(DomainError):
        services.set_assessment(actor, picture, "ändrad")
    with pytest.raises(DomainError):
        services.draft(actor, PERIOD)
    correction = services.start_correction(actor, picture, "Fem rapporter kom in sent.")
    assert correction.version == 2 and correction.supersedes == picture
    assert correction.snapshot["areas"][0]["count"] == 19
    services.adopt(actor, correction)
    picture.refresh_from_db()
    assert picture.status == PictureStatus.SUPERSEDED
    assert picture.snapshot["areas"][0]["count"] == 14


def test_cosigning_when_the_partnership_asks_for_it(orsa: Any, actor_of: Any) -> None:
    orsa.partnership.requires_police_cosign = True
    orsa.partnership.save()
    actor, picture = _draft(orsa, actor_of)
    services.set_assessment(actor, picture, "Bedömning")
    picture = services.adopt(actor, picture)
    assert picture.status == PictureStatus.AWAITING_COSIGN
    with pytest.raises(PermissionDenied):
        services.cosign(actor, picture)
    police = actor_of(orsa.user("kommunpolis"), orsa.partnership)
    picture = services.cosign(police, picture)
    assert picture.status == PictureStatus.ADOPTED and picture.cosigned_by == orsa.user(
        "kommunpolis"
    )


def test_styrgrupp_sees_adopted_pictures_only(orsa: Any, actor_of: Any, login: Any) -> None:
    actor, draft = _draft(orsa, actor_of)
    board = actor_of(orsa.user("styrgrupp"), orsa.partnership)
    assert list(queries.pictures(board)) == []
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    assert client.get(reverse("situation-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("situation-current")).status_code == 302
    assert client.get(reverse("situation-points")).status_code == 403
    services.set_assessment(actor, draft, "Bedömning")
    services.adopt(actor, draft)
    page = client.get(reverse("situation-detail", args=[draft.pk]))
    assert page.status_code == 200 and "Bedömning" in page.content.decode()
    assert (
        'id="levels-form"' in page.content.decode() and "save-levels" not in page.content.decode()
    )


def test_reporter_feedback_shows_only_own_organisation(
    orsa: Any, actor_of: Any, login: Any
) -> None:
    from samtrygg.actions import services as action_services

    mine = add_observations(
        orsa, [week_monday(YEAR, WEEK)], organisation=orsa.other_organisation, seed=4
    )
    theirs = add_observations(orsa, [week_monday(YEAR, WEEK)], seed=5)
    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    item = action_services.create_action(
        coordinator,
        action_services.ActionSpec(
            title="Klottersanering vid torget",
            type="fysisk_atgard",
            owner=orsa.organisation.pk,
            # relative to today: an end date years back is refused as a mistyped year
            start_date=str(dt.date.today() - dt.timedelta(days=7)),
            end_date=str(dt.date.today() + dt.timedelta(days=7)),
        ),
    )
    action_services.link_observations(coordinator, item, [mine[0].pk, theirs[0].pk])
    client = login(orsa.user("rapportor"), orsa.partnership)
    body = client.get(reverse("situation-feedback")).content.decode()
    assert "Klottersanering vid torget" in body
    assert body.count('<tr id="feedback-') == 1  # the one own report


def test_pdf_and_xlsx_of_the_adopted_picture(
    orsa: Any, actor_of: Any, login: Any, tmp_path: Any
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    actor, picture = _draft(orsa, actor_of)
    row = picture.levels.get()
    services.set_level(actor, picture, row.area_name, level=3, reason="Skjutning i området")
    services.set_assessment(actor, picture, "Allvarligt läge vid torget.")
    services.adopt(actor, picture)
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    response = client.get(reverse("situation-pdf", args=[picture.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert row.area_name in text and "Röd (allvarligt)" in text
    assert "Skjutning i området" in text, text
    assert "14 händelser" in text, text
    if shutil.which("pdftoppm"):
        from PIL import Image

        (tmp_path / "p.pdf").write_bytes(response.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(tmp_path / "p.pdf"),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        image = Image.open(tmp_path / "page.png").convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20) or []
        reddish = sum(n for n, (r, g, b) in colours if r > g + 40 and r > b + 40)
        assert reddish > 500  # the delområde drawn in the level's red on the first page
    xlsx = client.get(reverse("situation-xlsx", args=[picture.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [c.value for r in book["Delområden"].iter_rows() for c in r]
    assert row.area_name in values and 14 in values


def test_actions_in_the_period_show_their_status_in_words(
    orsa: Any, actor_of: Any, login: Any
) -> None:
    from samtrygg.actions.models import Action

    _actor, picture = _draft(orsa, actor_of)
    monday = week_monday(YEAR, WEEK).date()
    # Stored directly: the services refuse end dates years back as mistyped years, and this
    # picture's week is fixed in 2025.
    Action.objects.create(
        partnership=orsa.partnership,
        title="Vuxennärvaro vid torget",
        type="vuxennarvaro",
        owner=orsa.organisation,
        area=orsa.area,
        start_date=monday,
        end_date=monday + dt.timedelta(days=3),
        status="genomford",
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-detail", args=[picture.pk])).content.decode()
    assert "<td>Genomförd</td>" in page and "<td>genomford</td>" not in page
