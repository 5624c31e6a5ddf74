"""The demo tells the story: co-signing is on, the last full week's lägesbild is adopted by
the samordnare and co-signed by the kommunpolis, and the lägesbild says where the shipped
police events and Brå figures end instead of an unexplained "Inga polishändelser"."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.demo import demo_loaders, load_demo
from samtrygg.observations.demo_data import load_demo_observations
from samtrygg.situation.demo_data import last_full_week, load_demo_picture
from samtrygg.situation.models import PictureStatus, SituationPicture
from samtrygg.sources.demo_data import load_sources_demo

pytestmark = pytest.mark.django_db


def test_the_demo_ships_an_adopted_co_signed_picture_of_the_last_full_week(
    client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.SAMTRYGG_DATA_DIR = tmp_path / "no-data"  # the shipped subset
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert demo_loaders()[-1] is load_demo_picture and load_sources_demo in demo_loaders()
    partnerships = load_demo()
    out = io.StringIO()
    load_demo_observations(partnerships, out)
    load_sources_demo(partnerships, out)
    load_demo_picture(partnerships, out)
    period = last_full_week()
    assert period.end <= dt.datetime.now(dt.UTC).timestamp()
    assert period.end > (dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).timestamp()
    for partnership in partnerships:
        partnership.refresh_from_db()
        assert partnership.requires_police_cosign
        picture = SituationPicture.objects.get(
            partnership=partnership, unit="week", period_index=period.index
        )
        assert picture.status == PictureStatus.ADOPTED and picture.requires_cosign
        assert picture.adopted_by.email.startswith("samordnare")
        assert picture.cosigned_by.email.startswith("kommunpolis")
        assert picture.assessment and picture.snapshot["areas"]
    load_demo_picture(load_demo(), out)  # again: nothing new
    assert SituationPicture.objects.count() == len(partnerships)
    assert "fanns redan" in out.getvalue()

    # The shipped police events end in December 2025: the picture says so, not "Inga
    # polishändelser"; the Brå figures are the latest year loaded.
    client.force_login(picture.adopted_by)
    session = client.session
    session["partnership_id"] = picture.partnership_id
    session.save()
    page = client.get(reverse("situation-detail", args=[picture.pk])).content.decode()
    from django.db.models import Max
    from django.utils import timezone

    from samtrygg.sources.models import PoliceEvent

    last = PoliceEvent.objects.filter(
        municipality_id=picture.partnership.municipality_id
    ).aggregate(m=Max("published"))["m"]
    assert last.year == 2025  # the shipped subset: Dalarna and Jönköping 2024–2025
    ends = timezone.localtime(last).date().isoformat()
    assert f"de inlästa polishändelserna för kommunen slutar {ends}." in page
    assert "Inga polishändelser i kommunen under perioden" not in page
    assert "2021 (det senaste år som finns inläst)" in page
    assert "kontrasignerad av" in page
