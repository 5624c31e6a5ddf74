"""The write path of EST reports: defaults, filing, validation, editing, categories,
the police type mapping, time bands, review, and merge with undo (audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.models import AuditEntry, Partnership
from samtrygg.observations import queries, services
from samtrygg.observations.models import (
    Category,
    Observation,
    PoliceTypeMapping,
    Report,
    ReportingSettings,
)
from samtrygg.observations.vocabulary import DEFAULT_CATEGORIES, POLICE_TYPES
from tests.observations.conftest import actor, file_report, incident, yesterday

pytestmark = pytest.mark.django_db


def test_every_partnership_gets_the_default_vocabulary(orsa: Any) -> None:
    partnership = orsa.partnership
    assert ReportingSettings.objects.filter(partnership=partnership).exists()
    slugs = set(Category.objects.filter(partnership=partnership).values_list("slug", flat=True))
    assert slugs == {slug for slug, _name in DEFAULT_CATEGORIES}
    assert len(POLICE_TYPES) == 95
    mapping = queries.police_type_categories(partnership)
    assert set(mapping) == set(POLICE_TYPES)
    assert mapping["Skadegörelse"] == "Skadegörelse"
    assert mapping["Narkotikabrott"] == "Misstänkt narkotikahantering"
    assert mapping["Sammanfattning natt"] is None
    assert [b.key for b in queries.time_bands(partnership)] == ["morgon", "dag", "kvall", "natt"]
    # Idempotent: once done, nothing more is created.
    services.ensure_defaults(partnership)
    assert PoliceTypeMapping.objects.filter(partnership=partnership).count() == 95


def test_new_police_types_are_kept_unmapped_and_listed(orsa: Any, gislaved: Any) -> None:
    created = services.note_police_types(None, {"Brand", "Drönarlarm", " "})
    assert created == 2  # one new type in each partnership; known types are not duplicated
    mapping = queries.police_type_categories(orsa.partnership)
    assert mapping["Drönarlarm"] is None
    row = PoliceTypeMapping.objects.get(partnership=orsa.partnership, police_type="Drönarlarm")
    assert row.needs_review
    samordnare = actor(orsa.user("samordnare"), orsa)
    assert row in queries.unmapped_police_types(samordnare)
    assert services.note_police_types(orsa.partnership, {"Drönarlarm"}) == 0
    klotter = Category.objects.get(partnership=orsa.partnership, slug="klotter")
    services.set_police_type_category(samordnare, row, klotter)
    row.refresh_from_db()
    assert not row.needs_review
    assert queries.police_type_categories(orsa.partnership)["Drönarlarm"] == "Klotter"
    assert AuditEntry.objects.filter(
        model="observations.PoliceTypeMapping", action="update"
    ).exists()


def test_mapping_edits_need_a_configuring_role(orsa: Any, gislaved: Any) -> None:
    mapping = PoliceTypeMapping.objects.filter(partnership=orsa.partnership).first()
    assert mapping is not None
    with pytest.raises(PermissionDenied):
        services.set_police_type_category(actor(orsa.user("rapportor"), orsa), mapping, None)
    other = Category.objects.filter(partnership=gislaved.partnership).first()
    with pytest.raises(NotFound):
        services.set_police_type_category(actor(orsa.user("samordnare"), orsa), mapping, other)


def test_a_report_with_two_incidents_is_placed_and_timed(orsa: Any) -> None:
    day = yesterday()
    result = file_report(
        orsa,
        "rapportor",
        incident(orsa),
        incident(
            orsa,
            category="Skadegörelse",
            place=None,
            lat="61,1206",
            lon=14.6162,
            time="23:40",
            time_band="",
            description="Krossad ruta i entrén.",
            assessment="3",
            people_count="4",
            source="Boende",
            police_reported="ja",
        ),
    )
    assert result.created
    first, second = result.observations
    assert first.report == second.report == result.report
    assert result.report.organisation == orsa.other_organisation
    assert result.report.reporter == orsa.user("rapportor")
    # A named place: its point, delområde and cell.
    assert first.location_precision == "plats"
    assert (first.lat, first.lon, first.area, first.h3_cell) == (
        orsa.place.lat,
        orsa.place.lon,
        orsa.area,
        orsa.place.h3_cell,
    )
    # A time band: the window on that date, the middle as the instant.
    start = dt.datetime.combine(day, dt.time(17), tzinfo=timezone.get_current_timezone())
    assert first.occurred_start == start
    assert first.occurred_end == start + dt.timedelta(hours=5)
    assert first.occurred_at == start + dt.timedelta(hours=2, minutes=30)
    assert not first.time_exact
    # A point on the map with an exact time: its band is derived (natt).
    assert second.location_precision == "punkt"
    assert second.area == orsa.area and second.place is None
    assert second.h3_cell != 0
    assert second.time_exact and second.time_band == "natt"
    assert timezone.localtime(second.occurred_at).time() == dt.time(23, 40)
    assert (second.assessment, second.people_count, second.source) == (3, 4, "boende")
    assert second.police_reported
    # Audited: the report and each incident.
    labels = set(AuditEntry.objects.filter(action="create").values_list("model", flat=True))
    assert {"observations.Report", "observations.Observation"} <= labels


def test_the_night_band_runs_past_midnight(orsa: Any) -> None:
    result = file_report(orsa, "rapportor", incident(orsa, time_band="Natt"))
    obs = result.observations[0]
    start = timezone.localtime(obs.occurred_start)
    end = timezone.localtime(obs.occurred_end)
    assert (start.date(), start.hour) == (yesterday(), 22)
    assert (end.date(), end.hour) == (yesterday() + dt.timedelta(days=1), 6)


def test_every_invalid_field_is_named_in_swedish(orsa: Any) -> None:
    bad = incident(
        orsa,
        category="Okänd kategori",
        occurred_on=(timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        time_band="",
        place=None,
        description="",
        assessment=7,
        people_count="många",
        source="rykten",
        police_reported="kanske",
    )
    with pytest.raises(services.InvalidReport) as refused:
        file_report(orsa, "rapportor", bad)
    errors = refused.value.field_errors()
    assert {field for _i, field in errors} == {
        "category",
        "occurred_on",
        "location",
        "description",
        "assessment",
        "people_count",
        "source",
        "police_reported",
    }
    message = refused.value.message
    for phrase in (
        "Okänd kategori",
        "framtiden",
        "Välj en plats",
        "Beskriv kort",
        "mellan 1 och 4",
        "heltal",
        "Okänd källa",
        "ja eller nej",
    ):
        assert phrase in message
    assert not Report.objects.exists() and not Observation.objects.exists()


def test_time_must_be_given_and_agree_with_the_band(orsa: Any) -> None:
    with pytest.raises(services.InvalidReport, match="klockslag eller välj ett tidsband"):
        file_report(orsa, "rapportor", incident(orsa, time_band=""))
    with pytest.raises(services.InvalidReport, match="inte i tidsbandet Morgon"):
        file_report(orsa, "rapportor", incident(orsa, time="23:00", time_band="morgon"))
    with pytest.raises(services.InvalidReport, match="kan inte läsas"):
        file_report(orsa, "rapportor", incident(orsa, time="25:99", time_band=""))


def test_a_point_far_outside_the_kommun_is_refused(orsa: Any) -> None:
    with pytest.raises(services.InvalidReport, match="utanför Orsa kommun"):
        file_report(orsa, "rapportor", incident(orsa, place=None, lat=59.33, lon=18.06))


def test_a_second_incident_error_says_which(orsa: Any) -> None:
    with pytest.raises(services.InvalidReport) as refused:
        file_report(orsa, "rapportor", incident(orsa), incident(orsa, description=""))
    assert refused.value.message.startswith("Händelse 2:")
    assert refused.value.field == "incidents[1].description"
    assert not Observation.objects.exists()


def test_the_same_client_uuid_stores_one_report(orsa: Any) -> None:
    key = uuid.uuid4()
    first = file_report(orsa, "rapportor", incident(orsa), client_uuid=key)
    again = file_report(orsa, "rapportor", incident(orsa), incident(orsa), client_uuid=str(key))
    assert first.created and not again.created
    assert again.report.pk == first.report.pk
    assert Report.objects.count() == 1 and Observation.objects.count() == 1
    # Someone else cannot claim (or read) it with the same id.
    with pytest.raises(DomainError, match="samma id"):
        file_report(orsa, "samordnare", incident(orsa), client_uuid=key)


def test_reporters_file_for_their_own_organisation_only(orsa: Any) -> None:
    with pytest.raises(PermissionDenied):
        file_report(orsa, "rapportor", incident(orsa), organisation=orsa.organisation.pk)
    result = file_report(orsa, "samordnare", incident(orsa), organisation=orsa.other_organisation)
    assert result.report.organisation == orsa.other_organisation
    for role in ("analytiker", "styrgrupp"):
        with pytest.raises(PermissionDenied):
            file_report(orsa, role, incident(orsa))


def test_update_is_validated_and_audited(orsa: Any, second_reporter: Any) -> None:
    obs = file_report(orsa, "rapportor", incident(orsa)).observations[0]
    rapportor = actor(orsa.user("rapportor"), orsa)
    services.update_observation(rapportor, obs, incident(orsa, assessment=4, time_band="dag"))
    obs.refresh_from_db()
    assert (obs.assessment, obs.time_band) == (4, "dag")
    entry = AuditEntry.objects.filter(model="observations.Observation", action="update").get()
    assert entry.changes["changed"]["assessment"] == [2, 4]
    with pytest.raises(services.InvalidIncident):
        services.update_observation(rapportor, obs, incident(orsa, assessment=0))
    with pytest.raises(PermissionDenied):
        services.update_observation(actor(second_reporter, orsa), obs, incident(orsa))
    services.update_observation(actor(orsa.user("kommunpolis"), orsa), obs, incident(orsa))


def test_categories_are_added_renamed_retired_and_never_deleted_in_use(orsa: Any) -> None:
    samordnare = actor(orsa.user("samordnare"), orsa)
    category = services.create_category(samordnare, name="  Fyrverkerier  ")
    assert (category.name, category.slug) == ("Fyrverkerier", "fyrverkerier")
    with pytest.raises(DomainError, match="finns redan"):
        services.create_category(samordnare, name="fyrverkerier")
    with pytest.raises(DomainError, match="kan inte sparas"):
        services.create_category(samordnare, name="Ring 070-123 45 67")
    services.rename_category(samordnare, category, name="Fyrverkerier och smällare")
    obs = file_report(orsa, "rapportor", incident(orsa, category="fyrverkerier")).observations[0]
    with pytest.raises(DomainError, match="används av 1 händelse "):
        services.delete_category(samordnare, category)
    services.retire_category(samordnare, category)
    with pytest.raises(services.InvalidReport, match="avvecklad"):
        file_report(orsa, "rapportor", incident(orsa, category="Fyrverkerier och smällare"))
    # An incident already in a retired category keeps it when edited.
    services.update_observation(samordnare, obs, incident(orsa, category=category.slug))
    services.retire_category(samordnare, category, retired=False)
    unused = services.create_category(samordnare, name="Tillfällig")
    services.delete_category(samordnare, unused)
    assert not Category.objects.filter(pk=unused.pk).exists()
    with pytest.raises(PermissionDenied):
        services.create_category(actor(orsa.user("rapportor"), orsa), name="Annat")
    assert AuditEntry.objects.filter(model="observations.Category", action="delete").count() == 1


def test_time_bands_are_configurable(orsa: Any) -> None:
    samordnare = actor(orsa.user("samordnare"), orsa)
    services.update_time_bands(
        samordnare,
        [
            {"label": "Dagtid", "start": "07:00", "end": "19:00"},
            {"label": "Kvällar och nätter", "start": "19.00", "end": "7"},
        ],
    )
    bands = queries.time_bands(orsa.partnership)
    assert [(b.key, b.span_text) for b in bands] == [
        ("dagtid", "07–19"),
        ("kvallar-och-natter", "19–07"),
    ]
    obs = file_report(orsa, "rapportor", incident(orsa, time_band="Dagtid")).observations[0]
    assert obs.time_band == "dagtid"
    with pytest.raises(DomainError, match="Tidsband 1: start och slut"):
        services.update_time_bands(samordnare, [{"label": "X", "start": "08:00", "end": "08:00"}])
    with pytest.raises(DomainError, match="Ange minst ett"):
        services.update_time_bands(samordnare, [])


def test_review_and_merge_are_audited_and_reversible(orsa: Any) -> None:
    samordnare = actor(orsa.user("samordnare"), orsa)
    a, b, c = file_report(
        orsa, "rapportor", incident(orsa), incident(orsa), incident(orsa)
    ).observations
    services.set_reviewed(samordnare, a)
    a.refresh_from_db()
    assert a.reviewed_at is not None and a.reviewed_by == orsa.user("samordnare")
    with pytest.raises(PermissionDenied):
        services.set_reviewed(actor(orsa.user("analytiker"), orsa), a)

    services.merge_observation(samordnare, b, a)
    assert b.merged_into == a
    assert b not in queries.observations(samordnare)
    flt = queries.ObservationFilter(include_merged=True)
    assert b in queries.observations(samordnare, flt)
    with pytest.raises(DomainError, match="själv"):
        services.merge_observation(samordnare, a, a)
    with pytest.raises(DomainError, match="redan sammanslagen"):
        services.merge_observation(samordnare, b, c)
    with pytest.raises(DomainError, match="själv en dubblett"):
        services.merge_observation(samordnare, c, b)
    with pytest.raises(DomainError, match="Andra händelser"):
        services.merge_observation(samordnare, a, c)
    with pytest.raises(PermissionDenied):
        services.merge_observation(actor(orsa.user("rapportor"), orsa), c, a)

    services.undo_merge(samordnare, b)
    b.refresh_from_db()
    assert b.merged_into is None
    assert b in queries.observations(samordnare)
    trail = list(
        AuditEntry.objects.filter(model="observations.Observation", object_id=str(b.pk))
        .order_by("id")
        .values_list("changes", flat=True)
    )
    merged = [t["changed"]["merged_into"] for t in trail if "merged_into" in t.get("changed", {})]
    assert merged == [[None, a.pk], [a.pk, None]]
    history = list(queries.history(samordnare, b))
    assert len(history) >= 3  # created (report and incident), merged, unmerged


def test_records_of_another_partnership_are_refused(orsa: Any, gislaved: Any) -> None:
    theirs = file_report(gislaved, "rapportor", incident(gislaved)).observations[0]
    samordnare = actor(orsa.user("samordnare"), orsa)
    with pytest.raises(NotFound):
        queries.observation(samordnare, theirs.pk)
    with pytest.raises(NotFound):
        services.set_reviewed(samordnare, theirs)
    with pytest.raises(NotFound):
        services.update_observation(samordnare, theirs, incident(orsa))
    # Their categories and places are unknown here.
    with pytest.raises(services.InvalidReport, match="Okänd plats"):
        file_report(orsa, "rapportor", incident(orsa, place=gislaved.place.pk))


def test_a_partnership_created_later_gets_defaults_too(db: Any) -> None:
    from samtrygg.core.models import PoliceArea

    lpo = PoliceArea.objects.create(name="LPO Test", region="mitt")
    partnership = Partnership.objects.create(municipality_id="2062", police_area=lpo, name="T")
    assert Category.objects.filter(partnership=partnership).count() == len(DEFAULT_CATEGORIES)


def test_reports_follow_changed_delomraden(orsa: Any) -> None:
    from samtrygg.core import services as core_services
    from samtrygg.core.dataio import system_actor

    obs = file_report(
        orsa, "rapportor", incident(orsa, place=None, lat=61.2, lon=14.7)
    ).observations[0]
    assert obs.area is None
    system = system_actor(orsa.partnership)
    square = {
        "type": "Polygon",
        "coordinates": [
            [[14.69, 61.19], [14.71, 61.19], [14.71, 61.21], [14.69, 61.21], [14.69, 61.19]]
        ],
    }
    area = core_services.create_area(system, name="Nytt ORSA-MARK", geometry=square)
    obs.refresh_from_db()
    assert obs.area == area
    core_services.delete_area(system, area)
    obs.refresh_from_db()
    assert obs.area is None
