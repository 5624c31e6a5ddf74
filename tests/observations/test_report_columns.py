"""The report columns kept for the lägesbild: the database outdates them on every write of a
report, however it is written; they are built again after a commit; and a year is read from
them only while they are current."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from samtrygg.observations import columns, services
from samtrygg.observations.models import Observation, ReportColumns, Source
from tests.conftest import build_tenant
from tests.observations.conftest import actor, incident

pytestmark = pytest.mark.django_db

KEYS = [*Source.values, "polis"]


def _report(tenant: Any, day: str, **fields: Any) -> Observation:
    made = services.submit_report(
        actor(tenant.user("rapportor"), tenant), [incident(tenant, occurred_on=day, **fields)]
    )
    return made.observations[0]


def _state(tenant: Any) -> dict[int, bool]:
    """Year → whether its kept columns are current."""
    return {
        year: version == built
        for year, version, built in ReportColumns.objects.filter(
            partnership=tenant.partnership
        ).values_list("year", "version", "built_version")
    }


def _window(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def test_every_kind_of_write_outdates_the_year(orsa: Any) -> None:
    first = _report(orsa, "2024-05-02")
    _report(orsa, "2025-03-04")
    assert _state(orsa) == {2024: False, 2025: False}
    assert columns.build_outdated(orsa.partnership.pk) == 2
    assert _state(orsa) == {2024: True, 2025: True}

    # A change the lägesbild does not read leaves them current.
    Observation.objects.filter(pk=first.pk).update(description="Ny text")
    services.set_reviewed(actor(orsa.user("samordnare"), orsa), first)
    assert _state(orsa) == {2024: True, 2025: True}

    # One the lägesbild reads, through the ORM's queryset update (no signal, no audit).
    Observation.objects.filter(pk=first.pk).update(source=Source.RESIDENTS)
    assert _state(orsa) == {2024: False, 2025: True}
    columns.build_outdated()

    # Moved to another year: both years.
    moved = Observation.objects.get(pk=first.pk)
    moved.occurred_at = moved.occurred_at.replace(year=2025)
    moved.save()
    assert _state(orsa) == {2024: False, 2025: False}
    columns.build_outdated()

    # By hand, in SQL, past every part of the application.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM observations_observation WHERE id = %s", [first.pk])
    assert _state(orsa) == {2024: True, 2025: False}


def test_a_year_is_read_from_its_columns_only_while_they_are_current(orsa: Any) -> None:
    observation = _report(orsa, "2025-03-04")
    columns.build_outdated()
    start, end = _window(2025)
    kept = columns.read([orsa.partnership.pk], start, end, KEYS)
    assert len(kept) == 1 and kept.category_ids[0] == observation.category_id

    # Columns that say otherwise than the reports are not read once a report is written.
    ReportColumns.objects.filter(partnership=orsa.partnership).update(
        columns=columns._encode(columns.Columns.empty())
    )
    assert len(columns.read([orsa.partnership.pk], start, end, KEYS)) == 0  # still "current"
    other = _report(orsa, "2025-06-07", category="narkotika")
    read = columns.read([orsa.partnership.pk], start, end, KEYS)
    expected = [observation.category_id, other.category_id]
    assert sorted(read.category_ids.tolist()) == sorted(expected)


def test_columns_built_while_a_report_is_written_never_count(orsa: Any, monkeypatch: Any) -> None:
    """The version is read before the reports: a write between the two leaves the columns
    outdated, never current without it."""
    _report(orsa, "2025-03-04")
    from_reports = columns._from_reports

    def with_a_write_in_between(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(columns, "_from_reports", from_reports)
        _report(orsa, "2025-03-05")
        return from_reports(*args, **kwargs)

    monkeypatch.setattr(columns, "_from_reports", with_a_write_in_between)
    assert columns.build(orsa.partnership.pk, 2025)
    assert _state(orsa) == {2025: False}
    start, end = _window(2025)
    assert len(columns.read([orsa.partnership.pk], start, end, KEYS)) == 2


def test_a_commit_builds_the_partnership_s_outdated_years(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """What runs when the transaction commits, as in a running server: the report's year is
    built at once (the tenant is made inside too, since a transaction renews a partnership
    once, at its commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        tenant = build_tenant("2062", "LPO Mora", 61.0, 14.54, "MORA-MARK")
        _report(tenant, "2025-03-04")
    assert _state(tenant) == {2025: True}
    Observation.objects.filter(partnership=tenant.partnership).update(source=Source.RESIDENTS)
    assert _state(tenant) == {2025: False}  # a write that renews nothing waits for the next


def test_the_command_builds_every_outdated_year(orsa: Any, gislaved: Any) -> None:
    _report(orsa, "2025-03-04")
    _report(gislaved, "2024-03-04")
    out = io.StringIO()
    call_command("buildreportcolumns", stdout=out, stderr=out)
    assert "Kolumnerna byggdes för 2 år (av 2 inaktuella)." in out.getvalue()
    assert _state(orsa) == {2025: True} and _state(gislaved) == {2024: True}

    # A table emptied by hand: the years with reports get a version again and are built.
    ReportColumns.objects.all().delete()
    out = io.StringIO()
    call_command("buildreportcolumns", stdout=out, stderr=out)
    assert "2 år med rapporter saknade version och fick en." in out.getvalue()
    assert _state(orsa) == {2025: True} and _state(gislaved) == {2024: True}


def test_sources_are_read_by_key_not_by_position(orsa: Any) -> None:
    """Columns built when the sources were listed in another order still say the same."""
    _report(orsa, "2025-03-04", source=Source.SOCIAL_MEDIA)
    columns.build_outdated()
    start, end = _window(2025)
    built = columns.read([orsa.partnership.pk], start, end, KEYS)
    then = list(reversed(Source.values))
    built.sources = built.sources.copy()
    built.sources[:] = then.index(KEYS[built.sources[0]])
    ReportColumns.objects.filter(partnership=orsa.partnership).update(
        source_keys=",".join(then), columns=columns._encode(built)
    )
    read = columns.read([orsa.partnership.pk], start, end, KEYS)
    assert [KEYS[code] for code in read.sources] == ["sociala_medier"]


@pytest.mark.parametrize(
    "make",
    [
        lambda rng, n: np.zeros(n, np.int64),  # one value
        lambda rng, n: rng.integers(-1, 5, n),  # few, with −1
        lambda rng, n: rng.integers(1_700_000_000, 1_730_000_000, n),  # times: offsets
        lambda rng, n: rng.integers(0, 2**62, n),  # h3-sized and all distinct: as they are
        lambda rng, n: rng.integers(0, 2**62, 70_000)[rng.integers(0, 70_000, n)],  # > 2¹⁶
    ],
)
@pytest.mark.parametrize("n", [0, 1, 1000, 150_000])
def test_kept_columns_come_back_as_they_were_written(make: Any, n: int) -> None:
    """Each column is written in its smallest form (values, offsets or codes), and read back
    exactly; no database is needed for this."""
    rng = np.random.default_rng(n)
    written = columns.Columns(
        *(np.asarray(make(rng, n), dtype=np.int64) for _ in range(7)),
        partnership_ids=np.full(n, 7, dtype=np.int64),
    )
    written.sources = rng.integers(-1, len(Source.values), n)
    read = columns._decode(columns._encode(written), 7, ",".join(Source.values), KEYS)
    for name in written.__dataclass_fields__:
        assert np.array_equal(getattr(read, name), getattr(written, name)), name


def test_columns_of_another_form_are_not_read(orsa: Any) -> None:
    observation = _report(orsa, "2025-03-04")
    columns.build_outdated()
    ReportColumns.objects.filter(partnership=orsa.partnership).update(
        columns=(columns.FORM + 1).to_bytes(8, "little") + bytes(8)
    )
    start, end = _window(2025)
    read = columns.read([orsa.partnership.pk], start, end, KEYS)
    assert read.category_ids.tolist() == [observation.category_id]


def test_a_year_whose_version_was_lost_is_read_from_the_reports(orsa: Any) -> None:
    observation = _report(orsa, "2025-03-04")
    columns.build_outdated()
    ReportColumns.objects.all().delete()  # by hand, or a restore without this table
    start, end = _window(2025)
    read = columns.read([orsa.partnership.pk], start, end, KEYS)
    assert read.category_ids.tolist() == [observation.category_id]


TRIGGERS = {"observations_columns_on_insert", "observations_columns_on_delete"}


def test_the_triggers_are_there() -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table; a migration that
    changes ``Observation`` must create them again, or this fails."""
    expected = TRIGGERS | {"observations_columns_on_update"}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expected.add("observations_columns_on_truncate")
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'observations_observation'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'observations_observation'"
            )
        found = {name for (name,) in cursor.fetchall()}
    assert expected <= found


def test_emptying_the_reports_outdates_every_year(orsa: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has none")
    _report(orsa, "2025-03-04")
    columns.build_outdated()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks left waiting for the commit
        cursor.execute("TRUNCATE observations_observation CASCADE")
    assert _state(orsa) == {2025: False}


def test_a_change_to_what_every_partnership_reads_builds_nothing(orsa: Any) -> None:
    """Police events, Brå, population and kommuner are not in the reports' columns: their
    change (scope ALL) leaves the building to the partnership's own next change."""
    from samtrygg.core.generations import ALL, Generations, data_committed

    _report(orsa, "2025-03-04")
    data_committed.send(sender=Generations, scope=ALL)
    assert _state(orsa) == {2025: False}
    data_committed.send(sender=Generations, scope=orsa.partnership.pk)
    assert _state(orsa) == {2025: True}
