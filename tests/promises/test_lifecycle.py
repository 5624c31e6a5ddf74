"""Agreements and promises: drafting, signing, the derived statuses on a frozen clock,
versions, renewal and follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samtrygg.core.dataio import system_actor
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.promises import queries, services
from samtrygg.promises.state import is_signed, status_of
from tests.promises.support import draft_promise, sign_all
from tests.statutory.tenancy_entries import statutory_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the clock: ``frozen(date)`` makes it noon that day, Stockholm time."""

    def set_day(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(12), timezone.get_current_timezone())
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


def test_every_status_is_derived_on_a_frozen_clock(orsa: Any, frozen: Any) -> None:
    actor = system_actor(orsa.partnership)
    frozen(dt.date(2022, 5, 1))
    promise = draft_promise(orsa, start=dt.date(2022, 5, 30))
    assert promise.ends_on == dt.date(2023, 5, 29)  # twelve months by default
    assert status_of(promise) == "utkast"
    frozen(dt.date(2022, 5, 25))
    services.sign(
        actor,
        promise,
        party="kommunen",
        name="Carina Johansson",
        title="Kommunstyrelsens ordförande",
        signed_on="2022-05-20",
    )
    promise = queries.refreshed(promise)
    assert status_of(promise) == "utkast"  # one party is not enough
    services.sign(
        actor,
        promise,
        party="polisen",
        name="Erik Svensson",
        title="T.f. lokalpolisområdeschef",
        signed_on="2022-05-20",
    )
    promise = queries.refreshed(promise)
    assert status_of(promise) == "kommande"
    frozen(dt.date(2022, 5, 30))
    assert status_of(promise) == "gallande"
    frozen(dt.date(2023, 5, 29))
    assert status_of(promise) == "gallande"
    frozen(dt.date(2023, 5, 30))
    assert status_of(promise) == "utgangen"
    # a new version: the signed one stays in force until the new one is signed
    frozen(dt.date(2022, 9, 1))
    newer = services.new_version(actor, promise, reason="Trafik läggs till.")
    assert status_of(promise) == "gallande"
    assert status_of(newer) == "utkast"
    sign_all(orsa, newer, dt.date(2022, 9, 1))
    assert status_of(queries.refreshed(promise)) == "ersatt"
    assert status_of(queries.refreshed(newer)) == "gallande"


def test_a_signed_promise_refuses_every_change(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    promise = sign_all(orsa, draft_promise(orsa))
    promise = queries.refreshed(promise)
    assert is_signed(promise)
    item = promise.items.first()
    linked = statutory_records(orsa)
    attempts = [
        lambda: services.update_promise(
            actor, promise, services.PromiseSpec(title="Nytt", starts_on=promise.starts_on)
        ),
        lambda: services.add_focus_area(actor, promise, title="Nytt"),
        lambda: services.add_item(actor, promise, services.ItemSpec(text="Nytt", target=1)),
        lambda: services.update_item(actor, item, services.ItemSpec(text="Nytt", target=1)),
        lambda: services.delete_item(actor, item),
        lambda: services.delete_focus_area(actor, promise.focus_areas.first()),
        lambda: services.remove_signature(actor, promise.signatures.first()),
        # only the links to the statutory work change: refused all the same
        lambda: services.update_item(
            actor,
            item,
            services.ItemSpec(
                text=item.text,
                target=item.target,
                unit=item.unit,
                rule_types=list(item.rule_types),
                focus_area=item.focus_area_id,
                plan_item=linked["item"].pk,
                problem=linked["problem"].pk,
            ),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match="undertecknat"):
            attempt()
    item.refresh_from_db()
    assert item.plan_item_id is None and item.problem_id is None


def test_a_signed_agreement_refuses_a_change_of_its_problems(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    linked = statutory_records(orsa)
    spec = services.AgreementSpec(
        title="Överenskommelse", starts_on="2024-01-01", ends_on="2027-12-31"
    )
    agreement = queries.refreshed(sign_all(orsa, services.create_agreement(actor, spec)))
    spec.problems = [linked["problem"].pk]
    with pytest.raises(DomainError, match="undertecknat"):
        services.update_agreement(actor, agreement, spec)
    assert list(agreement.problems.all()) == []


def test_a_new_version_shows_its_differences(orsa: Any) -> None:
    from samtrygg.promises.versions import differences

    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    with pytest.raises(DomainError):
        services.new_version(actor, promise, reason="")
    newer = services.new_version(actor, promise, reason="Ett åtagande om trafik till.")
    assert newer.version == 2 and newer.supersedes_id == promise.pk
    services.add_item(
        actor,
        newer,
        services.ItemSpec(text="Hastighetskontroller vid skolorna.", target=6, unit="kontroller"),
    )
    rows = differences(promise, newer)
    assert any("Hastighetskontroller" in row["after"] and row["before"] == "" for row in rows)
    assert [v.pk for v in queries.versions_of(newer)] == [promise.pk, newer.pk]


def test_items_are_validated(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    promise = draft_promise(orsa, items=0)
    cases = [
        (services.ItemSpec(text=""), "text"),
        (services.ItemSpec(text="X", commitment="antal"), "target"),
        (services.ItemSpec(text="X", commitment="villkorat"), "condition"),
        (services.ItemSpec(text="X", responsible="organisation"), "organisation"),
        (services.ItemSpec(text="X", target=3, rule_types=["okand"]), "rule_types"),
        (services.ItemSpec(text="X", target="tre"), "target"),
        (
            services.ItemSpec(text="X", target=3, rule_from="2026-05-01", rule_to="2026-04-01"),
            "rule_to",
        ),
    ]
    for spec, field in cases:
        with pytest.raises(DomainError) as refused:
            services.add_item(actor, promise, spec)
        assert refused.value.field == field
    assert promise.items.count() == 0


def test_only_coordinators_write(orsa: Any, actor_of: Any) -> None:
    promise = draft_promise(orsa)
    for role in ("rapportor", "analytiker", "styrgrupp", "administrator"):
        actor = actor_of(orsa.user(role), orsa.partnership)
        with pytest.raises(PermissionDenied):
            services.add_focus_area(actor, promise, title="Nytt")
        assert queries.promise(actor, promise.pk) == promise  # but everyone reads


def test_progress_counts_the_done_actions_its_rule_selects(orsa: Any) -> None:
    from samtrygg.actions import services as actions
    from samtrygg.promises.progress import internal_progress, published_progress

    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    today = dt.date.today()

    def action(kind: str, done: int, *, secret: bool = False, start: dt.date = today) -> Any:
        made = actions.create_action(
            actor,
            actions.ActionSpec(
                title=f"Insats {kind}",
                type=kind,
                owner=orsa.organisation.pk,
                start_date=start,
                end_date=start,
                planned_count=done,
                not_for_publication=secret,
            ),
        )
        return actions.record_progress(actor, made, status="genomford", done_count=done)

    action("vuxennarvaro", 7)
    action("vuxennarvaro", 2, secret=True)
    action("vuxennarvaro", 9, start=promise.starts_on - dt.timedelta(days=60))  # before the period
    action("trafikinsats", 3)
    items = list(queries.items_of(promise))
    inside = internal_progress(items)
    public = published_progress(promise, items)
    walk, presence, traffic = items
    assert inside[presence.pk].done == 9 and inside[walk.pk].done == 0
    assert public[presence.pk].display == "7"  # the secret action is left out
    assert public[traffic.pk].done is None and public[traffic.pk].display == "färre än 5"
    assert public[walk.pk].display == "0"


def test_follow_up_requires_text_unless_fulfilled_and_freezes(orsa: Any, mailoutbox: Any) -> None:
    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    follow_up = services.start_follow_up(actor, promise)
    entries = list(follow_up.entries.order_by("item__number"))
    with pytest.raises(DomainError) as refused:
        services.adopt_follow_up(actor, follow_up)
    assert "Bedöm alla" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.assess(actor, entries[0], assessment="delvis", comment="")
    assert refused.value.field == "comment"
    services.assess(actor, entries[0], assessment="uppfyllt")
    services.assess(actor, entries[1], assessment="delvis", comment="Färre kvällar än planerat.")
    services.assess(actor, entries[2], assessment="installt", comment="Polisen prioriterade om.")
    services.adopt_follow_up(actor, follow_up)
    follow_up.refresh_from_db()
    assert follow_up.is_adopted
    assert [row["assessment"] for row in follow_up.snapshot["items"]] == [
        "uppfyllt",
        "delvis",
        "installt",
    ]
    with pytest.raises(DomainError):
        services.assess(actor, entries[0], assessment="ej", comment="Nej")
    assert queries.validity(orsa.partnership)["last_follow_up_published"] == dt.date.today()


def test_renewal_drafts_the_next_period(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    renewed = services.renew(actor, promise)
    assert renewed.starts_on == promise.ends_on + dt.timedelta(days=1)
    assert renewed.renewed_from_id == promise.pk
    assert status_of(renewed) == "utkast"
    assert [i.text for i in renewed.items.all()] == [i.text for i in promise.items.all()]
    with pytest.raises(DomainError):
        services.renew(actor, promise)


def test_validity_for_the_county(orsa: Any, django_assert_max_num_queries: Any) -> None:
    assert queries.validity(orsa.partnership) == {
        "agreement_valid_to": None,
        "promise_valid_to": None,
        "last_follow_up_published": None,
    }
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    with django_assert_max_num_queries(6):
        found = queries.validity(orsa.partnership)
    assert found["promise_valid_to"] == promise.ends_on


def test_renewal_reminders_go_out_60_and_30_days_before_the_end(
    orsa: Any, mailoutbox: Any, settings: Any
) -> None:
    from samtrygg.promises import tasks

    settings.PROMISE_RENEWAL_REMINDER_DAYS = [60, 30]
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    end = promise.ends_on
    assert tasks.due_reminders(end - dt.timedelta(days=61)) == []
    assert tasks.due_reminders(end - dt.timedelta(days=60)) == [(promise, 60)]
    assert tasks.due_reminders(end - dt.timedelta(days=45)) == [(promise, 60)]  # a missed day
    assert tasks.due_reminders(end - dt.timedelta(days=30)) == [(promise, 30)]
    result = tasks.send_renewal_reminder(
        promise_id=promise.pk, days=30, partnership_id=orsa.partnership.pk
    )
    assert result == "1 påminnelse skickad."
    assert [m.to for m in mailoutbox] == [[orsa.user("samordnare").email]]
    assert "Förnya" in mailoutbox[0].body
    services.renew(system_actor(orsa.partnership), promise)
    assert tasks.due_reminders(end - dt.timedelta(days=30)) == []  # renewed already


def test_publishing_a_follow_up_tells_the_members(orsa: Any, mailoutbox: Any) -> None:
    from samtrygg.promises import tasks

    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa, items=1)))
    follow_up = services.start_follow_up(actor, promise)
    services.assess(actor, follow_up.entries.get(), assessment="uppfyllt")
    services.adopt_follow_up(actor, follow_up)
    tasks.notify_follow_up_published(partnership_id=orsa.partnership.pk, follow_up_id=follow_up.pk)
    assert len(mailoutbox) == len(orsa.users)
    assert "/p/2034/" in mailoutbox[0].body
