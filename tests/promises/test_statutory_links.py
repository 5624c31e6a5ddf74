"""An agreement's prioritised problems and an item's links to the åtgärdsplan and a problem:
chosen among the partnership's own, shown on the pages (a link for the roles that open the
problem pages), in the API, copied to a new version, never to another partnership's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.dataio import system_actor
from samtrygg.core.errors import DomainError
from samtrygg.promises import queries, services
from samtrygg.promises.models import CooperationAgreement, PromiseItem
from tests.promises.support import draft_promise, sign_all
from tests.statutory.tenancy_entries import statutory_records

pytestmark = pytest.mark.django_db


def _agreement(t: Any, problems: list[int]) -> CooperationAgreement:
    return services.create_agreement(
        system_actor(t.partnership),
        services.AgreementSpec(
            title="Överenskommelse 2023–2026",
            starts_on="2023-01-01",
            ends_on="2026-12-31",
            problems=problems,
        ),
    )


def test_an_item_links_a_plan_item_and_takes_its_problem(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    linked = statutory_records(orsa)
    promise = draft_promise(orsa, items=0)
    item = services.add_item(
        actor, promise, services.ItemSpec(text="Vandringar.", target=4, plan_item=linked["item"].pk)
    )
    assert item.plan_item == linked["item"] and item.problem == linked["problem"]
    only_problem = services.add_item(
        actor,
        promise,
        services.ItemSpec(text="Bara problem.", target=2, problem=linked["problem"].pk),
    )
    assert only_problem.plan_item is None and only_problem.problem == linked["problem"]
    cleared = services.update_item(actor, only_problem, services.ItemSpec(text="Inget.", target=2))
    assert cleared.problem is None


def test_a_plan_item_of_another_problem_is_refused(orsa: Any) -> None:
    from samtrygg.statutory import services as statutory

    actor = system_actor(orsa.partnership)
    linked = statutory_records(orsa)
    other = statutory.create_problem(
        actor,
        title="Ett annat problem",
        description="Beskrivning",
        period_start=linked["problem"].period_start,
        period_end=linked["problem"].period_end,
    )
    promise = draft_promise(orsa, items=0)
    with pytest.raises(DomainError, match="annat problem") as refused:
        services.add_item(
            actor,
            promise,
            services.ItemSpec(text="X", target=1, plan_item=linked["item"].pk, problem=other.pk),
        )
    assert refused.value.field == "problem"
    assert not promise.items.exists()


def test_another_partnerships_problem_and_plan_item_are_refused(orsa: Any, gislaved: Any) -> None:
    actor = system_actor(orsa.partnership)
    theirs = statutory_records(gislaved)
    promise = draft_promise(orsa, items=1)
    item = promise.items.get()
    cases = [
        (services.ItemSpec(text="X", target=1, plan_item=theirs["item"].pk), "plan_item"),
        (services.ItemSpec(text="X", target=1, problem=theirs["problem"].pk), "problem"),
    ]
    for spec, field in cases:
        with pytest.raises(DomainError, match="finns inte") as refused:
            services.add_item(actor, promise, spec)
        assert refused.value.field == field
        with pytest.raises(DomainError, match="finns inte"):
            services.update_item(actor, item, spec)
    assert promise.items.count() == 1
    item.refresh_from_db()
    assert item.problem_id is None and item.plan_item_id is None
    with pytest.raises(DomainError, match="Problemet finns inte") as refused:
        _agreement(orsa, [theirs["problem"].pk])
    assert refused.value.field == "problems"
    assert not CooperationAgreement.objects.filter(partnership=orsa.partnership).exists()


def test_the_pages_choose_and_show_the_links(orsa: Any, gislaved: Any, login: Any) -> None:
    linked = statutory_records(orsa)
    theirs = statutory_records(gislaved)
    client = login(orsa.user("samordnare"), orsa.partnership)
    # the agreement form offers the own problems only and refuses another partnership's
    form = client.get(reverse("agreement-list")).content.decode()
    assert linked["problem"].title in form and theirs["problem"].title not in form
    posted = {
        "title": "Överenskommelse",
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "problems": [theirs["problem"].pk],
    }
    response = client.post(reverse("agreement-list"), posted)
    assert response.status_code == 400
    assert "Problemet finns inte i den här samverkan." in response.content.decode()
    assert not CooperationAgreement.objects.exists()
    response = client.post(
        reverse("agreement-list"), {**posted, "problems": [linked["problem"].pk]}
    )
    agreement = CooperationAgreement.objects.get()
    assert list(agreement.problems.all()) == [linked["problem"]]
    page = client.get(reverse("agreement-detail", args=[agreement.pk])).content.decode()
    problem_url = reverse("statutory-problem", args=[linked["problem"].pk])
    assert f'href="{problem_url}"' in page
    # the item form: the own plan items only; another partnership's is refused beside the field
    promise = draft_promise(orsa, items=0)
    url = reverse("promise-detail", args=[promise.pk])
    form = client.get(url).content.decode()
    assert linked["item"].title in form and theirs["item"].title not in form
    item = {"action": "add_item", "text": "Vandringar.", "target": "4", "commitment": "antal"}
    response = client.post(url, {**item, "plan_item": theirs["item"].pk})
    assert response.status_code == 400
    assert "Åtgärden finns inte i den här samverkans åtgärdsplan." in response.content.decode()
    response = client.post(url, {**item, "problem": theirs["problem"].pk})
    assert response.status_code == 400
    assert not PromiseItem.objects.filter(promise=promise).exists()
    client.post(url, {**item, "plan_item": linked["item"].pk})
    saved = PromiseItem.objects.get(promise=promise)
    assert saved.plan_item == linked["item"] and saved.problem == linked["problem"]
    page = client.get(url).content.decode()
    assert f'href="{problem_url}"' in page
    assert f'href="{reverse("statutory-plan-item", args=[linked["item"].pk])}"' in page
    # a role that does not open the problem pages sees the titles without links
    reader = login(orsa.user("rapportor"), orsa.partnership)
    page = reader.get(url).content.decode()
    assert linked["problem"].title in page and f'href="{problem_url}"' not in page
    page = reader.get(reverse("agreement-detail", args=[agreement.pk])).content.decode()
    assert linked["problem"].title in page and f'href="{problem_url}"' not in page


def test_the_public_page_shows_no_problem(orsa: Any, client: Any) -> None:
    actor = system_actor(orsa.partnership)
    linked = statutory_records(orsa)
    promise = draft_promise(orsa, items=0)
    services.add_item(
        actor, promise, services.ItemSpec(text="Vandringar.", target=4, plan_item=linked["item"].pk)
    )
    sign_all(orsa, promise)
    page = client.get(f"/p/{orsa.partnership.municipality.code}/").content.decode()
    assert "Vandringar." in page
    assert linked["problem"].title not in page and linked["item"].title not in page


def test_the_api_reads_and_writes_the_links(orsa: Any, gislaved: Any, login: Any) -> None:
    linked = statutory_records(orsa)
    theirs = statutory_records(gislaved)
    client = login(orsa.user("samordnare"), orsa.partnership)
    base = f"/api/v1/partnerships/{orsa.partnership.municipality.code}"
    body = {"title": "Överenskommelse", "starts_on": "2024-01-01", "ends_on": "2027-12-31"}
    refused = client.post(
        f"{base}/agreements", {**body, "problem_ids": [theirs["problem"].pk]}, "application/json"
    )
    assert refused.status_code == 400
    created = client.post(
        f"{base}/agreements", {**body, "problem_ids": [linked["problem"].pk]}, "application/json"
    )
    assert created.status_code == 201 and created.json()["problem_ids"] == [linked["problem"].pk]
    promise = draft_promise(orsa, items=0)
    item = {"text": "Vandringar.", "target": 4}
    refused = client.post(
        f"{base}/promises/{promise.pk}/items",
        {**item, "plan_item_id": theirs["item"].pk},
        "application/json",
    )
    assert refused.status_code == 400
    added = client.post(
        f"{base}/promises/{promise.pk}/items",
        {**item, "plan_item_id": linked["item"].pk},
        "application/json",
    )
    assert added.status_code == 201
    assert added.json()["plan_item_id"] == linked["item"].pk
    assert added.json()["problem_id"] == linked["problem"].pk
    read = client.get(f"{base}/promises/{promise.pk}").json()
    assert read["items"][0]["problem_id"] == linked["problem"].pk


def test_a_new_version_keeps_the_links(orsa: Any) -> None:
    actor = system_actor(orsa.partnership)
    linked = statutory_records(orsa)
    agreement = queries.refreshed(sign_all(orsa, _agreement(orsa, [linked["problem"].pk])))
    newer = services.new_version(actor, agreement, reason="Ny period.")
    assert list(newer.problems.all()) == [linked["problem"]]
    promise = draft_promise(orsa, items=0)
    services.add_item(
        actor, promise, services.ItemSpec(text="Vandringar.", target=4, plan_item=linked["item"].pk)
    )
    signed = queries.refreshed(sign_all(orsa, promise))
    copy = services.new_version(actor, signed, reason="Ändrat.")
    assert copy.items.get().plan_item == linked["item"]


def test_the_demo_links_items_and_the_agreement_to_the_demo_problems() -> None:
    import io

    from samtrygg.actions.demo_data import load_demo_actions
    from samtrygg.core.demo import load_demo
    from samtrygg.promises.demo_data import load_demo_promises
    from samtrygg.promises.models import CitizenPromise
    from samtrygg.statutory.demo_data import load_demo_statutory

    partnerships = load_demo()
    out = io.StringIO()
    load_demo_actions(partnerships, out)
    load_demo_statutory(partnerships, out)
    load_demo_promises(partnerships, out)
    agreement = CooperationAgreement.objects.get(partnership__municipality="2034")
    assert {p.title for p in agreement.problems.all()} == {
        "Kvällar i Centrum",
        "Klotter på skolor",
        "Unga och narkotika",
    }
    orsa = CitizenPromise.objects.get(partnership__municipality="2034")
    adults = orsa.items.get(text__startswith="Vuxna finns vid busstationen")
    assert adults.plan_item is not None and adults.problem is not None
    assert adults.problem.partnership_id == orsa.partnership_id
    current = CitizenPromise.objects.filter(partnership__municipality="0662").order_by(
        "-starts_on"
    )[0]
    linked = current.items.exclude(problem=None)
    assert {i.problem.title for i in linked} == {"Otrygghet vid Järnvägstorget"}
    assert linked.exclude(plan_item=None).count() == 1
