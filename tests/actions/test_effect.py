"""The effect of actions read from the reports: target, buffer and control; the rate ratio
and its words; displacement; the regression-to-the-mean warning; too little data; the pages
for each role and the group page with its refusals; the demo's two stories."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.actions import effect
from samtrygg.actions.effect import evaluate_actions, rate_ratio_text
from samtrygg.analysis import effect as stats
from tests.actions.conftest import make_action

pytestmark = pytest.mark.django_db

M_PER_DEG = 111_320.0


@pytest.fixture
def world(orsa: Any) -> dict[str, Any]:
    """The tenant's delområde (the target), a neighbour touching it to the north and a far
    delområde to the south (the control), and the default categories."""
    from samtrygg.core.demo import _hexagon
    from samtrygg.core.models import Area
    from samtrygg.observations.models import Category
    from samtrygg.observations.services import ensure_defaults

    ensure_defaults(orsa.partnership)
    lat, lon = 61.1205, 14.6160
    neighbour = Area.objects.create(
        partnership=orsa.partnership,
        name="Grannen",
        geometry=_hexagon(lat + 1035 / M_PER_DEG, lon, 600),
    )
    far = Area.objects.create(
        partnership=orsa.partnership,
        name="Långt bort",
        geometry=_hexagon(lat - 5000 / M_PER_DEG, lon, 600),
    )
    return {
        "target": orsa.area,
        "neighbour": neighbour,
        "far": far,
        "category": Category.objects.get(partnership=orsa.partnership, slug="skadegorelse"),
        "other_category": Category.objects.get(partnership=orsa.partnership, slug="evenemang"),
        "monday": _monday(),
    }


def _monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def add_reports(
    tenant: Any,
    category: Any,
    weekly: list[int],
    first_monday: dt.date,
    *,
    area: Any = None,
    lat: float = 61.1205,
    lon: float = 14.6160,
) -> None:
    """``weekly[i]`` reports in the week starting ``first_monday + i`` weeks (Wednesdays noon),
    in ``area`` at (lat, lon)."""
    from samtrygg.core.geo import h3_cell
    from samtrygg.observations.models import Observation, Report

    report = Report.objects.create(
        partnership=tenant.partnership, organisation=tenant.organisation, channel="formular"
    )
    rows = []
    cell = h3_cell(lat, lon)
    for week, n in enumerate(weekly):
        day = first_monday + dt.timedelta(weeks=week, days=2)
        when = dt.datetime.combine(day, dt.time(12), timezone.get_current_timezone())
        rows += [
            Observation(
                report=report,
                partnership=tenant.partnership,
                organisation=tenant.organisation,
                category=category,
                occurred_on=day,
                time_exact=True,
                occurred_at=when,
                occurred_start=when,
                occurred_end=when,
                lat=lat,
                lon=lon,
                area=area,
                h3_cell=cell,
                location_precision="punkt",
                description="Test",
                assessment=2,
                source="egen_iakttagelse",
            )
            for _ in range(n)
        ]
    Observation.objects.bulk_create(rows)


def _scene(orsa: Any, world: dict[str, Any], target: list[int], buffer: list[int]) -> Any:
    """12 weeks before the action (which started 12 weeks ago) and 12 after: the target and
    the neighbour as given, the far control steady at 50 a week."""
    start = world["monday"] - dt.timedelta(weeks=12)
    first = start - dt.timedelta(weeks=12)
    cat = world["category"]
    add_reports(orsa, cat, target, first, area=world["target"])
    add_reports(orsa, cat, buffer, first, area=world["neighbour"], lat=61.13)
    add_reports(orsa, cat, [50] * 24, first, area=world["far"], lat=61.07)
    # reports of a category vuxennärvaro does not measure are not counted
    add_reports(orsa, world["other_category"], [30] * 24, first, area=world["target"])
    return start


def test_an_action_in_a_delomrade_against_the_rest_of_the_kommun(
    orsa: Any, coordinator: Any, world: dict[str, Any]
) -> None:
    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 12 + [3] * 12)
    action = make_action(
        coordinator,
        orsa.organisation,
        area=world["target"].pk,
        start_date=start,
        end_date=start + dt.timedelta(weeks=4),
    )
    result = evaluate_actions(coordinator, [action])
    assert result.status == "ok"
    assert result.counts == {"target": (240, 120), "buffer": (72, 36), "control": (600, 600)}
    expected = stats.did(240, 120, 600, 600, weeks_before=12, weeks_after=12)
    assert result.did == expected and result.did.rate_ratio == pytest.approx(0.5)
    assert result.rr_text.startswith(
        f"Händelserna i {world['target'].name} minskade med 50 % (mellan"
    )
    assert result.rr_text.endswith("jämfört med övriga kommunen.")
    # the buffer is the neighbour; it halved too: WDQ (36/600 − 72/600)/(120/600 − 240/600)
    assert result.buffer_label == "grannområdena (Grannen)"
    assert result.wdq is not None and result.wdq.value == pytest.approx(0.3)
    assert result.wdq.kind == "diffusion" and "WDQ 0,30" in result.wdq_text
    assert result.its is not None and result.its.rate_ratio("level_change")[0] < 1
    assert result.rtm is None  # the reports do not reach 30 weeks back
    assert len(result.weeks) == 24 and sum(w["action"] for w in result.weeks) == 5
    assert "Samband, inte bevis på orsak" in result.caveat
    chart = result.chart
    assert chart["svg"].startswith("<svg") and len(chart["rows"]) == 24


def test_chosen_control_areas_and_categories(
    orsa: Any, coordinator: Any, world: dict[str, Any]
) -> None:
    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 24)
    action = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=start)
    result = evaluate_actions(
        coordinator,
        [action],
        control_areas=[world["far"].pk],
        categories=[world["other_category"].pk],
    )
    assert result.control_label == "de valda delområdena (Långt bort)"
    assert result.categories_text == world["other_category"].name
    # only the other category counts now: flat 30 a week in the target, none in the control
    assert result.counts["target"] == (360, 360) and result.counts["control"] == (0, 0)
    assert result.status == "too_little"


@pytest.mark.parametrize(
    ("target", "reason"),
    [([0] * 10 + [4, 5] + [10] * 12, "fewer than 10 before"), ([20] * 12 + [0] * 12, "0 after")],
)
def test_too_little_data_says_so(
    orsa: Any, coordinator: Any, world: dict[str, Any], target: list[int], reason: str
) -> None:
    start = _scene(orsa, world, target, [6] * 24)
    action = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=start)
    result = evaluate_actions(coordinator, [action])
    assert result.status == "too_little", reason
    assert result.status_text.startswith("För lite data för att säga något")
    assert result.did is None and not result.rr_text


def test_not_started_and_nowhere(orsa: Any, coordinator: Any, world: dict[str, Any]) -> None:
    fresh = make_action(coordinator, orsa.organisation, area=world["target"].pk)
    assert evaluate_actions(coordinator, [fresh]).status == "not_started"
    nowhere = make_action(coordinator, orsa.organisation)
    result = evaluate_actions(coordinator, [nowhere])
    assert result.status == "no_target" and "varken delområde eller plats" in result.status_text
    assert evaluate_actions(coordinator, []).status == "no_target"


def test_a_place_with_a_radius_and_its_ring(
    orsa: Any, coordinator: Any, world: dict[str, Any]
) -> None:
    place = orsa.place
    start = world["monday"] - dt.timedelta(weeks=12)
    first = start - dt.timedelta(weeks=12)
    cat = world["category"]
    add_reports(orsa, cat, [15] * 12 + [5] * 12, first, lat=place.lat, lon=place.lon)
    # 500 m north: outside 300 m, inside the rings 1–2 around the place's cells
    ring_lat = place.lat + 500 / M_PER_DEG
    add_reports(orsa, cat, [4] * 12 + [8] * 12, first, lat=ring_lat, lon=place.lon)
    add_reports(orsa, cat, [40] * 24, first, area=world["far"], lat=61.07)
    action = make_action(coordinator, orsa.organisation, place=place.pk, start_date=start)
    result = evaluate_actions(coordinator, [action])
    assert result.target_label == f"{place.name} (300 m runt)"
    assert result.counts == {"target": (180, 60), "buffer": (48, 96), "control": (480, 480)}
    assert result.wdq is not None and result.wdq.kind == "displacement"
    assert "kan ha flyttat" in result.wdq_text
    # a radius of 1 km takes the ring's reports into the target
    wide = evaluate_actions(coordinator, [action], radius_m=1000)
    assert wide.counts["target"] == (228, 156)


def test_the_regression_to_the_mean_warning(
    orsa: Any, coordinator: Any, world: dict[str, Any]
) -> None:
    cat = world["category"]
    start = world["monday"] - dt.timedelta(weeks=6)
    first = start - dt.timedelta(weeks=30)
    add_reports(orsa, cat, [3] * 26 + [12] * 4 + [3] * 6, first, area=world["target"])
    add_reports(orsa, cat, [40] * 36, first, area=world["far"], lat=61.07)
    action = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=start)
    result = evaluate_actions(coordinator, [action])
    assert result.rtm is not None and result.rtm.flag
    assert result.rtm.recent_mean == 12 and result.rtm.baseline_mean == 3
    assert result.rtm_text.startswith("Varning: insatsen startade efter en topp.")
    assert result.status == "ok" and result.did is not None and result.did.rate_ratio < 1
    # the same fall after a long steady level carries no warning
    other = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=first)
    assert not evaluate_actions(coordinator, [other]).rtm_text


def test_a_group_pools_actions_each_at_its_own_start(
    orsa: Any, coordinator: Any, world: dict[str, Any]
) -> None:
    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 24)
    one = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=start)
    two = make_action(
        coordinator,
        orsa.organisation,
        area=world["target"].pk,
        start_date=start + dt.timedelta(weeks=2),
    )
    result = evaluate_actions(coordinator, [one, two], title="Vuxennärvaro")
    assert result.status == "ok" and result.title == "Vuxennärvaro"
    # the second action's 12 weeks before hold 10 of 20 and 2 of 10; its 10 weeks after: 10s
    assert result.counts["target"] == (240 + 220, 120 + 100)
    assert result.weeks_before == 24 and result.weeks_after == 22
    assert result.weeks[0]["label"] == "vecka -12" and result.weeks[12]["label"] == "startveckan"


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        ((100, 70, 1000, 1000), "minskade med 30 % (mellan 4 och 49 %) jämfört med X."),
        ((100, 150, 1000, 1000), "ökade med 50 % (mellan 15 och 96 %) jämfört med X."),
        ((100, 90, 1000, 1000), "minskade med 10 % jämfört med X, men intervallet går från"),
        ((100, 110, 1000, 1000), "ökade med 10 % jämfört med X, men intervallet"),
        ((100, 100, 1000, 1000), "förändrades lika mycket som X."),
    ],
)
def test_the_words_of_the_rate_ratio(counts: tuple[int, ...], text: str) -> None:
    did = stats.did(*counts, weeks_before=12, weeks_after=12)
    assert text in rate_ratio_text(did, "Händelserna", "X")


def test_categories_follow_the_partnerships_mapping(orsa: Any, world: dict[str, Any]) -> None:
    from samtrygg.actions.models import EffectCategories
    from samtrygg.observations.models import Category

    slugs = set(
        Category.objects.filter(
            pk__in=effect.categories_for(orsa.partnership, "trafikinsats")
        ).values_list("slug", flat=True)
    )
    assert slugs == {"buskorning-trafik"}
    everything = effect.categories_for(orsa.partnership, "informationsinsats")
    assert len(everything) == Category.objects.filter(partnership=orsa.partnership).count()
    own = EffectCategories.objects.create(partnership=orsa.partnership, action_type="trafikinsats")
    own.categories.set([world["category"]])
    assert effect.categories_for(orsa.partnership, "trafikinsats") == [world["category"].pk]


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "rapportor"])
def test_the_action_page_shows_the_block(
    orsa: Any, coordinator: Any, world: dict[str, Any], login: Any, role: str
) -> None:
    from samtrygg.core.models import Membership

    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 24)
    user = orsa.user(role)
    owner = Membership.objects.filter(user=user, partnership=orsa.partnership).first().organisation
    action = make_action(coordinator, owner, area=world["target"].pk, start_date=start)
    page = login(user, orsa.partnership).get(reverse("action-detail", args=[action.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fungerade det?" in html and "minskade med 50 %" in html and "<svg" in html
    assert "Samband, inte bevis på orsak" in html and 'id="effect-group-link"' in html


def test_the_group_page(orsa: Any, coordinator: Any, world: dict[str, Any], login: Any) -> None:
    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 24)
    action = make_action(coordinator, orsa.organisation, area=world["target"].pk, start_date=start)
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("action-effect")
    assert "Välj en insatstyp" in client.get(url).content.decode()
    page = client.get(effect.group_url(action))
    html = page.content.decode()
    assert page.status_code == 200 and action.title in html and "minskade med 50 %" in html
    empty = client.get(url, {"type": "trafikinsats"})
    assert empty.status_code == 200 and "Inga insatser av den typen" in empty.content.decode()
    for params, error in (
        ({"type": "nonsense"}, "Okänd insatstyp."),
        ({"type": "vuxennarvaro", "weeks_before": "x"}, "Ange ett antal veckor, 4–52."),
        ({"type": "vuxennarvaro", "weeks_after": "99"}, "Ange ett antal veckor, 2–52."),
        ({"type": "vuxennarvaro", "area": "999999"}, "Okänt delområde."),
        ({"type": "vuxennarvaro", "start": "2026-13-01"}, "Skriv datumet som ÅÅÅÅ-MM-DD."),
        (
            {"type": "vuxennarvaro", "start": "2026-05-01", "end": "2026-04-01"},
            "Slutdatumet kommer före startdatumet.",
        ),
        ({"type": "vuxennarvaro", "categories": "abc"}, "Okänd kategori."),
        ({"type": "vuxennarvaro", "radius": "5"}, "Ange en radie i meter, 50–2000."),
    ):
        refused = client.get(url, params)
        assert refused.status_code == 400, params
        assert error in refused.content.decode(), params


def test_the_demo_has_an_area_that_calmed_down_and_an_action_after_a_peak(
    db: Any, actor_of: Any
) -> None:
    from samtrygg.actions.demo_data import load_demo_effect
    from samtrygg.actions.models import Action
    from samtrygg.core.demo import load_demo
    from samtrygg.observations.demo_data import load_demo_observations
    from samtrygg.observations.models import Observation

    partnerships = load_demo()
    out = io.StringIO()
    # whichever runs first, the year of demo reports is there, once
    load_demo_effect(partnerships, out)
    load_demo_observations(partnerships, out)
    orsa = partnerships[0]
    assert Observation.objects.filter(partnership=orsa, area__name="Centrum").count() > 500
    actor = actor_of(orsa.memberships.get(role="samordnare").user, orsa)
    calm = Action.objects.get(partnership=orsa, area__name="Norra Orsa", is_demo=True)
    peak = Action.objects.get(partnership=orsa, area__name="Hansjö", is_demo=True)
    calmed = evaluate_actions(actor, [calm])
    assert calmed.status == "ok" and calmed.did is not None and calmed.did.ci_high < 1
    assert not calmed.rtm_text and calmed.rtm is not None
    assert calmed.wdq is not None and calmed.wdq.kind in ("diffusion", "diffusion_exceeds")
    peaked = evaluate_actions(actor, [peak])
    assert peaked.rtm is not None and peaked.rtm.flag and peaked.rtm_text
    before = Action.objects.count()
    load_demo_effect(partnerships, out)  # idempotent
    assert Action.objects.count() == before


def test_the_partnership_chooses_the_categories_of_a_type(
    orsa: Any, coordinator: Any, world: dict[str, Any], login: Any
) -> None:
    from samtrygg.actions import services
    from samtrygg.actions.models import EffectCategories
    from samtrygg.core.errors import DomainError, PermissionDenied
    from samtrygg.core.models import AuditEntry

    cat = world["category"]
    entries = AuditEntry.objects.count()
    services.set_effect_categories(coordinator, "trafikinsats", [cat.pk])
    assert effect.categories_for(orsa.partnership, "trafikinsats") == [cat.pk]
    assert AuditEntry.objects.count() >= entries + 2  # created, and its categories
    with pytest.raises(DomainError, match="Okänd kategori"):
        services.set_effect_categories(coordinator, "trafikinsats", [999_999])
    with pytest.raises(DomainError, match="Okänd insatstyp"):
        services.set_effect_categories(coordinator, "nonsense", [cat.pk])
    assert effect.categories_for(orsa.partnership, "trafikinsats") == [cat.pk]
    services.set_effect_categories(coordinator, "trafikinsats", [])
    assert not EffectCategories.objects.filter(partnership=orsa.partnership).exists()
    analyst = orsa.user("analytiker")
    from samtrygg.core.permissions import actor_for

    with pytest.raises(PermissionDenied):
        services.set_effect_categories(actor_for(analyst, orsa.partnership), "tillsyn", [])

    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("action-effect") + "?type=trafikinsats"
    saved = client.post(url, {"type": "trafikinsats", "categories": [cat.pk]})
    assert saved.status_code == 302 and saved["Location"].endswith("?type=trafikinsats")
    assert effect.categories_for(orsa.partnership, "trafikinsats") == [cat.pk]
    refused = client.post(url, {"type": "trafikinsats", "categories": ["x"]})
    assert refused.status_code == 400 and "Okänd kategori" in refused.content.decode()
    other = login(orsa.user("analytiker"), orsa.partnership)
    assert other.post(url, {"type": "trafikinsats"}).status_code == 404


def test_the_meeting_follows_up_with_the_effect_and_its_minutes_print_it(
    orsa: Any, coordinator: Any, world: dict[str, Any], login: Any
) -> None:
    import pypdf

    from samtrygg.actions import minutes, services
    from samtrygg.actions.models import ActionStatus

    start = _scene(orsa, world, [20] * 12 + [10] * 12, [6] * 24)
    action = make_action(
        coordinator,
        orsa.organisation,
        area=world["target"].pk,
        start_date=start,
        end_date=world["monday"] - dt.timedelta(days=3),
        title="Vuxennärvaro som följs upp",
    )
    services.record_progress(coordinator, action, status=ActionStatus.GENOMFORD, done_count=3)
    meeting = services.create_meeting(coordinator, held_on=timezone.localdate())
    page = login(orsa.user("samordnare"), orsa.partnership).get(
        reverse("meeting-detail", args=[meeting.pk])
    )
    html = page.content.decode()
    assert 'id="follow-up-effects"' in html and "Vuxennärvaro som följs upp" in html
    assert "minskade med 50 %" in html
    pdf = minutes.minutes_pdf(coordinator, meeting)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Fungerade det?" in text and "minskade med 50" in " ".join(text.split())
    assert "Samband, inte bevis" in " ".join(text.split())
