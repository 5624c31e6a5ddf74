"""A refused action, decision, note or progress report: the page comes back (400) with what
was typed and the Swedish reason beside the field, and nothing is saved. Actions dated years
back are refused as a mistyped year; recently ended ones are kept, with a note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.actions import services
from samtrygg.actions.models import Action, Decision, Meeting
from samtrygg.core.errors import DomainError
from samtrygg.core.models import AuditEntry
from tests.actions.conftest import make_action
from tests.stored import database_contains

pytestmark = pytest.mark.django_db

PNR = "19811218-9876"  # Luhn-valid personnummer
PHONE = "070-123 45 67"
TODAY = dt.date.today()
NEXT_WEEK = (TODAY + dt.timedelta(days=7)).isoformat()


def _new_action(orsa: Any, **overrides: str) -> dict[str, Any]:
    return {
        "title": "Nattvandring vid busstationen",
        "type": "vuxennarvaro",
        "owner": str(orsa.other_organisation.pk),
        "area": str(orsa.area.pk),
        "start_date": TODAY.isoformat(),
        "end_date": NEXT_WEEK,
        "planned_count": "4",
        "description": "Fredagar och lördagar kl. 21–01.",
        "not_for_publication": "on",
        **overrides,
    }


def _field_error(page: str, field: str, message: str) -> bool:
    return f'<p class="field-error" id="{field}-error">{message}' in page


def _selected(page: str, value: Any) -> bool:
    return f'<option value="{value}" selected>' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Rubrik måste fyllas i."),
        (
            {"start_date": NEXT_WEEK, "end_date": TODAY.isoformat()},
            "end_date",
            "Slutdatum kan inte ligga före startdatum.",
        ),
        (
            {"description": f"Kontakt: {PNR}, fredagar."},
            "description",
            "Texten kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person",
        ),
        ({"planned_count": "tre"}, "planned_count", "Planerat antal ska vara ett heltal."),
        (
            {"start_date": "2020-01-01", "end_date": "2020-01-02"},
            "end_date",
            "Slutdatum får inte ligga mer än 2 år bakåt i tiden",
        ),
    ],
)
def test_a_refused_new_action_comes_back_with_what_was_typed(
    orsa: Any, login: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _new_action(orsa, **overrides)
    response = client.post(reverse("action-list"), typed)
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Ingenting är sparat. Rätta det som är markerat." in page
    assert _field_error(page, field, message), page
    assert f'id="{field}" name="{field}"' in page and 'aria-invalid="true"' in page
    assert f'name="title" maxlength="200" value="{typed["title"]}"' in page
    assert f'name="start_date" value="{typed["start_date"]}"' in page
    assert f'name="end_date" value="{typed["end_date"]}"' in page
    assert f'name="planned_count" inputmode="numeric" value="{typed["planned_count"]}"' in page
    assert f">{typed['description']}</textarea>" in page
    assert _selected(page, orsa.other_organisation.pk) and _selected(page, orsa.area.pk)
    assert _selected(page, "vuxennarvaro")
    assert 'name="not_for_publication" checked' in page
    assert not Action.objects.exists()
    assert not AuditEntry.objects.filter(model="actions.Action").exists()
    assert database_contains(PNR) == []


def test_every_refused_field_of_a_new_action_is_said_at_once(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _new_action(
        orsa,
        title="X" * 300,
        start_date=NEXT_WEEK,
        end_date=TODAY.isoformat(),
        planned_count="-3",
        description=f"Ring Anna Karlsson på {PHONE}",
    )
    response = client.post(reverse("action-list"), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert _field_error(page, "title", "Rubrik får vara högst 200 tecken.")
    assert _field_error(page, "end_date", "Slutdatum kan inte ligga före startdatum.")
    assert _field_error(page, "planned_count", "Planerat antal ska vara minst 1.")
    assert _field_error(page, "description", "Texten kan inte sparas eftersom den innehåller")
    assert f'value="{typed["title"]}"' in page
    assert 'name="planned_count" inputmode="numeric" value="-3"' in page
    # Said once, in the form at the foot of the page, which takes the focus.
    assert page.count("Ingenting är sparat. Rätta det som är markerat.") == 1
    form = page[page.index('id="new-action"') :]
    assert 'role="alert" tabindex="-1" autofocus>Ingenting är sparat.' in form
    assert not Action.objects.exists()
    assert database_contains(PHONE) == []


def test_dates_that_cannot_be_read_come_back_as_typed(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _new_action(orsa, start_date="20/12/2026", end_date="banan", planned_count="abc")
    page = client.post(reverse("action-list"), typed).content.decode()
    assert _field_error(page, "start_date", "Startdatum ska vara ett datum (ÅÅÅÅ-MM-DD).")
    assert _field_error(page, "end_date", "Slutdatum ska vara ett datum (ÅÅÅÅ-MM-DD).")
    assert _field_error(page, "planned_count", "Planerat antal ska vara ett heltal.")
    # A date field would empty what it cannot read: the refused dates are shown as text.
    assert 'type="text" id="start_date" name="start_date" value="20/12/2026"' in page
    assert 'type="text" id="end_date" name="end_date" value="banan"' in page
    assert 'name="planned_count" inputmode="numeric" value="abc"' in page
    assert not Action.objects.exists()


def test_a_good_new_action_is_still_saved(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("action-list"), _new_action(orsa))
    item = Action.objects.get()
    assert response.status_code == 302 and item.planned_count == 4
    assert item.owner == orsa.other_organisation and item.not_for_publication
    page = client.get(response["Location"]).content.decode()
    assert "Insatsen Nattvandring vid busstationen sparades." in page
    assert "Slutdatumet har redan passerat" not in page


def test_an_action_that_ended_last_week_is_kept_and_the_coordinator_is_told(
    orsa: Any, login: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    start, end = TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=7)
    typed = _new_action(orsa, start_date=start.isoformat(), end_date=end.isoformat())
    response = client.post(reverse("action-list"), typed, follow=True)
    item = Action.objects.get()
    assert item.end_date == end and item.is_overdue
    page = response.content.decode()
    assert "Slutdatumet har redan passerat, så insatsen visas som försenad" in page
    assert 'id="progress-form"' in page  # where to report it as done


def test_years_old_end_dates_are_refused_by_the_service_and_the_api(
    orsa: Any, coordinator: Any, login: Any
) -> None:
    with pytest.raises(DomainError) as err:
        make_action(coordinator, orsa.organisation, start_date="2020-01-01", end_date="2020-01-02")
    assert err.value.field == "end_date" and "Kontrollera årtalet" in err.value.message
    earliest = services.earliest_end_date()
    assert make_action(coordinator, orsa.organisation, start_date=earliest, end_date=earliest)
    client = login(orsa.user("samordnare"), orsa.partnership)
    body = {
        "title": "Trafikkontroll",
        "type": "trafikinsats",
        "owner_id": orsa.organisation.pk,
        "start_date": "2020-01-01",
        "end_date": "2020-01-02",
    }
    response = client.post(
        "/api/v1/partnerships/2034/actions", body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "end_date"
    assert Action.objects.count() == 1


def test_an_old_action_can_still_be_edited_but_not_moved_years_back(
    orsa: Any, coordinator: Any
) -> None:
    item = make_action(coordinator, orsa.organisation)
    Action.objects.filter(pk=item.pk).update(
        start_date=dt.date(2019, 3, 1), end_date=dt.date(2019, 4, 1)
    )
    item.refresh_from_db()
    spec = services.ActionSpec(
        title="Nytt namn",
        type=item.type,
        owner=item.owner_id,
        start_date=item.start_date,
        end_date=item.end_date,
    )
    assert services.update_action(coordinator, item, spec).title == "Nytt namn"
    spec.end_date = dt.date(2019, 5, 1)
    with pytest.raises(DomainError) as err:
        services.update_action(coordinator, item, spec)
    assert err.value.field == "end_date"


def test_a_refused_edit_and_progress_report_keep_what_was_typed(
    orsa: Any, coordinator: Any, login: Any
) -> None:
    item = make_action(coordinator, orsa.organisation, description="Som förut")
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("action-detail", args=[item.pk])
    typed = _new_action(orsa, title="Ändrad rubrik", description=f"Ring {PHONE}")
    response = client.post(url, {"action": "update", **typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="card" open>' in page
    assert 'value="Ändrad rubrik"' in page and f">Ring {PHONE}</textarea>" in page
    assert 'id="description-error"' in page and "telefonnummer" in page
    item.refresh_from_db()
    assert item.title == "Vuxennärvaro vid torget" and item.description == "Som förut"

    response = client.post(
        url, {"action": "progress", "status": "pagar", "done_count": "2", "outcome": f"{PHONE}"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f">{PHONE}</textarea>" in page and 'id="id_outcome-error"' in page
    assert 'name="done_count" inputmode="numeric" value="2"' in page
    assert _selected(page, "pagar")
    item.refresh_from_db()
    assert item.status == "planerad" and item.done_count == 0 and item.outcome == ""
    assert database_contains(PHONE) == []


def _meeting(client: Any) -> Meeting:
    client.post(reverse("meeting-list"), {"held_on": TODAY.isoformat()})
    return Meeting.objects.get()


def _decision(orsa: Any, **overrides: str) -> dict[str, Any]:
    return {
        "action": "decision",
        "text": "Öka närvaron vid busstationen.",
        "a0-title": "Nattvandring",
        "a0-type": "vuxennarvaro",
        "a0-owner": str(orsa.organisation.pk),
        "a0-end_date": NEXT_WEEK,
        "a0-planned_count": "3",
        "a0-description": "Fredagar.",
        "a1-title": "Ny belysning",
        "a1-type": "fysisk_atgard",
        "a1-owner": str(orsa.other_organisation.pk),
        "a1-area": str(orsa.area.pk),
        "a1-end_date": NEXT_WEEK,
        "a1-planned_count": "1",
        "a1-description": "Byt armaturer i gångtunneln.",
        "a1-not_for_publication": "on",
        "a2-title": "",
        "a2-type": "vuxennarvaro",
        "a2-owner": str(orsa.organisation.pk),
        "a2-planned_count": "1",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"a1-title": ""}, "a1-title", "Rubrik måste fyllas i."),
        (
            {"a1-end_date": (TODAY - dt.timedelta(days=1)).isoformat()},
            "a1-end_date",
            "Slutdatum kan inte ligga före startdatum.",
        ),
        ({"a1-planned_count": "tre"}, "a1-planned_count", "Planerat antal ska vara ett heltal."),
        ({"a1-description": f"Ring {PHONE}"}, "a1-description", "Texten kan inte sparas"),
    ],
)
def test_a_refused_decision_keeps_every_action_row(
    orsa: Any, login: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    meeting = _meeting(client)
    typed = _decision(orsa, **overrides)
    response = client.post(reverse("meeting-detail", args=[meeting.pk]), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Insats 2: " in page  # numbered as on the page
    assert _field_error(page, field, message), page
    assert ">Öka närvaron vid busstationen.</textarea>" in page
    for prefix in ("a0-", "a1-"):
        title = typed[f"{prefix}title"]
        assert f'name="{prefix}title" maxlength="200" value="{title}"' in page
        assert f'name="{prefix}end_date" value="{typed[f"{prefix}end_date"]}"' in page
        assert f">{typed[f'{prefix}description']}</textarea>" in page
    assert 'name="a1-not_for_publication" checked' in page
    assert 'name="a0-not_for_publication" >' in page
    assert f'<option value="{orsa.other_organisation.pk}" selected>' in page
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert database_contains(PHONE) == []


def test_a_decision_row_without_a_title_is_not_silently_dropped(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    meeting = _meeting(client)
    typed = _decision(orsa, **{"a2-end_date": NEXT_WEEK, "a2-description": "Glömd rubrik"})
    response = client.post(reverse("meeting-detail", args=[meeting.pk]), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Insats 3: Rubrik måste fyllas i." in page and _field_error(
        page, "a2-title", "Rubrik måste fyllas i."
    )
    assert ">Glömd rubrik</textarea>" in page
    assert not Action.objects.exists()


def test_a_refused_decision_text_is_marked(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    meeting = _meeting(client)
    response = client.post(
        reverse("meeting-detail", args=[meeting.pk]), _decision(orsa, text=f"Ring {PHONE}")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_text-error"' in page and f">Ring {PHONE}</textarea>" in page
    assert 'name="a0-title" maxlength="200" value="Nattvandring"' in page
    assert not Decision.objects.exists()


def test_refused_meeting_notes_are_kept_in_the_textarea(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    meeting = _meeting(client)
    url = reverse("meeting-detail", args=[meeting.pk])
    client.post(url, {"action": "notes", "notes": "Lugnt i Hansjö."})
    typed = f"Lugnt i Hansjö. Väktaren nås på {PHONE}."
    response = client.post(url, {"action": "notes", "notes": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert f">{typed}</textarea>" in page and 'id="id_notes-error"' in page
    assert ">Lugnt i Hansjö.</textarea>" not in page
    meeting.refresh_from_db()
    assert meeting.notes == "Lugnt i Hansjö."
    assert database_contains(PHONE) == []
    # The next visit shows what is saved.
    assert ">Lugnt i Hansjö.</textarea>" in client.get(url).content.decode()


def test_refused_attendance_keeps_the_typed_numbers(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    meeting = _meeting(client)
    url = reverse("meeting-detail", args=[meeting.pk])
    response = client.post(
        url,
        {
            "action": "attendance",
            f"org-{orsa.organisation.pk}": "3",
            f"org-{orsa.other_organisation.pk}": "tre",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="org-{orsa.other_organisation.pk}" inputmode="numeric" value="tre"' in page
    assert f'name="org-{orsa.organisation.pk}" inputmode="numeric" value="3"' in page
    assert 'id="attendance-error"' in page
    assert not meeting.attendances.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"location": f"Ring {PHONE}"}, "location"),
    ],
)
def test_a_refused_new_meeting_keeps_what_was_typed(
    orsa: Any, login: Any, changes: dict[str, str], field: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = {
        "type": _meeting_types()[-1],  # not the default, so keeping it shows
        "held_on": NEXT_WEEK,
        "title": "Möte om centrum",
        "location": "Kommunhuset",
        **changes,
    }
    response = client.post(reverse("meeting-list"), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page and 'aria-invalid="true"' in page
    assert f'value="{typed["title"]}"' in page
    assert f'name="held_on" required value="{typed["held_on"]}"' in page
    assert f'<option value="{typed["type"]}" selected>' in page
    assert not Meeting.objects.filter(partnership=orsa.partnership).exists()
    assert database_contains(PHONE) == []


def _meeting_types() -> list[str]:
    from samtrygg.actions.models import MeetingType

    return list(MeetingType.values)


def test_a_mistyped_year_is_named_even_without_a_start_date_and_far_ahead(
    orsa: Any, actor_of: Any
) -> None:
    """A decision's action starts today: 2016 must be called a mistyped year, not "before
    the start date"; and an end date centuries ahead is refused the same way."""
    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    with pytest.raises(DomainError) as err:
        make_action(
            coordinator, orsa.organisation, start_date=TODAY.isoformat(), end_date="2016-12-10"
        )
    assert err.value.field == "end_date" and "Kontrollera årtalet" in err.value.message
    with pytest.raises(DomainError) as err:
        make_action(
            coordinator, orsa.organisation, start_date=TODAY.isoformat(), end_date="2206-12-10"
        )
    assert err.value.field == "end_date" and "framåt i tiden" in err.value.message
    ahead = services.latest_end_date().isoformat()
    assert make_action(coordinator, orsa.organisation, start_date=TODAY.isoformat(), end_date=ahead)
